//! Single sign-on pages: `/sso/start` (to the organization's provider),
//! `/sso/callback` (back from an OpenID provider), `/sso/saml/acs` (a SAML
//! IdP's answer, re-posted from Stint's own origin to `/sso/saml/finish`),
//! `/sso/saml/metadata/{org}` (Stint's SAML metadata), and
//! `/organization/sign-in`, where an organization's owners set up, test,
//! require or remove it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_store::User;

use super::account::{MessagePage, home_for, safe_next, with_session};
use super::{PageError, render};
use crate::AppState;
use crate::app::accounts;
use crate::app::sso::{self, Callback, STATE_COOKIE, SsoForm};
use crate::auth::{MaybeUser, PageUser, cookie_value};
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Layout, moment};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sso/start", get(start))
        .route("/sso/callback", get(callback))
        .route("/sso/saml/acs", post(saml_acs))
        .route("/sso/saml/finish", post(saml_finish))
        .route("/sso/saml/metadata/{org}", get(saml_metadata))
        .route("/organization/sign-in", get(settings).post(save))
        .route("/organization/sign-in/test", post(test))
        .route("/organization/sign-in/require", post(require))
        .route("/organization/sign-in/remove", post(remove))
}

fn state_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    flow_cookie(state, STATE_COOKIE, "/sso", value, max_age)
}

/// The short cookie that binds a sign-in or launch in flight to the
/// browser that started it: only under `path`, HttpOnly, SameSite=Lax.
pub(super) fn flow_cookie(
    state: &AppState,
    name: &str,
    path: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("stint_sso=; Path=/sso; Max-Age=0"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartQuery {
    org: i64,
    next: String,
    email: String,
}

/// Sends the browser to the organization's provider. A link, not a form:
/// the content security policy lets forms lead only to Stint.
async fn start(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(q): Query<StartQuery>,
) -> Response {
    let layout = Layout::new("Sign in", user.user(), state.config.demo);
    let next = safe_next(&q.next).unwrap_or("");
    let hint = (!q.email.is_empty()).then_some(q.email.as_str());
    match sso::start(&state, q.org, next, hint).await {
        Ok(started) => {
            let mut res = Redirect::to(&started.url).into_response();
            res.headers_mut().insert(
                header::SET_COOKIE,
                state_cookie(&state, &started.state, sso::LOGIN_MINUTES * 60),
            );
            res
        }
        Err(e) => super::error_page(e, Some(layout)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CallbackQuery {
    state: String,
    code: String,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let error = q.error.map(|e| match q.error_description {
        Some(d) if !d.is_empty() => format!("{e}: {d}"),
        _ => e,
    });
    let result = sso::finish(
        &state,
        Callback {
            state: &q.state,
            code: &q.code,
            error,
            cookie: cookie_value(&headers, STATE_COOKIE),
        },
    )
    .await;
    signed_in(&state, result).await
}

/// The answer to a finished sign-in: a session and the next page, or what
/// went wrong; the state cookie is cleared either way.
async fn signed_in(state: &AppState, result: Result<(User, String), AppError>) -> Response {
    let mut res = match result {
        Ok((user, next)) => match accounts::start_session(state, &user).await {
            Ok(token) => with_session(state, &token, safe_next(&next).unwrap_or(home_for(&user))),
            Err(e) => super::error_page(e, None),
        },
        Err(e @ AppError::Conflict { .. }) => {
            e.log();
            let status = e.status();
            let body = match &e {
                AppError::Conflict { code, message } => {
                    sso::for_people(code, message, "Your organization's sign-in")
                }
                other => other.detail(),
            };
            let mut res = render(&MessagePage {
                layout: Layout::new("Sign-in failed", None, state.config.demo),
                heading: "You are not signed in".into(),
                body,
                link: "/login".into(),
                link_text: "Back to sign in".into(),
            });
            *res.status_mut() = status;
            res
        }
        Err(e) => super::error_page(e, None),
    };
    res.headers_mut()
        .append(header::SET_COOKIE, state_cookie(state, "", 0));
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SamlPost {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState")]
    relay_state: String,
}

#[derive(Template)]
#[template(path = "sso/saml_post.html")]
struct SamlPostPage {
    layout: Layout,
    response: String,
    relay_state: String,
}

/// The IdP's answer arrives here by a cross-site POST, which carries none
/// of Stint's cookies; nothing is decided here. The page posts it on to
/// `/sso/saml/finish` from Stint's origin (by itself, or with its button),
/// where the state cookie comes along.
async fn saml_acs(State(state): State<AppState>, HtmlForm(f): HtmlForm<SamlPost>) -> Response {
    let mut layout = Layout::new("Signing you in", None, state.config.demo);
    layout.noindex = true;
    render(&SamlPostPage {
        layout,
        response: f.saml_response,
        relay_state: f.relay_state,
    })
}

async fn saml_finish(
    State(state): State<AppState>,
    headers: HeaderMap,
    HtmlForm(f): HtmlForm<SamlPost>,
) -> Response {
    let result = sso::finish_saml(
        &state,
        sso::SamlCallback {
            relay_state: &f.relay_state,
            response: &f.saml_response,
            cookie: cookie_value(&headers, STATE_COOKIE),
        },
    )
    .await;
    signed_in(&state, result).await
}

/// Stint's SAML service provider metadata for a verified organization.
async fn saml_metadata(
    State(state): State<AppState>,
    axum::extract::Path(org): axum::extract::Path<i64>,
) -> Response {
    match sso::sp_metadata(&state, org).await {
        Ok(xml) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/samlmetadata+xml"),
            )],
            xml,
        )
            .into_response(),
        Err(e) => super::error_page(e, None),
    }
}

fn layout(state: &AppState, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(
        "Sign-in for your organization",
        Some(user),
        state.config.demo,
    )
    .with_notice(notice);
    l.noindex = true;
    l
}

#[derive(Template)]
#[template(path = "org/sign_in.html")]
struct SettingsPage {
    layout: Layout,
    org: String,
    verified: bool,
    back: &'static str,
    domains: Vec<String>,
    redirect_uri: String,
    configured: bool,
    /// `oidc` or `saml`: the one saved.
    protocol: String,
    issuer: String,
    client_id: String,
    sp_entity_id: String,
    acs_url: String,
    idp_entity_id: String,
    idp_sso_url: String,
    idp_certificate: String,
    idp_fingerprint: Option<String>,
    required: bool,
    tested_ok: bool,
    /// The last test: when, whether it passed, what it said.
    test: Option<(String, bool, String)>,
    accounts: i64,
    last_sign_in: Option<String>,
    allow_private: bool,
    errors: FieldErrors,
    /// The test just run: passed, and what it said.
    result: Option<(bool, String)>,
}

async fn settings_page(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    typed: Option<&SsoForm>,
    errors: FieldErrors,
    result: Option<(bool, String)>,
) -> Result<Response, PageError> {
    let s = sso::settings(state, user)
        .await
        .map_err(|e| PageError(e, layout(state, user, None)))?;
    let zone = user.time_zone.as_deref();
    let c = s.connection.as_ref();
    let page = SettingsPage {
        layout: layout(state, user, notice),
        org: s.membership.org.name.clone(),
        verified: s.membership.org.verified,
        back: home_for(user),
        domains: s.domains,
        redirect_uri: s.redirect_uri,
        configured: c.is_some(),
        protocol: c.map(|c| c.protocol.clone()).unwrap_or_default(),
        issuer: typed
            .filter(|t| t.protocol != "saml")
            .map(|t| t.issuer.clone())
            .or_else(|| c.filter(|c| c.protocol == "oidc").map(|c| c.issuer.clone()))
            .unwrap_or_default(),
        client_id: typed
            .filter(|t| t.protocol != "saml")
            .map(|t| t.client_id.clone())
            .or_else(|| c.map(|c| c.client_id.clone()))
            .unwrap_or_default(),
        sp_entity_id: s.sp_entity_id.clone(),
        acs_url: s.acs_url.clone(),
        idp_entity_id: typed
            .filter(|t| t.protocol == "saml")
            .map(|t| t.idp_entity_id.clone())
            .or_else(|| c.filter(|c| c.protocol == "saml").map(|c| c.issuer.clone()))
            .unwrap_or_default(),
        idp_sso_url: typed
            .filter(|t| t.protocol == "saml")
            .map(|t| t.idp_sso_url.clone())
            .or_else(|| c.and_then(|c| c.saml_sso_url.clone()))
            .unwrap_or_default(),
        idp_certificate: typed
            .filter(|t| t.protocol == "saml")
            .map(|t| t.idp_certificate.clone())
            .or_else(|| c.and_then(|c| c.saml_certificate.clone()))
            .unwrap_or_default(),
        idp_fingerprint: c
            .and_then(|c| c.saml_certificate.as_deref())
            .and_then(|p| stint_saml::Certificate::parse(p).ok())
            .map(|c| c.fingerprint()),
        required: c.is_some_and(|c| c.required),
        tested_ok: c.is_some_and(|c| c.tested_ok()),
        test: c.and_then(|c| {
            c.tested_at.map(|at| {
                (
                    moment(at, zone),
                    c.test_error.as_deref() == Some(""),
                    c.test_detail.clone().unwrap_or_default(),
                )
            })
        }),
        accounts: s.accounts,
        last_sign_in: s.last_sign_in.map(|t| moment(t, zone)),
        allow_private: state.config.sso.allows_private(),
        errors,
        result,
    };
    Ok(render(&page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsQuery {
    notice: Option<String>,
}

async fn settings(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<SettingsQuery>,
) -> Result<Response, PageError> {
    settings_page(
        &state,
        user.user(),
        q.notice.as_deref(),
        None,
        FieldErrors::new(),
        None,
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<SsoForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match sso::configure(&state, u, &f).await {
        Ok(()) => Ok(Redirect::to("/organization/sign-in?notice=sso_saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut res = settings_page(&state, u, None, Some(&f), errors, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn test(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let u = user.user();
    match sso::test(&state, u).await {
        Ok(t) => {
            let result = if t.passed {
                (true, t.detail)
            } else {
                (false, format!("{} ({})", t.detail, t.code))
            };
            settings_page(&state, u, None, None, FieldErrors::new(), Some(result)).await
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RequireForm {
    required: String,
}

async fn require(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<RequireForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let on = f.required == "yes";
    match sso::set_required(&state, u, on).await {
        Ok(()) => Ok(Redirect::to(if on {
            "/organization/sign-in?notice=sso_required"
        } else {
            "/organization/sign-in?notice=sso_optional"
        })
        .into_response()),
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn remove(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let u = user.user();
    match sso::remove(&state, u).await {
        Ok(()) => Ok(Redirect::to("/organization/sign-in?notice=sso_removed").into_response()),
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

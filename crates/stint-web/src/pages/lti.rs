//! LTI 1.3 pages: `/lti/login/{org}` (a platform's login initiation, at
//! the university's own address),
//! `/lti/launch` (its signed launch, re-posted from Stint's own origin to
//! `/lti/launch/finish`), `/lti/jwks` (Stint's key set), and
//! `/organization/learning-platforms`, where a university's owners
//! register, test, change and remove platforms.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_sso::lti::LoginInitiation;
use stint_store::{LtiPlatform, User};

use super::account::{MessagePage, with_session};
use super::{PageError, render};
use crate::AppState;
use crate::app::accounts;
use crate::app::lti::{self, LaunchPost, PlatformForm, STATE_COOKIE};
use crate::auth::{PageUser, cookie_value};
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, moment};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lti/login/{org}", get(login_get).post(login_post))
        .route("/lti/launch", post(launch))
        .route("/lti/launch/finish", post(launch_finish))
        .route("/lti/jwks", get(jwks))
        .route(
            "/organization/learning-platforms",
            get(settings).post(create),
        )
        .route(
            "/organization/learning-platforms/{id}",
            get(edit).post(update),
        )
        .route("/organization/learning-platforms/{id}/test", post(test))
        .route("/organization/learning-platforms/{id}/remove", post(remove))
}

fn state_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    super::sso::flow_cookie(state, STATE_COOKIE, "/lti", value, max_age)
}

/// A refused launch, as a page the person can act on.
fn refused_page(state: &AppState, e: AppError) -> Response {
    match e {
        AppError::Conflict { code, message } => {
            let status = StatusCode::CONFLICT;
            let mut res = render(&MessagePage {
                layout: Layout::new("Opening Stint failed", None, state.config.demo),
                heading: "Stint could not open from your course".into(),
                body: crate::app::sso::for_people(code, &message, "Your course's link to Stint"),
                link: "/login".into(),
                link_text: "Sign in to Stint directly".into(),
            });
            *res.status_mut() = status;
            res
        }
        e => super::error_page(e, None),
    }
}

async fn login(state: &AppState, org: i64, q: LoginInitiation) -> Response {
    match lti::start(state, org, &q).await {
        Ok(started) => {
            let mut res = Redirect::to(&started.url).into_response();
            res.headers_mut().insert(
                header::SET_COOKIE,
                state_cookie(state, &started.state, lti::LOGIN_MINUTES * 60),
            );
            res
        }
        Err(e) => refused_page(state, e),
    }
}

/// Platforms initiate a launch by GET or by a POST from their own site;
/// nothing is decided but where to send the browser.
async fn login_get(
    State(state): State<AppState>,
    PageId(org): PageId,
    Query(q): Query<LoginInitiation>,
) -> Response {
    login(&state, org, q).await
}

async fn login_post(
    State(state): State<AppState>,
    PageId(org): PageId,
    HtmlForm(q): HtmlForm<LoginInitiation>,
) -> Response {
    login(&state, org, q).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LaunchForm {
    id_token: String,
    state: String,
}

#[derive(Template)]
#[template(path = "lti/launch_post.html")]
struct LaunchPostPage {
    layout: Layout,
    id_token: String,
    state: String,
}

/// The platform's launch arrives by a cross-site POST, which carries none
/// of Stint's cookies; nothing is decided here. The page posts it on to
/// `/lti/launch/finish` from Stint's origin, where the state cookie comes.
async fn launch(State(state): State<AppState>, HtmlForm(f): HtmlForm<LaunchForm>) -> Response {
    let mut layout = Layout::new("Opening Stint", None, state.config.demo);
    layout.noindex = true;
    render(&LaunchPostPage {
        layout,
        id_token: f.id_token,
        state: f.state,
    })
}

async fn launch_finish(
    State(state): State<AppState>,
    headers: HeaderMap,
    HtmlForm(f): HtmlForm<LaunchForm>,
) -> Response {
    let result = lti::finish(
        &state,
        LaunchPost {
            id_token: &f.id_token,
            state: &f.state,
            cookie: cookie_value(&headers, STATE_COOKIE),
        },
    )
    .await;
    let mut res = match result {
        Ok((user, next)) => match accounts::start_session(&state, &user).await {
            Ok(token) => with_session(&state, &token, &next),
            Err(e) => super::error_page(e, None),
        },
        Err(e) => refused_page(&state, e),
    };
    res.headers_mut()
        .append(header::SET_COOKIE, state_cookie(&state, "", 0));
    res
}

/// Stint's public keys as a tool (a JSON Web Key Set).
async fn jwks(State(state): State<AppState>) -> Response {
    match lti::tool_jwks(&state).await {
        Ok(set) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/jwk-set+json"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            set.to_string(),
        )
            .into_response(),
        Err(e) => super::error_page(e, None),
    }
}

// --- the owners' page ---

fn layout(state: &AppState, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new("Learning platforms", Some(user), state.config.demo)
        .with_notice(notice)
        .at("/university");
    l.noindex = true;
    l
}

/// A registered platform as listed.
struct Row {
    id: i64,
    name: String,
    issuer: String,
    client_id: String,
    deployments: String,
    /// The last test: when, whether it passed, what it said.
    test: Option<(String, bool, String)>,
    last_launch: Option<String>,
    /// The last refused launch: when, and why.
    refusal: Option<(String, String)>,
}

/// The form's values as typed or saved.
#[derive(Default)]
struct Typed {
    name: String,
    issuer: String,
    client_id: String,
    auth_url: String,
    jwks_url: String,
    deployment_ids: String,
}

impl Typed {
    fn of(p: &LtiPlatform) -> Typed {
        Typed {
            name: p.name.clone(),
            issuer: p.issuer.clone(),
            client_id: p.client_id.clone(),
            auth_url: p.auth_url.clone(),
            jwks_url: p.jwks_url.clone(),
            deployment_ids: p.deployments.join("\n"),
        }
    }

    fn from_form(f: &Form) -> Typed {
        Typed {
            name: f.name.clone(),
            issuer: f.issuer.clone(),
            client_id: f.client_id.clone(),
            auth_url: f.auth_url.clone(),
            jwks_url: f.jwks_url.clone(),
            deployment_ids: f.deployment_ids.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/learning_platforms.html")]
struct SettingsPage {
    layout: Layout,
    org: String,
    verified: bool,
    login_url: String,
    launch_url: String,
    jwks_url: String,
    rows: Vec<Row>,
    /// The platform being changed, or `None` for the form to register one.
    editing: Option<i64>,
    f: Typed,
    allow_private: bool,
    errors: FieldErrors,
    /// The test just run: which platform, passed, what it said.
    result: Option<(i64, bool, String)>,
}

async fn page(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    editing: Option<(i64, Typed)>,
    errors: FieldErrors,
    result: Option<(i64, bool, String)>,
) -> Result<Response, PageError> {
    let s = lti::settings(state, user)
        .await
        .map_err(|e| PageError(e, layout(state, user, None)))?;
    let zone = user.time_zone.as_deref();
    let (editing, f) = match editing {
        Some((id, f)) => (Some(id), f),
        None => (None, Typed::default()),
    };
    if editing.is_some_and(|id| id > 0 && !s.platforms.iter().any(|p| p.id == id)) {
        return Err(PageError(AppError::NotFound, layout(state, user, None)));
    }
    let res = render(&SettingsPage {
        layout: layout(state, user, notice),
        org: s.membership.org.name.clone(),
        verified: s.membership.org.verified,
        login_url: s.login_url,
        launch_url: s.launch_url,
        jwks_url: s.jwks_url,
        rows: s
            .platforms
            .iter()
            .map(|p| Row {
                id: p.id,
                name: p.name.clone(),
                issuer: p.issuer.clone(),
                client_id: p.client_id.clone(),
                deployments: p.deployments.join(", "),
                test: p.tested_at.map(|at| {
                    (
                        moment(at, zone),
                        p.test_error.as_deref() == Some(""),
                        p.test_detail.clone().unwrap_or_default(),
                    )
                }),
                last_launch: p.last_launch_at.map(|t| moment(t, zone)),
                refusal: p
                    .last_refusal_at
                    .map(|t| (moment(t, zone), p.last_refusal.clone().unwrap_or_default())),
            })
            .collect(),
        editing: editing.filter(|id| *id > 0),
        f,
        allow_private: state.config.sso.allows_private(),
        errors: errors.clone(),
        result,
    });
    Ok(super::failed(res, &errors))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn settings(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        user.user(),
        q.notice.as_deref(),
        None,
        FieldErrors::new(),
        None,
    )
    .await
}

/// The form as posted: deployment ids one per line.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Form {
    name: String,
    issuer: String,
    client_id: String,
    auth_url: String,
    jwks_url: String,
    deployment_ids: String,
}

impl Form {
    fn platform(&self) -> PlatformForm {
        PlatformForm {
            name: self.name.clone(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            auth_url: self.auth_url.clone(),
            jwks_url: self.jwks_url.clone(),
            deployment_ids: vec![self.deployment_ids.clone()],
        }
    }
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<Form>,
) -> Result<Response, PageError> {
    let u = user.user();
    match lti::register(&state, u, &f.platform()).await {
        Ok(_) => {
            Ok(Redirect::to("/organization/learning-platforms?notice=lti_saved").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            // id 0: the registration form, with what was typed.
            page(
                &state,
                u,
                None,
                Some((0, Typed::from_form(&f))),
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn edit(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let p = lti::platform(&state, u, id)
        .await
        .map_err(|e| PageError(e, layout(&state, u, None)))?;
    page(
        &state,
        u,
        None,
        Some((id, Typed::of(&p))),
        FieldErrors::new(),
        None,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<Form>,
) -> Result<Response, PageError> {
    let u = user.user();
    match lti::update(&state, u, id, &f.platform()).await {
        Ok(()) => {
            Ok(Redirect::to("/organization/learning-platforms?notice=lti_saved").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            page(
                &state,
                u,
                None,
                Some((id, Typed::from_form(&f))),
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn test(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    match lti::test(&state, u, id).await {
        Ok(t) => {
            let result = if t.passed {
                (id, true, t.detail)
            } else {
                (id, false, format!("{} ({})", t.detail, t.code))
            };
            page(&state, u, None, None, FieldErrors::new(), Some(result)).await
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn remove(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    match lti::remove(&state, u, id).await {
        Ok(()) => {
            Ok(Redirect::to("/organization/learning-platforms?notice=lti_removed").into_response())
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

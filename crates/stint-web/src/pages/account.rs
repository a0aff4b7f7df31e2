//! Sign-up, sign-in and out, email confirmation, password reset, and the
//! account page (password change, API tokens).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_store::User;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::accounts::{self, Registration, SESSION_DAYS};
use crate::auth::{MaybeUser, PageUser, session_cookie};
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::security::ClientIp;
use crate::view::{Choice, Layout, date, field_error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_form).post(signup))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/verify-email", get(verify_email))
        .route("/forgot-password", get(forgot_form).post(forgot))
        .route("/reset-password", get(reset_form).post(reset))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/time-zone", post(time_zone))
        .route("/account/name", post(name))
        .route("/account/calendar", post(calendar))
        .route("/calendar/{token}/stint.ics", get(calendar_feed))
        .route("/account/resend-verification", post(resend_verification))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/me/notifications", get(notifications))
        .route("/me/notifications/read", post(read_all))
        .route("/me/notifications/email", post(email_choices))
}

/// Where a person lands after signing in, by role.
pub fn home_for(user: &User) -> &'static str {
    match user.role {
        Role::Student => "/",
        Role::Employer => "/employer",
        Role::University => "/university",
        Role::Admin => "/admin/verifications",
    }
}

/// Only local paths, so a crafted link cannot send people elsewhere.
pub(super) fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && next.len() < 500)
        .then_some(next)
}

pub(super) fn with_session(state: &AppState, token: &str, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(token, state.config.secure_cookies, SESSION_DAYS * 86_400),
    );
    res
}

#[derive(Template)]
#[template(path = "account/signup.html")]
struct SignupPage {
    layout: Layout,
    roles: Vec<Choice>,
    name: String,
    email: String,
    errors: FieldErrors,
    err_role: String,
    err_name: String,
    err_email: String,
    err_password: String,
}

impl SignupPage {
    fn new(layout: Layout, role: &str, name: &str, email: &str, errors: FieldErrors) -> SignupPage {
        let roles = [
            ("student", "Student or graduate — I want projects"),
            ("employer", "Employer — I want to post projects"),
            ("university", "University staff — I support students"),
        ]
        .iter()
        .map(|(v, l)| Choice::new(v, l, *v == role))
        .collect();
        SignupPage {
            layout,
            roles,
            name: name.into(),
            email: email.into(),
            err_role: field_error(&errors, "role").into(),
            err_name: field_error(&errors, "name").into(),
            err_email: field_error(&errors, "email").into(),
            err_password: field_error(&errors, "password").into(),
            errors,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleQuery {
    role: String,
}

async fn signup_form(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(q): Query<RoleQuery>,
) -> Response {
    if let Some(u) = user.user() {
        return Redirect::to(home_for(u)).into_response();
    }
    let role = if q.role.is_empty() {
        "student"
    } else {
        q.role.as_str()
    };
    render(&SignupPage::new(
        Layout::new("Join Stint", None, state.config.demo),
        role,
        "",
        "",
        FieldErrors::new(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignupForm {
    role: String,
    name: String,
    email: String,
    password: String,
}

async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    HtmlForm(f): HtmlForm<SignupForm>,
) -> Response {
    let layout = Layout::new("Join Stint", None, state.config.demo);
    if let Err(e) = state.rate_limit("register", ip) {
        return super::error_page(e, Some(layout));
    }
    match accounts::register(
        &state,
        Registration {
            email: &f.email,
            password: &f.password,
            name: &f.name,
            role: &f.role,
        },
    )
    .await
    {
        Ok(user) => match accounts::start_session(&state, &user).await {
            Ok(token) => with_session(
                &state,
                &token,
                // A new student starts with their profile: matches need it.
                &format!(
                    "{}?notice=welcome",
                    if user.role == Role::Student {
                        "/me/profile"
                    } else {
                        home_for(&user)
                    }
                ),
            ),
            Err(e) => super::error_page(e, Some(layout)),
        },
        Err(AppError::Invalid(errors)) => {
            let mut res = render(&SignupPage::new(layout, &f.role, &f.name, &f.email, errors));
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e @ AppError::Conflict { .. }) => {
            let mut errors = FieldErrors::new();
            errors.add("email", e.detail());
            let mut res = render(&SignupPage::new(layout, &f.role, &f.name, &f.email, errors));
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            res
        }
        Err(e) => super::error_page(e, Some(layout)),
    }
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: String,
    /// The address's organization signs its people in itself.
    sso: Option<SsoChoice>,
}

impl LoginPage {
    fn show_password(&self) -> bool {
        self.sso.as_ref().is_none_or(|s| !s.required)
    }
}

/// "Continue with …": where the link leads and whether passwords still work.
struct SsoChoice {
    org: String,
    href: String,
    required: bool,
}

fn sso_choice(c: &stint_store::DomainConnection, email: &str, next: &str) -> SsoChoice {
    let q = serde_urlencoded::to_string([
        ("org", c.connection.org_id.to_string()),
        ("email", email.trim().to_string()),
        ("next", safe_next(next).unwrap_or("").to_string()),
    ])
    .unwrap_or_default();
    SsoChoice {
        org: c.org_name.clone(),
        href: format!("/sso/start?{q}"),
        required: c.connection.required,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    next: String,
    notice: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(u) = user.user() {
        return Redirect::to(safe_next(&q.next).unwrap_or(home_for(u))).into_response();
    }
    let layout = Layout::new("Sign in", None, state.config.demo)
        .with_notice(q.notice.as_deref())
        .at("/login");
    render(&LoginPage {
        layout,
        email: String::new(),
        next: q.next,
        error: String::new(),
        sso: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: String,
}

async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    HtmlForm(f): HtmlForm<LoginForm>,
) -> Response {
    let layout = Layout::new("Sign in", None, state.config.demo);
    if let Err(e) = state.rate_limit("login", ip) {
        return super::error_page(e, Some(layout));
    }
    // Home-realm discovery: an address whose organization signs its people
    // in itself is sent there (without a password, or always when the
    // organization requires it).
    match crate::app::sso::for_email(&state, &f.email).await {
        Ok(Some(c)) if f.password.is_empty() || c.connection.required => {
            return render(&LoginPage {
                layout,
                sso: Some(sso_choice(&c, &f.email, &f.next)),
                email: f.email,
                next: f.next,
                error: String::new(),
            });
        }
        Ok(_) => {}
        Err(e) => return super::error_page(e, Some(layout)),
    }
    let result = accounts::authenticate(&state, &f.email, &f.password).await;
    match result {
        Ok(user) => match accounts::start_session(&state, &user).await {
            Ok(token) => with_session(
                &state,
                &token,
                safe_next(&f.next).unwrap_or(home_for(&user)),
            ),
            Err(e) => super::error_page(e, Some(layout)),
        },
        Err(e @ (AppError::Invalid(_) | AppError::BadCredentials | AppError::RateLimited)) => {
            let mut res = render(&LoginPage {
                layout,
                email: f.email,
                next: f.next,
                error: e.detail(),
                sso: None,
            });
            *res.status_mut() = e.status();
            res
        }
        Err(e) => super::error_page(e, Some(layout)),
    }
}

async fn logout(State(state): State<AppState>, user: MaybeUser) -> Response {
    if let Some(s) = user.0
        && let Err(e) = state.store.delete_session(&s.session_hash).await
    {
        return super::error_page(e.into(), None);
    }
    let mut res = Redirect::to("/?notice=signed_out").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", state.config.secure_cookies, 0),
    );
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenQuery {
    token: String,
}

#[derive(Template)]
#[template(path = "account/message.html")]
pub(super) struct MessagePage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) body: String,
    pub(super) link: String,
    pub(super) link_text: String,
}

async fn verify_email(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(q): Query<TokenQuery>,
) -> Response {
    match accounts::verify_email(&state, &q.token).await {
        Ok(u) => Redirect::to(&format!(
            "{}?notice=verified",
            if user.user().is_some() {
                home_for(&u)
            } else {
                "/login"
            }
        ))
        .into_response(),
        Err(e) => render(&MessagePage {
            layout: Layout::new("Link expired", user.user(), state.config.demo),
            heading: "This link cannot be used".into(),
            body: e.detail() + " Sign in and ask for a new one from your account page.",
            link: "/account".into(),
            link_text: "Go to your account".into(),
        }),
    }
}

#[derive(Template)]
#[template(path = "account/forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    error: String,
}

async fn forgot_form(State(state): State<AppState>, user: MaybeUser) -> Response {
    render(&ForgotPage {
        layout: Layout::new("Reset your password", user.user(), state.config.demo),
        email: String::new(),
        error: String::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ip: ClientIp,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> Response {
    let layout = Layout::new("Reset your password", None, state.config.demo);
    let result = match state.rate_limit("reset", ip) {
        Ok(()) => accounts::request_reset(&state, &f.email).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to("/login?notice=reset_sent").into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::RateLimited)) => {
            let mut res = render(&ForgotPage {
                layout,
                email: f.email,
                error: e.detail(),
            });
            *res.status_mut() = e.status();
            res
        }
        Err(e) => super::error_page(e, Some(layout)),
    }
}

#[derive(Template)]
#[template(path = "account/reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    error: String,
}

async fn reset_form(State(state): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    render(&ResetPage {
        layout: Layout::new("Choose a new password", None, state.config.demo),
        token: q.token,
        error: String::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    token: String,
    password: String,
}

async fn reset(State(state): State<AppState>, HtmlForm(f): HtmlForm<ResetForm>) -> Response {
    let layout = Layout::new("Choose a new password", None, state.config.demo);
    match accounts::reset_password(&state, &f.token, &f.password).await {
        Ok(user) => match accounts::start_session(&state, &user).await {
            Ok(token) => with_session(
                &state,
                &token,
                &format!("{}?notice=password_reset", home_for(&user)),
            ),
            Err(e) => super::error_page(e, Some(layout)),
        },
        Err(e @ AppError::Invalid(_)) => {
            let mut res = render(&ResetPage {
                layout,
                token: f.token,
                error: e.detail(),
            });
            *res.status_mut() = e.status();
            res
        }
        Err(e) => super::error_page(e, Some(layout)),
    }
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    layout: Layout,
    user_name: String,
    email: String,
    email_verified: bool,
    role_label: &'static str,
    errors: FieldErrors,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    /// Zones to choose from, the current one selected.
    zones: Vec<Choice>,
    /// Every other zone of the tz database, for those not in `zones`.
    all_zones: Vec<Choice>,
    /// The zone in use when none is chosen ("from your profile" or UTC).
    zone_now: String,
    /// The private calendar feed's address, when it is on.
    calendar: Option<String>,
    /// Students and employers have dates to subscribe to.
    has_calendar: bool,
}

async fn account_page(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    errors: FieldErrors,
    new_token: Option<String>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Your account", Some(user), state.config.demo)
        .with_notice(notice)
        .at("/account");
    layout.noindex = true;
    let tokens = state
        .store
        .api_tokens(user.id)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let current = user.time_zone.clone().unwrap_or_default();
    let mut names: Vec<&str> = crate::view::COMMON_ZONES.to_vec();
    if !current.is_empty() && !names.contains(&current.as_str()) {
        names.insert(0, current.as_str());
    }
    let all_zones = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|z| !names.contains(z) && z.contains('/') && !z.starts_with("Etc/"))
        .map(|z| Choice::new(z, &z.replace('_', " "), z == current))
        .collect();
    let zones = names
        .iter()
        .map(|z| Choice::new(z, &z.replace('_', " "), *z == current))
        .collect();
    let calendar = crate::app::calendar::address(state, user)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let mut res = render(&AccountPage {
        zones,
        all_zones,
        calendar,
        has_calendar: matches!(
            user.role,
            stint_domain::account::Role::Student | stint_domain::account::Role::Employer
        ),
        zone_now: crate::view::moment(state.clock.now(), user.time_zone.as_deref()),
        user_name: user.name.clone(),
        email: user.email.clone(),
        email_verified: user.email_verified,
        role_label: user.role.label(),
        errors,
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                created: date(&t.created_at.date_naive()),
            })
            .collect(),
        new_token,
        layout,
    });
    *res.status_mut() = status;
    Ok(res)
}

async fn account(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    account_page(
        &state,
        user.user(),
        n.notice.as_deref(),
        FieldErrors::new(),
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ZoneForm {
    time_zone: String,
}

/// Sets the zone times are shown in; empty goes back to the default.
async fn time_zone(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<ZoneForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let raw = f.time_zone.trim();
    if !raw.is_empty() && crate::view::known_zone(raw).is_none() {
        let mut errors = FieldErrors::new();
        errors.add(
            "time_zone",
            "Choose a time zone from the list, or one like Asia/Kolkata.",
        );
        return account_page(&state, u, None, errors, None).await;
    }
    state
        .store
        .set_time_zone(u.id, (!raw.is_empty()).then_some(raw))
        .await
        .map_err(|e| {
            PageError(
                e.into(),
                Layout::new("Your account", Some(u), state.config.demo),
            )
        })?;
    Ok(Redirect::to("/account?notice=zone_saved").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameForm {
    name: String,
}

/// Changes the name other people see.
async fn name(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<NameForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match crate::app::accounts::change_name(&state, u, &f.name).await {
        Ok(_) => Ok(Redirect::to("/account?notice=name_saved").into_response()),
        Err(AppError::Invalid(errors)) => account_page(&state, u, None, errors, None).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your account", Some(u), state.config.demo),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<PasswordForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match accounts::change_password(
        &state,
        u,
        &f.current_password,
        &f.new_password,
        Some(&user.0.session_hash),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?notice=password_changed").into_response()),
        Err(AppError::Invalid(errors)) => account_page(&state, u, None, errors, None).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your account", Some(u), state.config.demo),
        )),
    }
}

async fn resend_verification(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Response, PageError> {
    let u = user.user();
    if !u.email_verified {
        accounts::send_verification(&state, u)
            .await
            .map_err(|e| PageError(e, Layout::new("Your account", Some(u), state.config.demo)))?;
    }
    Ok(Redirect::to("/account?notice=welcome").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<TokenForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match accounts::issue_api_token(&state, u, &f.name).await {
        Ok((_, token)) => account_page(&state, u, None, FieldErrors::new(), Some(token)).await,
        Err(AppError::Invalid(errors)) => account_page(&state, u, None, errors, None).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your account", Some(u), state.config.demo),
        )),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    accounts::revoke_api_token(&state, u, id)
        .await
        .map_err(|e| PageError(e, Layout::new("Your account", Some(u), state.config.demo)))?;
    Ok(Redirect::to("/account?notice=token_revoked").into_response())
}

struct NoteRow {
    title: String,
    body: String,
    link: Option<String>,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "account/notifications.html")]
struct NotificationsPage {
    layout: Layout,
    items: Vec<NoteRow>,
    unread: i64,
    /// (topic, label, emailed)
    topics: Vec<(&'static str, &'static str, bool)>,
}

async fn notifications(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<super::NoticeQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let mut layout = Layout::new("Notifications", Some(u), state.config.demo)
        .with_notice(n.notice.as_deref())
        .at("/me/notifications");
    layout.noindex = true;
    let err = |e: stint_store::StoreError| PageError(e.into(), layout.clone());
    let items = state.store.notifications(u.id, 100).await.map_err(err)?;
    let unread = state.store.unread_notifications(u.id).await.map_err(err)?;
    let topics = crate::app::preferences::email_choices(&state, u.id)
        .await
        .map_err(|e| PageError(e, layout.clone()))?
        .into_iter()
        .map(|(t, on)| (t.as_str(), t.label(), on))
        .collect();
    Ok(render(&NotificationsPage {
        topics,
        items: items
            .into_iter()
            .map(|n| NoteRow {
                unread: n.read_at.is_none(),
                when: crate::view::moment(n.created_at, u.time_zone.as_deref()),
                title: n.title,
                body: n.body,
                link: n.link,
            })
            .collect(),
        unread,
        layout,
    }))
}

/// The email choices form: every topic's checkbox; unchecked means off.
async fn email_choices(
    State(state): State<AppState>,
    user: PageUser,
    crate::form::HtmlForm(f): crate::form::HtmlForm<EmailChoicesForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let choices: Vec<(String, bool)> = stint_domain::notice::Topic::ALL
        .iter()
        .map(|t| {
            (
                t.as_str().to_string(),
                f.email.iter().any(|e| e == t.as_str()),
            )
        })
        .collect();
    crate::app::preferences::set_email_choices(&state, u, &choices)
        .await
        .map_err(|e| PageError(e, Layout::new("Notifications", Some(u), state.config.demo)))?;
    Ok(Redirect::to("/me/notifications?notice=email_saved").into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EmailChoicesForm {
    email: Vec<String>,
}

async fn read_all(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let u = user.user();
    state.store.mark_read(u.id, None).await.map_err(|e| {
        PageError(
            e.into(),
            Layout::new("Notifications", Some(u), state.config.demo),
        )
    })?;
    Ok(Redirect::to("/me/notifications").into_response())
}

#[derive(serde::Deserialize)]
struct CalendarForm {
    #[serde(default)]
    action: String,
}

/// Turns the calendar feed on, gives it a new address, or turns it off.
async fn calendar(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<CalendarForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = Layout::new("Your account", Some(u), state.config.demo);
    let notice = if f.action == "off" {
        crate::app::calendar::turn_off(&state, u)
            .await
            .map_err(|e| PageError(e, l))?;
        "calendar_off"
    } else {
        crate::app::calendar::reset(&state, u)
            .await
            .map_err(|e| PageError(e, l))?;
        "calendar_on"
    };
    Ok(Redirect::to(&format!("/account?notice={notice}#calendar-h")).into_response())
}

/// The feed itself: the address is the secret, so no sign-in is asked.
async fn calendar_feed(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, crate::api::problem::ApiError> {
    let body = crate::app::calendar::feed(&state, &token).await?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, max-age=900"),
    );
    h.insert(
        axum::http::header::HeaderName::from_static("x-robots-tag"),
        axum::http::HeaderValue::from_static("noindex"),
    );
    Ok(res)
}

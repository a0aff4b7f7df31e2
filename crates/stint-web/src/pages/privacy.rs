//! `/account/data`: what Stint holds about the signed-in person and their
//! requests about it (a download, for now); `/admin/data-requests`: every
//! request, with its deadline and audit log.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_store::{DataRequest, User};

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::privacy;
use crate::auth::PageUser;
use crate::auth::authz::require_admin;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, moment};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/data", get(page))
        .route("/account/data/export", post(export))
        .route("/account/data/exports/{id}", get(download))
        .route("/account/data/correction", post(correction))
        .route("/account/data/delete", post(delete))
        .route("/admin/data-requests/deletion", post(admin_delete))
        .route("/privacy", get(privacy_page))
        .route("/organization/close", get(close_page).post(close_org))
        .route("/admin/data-requests", get(admin_list))
        .route("/admin/data-requests/{id}/answer", post(admin_answer))
}

/// A request as a line of a list.
struct RequestRow {
    id: i64,
    kind: &'static str,
    subject: String,
    channel: &'static str,
    asked: String,
    due: String,
    overdue: bool,
    /// Words for its state, for the person.
    state: String,
    /// The download link while it can be fetched.
    download: Option<String>,
    answer: String,
    detail: String,
    /// An admin may answer it here (open corrections and deletions).
    answerable: bool,
    log: Vec<(String, String, String)>,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "export" => "Download",
        "correction" => "Correction",
        _ => "Deletion",
    }
}

fn channel_label(channel: &str) -> &'static str {
    match channel {
        "self" => "by the person",
        "admin" => "by an admin",
        _ => "from the command line",
    }
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn row(state: &AppState, r: &DataRequest, zone: Option<&str>) -> RequestRow {
    let now = state.clock.now();
    let open = matches!(r.status.as_str(), "open" | "preparing");
    let ready = r.status == "ready" && r.expires_at.is_some_and(|t| t > now);
    let state_text = match r.status.as_str() {
        "preparing" => "Being prepared; you will be notified when it is ready.".to_string(),
        "ready" if ready => format!(
            "Ready{}; it can be downloaded until {}.",
            r.archive_bytes
                .map(|b| format!(" ({})", size(b)))
                .unwrap_or_default(),
            r.expires_at.map(|t| moment(t, zone)).unwrap_or_default()
        ),
        "ready" | "expired" => "Expired; ask for a new one.".to_string(),
        "done" => "Done.".to_string(),
        "refused" => "Refused.".to_string(),
        "failed" => "Could not be prepared; ask for a new one.".to_string(),
        _ => "Waiting for an answer.".to_string(),
    };
    RequestRow {
        id: r.id,
        kind: kind_label(&r.kind),
        subject: r.subject.clone(),
        channel: channel_label(&r.channel),
        asked: moment(r.created_at, zone),
        due: moment(r.due_at, zone),
        overdue: open && r.due_at < now,
        state: state_text,
        download: ready.then(|| format!("/account/data/exports/{}", r.id)),
        answer: r.answer.clone(),
        detail: r.detail.clone(),
        answerable: r.status == "open" && r.kind != "export",
        log: Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "account/data.html")]
struct DataPage {
    layout: Layout,
    sections: Vec<(&'static str, &'static str)>,
    requests: Vec<RequestRow>,
    preparing: bool,
    export_days: i64,
    errors: FieldErrors,
    detail: String,
    /// What must be finished before the account can be deleted.
    blockers: Vec<privacy::Blocker>,
    /// The account has a password to confirm with (otherwise a recent
    /// sign-in confirms).
    has_password: bool,
    recent_minutes: i64,
    /// The organization the person owns, which they may close.
    owned_org: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    data_page(
        &state,
        user.user(),
        n.notice.as_deref(),
        FieldErrors::new(),
        String::new(),
    )
    .await
}

async fn data_page(
    state: &AppState,
    u: &User,
    notice: Option<&str>,
    errors: FieldErrors,
    detail: String,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Your data", Some(u), state.config.demo)
        .with_notice(notice)
        .at("/account");
    layout.noindex = true;
    let list = privacy::requests(state, u)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let zone = u.time_zone.as_deref();
    let preparing = list.iter().any(|r| r.status == "preparing");
    if notice == Some("export_requested") && !preparing {
        // Already ready (small accounts are, by the time the page loads).
        layout = layout.with_notice(Some("export_ready"));
    }
    let blockers = privacy::blockers(state, u)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let owned_org = state
        .store
        .membership(u.id)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?
        .filter(|m| m.role == stint_domain::organization::MemberRole::Owner)
        .map(|m| m.org.name);
    let res = render(&DataPage {
        owned_org,
        blockers,
        has_password: u.password_hash.starts_with('$'),
        recent_minutes: privacy::RECENT_SIGN_IN_MINUTES,
        sections: stint_store::SECTIONS
            .iter()
            .map(|s| (s.file, s.about))
            .collect(),
        preparing,
        requests: list.iter().map(|r| row(state, r, zone)).collect(),
        export_days: privacy::EXPORT_DAYS,
        errors: errors.clone(),
        detail,
        layout,
    });
    Ok(super::failed(res, &errors))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CorrectionForm {
    detail: String,
}

async fn correction(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<CorrectionForm>,
) -> Result<Response, PageError> {
    match privacy::request_correction(&state, user.user(), &f.detail).await {
        Ok(_) => Ok(Redirect::to("/account/data?notice=correction_requested").into_response()),
        Err(AppError::Invalid(errors)) => {
            data_page(&state, user.user(), None, errors, f.detail).await
        }
        Err(e) => Err(PageError(
            e,
            Layout::new("Your data", Some(user.user()), state.config.demo),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteForm {
    password: String,
}

async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<DeleteForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let how = if u.password_hash.starts_with('$') {
        privacy::Confirmation::Password(&f.password)
    } else {
        let started = state
            .store
            .session_started(&user.0.session_hash)
            .await
            .map_err(|e| {
                PageError(
                    e.into(),
                    Layout::new("Your data", Some(u), state.config.demo),
                )
            })?;
        privacy::Confirmation::SignedIn(started)
    };
    match privacy::delete_account(&state, u, how).await {
        Ok(_) => {
            let mut res = Redirect::to("/?notice=account_deleted").into_response();
            res.headers_mut().insert(
                axum::http::header::SET_COOKIE,
                crate::auth::session_cookie("", state.config.secure_cookies, 0),
            );
            Ok(res)
        }
        Err(AppError::Invalid(errors)) => data_page(&state, u, None, errors, String::new()).await,
        Err(AppError::Conflict {
            code: "deletion_blocked",
            ..
        }) => {
            // Something started meanwhile; the page lists it.
            data_page(&state, u, None, FieldErrors::new(), String::new()).await
        }
        Err(e) => Err(PageError(
            e,
            Layout::new("Your data", Some(u), state.config.demo),
        )),
    }
}

async fn export(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    privacy::request_export(&state, user.user(), "self")
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Your data", Some(user.user()), state.config.demo),
            )
        })?;
    Ok(Redirect::to("/account/data?notice=export_requested").into_response())
}

async fn download(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let (name, bytes) = privacy::download(&state, user.user(), id)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Your data", Some(user.user()), state.config.demo),
            )
        })?;
    Ok(super::download(bytes, "application/zip", &name))
}

#[derive(Template)]
#[template(path = "admin/data_requests.html")]
struct AdminPage {
    layout: Layout,
    open: Vec<RequestRow>,
    answered: Vec<RequestRow>,
    /// The request whose answer had errors, with them.
    failed: Option<(i64, FieldErrors)>,
    /// The deletion form's errors and email.
    delete_errors: FieldErrors,
    delete_email: String,
}

async fn admin_list(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    admin_page(&state, user.user(), n.notice.as_deref(), None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AdminDeleteForm {
    email: String,
}

async fn admin_delete(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<AdminDeleteForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let layout = || Layout::new("Data requests", Some(u), state.config.demo);
    require_admin(u).map_err(|e| PageError(e, layout()))?;
    let email = f.email.trim().to_string();
    let fail = |msg: String| {
        let mut errors = FieldErrors::new();
        errors.add("email", msg);
        (errors, email.clone())
    };
    let target = match stint_domain::account::Email::parse(&email) {
        Ok(e) => state
            .store
            .user_by_email(e.as_str())
            .await
            .map_err(|e| PageError(e.into(), layout()))?,
        Err(_) => None,
    };
    let failed = match target {
        None => Some(fail(format!(
            "No account has the email \u{201c}{email}\u{201d}."
        ))),
        Some(t) => match privacy::delete_account(&state, &t, privacy::Confirmation::Admin(u)).await
        {
            Ok(_) => None,
            Err(AppError::Conflict { message, .. }) => Some(fail(message)),
            Err(e) => return Err(PageError(e, layout())),
        },
    };
    match failed {
        None => Ok(
            Redirect::to("/admin/data-requests?notice=account_deleted_by_admin").into_response(),
        ),
        Some(f) => admin_page(&state, u, None, None, Some(f)).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    status: String,
    answer: String,
}

async fn admin_answer(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<AnswerForm>,
) -> Result<Response, PageError> {
    match privacy::answer(&state, user.user(), id, &f.status, &f.answer).await {
        Ok(_) => Ok(Redirect::to("/admin/data-requests?notice=request_answered").into_response()),
        Err(AppError::Invalid(errors)) => {
            admin_page(&state, user.user(), None, Some((id, errors)), None).await
        }
        Err(e) => Err(PageError(
            e,
            Layout::new("Data requests", Some(user.user()), state.config.demo),
        )),
    }
}

async fn admin_page(
    state: &AppState,
    u: &User,
    notice: Option<&str>,
    failed: Option<(i64, FieldErrors)>,
    deletion: Option<(FieldErrors, String)>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Data requests", Some(u), state.config.demo)
        .with_notice(notice)
        .at("/admin/data-requests");
    layout.noindex = true;
    require_admin(u).map_err(|e| PageError(e, layout.clone()))?;
    let list = state
        .store
        .all_data_requests(500)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    let zone = u.time_zone.as_deref();
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let mut logs: std::collections::HashMap<i64, Vec<(String, String, String)>> =
        std::collections::HashMap::new();
    for a in state
        .store
        .audit_for_each("data_request", &ids)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?
    {
        logs.entry(a.object_id)
            .or_default()
            .push((moment(a.created_at, zone), a.action, a.detail));
    }
    let mut open = Vec::new();
    let mut answered = Vec::new();
    for r in &list {
        let mut line = row(state, r, zone);
        line.log = logs.remove(&r.id).unwrap_or_default();
        if matches!(r.status.as_str(), "open" | "preparing") {
            open.push(line);
        } else {
            answered.push(line);
        }
    }
    let (delete_errors, delete_email) = deletion.unwrap_or_default();
    let status = if failed.is_some() || !delete_errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&AdminPage {
            open,
            answered,
            failed,
            delete_errors,
            delete_email,
            layout,
        }),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
    base_url: String,
    retention: privacy::Retention,
    export_days: i64,
    answer_days: i64,
    session_days: i64,
    flow_minutes: i64,
    stripe: bool,
}

/// `/privacy`: what this instance keeps, for how long and its cookies,
/// written from its settings.
async fn privacy_page(State(state): State<AppState>, user: crate::auth::MaybeUser) -> Response {
    render(&PrivacyPage {
        layout: Layout::new("Privacy", user.user(), state.config.demo).at("/privacy"),
        base_url: state.config.base_url.clone(),
        retention: state.config.retention,
        export_days: privacy::EXPORT_DAYS,
        answer_days: stint_store::ANSWER_DAYS,
        session_days: crate::app::accounts::SESSION_DAYS,
        flow_minutes: crate::app::sso::LOGIN_MINUTES.max(crate::app::lti::LOGIN_MINUTES),
        stripe: state.config.payment_provider == crate::PaymentProvider::Stripe,
    })
}

#[derive(Template)]
#[template(path = "org/close.html")]
struct ClosePage {
    layout: Layout,
    org_name: String,
    blockers: Vec<privacy::Blocker>,
    errors: FieldErrors,
}

async fn close_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    close_form(&state, user.user(), FieldErrors::new()).await
}

async fn close_form(
    state: &AppState,
    u: &User,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Close the organization", Some(u), state.config.demo);
    layout.noindex = true;
    let (org, blockers) = privacy::closing(state, u)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let res = render(&ClosePage {
        org_name: org.name,
        blockers,
        errors: errors.clone(),
        layout,
    });
    Ok(super::failed(res, &errors))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CloseForm {
    name: String,
}

async fn close_org(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<CloseForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match privacy::close_organization(&state, u, &f.name).await {
        Ok(_) => Ok(Redirect::to("/account?notice=organization_closed").into_response()),
        Err(AppError::Invalid(errors)) => close_form(&state, u, errors).await,
        Err(AppError::Conflict {
            code: "closure_blocked",
            ..
        }) => close_form(&state, u, FieldErrors::new()).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Close the organization", Some(u), state.config.demo),
        )),
    }
}

//! Webhooks for employers at `/employer/webhooks`: the endpoints with the
//! form to add one, each endpoint's settings, secret, test button and
//! delivery log, and one message with its body and attempts. Members see;
//! owners change, reveal, rotate, send again and delete.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::organization::MemberRole;
use stint_store::{User, WebhookEndpoint, WebhookMessage};

use super::{PageError, render};
use crate::AppState;
use crate::app::webhooks::{self, EVENT_TYPES, EndpointForm};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, moment};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/webhooks", get(list).post(create))
        .route("/employer/webhooks/{id}", get(show).post(update))
        .route("/employer/webhooks/{id}/secret", post(reveal))
        .route("/employer/webhooks/{id}/rotate", post(rotate))
        .route("/employer/webhooks/{id}/test", post(test))
        .route(
            "/employer/webhooks/{id}/delete",
            get(delete_confirm).post(delete),
        )
        .route(
            "/employer/webhooks/{id}/messages/{message_id}",
            get(message),
        )
        .route(
            "/employer/webhooks/{id}/messages/{message_id}/redeliver",
            post(redeliver),
        )
}

fn layout(state: &AppState, title: &str, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l.at("/employer")
}

/// Whether the person may change webhooks (an owner of their organization).
async fn is_owner(state: &AppState, user: &User) -> bool {
    matches!(
        state.store.membership(user.id).await,
        Ok(Some(m)) if m.role == MemberRole::Owner
    )
}

fn status_label(status: &str, attempts: i32) -> &'static str {
    match status {
        "delivered" => "Delivered",
        "failed" => "Failed",
        _ if attempts > 0 => "Retrying",
        _ => "Sending",
    }
}

/// One event checkbox.
struct EventChoice {
    name: &'static str,
    description: &'static str,
    checked: bool,
}

fn event_choices(selected: &[String]) -> Vec<EventChoice> {
    EVENT_TYPES
        .iter()
        .map(|(name, description)| EventChoice {
            name,
            description,
            checked: selected.iter().any(|s| s == name),
        })
        .collect()
}

/// What was typed into the endpoint form, to show it again.
struct Typed {
    url: String,
    description: String,
    events: Vec<EventChoice>,
    active: bool,
}

impl Typed {
    fn blank() -> Typed {
        Typed {
            url: String::new(),
            description: String::new(),
            // New endpoints start with every event ticked.
            events: event_choices(
                &EVENT_TYPES
                    .iter()
                    .map(|(n, _)| n.to_string())
                    .collect::<Vec<_>>(),
            ),
            active: true,
        }
    }

    fn of(f: &EndpointForm) -> Typed {
        Typed {
            url: f.url.clone(),
            description: f.description.clone(),
            events: event_choices(&f.events),
            active: f.active,
        }
    }

    fn from_endpoint(e: &WebhookEndpoint) -> Typed {
        let events: Vec<String> = webhooks::events_of(e)
            .into_iter()
            .map(String::from)
            .collect();
        Typed {
            url: e.url.clone(),
            description: e.description.clone(),
            events: event_choices(&events),
            active: e.active,
        }
    }
}

struct EndpointRow {
    id: i64,
    url: String,
    description: String,
    events: usize,
    active: bool,
    last: Option<(&'static str, String)>,
    failed_recently: i64,
}

#[derive(Template)]
#[template(path = "employer/webhooks.html")]
struct ListPage {
    layout: Layout,
    org: String,
    owner: bool,
    endpoints: Vec<EndpointRow>,
    typed: Typed,
    errors: FieldErrors,
    max: i64,
    allow_private: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn list_page(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    typed: Typed,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Webhooks", user, notice);
    let err = |e: AppError| PageError(e, l.clone());
    let endpoints = webhooks::list(state, user).await.map_err(err)?;
    let org = state
        .store
        .membership(user.id)
        .await
        .map_err(|e| err(e.into()))?
        .map(|m| m.org.name)
        .unwrap_or_default();
    let zone = user.time_zone.as_deref();
    let failed = !errors.is_empty();
    let mut res = render(&ListPage {
        layout: l.clone(),
        org,
        owner: is_owner(state, user).await,
        endpoints: endpoints
            .iter()
            .map(|e| EndpointRow {
                id: e.id,
                url: e.url.clone(),
                description: e.description.clone(),
                events: webhooks::events_of(e).len(),
                active: e.active,
                last: e
                    .last_status
                    .as_deref()
                    .zip(e.last_at)
                    .map(|(s, at)| (status_label(s, 1), moment(at, zone))),
                failed_recently: e.failed_recently,
            })
            .collect(),
        typed,
        errors,
        max: webhooks::MAX_ENDPOINTS,
        allow_private: state.config.webhooks.allows_private(),
    });
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    list_page(
        &state,
        user.user(),
        q.notice.as_deref(),
        Typed::blank(),
        FieldErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EndpointFields {
    url: String,
    description: String,
    events: Vec<String>,
    active: Option<String>,
}

impl EndpointFields {
    fn form(self, active_default: bool) -> EndpointForm {
        EndpointForm {
            url: self.url,
            description: self.description,
            events: self.events,
            active: self
                .active
                .map_or(active_default, |v| v == "on" || v == "true"),
        }
    }
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<EndpointFields>,
) -> Result<Response, PageError> {
    let u = user.user();
    let form = f.form(true);
    match webhooks::create(&state, u, &form).await {
        Ok((e, secret)) => {
            show_page(&state, u, e.id, ShowExtra::secret(secret.to_string(), true)).await
        }
        Err(AppError::Invalid(errors)) => {
            list_page(&state, u, None, Typed::of(&form), errors).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Webhooks", u, None))),
    }
}

struct MessageRow {
    id: i64,
    event_type: String,
    status: &'static str,
    attempts: i32,
    created: String,
    last: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "employer/webhook.html")]
struct ShowPage {
    layout: Layout,
    owner: bool,
    endpoint_id: i64,
    url: String,
    description: String,
    active: bool,
    previous_until: Option<String>,
    typed: Typed,
    errors: FieldErrors,
    /// The secret, shown after creating, rotating or "Show".
    secret: Option<String>,
    secret_new: bool,
    messages: Vec<MessageRow>,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    older: Option<String>,
    allow_private: bool,
}

#[derive(Default)]
struct ShowExtra {
    typed: Option<Typed>,
    errors: FieldErrors,
    secret: Option<String>,
    secret_new: bool,
    notice: Option<String>,
    status: String,
    before: Option<i64>,
}

impl ShowExtra {
    fn secret(secret: String, new: bool) -> ShowExtra {
        ShowExtra {
            secret: Some(secret),
            secret_new: new,
            ..ShowExtra::default()
        }
    }
}

/// An attempt's outcome in words: "HTTP 204", "HTTP 302: redirects…", or
/// the error; `none` when there was neither.
fn outcome(code: Option<i32>, error: Option<&str>, none: &str) -> String {
    match (code, error) {
        (Some(code), None) => format!("HTTP {code}"),
        (Some(code), Some(e)) => format!("HTTP {code}: {e}"),
        (None, Some(e)) => e.to_string(),
        (None, None) => none.into(),
    }
}

fn last_attempt(m: &WebhookMessage) -> String {
    outcome(m.last_status_code, m.last_error.as_deref(), "not sent yet")
}

async fn show_page(
    state: &AppState,
    user: &User,
    id: i64,
    extra: ShowExtra,
) -> Result<Response, PageError> {
    let l = layout(state, "Webhook endpoint", user, extra.notice.as_deref());
    let err = |e: AppError| PageError(e, l.clone());
    let e = webhooks::get(state, user, id).await.map_err(err)?;
    let status = webhooks::parse_status(&extra.status).map_err(err)?;
    let messages = webhooks::messages(state, user, id, status, extra.before)
        .await
        .map_err(err)?;
    let zone = user.time_zone.as_deref();
    let now = state.clock.now();
    let older = (messages.len() as i64 == webhooks::LOG_PAGE)
        .then(|| messages.last().map(|m| m.id))
        .flatten()
        .map(|before| {
            let mut q = format!("?before={before}");
            if let Some(s) = status {
                q.push_str(&format!("&status={s}"));
            }
            q
        });
    let failed = !extra.errors.is_empty();
    let mut res = render(&ShowPage {
        layout: l.clone(),
        owner: is_owner(state, user).await,
        endpoint_id: e.id,
        url: e.url.clone(),
        description: e.description.clone(),
        active: e.active,
        previous_until: e
            .previous_until
            .filter(|u| *u > state.clock.now())
            .map(|u| moment(u, zone)),
        typed: extra.typed.unwrap_or_else(|| Typed::from_endpoint(&e)),
        errors: extra.errors,
        secret: extra.secret,
        secret_new: extra.secret_new,
        messages: messages
            .iter()
            .map(|m| MessageRow {
                id: m.id,
                event_type: m.event_type.clone(),
                status: status_label(&m.status, m.attempts),
                attempts: m.attempts,
                created: moment(m.created_at, zone),
                last: last_attempt(m),
                next: m
                    .next_attempt_at
                    .filter(|_| m.status == "pending")
                    .map(|t| {
                        if t <= now {
                            "now".to_string()
                        } else {
                            moment(t, zone)
                        }
                    }),
            })
            .collect(),
        status: status.unwrap_or("").to_string(),
        statuses: vec![
            ("", "All"),
            ("pending", "Sending or retrying"),
            ("delivered", "Delivered"),
            ("failed", "Failed"),
        ],
        older,
        allow_private: state.config.webhooks.allows_private(),
    });
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
    status: String,
    before: String,
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let before = match q.before.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            PageError(
                AppError::invalid("before", "That page of the delivery log does not exist."),
                layout(&state, "Webhook endpoint", u, None),
            )
        })?),
    };
    show_page(
        &state,
        u,
        id,
        ShowExtra {
            notice: q.notice,
            status: q.status,
            before,
            ..ShowExtra::default()
        },
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<EndpointFields>,
) -> Result<Response, PageError> {
    let u = user.user();
    // An unticked checkbox sends nothing: the form says it is present.
    let form = f.form(false);
    match webhooks::update(&state, u, id, &form).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/employer/webhooks/{id}?notice=webhook_saved")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            show_page(
                &state,
                u,
                id,
                ShowExtra {
                    typed: Some(Typed::of(&form)),
                    errors,
                    ..ShowExtra::default()
                },
            )
            .await
        }
        Err(e) => Err(PageError(e, layout(&state, "Webhook endpoint", u, None))),
    }
}

async fn reveal(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let secret = webhooks::reveal(&state, u, id)
        .await
        .map_err(|e| PageError(e, layout(&state, "Webhook endpoint", u, None)))?;
    show_page(&state, u, id, ShowExtra::secret(secret.to_string(), false)).await
}

async fn rotate(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let (_, secret) = webhooks::rotate(&state, u, id)
        .await
        .map_err(|e| PageError(e, layout(&state, "Webhook endpoint", u, None)))?;
    let mut extra = ShowExtra::secret(secret.to_string(), true);
    extra.notice = Some("webhook_rotated".into());
    show_page(&state, u, id, extra).await
}

async fn test(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let m = webhooks::send_test(&state, u, id)
        .await
        .map_err(|e| PageError(e, layout(&state, "Webhook endpoint", u, None)))?;
    let notice = if m.status == "delivered" {
        "webhook_test_delivered"
    } else {
        "webhook_test_failed"
    };
    Ok(Redirect::to(&format!(
        "/employer/webhooks/{id}/messages/{}?notice={notice}",
        m.id
    ))
    .into_response())
}

async fn delete_confirm(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Delete a webhook endpoint", u, None);
    let e = webhooks::get(&state, u, id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    if !is_owner(&state, u).await {
        return Err(PageError(
            AppError::Forbidden("Only the organization's owners can do this."),
            l,
        ));
    }
    Ok(super::money::confirm(super::money::ConfirmPage {
        heading: "Delete this endpoint?".into(),
        lead: format!("Stint stops sending events to {}.", e.url),
        rows: Vec::new(),
        total: None,
        then: vec![
            "Messages waiting to be sent or retried are dropped.".into(),
            "Its delivery log is deleted with it; the audit log keeps that you deleted it.".into(),
            "To pause deliveries instead, turn the endpoint off.".into(),
        ],
        action: format!("/employer/webhooks/{id}/delete"),
        hidden: Vec::new(),
        reason: None,
        errors: FieldErrors::default(),
        button: "Delete the endpoint".into(),
        danger: true,
        back: format!("/employer/webhooks/{id}"),
        layout: l,
    }))
}

async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    webhooks::delete(&state, u, id)
        .await
        .map_err(|e| PageError(e, layout(&state, "Webhooks", u, None)))?;
    Ok(Redirect::to("/employer/webhooks?notice=webhook_deleted").into_response())
}

struct AttemptRow {
    attempt: i32,
    manual: bool,
    at: String,
    outcome: String,
    ok: bool,
    duration_ms: i64,
    response: String,
}

#[derive(Template)]
#[template(path = "employer/webhook_message.html")]
struct MessagePage {
    layout: Layout,
    owner: bool,
    endpoint_id: i64,
    url: String,
    id: i64,
    msg_id: String,
    event_type: String,
    status: &'static str,
    created: String,
    next: Option<String>,
    payload: String,
    attempts: Vec<AttemptRow>,
}

fn two_ids(id: &str, message_id: &str) -> Option<(i64, i64)> {
    Some((id.parse().ok()?, message_id.parse().ok()?))
}

async fn message(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path((id, message_id)): axum::extract::Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Webhook message", u, q.notice.as_deref());
    let err = |e: AppError| PageError(e, l.clone());
    let (id, message_id) = two_ids(&id, &message_id).ok_or_else(|| err(AppError::NotFound))?;
    let e = webhooks::get(&state, u, id).await.map_err(err)?;
    let (m, attempts) = webhooks::message(&state, u, id, message_id)
        .await
        .map_err(err)?;
    let zone = u.time_zone.as_deref();
    // The exact bytes, not a re-serialization: that is what was signed.
    let payload = m.payload.clone();
    Ok(render(&MessagePage {
        layout: l.clone(),
        owner: is_owner(&state, u).await,
        endpoint_id: id,
        url: e.url,
        id: m.id,
        msg_id: m.msg_id.clone(),
        event_type: m.event_type.clone(),
        status: status_label(&m.status, m.attempts),
        created: moment(m.created_at, zone),
        next: m
            .next_attempt_at
            .filter(|_| m.status == "pending")
            .map(|t| moment(t, zone)),
        payload,
        attempts: attempts
            .iter()
            .map(|a| AttemptRow {
                attempt: a.attempt,
                manual: a.kind == "manual",
                at: moment(a.at, zone),
                outcome: outcome(a.status_code, a.error.as_deref(), "no answer"),
                ok: a.status_code.is_some_and(|c| (200..300).contains(&c)),
                duration_ms: a.duration_ms,
                response: a.response.clone(),
            })
            .collect(),
    }))
}

async fn redeliver(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path((id, message_id)): axum::extract::Path<(String, String)>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Webhook message", u, None);
    let (id, message_id) =
        two_ids(&id, &message_id).ok_or_else(|| PageError(AppError::NotFound, l.clone()))?;
    let m = webhooks::redeliver(&state, u, id, message_id)
        .await
        .map_err(|e| PageError(e, l))?;
    let notice = if m.last_status_code.is_some_and(|c| (200..300).contains(&c)) {
        "webhook_redelivered"
    } else {
        "webhook_redeliver_failed"
    };
    Ok(Redirect::to(&format!(
        "/employer/webhooks/{id}/messages/{message_id}?notice={notice}"
    ))
    .into_response())
}

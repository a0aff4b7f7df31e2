//! Webhooks: an employer organization's endpoints receive its events as
//! Standard Webhooks messages. [`emit`] writes one message per subscribed
//! endpoint and schedules a `webhook` job for each; the job runner of any
//! `stint serve` process claims it (so each attempt is made once) and
//! [`deliver`] sends it, retrying with back-off over about a day. Members see
//! the endpoints and the delivery log; owners add, change, rotate, reveal
//! the secret, send again and delete.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::FieldErrors;
use stint_domain::organization::MemberRole;
use stint_store::{
    AttemptRecord, EndpointInput, Engagement, StoreError, User, WebhookAttempt, WebhookEndpoint,
    WebhookMessage,
};
use stint_webhooks::{Message, Secret};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::authz::{require_employer_member, require_owner};
use crate::error::AppError;

/// The job kind that sends one message.
pub const WEBHOOK: &str = "webhook";
/// Endpoints an organization may have.
pub const MAX_ENDPOINTS: i64 = 10;
/// Days a delivery log keeps finished messages.
pub const LOG_DAYS: i64 = 30;
/// Messages shown per page of the delivery log.
pub const LOG_PAGE: i64 = 50;
/// How long a rotated secret keeps signing beside the new one.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;
/// The delay before each attempt: at once, then 5 seconds, 5 minutes, 30
/// minutes, 2, 5, 10 and 10 hours (the schedule Standard Webhooks
/// suggests): eight attempts over 27 hours and 35 minutes.
pub const BACKOFF_SECS: [i64; 8] = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/// Every event an endpoint can subscribe to, with what it means.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    (
        "application.submitted",
        "A student applied to one of your projects.",
    ),
    (
        "application.withdrawn",
        "A student withdrew their application.",
    ),
    (
        "engagement.hired",
        "A student was hired (by you, or by accepting a direct offer).",
    ),
    (
        "engagement.submitted",
        "The student submitted work for review.",
    ),
    (
        "engagement.approved",
        "Work was approved (by you, or automatically after the review days) and the price released.",
    ),
    ("engagement.cancelled", "An engagement was cancelled."),
    ("dispute.opened", "Either side raised a dispute."),
    ("dispute.resolved", "A Stint admin resolved a dispute."),
    ("offer.accepted", "A student accepted your offer of a role."),
    ("offer.declined", "A student declined your offer of a role."),
];
/// Sent only by "Send a test event", to the one endpoint.
pub const TEST_EVENT: &str = "webhook.test";

/// An application event's `data`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationData {
    pub application_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub student_id: i64,
    pub student_name: String,
    /// The application's status after the event: submitted | withdrawn
    pub status: String,
    /// Share of the project's required skills the student had (0–100).
    pub match_percent: u8,
}

/// An engagement or dispute event's `data`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EngagementData {
    pub engagement_id: i64,
    pub application_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub student_id: i64,
    pub student_name: String,
    /// The engagement's status after the event: active | submitted |
    /// revision_requested | approved | paid | cancelled | disputed | resolved
    pub status: String,
    /// The price in minor units (cents, paise, pence).
    pub price_minor: i64,
    /// ISO 4217
    pub currency: String,
    pub due_date: NaiveDate,
    /// dispute.resolved only: what the student was paid of the price, in
    /// minor units (the rest went back to you).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_to_student_minor: Option<i64>,
}

/// An offer event's `data`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferData {
    pub offer_id: i64,
    pub student_id: i64,
    pub student_name: String,
    /// internship | part_time | full_time
    pub kind: String,
    pub title: String,
    pub start_date: NaiveDate,
    /// accepted | accepted_elsewhere (outside Stint) | declined
    pub status: String,
}

/// `webhook.test`'s `data`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TestData {
    pub endpoint_id: i64,
    pub message: String,
}

/// What every message's body is: `type`, `timestamp` (when the event
/// happened) and `data`, as Standard Webhooks suggests.
#[derive(Debug, Clone, Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    timestamp: DateTime<Utc>,
    data: &'a T,
}

/// An event one of Stint's steps emits.
#[derive(Debug, Clone)]
pub enum Event {
    Application(&'static str, ApplicationData),
    Engagement(&'static str, EngagementData),
    Offer(&'static str, OfferData),
}

impl Event {
    fn kind(&self) -> &'static str {
        match self {
            Event::Application(k, _) | Event::Engagement(k, _) | Event::Offer(k, _) => k,
        }
    }

    fn body(&self, at: DateTime<Utc>) -> Result<String, serde_json::Error> {
        let kind = self.kind();
        match self {
            Event::Application(_, d) => serde_json::to_string(&Envelope {
                kind,
                timestamp: at,
                data: d,
            }),
            Event::Engagement(_, d) => serde_json::to_string(&Envelope {
                kind,
                timestamp: at,
                data: d,
            }),
            Event::Offer(_, d) => serde_json::to_string(&Envelope {
                kind,
                timestamp: at,
                data: d,
            }),
        }
    }
}

/// The event for an application (its status as it is now).
pub fn application_event(kind: &'static str, a: &stint_store::Application) -> Event {
    Event::Application(
        kind,
        ApplicationData {
            application_id: a.id,
            project_id: a.project_id,
            project_title: a.project_title.clone(),
            student_id: a.student_id,
            student_name: a.student_name.clone(),
            status: a.status.as_str().to_string(),
            match_percent: a.match_percent,
        },
    )
}

/// Writes the event's messages for `org_id`'s subscribed endpoints and
/// wakes the job runner. What Stint did has already happened, so a failure
/// here is logged and recorded for admins, never returned to the person.
pub async fn emit(state: &AppState, org_id: i64, event: Event) {
    let kind = event.kind();
    let result = async {
        let body = event
            .body(state.clock.now())
            .map_err(|e| AppError::Internal(format!("webhook body: {e}")))?;
        let ids = state
            .store
            .enqueue_webhook_messages(org_id, kind, &body, None, || {
                stint_webhooks::new_message_id().unwrap_or_else(|_| {
                    format!(
                        "msg_{}",
                        Utc::now().timestamp_nanos_opt().unwrap_or_default()
                    )
                })
            })
            .await?;
        for id in &ids {
            state
                .store
                .schedule_job(WEBHOOK, *id, state.clock.now())
                .await?;
        }
        if !ids.is_empty() {
            state.hooks_wake.notify_one();
        }
        Ok::<_, AppError>(())
    }
    .await;
    super::jobs::for_each_recipient(state, WEBHOOK, org_id, format!("event {kind}"), result).await;
}

/// The event for an engagement as it is now (read again after the step).
pub async fn emit_engagement(
    state: &AppState,
    kind: &'static str,
    engagement_id: i64,
    paid_to_student_minor: Option<i64>,
) {
    let read = async {
        let e: Engagement = state.store.engagement(engagement_id).await?;
        let a = state.store.application(e.application_id).await?;
        Ok::<_, AppError>((e, a))
    }
    .await;
    let (e, a) = match read {
        Ok(x) => x,
        Err(err) => {
            super::jobs::for_each_recipient(
                state,
                WEBHOOK,
                engagement_id,
                format!("event {kind}"),
                Err(err),
            )
            .await;
            return;
        }
    };
    let data = EngagementData {
        engagement_id: e.id,
        application_id: e.application_id,
        project_id: e.project_id,
        project_title: a.project_title,
        student_id: e.student_id,
        student_name: a.student_name,
        status: e.status.as_str().to_string(),
        price_minor: e.price.minor,
        currency: e.price.currency.code().to_string(),
        due_date: e.due_date,
        paid_to_student_minor,
    };
    emit(state, e.org_id, Event::Engagement(kind, data)).await;
}

/// What a signing secret is sealed for: the organization, so a sealed
/// secret moved to another organization's row does not open.
fn purpose(org_id: i64) -> String {
    format!("webhook:{org_id}")
}

fn open_secret(state: &AppState, org_id: i64, sealed: &str) -> Result<Secret, AppError> {
    let plain = state
        .config
        .sealer
        .open(&purpose(org_id), sealed)
        .map_err(|e| AppError::Internal(format!("webhook secret of organization {org_id}: {e}")))?;
    let text = String::from_utf8(plain)
        .map_err(|_| AppError::Internal("webhook secret is not text".into()))?;
    Secret::parse(&text).map_err(|e| AppError::Internal(format!("webhook secret: {e}")))
}

fn seal_secret(state: &AppState, org_id: i64, secret: &Secret) -> Result<String, AppError> {
    state
        .config
        .sealer
        .seal(&purpose(org_id), secret.to_string().as_bytes())
        .map_err(|e| AppError::Internal(format!("sealing a webhook secret: {e}")))
}

/// Messages one process sends at the same time.
pub const AT_ONCE: usize = 32;
/// Messages to one endpoint in flight at once (across processes, as far as
/// their claims show), so a slow receiver holds up only its own messages.
pub const PER_ENDPOINT: i64 = 4;
/// A claim outlives the longest attempt (the timeout is at most 30 s).
const LEASE_SECS: i64 = 120;
const MAX_CLAIMS: i32 = 5;

/// Claims up to `limit` due messages and sends them side by side, waiting
/// for every answer; returns how many attempts ran. Tests and tools call
/// it; `stint serve` runs [`run_worker`].
pub async fn deliver_due(state: &AppState, limit: usize) -> Result<usize, AppError> {
    let jobs = claim(state, limit).await?;
    let mut set = tokio::task::JoinSet::new();
    for job in jobs {
        let state = state.clone();
        set.spawn(async move {
            let result = deliver(&state, job.subject_id).await;
            super::jobs::settle(&state, &job, result).await
        });
    }
    let mut done = 0;
    while let Some(joined) = set.join_next().await {
        if matches!(joined, Ok(Ok(true))) {
            done += 1;
        }
    }
    Ok(done)
}

async fn claim(state: &AppState, limit: usize) -> Result<Vec<stint_store::Job>, AppError> {
    let now = state.clock.now();
    if limit == 0 || !state.store.webhook_jobs_due(now).await? {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .claim_webhook_jobs(
            now,
            MAX_CLAIMS,
            i64::try_from(limit).unwrap_or(i64::MAX),
            PER_ENDPOINT,
            Duration::seconds(LEASE_SECS),
        )
        .await?)
}

/// The webhook worker of a `stint serve` process: keeps up to [`AT_ONCE`]
/// messages in flight, claiming more as senders free up, when a message is
/// written, and every two seconds for retries that came due. Messages wait
/// for no other job and a slow endpoint only for itself.
pub async fn run_worker(state: AppState) {
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    loop {
        let free = permits.available_permits();
        let jobs = match claim(&state, free).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::error!(error = %e, "claiming webhook messages failed");
                Vec::new()
            }
        };
        let full = free > 0 && jobs.len() == free;
        for job in jobs {
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                break; // cannot happen: as many permits as claims
            };
            let state = state.clone();
            tokio::spawn(async move {
                let result = deliver(&state, job.subject_id).await;
                if let Err(e) = super::jobs::settle(&state, &job, result).await {
                    tracing::error!(error = %e, "recording a webhook attempt failed");
                }
                drop(permit);
                state.hooks_wake.notify_one();
            });
        }
        if full {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
            _ = state.hooks_wake.notified() => {}
        }
    }
}

/// The job: one scheduled attempt of message `id`.
pub async fn deliver(state: &AppState, id: i64) -> Result<(), AppError> {
    let Some(m) = state.store.outgoing_webhook(id).await? else {
        // The endpoint was deleted.
        state.store.forget_job(WEBHOOK, id).await?;
        return Ok(());
    };
    if m.status != "pending" {
        // Delivered by hand meanwhile, or given up.
        state.store.forget_job(WEBHOOK, id).await?;
        return Ok(());
    }
    let now = state.clock.now();
    if !m.active {
        state
            .store
            .record_webhook_attempt(
                id,
                &AttemptRecord {
                    kind: "scheduled",
                    at: now,
                    status_code: None,
                    duration_ms: 0,
                    error: Some("not sent: the endpoint is turned off"),
                    response: "",
                    status: "failed",
                    next_attempt_at: None,
                },
            )
            .await?;
        state.store.forget_job(WEBHOOK, id).await?;
        return Ok(());
    }
    let done = usize::try_from(state.store.scheduled_webhook_attempts(id).await?).unwrap_or(0);
    let attempt = send(state, &m).await?;
    let next = BACKOFF_SECS
        .get(done + 1)
        .map(|s| now + Duration::seconds(*s));
    let status = if attempt.succeeded() {
        "delivered"
    } else if next.is_some() {
        "pending"
    } else {
        "failed"
    };
    let next = if status == "pending" { next } else { None };
    let record = recorded(&attempt, "scheduled", now, status, next);
    state.store.record_webhook_attempt(id, &record).await?;
    if let Some(at) = next {
        // Moving the job's own time keeps it due (see `finish_job`).
        state.store.schedule_job(WEBHOOK, id, at).await?;
    } else {
        // Finished: the job row is not kept (a busy endpoint makes many).
        state.store.forget_job(WEBHOOK, id).await?;
    }
    if status != "delivered" {
        tracing::info!(message = id, status = ?attempt.status, error = ?attempt.error, "webhook attempt failed");
    }
    if status == "failed" {
        given_up(state, &m, &attempt).await?;
    }
    Ok(())
}

/// Tells the organization's owners that a message was given up, once a
/// day at most per endpoint (the first failure after a quiet day): later
/// events are still sent, and each failed one can be sent again by hand.
async fn given_up(
    state: &AppState,
    m: &stint_store::OutgoingWebhook,
    last: &stint_webhooks::Attempt,
) -> Result<(), AppError> {
    let since = Utc::now() - Duration::hours(24);
    if state
        .store
        .failed_webhook_messages(m.endpoint_id, since)
        .await?
        != 1
    {
        return Ok(());
    }
    let answer = match (last.status, &last.error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".into(),
    };
    let title = "Webhook messages are not getting through";
    let body = format!(
        "Stint gave up on a message to {} after {} attempts over about a day (the last answer: {answer}). New events are still sent. Fix the endpoint, then send the failed messages again from its delivery log.",
        m.url,
        BACKOFF_SECS.len()
    );
    let link = format!("/employer/webhooks/{}?status=failed", m.endpoint_id);
    for (user_id, _, _, role) in state.store.org_members(m.org_id).await? {
        if MemberRole::parse(&role) == Some(MemberRole::Owner) {
            let sent = super::notify::send(
                state,
                user_id,
                super::notify::Kind::Webhook,
                title,
                &body,
                &link,
            )
            .await;
            super::jobs::for_each_recipient(state, WEBHOOK, m.id, format!("owner {user_id}"), sent)
                .await;
        }
    }
    Ok(())
}

/// An attempt as the log keeps it.
fn recorded<'a>(
    attempt: &'a stint_webhooks::Attempt,
    kind: &'a str,
    at: DateTime<Utc>,
    status: &'a str,
    next_attempt_at: Option<DateTime<Utc>>,
) -> AttemptRecord<'a> {
    AttemptRecord {
        kind,
        at,
        status_code: attempt.status.map(i32::from),
        duration_ms: attempt.duration_ms,
        error: attempt.error.as_deref(),
        response: &attempt.response,
        status,
        next_attempt_at,
    }
}

/// Sends one attempt with the endpoint's secrets (the newest first; a
/// rotated one too while it is honoured), signed with the real time: the
/// receiver compares it with its own clock.
async fn send(
    state: &AppState,
    m: &stint_store::OutgoingWebhook,
) -> Result<stint_webhooks::Attempt, AppError> {
    let current = open_secret(state, m.org_id, &m.secret_sealed)?;
    let previous = match (&m.previous_secret_sealed, m.previous_until) {
        (Some(sealed), Some(until)) if until > state.clock.now() => {
            Some(open_secret(state, m.org_id, sealed)?)
        }
        _ => None,
    };
    let mut secrets = vec![&current];
    if let Some(p) = &previous {
        secrets.push(p);
    }
    let message = Message {
        id: &m.msg_id,
        body: m.payload.as_bytes(),
        secrets: &secrets,
    };
    Ok(state
        .config
        .webhooks
        .send(&m.url, &message, Utc::now().timestamp())
        .await)
}

/// An endpoint as typed: parsed and checked, every problem named.
#[derive(Debug, Clone, Default)]
pub struct EndpointForm {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub active: bool,
}

impl EndpointForm {
    pub fn parse(&self, allow_private: bool) -> Result<EndpointInput, AppError> {
        let mut errors = FieldErrors::new();
        let url = match stint_webhooks::check_url(&self.url, allow_private) {
            Ok(u) => Some(u.to_string()),
            Err(e) => {
                errors.add("url", e.to_string());
                None
            }
        };
        let description = self.description.trim().to_string();
        if description.chars().count() > 200 {
            errors.add("description", "Keep the description to 200 characters.");
        }
        if stint_domain::text::has_control(&description) {
            errors.add(
                "description",
                "The description cannot contain control characters.",
            );
        }
        let mut events: Vec<String> = Vec::new();
        for e in &self.events {
            let e = e.trim();
            if EVENT_TYPES.iter().any(|(k, _)| *k == e) {
                if !events.iter().any(|x| x == e) {
                    events.push(e.to_string());
                }
            } else {
                errors.add(
                    "events",
                    format!(
                        "\"{}\" is not an event Stint sends; choose from {}.",
                        e.chars().take(60).collect::<String>(),
                        EVENT_TYPES
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                break;
            }
        }
        if events.is_empty() && errors.get("events").is_none() {
            errors.add("events", "Choose at least one event to receive.");
        }
        events.sort();
        match url {
            Some(url) if errors.is_empty() => Ok(EndpointInput {
                url,
                description,
                events,
                active: self.active,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// The caller's organization's endpoints (employer members).
pub async fn list(state: &AppState, user: &User) -> Result<Vec<WebhookEndpoint>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.webhook_endpoints(m.org.id).await?)
}

/// One endpoint of the caller's organization.
pub async fn get(state: &AppState, user: &User, id: i64) -> Result<WebhookEndpoint, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.webhook_endpoint(m.org.id, id).await?)
}

/// Adds an endpoint (owners); returns it with its new secret.
pub async fn create(
    state: &AppState,
    user: &User,
    form: &EndpointForm,
) -> Result<(WebhookEndpoint, Secret), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    require_owner(&m)?;
    let input = form.parse(state.config.webhooks.allows_private())?;
    let secret = Secret::generate().map_err(|e| AppError::Internal(e.to_string()))?;
    let sealed = seal_secret(state, m.org.id, &secret)?;
    let id = state
        .store
        .create_webhook_endpoint(m.org.id, user.id, &input, &sealed, MAX_ENDPOINTS)
        .await
        .map_err(|e| match e {
            StoreError::Conflict("too_many_endpoints") => AppError::conflict(
                "too_many_endpoints",
                format!("An organization can have {MAX_ENDPOINTS} endpoints; delete one you no longer use first."),
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.created",
            "webhook_endpoint",
            id,
            &input.url,
        )
        .await?;
    Ok((state.store.webhook_endpoint(m.org.id, id).await?, secret))
}

/// Changes an endpoint's address, description, events or whether it is on
/// (owners).
pub async fn update(
    state: &AppState,
    user: &User,
    id: i64,
    form: &EndpointForm,
) -> Result<WebhookEndpoint, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    state.store.webhook_endpoint(m.org.id, id).await?;
    require_owner(&m)?;
    let input = form.parse(state.config.webhooks.allows_private())?;
    state
        .store
        .update_webhook_endpoint(m.org.id, id, &input)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.updated",
            "webhook_endpoint",
            id,
            &format!(
                "{} ({})",
                input.url,
                if input.active { "on" } else { "off" }
            ),
        )
        .await?;
    Ok(state.store.webhook_endpoint(m.org.id, id).await?)
}

/// A new secret (owners); the old one keeps signing beside it for
/// [`ROTATION_OVERLAP_HOURS`].
pub async fn rotate(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(WebhookEndpoint, Secret), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    state.store.webhook_endpoint(m.org.id, id).await?;
    require_owner(&m)?;
    let secret = Secret::generate().map_err(|e| AppError::Internal(e.to_string()))?;
    let sealed = seal_secret(state, m.org.id, &secret)?;
    let until = state.clock.now() + Duration::hours(ROTATION_OVERLAP_HOURS);
    state
        .store
        .rotate_webhook_secret(m.org.id, id, &sealed, until)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.secret_rotated",
            "webhook_endpoint",
            id,
            "",
        )
        .await?;
    Ok((state.store.webhook_endpoint(m.org.id, id).await?, secret))
}

/// The endpoint's current secret (owners; the audit log records who looked).
pub async fn reveal(state: &AppState, user: &User, id: i64) -> Result<Secret, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let e = state.store.webhook_endpoint(m.org.id, id).await?;
    require_owner(&m)?;
    let secret = open_secret(state, m.org.id, &e.secret_sealed)?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.secret_revealed",
            "webhook_endpoint",
            id,
            "",
        )
        .await?;
    Ok(secret)
}

/// Deletes an endpoint with its delivery log (owners).
pub async fn delete(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let e = state.store.webhook_endpoint(m.org.id, id).await?;
    require_owner(&m)?;
    state.store.delete_webhook_endpoint(m.org.id, id).await?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.deleted",
            "webhook_endpoint",
            id,
            &e.url,
        )
        .await?;
    Ok(())
}

/// A status filter for the delivery log, as typed.
pub fn parse_status(raw: &str) -> Result<Option<&'static str>, AppError> {
    match raw.trim() {
        "" | "all" => Ok(None),
        "pending" => Ok(Some("pending")),
        "delivered" => Ok(Some("delivered")),
        "failed" => Ok(Some("failed")),
        _ => Err(AppError::invalid(
            "status",
            "The status is one of pending, delivered or failed.",
        )),
    }
}

/// One page of an endpoint's delivery log (members), newest first.
pub async fn messages(
    state: &AppState,
    user: &User,
    endpoint_id: i64,
    status: Option<&str>,
    before: Option<i64>,
) -> Result<Vec<WebhookMessage>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    state.store.webhook_endpoint(m.org.id, endpoint_id).await?;
    Ok(state
        .store
        .webhook_messages(m.org.id, endpoint_id, status, before, LOG_PAGE)
        .await?)
}

/// One message with its attempts (members).
pub async fn message(
    state: &AppState,
    user: &User,
    endpoint_id: i64,
    id: i64,
) -> Result<(WebhookMessage, Vec<WebhookAttempt>), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let msg = state.store.webhook_message(m.org.id, id).await?;
    if msg.endpoint_id != endpoint_id {
        return Err(AppError::NotFound);
    }
    let attempts = state.store.webhook_attempts(id).await?;
    Ok((msg, attempts))
}

/// Sends a message again now, whatever its status (owners), and waits for
/// the answer; a success marks it delivered and stops its retries.
pub async fn redeliver(
    state: &AppState,
    user: &User,
    endpoint_id: i64,
    id: i64,
) -> Result<WebhookMessage, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let msg = state.store.webhook_message(m.org.id, id).await?;
    if msg.endpoint_id != endpoint_id {
        return Err(AppError::NotFound);
    }
    require_owner(&m)?;
    let Some(out) = state.store.outgoing_webhook(id).await? else {
        return Err(AppError::NotFound);
    };
    send_by_hand(state, &out).await?;
    state
        .store
        .audit(
            Some(user.id),
            "webhook.redelivered",
            "webhook_message",
            id,
            &msg.msg_id,
        )
        .await?;
    Ok(state.store.webhook_message(m.org.id, id).await?)
}

/// One manual attempt: a success delivers the message; a failure leaves a
/// pending message to its schedule and a finished one as it was.
async fn send_by_hand(
    state: &AppState,
    out: &stint_store::OutgoingWebhook,
) -> Result<(), AppError> {
    let attempt = send(state, out).await?;
    let status = if attempt.succeeded() {
        "delivered"
    } else {
        out.status.as_str()
    };
    // A pending message keeps its next scheduled time.
    let keep_next = if status == "pending" {
        state
            .store
            .webhook_message(out.org_id, out.id)
            .await?
            .next_attempt_at
    } else {
        None
    };
    state
        .store
        .record_webhook_attempt(
            out.id,
            &recorded(&attempt, "manual", state.clock.now(), status, keep_next),
        )
        .await?;
    Ok(())
}

/// Sends a `webhook.test` message to one endpoint now (owners) and waits
/// for the answer. It is not retried.
pub async fn send_test(
    state: &AppState,
    user: &User,
    endpoint_id: i64,
) -> Result<WebhookMessage, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    state.store.webhook_endpoint(m.org.id, endpoint_id).await?;
    require_owner(&m)?;
    let data = TestData {
        endpoint_id,
        message: format!("A test event sent by {} from Stint.", user.name),
    };
    let body = serde_json::to_string(&Envelope {
        kind: TEST_EVENT,
        timestamp: state.clock.now(),
        data: &data,
    })
    .map_err(|e| AppError::Internal(format!("webhook body: {e}")))?;
    let ids = state
        .store
        .enqueue_webhook_messages(m.org.id, TEST_EVENT, &body, Some(endpoint_id), || {
            stint_webhooks::new_message_id().unwrap_or_default()
        })
        .await?;
    let Some(id) = ids.first().copied() else {
        return Err(AppError::conflict(
            "endpoint_off",
            "This endpoint is turned off; turn it on to send a test event.",
        ));
    };
    let Some(out) = state.store.outgoing_webhook(id).await? else {
        return Err(AppError::NotFound);
    };
    let attempt = send(state, &out).await?;
    state
        .store
        .record_webhook_attempt(
            id,
            &recorded(
                &attempt,
                "manual",
                state.clock.now(),
                if attempt.succeeded() {
                    "delivered"
                } else {
                    "failed"
                },
                None,
            ),
        )
        .await?;
    Ok(state.store.webhook_message(m.org.id, id).await?)
}

/// The events an endpoint receives, as a list.
pub fn events_of(e: &WebhookEndpoint) -> Vec<&str> {
    e.events.split(' ').filter(|s| !s.is_empty()).collect()
}

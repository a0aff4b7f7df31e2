//! Webhook endpoints, their secrets and delivery logs (employer
//! organizations; changes by owners). The events themselves are described
//! in the document's `webhooks` section (see [`webhooks_section`]).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::webhooks::{self, EVENT_TYPES, EndpointForm};
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(event_types))
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(get_endpoint, update_endpoint, delete_endpoint))
        .routes(routes!(rotate_secret))
        .routes(routes!(reveal_secret))
        .routes(routes!(send_test))
        .routes(routes!(list_messages))
        .routes(routes!(get_message))
        .routes(routes!(redeliver))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEventType {
    /// e.g. `application.submitted`
    name: &'static str,
    description: &'static str,
}

/// The events an endpoint can subscribe to. Each is described, with its
/// body, in this document's `webhooks` section.
#[utoipa::path(get, path = "/webhook-events", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookEventType>)))]
async fn event_types() -> Json<Vec<WebhookEventType>> {
    Json(
        EVENT_TYPES
            .iter()
            .map(|(name, description)| WebhookEventType { name, description })
            .collect(),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointView {
    id: i64,
    /// Where messages are posted (https).
    url: String,
    description: String,
    /// The event types it receives.
    events: Vec<String>,
    /// Off: no new messages are made for it, and waiting ones are not sent.
    active: bool,
    /// While a rotated secret still signs beside the current one.
    previous_secret_until: Option<DateTime<Utc>>,
    /// The newest message's status (pending | delivered | failed).
    last_status: Option<String>,
    last_at: Option<DateTime<Utc>>,
    /// Messages that finally failed in the last 7 days.
    failed_recently: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<stint_store::WebhookEndpoint> for WebhookEndpointView {
    fn from(e: stint_store::WebhookEndpoint) -> Self {
        WebhookEndpointView {
            id: e.id,
            events: webhooks::events_of(&e)
                .into_iter()
                .map(String::from)
                .collect(),
            url: e.url,
            description: e.description,
            active: e.active,
            previous_secret_until: e.previous_until.filter(|u| *u > Utc::now()),
            last_status: e.last_status,
            last_at: e.last_at,
            failed_recently: e.failed_recently,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSecretView {
    /// `whsec_` and base64 of 32 random bytes: give it to your receiver's
    /// Standard Webhooks library.
    secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointCreated {
    endpoint: WebhookEndpointView,
    /// The signing secret (owners can read it again at
    /// `/webhooks/{id}/secret`).
    secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookEndpointRequest {
    /// An https address of yours (private, loopback and link-local
    /// addresses are refused).
    url: String,
    /// Up to 200 characters, for your own reference.
    #[serde(default)]
    description: String,
    /// Event types to receive (see `/webhook-events`), at least one.
    events: Vec<String>,
    /// Defaults to true.
    #[serde(default)]
    active: Option<bool>,
}

impl WebhookEndpointRequest {
    fn form(self) -> EndpointForm {
        EndpointForm {
            url: self.url,
            description: self.description,
            events: self.events,
            active: self.active.unwrap_or(true),
        }
    }
}

/// The organization's endpoints (employer members).
#[utoipa::path(get, path = "/webhooks", tag = "webhooks", security(("bearer" = [])),
    responses((status = 200, body = Vec<WebhookEndpointView>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn list_endpoints(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<WebhookEndpointView>>, ApiError> {
    let list = webhooks::list(&state, &caller.user).await?;
    Ok(Json(
        list.into_iter().map(WebhookEndpointView::from).collect(),
    ))
}

/// Add an endpoint (organization owners, at most 10). The answer carries
/// its signing secret.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", security(("bearer" = [])),
    request_body = WebhookEndpointRequest,
    responses((status = 201, body = WebhookEndpointCreated), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_endpoint(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<WebhookEndpointRequest>,
) -> Result<(StatusCode, Json<WebhookEndpointCreated>), ApiError> {
    let (e, secret) = webhooks::create(&state, &caller.user, &body.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookEndpointCreated {
            endpoint: e.into(),
            secret: secret.to_string(),
        }),
    ))
}

/// One endpoint (employer members).
#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WebhookEndpointView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn get_endpoint(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WebhookEndpointView>, ApiError> {
    Ok(Json(webhooks::get(&state, &caller.user, id).await?.into()))
}

/// Replace an endpoint's address, description, events and whether it is
/// on (organization owners).
#[utoipa::path(put, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = WebhookEndpointRequest,
    responses((status = 200, body = WebhookEndpointView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_endpoint(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<WebhookEndpointRequest>,
) -> Result<Json<WebhookEndpointView>, ApiError> {
    Ok(Json(
        webhooks::update(&state, &caller.user, id, &body.form())
            .await?
            .into(),
    ))
}

/// Delete an endpoint and its delivery log (organization owners).
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_endpoint(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    webhooks::delete(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new signing secret (organization owners). The previous one keeps
/// signing beside it for 24 hours, so messages carry two signatures while
/// your receiver switches.
#[utoipa::path(post, path = "/webhooks/{id}/rotate-secret", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WebhookEndpointCreated), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn rotate_secret(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WebhookEndpointCreated>, ApiError> {
    let (e, secret) = webhooks::rotate(&state, &caller.user, id).await?;
    Ok(Json(WebhookEndpointCreated {
        endpoint: e.into(),
        secret: secret.to_string(),
    }))
}

/// The endpoint's current signing secret (organization owners; each
/// reading is in the audit log).
#[utoipa::path(get, path = "/webhooks/{id}/secret", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WebhookSecretView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn reveal_secret(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WebhookSecretView>, ApiError> {
    let secret = webhooks::reveal(&state, &caller.user, id).await?;
    Ok(Json(WebhookSecretView {
        secret: secret.to_string(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookMessageView {
    id: i64,
    /// The `webhook-id` header: the same on every attempt.
    msg_id: String,
    event_type: String,
    /// pending (another attempt is scheduled) | delivered | failed (given up)
    status: String,
    attempts: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    /// The newest attempt's answer, if the receiver answered.
    last_status_code: Option<i32>,
    last_error: Option<String>,
    last_duration_ms: Option<i64>,
}

impl From<stint_store::WebhookMessage> for WebhookMessageView {
    fn from(m: stint_store::WebhookMessage) -> Self {
        WebhookMessageView {
            id: m.id,
            msg_id: m.msg_id,
            event_type: m.event_type,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            created_at: m.created_at,
            delivered_at: m.delivered_at,
            last_status_code: m.last_status_code,
            last_error: m.last_error,
            last_duration_ms: m.last_duration_ms,
        }
    }
}

/// Send a `webhook.test` message to the endpoint now and wait for the
/// answer (organization owners). It is not retried.
#[utoipa::path(post, path = "/webhooks/{id}/test", tag = "webhooks", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WebhookMessageView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn send_test(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WebhookMessageView>, ApiError> {
    Ok(Json(
        webhooks::send_test(&state, &caller.user, id).await?.into(),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct MessagesParams {
    /// pending | delivered | failed
    status: String,
    /// A message id from the previous page's `next_before`.
    before: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookMessagePage {
    items: Vec<WebhookMessageView>,
    /// Pass as `before` for the next (older) page; absent on the last.
    next_before: Option<i64>,
}

/// The endpoint's delivery log, newest first, 50 a page (employer members).
#[utoipa::path(get, path = "/webhooks/{id}/messages", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path), MessagesParams),
    responses((status = 200, body = WebhookMessagePage), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn list_messages(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiQuery(q): ApiQuery<MessagesParams>,
) -> Result<Json<WebhookMessagePage>, ApiError> {
    let status = webhooks::parse_status(&q.status)?;
    let before = match q.before.trim() {
        "" => None,
        s => Some(s.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            AppError::invalid("before", "`before` is a message id from `next_before`.")
        })?),
    };
    let items = webhooks::messages(&state, &caller.user, id, status, before).await?;
    let next_before = (items.len() as i64 == webhooks::LOG_PAGE)
        .then(|| items.last().map(|m| m.id))
        .flatten();
    Ok(Json(WebhookMessagePage {
        items: items.into_iter().map(WebhookMessageView::from).collect(),
        next_before,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptView {
    attempt: i32,
    /// scheduled | manual (sent again or a test by a member)
    kind: String,
    at: DateTime<Utc>,
    status_code: Option<i32>,
    duration_ms: i64,
    error: Option<String>,
    /// The start of the receiver's answer (up to 500 bytes).
    response: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookMessageDetail {
    message: WebhookMessageView,
    /// The exact body sent.
    payload: String,
    attempts: Vec<WebhookAttemptView>,
}

fn two_ids(id: &str, message_id: &str) -> Result<(i64, i64), ApiError> {
    match (id.parse::<i64>(), message_id.parse::<i64>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound.into()),
    }
}

fn detail(
    m: stint_store::WebhookMessage,
    attempts: Vec<stint_store::WebhookAttempt>,
) -> WebhookMessageDetail {
    WebhookMessageDetail {
        payload: m.payload.clone(),
        message: m.into(),
        attempts: attempts
            .into_iter()
            .map(|a| WebhookAttemptView {
                attempt: a.attempt,
                kind: a.kind,
                at: a.at,
                status_code: a.status_code,
                duration_ms: a.duration_ms,
                error: a.error,
                response: a.response,
            })
            .collect(),
    }
}

/// One message with its body and every attempt (employer members).
#[utoipa::path(get, path = "/webhooks/{id}/messages/{message_id}", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = WebhookMessageDetail), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn get_message(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path((id, message_id)): axum::extract::Path<(String, String)>,
) -> Result<Json<WebhookMessageDetail>, ApiError> {
    let (id, message_id) = two_ids(&id, &message_id)?;
    let (m, attempts) = webhooks::message(&state, &caller.user, id, message_id).await?;
    Ok(Json(detail(m, attempts)))
}

/// Send a message again now, whatever its status, and wait for the answer
/// (organization owners). Same `webhook-id`, new timestamp and signature.
#[utoipa::path(post, path = "/webhooks/{id}/messages/{message_id}/redeliver", tag = "webhooks", security(("bearer" = [])),
    params(("id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = WebhookMessageDetail), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn redeliver(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path((id, message_id)): axum::extract::Path<(String, String)>,
) -> Result<Json<WebhookMessageDetail>, ApiError> {
    let (id, message_id) = two_ids(&id, &message_id)?;
    webhooks::redeliver(&state, &caller.user, id, message_id).await?;
    let (m, attempts) = webhooks::message(&state, &caller.user, id, message_id).await?;
    Ok(Json(detail(m, attempts)))
}

/// What a message's body is, per event (for the document's components).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationWebhook {
    /// application.submitted | application.withdrawn
    #[serde(rename = "type")]
    kind: String,
    /// When the event happened.
    timestamp: DateTime<Utc>,
    data: webhooks::ApplicationData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementWebhook {
    /// engagement.hired | engagement.submitted | engagement.approved |
    /// engagement.cancelled | dispute.opened | dispute.resolved
    #[serde(rename = "type")]
    kind: String,
    timestamp: DateTime<Utc>,
    data: webhooks::EngagementData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferWebhook {
    /// offer.accepted | offer.declined
    #[serde(rename = "type")]
    kind: String,
    timestamp: DateTime<Utc>,
    data: webhooks::OfferData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestWebhook {
    /// webhook.test
    #[serde(rename = "type")]
    kind: String,
    timestamp: DateTime<Utc>,
    data: webhooks::TestData,
}

/// The document's `webhooks` section: one entry per event type, each a
/// POST Stint makes to the endpoint with the three Standard Webhooks headers.
pub fn webhooks_section() -> Value {
    let header = |name: &str, description: &str| {
        json!({"name": name, "in": "header", "required": true, "description": description,
               "schema": {"type": "string"}})
    };
    let mut section = serde_json::Map::new();
    let events = EVENT_TYPES
        .iter()
        .map(|(k, d)| (*k, *d))
        .chain(std::iter::once((
            webhooks::TEST_EVENT,
            "Sent only by \"Send a test event\" on one endpoint.",
        )));
    for (kind, description) in events {
        let schema = match kind.split('.').next() {
            Some("application") => "ApplicationWebhook",
            Some("engagement" | "dispute") => "EngagementWebhook",
            Some("offer") => "OfferWebhook",
            _ => "TestWebhook",
        };
        section.insert(
            kind.to_string(),
            json!({"post": {
                "operationId": format!("webhook_{}", kind.replace('.', "_")),
                "tags": ["webhooks"],
                "summary": kind,
                "description": format!(
                    "{description} Stint posts this to each active endpoint subscribed to `{kind}`. \
                     Verify the signature before trusting the body: `webhook-signature` holds one or more \
                     space-separated `v1,<base64>` values, each the HMAC-SHA256 of `{{webhook-id}}.{{webhook-timestamp}}.{{body}}` \
                     under the base64-decoded part of your `whsec_` secret (any Standard Webhooks library does this). \
                     Answer 2xx within the timeout (10 seconds by default); anything else is retried after 5 seconds, \
                     5 minutes, 30 minutes, 2, 5, 10 and 10 hours, with the same `webhook-id`, so deduplicate on it. \
                     Messages go out side by side and may arrive out of order: the body's `timestamp` is when the event happened."
                ),
                "parameters": [
                    header("webhook-id", "The message's id (`msg_…`), the same on every attempt."),
                    header("webhook-timestamp", "When this attempt was signed, in Unix seconds; refuse old ones (five minutes is usual)."),
                    header("webhook-signature", "`v1,<base64>` signatures, space-separated (two while a rotated secret is honoured)."),
                ],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{schema}")}}}},
                "responses": {"2XX": {"description": "Received. Any other status, or none in time, is retried."}}
            }}),
        );
    }
    Value::Object(section)
}

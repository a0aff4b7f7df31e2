//! The JSON API under `/api/v1`. Every handler is annotated for the OpenAPI
//! document, which is generated from this code and served at
//! `/api/v1/openapi.json` (browsable at `/api/docs`).

mod admin;
mod analytics;
mod applications;
mod auth;
mod credentials;
mod credit;
mod discovery;
pub mod doc;
mod engagements;
mod lti;
mod me;
mod offers;
mod orgs;
mod outcomes;
mod payments;
mod portfolio;
mod privacy;
pub(crate) mod problem;
mod projects;
mod records;
mod sso;
mod talent;
mod taxonomy;
mod universities;
pub mod views;
mod webhooks;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use problem::{ApiError, ApiId, ApiJson, ApiQuery, Problem};

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Stint API",
        version = "1",
        description = "Micro-internships: accounts, profiles, organizations and projects. Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Every error is RFC 9457 `application/problem+json` with a stable `code` (`validation_failed` lists each field in `errors`). Bodies are JSON objects; text may not contain control characters other than line breaks and tabs. Lists use cursor pagination: pass `next_cursor` back as `cursor`. Any POST may carry an `Idempotency-Key` header (1–255 visible ASCII characters): a retry with the same key within 24 hours gets the first answer back (with `Idempotent-Replayed: true`) instead of repeating the action; the same key on a different request is refused with 422 `idempotency_key_reused`, and a retry while the first still runs gets 409 `idempotency_request_in_progress`. Keys belong to the person, whichever of their tokens sends them. Password checks are bounded: beyond capacity, 503 `busy` with `Retry-After`."
    ),
    modifiers(&BearerAuth),
    components(schemas(webhooks::ApplicationWebhook, webhooks::EngagementWebhook, webhooks::OfferWebhook, webhooks::TestWebhook)),
    tags(
        (name = "auth", description = "Accounts and tokens"),
        (name = "me", description = "The signed-in account, and its data: downloads of everything Stint holds about the caller and the caller's requests about their data"),
        (name = "organizations", description = "Employers and universities"),
        (name = "projects", description = "Posting and finding projects"),
        (name = "applications", description = "Applying, deciding and hiring"),
        (name = "engagements", description = "The workspace, delivery, approval and earnings"),
        (name = "portfolio", description = "Achievements and public portfolios"),
        (name = "credentials", description = "Verifiable credentials (Open Badges 3.0) for confirmed achievements"),
        (name = "discovery", description = "Explained matches, suggestions, comparing projects"),
        (name = "payments", description = "Money: what hiring costs before it is charged, and the manual payment provider's money received and paid out (admins)"),
        (name = "universities", description = "Affiliations proved by a university address or career staff, what students share, the career centre's students and timelines, staff roles"),
        (name = "credit", description = "Academic credit: the learning agreement, hours, reflection and sign-off; credits granted per term for the registrar"),
        (name = "taxonomy", description = "Categories and skills: the slugs other operations take"),
        (name = "talent", description = "An employer's talent pool (students who completed work, were hired or shortlisted, with private tags and notes), finding discoverable students, invitations to apply and offers of roles"),
        (name = "analytics", description = "An employer's analytics over a period: funnel, times to first applicant and to decide, spend by month, ratings received, offers"),
        (name = "webhooks", description = "Webhook endpoints (Standard Webhooks: signed with HMAC-SHA256, retried over about a day), their secrets and delivery logs; the events and their bodies are in this document's `webhooks` section"),
        (name = "sign-in", description = "An organization's own sign-in (single sign-on with OpenID Connect or SAML 2.0), for its owners: settings, a test that says what failed, requiring it for the organization's email domains; the tokens its directory uses to provision accounts at `/scim/v2` (SCIM 2.0, described by its own discovery endpoints, not here); and a university's learning platforms, which launch Stint from courses with LTI 1.3 (at the university's own `/lti/login/{id}` and at `/lti/launch`, with Stint's keys at `/lti/jwks`)"),
        (name = "admin", description = "What admins watch: recipients that timed jobs could not serve, and people's requests about their data with their deadlines"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(me::router())
        .merge(orgs::router())
        .merge(projects::router())
        .merge(applications::router())
        .merge(engagements::router())
        .merge(portfolio::router())
        .merge(credentials::router())
        .merge(payments::router())
        .merge(records::router())
        .merge(discovery::router())
        .merge(taxonomy::router())
        .merge(universities::router())
        .merge(talent::router())
        .merge(offers::router())
        .merge(outcomes::router())
        .merge(analytics::router())
        .merge(credit::router())
        .merge(webhooks::router())
        .merge(sso::router())
        .merge(lti::router())
        .merge(admin::router())
        .merge(privacy::router())
}

/// The API's routes, plus the OpenAPI document itself.
pub fn router() -> Router<AppState> {
    let (router, _) = api_router().split_for_parts();
    router
        .route("/openapi.json", get(openapi_json))
        .fallback(not_found)
}

/// The OpenAPI 3.1 document, with paths under `/api/v1`.
pub fn openapi() -> OpenApiDoc {
    let (_, mut doc) = api_router().split_for_parts();
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(k, v)| (format!("/api/v1{k}"), v))
        .collect();
    // The shared conventions are applied to the document as JSON (see
    // `doc`); the result is read back so the rest of the code keeps one type.
    let mut json = match serde_json::to_value(&doc) {
        Ok(v) => v,
        Err(_) => return doc,
    };
    doc::apply_conventions(&mut json);
    if let Some(doc) = json.as_object_mut() {
        doc.insert("webhooks".into(), webhooks::webhooks_section());
    }
    serde_json::from_value(json).unwrap_or(doc)
}

async fn openapi_json(State(state): State<AppState>) -> Json<OpenApiDoc> {
    Json((*state.openapi).clone())
}

async fn not_found() -> ApiError {
    ApiError(crate::error::AppError::NotFound)
}

impl AppState {
    pub fn openapi_doc(&self) -> &OpenApiDoc {
        &self.openapi
    }
}

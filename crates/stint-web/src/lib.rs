//! Stint's web tier: server-rendered pages under `/` and the JSON API under
//! `/api/v1`. Both call the same application functions in [`app`]; handlers
//! only extract, authorize, call and render.
//!
//! The tier is stateless: sessions, tokens and mail live in the database, so
//! any number of instances can serve one PostgreSQL.

pub mod api;
pub mod app;
pub mod auth;
mod cache;
mod csv;
mod error;
mod form;
pub mod ics;
mod idempotency;
mod pages;
mod scim;
pub mod secrets;
pub mod security;
mod upload;
mod view;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use stint_domain::HourlyFloors;
use stint_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::password::PasswordCost;
pub use error::AppError;

/// Settings the web tier needs; the binary fills them from flags, environment
/// and the config file.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where people reach this site, for links in emails (no trailing slash).
    pub base_url: String,
    /// Mark cookies `Secure`; on whenever `base_url` is https.
    pub secure_cookies: bool,
    pub floors: HourlyFloors,
    /// Demo mode: the outbox page is public and a banner says so.
    pub demo: bool,
    /// Login, registration and token requests allowed per client per minute.
    pub auth_rate_per_minute: u32,
    pub password_cost: PasswordCost,
    /// Stint's fee on each hire, in basis points of the price (1000 = 10%).
    pub fee_basis_points: u32,
    /// What a student keeps when the employer cancels on or after the start
    /// date, in basis points of the price.
    pub cancellation_share_basis_points: u32,
    /// Undecided applications a student may hold at once.
    pub max_open_applications: u32,
    pub payment_provider: PaymentProvider,
    /// Days after a submission before silence counts as approval.
    pub auto_approve_days: u32,
    /// Days after approval during which both sides may review each other.
    pub review_window_days: u32,
    /// Where files delivered with submissions are kept.
    pub files: stint_store::FileStorage,
    /// Seals payout details (and other secrets) at rest.
    pub sealer: secrets::Sealer,
    /// Set when `payment_provider` is `Stripe`.
    pub stripe: Option<StripeConfig>,
    /// Signs the credentials this instance issues (see `app::credentials`).
    pub issuer_key: Arc<stint_credentials::IssuerKey>,
    /// Sends organizations' webhooks (see `app::webhooks`): refuses private
    /// addresses unless the `webhooks_allow_private` setting is on.
    pub webhooks: stint_webhooks::Sender,
    /// Talks to organizations' identity providers (see `app::sso`):
    /// refuses private addresses unless the `sso_allow_private` setting is on.
    pub sso: stint_sso::Client,
    /// How long things are kept after they stop being needed (see
    /// `app::privacy::Retention`); `/privacy` states it.
    pub retention: app::privacy::Retention,
}

/// Who moves the money. `Manual`: an admin records money received and paid
/// out. `Sandbox`: confirms at once, for demos and tests, and says so.
/// `Stripe`: Stripe Connect (`WebConfig::stripe` holds its client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProvider {
    Manual,
    Sandbox,
    Stripe,
}

impl PaymentProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentProvider::Manual => "manual",
            PaymentProvider::Sandbox => "sandbox",
            PaymentProvider::Stripe => "stripe",
        }
    }
}

/// Stripe's settings: the API client (key and base address inside) and the
/// webhook endpoint's signing secret. `Debug` shows neither secret.
#[derive(Clone)]
pub struct StripeConfig {
    pub client: stint_stripe::Client,
    pub webhook_secret: String,
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StripeConfig({:?})", self.client)
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            floors: HourlyFloors::default(),
            demo: false,
            auth_rate_per_minute: 20,
            password_cost: PasswordCost::Standard,
            fee_basis_points: 1_000,
            cancellation_share_basis_points: 2_500,
            max_open_applications: 10,
            payment_provider: PaymentProvider::Manual,
            auto_approve_days: 7,
            review_window_days: 14,
            files: stint_store::FileStorage::local("./stint-data/files"),
            sealer: secrets::Sealer::random(),
            stripe: None,
            issuer_key: Arc::new(
                stint_credentials::IssuerKey::generate()
                    .unwrap_or_else(|e| panic!("no randomness for a signing key: {e}")),
            ),
            webhooks: stint_webhooks::Sender::new(false, Duration::from_secs(10))
                .unwrap_or_else(|e| panic!("no HTTP client for webhooks: {e}")),
            sso: stint_sso::Client::new(false, Duration::from_secs(10))
                .unwrap_or_else(|e| panic!("no HTTP client for sign-in: {e}")),
            retention: app::privacy::Retention::default(),
        }
    }
}

/// Stripe's webhook: the raw body and its `Stripe-Signature`, checked
/// before anything is read. Answers 200 once handled (or handled before),
/// 400 for a bad signature, and an error status Stripe retries on for a
/// failure on Stint's side.
async fn stripe_webhook(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match app::stripe::webhook(&state, signature, &body).await {
        Ok(what) => (axum::http::StatusCode::OK, what).into_response(),
        Err(e) => api::ApiError::from(e).into_response(),
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    limiter: Arc<security::RateLimiter>,
    openapi: Arc<utoipa::openapi::OpenApi>,
    pub clock: Arc<Clock>,
    /// Bounds concurrent password hashing (see `auth::password`).
    pub passwords: Arc<auth::password::PasswordGate>,
    /// Wakes this process's job runner when work is due now (a publish's
    /// alerts), instead of waiting for its next pass.
    pub jobs_wake: Arc<tokio::sync::Notify>,
    /// Wakes this process's webhook worker when a message is written or a
    /// sender frees up (see `app::webhooks::run_worker`).
    pub hooks_wake: Arc<tokio::sync::Notify>,
    /// Anonymous search pages for a few seconds (see `cache`).
    pub(crate) page_cache: Arc<cache::PageCache>,
    /// Project page views not yet added to the store (see
    /// `app::analytics::flush_views`).
    pub views: Arc<app::analytics::ViewCounter>,
    /// When this process last applied the retention settings.
    pub(crate) retention_ran: Arc<std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>>,
}

/// The time as Stint sees it: the system clock plus an offset that tests
/// move forward to reach deadlines without waiting.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: std::sync::atomic::AtomicI64,
}

impl Clock {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::seconds(self.offset_secs.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }

    /// Moves Stint's time forward (tests only use this).
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), std::sync::atomic::Ordering::Relaxed);
    }
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        let limiter = Arc::new(security::RateLimiter::new(config.auth_rate_per_minute));
        AppState {
            store,
            config: Arc::new(config),
            limiter,
            openapi: Arc::new(api::openapi()),
            clock: Arc::new(Clock::default()),
            passwords: Arc::new(auth::password::PasswordGate::for_this_machine()),
            jobs_wake: Arc::new(tokio::sync::Notify::new()),
            retention_ran: Arc::new(std::sync::Mutex::new(None)),
            hooks_wake: Arc::new(tokio::sync::Notify::new()),
            page_cache: Arc::new(cache::PageCache::default()),
            views: Arc::default(),
        }
    }
}

/// The whole application: pages, API, static assets and the middleware stack.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    // Forms that lead to Stripe's hosted pages (Checkout, onboarding) may
    // be redirected there when Stripe is the provider.
    let form_action = if state.config.payment_provider == PaymentProvider::Stripe {
        "form-action 'self' https://checkout.stripe.com https://connect.stripe.com"
    } else {
        "form-action 'self'"
    };
    let csp = format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; {form_action}"
    );
    Router::new()
        .merge(pages::router())
        .route("/webhooks/stripe", axum::routing::post(stripe_webhook))
        .nest("/scim/v2", scim::router())
        .nest(
            "/api/v1",
            api::router().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                idempotency::layer,
            )),
        )
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state,
            security::cross_origin_guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(security::body_limit))
        .layer(axum::middleware::from_fn(security::refuse_control_chars))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(security::uniform_errors))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'")),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

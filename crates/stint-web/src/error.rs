//! The application error, and how each face of Stint shows it: the API as
//! RFC 9457 problem+json with a stable `code`, pages as a friendly HTML page
//! (see `pages::error`). Internal causes are logged, never sent.

use axum::http::StatusCode;
use stint_domain::FieldErrors;
use stint_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that does not meet the rules; each message names its field.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("sign in required")]
    Unauthenticated,
    /// A sign-in with an email and password that do not match.
    #[error("bad credentials")]
    BadCredentials,
    /// Signed in, but this person may not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    /// The request clashes with the current state; `code` is stable for clients.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Well-formed, but refused for a reason `code` names (422).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("too many requests")]
    RateLimited,
    /// Stint is at capacity for this kind of work (password checks); the
    /// client should retry shortly.
    #[error("busy")]
    Busy,
    /// The request body is over the limit for its route.
    #[error("payload too large")]
    TooLarge(String),
    /// A refusal the framework raises before a handler runs (a method the
    /// route does not take, a media type it cannot read, a timeout), with
    /// its status kept.
    #[error("{message}")]
    Http {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    /// The problem for a bare framework response of `status` (no body of
    /// ours), worded for a client that sent something this route does not take.
    pub fn from_status(status: StatusCode, cause: &str) -> AppError {
        let (code, message) = match status.as_u16() {
            400 => ("bad_request", format!("The request could not be read: {cause}")),
            404 => return AppError::NotFound,
            405 => (
                "method_not_allowed",
                "This address does not take that method; the Allow header lists those it does.".into(),
            ),
            406 => ("not_acceptable", "This address answers only in the media type it documents.".into()),
            408 => ("request_timeout", "The request took too long and was stopped. Try again.".into()),
            413 => ("payload_too_large", "The request is larger than this address accepts.".into()),
            415 => ("unsupported_media_type", "Send the body in the media type this address documents (JSON unless it says otherwise).".into()),
            422 => ("validation_failed", format!("The request could not be read: {cause}")),
            503 => ("service_unavailable", "Stint is busy; try again in a moment.".into()),
            s if s >= 500 => return AppError::Internal(format!("{status}: {cause}")),
            _ => ("request_refused", format!("The request was refused: {cause}")),
        };
        AppError::Http {
            status,
            code,
            message,
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        let mut e = FieldErrors::new();
        e.add(field, message);
        AppError::Invalid(e)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Http { status, .. } => *status,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "validation_failed",
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadCredentials => "invalid_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict { code, .. } => code,
            AppError::Unprocessable { code, .. } => code,
            AppError::RateLimited => "rate_limited",
            AppError::Busy => "busy",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Http { code, .. } => code,
            AppError::Internal(_) => "internal_error",
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "Some fields need attention",
            AppError::Unauthenticated => "Sign in required",
            AppError::BadCredentials => "Wrong email or password",
            AppError::Forbidden(_) => "Not allowed",
            AppError::NotFound => "Not found",
            AppError::Conflict { .. } => "That cannot be done now",
            AppError::Unprocessable { .. } => "That cannot be done",
            AppError::RateLimited => "Too many attempts",
            AppError::Busy => "Stint is busy",
            AppError::TooLarge(_) => "Too large",
            AppError::Http { status, .. } => status.canonical_reason().unwrap_or("Refused"),
            AppError::Internal(_) => "Something went wrong on our side",
        }
    }

    /// What to tell the person; never the internal cause.
    pub fn detail(&self) -> String {
        match self {
            AppError::Invalid(e) => {
                e.0.iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            AppError::BadCredentials => "That email and password do not match an account.".into(),
            AppError::Unauthenticated => {
                "Sign in, or send a valid bearer token, to continue.".into()
            }
            AppError::Forbidden(why) => (*why).into(),
            AppError::NotFound => "There is nothing here, or you do not have access to it.".into(),
            AppError::Conflict { message, .. }
            | AppError::Unprocessable { message, .. }
            | AppError::Http { message, .. } => message.clone(),
            AppError::RateLimited => {
                "Too many attempts from your address. Wait a minute and try again.".into()
            }
            AppError::Busy => {
                "Stint is handling many sign-ins right now. Try again in a few seconds.".into()
            }
            AppError::TooLarge(why) => why.clone(),
            AppError::Internal(_) => {
                "The error has been logged. Please try again in a moment.".into()
            }
        }
    }

    /// Logs internal errors with their cause; the client sees only the title.
    pub fn log(&self) {
        if let AppError::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict("email") => AppError::conflict(
                "email_taken",
                "An account with this email already exists. Sign in instead, or reset your password.",
            ),
            StoreError::Conflict("membership") => {
                AppError::conflict("already_member", "You already belong to an organization.")
            }
            StoreError::Conflict("domain") => AppError::conflict(
                "domain_taken",
                "One of these email domains already belongs to another organization on Stint.",
            ),
            StoreError::Conflict("not_draft") | StoreError::Conflict("status_changed") => {
                AppError::conflict(
                    "status_changed",
                    "This project changed meanwhile; reload the page to see its current state.",
                )
            }
            StoreError::Ledger(rule) => AppError::conflict(rule.code(), rule.to_string()),
            StoreError::Conflict("already_recorded") => AppError::conflict(
                "already_recorded",
                "This payment is recorded already; nothing was changed.",
            ),
            StoreError::Conflict(what) => AppError::conflict(
                "conflict",
                format!("That clashes with existing data ({what})."),
            ),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<stint_domain::FieldError> for AppError {
    fn from(e: stint_domain::FieldError) -> Self {
        AppError::Invalid(e.into())
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

//! Request-level protections: a cross-origin guard for state-changing page
//! requests (CSRF), and a small rate limiter for sign-in and sign-up.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

/// Refuses a state-changing request that a browser says came from another
/// site. Browsers send `Sec-Fetch-Site` (and `Origin`) on every POST; other
/// clients send neither and are not at CSRF risk. Cookies are also
/// `SameSite=Lax`. The API authenticates by bearer token, not cookie, but is
/// guarded the same way.
pub async fn cross_origin_guard(State(_): State<AppState>, req: Request, next: Next) -> Response {
    // A SAML identity provider posts its answer from its own site, and an
    // LTI platform its login initiation and launch; those handlers decide
    // nothing (one redirects to the platform, the others hand the answer on
    // to a same-origin form).
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || same_origin(req.headers())
        || (req.method() == Method::POST
            && (matches!(req.uri().path(), "/sso/saml/acs" | "/lti/launch")
                || req.uri().path().starts_with("/lti/login/")))
    {
        return next.run(req).await;
    }
    let err = AppError::Forbidden(
        "This form was sent from another site, so it was refused. Reload the page and try again.",
    );
    refusal(req.uri().path(), err)
}

/// The error answer for a request to `path`: a SCIM error under `/scim/`,
/// problem+json under `/api/`, else an HTML page.
pub(crate) fn refusal(path: &str, err: AppError) -> Response {
    if path.starts_with("/scim/") {
        crate::scim::error_response(&crate::app::scim::scim_error(err))
    } else if path.starts_with("/api/") {
        crate::api::ApiError(err).into_response()
    } else {
        crate::pages::error_page(err, None)
    }
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) == Some(host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// Refuses a request whose path or query string holds a control character
/// (after percent-decoding), before any handler or the database sees it:
/// PostgreSQL cannot store a NUL byte, and nobody types one.
pub async fn refuse_control_chars(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let path_bad = percent_decoded_has_control(uri.path());
    let query_bad = uri.query().is_some_and(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q).map_or_else(
            |_| percent_decoded_has_control(q),
            |pairs| {
                pairs.iter().any(|(k, v)| {
                    stint_domain::text::has_control(k) || stint_domain::text::has_control(v)
                })
            },
        )
    });
    if !(path_bad || query_bad) {
        return next.run(req).await;
    }
    let err = AppError::invalid(
        if path_bad { "path" } else { "query" },
        stint_domain::text::control_message("The address"),
    );
    refusal(uri.path(), err)
}

/// Whether `%XX`-decoding `s` gives a control character (or bytes that are
/// not UTF-8, which no form of ours sends).
fn percent_decoded_has_control(s: &str) -> bool {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_or(true, |t| stint_domain::text::has_control(&t))
}

/// Every error the API sends is problem+json with a `code`, and every error
/// page is HTML, including the answers the framework gives before a handler
/// runs (a malformed path or query, a method the route does not take, an
/// unreadable media type, a timeout, a panic). Responses of ours pass as
/// they are; a bare one is replaced, keeping its status and `Allow`.
pub async fn uniform_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    let scim = path.starts_with("/scim/");
    if path == "/healthz" {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let ours = if scim {
        ct.starts_with("application/scim+json")
    } else if api {
        ct.starts_with("application/problem+json")
    } else {
        ct.starts_with("text/html")
            || ct.starts_with("application/problem+json")
            || ct.starts_with("application/json")
    };
    if ours {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let (_, body) = res.into_parts();
    let cause = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let err = AppError::from_status(status, &cause);
    let mut out = refusal(&path, err);
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// Largest request body on most routes (forms and JSON).
pub const BODY_LIMIT: usize = 256 * 1024;
/// Largest request body where work is uploaded: every file at its largest
/// plus room for the note, links and multipart framing.
pub const UPLOAD_BODY_LIMIT: usize = stint_domain::upload::MAX_TOTAL_BYTES + 512 * 1024;

/// Whether `path` takes file uploads (and so the larger limit).
fn takes_uploads(method: &Method, path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    *method == Method::POST
        && path.starts_with("/engagements/")
        && path.ends_with("/submissions")
        && path.matches('/').count() == 3
}

/// Caps the request body: the upload routes get [`UPLOAD_BODY_LIMIT`],
/// everything else [`BODY_LIMIT`]. A declared length over the cap is refused
/// at once with a message (HTML or problem+json); a body that grows past it
/// while streaming fails the extractor that reads it, which answers 413 too.
pub async fn body_limit(req: Request, next: Next) -> Response {
    let uploads = takes_uploads(req.method(), req.uri().path());
    let limit = if uploads {
        UPLOAD_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let why = if uploads {
            format!(
                "The upload is larger than {}. Attach fewer or smaller files, or share large work as a link.",
                stint_domain::upload::human_size(stint_domain::upload::MAX_TOTAL_BYTES)
            )
        } else {
            "The request is larger than this form accepts.".to_string()
        };
        let err = AppError::TooLarge(why);
        return refusal(req.uri().path(), err);
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Which limit and which client.
type Key = (&'static str, IpAddr);

/// A fixed-window counter per (bucket, client address). In memory per
/// instance: behind a load balancer each instance limits on its own, which
/// still bounds guessing to N × instances per minute.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<Key, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt; `Err(RateLimited)` once the window is full.
    pub fn check(&self, bucket: &'static str, ip: IpAddr) -> Result<(), AppError> {
        let now = Instant::now();
        let Ok(mut map) = self.windows.lock() else {
            return Ok(());
        };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = map.entry((bucket, ip)).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_minute {
            Err(AppError::RateLimited)
        } else {
            Ok(())
        }
    }
}

/// The client's address, when the server was started with connect info
/// (loopback otherwise, as in tests that call the router directly).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
                .unwrap_or(IpAddr::from([127, 0, 0, 1])),
        ))
    }
}

impl AppState {
    pub fn rate_limit(&self, bucket: &'static str, ip: ClientIp) -> Result<(), AppError> {
        self.limiter.check(bucket, ip.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_counts_per_bucket_and_address() {
        let l = RateLimiter::new(2);
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        assert!(l.check("login", a).is_ok());
        assert!(l.check("login", a).is_ok());
        assert!(l.check("login", a).is_err());
        assert!(l.check("signup", a).is_ok());
        assert!(l.check("login", b).is_ok());
    }

    #[test]
    fn control_characters_are_found_through_percent_encoding() {
        assert!(percent_decoded_has_control("/projects/%00"));
        assert!(percent_decoded_has_control("a%1Bb"));
        assert!(percent_decoded_has_control("%ff%fe"));
        assert!(!percent_decoded_has_control("/projects/caf%C3%A9"));
        assert!(!percent_decoded_has_control("100%"));
        assert!(!percent_decoded_has_control(
            "q=data+analysis&location=Pune"
        ));
    }

    #[test]
    fn upload_routes_are_recognised() {
        assert!(takes_uploads(&Method::POST, "/engagements/7/submissions"));
        assert!(takes_uploads(
            &Method::POST,
            "/api/v1/engagements/7/submissions"
        ));
        assert!(!takes_uploads(&Method::GET, "/engagements/7/submissions"));
        assert!(!takes_uploads(&Method::POST, "/engagements/7/messages"));
        assert!(!takes_uploads(
            &Method::POST,
            "/engagements/7/x/submissions"
        ));
    }

    #[test]
    fn origin_checks() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h), "non-browser clients pass");
        h.insert(
            "sec-fetch-site",
            "cross-site".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_origin(&h));
        let mut h = HeaderMap::new();
        h.insert(
            header::ORIGIN,
            "https://evil.example"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        h.insert(
            header::HOST,
            "stint.example".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_origin(&h));
        h.insert(
            header::ORIGIN,
            "https://stint.example"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(same_origin(&h));
    }
}

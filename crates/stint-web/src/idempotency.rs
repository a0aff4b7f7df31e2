//! `Idempotency-Key` for the API: a client that may retry a POST (a hire, an
//! approval, a payment record) sends a key of its choice; the first request
//! with that key runs, and any retry within 24 hours gets the stored answer
//! back (marked `Idempotent-Replayed: true`) instead of doing the work again.
//! A key reused for a different request is refused (422
//! `idempotency_key_reused`), and a retry while the first still runs gets 409
//! `idempotency_request_in_progress`. Keys are scoped to the person asking,
//! whichever of their tokens or sessions sends them. Server errors are not
//! stored, so a retry after one runs again.
//!
//! Money moving once does not rest on this alone: the ledger's unique keys
//! refuse a second release whatever the client sends.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use stint_store::{Claim, StoredResponse};

use crate::AppState;
use crate::api::ApiError;
use crate::error::AppError;

const HEADER: &str = "idempotency-key";
/// How long a key's answer is kept.
const TTL_HOURS: i64 = 24;
/// Larger answers are not stored (API answers are small JSON).
const MAX_STORED: usize = 1024 * 1024;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn valid_key(raw: &HeaderValue) -> Option<String> {
    let k = raw.to_str().ok()?;
    ((1..=255).contains(&k.len()) && k.bytes().all(|b| (0x21..=0x7e).contains(&b)))
        .then(|| k.to_string())
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let Some(key) = valid_key(raw) else {
        return ApiError(AppError::invalid(
            "Idempotency-Key",
            "The Idempotency-Key header must be 1–255 visible ASCII characters, such as a UUID.",
        ))
        .into_response();
    };
    let scope = match crate::auth::caller_id(req.headers(), &state).await {
        Err(e) => return ApiError(e).into_response(),
        // A person's keys are theirs whichever token or session sends them.
        Ok(Some(id)) => format!("user:{id}"),
        // Nobody signed in: the credentials sent (none, or ones that will be
        // refused) are all there is to tell callers apart.
        Ok(None) => {
            let mut who = Sha256::new();
            for h in [header::AUTHORIZATION, header::COOKIE] {
                if let Some(v) = req.headers().get(&h) {
                    who.update(v.as_bytes());
                }
                who.update([0]);
            }
            format!("anon:{}", hex(&who.finalize()))
        }
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError(AppError::TooLarge(
            "The request is larger than this endpoint accepts.".into(),
        ))
        .into_response();
    };
    let mut what = Sha256::new();
    what.update(parts.method.as_str().as_bytes());
    what.update(b" ");
    what.update(parts.uri.to_string().as_bytes());
    what.update(b" ");
    what.update(&bytes);
    let fingerprint = hex(&what.finalize());
    let now = state.clock.now();
    let claim = state
        .store
        .claim_idempotency_key(
            &scope,
            &key,
            &fingerprint,
            now,
            now - chrono::Duration::hours(TTL_HOURS),
        )
        .await;
    match claim {
        Err(e) => ApiError(e.into()).into_response(),
        Ok(Claim::Mismatch) => ApiError(AppError::Unprocessable {
            code: "idempotency_key_reused",
            message: "This Idempotency-Key was used for a different request. Use a new key for a new request.".into(),
        })
        .into_response(),
        Ok(Claim::InProgress) => ApiError(AppError::conflict(
            "idempotency_request_in_progress",
            "A request with this Idempotency-Key is still being processed. Retry in a moment.",
        ))
        .into_response(),
        Ok(Claim::Done(stored)) => replay(stored),
        Ok(Claim::Claimed) => {
            let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            keep(&state, &scope, &key, res).await
        }
    }
}

/// Stores the answer of a claimed request and passes it on.
async fn keep(state: &AppState, scope: &str, key: &str, res: Response) -> Response {
    if res.status().is_server_error() {
        let _ = state.store.release_idempotency_key(scope, key).await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_STORED).await {
        Ok(b) => b,
        Err(e) => {
            let _ = state.store.release_idempotency_key(scope, key).await;
            return ApiError(AppError::Internal(format!("idempotent answer: {e}"))).into_response();
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(String::from),
        body: bytes.to_vec(),
    };
    if let Err(e) = state
        .store
        .finish_idempotency_key(scope, key, &stored)
        .await
    {
        tracing::warn!(error = %e, "could not store an idempotent answer");
        let _ = state.store.release_idempotency_key(scope, key).await;
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut res = (status, stored.body).into_response();
    let h = res.headers_mut();
    if let Some(ct) = stored
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        h.insert(header::CONTENT_TYPE, ct);
    }
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii() {
        let ok = HeaderValue::from_static("3f1c-42_a");
        assert_eq!(valid_key(&ok).as_deref(), Some("3f1c-42_a"));
        assert!(valid_key(&HeaderValue::from_static("has space")).is_none());
        assert!(valid_key(&HeaderValue::from_static("")).is_none());
        let long = "k".repeat(256);
        assert!(
            valid_key(&HeaderValue::from_str(&long).unwrap_or(HeaderValue::from_static("")))
                .is_none()
        );
    }
}

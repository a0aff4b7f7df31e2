//! Credentials in public: the page a person opens to check one (who did
//! what for whom, and whether it verifies), the credential as JSON and as a
//! download, the issuer's DID document and profile, and the revocation
//! list. Admins revoke from the credential's page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::api::problem::ApiError;
use crate::app::credentials::{self as creds, Check};
use crate::auth::{MaybeUser, PageUser};
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credentials/{id}", get(page))
        .route("/credentials/{id}/download", get(download))
        .route("/credentials/{id}/revoke", post(revoke))
        .route(creds::STATUS_LIST_PATH, get(status_list))
        .route("/.well-known/did.json", get(did_document))
        .route("/issuer", get(issuer_profile))
}

/// JSON-LD with the media type verifiers expect.
fn json_ld(doc: &Value, cache: &'static str) -> Response {
    let mut res = serde_json::to_string_pretty(doc)
        .unwrap_or_default()
        .into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            !a.contains("text/html")
                && (a.contains("application/ld+json")
                    || a.contains("application/json")
                    || a.contains("application/vc"))
        })
}

struct Outcome {
    value: String,
    metric: String,
}

#[derive(Template)]
#[template(path = "credentials/show.html")]
struct CredentialPage {
    layout: Layout,
    public_id: String,
    title: String,
    student: String,
    employer: String,
    employer_url: String,
    description: String,
    criteria: Vec<String>,
    skills: Vec<String>,
    hours: String,
    outcomes: Vec<Outcome>,
    issued: String,
    period: String,
    issuer: String,
    /// "valid", "revoked" or "invalid".
    verdict: &'static str,
    reason: String,
    verification_method: String,
    evidence_url: String,
    mine: bool,
    linkedin: String,
    admin: bool,
    revoked: bool,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

async fn page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let viewer = user.user();
    let l = Layout::new("Credential", viewer, state.config.demo).with_notice(q.notice.as_deref());
    let c = creds::get(&state, viewer, &id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let doc: Value = serde_json::from_str(&c.document)
        .map_err(|e| PageError(AppError::Internal(e.to_string()), l.clone()))?;
    if wants_json(&headers) {
        return Ok(json_ld(&doc, "no-cache"));
    }
    let check = creds::check(&state, &doc)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let (verdict, reason) = match check {
        Check::Valid => ("valid", String::new()),
        Check::Revoked(r) => ("revoked", r),
        Check::Invalid(r) => ("invalid", r),
    };
    let subject = &doc["credentialSubject"];
    let achievement = &subject["achievement"];
    let descriptions = achievement["resultDescription"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut hours = String::new();
    let mut outcomes = Vec::new();
    for r in subject["result"].as_array().into_iter().flatten() {
        let described = descriptions
            .iter()
            .find(|d| d["id"] == r["resultDescription"]);
        let metric = described.map(|d| text(&d["name"])).unwrap_or_default();
        if described.is_some_and(|d| d["resultType"] == "ext:Hours") {
            hours = text(&r["value"]);
        } else {
            outcomes.push(Outcome {
                value: text(&r["value"]),
                metric,
            });
        }
    }
    let student = subject["identifier"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["identityType"] == "name")
        .map(|i| text(&i["identityHash"]))
        .unwrap_or_default();
    let title = text(&achievement["name"]);
    let employer = text(&achievement["creator"]["name"]);
    let link = creds::url(&state, &c.public_id);
    let mut layout = l;
    layout.title = format!("{title} — credential");
    Ok(render(&CredentialPage {
        public_id: c.public_id.clone(),
        student,
        employer_url: text(&achievement["creator"]["url"]),
        description: text(&achievement["description"]),
        criteria: text(&achievement["criteria"]["narrative"])
            .lines()
            .map(|l| l.trim_start_matches(['-', '*', ' ']).to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        skills: achievement["alignment"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| text(&a["targetName"]))
            .collect(),
        hours,
        outcomes,
        issued: date(&c.issued_at.date_naive()),
        period: {
            let day = |v: &Value| {
                let raw = text(v);
                raw.parse::<chrono::NaiveDate>()
                    .map(|d| date(&d))
                    .unwrap_or(raw)
            };
            format!(
                "{} to {}",
                day(&subject["activityStartDate"]),
                day(&subject["activityEndDate"])
            )
        },
        issuer: format!(
            "{} ({})",
            text(&doc["issuer"]["name"]),
            text(&doc["issuer"]["id"])
        ),
        verdict,
        reason,
        verification_method: text(&doc["proof"]["verificationMethod"]),
        evidence_url: doc["evidence"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        mine: viewer.is_some_and(|v| v.id == c.student_id),
        linkedin: creds::linkedin_url(&c, &title, &employer, &link),
        admin: viewer.is_some_and(|v| v.role == stint_domain::account::Role::Admin),
        revoked: c.revoked_at.is_some(),
        title,
        employer,
        layout,
    }))
}

async fn download(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let l = Layout::new("Credential", user.user(), state.config.demo);
    let c = creds::get(&state, user.user(), &id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let doc: Value = serde_json::from_str(&c.document)
        .map_err(|e| PageError(AppError::Internal(e.to_string()), l))?;
    Ok(super::download(
        serde_json::to_string_pretty(&doc).unwrap_or_default(),
        "application/ld+json",
        &format!("stint-credential-{}.json", c.public_id),
    ))
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

async fn revoke(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<RevokeForm>,
) -> Result<Response, PageError> {
    let l = Layout::new("Credential", Some(user.user()), state.config.demo);
    creds::revoke(&state, user.user(), &id, &form.reason)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!("/credentials/{id}?notice=credential_revoked")).into_response())
}

async fn status_list(State(state): State<AppState>) -> Result<Response, ApiError> {
    // Short-lived: a revocation shows within a minute.
    Ok(json_ld(
        &creds::status_list(&state).await?,
        "public, max-age=60",
    ))
}

async fn did_document(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(json_ld(
        &creds::did_document(&state).await?,
        "public, max-age=300",
    ))
}

async fn issuer_profile(State(state): State<AppState>) -> Response {
    json_ld(
        &creds::issuer(&state).profile_document(),
        "public, max-age=300",
    )
}

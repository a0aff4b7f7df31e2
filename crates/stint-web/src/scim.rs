//! `/scim/v2`: the SCIM 2.0 service (RFC 7644) an organization's directory
//! talks to. Every request carries the organization's provisioning token;
//! answers and errors are `application/scim+json`. The discovery
//! resources describe exactly what is served: Users (no Groups yet),
//! PATCH and filters, no bulk, sorting or ETags. Protocol details live in
//! `stint-scim`, accounts in `app::scim`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use stint_scim::{ScimError, schema};
use stint_store::Organization;

use crate::AppState;
use crate::app::scim as app;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema_by_id))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", post(search_users))
        .route("/.search", post(search_users))
        .route(
            "/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// A SCIM answer: JSON with the SCIM media type.
struct Scim(StatusCode, Value);

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let mut res = (self.0, self.1.to_string()).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/scim+json; charset=utf-8"),
        );
        res
    }
}

/// An error as SCIM sends it.
pub fn error_response(e: &ScimError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    Scim(status, e.to_json()).into_response()
}

struct Failure(ScimError);

impl From<ScimError> for Failure {
    fn from(e: ScimError) -> Self {
        Failure(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut res = error_response(&self.0);
        if self.0.status == 401 {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Stint SCIM\""),
            );
        }
        res
    }
}

type Answer = Result<Scim, Failure>;

async fn org(state: &AppState, headers: &HeaderMap) -> Result<Organization, ScimError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    app::org_for_token(state, bearer).await
}

fn json_body(body: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(body)
        .map_err(|e| ScimError::invalid_syntax(format!("The body is not JSON: {e}.")))
}

fn list(resources: Vec<Value>, total: usize, start_index: usize) -> Value {
    json!({
        "schemas": [stint_scim::LIST_URN],
        "totalResults": total,
        "itemsPerPage": resources.len(),
        "startIndex": start_index,
        "Resources": resources,
    })
}

fn meta(state: &AppState, kind: &str, path: &str) -> Value {
    json!({"resourceType": kind, "location": format!("{}{path}", app::base_url(state))})
}

async fn service_provider_config(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    org(&state, &headers).await?;
    Ok(Scim(
        StatusCode::OK,
        json!({
            "schemas": [stint_scim::SPC_URN],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": app::MAX_PAGE},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Provisioning token",
                "description": "A token an owner of the organization creates on Stint (Provisioning), sent as Authorization: Bearer.",
                "primary": true,
            }],
            "meta": meta(&state, "ServiceProviderConfig", "/ServiceProviderConfig"),
        }),
    ))
}

fn user_resource_type(state: &AppState) -> Value {
    json!({
        "schemas": [stint_scim::RESOURCE_TYPE_URN],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the organization: a student of a university, or a member of an employer.",
        "schema": stint_scim::USER_URN,
        "schemaExtensions": [],
        "meta": meta(state, "ResourceType", "/ResourceTypes/User"),
    })
}

async fn resource_types(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    org(&state, &headers).await?;
    Ok(Scim(
        StatusCode::OK,
        list(vec![user_resource_type(&state)], 1, 1),
    ))
}

async fn resource_type(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    org(&state, &headers).await?;
    if id != "User" {
        return Err(
            ScimError::not_found(format!("No resource type {id}; Stint serves User.")).into(),
        );
    }
    Ok(Scim(StatusCode::OK, user_resource_type(&state)))
}

fn schema_documents(state: &AppState) -> Vec<Value> {
    schema::documents()
        .into_iter()
        .map(|mut d| {
            let id = d
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(o) = d.as_object_mut() {
                o.insert("schemas".into(), json!([stint_scim::SCHEMA_URN]));
                o.insert(
                    "meta".into(),
                    meta(state, "Schema", &format!("/Schemas/{id}")),
                );
            }
            d
        })
        .collect()
}

async fn schemas(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    org(&state, &headers).await?;
    let docs = schema_documents(&state);
    let n = docs.len();
    Ok(Scim(StatusCode::OK, list(docs, n, 1)))
}

async fn schema_by_id(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    org(&state, &headers).await?;
    schema_documents(&state)
        .into_iter()
        .find(|d| d.get("id").and_then(Value::as_str) == Some(id.as_str()))
        .map(|d| Scim(StatusCode::OK, d))
        .ok_or_else(|| ScimError::not_found(format!("No schema {id}.")).into())
}

/// Query parameters of a list or a single resource (RFC 7644 §3.4.2).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

fn names(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(raw: Option<&str>, what: &str, default: usize) -> Result<usize, ScimError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .map(|n| n.max(0) as usize)
            .map_err(|_| ScimError::invalid_value(format!("{what} is a whole number."))),
    }
}

/// Applies `attributes` / `excludedAttributes` to one resource.
fn select(mut v: Value, attributes: &[String], excluded: &[String]) -> Value {
    if let Some(o) = v.as_object_mut() {
        schema::project(schema::user(), o, attributes, excluded);
    }
    v
}

async fn run_list(state: &AppState, org: &Organization, q: &ListQuery) -> Answer {
    let start = number(q.start_index.as_deref(), "startIndex", 1)?.max(1);
    let count = number(q.count.as_deref(), "count", 100)?;
    let (total, page) = app::list_users(state, org, q.filter.as_deref(), start, count).await?;
    let (a, e) = (
        names(q.attributes.as_deref()),
        names(q.excluded_attributes.as_deref()),
    );
    let page = page.into_iter().map(|v| select(v, &a, &e)).collect();
    Ok(Scim(StatusCode::OK, list(page, total, start)))
}

async fn list_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Answer {
    let org = org(&state, &headers).await?;
    run_list(&state, &org, &q).await
}

/// `POST /Users/.search` (and `/.search`: Users are the only resources):
/// the same as a list, with the parameters in a SearchRequest body.
async fn search_users(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let org = org(&state, &headers).await?;
    let b = json_body(&body)?;
    let text = |k: &str| -> Option<String> {
        match b.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Array(a)) => Some(
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        }
    };
    let q = ListQuery {
        filter: text("filter"),
        start_index: text("startIndex"),
        count: text("count"),
        attributes: text("attributes"),
        excluded_attributes: text("excludedAttributes"),
    };
    run_list(&state, &org, &q).await
}

fn created(state: &AppState, v: Value) -> Response {
    let location = v
        .get("id")
        .and_then(Value::as_str)
        .map(|id| format!("{}/Users/{id}", app::base_url(state)));
    let mut res = Scim(StatusCode::CREATED, v).into_response();
    if let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        res.headers_mut().insert(header::LOCATION, l);
    }
    res
}

async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let org = org(&state, &headers).await?;
    let v = app::create_user(&state, &org, &json_body(&body)?).await?;
    Ok(created(&state, v))
}

async fn get_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = app::get_user(&state, &org, &id).await?;
    let (a, e) = (
        names(q.attributes.as_deref()),
        names(q.excluded_attributes.as_deref()),
    );
    Ok(Scim(StatusCode::OK, select(v, &a, &e)))
}

async fn replace_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = app::replace_user(&state, &org, &id, &json_body(&body)?).await?;
    Ok(Scim(StatusCode::OK, v))
}

async fn patch_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = app::patch_user(&state, &org, &id, &json_body(&body)?).await?;
    Ok(Scim(StatusCode::OK, v))
}

async fn delete_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, Failure> {
    let org = org(&state, &headers).await?;
    app::delete_user(&state, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn not_found() -> Failure {
    Failure(ScimError::not_found(
        "No such SCIM endpoint: Stint serves /Users, /ServiceProviderConfig, /ResourceTypes and /Schemas.",
    ))
}

async fn method_not_allowed() -> Failure {
    Failure(ScimError::method_not_allowed(
        "This endpoint does not take that method.",
    ))
}

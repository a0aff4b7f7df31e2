//! `/scim/v2`: the SCIM 2.0 service (RFC 7644) an organization's directory
//! talks to. Every request carries the organization's provisioning token;
//! answers and errors are `application/scim+json`. The discovery
//! resources describe exactly what is served: Users and Groups, PATCH and
//! filters, no bulk, sorting or ETags. Protocol details live in
//! `stint-scim`, accounts in `app::scim`, groups and roles in
//! `app::scim_groups`.

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
use crate::app::scim_groups as groups;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema_by_id))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", post(search_users))
        .route("/.search", post(search_all))
        .route(
            "/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .route("/Groups", get(list_groups).post(create_group))
        .route("/Groups/.search", post(search_groups))
        .route(
            "/Groups/{id}",
            get(get_group)
                .put(replace_group)
                .patch(patch_group)
                .delete(delete_group),
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

fn group_resource_type(state: &AppState) -> Value {
    json!({
        "schemas": [stint_scim::RESOURCE_TYPE_URN],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "A group of the organization's people; an owner maps it to a role on Stint (career staff or faculty at a university).",
        "schema": stint_scim::GROUP_URN,
        "schemaExtensions": [],
        "meta": meta(state, "ResourceType", "/ResourceTypes/Group"),
    })
}

async fn resource_types(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    org(&state, &headers).await?;
    Ok(Scim(
        StatusCode::OK,
        list(
            vec![user_resource_type(&state), group_resource_type(&state)],
            2,
            1,
        ),
    ))
}

async fn resource_type(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    org(&state, &headers).await?;
    match id.as_str() {
        "User" => Ok(Scim(StatusCode::OK, user_resource_type(&state))),
        "Group" => Ok(Scim(StatusCode::OK, group_resource_type(&state))),
        _ => Err(ScimError::not_found(format!(
            "No resource type {id}; Stint serves User and Group."
        ))
        .into()),
    }
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
fn select(mut v: Value, kind: Kind, attributes: &[String], excluded: &[String]) -> Value {
    if let Some(o) = v.as_object_mut() {
        schema::project(kind.schema(), o, attributes, excluded);
    }
    v
}

/// The two resource types served.
#[derive(Clone, Copy)]
enum Kind {
    User,
    Group,
}

impl Kind {
    fn schema(self) -> &'static schema::Schema {
        match self {
            Kind::User => schema::user(),
            Kind::Group => schema::group(),
        }
    }
}

/// Whether a selection returns a Group's members.
fn wants_members(attributes: &[String], excluded: &[String]) -> bool {
    let named = |l: &[String]| {
        l.iter().any(|n| {
            let n = schema::group().strip_urn(n.trim());
            n.eq_ignore_ascii_case("members")
                || n.get(..8)
                    .is_some_and(|p| p.eq_ignore_ascii_case("members."))
        })
    };
    if attributes.is_empty() {
        !named(excluded)
    } else {
        named(attributes)
    }
}

async fn run_list(state: &AppState, org: &Organization, kind: Kind, q: &ListQuery) -> Answer {
    let start = number(q.start_index.as_deref(), "startIndex", 1)?.max(1);
    let count = number(q.count.as_deref(), "count", 100)?;
    let (a, e) = (
        names(q.attributes.as_deref()),
        names(q.excluded_attributes.as_deref()),
    );
    let (total, page) = match kind {
        Kind::User => app::list_users(state, org, q.filter.as_deref(), start, count).await?,
        Kind::Group => {
            groups::list_groups(
                state,
                org,
                q.filter.as_deref(),
                start,
                count,
                wants_members(&a, &e),
            )
            .await?
        }
    };
    let page = page.into_iter().map(|v| select(v, kind, &a, &e)).collect();
    Ok(Scim(StatusCode::OK, list(page, total, start)))
}

async fn list_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Answer {
    let org = org(&state, &headers).await?;
    run_list(&state, &org, Kind::User, &q).await
}

async fn list_groups(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Answer {
    let org = org(&state, &headers).await?;
    run_list(&state, &org, Kind::Group, &q).await
}

/// `POST /Users/.search` and `/Groups/.search`: the same as a list, with
/// the parameters in a SearchRequest body.
async fn search_users(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let org = org(&state, &headers).await?;
    run_list(&state, &org, Kind::User, &search_query(&body)?).await
}

async fn search_groups(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let org = org(&state, &headers).await?;
    run_list(&state, &org, Kind::Group, &search_query(&body)?).await
}

/// `POST /.search`: Users, then Groups, paged as one list. A filter that
/// names attributes only one type has matches none of the other.
async fn search_all(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let org = org(&state, &headers).await?;
    let q = search_query(&body)?;
    let start = number(q.start_index.as_deref(), "startIndex", 1)?.max(1);
    let count = number(q.count.as_deref(), "count", 100)?.min(app::MAX_PAGE);
    let (a, e) = (
        names(q.attributes.as_deref()),
        names(q.excluded_attributes.as_deref()),
    );
    let filter = q.filter.as_deref();
    let users = app::list_users(&state, &org, filter, start, count).await;
    let (user_total, user_page) = match &users {
        Err(e) if e.scim_type == Some("invalidFilter") => (0, Vec::new()),
        _ => users.clone()?,
    };
    let group_start = start.saturating_sub(user_total).max(1);
    let group_count = count - user_page.len();
    let groups = groups::list_groups(
        &state,
        &org,
        filter,
        group_start,
        group_count,
        wants_members(&a, &e),
    )
    .await;
    let (group_total, group_page) = match groups {
        Err(g) if g.scim_type == Some("invalidFilter") => match users {
            Ok(_) => (0, Vec::new()),
            Err(u) => return Err(u.into()),
        },
        other => other?,
    };
    let page = user_page
        .into_iter()
        .map(|v| select(v, Kind::User, &a, &e))
        .chain(
            group_page
                .into_iter()
                .map(|v| select(v, Kind::Group, &a, &e)),
        )
        .collect();
    Ok(Scim(
        StatusCode::OK,
        list(page, user_total + group_total, start),
    ))
}

/// A SearchRequest body as list parameters.
fn search_query(body: &Bytes) -> Result<ListQuery, ScimError> {
    let b = json_body(body)?;
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
    Ok(ListQuery {
        filter: text("filter"),
        start_index: text("startIndex"),
        count: text("count"),
        attributes: text("attributes"),
        excluded_attributes: text("excludedAttributes"),
    })
}

fn created(v: Value) -> Response {
    let location = v
        .get("meta")
        .and_then(|m| m.get("location"))
        .and_then(Value::as_str)
        .map(str::to_string);
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
    Ok(created(v))
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
    Ok(Scim(StatusCode::OK, select(v, Kind::User, &a, &e)))
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

async fn create_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let org = org(&state, &headers).await?;
    let v = groups::create_group(&state, &org, &json_body(&body)?).await?;
    Ok(created(v))
}

async fn get_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = groups::get_group(&state, &org, &id).await?;
    let (a, e) = (
        names(q.attributes.as_deref()),
        names(q.excluded_attributes.as_deref()),
    );
    Ok(Scim(StatusCode::OK, select(v, Kind::Group, &a, &e)))
}

async fn replace_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = groups::replace_group(&state, &org, &id, &json_body(&body)?).await?;
    Ok(Scim(StatusCode::OK, v))
}

async fn patch_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let org = org(&state, &headers).await?;
    let v = groups::patch_group(&state, &org, &id, &json_body(&body)?).await?;
    Ok(Scim(StatusCode::OK, v))
}

async fn delete_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, Failure> {
    let org = org(&state, &headers).await?;
    groups::delete_group(&state, &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn not_found() -> Failure {
    Failure(ScimError::not_found(
        "No such SCIM endpoint: Stint serves /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas.",
    ))
}

async fn method_not_allowed() -> Failure {
    Failure(ScimError::method_not_allowed(
        "This endpoint does not take that method.",
    ))
}

//! What the OpenAPI document says beyond each handler's own annotation:
//! the vocabularies a client may send (categories, skills, currencies, work
//! modes, notification kinds, all read from the code that checks them), and
//! the conventions every operation shares, applied in one pass over the
//! generated document so no operation can forget them:
//!
//! - every error is `application/problem+json` with the `Problem` schema;
//! - each operation lists every error status it can answer: 422 for any
//!   unreadable parameter or body, 401 wherever credentials are read, 403 for
//!   role rules and cross-site browser requests, 404 for path ids, 409 and the
//!   `Idempotency-Key` header on POSTs, 413 for bodies, 429 and 503 where
//!   passwords are checked;
//! - required request fields carry no `default`, and empty defaults (`""`,
//!   `0`, `[]`, `null`) are dropped: they said nothing.

use std::borrow::Cow;

use serde_json::{Value, json};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Declares a string schema whose values are a list known to the code.
macro_rules! vocabulary {
    ($name:ident, $doc:literal, $values:expr) => {
        #[doc = $doc]
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($doc))
                    .enum_values(Some($values))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

vocabulary!(
    CategorySlug,
    "A category slug (`GET /api/v1/categories` lists them with their names).",
    stint_domain::taxonomy::CATEGORIES.iter().map(|c| c.slug)
);
vocabulary!(
    SkillSlug,
    "A skill slug (`GET /api/v1/skills` lists them with their names and categories).",
    stint_domain::taxonomy::SKILLS.iter().map(|s| s.slug)
);
vocabulary!(
    CurrencyCode,
    "An ISO 4217 currency Stint pays in.",
    stint_domain::money::Currency::ALL.iter().map(|c| c.code())
);
vocabulary!(
    WorkModeName,
    "Where the work happens.",
    stint_domain::project::WorkMode::ALL
        .iter()
        .map(|m| m.as_str())
);
vocabulary!(
    NotificationKind,
    "What a notification is about.",
    crate::app::notify::Kind::ALL.iter().map(|k| k.as_str())
);

/// A calendar date, `YYYY-MM-DD`, in the years 2000–2100.
pub struct IsoDate;

impl PartialSchema for IsoDate {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, YYYY-MM-DD, in the years 2000–2100."))
            .into()
    }
}

impl ToSchema for IsoDate {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IsoDate")
    }
}

const PROBLEM: &str = "#/components/schemas/Problem";

/// Operations that check a password (and so can be rate limited or busy).
const PASSWORD_CHECKS: [&str; 2] = ["/api/v1/auth/register", "/api/v1/auth/token"];

/// Applies the shared conventions to the whole document (see the module).
pub fn apply_conventions(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if let Some(op) = op.as_object_mut() {
                    operation(path, method, op);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            tidy_defaults(schema);
        }
    }
}

fn operation(path: &str, method: &str, op: &mut serde_json::Map<String, Value>) {
    let secured = op.contains_key("security");
    let has_body = op.contains_key("requestBody");
    let has_id = path.contains('{');
    let post = method == "post";
    let reads_credentials = path != "/api/v1/auth/register";
    let mut add: Vec<(&str, &str)> = vec![(
        "422",
        "`validation_failed`: a parameter or the body is missing, malformed or breaks a rule; `errors` names each field.",
    )];
    if reads_credentials {
        add.push((
            "401",
            "`unauthenticated` (no or a bad bearer token) or `invalid_credentials`.",
        ));
    }
    if secured || method != "get" {
        add.push(("403", "`forbidden`: the caller's role or membership does not allow this, or a browser sent it from another site."));
    }
    if has_id {
        add.push((
            "404",
            "`not_found`: no such object, or not one the caller may see.",
        ));
    }
    if method != "get" {
        add.push(("409", "The object's state does not allow this now (the `code` says why), or `idempotency_request_in_progress`: a request with the same `Idempotency-Key` is still running."));
    }
    if has_body {
        add.push((
            "413",
            "`payload_too_large`: the body is over the limit (256 KiB; 25.5 MB with files).",
        ));
    }
    if PASSWORD_CHECKS.contains(&path) {
        add.push((
            "429",
            "`rate_limited`: too many attempts from this address; see `Retry-After`.",
        ));
        add.push((
            "503",
            "`busy`: too many password checks at once; retry after `Retry-After` seconds.",
        ));
    }
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    if let Some(responses) = responses {
        for (status, description) in add {
            responses
                .entry(status)
                .or_insert_with(|| json!({ "description": description }));
        }
        for (status, response) in responses.iter_mut() {
            if status.starts_with('4') || status.starts_with('5') {
                problem_response(status, response);
            }
            if post {
                let extra = match status.as_str() {
                    "409" => {
                        "`idempotency_request_in_progress`: a request with the same `Idempotency-Key` is still running."
                    }
                    "422" => {
                        "`idempotency_key_reused`: the `Idempotency-Key` was used for a different request."
                    }
                    _ => continue,
                };
                let code = extra.split('`').nth(1).unwrap_or_default();
                if let Some(d) = response.get_mut("description")
                    && let Some(text) = d.as_str()
                    && !text.contains(code)
                {
                    *d = json!(format!("{text} Also {extra}"));
                }
            }
        }
    }
    if post {
        let params = op
            .entry("parameters")
            .or_insert_with(|| json!([]))
            .as_array_mut();
        if let Some(params) = params {
            params.push(json!({
                "name": "Idempotency-Key",
                "in": "header",
                "required": false,
                "description": "Any 1–255 visible ASCII characters, such as a UUID. A retry with the same key within 24 hours gets the first answer back (with `Idempotent-Replayed: true`) instead of repeating the action; the same key on a different request is refused with 422 `idempotency_key_reused`; while the first is still running, 409 `idempotency_request_in_progress`. Keys belong to the person, whichever token sends them.",
                "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$" }
            }));
        }
    }
}

/// An error response: problem+json, and `Retry-After` where it applies.
fn problem_response(status: &str, response: &mut Value) {
    let Some(r) = response.as_object_mut() else {
        return;
    };
    if !r.contains_key("description") {
        r.insert("description".into(), json!("A problem."));
    }
    r.insert(
        "content".into(),
        json!({ "application/problem+json": { "schema": { "$ref": PROBLEM } } }),
    );
    if matches!(status, "429" | "503") {
        r.insert(
            "headers".into(),
            json!({ "Retry-After": { "description": "Seconds to wait before trying again.", "schema": { "type": "integer" } } }),
        );
    }
}

/// Drops `default` from required properties, and empty defaults anywhere
/// (`""`, `0`, `[]`, `null`, or an object of nothing but nulls), at every
/// depth of a schema.
fn tidy_defaults(schema: &mut Value) {
    match schema {
        Value::Array(items) => items.iter_mut().for_each(tidy_defaults),
        Value::Object(map) => {
            let required: Vec<String> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
                for (name, prop) in props.iter_mut() {
                    if required.contains(name)
                        && let Some(p) = prop.as_object_mut()
                    {
                        p.remove("default");
                    }
                }
            }
            if map.get("default").is_some_and(says_nothing) {
                map.remove("default");
            }
            map.values_mut().for_each(tidy_defaults);
        }
        _ => {}
    }
}

fn says_nothing(d: &Value) -> bool {
    d.is_null()
        || d.as_str() == Some("")
        || d.as_i64() == Some(0)
        || d.as_array().is_some_and(Vec::is_empty)
        || d.as_object()
            .is_some_and(|o| o.values().all(Value::is_null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_come_from_the_code() {
        let s = serde_json::to_value(CategorySlug::schema()).unwrap_or_default();
        let values = s["enum"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(values, stint_domain::taxonomy::CATEGORIES.len());
        let k = serde_json::to_value(NotificationKind::schema()).unwrap_or_default();
        assert!(k["enum"].as_array().is_some_and(|a| a.len() >= 18), "{k}");
    }

    #[test]
    fn conventions_fill_in_errors_and_the_idempotency_header() {
        let mut doc = json!({
            "paths": { "/api/v1/things/{id}": { "post": {
                "security": [{"bearer": []}],
                "requestBody": {},
                "responses": { "200": {"description": "ok"}, "404": { "description": "gone", "content": { "application/json": {} } } }
            } } },
            "components": { "schemas": { "T": { "required": ["a"], "properties": {
                "a": { "type": "string", "default": "" }, "b": { "type": "boolean", "default": false },
                "c": { "type": "array", "default": [] } } } } }
        });
        apply_conventions(&mut doc);
        let op = &doc["paths"]["/api/v1/things/{id}"]["post"];
        for status in ["401", "403", "404", "409", "413", "422"] {
            assert!(
                op["responses"][status]["content"]["application/problem+json"].is_object(),
                "{status}: {op}"
            );
        }
        assert!(op["responses"]["404"]["content"]["application/json"].is_null());
        assert_eq!(op["parameters"][0]["name"], "Idempotency-Key");
        let t = &doc["components"]["schemas"]["T"]["properties"];
        assert!(t["a"].get("default").is_none() && t["c"].get("default").is_none());
        assert_eq!(t["b"]["default"], false);
    }
}

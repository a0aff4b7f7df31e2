//! The schemas Stint publishes at `/Schemas` and what they say about each
//! attribute: its type, whether it is multi-valued, case-exact, required,
//! read-only. The documents are RFC 7643's (§8.7), as the SCIM models of
//! the `scim2-models` package print them; Stint's User schema leaves out
//! `password` (accounts made by provisioning sign in through their
//! organization) and requires `emails`, each with its `value`. The Group
//! schema is RFC 7643's as printed.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::ScimError;

const USER: &str = include_str!("schemas/user.json");
const GROUP: &str = include_str!("schemas/group.json");
const SCHEMA: &str = include_str!("schemas/schema.json");
const RESOURCE_TYPE: &str = include_str!("schemas/resource_type.json");
const SERVICE_PROVIDER_CONFIG: &str = include_str!("schemas/service_provider_config.json");

/// One attribute of a schema.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    /// `string`, `boolean`, `decimal`, `integer`, `dateTime`, `binary`,
    /// `reference`, `complex`.
    pub kind: String,
    pub multi: bool,
    pub required: bool,
    pub case_exact: bool,
    /// `readOnly`, `readWrite`, `immutable`, `writeOnly`.
    pub mutability: String,
    /// `always`, `never`, `default`, `request`.
    pub returned: String,
    pub sub: Vec<Attr>,
}

impl Attr {
    fn from_json(v: &Value) -> Attr {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let b = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        Attr {
            name: s("name"),
            kind: s("type"),
            multi: b("multiValued"),
            required: b("required"),
            case_exact: b("caseExact"),
            mutability: s("mutability"),
            returned: s("returned"),
            sub: v
                .get("subAttributes")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(Attr::from_json).collect())
                .unwrap_or_default(),
        }
    }

    pub fn read_only(&self) -> bool {
        self.mutability == "readOnly"
    }

    pub fn sub_attr(&self, name: &str) -> Option<&Attr> {
        self.sub.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// A resource schema: its URN and attributes.
#[derive(Debug, Clone)]
pub struct Schema {
    pub id: String,
    pub attrs: Vec<Attr>,
    document: Value,
}

/// The common attributes every resource has (RFC 7643 §3.1): `id` and
/// `meta` are the server's; `externalId` is the client's.
fn common() -> Vec<Attr> {
    let a = |name: &str, mutability: &str, returned: &str, case_exact: bool| Attr {
        name: name.into(),
        kind: "string".into(),
        multi: false,
        required: false,
        case_exact,
        mutability: mutability.into(),
        returned: returned.into(),
        sub: Vec::new(),
    };
    let mut meta = a("meta", "readOnly", "default", false);
    meta.kind = "complex".into();
    meta.sub = vec![
        a("resourceType", "readOnly", "default", true),
        a("created", "readOnly", "default", false),
        a("lastModified", "readOnly", "default", false),
        a("location", "readOnly", "default", true),
        a("version", "readOnly", "default", true),
    ];
    for s in &mut meta.sub[1..3] {
        s.kind = "dateTime".into();
    }
    vec![
        a("id", "readOnly", "always", true),
        a("externalId", "readWrite", "default", true),
        meta,
    ]
}

fn parse(doc: &str) -> Schema {
    let document: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
    let mut attrs: Vec<Attr> = document
        .get("attributes")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(Attr::from_json).collect())
        .unwrap_or_default();
    attrs.extend(common());
    Schema {
        id: document
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        attrs,
        document,
    }
}

/// Stint's User schema.
pub fn user() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| parse(USER))
}

/// The Group schema: `displayName` and `members`.
pub fn group() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| parse(GROUP))
}

/// Every schema document `/Schemas` lists: User, Group, then the three
/// that describe the discovery resources themselves.
pub fn documents() -> Vec<Value> {
    [USER, GROUP, SCHEMA, RESOURCE_TYPE, SERVICE_PROVIDER_CONFIG]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap_or(Value::Null))
        .collect()
}

/// `"true"` and `"false"` as text are taken for booleans: Microsoft Entra
/// ID sends `active` that way in PATCH.
fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

impl Schema {
    pub fn document(&self) -> &Value {
        &self.document
    }

    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Strips this schema's URN from a fully qualified attribute name
    /// (`urn:…:User:userName` → `userName`).
    pub fn strip_urn<'a>(&self, path: &'a str) -> &'a str {
        let id = self.id.as_str();
        if path.len() > id.len() + 1
            && path.is_char_boundary(id.len())
            && path[..id.len()].eq_ignore_ascii_case(id)
            && path.as_bytes()[id.len()] == b':'
        {
            &path[id.len() + 1..]
        } else {
            path
        }
    }

    /// What a client sent, in canonical form: attribute names as the
    /// schema spells them, values checked against their types, read-only
    /// and unknown attributes and unassigned values (null, empty arrays)
    /// left out. Attributes under this schema's URN are merged in.
    pub fn normalize(&self, input: &Value) -> Result<Map<String, Value>, ScimError> {
        let obj = input
            .as_object()
            .ok_or_else(|| ScimError::invalid_syntax("The resource must be a JSON object."))?;
        let mut out = Map::new();
        for (key, value) in obj {
            if key.eq_ignore_ascii_case(&self.id) {
                if let Value::Object(_) = value {
                    for (k, v) in self.normalize(value)? {
                        out.insert(k, v);
                    }
                }
                continue;
            }
            let Some(attr) = self.attr(self.strip_urn(key)) else {
                continue;
            };
            if attr.read_only() {
                continue;
            }
            if let Some(v) = normalize_value(attr, value)? {
                out.insert(attr.name.clone(), v);
            }
        }
        Ok(out)
    }

    /// Checks what must be there (`required` attributes) after a change.
    pub fn check_required(&self, doc: &Map<String, Value>) -> Result<(), ScimError> {
        for a in self.attrs.iter().filter(|a| a.required && !a.read_only()) {
            if !doc.contains_key(&a.name) {
                return Err(ScimError::invalid_value(format!(
                    "The attribute {} is required.",
                    a.name
                )));
            }
        }
        Ok(())
    }
}

/// One attribute's value in canonical form; `None` when unassigned.
pub fn normalize_value(attr: &Attr, value: &Value) -> Result<Option<Value>, ScimError> {
    if value.is_null() {
        return Ok(None);
    }
    if attr.multi {
        let items: Vec<&Value> = match value {
            Value::Array(a) => a.iter().collect(),
            one => vec![one],
        };
        let mut out = Vec::new();
        for item in items {
            if let Some(v) = normalize_single(attr, item)? {
                out.push(v);
            }
        }
        if out.is_empty() {
            return Ok(None);
        }
        fix_primary(&mut out);
        return Ok(Some(Value::Array(out)));
    }
    if value.is_array() {
        return Err(ScimError::invalid_value(format!(
            "{} takes one value, not a list.",
            attr.name
        )));
    }
    normalize_single(attr, value)
}

/// At most one value of a multi-valued attribute is `primary`: the last
/// one marked wins (RFC 7643 §2.4).
fn fix_primary(items: &mut [Value]) {
    let last = items
        .iter()
        .rposition(|v| v.get("primary").and_then(Value::as_bool) == Some(true));
    if let Some(last) = last {
        for (i, v) in items.iter_mut().enumerate() {
            if i != last
                && let Some(o) = v.as_object_mut()
                && o.get("primary").and_then(Value::as_bool) == Some(true)
            {
                o.insert("primary".into(), Value::Bool(false));
            }
        }
    }
}

fn normalize_single(attr: &Attr, value: &Value) -> Result<Option<Value>, ScimError> {
    let wrong = |what: &str| ScimError::invalid_value(format!("{} must be {what}.", attr.name));
    Ok(Some(match attr.kind.as_str() {
        "complex" => {
            let obj = value.as_object().ok_or_else(|| wrong("an object"))?;
            let mut out = Map::new();
            for (k, v) in obj {
                let Some(sub) = attr.sub_attr(k) else {
                    continue;
                };
                if sub.read_only() && attr.name != "meta" {
                    continue;
                }
                if let Some(v) = normalize_value(sub, v)? {
                    out.insert(sub.name.clone(), v);
                }
            }
            if out.is_empty() {
                return Ok(None);
            }
            Value::Object(out)
        }
        "boolean" => Value::Bool(as_bool(value).ok_or_else(|| wrong("true or false"))?),
        "integer" => {
            if !value.is_i64() {
                return Err(wrong("a whole number"));
            }
            value.clone()
        }
        "decimal" => {
            if !value.is_number() {
                return Err(wrong("a number"));
            }
            value.clone()
        }
        _ => {
            let s = value.as_str().ok_or_else(|| wrong("text"))?;
            if s.len() > 2048 {
                return Err(wrong("at most 2,048 bytes"));
            }
            if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(wrong("text without control characters"));
            }
            Value::String(s.to_string())
        }
    }))
}

/// Applies `attributes` (only these, and those always returned) or else
/// `excludedAttributes` to a resource as it is returned (RFC 7644
/// §3.4.2.5). Names may be fully qualified and may name sub-attributes.
pub fn project(
    schema: &Schema,
    resource: &mut Map<String, Value>,
    attributes: &[String],
    excluded: &[String],
) {
    let split = |p: &String| -> (String, Option<String>) {
        let p = schema.strip_urn(p.trim());
        match p.split_once('.') {
            Some((a, s)) => (a.to_string(), Some(s.to_string())),
            None => (p.to_string(), None),
        }
    };
    if !attributes.is_empty() {
        let wanted: Vec<(String, Option<String>)> = attributes.iter().map(split).collect();
        let keys: Vec<String> = resource.keys().cloned().collect();
        for key in keys {
            let always =
                key == "schemas" || schema.attr(&key).is_some_and(|a| a.returned == "always");
            if always {
                continue;
            }
            let picks: Vec<&Option<String>> = wanted
                .iter()
                .filter(|(a, _)| a.eq_ignore_ascii_case(&key))
                .map(|(_, s)| s)
                .collect();
            if picks.is_empty() {
                resource.remove(&key);
            } else if picks.iter().all(|s| s.is_some()) {
                let subs: Vec<&str> = picks.iter().filter_map(|s| s.as_deref()).collect();
                if let Some(v) = resource.get_mut(&key) {
                    keep_subs(v, &subs);
                }
            }
        }
        return;
    }
    for (a, sub) in excluded.iter().map(split) {
        let Some(attr) = schema.attr(&a) else {
            continue;
        };
        if attr.returned == "always" {
            continue;
        }
        match sub {
            None => {
                resource.remove(&attr.name);
            }
            Some(s) => {
                if let Some(v) = resource.get_mut(&attr.name) {
                    drop_sub(v, &s);
                }
            }
        }
    }
}

fn keep_subs(v: &mut Value, subs: &[&str]) {
    match v {
        Value::Object(o) => o.retain(|k, _| subs.iter().any(|s| s.eq_ignore_ascii_case(k))),
        Value::Array(items) => items.iter_mut().for_each(|i| keep_subs(i, subs)),
        _ => {}
    }
}

fn drop_sub(v: &mut Value, sub: &str) {
    match v {
        Value::Object(o) => o.retain(|k, _| !k.eq_ignore_ascii_case(sub)),
        Value::Array(items) => items.iter_mut().for_each(|i| drop_sub(i, sub)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_published_schemas_parse() {
        let u = user();
        assert_eq!(u.id, crate::USER_URN);
        assert!(u.attr("USERNAME").is_some_and(|a| a.required));
        assert!(u.attr("emails").is_some_and(|a| a.multi && a.required));
        assert!(u.attr("password").is_none());
        assert!(u.attr("groups").is_some_and(Attr::read_only));
        assert_eq!(documents().len(), 5);
        let g = group();
        assert_eq!(g.id, crate::GROUP_URN);
        assert!(g.attr("displayname").is_some_and(|a| a.required));
        assert!(
            g.attr("members")
                .and_then(|m| m.sub_attr("value"))
                .is_some_and(|v| v.case_exact)
        );
    }

    #[test]
    fn input_is_put_in_canonical_form() -> Result<(), ScimError> {
        let doc = user().normalize(&json!({
            "schemas": [crate::USER_URN],
            "id": "ignored", "groups": [{"value": "x"}], "unknown": 1,
            "USERNAME": "Ada", "Active": "False",
            "name": {"GivenName": "Ada", "familyName": null},
            "emails": [{"value": "a@x.edu", "primary": true}, {"value": "b@x.edu", "primary": true}],
            "phoneNumbers": [],
            "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "Ada L",
        }))?;
        assert_eq!(
            Value::Object(doc),
            json!({
                "userName": "Ada", "active": false, "name": {"givenName": "Ada"},
                "emails": [{"value": "a@x.edu", "primary": false}, {"value": "b@x.edu", "primary": true}],
                "displayName": "Ada L",
            })
        );
        let bad = user().normalize(&json!({"userName": 5}));
        assert_eq!(bad.map_err(|e| e.scim_type), Err(Some("invalidValue")));
        let bad = user().normalize(&json!({"active": "maybe"}));
        assert_eq!(bad.map_err(|e| e.scim_type), Err(Some("invalidValue")));
        Ok(())
    }

    #[test]
    fn attributes_are_selected_and_excluded() {
        let base = json!({"schemas": [crate::USER_URN], "id": "1", "userName": "a",
            "name": {"givenName": "A", "familyName": "B"}, "emails": [{"value": "a@x", "type": "work"}]});
        let Value::Object(mut r) = base.clone() else {
            return;
        };
        project(
            user(),
            &mut r,
            &["name.givenName".into(), "emails".into()],
            &[],
        );
        assert_eq!(
            Value::Object(r),
            json!({"schemas": [crate::USER_URN], "id": "1", "name": {"givenName": "A"},
                "emails": [{"value": "a@x", "type": "work"}]})
        );
        let Value::Object(mut r) = base else { return };
        project(
            user(),
            &mut r,
            &[],
            &["userName".into(), "emails.type".into(), "id".into()],
        );
        assert_eq!(
            Value::Object(r),
            json!({"schemas": [crate::USER_URN], "id": "1",
                "name": {"givenName": "A", "familyName": "B"}, "emails": [{"value": "a@x"}]})
        );
    }
}

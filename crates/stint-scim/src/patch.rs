//! PATCH (RFC 7644 §3.5.2): `add`, `replace` and `remove`, with or without
//! a path; paths such as `name.givenName`, `emails[type eq "work"].value`
//! or `urn:…:User:active`. Operations apply in order to the resource as
//! stored (canonical JSON); the caller checks the result as a whole and
//! stores it only when every operation succeeded.

use serde_json::{Map, Value};

use crate::ScimError;
use crate::filter::{AttrPath, Filter, Op};
use crate::schema::{Attr, Schema, normalize_value};

/// The most operations one request may carry.
pub const MAX_OPERATIONS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Add,
    Replace,
    Remove,
}

#[derive(Debug, Clone)]
struct PatchPath {
    attr: String,
    filter: Option<Filter>,
    sub: Option<String>,
}

#[derive(Debug, Clone)]
struct Operation {
    kind: Kind,
    path: Option<PatchPath>,
    value: Option<Value>,
}

/// A checked PatchOp message.
#[derive(Debug, Clone)]
pub struct PatchRequest {
    ops: Vec<Operation>,
}

fn parse_path(schema: &Schema, raw: &str) -> Result<PatchPath, ScimError> {
    let raw = raw.trim();
    let (head, filter, tail) = match raw.find('[') {
        Some(open) => {
            let close = raw
                .rfind(']')
                .filter(|c| *c > open)
                .ok_or_else(|| ScimError::invalid_path(format!("{raw}: a [ is not closed.")))?;
            let tail = &raw[close + 1..];
            let sub = match tail {
                "" => None,
                t => Some(t.strip_prefix('.').ok_or_else(|| {
                    ScimError::invalid_path(format!("{raw}: expected .subAttribute after ]."))
                })?),
            };
            (
                &raw[..open],
                Some(
                    Filter::parse(schema, &raw[open + 1..close])
                        .map_err(|e| ScimError::invalid_path(e.detail))?,
                ),
                sub,
            )
        }
        None => (raw, None, None),
    };
    let p = AttrPath::parse(schema, head).map_err(|e| ScimError::invalid_path(e.detail))?;
    let attr = schema.attr(&p.attr).ok_or_else(|| {
        ScimError::invalid_path(format!("{} is not an attribute of this resource.", p.attr))
    })?;
    if attr.read_only() {
        return Err(ScimError::mutability(format!(
            "{} is read-only.",
            attr.name
        )));
    }
    if filter.is_some() && !(attr.multi && attr.kind == "complex") {
        return Err(ScimError::invalid_path(format!(
            "{}: a value filter applies to multi-valued attributes only.",
            attr.name
        )));
    }
    let sub_name = match (p.sub, tail) {
        (Some(_), Some(_)) => {
            return Err(ScimError::invalid_path(format!(
                "{raw} names two sub-attributes."
            )));
        }
        (a, b) => a.or(b.map(str::to_string)),
    };
    let sub = match sub_name {
        None => None,
        Some(s) => {
            let sa = attr.sub_attr(&s).ok_or_else(|| {
                ScimError::invalid_path(format!("{} has no sub-attribute {s}.", attr.name))
            })?;
            if sa.read_only() {
                return Err(ScimError::mutability(format!(
                    "{}.{} is read-only.",
                    attr.name, sa.name
                )));
            }
            Some(sa.name.clone())
        }
    };
    Ok(PatchPath {
        attr: attr.name.clone(),
        filter,
        sub,
    })
}

impl PatchRequest {
    pub fn parse(schema: &Schema, body: &Value) -> Result<PatchRequest, ScimError> {
        let schemas_ok = body
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(crate::PATCH_URN)));
        if !schemas_ok {
            return Err(ScimError::invalid_syntax(format!(
                "A PATCH request names the schema {}.",
                crate::PATCH_URN
            )));
        }
        let ops = body
            .get("Operations")
            .or_else(|| body.get("operations"))
            .and_then(Value::as_array)
            .filter(|o| !o.is_empty())
            .ok_or_else(|| {
                ScimError::invalid_syntax("A PATCH request has a list of Operations.")
            })?;
        if ops.len() > MAX_OPERATIONS {
            return Err(ScimError::invalid_syntax(format!(
                "At most {MAX_OPERATIONS} operations per request."
            )));
        }
        let mut out = Vec::new();
        for op in ops {
            let name = op.get("op").and_then(Value::as_str).unwrap_or("");
            let kind = match name.to_ascii_lowercase().as_str() {
                "add" => Kind::Add,
                "replace" => Kind::Replace,
                "remove" => Kind::Remove,
                _ => {
                    return Err(ScimError::invalid_syntax(format!(
                        "\"{name}\" is not an operation: use add, replace or remove."
                    )));
                }
            };
            let path = match op.get("path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) if p.trim().is_empty() => None,
                Some(Value::String(p)) => Some(parse_path(schema, p)?),
                Some(_) => return Err(ScimError::invalid_path("A path is text.")),
            };
            let value = op.get("value").cloned();
            match (kind, &path, &value) {
                (Kind::Remove, None, _) => {
                    return Err(ScimError::no_target("A remove operation needs a path."));
                }
                (Kind::Add | Kind::Replace, None, v)
                    if !v.as_ref().is_some_and(Value::is_object) =>
                {
                    return Err(ScimError::invalid_value(
                        "Without a path, the value is an object of attributes.",
                    ));
                }
                (Kind::Add | Kind::Replace, Some(_), None) => {
                    return Err(ScimError::invalid_value(
                        "An add or replace operation needs a value.",
                    ));
                }
                _ => {}
            }
            out.push(Operation { kind, path, value });
        }
        Ok(PatchRequest { ops: out })
    }

    /// Applies every operation to `doc`, in order.
    pub fn apply(&self, schema: &Schema, doc: &mut Map<String, Value>) -> Result<(), ScimError> {
        for op in &self.ops {
            match &op.path {
                None => {
                    let fields = schema.normalize(op.value.as_ref().unwrap_or(&Value::Null))?;
                    for (name, v) in fields {
                        if let Some(attr) = schema.attr(&name) {
                            set_attr(doc, attr, v, op.kind);
                        }
                    }
                }
                Some(p) => apply_path(schema, doc, op, p)?,
            }
        }
        Ok(())
    }
}

/// `add` or `replace` of a whole attribute's (normalized) value.
fn set_attr(doc: &mut Map<String, Value>, attr: &Attr, v: Value, kind: Kind) {
    match (attr.multi, attr.kind.as_str(), kind) {
        (true, _, Kind::Add) => {
            let new = match v {
                Value::Array(a) => a,
                one => vec![one],
            };
            let sets_primary = new.iter().any(is_primary);
            let list = doc
                .entry(attr.name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = list {
                if sets_primary {
                    clear_primary(items);
                }
                for n in new {
                    if !items.contains(&n) {
                        items.push(n);
                    }
                }
            }
        }
        (false, "complex", _) => {
            let slot = doc
                .entry(attr.name.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            match (slot, v) {
                (Value::Object(have), Value::Object(new)) => have.extend(new),
                (slot, v) => *slot = v,
            }
        }
        _ => {
            doc.insert(attr.name.clone(), v);
        }
    }
}

fn is_primary(v: &Value) -> bool {
    v.get("primary").and_then(Value::as_bool) == Some(true)
}

fn clear_primary(items: &mut [Value]) {
    for i in items {
        if let Some(o) = i.as_object_mut()
            && o.get("primary").and_then(Value::as_bool) == Some(true)
        {
            o.insert("primary".into(), Value::Bool(false));
        }
    }
}

/// A new value from a simple equality filter, as Microsoft Entra ID
/// expects: `emails[type eq "work"].value` adds `{"type": "work", …}`
/// when no work address exists yet.
fn seed_from(filter: &Filter) -> Option<Map<String, Value>> {
    match filter {
        Filter::Compare(AttrPath { attr, sub: None }, Op::Eq, v) => {
            let mut m = Map::new();
            m.insert(attr.clone(), v.clone());
            Some(m)
        }
        _ => None,
    }
}

fn apply_path(
    schema: &Schema,
    doc: &mut Map<String, Value>,
    op: &Operation,
    p: &PatchPath,
) -> Result<(), ScimError> {
    let attr = schema
        .attr(&p.attr)
        .ok_or_else(|| ScimError::invalid_path(format!("{} is not an attribute.", p.attr)))?;
    let value = op.value.clone().unwrap_or(Value::Null);
    match (&p.filter, &p.sub) {
        (None, None) => match op.kind {
            Kind::Remove => {
                doc.remove(&attr.name);
            }
            kind => match normalize_value(attr, &value)? {
                Some(v) => set_attr(doc, attr, v, kind),
                None if kind == Kind::Replace => {
                    doc.remove(&attr.name);
                }
                None => {}
            },
        },
        (None, Some(sub)) => {
            let sa = attr.sub_attr(sub).ok_or_else(|| {
                ScimError::invalid_path(format!("{}.{sub} is not an attribute.", attr.name))
            })?;
            let nv = match op.kind {
                Kind::Remove => None,
                _ => normalize_value(sa, &value)?,
            };
            if attr.multi {
                if let Some(Value::Array(items)) = doc.get_mut(&attr.name) {
                    for item in items.iter_mut() {
                        set_sub(item, &sa.name, nv.clone());
                    }
                }
            } else {
                let slot = doc
                    .entry(attr.name.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                set_sub(slot, &sa.name, nv);
            }
            drop_if_empty(doc, &attr.name);
        }
        (Some(filter), sub) => {
            let new_element = match (op.kind, sub) {
                (Kind::Remove, _) => None,
                (_, Some(s)) => {
                    let sa = attr.sub_attr(s).ok_or_else(|| {
                        ScimError::invalid_path(format!("{}.{s} is not an attribute.", attr.name))
                    })?;
                    normalize_value(sa, &value)?.map(|v| {
                        let mut m = Map::new();
                        m.insert(sa.name.clone(), v);
                        m
                    })
                }
                (_, None) => match normalize_value(attr, &value)? {
                    Some(Value::Array(mut a)) if a.len() == 1 => a.pop().and_then(|v| match v {
                        Value::Object(o) => Some(o),
                        _ => None,
                    }),
                    Some(_) => {
                        return Err(ScimError::invalid_value(format!(
                            "{}[…] takes one value.",
                            attr.name
                        )));
                    }
                    None => None,
                },
            };
            let items = match doc.get_mut(&attr.name) {
                Some(Value::Array(items)) => items,
                _ => {
                    doc.insert(attr.name.clone(), Value::Array(Vec::new()));
                    match doc.get_mut(&attr.name) {
                        Some(Value::Array(items)) => items,
                        _ => return Err(ScimError::no_target("No such attribute.")),
                    }
                }
            };
            let hits: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, v)| filter.matches_in(schema, Some(attr), v))
                .map(|(i, _)| i)
                .collect();
            match op.kind {
                Kind::Remove => match sub {
                    None => {
                        let mut i = 0;
                        items.retain(|_| {
                            let keep = !hits.contains(&i);
                            i += 1;
                            keep
                        });
                    }
                    Some(s) => {
                        for &i in &hits {
                            set_sub(&mut items[i], s, None);
                        }
                    }
                },
                kind => {
                    let Some(fields) = new_element else {
                        return Ok(());
                    };
                    if fields.get("primary").and_then(Value::as_bool) == Some(true) {
                        clear_primary(items);
                    }
                    if hits.is_empty() {
                        match seed_from(filter) {
                            Some(mut seed) if kind == Kind::Add || sub.is_some() => {
                                seed.extend(fields);
                                let seeded = normalize_value(attr, &Value::Object(seed))?;
                                if let Some(Value::Array(mut a)) = seeded {
                                    items.append(&mut a);
                                }
                            }
                            _ => {
                                return Err(ScimError::no_target(format!(
                                    "No value of {} matches the filter.",
                                    attr.name
                                )));
                            }
                        }
                    } else {
                        for &i in &hits {
                            if let Value::Object(o) = &mut items[i] {
                                o.extend(fields.clone());
                            }
                        }
                    }
                }
            }
            drop_if_empty(doc, &attr.name);
        }
    }
    Ok(())
}

fn set_sub(slot: &mut Value, sub: &str, v: Option<Value>) {
    if let Value::Object(o) = slot {
        match v {
            Some(v) => {
                o.insert(sub.to_string(), v);
            }
            None => {
                o.remove(sub);
            }
        }
    }
}

fn drop_if_empty(doc: &mut Map<String, Value>, name: &str) {
    let empty = match doc.get(name) {
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    if empty {
        doc.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::user;
    use serde_json::json;

    fn doc() -> Map<String, Value> {
        match json!({"userName": "ada", "active": true, "name": {"givenName": "Ada"},
            "emails": [{"value": "ada@uni.edu", "type": "work", "primary": true}]})
        {
            Value::Object(o) => o,
            _ => Map::new(),
        }
    }

    fn patch(ops: Value) -> Result<Value, ScimError> {
        let req = PatchRequest::parse(
            user(),
            &json!({"schemas": [crate::PATCH_URN], "Operations": ops}),
        )?;
        let mut d = doc();
        req.apply(user(), &mut d)?;
        Ok(Value::Object(d))
    }

    #[test]
    fn operations_apply_as_rfc_7644_says() -> Result<(), ScimError> {
        // Entra ID's deactivation: replace without a path, text boolean.
        let d = patch(json!([{"op": "Replace", "value": {"active": "False"}}]))?;
        assert_eq!(d["active"], json!(false));
        let d = patch(json!([{"op": "replace", "path": "name.familyName", "value": "Lovelace"}]))?;
        assert_eq!(
            d["name"],
            json!({"givenName": "Ada", "familyName": "Lovelace"})
        );
        let d = patch(
            json!([{"op": "add", "path": "emails", "value": [{"value": "a@home.example", "type": "home", "primary": true}]}]),
        )?;
        assert_eq!(
            d["emails"],
            json!([{"value": "ada@uni.edu", "type": "work", "primary": false},
                   {"value": "a@home.example", "type": "home", "primary": true}])
        );
        let d = patch(
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "lovelace@uni.edu"}]),
        )?;
        assert_eq!(d["emails"][0]["value"], json!("lovelace@uni.edu"));
        // No home address yet: add through the filter makes one.
        let d = patch(
            json!([{"op": "add", "path": "emails[type eq \"home\"].value", "value": "a@home.example"}]),
        )?;
        assert_eq!(
            d["emails"][1],
            json!({"type": "home", "value": "a@home.example"})
        );
        let d = patch(json!([{"op": "remove", "path": "emails[type eq \"work\"]"}]))?;
        assert!(d.get("emails").is_none());
        let d = patch(json!([{"op": "remove", "path": "name.givenName"}]))?;
        assert!(d.get("name").is_none());
        let d = patch(
            json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:User:title", "value": "Student"},
                             {"op": "remove", "path": "active"}]),
        )?;
        assert_eq!((&d["title"], d.get("active")), (&json!("Student"), None));
        let d =
            patch(json!([{"op": "add", "value": {"nickName": "A", "name": {"familyName": "L"}}}]))?;
        assert_eq!(d["name"], json!({"givenName": "Ada", "familyName": "L"}));
        Ok(())
    }

    #[test]
    fn bad_operations_are_refused_with_their_scim_type() {
        let code = |ops: Value| patch(ops).err().and_then(|e| e.scim_type);
        assert_eq!(code(json!([{"op": "remove"}])), Some("noTarget"));
        assert_eq!(
            code(json!([{"op": "move", "path": "userName"}])),
            Some("invalidSyntax")
        );
        assert_eq!(
            code(json!([{"op": "add", "path": "nope", "value": 1}])),
            Some("invalidPath")
        );
        assert_eq!(
            code(json!([{"op": "add", "path": "groups", "value": []}])),
            Some("mutability")
        );
        assert_eq!(
            code(json!([{"op": "replace", "path": "id", "value": "x"}])),
            Some("mutability")
        );
        assert_eq!(
            code(json!([{"op": "replace", "path": "active", "value": "yes"}])),
            Some("invalidValue")
        );
        assert_eq!(
            code(
                json!([{"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "x@y"}}])
            ),
            Some("noTarget")
        );
        assert_eq!(
            code(json!([{"op": "add", "path": "emails[type eq \"work\"", "value": "x"}])),
            Some("invalidPath")
        );
        assert_eq!(
            code(json!([{"op": "add", "path": "userName[x eq 1]", "value": "x"}])),
            Some("invalidPath")
        );
        let none =
            PatchRequest::parse(user(), &json!({"Operations": [{"op": "add", "value": {}}]}));
        assert_eq!(none.err().and_then(|e| e.scim_type), Some("invalidSyntax"));
    }
}

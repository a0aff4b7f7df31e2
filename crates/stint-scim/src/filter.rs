//! Filters (RFC 7644 §3.4.2.2): `userName eq "ada@uni.edu"`,
//! `emails[type eq "work" and value co "@uni.edu"]`, `not (active eq
//! false) or meta.lastModified gt "2026-01-01T00:00:00Z"`. Parsed into a
//! [`Filter`] and evaluated over a resource as JSON, with the schema
//! telling which attributes compare case-exactly.

use serde_json::Value;

use crate::ScimError;
use crate::schema::{Attr, Schema};

/// The longest filter read.
const MAX_LEN: usize = 2000;
/// How deeply filters may nest.
const MAX_DEPTH: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr pr`
    Present(AttrPath),
    /// `attr op value`
    Compare(AttrPath, Op, Value),
    /// `attr[filter]`: some value of a multi-valued complex attribute
    /// matches the inner filter.
    ValuePath(String, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// `attr` or `attr.sub`, URN stripped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    pub attr: String,
    pub sub: Option<String>,
}

impl AttrPath {
    pub fn parse(schema: &Schema, raw: &str) -> Result<AttrPath, ScimError> {
        let p = schema.strip_urn(raw);
        let (attr, sub) = match p.split_once('.') {
            Some((a, s)) => (a, Some(s)),
            None => (p, None),
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if !ok(attr) || sub.is_some_and(|s| !ok(s)) {
            return Err(ScimError::invalid_filter(format!(
                "{raw} is not an attribute path."
            )));
        }
        Ok(AttrPath {
            attr: attr.to_string(),
            sub: sub.map(str::to_string),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Word(String),
    Text(String),
}

fn tokenize(input: &str) -> Result<Vec<Token>, ScimError> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '[' => {
                out.push(Token::OpenBracket);
                i += 1;
            }
            ']' => {
                out.push(Token::CloseBracket);
                i += 1;
            }
            '"' => {
                // A JSON string, escapes and all.
                let start = i;
                i += 1;
                let mut escaped = false;
                while i < chars.len() {
                    match (chars[i], escaped) {
                        ('\\', false) => escaped = true,
                        ('"', false) => break,
                        _ => escaped = false,
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(ScimError::invalid_filter("A quoted value is not closed."));
                }
                let raw: String = chars[start..=i].iter().collect();
                let s: String = serde_json::from_str(&raw).map_err(|_| {
                    ScimError::invalid_filter(format!("{raw} is not a valid quoted value."))
                })?;
                out.push(Token::Text(s));
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !matches!(
                        chars[i],
                        ' ' | '\t' | '\n' | '\r' | '(' | ')' | '[' | ']' | '"'
                    )
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    schema: &'a Schema,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Filter, ScimError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ScimError::invalid_filter("The filter nests too deeply."));
        }
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, ScimError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.at += 1;
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, ScimError> {
        if self.keyword("not") {
            self.at += 1;
            if self.next() != Some(Token::Open) {
                return Err(ScimError::invalid_filter("\"not\" is followed by ( … )."));
            }
            let inner = self.or()?;
            if self.next() != Some(Token::Close) {
                return Err(ScimError::invalid_filter("A ( is not closed."));
            }
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or()?;
            if self.next() != Some(Token::Close) {
                return Err(ScimError::invalid_filter("A ( is not closed."));
            }
            return Ok(inner);
        }
        let Some(Token::Word(path)) = self.next() else {
            return Err(ScimError::invalid_filter(
                "Expected an attribute, such as userName.",
            ));
        };
        if self.peek() == Some(&Token::OpenBracket) {
            self.at += 1;
            let attr = AttrPath::parse(self.schema, &path)?;
            if attr.sub.is_some() {
                return Err(ScimError::invalid_filter(format!(
                    "{path}[…]: a value filter follows an attribute, not a sub-attribute."
                )));
            }
            let inner = self.or()?;
            if self.next() != Some(Token::CloseBracket) {
                return Err(ScimError::invalid_filter("A [ is not closed."));
            }
            return Ok(Filter::ValuePath(attr.attr, Box::new(inner)));
        }
        let attr = AttrPath::parse(self.schema, &path)?;
        let Some(Token::Word(op)) = self.next() else {
            return Err(ScimError::invalid_filter(format!(
                "Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after {path}."
            )));
        };
        let op = match op.to_ascii_lowercase().as_str() {
            "pr" => return Ok(Filter::Present(attr)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            other => {
                return Err(ScimError::invalid_filter(format!(
                    "{other} is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)."
                )));
            }
        };
        let value = match self.next() {
            Some(Token::Text(s)) => Value::String(s),
            Some(Token::Word(w)) => match w.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                n => serde_json::from_str::<serde_json::Number>(n)
                    .map(Value::Number)
                    .map_err(|_| {
                        ScimError::invalid_filter(format!(
                            "{n} is not a value: quote text, as in \"{n}\"."
                        ))
                    })?,
            },
            _ => {
                return Err(ScimError::invalid_filter(format!(
                    "Expected a value after {path}."
                )));
            }
        };
        Ok(Filter::Compare(attr, op, value))
    }
}

impl Filter {
    pub fn parse(schema: &Schema, input: &str) -> Result<Filter, ScimError> {
        if input.len() > MAX_LEN {
            return Err(ScimError::invalid_filter("The filter is too long."));
        }
        let mut p = Parser {
            tokens: tokenize(input)?,
            at: 0,
            schema,
            depth: 0,
        };
        if p.tokens.is_empty() {
            return Err(ScimError::invalid_filter("The filter is empty."));
        }
        let f = p.or()?;
        if p.at < p.tokens.len() {
            return Err(ScimError::invalid_filter(
                "The filter goes on after a complete expression; join parts with and / or.",
            ));
        }
        Ok(f)
    }

    /// `userName eq "…"`: the value, for a lookup by index.
    pub fn user_name_eq(&self) -> Option<&str> {
        self.attr_eq("userName")
    }

    /// The value when the filter is exactly `<name> eq "value"` for a
    /// top-level attribute `name` (such as a Group's `displayName`).
    pub fn attr_eq(&self, name: &str) -> Option<&str> {
        match self {
            Filter::Compare(AttrPath { attr, sub: None }, Op::Eq, Value::String(s))
                if attr.eq_ignore_ascii_case(name) =>
            {
                Some(s)
            }
            _ => None,
        }
    }

    /// Whether `resource` (or, inside a value path, one value of a
    /// multi-valued attribute) matches.
    pub fn matches(&self, schema: &Schema, resource: &Value) -> bool {
        self.matches_in(schema, None, resource)
    }

    /// `within`: the multi-valued attribute whose values are being tested.
    pub(crate) fn matches_in(&self, schema: &Schema, within: Option<&Attr>, v: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.matches_in(schema, within, v) && b.matches_in(schema, within, v),
            Filter::Or(a, b) => a.matches_in(schema, within, v) || b.matches_in(schema, within, v),
            Filter::Not(a) => !a.matches_in(schema, within, v),
            Filter::ValuePath(attr, inner) => {
                let Some(a) = schema.attr(attr) else {
                    return false;
                };
                values_of(v, &a.name)
                    .iter()
                    .any(|item| inner.matches_in(schema, Some(a), item))
            }
            Filter::Present(p) => {
                let (vals, _) = resolve(schema, within, v, p);
                vals.iter().any(|x| match x {
                    Value::Null => false,
                    Value::String(s) => !s.is_empty(),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(o) => !o.is_empty(),
                    _ => true,
                })
            }
            Filter::Compare(p, op, want) => {
                let (vals, case_exact) = resolve(schema, within, v, p);
                match op {
                    Op::Ne => !vals.iter().any(|x| compare(x, Op::Eq, want, case_exact)),
                    _ => vals.iter().any(|x| compare(x, *op, want, case_exact)),
                }
            }
        }
    }
}

/// The values of `name` in an object, case-insensitively; an array's
/// values one by one.
fn values_of(v: &Value, name: &str) -> Vec<Value> {
    let found = v
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(_, x)| x.clone());
    match found {
        Some(Value::Array(a)) => a,
        Some(x) => vec![x],
        None => Vec::new(),
    }
}

/// The values a path names, and whether they compare case-exactly. A
/// multi-valued complex attribute without a sub-attribute compares its
/// values' `value` (RFC 7644 §3.4.2.2).
fn resolve(schema: &Schema, within: Option<&Attr>, v: &Value, p: &AttrPath) -> (Vec<Value>, bool) {
    let attr = match within {
        Some(parent) => parent.sub_attr(&p.attr),
        None => schema.attr(&p.attr),
    };
    let top = values_of(v, &p.attr);
    let Some(attr) = attr else {
        return (top, false);
    };
    let sub_name = match (&p.sub, attr.kind.as_str()) {
        (Some(s), _) => Some(s.as_str()),
        (None, "complex") if attr.multi => Some("value"),
        _ => None,
    };
    match sub_name {
        None => (top, attr.case_exact),
        Some(s) => {
            let case_exact = attr.sub_attr(s).is_some_and(|x| x.case_exact);
            (
                top.iter().flat_map(|item| values_of(item, s)).collect(),
                case_exact,
            )
        }
    }
}

fn compare(have: &Value, op: Op, want: &Value, case_exact: bool) -> bool {
    match (have, want) {
        (Value::String(h), Value::String(w)) => {
            let (h, w) = if case_exact {
                (h.clone(), w.clone())
            } else {
                (h.to_lowercase(), w.to_lowercase())
            };
            match op {
                Op::Eq => h == w,
                Op::Ne => h != w,
                Op::Co => h.contains(&w),
                Op::Sw => h.starts_with(&w),
                Op::Ew => h.ends_with(&w),
                Op::Gt => h > w,
                Op::Ge => h >= w,
                Op::Lt => h < w,
                Op::Le => h <= w,
            }
        }
        (Value::Bool(h), Value::Bool(w)) => match op {
            Op::Eq => h == w,
            Op::Ne => h != w,
            _ => false,
        },
        (Value::Number(h), Value::Number(w)) => {
            let (Some(h), Some(w)) = (h.as_f64(), w.as_f64()) else {
                return false;
            };
            match op {
                Op::Eq => h == w,
                Op::Ne => h != w,
                Op::Gt => h > w,
                Op::Ge => h >= w,
                Op::Lt => h < w,
                Op::Le => h <= w,
                _ => false,
            }
        }
        (_, Value::Null) => matches!(op, Op::Eq) && have.is_null(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::user;
    use serde_json::json;

    fn ada() -> Value {
        json!({"id": "7", "userName": "Ada@Uni.edu", "active": true, "externalId": "E-1",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada@uni.edu", "type": "work", "primary": true},
                       {"value": "ada@home.example", "type": "home"}],
            "meta": {"lastModified": "2026-11-01T10:00:00Z"}})
    }

    fn check(f: &str) -> bool {
        match Filter::parse(user(), f) {
            Ok(f) => f.matches(user(), &ada()),
            Err(e) => panic!("{f}: {e}"),
        }
    }

    #[test]
    fn the_rfc_examples_evaluate() {
        assert!(
            check(r#"userName eq "ada@uni.edu""#),
            "userName is not case-exact"
        );
        assert!(check(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ada""#
        ));
        assert!(!check(r#"externalId eq "e-1""#), "externalId is case-exact");
        assert!(check(r#"name.familyName co "love""#));
        assert!(
            check(r#"emails co "home.example""#),
            "compares emails.value"
        );
        assert!(check(r#"emails[type eq "work" and value ew "@uni.edu"]"#));
        assert!(!check(r#"emails[type eq "home" and value ew "@uni.edu"]"#));
        assert!(check(r#"emails.type eq "home""#));
        assert!(check(r#"meta.lastModified gt "2026-01-01T00:00:00Z""#));
        assert!(check(r#"title pr or active eq true"#));
        assert!(!check(r#"title pr"#));
        assert!(check(
            r#"not (active eq false) and (userName ne "x" or title pr)"#
        ));
        assert!(check(r#"userName ne "someone""#));
        let f = Filter::parse(user(), r#"userName Eq "x@y""#).ok();
        assert_eq!(f.as_ref().and_then(Filter::user_name_eq), Some("x@y"));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        for bad in [
            "",
            "userName",
            r#"userName eq"#,
            r#"userName is "x""#,
            r#"userName eq x"#,
            r#"userName eq "x" extra"#,
            r#"(userName eq "x""#,
            r#"emails[type eq "work""#,
            r#"userName eq "unclosed"#,
            r#"9abc eq "x""#,
        ] {
            let e = Filter::parse(user(), bad).err();
            assert_eq!(e.map(|e| e.scim_type), Some(Some("invalidFilter")), "{bad}");
        }
        let deep = format!("{}userName pr{}", "(".repeat(50), ")".repeat(50));
        assert!(Filter::parse(user(), &deep).is_err());
    }
}

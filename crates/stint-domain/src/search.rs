//! What a person can ask of project search, parsed from a query string.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::money::Currency;
use crate::project::WorkMode;
use crate::taxonomy::{category, skill};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// By text relevance when there is a query, otherwise newest.
    #[default]
    Relevance,
    Newest,
    /// Highest price first.
    Price,
    /// Soonest application deadline first.
    Deadline,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Price => "price",
            Sort::Deadline => "deadline",
        }
    }
}

/// Raw search parameters, shared by `/projects` and `/api/v1/projects`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub category: String,
    pub skill: String,
    pub mode: String,
    pub location: String,
    pub currency: String,
    /// Minimum price in major units: in `currency` when given, else in USD.
    pub min_price: String,
    pub max_hours: String,
    /// Longest start-to-due span, in days.
    pub max_days: String,
    pub for_credit: String,
    pub sort: String,
    pub cursor: String,
    pub limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProjectQuery {
    /// Words to match, at most 200 characters.
    pub text: Option<String>,
    pub category: Option<String>,
    pub skill: Option<String>,
    pub mode: Option<WorkMode>,
    pub location: Option<String>,
    pub currency: Option<Currency>,
    /// In minor units of `currency`, or US cents when no currency is chosen.
    pub min_price_minor: Option<i64>,
    pub max_hours: Option<u16>,
    pub max_days: Option<u16>,
    pub for_credit: bool,
    pub sort: Sort,
    pub offset: u32,
    pub limit: u32,
    /// Set by code, never from a query string: only this project (does a
    /// new project match a saved search?).
    pub project_id: Option<i64>,
    /// Set by code: only projects published after this (daily digests).
    pub published_after: Option<chrono::DateTime<chrono::Utc>>,
}

impl ProjectQuery {
    /// Whether anything narrows the open projects besides the words.
    pub fn has_filters(&self) -> bool {
        self.category.is_some()
            || self.skill.is_some()
            || self.mode.is_some()
            || self.location.is_some()
            || self.currency.is_some()
            || self.min_price_minor.is_some()
            || self.max_hours.is_some()
            || self.max_days.is_some()
            || self.for_credit
            || self.project_id.is_some()
            || self.published_after.is_some()
    }
}

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// Cursors are opaque to clients: `o` and the offset in base 36.
pub fn encode_cursor(offset: u32) -> String {
    let mut n = offset;
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit(n % 36, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    format!("o{}", digits.into_iter().collect::<String>())
}

fn decode_cursor(raw: &str) -> Option<u32> {
    raw.strip_prefix('o')
        .and_then(|d| u32::from_str_radix(d, 36).ok())
        .filter(|o| *o <= 100_000)
}

/// Reads a list's `cursor` and `limit` into an offset and a page size,
/// adding a field error for each that is not understood.
pub fn parse_paging(
    cursor: &str,
    limit: &str,
    default: u32,
    max: u32,
    e: &mut FieldErrors,
) -> (u32, u32) {
    let offset = match cursor.trim() {
        "" => 0,
        c => decode_cursor(c).unwrap_or_else(|| {
            e.add(
                "cursor",
                "This page link is no longer valid; start from the first page.",
            );
            0
        }),
    };
    let limit = match limit.trim() {
        "" => default,
        l => match l.parse::<u32>() {
            Ok(v) if (1..=max).contains(&v) => v,
            _ => {
                e.add("limit", format!("Limit must be from 1 to {max}."));
                default
            }
        },
    };
    (offset, limit)
}

impl SearchParams {
    pub fn parse(&self) -> Result<ProjectQuery, FieldErrors> {
        let mut e = FieldErrors::new();
        // Checked before anything else reads them: a NUL byte in a saved
        // search would fail every query that carries it on PostgreSQL.
        for (field, raw) in self.fields() {
            if crate::text::has_control(raw) {
                e.add(field, crate::text::control_message("The search"));
            }
        }
        e.into_result()?;
        let mut e = FieldErrors::new();
        let opt = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        let text = opt(&self.q).map(|t| t.chars().take(200).collect::<String>());
        let category_slug = opt(&self.category);
        if let Some(c) = &category_slug
            && category(c).is_none()
        {
            e.add("category", "Unknown category.");
        }
        let skill_slug = opt(&self.skill);
        if let Some(s) = &skill_slug
            && skill(s).is_none()
        {
            e.add("skill", "Unknown skill.");
        }
        let mode = opt(&self.mode).and_then(|m| {
            e.take(WorkMode::parse(&m).map_err(|mut err| {
                err.field = "mode";
                err
            }))
        });
        let currency = opt(&self.currency).and_then(|c| e.take(c.parse::<Currency>()));
        let min_price_minor = opt(&self.min_price).and_then(|p| match p.parse::<u32>() {
            Ok(v) => Some(i64::from(v) * 100),
            Err(_) => {
                e.add("min_price", "Minimum price must be a whole number.");
                None
            }
        });
        let num = |field: &'static str, raw: &str, max: u16, e: &mut FieldErrors| -> Option<u16> {
            let t = raw.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<u16>() {
                Ok(v) if v >= 1 && v <= max => Some(v),
                _ => {
                    e.add(field, format!("Use a whole number from 1 to {max}."));
                    None
                }
            }
        };
        let max_hours = num("max_hours", &self.max_hours, 80, &mut e);
        let max_days = num("max_days", &self.max_days, 366, &mut e);
        let for_credit = matches!(self.for_credit.trim(), "true" | "1" | "on" | "yes");
        let sort = match self.sort.trim() {
            "" | "relevance" => Sort::Relevance,
            "newest" => Sort::Newest,
            "price" => Sort::Price,
            "deadline" => Sort::Deadline,
            _ => {
                e.add("sort", "Sort by relevance, newest, price or deadline.");
                Sort::Relevance
            }
        };
        let (offset, limit) =
            parse_paging(&self.cursor, &self.limit, DEFAULT_LIMIT, MAX_LIMIT, &mut e);
        e.into_result()?;
        Ok(ProjectQuery {
            text,
            category: category_slug,
            skill: skill_slug,
            mode,
            location: opt(&self.location).map(|l| l.chars().take(100).collect()),
            currency,
            min_price_minor,
            max_hours,
            max_days,
            for_credit,
            sort,
            offset,
            limit,
            project_id: None,
            published_after: None,
        })
    }

    /// Every parameter with its name, paging included.
    fn fields(&self) -> [(&'static str, &str); 13] {
        [
            ("q", &self.q),
            ("category", &self.category),
            ("skill", &self.skill),
            ("mode", &self.mode),
            ("location", &self.location),
            ("currency", &self.currency),
            ("min_price", &self.min_price),
            ("max_hours", &self.max_hours),
            ("max_days", &self.max_days),
            ("for_credit", &self.for_credit),
            ("sort", &self.sort),
            ("cursor", &self.cursor),
            ("limit", &self.limit),
        ]
    }

    /// The search's parameters that are set, trimmed, in a fixed order;
    /// paging (`cursor`, `limit`) is not part of a search.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.fields()
            .into_iter()
            .filter(|(k, _)| !matches!(*k, "cursor" | "limit"))
            .map(|(k, v)| (k, v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// The parameters as a query string (for links and saved searches).
    pub fn to_query_string(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether no filter or words are set.
    pub fn is_empty(&self) -> bool {
        self.to_query_string().is_empty()
    }

    /// Words for a person: "“market research” · Finance · remote".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("“{}”", self.q.trim()));
        }
        if let Some(c) = category(self.category.trim()) {
            parts.push(c.name.to_string());
        }
        if let Some(s) = skill(self.skill.trim()) {
            parts.push(s.name.to_string());
        }
        if let Ok(m) = WorkMode::parse(&self.mode)
            && !self.mode.trim().is_empty()
        {
            parts.push(m.label().to_lowercase());
        }
        if !self.location.trim().is_empty() {
            parts.push(format!("in {}", self.location.trim()));
        }
        if !self.min_price.trim().is_empty() {
            parts.push(
                format!("from {} {}", self.min_price.trim(), self.currency.trim())
                    .trim()
                    .to_string(),
            );
        }
        if !self.max_hours.trim().is_empty() {
            parts.push(format!("up to {} hours", self.max_hours.trim()));
        }
        if !self.max_days.trim().is_empty() {
            parts.push(format!("within {} days", self.max_days.trim()));
        }
        if matches!(self.for_credit.trim(), "true" | "1" | "on" | "yes") {
            parts.push("for credit".into());
        }
        if parts.is_empty() {
            "All open projects".into()
        } else {
            parts.join(" · ")
        }
    }
}

/// Percent-encodes a query-string value.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else if b == b' ' {
                "+".to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Splits free text into search words: letters and digits only, lower-cased,
/// at most 8 words, so any input is safe to hand to either engine's parser.
pub fn search_terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_characters_are_refused_in_every_field() {
        for field in ["q", "location", "cursor", "skill"] {
            let mut p = SearchParams::default();
            match field {
                "q" => p.q = "data\u{0}".into(),
                "location" => p.location = "\u{0}".into(),
                "cursor" => p.cursor = "o1\u{1b}".into(),
                _ => p.skill = "sql\u{7}".into(),
            }
            let e = p.parse().err().unwrap_or_default();
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        let ok = SearchParams {
            location: "Pune".into(),
            ..SearchParams::default()
        };
        assert!(ok.parse().is_ok());
    }

    #[test]
    fn parses_filters() {
        let p = SearchParams {
            q: " market research ".into(),
            category: "market-research".into(),
            mode: "remote".into(),
            min_price: "200".into(),
            currency: "usd".into(),
            max_hours: "20".into(),
            for_credit: "on".into(),
            sort: "price".into(),
            ..Default::default()
        };
        let q = p.parse().unwrap_or_default();
        assert_eq!(q.text.as_deref(), Some("market research"));
        assert_eq!(q.min_price_minor, Some(20_000));
        assert_eq!(q.currency, Some(Currency::Usd));
        assert!(q.for_credit);
        assert_eq!(q.sort, Sort::Price);
        assert_eq!(q.limit, DEFAULT_LIMIT);
    }

    #[test]
    fn names_bad_filters() {
        let p = SearchParams {
            category: "x".into(),
            skill: "y".into(),
            mode: "moon".into(),
            min_price: "-1".into(),
            max_hours: "0".into(),
            sort: "random".into(),
            cursor: "zzz".into(),
            limit: "1000".into(),
            ..Default::default()
        };
        let e = p.parse().err().unwrap_or_default();
        for f in [
            "category",
            "skill",
            "mode",
            "min_price",
            "max_hours",
            "sort",
            "cursor",
            "limit",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn terms_are_safe_words() {
        assert_eq!(
            search_terms("Market-research* OR \"data\" NEAR(x)"),
            vec!["market", "research", "or", "data", "near", "x"]
        );
        assert!(search_terms("  ''  ").is_empty());
    }

    proptest! {
        #[test]
        fn cursor_round_trips(o in 0u32..=100_000) {
            prop_assert_eq!(decode_cursor(&encode_cursor(o)), Some(o));
        }
    }
}

//! Small helpers for bounded text fields, and the one rule every text input
//! meets at the boundary: no control characters but line breaks and tabs.
//! (PostgreSQL cannot store a NUL byte at all, and no person types one.)

use crate::FieldError;

/// Whether `s` holds a control character other than a line break or tab.
pub fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// The message for a field that holds control characters.
pub fn control_message(label: &str) -> String {
    format!("{label} contains control characters (such as a NUL byte); remove them and try again.")
}

/// Trims `raw` and checks its length in characters.
pub(crate) fn bounded(
    field: &'static str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let s = raw.trim();
    let n = s.chars().count();
    if n < min {
        if min == 1 {
            return Err(FieldError::new(field, format!("{label} is required.")));
        }
        return Err(FieldError::new(
            field,
            format!("{label} must be at least {min} characters."),
        ));
    }
    if n > max {
        return Err(FieldError::new(
            field,
            format!("{label} must be at most {max} characters (it has {n})."),
        ));
    }
    if has_control(s) {
        return Err(FieldError::new(field, control_message(label)));
    }
    Ok(s.to_string())
}

/// Like [`bounded`] but an empty value is allowed and becomes `None`.
pub(crate) fn optional(
    field: &'static str,
    label: &str,
    raw: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    bounded(field, label, raw, 1, max).map(Some)
}

/// An absolute http(s) URL with a host, at most 300 characters.
pub(crate) fn url(
    field: &'static str,
    label: &str,
    raw: &str,
) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("{label} must start with https:// or http://."),
            )
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty()
        || !host.contains('.')
        || s.len() > 300
        || s.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(FieldError::new(
            field,
            format!("{label} must be a full web address, like https://example.com."),
        ));
    }
    Ok(Some(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_trims_and_counts_characters() {
        assert_eq!(
            bounded("f", "Title", "  héllo ", 1, 5).as_deref(),
            Ok("héllo")
        );
        assert!(bounded("f", "Title", "   ", 1, 5).is_err());
        assert!(bounded("f", "Title", "abcdef", 1, 5).is_err());
        assert!(bounded("f", "Title", "a\u{0}b", 1, 5).is_err());
        assert!(bounded("f", "Title", "a\u{7f}b", 1, 5).is_err());
        assert_eq!(
            bounded("f", "Note", "a\nb\tc", 1, 9).as_deref(),
            Ok("a\nb\tc")
        );
    }

    #[test]
    fn urls_need_scheme_and_host() {
        assert_eq!(url("u", "Link", "").unwrap_or_default(), None);
        assert!(url("u", "Link", "example.com").is_err());
        assert!(url("u", "Link", "https://").is_err());
        assert!(url("u", "Link", "javascript:alert(1)").is_err());
        assert!(url("u", "Link", "https://exa mple.com").is_err());
        assert!(url("u", "Link", "https://example.com/x").is_ok());
        assert!(url("u", "Link", "https://example.com/\u{0}").is_err());
    }
}

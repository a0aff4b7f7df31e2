//! An employer's talent pool: the students who completed work for the
//! organization, were hired or shortlisted by it, with its members' private
//! tags and notes, and the filters the pool is read through.

use serde::Serialize;

use crate::taxonomy::skill;
use crate::text::{bounded, control_message, has_control};
use crate::{FieldError, FieldErrors};

/// Why a student is in the pool: the strongest fact so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolReason {
    Shortlisted,
    Hired,
    Completed,
}

impl PoolReason {
    pub fn as_str(self) -> &'static str {
        match self {
            PoolReason::Shortlisted => "shortlisted",
            PoolReason::Hired => "hired",
            PoolReason::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<PoolReason> {
        match raw {
            "shortlisted" => Some(PoolReason::Shortlisted),
            "hired" => Some(PoolReason::Hired),
            "completed" => Some(PoolReason::Completed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PoolReason::Shortlisted => "Shortlisted",
            PoolReason::Hired => "Hired",
            PoolReason::Completed => "Completed work",
        }
    }
}

pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 30;
pub const MAX_NOTE_CHARS: usize = 2000;

/// One tag: trimmed, lower case, inner spaces collapsed; letters, digits,
/// spaces, '-' and '+' only.
pub fn parse_tag(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let tag = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if tag.is_empty() {
        return Err(FieldError::new(field, "A tag cannot be empty."));
    }
    let n = tag.chars().count();
    if n > MAX_TAG_CHARS {
        return Err(FieldError::new(
            field,
            format!("Tags are at most {MAX_TAG_CHARS} characters ('{tag}' has {n})."),
        ));
    }
    if has_control(&tag) {
        return Err(FieldError::new(field, control_message("A tag")));
    }
    if !tag
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '+')
    {
        return Err(FieldError::new(
            field,
            format!("'{tag}': tags use letters, digits, spaces, '-' and '+' only."),
        ));
    }
    Ok(tag)
}

/// A student's tags (a form splits what was typed at commas): empty ones
/// skipped, duplicates dropped, at most [`MAX_TAGS`].
pub fn parse_tags<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for part in items.into_iter().filter(|p| !p.trim().is_empty()) {
        let tag = parse_tag("tags", part)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(FieldError::new(
            "tags",
            format!(
                "A student can have at most {MAX_TAGS} tags (this has {}).",
                out.len()
            ),
        ));
    }
    Ok(out)
}

/// A private note about a student.
pub fn parse_note(raw: &str) -> Result<String, FieldError> {
    bounded("body", "The note", raw, 1, MAX_NOTE_CHARS)
}

/// How the pool is filtered; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PoolFilter {
    /// A skill slug on the student's profile.
    pub skill: Option<String>,
    /// One of the organization's tags.
    pub tag: Option<String>,
    /// The organization's mean rating of the student's work, at least this
    /// (1–5); students it has not rated are left out.
    pub min_rating: Option<i32>,
    /// Hours a week the student says they have, at least this.
    pub min_hours: Option<i32>,
    /// Students whose affiliation with this university is confirmed.
    pub university_id: Option<i64>,
    pub reason: Option<PoolReason>,
}

/// The filters as a query string or form carries them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PoolFilterForm {
    pub skill: String,
    pub tag: String,
    pub min_rating: String,
    pub min_hours: String,
    pub university: String,
    pub reason: String,
}

impl PoolFilterForm {
    pub fn parse(&self) -> Result<PoolFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let skill_slug = self.skill.trim();
        let skill = if skill_slug.is_empty() {
            None
        } else {
            errors.take(
                skill(skill_slug)
                    .map(|s| s.slug.to_string())
                    .ok_or_else(|| {
                        FieldError::new(
                            "skill",
                            format!(
                                "'{skill_slug}' is not a skill Stint knows; pick from the list."
                            ),
                        )
                    }),
            )
        };
        let tag = if self.tag.trim().is_empty() {
            None
        } else {
            errors.take(parse_tag("tag", &self.tag))
        };
        let min_rating = errors
            .take(whole("min_rating", &self.min_rating, 1, 5, "The rating"))
            .flatten();
        let min_hours = errors
            .take(whole("min_hours", &self.min_hours, 1, 60, "Hours a week"))
            .flatten();
        let uni = self.university.trim();
        let university_id =
            if uni.is_empty() {
                None
            } else {
                errors.take(uni.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
                    FieldError::new("university", "Pick a university from the list.")
                }))
            };
        let reason = self.reason.trim();
        let reason = if reason.is_empty() {
            None
        } else {
            errors.take(PoolReason::parse(reason).ok_or_else(|| {
                FieldError::new(
                    "reason",
                    "The reason is one of shortlisted, hired or completed.",
                )
            }))
        };
        errors.into_result()?;
        Ok(PoolFilter {
            skill,
            tag,
            min_rating,
            min_hours,
            university_id,
            reason,
        })
    }
}

/// Invitations to apply one organization may send in any 24 hours.
pub const INVITATIONS_PER_DAY: i64 = 20;
pub const MAX_INVITATION_NOTE_CHARS: usize = 600;

pub const MAX_ACCEPTANCE_MESSAGE_CHARS: usize = 600;

/// The student's message when accepting a direct offer (may be empty).
pub fn parse_acceptance_message(raw: &str) -> Result<String, FieldError> {
    bounded(
        "message",
        "The message",
        raw,
        0,
        MAX_ACCEPTANCE_MESSAGE_CHARS,
    )
}

/// The employer's note with an invitation (may be empty).
pub fn parse_invitation_note(raw: &str) -> Result<String, FieldError> {
    bounded("note", "The note", raw, 0, MAX_INVITATION_NOTE_CHARS)
}

/// Where an invitation to apply, or a direct offer of a place, stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Sent,
    /// Applied; for a direct offer, accepted (the student is hired).
    Applied,
    Declined,
    /// A direct offer the organization took back before an answer.
    Withdrawn,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Sent => "sent",
            InvitationStatus::Applied => "applied",
            InvitationStatus::Declined => "declined",
            InvitationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<InvitationStatus> {
        match raw {
            "sent" => Some(InvitationStatus::Sent),
            "applied" => Some(InvitationStatus::Applied),
            "declined" => Some(InvitationStatus::Declined),
            "withdrawn" => Some(InvitationStatus::Withdrawn),
            _ => None,
        }
    }

    /// As the employer reads it, for an invitation to apply (`direct`
    /// false) or a direct offer.
    pub fn label(self, direct: bool) -> &'static str {
        match (self, direct) {
            (InvitationStatus::Sent, false) => "Invited",
            (InvitationStatus::Sent, true) => "Offered",
            (InvitationStatus::Applied, false) => "Applied",
            (InvitationStatus::Applied, true) => "Accepted, hired",
            (InvitationStatus::Declined, _) => "Declined",
            (InvitationStatus::Withdrawn, _) => "Withdrawn",
        }
    }
}

/// How employers search the students who chose to be discoverable; every
/// part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindFilter {
    /// A skill slug on the student's profile.
    pub skill: Option<String>,
    /// A category slug among the student's interests.
    pub field: Option<String>,
    /// Students whose affiliation with this university is confirmed.
    pub university_id: Option<i64>,
    /// Hours a week the student says they have, at least this.
    pub min_hours: Option<i32>,
    /// Words the student's location contains (case-insensitive).
    pub location: Option<String>,
}

/// The search as a query string or form carries it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FindForm {
    pub skill: String,
    pub field: String,
    pub university: String,
    pub min_hours: String,
    pub location: String,
}

impl FindForm {
    pub fn parse(&self) -> Result<FindFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let base = PoolFilterForm {
            skill: self.skill.clone(),
            min_hours: self.min_hours.clone(),
            university: self.university.clone(),
            ..PoolFilterForm::default()
        };
        let pool = match base.parse() {
            Ok(f) => f,
            Err(e) => {
                errors.0.extend(e.0);
                PoolFilter::default()
            }
        };
        let field = self.field.trim();
        let field = if field.is_empty() {
            None
        } else {
            errors.take(
                crate::taxonomy::category(field)
                    .map(|c| c.slug.to_string())
                    .ok_or_else(|| {
                        FieldError::new(
                            "field",
                            format!("'{field}' is not a field Stint knows; pick from the list."),
                        )
                    }),
            )
        };
        let location = if self.location.trim().is_empty() {
            None
        } else {
            errors.take(bounded("location", "The location", &self.location, 1, 80))
        };
        errors.into_result()?;
        Ok(FindFilter {
            skill: pool.skill,
            field,
            university_id: pool.university_id,
            min_hours: pool.min_hours,
            location,
        })
    }
}

/// A whole number within bounds, or nothing when left empty.
fn whole(
    field: &'static str,
    raw: &str,
    min: i32,
    max: i32,
    what: &str,
) -> Result<Option<i32>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
        _ => Err(FieldError::new(
            field,
            format!("{what} must be a whole number from {min} to {max}."),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_bounded() {
        assert_eq!(
            parse_tags(" Rehire ,strong   WRITER, rehire,,".split(',')).unwrap(),
            vec!["rehire", "strong writer"]
        );
        assert!(parse_tags(["c++", "data-viz"]).is_ok());
        assert!(parse_tags(["<script>"]).is_err());
        assert!(parse_tags(["a,b"]).is_err(), "a comma is not part of a tag");
        assert!(parse_tags([&*"x".repeat(31)]).is_err());
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(parse_tags(eleven.iter().map(String::as_str)).is_err());
        assert_eq!(parse_tags([""]).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn notes_are_required_and_bounded() {
        assert_eq!(parse_note("  Great analyst \n").unwrap(), "Great analyst");
        assert!(parse_note("   ").is_err());
        assert!(parse_note(&"a".repeat(2001)).is_err());
        assert!(parse_note("bad\u{0}byte").is_err());
    }

    #[test]
    fn invitation_notes_and_searches_parse() {
        assert_eq!(parse_invitation_note("  ").unwrap(), "");
        assert!(parse_invitation_note(&"a".repeat(601)).is_err());
        let ok = FindForm {
            field: "software".into(),
            location: " Pune ".into(),
            min_hours: "10".into(),
            ..FindForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.field.as_deref(), Some("software"));
        assert_eq!(ok.location.as_deref(), Some("Pune"));
        let bad = FindForm {
            skill: "nope".into(),
            field: "nope".into(),
            min_hours: "99".into(),
            location: "x".repeat(81),
            ..FindForm::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["skill", "min_hours", "field", "location"]);
        assert_eq!(
            InvitationStatus::parse("applied"),
            Some(InvitationStatus::Applied)
        );
    }

    #[test]
    fn filters_parse_or_name_the_field() {
        let ok = PoolFilterForm {
            min_rating: "4".into(),
            tag: "Rehire".into(),
            reason: "completed".into(),
            ..PoolFilterForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.min_rating, Some(4));
        assert_eq!(ok.tag.as_deref(), Some("rehire"));
        assert_eq!(ok.reason, Some(PoolReason::Completed));
        let bad = PoolFilterForm {
            min_rating: "9".into(),
            min_hours: "x".into(),
            skill: "no-such-skill".into(),
            university: "-3".into(),
            reason: "liked".into(),
            ..PoolFilterForm::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["skill", "min_rating", "min_hours", "university", "reason"]
        );
        assert!(PoolReason::Shortlisted < PoolReason::Completed);
    }
}

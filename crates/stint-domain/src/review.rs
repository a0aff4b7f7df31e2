//! Two-way, double-blind reviews after approval. Each side rates the other on
//! three points from 1 to 5 and writes a few words; the employer may add a
//! recommendation. A review stays hidden until both are in or the review
//! window closes.

use serde::{Deserialize, Serialize};

use crate::text::{bounded, optional};
use crate::{FieldError, FieldErrors};

/// Who reviews whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The employer reviews the student: quality, communication, timeliness.
    OfStudent,
    /// The student reviews the employer: clarity of brief, support, payment speed.
    OfEmployer,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::OfStudent => "of_student",
            Direction::OfEmployer => "of_employer",
        }
    }

    pub fn parse(raw: &str) -> Option<Direction> {
        match raw {
            "of_student" => Some(Direction::OfStudent),
            "of_employer" => Some(Direction::OfEmployer),
            _ => None,
        }
    }

    /// The three things rated, in order.
    pub fn criteria(self) -> [&'static str; 3] {
        match self {
            Direction::OfStudent => ["Quality of work", "Communication", "Timeliness"],
            Direction::OfEmployer => ["Clarity of the brief", "Support", "Payment speed"],
        }
    }
}

pub const TEXT_MAX: usize = 2000;
pub const RECOMMENDATION_MAX: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub rating_1: String,
    pub rating_2: String,
    pub rating_3: String,
    pub text: String,
    pub recommendation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewInput {
    pub ratings: [u8; 3],
    pub text: String,
    pub recommendation: Option<String>,
}

fn rating(field: &'static str, raw: &str) -> Result<u8, FieldError> {
    match raw.trim().parse::<u8>() {
        Ok(v) if (1..=5).contains(&v) => Ok(v),
        _ => Err(FieldError::new(field, "Give a rating from 1 to 5.")),
    }
}

impl ReviewForm {
    /// Only reviews of students may carry a recommendation.
    pub fn parse(&self, direction: Direction) -> Result<ReviewInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let r1 = e.take(rating("rating_1", &self.rating_1));
        let r2 = e.take(rating("rating_2", &self.rating_2));
        let r3 = e.take(rating("rating_3", &self.rating_3));
        let text = e.take(bounded("text", "Your review", &self.text, 10, TEXT_MAX));
        let recommendation = e.take(optional(
            "recommendation",
            "The recommendation",
            &self.recommendation,
            RECOMMENDATION_MAX,
        ));
        if direction == Direction::OfEmployer && matches!(recommendation, Some(Some(_))) {
            e.add("recommendation", "Only employers write recommendations.");
        }
        match (r1, r2, r3, text, recommendation) {
            (Some(a), Some(b), Some(c), Some(text), Some(recommendation)) if e.is_empty() => {
                Ok(ReviewInput {
                    ratings: [a, b, c],
                    text,
                    recommendation,
                })
            }
            _ => Err(e),
        }
    }
}

/// Whether a review is shown: when both sides have reviewed, or once the
/// window has closed.
pub fn visible(both_in: bool, window_closed: bool) -> bool {
    both_in || window_closed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ReviewForm {
        ReviewForm {
            rating_1: "5".into(),
            rating_2: "4".into(),
            rating_3: "5".into(),
            text: "Clear work, on time.".into(),
            recommendation: String::new(),
        }
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!(
            form().parse(Direction::OfStudent).map(|r| r.ratings),
            Ok([5, 4, 5])
        );
        let bad = ReviewForm {
            rating_1: "0".into(),
            rating_2: "six".into(),
            rating_3: "".into(),
            text: "ok".into(),
            recommendation: String::new(),
        };
        let e = bad.parse(Direction::OfStudent).err().unwrap_or_default();
        for f in ["rating_1", "rating_2", "rating_3", "text"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let rec = ReviewForm {
            recommendation: "Hire her.".into(),
            ..form()
        };
        assert!(rec.parse(Direction::OfStudent).is_ok());
        assert!(
            rec.parse(Direction::OfEmployer).is_err(),
            "students do not recommend employers"
        );
    }

    #[test]
    fn double_blind() {
        assert!(!visible(false, false));
        assert!(visible(true, false));
        assert!(visible(false, true));
    }
}

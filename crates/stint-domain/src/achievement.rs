//! Achievements: the proof a finished engagement leaves on a student's
//! portfolio. Outcomes are quantified ("500 survey responses analysed"), the
//! student writes them, and the employer confirms them.

use serde::{Deserialize, Serialize};

use crate::text::bounded;
use crate::{FieldError, FieldErrors};

/// One quantified outcome: a number and what it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub value: String,
    pub metric: String,
}

impl Outcome {
    /// "500 survey responses analysed" → value "500", metric "survey
    /// responses analysed". The value may use digits, `,`, `.` and `%`.
    pub fn parse(line: &str) -> Result<Outcome, FieldError> {
        let line = line.trim();
        let bad = || {
            FieldError::new(
                "outcomes",
                format!(
                    "\"{line}\" should start with a number, like \"500 survey responses analysed\"."
                ),
            )
        };
        let (value, metric) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let numeric = value.chars().any(|c| c.is_ascii_digit())
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || ",.%+".contains(c));
        if !numeric {
            return Err(bad());
        }
        let metric = bounded("outcomes", "Each outcome", metric, 3, 100)?;
        Ok(Outcome {
            value: value.to_string(),
            metric,
        })
    }

    pub fn line(&self) -> String {
        format!("{} {}", self.value, self.metric)
    }
}

pub const MAX_OUTCOMES: usize = 8;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AchievementForm {
    pub summary: String,
    /// One outcome per line.
    pub outcomes: String,
}

impl AchievementForm {
    pub fn parse(&self) -> Result<(String, Vec<Outcome>), FieldErrors> {
        let mut e = FieldErrors::new();
        let summary = e.take(bounded("summary", "The summary", &self.summary, 10, 600));
        let mut outcomes = Vec::new();
        for line in self.outcomes.lines().filter(|l| !l.trim().is_empty()) {
            if let Some(o) = e.take(Outcome::parse(line)) {
                outcomes.push(o);
            }
        }
        if outcomes.len() > MAX_OUTCOMES {
            e.add("outcomes", format!("List at most {MAX_OUTCOMES} outcomes."));
        }
        match summary {
            Some(s) if e.is_empty() => Ok((s, outcomes)),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_quantified() {
        assert_eq!(
            Outcome::parse(" 500 survey responses analysed ").map(|o| (o.value, o.metric)),
            Ok(("500".into(), "survey responses analysed".into()))
        );
        assert!(Outcome::parse("1,200 leads qualified").is_ok());
        assert!(Outcome::parse("35% faster reporting").is_ok());
        for bad in ["many posts", "500", "ten posts written", "5 x"] {
            assert!(Outcome::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forms() {
        let f = AchievementForm {
            summary: "Coded survey answers into themes.".into(),
            outcomes: "500 responses coded\n\n12 themes found".into(),
        };
        assert_eq!(f.parse().map(|(_, o)| o.len()), Ok(2));
        let many = AchievementForm {
            summary: "Coded survey answers into themes.".into(),
            outcomes: (0..9)
                .map(|i| format!("{i} things done"))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert!(many.parse().is_err());
        assert!(
            AchievementForm {
                summary: "short".into(),
                outcomes: "lots of work".into()
            }
            .parse()
            .err()
            .is_some_and(|e| e.0.len() == 2)
        );
    }
}

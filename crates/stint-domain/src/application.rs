//! Applications: a student's pitch for one project, and the state machine
//! that takes it to a decision.
//!
//! `submitted → shortlisted → hired`, or `rejected | withdrawn | closed`.

use serde::{Deserialize, Serialize};

use crate::text::{bounded, optional, url};
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    Shortlisted,
    Hired,
    Rejected,
    Withdrawn,
    Closed,
}

impl ApplicationStatus {
    pub const UNDECIDED: [ApplicationStatus; 2] =
        [ApplicationStatus::Submitted, ApplicationStatus::Shortlisted];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Shortlisted => "shortlisted",
            ApplicationStatus::Hired => "hired",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<ApplicationStatus> {
        Some(match raw {
            "submitted" => ApplicationStatus::Submitted,
            "shortlisted" => ApplicationStatus::Shortlisted,
            "hired" => ApplicationStatus::Hired,
            "rejected" => ApplicationStatus::Rejected,
            "withdrawn" => ApplicationStatus::Withdrawn,
            "closed" => ApplicationStatus::Closed,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "Submitted",
            ApplicationStatus::Shortlisted => "Shortlisted",
            ApplicationStatus::Hired => "Hired",
            ApplicationStatus::Rejected => "Not selected",
            ApplicationStatus::Withdrawn => "Withdrawn",
            ApplicationStatus::Closed => "Closed",
        }
    }

    pub fn is_undecided(self) -> bool {
        Self::UNDECIDED.contains(&self)
    }
}

/// Who acts on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The student who applied.
    Applicant,
    /// A member of the organization that posted the project.
    Employer,
    /// Stint itself: deadlines and filled projects close what is undecided.
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationAction {
    Shortlist,
    Reject,
    Hire,
    Withdraw,
    Close,
}

impl ApplicationAction {
    fn verb(self) -> &'static str {
        match self {
            ApplicationAction::Shortlist => "shortlisted",
            ApplicationAction::Reject => "rejected",
            ApplicationAction::Hire => "hired",
            ApplicationAction::Withdraw => "withdrawn",
            ApplicationAction::Close => "closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    #[error("Only {0} can do that to an application.")]
    WrongActor(&'static str),
    #[error("This application is {} and cannot be {}.", .from.label().to_lowercase(), .verb)]
    WrongState {
        from: ApplicationStatus,
        verb: &'static str,
    },
}

/// The state machine, by actor: employers shortlist, reject and hire
/// undecided applications; applicants withdraw theirs; the system closes them.
pub fn transition(
    from: ApplicationStatus,
    actor: Actor,
    action: ApplicationAction,
) -> Result<ApplicationStatus, ApplicationError> {
    use ApplicationAction as A;
    use ApplicationStatus as S;
    let allowed_actor = match action {
        A::Shortlist | A::Reject | A::Hire => Actor::Employer,
        A::Withdraw => Actor::Applicant,
        A::Close => Actor::System,
    };
    if actor != allowed_actor {
        return Err(ApplicationError::WrongActor(match allowed_actor {
            Actor::Employer => "the employer",
            Actor::Applicant => "the applicant",
            Actor::System => "Stint",
        }));
    }
    let to = match (from, action) {
        (S::Submitted, A::Shortlist) => S::Shortlisted,
        (S::Submitted | S::Shortlisted, A::Reject) => S::Rejected,
        (S::Submitted | S::Shortlisted, A::Hire) => S::Hired,
        (S::Submitted | S::Shortlisted, A::Withdraw) => S::Withdrawn,
        (S::Submitted | S::Shortlisted, A::Close) => S::Closed,
        _ => {
            return Err(ApplicationError::WrongState {
                from,
                verb: action.verb(),
            });
        }
    };
    Ok(to)
}

pub const PITCH_MIN: usize = 50;
pub const PITCH_MAX: usize = 1200;
pub const ANSWER_MAX: usize = 1000;
pub const MAX_LINKS: usize = 3;
pub const REJECT_REASON_MAX: usize = 500;

/// What a student sends, as a form or JSON carries it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub pitch: String,
    pub answer: String,
    pub links: Vec<String>,
}

/// A parsed application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationInput {
    pub pitch: String,
    pub answer: Option<String>,
    pub links: Vec<String>,
}

impl ApplicationForm {
    /// `question` is the project's screening question: when it has one, an
    /// answer is required.
    pub fn parse(&self, question: Option<&str>) -> Result<ApplicationInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let pitch = e.take(bounded(
            "pitch",
            "Your pitch",
            &self.pitch,
            PITCH_MIN,
            PITCH_MAX,
        ));
        let answer = e.take(optional("answer", "Your answer", &self.answer, ANSWER_MAX));
        if question.is_some() && matches!(answer, Some(None)) {
            e.add("answer", "Answer the employer's screening question.");
        }
        let mut links = Vec::new();
        for raw in self.links.iter().filter(|l| !l.trim().is_empty()) {
            if let Some(Some(l)) = e.take(url("links", "Each link", raw))
                && !links.contains(&l)
            {
                links.push(l);
            }
        }
        if links.len() > MAX_LINKS {
            e.add("links", format!("Share at most {MAX_LINKS} links."));
        }
        match (pitch, answer) {
            (Some(pitch), Some(answer)) if e.is_empty() => Ok(ApplicationInput {
                pitch,
                answer: if question.is_some() { answer } else { None },
                links,
            }),
            _ => Err(e),
        }
    }
}

/// An optional reason an employer gives when rejecting.
pub fn parse_reject_reason(raw: &str) -> Result<Option<String>, FieldError> {
    optional("reason", "The reason", raw, REJECT_REASON_MAX)
}

/// How a student's skills cover a project's required skills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillMatch {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
    /// 0–100: the share of required skills the student has.
    pub percent: u8,
}

pub fn skill_match(required: &[String], student: &[String]) -> SkillMatch {
    let (matched, missing): (Vec<String>, Vec<String>) =
        required.iter().cloned().partition(|s| student.contains(s));
    let percent = if required.is_empty() {
        100
    } else {
        u8::try_from(matched.len() * 100 / required.len()).unwrap_or(100)
    };
    SkillMatch {
        matched,
        missing,
        percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationAction as A;
    use ApplicationStatus as S;
    use proptest::prelude::*;

    const ALL: [S; 6] = [
        S::Submitted,
        S::Shortlisted,
        S::Hired,
        S::Rejected,
        S::Withdrawn,
        S::Closed,
    ];

    #[test]
    fn allowed_transitions() {
        assert_eq!(
            transition(S::Submitted, Actor::Employer, A::Shortlist),
            Ok(S::Shortlisted)
        );
        assert_eq!(
            transition(S::Submitted, Actor::Employer, A::Hire),
            Ok(S::Hired)
        );
        assert_eq!(
            transition(S::Shortlisted, Actor::Employer, A::Hire),
            Ok(S::Hired)
        );
        assert_eq!(
            transition(S::Shortlisted, Actor::Employer, A::Reject),
            Ok(S::Rejected)
        );
        assert_eq!(
            transition(S::Shortlisted, Actor::Applicant, A::Withdraw),
            Ok(S::Withdrawn)
        );
        assert_eq!(
            transition(S::Submitted, Actor::System, A::Close),
            Ok(S::Closed)
        );
    }

    #[test]
    fn refused_transitions_by_state_and_actor() {
        for s in ALL {
            for a in [A::Reject, A::Hire, A::Withdraw, A::Close] {
                let actor = match a {
                    A::Withdraw => Actor::Applicant,
                    A::Close => Actor::System,
                    _ => Actor::Employer,
                };
                assert_eq!(
                    transition(s, actor, a).is_ok(),
                    s.is_undecided(),
                    "{s:?} {a:?}"
                );
            }
            assert_eq!(
                transition(s, Actor::Employer, A::Shortlist).is_ok(),
                s == S::Submitted
            );
            assert!(matches!(
                transition(s, Actor::Applicant, A::Hire),
                Err(ApplicationError::WrongActor(_))
            ));
            assert!(matches!(
                transition(s, Actor::Employer, A::Withdraw),
                Err(ApplicationError::WrongActor(_))
            ));
            assert!(matches!(
                transition(s, Actor::Employer, A::Close),
                Err(ApplicationError::WrongActor(_))
            ));
            assert!(matches!(
                transition(s, Actor::Applicant, A::Shortlist),
                Err(ApplicationError::WrongActor(_))
            ));
        }
        assert_eq!(
            transition(S::Hired, Actor::Applicant, A::Withdraw).map_err(|e| e.to_string()),
            Err("This application is hired and cannot be withdrawn.".into())
        );
    }

    #[test]
    fn forms() {
        let pitch = "I analysed 300 survey answers for my thesis and coded them in a spreadsheet."
            .to_string();
        let ok = ApplicationForm {
            pitch: pitch.clone(),
            answer: "Sheets, then R.".into(),
            links: vec!["https://x.example/a".into(), "".into()],
        };
        let parsed = ok
            .parse(Some("Which tool?"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.links, vec!["https://x.example/a"]);
        assert_eq!(
            ok.parse(None).map(|p| p.answer),
            Ok(None),
            "no question, no answer kept"
        );
        let e = ApplicationForm {
            pitch: "too short".into(),
            answer: "".into(),
            links: vec!["nope".into()],
        }
        .parse(Some("Q?"))
        .err()
        .unwrap_or_default();
        for f in ["pitch", "answer", "links"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let long = ApplicationForm {
            pitch: "x".repeat(1201),
            ..Default::default()
        }
        .parse(None)
        .err()
        .unwrap_or_default();
        assert!(long.get("pitch").is_some_and(|m| m.contains("1200")));
        let many = ApplicationForm {
            pitch,
            links: (0..4).map(|i| format!("https://x.example/{i}")).collect(),
            ..Default::default()
        };
        assert!(
            many.parse(None)
                .err()
                .unwrap_or_default()
                .get("links")
                .is_some()
        );
    }

    #[test]
    fn skill_matching() {
        let req = vec![
            "sql".to_string(),
            "python".into(),
            "statistics".into(),
            "r".into(),
        ];
        let m = skill_match(&req, &["python".into(), "sql".into(), "figma".into()]);
        assert_eq!(
            (m.percent, m.matched.len(), m.missing.clone()),
            (50, 2, vec!["statistics".to_string(), "r".into()])
        );
        assert_eq!(skill_match(&[], &[]).percent, 100);
    }

    proptest! {
        /// Adding a skill never lowers the match.
        #[test]
        fn more_skills_never_lower_the_match(req in proptest::collection::vec(0usize..10, 0..6), have in proptest::collection::vec(0usize..10, 0..6), extra in 0usize..10) {
            let name = |i: &usize| format!("s{i}");
            let req: Vec<String> = req.iter().map(name).collect();
            let mut have: Vec<String> = have.iter().map(name).collect();
            let before = skill_match(&req, &have).percent;
            have.push(name(&extra));
            prop_assert!(skill_match(&req, &have).percent >= before);
        }
    }
}

//! Engagements: one hired student on one project, from hire to payment.
//!
//! `active → submitted → (revision_requested → submitted)* → approved → paid`;
//! `active → cancelled`; `disputed → approved` (the student is paid in full
//! or in part) or `disputed → cancelled`. `paid` means paid out.

use serde::{Deserialize, Serialize};

use crate::text::{bounded, url};
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementStatus {
    Active,
    Submitted,
    RevisionRequested,
    Approved,
    Paid,
    Cancelled,
    Disputed,
}

impl EngagementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementStatus::Active => "active",
            EngagementStatus::Submitted => "submitted",
            EngagementStatus::RevisionRequested => "revision_requested",
            EngagementStatus::Approved => "approved",
            EngagementStatus::Paid => "paid",
            EngagementStatus::Cancelled => "cancelled",
            EngagementStatus::Disputed => "disputed",
        }
    }

    pub fn parse(raw: &str) -> Option<EngagementStatus> {
        Some(match raw {
            "active" => EngagementStatus::Active,
            "submitted" => EngagementStatus::Submitted,
            "revision_requested" => EngagementStatus::RevisionRequested,
            "approved" => EngagementStatus::Approved,
            "paid" => EngagementStatus::Paid,
            "cancelled" => EngagementStatus::Cancelled,
            "disputed" => EngagementStatus::Disputed,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            EngagementStatus::Active => "In progress",
            EngagementStatus::Submitted => "Submitted for review",
            EngagementStatus::RevisionRequested => "Revision requested",
            EngagementStatus::Approved => "Approved",
            EngagementStatus::Paid => "Paid",
            EngagementStatus::Cancelled => "Cancelled",
            EngagementStatus::Disputed => "In dispute",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngagementActor {
    Student,
    Employer,
    Admin,
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngagementAction {
    Submit,
    RequestRevision,
    Approve,
    /// Approval by the system after the employer stayed silent.
    AutoApprove,
    Release,
    Cancel,
    Dispute,
    /// An admin settles a dispute: `true` pays the student (in full or in
    /// part), `false` refunds the employer.
    Resolve(bool),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngagementError {
    #[error("You cannot do that on this engagement.")]
    WrongActor,
    #[error("This engagement is {}; that is not possible now.", .0.label().to_lowercase())]
    WrongState(EngagementStatus),
}

/// The engagement state machine, by actor.
pub fn transition(
    from: EngagementStatus,
    actor: EngagementActor,
    action: EngagementAction,
) -> Result<EngagementStatus, EngagementError> {
    use EngagementAction as A;
    use EngagementActor as W;
    use EngagementStatus as S;
    let actor_ok = match action {
        A::Submit => actor == W::Student,
        A::RequestRevision | A::Approve => actor == W::Employer,
        A::AutoApprove | A::Release => actor == W::System || actor == W::Admin,
        A::Cancel | A::Dispute => actor == W::Student || actor == W::Employer,
        A::Resolve(_) => actor == W::Admin,
    };
    if !actor_ok {
        return Err(EngagementError::WrongActor);
    }
    match (from, action) {
        (S::Active | S::RevisionRequested, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::RequestRevision) => Ok(S::RevisionRequested),
        (S::Submitted, A::Approve | A::AutoApprove) => Ok(S::Approved),
        (S::Approved, A::Release) => Ok(S::Paid),
        (S::Active, A::Cancel) => Ok(S::Cancelled),
        (S::Submitted | S::RevisionRequested, A::Dispute) => Ok(S::Disputed),
        // Paid only once the money is paid out.
        (S::Disputed, A::Resolve(true)) => Ok(S::Approved),
        (S::Disputed, A::Resolve(false)) => Ok(S::Cancelled),
        _ => Err(EngagementError::WrongState(from)),
    }
}

/// What people write in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Message,
    Question,
    Update,
}

impl MessageKind {
    pub fn parse(raw: &str) -> Result<MessageKind, FieldError> {
        match raw.trim() {
            "" | "message" => Ok(MessageKind::Message),
            "question" => Ok(MessageKind::Question),
            "update" => Ok(MessageKind::Update),
            _ => Err(FieldError::new(
                "kind",
                "Choose message, question or progress update.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::Question => "question",
            MessageKind::Update => "update",
        }
    }
}

pub const MESSAGE_MAX: usize = 4000;

/// Messages a workspace thread shows at once; earlier ones page in.
pub const THREAD_PAGE: u32 = 30;
/// Most messages one API page may ask for.
pub const THREAD_PAGE_MAX: u32 = 100;

/// The cursor that leads to the messages before message `id`.
pub fn thread_cursor(id: i64) -> String {
    format!("m{id}")
}

/// Reads a thread cursor (`m<id>`); empty means the newest messages.
pub fn parse_thread_cursor(raw: &str) -> Result<Option<i64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.strip_prefix('m')
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| {
            FieldError::new(
                "cursor",
                "This page link is no longer valid; start from the newest messages.",
            )
        })
}

pub fn parse_message(raw: &str) -> Result<String, FieldError> {
    bounded("body", "Your message", raw, 1, MESSAGE_MAX)
}

/// Feedback with a revision request must say what to change.
pub fn parse_feedback(raw: &str) -> Result<String, FieldError> {
    bounded("feedback", "Your feedback", raw, 10, MESSAGE_MAX)
}

pub fn parse_cancel_reason(raw: &str) -> Result<String, FieldError> {
    bounded("reason", "The reason", raw, 5, 500)
}

/// A submission of work: a note and up to five links.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubmissionForm {
    pub note: String,
    pub links: Vec<String>,
}

pub const MAX_SUBMISSION_LINKS: usize = 5;

impl SubmissionForm {
    pub fn parse(&self) -> Result<(String, Vec<String>), FieldErrors> {
        let mut e = FieldErrors::new();
        let note = e.take(bounded("note", "Your note", &self.note, 10, MESSAGE_MAX));
        let mut links = Vec::new();
        for raw in self.links.iter().filter(|l| !l.trim().is_empty()) {
            if let Some(Some(l)) = e.take(url("links", "Each link", raw))
                && !links.contains(&l)
            {
                links.push(l);
            }
        }
        if links.len() > MAX_SUBMISSION_LINKS {
            e.add(
                "links",
                format!("Share at most {MAX_SUBMISSION_LINKS} links."),
            );
        }
        match note {
            Some(note) if e.is_empty() => Ok((note, links)),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thread_cursors_round_trip_and_refuse_junk() {
        assert_eq!(
            super::parse_thread_cursor(&super::thread_cursor(42)),
            Ok(Some(42))
        );
        assert_eq!(super::parse_thread_cursor(" "), Ok(None));
        for junk in ["42", "m", "m-1", "m0", "mx", "o1"] {
            assert!(super::parse_thread_cursor(junk).is_err(), "{junk}");
        }
    }

    use super::*;
    use EngagementAction as A;
    use EngagementActor as W;
    use EngagementStatus as S;

    #[test]
    fn the_happy_path_with_a_revision() {
        let mut s = S::Active;
        for (actor, action) in [
            (W::Student, A::Submit),
            (W::Employer, A::RequestRevision),
            (W::Student, A::Submit),
            (W::Employer, A::Approve),
            (W::System, A::Release),
        ] {
            s = transition(s, actor, action).unwrap_or_else(|e| panic!("{action:?}: {e}"));
        }
        assert_eq!(s, S::Paid);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            transition(S::Active, W::Employer, A::Submit),
            Err(EngagementError::WrongActor)
        );
        assert_eq!(
            transition(S::Submitted, W::Student, A::Approve),
            Err(EngagementError::WrongActor)
        );
        assert_eq!(
            transition(S::Disputed, W::Employer, A::Resolve(true)),
            Err(EngagementError::WrongActor)
        );
        assert_eq!(
            transition(S::Submitted, W::Student, A::Cancel),
            Err(EngagementError::WrongState(S::Submitted)),
            "no cancelling after a submission"
        );
        assert_eq!(
            transition(S::Active, W::Employer, A::Dispute),
            Err(EngagementError::WrongState(S::Active)),
            "no dispute before one"
        );
        assert_eq!(
            transition(S::Paid, W::System, A::Release),
            Err(EngagementError::WrongState(S::Paid)),
            "release happens once"
        );
        assert_eq!(
            transition(S::Disputed, W::Admin, A::Resolve(false)),
            Ok(S::Cancelled)
        );
        assert_eq!(
            transition(S::Submitted, W::System, A::AutoApprove),
            Ok(S::Approved)
        );
        for s in [S::Paid, S::Cancelled] {
            for (w, a) in [
                (W::Student, A::Submit),
                (W::Employer, A::Approve),
                (W::Student, A::Cancel),
                (W::Employer, A::Dispute),
            ] {
                assert!(transition(s, w, a).is_err(), "{s:?} is final");
            }
        }
    }
}

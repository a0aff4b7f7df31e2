//! Engagements: one hired student on one project, from hire to payment.
//!
//! `active → submitted → (revision_requested → submitted)* → approved → paid`,
//! or `cancelled | disputed`.

use serde::{Deserialize, Serialize};

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
        (S::Disputed, A::Resolve(true)) => Ok(S::Paid),
        (S::Disputed, A::Resolve(false)) => Ok(S::Cancelled),
        _ => Err(EngagementError::WrongState(from)),
    }
}

#[cfg(test)]
mod tests {
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

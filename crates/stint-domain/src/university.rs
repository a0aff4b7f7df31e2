//! Universities as partners: staff roles, how a student's affiliation is
//! proved, and what a student lets their university see.

use serde::{Deserialize, Serialize};

/// What a member of a university organization does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Sees the university's students and outcomes, manages its page,
    /// confirms affiliations and features projects.
    Career,
    /// Supervises students' academic credit.
    Faculty,
}

impl StaffRole {
    pub const ALL: [StaffRole; 2] = [StaffRole::Career, StaffRole::Faculty];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Career => "career",
            StaffRole::Faculty => "faculty",
        }
    }

    pub fn parse(raw: &str) -> Option<StaffRole> {
        match raw.trim() {
            "career" => Some(StaffRole::Career),
            "faculty" => Some(StaffRole::Faculty),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Career => "Career staff",
            StaffRole::Faculty => "Faculty",
        }
    }
}

/// Where a student's claim to study at a university stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffiliationStatus {
    /// Chosen on the profile, not proved: shown as "not confirmed".
    Declared,
    /// The student asked career staff to confirm it.
    Requested,
    /// Proved by a confirmed university address or by career staff.
    Confirmed,
    /// Career staff declined the request or removed the affiliation.
    Removed,
}

impl AffiliationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AffiliationStatus::Declared => "declared",
            AffiliationStatus::Requested => "requested",
            AffiliationStatus::Confirmed => "confirmed",
            AffiliationStatus::Removed => "removed",
        }
    }

    pub fn parse(raw: &str) -> Option<AffiliationStatus> {
        match raw {
            "declared" => Some(AffiliationStatus::Declared),
            "requested" => Some(AffiliationStatus::Requested),
            "confirmed" => Some(AffiliationStatus::Confirmed),
            "removed" => Some(AffiliationStatus::Removed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AffiliationStatus::Declared => "Not confirmed",
            AffiliationStatus::Requested => "Waiting for career staff",
            AffiliationStatus::Confirmed => "Confirmed",
            AffiliationStatus::Removed => "Not confirmed (removed by the university)",
        }
    }
}

/// How a confirmed affiliation was proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffiliationProof {
    /// The student opened a link sent to an address in the university's domains.
    Email,
    /// Career staff approved the student's request.
    Staff,
    /// The student signed in through the university's own sign-in (SSO).
    Sso,
}

impl AffiliationProof {
    pub fn as_str(self) -> &'static str {
        match self {
            AffiliationProof::Email => "email",
            AffiliationProof::Staff => "staff",
            AffiliationProof::Sso => "sso",
        }
    }

    pub fn parse(raw: &str) -> Option<AffiliationProof> {
        match raw {
            "email" => Some(AffiliationProof::Email),
            "staff" => Some(AffiliationProof::Staff),
            "sso" => Some(AffiliationProof::Sso),
            _ => None,
        }
    }
}

/// Who moves an affiliation, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffiliationAction {
    /// The student asks career staff to confirm.
    Request,
    /// Career staff confirm a request.
    Approve,
    /// Career staff decline a request.
    Decline,
    /// Career staff remove a confirmed affiliation.
    Remove,
}

impl AffiliationAction {
    pub fn parse(raw: &str) -> Option<AffiliationAction> {
        match raw {
            "request" => Some(AffiliationAction::Request),
            "approve" => Some(AffiliationAction::Approve),
            "decline" => Some(AffiliationAction::Decline),
            "remove" => Some(AffiliationAction::Remove),
            _ => None,
        }
    }

    /// The statuses this action starts from.
    pub fn from(self) -> &'static [AffiliationStatus] {
        match self {
            AffiliationAction::Request => {
                &[AffiliationStatus::Declared, AffiliationStatus::Removed]
            }
            AffiliationAction::Approve | AffiliationAction::Decline => {
                &[AffiliationStatus::Requested]
            }
            AffiliationAction::Remove => &[AffiliationStatus::Confirmed],
        }
    }

    pub fn to(self) -> AffiliationStatus {
        match self {
            AffiliationAction::Request => AffiliationStatus::Requested,
            AffiliationAction::Approve => AffiliationStatus::Confirmed,
            AffiliationAction::Decline | AffiliationAction::Remove => AffiliationStatus::Removed,
        }
    }

    /// Only the student requests; the rest are career staff's.
    pub fn by_student(self) -> bool {
        self == AffiliationAction::Request
    }

    /// Why the action cannot start from `from`, in words for the person.
    pub fn check(self, from: AffiliationStatus) -> Result<AffiliationStatus, &'static str> {
        if self.from().contains(&from) {
            return Ok(self.to());
        }
        Err(match (self, from) {
            (AffiliationAction::Request, AffiliationStatus::Requested) => {
                "You already asked; career staff will answer."
            }
            (AffiliationAction::Request, _) => "Your affiliation is already confirmed.",
            (AffiliationAction::Remove, _) => "Only a confirmed affiliation can be removed.",
            _ => "This student has no request waiting.",
        })
    }
}

/// What a student lets their university see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// Everything: applications and decisions too.
    All,
    /// The default: that they take part, and the work they complete.
    #[default]
    Completed,
    /// Counted in totals only; staff do not see them by name.
    Aggregate,
}

impl Sharing {
    pub const ALL: [Sharing; 3] = [Sharing::All, Sharing::Completed, Sharing::Aggregate];

    pub fn as_str(self) -> &'static str {
        match self {
            Sharing::All => "all",
            Sharing::Completed => "completed",
            Sharing::Aggregate => "aggregate",
        }
    }

    pub fn parse(raw: &str) -> Option<Sharing> {
        match raw.trim() {
            "all" => Some(Sharing::All),
            "completed" => Some(Sharing::Completed),
            "aggregate" => Some(Sharing::Aggregate),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sharing::All => "Everything about my projects",
            Sharing::Completed => "That I take part, and the work I complete",
            Sharing::Aggregate => "Only in totals",
        }
    }

    /// What career staff then see, said plainly.
    pub fn explain(self) -> &'static str {
        match self {
            Sharing::All => {
                "Career staff see your name, your programme and where you stand, every application with the employer's decision, work in progress, approved work with what you earned, the ratings employers gave you and your confirmed outcomes."
            }
            Sharing::Completed => {
                "Career staff see your name, your programme and where you stand (not yet applied, applied, working, completed), and each project you complete: the employer, when it was approved, what you earned, the employer's rating and your confirmed outcomes. They do not see which projects you applied to or any decision."
            }
            Sharing::Aggregate => {
                "Career staff do not see you by name. You are counted only in your university's totals, such as how many students took part."
            }
        }
    }

    /// The same, said to career staff.
    pub fn explain_to_staff(self) -> &'static str {
        match self {
            Sharing::All => {
                "You see their applications and each employer's decision, work in progress, and completed work with earnings, the employer's rating and confirmed outcomes."
            }
            Sharing::Completed => {
                "You see where they stand and each project they complete, with earnings, the employer's rating and confirmed outcomes; not which projects they applied to or any decision."
            }
            Sharing::Aggregate => "You see them only in your university's totals.",
        }
    }

    /// Whether staff see the student by name at all.
    pub fn named(self) -> bool {
        self != Sharing::Aggregate
    }

    /// Whether staff see applications, decisions and work in progress.
    pub fn applications(self) -> bool {
        self == Sharing::All
    }
}

/// Where a student stands, for the portal's filter: the furthest they are
/// now, with work in progress ahead of finished work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotYetApplied,
    Applied,
    Working,
    Completed,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::NotYetApplied,
        Stage::Applied,
        Stage::Working,
        Stage::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::NotYetApplied => "not_yet_applied",
            Stage::Applied => "applied",
            Stage::Working => "working",
            Stage::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::NotYetApplied => "Not yet applied",
            Stage::Applied => "Applied",
            Stage::Working => "Working",
            Stage::Completed => "Completed",
        }
    }

    /// From counts of a student's applications, engagements in progress and
    /// engagements approved.
    pub fn of(applications: i64, working: i64, completed: i64) -> Stage {
        if working > 0 {
            Stage::Working
        } else if completed > 0 {
            Stage::Completed
        } else if applications > 0 {
            Stage::Applied
        } else {
            Stage::NotYetApplied
        }
    }
}

/// Whether an address's domain is one of `domains` or below one of them
/// (`cs.dit.ac.in` belongs to `dit.ac.in`).
pub fn domain_matches(email_domain: &str, domains: &[String]) -> bool {
    let d = email_domain.to_ascii_lowercase();
    domains.iter().any(|u| {
        let u = u.to_ascii_lowercase();
        d == u || d.ends_with(&format!(".{u}"))
    })
}

/// The note career staff add when they feature a project ("Counts for
/// the marketing module"): optional, at most 280 characters.
pub fn parse_feature_note(raw: &str) -> Result<Option<String>, crate::FieldError> {
    crate::text::optional("note", "The note", raw, 280)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affiliation_moves_only_from_where_it_may() {
        use AffiliationAction::*;
        use AffiliationStatus::*;
        assert_eq!(Request.check(Declared), Ok(Requested));
        assert_eq!(Request.check(Removed), Ok(Requested));
        assert!(Request.check(Requested).is_err());
        assert!(Request.check(Confirmed).is_err());
        assert_eq!(Approve.check(Requested), Ok(Confirmed));
        assert!(Approve.check(Declared).is_err());
        assert_eq!(Decline.check(Requested), Ok(Removed));
        assert_eq!(Remove.check(Confirmed), Ok(Removed));
        assert!(Remove.check(Requested).is_err());
        assert!(Request.by_student() && !Approve.by_student());
    }

    #[test]
    fn stage_puts_work_in_progress_first() {
        assert_eq!(Stage::of(0, 0, 0), Stage::NotYetApplied);
        assert_eq!(Stage::of(3, 0, 0), Stage::Applied);
        assert_eq!(Stage::of(3, 1, 2), Stage::Working);
        assert_eq!(Stage::of(3, 0, 2), Stage::Completed);
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn sharing_defaults_to_completed_work() {
        assert_eq!(Sharing::default(), Sharing::Completed);
        assert!(Sharing::Completed.named() && !Sharing::Completed.applications());
        assert!(!Sharing::Aggregate.named());
        assert!(Sharing::All.applications());
        for s in Sharing::ALL {
            assert_eq!(Sharing::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn subdomains_belong_to_their_university() {
        let d = vec!["dit.ac.in".to_string()];
        assert!(domain_matches("dit.ac.in", &d));
        assert!(domain_matches("CS.dit.ac.in", &d));
        assert!(!domain_matches("notdit.ac.in", &d));
        assert!(!domain_matches("ac.in", &d));
    }
}

//! What people may choose to hear by email. Every notification is shown in
//! the app; email follows per topic, so a student can keep hiring news in
//! their inbox and leave thread messages to the app.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// New applicants, invitations to apply, shortlisting, decisions,
    /// hiring, closing, offers of roles.
    Applications,
    /// Messages and questions in threads.
    Messages,
    /// Submissions, revisions, approval, payment, cancellation, disputes, deadlines.
    Work,
    /// Reviews received and outcomes to confirm.
    Reviews,
    /// New projects that match the student well, and saved-search news.
    Alerts,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Applications,
        Topic::Messages,
        Topic::Work,
        Topic::Reviews,
        Topic::Alerts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Applications => "applications",
            Topic::Messages => "messages",
            Topic::Work => "work",
            Topic::Reviews => "reviews",
            Topic::Alerts => "alerts",
        }
    }

    pub fn parse(raw: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Topic::Applications => "Applications and hiring decisions",
            Topic::Messages => "Messages and questions",
            Topic::Work => "Work, deadlines and payments",
            Topic::Reviews => "Reviews and portfolio confirmations",
            Topic::Alerts => "New projects that match me",
        }
    }

    /// Whether email is on when the person has not chosen: everything
    /// about their own applications and work, but match alerts only for
    /// those who opt in.
    pub fn default_enabled(self) -> bool {
        self != Topic::Alerts
    }

    /// The topic of a notification kind (the stable names clients filter on).
    pub fn of_kind(kind: &str) -> Topic {
        match kind {
            "new_applicant" | "shortlisted" | "rejected" | "hired" | "closed" | "decision_due"
            | "invitation" | "offer" => Topic::Applications,
            "message" => Topic::Messages,
            "review_received" | "outcomes" => Topic::Reviews,
            "match_alert" | "saved_search" => Topic::Alerts,
            _ => Topic::Work,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_and_cover_kinds() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
        assert_eq!(Topic::parse("spam"), None);
        assert_eq!(Topic::of_kind("hired"), Topic::Applications);
        assert_eq!(Topic::of_kind("message"), Topic::Messages);
        assert_eq!(Topic::of_kind("approved"), Topic::Work);
        assert_eq!(Topic::of_kind("outcomes"), Topic::Reviews);
    }
}

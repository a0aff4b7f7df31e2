//! Telling people what happened: an in-app notification, and the same news
//! by email through the outbox.

use crate::AppState;
use crate::error::AppError;

/// What a notification is about; stable names that clients may filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NewApplicant,
    Shortlisted,
    Rejected,
    Hired,
    Closed,
    DecisionDue,
    Message,
    Submission,
    RevisionRequested,
    Approved,
    Cancelled,
    DueSoon,
    ReviewReceived,
    ConfirmOutcomes,
    Disputed,
    Payment,
    /// A new project that matches a student well.
    MatchAlert,
    /// News for a saved search.
    SavedSearch,
    /// A step of an academic credit request.
    Credit,
    /// An employer invites a student to apply to a project.
    Invitation,
    /// An offer of a role, made or answered.
    Offer,
    /// A webhook endpoint stopped accepting messages.
    Webhook,
    /// A download of the person's data is ready, or a request about their
    /// data was answered.
    Data,
}

impl Kind {
    /// Every kind, for the API document.
    pub const ALL: [Kind; 23] = [
        Kind::NewApplicant,
        Kind::Shortlisted,
        Kind::Rejected,
        Kind::Hired,
        Kind::Closed,
        Kind::DecisionDue,
        Kind::Message,
        Kind::Submission,
        Kind::RevisionRequested,
        Kind::Approved,
        Kind::Cancelled,
        Kind::DueSoon,
        Kind::ReviewReceived,
        Kind::ConfirmOutcomes,
        Kind::Disputed,
        Kind::Payment,
        Kind::MatchAlert,
        Kind::SavedSearch,
        Kind::Credit,
        Kind::Invitation,
        Kind::Offer,
        Kind::Webhook,
        Kind::Data,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NewApplicant => "new_applicant",
            Kind::Shortlisted => "shortlisted",
            Kind::Rejected => "rejected",
            Kind::Hired => "hired",
            Kind::Closed => "closed",
            Kind::DecisionDue => "decision_due",
            Kind::Message => "message",
            Kind::Submission => "submission",
            Kind::RevisionRequested => "revision_requested",
            Kind::Approved => "approved",
            Kind::Cancelled => "cancelled",
            Kind::DueSoon => "due_soon",
            Kind::ReviewReceived => "review_received",
            Kind::ConfirmOutcomes => "outcomes",
            Kind::Disputed => "dispute",
            Kind::Payment => "payment",
            Kind::MatchAlert => "match_alert",
            Kind::SavedSearch => "saved_search",
            Kind::Credit => "credit",
            Kind::Invitation => "invitation",
            Kind::Offer => "offer",
            Kind::Webhook => "webhook",
            Kind::Data => "data",
        }
    }
}

/// Notifies `user_id` in the app, and by email unless they turned email off
/// for this kind's topic. `link` is a path on this site.
pub async fn send(
    state: &AppState,
    user_id: i64,
    kind: Kind,
    title: &str,
    body: &str,
    link: &str,
) -> Result<(), AppError> {
    state
        .store
        .notify(user_id, kind.as_str(), title, body, Some(link))
        .await?;
    if !super::preferences::wants_email(state, user_id, kind.as_str()).await? {
        return Ok(());
    }
    let user = state.store.user(user_id).await?;
    let text = format!(
        "Hello {},\n\n{body}\n\n{}{link}\n",
        user.name, state.config.base_url
    );
    state.store.enqueue_email(&user.email, title, &text).await?;
    Ok(())
}

/// Notifies every member of an organization.
pub async fn members(
    state: &AppState,
    org_id: i64,
    kind: Kind,
    title: &str,
    body: &str,
    link: &str,
) -> Result<(), AppError> {
    // One member who cannot be told (their row refuses the notice) must not
    // keep the others from hearing: the first error is returned after all
    // were tried.
    let mut first_error = None;
    for (user_id, _, _, _) in state.store.org_members(org_id).await? {
        if let Err(e) = send(state, user_id, kind, title, body, link).await {
            tracing::warn!(user_id, error = %e, "could not notify a member");
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

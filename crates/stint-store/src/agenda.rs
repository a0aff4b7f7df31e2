//! What needs someone now: an organization's work in flight, each kind read
//! in one grouped query, oldest first (the longest wait leads).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

/// Delivered work waiting for the employer's review.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReviewDue {
    pub engagement_id: i64,
    pub project_title: String,
    pub student_name: String,
    pub price_minor: i64,
    pub currency: String,
    /// When the latest version was delivered: auto-approval counts from it.
    pub submitted_at: DateTime<Utc>,
}

/// A project's applications that have no decision yet.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DecisionsDue {
    pub project_id: i64,
    pub project_title: String,
    pub undecided: i64,
    pub oldest: DateTime<Utc>,
    pub decision_by: NaiveDate,
}

/// Questions a student asked in a workspace that nobody from the
/// organization has answered since.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct QuestionDue {
    pub engagement_id: i64,
    pub project_title: String,
    pub student_name: String,
    /// The oldest unanswered question's time.
    pub asked_at: DateTime<Utc>,
    pub questions: i64,
}

/// An applicant answered the employer's message on an undecided
/// application: the thread ends with the applicant.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReplyDue {
    pub application_id: i64,
    pub project_title: String,
    pub student_name: String,
    pub replied_at: DateTime<Utc>,
}

/// An engagement whose price (and fee) the employer still has to pay: by
/// hand (manual provider) or through Stripe's checkout.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DepositDue {
    pub engagement_id: i64,
    pub project_title: String,
    pub student_name: String,
    pub amount_minor: i64,
    pub currency: String,
    pub provider: String,
    pub since: DateTime<Utc>,
}

/// Per project: applications in all, those undecided, and engagements.
#[derive(Debug, Clone, Copy, Default, Serialize, sqlx::FromRow)]
pub struct ProjectCounts {
    pub project_id: i64,
    pub applications: i64,
    pub undecided: i64,
    pub engagements: i64,
}

/// Everything an organization's home opens on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OrgAgenda {
    pub reviews: Vec<ReviewDue>,
    pub decisions: Vec<DecisionsDue>,
    pub questions: Vec<QuestionDue>,
    pub replies: Vec<ReplyDue>,
    pub deposits: Vec<DepositDue>,
}

impl OrgAgenda {
    pub fn is_empty(&self) -> bool {
        self.reviews.is_empty()
            && self.decisions.is_empty()
            && self.questions.is_empty()
            && self.replies.is_empty()
            && self.deposits.is_empty()
    }
}

/// Applications in all, undecided ones and engagements, per project row.
macro_rules! counts_sql {
    () => {
        "SELECT p.id AS project_id,
                (SELECT COUNT(*) FROM applications a WHERE a.project_id = p.id) AS applications,
                (SELECT COUNT(*) FROM applications a WHERE a.project_id = p.id
                    AND a.status IN ('submitted', 'shortlisted')) AS undecided,
                (SELECT COUNT(*) FROM engagements e WHERE e.project_id = p.id) AS engagements
         FROM projects p"
    };
}

impl Store {
    /// An organization's queue: submissions to review, applications to
    /// decide, questions to answer and payments to make.
    pub async fn org_agenda(&self, org_id: i64) -> StoreResult<OrgAgenda> {
        Ok(OrgAgenda {
            reviews: self.reviews_due(org_id).await?,
            decisions: self.decisions_due(org_id).await?,
            questions: self.questions_due(org_id).await?,
            replies: self.replies_due(org_id).await?,
            deposits: self.org_deposits_due(org_id).await?,
        })
    }

    async fn reviews_due(&self, org_id: i64) -> StoreResult<Vec<ReviewDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, u.name AS student_name,
                        e.price_minor, e.currency, MAX(s.created_at) AS submitted_at
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN users u ON u.id = e.student_id
                 JOIN submissions s ON s.engagement_id = e.id
                 WHERE e.org_id = $1 AND e.status = 'submitted'
                 GROUP BY e.id, p.title, u.name, e.price_minor, e.currency
                 ORDER BY MAX(s.created_at), e.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    async fn decisions_due(&self, org_id: i64) -> StoreResult<Vec<DecisionsDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.id AS project_id, p.title AS project_title, COUNT(*) AS undecided,
                        MIN(a.created_at) AS oldest, p.decision_by
                 FROM applications a JOIN projects p ON p.id = a.project_id
                 WHERE p.org_id = $1 AND a.status IN ('submitted', 'shortlisted')
                 GROUP BY p.id, p.title, p.decision_by
                 ORDER BY p.decision_by, MIN(a.created_at), p.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    async fn questions_due(&self, org_id: i64) -> StoreResult<Vec<QuestionDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, u.name AS student_name,
                        MIN(m.created_at) AS asked_at, COUNT(*) AS questions
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN users u ON u.id = e.student_id
                 JOIN engagement_messages m ON m.engagement_id = e.id
                 WHERE e.org_id = $1
                   AND e.status IN ('active', 'submitted', 'revision_requested', 'disputed')
                   AND m.kind = 'question' AND m.author_id = e.student_id
                   AND NOT EXISTS (SELECT 1 FROM engagement_messages r
                                   WHERE r.engagement_id = e.id AND r.id > m.id AND r.author_id <> e.student_id)
                 GROUP BY e.id, p.title, u.name
                 ORDER BY MIN(m.created_at), e.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    async fn replies_due(&self, org_id: i64) -> StoreResult<Vec<ReplyDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.id AS application_id, p.title AS project_title, u.name AS student_name,
                        m.created_at AS replied_at
                 FROM applications a
                 JOIN projects p ON p.id = a.project_id
                 JOIN users u ON u.id = a.student_id
                 JOIN application_messages m ON m.application_id = a.id
                 WHERE p.org_id = $1 AND a.status IN ('submitted', 'shortlisted')
                   AND m.id = (SELECT MAX(l.id) FROM application_messages l WHERE l.application_id = a.id)
                   AND m.author_id = a.student_id
                 ORDER BY m.created_at, a.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Engagements the organization has not paid for yet, oldest first: the
    /// price and fee, less what a cancellation refunded. A cancelled one
    /// counts only if the student kept a share.
    pub async fn org_deposits_due(&self, org_id: i64) -> StoreResult<Vec<DepositDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, u.name AS student_name,
                        e.price_minor + e.fee_minor - CAST(COALESCE((SELECT SUM(r.amount_minor) FROM ledger_entries r
                            WHERE r.engagement_id = e.id AND r.kind = 'refund'), 0) AS BIGINT) AS amount_minor,
                        e.currency, f.provider, e.created_at AS since
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN users u ON u.id = e.student_id
                 JOIN ledger_entries f ON f.engagement_id = e.id AND f.kind = 'fund'
                 WHERE e.org_id = $1 AND f.provider IN ('manual', 'stripe')
                   AND (e.status <> 'cancelled'
                        OR EXISTS (SELECT 1 FROM ledger_entries s WHERE s.engagement_id = e.id AND s.kind = 'release'))
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries d WHERE d.engagement_id = e.id AND d.kind = 'deposit')
                 ORDER BY e.created_at, e.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Counts per project of an organization, for its list of projects.
    pub async fn org_project_counts(&self, org_id: i64) -> StoreResult<Vec<ProjectCounts>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(counts_sql!(), " WHERE p.org_id = $1"))
                .bind(org_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// The same counts for one project (zeros if it does not exist).
    pub async fn project_counts(&self, project_id: i64) -> StoreResult<ProjectCounts> {
        let row: Option<ProjectCounts> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(counts_sql!(), " WHERE p.id = $1"))
                .bind(project_id)
                .fetch_optional(p)
                .await
        })?;
        Ok(row.unwrap_or_default())
    }
}

/// A student's application that still waits for the employer's decision.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PendingApplication {
    pub application_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub org_name: String,
    pub status: String,
    pub sent_at: DateTime<Utc>,
    pub decision_by: NaiveDate,
}

/// A student's engagement that is not finished.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WorkInProgress {
    pub engagement_id: i64,
    pub project_title: String,
    pub org_name: String,
    pub status: String,
    pub due_date: NaiveDate,
    pub price_minor: i64,
    pub currency: String,
}

/// What a student's home opens on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StudentAgenda {
    pub applications: Vec<PendingApplication>,
    pub work: Vec<WorkInProgress>,
}

impl Store {
    /// A student's undecided applications (soonest decision first) and
    /// unfinished engagements (soonest due first).
    pub async fn student_agenda(&self, student_id: i64) -> StoreResult<StudentAgenda> {
        let applications = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.id AS application_id, p.id AS project_id, p.title AS project_title,
                        o.name AS org_name, a.status, a.created_at AS sent_at, p.decision_by
                 FROM applications a
                 JOIN projects p ON p.id = a.project_id
                 JOIN organizations o ON o.id = p.org_id
                 WHERE a.student_id = $1 AND a.status IN ('submitted', 'shortlisted')
                 ORDER BY p.decision_by, a.id",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        let work = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, o.name AS org_name,
                        e.status, e.due_date, e.price_minor, e.currency
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 WHERE e.student_id = $1 AND e.status IN ('active', 'submitted', 'revision_requested', 'disputed', 'approved')
                 ORDER BY e.due_date, e.id",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        Ok(StudentAgenda { applications, work })
    }

    /// The projects a student has applied to, with the engagement a hire
    /// made (if any): for marking search cards and linking to workspaces.
    pub async fn student_applied(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<(i64, String, Option<i64>)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.project_id, a.status, e.id FROM applications a
                 LEFT JOIN engagements e ON e.application_id = a.id
                 WHERE a.student_id = $1",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }
}

//! Academic credit requests: the learning agreement, the employer's
//! acknowledgement, the supervisor's decisions, hours and the reflection.
//! Every move is a conditional update on the status it starts from.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::credit::{Agreement, Course, CreditStatus, HoursEntry};

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct CreditRow {
    id: i64,
    student_id: i64,
    student_name: String,
    student_email: String,
    university_id: i64,
    university_name: String,
    application_id: i64,
    application_status: String,
    project_id: i64,
    project_title: String,
    org_id: i64,
    org_name: String,
    faculty_id: i64,
    faculty_name: String,
    faculty_email: String,
    engagement_id: Option<i64>,
    engagement_status: Option<String>,
    hired_on: Option<DateTime<Utc>>,
    course_code: String,
    course_title: String,
    credits_tenths: i32,
    status: String,
    goals: String,
    expected_hours: Option<i32>,
    assessment: String,
    faculty_comment: Option<String>,
    employer_ack_at: Option<DateTime<Utc>>,
    approved_at: Option<DateTime<Utc>>,
    reflection: Option<String>,
    reflected_at: Option<DateTime<Utc>>,
    result: Option<String>,
    signoff_comment: Option<String>,
    signed_off_at: Option<DateTime<Utc>>,
    ended_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    quarters: i64,
}

/// A credit request with the names around it.
#[derive(Debug, Clone, Serialize)]
pub struct CreditRequest {
    pub id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub student_email: String,
    pub university_id: i64,
    pub university_name: String,
    pub application_id: i64,
    pub application_status: String,
    pub project_id: i64,
    pub project_title: String,
    pub org_id: i64,
    pub org_name: String,
    pub faculty_id: i64,
    pub faculty_name: String,
    pub faculty_email: String,
    pub engagement_id: Option<i64>,
    pub engagement_status: Option<String>,
    pub hired_on: Option<DateTime<Utc>>,
    pub course_code: String,
    pub course_title: String,
    pub credits_tenths: i32,
    pub status: CreditStatus,
    pub goals: Vec<String>,
    pub expected_hours: Option<i32>,
    pub assessment: String,
    pub faculty_comment: Option<String>,
    pub employer_ack_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    /// JSON of the domain's `Reflection`.
    pub reflection: Option<String>,
    pub reflected_at: Option<DateTime<Utc>>,
    pub result: Option<String>,
    pub signoff_comment: Option<String>,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub ended_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Hours logged, in quarter hours.
    pub quarters: i64,
}

impl From<CreditRow> for CreditRequest {
    fn from(r: CreditRow) -> Self {
        CreditRequest {
            id: r.id,
            student_id: r.student_id,
            student_name: r.student_name,
            student_email: r.student_email,
            university_id: r.university_id,
            university_name: r.university_name,
            application_id: r.application_id,
            application_status: r.application_status,
            project_id: r.project_id,
            project_title: r.project_title,
            org_id: r.org_id,
            org_name: r.org_name,
            faculty_id: r.faculty_id,
            faculty_name: r.faculty_name,
            faculty_email: r.faculty_email,
            engagement_id: r.engagement_id,
            engagement_status: r.engagement_status,
            hired_on: r.hired_on,
            course_code: r.course_code,
            course_title: r.course_title,
            credits_tenths: r.credits_tenths,
            status: CreditStatus::parse(&r.status).unwrap_or(CreditStatus::Draft),
            goals: r
                .goals
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from)
                .collect(),
            expected_hours: r.expected_hours,
            assessment: r.assessment,
            faculty_comment: r.faculty_comment,
            employer_ack_at: r.employer_ack_at,
            approved_at: r.approved_at,
            reflection: r.reflection,
            reflected_at: r.reflected_at,
            result: r.result,
            signoff_comment: r.signoff_comment,
            signed_off_at: r.signed_off_at,
            ended_reason: r.ended_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
            quarters: r.quarters,
        }
    }
}

/// One line of the hours log.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CreditHours {
    pub id: i64,
    pub day: NaiveDate,
    pub quarters: i32,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// What a new request names.
pub struct NewCredit<'a> {
    pub student_id: i64,
    pub university_id: i64,
    pub application_id: i64,
    pub project_id: i64,
    pub org_id: i64,
    pub faculty_id: i64,
    pub course: &'a Course,
}

/// Which requests a list holds.
#[derive(Debug, Clone, Copy)]
pub enum CreditScope {
    Student(i64),
    Faculty(i64),
    Employer(i64),
    University(i64),
}

macro_rules! credit_sql {
    ($where:literal) => {
        concat!(
            "SELECT c.id, c.student_id, su.name AS student_name, su.email AS student_email,
                c.university_id, uo.name AS university_name, c.application_id, a.status AS application_status,
                c.project_id, p.title AS project_title, c.org_id, eo.name AS org_name,
                c.faculty_id, fu.name AS faculty_name, fu.email AS faculty_email,
                e.id AS engagement_id, e.status AS engagement_status, e.created_at AS hired_on,
                c.course_code, c.course_title, c.credits_tenths, c.status, c.goals, c.expected_hours, c.assessment,
                c.faculty_comment, c.employer_ack_at, c.approved_at, c.reflection, c.reflected_at, c.result,
                c.signoff_comment, c.signed_off_at, c.ended_reason, c.created_at, c.updated_at,
                COALESCE((SELECT SUM(h.quarters) FROM credit_hours h WHERE h.request_id = c.id), 0) AS quarters
             FROM credit_requests c
             JOIN users su ON su.id = c.student_id
             JOIN users fu ON fu.id = c.faculty_id
             JOIN organizations uo ON uo.id = c.university_id
             JOIN organizations eo ON eo.id = c.org_id
             JOIN projects p ON p.id = c.project_id
             JOIN applications a ON a.id = c.application_id
             LEFT JOIN engagements e ON e.application_id = c.application_id
             WHERE ",
            $where
        )
    };
}

impl Store {
    /// Opens a request; `Conflict("credit_open")` when the application has
    /// one open already.
    pub async fn create_credit_request(&self, n: &NewCredit<'_>) -> StoreResult<i64> {
        let now = Utc::now();
        let r: StoreResult<i64> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO credit_requests (student_id, university_id, application_id, project_id, org_id, faculty_id,
                   course_code, course_title, credits_tenths, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $10) RETURNING id",
            )
            .bind(n.student_id)
            .bind(n.university_id)
            .bind(n.application_id)
            .bind(n.project_id)
            .bind(n.org_id)
            .bind(n.faculty_id)
            .bind(&n.course.code)
            .bind(&n.course.title)
            .bind(n.course.credits_tenths)
            .bind(now)
            .fetch_one(p)
            .await
            .map_err(StoreError::from)
        });
        match r {
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict("credit_open")),
            other => other,
        }
    }

    pub async fn credit_request(&self, id: i64) -> StoreResult<CreditRequest> {
        let row: CreditRow = with_db!(self, read, |p| {
            sqlx::query_as(credit_sql!("c.id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?;
        Ok(row.into())
    }

    /// Requests in a scope, newest first.
    pub async fn credit_requests(&self, scope: CreditScope) -> StoreResult<Vec<CreditRequest>> {
        let (sql, id) = match scope {
            CreditScope::Student(id) => (credit_sql!("c.student_id = $1 ORDER BY c.id DESC"), id),
            CreditScope::Faculty(id) => (
                credit_sql!("c.faculty_id = $1 ORDER BY c.updated_at DESC, c.id DESC"),
                id,
            ),
            CreditScope::Employer(id) => (
                credit_sql!(
                    "c.org_id = $1 AND c.status NOT IN ('draft', 'withdrawn') ORDER BY c.id DESC"
                ),
                id,
            ),
            CreditScope::University(id) => (
                credit_sql!("c.university_id = $1 ORDER BY c.updated_at DESC, c.id DESC"),
                id,
            ),
        };
        let rows: Vec<CreditRow> = with_db!(self, read, |p| {
            sqlx::query_as(sql).bind(id).fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(CreditRequest::from).collect())
    }

    /// Credits a university granted (signed off, not failed) between two
    /// moments, oldest first: the registrar's export.
    pub async fn credits_granted(
        &self,
        university_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CreditRequest>> {
        let rows: Vec<CreditRow> = with_db!(self, read, |p| {
            sqlx::query_as(credit_sql!(
                "c.university_id = $1 AND c.status = 'signed_off' AND c.result <> 'fail'
                 AND c.signed_off_at >= $2 AND c.signed_off_at < $3 ORDER BY c.signed_off_at, c.id"
            ))
            .bind(university_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(CreditRequest::from).collect())
    }

    /// Saves the agreement while the student may still change it.
    pub async fn save_agreement(&self, id: i64, a: &Agreement) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE credit_requests SET goals = $1, expected_hours = $2, assessment = $3, updated_at = $4
                 WHERE id = $5 AND status IN ('draft', 'returned')",
            )
            .bind(a.goals.join("\n"))
            .bind(a.expected_hours)
            .bind(&a.assessment)
            .bind(Utc::now())
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        one(n)
    }

    /// Moves a request from one of `from` to `to`, setting what the move
    /// records; `Conflict("status_changed")` when it is elsewhere now.
    pub async fn move_credit(
        &self,
        id: i64,
        from: &[CreditStatus],
        to: CreditStatus,
        set: CreditSet<'_>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let n = with_db!(self, write, |p| {
            let mut qb = sqlx::QueryBuilder::new("UPDATE credit_requests SET status = ");
            qb.push_bind(to.as_str())
                .push(", updated_at = ")
                .push_bind(now)
                .push(", reminded_at = NULL");
            match &set {
                CreditSet::Nothing => {}
                CreditSet::Acknowledged(by) => {
                    qb.push(", employer_ack_at = ")
                        .push_bind(now)
                        .push(", employer_ack_by = ")
                        .push_bind(*by);
                }
                CreditSet::Approved => {
                    qb.push(", approved_at = ").push_bind(now);
                }
                CreditSet::Comment(c) => {
                    qb.push(", faculty_comment = ").push_bind(c.to_string());
                }
                CreditSet::Reflection(json) => {
                    qb.push(", reflection = ")
                        .push_bind(json.to_string())
                        .push(", reflected_at = ")
                        .push_bind(now);
                }
                CreditSet::Result { result, comment } => {
                    qb.push(", result = ")
                        .push_bind(result.to_string())
                        .push(", signoff_comment = ")
                        .push_bind(comment.to_string())
                        .push(", signed_off_at = ")
                        .push_bind(now);
                }
                CreditSet::Ended(reason) => {
                    qb.push(", ended_reason = ").push_bind(reason.to_string());
                }
            }
            qb.push(" WHERE id = ").push_bind(id);
            if matches!(set, CreditSet::Acknowledged(_)) {
                qb.push(" AND employer_ack_at IS NULL");
            }
            qb.push(" AND status");
            crate::push_in!(qb, &from);
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
        one(n)
    }

    /// Ends every open request on an application (its engagement was
    /// cancelled or disputed, or it closed unhired); the ids ended.
    pub async fn end_credit_for_application(
        &self,
        application_id: i64,
        reason: &str,
    ) -> StoreResult<Vec<i64>> {
        with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE credit_requests SET status = 'ended', ended_reason = $1, updated_at = $2
                 WHERE application_id = $3 AND status NOT IN ('signed_off', 'withdrawn', 'ended') RETURNING id",
            )
            .bind(reason)
            .bind(Utc::now())
            .bind(application_id)
            .fetch_all(p)
            .await
            .map_err(StoreError::from)
        })
    }

    /// Ends the open requests on a project whose application closed without
    /// a hire (rejected, withdrawn, closed); the ids ended.
    pub async fn end_credit_for_closed_applications(
        &self,
        project_id: i64,
        reason: &str,
    ) -> StoreResult<Vec<i64>> {
        with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE credit_requests SET status = 'ended', ended_reason = $1, updated_at = $2
                 WHERE project_id = $3 AND status NOT IN ('signed_off', 'withdrawn', 'ended')
                   AND application_id IN (SELECT a.id FROM applications a WHERE a.project_id = $3
                                          AND a.status IN ('rejected', 'withdrawn', 'closed'))
                 RETURNING id",
            )
            .bind(reason)
            .bind(Utc::now())
            .bind(project_id)
            .fetch_all(p)
            .await
            .map_err(StoreError::from)
        })
    }

    /// Logs hours while the request is active; `Conflict("status_changed")`
    /// otherwise.
    pub async fn log_credit_hours(&self, id: i64, h: &HoursEntry) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO credit_hours (request_id, day, quarters, note, created_at)
                 SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM credit_requests WHERE id = $1 AND status = 'active')",
            )
            .bind(id)
            .bind(h.day)
            .bind(h.quarters)
            .bind(&h.note)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        one(n)
    }

    pub async fn credit_hours(&self, id: i64) -> StoreResult<Vec<CreditHours>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, day, quarters, note, created_at FROM credit_hours WHERE request_id = $1 ORDER BY day DESC, id DESC",
            )
            .bind(id)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn mark_credit_reminded(&self, id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE credit_requests SET reminded_at = $1 WHERE id = $2")
                .bind(Utc::now())
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The engagement's application, for ending requests when it ends.
    pub async fn application_of_engagement(&self, engagement_id: i64) -> StoreResult<Option<i64>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT application_id FROM engagements WHERE id = $1")
                .bind(engagement_id)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }
}

/// What a move records beside the status.
pub enum CreditSet<'a> {
    Nothing,
    Acknowledged(i64),
    Approved,
    Comment(&'a str),
    Reflection(&'a str),
    Result { result: &'a str, comment: &'a str },
    Ended(&'a str),
}

fn one(n: u64) -> StoreResult<()> {
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("status_changed"))
    }
}

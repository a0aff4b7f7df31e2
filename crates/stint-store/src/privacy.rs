//! What Stint holds about one person, section by section, and the data
//! requests (exports, corrections, deletions) people and admins make.
//!
//! [`SECTIONS`] is the inventory a download is built from: each section is
//! one query over the tables that hold the person's rows, read as plain
//! JSON objects (column → value) so the export shows every field as stored.
//! Secrets (password and token hashes, sealed payout details and keys) are
//! never selected. [`HOLDINGS`] names, for every column that points at a
//! person, the section that exports it, so a new table cannot be forgotten:
//! a test compares it with the foreign keys the migrations declare.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{Db, Store, StoreError, StoreResult, with_db};

/// One file of a download: `file` (`applications.json`), what it holds in
/// words, and the query, with `$1` the person's id.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub file: &'static str,
    pub about: &'static str,
    sql: &'static str,
}

/// Every section of a download, in the order of its index.
pub const SECTIONS: &[Section] = &[
    Section {
        file: "account.json",
        about: "Your account: name, email address, role, time zone, when it was made and verified.",
        sql: "SELECT id, email, name, role, time_zone, email_verified_at, deactivated_at, created_at FROM users WHERE id = $1",
    },
    Section {
        file: "organization.json",
        about: "The organization you belong to and your role in it.",
        sql: "SELECT o.name AS organization, o.kind, m.role, m.staff_role, m.created_at AS joined_at FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.user_id = $1",
    },
    Section {
        file: "profile.json",
        about: "Your student profile as you filled it in.",
        sql: "SELECT p.headline, u.name AS university, p.area_of_study, p.degree, p.graduation_year, p.skills, p.coursework, p.availability_hours, p.interests, p.location, p.time_zone, p.portfolio_url, p.linkedin_url, p.github_url, p.bio, p.portfolio_public, p.updated_at FROM student_profiles p LEFT JOIN organizations u ON u.id = p.university_id WHERE p.user_id = $1",
    },
    Section {
        file: "choices.json",
        about: "What you chose to allow: being found by employers, invitations, what your university sees, and email by topic.",
        sql: "SELECT 'discoverable to employers' AS choice, CASE WHEN discoverable THEN 'on' ELSE 'off' END AS value, discoverable_changed_at AS changed_at FROM student_reach WHERE student_id = $1 \
              UNION ALL SELECT 'invitations from employers', CASE WHEN invitations THEN 'on' ELSE 'off' END, invitations_changed_at FROM student_reach WHERE student_id = $1 \
              UNION ALL SELECT 'what your university sees', sharing, decided_at FROM affiliations WHERE student_id = $1 \
              UNION ALL SELECT 'email: ' || topic, CASE WHEN enabled THEN 'on' ELSE 'off' END, NULL FROM email_preferences WHERE user_id = $1",
    },
    Section {
        file: "consents.json",
        about: "Each time you turned an optional use of your data on or off, with its time.",
        sql: "SELECT purpose, CASE WHEN granted THEN 'on' ELSE 'off' END AS choice, channel, created_at FROM consents WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "affiliation.json",
        about: "Your link to a university and how it was proven.",
        sql: "SELECT o.name AS university, a.status, a.proof, a.proof_email, a.sharing, a.requested_at, a.decided_at, a.created_at FROM affiliations a JOIN organizations o ON o.id = a.university_id WHERE a.student_id = $1",
    },
    Section {
        file: "equity.json",
        about: "The optional equity answers you gave for your university's outcome reports.",
        sql: "SELECT first_generation, need_based_aid, gender, disability, updated_at FROM equity_attributes WHERE student_id = $1",
    },
    Section {
        file: "applications.json",
        about: "Your applications: the pitch, answer and links you sent, and what became of them.",
        sql: "SELECT a.id, p.title AS project, o.name AS organization, a.status, a.pitch, a.answer, a.links, a.match_percent, a.reject_reason, a.closed_reason, a.created_at, a.updated_at, a.decided_at FROM applications a JOIN projects p ON p.id = a.project_id JOIN organizations o ON o.id = p.org_id WHERE a.student_id = $1 ORDER BY a.id",
    },
    Section {
        file: "application_messages.json",
        about: "Messages in your applications' conversations, yours and the employer's.",
        sql: "SELECT m.id, m.application_id, u.name AS author, CASE WHEN m.author_id = $1 THEN 'yes' ELSE 'no' END AS by_you, m.body, m.created_at FROM application_messages m JOIN applications a ON a.id = m.application_id JOIN users u ON u.id = m.author_id WHERE a.student_id = $1 OR m.author_id = $1 ORDER BY m.id",
    },
    Section {
        file: "engagements.json",
        about: "The projects you were hired for, with price and dates.",
        sql: "SELECT e.id, p.title AS project, o.name AS organization, e.status, e.price_minor, e.currency, e.fee_minor, e.due_date, e.created_at, e.updated_at, e.approved_at FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.org_id WHERE e.student_id = $1 ORDER BY e.id",
    },
    Section {
        file: "messages.json",
        about: "Messages in the workspaces of your engagements, yours and the employer's.",
        sql: "SELECT m.id, m.engagement_id, u.name AS author, CASE WHEN m.author_id = $1 THEN 'yes' ELSE 'no' END AS by_you, m.kind, m.body, m.created_at FROM engagement_messages m JOIN engagements e ON e.id = m.engagement_id JOIN users u ON u.id = m.author_id WHERE e.student_id = $1 OR m.author_id = $1 ORDER BY m.id",
    },
    Section {
        file: "submissions.json",
        about: "The work you delivered: each version's note and links.",
        sql: "SELECT s.id, s.engagement_id, s.version, s.note, s.links, s.created_at FROM submissions s JOIN engagements e ON e.id = s.engagement_id WHERE e.student_id = $1 ORDER BY s.id",
    },
    Section {
        file: "files.json",
        about: "The files you delivered; the bytes are in the files folder of this archive.",
        sql: "SELECT f.id, f.engagement_id, s.version, f.name, f.content_type, f.size_bytes, f.sha256, f.created_at FROM submission_files f JOIN submissions s ON s.id = f.submission_id JOIN engagements e ON e.id = f.engagement_id WHERE e.student_id = $1 ORDER BY f.id",
    },
    Section {
        file: "reviews_written.json",
        about: "The reviews you wrote.",
        sql: "SELECT r.id, r.engagement_id, r.direction, r.rating_1, r.rating_2, r.rating_3, r.body, r.recommendation, r.created_at FROM reviews r WHERE r.author_id = $1 ORDER BY r.id",
    },
    Section {
        file: "achievements.json",
        about: "Your verified portfolio entries.",
        sql: "SELECT id, engagement_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at, created_at, updated_at FROM achievements WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "credentials.json",
        about: "The credentials issued to you, with their signed documents.",
        sql: "SELECT public_id, achievement_id, document, issued_at, revoked_at, revoked_reason FROM credentials WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "credit.json",
        about: "Your requests for academic credit, with the hours you logged.",
        sql: "SELECT c.id, o.name AS university, c.course_code, c.course_title, c.credits_tenths, c.status, c.goals, c.expected_hours, c.assessment, c.faculty_comment, c.reflection, c.result, c.signoff_comment, c.ended_reason, c.created_at, c.approved_at, c.signed_off_at, c.updated_at FROM credit_requests c JOIN organizations o ON o.id = c.university_id WHERE c.student_id = $1 ORDER BY c.id",
    },
    Section {
        file: "credit_hours.json",
        about: "The hours you logged for credit.",
        sql: "SELECT h.request_id, h.day, h.quarters, h.note, h.created_at FROM credit_hours h JOIN credit_requests c ON c.id = h.request_id WHERE c.student_id = $1 ORDER BY h.id",
    },
    Section {
        file: "earnings.json",
        about: "Money moved for your engagements: amounts, currency and dates.",
        sql: "SELECT l.engagement_id, l.kind, l.amount_minor, l.currency, l.provider, l.reference, l.created_at FROM ledger_entries l JOIN engagements e ON e.id = l.engagement_id WHERE e.student_id = $1 AND (l.to_account = 'student:' || e.student_id OR l.from_account = 'student:' || e.student_id) ORDER BY l.id",
    },
    Section {
        file: "payout_details.json",
        about: "How you are paid, as shown to you (the full details are kept encrypted).",
        sql: "SELECT method, masked, updated_at FROM payout_accounts WHERE user_id = $1",
    },
    Section {
        file: "invitations.json",
        about: "Invitations to apply that employers sent you.",
        sql: "SELECT i.id, o.name AS organization, p.title AS project, i.kind, i.note, i.status, i.quoted_total_minor, i.created_at, i.answered_at FROM invitations i JOIN organizations o ON o.id = i.org_id LEFT JOIN projects p ON p.id = i.project_id WHERE i.student_id = $1 ORDER BY i.id",
    },
    Section {
        file: "offers.json",
        about: "Offers of work employers sent you and your answers.",
        sql: "SELECT f.id, o.name AS organization, f.kind, f.title, f.start_date, f.pay_min_minor, f.pay_max_minor, f.pay_currency, f.pay_period, f.message, f.status, f.on_profile, f.created_at, f.answered_at FROM offers f JOIN organizations o ON o.id = f.org_id WHERE f.student_id = $1 ORDER BY f.id",
    },
    Section {
        file: "saved_searches.json",
        about: "Your saved searches and their email digests.",
        sql: "SELECT id, name, params, frequency, last_sent_at, created_at FROM saved_searches WHERE student_id = $1 ORDER BY id",
    },
    Section {
        file: "hidden_projects.json",
        about: "Projects you hid from your matches.",
        sql: "SELECT p.title AS project, h.created_at FROM hidden_projects h JOIN projects p ON p.id = h.project_id WHERE h.student_id = $1",
    },
    Section {
        file: "notifications.json",
        about: "Your notifications.",
        sql: "SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "sign_ins.json",
        about: "Your open sessions, API tokens, and the accounts at your institution you sign in with (no secret is included).",
        sql: "SELECT 'session' AS kind, NULL AS name, created_at, expires_at AS until, NULL AS last_used_at FROM sessions WHERE user_id = $1 \
              UNION ALL SELECT 'api token', name, created_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 \
              UNION ALL SELECT 'single sign-on', o.name || ': ' || i.subject, i.created_at, NULL, i.last_sign_in_at FROM sso_identities i JOIN organizations o ON o.id = i.org_id WHERE i.user_id = $1 \
              UNION ALL SELECT 'learning platform', l.issuer || ': ' || i.subject, i.created_at, NULL, i.last_launch_at FROM lti_identities i JOIN lti_platforms l ON l.id = i.platform_id WHERE i.user_id = $1 \
              UNION ALL SELECT 'directory (SCIM)', o.name || ': ' || s.user_name_key, s.created_at, NULL, s.updated_at FROM scim_users s JOIN organizations o ON o.id = s.org_id WHERE s.user_id = $1",
    },
    Section {
        file: "talent_notes_written.json",
        about: "Notes you wrote about candidates in your organization's talent pool.",
        sql: "SELECT n.id, u.name AS student, n.body, n.created_at FROM talent_notes n JOIN users u ON u.id = n.student_id WHERE n.author_id = $1 ORDER BY n.id",
    },
    Section {
        file: "projects_created.json",
        about: "Projects you created for your organization.",
        sql: "SELECT id, title, status, created_at, published_at FROM projects WHERE created_by = $1 ORDER BY id",
    },
    Section {
        file: "data_requests.json",
        about: "Your requests to download, correct or delete your data.",
        sql: "SELECT id, kind, status, channel, detail, answer, created_at, due_at, completed_at, expires_at FROM data_requests WHERE user_id = $1 ORDER BY id",
    },
    Section {
        file: "activity.json",
        about: "What you did on Stint and what was done to your account, as recorded in the audit log.",
        sql: "SELECT id, action, object_type, object_id, detail, CASE WHEN actor_id = $1 THEN 'yes' ELSE 'no' END AS by_you, created_at FROM audit_log WHERE actor_id = $1 OR (object_type = 'user' AND object_id = $1) ORDER BY id",
    },
];

/// Every column that points at a person (`table.column`) and where a
/// download shows it: a section's file, or why it is not exported.
pub const HOLDINGS: &[(&str, &str)] = &[
    ("sessions.user_id", "sign_ins.json"),
    ("api_tokens.user_id", "sign_ins.json"),
    (
        "email_tokens.user_id",
        "not exported: one-time links, kept hashed",
    ),
    ("memberships.user_id", "organization.json"),
    ("student_profiles.user_id", "profile.json"),
    ("projects.created_by", "projects_created.json"),
    ("audit_log.actor_id", "activity.json"),
    ("applications.student_id", "applications.json"),
    ("engagements.student_id", "engagements.json"),
    ("notifications.user_id", "notifications.json"),
    ("engagement_messages.author_id", "messages.json"),
    ("reviews.author_id", "reviews_written.json"),
    ("achievements.student_id", "achievements.json"),
    (
        "application_messages.author_id",
        "application_messages.json",
    ),
    ("email_preferences.user_id", "choices.json"),
    ("hidden_projects.student_id", "hidden_projects.json"),
    (
        "project_alerts.student_id",
        "not exported: which new projects were matched to you for alerts (derived from your profile)",
    ),
    (
        "student_match_keys.user_id",
        "not exported: search keys derived from your profile",
    ),
    ("saved_searches.student_id", "saved_searches.json"),
    ("payout_accounts.user_id", "payout_details.json"),
    (
        "stripe_accounts.user_id",
        "not exported: the payment provider's account id",
    ),
    ("credentials.student_id", "credentials.json"),
    ("calendar_feeds.user_id", "not exported: a secret link"),
    ("affiliations.student_id", "affiliation.json"),
    (
        "affiliations.decided_by",
        "not exported: decisions a university's staff member made about students",
    ),
    (
        "affiliation_tokens.student_id",
        "not exported: one-time links, kept hashed",
    ),
    (
        "org_invitations.invited_by",
        "not exported: invitations you sent to colleagues",
    ),
    ("credit_requests.student_id", "credit.json"),
    (
        "credit_requests.faculty_id",
        "not exported: students' requests you supervise are theirs",
    ),
    (
        "credit_requests.employer_ack_by",
        "not exported: acknowledgements you gave as an employer",
    ),
    ("equity_attributes.student_id", "equity.json"),
    (
        "featured_projects.featured_by",
        "not exported: projects you featured for your university",
    ),
    (
        "outcome_histories.student_id",
        "not exported: counts derived from applications.json and engagements.json",
    ),
    (
        "talent_pool.student_id",
        "not exported: an employer's list of candidates",
    ),
    ("talent_notes.author_id", "talent_notes_written.json"),
    ("student_reach.student_id", "choices.json"),
    ("invitations.student_id", "invitations.json"),
    (
        "invitations.sender_id",
        "not exported: invitations you sent as an employer",
    ),
    ("offers.student_id", "offers.json"),
    (
        "offers.sender_id",
        "not exported: offers you sent as an employer",
    ),
    (
        "webhook_endpoints.created_by",
        "not exported: your organization's settings",
    ),
    (
        "sso_connections.updated_by",
        "not exported: your organization's settings",
    ),
    ("sso_identities.user_id", "sign_ins.json"),
    (
        "scim_tokens.created_by",
        "not exported: your organization's settings",
    ),
    ("scim_users.user_id", "sign_ins.json"),
    (
        "lti_platforms.updated_by",
        "not exported: your organization's settings",
    ),
    ("lti_identities.user_id", "sign_ins.json"),
    ("data_requests.user_id", "data_requests.json"),
    ("consents.user_id", "consents.json"),
];

/// A request about a person's data: `export`, `correction` or `deletion`.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DataRequest {
    pub id: i64,
    pub user_id: Option<i64>,
    /// The person's name and email when the request was made (kept for the
    /// admins' list after a deletion erases the account's).
    pub subject: String,
    pub kind: String,
    /// `open`, `preparing`, `ready`, `done`, `refused`, `expired`, `failed`.
    pub status: String,
    /// `self` (the person, signed in), `admin`, `cli`.
    pub channel: String,
    pub detail: String,
    pub answer: String,
    #[serde(skip)]
    pub archive_key: Option<String>,
    pub archive_bytes: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

const REQUEST_COLUMNS: &str = "id, user_id, subject, kind, status, channel, detail, answer, archive_key, archive_bytes, created_at, due_at, completed_at, expires_at";

/// The law's deadline for answering a request.
pub const ANSWER_DAYS: i64 = 30;

fn sqlite_value(row: &sqlx::sqlite::SqliteRow, i: usize) -> StoreResult<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let declared = row.columns()[i].type_info().name().to_ascii_uppercase();
    let stored = raw.type_info().name().to_string();
    Ok(match stored.as_str() {
        "INTEGER" if declared == "BOOLEAN" || declared == "BOOL" => {
            Value::Bool(row.try_get_unchecked::<i64, _>(i)? != 0)
        }
        "INTEGER" => Value::from(row.try_get_unchecked::<i64, _>(i)?),
        "REAL" => Value::from(row.try_get_unchecked::<f64, _>(i)?),
        "BLOB" => Value::Null,
        _ => {
            let text: String = row.try_get_unchecked(i)?;
            // Times are stored as text; show them as PostgreSQL's are.
            match row.try_get::<DateTime<Utc>, _>(i) {
                Ok(t)
                    if text.len() >= 19
                        && text
                            .as_bytes()
                            .get(10)
                            .is_some_and(|b| *b == b' ' || *b == b'T') =>
                {
                    serde_json::to_value(t).unwrap_or(Value::String(text))
                }
                _ => Value::String(text),
            }
        }
    })
}

fn pg_value(row: &sqlx::postgres::PgRow, i: usize) -> StoreResult<Value> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_string();
    let json = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    Ok(match kind.as_str() {
        "BOOL" => Value::Bool(row.try_get(i)?),
        "INT2" => Value::from(row.try_get::<i16, _>(i)?),
        "INT4" => Value::from(row.try_get::<i32, _>(i)?),
        "INT8" => Value::from(row.try_get::<i64, _>(i)?),
        "FLOAT4" => Value::from(row.try_get::<f32, _>(i)?),
        "FLOAT8" => Value::from(row.try_get::<f64, _>(i)?),
        "TIMESTAMPTZ" => json(serde_json::to_value(row.try_get::<DateTime<Utc>, _>(i)?)),
        "DATE" => json(serde_json::to_value(row.try_get::<NaiveDate, _>(i)?)),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => Value::String(row.try_get(i)?),
        // Binary columns, search vectors and the like hold nothing a
        // person wrote that is not also in a text column.
        _ => Value::Null,
    })
}

impl Store {
    /// One section's rows for `user_id`, each a JSON object in the
    /// query's column order.
    pub async fn personal_rows(
        &self,
        section: &Section,
        user_id: i64,
    ) -> StoreResult<Vec<Map<String, Value>>> {
        let sql = sqlx::AssertSqlSafe(section.sql);
        match &self.db {
            Db::Sqlite { read, .. } => {
                let mut rows = sqlx::query(sql).bind(user_id).fetch(read);
                let mut out = Vec::new();
                while let Some(row) = rows.try_next().await? {
                    let mut obj = Map::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        obj.insert(c.name().to_string(), sqlite_value(&row, i)?);
                    }
                    out.push(obj);
                }
                Ok(out)
            }
            Db::Postgres(pool) => {
                let mut rows = sqlx::query(sql).bind(user_id).fetch(pool);
                let mut out = Vec::new();
                while let Some(row) = rows.try_next().await? {
                    let mut obj = Map::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        obj.insert(c.name().to_string(), pg_value(&row, i)?);
                    }
                    out.push(obj);
                }
                Ok(out)
            }
        }
    }

    /// The files a person delivered: (engagement, version, name, storage
    /// key), oldest first.
    pub async fn personal_files(
        &self,
        user_id: i64,
    ) -> StoreResult<Vec<(i64, i32, String, String)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT f.engagement_id, s.version, f.name, f.storage_key FROM submission_files f JOIN submissions s ON s.id = f.submission_id JOIN engagements e ON e.id = f.engagement_id WHERE e.student_id = $1 ORDER BY f.id",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Records a request; its deadline is [`ANSWER_DAYS`] from now.
    pub async fn add_data_request(
        &self,
        user_id: i64,
        subject: &str,
        kind: &str,
        channel: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<DataRequest> {
        let sql = format!(
            "INSERT INTO data_requests (user_id, subject, kind, status, channel, detail, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {REQUEST_COLUMNS}"
        );
        let status = if kind == "export" {
            "preparing"
        } else {
            "open"
        };
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .bind(subject)
                .bind(kind)
                .bind(status)
                .bind(channel)
                .bind(detail)
                .bind(now)
                .bind(now + Duration::days(ANSWER_DAYS))
                .fetch_one(p)
                .await
        })?)
    }

    pub async fn data_request(&self, id: i64) -> StoreResult<DataRequest> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM data_requests WHERE id = $1");
        with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(id)
                .fetch_optional(p)
                .await
        })?
        .ok_or(StoreError::NotFound)
    }

    /// A person's requests, newest first.
    pub async fn data_requests_of(&self, user_id: i64) -> StoreResult<Vec<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests WHERE user_id = $1 ORDER BY id DESC"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// Every request, those still to answer first (by deadline), then the
    /// newest answered ones.
    pub async fn all_data_requests(&self, limit: i64) -> StoreResult<Vec<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests ORDER BY CASE WHEN status IN ('open', 'preparing') THEN 0 ELSE 1 END, CASE WHEN status IN ('open', 'preparing') THEN due_at END, id DESC LIMIT $1"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(limit)
                .fetch_all(p)
                .await
        })?)
    }

    /// The export in preparation for `user_id`, if one is.
    pub async fn export_in_progress(&self, user_id: i64) -> StoreResult<Option<DataRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM data_requests WHERE user_id = $1 AND kind = 'export' AND status = 'preparing' ORDER BY id DESC LIMIT 1"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_optional(p)
                .await
        })?)
    }

    /// An export's archive is stored: it can be downloaded until `expires`.
    /// `Conflict` when the request is no longer being prepared.
    pub async fn export_ready(
        &self,
        id: i64,
        key: &str,
        bytes: i64,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE data_requests SET status = 'ready', archive_key = $2, archive_bytes = $3, completed_at = $4, expires_at = $5 WHERE id = $1 AND status = 'preparing'",
            )
            .bind(id)
            .bind(key)
            .bind(bytes)
            .bind(now)
            .bind(expires)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "the export is no longer being prepared",
            ));
        }
        Ok(())
    }

    /// Moves a request to `status` with the admin's (or Stint's) answer;
    /// only from `open` or `preparing`. `Conflict` when it was already
    /// answered.
    pub async fn settle_data_request(
        &self,
        id: i64,
        status: &str,
        answer: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE data_requests SET status = $2, answer = $3, completed_at = $4 WHERE id = $1 AND status IN ('open', 'preparing')",
            )
            .bind(id)
            .bind(status)
            .bind(answer)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict("the request was already answered"));
        }
        Ok(())
    }

    /// Records that the person turned an optional use of their data on
    /// or off (`purpose` in words).
    pub async fn record_consent(
        &self,
        user_id: i64,
        purpose: &str,
        granted: bool,
        channel: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO consents (user_id, purpose, granted, channel, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(user_id)
            .bind(purpose)
            .bind(granted)
            .bind(channel)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Ready exports whose link ran out: marked expired; their archive keys
    /// are returned for the caller to delete.
    pub async fn expire_exports(&self, now: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let keys: Vec<Option<String>> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE data_requests SET status = 'expired', archive_key = NULL WHERE status = 'ready' AND expires_at <= $1 RETURNING archive_key",
            )
            .bind(now)
            .fetch_all(p)
            .await
        })?;
        Ok(keys.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `REFERENCES users` column the migrations declare is in
    /// [`HOLDINGS`], and every section a holding names exists.
    #[test]
    fn every_personal_column_is_accounted_for() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut missing = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        assert!(!entries.is_empty(), "no migrations under {}", dir.display());
        for path in entries {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut table = String::new();
            for line in text.lines() {
                let l = line.trim();
                if let Some(rest) = l.strip_prefix("CREATE TABLE ") {
                    let name = rest.trim_start_matches("IF NOT EXISTS ");
                    table = name
                        .split([' ', '('])
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches("_new")
                        .to_string();
                }
                if l.contains("REFERENCES users") {
                    let column = l.split_whitespace().next().unwrap_or_default();
                    let key = format!("{table}.{column}");
                    if !HOLDINGS.iter().any(|(k, _)| *k == key) {
                        missing.push(format!("{key} ({})", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in HOLDINGS: {missing:?}");
        for (key, place) in HOLDINGS {
            if !place.starts_with("not exported: ") {
                assert!(
                    SECTIONS.iter().any(|s| s.file == *place),
                    "{key} names {place}, which is no section"
                );
            }
        }
    }
}

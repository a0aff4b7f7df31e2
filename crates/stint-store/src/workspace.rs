//! The engagement workspace: messages, submissions, and the status changes
//! that move money. Each money movement is a ledger entry with a unique
//! idempotency key, written in the same transaction as the status change
//! that causes it, so a release or refund happens exactly once however many
//! requests race for it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::engagement::EngagementStatus;
use stint_domain::ledger::{EntryKind, employer_account, escrow_account, student_account};

use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The rows of an engagement list (ids, titles, names, achievement ids),
/// filtered by `$where` on `e`.
macro_rules! listing_sql {
    ($where:literal) => {
        concat!(
            "SELECT e.id, p.title, u.name, a.id FROM engagements e JOIN projects p ON p.id = e.project_id
             JOIN users u ON u.id = e.student_id LEFT JOIN achievements a ON a.engagement_id = e.id
             WHERE ",
            $where,
            " ORDER BY e.id DESC"
        )
    };
}

/// An engagement in a list.
#[derive(Debug, Clone)]
pub struct EngagementListing {
    pub engagement: crate::Engagement,
    pub project_title: String,
    pub student_name: String,
    pub achievement_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct SubmissionRow {
    id: i64,
    version: i32,
    note: String,
    links: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    pub id: i64,
    pub version: i32,
    pub note: String,
    pub links: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Files delivered with this version, in upload order.
    pub files: Vec<crate::SubmissionFile>,
}

/// A student's money across engagements, per currency, in minor units.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Earnings {
    pub currency: String,
    /// Secured in escrow for work not yet approved.
    pub pending: i64,
    /// Released to the student, not yet paid out.
    pub released: i64,
    pub paid_out: i64,
}

/// One ledger entry; binds, in order: engagement, kind, from, to, amount,
/// currency, provider, idempotency key, time, reference.
pub(crate) const INSERT_LEDGER_ENTRY: &str =
    "INSERT INTO ledger_entries (engagement_id, kind, from_account, to_account,
    amount_minor, currency, provider, idempotency_key, created_at, reference)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Keeps the time of an engagement's first release on its row (the outcomes
/// report reads it without the ledger); binds engagement, time.
pub(crate) const MARK_APPROVED: &str =
    "UPDATE engagements SET approved_at = COALESCE(approved_at, $2) WHERE id = $1";

/// An engagement's ledger summed by kind and provider, read inside the
/// transaction that is about to add to it.
pub(crate) const READ_BOOK: &str =
    "SELECT kind, provider, CAST(SUM(amount_minor) AS BIGINT) FROM ledger_entries
    WHERE engagement_id = $1 GROUP BY kind, provider";

/// Takes the engagement's row lock for the rest of the transaction, so
/// movements on one engagement are checked and written one after another;
/// returns its status.
pub(crate) const LOCK_ENGAGEMENT: &str =
    "UPDATE engagements SET id = id WHERE id = $1 RETURNING status";

/// Inside transaction `$tx`: reads the engagement's book, checks each of
/// `$movements` against the ledger's rules (`StoreError::Ledger` for the
/// first that breaks one, which rolls everything back) and writes it.
/// Expanded once per engine by `with_db!`.
macro_rules! write_checked {
    ($tx:expr, $engagement_id:expr, $currency:expr, $provider:expr, $movements:expr, $now:expr) => {{
        let rows: Vec<(String, String, i64)> = sqlx::query_as($crate::workspace::READ_BOOK)
            .bind($engagement_id)
            .fetch_all(&mut *$tx)
            .await?;
        let mut book = stint_domain::ledger::Book::default();
        for (kind, provider, amount) in &rows {
            if let Some(kind) = stint_domain::ledger::EntryKind::parse(kind) {
                book.add(kind, *amount, provider);
            }
        }
        for m in $movements {
            book.apply(m.kind, m.amount, $provider)
                .map_err(StoreError::Ledger)?;
            sqlx::query($crate::workspace::INSERT_LEDGER_ENTRY)
                .bind($engagement_id)
                .bind(m.kind.as_str())
                .bind(&m.from)
                .bind(&m.to)
                .bind(m.amount)
                .bind($currency)
                .bind($provider)
                .bind(format!("{}:{}", m.kind.as_str(), $engagement_id))
                .bind($now)
                .bind(&m.reference)
                .execute(&mut *$tx)
                .await?;
            if m.kind == stint_domain::ledger::EntryKind::Release {
                sqlx::query($crate::workspace::MARK_APPROVED)
                    .bind($engagement_id)
                    .bind($now)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        Ok::<(), StoreError>(())
    }};
}
pub(crate) use write_checked;

/// A money movement that goes with a status change.
pub struct Movement {
    pub kind: EntryKind,
    pub from: String,
    pub to: String,
    pub amount: i64,
    /// A bank or transfer reference, for money recorded by hand.
    pub reference: Option<String>,
}

impl Movement {
    pub fn release(engagement_id: i64, student_id: i64, amount: i64) -> Movement {
        Movement {
            kind: EntryKind::Release,
            from: escrow_account(engagement_id),
            to: student_account(student_id),
            amount,
            reference: None,
        }
    }
    pub fn payout(student_id: i64, amount: i64) -> Movement {
        Movement {
            kind: EntryKind::Payout,
            from: student_account(student_id),
            to: "external:payouts".into(),
            amount,
            reference: None,
        }
    }
    pub fn refund(engagement_id: i64, org_id: i64, amount: i64) -> Movement {
        Movement {
            kind: EntryKind::Refund,
            from: escrow_account(engagement_id),
            to: employer_account(org_id),
            amount,
            reference: None,
        }
    }
}

impl Store {
    pub async fn post_message(
        &self,
        engagement_id: i64,
        author_id: i64,
        kind: &str,
        body: &str,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO engagement_messages (engagement_id, author_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(engagement_id)
            .bind(author_id)
            .bind(kind)
            .bind(body)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        })?)
    }

    /// Up to `limit` messages of a thread written before message `before`
    /// (the newest when `None`), oldest first, and whether earlier ones
    /// exist. Reads walk the `(engagement_id, id)` index from the end, so a
    /// long thread costs no more than a short one.
    pub async fn messages_page(
        &self,
        engagement_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<(Vec<Message>, bool)> {
        let mut rows: Vec<Message> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT m.id, m.author_id, u.name AS author_name, m.kind, m.body, m.created_at
                 FROM engagement_messages m JOIN users u ON u.id = m.author_id
                 WHERE m.engagement_id = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT $3",
            )
            .bind(engagement_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit + 1)
            .fetch_all(p)
            .await
        })?;
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        rows.reverse();
        Ok((rows, more))
    }

    /// One message of a thread.
    pub async fn message(&self, engagement_id: i64, id: i64) -> StoreResult<Message> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT m.id, m.author_id, u.name AS author_name, m.kind, m.body, m.created_at
                 FROM engagement_messages m JOIN users u ON u.id = m.author_id
                 WHERE m.engagement_id = $1 AND m.id = $2",
            )
            .bind(engagement_id)
            .bind(id)
            .fetch_one(p)
            .await
        })?)
    }

    pub async fn submissions(&self, engagement_id: i64) -> StoreResult<Vec<Submission>> {
        let rows: Vec<SubmissionRow> = with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, version, note, links, created_at FROM submissions WHERE engagement_id = $1 ORDER BY version")
                .bind(engagement_id)
                .fetch_all(p)
                .await
        })?;
        let files = self.engagement_files(engagement_id).await?;
        Ok(rows
            .into_iter()
            .map(|r| Submission {
                files: files
                    .iter()
                    .filter(|f| f.submission_id == r.id)
                    .cloned()
                    .collect(),
                id: r.id,
                version: r.version,
                note: r.note,
                links: r
                    .links
                    .split('\n')
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                created_at: r.created_at,
            })
            .collect())
    }

    /// Records the next version of the work with its files (already in the
    /// file storage) and moves the engagement from one of `from` to
    /// `submitted`, in one transaction.
    pub async fn submit_work(
        &self,
        engagement_id: i64,
        from: &[EngagementStatus],
        note: &str,
        links: &[String],
        files: &[crate::NewFile],
    ) -> StoreResult<Submission> {
        let now = Utc::now();
        let (a, b) = (
            from.first().map(|s| s.as_str()).unwrap_or(""),
            from.get(1).map(|s| s.as_str()).unwrap_or(""),
        );
        let id: StoreResult<i64> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n = sqlx::query("UPDATE engagements SET status = 'submitted', updated_at = $1 WHERE id = $2 AND status IN ($3, $4)")
                    .bind(now)
                    .bind(engagement_id)
                    .bind(a)
                    .bind(b)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Conflict("status_changed"));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO submissions (engagement_id, version, note, links, created_at)
                     VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE engagement_id = $1), $2, $3, $4) RETURNING id",
                )
                .bind(engagement_id)
                .bind(note)
                .bind(links.join("\n"))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for f in files {
                    sqlx::query(
                        "INSERT INTO submission_files (submission_id, engagement_id, name, content_type, size_bytes, sha256, storage_key, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(engagement_id)
                    .bind(&f.name)
                    .bind(&f.content_type)
                    .bind(f.size)
                    .bind(&f.sha256)
                    .bind(&f.storage_key)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }
            .await
        });
        let id = id?;
        self.submissions(engagement_id)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Moves an engagement from `from` to `to` and writes `movements` in the
    /// same transaction. `Conflict("status_changed")` if it was no longer in
    /// `from`; a movement already written (same idempotency key) makes the
    /// whole change a conflict too, so money moves once; a movement that
    /// breaks a ledger rule is `Ledger` and nothing changes. `now` is the
    /// application's clock, written on the status change and the entries.
    #[allow(clippy::too_many_arguments)] // the status change, then the postings and their time
    pub async fn move_engagement(
        &self,
        engagement_id: i64,
        from: EngagementStatus,
        to: EngagementStatus,
        currency: &str,
        provider: &str,
        movements: &[Movement],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let result: StoreResult<()> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n = sqlx::query("UPDATE engagements SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
                    .bind(to.as_str())
                    .bind(now)
                    .bind(engagement_id)
                    .bind(from.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Conflict("status_changed"));
                }
                write_checked!(tx, engagement_id, currency, provider, movements, now).map_err(|e| match e {
                    StoreError::Conflict(_) => StoreError::Conflict("status_changed"),
                    other => other,
                })?;
                tx.commit().await?;
                Ok(())
            }
            .await
        });
        result
    }

    /// Engagements in dispute, oldest first, with their project titles (admin queue).
    pub async fn disputed_engagements(&self) -> StoreResult<Vec<(crate::Engagement, String)>> {
        let ids: Vec<(i64, String)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id, p.title FROM engagements e JOIN projects p ON p.id = e.project_id WHERE e.status = 'disputed' ORDER BY e.updated_at, e.id",
            )
            .fetch_all(p)
            .await
        })?;
        let mut out = Vec::new();
        for (id, title) in ids {
            out.push((self.engagement(id).await?, title));
        }
        Ok(out)
    }

    /// An organization's engagements, newest first, each with its project's
    /// title, the student's name and the achievement drafted at approval
    /// (the id an employer confirms outcomes on).
    pub async fn org_engagements(&self, org_id: i64) -> StoreResult<Vec<EngagementListing>> {
        self.engagement_listings(listing_sql!("e.org_id = $1"), org_id)
            .await
    }

    /// A student's engagements, listed the same way.
    pub async fn student_engagement_listings(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<EngagementListing>> {
        self.engagement_listings(listing_sql!("e.student_id = $1"), student_id)
            .await
    }

    async fn engagement_listings(
        &self,
        sql: &'static str,
        id: i64,
    ) -> StoreResult<Vec<EngagementListing>> {
        let rows: Vec<(i64, String, String, Option<i64>)> = with_db!(self, read, |p| {
            sqlx::query_as(sql).bind(id).fetch_all(p).await
        })?;
        let mut out = Vec::new();
        for (id, project_title, student_name, achievement_id) in rows {
            out.push(EngagementListing {
                engagement: self.engagement(id).await?,
                project_title,
                student_name,
                achievement_id,
            });
        }
        Ok(out)
    }

    /// A student's engagements with their project titles, newest first.
    pub async fn student_engagements(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<(crate::Engagement, String)>> {
        let ids: Vec<(i64, String)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id, p.title FROM engagements e JOIN projects p ON p.id = e.project_id WHERE e.student_id = $1 ORDER BY e.id DESC",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        let mut out = Vec::new();
        for (id, title) in ids {
            out.push((self.engagement(id).await?, title));
        }
        Ok(out)
    }

    /// What a student has earned, per currency.
    pub async fn earnings(&self, student_id: i64) -> StoreResult<Vec<Earnings>> {
        let rows: Vec<(String, String, i64)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.currency, l.kind, CAST(SUM(l.amount_minor) AS BIGINT)
                 FROM ledger_entries l JOIN engagements e ON e.id = l.engagement_id
                 WHERE e.student_id = $1 GROUP BY e.currency, l.kind ORDER BY e.currency",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        let mut out: Vec<Earnings> = Vec::new();
        for (currency, kind, amount) in rows {
            let idx = match out.iter().position(|e| e.currency == currency) {
                Some(i) => i,
                None => {
                    out.push(Earnings {
                        currency: currency.clone(),
                        ..Default::default()
                    });
                    out.len() - 1
                }
            };
            let e = &mut out[idx];
            match kind.as_str() {
                "fund" => e.pending += amount,
                "release" => {
                    e.pending -= amount;
                    e.released += amount;
                }
                "payout" => {
                    e.released -= amount;
                    e.paid_out += amount;
                }
                "refund" => e.pending -= amount,
                _ => {}
            }
        }
        Ok(out)
    }
}

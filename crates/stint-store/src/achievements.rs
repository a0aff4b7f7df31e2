//! Achievements and the public portfolio.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::achievement::Outcome;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, split_list, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct AchievementRow {
    id: i64,
    engagement_id: i64,
    student_id: i64,
    title: String,
    org_name: String,
    summary: String,
    outcomes: String,
    skills: String,
    hours: i32,
    completed_on: NaiveDate,
    confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Achievement {
    pub id: i64,
    pub engagement_id: i64,
    pub student_id: i64,
    pub title: String,
    pub org_name: String,
    pub summary: String,
    pub outcomes: Vec<Outcome>,
    pub skills: Vec<String>,
    pub hours: i32,
    pub completed_on: NaiveDate,
    /// The employer confirmed the outcomes: shown as verified.
    pub confirmed: bool,
}

impl From<AchievementRow> for Achievement {
    fn from(r: AchievementRow) -> Self {
        Achievement {
            id: r.id,
            engagement_id: r.engagement_id,
            student_id: r.student_id,
            title: r.title,
            org_name: r.org_name,
            summary: r.summary,
            outcomes: r
                .outcomes
                .lines()
                .filter_map(|l| Outcome::parse(l).ok())
                .collect(),
            skills: split_list(&r.skills),
            hours: r.hours,
            completed_on: r.completed_on,
            confirmed: r.confirmed_at.is_some(),
        }
    }
}

const SELECT: &str = "SELECT id, engagement_id, student_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at FROM achievements";

impl Store {
    /// Drafts the achievement for an approved engagement, once.
    pub async fn draft_achievement(
        &self,
        engagement_id: i64,
        completed_on: NaiveDate,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let _ = SELECT;
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO achievements (engagement_id, student_id, title, org_name, summary, skills, hours, completed_on, created_at, updated_at)
                 SELECT e.id, e.student_id, p.title, o.name, p.summary, p.required_skills, p.estimated_hours, $2, $3, $3
                 FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.org_id
                 WHERE e.id = $1
                 ON CONFLICT (engagement_id) DO NOTHING",
            )
            .bind(engagement_id)
            .bind(completed_on)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn achievement(&self, id: i64) -> StoreResult<Achievement> {
        let row: AchievementRow = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, engagement_id, student_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at
                 FROM achievements WHERE id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })?;
        Ok(row.into())
    }

    pub async fn achievement_for(&self, engagement_id: i64) -> StoreResult<Option<Achievement>> {
        let row: Option<AchievementRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, engagement_id, student_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at
                 FROM achievements WHERE engagement_id = $1",
            )
            .bind(engagement_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        Ok(row.map(Achievement::from))
    }

    pub async fn student_achievements(&self, student_id: i64) -> StoreResult<Vec<Achievement>> {
        let rows: Vec<AchievementRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, engagement_id, student_id, title, org_name, summary, outcomes, skills, hours, completed_on, confirmed_at
                 FROM achievements WHERE student_id = $1 ORDER BY completed_on DESC, id DESC",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Achievement::from).collect())
    }

    /// The student edits the summary and outcomes; a confirmed achievement
    /// goes back to unconfirmed, as the employer confirmed other words.
    pub async fn edit_achievement(
        &self,
        id: i64,
        summary: &str,
        outcomes: &[Outcome],
    ) -> StoreResult<Achievement> {
        let text = outcomes
            .iter()
            .map(Outcome::line)
            .collect::<Vec<_>>()
            .join("\n");
        with_db!(self, write, |p| {
            sqlx::query("UPDATE achievements SET summary = $1, outcomes = $2, confirmed_at = NULL, updated_at = $3 WHERE id = $4")
                .bind(summary)
                .bind(text)
                .bind(Utc::now())
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        self.achievement(id).await
    }

    /// The employer confirms; `Conflict("nothing_to_confirm")` without outcomes.
    pub async fn confirm_achievement(&self, id: i64) -> StoreResult<Achievement> {
        let n = with_db!(self, write, |p| {
            sqlx::query("UPDATE achievements SET confirmed_at = $1 WHERE id = $2 AND outcomes <> '' AND confirmed_at IS NULL")
                .bind(Utc::now())
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        let a = self.achievement(id).await?;
        if n == 0 && !a.confirmed {
            return Err(StoreError::Conflict("nothing_to_confirm"));
        }
        Ok(a)
    }

    pub async fn set_portfolio_public(&self, user_id: i64, public: bool) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO student_profiles (user_id, portfolio_public, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET portfolio_public = excluded.portfolio_public",
            )
            .bind(user_id)
            .bind(public)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn portfolio_public(&self, user_id: i64) -> StoreResult<bool> {
        let v: Option<bool> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT portfolio_public FROM student_profiles WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        Ok(v.unwrap_or(false))
    }

    /// Reviews of a student, with the engagement's approval time, so the
    /// caller can apply the double-blind rule before showing them.
    pub async fn reviews_of_student(&self, student_id: i64) -> StoreResult<Vec<crate::Review>> {
        let ids: Vec<i64> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT id FROM engagements WHERE student_id = $1 ORDER BY id")
                .bind(student_id)
                .fetch_all(p)
                .await
        })?;
        let mut out = Vec::new();
        for id in ids {
            out.extend(self.reviews(id).await?);
        }
        Ok(out)
    }
}

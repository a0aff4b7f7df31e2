//! Reviews. The store keeps them; whether one is shown is the domain's rule,
//! applied by the caller with the approval time from the ledger.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::review::{Direction, ReviewInput};

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    engagement_id: i64,
    direction: String,
    author_id: i64,
    author_name: String,
    rating_1: i32,
    rating_2: i32,
    rating_3: i32,
    body: String,
    recommendation: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub id: i64,
    pub engagement_id: i64,
    pub direction: Direction,
    pub author_id: i64,
    pub author_name: String,
    pub ratings: [u8; 3],
    pub body: String,
    pub recommendation: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ReviewRow> for Review {
    fn from(r: ReviewRow) -> Self {
        let n = |v: i32| u8::try_from(v).unwrap_or(0);
        Review {
            id: r.id,
            engagement_id: r.engagement_id,
            direction: Direction::parse(&r.direction).unwrap_or(Direction::OfStudent),
            author_id: r.author_id,
            author_name: r.author_name,
            ratings: [n(r.rating_1), n(r.rating_2), n(r.rating_3)],
            body: r.body,
            recommendation: r.recommendation,
            created_at: r.created_at,
        }
    }
}

impl Store {
    /// One review per engagement and direction: `Conflict("duplicate")` for a second.
    pub async fn add_review(
        &self,
        engagement_id: i64,
        direction: Direction,
        author_id: i64,
        r: &ReviewInput,
    ) -> StoreResult<i64> {
        let id: Result<i64, sqlx::Error> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO reviews (engagement_id, direction, author_id, rating_1, rating_2, rating_3, body, recommendation, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(engagement_id)
            .bind(direction.as_str())
            .bind(author_id)
            .bind(i32::from(r.ratings[0]))
            .bind(i32::from(r.ratings[1]))
            .bind(i32::from(r.ratings[2]))
            .bind(&r.text)
            .bind(&r.recommendation)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        });
        id.map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict("duplicate"),
            other => other,
        })
    }

    pub async fn reviews(&self, engagement_id: i64) -> StoreResult<Vec<Review>> {
        let rows: Vec<ReviewRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT r.id, r.engagement_id, r.direction, r.author_id, u.name AS author_name, r.rating_1, r.rating_2, r.rating_3,
                    r.body, r.recommendation, r.created_at
                 FROM reviews r JOIN users u ON u.id = r.author_id WHERE r.engagement_id = $1 ORDER BY r.id",
            )
            .bind(engagement_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Review::from).collect())
    }

    /// When the engagement's price was released: approval time, which opens
    /// the review window.
    pub async fn approved_at(&self, engagement_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT created_at FROM ledger_entries WHERE engagement_id = $1 AND kind = 'release'")
                .bind(engagement_id)
                .fetch_one(p)
                .await
                .optional()
        })
    }
}

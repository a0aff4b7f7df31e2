//! Student profiles.

use chrono::Utc;
use stint_domain::profile::StudentProfile;

use crate::error::OptionalExt;
use crate::{Store, StoreResult, split_list, with_db};

#[derive(sqlx::FromRow)]
struct ProfileRow {
    headline: Option<String>,
    university_id: Option<i64>,
    area_of_study: Option<String>,
    degree: Option<String>,
    graduation_year: Option<i32>,
    skills: String,
    coursework: Option<String>,
    availability_hours: Option<i32>,
    interests: String,
    location: Option<String>,
    time_zone: Option<String>,
    portfolio_url: Option<String>,
    linkedin_url: Option<String>,
    github_url: Option<String>,
    bio: Option<String>,
}

impl Store {
    /// The profile, or an empty one for a student who has not filled it in.
    pub async fn profile(&self, user_id: i64) -> StoreResult<StudentProfile> {
        let row: Option<ProfileRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT headline, university_id, area_of_study, degree, graduation_year, skills, coursework,
                        availability_hours, interests, location, time_zone, portfolio_url, linkedin_url, github_url, bio
                 FROM student_profiles WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        Ok(row
            .map(|r| StudentProfile {
                headline: r.headline,
                university_id: r.university_id,
                area_of_study: r.area_of_study,
                degree: r.degree,
                graduation_year: r.graduation_year,
                skills: split_list(&r.skills),
                coursework: r.coursework,
                availability_hours: r.availability_hours,
                interests: split_list(&r.interests),
                location: r.location,
                time_zone: r.time_zone,
                portfolio_url: r.portfolio_url,
                linkedin_url: r.linkedin_url,
                github_url: r.github_url,
                bio: r.bio,
            })
            .unwrap_or_default())
    }

    #[tracing::instrument(skip(self, p))]
    pub async fn save_profile(&self, user_id: i64, p: &StudentProfile) -> StoreResult<()> {
        let keys: Vec<String> = p
            .skills
            .iter()
            .map(|k| format!("skill:{k}"))
            .chain(p.interests.iter().map(|c| format!("cat:{c}")))
            .collect();
        with_db!(self, write, |pool| {
            async {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO student_profiles (user_id, headline, university_id, area_of_study, degree, graduation_year, skills,
                    coursework, availability_hours, interests, location, time_zone, portfolio_url, linkedin_url, github_url, bio, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                 ON CONFLICT (user_id) DO UPDATE SET headline = excluded.headline, university_id = excluded.university_id,
                    area_of_study = excluded.area_of_study, degree = excluded.degree, graduation_year = excluded.graduation_year,
                    skills = excluded.skills, coursework = excluded.coursework, availability_hours = excluded.availability_hours,
                    interests = excluded.interests, location = excluded.location, time_zone = excluded.time_zone,
                    portfolio_url = excluded.portfolio_url, linkedin_url = excluded.linkedin_url, github_url = excluded.github_url,
                    bio = excluded.bio, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(&p.headline)
            .bind(p.university_id)
            .bind(&p.area_of_study)
            .bind(&p.degree)
            .bind(p.graduation_year)
            .bind(p.skills.join(","))
            .bind(&p.coursework)
            .bind(p.availability_hours)
            .bind(p.interests.join(","))
            .bind(&p.location)
            .bind(&p.time_zone)
            .bind(&p.portfolio_url)
            .bind(&p.linkedin_url)
            .bind(&p.github_url)
            .bind(&p.bio)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            // The match keys follow the profile in the same transaction.
            sqlx::query("DELETE FROM student_match_keys WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for k in &keys {
                sqlx::query("INSERT INTO student_match_keys (user_id, match_key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(user_id)
                    .bind(k)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
            }
            .await
        })?;
        Ok(())
    }
}

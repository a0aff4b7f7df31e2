//! An employer's talent pool: the students who completed work for the
//! organization, were hired or shortlisted by it, filtered and annotated by
//! its members with private tags and notes. Members of that organization
//! only; a student outside its pool is "not found", whoever asks.

use stint_domain::FieldErrors;
use stint_domain::talent::{PoolFilter, PoolFilterForm, parse_note, parse_tags};
use stint_store::{PoolStudent, PoolWork, StoreError, TalentNote, User};

use crate::AppState;
use crate::auth::authz::require_employer_member;
use crate::error::AppError;

/// Students shown a page.
pub const PAGE_SIZE: i64 = 50;

/// One page of the pool, with what the filters offer.
pub struct PoolList {
    /// The caller's organization's name.
    pub org_name: String,
    pub filter: PoolFilter,
    pub students: Vec<PoolStudent>,
    pub total: i64,
    pub page: i64,
    pub more: bool,
    /// Every tag the organization uses, with how many students carry it.
    pub tags: Vec<(String, i64)>,
    /// The universities (confirmed) among the pool: (id, name).
    pub universities: Vec<(i64, String)>,
    /// The skills among the pool, most common first: (slug, students).
    pub skills: Vec<(String, i64)>,
}

fn parse_page(raw: &str) -> Result<i64, AppError> {
    match raw.trim() {
        "" => Ok(1),
        p => match p.parse::<i64>() {
            Ok(v) if (1..=10_000).contains(&v) => Ok(v),
            _ => Err(AppError::invalid("page", "The page is a number from 1.")),
        },
    }
}

/// The caller's organization's pool through the filters in `form`.
pub async fn pool(
    state: &AppState,
    user: &User,
    form: &PoolFilterForm,
    page: &str,
) -> Result<PoolList, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let filter = form.parse()?;
    let page = parse_page(page)?;
    let (mut students, total) = state
        .store
        .talent_pool(m.org.id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    let more = students.len() as i64 > PAGE_SIZE;
    students.truncate(PAGE_SIZE as usize);
    Ok(PoolList {
        org_name: m.org.name.clone(),
        filter,
        students,
        total,
        page,
        more,
        tags: state.store.talent_tags(m.org.id).await?,
        universities: state.store.talent_universities(m.org.id).await?,
        skills: state.store.talent_skills(m.org.id).await?,
    })
}

/// One pooled student with the members' notes and the student's projects
/// with the organization, each newest first.
pub struct PoolEntry {
    /// The caller's organization's name.
    pub org_name: String,
    pub student: PoolStudent,
    pub notes: Vec<TalentNote>,
    pub work: Vec<PoolWork>,
    /// The student's portfolio is public (a link to it works).
    pub portfolio_public: bool,
}

pub async fn student(
    state: &AppState,
    user: &User,
    student_id: i64,
) -> Result<PoolEntry, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let student = state
        .store
        .talent_student(m.org.id, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notes = state.store.talent_notes(m.org.id, student_id).await?;
    let work = state.store.talent_history(m.org.id, student_id).await?;
    let portfolio_public = state.store.portfolio_public(student_id).await?;
    Ok(PoolEntry {
        portfolio_public,
        org_name: m.org.name,
        student,
        notes,
        work,
    })
}

/// Replaces a pooled student's tags with `tags`; returns them as stored.
pub async fn set_tags<'a>(
    state: &AppState,
    user: &User,
    student_id: i64,
    tags: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let tags = parse_tags(tags).map_err(|e| AppError::Invalid(FieldErrors(vec![e])))?;
    state
        .store
        .set_talent_tags(m.org.id, student_id, &tags)
        .await?;
    Ok(tags)
}

/// Adds a note about a pooled student; returns it.
pub async fn add_note(
    state: &AppState,
    user: &User,
    student_id: i64,
    body: &str,
) -> Result<TalentNote, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let body = parse_note(body).map_err(|e| AppError::Invalid(FieldErrors(vec![e])))?;
    let id = state
        .store
        .add_talent_note(m.org.id, student_id, user.id, &body)
        .await?;
    state
        .store
        .talent_notes(m.org.id, student_id)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(AppError::NotFound)
}

/// Deletes a note the caller wrote about this pooled student.
pub async fn delete_note(
    state: &AppState,
    user: &User,
    student_id: i64,
    note_id: i64,
) -> Result<(), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let notes = state.store.talent_notes(m.org.id, student_id).await?;
    if !notes.iter().any(|n| n.id == note_id) {
        return Err(AppError::NotFound);
    }
    state
        .store
        .delete_talent_note(m.org.id, note_id, user.id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => {
                AppError::Forbidden("Only the member who wrote a note can delete it.")
            }
            other => other.into(),
        })
}

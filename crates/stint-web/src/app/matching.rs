//! Discovery for students: explained matches on a project, the five best
//! open projects now (with one in a new field for a student who has only
//! tried one), hiding a suggestion, comparing projects side by side, and the
//! alerts sent when a project is published.
//!
//! The store narrows the candidates by index; the domain scores them
//! (`stint_domain::matching`); this module decides which to show.

use chrono::NaiveDate;
use stint_domain::account::Role;
use stint_domain::matching::{Match, ProjectFacts, StudentFacts, Viewer, score_for};
use stint_domain::profile::StudentProfile;
use stint_store::{Candidate, Pool, Project, Tried, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::require_role;
use crate::error::AppError;

/// Suggestions shown on a student's home.
pub const TOP_N: usize = 5;
/// Newest related open projects scored for the suggestions. Projects are
/// filled within days, so the newest few hundred related ones hold the best
/// matches; scoring more costs more than it finds.
const CANDIDATES: i64 = 600;
/// Projects outside the tried field scored for the exploration pick.
const EXPLORE_CANDIDATES: i64 = 300;
/// The least score an exploration pick needs to be worth showing.
const EXPLORE_MIN: u8 = 40;
/// A new project alerts students whose match is at least this.
pub const ALERT_THRESHOLD: u8 = 60;
/// Most match alerts one student gets in 24 hours.
pub const DAILY_ALERT_CAP: i64 = 3;

/// Days of work from when it can start (today if the start has passed).
fn work_days(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> i64 {
    (due - start.max(today)).num_days()
}

pub fn facts_of_candidate(c: &Candidate, today: NaiveDate) -> ProjectFacts<'_> {
    ProjectFacts {
        category: &c.category,
        required_skills: &c.required_skills,
        preferred_skills: &c.preferred_skills,
        estimated_hours: c.estimated_hours,
        work_days: work_days(c.start_date, c.due_date, today),
        work_mode: c.work_mode,
        location: c.location.as_deref(),
        price: c.price,
    }
}

pub fn facts_of_project(p: &Project, today: NaiveDate) -> ProjectFacts<'_> {
    let i = &p.input;
    ProjectFacts {
        category: &i.category,
        required_skills: &i.required_skills,
        preferred_skills: &i.preferred_skills,
        estimated_hours: i.estimated_hours,
        work_days: work_days(i.start_date, i.due_date, today),
        work_mode: i.work_mode,
        location: i.location.as_deref(),
        price: i.price,
    }
}

pub fn facts_of_student<'a>(p: &'a StudentProfile, tried: &'a [String]) -> StudentFacts<'a> {
    StudentFacts {
        skills: &p.skills,
        interests: &p.interests,
        area_of_study: p.area_of_study.as_deref(),
        availability_hours: p.availability_hours,
        location: p.location.as_deref(),
        tried_categories: tried,
    }
}

/// A student's profile and the categories they have tried.
struct Me {
    profile: StudentProfile,
    tried: Vec<Tried>,
    tried_slugs: Vec<String>,
}

async fn me(state: &AppState, user: &User) -> Result<Me, AppError> {
    let profile = state.store.profile(user.id).await?;
    let tried = state.store.tried_categories(user.id).await?;
    let tried_slugs = tried.iter().map(|t| t.slug.clone()).collect();
    Ok(Me {
        profile,
        tried,
        tried_slugs,
    })
}

/// The match of `project` for a signed-in student; `None` for anyone else.
pub async fn explain(
    state: &AppState,
    user: Option<&User>,
    project: &Project,
) -> Result<Option<Match>, AppError> {
    let Some(user) = user.filter(|u| u.role == Role::Student) else {
        return Ok(None);
    };
    let me = me(state, user).await?;
    Ok(Some(score_for(
        Viewer::Student,
        &facts_of_student(&me.profile, &me.tried_slugs),
        &facts_of_project(project, state.clock.today()),
        &state.config.floors,
    )))
}

/// Matches for a list of projects (search results) for a signed-in
/// student, by project id; empty for anyone else.
pub async fn explain_many(
    state: &AppState,
    user: Option<&User>,
    ids: &[i64],
) -> Result<Vec<(i64, Match)>, AppError> {
    let Some(user) = user.filter(|u| u.role == Role::Student) else {
        return Ok(Vec::new());
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let me = me(state, user).await?;
    let today = state.clock.today();
    let student = facts_of_student(&me.profile, &me.tried_slugs);
    Ok(state
        .store
        .match_candidates(user.id, Pool::Ids(ids), today, ids.len() as i64)
        .await?
        .iter()
        .map(|c| {
            let m = score_for(
                Viewer::Student,
                &student,
                &facts_of_candidate(c, today),
                &state.config.floors,
            );
            (c.id, m)
        })
        .collect())
}

/// One suggested project and why.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub project: Candidate,
    pub m: Match,
    /// Picked to widen the student's range (a field they have not tried).
    pub exploration: bool,
}

/// A student's home: suggestions and what they have tried so far.
pub struct Suggestions {
    pub top: Vec<Suggestion>,
    /// Per category: applied, hired, completed.
    pub categories: Vec<Tried>,
    /// Per required skill of the projects applied to.
    pub skills: Vec<Tried>,
    /// The profile has no skills and no interests, so suggestions are weak.
    pub profile_empty: bool,
}

fn rank(mut scored: Vec<Suggestion>) -> Vec<Suggestion> {
    // Best score first; among equals the project closing soonest, so a
    // student does not miss it.
    scored.sort_by(|a, b| {
        b.m.score
            .cmp(&a.m.score)
            .then(
                a.project
                    .application_deadline
                    .cmp(&b.project.application_deadline),
            )
            .then(b.project.id.cmp(&a.project.id))
    });
    scored
}

/// The student's best open projects now, best first, with reasons.
pub async fn suggestions(state: &AppState, user: &User) -> Result<Suggestions, AppError> {
    require_role(user, Role::Student)?;
    let me = me(state, user).await?;
    let today = state.clock.today();
    let mut categories: Vec<String> = me.profile.interests.clone();
    for s in &me.profile.skills {
        if let Some(k) = stint_domain::taxonomy::skill(s)
            && !categories.iter().any(|c| c == k.category)
        {
            categories.push(k.category.to_string());
        }
    }
    for t in &me.tried_slugs {
        if !categories.contains(t) {
            categories.push(t.clone());
        }
    }
    let student = facts_of_student(&me.profile, &me.tried_slugs);
    let score_all = |list: Vec<Candidate>| -> Vec<Suggestion> {
        list.into_iter()
            .map(|c| {
                let m = score_for(
                    Viewer::Student,
                    &student,
                    &facts_of_candidate(&c, today),
                    &state.config.floors,
                );
                Suggestion {
                    project: c,
                    m,
                    exploration: false,
                }
            })
            .collect()
    };
    let pool = if categories.is_empty() {
        // Nothing to go on yet: the newest open projects, scored anyway.
        Pool::Outside { categories: &[] }
    } else {
        Pool::Related {
            categories: &categories,
            skills: &me.profile.skills,
        }
    };
    let ranked = rank(score_all(
        state
            .store
            .match_candidates(user.id, pool, today, CANDIDATES)
            .await?,
    ));
    let mut top: Vec<Suggestion> = ranked.iter().take(TOP_N).cloned().collect();
    // Career exploration: someone who has worked in one field sees one good
    // project from another, labelled as such.
    if me.tried_slugs.len() == 1 && !top.iter().any(|s| s.m.new_field) {
        let mut pick = ranked.iter().find(|s| s.m.new_field).cloned();
        if pick.as_ref().is_none_or(|p| p.m.score < EXPLORE_MIN) {
            let outside = rank(score_all(
                state
                    .store
                    .match_candidates(
                        user.id,
                        Pool::Outside {
                            categories: &me.tried_slugs,
                        },
                        today,
                        EXPLORE_CANDIDATES,
                    )
                    .await?,
            ));
            if let Some(o) = outside.into_iter().next()
                && pick.as_ref().is_none_or(|p| o.m.score > p.m.score)
            {
                pick = Some(o);
            }
        }
        if let Some(mut p) = pick.filter(|p| p.m.score >= EXPLORE_MIN) {
            p.exploration = true;
            if top.len() == TOP_N {
                top.pop();
            }
            top.push(p);
        }
    }
    Ok(Suggestions {
        top,
        categories: me.tried,
        skills: state.store.tried_skills(user.id).await?,
        profile_empty: me.profile.skills.is_empty() && me.profile.interests.is_empty(),
    })
}

/// "Not interested": the project leaves the student's suggestions.
pub async fn hide(state: &AppState, user: &User, project_id: i64) -> Result<(), AppError> {
    require_role(user, Role::Student)?;
    let p = state.store.project(project_id).await?;
    if !crate::auth::authz::can_view_project(&state.store, Some(user), &p).await? {
        return Err(AppError::NotFound);
    }
    state.store.hide_project(user.id, project_id).await?;
    Ok(())
}

pub async fn unhide(state: &AppState, user: &User, project_id: i64) -> Result<(), AppError> {
    require_role(user, Role::Student)?;
    state.store.unhide_project(user.id, project_id).await?;
    Ok(())
}

/// One project in a comparison.
pub struct Compared {
    pub project: Candidate,
    /// For a signed-in student.
    pub m: Option<Match>,
    pub record: Vec<String>,
    pub ratings: Option<[u32; 3]>,
}

/// Two to four projects side by side, in the order asked.
pub async fn compare(
    state: &AppState,
    user: Option<&User>,
    ids: &[i64],
) -> Result<Vec<Compared>, AppError> {
    let mut unique: Vec<i64> = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if !(2..=4).contains(&unique.len()) {
        return Err(AppError::invalid(
            "ids",
            "Pick two to four projects to compare.",
        ));
    }
    let found = state
        .store
        .match_candidates(
            user.filter(|u| u.role == Role::Student).map_or(0, |u| u.id),
            Pool::Ids(&unique),
            state.clock.today(),
            4,
        )
        .await?;
    if found.len() != unique.len() {
        return Err(AppError::NotFound);
    }
    let matches = explain_many(state, user, &unique).await?;
    let mut out = Vec::new();
    for id in unique {
        let Some(c) = found.iter().find(|c| c.id == id).cloned() else {
            return Err(AppError::NotFound);
        };
        let org = state.store.org_by_slug(&c.org_slug).await?;
        let profile = super::orgs::profile(state, org).await?;
        out.push(Compared {
            m: matches
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, m)| m.clone()),
            record: crate::view::record_lines(
                &profile.record,
                profile.ratings,
                profile.reviews.len(),
            ),
            ratings: profile.ratings,
            project: c,
        });
    }
    Ok(out)
}

/// Job: alert the students a newly published project suits best, in match
/// order, once each, at most [`DAILY_ALERT_CAP`] a day per student. A no-op
/// once the project is no longer open.
pub async fn alert_new_project(state: &AppState, project_id: i64) -> Result<(), AppError> {
    let project = state.store.project(project_id).await?;
    // An invite-only project reaches only the students invited to it.
    if project.status != stint_domain::project::ProjectStatus::Open || project.invite_only {
        return Ok(());
    }
    // Saved searches first: the student asked for these explicitly. If they
    // cannot be read at all, match alerts still go out.
    let searched = super::saved_searches::on_publish(state, &project).await;
    super::jobs::for_each_recipient(
        state,
        super::jobs::MATCH_ALERTS,
        project_id,
        "saved searches",
        searched,
    )
    .await;
    let now = state.clock.now();
    let today = state.clock.today();
    let facts = facts_of_project(&project, today);
    let mut keys: Vec<String> = vec![format!("cat:{}", project.input.category)];
    keys.extend(
        project
            .input
            .required_skills
            .iter()
            .chain(&project.input.preferred_skills)
            .map(|s| format!("skill:{s}")),
    );
    let mut scored: Vec<(u8, i64, Match)> = Vec::new();
    let university = project.restricted_to.as_ref().map(|r| r.university_id);
    for c in state.store.alert_candidates(&keys, university).await? {
        let tried: Vec<String> = Vec::new();
        let m = score_for(
            Viewer::Student,
            &facts_of_student(&c.profile, &tried),
            &facts,
            &state.config.floors,
        );
        if m.score >= ALERT_THRESHOLD {
            scored.push((m.score, c.user_id, m));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let since = now - chrono::Duration::hours(24);
    for (score, student_id, m) in scored {
        let result = alert_student(state, &project, student_id, score, &m, since, now).await;
        super::jobs::for_each_recipient(
            state,
            super::jobs::MATCH_ALERTS,
            project_id,
            format!("student {student_id}"),
            result,
        )
        .await;
    }
    Ok(())
}

/// One student's match alert for a new project, within the daily cap and
/// once per project.
async fn alert_student(
    state: &AppState,
    project: &stint_store::Project,
    student_id: i64,
    score: u8,
    m: &Match,
    since: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    if state.store.alerts_since(student_id, since).await? >= DAILY_ALERT_CAP {
        return Ok(());
    }
    if !state
        .store
        .record_alert(project.id, student_id, score, now)
        .await?
    {
        return Ok(());
    }
    let why = m
        .reasons
        .iter()
        .filter(|r| r.good && !r.neutral)
        .take(3)
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("; ");
    notify::send(
        state,
        student_id,
        Kind::MatchAlert,
        &format!(
            "A new project matches you ({score}%): {}",
            project.input.title
        ),
        &format!(
            "{} posted \"{}\" ({}). Why it fits: {why}. Applications close on {}.",
            project.org_name,
            project.input.title,
            project.input.price,
            crate::view::date(&project.input.application_deadline)
        ),
        &format!("/projects/{}", project.id),
    )
    .await
}

//! Timed work: what happens when a date passes. Jobs are scheduled when a
//! project is published and run by the worker (`run_due`), which the binary
//! calls every few seconds in every `serve` process; the store's claims make
//! each job run once.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use stint_domain::project::ProjectStatus;
use stint_store::{Job, Project, StoreError};

use super::notify::{self, Kind};
use crate::AppState;
use crate::error::AppError;
use crate::view::date;

pub const CLOSE_UNDECIDED: &str = "close_undecided";
pub const DECISION_REMINDER: &str = "decision_reminder";
pub const AUTO_APPROVE: &str = "auto_approve";
pub const DUE_REMINDER: &str = "due_reminder";
pub const REVIEW_REVEAL: &str = "review_reveal";
pub const MATCH_ALERTS: &str = "match_alerts";
pub const SEARCH_DIGEST: &str = "search_digest";
pub const CREDIT_REMINDER: &str = "credit_reminder";
const MAX_ATTEMPTS: i32 = 5;

fn start_of(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// At publish: alert matching students at once, close what is undecided
/// once the decision-by day is over, and remind the employer two days before.
pub async fn schedule_for(state: &AppState, p: &Project) -> Result<(), AppError> {
    state
        .store
        .schedule_job(MATCH_ALERTS, p.id, state.clock.now())
        .await?;
    state.jobs_wake.notify_one();
    let decision = p.input.decision_by;
    state
        .store
        .schedule_job(
            CLOSE_UNDECIDED,
            p.id,
            start_of(decision + Duration::days(1)),
        )
        .await?;
    let remind = start_of(decision - Duration::days(2));
    if remind > state.clock.now() {
        state
            .store
            .schedule_job(DECISION_REMINDER, p.id, remind)
            .await?;
    }
    Ok(())
}

/// At hire: remind the student two days before the work is due.
pub async fn schedule_for_engagement(
    state: &AppState,
    id: i64,
    due: NaiveDate,
) -> Result<(), AppError> {
    let remind = start_of(due - Duration::days(2));
    if remind > state.clock.now() {
        state.store.schedule_job(DUE_REMINDER, id, remind).await?;
    }
    Ok(())
}

/// Serves one recipient of a job that works through many: a failure is
/// logged and recorded (`job_failures`, shown to admins) and the job goes on
/// with the others, so one bad row never stops alerts or notices for
/// everyone.
pub(crate) async fn for_each_recipient(
    state: &AppState,
    kind: &'static str,
    subject_id: i64,
    item: impl std::fmt::Display,
    result: Result<(), AppError>,
) {
    let Err(e) = result else {
        return;
    };
    let item = item.to_string();
    tracing::warn!(kind, subject_id, %item, error = %e, "job item failed; going on");
    if let Err(e) = state
        .store
        .record_job_failure(kind, subject_id, &item, &e.to_string(), state.clock.now())
        .await
    {
        tracing::error!(error = %e, "could not record a job item failure");
    }
}

/// Runs the jobs due now; returns how many succeeded.
pub async fn run_due(state: &AppState, limit: i64) -> Result<usize, AppError> {
    // Stored `Idempotency-Key` answers live a day (an indexed delete).
    state
        .store
        .purge_idempotency_keys(state.clock.now() - Duration::hours(24))
        .await?;
    // Webhook delivery logs keep 30 days.
    state
        .store
        .purge_webhook_log(state.clock.now() - Duration::days(super::webhooks::LOG_DAYS))
        .await?;
    // Search indexes read the feed within seconds; a week is for a process
    // that was stopped (further behind, it rebuilds).
    state
        .store
        .purge_search_feed(state.clock.now() - Duration::days(stint_store::FEED_DAYS))
        .await?;
    // Prepared downloads of people's data keep a week.
    super::privacy::expire(state).await?;
    // What the retention settings say goes, at most hourly.
    super::privacy::retention_pass(state).await?;
    let jobs = state
        .store
        .claim_jobs(state.clock.now(), MAX_ATTEMPTS, limit, Duration::minutes(5))
        .await?;
    let mut done = 0;
    for job in jobs {
        let result = run_one(state, &job).await;
        done += usize::from(settle(state, &job, result).await?);
    }
    Ok(done)
}

async fn run_one(state: &AppState, job: &Job) -> Result<(), AppError> {
    match job.kind.as_str() {
        CLOSE_UNDECIDED => close_undecided(state, job.subject_id).await,
        DECISION_REMINDER => decision_reminder(state, job.subject_id).await,
        AUTO_APPROVE => super::engagements::auto_approve(state, job.subject_id).await,
        DUE_REMINDER => super::engagements::due_reminder(state, job.subject_id).await,
        REVIEW_REVEAL => super::reviews::reveal(state, job.subject_id).await,
        MATCH_ALERTS => super::matching::alert_new_project(state, job.subject_id).await,
        SEARCH_DIGEST => super::saved_searches::digest(state, job.subject_id).await,
        CREDIT_REMINDER => super::credit::remind(state, job.subject_id).await,
        super::stripe::STRIPE_SETTLE => super::stripe::settle(state, job.subject_id).await,
        super::privacy::DATA_EXPORT => super::privacy::prepare(state, job.subject_id).await,
        other => Err(AppError::Internal(format!("unknown job kind {other}"))),
    }
}

/// Marks a job done, or records why it failed (it is claimed again when its
/// lease runs out); true when it succeeded.
pub(crate) async fn settle(
    state: &AppState,
    job: &Job,
    result: Result<(), AppError>,
) -> Result<bool, AppError> {
    match result {
        Ok(()) => {
            state.store.finish_job(job).await?;
            Ok(true)
        }
        Err(e) => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
            state.store.fail_job(job.id, &e.to_string()).await?;
            Ok(false)
        }
    }
}

/// No ghosting: at the end of the decision-by day every undecided
/// application is closed with a notice, and an open project stops taking
/// applications.
async fn close_undecided(state: &AppState, project_id: i64) -> Result<(), AppError> {
    let project = match state.store.project(project_id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let closed = state.store.close_undecided(project_id).await?;
    super::credit::applications_closed(state, project_id).await?;
    if project.status == ProjectStatus::Open {
        match state
            .store
            .set_project_status(project_id, ProjectStatus::Open, ProjectStatus::Closed)
            .await
        {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let title = format!("{} closed without a decision", project.input.title);
    let body = format!(
        "{} did not decide on your application to \"{}\" by {}, so it is closed. This counts against their response record on Stint. New projects appear every day.",
        project.org_name,
        project.input.title,
        date(&project.input.decision_by)
    );
    for student in &closed {
        let sent = notify::send(state, *student, Kind::Closed, &title, &body, "/projects").await;
        for_each_recipient(
            state,
            CLOSE_UNDECIDED,
            project_id,
            format!("student {student}"),
            sent,
        )
        .await;
    }
    if !closed.is_empty() {
        let body = format!(
            "The decision-by date of \"{}\" passed with {} application(s) undecided. They are closed and the students told.",
            project.input.title,
            closed.len()
        );
        notify::members(
            state,
            project.org_id,
            Kind::Closed,
            &title,
            &body,
            &format!("/employer/projects/{project_id}/applicants"),
        )
        .await?;
    }
    state
        .store
        .audit(
            None,
            "project.decision_by_passed",
            "project",
            project_id,
            &format!("{} closed", closed.len()),
        )
        .await?;
    Ok(())
}

/// Two days before the decision-by date, if applications still wait.
async fn decision_reminder(state: &AppState, project_id: i64) -> Result<(), AppError> {
    let project = match state.store.project(project_id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let waiting = state
        .store
        .project_applications(project_id)
        .await?
        .iter()
        .filter(|a| a.status.is_undecided())
        .count();
    if project.status != ProjectStatus::Open || waiting == 0 {
        return Ok(());
    }
    let title = format!("{waiting} application(s) wait for your decision");
    let body = format!(
        "Decide on \"{}\" by {}. Undecided applications close automatically then, and the students are told.",
        project.input.title,
        date(&project.input.decision_by)
    );
    notify::members(
        state,
        project.org_id,
        Kind::DecisionDue,
        &title,
        &body,
        &format!("/employer/projects/{project_id}/applicants"),
    )
    .await
}

/// The newest recipients jobs could not serve, for admins (newest first).
pub async fn failures(
    state: &AppState,
    user: &stint_store::User,
    limit: i64,
) -> Result<Vec<stint_store::JobFailure>, AppError> {
    crate::auth::authz::require_admin(user)?;
    Ok(state.store.job_failures(limit).await?)
}

//! Academic credit: the student asks, drafts the learning agreement, the
//! employer acknowledges it, the faculty supervisor approves or returns it;
//! the student logs hours, reflects after approval, and the supervisor signs
//! off. Who may move a request, and from where, is the domain's
//! `credit::transition`; this file checks who the caller is, records each
//! step in the audit log and tells the people involved.

use chrono::Duration;
use stint_domain::account::Role;
use stint_domain::application::ApplicationStatus;
use stint_domain::credit::{
    Agreement, Course, CreditAction, CreditActor, CreditFacts, CreditResult, CreditStatus,
    HoursEntry, Reflection, transition,
};
use stint_domain::university::StaffRole;
use stint_store::{
    CreditHours, CreditRequest, CreditScope, CreditSet, NewCredit, StoreError, User,
};

use super::notify::{Kind, send};
use crate::AppState;
use crate::auth::authz::{require_applicant, require_role};
use crate::error::AppError;

/// How the caller stands to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Student,
    Faculty,
    /// A member of the employer's organization: sees the agreement to
    /// acknowledge it, never the reflection or the hours.
    Employer,
    /// Career staff of the student's university.
    CareerStaff,
}

impl Viewer {
    pub fn sees_reflection(self) -> bool {
        matches!(self, Viewer::Student | Viewer::Faculty)
    }

    pub fn sees_hours(self) -> bool {
        self != Viewer::Employer
    }
}

/// The request, if the caller may see it; `NotFound` otherwise.
pub async fn get(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(CreditRequest, Viewer), AppError> {
    let c = state.store.credit_request(id).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    })?;
    let viewer = match user.role {
        Role::Student if c.student_id == user.id => Viewer::Student,
        Role::University if c.faculty_id == user.id => Viewer::Faculty,
        Role::University => match state.store.membership(user.id).await? {
            Some(m)
                if m.org.id == c.university_id
                    && m.org.verified
                    && m.staff_role == Some(StaffRole::Career) =>
            {
                Viewer::CareerStaff
            }
            _ => return Err(AppError::NotFound),
        },
        Role::Employer if c.status != CreditStatus::Draft => {
            match state.store.membership(user.id).await? {
                Some(m) if m.org.id == c.org_id => Viewer::Employer,
                _ => return Err(AppError::NotFound),
            }
        }
        _ => return Err(AppError::NotFound),
    };
    Ok((c, viewer))
}

/// The caller's requests: a student's own, a supervisor's, an employer's
/// (once sent), or, for career staff, their university's.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<CreditRequest>, AppError> {
    let scope = match user.role {
        Role::Student => CreditScope::Student(user.id),
        Role::Employer => {
            let m = crate::auth::authz::require_employer_member(&state.store, user).await?;
            CreditScope::Employer(m.org.id)
        }
        Role::University => {
            let m = crate::auth::authz::require_university_member(&state.store, user).await?;
            if m.staff_role == Some(StaffRole::Career) && m.org.verified {
                CreditScope::University(m.org.id)
            } else {
                CreditScope::Faculty(user.id)
            }
        }
        Role::Admin => {
            return Err(AppError::Forbidden(
                "Credit requests belong to students, their supervisors, employers and universities.",
            ));
        }
    };
    Ok(state.store.credit_requests(scope).await?)
}

/// A faculty member a student may name: (id, name).
pub async fn supervisors(state: &AppState, user: &User) -> Result<Vec<(i64, String)>, AppError> {
    require_role(user, Role::Student)?;
    let Some(a) = state
        .store
        .affiliation(user.id)
        .await?
        .filter(|a| a.confirmed())
    else {
        return Ok(Vec::new());
    };
    Ok(state
        .store
        .university_staff(a.university_id)
        .await?
        .into_iter()
        .filter(|s| s.staff_role.as_deref() == Some(StaffRole::Faculty.as_str()))
        .map(|s| (s.user_id, s.name))
        .collect())
}

/// Applications credit may be asked for: hired or shortlisted, on a project
/// eligible for credit, without an open request: (application id, title).
pub async fn eligible(state: &AppState, user: &User) -> Result<Vec<(i64, String)>, AppError> {
    require_role(user, Role::Student)?;
    let open: Vec<i64> = state
        .store
        .credit_requests(CreditScope::Student(user.id))
        .await?
        .into_iter()
        .filter(|c| !matches!(c.status, CreditStatus::Withdrawn | CreditStatus::Ended))
        .map(|c| c.application_id)
        .collect();
    let mut out = Vec::new();
    for a in state.store.timeline_applications(user.id).await? {
        let status = ApplicationStatus::parse(&a.status);
        if !matches!(
            status,
            Some(ApplicationStatus::Hired | ApplicationStatus::Shortlisted)
        ) || open.contains(&a.application_id)
        {
            continue;
        }
        if state.store.project(a.project_id).await?.input.for_credit {
            out.push((
                a.application_id,
                format!("{} ({})", a.project_title, a.org_name),
            ));
        }
    }
    Ok(out)
}

pub struct NewRequest<'a> {
    pub application_id: &'a str,
    pub course_code: &'a str,
    pub course_title: &'a str,
    pub credits: &'a str,
    pub faculty_id: &'a str,
}

/// A student asks for credit on an application they were hired or
/// shortlisted for, naming the course and a faculty supervisor of their
/// (confirmed) university.
pub async fn create(
    state: &AppState,
    user: &User,
    r: NewRequest<'_>,
) -> Result<CreditRequest, AppError> {
    require_role(user, Role::Student)?;
    let Some(aff) = state
        .store
        .affiliation(user.id)
        .await?
        .filter(|a| a.confirmed())
    else {
        return Err(AppError::conflict(
            "affiliation_unconfirmed",
            "Confirm your university first (My profile → Your university); credit is granted by the university you study at.",
        ));
    };
    let mut e = stint_domain::FieldErrors::new();
    let course = match Course::parse(r.course_code, r.course_title, r.credits) {
        Ok(c) => Some(c),
        Err(errs) => {
            e.0.extend(errs.0);
            None
        }
    };
    let faculty = supervisors(state, user).await?;
    let faculty_id = r
        .faculty_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| faculty.iter().any(|(f, _)| f == id));
    if faculty_id.is_none() {
        e.add(
            "faculty_id",
            format!(
                "Choose your supervisor from {}'s faculty.",
                aff.university_name
            ),
        );
    }
    let application = match r.application_id.trim().parse::<i64>() {
        Ok(id) => match require_applicant(&state.store, user, id).await {
            Ok(a) => Some(a),
            Err(AppError::NotFound) => {
                e.add(
                    "application_id",
                    "Choose one of your projects from the list.",
                );
                None
            }
            Err(other) => return Err(other),
        },
        Err(_) => {
            e.add(
                "application_id",
                "Choose one of your projects from the list.",
            );
            None
        }
    };
    let (Some(course), Some(faculty_id), Some(application)) = (course, faculty_id, application)
    else {
        return Err(AppError::Invalid(e));
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    if !matches!(
        application.status,
        ApplicationStatus::Hired | ApplicationStatus::Shortlisted
    ) {
        return Err(AppError::invalid(
            "application_id",
            "Credit is asked for once you are shortlisted or hired.",
        ));
    }
    let project = state.store.project(application.project_id).await?;
    if !project.input.for_credit {
        return Err(AppError::invalid(
            "application_id",
            "This project is not marked as eligible for academic credit.",
        ));
    }
    let id = state
        .store
        .create_credit_request(&NewCredit {
            student_id: user.id,
            university_id: aff.university_id,
            application_id: application.id,
            project_id: project.id,
            org_id: project.org_id,
            faculty_id,
            course: &course,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::conflict(
                "credit_open",
                "You already asked for credit on this project.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "credit.requested",
            "credit_request",
            id,
            &course.code,
        )
        .await?;
    Ok(state.store.credit_request(id).await?)
}

fn facts(c: &CreditRequest) -> CreditFacts {
    CreditFacts {
        employer_acknowledged: c.employer_ack_at.is_some(),
        work_approved: matches!(c.engagement_status.as_deref(), Some("approved" | "paid")),
        hours_logged: c.quarters > 0,
    }
}

fn actor_of(v: Viewer) -> CreditActor {
    match v {
        Viewer::Student => CreditActor::Student,
        Viewer::Faculty => CreditActor::Faculty,
        Viewer::Employer => CreditActor::Employer,
        // Career staff see requests; they move none.
        Viewer::CareerStaff => CreditActor::System,
    }
}

/// Checks the move for the caller and returns the request and where it goes.
async fn step(
    state: &AppState,
    user: &User,
    id: i64,
    action: CreditAction,
) -> Result<(CreditRequest, CreditStatus), AppError> {
    let (c, viewer) = get(state, user, id).await?;
    if viewer == Viewer::CareerStaff {
        return Err(AppError::Forbidden(
            "Career staff see credit requests; the student and their supervisor move them.",
        ));
    }
    let to = transition(c.status, action, actor_of(viewer), facts(&c)).map_err(|m| {
        if action.actor() != actor_of(viewer) {
            AppError::Forbidden(m)
        } else {
            AppError::conflict("credit_state", m)
        }
    })?;
    Ok((c, to))
}

fn changed(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => AppError::conflict(
            "credit_state",
            "This credit request changed meanwhile; reload the page.",
        ),
        other => other.into(),
    }
}

/// Every step is in the audit log, and restarts the request's reminder.
async fn record(
    state: &AppState,
    user: &User,
    c: &CreditRequest,
    what: &str,
) -> Result<(), AppError> {
    state
        .store
        .audit(
            Some(user.id),
            &format!("credit.{what}"),
            "credit_request",
            c.id,
            c.status.as_str(),
        )
        .await?;
    state
        .store
        .schedule_job(
            super::jobs::CREDIT_REMINDER,
            c.id,
            state.clock.now() + Duration::days(REMIND_AFTER_DAYS),
        )
        .await?;
    Ok(())
}

fn link(c: &CreditRequest) -> String {
    format!("/credit/{}", c.id)
}

async fn tell(
    state: &AppState,
    who: &[i64],
    title: &str,
    body: &str,
    c: &CreditRequest,
) -> Result<(), AppError> {
    for id in who {
        send(state, *id, Kind::Credit, title, body, &link(c)).await?;
    }
    Ok(())
}

async fn employer_members(state: &AppState, c: &CreditRequest) -> Result<Vec<i64>, AppError> {
    Ok(state
        .store
        .org_members(c.org_id)
        .await?
        .into_iter()
        .map(|(id, ..)| id)
        .collect())
}

/// The student saves the agreement (draft or returned).
pub async fn save_agreement(
    state: &AppState,
    user: &User,
    id: i64,
    goals: &str,
    hours: &str,
    assessment: &str,
) -> Result<CreditRequest, AppError> {
    let (c, viewer) = get(state, user, id).await?;
    if viewer != Viewer::Student {
        return Err(AppError::Forbidden(
            "Only the student writes the learning agreement.",
        ));
    }
    if !matches!(c.status, CreditStatus::Draft | CreditStatus::Returned) {
        return Err(AppError::conflict(
            "credit_state",
            "The agreement is sent; it changes only if your supervisor returns it.",
        ));
    }
    let a = Agreement::parse(goals, hours, assessment)?;
    state.store.save_agreement(id, &a).await.map_err(changed)?;
    record(state, user, &c, "agreement_saved").await?;
    Ok(state.store.credit_request(id).await?)
}

/// The student sends the saved agreement to the employer and supervisor.
pub async fn submit(state: &AppState, user: &User, id: i64) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Submit).await?;
    // The saved agreement must pass the rules as it stands.
    Agreement::parse(
        &c.goals.join("\n"),
        &c.expected_hours.map(|h| h.to_string()).unwrap_or_default(),
        &c.assessment,
    )?;
    state
        .store
        .move_credit(
            id,
            &[CreditStatus::Draft, CreditStatus::Returned],
            to,
            CreditSet::Nothing,
        )
        .await
        .map_err(changed)?;
    record(state, user, &c, "submitted").await?;
    tell(
        state,
        &[c.faculty_id],
        &format!("{} sent a learning agreement", c.student_name),
        &format!(
            "For credit in {} {}, on “{}” with {}. Approve it or send it back with comments.",
            c.course_code, c.course_title, c.project_title, c.org_name
        ),
        &c,
    )
    .await?;
    if c.employer_ack_at.is_none() {
        tell(
            state,
            &employer_members(state, &c).await?,
            &format!("{} asks you to acknowledge a learning agreement", c.student_name),
            &format!("{} is taking “{}” for academic credit. Acknowledging the agreement does not change the brief.", c.student_name, c.project_title),
            &c,
        )
        .await?;
    }
    Ok(state.store.credit_request(id).await?)
}

/// A member of the employer acknowledges the agreement.
pub async fn acknowledge(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Acknowledge).await?;
    if c.employer_ack_at.is_some() {
        return Err(AppError::conflict(
            "credit_state",
            "The agreement is acknowledged already.",
        ));
    }
    state
        .store
        .move_credit(id, &[c.status], to, CreditSet::Acknowledged(user.id))
        .await
        .map_err(changed)?;
    record(state, user, &c, "acknowledged").await?;
    tell(
        state,
        &[c.student_id, c.faculty_id],
        &format!("{} acknowledged the learning agreement", c.org_name),
        &format!("For credit on “{}”.", c.project_title),
        &c,
    )
    .await?;
    Ok(state.store.credit_request(id).await?)
}

/// The supervisor approves the agreement (after the employer acknowledged it).
pub async fn approve(state: &AppState, user: &User, id: i64) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Approve).await?;
    state
        .store
        .move_credit(id, &[CreditStatus::Submitted], to, CreditSet::Approved)
        .await
        .map_err(changed)?;
    record(state, user, &c, "approved").await?;
    tell(
        state,
        &[c.student_id],
        &format!("{} approved your learning agreement", c.faculty_name),
        "Log your hours as you work; after the employer approves your work, write your reflection.",
        &c,
    )
    .await?;
    Ok(state.store.credit_request(id).await?)
}

/// The supervisor sends the agreement back with comments.
pub async fn send_back(
    state: &AppState,
    user: &User,
    id: i64,
    comment: &str,
) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Return).await?;
    let comment = comment.trim();
    if !(10..=2000).contains(&comment.chars().count()) {
        return Err(AppError::invalid(
            "comment",
            "Say what to change, in 10 to 2,000 characters.",
        ));
    }
    state
        .store
        .move_credit(
            id,
            &[CreditStatus::Submitted],
            to,
            CreditSet::Comment(comment),
        )
        .await
        .map_err(changed)?;
    record(state, user, &c, "returned").await?;
    tell(
        state,
        &[c.student_id],
        &format!("{} sent your learning agreement back", c.faculty_name),
        comment,
        &c,
    )
    .await?;
    Ok(state.store.credit_request(id).await?)
}

/// The student logs hours while the request is active.
pub async fn log_hours(
    state: &AppState,
    user: &User,
    id: i64,
    day: &str,
    hours: &str,
    note: &str,
) -> Result<CreditRequest, AppError> {
    let (c, _) = step(state, user, id, CreditAction::LogHours).await?;
    let today = state.clock.now().date_naive();
    let earliest = c
        .hired_on
        .map(|t| t.date_naive())
        .unwrap_or(c.created_at.date_naive())
        .min(c.created_at.date_naive());
    let entry = HoursEntry::parse(day, hours, note, earliest, today)?;
    state
        .store
        .log_credit_hours(id, &entry)
        .await
        .map_err(changed)?;
    record(state, user, &c, "hours_logged").await?;
    Ok(state.store.credit_request(id).await?)
}

pub async fn hours(state: &AppState, user: &User, id: i64) -> Result<Vec<CreditHours>, AppError> {
    let (_, viewer) = get(state, user, id).await?;
    if !viewer.sees_hours() {
        return Err(AppError::Forbidden(
            "The hours log is for the student and their university.",
        ));
    }
    Ok(state.store.credit_hours(id).await?)
}

/// The student hands in the reflection after the employer approved the work.
pub async fn reflect(
    state: &AppState,
    user: &User,
    id: i64,
    did: &str,
    learnt: &str,
    skills: &str,
    differently: &str,
) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Reflect).await?;
    let r = Reflection::parse(did, learnt, skills, differently)?;
    let json = serde_json::to_string(&r).map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .move_credit(
            id,
            &[CreditStatus::Active],
            to,
            CreditSet::Reflection(&json),
        )
        .await
        .map_err(changed)?;
    record(state, user, &c, "reflected").await?;
    tell(
        state,
        &[c.faculty_id],
        &format!("{} wrote their reflection", c.student_name),
        &format!(
            "Read it beside the employer's evaluation of “{}” and sign off.",
            c.project_title
        ),
        &c,
    )
    .await?;
    Ok(state.store.credit_request(id).await?)
}

/// The supervisor signs off: pass, fail or a grade, with a comment.
pub async fn sign_off(
    state: &AppState,
    user: &User,
    id: i64,
    result: &str,
    grade: &str,
    comment: &str,
) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::SignOff).await?;
    let mut e = stint_domain::FieldErrors::new();
    let result = e.take(CreditResult::parse(result, grade));
    let comment = comment.trim();
    if !(10..=2000).contains(&comment.chars().count()) {
        e.add(
            "comment",
            "Add a comment for the student, in 10 to 2,000 characters.",
        );
    }
    let Some(result) = result.filter(|_| e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    state
        .store
        .move_credit(
            id,
            &[CreditStatus::Reflected],
            to,
            CreditSet::Result {
                result: &result.stored(),
                comment,
            },
        )
        .await
        .map_err(changed)?;
    record(state, user, &c, "signed_off").await?;
    tell(
        state,
        &[c.student_id],
        &format!(
            "{} signed off your credit: {}",
            c.faculty_name,
            result.text()
        ),
        comment,
        &c,
    )
    .await?;
    Ok(state.store.credit_request(id).await?)
}

/// The student withdraws the request.
pub async fn withdraw(state: &AppState, user: &User, id: i64) -> Result<CreditRequest, AppError> {
    let (c, to) = step(state, user, id, CreditAction::Withdraw).await?;
    let open = [
        CreditStatus::Draft,
        CreditStatus::Submitted,
        CreditStatus::Returned,
        CreditStatus::Active,
        CreditStatus::Reflected,
    ];
    state
        .store
        .move_credit(id, &open, to, CreditSet::Ended("Withdrawn by the student."))
        .await
        .map_err(changed)?;
    record(state, user, &c, "withdrawn").await?;
    if c.status != CreditStatus::Draft {
        tell(
            state,
            &[c.faculty_id],
            &format!("{} withdrew their credit request", c.student_name),
            &format!("For “{}”.", c.project_title),
            &c,
        )
        .await?;
    }
    Ok(state.store.credit_request(id).await?)
}

/// An engagement was cancelled or disputed: its credit requests end, and
/// the student and supervisor are told why.
pub async fn engagement_ended(
    state: &AppState,
    application_id: i64,
    why: &str,
) -> Result<(), AppError> {
    let reason = format!("The engagement was {why}; the credit request ended with it.");
    let ended = state
        .store
        .end_credit_for_application(application_id, &reason)
        .await?;
    tell_ended(state, ended, &reason, why).await
}

/// Applications on a project closed without a hire (rejected, withdrawn,
/// closed undecided or on cancelling, or when the places filled): their
/// requests end.
pub async fn applications_closed(state: &AppState, project_id: i64) -> Result<(), AppError> {
    let reason = "The application closed without a hire; the credit request ended with it.";
    let ended = state
        .store
        .end_credit_for_closed_applications(project_id, reason)
        .await?;
    tell_ended(state, ended, reason, "application closed").await
}

async fn tell_ended(
    state: &AppState,
    ended: Vec<i64>,
    reason: &str,
    why: &str,
) -> Result<(), AppError> {
    for id in ended {
        let c = state.store.credit_request(id).await?;
        state
            .store
            .audit(None, "credit.ended", "credit_request", id, why)
            .await?;
        tell(
            state,
            &[c.student_id, c.faculty_id],
            "A credit request ended",
            reason,
            &c,
        )
        .await?;
    }
    Ok(())
}

/// Reminds whoever a request waits on after three quiet days, then every
/// three days while it waits: the student (draft, returned), the employer
/// (acknowledging), the supervisor (approving, signing off). A job per
/// request, scheduled at every step.
pub async fn remind(state: &AppState, id: i64) -> Result<(), AppError> {
    let c = match state.store.credit_request(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let now = state.clock.now();
    let due = c.updated_at + Duration::days(REMIND_AFTER_DAYS);
    let (who, title): (Vec<i64>, String) = match c.status {
        CreditStatus::Draft | CreditStatus::Returned => (
            vec![c.student_id],
            "Your learning agreement waits for you".into(),
        ),
        CreditStatus::Submitted if c.employer_ack_at.is_none() => (
            employer_members(state, &c).await?,
            format!(
                "{}'s learning agreement waits for your acknowledgement",
                c.student_name
            ),
        ),
        CreditStatus::Submitted => (
            vec![c.faculty_id],
            format!(
                "{}'s learning agreement waits for your approval",
                c.student_name
            ),
        ),
        CreditStatus::Reflected => (
            vec![c.faculty_id],
            format!("{}'s credit waits for your sign-off", c.student_name),
        ),
        // Active requests wait on the work itself; closed ones on nobody.
        _ => return Ok(()),
    };
    if now < due {
        state
            .store
            .schedule_job(super::jobs::CREDIT_REMINDER, id, due)
            .await?;
        return Ok(());
    }
    tell(
        state,
        &who,
        &title,
        &format!("For credit on “{}”.", c.project_title),
        &c,
    )
    .await?;
    state.store.mark_credit_reminded(id).await?;
    state
        .store
        .schedule_job(
            super::jobs::CREDIT_REMINDER,
            id,
            now + Duration::days(REMIND_AFTER_DAYS),
        )
        .await?;
    Ok(())
}

/// Days a step waits before its reminder.
pub const REMIND_AFTER_DAYS: i64 = 3;

/// Parses a term's first and last day: the half-open range of moments from
/// the first day's start to the day after the last.
pub fn parse_term(
    from: &str,
    to: &str,
) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), AppError> {
    let mut e = stint_domain::FieldErrors::new();
    let day = |field: &'static str, raw: &str, e: &mut stint_domain::FieldErrors| {
        match chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
            Ok(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Some(d),
            _ => {
                e.add(field, "Enter the term's days as YYYY-MM-DD.");
                None
            }
        }
    };
    let (Some(from), Some(to)) = (day("from", from, &mut e), day("to", to, &mut e)) else {
        return Err(AppError::Invalid(e));
    };
    if to < from || (to - from).num_days() > 400 {
        return Err(AppError::invalid(
            "to",
            "The term ends on or after its first day, within 400 days.",
        ));
    }
    let start = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    Ok((start(from), start(to) + Duration::days(1)))
}

/// Credits the caller's university granted in a term, as CSV for the
/// registrar (career staff): (file name, body).
pub async fn granted_csv(
    state: &AppState,
    user: &User,
    from: &str,
    to: &str,
) -> Result<(String, String), AppError> {
    let m = super::universities::career_staff(state, user).await?;
    let (start, end) = parse_term(from, to)?;
    let rows = state.store.credits_granted(m.org.id, start, end).await?;
    let mut csv = crate::csv::Csv::new(&[
        "student",
        "student_email",
        "course_code",
        "course_title",
        "credits",
        "result",
        "hours_logged",
        "project",
        "employer",
        "supervisor",
        "signed_off_on",
        "request_id",
    ]);
    for c in &rows {
        let result = c
            .result
            .as_deref()
            .and_then(CreditResult::from_stored)
            .map(|r| r.text())
            .unwrap_or_default();
        let signed = c
            .signed_off_at
            .map(|t| t.date_naive().to_string())
            .unwrap_or_default();
        use crate::csv::Cell;
        csv.row(&[
            Cell::Text(&c.student_name),
            Cell::Text(&c.student_email),
            Cell::Text(&c.course_code),
            Cell::Text(&c.course_title),
            Cell::Number(stint_domain::credit::credits_text(c.credits_tenths)),
            Cell::Text(&result),
            Cell::Number(stint_domain::credit::hours_text(c.quarters)),
            Cell::Text(&c.project_title),
            Cell::Text(&c.org_name),
            Cell::Text(&c.faculty_name),
            Cell::Text(&signed),
            Cell::Number(c.id.to_string()),
        ]);
    }
    state
        .store
        .audit(
            Some(user.id),
            "credit.exported",
            "organization",
            m.org.id,
            &format!("{} {}", start.date_naive(), end.date_naive()),
        )
        .await?;
    Ok((
        format!(
            "credits-{}-{}.csv",
            start.date_naive(),
            (end - Duration::days(1)).date_naive()
        ),
        csv.finish(),
    ))
}

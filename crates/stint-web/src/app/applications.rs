//! Applying, deciding and hiring.

use stint_domain::account::Role;
use stint_domain::application::{
    Actor, ApplicationAction, ApplicationForm, ApplicationStatus, SkillMatch, parse_reject_reason,
    skill_match, transition,
};
use stint_domain::project::ProjectStatus;
use stint_store::{ApplicantProfile, Application, Hire, Project, StoreError, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::{
    require_applicant, require_application_member, require_project_member, require_role,
};
use crate::error::AppError;
use crate::view::date;

fn refused(e: stint_domain::application::ApplicationError) -> AppError {
    AppError::conflict("invalid_transition", e.to_string())
}

/// Why a student cannot apply to `project` now, if they cannot.
pub fn closed_reason(state: &AppState, project: &Project) -> Option<String> {
    if project.status != ProjectStatus::Open {
        return Some("This project is no longer taking applications.".into());
    }
    if state.clock.today() > project.input.application_deadline {
        return Some(format!(
            "Applications for this project closed on {}.",
            date(&project.input.application_deadline)
        ));
    }
    None
}

/// How the student's profile covers the project's required skills.
pub async fn preview_match(
    state: &AppState,
    user: &User,
    project: &Project,
) -> Result<SkillMatch, AppError> {
    let profile = state.store.profile(user.id).await?;
    Ok(skill_match(&project.input.required_skills, &profile.skills))
}

/// Sends a student's application, and tells the employer's members.
pub async fn apply(
    state: &AppState,
    user: &User,
    project_id: i64,
    form: &ApplicationForm,
) -> Result<Application, AppError> {
    require_role(user, Role::Student)?;
    let project = state.store.project(project_id).await?;
    // Drafts, and projects arranged for another university's students.
    if !crate::auth::authz::can_view_project(&state.store, Some(user), &project).await? {
        return Err(AppError::NotFound);
    }
    if let Some(why) = closed_reason(state, &project) {
        return Err(AppError::conflict("not_accepting", why));
    }
    // A direct offer is answered, not applied to.
    if project.invite_only
        && state
            .store
            .invitation_to(project.id, user.id)
            .await?
            .is_some_and(|i| i.kind == "direct")
    {
        return Err(AppError::conflict(
            "direct_offer",
            "You were offered this place directly: accept or decline the offer on the project page.",
        ));
    }
    let input = form.parse(project.input.screening_question.as_deref())?;
    let score = super::matching::explain(state, Some(user), &project)
        .await?
        .map_or(0, |m| m.score);
    let quota = i64::from(state.config.max_open_applications);
    let app = state.store.apply(project_id, user.id, &input, score, quota).await.map_err(|e| match e {
        StoreError::Conflict("quota") => AppError::conflict(
            "quota_reached",
            format!("You already have {quota} applications waiting for a decision. Withdraw one, or wait for answers, before applying again."),
        ),
        StoreError::Conflict("duplicate") => AppError::conflict("already_applied", "You have already applied to this project."),
        other => other.into(),
    })?;
    state
        .store
        .audit(
            Some(user.id),
            "application.submitted",
            "application",
            app.id,
            "",
        )
        .await?;
    super::webhooks::emit(
        state,
        project.org_id,
        super::webhooks::application_event("application.submitted", &app),
    )
    .await;
    notify::members(
        state,
        project.org_id,
        Kind::NewApplicant,
        &format!("New applicant for {}", project.input.title),
        &format!(
            "{} applied to \"{}\" ({}% match).",
            user.name, project.input.title, app.match_percent
        ),
        &format!("/employer/projects/{}/applicants", project.id),
    )
    .await?;
    Ok(app)
}

/// The caller's own application, if it can still be withdrawn (for the
/// confirmation page).
pub async fn withdrawable(state: &AppState, user: &User, id: i64) -> Result<Application, AppError> {
    let a = require_applicant(&state.store, user, id).await?;
    transition(a.status, Actor::Applicant, ApplicationAction::Withdraw).map_err(refused)?;
    Ok(a)
}

pub async fn withdraw(state: &AppState, user: &User, id: i64) -> Result<Application, AppError> {
    let a = require_applicant(&state.store, user, id).await?;
    let to =
        transition(a.status, Actor::Applicant, ApplicationAction::Withdraw).map_err(refused)?;
    let a = state
        .store
        .decide_application(id, &ApplicationStatus::UNDECIDED, to, None)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "application.withdrawn",
            "application",
            id,
            "",
        )
        .await?;
    super::webhooks::emit(
        state,
        a.org_id,
        super::webhooks::application_event("application.withdrawn", &a),
    )
    .await;
    super::credit::applications_closed(state, a.project_id).await?;
    Ok(a)
}

async fn tell_student(
    state: &AppState,
    a: &Application,
    kind: Kind,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    notify::send(state, a.student_id, kind, subject, body, "/me/applications").await
}

pub async fn shortlist(state: &AppState, user: &User, id: i64) -> Result<Application, AppError> {
    let (a, _) = require_application_member(&state.store, user, id).await?;
    let to =
        transition(a.status, Actor::Employer, ApplicationAction::Shortlist).map_err(refused)?;
    let a = state
        .store
        .decide_application(id, &[ApplicationStatus::Submitted], to, None)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "application.shortlisted",
            "application",
            id,
            "",
        )
        .await?;
    tell_student(
        state,
        &a,
        Kind::Shortlisted,
        &format!("You are shortlisted for {}", a.project_title),
        &format!(
            "{} shortlisted you for \"{}\".",
            a.org_name, a.project_title
        ),
    )
    .await?;
    Ok(a)
}

pub async fn reject(
    state: &AppState,
    user: &User,
    id: i64,
    reason: &str,
) -> Result<Application, AppError> {
    let (a, _) = require_application_member(&state.store, user, id).await?;
    let reason = parse_reject_reason(reason)?;
    let to = transition(a.status, Actor::Employer, ApplicationAction::Reject).map_err(refused)?;
    let a = state
        .store
        .decide_application(id, &ApplicationStatus::UNDECIDED, to, reason.as_deref())
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "application.rejected",
            "application",
            id,
            reason.as_deref().unwrap_or(""),
        )
        .await?;
    super::credit::applications_closed(state, a.project_id).await?;
    let why = reason
        .map(|r| format!("\n\nTheir note: {r}"))
        .unwrap_or_default();
    tell_student(
        state,
        &a,
        Kind::Rejected,
        &format!("An update on {}", a.project_title),
        &format!(
            "{} chose other applicants for \"{}\". Thank you for applying.{why}",
            a.org_name, a.project_title
        ),
    )
    .await?;
    Ok(a)
}

/// Hires the applicant: creates the engagement and secures the price in
/// escrow, plus Stint's fee. Never exceeds the project's places. With
/// `expected_total` (what the confirmation showed, in minor units) the hire
/// is refused as `quote_changed` if the total is no longer that.
pub async fn hire(
    state: &AppState,
    user: &User,
    id: i64,
    expected_total: Option<i64>,
) -> Result<Hire, AppError> {
    let (a, project) = require_application_member(&state.store, user, id).await?;
    transition(a.status, Actor::Employer, ApplicationAction::Hire).map_err(refused)?;
    let quote =
        stint_domain::ledger::HireQuote::new(project.input.price, state.config.fee_basis_points);
    if expected_total.is_some_and(|t| t != quote.total.minor) {
        return Err(AppError::conflict(
            "quote_changed",
            format!(
                "The total is now {} (price {} plus fee {}); look at it again before you hire.",
                quote.total, quote.price, quote.fee
            ),
        ));
    }
    let fee = quote.fee;
    let hire = state
        .store
        .hire(id, fee.minor, state.config.payment_provider.as_str())
        .await
        .map_err(slots_full)?;
    after_hire(state, user, &a, &project, &hire).await?;
    Ok(hire)
}

pub(crate) fn slots_full(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict("slots_full") => AppError::conflict(
            "slots_full",
            "Every place on this project is taken, or it is no longer open.",
        ),
        other => other.into(),
    }
}

/// What follows every hire, however it was made (the employer hiring an
/// applicant, or a student accepting a direct offer; `user` is who acted):
/// the audit log, the closed applications, the engagement's jobs and the
/// students told.
pub(crate) async fn after_hire(
    state: &AppState,
    user: &User,
    a: &Application,
    project: &Project,
    hire: &Hire,
) -> Result<(), AppError> {
    let id = a.id;
    let fee = hire.engagement.fee;
    state
        .store
        .audit(Some(user.id), "application.hired", "application", id, "")
        .await?;
    // Filling the last place closes the other applications.
    super::credit::applications_closed(state, a.project_id).await?;
    state
        .store
        .audit(
            Some(user.id),
            "engagement.created",
            "engagement",
            hire.engagement.id,
            &format!("fee {fee}"),
        )
        .await?;
    super::jobs::schedule_for_engagement(state, hire.engagement.id, hire.engagement.due_date)
        .await?;
    super::webhooks::emit_engagement(state, "engagement.hired", hire.engagement.id, None).await;
    let payout_hint = match state.config.payment_provider {
        crate::PaymentProvider::Manual
            if state.store.payout_account(a.student_id).await?.is_none() =>
        {
            " Add your payout details at /me/payout so Stint can send you the money."
        }
        crate::PaymentProvider::Stripe
            if !super::stripe::student_ready(state, a.student_id).await? =>
        {
            " Set up your payouts with Stripe at /me/payout so the money can reach you."
        }
        _ => "",
    };
    tell_student(
        state,
        a,
        Kind::Hired,
        &format!("You are hired for {}", a.project_title),
        &format!("{} hired you for \"{}\". The price of {} is secured; you are paid when the work is approved.{payout_hint}", a.org_name, a.project_title, project.input.price),
    )
    .await?;
    for student_id in &hire.closed_students {
        let body = format!(
            "Every place on \"{}\" is now taken, so your application is closed. Thank you for applying; new projects appear every day.",
            project.input.title
        );
        notify::send(
            state,
            *student_id,
            Kind::Closed,
            &format!("{} is filled", project.input.title),
            &body,
            "/projects",
        )
        .await?;
    }
    Ok(())
}

/// An application as its two sides may see it.
pub async fn get(state: &AppState, user: &User, id: i64) -> Result<Application, AppError> {
    if user.role == Role::Student {
        return require_applicant(&state.store, user, id).await;
    }
    require_application_member(&state.store, user, id)
        .await
        .map(|(a, _)| a)
}

/// One applicant as the employer sees them; under blind screening the
/// identifying fields stay empty until shortlisted.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub application: Application,
    /// `None` while hidden by blind screening.
    pub name: Option<String>,
    pub headline: Option<String>,
    /// The university's name, with "(not confirmed)" unless the student's
    /// affiliation is proved.
    pub university: Option<String>,
    pub area_of_study: Option<String>,
    pub graduation_year: Option<i32>,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
    pub links: Vec<String>,
    pub skill_match: SkillMatch,
    /// The applicant's match now, with reasons worded for the employer.
    pub m: stint_domain::matching::Match,
    pub hidden: bool,
    /// Their verified record on Stint (counts only: nothing that names them).
    pub record: stint_store::TrackRecord,
}

/// The average of the ratings a record holds, out of 5, in tenths (46 = 4.6).
pub fn average_rating(r: &stint_store::TrackRecord) -> Option<i64> {
    (r.reviews > 0).then(|| r.rating_sum * 10 / (3 * r.reviews))
}

/// An applicant's record in a line: "2 projects completed on Stint · rated
/// 4.6/5 in 2 reviews · 2 credentials".
pub fn record_line(r: &stint_store::TrackRecord) -> String {
    if r.completed == 0 {
        return "New to Stint: no completed projects yet.".into();
    }
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![format!(
        "{} completed on Stint",
        plural(r.completed, "project", "projects")
    )];
    if let Some(avg) = average_rating(r) {
        parts.push(format!(
            "rated {}.{}/5 in {}",
            avg / 10,
            avg % 10,
            plural(r.reviews, "review", "reviews")
        ));
    }
    if r.credentials > 0 {
        parts.push(plural(
            r.credentials,
            "verifiable credential",
            "verifiable credentials",
        ));
    }
    parts.join(" · ")
}

/// A student's match as an employer sees it (an applicant, or a student
/// found by search).
pub(crate) fn employer_match(
    state: &AppState,
    project: &Project,
    skills: &[String],
    interests: &[String],
    area_of_study: Option<&str>,
    availability_hours: Option<i32>,
    location: Option<&str>,
) -> stint_domain::matching::Match {
    // Only the employer's own field counts as tried, so the reasons say
    // "not among their interests" rather than "new field".
    let tried = [project.input.category.clone()];
    stint_domain::matching::score_for(
        stint_domain::matching::Viewer::Employer,
        &stint_domain::matching::StudentFacts {
            skills,
            interests,
            area_of_study,
            availability_hours,
            location,
            tried_categories: &tried,
        },
        &super::matching::facts_of_project(project, state.clock.today()),
        &state.config.floors,
    )
}

fn applicant(
    state: &AppState,
    project: &Project,
    a: Application,
    profile: Option<&ApplicantProfile>,
    record: stint_store::TrackRecord,
) -> Applicant {
    let hidden = project.input.blind_screening && a.status == ApplicationStatus::Submitted;
    let skills = profile
        .map(ApplicantProfile::skill_list)
        .unwrap_or_default();
    let mut links: Vec<String> = Vec::new();
    if !hidden {
        links.extend(a.links.iter().cloned());
        if let Some(p) = profile {
            links.extend(
                [&p.portfolio_url, &p.linkedin_url, &p.github_url]
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
    }
    let reveal = |v: Option<String>| if hidden { None } else { v };
    let interests = profile
        .map(ApplicantProfile::interest_list)
        .unwrap_or_default();
    let location = profile.and_then(|p| p.location.clone());
    let mut m = employer_match(
        state,
        project,
        &skills,
        &interests,
        profile.and_then(|p| p.area_of_study.as_deref()),
        profile.and_then(|p| p.availability_hours),
        location.as_deref(),
    );
    if hidden {
        // Blind screening: the place counts, but where they are stays hidden.
        for r in &mut m.reasons {
            if r.part == stint_domain::matching::Part::Place
                && project.input.work_mode != stint_domain::project::WorkMode::Remote
            {
                r.text = format!(
                    "{} in {}: location hidden until shortlisted",
                    project.input.work_mode.label(),
                    project.input.location.as_deref().unwrap_or("person")
                );
            }
        }
    }
    let mut application = a;
    if hidden {
        application.links.clear();
        application.student_name = String::new();
    }
    Applicant {
        name: (!hidden).then(|| application.student_name.clone()),
        headline: profile.and_then(|p| p.headline.clone()),
        university: reveal(profile.and_then(|p| {
            p.university.as_ref().map(|u| {
                if p.university_confirmed {
                    u.clone()
                } else {
                    format!("{u} (not confirmed)")
                }
            })
        })),
        area_of_study: profile.and_then(|p| p.area_of_study.clone()),
        graduation_year: profile.and_then(|p| p.graduation_year),
        availability_hours: profile.and_then(|p| p.availability_hours),
        location: reveal(profile.and_then(|p| p.location.clone())),
        links,
        skill_match: skill_match(&project.input.required_skills, &skills),
        m,
        hidden,
        record,
        application,
    }
}

/// Applicants shown at once; the employer asks for more.
pub const APPLICANTS_PAGE: u32 = 50;
/// The most applicants one API page may hold.
pub const MAX_APPLICANTS_PAGE: u32 = 200;

/// One page of a project's applicants, best match first, with figures about
/// all of them.
pub struct Applicants {
    pub project: Project,
    pub items: Vec<Applicant>,
    /// All applicants, in every status.
    pub total: usize,
    /// Applicants the filter keeps (all of them without one), over pages.
    pub matching: usize,
    /// How many applicants each filter keeps.
    pub counts: Vec<(StatusFilter, usize)>,
    /// Applicants still waiting for a decision, and since when the oldest.
    pub waiting: usize,
    pub oldest_waiting: Option<chrono::DateTime<chrono::Utc>>,
    /// Offset of the next page, when there is one.
    pub next_offset: Option<u32>,
}

/// Which applicants a list shows, by the state of their application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    /// Submitted or shortlisted: waiting for a decision.
    Undecided,
    Shortlisted,
    Hired,
    /// Rejected, withdrawn or closed.
    Closed,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::All,
        StatusFilter::Undecided,
        StatusFilter::Shortlisted,
        StatusFilter::Hired,
        StatusFilter::Closed,
    ];

    /// From a query value; anything else shows all.
    pub fn parse(raw: &str) -> StatusFilter {
        match raw.trim() {
            "undecided" => StatusFilter::Undecided,
            "shortlisted" => StatusFilter::Shortlisted,
            "hired" => StatusFilter::Hired,
            "closed" => StatusFilter::Closed,
            _ => StatusFilter::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Undecided => "undecided",
            StatusFilter::Shortlisted => "shortlisted",
            StatusFilter::Hired => "hired",
            StatusFilter::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Undecided => "Waiting for you",
            StatusFilter::Shortlisted => "Shortlisted",
            StatusFilter::Hired => "Hired",
            StatusFilter::Closed => "Not selected or withdrawn",
        }
    }

    pub fn keeps(self, s: ApplicationStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Undecided => s.is_undecided(),
            StatusFilter::Shortlisted => s == ApplicationStatus::Shortlisted,
            StatusFilter::Hired => s == ApplicationStatus::Hired,
            StatusFilter::Closed => matches!(
                s,
                ApplicationStatus::Rejected
                    | ApplicationStatus::Withdrawn
                    | ApplicationStatus::Closed
            ),
        }
    }
}

/// A project's applicants, best match first, for its organization's
/// members: all are scored and sorted; `limit` of them from `offset` are
/// returned in full.
pub async fn for_project(
    state: &AppState,
    user: &User,
    project_id: i64,
    offset: u32,
    limit: u32,
) -> Result<Applicants, AppError> {
    for_project_where(state, user, project_id, StatusFilter::All, offset, limit).await
}

/// [`for_project`], keeping only the applicants `filter` keeps.
pub async fn for_project_where(
    state: &AppState,
    user: &User,
    project_id: i64,
    filter: StatusFilter,
    offset: u32,
    limit: u32,
) -> Result<Applicants, AppError> {
    let (project, _) = require_project_member(&state.store, user, project_id).await?;
    // Rank all from narrow rows; read the full rows for this page only.
    let facts = state.store.applicant_facts(project_id).await?;
    let total = facts.len();
    let undecided = facts.iter().filter(|f| f.status.is_undecided());
    let waiting = undecided.clone().count();
    let oldest_waiting = undecided.map(|f| f.created_at).min();
    let counts = StatusFilter::ALL
        .iter()
        .map(|s| (*s, facts.iter().filter(|f| s.keeps(f.status)).count()))
        .collect();
    let mut ranked: Vec<(u8, i64)> = facts
        .iter()
        .filter(|f| filter.keeps(f.status))
        .map(|f| {
            let m = employer_match(
                state,
                &project,
                &f.skills,
                &f.interests,
                f.area_of_study.as_deref(),
                f.availability_hours,
                f.location.as_deref(),
            );
            (m.score, f.application_id)
        })
        .collect();
    // Best match first; ties by who applied first.
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let matching = ranked.len();
    let page_ids: Vec<i64> = ranked
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|(_, id)| *id)
        .collect();
    let apps = state
        .store
        .project_applications_in(project_id, &page_ids)
        .await?;
    let student_ids: Vec<i64> = apps.iter().map(|a| a.student_id).collect();
    let profiles: std::collections::HashMap<i64, ApplicantProfile> = state
        .store
        .applicant_profiles(project_id, &student_ids)
        .await?
        .into_iter()
        .map(|p| (p.student_id, p))
        .collect();
    let window = chrono::Duration::days(i64::from(state.config.review_window_days));
    let mut records: std::collections::HashMap<i64, stint_store::TrackRecord> = state
        .store
        .track_records(&student_ids, state.clock.now() - window)
        .await?
        .into_iter()
        .map(|r| (r.student_id, r))
        .collect();
    let mut items: Vec<Applicant> = apps
        .into_iter()
        .map(|a| {
            let p = profiles.get(&a.student_id);
            let record = records.remove(&a.student_id).unwrap_or_default();
            applicant(state, &project, a, p, record)
        })
        .collect();
    items.sort_by_key(|a| {
        page_ids
            .iter()
            .position(|id| *id == a.application.id)
            .unwrap_or(usize::MAX)
    });
    let end = offset.saturating_add(limit) as usize;
    Ok(Applicants {
        project,
        items,
        total,
        matching,
        counts,
        waiting,
        oldest_waiting,
        next_offset: (end < matching).then_some(end as u32),
    })
}

pub async fn mine(state: &AppState, user: &User) -> Result<Vec<Application>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.student_applications(user.id).await?)
}

/// An employer member asks an applicant a question before deciding.
pub async fn ask(
    state: &AppState,
    user: &User,
    id: i64,
    body: &str,
) -> Result<stint_store::Message, AppError> {
    let (a, _) = require_application_member(&state.store, user, id).await?;
    let body = stint_domain::engagement::parse_message(body)?;
    let mid = state
        .store
        .post_application_message(id, user.id, &body)
        .await?;
    notify::send(
        state,
        a.student_id,
        Kind::Message,
        &format!("{} asked you about your application", a.org_name),
        &body,
        &format!("/applications/{id}"),
    )
    .await?;
    thread_item(state, id, mid).await
}

/// The applicant answers; only once the employer has written first, so
/// students cannot message employers who have not contacted them.
pub async fn answer(
    state: &AppState,
    user: &User,
    id: i64,
    body: &str,
) -> Result<stint_store::Message, AppError> {
    let a = require_applicant(&state.store, user, id).await?;
    let thread = state.store.application_messages(id).await?;
    if !thread.iter().any(|m| m.author_id != user.id) {
        return Err(AppError::conflict(
            "not_contacted",
            "You can write here once the employer has asked you something.",
        ));
    }
    let body = stint_domain::engagement::parse_message(body)?;
    let mid = state
        .store
        .post_application_message(id, user.id, &body)
        .await?;
    let link = format!("/employer/projects/{}/applicants", a.project_id);
    notify::members(
        state,
        a.org_id,
        Kind::Message,
        &format!("{} answered your question", user.name),
        &body,
        &link,
    )
    .await?;
    thread_item(state, id, mid).await
}

async fn thread_item(
    state: &AppState,
    id: i64,
    mid: i64,
) -> Result<stint_store::Message, AppError> {
    state
        .store
        .application_messages(id)
        .await?
        .into_iter()
        .find(|m| m.id == mid)
        .ok_or(AppError::NotFound)
}

/// The thread, for either side of the application. Under blind screening
/// the employer sees "Applicant #id" until shortlisting, here as in the list.
pub async fn thread(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(Application, Vec<stint_store::Message>), AppError> {
    let mut a = get(state, user, id).await?;
    let mut messages = state.store.application_messages(id).await?;
    let blind = user.role != Role::Student
        && a.status == ApplicationStatus::Submitted
        && state
            .store
            .project(a.project_id)
            .await?
            .input
            .blind_screening;
    if blind {
        let label = format!("Applicant #{id}");
        for m in messages.iter_mut().filter(|m| m.author_id == a.student_id) {
            m.author_name = label.clone();
        }
        a.student_name = label;
        a.links.clear();
    }
    Ok((a, messages))
}

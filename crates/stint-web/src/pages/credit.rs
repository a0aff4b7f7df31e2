//! Academic credit pages: a student's requests and the form to ask
//! (`/me/credit`), one request's page for everyone involved (`/credit/{id}`,
//! with the forms each person may use at its step), the university's list
//! (`/university/credit`: faculty see what names them, career staff all
//! requests and the registrar's export).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::credit::{
    CreditResult, CreditStatus, REFLECTION_PROMPTS, Reflection, credits_text, hours_text,
};
use stint_store::{CreditRequest, User};

use super::{NoticeQuery, PageError, failed, render};
use crate::AppState;
use crate::app::credit::{self as credit, NewRequest, Viewer};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{self, Choice, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/credit", get(mine).post(create))
        .route("/credit/{id}", get(show))
        .route("/credit/{id}/agreement", post(agreement))
        .route("/credit/{id}/act", post(act))
        .route("/credit/{id}/hours", post(hours))
        .route("/credit/{id}/reflection", post(reflect))
        .route("/credit/{id}/sign-off", post(sign_off))
        .route("/university/credit", get(university_list))
        .route("/university/credits.csv", get(export))
}

fn layout(state: &AppState, title: &str, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

/// A request as a row of a list.
struct Row {
    id: i64,
    student: String,
    project: String,
    org: String,
    course: String,
    supervisor: String,
    status: &'static str,
    updated: String,
}

fn row(state: &AppState, c: &CreditRequest) -> Row {
    Row {
        id: c.id,
        student: c.student_name.clone(),
        project: c.project_title.clone(),
        org: c.org_name.clone(),
        course: format!(
            "{} {} ({} credits)",
            c.course_code,
            c.course_title,
            credits_text(c.credits_tenths)
        ),
        supervisor: c.faculty_name.clone(),
        status: c.status.label(),
        updated: view::ago(state.clock.now(), c.updated_at),
    }
}

// --- the student's list and the form to ask ---

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewForm {
    application_id: String,
    course_code: String,
    course_title: String,
    credits: String,
    faculty_id: String,
}

#[derive(Template)]
#[template(path = "credit/mine.html")]
struct MinePage {
    layout: Layout,
    rows: Vec<Row>,
    confirmed: bool,
    projects: Vec<Choice>,
    supervisors: Vec<Choice>,
    f: NewForm,
    errors: FieldErrors,
}

async fn mine_page(
    state: &AppState,
    u: &User,
    notice: Option<&str>,
    f: NewForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Academic credit", u, notice).at("/me/profile");
    let err = |e: AppError| PageError(e, l.clone());
    let list = credit::list(state, u).await.map_err(err)?;
    let confirmed = state
        .store
        .affiliation(u.id)
        .await
        .map_err(|e| err(e.into()))?
        .is_some_and(|a| a.confirmed());
    let projects = credit::eligible(state, u).await.map_err(err)?;
    let supervisors = credit::supervisors(state, u).await.map_err(err)?;
    let res = render(&MinePage {
        rows: list.iter().map(|c| row(state, c)).collect(),
        confirmed,
        projects: projects
            .iter()
            .map(|(id, t)| Choice::new(&id.to_string(), t, f.application_id == id.to_string()))
            .collect(),
        supervisors: supervisors
            .iter()
            .map(|(id, n)| Choice::new(&id.to_string(), n, f.faculty_id == id.to_string()))
            .collect(),
        f,
        errors: errors.clone(),
        layout: l,
    });
    Ok(failed(res, &errors))
}

/// `/me/credit`: `course` and `title` fill the form in, as a launch from
/// a course in the university's learning platform does.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MineQuery {
    notice: Option<String>,
    course: String,
    title: String,
}

async fn mine(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<MineQuery>,
) -> Result<Response, PageError> {
    let f = NewForm {
        course_code: q.course.trim().chars().take(40).collect(),
        course_title: q.title.trim().chars().take(120).collect(),
        ..NewForm::default()
    };
    mine_page(
        &state,
        user.user(),
        q.notice.as_deref(),
        f,
        FieldErrors::new(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<NewForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let r = NewRequest {
        application_id: &f.application_id,
        course_code: &f.course_code,
        course_title: &f.course_title,
        credits: &f.credits,
        faculty_id: &f.faculty_id,
    };
    match credit::create(&state, u, r).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/credit/{}?notice=credit_created", c.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => mine_page(&state, u, None, f, errors).await,
        Err(AppError::Conflict { message, .. }) => {
            let mut errors = FieldErrors::new();
            errors.add("application_id", message);
            mine_page(&state, u, None, f, errors).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Academic credit", u, None))),
    }
}

// --- one request ---

/// What the forms held when they came back with errors.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Typed {
    goals: String,
    expected_hours: String,
    assessment: String,
    comment: String,
    day: String,
    hours: String,
    note: String,
    did: String,
    learnt: String,
    skills: String,
    differently: String,
    result: String,
    grade: String,
    /// "1" when the agreement is saved and sent at once.
    send: String,
    /// Which form: agreement, act, hours, reflection, sign_off.
    form: String,
}

struct HoursRow {
    day: String,
    hours: String,
    note: String,
}

#[derive(Template)]
#[template(path = "credit/show.html")]
struct ShowPage {
    layout: Layout,
    c: CreditRequest,
    status: &'static str,
    credits: String,
    student: bool,
    employer: bool,
    hours_logged: String,
    hours: Option<Vec<HoursRow>>,
    reflection: Option<Vec<(&'static str, String)>>,
    result: Option<String>,
    /// The forms offered now.
    edit_agreement: bool,
    can_acknowledge: bool,
    can_decide: bool,
    waiting_for_ack: bool,
    /// Who acknowledged and approved the agreement, when.
    ack_line: String,
    can_log: bool,
    can_reflect: bool,
    reflect_waits: Option<&'static str>,
    can_sign_off: bool,
    can_withdraw: bool,
    evaluation: Option<Evaluation>,
    prompts: [(&'static str, &'static str); 4],
    t: Typed,
    today: String,
    errors: FieldErrors,
}

/// The employer's evaluation, shown to the supervisor beside the reflection.
struct Evaluation {
    ratings: Option<String>,
    body: Option<String>,
    recommendation: Option<String>,
    outcomes: Vec<String>,
}

async fn evaluation(state: &AppState, c: &CreditRequest) -> Result<Evaluation, AppError> {
    let Some(eid) = c.engagement_id else {
        return Ok(Evaluation {
            ratings: None,
            body: None,
            recommendation: None,
            outcomes: Vec::new(),
        });
    };
    let reviews = state.store.reviews(eid).await?;
    let of_student: Vec<_> = reviews
        .into_iter()
        .filter(|r| r.direction == stint_domain::review::Direction::OfStudent)
        .collect();
    let shown = crate::app::reviews::shown(state, of_student).await?;
    let r = shown.first();
    let outcomes = state
        .store
        .achievement_for(eid)
        .await?
        .filter(|a| a.confirmed)
        .map(|a| {
            a.outcomes
                .iter()
                .map(|o| format!("{} {}", o.value, o.metric))
                .collect()
        })
        .unwrap_or_default();
    Ok(Evaluation {
        ratings: r.map(|r| {
            format!(
                "Quality {} · communication {} · timeliness {} (of 5)",
                r.ratings[0], r.ratings[1], r.ratings[2]
            )
        }),
        body: r.map(|r| r.body.clone()),
        recommendation: r.and_then(|r| r.recommendation.clone()),
        outcomes,
    })
}

async fn show_page(
    state: &AppState,
    u: &User,
    id: i64,
    notice: Option<&str>,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Credit request", u, notice);
    let err = |e: AppError| PageError(e, l.clone());
    let (c, viewer) = credit::get(state, u, id).await.map_err(err)?;
    let student = viewer == Viewer::Student;
    let faculty = viewer == Viewer::Faculty;
    let employer = viewer == Viewer::Employer;
    let hours = if viewer.sees_hours() {
        Some(
            state
                .store
                .credit_hours(id)
                .await
                .map_err(|e| err(e.into()))?
                .into_iter()
                .map(|h| HoursRow {
                    day: view::date(&h.day),
                    hours: hours_text(i64::from(h.quarters)),
                    note: h.note,
                })
                .collect(),
        )
    } else {
        None
    };
    let reflection = if viewer.sees_reflection() {
        c.reflection
            .as_deref()
            .and_then(|j| serde_json::from_str::<Reflection>(j).ok())
            .map(|r| {
                vec![
                    (REFLECTION_PROMPTS[0].1, r.did),
                    (REFLECTION_PROMPTS[1].1, r.learnt),
                    (REFLECTION_PROMPTS[2].1, r.skills),
                    (REFLECTION_PROMPTS[3].1, r.differently),
                ]
            })
    } else {
        None
    };
    let work_approved = matches!(c.engagement_status.as_deref(), Some("approved" | "paid"));
    let evaluation =
        if faculty && matches!(c.status, CreditStatus::Reflected | CreditStatus::SignedOff) {
            Some(evaluation(state, &c).await.map_err(err)?)
        } else {
            None
        };
    let mut t = t;
    if t.goals.is_empty() && t.form != "agreement" {
        t.goals = c.goals.join("\n");
        t.expected_hours = c.expected_hours.map(|h| h.to_string()).unwrap_or_default();
        t.assessment = c.assessment.clone();
    }
    let open = !c.status.is_final();
    let zone = u.time_zone.as_deref();
    let mut ack_line = match c.employer_ack_at {
        Some(a) => format!("{} acknowledged it {}.", c.org_name, view::moment(a, zone)),
        None if c.status.is_final() => String::new(),
        None => format!("Waiting for {} to acknowledge it.", c.org_name),
    };
    if let Some(a) = c.approved_at {
        ack_line.push_str(&format!(
            " {} approved it {}.",
            c.faculty_name,
            view::moment(a, zone)
        ));
    }
    let mut l = l;
    l.title = format!("Credit: {}", c.project_title);
    let res = render(&ShowPage {
        status: c.status.label(),
        credits: credits_text(c.credits_tenths),
        student,
        employer,
        hours_logged: hours_text(c.quarters),
        hours,
        reflection,
        result: if employer {
            None
        } else {
            c.result
                .as_deref()
                .and_then(CreditResult::from_stored)
                .map(|r| r.text())
        },
        edit_agreement: student && matches!(c.status, CreditStatus::Draft | CreditStatus::Returned),
        can_acknowledge: employer
            && c.employer_ack_at.is_none()
            && matches!(c.status, CreditStatus::Submitted | CreditStatus::Active),
        can_decide: faculty && c.status == CreditStatus::Submitted,
        waiting_for_ack: c.employer_ack_at.is_none(),
        ack_line,
        can_log: student && c.status == CreditStatus::Active,
        can_reflect: student && c.status == CreditStatus::Active && work_approved && c.quarters > 0,
        reflect_waits: (student && c.status == CreditStatus::Active).then_some(if !work_approved {
            "You write your reflection once the employer approves your work."
        } else if c.quarters == 0 {
            "Log the hours you worked first; then write your reflection."
        } else {
            ""
        }),
        can_sign_off: faculty && c.status == CreditStatus::Reflected,
        can_withdraw: student && open,
        evaluation,
        prompts: REFLECTION_PROMPTS,
        t,
        today: state.clock.now().date_naive().to_string(),
        errors: errors.clone(),
        layout: l,
        c,
    });
    Ok(failed(res, &errors))
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    show_page(
        &state,
        user.user(),
        id,
        n.notice.as_deref(),
        Typed::default(),
        FieldErrors::new(),
    )
    .await
}

/// After a form: back to the page with a notice, or the page again with
/// the errors beside the fields and what was typed kept.
async fn after(
    state: &AppState,
    u: &User,
    id: i64,
    result: Result<CreditRequest, AppError>,
    notice: &str,
    t: Typed,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/credit/{id}?notice={notice}")).into_response()),
        Err(AppError::Invalid(errors)) => show_page(state, u, id, None, t, errors).await,
        Err(e) => Err(PageError(e, layout(state, "Credit request", u, None))),
    }
}

async fn agreement(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(mut t): HtmlForm<Typed>,
) -> Result<Response, PageError> {
    let u = user.user();
    t.form = "agreement".into();
    let mut r =
        credit::save_agreement(&state, u, id, &t.goals, &t.expected_hours, &t.assessment).await;
    let send = t.send == "1";
    if send && r.is_ok() {
        r = credit::submit(&state, u, id).await;
    }
    after(
        &state,
        u,
        id,
        r,
        if send {
            "credit_submitted"
        } else {
            "credit_saved"
        },
        t,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActForm {
    action: String,
    comment: String,
}

async fn act(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ActForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let (r, notice) = match f.action.as_str() {
        "submit" => (credit::submit(&state, u, id).await, "credit_submitted"),
        "withdraw" => (credit::withdraw(&state, u, id).await, "credit_withdrawn"),
        "acknowledge" => (
            credit::acknowledge(&state, u, id).await,
            "credit_acknowledged",
        ),
        "approve" => (credit::approve(&state, u, id).await, "credit_approved"),
        "return" => (
            credit::send_back(&state, u, id, &f.comment).await,
            "credit_returned",
        ),
        _ => (
            Err(AppError::invalid(
                "action",
                "Choose one of the buttons on the page.",
            )),
            "",
        ),
    };
    let t = Typed {
        comment: f.comment,
        form: "act".into(),
        ..Typed::default()
    };
    after(&state, u, id, r, notice, t).await
}

async fn hours(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(mut t): HtmlForm<Typed>,
) -> Result<Response, PageError> {
    let u = user.user();
    t.form = "hours".into();
    let r = credit::log_hours(&state, u, id, &t.day, &t.hours, &t.note).await;
    after(&state, u, id, r, "hours_logged", t).await
}

async fn reflect(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(mut t): HtmlForm<Typed>,
) -> Result<Response, PageError> {
    let u = user.user();
    t.form = "reflection".into();
    let r = credit::reflect(&state, u, id, &t.did, &t.learnt, &t.skills, &t.differently).await;
    after(&state, u, id, r, "reflection_sent", t).await
}

async fn sign_off(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(mut t): HtmlForm<Typed>,
) -> Result<Response, PageError> {
    let u = user.user();
    t.form = "sign_off".into();
    let r = credit::sign_off(&state, u, id, &t.result, &t.grade, &t.comment).await;
    after(&state, u, id, r, "credit_signed_off", t).await
}

// --- the university's list and export ---

#[derive(Deserialize, Default)]
#[serde(default)]
struct TermQuery {
    from: String,
    to: String,
    /// Only the requests for this course (as a launch from the course in
    /// the university's learning platform asks).
    course: String,
}

#[derive(Template)]
#[template(path = "credit/university.html")]
struct UniversityPage {
    layout: Layout,
    career: bool,
    rows: Vec<Row>,
    course: String,
    from: String,
    to: String,
    errors: FieldErrors,
}

async fn university_list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<TermQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    university_page(&state, u, q, FieldErrors::new()).await
}

async fn university_page(
    state: &AppState,
    u: &User,
    q: TermQuery,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Academic credit", u, None).at("/university");
    let err = |e: AppError| PageError(e, l.clone());
    crate::auth::authz::require_role(u, stint_domain::account::Role::University).map_err(err)?;
    let m = crate::auth::authz::require_university_member(&state.store, u)
        .await
        .map_err(err)?;
    let list = credit::list(state, u).await.map_err(err)?;
    let today = state.clock.now().date_naive();
    let res = render(&UniversityPage {
        career: m.staff_role == Some(stint_domain::university::StaffRole::Career) && m.org.verified,
        rows: list
            .iter()
            .filter(|c| {
                q.course.trim().is_empty()
                    || crate::app::lti::same_course(&q.course, &c.course_code)
            })
            .map(|c| row(state, c))
            .collect(),
        course: q.course.trim().chars().take(40).collect(),
        from: if q.from.is_empty() {
            (today - chrono::Duration::days(120)).to_string()
        } else {
            q.from
        },
        to: if q.to.is_empty() {
            today.to_string()
        } else {
            q.to
        },
        errors: errors.clone(),
        layout: l,
    });
    Ok(failed(res, &errors))
}

async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<TermQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    match credit::granted_csv(&state, u, &q.from, &q.to).await {
        Ok((name, body)) => Ok(super::csv_download(body, &name)),
        Err(AppError::Invalid(errors)) => university_page(&state, u, q, errors).await,
        Err(e) => Err(PageError(e, layout(&state, "Academic credit", u, None))),
    }
}

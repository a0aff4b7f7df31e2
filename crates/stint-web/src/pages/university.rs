//! The university side: the career-centre home at `/university`, its
//! students and their timelines, affiliation requests and the team; and the
//! student's own page about their university at `/me/university`.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::application::ApplicationStatus;
use stint_domain::outcomes::Attribute;
use stint_domain::university::{AffiliationProof, AffiliationStatus, Sharing, StaffRole, Stage};
use stint_store::{Affiliation, Membership, Organization, PortalStudent, StaffMember, User};

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::universities::{self as unis, StudentQuery, Timeline};
use crate::auth::authz::require_role;
use crate::auth::{MaybeUser, PageUser};
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{self, Choice, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/university", get(home))
        .route("/university/students", get(students))
        .route("/university/students/{id}", get(student))
        .route(
            "/university/students/{id}/remove",
            get(remove_page).post(remove),
        )
        .route("/university/requests", get(requests))
        .route(
            "/university/requests/{id}",
            axum::routing::post(decide_request),
        )
        .route("/university/team", get(team))
        .route("/university/team/invite", axum::routing::post(invite))
        .route("/university/team/{id}/role", axum::routing::post(set_role))
        .route("/university/projects", get(projects))
        .route(
            "/university/projects/{id}/feature",
            axum::routing::post(feature),
        )
        .route(
            "/university/projects/{id}/unfeature",
            axum::routing::post(unfeature),
        )
        .route("/u/{slug}", get(school))
        .route("/me/university", get(mine))
        .route("/me/university/email", axum::routing::post(send_link))
        .route("/me/university/request", axum::routing::post(request))
        .route("/me/university/sharing", axum::routing::post(sharing))
        .route("/me/university/about", axum::routing::post(equity))
        .route("/affiliation/confirm", get(confirm_page).post(confirm_link))
}

fn layout(state: &AppState, title: &str, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l.at("/university")
}

fn store_err(l: &Layout) -> impl Fn(stint_store::StoreError) -> PageError + '_ {
    move |e| PageError(e.into(), l.clone())
}

// --- the home ---

#[derive(Template)]
#[template(path = "university/home.html")]
struct HomePage {
    layout: Layout,
    org: Organization,
    career: bool,
    role: &'static str,
    counts: unis::Counts,
    domains: Vec<String>,
}

async fn home(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "University", u, n.notice.as_deref());
    require_role(u, Role::University).map_err(|e| PageError(e, l.clone()))?;
    let Some(m) = state.store.membership(u.id).await.map_err(store_err(&l))? else {
        return Ok(super::employer::setup_page(
            l,
            Role::University,
            None,
            FieldErrors::new(),
        ));
    };
    let counts = unis::counts(&state, &m)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let domains = state
        .store
        .org_domains(m.org.id)
        .await
        .map_err(store_err(&l))?;
    let mut l = l;
    l.title = m.org.name.clone();
    Ok(render(&HomePage {
        layout: l,
        career: m.staff_role == Some(StaffRole::Career),
        role: m.staff_role.unwrap_or(StaffRole::Faculty).label(),
        counts,
        domains,
        org: m.org,
    }))
}

// --- students ---

#[derive(Deserialize, Default)]
#[serde(default)]
struct StudentsQuery {
    q: String,
    area: String,
    year: String,
    stage: String,
    page: String,
}

struct StudentRow {
    id: i64,
    name: String,
    email: String,
    area: String,
    year: String,
    stage: &'static str,
    completed: i64,
    sharing: &'static str,
}

impl From<&PortalStudent> for StudentRow {
    fn from(s: &PortalStudent) -> Self {
        StudentRow {
            id: s.student_id,
            name: s.name.clone(),
            email: s.email.clone(),
            area: s.area_of_study.clone().unwrap_or_default(),
            year: s.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
            stage: s.stage().label(),
            completed: s.completed,
            sharing: if Sharing::parse(&s.sharing) == Some(Sharing::All) {
                "Everything"
            } else {
                "Completed work"
            },
        }
    }
}

#[derive(Template)]
#[template(path = "university/students.html")]
struct StudentsPage {
    layout: Layout,
    org: Organization,
    q: String,
    areas: Vec<Choice>,
    years: Vec<Choice>,
    stages: Vec<Choice>,
    rows: Vec<StudentRow>,
    total: i64,
    filtered: bool,
    requests: usize,
    prev: Option<String>,
    next: Option<String>,
    errors: FieldErrors,
}

fn page_link(q: &StudentsQuery, page: i64) -> String {
    view::list_link(
        "/university/students",
        &[
            ("q", q.q.as_str()),
            ("area", q.area.as_str()),
            ("year", q.year.as_str()),
            ("stage", q.stage.as_str()),
        ],
        page,
    )
}

async fn students(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<StudentsQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Students", u, None);
    let err = |e: AppError| PageError(e, l.clone());
    let m = unis::career_staff(&state, u).await.map_err(err)?;
    let sq = StudentQuery {
        q: &q.q,
        area: &q.area,
        year: &q.year,
        stage: &q.stage,
        page: &q.page,
    };
    let (list, errors) = match unis::students(&state, u, &sq).await {
        Ok(list) => (list, FieldErrors::new()),
        Err(AppError::Invalid(errors)) => {
            let all = unis::students(&state, u, &StudentQuery::default())
                .await
                .map_err(err)?;
            (all, errors)
        }
        Err(e) => return Err(err(e)),
    };
    let requests = state
        .store
        .affiliation_requests(m.org.id)
        .await
        .map_err(store_err(&l))?
        .len();
    let failed = !errors.is_empty();
    let mut res = render(&StudentsPage {
        q: q.q.trim().to_string(),
        areas: list
            .areas
            .iter()
            .map(|a| Choice::new(a, a, q.area.trim() == a))
            .collect(),
        years: list
            .years
            .iter()
            .map(|y| {
                let v = y.to_string();
                Choice::new(&v, &v, q.year.trim() == v)
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label(), q.stage.trim() == s.as_str()))
            .collect(),
        rows: list.students.iter().map(StudentRow::from).collect(),
        total: list.total,
        filtered: [&q.q, &q.area, &q.year, &q.stage]
            .iter()
            .any(|v| !v.trim().is_empty()),
        requests,
        prev: (list.page > 1).then(|| page_link(&q, list.page - 1)),
        next: list.more.then(|| page_link(&q, list.page + 1)),
        errors,
        layout: l,
        org: m.org,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

struct ApplicationLine {
    project_id: i64,
    title: String,
    org: String,
    status: &'static str,
    sent: String,
    decided: Option<String>,
}

struct WorkLine {
    title: String,
    project_id: i64,
    org: String,
    org_slug: String,
    status: &'static str,
    started: String,
    approved: Option<String>,
    earned: Option<String>,
    ratings: Option<String>,
    recommendation: Option<String>,
    outcomes: Vec<String>,
    skills: Vec<String>,
}

#[derive(Template)]
#[template(path = "university/student.html")]
struct StudentPage {
    layout: Layout,
    name: String,
    email: String,
    area: String,
    year: String,
    stage: &'static str,
    sharing_explain: &'static str,
    proof: &'static str,
    applications: Option<Vec<ApplicationLine>>,
    work: Vec<WorkLine>,
    earnings: Vec<String>,
    id: i64,
}

fn timeline_page(state: &AppState, l: Layout, t: Timeline, zone: Option<&str>) -> StudentPage {
    let now = state.clock.now();
    StudentPage {
        layout: l,
        name: t.student.name.clone(),
        email: t.student.email.clone(),
        area: t.student.area_of_study.clone().unwrap_or_default(),
        year: t
            .student
            .graduation_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        stage: t.student.stage().label(),
        sharing_explain: t.sharing.explain_to_staff(),
        proof: match t.student.proof.as_deref() {
            Some("staff") => "confirmed by career staff",
            Some("sso") => "confirmed by the university's sign-in",
            _ => "confirmed by a university address",
        },
        applications: t.applications.map(|list| {
            list.into_iter()
                .map(|a| ApplicationLine {
                    project_id: a.project_id,
                    title: a.project_title,
                    org: a.org_name,
                    status: ApplicationStatus::parse(&a.status)
                        .map(|s| s.label())
                        .unwrap_or("Sent"),
                    sent: view::ago(now, a.created_at),
                    decided: a.decided_at.map(|d| view::moment(d, zone)),
                })
                .collect()
        }),
        work: t
            .work
            .into_iter()
            .map(|w| WorkLine {
                title: w.engagement.project_title,
                project_id: w.engagement.project_id,
                org: w.engagement.org_name,
                org_slug: w.engagement.org_slug,
                status: w.status.label(),
                started: view::moment(w.engagement.created_at, zone),
                approved: w.engagement.approved_at.map(|d| view::moment(d, zone)),
                earned: w.earned,
                ratings: w.ratings.map(|r| {
                    format!(
                        "Quality {} · communication {} · timeliness {} (of 5)",
                        r[0], r[1], r[2]
                    )
                }),
                recommendation: w.recommendation,
                outcomes: w
                    .achievement
                    .as_ref()
                    .map(|a| {
                        a.outcomes
                            .iter()
                            .map(|o| format!("{} {}", o.value, o.metric))
                            .collect()
                    })
                    .unwrap_or_default(),
                skills: w.achievement.map(|a| a.skills).unwrap_or_default(),
            })
            .collect(),
        earnings: t.earnings,
        id: t.student.student_id,
    }
}

async fn student(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Student", u, None);
    let t = unis::timeline(&state, u, id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let mut l = l;
    l.title = t.student.name.clone();
    let zone = u.time_zone.clone();
    Ok(render(&timeline_page(&state, l, t, zone.as_deref())))
}

async fn remove_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Remove affiliation", u, None);
    let t = unis::timeline(&state, u, id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    Ok(super::money::confirm(super::money::ConfirmPage {
        layout: l,
        heading: format!("Remove {} from your students?", t.student.name),
        lead: format!(
            "{} will no longer count as your student, and employers will see their university as not confirmed.",
            t.student.name
        ),
        rows: Vec::new(),
        total: None,
        then: vec![
            "We email the student to say so. They can confirm again with a university address."
                .into(),
            "Their projects and earnings stay theirs; nothing else changes.".into(),
        ],
        action: format!("/university/students/{id}/remove"),
        hidden: Vec::new(),
        reason: None,
        errors: FieldErrors::new(),
        button: "Remove affiliation".into(),
        danger: true,
        back: format!("/university/students/{id}"),
    }))
}

async fn remove(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Remove affiliation", u, None);
    unis::decide(&state, u, id, "remove")
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to("/university/students?notice=affiliation_removed").into_response())
}

// --- requests ---

struct RequestRow {
    id: i64,
    name: String,
    email: String,
    area: String,
    year: String,
    asked: String,
}

#[derive(Template)]
#[template(path = "university/requests.html")]
struct RequestsPage {
    layout: Layout,
    rows: Vec<RequestRow>,
}

async fn requests(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Affiliation requests", u, n.notice.as_deref());
    let list = unis::requests(&state, u)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let now = state.clock.now();
    Ok(render(&RequestsPage {
        layout: l,
        rows: list
            .into_iter()
            .map(|r| RequestRow {
                id: r.student_id,
                name: r.name,
                email: r.email,
                area: r.area_of_study.unwrap_or_default(),
                year: r.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
                asked: r
                    .requested_at
                    .map(|t| view::ago(now, t))
                    .unwrap_or_default(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecideForm {
    action: String,
}

async fn decide_request(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<DecideForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Affiliation requests", u, None);
    unis::decide(&state, u, id, &f.action)
        .await
        .map_err(|e| PageError(e, l))?;
    let notice = if f.action == "approve" {
        "affiliation_approved"
    } else {
        "affiliation_declined"
    };
    Ok(Redirect::to(&format!("/university/requests?notice={notice}")).into_response())
}

// --- team ---

struct MemberRow {
    id: i64,
    name: String,
    email: String,
    owner: bool,
    role: &'static str,
    roles: Vec<Choice>,
    me: bool,
}

#[derive(Template)]
#[template(path = "university/team.html")]
struct TeamPage {
    layout: Layout,
    org: Organization,
    career: bool,
    members: Vec<MemberRow>,
    invitations: Vec<(String, &'static str, String)>,
    email: String,
    roles: Vec<Choice>,
    errors: FieldErrors,
}

fn role_choices(selected: Option<StaffRole>) -> Vec<Choice> {
    StaffRole::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), r.label(), selected == Some(*r)))
        .collect()
}

fn member_row(s: StaffMember, me: i64) -> MemberRow {
    let role = s.staff_role.as_deref().and_then(StaffRole::parse);
    MemberRow {
        id: s.user_id,
        owner: s.member_role == "owner",
        role: role.unwrap_or(StaffRole::Faculty).label(),
        roles: role_choices(role),
        me: s.user_id == me,
        name: s.name,
        email: s.email,
    }
}

async fn team_page(
    state: &AppState,
    u: &User,
    notice: Option<&str>,
    email: &str,
    role: Option<StaffRole>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Team", u, notice);
    let t = unis::team(state, u)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let Membership {
        org, staff_role, ..
    } = t.membership;
    let now = state.clock.now();
    let failed = !errors.is_empty();
    let mut res = render(&TeamPage {
        layout: l,
        org,
        career: staff_role == Some(StaffRole::Career),
        members: t.staff.into_iter().map(|s| member_row(s, u.id)).collect(),
        invitations: t
            .invitations
            .into_iter()
            .map(|i| {
                (
                    i.email,
                    StaffRole::parse(&i.staff_role)
                        .unwrap_or(StaffRole::Faculty)
                        .label(),
                    view::ago(now, i.created_at),
                )
            })
            .collect(),
        email: email.to_string(),
        roles: role_choices(role.or(Some(StaffRole::Faculty))),
        errors,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn team(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    team_page(
        &state,
        user.user(),
        n.notice.as_deref(),
        "",
        None,
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    email: String,
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<InviteForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match unis::invite(&state, u, &f.email, &f.role).await {
        Ok(()) => Ok(Redirect::to("/university/team?notice=staff_invited").into_response()),
        Err(AppError::Invalid(errors)) => {
            team_page(&state, u, None, &f.email, StaffRole::parse(&f.role), errors).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Team", u, None))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn set_role(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<RoleForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    unis::set_role(&state, u, id, &f.role)
        .await
        .map_err(|e| PageError(e, layout(&state, "Team", u, None)))?;
    Ok(Redirect::to("/university/team?notice=staff_role_saved").into_response())
}

// --- projects ---

/// A featured project as students see it.
struct FeaturedLine {
    id: i64,
    title: String,
    summary: String,
    org: String,
    price: String,
    hours: i32,
    deadline: String,
    note: Option<String>,
    restricted: bool,
}

impl From<&stint_store::FeaturedProject> for FeaturedLine {
    fn from(f: &stint_store::FeaturedProject) -> Self {
        FeaturedLine {
            id: f.project_id,
            title: f.title.clone(),
            summary: f.summary.clone(),
            org: f.org_name.clone(),
            price: crate::app::outcomes::money(&f.currency, f.price_minor),
            hours: f.estimated_hours,
            deadline: f.application_deadline.format("%-d %B %Y").to_string(),
            note: f.note.clone(),
            restricted: f.restricted,
        }
    }
}

struct ProjectRow {
    id: i64,
    title: String,
    org: String,
    org_slug: String,
    open: bool,
    status: &'static str,
    price: String,
    deadline: String,
    applicants: i64,
    hired: i64,
    featured: bool,
    restricted: bool,
    note: Option<String>,
    record: Vec<String>,
}

#[derive(Template)]
#[template(path = "university/projects.html")]
struct ProjectsPage {
    layout: Layout,
    org: Organization,
    rows: Vec<ProjectRow>,
}

async fn projects(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Projects", u, n.notice.as_deref());
    let err = |e: AppError| PageError(e, l.clone());
    let m = unis::career_staff(&state, u).await.map_err(err)?;
    let lines = unis::projects(&state, u).await.map_err(err)?;
    let rows = lines
        .into_iter()
        .map(|line| {
            let p = line.project;
            let status = stint_domain::project::ProjectStatus::parse(&p.status);
            let r = &line.record;
            let mut record = Vec::new();
            if r.decided + r.closed_undecided > 0 {
                record.push(format!(
                    "Answers {}% of applicants",
                    r.decided * 100 / (r.decided + r.closed_undecided)
                ));
            }
            match r.median_payout_hours {
                Some(0) => record.push("Pays out within the hour (median)".to_string()),
                Some(h) => record.push(format!("Pays out in {h} h (median)")),
                None => {}
            }
            ProjectRow {
                id: p.project_id,
                title: p.title,
                org: p.org_name,
                org_slug: p.org_slug,
                open: status == Some(stint_domain::project::ProjectStatus::Open),
                status: status.map(|s| s.label()).unwrap_or("Closed"),
                price: crate::app::outcomes::money(&p.currency, p.price_minor),
                deadline: p.application_deadline.format("%-d %b %Y").to_string(),
                applicants: p.applicants,
                hired: p.hired,
                featured: p.featured,
                restricted: p.restricted,
                note: p.note,
                record,
            }
        })
        .collect();
    Ok(render(&ProjectsPage {
        layout: l,
        org: m.org,
        rows,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FeatureForm {
    note: String,
}

async fn feature(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<FeatureForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Projects", u, None);
    unis::feature(&state, u, id, &f.note)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!("/projects/{id}?notice=project_featured")).into_response())
}

async fn unfeature(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Projects", u, None);
    unis::unfeature(&state, u, id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to("/university/projects?notice=project_unfeatured").into_response())
}

#[derive(Template)]
#[template(path = "university/school.html")]
struct SchoolPage {
    layout: Layout,
    org: Organization,
    domains: Vec<String>,
    featured: Vec<FeaturedLine>,
    signed_in: bool,
}

/// The school page: public, for a verified university.
async fn school(
    State(state): State<AppState>,
    user: MaybeUser,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let mut l = Layout::new("University", user.user(), state.config.demo);
    let (org, domains, featured) = unis::school(&state, &slug)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    l.title = org.name.clone();
    Ok(render(&SchoolPage {
        layout: l,
        domains,
        featured: featured.iter().map(FeaturedLine::from).collect(),
        signed_in: user.user().is_some(),
        org,
    }))
}

// --- the student's page ---

#[derive(Template)]
#[template(path = "student/university.html")]
struct MinePage {
    layout: Layout,
    affiliation: Option<Affiliation>,
    status: &'static str,
    confirmed: bool,
    can_request: bool,
    requested: bool,
    proof: String,
    domains: Vec<String>,
    email: String,
    sharing: Vec<(Choice, &'static str)>,
    /// Open projects the university features.
    featured: Vec<FeaturedLine>,
    /// The optional equity questions: (field, question, unanswered, answers).
    equity: Vec<(&'static str, &'static str, bool, Vec<Choice>)>,
    errors: FieldErrors,
}

async fn mine_page(
    state: &AppState,
    u: &User,
    notice: Option<&str>,
    email: &str,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = Layout::new("Your university", Some(u), state.config.demo)
        .with_notice(notice)
        .at("/me/profile");
    let a = unis::mine(state, u)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let domains = match &a {
        Some(a) => state
            .store
            .org_domains(a.university_id)
            .await
            .map_err(store_err(&l))?,
        None => Vec::new(),
    };
    let current = a.as_ref().map(|a| a.sharing).unwrap_or_default();
    let featured = unis::featured_for(state, u)
        .await
        .map_err(|e| PageError(e, l.clone()))?
        .iter()
        .map(FeaturedLine::from)
        .collect();
    let answers = crate::app::outcomes::answers(state, u)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let equity = Attribute::ALL
        .iter()
        .map(|at| {
            let chosen = answers.get(*at);
            (
                at.as_str(),
                at.question(),
                chosen.is_none(),
                at.answers()
                    .iter()
                    .map(|(v, label)| Choice::new(v, label, chosen == Some(*v)))
                    .collect(),
            )
        })
        .collect();
    let failed = !errors.is_empty();
    let mut res = render(&MinePage {
        layout: l,
        status: a.as_ref().map(|a| a.status.label()).unwrap_or_default(),
        confirmed: a.as_ref().is_some_and(|a| a.confirmed()),
        can_request: a.as_ref().is_some_and(|a| {
            matches!(
                a.status,
                AffiliationStatus::Declared | AffiliationStatus::Removed
            )
        }),
        requested: a
            .as_ref()
            .is_some_and(|a| a.status == AffiliationStatus::Requested),
        proof: match a.as_ref() {
            Some(a) if a.confirmed() => match (&a.proof, &a.proof_email) {
                (Some(AffiliationProof::Sso), Some(e)) => {
                    format!("Confirmed when you signed in with your university's account ({e}).")
                }
                (_, Some(e)) => format!("Confirmed with your address {e}."),
                (_, None) => "Confirmed by your university's career staff.".into(),
            },
            _ => String::new(),
        },
        domains,
        email: email.to_string(),
        sharing: Sharing::ALL
            .iter()
            .map(|s| {
                (
                    Choice::new(s.as_str(), s.label(), *s == current),
                    s.explain(),
                )
            })
            .collect(),
        equity,
        featured,
        errors,
        affiliation: a,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn mine(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    mine_page(
        &state,
        user.user(),
        n.notice.as_deref(),
        "",
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

async fn send_link(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match unis::send_link(&state, u, &f.email).await {
        Ok(()) => Ok(Redirect::to("/me/university?notice=affiliation_link_sent").into_response()),
        Err(AppError::Invalid(errors)) => mine_page(&state, u, None, &f.email, errors).await,
        Err(AppError::Conflict { message, .. }) => {
            let mut errors = FieldErrors::new();
            errors.add("email", message);
            mine_page(&state, u, None, &f.email, errors).await
        }
        Err(e) => Err(PageError(
            e,
            Layout::new("Your university", Some(u), state.config.demo),
        )),
    }
}

async fn request(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let u = user.user();
    unis::request(&state, u).await.map_err(|e| {
        PageError(
            e,
            Layout::new("Your university", Some(u), state.config.demo),
        )
    })?;
    Ok(Redirect::to("/me/university?notice=affiliation_requested").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SharingForm {
    sharing: String,
}

async fn sharing(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<SharingForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match unis::set_sharing(&state, u, &f.sharing).await {
        Ok(_) => Ok(Redirect::to("/me/university?notice=sharing_saved").into_response()),
        Err(AppError::Invalid(errors)) => mine_page(&state, u, None, "", errors).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your university", Some(u), state.config.demo),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EquityForm {
    first_generation: String,
    need_based_aid: String,
    gender: String,
    disability: String,
}

async fn equity(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<EquityForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let raw = [
        f.first_generation.as_str(),
        f.need_based_aid.as_str(),
        f.gender.as_str(),
        f.disability.as_str(),
    ];
    match crate::app::outcomes::set_answers(&state, u, raw).await {
        Ok(_) => Ok(Redirect::to("/me/university?notice=equity_saved#about-h").into_response()),
        Err(AppError::Invalid(errors)) => mine_page(&state, u, None, "", errors).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your university", Some(u), state.config.demo),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    token: String,
}

#[derive(Template)]
#[template(path = "university/confirm.html")]
struct ConfirmLinkPage {
    layout: Layout,
    token: String,
}

/// The link in the email shows a button: opening a link (or a mail
/// scanner fetching it) changes nothing.
async fn confirm_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(q): Query<TokenForm>,
) -> Response {
    render(&ConfirmLinkPage {
        layout: Layout::new("Confirm your university", user.user(), state.config.demo),
        token: q.token,
    })
}

async fn confirm_link(
    State(state): State<AppState>,
    user: MaybeUser,
    HtmlForm(f): HtmlForm<TokenForm>,
) -> Result<Response, PageError> {
    let l = Layout::new("Confirm your university", user.user(), state.config.demo);
    unis::confirm_link(&state, &f.token)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(if user.user().is_some() {
        "/me/university?notice=affiliation_confirmed"
    } else {
        "/login?notice=affiliation_confirmed"
    })
    .into_response())
}

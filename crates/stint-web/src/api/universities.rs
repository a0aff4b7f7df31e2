//! Universities: a student's affiliation and what they share; the career
//! centre's students, timelines and affiliation requests; the team's roles
//! and invitations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::universities::{self as unis, StudentQuery};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_affiliation, set_sharing))
        .routes(routes!(request_confirmation))
        .routes(routes!(send_link))
        .routes(routes!(confirm_link))
        .routes(routes!(students))
        .routes(routes!(student))
        .routes(routes!(requests))
        .routes(routes!(decide))
        .routes(routes!(staff))
        .routes(routes!(invite))
        .routes(routes!(set_role))
        .routes(routes!(projects))
        .routes(routes!(feature, unfeature))
        .routes(routes!(school))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliationView {
    university_id: i64,
    university: String,
    /// declared | requested | confirmed | removed. Only `confirmed` is shown
    /// to employers as the student's university without "(not confirmed)".
    status: String,
    /// email | staff, once confirmed.
    proof: Option<String>,
    /// The university address that proved it.
    proof_email: Option<String>,
    /// all | completed | aggregate: what the university sees.
    sharing: String,
    /// What the university sees, in words.
    sharing_explained: String,
    requested_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
}

impl From<&stint_store::Affiliation> for AffiliationView {
    fn from(a: &stint_store::Affiliation) -> Self {
        AffiliationView {
            university_id: a.university_id,
            university: a.university_name.clone(),
            status: a.status.as_str().into(),
            proof: a.proof.map(|p| p.as_str().into()),
            proof_email: a.proof_email.clone(),
            sharing: a.sharing.as_str().into(),
            sharing_explained: a.sharing.explain().into(),
            requested_at: a.requested_at,
            decided_at: a.decided_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyAffiliation {
    /// Absent when the profile names no university.
    affiliation: Option<AffiliationView>,
}

/// The caller's affiliation with the university on their profile (students).
#[utoipa::path(get, path = "/me/affiliation", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = MyAffiliation), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_affiliation(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<MyAffiliation>, ApiError> {
    let a = unis::mine(&state, &caller.user).await?;
    Ok(Json(MyAffiliation {
        affiliation: a.as_ref().map(AffiliationView::from),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SharingRequest {
    /// all | completed | aggregate
    sharing: String,
}

/// Choose what the university sees: `all` (applications and decisions
/// too), `completed` (the default: taking part, and completed work) or
/// `aggregate` (counted in totals only).
#[utoipa::path(put, path = "/me/affiliation", tag = "universities", security(("bearer" = [])), request_body = SharingRequest,
    responses((status = 200, body = AffiliationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_sharing(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<SharingRequest>,
) -> Result<Json<AffiliationView>, ApiError> {
    let a = unis::set_sharing(&state, &caller.user, &r.sharing).await?;
    Ok(Json(AffiliationView::from(&a)))
}

/// Ask the university's career staff to confirm the caller.
#[utoipa::path(post, path = "/me/affiliation/request", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = AffiliationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn request_confirmation(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<AffiliationView>, ApiError> {
    let a = unis::request(&state, &caller.user).await?;
    Ok(Json(AffiliationView::from(&a)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkRequest {
    /// An address in one of the university's email domains.
    email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkSent {
    /// Where the link went; it works once, for 3 days.
    sent_to: String,
}

/// Email a confirmation link to the caller's university address (at most
/// five a day).
#[utoipa::path(post, path = "/me/affiliation/email", tag = "universities", security(("bearer" = [])), request_body = LinkRequest,
    responses((status = 202, body = LinkSent), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn send_link(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<LinkRequest>,
) -> Result<(StatusCode, Json<LinkSent>), ApiError> {
    unis::send_link(&state, &caller.user, &r.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(LinkSent {
            sent_to: r.email.trim().to_lowercase(),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmRequest {
    /// The token from the emailed link.
    token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    university: String,
}

/// Use an emailed confirmation link's token; the affiliation is confirmed.
#[utoipa::path(post, path = "/affiliation/confirm", tag = "universities", request_body = ConfirmRequest,
    responses((status = 200, body = Confirmed), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn confirm_link(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<ConfirmRequest>,
) -> Result<Json<Confirmed>, ApiError> {
    let university = unis::confirm_link(&state, &r.token).await?;
    Ok(Json(Confirmed { university }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct StudentsParams {
    /// Part of a name or email.
    q: String,
    /// An area of study, exactly as students wrote it.
    area: String,
    /// A graduation year.
    year: String,
    /// not_yet_applied | applied | working | completed
    stage: String,
    /// 1, 2, … (50 students a page).
    page: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalStudentView {
    id: i64,
    name: String,
    email: String,
    area_of_study: Option<String>,
    graduation_year: Option<i32>,
    /// not_yet_applied | applied | working | completed
    stage: String,
    /// all | completed
    sharing: String,
    /// email | staff
    proof: Option<String>,
    completed_projects: i64,
    /// Applications sent; only for students who share everything.
    applications: Option<i64>,
}

impl From<&stint_store::PortalStudent> for PortalStudentView {
    fn from(s: &stint_store::PortalStudent) -> Self {
        let all = s.sharing == "all";
        PortalStudentView {
            id: s.student_id,
            name: s.name.clone(),
            email: s.email.clone(),
            area_of_study: s.area_of_study.clone(),
            graduation_year: s.graduation_year,
            stage: s.stage().as_str().into(),
            sharing: s.sharing.clone(),
            proof: s.proof.clone(),
            completed_projects: s.completed,
            applications: all.then_some(s.applications),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudentList {
    students: Vec<PortalStudentView>,
    /// Matching students in all.
    total: i64,
    page: i64,
    next_page: Option<i64>,
    /// Areas of study to filter by.
    areas: Vec<String>,
    /// Graduation years to filter by.
    years: Vec<i32>,
}

/// The university's confirmed students who let it see them by name
/// (career staff of a verified university).
#[utoipa::path(get, path = "/university/students", tag = "universities", security(("bearer" = [])), params(StudentsParams),
    responses((status = 200, body = StudentList), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn students(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<StudentsParams>,
) -> Result<Json<StudentList>, ApiError> {
    let list = unis::students(
        &state,
        &caller.user,
        &StudentQuery {
            q: &q.q,
            area: &q.area,
            year: &q.year,
            stage: &q.stage,
            page: &q.page,
        },
    )
    .await?;
    Ok(Json(StudentList {
        students: list.students.iter().map(PortalStudentView::from).collect(),
        total: list.total,
        page: list.page,
        next_page: list.more.then_some(list.page + 1),
        areas: list.areas,
        years: list.years,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineApplicationView {
    project_id: i64,
    project_title: String,
    organization: String,
    /// submitted | shortlisted | hired | rejected | withdrawn | closed
    status: String,
    sent_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineWorkView {
    engagement_id: i64,
    project_id: i64,
    project_title: String,
    organization: String,
    status: String,
    hired_at: DateTime<Utc>,
    approved_at: Option<DateTime<Utc>>,
    /// What the student earned, formatted, once approved.
    earned: Option<String>,
    /// Quality, communication, timeliness (1–5), once the double-blind rule
    /// shows the employer's review.
    ratings: Option<[u8; 3]>,
    recommendation: Option<String>,
    /// Outcomes the employer confirmed.
    outcomes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    student: PortalStudentView,
    sharing_explained: String,
    /// Only when the student shares everything.
    applications: Option<Vec<TimelineApplicationView>>,
    /// Completed work; work in progress too when the student shares everything.
    work: Vec<TimelineWorkView>,
    /// Earned in completed work, per currency.
    earnings: Vec<String>,
}

/// One student's timeline, as far as they share it (career staff).
#[utoipa::path(get, path = "/university/students/{id}", tag = "universities", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TimelineView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn student(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<TimelineView>, ApiError> {
    let t = unis::timeline(&state, &caller.user, id).await?;
    Ok(Json(TimelineView {
        student: PortalStudentView::from(&t.student),
        sharing_explained: t.sharing.explain_to_staff().into(),
        applications: t.applications.map(|list| {
            list.into_iter()
                .map(|a| TimelineApplicationView {
                    project_id: a.project_id,
                    project_title: a.project_title,
                    organization: a.org_name,
                    status: a.status,
                    sent_at: a.created_at,
                    decided_at: a.decided_at,
                })
                .collect()
        }),
        work: t
            .work
            .into_iter()
            .map(|w| TimelineWorkView {
                engagement_id: w.engagement.engagement_id,
                project_id: w.engagement.project_id,
                project_title: w.engagement.project_title,
                organization: w.engagement.org_name,
                status: w.status.as_str().into(),
                hired_at: w.engagement.created_at,
                approved_at: w.engagement.approved_at,
                earned: w.earned,
                ratings: w.ratings,
                recommendation: w.recommendation,
                outcomes: w
                    .achievement
                    .map(|a| {
                        a.outcomes
                            .iter()
                            .map(|o| format!("{} {}", o.value, o.metric))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        earnings: t.earnings,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliationRequestView {
    student_id: i64,
    name: String,
    email: String,
    area_of_study: Option<String>,
    graduation_year: Option<i32>,
    requested_at: Option<DateTime<Utc>>,
}

/// Students asking career staff to confirm them, oldest first.
#[utoipa::path(get, path = "/university/affiliation-requests", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = Vec<AffiliationRequestView>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn requests(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<AffiliationRequestView>>, ApiError> {
    Ok(Json(
        unis::requests(&state, &caller.user)
            .await?
            .into_iter()
            .map(|r| AffiliationRequestView {
                student_id: r.student_id,
                name: r.name,
                email: r.email,
                area_of_study: r.area_of_study,
                graduation_year: r.graduation_year,
                requested_at: r.requested_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideRequest {
    /// approve | decline (a request) | remove (a confirmed affiliation)
    action: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    /// The affiliation's status now.
    status: String,
}

/// Career staff approve or decline a student's request, or remove a
/// confirmed affiliation.
#[utoipa::path(post, path = "/university/students/{id}/affiliation", tag = "universities", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DecideRequest,
    responses((status = 200, body = Decided), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<DecideRequest>,
) -> Result<Json<Decided>, ApiError> {
    unis::decide(&state, &caller.user, id, &r.action).await?;
    let status = state
        .store
        .affiliation(id)
        .await?
        .map(|a| a.status.as_str().to_string())
        .unwrap_or_default();
    Ok(Json(Decided { status }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    user_id: i64,
    name: String,
    email: String,
    /// career | faculty
    role: String,
    /// Created the university's space on Stint.
    owner: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    email: String,
    role: String,
    invited_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    members: Vec<StaffView>,
    /// Open invitations; career staff only.
    invitations: Vec<InvitationView>,
}

/// The university's members and their roles (any member).
#[utoipa::path(get, path = "/university/staff", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn staff(State(state): State<AppState>, caller: ApiUser) -> Result<Json<TeamView>, ApiError> {
    let t = unis::team(&state, &caller.user).await?;
    Ok(Json(TeamView {
        members: t
            .staff
            .into_iter()
            .map(|s| StaffView {
                user_id: s.user_id,
                owner: s.member_role == "owner",
                role: s.staff_role.unwrap_or_else(|| "faculty".into()),
                name: s.name,
                email: s.email,
            })
            .collect(),
        invitations: t
            .invitations
            .into_iter()
            .map(|i| InvitationView {
                email: i.email,
                role: i.staff_role,
                invited_at: i.created_at,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteRequest {
    email: String,
    /// career | faculty
    role: String,
}

/// Career staff invite a colleague by email with a role; the email carries
/// the invite code.
#[utoipa::path(post, path = "/university/staff/invitations", tag = "universities", security(("bearer" = [])), request_body = InviteRequest,
    responses((status = 201, body = InvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn invite(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InvitationView>), ApiError> {
    unis::invite(&state, &caller.user, &r.email, &r.role).await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationView {
            email: r.email.trim().to_lowercase(),
            role: r.role.trim().into(),
            invited_at: Utc::now(),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleRequest {
    /// career | faculty
    role: String,
}

/// Career staff set a member's role; a university keeps at least one
/// career staff member.
#[utoipa::path(put, path = "/university/staff/{id}", tag = "universities", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RoleRequest,
    responses((status = 200, body = TeamView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_role(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<RoleRequest>,
) -> Result<Json<TeamView>, ApiError> {
    unis::set_role(&state, &caller.user, id, &r.role).await?;
    staff(State(state), caller).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalProjectView {
    id: i64,
    title: String,
    organization: String,
    organization_slug: String,
    /// draft | open | filled | closed | completed | cancelled
    status: String,
    category: String,
    price_minor: i64,
    currency: String,
    application_deadline: chrono::NaiveDate,
    /// The university's confirmed students who applied, and were hired.
    applicants: i64,
    hired: i64,
    featured: bool,
    /// Arranged with this university for its students only.
    restricted: bool,
    note: Option<String>,
    /// The employer's record: applications decided and closed undecided,
    /// median hours to decide and to pay out.
    employer_decided: i64,
    employer_closed_undecided: i64,
    employer_median_decision_hours: Option<i64>,
    employer_median_payout_hours: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalProjects {
    projects: Vec<PortalProjectView>,
}

/// The projects the university's confirmed students applied to, and those
/// it features, with each employer's record (career staff).
#[utoipa::path(get, path = "/university/projects", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = PortalProjects), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn projects(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<PortalProjects>, ApiError> {
    let lines = unis::projects(&state, &caller.user).await?;
    Ok(Json(PortalProjects {
        projects: lines
            .into_iter()
            .map(|l| {
                let p = l.project;
                PortalProjectView {
                    id: p.project_id,
                    title: p.title,
                    organization: p.org_name,
                    organization_slug: p.org_slug,
                    status: p.status,
                    category: p.category,
                    price_minor: p.price_minor,
                    currency: p.currency,
                    application_deadline: p.application_deadline,
                    applicants: p.applicants,
                    hired: p.hired,
                    featured: p.featured,
                    restricted: p.restricted,
                    note: p.note,
                    employer_decided: l.record.decided,
                    employer_closed_undecided: l.record.closed_undecided,
                    employer_median_decision_hours: l.record.median_decision_hours,
                    employer_median_payout_hours: l.record.median_payout_hours,
                }
            })
            .collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FeatureRequest {
    /// For the students, at most 280 characters.
    note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Featured {
    project_id: i64,
    featured: bool,
}

/// Feature an open project for the university's students (career staff);
/// again to change the note.
#[utoipa::path(put, path = "/university/projects/{id}/feature", tag = "universities", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FeatureRequest,
    responses((status = 200, body = Featured), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn feature(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<FeatureRequest>,
) -> Result<Json<Featured>, ApiError> {
    unis::feature(&state, &caller.user, id, &r.note).await?;
    Ok(Json(Featured {
        project_id: id,
        featured: true,
    }))
}

/// Stop featuring a project (career staff).
#[utoipa::path(delete, path = "/university/projects/{id}/feature", tag = "universities", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Featured), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn unfeature(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Featured>, ApiError> {
    unis::unfeature(&state, &caller.user, id).await?;
    Ok(Json(Featured {
        project_id: id,
        featured: false,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeaturedProjectView {
    id: i64,
    title: String,
    summary: String,
    organization: String,
    price_minor: i64,
    currency: String,
    estimated_hours: i32,
    application_deadline: chrono::NaiveDate,
    note: Option<String>,
    /// Arranged with the university for its students only: only its
    /// confirmed students can open it and apply.
    restricted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolView {
    name: String,
    slug: String,
    website: Option<String>,
    /// Students who sign up with an address in these domains are confirmed
    /// as the university's once the address is.
    email_domains: Vec<String>,
    /// Open projects arranged for the university's students (first), and
    /// those it features.
    featured: Vec<FeaturedProjectView>,
}

/// A verified university's public page: its featured open projects and the
/// email domains that confirm its students. No sign-in needed.
#[utoipa::path(get, path = "/universities/{slug}", tag = "universities", params(("slug" = String, Path)),
    responses((status = 200, body = SchoolView), (status = 404, body = Problem)))]
async fn school(
    State(state): State<AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> Result<Json<SchoolView>, ApiError> {
    let (org, domains, featured) = unis::school(&state, &slug).await?;
    Ok(Json(SchoolView {
        name: org.name,
        slug: org.slug,
        website: org.website,
        email_domains: domains,
        featured: featured
            .into_iter()
            .map(|f| FeaturedProjectView {
                id: f.project_id,
                title: f.title,
                summary: f.summary,
                organization: f.org_name,
                price_minor: f.price_minor,
                currency: f.currency,
                estimated_hours: f.estimated_hours,
                application_deadline: f.application_deadline,
                note: f.note,
                restricted: f.restricted,
            })
            .collect(),
    }))
}

//! The employer's dashboard at `/employer`, setting up or joining an
//! organization (employers and universities), and the employer's project pages.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::money::Currency;
use stint_domain::organization::OrgKind;
use stint_domain::project::{ProjectAction, ProjectForm, WorkMode};
use stint_domain::taxonomy::category;
use stint_store::{Organization, User};

use super::projects::CardView;
use super::student::{OpenGroup, open_groups};
use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::orgs::{self, OrgForm};
use crate::app::projects;
use crate::auth::PageUser;
use crate::auth::authz::{require_employer_member, require_project_member, require_role};
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Choice, Layout, category_choices};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer", get(employer_dashboard))
        .route("/employer/organization", post(create_org))
        .route("/university/organization", post(create_org))
        .route("/employer/join", post(join_org))
        .route("/university/join", post(join_org))
        .route("/employer/projects/new", get(new_form).post(create))
        .route("/employer/projects/{id}/edit", get(edit_form).post(update))
        .route("/employer/projects/{id}/publish", post(publish))
        .route("/employer/projects/{id}/close", post(close))
        .route("/employer/projects/{id}/restriction", post(restriction))
        .route(
            "/employer/projects/{id}/cancel",
            get(cancel_page).post(cancel),
        )
}

fn layout(state: &AppState, title: &str, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

#[derive(Template)]
#[template(path = "employer/org_setup.html")]
struct OrgSetupPage {
    layout: Layout,
    heading: &'static str,
    intro: &'static str,
    base: &'static str,
    university: bool,
    name: String,
    website: String,
    country: String,
    description: String,
    email_domains: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "employer/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    org: Organization,
    employer: bool,
    todo: Todo,
    projects: Vec<ProjectRow>,
    members: Vec<(String, String)>,
    domains: Vec<String>,
}

/// What needs the employer now, worded for the home page.
#[derive(Default)]
struct Todo {
    reviews: Vec<ReviewRow>,
    decisions: Vec<DecisionRow>,
    questions: Vec<QuestionRow>,
    replies: Vec<ReplyRow>,
    deposits: Vec<DepositRow>,
    /// Learning agreements to acknowledge: (credit request, student, project).
    agreements: Vec<(i64, String, String)>,
}

impl Todo {
    fn count(&self) -> usize {
        self.reviews.len()
            + self.decisions.len()
            + self.questions.len()
            + self.replies.len()
            + self.deposits.len()
            + self.agreements.len()
    }
}

struct ReviewRow {
    engagement_id: i64,
    title: String,
    student: String,
    price: String,
    submitted: String,
    auto_on: String,
    auto_in: String,
}

struct DecisionRow {
    project_id: i64,
    title: String,
    undecided: i64,
    waiting: String,
    decide_by: String,
    decide_in: String,
    /// Within two days, or past.
    urgent: bool,
}

struct QuestionRow {
    engagement_id: i64,
    title: String,
    student: String,
    asked: String,
    questions: i64,
}

struct ReplyRow {
    application_id: i64,
    title: String,
    student: String,
    replied: String,
}

struct DepositRow {
    engagement_id: i64,
    title: String,
    student: String,
    amount: String,
    stripe: bool,
    since: String,
}

struct ProjectRow {
    card: CardView,
    applications: i64,
    undecided: i64,
    engagements: i64,
}

fn todo(state: &AppState, a: stint_store::OrgAgenda) -> Todo {
    use crate::view::{ago, date, until};
    use stint_domain::money::Money;
    let now = state.clock.now();
    let today = now.date_naive();
    let money = |minor: i64, currency: &str| {
        Money::new(minor, currency.parse().unwrap_or(Currency::Usd)).to_string()
    };
    let silent = chrono::Duration::days(i64::from(state.config.auto_approve_days));
    Todo {
        reviews: a
            .reviews
            .into_iter()
            .map(|r| {
                let on = (r.submitted_at + silent).date_naive();
                ReviewRow {
                    engagement_id: r.engagement_id,
                    price: money(r.price_minor, &r.currency),
                    title: r.project_title,
                    student: r.student_name,
                    submitted: ago(now, r.submitted_at),
                    auto_on: date(&on),
                    auto_in: until(today, on),
                }
            })
            .collect(),
        decisions: a
            .decisions
            .into_iter()
            .map(|d| DecisionRow {
                project_id: d.project_id,
                title: d.project_title,
                undecided: d.undecided,
                waiting: ago(now, d.oldest),
                decide_by: date(&d.decision_by),
                decide_in: until(today, d.decision_by),
                urgent: (d.decision_by - today).num_days() <= 2,
            })
            .collect(),
        questions: a
            .questions
            .into_iter()
            .map(|q| QuestionRow {
                engagement_id: q.engagement_id,
                title: q.project_title,
                student: q.student_name,
                asked: ago(now, q.asked_at),
                questions: q.questions,
            })
            .collect(),
        replies: a
            .replies
            .into_iter()
            .map(|r| ReplyRow {
                application_id: r.application_id,
                title: r.project_title,
                student: r.student_name,
                replied: ago(now, r.replied_at),
            })
            .collect(),
        deposits: a
            .deposits
            .into_iter()
            .map(|d| DepositRow {
                engagement_id: d.engagement_id,
                amount: money(d.amount_minor, &d.currency),
                title: d.project_title,
                student: d.student_name,
                stripe: d.provider == "stripe",
                since: ago(now, d.since),
            })
            .collect(),
        agreements: Vec::new(),
    }
}

pub(super) fn setup_page(
    layout: Layout,
    role: Role,
    f: Option<&OrgSetupForm>,
    errors: FieldErrors,
) -> Response {
    let university = role == Role::University;
    let failed = !errors.is_empty();
    let mut res = render(&OrgSetupPage {
        layout,
        heading: if university {
            "Set up your university"
        } else {
            "Set up your organization"
        },
        intro: if university {
            "Create your university's space on Stint, or join colleagues who already have. You will see your students' projects and outcomes."
        } else {
            "Projects are posted by an organization. Create yours, or join colleagues who already have."
        },
        base: if university {
            "/university"
        } else {
            "/employer"
        },
        university,
        name: f.map(|f| f.name.clone()).unwrap_or_default(),
        website: f.map(|f| f.website.clone()).unwrap_or_default(),
        country: f.map(|f| f.country.clone()).unwrap_or_default(),
        description: f.map(|f| f.description.clone()).unwrap_or_default(),
        email_domains: f.map(|f| f.email_domains.clone()).unwrap_or_default(),
        errors,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

async fn dashboard(
    state: &AppState,
    user: &PageUser,
    role: Role,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(
        state,
        if role == Role::University {
            "University"
        } else {
            "Dashboard"
        },
        u,
        notice,
    )
    .at(if role == Role::University {
        "/university"
    } else {
        "/employer"
    });
    let err = |e: AppError| PageError(e, l.clone());
    require_role(u, role).map_err(err)?;
    let Some(m) = state
        .store
        .membership(u.id)
        .await
        .map_err(|e| err(e.into()))?
    else {
        return Ok(setup_page(l, role, None, FieldErrors::new()));
    };
    let employer = m.org.kind == OrgKind::Employer;
    let (projects, todo) = if employer {
        let cards = state
            .store
            .org_projects(m.org.id)
            .await
            .map_err(|e| err(e.into()))?;
        let counts = state
            .store
            .org_project_counts(m.org.id)
            .await
            .map_err(|e| err(e.into()))?;
        let agenda = state
            .store
            .org_agenda(m.org.id)
            .await
            .map_err(|e| err(e.into()))?;
        let rows = cards
            .iter()
            .map(|c| {
                let n = counts
                    .iter()
                    .find(|n| n.project_id == c.id)
                    .copied()
                    .unwrap_or_default();
                ProjectRow {
                    card: CardView::from(c),
                    applications: n.applications,
                    undecided: n.undecided,
                    engagements: n.engagements,
                }
            })
            .collect();
        let mut todo = todo(state, agenda);
        todo.agreements = crate::app::credit::list(state, u)
            .await
            .map_err(err)?
            .into_iter()
            .filter(|c| {
                c.employer_ack_at.is_none()
                    && matches!(
                        c.status,
                        stint_domain::credit::CreditStatus::Submitted
                            | stint_domain::credit::CreditStatus::Active
                    )
            })
            .map(|c| (c.id, c.student_name, c.project_title))
            .collect();
        (rows, todo)
    } else {
        (Vec::new(), Todo::default())
    };
    let members = state
        .store
        .org_members(m.org.id)
        .await
        .map_err(|e| err(e.into()))?;
    let domains = state
        .store
        .org_domains(m.org.id)
        .await
        .map_err(|e| err(e.into()))?;
    let mut l = l;
    l.title = m.org.name.clone();
    Ok(render(&DashboardPage {
        layout: l,
        employer,
        todo,
        projects,
        members: members
            .into_iter()
            .map(|(_, name, _, role)| (name, role))
            .collect(),
        domains,
        org: m.org,
    }))
}

async fn employer_dashboard(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    dashboard(&state, &user, Role::Employer, n.notice.as_deref()).await
}

fn home_of(user: &User) -> &'static str {
    if user.role == Role::University {
        "/university"
    } else {
        "/employer"
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct OrgSetupForm {
    name: String,
    website: String,
    country: String,
    description: String,
    email_domains: String,
}

async fn create_org(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<OrgSetupForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Set up your organization", u, None);
    let form = OrgForm {
        name: &f.name,
        website: &f.website,
        country: &f.country,
        description: &f.description,
        email_domains: &f.email_domains,
    };
    match orgs::create(&state, u, form).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=org_created", home_of(u))).into_response()),
        Err(AppError::Invalid(errors)) => Ok(setup_page(l, u.role, Some(&f), errors)),
        Err(e) => Err(PageError(e, l)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JoinForm {
    invite_code: String,
}

async fn join_org(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<JoinForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Set up your organization", u, None);
    match orgs::join(&state, u, &f.invite_code).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=org_joined", home_of(u))).into_response()),
        Err(AppError::Invalid(errors)) => Ok(setup_page(l, u.role, None, errors)),
        Err(e) => Err(PageError(e, l)),
    }
}

#[derive(Template)]
#[template(path = "employer/project_form.html")]
struct ProjectFormPage {
    layout: Layout,
    heading: String,
    action: String,
    is_new: bool,
    f: ProjectForm,
    templates: Vec<Choice>,
    categories: Vec<Choice>,
    currencies: Vec<Choice>,
    modes: Vec<Choice>,
    required_groups: Vec<OpenGroup>,
    preferred_groups: Vec<OpenGroup>,
    floor_hint: String,
    errors: FieldErrors,
    publish_errors: FieldErrors,
    /// Publishing is offered from the edit page (a draft already saved).
    can_publish: bool,
}

/// The form's fields in the order they appear, for the error summary.
const FORM_ORDER: [&str; 21] = [
    "organization",
    "title",
    "summary",
    "category",
    "brief",
    "deliverables",
    "acceptance_criteria",
    "required_skills",
    "preferred_skills",
    "estimated_hours",
    "weekly_hours",
    "price",
    "currency",
    "application_deadline",
    "decision_by",
    "slots",
    "start_date",
    "due_date",
    "work_mode",
    "location",
    "screening_question",
];

impl ProjectFormPage {
    /// The message for `field`, from saving or from publishing.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .get(field)
            .or_else(|| self.publish_errors.get(field))
    }

    /// A control's ARIA attributes: described by its hint (`hint`, an id, or
    /// empty) and its error, and marked invalid when it has one.
    fn aria(&self, field: &str, hint: &str) -> String {
        let bad = self.error(field).is_some();
        let ids: Vec<String> = [
            (!hint.is_empty()).then(|| hint.to_string()),
            bad.then(|| format!("{field}-err")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut out = String::new();
        if !ids.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", ids.join(" ")));
        }
        if bad {
            out.push_str(" aria-invalid=\"true\"");
        }
        out
    }

    /// Every error, in the form's order, with the id of the control to
    /// jump to (none for the organization's verification).
    fn summary(&self) -> Vec<(Option<&'static str>, String)> {
        let mut out = Vec::new();
        for field in FORM_ORDER {
            if let Some(m) = self.error(field) {
                let anchor = match field {
                    "organization" => None,
                    "required_skills" => Some("required-skills"),
                    "preferred_skills" => Some("preferred-skills"),
                    f => Some(f),
                };
                out.push((anchor, m.to_string()));
            }
        }
        for e in self.errors.0.iter().chain(&self.publish_errors.0) {
            if !FORM_ORDER.contains(&e.field) && !out.iter().any(|(_, m)| *m == e.message) {
                out.push((None, e.message.clone()));
            }
        }
        out
    }
}

fn form_page(
    state: &AppState,
    l: Layout,
    id: Option<i64>,
    f: ProjectForm,
    errors: FieldErrors,
    publish_errors: FieldErrors,
) -> Response {
    let floors: Vec<String> = Currency::ALL
        .iter()
        .map(|c| format!("{}/h", state.config.floors.floor(*c)))
        .collect();
    let failed = !errors.is_empty() || !publish_errors.is_empty();
    let mut res = render(&ProjectFormPage {
        layout: l,
        heading: if id.is_some() {
            "Edit draft".into()
        } else {
            "Post a project".into()
        },
        action: id
            .map(|id| format!("/employer/projects/{id}/edit"))
            .unwrap_or_else(|| "/employer/projects/new".into()),
        is_new: id.is_none(),
        templates: category_choices(&f.category),
        categories: category_choices(&f.category),
        currencies: Currency::ALL
            .iter()
            .map(|c| Choice::new(c.code(), c.code(), c.code() == f.currency))
            .collect(),
        modes: WorkMode::ALL
            .iter()
            .map(|m| Choice::new(m.as_str(), m.label(), m.as_str() == f.work_mode))
            .collect(),
        required_groups: open_groups(&f.required_skills),
        preferred_groups: open_groups(&f.preferred_skills),
        floor_hint: format!(
            "A fixed price for the whole project. It must be at least the hourly floor times the hours: {}.",
            floors.join(", ")
        ),
        errors,
        publish_errors,
        can_publish: id.is_some(),
        f,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TemplateQuery {
    template: String,
}

async fn new_form(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<TemplateQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Post a project", u, None).at("/employer/projects/new");
    let m = match require_employer_member(&state.store, u).await {
        Ok(m) => m,
        Err(AppError::Conflict {
            code: "no_organization",
            ..
        }) => return Ok(Redirect::to("/employer").into_response()),
        Err(e) => return Err(PageError(e, l)),
    };
    let mut f = ProjectForm {
        // The organization's own currency first.
        currency: Currency::for_country(&m.org.country).code().into(),
        work_mode: "remote".into(),
        slots: "1".into(),
        ..Default::default()
    };
    if let Some(c) = category(q.template.trim()) {
        f.category = c.slug.into();
        f.brief = c.template.brief.into();
        f.deliverables = c.template.deliverables.into();
        f.acceptance_criteria = c.template.acceptance_criteria.into();
    }
    Ok(form_page(
        &state,
        l,
        None,
        f,
        FieldErrors::new(),
        FieldErrors::new(),
    ))
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<ProjectForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Post a project", u, None);
    match projects::create(&state, u, &f).await {
        Ok(p) => {
            Ok(Redirect::to(&format!("/projects/{}?notice=draft_saved", p.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            Ok(form_page(&state, l, None, f, errors, FieldErrors::new()))
        }
        Err(e) => Err(PageError(e, l)),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Edit draft", u, None);
    let (p, _) = require_project_member(&state.store, u, id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    Ok(form_page(
        &state,
        l,
        Some(id),
        p.input.to_form(),
        FieldErrors::new(),
        FieldErrors::new(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UpdateQuery {
    /// Set by the edit page's "Save and publish" button.
    publish: String,
}

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(q): Query<UpdateQuery>,
    HtmlForm(f): HtmlForm<ProjectForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Edit draft", u, None);
    match projects::update(&state, u, id, &f).await {
        Ok(p) if !q.publish.is_empty() => match projects::publish(&state, u, p.id).await {
            Ok((p, _)) => Ok(Redirect::to(&published_page(&p)).into_response()),
            // Saved, not yet live: what to fix, next to each field.
            Err(AppError::Invalid(errors)) => Ok(form_page(
                &state,
                l.with_notice(Some("draft_saved")),
                Some(id),
                f,
                FieldErrors::new(),
                errors,
            )),
            Err(e) => Err(PageError(e, l)),
        },
        Ok(p) => {
            Ok(Redirect::to(&format!("/projects/{}?notice=draft_saved", p.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(form_page(
            &state,
            l,
            Some(id),
            f,
            errors,
            FieldErrors::new(),
        )),
        Err(e) => Err(PageError(e, l)),
    }
}

async fn publish(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Publish", u, None);
    match projects::publish(&state, u, id).await {
        Ok((p, _)) => Ok(Redirect::to(&published_page(&p)).into_response()),
        Err(AppError::Invalid(errors)) => {
            // Show what to fix in the editor, with the draft as saved.
            let p = state
                .store
                .project(id)
                .await
                .map_err(|e| PageError(e.into(), l.clone()))?;
            Ok(form_page(
                &state,
                l,
                Some(id),
                p.input.to_form(),
                FieldErrors::new(),
                errors,
            ))
        }
        Err(e) => Err(PageError(e, l)),
    }
}

#[derive(serde::Deserialize)]
struct RestrictionForm {
    #[serde(default)]
    university: String,
}

/// The value of "Only students you invite" in the list of who can apply
/// (no organization's slug starts with a colon).
pub(crate) const INVITED: &str = ":invited";

async fn restriction(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<RestrictionForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Project", u, None);
    // The "only students you invite" choice of the same list.
    let (university, invite_only) = match f.university.as_str() {
        INVITED => ("", true),
        other => (other, false),
    };
    projects::restrict(&state, u, id, university, invite_only)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!("/projects/{id}?notice=restriction_saved")).into_response())
}

/// The project's page once published, with the notice that fits who can
/// find it.
fn published_page(p: &stint_store::Project) -> String {
    let notice = if p.invite_only {
        "published_invite_only"
    } else if p.restricted_to.is_some() {
        "published_arranged"
    } else {
        "published"
    };
    format!("/projects/{}?notice={notice}", p.id)
}

async fn status_change(
    state: &AppState,
    user: &PageUser,
    id: i64,
    action: ProjectAction,
    notice: &str,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(state, "Project", u, None);
    projects::change_status(state, u, id, action)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!("/projects/{id}?notice={notice}")).into_response())
}

async fn close(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    status_change(&state, &user, id, ProjectAction::Close, "closed").await
}

/// Cancelling cannot be undone: the page says what it does to applicants.
async fn cancel_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Cancel the project", u, None);
    let err = |e: AppError| PageError(e, l.clone());
    let (p, _) = require_project_member(&state.store, u, id)
        .await
        .map_err(err)?;
    stint_domain::project::transition(p.status, ProjectAction::Cancel)
        .map_err(|e| err(AppError::conflict("invalid_transition", e.to_string())))?;
    let waiting = state
        .store
        .project_counts(id)
        .await
        .map_err(|e| err(e.into()))?
        .undecided;
    let mut then = vec!["The project leaves search and cannot be published again.".to_string()];
    if waiting > 0 {
        then.push(format!(
            "{waiting} undecided application{} {} closed, and each student is told the project is cancelled (this does not count against your response record).",
            if waiting == 1 { "" } else { "s" },
            if waiting == 1 { "is" } else { "are" }
        ));
    }
    then.push(
        "Engagements already started are not affected: cancel those from their workspaces.".into(),
    );
    Ok(super::money::confirm(super::money::ConfirmPage {
        heading: format!("Cancel “{}”?", p.input.title),
        lead: "Cancelling cannot be undone.".into(),
        rows: Vec::new(),
        total: None,
        then,
        action: format!("/employer/projects/{id}/cancel"),
        hidden: Vec::new(),
        reason: None,
        errors: FieldErrors::default(),
        button: "Cancel the project".into(),
        danger: true,
        back: format!("/projects/{id}"),
        layout: l,
    }))
}

async fn cancel(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    status_change(&state, &user, id, ProjectAction::Cancel, "cancelled").await
}

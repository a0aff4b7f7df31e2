//! Organization dashboards (employers at `/employer`, universities at
//! `/university`) and the employer's project pages.

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
        .route("/university", get(university_dashboard))
        .route("/employer/organization", post(create_org))
        .route("/university/organization", post(create_org))
        .route("/employer/join", post(join_org))
        .route("/university/join", post(join_org))
        .route("/employer/projects/new", get(new_form).post(create))
        .route("/employer/projects/{id}/edit", get(edit_form).post(update))
        .route("/employer/projects/{id}/publish", post(publish))
        .route("/employer/projects/{id}/close", post(close))
        .route("/employer/projects/{id}/cancel", post(cancel))
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
    projects: Vec<CardView>,
    members: Vec<(String, String)>,
    domains: Vec<String>,
}

fn setup_page(
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
    );
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
    let projects = if employer {
        state
            .store
            .org_projects(m.org.id)
            .await
            .map_err(|e| err(e.into()))?
    } else {
        Vec::new()
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
        projects: projects.iter().map(CardView::from).collect(),
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

async fn university_dashboard(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    dashboard(&state, &user, Role::University, n.notice.as_deref()).await
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
struct OrgSetupForm {
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
    let l = layout(&state, "Post a project", u, None);
    if let Err(e) = require_employer_member(&state.store, u).await {
        return match e {
            AppError::Conflict {
                code: "no_organization",
                ..
            } => Ok(Redirect::to("/employer").into_response()),
            e => Err(PageError(e, l)),
        };
    }
    let mut f = ProjectForm {
        currency: "USD".into(),
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

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ProjectForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Edit draft", u, None);
    match projects::update(&state, u, id, &f).await {
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
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?notice=published")).into_response()),
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

async fn cancel(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    status_change(&state, &user, id, ProjectAction::Cancel, "cancelled").await
}

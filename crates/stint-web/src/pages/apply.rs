//! Applying to a project: a page of its own at `/projects/{id}/apply`, so
//! the form is full width, a failed attempt re-renders at the same URL (which
//! reloads), and the errors are summarised at the top, linked to their
//! fields, with focus on the summary.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use stint_domain::FieldErrors;
use stint_domain::application::{ApplicationForm, PITCH_MAX, PITCH_MIN};

use super::projects::{ApplyBox, apply_box};
use super::{PageError, render};
use crate::AppState;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new().route("/projects/{id}/apply", get(form).post(apply))
}

#[derive(Template)]
#[template(path = "projects/apply.html")]
struct ApplyPage {
    layout: Layout,
    id: i64,
    title: String,
    org_name: String,
    facts: String,
    question: Option<String>,
    a: ApplyBox,
    /// Fields with errors, in the form's order, for the summary.
    summary: Vec<(&'static str, String)>,
    pitch_count: usize,
}

impl ApplyPage {
    fn max(&self) -> usize {
        PITCH_MAX
    }

    fn counter(&self) -> String {
        format!(
            "{} of {PITCH_MAX} characters (at least {PITCH_MIN})",
            self.pitch_count
        )
    }
}

async fn page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    form: ApplicationForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let u = user.user();
    let mut layout = Layout::new("Apply", Some(u), state.config.demo);
    layout.noindex = true;
    let p = crate::app::projects::get(state, Some(u), id)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    if p.status == stint_domain::project::ProjectStatus::Draft {
        return Err(PageError(AppError::NotFound, layout));
    }
    let failed = !errors.is_empty();
    let a = apply_box(state, Some(u), &p, form, errors)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let summary = ["pitch", "answer", "links"]
        .iter()
        .filter_map(|f| a.errors.get(f).map(|m| (*f, m.to_string())))
        .collect();
    let i = &p.input;
    layout.title = format!("Apply: {}", i.title);
    let mut res = render(&ApplyPage {
        id,
        facts: format!(
            "{} fixed ({} an hour) · {} hours · {} – {} · apply by {} · decision by {}",
            i.price,
            i.effective_hourly(),
            i.estimated_hours,
            date(&i.start_date),
            date(&i.due_date),
            date(&i.application_deadline),
            date(&i.decision_by)
        ),
        title: i.title.clone(),
        org_name: p.org_name.clone(),
        question: i.screening_question.clone(),
        pitch_count: a.form.pitch.chars().count(),
        summary,
        a,
        layout,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn form(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    page(
        &state,
        &user,
        id,
        ApplicationForm::default(),
        FieldErrors::new(),
    )
    .await
}

async fn apply(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ApplicationForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match crate::app::applications::apply(&state, u, id, &f).await {
        Ok(_) => Ok(Redirect::to("/me/applications?notice=applied").into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &user, id, f, errors).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Apply", Some(u), state.config.demo),
        )),
    }
}

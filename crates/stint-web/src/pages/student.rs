//! The student's own pages: the profile editor.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use stint_domain::FieldErrors;
use stint_domain::profile::ProfileForm;
use stint_domain::taxonomy::CATEGORIES;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::profiles;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Choice, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/profile", get(show).post(save))
        .route("/me/reach", axum::routing::post(save_reach))
        .route("/me/offers", get(offers_page))
        .route("/me/offers/{id}/answer", axum::routing::post(answer_offer))
        .route(
            "/me/offers/{id}/profile",
            axum::routing::post(offer_profile),
        )
        .route(
            "/me/invitations/{id}/decline",
            axum::routing::post(decline_invitation),
        )
        .route(
            "/me/invitations/{id}/accept",
            axum::routing::post(accept_invitation),
        )
        .route("/me/resume.json", get(resume_json))
        .route("/me/resume.pdf", get(resume_pdf))
        .route("/me/portfolio.pdf", get(portfolio_pdf))
}

#[derive(serde::Deserialize)]
struct PaperQuery {
    #[serde(default)]
    paper: String,
}

fn paper(raw: &str) -> Option<stint_pdf::Paper> {
    match raw {
        "a4" => Some(stint_pdf::Paper::A4),
        "letter" => Some(stint_pdf::Paper::Letter),
        _ => None,
    }
}

/// The student's résumé as a PDF (`?paper=a4|letter`, else by where they are).
async fn resume_pdf(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PaperQuery>,
) -> Result<Response, PageError> {
    printed(
        &state,
        &user,
        crate::app::exports::Printed::Resume,
        &q,
        "resume.pdf",
    )
    .await
}

/// The student's portfolio document as a PDF.
async fn portfolio_pdf(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PaperQuery>,
) -> Result<Response, PageError> {
    printed(
        &state,
        &user,
        crate::app::exports::Printed::Portfolio,
        &q,
        "portfolio.pdf",
    )
    .await
}

async fn printed(
    state: &AppState,
    user: &PageUser,
    kind: crate::app::exports::Printed,
    q: &PaperQuery,
    filename: &str,
) -> Result<Response, PageError> {
    let l = Layout::new("Résumé", Some(user.user()), state.config.demo);
    let bytes = crate::app::exports::resume_pdf(state, user.user(), kind, paper(&q.paper))
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(super::download(bytes, "application/pdf", filename))
}

/// The student's JSON Resume, as a download.
async fn resume_json(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let l = Layout::new("Résumé", Some(user.user()), state.config.demo);
    let resume = crate::app::exports::resume(&state, user.user())
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(super::download(
        serde_json::to_string_pretty(&resume).unwrap_or_default(),
        "application/json",
        "resume.json",
    ))
}

pub struct OpenGroup {
    pub label: String,
    pub open: bool,
    pub choices: Vec<Choice>,
}

/// Skill checkboxes by category; groups holding a choice start open.
pub fn open_groups(selected: &[String]) -> Vec<OpenGroup> {
    crate::view::skill_groups(selected)
        .into_iter()
        .map(|g| OpenGroup {
            open: g.choices.iter().any(|c| c.selected),
            label: g.label,
            choices: g.choices,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "student/profile.html")]
struct ProfilePage {
    layout: Layout,
    f: ProfileForm,
    percent: u8,
    missing: Vec<&'static str>,
    universities: Vec<Choice>,
    skill_groups: Vec<OpenGroup>,
    interests: Vec<Choice>,
    errors: FieldErrors,
    portfolio_public: bool,
    user_id: i64,
    /// Being found and invited: (discoverable, invitations, last changed).
    discoverable: bool,
    invitations: bool,
    reach_changed: Option<String>,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    f: ProfileForm,
    errors: FieldErrors,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Your profile", Some(user.user()), state.config.demo)
        .with_notice(notice)
        .at("/me/profile");
    layout.noindex = true;
    let err = |e: AppError| PageError(e, layout.clone());
    let saved = profiles::get(state, user.user()).await.map_err(err)?;
    let unis = state
        .store
        .universities()
        .await
        .map_err(|e| err(e.into()))?;
    let c = saved.completeness();
    let portfolio_public = state
        .store
        .portfolio_public(user.user().id)
        .await
        .map_err(|e| err(e.into()))?;
    let reach = crate::app::invitations::reach(state, user.user())
        .await
        .map_err(err)?;
    let zone = user.user().time_zone.clone();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&ProfilePage {
        percent: c.percent,
        missing: c.missing,
        universities: unis
            .iter()
            .map(|u| {
                Choice::new(
                    &u.id.to_string(),
                    &u.name,
                    f.university_id == u.id.to_string(),
                )
            })
            .collect(),
        skill_groups: open_groups(&f.skills),
        interests: CATEGORIES
            .iter()
            .map(|c| Choice::new(c.slug, c.name, f.interests.iter().any(|i| i == c.slug)))
            .collect(),
        errors,
        f,
        portfolio_public,
        user_id: user.user().id,
        discoverable: reach.discoverable,
        invitations: reach.invitations,
        reach_changed: reach
            .discoverable_changed_at
            .into_iter()
            .chain(reach.invitations_changed_at)
            .max()
            .map(|t| crate::view::moment(t, zone.as_deref())),
        layout,
    });
    *res.status_mut() = status;
    Ok(res)
}

fn to_form(p: &stint_domain::profile::StudentProfile) -> ProfileForm {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    ProfileForm {
        headline: s(&p.headline),
        university_id: p.university_id.map(|v| v.to_string()).unwrap_or_default(),
        area_of_study: s(&p.area_of_study),
        degree: s(&p.degree),
        graduation_year: p.graduation_year.map(|v| v.to_string()).unwrap_or_default(),
        skills: p.skills.clone(),
        coursework: s(&p.coursework),
        availability_hours: p
            .availability_hours
            .map(|v| v.to_string())
            .unwrap_or_default(),
        interests: p.interests.clone(),
        location: s(&p.location),
        time_zone: s(&p.time_zone),
        portfolio_url: s(&p.portfolio_url),
        linkedin_url: s(&p.linkedin_url),
        github_url: s(&p.github_url),
        bio: s(&p.bio),
    }
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Your profile", Some(user.user()), state.config.demo);
    let p = profiles::get(&state, user.user())
        .await
        .map_err(|e| PageError(e, layout))?;
    page(
        &state,
        &user,
        to_form(&p),
        FieldErrors::new(),
        n.notice.as_deref(),
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<ProfileForm>,
) -> Result<Response, PageError> {
    match profiles::save(&state, user.user(), &f).await {
        Ok(_) => Ok(Redirect::to("/me/profile?notice=profile_saved").into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &user, f, errors, None).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Your profile", Some(user.user()), state.config.demo),
        )),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ReachForm {
    discoverable: Option<String>,
    invitations: Option<String>,
}

async fn save_reach(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<ReachForm>,
) -> Result<Response, PageError> {
    let on = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty() && v != "false");
    crate::app::invitations::set_reach(
        &state,
        user.user(),
        on(&f.discoverable),
        on(&f.invitations),
    )
    .await
    .map_err(|e| {
        PageError(
            e,
            Layout::new("Your profile", Some(user.user()), state.config.demo),
        )
    })?;
    Ok(Redirect::to("/me/profile?notice=reach_saved#reach-h").into_response())
}

async fn decline_invitation(
    State(state): State<AppState>,
    user: PageUser,
    crate::form::PageId(id): crate::form::PageId,
) -> Result<Response, PageError> {
    let inv = crate::app::invitations::decline(&state, user.user(), id)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Invitation", Some(user.user()), state.config.demo),
            )
        })?;
    let notice = if inv.kind == "direct" {
        "direct_offer_declined"
    } else {
        "invitation_declined"
    };
    Ok(Redirect::to(&format!("/projects/{}?notice={notice}", inv.project_id)).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AcceptForm {
    message: String,
}

async fn accept_invitation(
    State(state): State<AppState>,
    user: PageUser,
    crate::form::PageId(id): crate::form::PageId,
    crate::form::HtmlForm(f): crate::form::HtmlForm<AcceptForm>,
) -> Result<Response, PageError> {
    let hire = crate::app::invitations::accept(&state, user.user(), id, &f.message)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Offer", Some(user.user()), state.config.demo),
            )
        })?;
    Ok(Redirect::to(&format!(
        "/engagements/{}?notice=direct_offer_accepted",
        hire.engagement.id
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "student/offers.html")]
struct OffersPage {
    layout: Layout,
    offers: Vec<super::talent::OfferRow>,
}

async fn offers_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Your offers", Some(user.user()), state.config.demo)
        .with_notice(n.notice.as_deref());
    layout.noindex = true;
    let list = crate::app::offers::mine(&state, user.user())
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let now = state.clock.now();
    Ok(render(&OffersPage {
        offers: list
            .into_iter()
            .map(|o| super::talent::OfferRow::new(o, now))
            .collect(),
        layout,
    }))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AnswerForm {
    action: String,
}

async fn answer_offer(
    State(state): State<AppState>,
    user: PageUser,
    crate::form::PageId(id): crate::form::PageId,
    HtmlForm(f): HtmlForm<AnswerForm>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Your offers", Some(user.user()), state.config.demo);
    if f.action.trim() == "withdraw" {
        return Err(PageError(
            AppError::Forbidden("Only the employer can withdraw an offer."),
            layout,
        ));
    }
    crate::app::offers::act(&state, user.user(), id, &f.action)
        .await
        .map_err(|e| PageError(e, layout))?;
    Ok(Redirect::to("/me/offers?notice=offer_answered").into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct OnProfileForm {
    on: String,
}

async fn offer_profile(
    State(state): State<AppState>,
    user: PageUser,
    crate::form::PageId(id): crate::form::PageId,
    HtmlForm(f): HtmlForm<OnProfileForm>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Your offers", Some(user.user()), state.config.demo);
    crate::app::offers::show_on_profile(&state, user.user(), id, f.on.trim() == "true")
        .await
        .map_err(|e| PageError(e, layout))?;
    Ok(Redirect::to("/me/offers?notice=offer_profile_saved").into_response())
}

//! The employer's talent pool at `/employer/talent`: the students who
//! completed work for the organization, were hired or shortlisted by it,
//! with the members' private tags and notes.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::application::ApplicationStatus;
use stint_domain::engagement::EngagementStatus;
use stint_domain::offer::{OfferForm, OfferKind, OfferStatus, PayBand, PayPeriod};
use stint_domain::talent::{
    FindForm, INVITATIONS_PER_DAY, InvitationStatus, PoolFilterForm, PoolReason,
};
use stint_domain::taxonomy::skill;
use stint_store::{PoolStudent, User};

use super::{PageError, render};
use crate::AppState;
use crate::app::invitations;
use crate::app::talent::{self, PoolEntry};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{self, Choice, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/talent", get(pool))
        .route("/employer/talent/find", get(find))
        .route("/employer/talent/invite", post(invite))
        .route("/employer/talent/offer-place", post(offer_place))
        .route(
            "/employer/invitations/{id}/withdraw",
            post(withdraw_direct_offer),
        )
        .route("/employer/talent/{id}", get(student))
        .route("/employer/talent/{id}/tags", post(set_tags))
        .route("/employer/talent/{id}/offers", post(make_offer))
        .route("/employer/offers/{id}/withdraw", post(withdraw_offer))
        .route("/employer/talent/{id}/notes", post(add_note))
        .route(
            "/employer/talent/{id}/notes/{note_id}/delete",
            post(delete_note),
        )
}

fn layout(state: &AppState, title: &str, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l.at("/employer/talent")
}

/// A skill's name, or its slug when the taxonomy no longer knows it.
fn skill_name(slug: &str) -> String {
    skill(slug).map_or_else(|| slug.to_string(), |s| s.name.to_string())
}

/// "4.7", one decimal.
fn rating_text(r: f64) -> String {
    format!("{r:.1}")
}

// --- the pool ---

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PoolQuery {
    skill: String,
    tag: String,
    min_rating: String,
    min_hours: String,
    university: String,
    reason: String,
    page: String,
    notice: Option<String>,
}

impl PoolQuery {
    fn form(&self) -> PoolFilterForm {
        PoolFilterForm {
            skill: self.skill.clone(),
            tag: self.tag.clone(),
            min_rating: self.min_rating.clone(),
            min_hours: self.min_hours.clone(),
            university: self.university.clone(),
            reason: self.reason.clone(),
        }
    }

    fn filtered(&self) -> bool {
        [
            &self.skill,
            &self.tag,
            &self.min_rating,
            &self.min_hours,
            &self.university,
            &self.reason,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    fn link(&self, page: i64) -> String {
        view::list_link(
            "/employer/talent",
            &[
                ("skill", self.skill.as_str()),
                ("tag", self.tag.as_str()),
                ("min_rating", self.min_rating.as_str()),
                ("min_hours", self.min_hours.as_str()),
                ("university", self.university.as_str()),
                ("reason", self.reason.as_str()),
            ],
            page,
        )
    }
}

/// A student as a card of the pool.
struct Card {
    id: i64,
    name: String,
    headline: String,
    reason: &'static str,
    university: Option<String>,
    location: Option<String>,
    hours: Option<i32>,
    completed: i64,
    rating: Option<String>,
    skills: Vec<String>,
    more_skills: usize,
    tags: Vec<String>,
    notes: i64,
}

/// Skills shown on a card before "and N more".
const CARD_SKILLS: usize = 5;

impl From<&PoolStudent> for Card {
    fn from(s: &PoolStudent) -> Self {
        Card {
            id: s.student_id,
            name: s.name.clone(),
            headline: s.headline.clone().unwrap_or_default(),
            reason: PoolReason::parse(&s.reason).map_or("Shortlisted", PoolReason::label),
            university: s.university.clone(),
            location: s.location.clone().filter(|l| !l.trim().is_empty()),
            hours: s.availability_hours,
            completed: s.completed,
            rating: s.rating.map(rating_text),
            skills: s
                .skills
                .iter()
                .take(CARD_SKILLS)
                .map(|k| skill_name(k))
                .collect(),
            more_skills: s.skills.len().saturating_sub(CARD_SKILLS),
            tags: s.tags.clone(),
            notes: s.notes,
        }
    }
}

#[derive(Template)]
#[template(path = "employer/talent.html")]
struct PoolPage {
    layout: Layout,
    org: String,
    skills: Vec<Choice>,
    tags: Vec<Choice>,
    ratings: Vec<Choice>,
    hours: Vec<Choice>,
    universities: Vec<Choice>,
    reasons: Vec<Choice>,
    cards: Vec<Card>,
    total: i64,
    filtered: bool,
    prev: Option<String>,
    next: Option<String>,
    errors: FieldErrors,
}

async fn pool(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PoolQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Talent pool", u, q.notice.as_deref());
    let err = |e: AppError| PageError(e, l.clone());
    let (list, errors) = match talent::pool(&state, u, &q.form(), &q.page).await {
        Ok(list) => (list, FieldErrors::new()),
        Err(AppError::Invalid(errors)) => {
            let all = talent::pool(&state, u, &PoolFilterForm::default(), "")
                .await
                .map_err(err)?;
            (all, errors)
        }
        Err(e) => return Err(err(e)),
    };
    let pick = |raw: &str, value: &str| raw.trim().eq_ignore_ascii_case(value);
    let failed = !errors.is_empty();
    let mut res = render(&PoolPage {
        org: list.org_name.clone(),
        skills: list
            .skills
            .iter()
            .map(|(slug, n)| {
                Choice::new(
                    slug,
                    &format!("{} ({n})", skill_name(slug)),
                    pick(&q.skill, slug),
                )
            })
            .collect(),
        tags: list
            .tags
            .iter()
            .map(|(tag, n)| Choice::new(tag, &format!("{tag} ({n})"), pick(&q.tag, tag)))
            .collect(),
        ratings: (3..=5)
            .rev()
            .map(|r| {
                let v = r.to_string();
                let label = if r == 5 {
                    "5 only".to_string()
                } else {
                    format!("{r} or more")
                };
                Choice::new(&v, &label, pick(&q.min_rating, &v))
            })
            .collect(),
        hours: [5, 10, 15, 20, 30]
            .iter()
            .map(|h| {
                let v = h.to_string();
                Choice::new(&v, &format!("{h} or more"), pick(&q.min_hours, &v))
            })
            .collect(),
        universities: list
            .universities
            .iter()
            .map(|(id, name)| {
                let v = id.to_string();
                Choice::new(&v, name, pick(&q.university, &v))
            })
            .collect(),
        reasons: [
            PoolReason::Completed,
            PoolReason::Hired,
            PoolReason::Shortlisted,
        ]
        .iter()
        .map(|r| Choice::new(r.as_str(), r.label(), pick(&q.reason, r.as_str())))
        .collect(),
        cards: list.students.iter().map(Card::from).collect(),
        total: list.total,
        filtered: q.filtered() && !failed,
        prev: (list.page > 1).then(|| q.link(list.page - 1)),
        next: list.more.then(|| q.link(list.page + 1)),
        errors,
        layout: l,
    });
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

// --- one student ---

struct WorkRow {
    project_id: i64,
    title: String,
    engagement_id: Option<i64>,
    status: &'static str,
    started: String,
    approved: Option<String>,
    rating: Option<String>,
}

struct NoteView {
    id: i64,
    author: String,
    mine: bool,
    when: String,
    blocks: Vec<view::Block>,
}

#[derive(Template)]
#[template(path = "employer/talent_student.html")]
struct StudentPage {
    layout: Layout,
    org: String,
    card: Card,
    skills: Vec<String>,
    added: String,
    work: Vec<WorkRow>,
    notes: Vec<NoteView>,
    tags_value: String,
    note_value: String,
    errors: FieldErrors,
    invite: InviteBox,
    portfolio_public: bool,
    /// Offers can be made: the student was hired or their work approved.
    can_offer: bool,
    offers: Vec<OfferRow>,
    offer: OfferForm,
    kinds: Vec<Choice>,
    currencies: Vec<Choice>,
    periods: Vec<Choice>,
}

/// An offer as a row of a list (the employer's or the student's).
pub(super) struct OfferRow {
    pub(super) id: i64,
    pub(super) org: String,
    pub(super) org_slug: String,
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) start: String,
    pub(super) pay: Option<String>,
    pub(super) message: String,
    pub(super) status: &'static str,
    pub(super) open: bool,
    pub(super) on_profile: bool,
    pub(super) when: String,
}

impl OfferRow {
    pub(super) fn new(o: stint_store::Offer, now: chrono::DateTime<chrono::Utc>) -> OfferRow {
        let currency = o.pay_currency.as_deref().and_then(|c| {
            stint_domain::money::Currency::ALL
                .into_iter()
                .find(|x| x.code() == c)
        });
        let period = o.pay_period.as_deref().and_then(PayPeriod::parse);
        let pay = match (o.pay_min_minor, o.pay_max_minor, currency, period) {
            (Some(min), Some(max), Some(cur), Some(period)) => Some(
                PayBand {
                    min: stint_domain::money::Money::new(min, cur),
                    max: stint_domain::money::Money::new(max, cur),
                    period,
                }
                .text(),
            ),
            _ => None,
        };
        let status = OfferStatus::parse(&o.status).unwrap_or(OfferStatus::Open);
        OfferRow {
            id: o.id,
            org: o.org_name,
            org_slug: o.org_slug,
            kind: OfferKind::parse(&o.kind).map_or("Role", OfferKind::label),
            title: o.title,
            start: view::date(&o.start_date),
            pay,
            message: o.message,
            status: status.label(),
            open: status == OfferStatus::Open,
            on_profile: o.on_profile,
            when: view::ago(now, o.created_at),
        }
    }
}

fn kind_choices(selected: &str) -> Vec<Choice> {
    OfferKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label(), k.as_str() == selected))
        .collect()
}

fn currency_choices(selected: &str) -> Vec<Choice> {
    stint_domain::money::Currency::ALL
        .iter()
        .map(|c| Choice::new(c.code(), c.code(), c.code() == selected))
        .collect()
}

fn period_choices(selected: &str) -> Vec<Choice> {
    PayPeriod::ALL
        .iter()
        .map(|p| Choice::new(p.as_str(), p.label(), p.as_str() == selected))
        .collect()
}

/// Inviting a pooled student back: the open projects not yet offered to
/// them, and the invitations sent.
struct InviteBox {
    projects: Vec<Choice>,
    /// Invite-only projects whose place can be offered directly; each value
    /// is "project id:total in minor units", so the total the employer saw
    /// travels with their choice.
    direct: Vec<Choice>,
    left_today: i64,
    takes_invitations: bool,
    sent: Vec<SentRow>,
}

/// An invitation or direct offer sent to the student.
struct SentRow {
    id: i64,
    project_id: i64,
    title: String,
    status: &'static str,
    direct: bool,
    /// A direct offer still unanswered: the organization may withdraw it.
    withdrawable: bool,
    when: String,
}

/// What a student page needs besides the entry: the values typed into a
/// form that failed, and its errors.
#[derive(Default)]
struct Typed {
    tags: Option<String>,
    note: String,
    offer: Option<OfferForm>,
    errors: FieldErrors,
}

async fn student_page(
    state: &AppState,
    u: &User,
    id: i64,
    notice: Option<&str>,
    typed: Typed,
) -> Result<Response, PageError> {
    let l = layout(state, "Talent pool", u, notice);
    let err = |e: AppError| PageError(e, l.clone());
    let PoolEntry {
        org_name,
        student,
        notes,
        work,
        portfolio_public,
    } = talent::student(state, u, id).await.map_err(err)?;
    let choices = invitations::choices_for(state, u, id).await.map_err(err)?;
    let offers = crate::app::offers::sent(state, u, Some(id))
        .await
        .map_err(err)?;
    let org_currency = offers
        .first()
        .and_then(|o| o.pay_currency.clone())
        .unwrap_or_else(|| "INR".into());
    let zone = u.time_zone.as_deref();
    let now = state.clock.now();
    let mut l = l.clone();
    l.title = format!("{} · Talent pool", student.name);
    let failed = !typed.errors.is_empty();
    let mut res = render(&StudentPage {
        org: org_name,
        skills: student.skills.iter().map(|k| skill_name(k)).collect(),
        added: view::moment(student.added_at, zone),
        work: work
            .into_iter()
            .map(|w| WorkRow {
                status: match w.engagement_id {
                    Some(_) => {
                        EngagementStatus::parse(&w.status).map_or("In progress", |s| s.label())
                    }
                    None => ApplicationStatus::parse(&w.status).map_or("Applied", |s| s.label()),
                },
                project_id: w.project_id,
                title: w.title,
                engagement_id: w.engagement_id,
                started: view::moment(w.started_at, zone),
                approved: w.approved_at.map(|a| view::moment(a, zone)),
                rating: w.rating.map(rating_text),
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| NoteView {
                id: n.id,
                author: n.author_name.unwrap_or_else(|| "A former member".into()),
                mine: n.author_id == Some(u.id),
                when: view::ago(now, n.created_at),
                blocks: view::blocks(&n.body),
            })
            .collect(),
        tags_value: typed.tags.unwrap_or_else(|| student.tags.join(", ")),
        note_value: typed.note,
        errors: typed.errors,
        portfolio_public,
        can_offer: student.reason != "shortlisted",
        offers: offers.into_iter().map(|o| OfferRow::new(o, now)).collect(),
        kinds: kind_choices(
            typed
                .offer
                .as_ref()
                .map_or("full_time", |f| f.kind.as_str()),
        ),
        currencies: currency_choices(
            typed
                .offer
                .as_ref()
                .map_or(org_currency.as_str(), |f| f.currency.as_str()),
        ),
        periods: period_choices(
            typed
                .offer
                .as_ref()
                .map_or("year", |f| f.pay_period.as_str()),
        ),
        offer: typed.offer.unwrap_or_default(),
        invite: InviteBox {
            projects: choices
                .projects
                .iter()
                .map(|(pid, title)| Choice::new(&pid.to_string(), title, false))
                .collect(),
            direct: choices
                .direct
                .iter()
                .map(|(pid, title, quote)| {
                    Choice::new(
                        &format!("{pid}:{}", quote.total.minor),
                        &format!(
                            "{title}: you pay {} ({} and fee {})",
                            quote.total, quote.price, quote.fee
                        ),
                        false,
                    )
                })
                .collect(),
            left_today: choices.left_today,
            takes_invitations: choices.takes_invitations,
            sent: choices
                .sent
                .into_iter()
                .map(|i| {
                    let direct = i.kind == "direct";
                    SentRow {
                        id: i.id,
                        project_id: i.project_id,
                        title: i.project_title,
                        status: InvitationStatus::parse(&i.status)
                            .map_or("Invited", |s| s.label(direct)),
                        direct,
                        withdrawable: direct && i.status == "sent",
                        when: view::ago(now, i.created_at),
                    }
                })
                .collect(),
        },
        card: Card::from(&student),
        layout: l,
    });
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StudentQuery {
    notice: Option<String>,
}

async fn student(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(q): Query<StudentQuery>,
) -> Result<Response, PageError> {
    student_page(
        &state,
        user.user(),
        id,
        q.notice.as_deref(),
        Typed::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TagsForm {
    tags: String,
}

async fn set_tags(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<TagsForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match talent::set_tags(&state, u, id, f.tags.split(',')).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/employer/talent/{id}?notice=talent_tags_saved"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                tags: Some(f.tags),
                errors,
                ..Typed::default()
            };
            student_page(&state, u, id, None, typed).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Talent pool", u, None))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    body: String,
}

async fn add_note(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<NoteForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match talent::add_note(&state, u, id, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/employer/talent/{id}?notice=talent_note_added#notes"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                note: f.body,
                errors,
                ..Typed::default()
            };
            student_page(&state, u, id, None, typed).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Talent pool", u, None))),
    }
}

async fn delete_note(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path((id, note_id)): axum::extract::Path<(String, String)>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Talent pool", u, None);
    let (Ok(id), Ok(note_id)) = (id.parse::<i64>(), note_id.parse::<i64>()) else {
        return Err(PageError(AppError::NotFound, l));
    };
    talent::delete_note(&state, u, id, note_id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!(
        "/employer/talent/{id}?notice=talent_note_deleted#notes"
    ))
    .into_response())
}

// --- offers ---

async fn make_offer(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<OfferForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match crate::app::offers::make(&state, u, id, &f).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/employer/talent/{id}?notice=offer_made#offers"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                offer: Some(f),
                errors,
                ..Typed::default()
            };
            student_page(&state, u, id, None, typed).await
        }
        Err(e) => Err(PageError(e, layout(&state, "Talent pool", u, None))),
    }
}

async fn withdraw_offer(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let o = crate::app::offers::act(&state, u, id, "withdraw")
        .await
        .map_err(|e| PageError(e, layout(&state, "Talent pool", u, None)))?;
    Ok(Redirect::to(&format!(
        "/employer/talent/{}?notice=offer_withdrawn#offers",
        o.student_id
    ))
    .into_response())
}

// --- finding and inviting ---

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindQuery {
    project: String,
    skill: String,
    field: String,
    university: String,
    min_hours: String,
    location: String,
    page: String,
    notice: Option<String>,
}

impl FindQuery {
    fn form(&self) -> FindForm {
        FindForm {
            skill: self.skill.clone(),
            field: self.field.clone(),
            university: self.university.clone(),
            min_hours: self.min_hours.clone(),
            location: self.location.clone(),
        }
    }

    fn link(&self, project: Option<i64>, page: usize) -> String {
        let project = project.map(|p| p.to_string()).unwrap_or_default();
        view::list_link(
            "/employer/talent/find",
            &[
                ("project", project.as_str()),
                ("skill", self.skill.as_str()),
                ("field", self.field.as_str()),
                ("university", self.university.as_str()),
                ("min_hours", self.min_hours.as_str()),
                ("location", self.location.as_str()),
            ],
            page,
        )
    }
}

/// A found student as a card with their match.
struct FoundCard {
    id: i64,
    name: String,
    headline: String,
    university: Option<String>,
    area: Option<String>,
    location: Option<String>,
    hours: Option<i32>,
    completed: i64,
    skills: Vec<String>,
    more_skills: usize,
    m: super::discovery::MatchView,
    /// The invitation to the chosen project, as a label, if sent.
    invited: Option<&'static str>,
    takes_invitations: bool,
}

#[derive(Template)]
#[template(path = "employer/talent_find.html")]
struct FindPage {
    layout: Layout,
    projects: Vec<Choice>,
    project_id: Option<i64>,
    project_title: String,
    skills: Vec<view::ChoiceGroup>,
    fields: Vec<Choice>,
    universities: Vec<Choice>,
    hours: Vec<Choice>,
    location: String,
    cards: Vec<FoundCard>,
    total: usize,
    filtered: bool,
    left_today: i64,
    per_day: i64,
    back: String,
    prev: Option<String>,
    next: Option<String>,
    errors: FieldErrors,
}

async fn find(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<FindQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Find students", u, q.notice.as_deref());
    let err = |e: AppError| PageError(e, l.clone());
    let (r, errors) = match invitations::find(&state, u, &q.form(), &q.project, &q.page).await {
        Ok(r) => (r, FieldErrors::new()),
        Err(AppError::Invalid(errors)) => {
            let r = invitations::find(&state, u, &FindForm::default(), "", "")
                .await
                .map_err(err)?;
            (r, errors)
        }
        Err(e) => return Err(err(e)),
    };
    let unis = state
        .store
        .universities()
        .await
        .map_err(|e| err(e.into()))?;
    let failed = !errors.is_empty();
    let project_id = r.project.as_ref().map(|p| p.id);
    let pick = |raw: &str, value: &str| !failed && raw.trim() == value;
    let selected_skill: Vec<String> = if failed {
        Vec::new()
    } else {
        r.filter.skill.iter().cloned().collect()
    };
    let filtered = !failed
        && [&q.skill, &q.field, &q.university, &q.min_hours, &q.location]
            .iter()
            .any(|v| !v.trim().is_empty());
    let back = q.link(project_id, r.page);
    let mut res = render(&FindPage {
        projects: r
            .projects
            .iter()
            .map(|(id, title)| Choice::new(&id.to_string(), title, project_id == Some(*id)))
            .collect(),
        project_id,
        project_title: r
            .project
            .as_ref()
            .map(|p| p.input.title.clone())
            .unwrap_or_default(),
        skills: view::skill_groups(&selected_skill),
        fields: stint_domain::taxonomy::CATEGORIES
            .iter()
            .map(|c| Choice::new(c.slug, c.name, pick(&q.field, c.slug)))
            .collect(),
        universities: unis
            .iter()
            .map(|o| {
                let v = o.id.to_string();
                Choice::new(&v, &o.name, pick(&q.university, &v))
            })
            .collect(),
        hours: [5, 10, 15, 20, 30]
            .iter()
            .map(|h| {
                let v = h.to_string();
                Choice::new(&v, &format!("{h} or more"), pick(&q.min_hours, &v))
            })
            .collect(),
        location: if failed {
            String::new()
        } else {
            q.location.trim().to_string()
        },
        cards: r
            .found
            .iter()
            .map(|f| {
                let s = &f.student;
                FoundCard {
                    id: s.student_id,
                    name: s.name.clone(),
                    headline: s.headline.clone().unwrap_or_default(),
                    university: s.university.clone(),
                    area: s.area_of_study.clone().filter(|a| !a.trim().is_empty()),
                    location: s.location.clone().filter(|l| !l.trim().is_empty()),
                    hours: s.availability_hours,
                    completed: s.completed,
                    skills: s
                        .skills
                        .iter()
                        .take(CARD_SKILLS)
                        .map(|k| skill_name(k))
                        .collect(),
                    more_skills: s.skills.len().saturating_sub(CARD_SKILLS),
                    m: super::discovery::MatchView::from(&f.m),
                    invited: f
                        .invited
                        .as_deref()
                        .and_then(InvitationStatus::parse)
                        .map(|s| s.label(false)),
                    takes_invitations: s.invitations,
                }
            })
            .collect(),
        total: r.total,
        filtered,
        left_today: r.left_today,
        per_day: INVITATIONS_PER_DAY,
        prev: (r.page > 1).then(|| q.link(project_id, r.page - 1)),
        next: r.more.then(|| q.link(project_id, r.page + 1)),
        back,
        errors,
        layout: l,
    });
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    project_id: String,
    student_id: String,
    note: String,
    /// Where to return: a page of the talent area.
    back: String,
}

/// `back` when it is a page of the talent area, else the pool, with the
/// notice that the invitation went.
fn talent_back(back: &str) -> String {
    let ok = back.starts_with("/employer/talent")
        && !back.contains("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    let base = if ok { back } else { "/employer/talent" };
    let (rest, fragment) = match base.split_once('#') {
        Some((r, f)) => (r, format!("#{f}")),
        None => (base, String::new()),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("notice="))
        .collect();
    pairs.push("notice=invitation_sent");
    format!("{path}?{}{fragment}", pairs.join("&"))
}

async fn invite(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<InviteForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Invite to apply", u, None);
    let (Ok(project_id), Ok(student_id)) = (
        f.project_id.trim().parse::<i64>(),
        f.student_id.trim().parse::<i64>(),
    ) else {
        return Err(PageError(
            AppError::invalid(
                "project_id",
                "Pick one of your projects open for applications.",
            ),
            l,
        ));
    };
    invitations::invite(&state, u, project_id, student_id, &f.note)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&talent_back(&f.back)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OfferPlaceForm {
    /// "project id:total in minor units", as the form offered it.
    project: String,
    student_id: String,
    note: String,
}

async fn offer_place(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<OfferPlaceForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Offer the place", u, None);
    let parsed = f
        .project
        .split_once(':')
        .and_then(|(p, t)| Some((p.trim().parse::<i64>().ok()?, t.trim().parse::<i64>().ok()?)));
    let (Some((project_id, total)), Ok(student_id)) = (parsed, f.student_id.trim().parse::<i64>())
    else {
        return Err(PageError(
            AppError::invalid("project", "Pick one of your invite-only projects."),
            l,
        ));
    };
    invitations::offer_place(&state, u, project_id, student_id, &f.note, Some(total))
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!(
        "/employer/talent/{student_id}?notice=direct_offer_sent#invite"
    ))
    .into_response())
}

async fn withdraw_direct_offer(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, "Withdraw the offer", u, None);
    let inv = invitations::withdraw(&state, u, id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!(
        "/employer/talent/{}?notice=direct_offer_withdrawn#invite",
        inv.student_id
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::talent_back;

    #[test]
    fn invitations_return_within_the_talent_area() {
        assert_eq!(
            talent_back("/employer/talent/find?project=3&notice=x&page=2"),
            "/employer/talent/find?project=3&page=2&notice=invitation_sent"
        );
        assert_eq!(
            talent_back("/employer/talent/7#invite"),
            "/employer/talent/7?notice=invitation_sent#invite"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/employer/talent//evil",
            "/me",
        ] {
            assert_eq!(talent_back(bad), "/employer/talent?notice=invitation_sent");
        }
    }
}

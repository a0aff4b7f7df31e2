//! Browsing, searching and reading projects.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::application::{ApplicationForm, ApplicationStatus};
use stint_domain::money::Currency;
use stint_domain::project::WorkMode;
use stint_domain::search::{SearchParams, encode_cursor};
use stint_domain::taxonomy::{SKILLS, category_name, skill_name};
use stint_store::{Project, ProjectCard};

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::api::views::SearchQuery;
use crate::auth::MaybeUser;
use crate::cache::Lookup;
use crate::error::AppError;
use crate::view::{Choice, Layout, category_choices, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(browse))
        .route("/projects/{id}", get(show))
        .route("/organizations/{slug}", get(organization))
}

/// A project as a listing shows it.
pub struct CardView {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub org_name: String,
    pub org_verified: bool,
    pub category_name: String,
    pub price: String,
    pub hourly: String,
    pub hours: u16,
    pub mode: &'static str,
    pub location: Option<String>,
    pub deadline: String,
    pub for_credit: bool,
    pub skills: Vec<String>,
    pub status: &'static str,
    /// The signed-in student's match, when there is one.
    pub m: Option<super::discovery::MatchView>,
    /// Offer a "compare" checkbox (for the form `compare-form`).
    pub compare: bool,
    /// The signed-in student applied already: their application's status.
    pub applied: Option<&'static str>,
}

impl From<&ProjectCard> for CardView {
    fn from(c: &ProjectCard) -> Self {
        CardView {
            id: c.id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            org_name: c.org_name.clone(),
            org_verified: c.org_verified,
            category_name: category_name(&c.category).to_string(),
            price: c.price.to_string(),
            hourly: c.price.per_hour(c.estimated_hours).to_string(),
            hours: c.estimated_hours,
            mode: c.work_mode.label(),
            location: c.location.clone(),
            deadline: date(&c.application_deadline),
            for_credit: c.for_credit,
            skills: c
                .required_skills
                .iter()
                .map(|s| skill_name(s).to_string())
                .collect(),
            status: c.status.label(),
            m: None,
            compare: false,
            applied: None,
        }
    }
}

#[derive(Template)]
#[template(path = "projects/browse.html")]
struct BrowsePage {
    layout: Layout,
    q: String,
    location: String,
    min_price: String,
    max_hours: String,
    max_days: String,
    for_credit: bool,
    categories: Vec<Choice>,
    skills: Vec<Choice>,
    modes: Vec<Choice>,
    currencies: Vec<Choice>,
    sorts: Vec<Choice>,
    cards: Vec<CardView>,
    total: i64,
    /// More match than were counted: show "1000+".
    total_capped: bool,
    errors: FieldErrors,
    prev_link: Option<String>,
    next_link: Option<String>,
    /// The current search as hidden fields, for "Save this search" (students).
    save_fields: Option<Vec<(&'static str, String)>>,
    describe: String,
    /// Refinements with counts: (heading, [(label, count, link, current)]).
    facets: Vec<FacetGroup>,
}

/// (label, count, link, current) for one facet value.
type FacetLink = (String, i64, String, bool);
/// A facet's heading and its values.
type FacetGroup = (&'static str, Vec<FacetLink>);

/// Facet links: each narrows the current search by one value.
fn facet_links(params: &SearchParams, f: &stint_store::Facets) -> Vec<FacetGroup> {
    let with = |set: &dyn Fn(&mut SearchParams)| {
        let mut p = params.clone();
        p.cursor.clear();
        set(&mut p);
        page_link(&p, None)
    };
    let mut out = Vec::new();
    out.push((
        "Category",
        f.categories
            .iter()
            .map(|(slug, n)| {
                let on = params.category.trim() == slug;
                (
                    category_name(slug).to_string(),
                    *n,
                    with(&|p| p.category = if on { String::new() } else { slug.clone() }),
                    on,
                )
            })
            .collect(),
    ));
    out.push((
        "Work mode",
        f.modes
            .iter()
            .map(|(m, n)| {
                let label = WorkMode::parse(m).map(|w| w.label()).unwrap_or("Other");
                let on = params.mode.trim() == m;
                (
                    label.to_string(),
                    *n,
                    with(&|p| p.mode = if on { String::new() } else { m.clone() }),
                    on,
                )
            })
            .collect(),
    ));
    if params.currency.trim().is_empty() {
        out.push((
            "Pay",
            f.price_from_usd
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(usd, n)| {
                    let on = params.min_price.trim() == usd.to_string();
                    (
                        format!("From about ${usd}"),
                        *n,
                        with(&|p| p.min_price = if on { String::new() } else { usd.to_string() }),
                        on,
                    )
                })
                .collect(),
        ));
    }
    out.push((
        "Hours",
        f.hours_up_to
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(h, n)| {
                let on = params.max_hours.trim() == h.to_string();
                (
                    format!("Up to {h} hours"),
                    *n,
                    with(&|p| p.max_hours = if on { String::new() } else { h.to_string() }),
                    on,
                )
            })
            .collect(),
    ));
    if f.for_credit > 0 {
        let on = matches!(params.for_credit.trim(), "true" | "1" | "on" | "yes");
        out.push((
            "Credit",
            vec![(
                "For academic credit".to_string(),
                f.for_credit,
                with(&|p| p.for_credit = if on { String::new() } else { "true".into() }),
                on,
            )],
        ));
    }
    out.retain(|(_, v)| !v.is_empty());
    out
}

/// A link to the same search at another page.
fn page_link(params: &SearchParams, offset: Option<u32>) -> String {
    let mut pairs = params.pairs();
    if !params.limit.trim().is_empty() {
        pairs.push(("limit", params.limit.trim().to_string()));
    }
    if let Some(o) = offset.filter(|o| *o > 0) {
        pairs.push(("cursor", encode_cursor(o)));
    }
    format!(
        "/projects?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// The same query parameters as `GET /api/v1/projects`.
async fn browse(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(sq): Query<SearchQuery>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, PageError> {
    // Everyone signed out sees the same page for the same query, and
    // concurrent misses for it are rendered once.
    let Some(key) = user.user().is_none().then(|| raw.unwrap_or_default()) else {
        return browse_page(&state, &user, sq).await;
    };
    let flight = match state.page_cache.lookup(&key) {
        Lookup::Hit(html) => return Ok(html_response(html)),
        Lookup::Wait(w) => match w.page().await {
            Some(html) => return Ok(html_response(html)),
            None => None,
        },
        Lookup::Render(f) => Some(f),
    };
    let res = browse_page(&state, &user, sq).await?;
    match flight {
        Some(flight) if res.status() == axum::http::StatusCode::OK => {
            let (parts, body) = res.into_parts();
            let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
                .await
                .unwrap_or_default();
            flight.done(bytes.clone());
            Ok(Response::from_parts(parts, axum::body::Body::from(bytes)))
        }
        _ => Ok(res),
    }
}

fn html_response(html: axum::body::Bytes) -> Response {
    axum::response::Html(html).into_response()
}

async fn browse_page(
    state: &AppState,
    user: &MaybeUser,
    sq: SearchQuery,
) -> Result<Response, PageError> {
    let state = state.clone();
    let layout = Layout::new("Find projects", user.user(), state.config.demo).at("/projects");
    let params = sq.to_params();
    // Bad filters are shown, not fatal: the page falls back to all projects.
    let (query, errors) = match params.parse() {
        Ok(q) => (q, FieldErrors::new()),
        Err(e) => (SearchParams::default().parse().unwrap_or_default(), e),
    };
    let (results, facets) = crate::app::projects::search_with_facets(&state, user.user(), &query)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let page = &results.page;
    let sel = |v: &str, cur: &str| v == cur;
    // For a student, relevance is refined by their match.
    let is_student = user
        .user()
        .is_some_and(|u| u.role == stint_domain::account::Role::Student);
    let applied = match user.user() {
        Some(u) if is_student => state
            .store
            .student_applied(u.id)
            .await
            .map_err(|e| PageError(e.into(), layout.clone()))?,
        _ => Vec::new(),
    };
    Ok(render(&BrowsePage {
        q: params.q.clone(),
        location: params.location.clone(),
        min_price: params.min_price.clone(),
        max_hours: params.max_hours.clone(),
        max_days: params.max_days.clone(),
        for_credit: query.for_credit,
        categories: category_choices(&params.category),
        skills: SKILLS
            .iter()
            .map(|s| Choice::new(s.slug, s.name, sel(s.slug, &params.skill)))
            .collect(),
        modes: WorkMode::ALL
            .iter()
            .map(|m| Choice::new(m.as_str(), m.label(), sel(m.as_str(), &params.mode)))
            .collect(),
        currencies: Currency::ALL
            .iter()
            .map(|c| {
                Choice::new(
                    c.code(),
                    c.code(),
                    c.code().eq_ignore_ascii_case(params.currency.trim()),
                )
            })
            .collect(),
        sorts: [
            (
                "relevance",
                if is_student {
                    "Best match"
                } else {
                    "Most relevant"
                },
            ),
            ("newest", "Newest"),
            ("price", "Highest pay"),
            ("deadline", "Closing soon"),
        ]
        .iter()
        .map(|(v, l)| Choice::new(v, l, query.sort.as_str() == *v))
        .collect(),
        cards: page
            .items
            .iter()
            .map(|c| {
                let mut card =
                    super::discovery::with_match(CardView::from(c), results.match_of(c.id));
                card.applied = applied
                    .iter()
                    .find(|(p, _, _)| *p == c.id)
                    .and_then(|(_, status, _)| ApplicationStatus::parse(status))
                    .map(ApplicationStatus::label);
                card
            })
            .collect(),
        total: page.total,
        total_capped: page.total_capped,
        errors,
        prev_link: (query.offset > 0)
            .then(|| page_link(&params, Some(query.offset.saturating_sub(query.limit)))),
        next_link: page.next_offset.map(|o| page_link(&params, Some(o))),
        save_fields: user
            .user()
            .filter(|u| u.role == stint_domain::account::Role::Student)
            .map(|_| params.pairs()),
        describe: params.describe(),
        facets: facet_links(&params, &facets),
        layout,
    }))
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    layout: Layout,
    /// What happens to the money if the employer cancels.
    cancel_rule: String,
    p: Project,
    status: &'static str,
    status_label: &'static str,
    category_name: String,
    price: String,
    hourly: String,
    start: String,
    due: String,
    deadline: String,
    decision_by: String,
    mode: &'static str,
    required: Vec<String>,
    preferred: Vec<String>,
    can_manage: bool,
    json_ld: Option<String>,
    apply: Option<ApplyBox>,
    record: Vec<String>,
    /// The signed-in student's match and its reasons.
    m: Option<super::discovery::MatchView>,
    /// For career staff: whether their university features it.
    featuring: Option<bool>,
    /// For the employer, while a draft: the universities it can be
    /// arranged with (the current one selected).
    arrange: Option<Vec<crate::view::Choice>>,
    /// The signed-in student's invitation to apply, if they have one.
    invitation: Option<InviteBanner>,
}

/// An invitation to apply, on the project page of the student it names.
struct InviteBanner {
    id: i64,
    org: String,
    sender: Option<String>,
    note: String,
    /// sent | applied | declined (withdrawn ones hide the project)
    status: String,
    when: String,
    /// A direct offer of the place, not an invitation to apply.
    direct: bool,
}

/// The apply box on a project page (and the state of the apply page), in
/// whichever state fits the viewer.
pub struct ApplyBox {
    pub(super) signed_in: bool,
    pub(super) is_student: bool,
    /// When and in which state the viewer already applied.
    pub(super) existing: Option<(String, &'static str)>,
    pub(super) closed: Option<String>,
    pub(super) matched: Vec<String>,
    pub(super) missing: Vec<String>,
    pub(super) required_count: usize,
    pub(super) form: ApplicationForm,
    pub(super) errors: FieldErrors,
}

impl ApplyBox {
    pub(super) fn link(&self, i: &usize) -> &str {
        self.form.links.get(*i).map(String::as_str).unwrap_or("")
    }

    /// The student can send an application now.
    pub(super) fn open(&self) -> bool {
        self.is_student && self.existing.is_none() && self.closed.is_none()
    }
}

/// schema.org JobPosting, so search engines list the project, written with
/// [`crate::view::inline_json`] so no text in it can end or comment out its
/// script element.
///
/// The pay is given per hour (the effective rate of the fixed price), as
/// schema.org's `unitText` allows only HOUR, DAY, WEEK, MONTH or YEAR; a
/// remote project names the organization's country as where applicants may
/// be, which remote postings require.
fn job_posting(p: &Project, country: &str, base_url: &str) -> String {
    let i = &p.input;
    let hourly = i.effective_hourly();
    let price = format!("{}.{:02}", hourly.minor / 100, hourly.minor % 100);
    let mut v = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": i.title,
        "description": format!("{}\n\n{}", i.summary, i.brief),
        "datePosted": p.published_at.map(|d| d.date_naive().to_string()),
        "validThrough": i.application_deadline.to_string(),
        "employmentType": ["CONTRACTOR", "INTERN"],
        "hiringOrganization": { "@type": "Organization", "name": p.org_name },
        "baseSalary": { "@type": "MonetaryAmount", "currency": i.price.currency.code(),
            "value": { "@type": "QuantitativeValue", "value": price, "unitText": "HOUR" } },
        "skills": i.required_skills.iter().map(|s| skill_name(s)).collect::<Vec<_>>(),
        "url": format!("{base_url}/projects/{}", p.id),
    });
    if i.work_mode == WorkMode::Remote {
        v["jobLocationType"] = "TELECOMMUTE".into();
        v["applicantLocationRequirements"] =
            serde_json::json!({ "@type": "Country", "name": country });
    } else if let Some(l) = &i.location {
        v["jobLocation"] = serde_json::json!({ "@type": "Place", "address": l });
    }
    crate::view::inline_json(&v)
}

async fn show(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(id): Path<String>,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let layout =
        Layout::new("Project", user.user(), state.config.demo).with_notice(n.notice.as_deref());
    let id: i64 = id
        .parse()
        .map_err(|_| PageError(AppError::NotFound, layout.clone()))?;
    show_page(&state, user.user(), id, layout).await
}

pub(super) async fn apply_box(
    state: &AppState,
    viewer: Option<&stint_store::User>,
    p: &Project,
    form: ApplicationForm,
    errors: FieldErrors,
) -> Result<ApplyBox, AppError> {
    let mut b = ApplyBox {
        signed_in: viewer.is_some(),
        is_student: viewer.is_some_and(|u| u.role == Role::Student),
        existing: None,
        closed: crate::app::applications::closed_reason(state, p),
        matched: Vec::new(),
        missing: Vec::new(),
        required_count: p.input.required_skills.len(),
        form,
        errors,
    };
    if let Some(u) = viewer.filter(|u| u.role == Role::Student) {
        if let Some(a) = state.store.application_of(p.id, u.id).await? {
            b.existing = Some((date(&a.created_at.date_naive()), a.status.label()));
        }
        let m = crate::app::applications::preview_match(state, u, p).await?;
        b.matched = m
            .matched
            .iter()
            .map(|s| skill_name(s).to_string())
            .collect();
        b.missing = m
            .missing
            .iter()
            .map(|s| skill_name(s).to_string())
            .collect();
    }
    Ok(b)
}

async fn show_page(
    state: &AppState,
    viewer: Option<&stint_store::User>,
    id: i64,
    layout: Layout,
) -> Result<Response, PageError> {
    let p = crate::app::projects::get(state, viewer, id)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let can_manage = match viewer {
        Some(u) => crate::auth::authz::require_project_member(&state.store, u, id)
            .await
            .is_ok(),
        None => false,
    };
    // A view for the employer's analytics, from anyone outside it.
    if !can_manage && p.status != stint_domain::project::ProjectStatus::Draft {
        state.views.record(p.id, state.clock.today());
    }
    let invitation = match viewer {
        Some(u) => crate::app::invitations::to_project(state, u, p.id)
            .await
            .map_err(|e| PageError(e, layout.clone()))?
            .map(|inv| InviteBanner {
                id: inv.id,
                direct: inv.kind == "direct",
                org: inv.org_name,
                sender: inv.sender_name,
                note: inv.note,
                status: inv.status,
                when: crate::view::ago(state.clock.now(), inv.created_at),
            }),
        None => None,
    };
    // A direct offer is answered in its own box, not applied to.
    let apply = if can_manage
        || p.status == stint_domain::project::ProjectStatus::Draft
        || invitation.as_ref().is_some_and(|i| i.direct)
    {
        None
    } else {
        Some(
            apply_box(
                state,
                viewer,
                &p,
                ApplicationForm::default(),
                FieldErrors::new(),
            )
            .await
            .map_err(|e| PageError(e, layout.clone()))?,
        )
    };
    let org = state
        .store
        .org(p.org_id)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    let profile = crate::app::orgs::profile(state, org)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let mut record =
        crate::view::record_lines(&profile.record, profile.ratings, profile.reviews.len());
    record.extend(crate::view::offers_line(profile.offers));
    let m = crate::app::matching::explain(state, viewer, &p)
        .await
        .map_err(|e| PageError(e, layout.clone()))?
        .map(|m| super::discovery::MatchView::from(&m));
    let featuring = match viewer {
        // A project arranged with a university is on its pages already.
        Some(u) if p.is_public() => crate::app::universities::featuring(state, u, p.id)
            .await
            .map_err(|e| PageError(e, layout.clone()))?,
        _ => None,
    };
    let arrange = if can_manage && p.status == stint_domain::project::ProjectStatus::Draft {
        let current = p.restricted_to.as_ref().map(|r| r.university_id);
        Some(
            crate::app::projects::universities_to_arrange_with(state)
                .await
                .map_err(|e| PageError(e, layout.clone()))?
                .iter()
                .map(|o| crate::view::Choice::new(&o.slug, &o.name, current == Some(o.id)))
                .collect(),
        )
    } else {
        None
    };
    let i = &p.input;
    let mut layout = layout;
    layout.title = i.title.clone();
    // Only what anyone may see goes to search engines.
    let public = p.is_public();
    layout.noindex = layout.noindex || !public;
    Ok(render(&ShowPage {
        featuring,
        arrange,
        invitation,
        cancel_rule: crate::app::money::cancellation_rule(state),
        status: p.status.as_str(),
        status_label: p.status.label(),
        category_name: category_name(&i.category).to_string(),
        price: i.price.to_string(),
        hourly: i.effective_hourly().to_string(),
        start: date(&i.start_date),
        due: date(&i.due_date),
        deadline: date(&i.application_deadline),
        decision_by: date(&i.decision_by),
        mode: i.work_mode.label(),
        required: i
            .required_skills
            .iter()
            .map(|s| skill_name(s).to_string())
            .collect(),
        preferred: i
            .preferred_skills
            .iter()
            .map(|s| skill_name(s).to_string())
            .collect(),
        can_manage,
        json_ld: public.then(|| job_posting(&p, &profile.org.country, &state.config.base_url)),
        apply,
        record,
        m,
        layout,
        p,
    }))
}

#[derive(Template)]
#[template(path = "org/profile.html")]
struct OrgPage {
    layout: Layout,
    name: String,
    verified: bool,
    country: String,
    website: Option<String>,
    description: String,
    record: Vec<String>,
    /// (ratings line, text, author)
    reviews: Vec<(String, String, String)>,
    projects: Vec<CardView>,
}

async fn organization(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Organization", user.user(), state.config.demo);
    let org = state
        .store
        .org_by_slug(&slug)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    if org.kind != stint_domain::organization::OrgKind::Employer {
        return Err(PageError(AppError::NotFound, layout));
    }
    let p = crate::app::orgs::profile(&state, org)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let open = state
        .store
        .org_projects(p.org.id)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    let mut layout = layout;
    layout.title = p.org.name.clone();
    Ok(render(&OrgPage {
        record: crate::view::record_lines(&p.record, p.ratings, p.reviews.len())
            .into_iter()
            .chain(crate::view::offers_line(p.offers))
            .collect(),
        reviews: p
            .reviews
            .iter()
            .map(|r| {
                let labels = r.direction.criteria();
                let line = labels
                    .iter()
                    .zip(r.ratings)
                    .map(|(l, v)| format!("{l}: {v}/5"))
                    .collect::<Vec<_>>()
                    .join(" · ");
                (line, r.body.clone(), r.author_name.clone())
            })
            .collect(),
        projects: open
            .iter()
            // Projects arranged with a university are on its pages only;
            // invite-only ones are for the invited students only.
            .filter(|c| {
                c.status == stint_domain::project::ProjectStatus::Open
                    && !c.restricted
                    && !c.invite_only
            })
            .map(CardView::from)
            .collect(),
        name: p.org.name.clone(),
        verified: p.org.verified,
        country: p.org.country.clone(),
        website: p.org.website.clone(),
        description: p.org.description.clone(),
        layout,
    }))
}

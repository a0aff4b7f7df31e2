//! The workspace page and the student's "My work" page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::engagement::EngagementStatus;
use stint_domain::money::{Currency, Money};

use super::{PageError, render};
use crate::app::engagements::{self as eng, Side};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};
use crate::{AppState, PaymentProvider};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}", get(show))
        .route("/engagements/{id}/messages", post(message))
        .route("/engagements/{id}/submissions", post(submit))
        .route("/engagements/{id}/files/{file_id}", get(download))
        .route("/engagements/{id}/request-revision", post(revise))
        .route("/engagements/{id}/reviews", post(review))
        .route("/engagements/{id}/dispute", post(dispute))
        .route("/achievements/{id}", post(edit_achievement))
        .route("/achievements/{id}/confirm", post(confirm_achievement))
        .route("/students/{id}/portfolio", get(portfolio))
        .route("/me/portfolio", post(portfolio_visibility))
        .route("/me/work", get(mine))
}

fn layout(state: &AppState, title: &str, user: &PageUser, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user.user()), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

struct MessageRow {
    author: String,
    kind: &'static str,
    when: String,
    body: String,
}

struct SubmissionRow {
    version: i32,
    when: String,
    note: String,
    links: Vec<String>,
    /// (id, name, size in words)
    files: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "engagement/workspace.html")]
struct WorkspacePage {
    layout: Layout,
    id: i64,
    project_id: i64,
    title: String,
    org_name: String,
    student_name: String,
    status: &'static str,
    price: String,
    due: String,
    time_left: Option<String>,
    money_state: &'static str,
    deliverables: String,
    criteria: String,
    messages: Vec<MessageRow>,
    /// Link to the messages before those shown, when there are any.
    earlier: Option<String>,
    /// Showing an earlier page of the thread, not the newest messages.
    paged: bool,
    submissions: Vec<SubmissionRow>,
    is_student: bool,
    open: bool,
    can_submit: bool,
    can_decide: bool,
    can_cancel: bool,
    /// Where the escrow would go if the viewer cancelled now.
    cancel_rule: String,
    can_dispute: bool,
    sandbox_note: Option<&'static str>,
    /// The student has not said where to be paid.
    payout_missing: bool,
    /// Stripe: the employer still has this much to pay.
    pay_total: Option<String>,
    /// `accept` for the file input: ".pdf,.png,…".
    accept: String,
    upload_rules: String,
    back_link: &'static str,
    back_label: &'static str,
    errors: FieldErrors,
    /// What the student typed into the submission form, kept after an error.
    draft_note: String,
    /// Always three link inputs, prefilled from the draft.
    draft_links: Vec<String>,
    reviews: Option<ReviewsBox>,
    review_errors: FieldErrors,
    achievement: Option<AchievementBox>,
    achievement_errors: FieldErrors,
}

struct AchievementBox {
    id: i64,
    summary: String,
    outcomes: Vec<String>,
    outcomes_text: String,
    confirmed: bool,
    can_edit: bool,
    can_confirm: bool,
    /// The public id of its credential in force.
    credential: Option<String>,
}

struct ReviewRow {
    author: String,
    ratings: String,
    body: String,
    recommendation: Option<String>,
}

struct ReviewsBox {
    mine: Option<ReviewRow>,
    theirs: Option<ReviewRow>,
    theirs_in: bool,
    can_write: bool,
    closes: Option<String>,
    /// (field number, label) for each rating.
    criteria: Vec<(usize, &'static str)>,
}

fn review_row(r: &stint_store::Review) -> ReviewRow {
    let labels = r.direction.criteria();
    ReviewRow {
        author: r.author_name.clone(),
        ratings: labels
            .iter()
            .zip(r.ratings)
            .map(|(l, v)| format!("{l}: {v}/5"))
            .collect::<Vec<_>>()
            .join(" · "),
        body: r.body.clone(),
        recommendation: r.recommendation.clone(),
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "question" => "question",
        "update" => "progress update",
        "feedback" => "revision feedback",
        "system" => "notice",
        _ => "message",
    }
}

async fn page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    notice: Option<&str>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    page_with_draft(state, user, id, notice, errors, None, "").await
}

async fn page_with_draft(
    state: &AppState,
    user: &PageUser,
    id: i64,
    notice: Option<&str>,
    errors: FieldErrors,
    draft: Option<&stint_domain::engagement::SubmissionForm>,
    before: &str,
) -> Result<Response, PageError> {
    let l = layout(state, "Workspace", user, notice);
    // A stale or mangled link to earlier messages shows the newest ones.
    let before = if stint_domain::engagement::parse_thread_cursor(before).is_ok() {
        before
    } else {
        ""
    };
    let w = eng::get(state, user.user(), id, before)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let reviews = if matches!(
        w.engagement.status,
        EngagementStatus::Approved | EngagementStatus::Paid
    ) {
        let r = crate::app::reviews::get(state, user.user(), id)
            .await
            .map_err(|e| PageError(e, l.clone()))?;
        Some(ReviewsBox {
            mine: r.mine.as_ref().map(review_row),
            theirs: r.theirs.as_ref().map(review_row),
            theirs_in: r.theirs_in,
            can_write: r.can_write,
            closes: r.closes.map(|c| date(&c.date_naive())),
            criteria: r
                .direction
                .criteria()
                .iter()
                .enumerate()
                .map(|(i, c)| (i + 1, *c))
                .collect(),
        })
    } else {
        None
    };
    let found = state
        .store
        .achievement_for(id)
        .await
        .map_err(|e| PageError(e.into(), l.clone()))?;
    let credential = match &found {
        Some(a) if a.confirmed => state
            .store
            .current_credential(a.id)
            .await
            .map_err(|e| PageError(e.into(), l.clone()))?
            .map(|c| c.public_id),
        _ => None,
    };
    let achievement = found.map(|a| {
        let lines: Vec<String> = a.outcomes.iter().map(|o| o.line()).collect();
        AchievementBox {
            id: a.id,
            can_edit: w.side == Side::Student,
            can_confirm: w.side == Side::Employer && !a.confirmed && !lines.is_empty(),
            summary: a.summary,
            outcomes_text: lines.join("\n"),
            outcomes: lines,
            confirmed: a.confirmed,
            credential: credential.clone(),
        }
    });
    let achievement_errors = FieldErrors(
        errors
            .0
            .iter()
            .filter(|e| e.field == "summary" || e.field == "outcomes")
            .cloned()
            .collect(),
    );
    let review_errors = FieldErrors(
        errors
            .0
            .iter()
            .filter(|e| {
                e.field.starts_with("rating") || e.field == "text" || e.field == "recommendation"
            })
            .cloned()
            .collect(),
    );
    let e = &w.engagement;
    let days = (e.due_date - state.clock.today()).num_days();
    let time_left = match days {
        d if d < 0 => format!("{} days overdue", -d),
        0 => "due today".into(),
        1 => "1 day left".into(),
        d => format!("{d} days left"),
    };
    let is_student = w.side == Side::Student;
    let open = !matches!(
        e.status,
        EngagementStatus::Paid | EngagementStatus::Cancelled
    );
    let failed = !errors.is_empty();
    let mut layout = l;
    layout.title = w.project.input.title.clone();
    let mut res = render(&WorkspacePage {
        id,
        project_id: w.project.id,
        title: w.project.input.title.clone(),
        org_name: w.project.org_name.clone(),
        student_name: w.student_name.clone(),
        status: e.status.label(),
        price: e.price.to_string(),
        due: date(&e.due_date),
        time_left: matches!(
            e.status,
            EngagementStatus::Active | EngagementStatus::RevisionRequested
        )
        .then_some(time_left),
        money_state: match e.status {
            EngagementStatus::Approved => "released to the student",
            EngagementStatus::Paid => "paid out",
            EngagementStatus::Cancelled => "refunded to the employer",
            _ if w.awaiting_deposit => "owed into escrow: awaiting the employer's payment",
            _ => "secured in escrow",
        },
        deliverables: w.project.input.deliverables.clone(),
        criteria: w.project.input.acceptance_criteria.clone(),
        messages: w
            .messages
            .iter()
            .map(|m| MessageRow {
                author: m.author_name.clone(),
                kind: kind_label(&m.kind),
                when: crate::view::moment(m.created_at, user.user().time_zone.as_deref()),
                body: m.body.clone(),
            })
            .collect(),
        earlier: w.earlier.clone(),
        paged: !before.is_empty(),
        submissions: w
            .submissions
            .iter()
            .map(|s| SubmissionRow {
                version: s.version,
                when: date(&s.created_at.date_naive()),
                note: s.note.clone(),
                links: s.links.clone(),
                files: s
                    .files
                    .iter()
                    .map(|f| {
                        let size = usize::try_from(f.size_bytes).unwrap_or(0);
                        (f.id, f.name.clone(), stint_domain::upload::human_size(size))
                    })
                    .collect(),
            })
            .collect(),
        is_student,
        open,
        can_submit: is_student
            && matches!(
                e.status,
                EngagementStatus::Active | EngagementStatus::RevisionRequested
            ),
        can_decide: !is_student && e.status == EngagementStatus::Submitted,
        can_cancel: e.status == EngagementStatus::Active,
        cancel_rule: cancel_rule(state, &w),
        can_dispute: matches!(
            e.status,
            EngagementStatus::Submitted | EngagementStatus::RevisionRequested
        ),
        payout_missing: w.payout_missing,
        pay_total: (state.config.payment_provider == PaymentProvider::Stripe
            && !is_student
            && w.awaiting_deposit)
            .then(|| stint_domain::money::Money::new(w.deposit_due, e.price.currency).to_string()),
        sandbox_note: (state.config.payment_provider == PaymentProvider::Sandbox)
            .then_some("Sandbox payments: money movements here are simulated and confirm at once."),
        accept: stint_domain::upload::accepted_extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(","),
        upload_rules: format!(
            "Up to {} files, {} each and {} in all: PDF, images, Office and OpenDocument files, ZIP, CSV, text, Markdown or JSON.",
            stint_domain::upload::MAX_FILES,
            stint_domain::upload::human_size(stint_domain::upload::MAX_FILE_BYTES),
            stint_domain::upload::human_size(stint_domain::upload::MAX_TOTAL_BYTES)
        ),
        back_link: if is_student { "/me/work" } else { "/employer" },
        back_label: if is_student { "Your work" } else { "Dashboard" },
        errors,
        draft_note: draft.map(|d| d.note.clone()).unwrap_or_default(),
        draft_links: {
            let mut links: Vec<String> = draft
                .map(|d| d.links.iter().take(3).cloned().collect())
                .unwrap_or_default();
            links.resize(3, String::new());
            links
        },
        reviews,
        review_errors,
        achievement,
        achievement_errors,
        layout,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(q): Query<WorkspaceQuery>,
) -> Result<Response, PageError> {
    page_with_draft(
        &state,
        &user,
        id,
        q.notice.as_deref(),
        FieldErrors::new(),
        None,
        q.before.as_deref().unwrap_or(""),
    )
    .await
}

#[derive(Debug, serde::Deserialize)]
struct WorkspaceQuery {
    notice: Option<String>,
    /// Show the thread's messages before this cursor.
    before: Option<String>,
}

/// After an action: back to the workspace, or the form again with its errors.
async fn after<T>(
    state: &AppState,
    user: &PageUser,
    id: i64,
    r: Result<T, AppError>,
    notice: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/engagements/{id}?notice={notice}")).into_response()),
        Err(AppError::Invalid(errors)) => page(state, user, id, None, errors).await,
        Err(e) => Err(PageError(e, layout(state, "Workspace", user, None))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MessageForm {
    kind: String,
    body: String,
}

async fn message(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, PageError> {
    let r = eng::post_message(&state, user.user(), id, &f.kind, &f.body).await;
    after(&state, &user, id, r, "posted").await
}

async fn submit(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let u = match crate::upload::read_submission_body(req, &state).await {
        Ok(u) => u,
        Err(e) => return after(&state, &user, id, Err::<(), _>(e), "submitted").await,
    };
    match eng::submit(&state, user.user(), id, &u.form, &u.files).await {
        // Keep what was typed; files must be chosen again (browsers drop them).
        Err(AppError::Invalid(errors)) => {
            page_with_draft(&state, &user, id, None, errors, Some(&u.form), "").await
        }
        r => after(&state, &user, id, r, "submitted").await,
    }
}

/// A delivered file, for the two sides of the engagement.
async fn download(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path((id, file_id)): axum::extract::Path<(String, String)>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Workspace", &user, None);
    let (Ok(id), Ok(file_id)) = (id.parse::<i64>(), file_id.parse::<i64>()) else {
        return Err(PageError(AppError::NotFound, l));
    };
    let (f, bytes) = eng::file(&state, user.user(), id, file_id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(crate::upload::download(&f, bytes))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FeedbackForm {
    feedback: String,
}

async fn revise(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<FeedbackForm>,
) -> Result<Response, PageError> {
    let r = eng::request_revision(&state, user.user(), id, &f.feedback).await;
    after(&state, &user, id, r, "revision_requested").await
}

async fn review(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<stint_domain::review::ReviewForm>,
) -> Result<Response, PageError> {
    let r = crate::app::reviews::write(&state, user.user(), id, &f).await;
    after(&state, &user, id, r, "reviewed").await
}

async fn dispute(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<CancelForm>,
) -> Result<Response, PageError> {
    let r = eng::dispute(&state, user.user(), id, &f.reason).await;
    after(&state, &user, id, r, "disputed").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CancelForm {
    pub(super) reason: String,
}

/// The cancel box's sentence: what cancelling now would do to the money.
fn cancel_rule(state: &AppState, w: &eng::Workspace) -> String {
    let q = crate::app::money::engagement_quote(
        state,
        &w.engagement,
        w.side,
        w.project.input.start_date,
    );
    match q.on_cancellation {
        Some(s) if s.to_student.minor > 0 => format!(
            "Possible until work is submitted. The work has started: {} keeps {} and {} is refunded.",
            w.student_name, s.to_student, s.refund
        ),
        Some(s) => format!(
            "Possible until work is submitted. {} would be refunded to the employer.",
            s.refund
        ),
        None => String::new(),
    }
}

struct WorkRow {
    id: i64,
    title: String,
    price: String,
    due: String,
    status: &'static str,
}

struct EarningsRow {
    currency: String,
    pending: String,
    released: String,
    paid_out: String,
}

#[derive(Template)]
#[template(path = "engagement/mine.html")]
struct MinePage {
    layout: Layout,
    /// Where the student is paid, masked.
    payout: Option<String>,
    rows: Vec<WorkRow>,
    earnings: Vec<EarningsRow>,
}

async fn mine(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let l = layout(&state, "Your work", &user, None).at("/me/work");
    let earnings = eng::earnings(&state, user.user())
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let list = state
        .store
        .student_engagements(user.user().id)
        .await
        .map_err(|e| PageError(e.into(), l.clone()))?;
    let money = |currency: &str, minor: i64| {
        Money::new(minor, currency.parse().unwrap_or(Currency::Usd)).to_string()
    };
    let payout = crate::app::payouts::mine(&state, user.user())
        .await
        .map_err(|e| PageError(e, l.clone()))?
        .map(|a| a.masked);
    Ok(render(&MinePage {
        payout,
        rows: list
            .into_iter()
            .map(|(e, title)| WorkRow {
                id: e.id,
                title,
                price: e.price.to_string(),
                due: date(&e.due_date),
                status: e.status.label(),
            })
            .collect(),
        earnings: earnings
            .iter()
            .map(|e| EarningsRow {
                currency: e.currency.clone(),
                pending: money(&e.currency, e.pending),
                released: money(&e.currency, e.released),
                paid_out: money(&e.currency, e.paid_out),
            })
            .collect(),
        layout: l,
    }))
}

/// Back to the workspace of achievement `id`, or its form with errors.
async fn after_achievement(
    state: &AppState,
    user: &PageUser,
    r: Result<stint_store::Achievement, AppError>,
    notice: &str,
    id: i64,
) -> Result<Response, PageError> {
    match r {
        Ok(a) => Ok(
            Redirect::to(&format!("/engagements/{}?notice={notice}", a.engagement_id))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let a = state
                .store
                .achievement(id)
                .await
                .map_err(|e| PageError(e.into(), layout(state, "Workspace", user, None)))?;
            page(state, user, a.engagement_id, None, errors).await
        }
        Err(e) => Err(PageError(e, layout(state, "Workspace", user, None))),
    }
}

async fn edit_achievement(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<stint_domain::achievement::AchievementForm>,
) -> Result<Response, PageError> {
    let r = crate::app::achievements::edit(&state, user.user(), id, &f).await;
    after_achievement(&state, &user, r, "achievement_saved", id).await
}

async fn confirm_achievement(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let r = crate::app::achievements::confirm(&state, user.user(), id).await;
    after_achievement(&state, &user, r, "achievement_confirmed", id).await
}

struct PortfolioAchievement {
    title: String,
    org_name: String,
    hours: i32,
    completed_on: String,
    summary: String,
    outcomes: Vec<stint_domain::achievement::Outcome>,
    credential: Option<String>,
}

struct PortfolioBox {
    public: bool,
    name: String,
    headline: Option<String>,
    review_count: usize,
    achievements: Vec<PortfolioAchievement>,
    recommendations: Vec<crate::app::achievements::Recommendation>,
}

#[derive(Template)]
#[template(path = "student/portfolio.html")]
struct PortfolioPage {
    layout: Layout,
    p: PortfolioBox,
    ratings: Option<String>,
    /// Offers of roles the student chose to show.
    offers: Vec<String>,
}

async fn portfolio(
    State(state): State<AppState>,
    user: crate::auth::MaybeUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = Layout::new("Portfolio", user.user(), state.config.demo);
    let p = crate::app::achievements::portfolio(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let mut credentials = Vec::new();
    for a in &p.achievements {
        credentials.push(
            state
                .store
                .current_credential(a.id)
                .await
                .map_err(|e| PageError(e.into(), l.clone()))?
                .map(|c| c.public_id),
        );
    }
    let offers = state
        .store
        .portfolio_offers(id)
        .await
        .map_err(|e| PageError(e.into(), l.clone()))?
        .into_iter()
        .map(|o| {
            let status = stint_domain::offer::OfferStatus::parse(&o.status);
            format!(
                "{} as {} at {}{}",
                stint_domain::offer::OfferKind::parse(&o.kind)
                    .map_or("A role", stint_domain::offer::OfferKind::label),
                o.title,
                o.org_name,
                if status.is_some_and(|s| s.accepted()) {
                    ", accepted"
                } else {
                    ""
                }
            )
        })
        .collect();
    let mut layout = l;
    layout.title = format!("{} — portfolio", p.name);
    layout.noindex = !p.public;
    let ratings = p.ratings.map(|r| {
        ["quality", "communication", "timeliness"]
            .iter()
            .zip(r)
            .map(|(k, v)| format!("{k} {}.{}/5", v / 10, v % 10))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    Ok(render(&PortfolioPage {
        p: PortfolioBox {
            public: p.public,
            name: p.name,
            headline: p.headline,
            review_count: p.review_count,
            achievements: p
                .achievements
                .into_iter()
                .zip(credentials)
                .map(|(a, credential)| PortfolioAchievement {
                    credential,
                    completed_on: date(&a.completed_on),
                    title: a.title,
                    org_name: a.org_name,
                    hours: a.hours,
                    summary: a.summary,
                    outcomes: a.outcomes,
                })
                .collect(),
            recommendations: p.recommendations,
        },
        ratings,
        offers,
        layout,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VisibilityForm {
    public: String,
}

async fn portfolio_visibility(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<VisibilityForm>,
) -> Result<Response, PageError> {
    let public = f.public == "true";
    crate::app::achievements::set_public(&state, user.user(), public)
        .await
        .map_err(|e| PageError(e, layout(&state, "Your profile", &user, None)))?;
    Ok(Redirect::to(if public {
        "/me/profile?notice=portfolio_public"
    } else {
        "/me/profile?notice=portfolio_private"
    })
    .into_response())
}

//! The engagement workspace: the thread, submitting work, the employer's
//! decision, cancelling, and the money each step moves.

use stint_domain::account::Role;
use stint_domain::engagement::{
    EngagementAction, EngagementActor, EngagementStatus, MessageKind, SubmissionForm,
    parse_cancel_reason, parse_feedback, parse_message, transition,
};
use stint_store::{
    Earnings, Engagement, Message, Movement, NewFile, Project, Submission, SubmissionFile, User,
};

use super::notify::{self, Kind};
use crate::error::AppError;
use crate::{AppState, PaymentProvider};

/// Which side of an engagement someone is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Student,
    Employer,
}

impl Side {
    fn actor(self) -> EngagementActor {
        match self {
            Side::Student => EngagementActor::Student,
            Side::Employer => EngagementActor::Employer,
        }
    }
}

/// The hired student or a member of the employer; anyone else gets
/// `NotFound`, as the workspace is private to the two sides.
pub async fn require_party(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(Engagement, Side), AppError> {
    let e = state.store.engagement(id).await?;
    if user.role == Role::Student && e.student_id == user.id {
        return Ok((e, Side::Student));
    }
    if user.role == Role::Employer
        && state
            .store
            .membership(user.id)
            .await?
            .is_some_and(|m| m.org.id == e.org_id)
    {
        return Ok((e, Side::Employer));
    }
    Err(AppError::NotFound)
}

fn refused(e: stint_domain::engagement::EngagementError) -> AppError {
    AppError::conflict("invalid_transition", e.to_string())
}

/// Everything the workspace shows.
pub struct Workspace {
    pub engagement: Engagement,
    pub project: Project,
    pub side: Side,
    pub student_name: String,
    /// One page of the thread, oldest first: the newest messages, or
    /// those before the cursor the caller asked for.
    pub messages: Vec<Message>,
    /// Leads to the messages before this page, when there are any.
    pub earlier: Option<String>,
    pub submissions: Vec<Submission>,
    /// Manual provider: the employer's money has not arrived yet.
    pub awaiting_deposit: bool,
    /// What the employer still has to pay (minor units), when awaited.
    pub deposit_due: i64,
    /// The student (asking) has not said where to be paid.
    pub payout_missing: bool,
}

/// The workspace with the newest page of its thread, or the page before
/// `cursor` (see [`thread`]).
pub async fn get(
    state: &AppState,
    user: &User,
    id: i64,
    cursor: &str,
) -> Result<Workspace, AppError> {
    let (engagement, side) = require_party(state, user, id).await?;
    let (messages, earlier) =
        page_of_thread(state, id, cursor, stint_domain::engagement::THREAD_PAGE).await?;
    let book = state.store.book(id).await?;
    Ok(Workspace {
        project: state.store.project(engagement.project_id).await?,
        student_name: state.store.user(engagement.student_id).await?.name,
        messages,
        earlier,
        submissions: state.store.submissions(id).await?,
        awaiting_deposit: super::payments::awaits_deposit(&book, &engagement),
        deposit_due: book.deposit_due(),
        payout_missing: side == Side::Student
            && match state.config.payment_provider {
                PaymentProvider::Manual => state.store.payout_account(user.id).await?.is_none(),
                PaymentProvider::Stripe => !super::stripe::student_ready(state, user.id).await?,
                PaymentProvider::Sandbox => false,
            },
        engagement,
        side,
    })
}

/// Removes stored bytes whose submission was not recorded.
async fn forget(state: &AppState, files: &[NewFile]) {
    for f in files {
        if let Err(e) = state.config.files.delete(&f.storage_key).await {
            tracing::warn!(error = %e, key = %f.storage_key, "could not remove an orphaned upload");
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A delivered file and its bytes, for the two sides only.
pub async fn file(
    state: &AppState,
    user: &User,
    id: i64,
    file_id: i64,
) -> Result<(SubmissionFile, Vec<u8>), AppError> {
    require_party(state, user, id).await?;
    let f = state.store.engagement_file(id, file_id).await?;
    let bytes = state.config.files.get(&f.storage_key).await?;
    Ok((f, bytes))
}

/// Tells the other side of `e` what `user` did.
async fn tell_other(
    state: &AppState,
    e: &Engagement,
    side: Side,
    kind: Kind,
    title: &str,
    body: &str,
) -> Result<(), AppError> {
    let link = format!("/engagements/{}", e.id);
    match side {
        Side::Student => notify::members(state, e.org_id, kind, title, body, &link).await,
        Side::Employer => notify::send(state, e.student_id, kind, title, body, &link).await,
    }
}

pub async fn post_message(
    state: &AppState,
    user: &User,
    id: i64,
    kind: &str,
    body: &str,
) -> Result<Message, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    let mut errs = stint_domain::FieldErrors::new();
    let kind = errs.take(MessageKind::parse(kind));
    let body = errs.take(parse_message(body));
    let (Some(kind), Some(body)) = (kind, body) else {
        return Err(AppError::Invalid(errs));
    };
    let mid = state
        .store
        .post_message(id, user.id, kind.as_str(), &body)
        .await?;
    let title = match kind {
        MessageKind::Question => format!("{} asked a question", user.name),
        MessageKind::Update => format!("{} posted a progress update", user.name),
        MessageKind::Message => format!("New message from {}", user.name),
    };
    tell_other(state, &e, side, Kind::Message, &title, &body).await?;
    Ok(state.store.message(id, mid).await?)
}

/// One page of a workspace thread for the two sides: `limit` messages
/// before `cursor` (the newest when empty), oldest first, and the cursor to
/// the page before it.
pub async fn thread(
    state: &AppState,
    user: &User,
    id: i64,
    cursor: &str,
    limit: u32,
) -> Result<(Vec<Message>, Option<String>), AppError> {
    require_party(state, user, id).await?;
    page_of_thread(state, id, cursor, limit).await
}

async fn page_of_thread(
    state: &AppState,
    id: i64,
    cursor: &str,
    limit: u32,
) -> Result<(Vec<Message>, Option<String>), AppError> {
    let before = stint_domain::engagement::parse_thread_cursor(cursor)?;
    let (messages, more) = state
        .store
        .messages_page(id, before, i64::from(limit))
        .await?;
    let earlier = more
        .then(|| {
            messages
                .first()
                .map(|m| stint_domain::engagement::thread_cursor(m.id))
        })
        .flatten();
    Ok((messages, earlier))
}

/// The student submits (or resubmits) the work: a note, links and files.
/// Every rule is checked before anything is stored; the files' bytes go to
/// the file storage first and are removed again if the database refuses the
/// submission, so nothing is half-saved.
pub async fn submit(
    state: &AppState,
    user: &User,
    id: i64,
    form: &SubmissionForm,
    files: &[(String, Vec<u8>)],
) -> Result<Submission, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    transition(e.status, side.actor(), EngagementAction::Submit).map_err(refused)?;
    let parsed = form.parse();
    let checked = stint_domain::upload::check_files(files);
    let ((note, links), checked) = match (parsed, checked) {
        (Ok(p), Ok(c)) => (p, c),
        (p, c) => {
            let mut errs = p.err().unwrap_or_default();
            errs.0.extend(c.err().unwrap_or_default().0);
            return Err(AppError::Invalid(errs));
        }
    };
    let mut stored = Vec::new();
    for (c, (_, bytes)) in checked.iter().zip(files) {
        let key = crate::auth::tokens::random_token()?;
        if let Err(err) = state.config.files.put(&key, bytes).await {
            forget(state, &stored).await;
            return Err(err.into());
        }
        stored.push(NewFile {
            name: c.name.clone(),
            content_type: c.content_type.to_string(),
            size: i64::try_from(c.size).unwrap_or(i64::MAX),
            sha256: sha256_hex(bytes),
            storage_key: key,
        });
    }
    let s = match state
        .store
        .submit_work(
            id,
            &[
                EngagementStatus::Active,
                EngagementStatus::RevisionRequested,
            ],
            &note,
            &links,
            &stored,
        )
        .await
    {
        Ok(s) => s,
        Err(err) => {
            forget(state, &stored).await;
            return Err(err.into());
        }
    };
    state
        .store
        .audit(
            Some(user.id),
            "engagement.submitted",
            "engagement",
            id,
            &format!("version {}", s.version),
        )
        .await?;
    super::webhooks::emit_engagement(state, "engagement.submitted", id, None).await;
    let silent = chrono::Duration::days(i64::from(state.config.auto_approve_days));
    state
        .store
        .schedule_job(super::jobs::AUTO_APPROVE, id, state.clock.now() + silent)
        .await?;
    tell_other(
        state,
        &e,
        side,
        Kind::Submission,
        &format!("{} submitted work (version {})", user.name, s.version),
        &note,
    )
    .await?;
    Ok(s)
}

pub async fn request_revision(
    state: &AppState,
    user: &User,
    id: i64,
    feedback: &str,
) -> Result<Engagement, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    let to =
        transition(e.status, side.actor(), EngagementAction::RequestRevision).map_err(refused)?;
    let feedback = parse_feedback(feedback)?;
    state
        .store
        .move_engagement(
            id,
            e.status,
            to,
            e.price.currency.code(),
            state.config.payment_provider.as_str(),
            &[],
            state.clock.now(),
        )
        .await?;
    state
        .store
        .post_message(id, user.id, "feedback", &feedback)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "engagement.revision_requested",
            "engagement",
            id,
            "",
        )
        .await?;
    tell_other(
        state,
        &e,
        side,
        Kind::RevisionRequested,
        "A revision is requested",
        &feedback,
    )
    .await?;
    Ok(state.store.engagement(id).await?)
}

/// The employer approves: the price leaves escrow for the student, exactly
/// once. With the sandbox provider it is paid out at once too.
pub async fn approve(state: &AppState, user: &User, id: i64) -> Result<Engagement, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    release(state, &e, side.actor(), Some(user.id)).await?;
    let body = approval_news(state, &e, false);
    tell_other(
        state,
        &e,
        side,
        Kind::Approved,
        "Your work is approved",
        &body,
    )
    .await?;
    Ok(state.store.engagement(id).await?)
}

/// The employer stayed silent for `auto_approve_days` after a submission:
/// Stint approves, and both sides hear why. A no-op unless still submitted.
pub async fn auto_approve(state: &AppState, id: i64) -> Result<(), AppError> {
    let e = state.store.engagement(id).await?;
    if e.status != EngagementStatus::Submitted {
        return Ok(());
    }
    let Some(last) = state.store.submissions(id).await?.pop() else {
        return Ok(());
    };
    if last.created_at + chrono::Duration::days(i64::from(state.config.auto_approve_days))
        > state.clock.now()
    {
        return Ok(());
    }
    match release(state, &e, EngagementActor::System, None).await {
        Ok(()) => {}
        // Approved by a person at the same moment: nothing left to do.
        Err(AppError::Conflict { .. }) => return Ok(()),
        Err(err) => return Err(err),
    }
    let link = format!("/engagements/{id}");
    let days = state.config.auto_approve_days;
    notify::send(
        state,
        e.student_id,
        Kind::Approved,
        "Your work is approved automatically",
        &approval_news(state, &e, true),
        &link,
    )
    .await?;
    let body = format!(
        "The submission had no answer for {days} days, so Stint approved it and released {} to the student.",
        e.price
    );
    notify::members(
        state,
        e.org_id,
        Kind::Approved,
        "Work approved automatically",
        &body,
        &link,
    )
    .await
}

fn approval_news(state: &AppState, e: &Engagement, automatic: bool) -> String {
    let how = if automatic {
        "approved automatically after the employer's silence"
    } else {
        "approved"
    };
    match state.config.payment_provider {
        PaymentProvider::Sandbox => format!(
            "Your work is {how} and {} is paid out (sandbox payment: no real money moves).",
            e.price
        ),
        PaymentProvider::Manual => format!(
            "Your work is {how} and {} is released to you; Stint pays it out shortly.",
            e.price
        ),
        PaymentProvider::Stripe => format!(
            "Your work is {how} and {} is released to you; it goes to your Stripe account as soon as the employer's payment and your payout setup are complete.",
            e.price
        ),
    }
}

/// Approval's money: escrow to the student (once), and with the sandbox
/// provider straight on to a payout.
async fn release(
    state: &AppState,
    e: &Engagement,
    actor: EngagementActor,
    by: Option<i64>,
) -> Result<(), AppError> {
    let action = if actor == EngagementActor::System {
        EngagementAction::AutoApprove
    } else {
        EngagementAction::Approve
    };
    let to = transition(e.status, actor, action).map_err(refused)?;
    let provider = state.config.payment_provider;
    let currency = e.price.currency.code();
    state
        .store
        .move_engagement(
            e.id,
            e.status,
            to,
            currency,
            provider.as_str(),
            &[Movement::release(e.id, e.student_id, e.price.minor)],
            state.clock.now(),
        )
        .await?;
    let window = chrono::Duration::days(i64::from(state.config.review_window_days));
    state
        .store
        .schedule_job(super::jobs::REVIEW_REVEAL, e.id, state.clock.now() + window)
        .await?;
    state
        .store
        .draft_achievement(e.id, state.clock.today())
        .await?;
    let what = if by.is_some() {
        "engagement.approved"
    } else {
        "engagement.auto_approved"
    };
    state
        .store
        .audit(
            by,
            what,
            "engagement",
            e.id,
            &format!("released {}", e.price),
        )
        .await?;
    if provider == PaymentProvider::Stripe {
        // A transfer to the student's account once they can be paid.
        super::stripe::settle_soon(state, e.id).await;
    }
    if provider == PaymentProvider::Sandbox {
        let paid =
            transition(to, EngagementActor::System, EngagementAction::Release).map_err(refused)?;
        state
            .store
            .move_engagement(
                e.id,
                to,
                paid,
                currency,
                provider.as_str(),
                &[Movement::payout(e.student_id, e.price.minor)],
                state.clock.now(),
            )
            .await?;
        state
            .store
            .audit(
                None,
                "engagement.paid",
                "engagement",
                e.id,
                "sandbox payout",
            )
            .await?;
    }
    super::webhooks::emit_engagement(state, "engagement.approved", e.id, None).await;
    Ok(())
}

/// Two days before the due date, while the work is still open.
pub async fn due_reminder(state: &AppState, id: i64) -> Result<(), AppError> {
    let e = state.store.engagement(id).await?;
    if !matches!(
        e.status,
        EngagementStatus::Active | EngagementStatus::RevisionRequested
    ) {
        return Ok(());
    }
    let body = format!(
        "Your work is due on {}. Post a progress update or submit in the workspace.",
        crate::view::date(&e.due_date)
    );
    notify::send(
        state,
        e.student_id,
        Kind::DueSoon,
        "Due in 48 hours",
        &body,
        &format!("/engagements/{id}"),
    )
    .await
}

/// Either side cancels before any submission. The escrow goes back to the
/// employer, except that an employer cancelling on or after the start date
/// leaves the student their share of the price for the work started (paid
/// out at once with the sandbox provider, queued for payout otherwise).
pub async fn cancel(
    state: &AppState,
    user: &User,
    id: i64,
    reason: &str,
) -> Result<Engagement, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    let start = state.store.project(e.project_id).await?.input.start_date;
    let split = super::money::cancellation(state, &e, side, start);
    let step = ReasonedStep {
        action: EngagementAction::Cancel,
        audit: "engagement.cancelled",
        verb: "cancelled the engagement",
        kind: Kind::Cancelled,
        title: "The engagement is cancelled",
    };
    let tail = if split.to_student.minor > 0 {
        format!(
            " The work had started, so the student keeps {} and {} is refunded.",
            split.to_student, split.refund
        )
    } else {
        format!(" {} is refunded to the employer.", split.refund)
    };
    let cancelled = reasoned(
        state,
        user,
        id,
        reason,
        step,
        |e| {
            let mut m = Vec::new();
            if split.to_student.minor > 0 {
                m.push(Movement::release(
                    e.id,
                    e.student_id,
                    split.to_student.minor,
                ));
            }
            if split.refund.minor > 0 {
                m.push(Movement::refund(e.id, e.org_id, split.refund.minor));
            }
            m
        },
        &tail,
    )
    .await?;
    if split.to_student.minor > 0 && state.config.payment_provider == PaymentProvider::Sandbox {
        state
            .store
            .record_movement(
                id,
                e.price.currency.code(),
                PaymentProvider::Sandbox.as_str(),
                &Movement::payout(e.student_id, split.to_student.minor),
                state.clock.now(),
            )
            .await?;
    }
    // Stripe: the refund of what the employer paid, and the student's share.
    super::stripe::settle_soon(state, id).await;
    super::webhooks::emit_engagement(state, "engagement.cancelled", id, None).await;
    Ok(cancelled)
}

/// A step either side takes with a reason: the status change (and its
/// money) in one transaction, a notice in the thread, the audit log, and the
/// other side told.
struct ReasonedStep {
    action: EngagementAction,
    audit: &'static str,
    verb: &'static str,
    kind: Kind,
    title: &'static str,
}

async fn reasoned(
    state: &AppState,
    user: &User,
    id: i64,
    reason: &str,
    step: ReasonedStep,
    movements: impl FnOnce(&Engagement) -> Vec<Movement>,
    tail: &str,
) -> Result<Engagement, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    let to = transition(e.status, side.actor(), step.action).map_err(refused)?;
    let reason = parse_cancel_reason(reason)?;
    let provider = state.config.payment_provider.as_str();
    state
        .store
        .move_engagement(
            id,
            e.status,
            to,
            e.price.currency.code(),
            provider,
            &movements(&e),
            state.clock.now(),
        )
        .await?;
    state
        .store
        .post_message(
            id,
            user.id,
            "system",
            &format!("{} {}: {reason}", user.name, step.verb),
        )
        .await?;
    state
        .store
        .audit(Some(user.id), step.audit, "engagement", id, &reason)
        .await?;
    super::credit::engagement_ended(
        state,
        e.application_id,
        if step.action == EngagementAction::Dispute {
            "disputed"
        } else {
            "cancelled"
        },
    )
    .await?;
    tell_other(
        state,
        &e,
        side,
        step.kind,
        step.title,
        &format!("{reason}{tail}"),
    )
    .await?;
    Ok(state.store.engagement(id).await?)
}

/// Either side raises a dispute after a submission; admins decide.
pub async fn dispute(
    state: &AppState,
    user: &User,
    id: i64,
    reason: &str,
) -> Result<Engagement, AppError> {
    let step = ReasonedStep {
        action: EngagementAction::Dispute,
        audit: "engagement.disputed",
        verb: "raised a dispute",
        kind: Kind::Disputed,
        title: "A dispute was raised",
    };
    let e = reasoned(
        state,
        user,
        id,
        reason,
        step,
        |_| Vec::new(),
        " A Stint admin will look at it and decide.",
    )
    .await?;
    super::webhooks::emit_engagement(state, "dispute.opened", id, None).await;
    Ok(e)
}

/// How an admin settles a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The student is paid in full.
    Release,
    /// The student is paid this many minor units; the rest goes back.
    Partial(i64),
    /// The employer gets the escrow back.
    Refund,
}

impl Resolution {
    /// From a form: `release`, `refund`, or `partial` with an amount.
    pub fn parse(
        outcome: &str,
        amount: &str,
        price: stint_domain::money::Money,
    ) -> Result<Resolution, AppError> {
        match outcome.trim() {
            "release" => Ok(Resolution::Release),
            "refund" => Ok(Resolution::Refund),
            "partial" => {
                let m = stint_domain::money::Money::parse("amount", amount, price.currency)?;
                if m.minor >= price.minor {
                    return Err(AppError::invalid(
                        "amount",
                        format!("A partial payment must be less than the price of {price}."),
                    ));
                }
                Ok(Resolution::Partial(m.minor))
            }
            _ => Err(AppError::invalid(
                "outcome",
                "Choose release, partial or refund.",
            )),
        }
    }
}

/// An admin settles a dispute; the decision and its money are in the ledger
/// and the audit log.
pub async fn resolve(
    state: &AppState,
    admin: &User,
    id: i64,
    resolution: Resolution,
    note: &str,
) -> Result<Engagement, AppError> {
    crate::auth::authz::require_admin(admin)?;
    let e = state.store.engagement(id).await?;
    let pays = resolution != Resolution::Refund;
    let to = transition(
        e.status,
        EngagementActor::Admin,
        EngagementAction::Resolve(pays),
    )
    .map_err(refused)?;
    let note = parse_feedback(note).map_err(|mut f| {
        f.field = "note";
        stint_domain::FieldErrors::from(f)
    })?;
    let price = e.price.minor;
    let movements = match resolution {
        Resolution::Release => vec![Movement::release(id, e.student_id, price)],
        Resolution::Partial(paid) => vec![
            Movement::release(id, e.student_id, paid),
            Movement::refund(id, e.org_id, price - paid),
        ],
        Resolution::Refund => vec![Movement::refund(id, e.org_id, price)],
    };
    let paid = match resolution {
        Resolution::Release => price,
        Resolution::Partial(p) => p,
        Resolution::Refund => 0,
    };
    let provider = state.config.payment_provider.as_str();
    state
        .store
        .move_engagement(
            id,
            e.status,
            to,
            e.price.currency.code(),
            provider,
            &movements,
            state.clock.now(),
        )
        .await?;
    // The sandbox pays out at once; otherwise the payout queue has it.
    if pays && state.config.payment_provider == PaymentProvider::Sandbox {
        let paid_out =
            transition(to, EngagementActor::System, EngagementAction::Release).map_err(refused)?;
        state
            .store
            .move_engagement(
                id,
                to,
                paid_out,
                e.price.currency.code(),
                provider,
                &[Movement::payout(e.student_id, paid)],
                state.clock.now(),
            )
            .await?;
    }
    super::stripe::settle_soon(state, id).await;
    let amount = stint_domain::money::Money::new(paid, e.price.currency);
    let refund = stint_domain::money::Money::new(price - paid, e.price.currency);
    let outcome = match resolution {
        Resolution::Release => format!("the full price, {amount}, is released to the student."),
        Resolution::Partial(_) => {
            format!("{amount} is released to the student and {refund} refunded to the employer.")
        }
        Resolution::Refund => format!("the price, {refund}, is refunded to the employer."),
    };
    let decision = format!("Stint resolved the dispute: {outcome} {note}");
    super::webhooks::emit_engagement(state, "dispute.resolved", id, Some(paid)).await;
    state
        .store
        .audit(
            Some(admin.id),
            "engagement.dispute_resolved",
            "engagement",
            id,
            &decision,
        )
        .await?;
    state
        .store
        .post_message(id, admin.id, "system", &decision)
        .await?;
    let link = format!("/engagements/{id}");
    notify::send(
        state,
        e.student_id,
        Kind::Disputed,
        "The dispute is resolved",
        &decision,
        &link,
    )
    .await?;
    notify::members(
        state,
        e.org_id,
        Kind::Disputed,
        "The dispute is resolved",
        &decision,
        &link,
    )
    .await?;
    Ok(state.store.engagement(id).await?)
}

pub async fn earnings(state: &AppState, user: &User) -> Result<Vec<Earnings>, AppError> {
    crate::auth::authz::require_role(user, Role::Student)?;
    Ok(state.store.earnings(user.id).await?)
}

/// The caller's engagements, newest first: a student's own, or every
/// engagement of an employer's organization (with the achievement id the
/// employer confirms outcomes on).
pub async fn mine(
    state: &AppState,
    user: &User,
) -> Result<Vec<stint_store::EngagementListing>, AppError> {
    match user.role {
        Role::Student => Ok(state.store.student_engagement_listings(user.id).await?),
        Role::Employer => {
            let m = crate::auth::authz::require_employer_member(&state.store, user).await?;
            Ok(state.store.org_engagements(m.org.id).await?)
        }
        _ => Err(AppError::Forbidden(
            "Only students and employers have engagements.",
        )),
    }
}

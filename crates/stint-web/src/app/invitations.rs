//! Being found, and invited to apply. Students choose to be discoverable
//! (off until they turn it on) and whether they take invitations (on until
//! they turn it off). Employers search discoverable students, ranked by the
//! explained match against one of their open projects, and invite them, or
//! students of their own pool, to apply: a bounded number a day, once per
//! project and student. An invitation is a notification with a note; the
//! student still applies through the one application path, with every rule.
//!
//! An invite-only project is for the students of the organization's pool it
//! invites: to apply, or, as a direct offer, to take the place. A student
//! who accepts a direct offer is hired through the one hire path (places,
//! escrow, fee, engagement), at the total the employer confirmed.

use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::ledger::HireQuote;
use stint_domain::matching::Match;
use stint_domain::project::ProjectStatus;
use stint_domain::talent::{FindFilter, FindForm, INVITATIONS_PER_DAY, parse_invitation_note};
use stint_store::{
    FoundStudent, Hire, Membership, NewInvitation, Project, ProjectCard, ProjectInvitation, Reach,
    StoreError, User,
};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::{can_view_project, require_employer_member, require_role};
use crate::error::AppError;

/// Students shown a page of a search.
pub const FIND_PAGE: usize = 20;

/// One found student with their match against the chosen project.
pub struct Found {
    pub student: FoundStudent,
    pub m: Match,
    /// The invitation to the chosen project already sent, if any: its status.
    pub invited: Option<String>,
}

pub struct FindResult {
    pub filter: FindFilter,
    /// The organization's projects open for applications: (id, title).
    pub projects: Vec<(i64, String)>,
    /// The project the students are ranked against.
    pub project: Option<Project>,
    pub found: Vec<Found>,
    /// Matching students in all (up to the candidates read).
    pub total: usize,
    pub page: usize,
    pub more: bool,
    /// Invitations the organization can still send today.
    pub left_today: i64,
}

/// The organization's projects that take applications now; invite-only
/// ones only `with_invite_only` (they are for the pool, not for students
/// found).
async fn open_projects(
    state: &AppState,
    org_id: i64,
    with_invite_only: bool,
) -> Result<Vec<ProjectCard>, AppError> {
    let today = state.clock.today();
    Ok(state
        .store
        .org_projects(org_id)
        .await?
        .into_iter()
        .filter(|p| {
            p.status == ProjectStatus::Open
                && p.application_deadline >= today
                && (with_invite_only || !p.invite_only)
        })
        .collect())
}

/// The caller's organization's open project `raw` names (an id), or the
/// newest open one when `raw` is empty.
async fn chosen_project(
    state: &AppState,
    m: &Membership,
    open: &[ProjectCard],
    raw: &str,
) -> Result<Option<Project>, AppError> {
    let id = match raw.trim() {
        "" => match open.first() {
            Some(p) => p.id,
            None => return Ok(None),
        },
        s => s
            .parse::<i64>()
            .ok()
            .filter(|id| open.iter().any(|p| p.id == *id))
            .ok_or_else(|| {
                AppError::invalid(
                    "project",
                    "Pick one of your projects open for applications.",
                )
            })?,
    };
    let project = state.store.project(id).await?;
    if project.org_id != m.org.id {
        return Err(AppError::invalid(
            "project",
            "Pick one of your projects open for applications.",
        ));
    }
    Ok(Some(project))
}

fn parse_page(raw: &str) -> Result<usize, AppError> {
    match raw.trim() {
        "" => Ok(1),
        p => match p.parse::<usize>() {
            Ok(v) if (1..=1_000).contains(&v) => Ok(v),
            _ => Err(AppError::invalid("page", "The page is a number from 1.")),
        },
    }
}

/// Searches discoverable students through `form`, ranked by their match
/// against the chosen open project (best first), one page at a time.
pub async fn find(
    state: &AppState,
    user: &User,
    form: &FindForm,
    project: &str,
    page: &str,
) -> Result<FindResult, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let mut errors = FieldErrors::new();
    let filter = match form.parse() {
        Ok(f) => f,
        Err(e) => {
            errors.0.extend(e.0);
            FindFilter::default()
        }
    };
    let open = open_projects(state, m.org.id, false).await?;
    let chosen = match chosen_project(state, &m, &open, project).await {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(e) => return Err(e),
    };
    let page = match parse_page(page) {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            errors.0.extend(e.0);
            1
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut found: Vec<Found> = Vec::new();
    if let Some(project) = &chosen {
        for s in state.store.find_students(&filter).await? {
            let m = super::applications::employer_match(
                state,
                project,
                &s.skills,
                &s.interests,
                s.area_of_study.as_deref(),
                s.availability_hours,
                s.location.as_deref(),
            );
            found.push(Found {
                student: s,
                m,
                invited: None,
            });
        }
        found.sort_by(|a, b| {
            b.m.score
                .cmp(&a.m.score)
                .then_with(|| b.student.completed.cmp(&a.student.completed))
                .then_with(|| a.student.student_id.cmp(&b.student.student_id))
        });
    }
    let total = found.len();
    let start = (page - 1) * FIND_PAGE;
    let more = total > start + FIND_PAGE;
    let mut found: Vec<Found> = found.into_iter().skip(start).take(FIND_PAGE).collect();
    if let Some(project) = &chosen {
        let sent = state.store.org_invitations(m.org.id, None, 1_000).await?;
        for f in &mut found {
            f.invited = sent
                .iter()
                .find(|i| i.project_id == project.id && i.student_id == f.student.student_id)
                .map(|i| i.status.clone());
        }
    }
    let sent_today = state.store.invitations_sent_today(m.org.id).await?;
    Ok(FindResult {
        filter,
        projects: open.iter().map(|p| (p.id, p.title.clone())).collect(),
        project: chosen,
        found,
        total,
        page,
        more,
        left_today: (INVITATIONS_PER_DAY - sent_today).max(0),
    })
}

/// What an employer may invite a student to: the organization's open
/// projects the student is neither invited to nor applied to, and how many
/// invitations are left today.
pub struct InviteChoices {
    pub projects: Vec<(i64, String)>,
    pub left_today: i64,
    /// Invite-only projects the place of which can be offered to the
    /// student directly: (id, title, what the employer pays if they accept).
    pub direct: Vec<(i64, String, HireQuote)>,
    /// The student takes invitations (false: they turned them off).
    pub takes_invitations: bool,
    /// Invitations already sent to this student, newest first.
    pub sent: Vec<ProjectInvitation>,
}

pub async fn choices_for(
    state: &AppState,
    user: &User,
    student_id: i64,
) -> Result<InviteChoices, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let sent = state
        .store
        .org_invitations(m.org.id, Some(student_id), 50)
        .await?;
    let mut projects = Vec::new();
    let mut direct = Vec::new();
    for p in open_projects(state, m.org.id, true).await? {
        if !sent.iter().any(|i| i.project_id == p.id)
            && state
                .store
                .application_of(p.id, student_id)
                .await?
                .is_none()
        {
            if p.invite_only {
                let quote = HireQuote::new(p.price, state.config.fee_basis_points);
                direct.push((p.id, p.title.clone(), quote));
                projects.push((p.id, format!("{} (invite-only)", p.title)));
            } else {
                projects.push((p.id, p.title));
            }
        }
    }
    let sent_today = state.store.invitations_sent_today(m.org.id).await?;
    Ok(InviteChoices {
        projects,
        left_today: (INVITATIONS_PER_DAY - sent_today).max(0),
        direct,
        takes_invitations: state.store.reach(student_id).await?.invitations,
        sent,
    })
}

/// Invites a student to apply to one of the organization's open projects.
/// The student must be discoverable or in the organization's pool (only
/// the pool for an invite-only project), take invitations, be able to apply
/// to the project (it is open, and arranged for their university if it is
/// restricted) and not have applied already.
pub async fn invite(
    state: &AppState,
    user: &User,
    project_id: i64,
    student_id: i64,
    note: &str,
) -> Result<ProjectInvitation, AppError> {
    send(state, user, project_id, student_id, note, None).await
}

/// Offers a student of the pool the place on an invite-only project
/// directly, at the total the employer was shown (`expected_total`, minor
/// units: refused as `quote_changed` if it is no longer that). The same
/// rules as an invitation hold, and it counts towards the same daily bound.
pub async fn offer_place(
    state: &AppState,
    user: &User,
    project_id: i64,
    student_id: i64,
    note: &str,
    expected_total: Option<i64>,
) -> Result<ProjectInvitation, AppError> {
    send(
        state,
        user,
        project_id,
        student_id,
        note,
        Some(expected_total),
    )
    .await
}

/// An invitation to apply (`direct` is `None`) or a direct offer of the
/// place (`Some(expected total)`).
async fn send(
    state: &AppState,
    user: &User,
    project_id: i64,
    student_id: i64,
    note: &str,
    direct: Option<Option<i64>>,
) -> Result<ProjectInvitation, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let note = parse_invitation_note(note).map_err(|e| AppError::Invalid(FieldErrors(vec![e])))?;
    // A student the organization may not see is "not found", as anywhere.
    let student = match state.store.user(student_id).await {
        Ok(u) if u.role == Role::Student => u,
        Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let reach = state.store.reach(student_id).await?;
    let pooled = state
        .store
        .talent_student(m.org.id, student_id)
        .await?
        .is_some();
    if !reach.discoverable && !pooled {
        return Err(AppError::NotFound);
    }
    if !reach.invitations {
        return Err(AppError::conflict(
            "invitations_off",
            format!("{} has turned invitations off.", student.name),
        ));
    }
    let project = match state.store.project(project_id).await {
        Ok(p) if p.org_id == m.org.id => p,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(AppError::invalid(
                "project_id",
                "Pick one of your projects open for applications.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(why) = super::applications::closed_reason(state, &project) {
        return Err(AppError::conflict("not_accepting", why));
    }
    if project.invite_only && !pooled {
        return Err(AppError::conflict(
            "not_in_pool",
            format!(
                "An invite-only project is for students in your talent pool, and {} is not in it.",
                student.name
            ),
        ));
    }
    let direct_total = match direct {
        None => None,
        Some(_) if !project.invite_only => {
            return Err(AppError::conflict(
                "not_invite_only",
                "Only the place on an invite-only project can be offered directly; invite the student to apply instead.",
            ));
        }
        Some(expected) => {
            let quote = HireQuote::new(project.input.price, state.config.fee_basis_points);
            if expected.is_some_and(|t| t != quote.total.minor) {
                return Err(AppError::conflict(
                    "quote_changed",
                    format!(
                        "The total is now {} (price {} plus fee {}); look at it again before you offer the place.",
                        quote.total, quote.price, quote.fee
                    ),
                ));
            }
            Some(quote.total.minor)
        }
    };
    if !project.invite_only && !can_view_project(&state.store, Some(&student), &project).await? {
        return Err(AppError::conflict(
            "not_eligible",
            format!(
                "This project is for students of {} only, and {} is not one.",
                project
                    .restricted_to
                    .as_ref()
                    .map_or("one university", |r| r.name.as_str()),
                student.name
            ),
        ));
    }
    if state
        .store
        .application_of(project.id, student_id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "already_applied",
            format!("{} has already applied to this project.", student.name),
        ));
    }
    let new = NewInvitation {
        org_id: m.org.id,
        project_id: project.id,
        student_id,
        sender_id: user.id,
        note: &note,
        direct_total_minor: direct_total,
    };
    let id = state
        .store
        .send_invitation(&new, INVITATIONS_PER_DAY)
        .await
        .map_err(|e| match e {
            StoreError::Conflict("daily_limit") => AppError::conflict(
                "invitation_limit",
                format!(
                    "Your organization has sent {INVITATIONS_PER_DAY} invitations in the last 24 hours, the most a day. Try again tomorrow."
                ),
            ),
            StoreError::Conflict("duplicate") => AppError::conflict(
                "already_invited",
                format!("{} is already invited to this project.", student.name),
            ),
            other => other.into(),
        })?;
    let action = if direct_total.is_some() {
        "invitation.direct_offer_sent"
    } else {
        "invitation.sent"
    };
    state
        .store
        .audit(Some(user.id), action, "invitation", id, "")
        .await?;
    if direct_total.is_some() {
        let said = if note.is_empty() {
            String::new()
        } else {
            format!(" Their note: \"{note}\"")
        };
        notify::send(
            state,
            student_id,
            Kind::Invitation,
            &format!("{} offers you a project", m.org.name),
            &format!(
                "{} offers you the place on \"{}\" ({}, due {}), without applying.{said} Accept or decline it on the project page.",
                m.org.name,
                project.input.title,
                project.input.price,
                crate::view::date(&project.input.due_date)
            ),
            &format!("/projects/{}", project.id),
        )
        .await?;
        return Ok(state.store.invitation(id).await?);
    }
    let body = if note.is_empty() {
        format!(
            "{} invites you to apply to \"{}\". You choose whether to apply; the usual application applies.",
            m.org.name, project.input.title
        )
    } else {
        format!(
            "{} invites you to apply to \"{}\": \"{note}\" You choose whether to apply; the usual application applies.",
            m.org.name, project.input.title
        )
    };
    notify::send(
        state,
        student_id,
        Kind::Invitation,
        &format!("{} invites you to apply", m.org.name),
        &body,
        &format!("/projects/{}", project.id),
    )
    .await?;
    Ok(state.store.invitation(id).await?)
}

/// The organization's invitations, newest first.
pub async fn sent(state: &AppState, user: &User) -> Result<Vec<ProjectInvitation>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.org_invitations(m.org.id, None, 200).await?)
}

/// The student's invitations, newest first.
pub async fn mine(state: &AppState, user: &User) -> Result<Vec<ProjectInvitation>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.student_invitations(user.id).await?)
}

/// The student's invitation to a project, for its page.
pub async fn to_project(
    state: &AppState,
    user: &User,
    project_id: i64,
) -> Result<Option<ProjectInvitation>, AppError> {
    if user.role != Role::Student {
        return Ok(None);
    }
    Ok(state.store.invitation_to(project_id, user.id).await?)
}

/// The student's own invitation `id`; anyone else's is "not found".
async fn own(state: &AppState, user: &User, id: i64) -> Result<ProjectInvitation, AppError> {
    require_role(user, Role::Student)?;
    match state.store.invitation(id).await {
        Ok(i) if i.student_id == user.id => Ok(i),
        Ok(_) | Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Why an invitation can no longer be answered.
fn answered(i: &ProjectInvitation) -> AppError {
    match i.status.as_str() {
        "withdrawn" => AppError::conflict(
            "offer_withdrawn",
            format!("{} withdrew this offer.", i.org_name),
        ),
        "declined" => AppError::conflict("invitation_answered", "You declined it already."),
        _ if i.kind == "direct" => AppError::conflict(
            "invitation_answered",
            "You accepted this offer already; your workspace is under My work.",
        ),
        _ => AppError::conflict(
            "already_applied",
            "You applied to this project; withdraw the application instead.",
        ),
    }
}

/// The student declines an invitation or a direct offer; the organization
/// sees it declined (and, for an offer, is told).
pub async fn decline(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<ProjectInvitation, AppError> {
    let before = own(state, user, id).await?;
    match state.store.decline_invitation(id, user.id).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(answered(&state.store.invitation(id).await?));
        }
        Err(e) => return Err(e.into()),
    }
    let after = state.store.invitation(id).await?;
    if before.status == "sent" && before.kind == "direct" {
        state
            .store
            .audit(
                Some(user.id),
                "invitation.direct_offer_declined",
                "invitation",
                id,
                "",
            )
            .await?;
        notify::members(
            state,
            after.org_id,
            Kind::Invitation,
            &format!("{} declined your offer", after.student_name),
            &format!(
                "{} declined the place on \"{}\". Nothing was charged.",
                after.student_name, after.project_title
            ),
            &format!("/employer/talent/{}", after.student_id),
        )
        .await?;
    }
    Ok(after)
}

/// The student accepts a direct offer: they are hired through the same hire
/// as any applicant (places, escrow, fee, engagement), at the total the
/// employer confirmed. `message` (optional) is kept as their application's
/// note to the employer.
pub async fn accept(
    state: &AppState,
    user: &User,
    id: i64,
    message: &str,
) -> Result<Hire, AppError> {
    let inv = own(state, user, id).await?;
    if inv.kind != "direct" {
        return Err(AppError::conflict(
            "not_direct",
            "This is an invitation to apply: apply on the project page.",
        ));
    }
    if inv.status != "sent" {
        return Err(answered(&inv));
    }
    let message = stint_domain::talent::parse_acceptance_message(message)
        .map_err(|e| AppError::Invalid(FieldErrors(vec![e])))?;
    let project = state.store.project(inv.project_id).await?;
    let quote = HireQuote::new(project.input.price, state.config.fee_basis_points);
    if inv.quoted_total_minor != Some(quote.total.minor) {
        return Err(AppError::conflict(
            "quote_changed",
            format!(
                "What {} would pay has changed since they made this offer; ask them to offer it again.",
                inv.org_name
            ),
        ));
    }
    let score = super::matching::explain(state, Some(user), &project)
        .await?
        .map_or(0, |m| m.score);
    let pitch = if message.is_empty() {
        format!("Accepted {}'s offer of this project.", inv.org_name)
    } else {
        message
    };
    let hire = state
        .store
        .hire_direct(
            id,
            user.id,
            &pitch,
            score,
            quote.fee.minor,
            state.config.payment_provider.as_str(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict("answered") => AppError::conflict(
                "invitation_answered",
                "This offer was answered or withdrawn meanwhile.",
            ),
            StoreError::Conflict("duplicate") => {
                AppError::conflict("already_applied", "You applied to this project already.")
            }
            other => super::applications::slots_full(other),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "invitation.direct_offer_accepted",
            "invitation",
            id,
            "",
        )
        .await?;
    let application = state
        .store
        .application(hire.engagement.application_id)
        .await?;
    super::applications::after_hire(state, user, &application, &project, &hire).await?;
    let pay = match state.config.payment_provider {
        crate::PaymentProvider::Stripe => format!(
            " Pay {} by card from the workspace so the work can start.",
            quote.total
        ),
        crate::PaymentProvider::Manual => format!(
            " Stint sends you payment instructions for {}; the workspace shows the payment as awaited until it arrives.",
            quote.total
        ),
        crate::PaymentProvider::Sandbox => String::new(),
    };
    notify::members(
        state,
        project.org_id,
        Kind::Invitation,
        &format!("{} accepted your offer", user.name),
        &format!(
            "{} accepted the place on \"{}\" and is hired.{pay}",
            user.name, project.input.title
        ),
        &format!("/engagements/{}", hire.engagement.id),
    )
    .await?;
    Ok(hire)
}

/// The organization withdraws a direct offer the student has not answered;
/// the student is told.
pub async fn withdraw(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<ProjectInvitation, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    match state.store.withdraw_invitation(id, m.org.id).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::conflict(
                "invitation_answered",
                "The student answered this offer already.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let inv = state.store.invitation(id).await?;
    state
        .store
        .audit(
            Some(user.id),
            "invitation.direct_offer_withdrawn",
            "invitation",
            id,
            "",
        )
        .await?;
    notify::send(
        state,
        inv.student_id,
        Kind::Invitation,
        &format!("{} withdrew its offer", inv.org_name),
        &format!(
            "{} withdrew its offer of the place on \"{}\".",
            inv.org_name, inv.project_title
        ),
        "/me",
    )
    .await?;
    Ok(inv)
}

/// The student's choices about being found and invited.
pub async fn reach(state: &AppState, user: &User) -> Result<Reach, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.reach(user.id).await?)
}

/// Records the student's choices; each change is in the audit log.
pub async fn set_reach(
    state: &AppState,
    user: &User,
    discoverable: bool,
    invitations: bool,
) -> Result<Reach, AppError> {
    require_role(user, Role::Student)?;
    let before = state.store.reach(user.id).await?;
    let after = state
        .store
        .set_reach(user.id, discoverable, invitations)
        .await?;
    let now = state.clock.now();
    if before.discoverable != after.discoverable {
        state
            .store
            .record_consent(
                user.id,
                "discoverable to employers",
                after.discoverable,
                "self",
                now,
            )
            .await?;
    }
    if before.invitations != after.invitations {
        state
            .store
            .record_consent(
                user.id,
                "invitations from employers",
                after.invitations,
                "self",
                now,
            )
            .await?;
    }
    for (changed, action) in [
        (
            before.discoverable != after.discoverable,
            if after.discoverable {
                "reach.discoverable_on"
            } else {
                "reach.discoverable_off"
            },
        ),
        (
            before.invitations != after.invitations,
            if after.invitations {
                "reach.invitations_on"
            } else {
                "reach.invitations_off"
            },
        ),
    ] {
        if changed {
            state
                .store
                .audit(Some(user.id), action, "user", user.id, "")
                .await?;
        }
    }
    Ok(after)
}

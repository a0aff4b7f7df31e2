//! Offers beyond Stint. An employer's members record an offer of a role
//! (internship, part-time, full-time) to a student the organization hired
//! or whose work it approved; the student accepts it, says they accepted it
//! outside Stint, or declines; the employer may withdraw it while it waits.
//! Each side is told. The student alone chooses whether an offer shows on
//! their portfolio; the employer's public record counts students with
//! offers once there are at least `MIN_PUBLIC_OFFERS` (`orgs::profile`).

use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::offer::{OfferAction, OfferForm, OfferKind, OfferStatus};
use stint_store::{Offer, StoreError, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::{require_employer_member, require_role};
use crate::error::AppError;

fn refused(what: &str) -> AppError {
    AppError::conflict(
        "offer_answered",
        format!("This offer was {what} already; it cannot change now."),
    )
}

/// "a full-time role as Data analyst".
fn described(o: &Offer) -> String {
    let kind = OfferKind::parse(&o.kind).map_or("role", |k| match k {
        OfferKind::Internship => "an internship",
        OfferKind::PartTime => "a part-time role",
        OfferKind::FullTime => "a full-time role",
    });
    format!("{kind} as {}", o.title)
}

/// Records an offer to a student the caller's organization worked with.
pub async fn make(
    state: &AppState,
    user: &User,
    student_id: i64,
    form: &OfferForm,
) -> Result<Offer, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    // Outside the pool: not found, as anywhere in the pool.
    let pooled = state
        .store
        .talent_student(m.org.id, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if pooled.reason == "shortlisted" {
        return Err(AppError::conflict(
            "not_worked_with",
            format!(
                "Offers are for students you hired or whose work you approved; {} was shortlisted only.",
                pooled.name
            ),
        ));
    }
    let input = form.parse(state.clock.today())?;
    let id = state
        .store
        .create_offer(m.org.id, student_id, user.id, &input)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "offer.made",
            "offer",
            id,
            input.kind.as_str(),
        )
        .await?;
    let offer = state.store.offer(id).await?;
    notify::send(
        state,
        student_id,
        Kind::Offer,
        &format!("{} offers you {}", m.org.name, described(&offer)),
        &format!(
            "{} offers you {} starting {}. Accept or decline it in Stint.",
            m.org.name,
            described(&offer),
            crate::view::date(&offer.start_date)
        ),
        "/me/offers",
    )
    .await?;
    Ok(offer)
}

/// The caller's organization's offers; to one student when given.
pub async fn sent(
    state: &AppState,
    user: &User,
    student_id: Option<i64>,
) -> Result<Vec<Offer>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.org_offers(m.org.id, student_id).await?)
}

/// The student's offers.
pub async fn mine(state: &AppState, user: &User) -> Result<Vec<Offer>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.student_offers(user.id).await?)
}

/// An offer the caller may act on: the student it names, or a member of
/// the organization that made it; anyone else is told it does not exist.
async fn offer_for(
    state: &AppState,
    user: &User,
    id: i64,
    by_student: bool,
) -> Result<Offer, AppError> {
    let offer = match state.store.offer(id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    if by_student {
        require_role(user, Role::Student)?;
        if offer.student_id != user.id {
            return Err(AppError::NotFound);
        }
    } else {
        let m = require_employer_member(&state.store, user).await?;
        if offer.org_id != m.org.id {
            return Err(AppError::NotFound);
        }
    }
    Ok(offer)
}

/// Moves an offer: the student answers it (`accept`, `accept_elsewhere`,
/// `decline`), or the employer withdraws it. The other side is told.
pub async fn act(state: &AppState, user: &User, id: i64, action: &str) -> Result<Offer, AppError> {
    let action = OfferAction::parse(action).ok_or_else(|| {
        AppError::Invalid(FieldErrors(vec![stint_domain::FieldError::new(
            "action",
            "The action is one of accept, accept_elsewhere, decline or withdraw.",
        )]))
    })?;
    let offer = offer_for(state, user, id, action.by_student()).await?;
    let from = OfferStatus::parse(&offer.status).unwrap_or(OfferStatus::Open);
    let to = action
        .next(from)
        .ok_or_else(|| refused(&from.label().to_lowercase()))?;
    state
        .store
        .move_offer(id, from, to)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => refused("answered"),
            other => other.into(),
        })?;
    state
        .store
        .audit(Some(user.id), "offer.moved", "offer", id, to.as_str())
        .await?;
    if action.by_student() {
        let event = if to == OfferStatus::Declined {
            "offer.declined"
        } else {
            "offer.accepted"
        };
        super::webhooks::emit(
            state,
            offer.org_id,
            super::webhooks::Event::Offer(
                event,
                super::webhooks::OfferData {
                    offer_id: offer.id,
                    student_id: offer.student_id,
                    student_name: offer.student_name.clone(),
                    kind: offer.kind.clone(),
                    title: offer.title.clone(),
                    start_date: offer.start_date,
                    status: to.as_str().to_string(),
                },
            ),
        )
        .await;
        let verb = match to {
            OfferStatus::Accepted => "accepted",
            OfferStatus::AcceptedElsewhere => "accepted (outside Stint)",
            _ => "declined",
        };
        notify::members(
            state,
            offer.org_id,
            Kind::Offer,
            &format!("{} {verb} your offer", offer.student_name),
            &format!(
                "{} {verb} your offer of {}.",
                offer.student_name,
                described(&offer)
            ),
            &format!("/employer/talent/{}#offers", offer.student_id),
        )
        .await?;
    } else {
        notify::send(
            state,
            offer.student_id,
            Kind::Offer,
            &format!("{} withdrew an offer", offer.org_name),
            &format!(
                "{} withdrew its offer of {}.",
                offer.org_name,
                described(&offer)
            ),
            "/me/offers",
        )
        .await?;
    }
    Ok(state.store.offer(id).await?)
}

/// The student shows an offer on their portfolio, or stops showing it.
pub async fn show_on_profile(
    state: &AppState,
    user: &User,
    id: i64,
    on: bool,
) -> Result<Offer, AppError> {
    let offer = offer_for(state, user, id, true).await?;
    state
        .store
        .set_offer_on_profile(offer.id, user.id, on)
        .await?;
    Ok(state.store.offer(id).await?)
}

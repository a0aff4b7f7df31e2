//! Creating, joining and verifying organizations.

use stint_domain::account::Role;
use stint_domain::organization::{OrgInput, OrgKind};
use stint_store::{Organization, User};

use crate::AppState;
use crate::auth::authz::require_admin;
use crate::auth::tokens::invite_code;
use crate::error::AppError;

pub struct OrgForm<'a> {
    pub name: &'a str,
    pub website: &'a str,
    pub country: &'a str,
    pub description: &'a str,
    pub email_domains: &'a str,
}

/// The kind of organization an account may create or join.
fn kind_for(user: &User) -> Result<OrgKind, AppError> {
    match user.role {
        Role::Employer => Ok(OrgKind::Employer),
        Role::University => Ok(OrgKind::University),
        _ => Err(AppError::Forbidden(
            "Only employer and university staff accounts belong to organizations.",
        )),
    }
}

/// Creates an organization with `user` as owner. It waits for verification.
pub async fn create(
    state: &AppState,
    user: &User,
    f: OrgForm<'_>,
) -> Result<Organization, AppError> {
    let kind = kind_for(user)?;
    if state.store.membership(user.id).await?.is_some() {
        return Err(AppError::conflict(
            "already_member",
            "You already belong to an organization.",
        ));
    }
    let input = OrgInput::parse(
        kind,
        f.name,
        f.website,
        f.country,
        f.description,
        f.email_domains,
    )?;
    let org = match state
        .store
        .create_org(kind, &input, user.id, &invite_code()?)
        .await
    {
        Err(stint_store::StoreError::Conflict("domain")) => {
            return Err(AppError::invalid(
                "email_domains",
                "One of these domains already belongs to another organization on Stint. If it is yours, write to Stint's support.",
            ));
        }
        other => other?,
    };
    state
        .store
        .audit(
            Some(user.id),
            "org.created",
            "organization",
            org.id,
            kind.as_str(),
        )
        .await?;
    Ok(org)
}

/// Joins the organization whose invite code an owner shared.
pub async fn join(state: &AppState, user: &User, code: &str) -> Result<Organization, AppError> {
    let kind = kind_for(user)?;
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(AppError::invalid(
            "invite_code",
            "Enter the invite code your colleague shared.",
        ));
    }
    let org = state
        .store
        .join_org(user.id, kind, &code)
        .await
        .map_err(|e| match e {
            stint_store::StoreError::NotFound => AppError::invalid(
                "invite_code",
                "No organization has that invite code. Check it with your colleague.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(Some(user.id), "org.joined", "organization", org.id, "")
        .await?;
    Ok(org)
}

/// An admin marks an organization verified; its projects may then go live.
pub async fn verify(state: &AppState, admin: &User, org_id: i64) -> Result<Organization, AppError> {
    require_admin(admin)?;
    if state.store.verify_org(org_id).await? {
        state
            .store
            .audit(Some(admin.id), "org.verified", "organization", org_id, "")
            .await?;
        let org = state.store.org(org_id).await?;
        for (_, _, email, _) in state.store.org_members(org_id).await? {
            let body = format!(
                "Good news: {} is now verified on Stint. Your projects can go live as soon as you publish them.\n\n{}/employer\n",
                org.name, state.config.base_url
            );
            state
                .store
                .enqueue_email(&email, "Your organization is verified on Stint", &body)
                .await?;
        }
    }
    Ok(state.store.org(org_id).await?)
}

/// An organization as the public sees it: its record and students' reviews.
pub struct OrgProfile {
    pub org: Organization,
    pub record: stint_store::Accountability,
    /// Students' reviews the double-blind rule shows, newest first.
    pub reviews: Vec<stint_store::Review>,
    /// Clarity of brief, support, payment speed, in tenths.
    pub ratings: Option<[u32; 3]>,
    /// Students who had offers of roles from it, and those who accepted
    /// one, once there are at least `MIN_PUBLIC_OFFERS` students.
    pub offers: Option<(i64, i64)>,
}

pub async fn profile(state: &AppState, org: Organization) -> Result<OrgProfile, AppError> {
    let record = state.store.accountability(org.id).await?;
    let reviews = super::reviews::shown(state, state.store.reviews_of_org(org.id).await?).await?;
    let (offered, accepted) = state.store.org_offer_counts(org.id).await?;
    Ok(OrgProfile {
        offers: (offered >= stint_domain::offer::MIN_PUBLIC_OFFERS).then_some((offered, accepted)),
        ratings: super::reviews::averages(&reviews),
        record,
        reviews,
        org,
    })
}

//! Authorization rules, one named helper per rule, called first in every
//! handler that needs it. Reading this file tells who may do what.

use stint_domain::account::Role;
use stint_domain::organization::{MemberRole, OrgKind};
use stint_domain::project::ProjectStatus;
use stint_domain::university::{AffiliationStatus, StaffRole};
use stint_store::{Application, Membership, Project, Store, User};

use crate::error::AppError;

pub fn require_role(user: &User, role: Role) -> Result<(), AppError> {
    if user.role == role {
        return Ok(());
    }
    Err(AppError::Forbidden(match role {
        Role::Student => "Only student accounts can do this.",
        Role::Employer => "Only employer accounts can do this.",
        Role::University => "Only university staff accounts can do this.",
        Role::Admin => "Only Stint administrators can do this.",
    }))
}

pub fn require_admin(user: &User) -> Result<(), AppError> {
    require_role(user, Role::Admin)
}

/// An employer account that belongs to an employer organization.
pub async fn require_employer_member(store: &Store, user: &User) -> Result<Membership, AppError> {
    require_role(user, Role::Employer)?;
    match store.membership(user.id).await? {
        Some(m) if m.org.kind == OrgKind::Employer => Ok(m),
        _ => Err(AppError::conflict(
            "no_organization",
            "Create or join your organization first.",
        )),
    }
}

/// A university staff account that belongs to a university organization.
pub async fn require_university_member(store: &Store, user: &User) -> Result<Membership, AppError> {
    require_role(user, Role::University)?;
    match store.membership(user.id).await? {
        Some(m) if m.org.kind == OrgKind::University => Ok(m),
        _ => Err(AppError::conflict(
            "no_organization",
            "Create or join your university first.",
        )),
    }
}

/// Career staff of their university: they see its students and outcomes,
/// confirm affiliations and manage its team. Faculty see only the credit
/// requests that name them.
pub fn require_career_staff(m: &Membership) -> Result<(), AppError> {
    if m.staff_role == Some(StaffRole::Career) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only your university's career staff can do this.",
        ))
    }
}

/// An owner of the organization they belong to.
pub fn require_owner(m: &Membership) -> Result<(), AppError> {
    if m.role == MemberRole::Owner {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only the organization's owners can do this.",
        ))
    }
}

/// A member of the organization that posted `project_id`. Others get
/// `NotFound` for drafts (their existence is private) and `Forbidden` for
/// projects the public can see.
pub async fn require_project_member(
    store: &Store,
    user: &User,
    project_id: i64,
) -> Result<(Project, Membership), AppError> {
    let project = store.project(project_id).await?;
    let membership = match store.membership(user.id).await? {
        Some(m) if m.org.id == project.org_id && user.role == Role::Employer => m,
        _ if project.status == ProjectStatus::Draft => return Err(AppError::NotFound),
        _ => {
            return Err(AppError::Forbidden(
                "Only members of the organization that posted this project can change it.",
            ));
        }
    };
    Ok((project, membership))
}

/// The student who made application `id`. Anyone else gets `NotFound`.
pub async fn require_applicant(
    store: &Store,
    user: &User,
    id: i64,
) -> Result<Application, AppError> {
    let a = store.application(id).await?;
    if a.student_id == user.id && user.role == Role::Student {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}

/// A member of the organization whose project application `id` is for.
/// Anyone else gets `NotFound`: applications are private to both sides.
pub async fn require_application_member(
    store: &Store,
    user: &User,
    id: i64,
) -> Result<(Application, Project), AppError> {
    let a = store.application(id).await?;
    match store.membership(user.id).await? {
        Some(m) if m.org.id == a.org_id && user.role == Role::Employer => {
            let p = store.project(a.project_id).await?;
            Ok((a, p))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Whether `viewer` may see `project`: anyone once it has been published;
/// drafts only its organization's members and admins. A project arranged
/// with a university, once published, also its staff and its confirmed
/// students, and nobody else. An invite-only project, once published, also
/// the students it invited (unless the invitation was withdrawn before they
/// answered).
pub async fn can_view_project(
    store: &Store,
    viewer: Option<&User>,
    project: &Project,
) -> Result<bool, AppError> {
    if project.status != ProjectStatus::Draft
        && project.restricted_to.is_none()
        && !project.invite_only
    {
        return Ok(true);
    }
    let Some(user) = viewer else { return Ok(false) };
    if user.role == Role::Admin {
        return Ok(true);
    }
    if project.invite_only && project.status != ProjectStatus::Draft && user.role == Role::Student {
        return Ok(store
            .invitation_to(project.id, user.id)
            .await?
            .is_some_and(|i| i.status != "withdrawn"));
    }
    if let (Some(r), true) = (
        &project.restricted_to,
        project.status != ProjectStatus::Draft,
    ) {
        if user.role == Role::Student {
            return Ok(store.affiliation(user.id).await?.is_some_and(|a| {
                a.university_id == r.university_id && a.status == AffiliationStatus::Confirmed
            }));
        }
        if user.role == Role::University {
            return Ok(store
                .membership(user.id)
                .await?
                .is_some_and(|m| m.org.id == r.university_id));
        }
    }
    Ok(store
        .membership(user.id)
        .await?
        .is_some_and(|m| m.org.id == project.org_id))
}

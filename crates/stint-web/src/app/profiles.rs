//! Student profiles.

use stint_domain::account::Role;
use stint_domain::organization::OrgKind;
use stint_domain::profile::{ProfileForm, StudentProfile};
use stint_store::User;

use super::this_year;
use crate::AppState;
use crate::auth::authz::require_role;
use crate::error::AppError;

pub async fn get(state: &AppState, user: &User) -> Result<StudentProfile, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.profile(user.id).await?)
}

pub async fn save(
    state: &AppState,
    user: &User,
    form: &ProfileForm,
) -> Result<StudentProfile, AppError> {
    require_role(user, Role::Student)?;
    let profile = form.parse(this_year())?;
    if let Some(uni) = profile.university_id {
        match state.store.org(uni).await {
            Ok(o) if o.kind == OrgKind::University => {}
            Ok(_) | Err(stint_store::StoreError::NotFound) => {
                return Err(AppError::invalid(
                    "university_id",
                    "Choose a university from the list.",
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    state.store.save_profile(user.id, &profile).await?;
    super::universities::declared(state, user, profile.university_id).await?;
    Ok(profile)
}

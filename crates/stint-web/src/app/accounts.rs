//! Registration, sign-in, passwords, email verification and API tokens.

use chrono::{Duration, Utc};
use stint_domain::FieldErrors;
use stint_domain::account::{DisplayName, Email, Password, Role};
use stint_store::{EmailPurpose, User};

use crate::AppState;
use crate::auth::password::DUMMY_HASH;
use crate::auth::tokens::{API_TOKEN_PREFIX, hash_token, random_token};
use crate::error::AppError;

/// How long a browser session lasts.
pub const SESSION_DAYS: i64 = 30;

pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub role: &'a str,
}

/// Creates an account and emails a verification link.
pub async fn register(state: &AppState, r: Registration<'_>) -> Result<User, AppError> {
    let mut e = FieldErrors::new();
    let email = e.take(Email::parse(r.email));
    let password = e.take(Password::parse(r.password, email.as_ref()));
    let name = e.take(DisplayName::parse(r.name));
    let role = e.take(Role::parse_signup(r.role));
    let (Some(email), Some(password), Some(name), Some(role)) = (email, password, name, role)
    else {
        return Err(AppError::Invalid(e));
    };
    let hash = state
        .passwords
        .hash(password.expose().to_string(), state.config.password_cost)
        .await?;
    let user = state
        .store
        .create_user(email.as_str(), &hash, name.as_str(), role)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "user.registered",
            "user",
            user.id,
            role.as_str(),
        )
        .await?;
    if role == Role::Student {
        // Students whose email domain belongs to a university are affiliated at once.
        if let Some(uni) = state.store.university_for_domain(email.domain()).await? {
            let mut profile = state.store.profile(user.id).await?;
            profile.university_id = Some(uni);
            state.store.save_profile(user.id, &profile).await?;
            // Declared until the address is confirmed, which proves it.
            super::universities::declared(state, &user, Some(uni)).await?;
        }
    }
    send_verification(state, &user).await?;
    Ok(user)
}

pub async fn send_verification(state: &AppState, user: &User) -> Result<(), AppError> {
    email_link(state, user, EmailPurpose::Verify, Duration::days(3), "/verify-email", "Confirm your email for Stint", |link| {
        format!(
            "Hello {},\n\nWelcome to Stint. Confirm your email address by opening this link (valid for 3 days):\n\n{link}\n\nIf you did not sign up, ignore this message.\n",
            user.name
        )
    })
    .await
}

/// Emails `user` a one-time link to `path?token=…`, valid for `ttl`; only the
/// token's hash is stored.
async fn email_link(
    state: &AppState,
    user: &User,
    purpose: EmailPurpose,
    ttl: Duration,
    path: &str,
    subject: &str,
    body: impl FnOnce(&str) -> String,
) -> Result<(), AppError> {
    let token = random_token()?;
    state
        .store
        .create_email_token(&hash_token(&token), user.id, purpose, Utc::now() + ttl)
        .await?;
    let link = format!("{}{path}?token={token}", state.config.base_url);
    state
        .store
        .enqueue_email(&user.email, subject, &body(&link))
        .await?;
    Ok(())
}

/// Checks an email and password. Unknown emails take as long as wrong
/// passwords, and both get the same answer.
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<User, AppError> {
    if email.trim().is_empty() || password.is_empty() {
        return Err(AppError::invalid("email", "Enter your email and password."));
    }
    if password.len() > 1024 {
        return Err(AppError::BadCredentials);
    }
    let user = match Email::parse(email) {
        Ok(e) => state.store.user_by_email(e.as_str()).await?,
        Err(_) => None,
    };
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let ok = state.passwords.verify(password.to_string(), stored).await?;
    match user {
        Some(u) if ok => {
            super::sso::check_password_allowed(state, &u).await?;
            super::scim::check_active(state, &u).await?;
            Ok(u)
        }
        _ => Err(AppError::BadCredentials),
    }
}

/// Starts a browser session; returns the cookie token.
pub async fn start_session(state: &AppState, user: &User) -> Result<String, AppError> {
    super::scim::check_active(state, user).await?;
    let token = random_token()?;
    state
        .store
        .create_session(
            &hash_token(&token),
            user.id,
            Utc::now() + Duration::days(SESSION_DAYS),
        )
        .await?;
    Ok(token)
}

/// Changes a password after checking the current one; other sessions end.
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> Result<(), AppError> {
    if !state
        .passwords
        .verify(current.to_string(), user.password_hash.clone())
        .await?
    {
        return Err(AppError::invalid(
            "current_password",
            "Your current password is not right.",
        ));
    }
    let email = Email::parse(&user.email).ok();
    let new = Password::parse(new, email.as_ref()).map_err(|mut e| {
        e.field = "new_password";
        FieldErrors::from(e)
    })?;
    let hash = state
        .passwords
        .hash(new.expose().to_string(), state.config.password_cost)
        .await?;
    state.store.set_password(user.id, &hash).await?;
    state
        .store
        .delete_other_sessions(user.id, keep_session)
        .await?;
    state
        .store
        .audit(Some(user.id), "user.password_changed", "user", user.id, "")
        .await?;
    Ok(())
}

/// Changes the name other people see (credentials already issued keep
/// the name they were signed with).
pub async fn change_name(state: &AppState, user: &User, raw: &str) -> Result<User, AppError> {
    let name = stint_domain::account::DisplayName::parse(raw).map_err(FieldErrors::from)?;
    if name.as_str() != user.name {
        state.store.set_name(user.id, name.as_str()).await?;
        state
            .store
            .audit(Some(user.id), "user.name_changed", "user", user.id, "")
            .await?;
    }
    Ok(state.store.user(user.id).await?)
}

/// Emails a reset link if the account exists; says nothing either way.
pub async fn request_reset(state: &AppState, email: &str) -> Result<(), AppError> {
    let email = Email::parse(email)?;
    if let Some(user) = state.store.user_by_email(email.as_str()).await? {
        // Where the organization requires its own sign-in, a password
        // would not work: say so instead of sending a link.
        if let Err(AppError::Conflict { message, .. }) =
            super::sso::check_password_allowed(state, &user).await
        {
            state
                .store
                .enqueue_email(
                    &user.email,
                    "Signing in to Stint",
                    &format!(
                        "Hello {},\n\nSomeone asked to reset your Stint password. {message} Passwords are not used for your address.\n",
                        user.name
                    ),
                )
                .await?;
            return Ok(());
        }
        email_link(state, &user, EmailPurpose::Reset, Duration::hours(1), "/reset-password", "Reset your Stint password", |link| {
            format!(
                "Hello {},\n\nSomeone asked to reset your Stint password. If it was you, open this link within an hour:\n\n{link}\n\nIf it was not you, ignore this message; your password stays as it is.\n",
                user.name
            )
        })
        .await?;
    }
    Ok(())
}

/// Sets a new password from an emailed link; every session ends.
pub async fn reset_password(state: &AppState, token: &str, new: &str) -> Result<User, AppError> {
    // Check the password before using up the token, so a typo does not waste the link.
    let parsed = Password::parse(new, None)?;
    let user_id = state
        .store
        .consume_email_token(&hash_token(token), EmailPurpose::Reset)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "token",
                "This reset link has expired or was already used. Ask for a new one.",
            )
        })?;
    let user = state.store.user(user_id).await?;
    // A link sent before the organization required its own sign-in.
    super::sso::check_password_allowed(state, &user).await?;
    let hash = state
        .passwords
        .hash(parsed.expose().to_string(), state.config.password_cost)
        .await?;
    state.store.set_password(user.id, &hash).await?;
    state.store.delete_other_sessions(user.id, None).await?;
    // The link proves the address works.
    state.store.mark_email_verified(user.id).await?;
    state
        .store
        .audit(Some(user.id), "user.password_reset", "user", user.id, "")
        .await?;
    Ok(user)
}

pub async fn verify_email(state: &AppState, token: &str) -> Result<User, AppError> {
    let user_id = state
        .store
        .consume_email_token(&hash_token(token), EmailPurpose::Verify)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "token",
                "This confirmation link has expired or was already used.",
            )
        })?;
    state.store.mark_email_verified(user_id).await?;
    state
        .store
        .audit(Some(user_id), "user.email_verified", "user", user_id, "")
        .await?;
    let user = state.store.user(user_id).await?;
    super::universities::account_address_confirmed(state, &user).await?;
    Ok(user)
}

/// Issues an API token; only its hash is kept, so the caller must show it now.
pub async fn issue_api_token(
    state: &AppState,
    user: &User,
    name: &str,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    let name = if name.is_empty() { "API token" } else { name };
    if name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            "Name the token in at most 80 characters.",
        ));
    }
    let token = format!("{API_TOKEN_PREFIX}{}", random_token()?);
    let id = state
        .store
        .create_api_token(user.id, name, &hash_token(&token))
        .await?;
    state
        .store
        .audit(Some(user.id), "token.issued", "api_token", id, name)
        .await?;
    Ok((id, token))
}

pub async fn revoke_api_token(
    state: &AppState,
    user: &User,
    token_id: i64,
) -> Result<(), AppError> {
    state.store.revoke_api_token(user.id, token_id).await?;
    state
        .store
        .audit(Some(user.id), "token.revoked", "api_token", token_id, "")
        .await?;
    Ok(())
}

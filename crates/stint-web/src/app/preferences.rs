//! Email choices per topic. Every notification appears in the app; email
//! follows only for the topics a person keeps on.

use std::collections::HashMap;

use stint_domain::notice::Topic;
use stint_store::User;

use crate::AppState;
use crate::error::AppError;

/// Every topic with this person's choice (or the default).
pub async fn email_choices(state: &AppState, user_id: i64) -> Result<Vec<(Topic, bool)>, AppError> {
    let set: HashMap<String, bool> = state
        .store
        .email_preferences(user_id)
        .await?
        .into_iter()
        .collect();
    Ok(Topic::ALL
        .into_iter()
        .map(|t| {
            (
                t,
                set.get(t.as_str()).copied().unwrap_or(t.default_enabled()),
            )
        })
        .collect())
}

/// Sets the given topics; topics not named keep their choice. Unknown
/// topic names are refused, naming them.
pub async fn set_email_choices(
    state: &AppState,
    user: &User,
    choices: &[(String, bool)],
) -> Result<Vec<(Topic, bool)>, AppError> {
    let mut parsed = Vec::new();
    let mut unknown = Vec::new();
    for (name, on) in choices {
        match Topic::parse(name) {
            Some(t) => parsed.push((t, *on)),
            None => unknown.push(name.as_str()),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
        return Err(AppError::invalid(
            "topics",
            format!(
                "Unknown topic {}. The topics are: {}.",
                unknown.join(", "),
                known.join(", ")
            ),
        ));
    }
    let before = email_choices(state, user.id).await?;
    for (t, on) in parsed {
        state
            .store
            .set_email_preference(user.id, t.as_str(), on)
            .await?;
        if before.iter().any(|(b, was)| *b == t && *was != on) {
            state
                .store
                .record_consent(
                    user.id,
                    &format!("email: {}", t.label()),
                    on,
                    "self",
                    state.clock.now(),
                )
                .await?;
        }
    }
    email_choices(state, user.id).await
}

/// Whether a notification of `kind` should also go out by email.
pub async fn wants_email(state: &AppState, user_id: i64, kind: &str) -> Result<bool, AppError> {
    let topic = Topic::of_kind(kind);
    Ok(email_choices(state, user_id)
        .await?
        .into_iter()
        .find(|(t, _)| *t == topic)
        .is_none_or(|(_, on)| on))
}

//! A private, revocable calendar feed per person: students get decision
//! dates of their applications, due dates of their work and the close of
//! review windows; employers get their open projects' deadlines and
//! decision dates, submissions waiting for review (with the moment they
//! approve themselves) and review windows.

use chrono::Duration;
use sha2::{Digest, Sha256};
use stint_domain::account::Role;
use stint_store::User;

use crate::AppState;
use crate::error::AppError;
use crate::ics::{self, Event, When};

fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn purpose(user: &User) -> String {
    format!("calendar:{}", user.id)
}

fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/calendar/{token}/stint.ics", state.config.base_url)
}

/// The person's feed address, if they turned it on.
pub async fn address(state: &AppState, user: &User) -> Result<Option<String>, AppError> {
    let Some(sealed) = state.store.calendar_feed(user.id).await? else {
        return Ok(None);
    };
    let token = state
        .config
        .sealer
        .open(&purpose(user), &sealed)
        .map_err(|e| AppError::Internal(format!("calendar token: {e:?}")))?;
    Ok(Some(feed_url(state, &String::from_utf8_lossy(&token))))
}

/// Turns the feed on, or gives it a new address (the old one stops working).
pub async fn reset(state: &AppState, user: &User) -> Result<String, AppError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let sealed = state
        .config
        .sealer
        .seal(&purpose(user), token.as_bytes())
        .map_err(|e| AppError::Internal(format!("calendar token: {e:?}")))?;
    state
        .store
        .set_calendar_feed(user.id, &hash(&token), &sealed)
        .await?;
    state
        .store
        .audit(Some(user.id), "calendar.reset", "user", user.id, "")
        .await?;
    Ok(feed_url(state, &token))
}

pub async fn turn_off(state: &AppState, user: &User) -> Result<(), AppError> {
    state.store.delete_calendar_feed(user.id).await?;
    state
        .store
        .audit(Some(user.id), "calendar.off", "user", user.id, "")
        .await?;
    Ok(())
}

/// The feed behind `token`; `NotFound` for an unknown or reset one.
pub async fn feed(state: &AppState, token: &str) -> Result<String, AppError> {
    if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let Some(user_id) = state.store.calendar_feed_owner(&hash(token)).await? else {
        return Err(AppError::NotFound);
    };
    let user = state.store.user(user_id).await?;
    let events = events(state, &user).await?;
    Ok(ics::calendar(
        &format!("Stint: {}", user.name),
        state.clock.now(),
        &events,
    ))
}

async fn events(state: &AppState, user: &User) -> Result<Vec<Event>, AppError> {
    let store = &state.store;
    let base = &state.config.base_url;
    let host = base.split("://").nth(1).unwrap_or(base).to_string();
    let uid = |kind: &str, id: i64| format!("{kind}-{id}@{host}");
    let window = Duration::days(i64::from(state.config.review_window_days));
    let mut out = Vec::new();
    let review_event = |w: &stint_store::ReviewWindow, who: &str| Event {
        uid: uid("review-window", w.engagement_id),
        when: When::At(w.released_at + window),
        summary: format!("Review window closes: {}", w.project_title),
        description: format!(
            "Reviews of \"{}\" stay hidden until both sides have written theirs or this window closes. Review {who} before then.",
            w.project_title
        ),
        url: format!("{base}/engagements/{}", w.engagement_id),
    };
    match user.role {
        Role::Student => {
            let agenda = store.student_agenda(user.id).await?;
            for a in &agenda.applications {
                out.push(Event {
                    uid: uid("decision", a.application_id),
                    when: When::Day(a.decision_by),
                    summary: format!("Decision due: {}", a.project_title),
                    description: format!(
                        "{} said it will decide on applications to \"{}\" by this day.",
                        a.org_name, a.project_title
                    ),
                    url: format!("{base}/me/applications"),
                });
            }
            for w in &agenda.work {
                out.push(Event {
                    uid: uid("due", w.engagement_id),
                    when: When::Day(w.due_date),
                    summary: format!("Due: {}", w.project_title),
                    description: format!("Deliver \"{}\" for {}.", w.project_title, w.org_name),
                    url: format!("{base}/engagements/{}", w.engagement_id),
                });
            }
            let since = state.clock.now() - window;
            for w in store
                .open_review_windows(Some(user.id), None, since)
                .await?
            {
                out.push(review_event(&w, "the employer"));
            }
        }
        Role::Employer => {
            let Some(m) = store.membership(user.id).await? else {
                return Ok(out);
            };
            for p in store.org_open_project_dates(m.org.id).await? {
                out.push(Event {
                    uid: uid("deadline", p.project_id),
                    when: When::Day(p.application_deadline),
                    summary: format!("Applications close: {}", p.title),
                    description: String::new(),
                    url: format!("{base}/employer/projects/{}/applicants", p.project_id),
                });
                out.push(Event {
                    uid: uid("decide", p.project_id),
                    when: When::Day(p.decision_by),
                    summary: format!("Decide on applicants: {}", p.title),
                    description: format!(
                        "You told applicants to \"{}\" they would hear by this day.",
                        p.title
                    ),
                    url: format!("{base}/employer/projects/{}/applicants", p.project_id),
                });
            }
            let auto = Duration::days(i64::from(state.config.auto_approve_days));
            for r in store.org_agenda(m.org.id).await?.reviews {
                out.push(Event {
                    uid: uid("review", r.engagement_id),
                    when: When::At(r.submitted_at + auto),
                    summary: format!("Review the work: {}", r.project_title),
                    description: format!(
                        "{} delivered \"{}\". Without your approval or a revision request it is approved automatically at this time.",
                        r.student_name, r.project_title
                    ),
                    url: format!("{base}/engagements/{}", r.engagement_id),
                });
            }
            let since = state.clock.now() - window;
            for w in store
                .open_review_windows(None, Some(m.org.id), since)
                .await?
            {
                out.push(review_event(&w, "the student"));
            }
        }
        _ => {}
    }
    Ok(out)
}

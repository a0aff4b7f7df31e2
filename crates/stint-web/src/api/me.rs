//! `/me`: the caller's account and student profile.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::{OrgView, ProfileBody, ProfileView, UserView};
use super::{ApiError, ApiJson, Problem};
use crate::AppState;
use crate::app::profiles;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, patch_me))
        .routes(routes!(calendar, reset_calendar, calendar_off))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(notifications))
        .routes(routes!(read_all))
        .routes(routes!(read_one))
        .routes(routes!(email_preferences, set_email_preferences))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    #[serde(flatten)]
    user: UserView,
    /// The organization the caller belongs to, with its invite code.
    organization: Option<OrgView>,
    /// owner | member, when in an organization.
    membership_role: Option<String>,
}

/// The caller's account.
#[utoipa::path(get, path = "/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MeView), (status = 401, body = super::Problem)))]
async fn me(State(state): State<AppState>, caller: ApiUser) -> Result<Json<MeView>, ApiError> {
    let m = state.store.membership(caller.user.id).await?;
    Ok(Json(MeView {
        user: UserView::from(&caller.user),
        organization: m.as_ref().map(|m| OrgView::new(&m.org, true)),
        membership_role: m.map(|m| m.role.as_str().to_string()),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeChange {
    /// The name other people see (1 to 80 characters, one line).
    #[schema(min_length = 1, max_length = 80)]
    name: String,
}

/// Change the caller's name. Credentials already issued keep the name they
/// were signed with.
#[utoipa::path(patch, path = "/me", tag = "me", security(("bearer" = [])), request_body = MeChange,
    responses((status = 200, body = MeView), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn patch_me(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<MeChange>,
) -> Result<Json<MeView>, ApiError> {
    let user = crate::app::accounts::change_name(&state, &caller.user, &body.name).await?;
    let m = state.store.membership(user.id).await?;
    Ok(Json(MeView {
        user: UserView::from(&user),
        organization: m.as_ref().map(|m| OrgView::new(&m.org, true)),
        membership_role: m.map(|m| m.role.as_str().to_string()),
    }))
}

fn view(p: &stint_domain::profile::StudentProfile) -> ProfileView {
    let c = p.completeness();
    ProfileView {
        profile: ProfileBody::from(p),
        completeness: c.percent,
        missing: c.missing.into_iter().map(String::from).collect(),
    }
}

/// The caller's student profile, with how complete it is.
#[utoipa::path(get, path = "/me/profile", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = ProfileView), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn get_profile(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(view(&profiles::get(&state, &caller.user).await?)))
}

/// Replace the caller's student profile.
#[utoipa::path(put, path = "/me/profile", tag = "me", security(("bearer" = [])), request_body = ProfileBody,
    responses((status = 200, body = ProfileView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn put_profile(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<ProfileBody>,
) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(view(
        &profiles::save(&state, &caller.user, &body.to_form()).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    id: i64,
    #[schema(value_type = super::doc::NotificationKind)]
    kind: String,
    title: String,
    body: String,
    /// A path on this site to act on it.
    link: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    unread: i64,
    /// The newest 100.
    items: Vec<NotificationView>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/me/notifications", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = NotificationList), (status = 401, body = super::Problem)))]
async fn notifications(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<NotificationList>, ApiError> {
    let items = state.store.notifications(caller.user.id, 100).await?;
    Ok(Json(NotificationList {
        unread: state.store.unread_notifications(caller.user.id).await?,
        items: items
            .into_iter()
            .map(|n| NotificationView {
                id: n.id,
                kind: n.kind,
                title: n.title,
                body: n.body,
                link: n.link,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
    }))
}

/// Mark all the caller's notifications read.
#[utoipa::path(post, path = "/me/notifications/read", tag = "me", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::Problem)))]
async fn read_all(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<axum::http::StatusCode, ApiError> {
    state.store.mark_read(caller.user.id, None).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Mark one notification read.
#[utoipa::path(post, path = "/me/notifications/{id}/read", tag = "me", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn read_one(
    State(state): State<AppState>,
    caller: ApiUser,
    super::ApiId(id): super::ApiId,
) -> Result<axum::http::StatusCode, ApiError> {
    state.store.mark_read(caller.user.id, Some(id)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Which topics of notification also arrive by email. In a request, topics
/// left out keep their current choice; unknown topics are refused.
#[derive(Debug, Default, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailPreferences {
    /// New applicants, shortlisting, decisions, hiring, closing.
    #[serde(skip_serializing_if = "Option::is_none")]
    applications: Option<bool>,
    /// Messages and questions in threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<bool>,
    /// Submissions, revisions, approval, payments, deadlines, disputes.
    #[serde(skip_serializing_if = "Option::is_none")]
    work: Option<bool>,
    /// Reviews received and outcomes to confirm.
    #[serde(skip_serializing_if = "Option::is_none")]
    reviews: Option<bool>,
    /// New projects that match (off unless chosen).
    #[serde(skip_serializing_if = "Option::is_none")]
    alerts: Option<bool>,
}

fn email_view(choices: Vec<(stint_domain::notice::Topic, bool)>) -> EmailPreferences {
    use stint_domain::notice::Topic;
    let mut v = EmailPreferences::default();
    for (t, on) in choices {
        let slot = match t {
            Topic::Applications => &mut v.applications,
            Topic::Messages => &mut v.messages,
            Topic::Work => &mut v.work,
            Topic::Reviews => &mut v.reviews,
            Topic::Alerts => &mut v.alerts,
        };
        *slot = Some(on);
    }
    v
}

/// The caller's email choices per topic (in-app notifications are always on).
#[utoipa::path(get, path = "/me/email-preferences", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = EmailPreferences), (status = 401, body = super::Problem)))]
async fn email_preferences(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<EmailPreferences>, ApiError> {
    Ok(Json(email_view(
        crate::app::preferences::email_choices(&state, caller.user.id).await?,
    )))
}

/// Change email choices: topics named are set, others keep theirs.
#[utoipa::path(put, path = "/me/email-preferences", tag = "me", security(("bearer" = [])),
    request_body = EmailPreferences,
    responses((status = 200, body = EmailPreferences), (status = 401, body = super::Problem), (status = 422, body = super::Problem)))]
async fn set_email_preferences(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<EmailPreferences>,
) -> Result<Json<EmailPreferences>, ApiError> {
    let choices: Vec<(String, bool)> = [
        ("applications", body.applications),
        ("messages", body.messages),
        ("work", body.work),
        ("reviews", body.reviews),
        ("alerts", body.alerts),
    ]
    .into_iter()
    .filter_map(|(t, on)| on.map(|on| (t.to_string(), on)))
    .collect();
    Ok(Json(email_view(
        crate::app::preferences::set_email_choices(&state, &caller.user, &choices).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarView {
    /// The private iCalendar (RFC 5545) feed's address; absent while off.
    url: Option<String>,
}

/// The caller's calendar feed address (students and employers have dates in it).
#[utoipa::path(get, path = "/me/calendar", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = CalendarView), (status = 401, body = super::Problem)))]
async fn calendar(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<CalendarView>, ApiError> {
    Ok(Json(CalendarView {
        url: crate::app::calendar::address(&state, &caller.user).await?,
    }))
}

/// Turn the calendar feed on, or give it a new address (the old one stops working).
#[utoipa::path(post, path = "/me/calendar", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = CalendarView), (status = 401, body = super::Problem)))]
async fn reset_calendar(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<CalendarView>, ApiError> {
    Ok(Json(CalendarView {
        url: Some(crate::app::calendar::reset(&state, &caller.user).await?),
    }))
}

/// Turn the calendar feed off; its address stops working.
#[utoipa::path(delete, path = "/me/calendar", tag = "me", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::Problem)))]
async fn calendar_off(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<axum::http::StatusCode, ApiError> {
    crate::app::calendar::turn_off(&state, &caller.user).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

//! Reviews: two-way, double-blind, once each, within the window.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;
use crate::common::TestApp;

/// A hired engagement whose work was delivered and approved.
pub async fn approved(app: &TestApp) -> (crate::common::Actor, crate::common::Actor, i64) {
    let (boss, s, id) = hired(app).await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/approve"),
        Some(&boss.token),
        None,
    )
    .await;
    (boss, s, id)
}

app_test!(reviews_are_double_blind, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let path = format!("/api/v1/engagements/{id}/reviews");
    let good = json!({"ratings": [5, 4, 5], "body": "Clear brief and quick answers."});
    assert_eq!(
        app.api(Method::POST, &path, Some(&s.token), Some(good.clone()))
            .await
            .code(),
        "not_approved"
    );
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/approve"),
        Some(&boss.token),
        None,
    )
    .await;

    let r = app
        .api(
            Method::POST,
            &path,
            Some(&s.token),
            Some(json!({"ratings": [0, 9], "body": "ok", "recommendation": "Hire them"})),
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(
        f,
        vec!["rating_1", "rating_2", "rating_3", "recommendation", "text"]
    );
    assert_eq!(
        app.api(Method::POST, &path, Some(&s.token), Some(good.clone()))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.api(Method::POST, &path, Some(&s.token), Some(good.clone()))
            .await
            .code(),
        "already_reviewed"
    );
    let nosy = app.student("nosy@x.com").await;
    assert_eq!(
        app.api(Method::GET, &path, Some(&nosy.token), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let seen = app
        .api(Method::GET, &path, Some(&boss.token), None)
        .await
        .json();
    assert_eq!(
        (
            seen["theirs_written"].as_bool(),
            seen["theirs"].is_null(),
            seen["can_write"].as_bool()
        ),
        (Some(true), true, Some(true)),
        "hidden until both are in"
    );
    let r = app.api(Method::POST, &path, Some(&boss.token), Some(json!({"ratings": [5, 5, 4], "body": "Careful, well-sourced work.", "recommendation": "I would hire Person worker again."}))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.json()["theirs"]["body"],
        "Clear brief and quick answers.",
        "both in: both visible"
    );
    let mine = app
        .api(Method::GET, &path, Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        mine["theirs"]["recommendation"],
        "I would hire Person worker again."
    );
    assert_eq!(mine["theirs"]["ratings"], json!([5, 5, 4]));
    let page = app
        .get(&format!("/engagements/{id}"), Some(&s.cookie))
        .await;
    assert!(
        page.body.contains("Quality of work: 5/5")
            && page.body.contains("I would hire Person worker again.")
    );
});

app_test!(the_window_reveals_and_then_closes, |app| async move {
    let (boss, s, id) = approved(&app).await;
    let path = format!("/api/v1/engagements/{id}/reviews");
    let r = app
        .form(
            &format!("/engagements/{id}/reviews"),
            Some(&s.cookie),
            &[
                ("rating_1", "4"),
                ("rating_2", "5"),
                ("rating_3", "5"),
                ("text", "Friendly and clear."),
            ],
        )
        .await;
    assert_eq!(r.location(), format!("/engagements/{id}?notice=reviewed"));
    assert!(
        app.api(Method::GET, &path, Some(&boss.token), None)
            .await
            .json()["theirs"]
            .is_null()
    );
    app.state.clock.advance(Duration::days(15));
    stint_web::app::jobs::run_due(&app.state, 50)
        .await
        .unwrap_or_default();
    let seen = app
        .api(Method::GET, &path, Some(&boss.token), None)
        .await
        .json();
    assert_eq!(
        seen["theirs"]["body"], "Friendly and clear.",
        "the window closed: shown"
    );
    assert_eq!(seen["can_write"], false);
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&boss.token),
            Some(json!({"ratings": [3, 3, 3], "body": "Late but fine work."}))
        )
        .await
        .code(),
        "window_closed"
    );
    let notes = app
        .api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&boss.token),
            None,
        )
        .await
        .json();
    let titles: Vec<&str> = notes["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|n| n["title"].as_str()).collect())
        .unwrap_or_default();
    assert!(titles.contains(&"Reviews are visible"), "{titles:?}");
});

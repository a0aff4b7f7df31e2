//! Email choices per topic: in-app notifications always arrive; email only
//! for the topics a person keeps on.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

app_test!(email_follows_the_choices, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/email-preferences",
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"applications": true, "messages": true, "work": true, "reviews": true, "alerts": false})
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/me/email-preferences", None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/email-preferences",
            Some(&s.token),
            Some(json!({"messages": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"applications": true, "messages": false, "work": true, "reviews": true, "alerts": false})
    );
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/email-preferences",
            Some(&s.token),
            Some(json!({"spam": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/email-preferences",
            Some(&s.token),
            Some(json!({"work": "yes"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let before = app
        .state
        .store
        .email_to(&s.email)
        .await
        .unwrap_or_default()
        .len();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/messages"),
            Some(&boss.token),
            Some(json!({"body": "Any questions so far?"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(app.count_kind(&s, "message").await > 0, "still in the app");
    assert_eq!(
        app.state
            .store
            .email_to(&s.email)
            .await
            .unwrap_or_default()
            .len(),
        before,
        "no email for messages"
    );
    // Work news still arrives by email.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/cancel"),
            Some(&boss.token),
            Some(json!({"reason": "Budget was cut"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.state
            .store
            .email_to(&s.email)
            .await
            .unwrap_or_default()
            .len(),
        before + 1
    );
    // Someone else's choices are their own.
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/email-preferences",
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.json()["messages"], true);
});

app_test!(the_notifications_page_saves_choices, |app| async move {
    let s = app.student("s@x.com").await;
    let page = app.get("/me/notifications", Some(&s.cookie)).await;
    assert!(page.body.contains("Email me about"));
    assert_eq!(page.body.matches("name=\"email\"").count(), 5);
    assert_eq!(
        page.body.matches(" checked").count(),
        4,
        "alerts by email are opt-in"
    );
    let r = app
        .form(
            "/me/notifications/email",
            Some(&s.cookie),
            &[("email", "applications"), ("email", "work")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app
        .get("/me/notifications?notice=email_saved", Some(&s.cookie))
        .await;
    assert_eq!(page.body.matches(" checked").count(), 2);
    assert!(page.body.contains("Your email choices are saved."));
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/email-preferences",
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"applications": true, "messages": false, "work": true, "reviews": false, "alerts": false})
    );
    // Signed out: to the sign-in page, nothing saved.
    let r = app
        .form("/me/notifications/email", None, &[("email", "messages")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
});

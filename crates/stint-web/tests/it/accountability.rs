//! Employers' records: answered share, decision speed, approvals without a
//! reminder, and students' ratings; on the organization page, the API and
//! every project page.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::json;

use crate::app_test;
use crate::common::{Actor, TestApp};

async fn project(app: &TestApp, boss: &Actor, title: &str, slots: i64) -> i64 {
    app.published(boss, title, slots, false).await
}

async fn apply(app: &TestApp, s: &Actor, project: i64) -> i64 {
    app.apply(s, project).await.json()["id"]
        .as_i64()
        .unwrap_or_default()
}

app_test!(records_count_what_employers_did, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme Research", true).await;
    let fresh = app
        .api(
            Method::GET,
            "/api/v1/organizations/acme-research",
            None,
            None,
        )
        .await
        .json();
    assert_eq!(
        fresh["record"]["answered_percent"],
        serde_json::Value::Null,
        "no record yet"
    );

    // Project A: one hire fills it; the other applicant is closed because it filled (not held against the employer).
    let a = project(&app, &boss, "Project A for the record", 1).await;
    let (s1, s2, s3) = (
        app.student("s1@x.com").await,
        app.student("s2@x.com").await,
        app.student("s3@x.com").await,
    );
    let hire = apply(&app, &s1, a).await;
    apply(&app, &s2, a).await;
    let h = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{hire}/hire"),
            Some(&boss.token),
            None,
        )
        .await
        .json();
    let eng = h["engagement"]["id"].as_i64().unwrap_or_default();
    // Project B: one rejection, one left undecided until the decision date passes.
    let b = project(&app, &boss, "Project B for the record", 3).await;
    let rej = apply(&app, &s2, b).await;
    apply(&app, &s3, b).await;
    app.api(
        Method::POST,
        &format!("/api/v1/applications/{rej}/reject"),
        Some(&boss.token),
        None,
    )
    .await;
    // Delivery approved only after silence.
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{eng}/submissions"),
        Some(&s1.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    app.state.clock.advance(Duration::days(10));
    stint_web::app::jobs::run_due(&app.state, 50)
        .await
        .unwrap_or_default();
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{eng}/reviews"),
        Some(&s1.token),
        Some(json!({"ratings": [4, 3, 2], "body": "Good brief, slow to approve."})),
    )
    .await;

    let r = app
        .api(
            Method::GET,
            "/api/v1/organizations/acme-research",
            None,
            None,
        )
        .await
        .json();
    let rec = &r["record"];
    assert_eq!(
        (
            rec["decided"].as_i64(),
            rec["closed_without_decision"].as_i64()
        ),
        (Some(2), Some(1)),
        "{rec}"
    );
    assert_eq!(rec["answered_percent"], 66);
    assert_eq!(
        rec["on_time_approval_percent"], 0,
        "approved only after silence"
    );
    assert_eq!(rec["median_decision_hours"], 0);
    assert!(
        rec["ratings"].is_null(),
        "one-sided review stays hidden inside the window"
    );
    app.state.clock.advance(Duration::days(15));
    let rec = app
        .api(
            Method::GET,
            "/api/v1/organizations/acme-research",
            None,
            None,
        )
        .await
        .json()["record"]
        .clone();
    assert_eq!(
        (rec["ratings"].clone(), rec["review_count"].as_i64()),
        (json!([4.0, 3.0, 2.0]), Some(1))
    );

    let page = app.get("/organizations/acme-research", None).await;
    assert!(
        page.body.contains("Answered 66% of applications")
            && page.body.contains("Good brief, slow to approve.")
            && page.body.contains("payment 2.0 out of 5")
    );
    let project_page = app.get(&format!("/projects/{a}"), None).await;
    assert!(
        project_page.body.contains("Answered 66% of applications")
            && project_page
                .body
                .contains("href=\"/organizations/acme-research\"")
    );
    assert_eq!(
        app.get("/organizations/nope", None).await.status,
        StatusCode::NOT_FOUND
    );
});

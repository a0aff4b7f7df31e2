//! Disputes: raised by either side after a submission, settled by an admin
//! with money moved once and the decision audited.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

app_test!(disputes_are_raised_and_resolved, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let path = |a: &str| format!("/api/v1/engagements/{id}/{a}");
    assert_eq!(
        app.api(
            Method::POST,
            &path("dispute"),
            Some(&s.token),
            Some(json!({"reason": "They stopped answering."}))
        )
        .await
        .code(),
        "invalid_transition",
        "nothing submitted yet"
    );
    app.api(
        Method::POST,
        &path("submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    let nosy = app.student("nosy@x.com").await;
    assert_eq!(
        app.api(
            Method::POST,
            &path("dispute"),
            Some(&nosy.token),
            Some(json!({"reason": "Not my business."}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path("dispute"),
            Some(&boss.token),
            Some(json!({"reason": ""}))
        )
        .await
        .fields(),
        vec!["reason"]
    );
    let r = app
        .api(
            Method::POST,
            &path("dispute"),
            Some(&boss.token),
            Some(json!({"reason": "Half the deliverables are missing."})),
        )
        .await;
    assert_eq!(r.json()["status"], "disputed");
    assert_eq!(
        app.api(Method::POST, &path("approve"), Some(&boss.token), None)
            .await
            .code(),
        "invalid_transition",
        "no approving around a dispute"
    );

    let resolve = json!({"outcome": "partial", "amount_minor": 600000, "note": "Two of three deliverables were delivered."});
    assert_eq!(
        app.api(
            Method::POST,
            &path("resolve"),
            Some(&boss.token),
            Some(resolve.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/disputes", Some(&s.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let admin = app.admin().await;
    assert_eq!(
        app.api(Method::GET, "/api/v1/disputes", Some(&admin.token), None)
            .await
            .json()
            .as_array()
            .map(|a| a.len()),
        Some(1)
    );
    let bad =
        json!({"outcome": "partial", "amount_minor": 900000, "note": "Too much to pay in part."});
    assert_eq!(
        app.api(
            Method::POST,
            &path("resolve"),
            Some(&admin.token),
            Some(bad)
        )
        .await
        .fields(),
        vec!["amount"]
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path("resolve"),
            Some(&admin.token),
            Some(json!({"outcome": "coin toss", "note": "Heads wins the day."}))
        )
        .await
        .fields(),
        vec!["outcome"]
    );
    let r = app
        .api(
            Method::POST,
            &path("resolve"),
            Some(&admin.token),
            Some(resolve.clone()),
        )
        .await;
    assert_eq!(
        r.json()["status"],
        "approved",
        "manual provider: settled and released, paid once paid out; {}",
        r.body
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path("resolve"),
            Some(&admin.token),
            Some(resolve)
        )
        .await
        .code(),
        "invalid_transition",
        "settled once"
    );

    let entries: Vec<(String, i64)> = app
        .state
        .store
        .ledger_entries(id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.kind, e.amount_minor))
        .collect();
    assert_eq!(
        entries,
        vec![
            ("fund".into(), 900_000),
            ("fee".into(), 90_000),
            ("release".into(), 600_000),
            ("refund".into(), 300_000)
        ]
    );
    assert_eq!(
        app.state
            .store
            .ledger_balances()
            .await
            .unwrap_or_default()
            .iter()
            .map(|(_, _, b)| b)
            .sum::<i64>(),
        0
    );
    let audit = app
        .state
        .store
        .audit_for("engagement", id)
        .await
        .unwrap_or_default();
    let decision = audit
        .iter()
        .find(|a| a.action == "engagement.dispute_resolved")
        .map(|a| (a.actor_id, a.detail.clone()));
    assert_eq!(decision.as_ref().map(|d| d.0), Some(Some(admin.id)));
    assert!(decision.is_some_and(|d| d.1.contains("₹6,000") && d.1.contains("Two of three")));
    // People read the decision in words, not as code.
    let mail = app.state.store.recent_email(200).await.unwrap_or_default();
    let told = mail
        .iter()
        .find(|m| m.subject.contains("dispute is resolved"))
        .map(|m| m.body.clone())
        .unwrap_or_default();
    assert!(
        told.contains("₹6,000 is released to the student and ₹3,000 refunded to the employer."),
        "{told}"
    );
    assert!(!told.contains("Partial("), "{told}");
    let earn = app
        .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        (
            earn[0]["released_minor"].as_i64(),
            earn[0]["pending_minor"].as_i64()
        ),
        (Some(600_000), Some(0))
    );
});

app_test!(disputes_through_pages, |app| async move {
    let (boss, s, id) = hired(&app).await;
    app.form(
        &format!("/engagements/{id}/submissions"),
        Some(&s.cookie),
        &[("note", "All done, report linked.")],
    )
    .await;
    assert!(
        app.get(&format!("/engagements/{id}"), Some(&s.cookie))
            .await
            .body
            .contains("Raise a dispute")
    );
    let r = app
        .form(
            &format!("/engagements/{id}/dispute"),
            Some(&s.cookie),
            &[("reason", "No answer for a week now.")],
        )
        .await;
    assert_eq!(r.location(), format!("/engagements/{id}?notice=disputed"));
    let admin = app.admin().await;
    let page = app.get("/admin/disputes", Some(&admin.cookie)).await;
    assert!(
        page.body.contains("Workspace project") && page.body.contains("No answer for a week now.")
    );
    assert_eq!(
        app.get("/admin/disputes", Some(&boss.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .form(
            &format!("/admin/engagements/{id}/resolve"),
            Some(&admin.cookie),
            &[("outcome", "refund"), ("note", "short")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .form(
            &format!("/admin/engagements/{id}/resolve"),
            Some(&admin.cookie),
            &[
                ("outcome", "refund"),
                ("note", "The work did not match the brief."),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/disputes?notice=resolved");
    assert_eq!(
        app.state
            .store
            .engagement(id)
            .await
            .map(|e| e.status.as_str())
            .ok(),
        Some("cancelled")
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
    assert!(
        notes["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|n| n["title"] == "The dispute is resolved"))
    );
});

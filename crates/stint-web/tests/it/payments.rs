//! The manual payment provider: an admin records the employer's money as
//! received and the student's payout as sent, once each, through the API and
//! the admin page; nobody else can.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

const NOTE: &str = "Coded all 500 answers; the report is linked.";

app_test!(deposit_then_payout_once_each, |app| async move {
    // The test app uses the manual provider (the default).
    let (boss, s, id) = hired(&app).await;
    let admin = app.admin().await;
    let ws = |t: String| {
        let app = &app;
        async move {
            app.api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&t),
                None,
            )
            .await
            .json()
        }
    };
    assert_eq!(ws(s.token.clone()).await["awaiting_employer_payment"], true);
    let page = app
        .get(&format!("/engagements/{id}"), Some(&boss.cookie))
        .await;
    assert!(
        page.body.contains("awaiting the employer&#39;s payment")
            || page.body.contains("awaiting the employer's payment"),
        "{}",
        page.body
    );

    // Only admins see and work the queues.
    for t in [&s.token, &boss.token] {
        let r = app
            .api(Method::GET, "/api/v1/admin/payments", Some(t), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/deposit"),
                Some(t),
                Some(json!({"reference": "BANK-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let q = app
        .api(
            Method::GET,
            "/api/v1/admin/payments",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    let due = q["to_receive"].as_array().cloned().unwrap_or_default();
    assert_eq!(due.len(), 1);
    // Price 9,000.00 INR plus the 10% fee.
    assert_eq!(due[0]["amount_minor"], 990_000);
    assert_eq!(due[0]["engagement_id"], id);

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/deposit"),
            Some(&admin.token),
            Some(json!({"reference": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), vec!["reference"]);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/deposit"),
            Some(&admin.token),
            Some(json!({"reference": "NEFT-2026-0042"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let again = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/deposit"),
            Some(&admin.token),
            Some(json!({"reference": "NEFT-2026-0042"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "nothing_to_receive");
    assert_eq!(
        ws(s.token.clone()).await["awaiting_employer_payment"],
        false
    );

    // Nothing to pay out before approval.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/payout"),
            Some(&admin.token),
            Some(json!({"reference": "PAY-1"})),
        )
        .await;
    assert_eq!(r.code(), "nothing_to_pay");

    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(json!({"note": NOTE})),
    )
    .await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/approve"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(
        r.json()["status"],
        "approved",
        "manual: released, not yet paid out"
    );
    let earn = app
        .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
        .await
        .json();
    assert_eq!(earn[0]["released_minor"], 900_000);
    let q = app
        .api(
            Method::GET,
            "/api/v1/admin/payments",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(q["to_receive"].as_array().map(Vec::len), Some(0));
    assert_eq!(q["to_pay_out"][0]["amount_minor"], 900_000);

    // Eight simultaneous payout records: one wins.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/engagements/{id}/payout"))
            .header("authorization", format!("Bearer {}", admin.token))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"reference":"IMPS-77"}"#))
            .unwrap_or_default();
        let app_router = stint_web::router(app.state.clone());
        set.spawn(crate::common::send_to(app_router, req));
    }
    let statuses: Vec<StatusCode> = set.join_all().await.into_iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    let entries = app.state.store.ledger_entries(id).await.unwrap_or_default();
    assert_eq!(entries.iter().filter(|e| e.kind == "payout").count(), 1);
    assert_eq!(ws(s.token.clone()).await["status"], "paid");
    let earn = app
        .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        (
            earn[0]["released_minor"].as_i64(),
            earn[0]["paid_out_minor"].as_i64()
        ),
        (Some(0), Some(900_000))
    );
    // The ledger balances, and the employer owes nothing any more.
    let balances = app.state.store.ledger_balances().await.unwrap_or_default();
    assert_eq!(balances.iter().map(|(_, _, b)| b).sum::<i64>(), 0);
    let employer = balances
        .iter()
        .find(|(a, _, _)| a.starts_with("employer:"))
        .map(|(_, _, b)| *b);
    assert_eq!(employer, Some(0));
    // The student heard about it; the audit log has both records.
    assert!(
        app.notification_kinds(&s)
            .await
            .iter()
            .any(|k| k == "payment")
    );
    let audit = app
        .state
        .store
        .audit_for("engagement", id)
        .await
        .unwrap_or_default();
    assert!(audit.iter().any(|a| a.action == "payment.received"));
    assert!(audit.iter().any(|a| a.action == "engagement.paid"));
});

app_test!(the_admin_payments_page, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let admin = app.admin().await;
    let page = app.get("/admin/payments", Some(&admin.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Workspace project"), "{}", page.body);
    assert!(page.body.contains("To receive from employers (1)"));
    for who in [&s, &boss] {
        assert_eq!(
            app.get("/admin/payments", Some(&who.cookie)).await.status,
            StatusCode::FORBIDDEN
        );
        let r = app
            .form(
                &format!("/admin/engagements/{id}/deposit"),
                Some(&who.cookie),
                &[("reference", "BANK-9")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let r = app
        .form(
            &format!("/admin/engagements/{id}/deposit"),
            Some(&admin.cookie),
            &[("reference", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The payment reference must be at least 3 characters"),
        "{}",
        r.body
    );
    let r = app
        .form(
            &format!("/admin/engagements/{id}/deposit"),
            Some(&admin.cookie),
            &[("reference", "BANK-9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app
        .get(
            "/admin/payments?notice=deposit_recorded",
            Some(&admin.cookie),
        )
        .await;
    assert!(page.body.contains("Nothing to receive."));
    assert!(page.body.contains("Payment received is recorded"));
    let r = app
        .form(
            &format!("/admin/engagements/{id}/deposit"),
            Some(&admin.cookie),
            &[("reference", "BANK-9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
});

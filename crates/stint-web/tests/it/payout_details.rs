//! Where students are paid: validated per method, sealed at rest, masked
//! on every page and answer but the admin's reveal, which is audited; and
//! nobody but the student changes them.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

const NOTE: &str = "Coded all 500 answers; the report is linked.";

app_test!(students_say_where_to_be_paid, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let admin = app.admin().await;
    // Hired without details: the workspace and the API say what to do.
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(w["payout_details_missing"], true);
    let page = app
        .get(&format!("/engagements/{id}"), Some(&s.cookie))
        .await;
    assert!(page.body.contains("href=\"/me/payout\""));
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/me/payout-details",
            Some(&s.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Each method's rules, each field named.
    for (body, fields) in [
        (
            json!({"method": "iban", "holder_name": "Worker", "iban": "DE88 3704 0044 0532 0130 00"}),
            vec!["iban"],
        ),
        (
            json!({"method": "us_bank", "holder_name": "Worker", "routing_number": "021000022", "account_number": "12"}),
            vec!["routing_number", "account_number"],
        ),
        (
            json!({"method": "in_bank", "holder_name": "W", "account_number": "12345678901", "ifsc": "HDFC1001234"}),
            vec!["holder_name", "ifsc"],
        ),
        (
            json!({"method": "paypal", "holder_name": "Worker"}),
            vec!["method"],
        ),
    ] {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/payout-details",
                Some(&s.token),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), fields, "{}", r.body);
    }
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/payout-details",
            Some(&s.token),
            Some(json!({"method": "in_bank", "holder_name": "Worker Kumar", "account_number": "5010 0123 4567 89", "ifsc": "hdfc0001234"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["masked"], "Bank account ••••6789 (HDFC)");
    assert!(!r.body.contains("50100123456789"));

    // At rest it is sealed: the row holds neither the number nor the IFSC.
    let row = app
        .state
        .store
        .payout_account(s.id)
        .await
        .unwrap_or_default()
        .unwrap_or_else(|| panic!("saved"));
    assert!(!row.sealed.contains("50100123456789") && !row.sealed.contains("HDFC0001234"));
    assert!(row.sealed.starts_with("v1:"));

    // Only students have payout details; an employer cannot set or read them.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/payout-details",
            Some(&boss.token),
            Some(json!({"method": "in_upi", "holder_name": "Boss", "upi_id": "boss@okaxis"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/me/payout", Some(&boss.cookie)).await.status,
        StatusCode::FORBIDDEN
    );

    // Employers never see them; the admin queue shows them masked.
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&boss.token),
            None,
        )
        .await;
    assert!(!w.body.contains("6789") && !w.body.contains("HDFC"));
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(json!({"note": NOTE})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/approve"),
        Some(&boss.token),
        None,
    )
    .await;
    let q = app
        .api(
            Method::GET,
            "/api/v1/admin/payments",
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(
        q.json()["to_pay_out"][0]["payout_details"],
        "Bank account ••••6789 (HDFC)"
    );
    assert!(!q.body.contains("50100123456789"));

    // The whole details only by an admin's reveal, each one audited.
    let reveal = format!("/api/v1/admin/engagements/{id}/payout-details");
    for t in [&s.token, &boss.token] {
        assert_eq!(
            app.api(Method::POST, &reveal, Some(t), None).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let r = app
        .api(Method::POST, &reveal, Some(&admin.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("50100123456789") && r.body.contains("HDFC0001234"));
    let page = app
        .form(
            &format!("/admin/engagements/{id}/payout-details"),
            Some(&admin.cookie),
            &[],
        )
        .await;
    assert!(
        page.body.contains("50100123456789"),
        "the admin page shows them whole"
    );
    let audit = app
        .state
        .store
        .audit_for("engagement", id)
        .await
        .unwrap_or_default();
    let reveals = audit
        .iter()
        .filter(|a| a.action == "payout_details.revealed")
        .count();
    assert_eq!(reveals, 2, "each reveal is in the audit log");
    assert!(
        !app.get("/admin/payments", Some(&admin.cookie))
            .await
            .body
            .contains("50100123456789")
    );

    // The page form keeps what was typed after an error and links to it.
    let r = app
        .form(
            "/me/payout",
            Some(&s.cookie),
            &[
                ("method", "uk_bank"),
                ("holder_name", "Worker Kumar"),
                ("sort_code", "20-00-0"),
                ("uk_account_number", "55779911"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#sort_code\"") && r.body.contains("value=\"55779911\""));
    let r = app
        .form(
            "/me/payout",
            Some(&s.cookie),
            &[
                ("method", "uk_bank"),
                ("holder_name", "Worker Kumar"),
                ("sort_code", "20-00-00"),
                ("uk_account_number", "55779911"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/me/payout?notice=payout_saved");
    let page = app.get("/me/payout", Some(&s.cookie)).await;
    assert!(page.body.contains("UK account ••••9911") && !page.body.contains("55779911"));
});

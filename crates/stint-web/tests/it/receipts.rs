//! Records of money: a numbered receipt per hire (its organization and
//! admins only) with the tax id when given, the employer's CSV statement
//! for a period, the student's earnings CSV, and payout speed.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

const NOTE: &str = "Coded all 500 answers; the report is linked.";

app_test!(receipts_statements_and_payout_speed, |app| async move {
    // The statement below covers the hire and the payout 30 hours later,
    // which may fall in different months.
    let hired_on = app.state.clock.now().date_naive();
    let (boss, s, id) = hired(&app).await;
    let admin = app.admin().await;
    let (other, _) = app.employer("x@other.com", "Other", true).await;

    // The hire made a numbered receipt: price, fee, total.
    let list = app
        .api(Method::GET, "/api/v1/me/receipts", Some(&boss.token), None)
        .await
        .json();
    let number = list[0]["number"].as_i64().unwrap_or_default();
    assert!(number > 0);
    assert_eq!(list[0]["engagement_id"], id);
    assert_eq!(list[0]["total"]["amount_minor"], 990_000);
    assert!(
        app.api(Method::GET, "/api/v1/me/receipts", Some(&other.token), None)
            .await
            .json()
            .as_array()
            .is_some_and(|a| a.is_empty())
    );
    for t in [&other.token, &s.token] {
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/receipts/{number}"),
                Some(t),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.get(&format!("/receipts/{number}"), Some(&other.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/receipts/{number}"),
            Some(&admin.token),
            None
        )
        .await
        .status,
        StatusCode::OK
    );

    // A tax id, checked, then on the receipt.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/organization/tax-id",
            Some(&boss.token),
            Some(json!({"tax_id": "<b>"})),
        )
        .await;
    assert_eq!(
        (r.status, r.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["tax_id".to_string()])
    );
    let r = app
        .form(
            "/employer/billing",
            Some(&boss.cookie),
            &[("tax_id", "27aapfu0939f1zv")],
        )
        .await;
    assert_eq!(r.location(), "/employer/billing?notice=tax_id_saved");
    let page = app
        .get(&format!("/receipts/{number}"), Some(&boss.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let heading = format!("Receipt {number}");
    for text in [
        heading.as_str(),
        "27AAPFU0939F1ZV",
        "₹9,000",
        "₹900",
        "₹9,900",
        "Awaiting payment",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    // Billing is the employer's: a student is refused page, statement and tax id.
    assert_eq!(
        app.get("/employer/billing", Some(&s.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/employer/statement.csv", Some(&s.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.form(
            "/employer/billing",
            Some(&s.cookie),
            &[("tax_id", "GB123456789")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/employer/billing", None).await.status,
        StatusCode::SEE_OTHER
    );
    let billing = app.get("/employer/billing", Some(&boss.cookie)).await;
    assert!(
        billing
            .body
            .contains(&format!("href=\"/receipts/{number}\""))
    );

    // Work approved, paid in and paid out.
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
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/deposit"),
        Some(&admin.token),
        Some(json!({"reference": "NEFT-0042"})),
    )
    .await;
    app.state.clock.advance(chrono::Duration::hours(30));
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/payout"),
            Some(&admin.token),
            Some(json!({"reference": "IMPS-7"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The employer's statement from the hire to today.
    let today = app.state.clock.now().date_naive();
    let r = app
        .get(
            &format!("/employer/statement.csv?from={hired_on}&to={today}"),
            Some(&boss.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(
        lines[0],
        "date,receipt,engagement,project,student,entry,amount,currency,reference"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Stint fee (charged),900.00,INR")),
        "{}",
        r.body
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Your payment received by Stint,9900.00,INR,NEFT-0042")),
        "{}",
        r.body
    );
    assert!(lines.iter().all(|l| !l.contains("Other")));
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/statement?from=2026-13-01",
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["from".to_string()])
    );
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/statement?from=2026-02-01&to=2026-01-01",
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.fields(), vec!["to".to_string()]);
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/statement?from=2000-01-01&to=2000-01-31",
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(
        r.body.lines().count(),
        1,
        "an empty period has the header only"
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/me/statement", Some(&s.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The student's earnings: secured, released, paid out; not the fee.
    let r = app.get("/me/earnings.csv", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Paid out to you,9000.00,INR,IMPS-7"),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("fee") && !r.body.contains("NEFT"),
        "{}",
        r.body
    );
    assert_eq!(
        app.get("/me/earnings.csv", Some(&boss.cookie)).await.status,
        StatusCode::FORBIDDEN
    );

    // Payout speed: 30 hours, for admins and on the employer's record.
    let t = app
        .api(
            Method::GET,
            "/api/v1/admin/payout-times",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(t[0]["engagement_id"], id);
    assert_eq!(t[0]["hours"], 30);
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/admin/payout-times",
            Some(&boss.token),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let page = app.get("/admin/payments", Some(&admin.cookie)).await;
    assert!(page.body.contains("Payout speed") && page.body.contains("30 hours"));
    let org = app
        .state
        .store
        .engagement(id)
        .await
        .map(|e| e.org_id)
        .unwrap_or_default();
    let slug = app
        .state
        .store
        .org(org)
        .await
        .map(|o| o.slug)
        .unwrap_or_default();
    let profile = app.get(&format!("/organizations/{slug}"), None).await;
    assert!(
        profile
            .body
            .contains("Students paid 30 hours after approval (median)"),
        "{}",
        profile.body
    );
});

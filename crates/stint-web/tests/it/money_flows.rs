//! Money as people meet it: the hire's price, fee and total before it is
//! charged (page and API, only for the employer), payouts refused until the
//! employer's deposit arrives, and cancellation after the start date
//! leaving the student their share.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

const NOTE: &str = "Coded all 500 answers; the report is linked.";

app_test!(the_hire_is_quoted_before_it_is_charged, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Quoted project", 1, false).await;
    let s = app.student("worker@x.com").await;
    let aid = app.apply(&s, pid).await.json()["id"]
        .as_i64()
        .unwrap_or_default();
    let quote = format!("/api/v1/applications/{aid}/hire-quote");

    let q = app.api(Method::GET, &quote, Some(&boss.token), None).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let q = q.json();
    assert_eq!(
        (
            q["price"]["amount_minor"].as_i64(),
            q["fee"]["amount_minor"].as_i64(),
            q["total"]["amount_minor"].as_i64(),
            q["fee_basis_points"].as_i64()
        ),
        (Some(900_000), Some(90_000), Some(990_000), Some(1_000))
    );
    // Nobody else sees it: another employer, the student, anonymous.
    let (other, _) = app.employer("x@other.com", "Other", true).await;
    for t in [&other.token, &s.token] {
        let r = app.api(Method::GET, &quote, Some(t), None).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{}",
            r.status
        );
    }
    assert_eq!(
        app.api(Method::GET, &quote, None, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The applicants page links to a confirmation, which states the money.
    let list = app
        .get(
            &format!("/employer/projects/{pid}/applicants"),
            Some(&boss.cookie),
        )
        .await;
    assert!(
        list.body
            .contains(&format!("href=\"/employer/applications/{aid}/hire\""))
    );
    assert!(
        !list
            .body
            .contains(&format!("action=\"/employer/applications/{aid}/hire\""))
    );
    let page = app
        .get(
            &format!("/employer/applications/{aid}/hire"),
            Some(&boss.cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "₹9,000",
        "₹900",
        "₹9,900",
        "10% of the price",
        "Hire and pay ₹9,900",
        "keeps 25%",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    assert_eq!(
        app.get(
            &format!("/employer/applications/{aid}/hire"),
            Some(&other.cookie)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // A total that no longer holds is refused and the page shows the new one.
    let r = app
        .form(
            &format!("/employer/applications/{aid}/hire"),
            Some(&boss.cookie),
            &[("total_minor", "900000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The total is now ₹9,900"), "{}", r.body);
    assert!(
        app.state
            .store
            .project_engagements(pid)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let r = app
        .form(
            &format!("/employer/applications/{aid}/hire"),
            Some(&boss.cookie),
            &[("total_minor", "990000")],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("/employer/projects/{pid}/applicants?notice=hired_filled")
    );
    let e = &app
        .state
        .store
        .project_engagements(pid)
        .await
        .unwrap_or_default()[0];
    assert_eq!(
        (e.price.minor, e.fee.minor),
        (900_000, 90_000),
        "charged as quoted"
    );
});

app_test!(payouts_wait_for_the_employers_deposit, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let admin = app.admin().await;
    let path = |a: &str| format!("/api/v1/engagements/{id}/{a}");
    app.api(
        Method::POST,
        &path("submissions"),
        Some(&s.token),
        Some(json!({"note": NOTE})),
    )
    .await;
    // The approval page says what is released before it is.
    let page = app
        .get(&format!("/engagements/{id}/approve"), Some(&boss.cookie))
        .await;
    assert!(page.body.contains("Released to the student") && page.body.contains("₹9,000"));
    assert_eq!(
        app.get(&format!("/engagements/{id}/approve"), Some(&s.cookie))
            .await
            .status,
        StatusCode::CONFLICT,
        "only the employer approves"
    );
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&boss.token),
            None,
        )
        .await
        .json();
    assert_eq!(w["on_approval"]["amount_minor"], 900_000);
    let r = app
        .form(
            &format!("/engagements/{id}/approve"),
            Some(&boss.cookie),
            &[],
        )
        .await;
    assert_eq!(r.location(), format!("/engagements/{id}?notice=approved"));

    // Released, but the employer has not paid: no payout, on the API or the page.
    let q = app
        .api(
            Method::GET,
            "/api/v1/admin/payments",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(q["to_pay_out"][0]["waiting_for_deposit"], true);
    let r = app
        .api(
            Method::POST,
            &path("payout"),
            Some(&admin.token),
            Some(json!({"reference": "PAY-1"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "deposit_missing"),
        "{}",
        r.body
    );
    let page = app.get("/admin/payments", Some(&admin.cookie)).await;
    assert!(page.body.contains("Waiting for the employer"));
    let r = app
        .form(
            &format!("/admin/engagements/{id}/payout"),
            Some(&admin.cookie),
            &[("reference", "PAY-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("has not been recorded yet"), "{}", r.body);
    let e = app
        .state
        .store
        .engagement(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.status.as_str(), "approved", "not shown as paid");

    // Once the deposit is recorded, the payout goes through, once.
    app.api(
        Method::POST,
        &path("deposit"),
        Some(&admin.token),
        Some(json!({"reference": "NEFT-1"})),
    )
    .await;
    let statuses: Vec<StatusCode> = app
        .concurrently_json(
            (0..4)
                .map(|_| (Method::POST, path("payout"), json!({"reference": "PAY-2"})))
                .collect(),
            &admin.token,
        )
        .await
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!((book.paid_out, book.owed_to_student()), (900_000, 0));
});

app_test!(
    cancelling_after_the_start_pays_the_students_share,
    |app| async move {
        let (boss, s, id) = hired(&app).await;
        let admin = app.admin().await;
        let ws = format!("/api/v1/engagements/{id}");
        // Before the start date: everything goes back, for either side.
        let w = app
            .api(Method::GET, &ws, Some(&boss.token), None)
            .await
            .json();
        assert_eq!(w["on_cancellation"]["to_student"]["amount_minor"], 0);
        assert_eq!(w["on_cancellation"]["refund"]["amount_minor"], 900_000);
        // After it (the project starts in 12 days), the employer's cancel leaves 25%.
        app.state.clock.advance(chrono::Duration::days(13));
        let w = app
            .api(Method::GET, &ws, Some(&boss.token), None)
            .await
            .json();
        assert_eq!(w["on_cancellation"]["to_student"]["amount_minor"], 225_000);
        assert_eq!(w["on_cancellation"]["refund"]["amount_minor"], 675_000);
        let w = app.api(Method::GET, &ws, Some(&s.token), None).await.json();
        assert_eq!(
            w["on_cancellation"]["to_student"]["amount_minor"], 0,
            "a student withdrawing keeps nothing"
        );

        let page = app
            .get(&format!("/engagements/{id}/cancel"), Some(&boss.cookie))
            .await;
        assert!(
            page.body.contains("₹2,250") && page.body.contains("₹6,750"),
            "{}",
            page.body
        );
        let r = app
            .form(
                &format!("/engagements/{id}/cancel"),
                Some(&boss.cookie),
                &[("reason", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("aria-invalid=\"true\""));
        let r = app
            .form(
                &format!("/engagements/{id}/cancel"),
                Some(&boss.cookie),
                &[("reason", "Our plans changed.")],
            )
            .await;
        assert_eq!(
            r.location(),
            format!("/engagements/{id}?notice=engagement_cancelled")
        );
        let book = app.state.store.book(id).await.unwrap_or_default();
        assert_eq!(
            (book.released, book.refunded, book.escrow()),
            (225_000, 675_000, 0)
        );
        let earn = app
            .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
            .await
            .json();
        assert_eq!(earn[0]["released_minor"], 225_000);

        // The employer still owes the share and the fee; then the student is paid.
        let q = app
            .api(
                Method::GET,
                "/api/v1/admin/payments",
                Some(&admin.token),
                None,
            )
            .await
            .json();
        assert_eq!(q["to_receive"][0]["amount_minor"], 225_000 + 90_000);
        assert_eq!(q["to_pay_out"][0]["amount_minor"], 225_000);
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/deposit"),
                Some(&admin.token),
                Some(json!({"reference": "NEFT-7"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/payout"),
                Some(&admin.token),
                Some(json!({"reference": "PAY-7"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "cancelled");
        let rows = app
            .state
            .store
            .ledger_audit_rows()
            .await
            .unwrap_or_default();
        for (e, entries) in &rows {
            assert!(stint_domain::ledger::audit(e, entries).is_empty());
        }
        // The project page states the rule before anyone applies.
        let p = app
            .state
            .store
            .engagement(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .project_id;
        let page = app.get(&format!("/projects/{p}"), None).await;
        assert!(
            page.body.contains("the student keeps 25% of the price"),
            "{}",
            page.body
        );
    }
);

app_test!(
    refunds_after_the_employers_payment_are_sent_back,
    |app| async move {
        let (boss, _s, id) = hired(&app).await;
        let admin = app.admin().await;
        let ws = format!("/api/v1/engagements/{id}");
        // The employer paid; then cancels after the start date.
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/deposit"),
                Some(&admin.token),
                Some(json!({"reference": "NEFT-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.state.clock.advance(chrono::Duration::days(13));
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/cancel"),
                Some(&boss.token),
                Some(json!({"reason": "Our plans changed."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Stint holds 6,750 of their money: it is on the queue to send back.
        let q = app
            .api(
                Method::GET,
                "/api/v1/admin/payments",
                Some(&admin.token),
                None,
            )
            .await
            .json();
        assert_eq!(q["to_return"][0]["engagement_id"], id);
        assert_eq!(q["to_return"][0]["amount_minor"], 675_000);
        assert_eq!(
            q["to_pay_out"][0]["amount_minor"], 225_000,
            "the student's share is paid as usual"
        );
        let page = app.get("/admin/payments", Some(&admin.cookie)).await;
        assert!(
            page.body.contains("To send back to employers (1)") && page.body.contains("₹6,750")
        );
        // Only admins record it, once.
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/return"),
                Some(&boss.token),
                Some(json!({"reference": "RET-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .form(
                &format!("/admin/engagements/{id}/return"),
                Some(&admin.cookie),
                &[("reference", "RET-1")],
            )
            .await;
        assert_eq!(r.location(), "/admin/payments?notice=return_recorded");
        let r = app
            .api(
                Method::POST,
                &format!("{ws}/return"),
                Some(&admin.token),
                Some(json!({"reference": "RET-2"})),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::CONFLICT, "nothing_to_return")
        );
        let book = app.state.store.book(id).await.unwrap_or_default();
        assert_eq!((book.returned, book.owed_to_employer()), (675_000, 0));
        let q = app
            .api(
                Method::GET,
                "/api/v1/admin/payments",
                Some(&admin.token),
                None,
            )
            .await
            .json();
        assert!(q["to_return"].as_array().is_some_and(|a| a.is_empty()));
        // The employer's statement shows it.
        let csv = app
            .get("/employer/statement.csv", Some(&boss.cookie))
            .await
            .body;
        assert!(
            csv.contains("Refund sent back to you,6750.00,INR,RET-1"),
            "{csv}"
        );
    }
);

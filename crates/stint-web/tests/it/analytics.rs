//! An employer's analytics: the funnel follows the applications sent in the
//! period (views from outside the organization only), the times, spend by
//! month from the ledger, ratings already visible, offers; per project or
//! for the organization; CSV of each table; bad periods are explained; no
//! organization sees another's numbers.

use axum::http::{Method, StatusCode};
use serde_json::json;
use stint_domain::ledger::HireQuote;

use crate::app_test;
use crate::common::{Actor, TestApp};
use crate::outcomes::{approved, review};

async fn applied(app: &TestApp, s: &Actor, project: i64) -> i64 {
    let r = app.apply(s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap_or_default()
}

async fn decide(
    app: &TestApp,
    boss: &Actor,
    application: i64,
    action: &str,
    body: Option<serde_json::Value>,
) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{application}/{action}"),
            Some(&boss.token),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
}

app_test!(
    analytics_follow_applications_money_reviews_and_offers,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let p1 = app
            .published(&boss, "Survey coding for the funnel", 1, false)
            .await;
        let p2 = app
            .published(&boss, "Second project, one applicant", 1, false)
            .await;
        let theirs = app.published(&rival, "Rival project", 1, false).await;

        // Three views from outside, none from the organization itself.
        for _ in 0..3 {
            assert_eq!(
                app.get(&format!("/projects/{p1}"), None).await.status,
                StatusCode::OK
            );
        }
        app.get(&format!("/projects/{p1}"), Some(&boss.cookie))
            .await;
        app.get(&format!("/projects/{theirs}"), None).await;

        let (s1, s2, s3, s4) = (
            app.student("s1@mail.test").await,
            app.student("s2@mail.test").await,
            app.student("s3@mail.test").await,
            app.student("s4@mail.test").await,
        );
        let a1 = applied(&app, &s1, p1).await;
        let a2 = applied(&app, &s2, p1).await;
        let a3 = applied(&app, &s3, p1).await;
        applied(&app, &s4, p2).await;
        applied(&app, &s4, theirs).await;
        decide(&app, &boss, a1, "shortlist", None).await;
        decide(&app, &boss, a3, "shortlist", None).await;
        decide(&app, &boss, a2, "reject", Some(json!({"reason": ""}))).await;
        decide(&app, &boss, a3, "reject", Some(json!({"reason": ""}))).await;
        let eid = approved(&app, &boss, &s1, a1).await;
        review(&app, &s1, eid, json!([5, 4, 3])).await;
        review(&app, &boss, eid, json!([5, 5, 5])).await;
        let start = (chrono::Utc::now().date_naive() + chrono::Duration::days(60)).to_string();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/talent/{}/offers", s1.id),
                Some(&boss.token),
                Some(json!({"kind": "full_time", "title": "Analyst", "start_date": start})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let offer = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/offers/{offer}/answer"),
                Some(&s1.token),
                Some(json!({"action": "accept"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The organization's report.
        let r = app
            .api(Method::GET, "/api/v1/analytics", Some(&boss.token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(
            v["funnel"],
            json!({"views": 3, "applications": 4, "shortlisted": 2, "hired": 1, "completed": 1})
        );
        assert_eq!(v["projects_published"], 2);
        assert_eq!(v["projects_without_applicant"], 0);
        assert_eq!(v["median_hours_to_first_applicant"], 0);
        assert_eq!(v["applications_decided"], 3, "hired, and two not selected");
        let price = app.state.store.project(p1).await.map(|p| p.input.price);
        let q = HireQuote::new(
            price.unwrap_or_else(|e| panic!("{e}")),
            app.state.config.fee_basis_points,
        );
        let month = chrono::Utc::now().format("%Y-%m").to_string();
        assert_eq!(
            v["spend_by_month"],
            json!([{"month": month, "currency": q.price.currency.code(), "price_minor": q.price.minor,
                "fees_minor": q.fee.minor, "refunds_minor": 0, "net_minor": q.total.minor}])
        );
        assert_eq!(v["reviews"], 1);
        assert_eq!(
            v["ratings"][0],
            json!({"criterion": "Clarity of the brief", "mean": 5.0})
        );
        assert_eq!(v["ratings"][2]["mean"], 3.0);
        assert_eq!(v["offers"]["made"], 1);
        assert_eq!(v["offers"]["accepted"], 1);
        assert_eq!(v["offers"]["acceptance_rate"], 1.0);
        let projects = v["projects"].as_array().cloned().unwrap_or_default();
        assert_eq!(projects.len(), 2, "{}", r.body);
        assert!(!r.body.contains("Rival project"));

        // One project.
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/analytics?project={p2}"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(
            r.json()["funnel"],
            json!({"views": 0, "applications": 1, "shortlisted": 0, "hired": 0, "completed": 0})
        );
        assert_eq!(r.json()["spend_by_month"], json!([]));
        assert_eq!(r.json()["reviews"], 0);

        // A period before any of it.
        let r = app
            .api(
                Method::GET,
                "/api/v1/analytics?from=2024-01-01&to=2024-12-31",
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.json()["funnel"]["applications"], 0, "{}", r.body);
        assert_eq!(r.json()["projects_published"], 0);

        // Bad input is explained; nothing of another organization is read.
        for (q, field) in [
            ("from=2026-13-01", "from"),
            ("from=2026-05-01&to=2026-04-01", "to"),
            ("project=abc", "project"),
        ] {
            let r = app
                .api(
                    Method::GET,
                    &format!("/api/v1/analytics?{q}"),
                    Some(&boss.token),
                    None,
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{q}: {}",
                r.body
            );
            assert_eq!(r.fields(), vec![field], "{q}");
        }
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/analytics?project={p1}"),
                Some(&rival.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/analytics", Some(&rival.token), None)
            .await;
        assert_eq!(r.json()["funnel"]["views"], 1);
        assert_eq!(r.json()["funnel"]["applications"], 1);
        let r = app
            .api(Method::GET, "/api/v1/analytics", Some(&s1.token), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app.api(Method::GET, "/api/v1/analytics", None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

        // The page and its CSV.
        let me = Some(boss.cookie.as_str());
        let r = app.get("/employer/analytics", me).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Analytics of Acme Research"), "{}", r.body);
        assert!(r.body.contains("<svg class=\"chart-svg\""), "charts drawn");
        assert!(r.body.contains("Survey coding for the funnel"));
        assert!(r.body.contains("Download the funnel (CSV)"));
        let r = app.get("/employer/analytics?from=2026-13-01", me).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Enter a day as YYYY-MM-DD"), "{}", r.body);
        let r = app
            .get(
                &format!("/employer/analytics?project={p1}"),
                Some(&rival.cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app.get("/employer/analytics", Some(&s1.cookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.get("/employer/analytics.csv?table=funnel", me).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.starts_with("step,count,share_of_previous\r\n"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Applications,4,\r\n"), "{}", r.body);
        assert!(r.body.contains("Shortlisted,2,0.500\r\n"), "{}", r.body);
        let r = app
            .get(
                &format!("/employer/analytics.csv?table=projects&project={p1}"),
                me,
            )
            .await;
        assert!(
            r.body
                .contains(&format!("{p1},Survey coding for the funnel,")),
            "{}",
            r.body
        );
        assert!(!r.body.contains("Second project"), "{}", r.body);
        let r = app.get("/employer/analytics.csv?table=offers", me).await;
        assert!(r.body.contains("acceptance_rate,1.000"), "{}", r.body);
        let r = app.get("/employer/analytics.csv?table=bogus", me).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

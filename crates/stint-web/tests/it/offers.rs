//! Offers beyond Stint: only to students the organization hired or whose
//! work it approved; the student answers once (in Stint or outside it); the
//! employer withdraws only while it waits; the student alone puts it on
//! their portfolio; the public record counts students with offers from 3
//! on; a university counts its students' offers; nobody else reads them.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{Actor, TestApp};
use crate::outcomes::approved;
use crate::universities::{university, verify_account_email};

fn offer_body(title: &str) -> Value {
    let start = (chrono::Utc::now().date_naive() + chrono::Duration::days(60)).to_string();
    json!({"kind": "full_time", "title": title, "start_date": start, "pay_min": "40,000",
        "pay_max": "55000", "currency": "INR", "pay_period": "month", "message": "We would love you on the team."})
}

async fn offer(app: &TestApp, boss: &Actor, student: i64, body: Value) -> crate::common::Res {
    app.api(
        Method::POST,
        &format!("/api/v1/talent/{student}/offers"),
        Some(&boss.token),
        Some(body),
    )
    .await
}

async fn answer(app: &TestApp, s: &Actor, id: i64, action: &str) -> crate::common::Res {
    app.api(
        Method::POST,
        &format!("/api/v1/me/offers/{id}/answer"),
        Some(&s.token),
        Some(json!({"action": action})),
    )
    .await
}

/// A student whose work for `boss`'s organization was approved.
async fn worked_with(app: &TestApp, boss: &Actor, email: &str, title: &str) -> Actor {
    let project = app.published(boss, title, 1, false).await;
    let s = app.student(email).await;
    let r = app.apply(&s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json()["id"].as_i64().unwrap_or_default();
    approved(app, boss, &s, a).await;
    s
}

app_test!(
    offers_go_to_students_worked_with_and_are_answered_once,
    |app| async move {
        let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let s = worked_with(&app, &boss, "s@mail.test", "Survey coding before an offer").await;

        // Not to a stranger, nor to someone only shortlisted.
        let stranger = app.student("stranger@mail.test").await;
        let r = offer(&app, &boss, stranger.id, offer_body("Analyst")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let project = app.published(&boss, "A shortlist only", 1, false).await;
        let short = app.student("short@mail.test").await;
        let a = app.apply(&short, project).await.json()["id"]
            .as_i64()
            .unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/applications/{a}/shortlist"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let r = offer(&app, &boss, short.id, offer_body("Analyst")).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "not_worked_with".to_string()),
            "{}",
            r.body
        );
        // Another organization did not work with them.
        let r = offer(&app, &rival, s.id, offer_body("Analyst")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

        // Bad input names each field; nothing is written.
        let r = offer(
        &app,
        &boss,
        s.id,
        json!({"kind": "gig", "title": "", "start_date": "someday", "pay_min": "9", "pay_max": "1", "currency": "INR", "pay_period": "week"}),
    )
    .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let mut f = r.fields();
        f.sort();
        assert_eq!(f, vec!["kind", "pay_period", "start_date", "title"]);
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/offers", Some(&s.token), None)
                .await
                .json(),
            json!([])
        );

        // A good offer: the student is told and sees it; nobody else does.
        let r = offer(&app, &boss, s.id, offer_body("Data analyst")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let o = r.json();
        assert_eq!(o["status"], "open");
        assert_eq!(o["pay"]["min_minor"], 4_000_000);
        let id = o["id"].as_i64().unwrap_or_default();
        assert_eq!(app.count_kind(&s, "offer").await, 1);
        let r = app.get("/me/offers", Some(&s.cookie)).await;
        assert!(
            r.body.contains("Full-time role: Data analyst"),
            "{}",
            r.body
        );
        assert!(r.body.contains("₹40,000–₹55,000 a month"), "{}", r.body);
        for who in [&stranger, &short] {
            let r = answer(&app, who, id, "accept").await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        }
        let r = app
            .api(Method::GET, "/api/v1/offers", Some(&rival.token), None)
            .await;
        assert_eq!(r.json(), json!([]));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/offers/{id}/withdraw"),
                Some(&rival.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = answer(&app, &boss, id, "accept").await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "the employer does not answer for them"
        );
        let r = answer(&app, &s, id, "withdraw").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // Accepted outside Stint, once; then it cannot be withdrawn or changed.
        let r = answer(&app, &s, id, "accept_elsewhere").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "accepted_elsewhere");
        assert!(app.count_kind(&boss, "offer").await >= 1);
        let r = answer(&app, &s, id, "decline").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "offer_answered".to_string())
        );
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/offers/{id}/withdraw"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // The employer withdraws an open one, through the page.
        let r = offer(&app, &boss, s.id, offer_body("Senior analyst")).await;
        let second = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .form(
                &format!("/employer/offers/{second}/withdraw"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/offers?student={}", s.id),
                Some(&boss.token),
                None,
            )
            .await;
        let body = r.json();
        let statuses: Vec<&str> = body
            .as_array()
            .map(|a| a.iter().filter_map(|o| o["status"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(statuses, vec!["withdrawn", "accepted_elsewhere"]);
        let r = app
            .api(
                Method::GET,
                "/api/v1/offers?student=abc",
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The portfolio shows it only when the student chooses.
        app.form("/me/portfolio", Some(&s.cookie), &[("public", "true")])
            .await;
        let page = format!("/students/{}/portfolio", s.id);
        assert!(!app.get(&page, None).await.body.contains("Data analyst"));
        let r = app
            .form(
                &format!("/me/offers/{id}/profile"),
                Some(&s.cookie),
                &[("on", "true")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.get(&page, None).await;
        assert!(
            r.body
                .contains("Full-time role as Data analyst at Acme Research, accepted"),
            "{}",
            r.body
        );
        assert!(
            !r.body.contains("Senior analyst"),
            "withdrawn offers never show"
        );
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/me/offers/{id}/profile"),
                Some(&stranger.token),
                Some(json!({"on_profile": false})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The record shows students with offers only from three on.
        let slug = app
            .state
            .store
            .org(org)
            .await
            .map(|o| o.slug)
            .unwrap_or_default();
        let record = |slug: String| {
            let app = &app;
            async move {
                app.api(
                    Method::GET,
                    &format!("/api/v1/organizations/{slug}"),
                    None,
                    None,
                )
                .await
                .json()["record"]
                    .clone()
            }
        };
        assert_eq!(
            record(slug.clone()).await["students_with_offers"],
            Value::Null
        );
        for n in 2..=3 {
            let t = worked_with(
                &app,
                &boss,
                &format!("t{n}@mail.test"),
                &format!("Project {n} before offers"),
            )
            .await;
            let r = offer(&app, &boss, t.id, offer_body("Analyst")).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            if n == 2 {
                assert_eq!(
                    record(slug.clone()).await["students_with_offers"],
                    Value::Null,
                    "two is too few"
                );
            }
        }
        let rec = record(slug.clone()).await;
        assert_eq!(
            (
                rec["students_with_offers"].clone(),
                rec["students_accepted_offers"].clone()
            ),
            (json!(3), json!(1)),
            "{rec}"
        );
        let r = app.get(&format!("/organizations/{slug}"), None).await;
        assert!(
            r.body
                .contains("3 students went on to job offers after their projects (1 accepted)"),
            "{}",
            r.body
        );
    }
);

app_test!(
    offers_reach_the_university_only_as_totals,
    |app| async move {
        let (staff, _) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let s = worked_with(
            &app,
            &boss,
            "ana@uni.test",
            "Survey coding for a university student",
        )
        .await;
        verify_account_email(&app, "ana@uni.test", &s).await;
        let r = offer(&app, &boss, s.id, offer_body("Research assistant")).await;
        let id = r.json()["id"].as_i64().unwrap_or_default();
        answer(&app, &s, id, "accept").await;
        let r = app.get("/university/outcomes", Some(&staff.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("job offers from employers"), "{}", r.body);
        assert!(r.body.contains("1 accepted, to 1 student"), "{}", r.body);
        assert!(
            !r.body.contains("Research assistant"),
            "no details reach the university"
        );
        let r = app
            .get(
                "/university/outcomes.csv?table=summary",
                Some(&staff.cookie),
            )
            .await;
        assert!(r.body.contains("offers_of_roles,1"), "{}", r.body);
        assert!(r.body.contains("offers_accepted,1"), "{}", r.body);

        // The page form for an offer keeps what was typed when it fails.
        let path = format!("/employer/talent/{}", s.id);
        let r = app
            .form(
                &format!("{path}/offers"),
                Some(&boss.cookie),
                &[
                    ("kind", "full_time"),
                    ("title", "Analyst"),
                    ("start_date", "tomorrow-ish"),
                    ("pay_min", "10"),
                    ("currency", "USD"),
                    ("pay_period", "hour"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"offer-start-error\""), "{}", r.body);
        assert!(r.body.contains("value=\"Analyst\""));
        let start = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
        let r = app
            .form(
                &format!("{path}/offers"),
                Some(&boss.cookie),
                &[
                    ("kind", "internship"),
                    ("title", "Summer intern"),
                    ("start_date", &start),
                    ("currency", "USD"),
                    ("pay_period", "hour"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.get(&path, Some(&boss.cookie)).await;
        assert!(r.body.contains("Internship: Summer intern"), "{}", r.body);
        assert!(r.body.contains("Waiting for an answer"));
        // The student answers from their page.
        let r = app
            .api(Method::GET, "/api/v1/me/offers", Some(&s.token), None)
            .await;
        let newest = r.json()[0]["id"].as_i64().unwrap_or_default();
        let r = app
            .form(
                &format!("/me/offers/{newest}/answer"),
                Some(&s.cookie),
                &[("action", "decline")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.get(&path, Some(&boss.cookie)).await;
        assert!(r.body.contains("Declined"), "{}", r.body);
    }
);

//! A university's outcomes: confirmed students only, whatever they share;
//! equity answers are the student's own, optional, never shown to employers,
//! and groups under five are hidden; career staff of that university only;
//! a period that makes no sense is refused with the field named.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{Actor, TestApp};
use crate::universities::{university, verify_account_email};

async fn confirmed(app: &TestApp, email: &str) -> Actor {
    let s = app.student(email).await;
    verify_account_email(app, email, &s).await;
    s
}

async fn answer(app: &TestApp, s: &Actor, body: Value) -> crate::common::Res {
    app.api(Method::PUT, "/api/v1/me/equity", Some(&s.token), Some(body))
        .await
}

async fn outcomes(app: &TestApp, who: &Actor, query: &str) -> crate::common::Res {
    app.api(
        Method::GET,
        &format!("/api/v1/university/outcomes{query}"),
        Some(&who.token),
        None,
    )
    .await
}

fn group<'a>(o: &'a Value, attribute: &str, value: Option<&str>) -> &'a Value {
    o["equity"]
        .as_array()
        .and_then(|bs| bs.iter().find(|b| b["attribute"] == attribute))
        .and_then(|b| b["groups"].as_array())
        .and_then(|gs| {
            gs.iter().find(|g| match value {
                Some(v) => g["value"] == v,
                None => g["value"].is_null(),
            })
        })
        .unwrap_or(&Value::Null)
}

app_test!(
    outcomes_count_confirmed_students_and_hide_small_groups,
    |app| async move {
        let (staff, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        // Five first-generation students, one who is not, one who did not say.
        let mut students = Vec::new();
        for i in 0..7 {
            let s = confirmed(&app, &format!("s{i}@uni.test")).await;
            let body = match i {
                0..=4 => json!({"first_generation": "yes", "gender": "woman"}),
                5 => json!({"first_generation": "no"}),
                _ => json!({}),
            };
            let r = answer(&app, &s, body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            students.push(s);
        }
        // One of them shares only totals: still counted.
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/affiliation",
                Some(&students[5].token),
                Some(json!({"sharing": "aggregate"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A student who only names the university does not count.
        let outsider = app.student("someone@mail.test").await;
        app.api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&outsider.token),
            Some(json!({"headline": "Student", "university_id": uni})),
        )
        .await;

        // Work: the aggregate-only student is hired and approved; another applies.
        let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
        let pid = app.published(&boss, "Survey coding", 1, false).await;
        let aid = app.apply(&students[5], pid).await.json()["id"]
            .as_i64()
            .unwrap_or_default();
        assert!(aid > 0);
        app.apply(&students[0], pid).await;
        app.apply(&outsider, pid).await;
        let eid = approved(&app, &boss, &students[5], aid).await;
        review(&app, &boss, eid, json!([5, 4, 3])).await;
        review(&app, &students[5], eid, json!([5, 5, 5])).await;

        let r = outcomes(&app, &staff, "").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let o = r.json();
        let s = &o["summary"];
        assert_eq!(s["students"], 7, "{o}");
        assert_eq!(s["taking_part"], 2);
        assert_eq!(s["applications"], 2);
        assert_eq!(s["hires"], 1);
        assert_eq!(s["hire_rate"], 0.5);
        assert_eq!(s["engagements_completed"], 1);
        assert_eq!(s["completion_rate"], 1.0);
        assert_eq!(s["first_projects"], 1);
        assert_eq!(s["earnings"].as_array().map(Vec::len), Some(1));
        assert!(s["earnings"][0]["total_minor"].as_i64().unwrap_or_default() > 0);
        assert_eq!(o["ratings"]["reviews"], 1);
        assert_eq!(o["ratings"]["means"]["timeliness"], 3.0);
        assert_eq!(o["ratings"]["distribution"][3], 1, "mean of 5, 4, 3 is 4");
        assert_eq!(o["employers"][0]["name"], "Acme");
        assert_eq!(o["employers_total"], 1);
        let months = o["months"].as_array().cloned().unwrap_or_default();
        assert!(months.len() >= 12);
        assert_eq!(
            months.last().map(|m| m["applications"].clone()),
            Some(json!(2))
        );

        // Five "yes" are shown; the lone "no" and the lone unanswered are hidden.
        let yes = group(&o, "first_generation", Some("yes"));
        assert_eq!(
            (yes["suppressed"].clone(), yes["students"].clone()),
            (json!(false), json!(5))
        );
        assert_eq!(yes["participation_rate"], 0.2);
        // One of five took part: too few for a hire rate.
        assert!(yes["hire_rate"].is_null());
        for v in [Some("no"), None] {
            let g = group(&o, "first_generation", v);
            assert_eq!(g["suppressed"], true, "{g}");
            assert!(g["students"].is_null() && g["participation_rate"].is_null());
        }
        // Gender: five women shown, two unanswered hidden, and since that is the
        // only hidden group the next smallest (the women) is hidden too.
        assert_eq!(group(&o, "gender", None)["suppressed"], true);
        assert_eq!(group(&o, "gender", Some("woman"))["suppressed"], true);
        assert_eq!(group(&o, "gender", Some("man"))["students"], 0);

        // The page and its CSV say the same; hidden groups are never a number.
        let page = app.get("/university/outcomes", Some(&staff.cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Outcomes of Uni of Test students"));
        assert!(page.body.contains("role=\"img\""), "charts are drawn");
        assert!(page.body.contains("Hidden: too few students"));
        assert!(!page.body.contains("s5@uni.test"), "no student is named");
        let csv = app
            .get("/university/outcomes.csv?table=equity", Some(&staff.cookie))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body
                .contains("First in family at university,Not answered,suppressed,suppressed"),
            "{}",
            csv.body
        );
        assert!(
            csv.body
                .contains("First in family at university,Yes,5,0.2000"),
            "{}",
            csv.body
        );
        let csv = app
            .get(
                "/university/outcomes.csv?table=employers",
                Some(&staff.cookie),
            )
            .await;
        assert!(csv.body.contains("Acme,1,1"), "{}", csv.body);
        for table in ["summary", "months", "fields", "earnings", "ratings"] {
            let r = app
                .get(
                    &format!("/university/outcomes.csv?table={table}"),
                    Some(&staff.cookie),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{table}");
            assert!(r.body.lines().count() >= 2, "{table}: {}", r.body);
        }

        // A period before any of it shows nothing.
        let r = outcomes(&app, &staff, "?from=2020-01-01&to=2020-12-31").await;
        assert_eq!(r.json()["summary"]["applications"], 0);
        assert_eq!(r.json()["months"].as_array().map(Vec::len), Some(12));
    }
);

app_test!(
    equity_answers_are_the_students_own_and_never_reach_employers,
    |app| async move {
        let (_staff, _) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let s = confirmed(&app, "ana@uni.test").await;
        let r = answer(
            &app,
            &s,
            json!({"first_generation": "yes", "disability": "prefer_not"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/me/equity", Some(&s.token), None)
            .await;
        assert_eq!(r.json()["first_generation"], "yes");
        assert!(r.json()["gender"].is_null());

        // Values that are not offered are refused, field by field; nothing changes.
        let r = answer(
            &app,
            &s,
            json!({"first_generation": "maybe", "gender": "yes"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), vec!["first_generation", "gender"]);
        let r = app
            .api(Method::GET, "/api/v1/me/equity", Some(&s.token), None)
            .await;
        assert_eq!(r.json()["first_generation"], "yes");

        // The page form: blank clears, a bad value is named.
        let page = app.get("/me/university", Some(&s.cookie)).await;
        assert!(page.body.contains("About you (optional)"));
        let r = app
            .form(
                "/me/university/about",
                Some(&s.cookie),
                &[
                    ("first_generation", ""),
                    ("need_based_aid", "no"),
                    ("gender", "non_binary"),
                    ("disability", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app
            .api(Method::GET, "/api/v1/me/equity", Some(&s.token), None)
            .await;
        assert!(r.json()["first_generation"].is_null());
        assert_eq!(r.json()["gender"], "non_binary");
        let r = app
            .form(
                "/me/university/about",
                Some(&s.cookie),
                &[("gender", "robot")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Choose one of the answers"));

        // Employers see nothing of it, on the applicant card or anywhere.
        let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
        let pid = app.published(&boss, "Survey coding", 1, false).await;
        app.apply(&s, pid).await;
        let list = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{pid}/applications"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(list.status, StatusCode::OK);
        for word in ["non_binary", "Non-binary", "need_based", "first_generation"] {
            assert!(!list.body.contains(word), "{word} in {}", list.body);
        }
        let page = app
            .get(
                &format!("/employer/projects/{pid}/applicants"),
                Some(&boss.cookie),
            )
            .await;
        assert!(!page.body.contains("Non-binary"));

        // Only students have answers; others are refused.
        let r = app
            .api(Method::GET, "/api/v1/me/equity", Some(&boss.token), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

app_test!(
    outcomes_are_for_career_staff_of_that_university_only,
    |app| async move {
        let (staff, _uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let (other, _) =
            university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
        let (unverified, _) =
            university(&app, "careers@new.test", "New Uni", "new.test", false).await;
        confirmed(&app, "ana@uni.test").await;
        confirmed(&app, "bo@other.test").await;

        // Each university sees its own students only.
        assert_eq!(
            outcomes(&app, &staff, "").await.json()["summary"]["students"],
            1
        );
        let o = outcomes(&app, &other, "").await.json();
        assert_eq!(o["university"], "Other Uni");
        assert_eq!(o["summary"]["students"], 1);
        // Not verified yet: nothing.
        let r = outcomes(&app, &unverified, "").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "not_verified".to_string())
        );
        // Students, employers and faculty are refused, in pages and API.
        let s = app.student("x@mail.test").await;
        let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
        for who in [&s, &boss] {
            assert_eq!(outcomes(&app, who, "").await.status, StatusCode::FORBIDDEN);
            let page = app.get("/university/outcomes", Some(&who.cookie)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN);
            let csv = app
                .get("/university/outcomes.csv?table=summary", Some(&who.cookie))
                .await;
            assert_eq!(csv.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            outcomes(&app, &s, "?from=bad").await.status,
            StatusCode::FORBIDDEN
        );
        let anon = app.get("/university/outcomes", None).await;
        assert!(anon.status == StatusCode::SEE_OTHER || anon.status == StatusCode::UNAUTHORIZED);

        // A period that makes no sense is refused with the field named.
        let r = outcomes(&app, &staff, "?from=2026-05-01&to=2026-04-01").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), vec!["to"]);
        let r = outcomes(&app, &staff, "?from=yesterday&to=2010-01-01").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), vec!["from"]);
        let r = outcomes(&app, &staff, "?from=2015-01-01&to=2026-01-01").await;
        assert_eq!(r.fields(), vec!["to"]);
        let page = app
            .get(
                "/university/outcomes?from=2026-05-01&to=2026-04-01",
                Some(&staff.cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body
                .contains("The period ends on or after the day it starts.")
        );
        let csv = app
            .get(
                "/university/outcomes.csv?table=nonsense",
                Some(&staff.cookie),
            )
            .await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

/// Hires the application, delivers and approves the work: the engagement.
pub(crate) async fn approved(app: &TestApp, boss: &Actor, s: &Actor, application: i64) -> i64 {
    let h = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{application}/hire"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.body);
    let eid = h.json()["engagement"]["id"].as_i64().unwrap_or_default();
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{eid}/submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{eid}/approve"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    eid
}

pub(crate) async fn review(app: &TestApp, who: &Actor, engagement: i64, ratings: Value) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{engagement}/reviews"),
            Some(&who.token),
            Some(json!({"ratings": ratings, "body": "Clear work and quick answers, on time."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn report(app: &TestApp, staff: &Actor) -> Value {
    let r = outcomes(app, staff, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Applications, hires and approvals over the report's months.
fn totals(o: &Value) -> [i64; 3] {
    let months = o["months"].as_array().cloned().unwrap_or_default();
    ["applications", "hires", "completed"].map(|k| {
        months
            .iter()
            .map(|m| m[k].as_i64().unwrap_or_default())
            .sum::<i64>()
    })
}

async fn drift(app: &TestApp) -> Option<i64> {
    app.state.store.outcome_history_drift().await.ok()
}

// The report reads each student's history as triggers keep it (migration
// 28): it follows every change, a student's history counts for the
// university once the affiliation is confirmed and stops with it, and a
// one-sided review counts only once the other side has reviewed or the
// window has closed.
app_test!(outcome_counts_follow_every_change, |app| async move {
    let (staff, uni) = university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
    let s = app.student("sam@mail.test").await;
    crate::universities::set_university(&app, &s, uni).await;
    app.api(
        Method::POST,
        "/api/v1/me/affiliation/request",
        Some(&s.token),
        None,
    )
    .await;
    let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
    let mut applications = Vec::new();
    for title in ["Survey coding", "Market sizing"] {
        let pid = app.published(&boss, title, 1, false).await;
        let aid = app.apply(&s, pid).await.json()["id"]
            .as_i64()
            .unwrap_or_default();
        assert!(aid > 0);
        applications.push(aid);
    }

    // Requested, not confirmed: nothing counts.
    assert_eq!(totals(&report(&app, &staff).await), [0, 0, 0]);
    assert_eq!(drift(&app).await, Some(0));

    // Confirmed by staff: the applications made before count.
    let path = format!("/api/v1/university/students/{}/affiliation", s.id);
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&staff.token),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(r.json()["status"], "confirmed", "{}", r.body);
    assert_eq!(totals(&report(&app, &staff).await), [2, 0, 0]);

    // Hired, delivered, approved, twice.
    let first = approved(&app, &boss, &s, applications[0]).await;
    assert_eq!(totals(&report(&app, &staff).await), [2, 1, 1]);
    let second = approved(&app, &boss, &s, applications[1]).await;
    assert_eq!(totals(&report(&app, &staff).await), [2, 2, 2]);
    assert_eq!(drift(&app).await, Some(0));

    // The employer's reviews alone stay hidden while the window is open...
    review(&app, &boss, first, json!([4, 4, 5])).await;
    review(&app, &boss, second, json!([2, 2, 2])).await;
    assert_eq!(report(&app, &staff).await["ratings"]["reviews"], 0);
    // ...the student's review makes one mutual: shown, and counted once...
    review(&app, &s, first, json!([5, 5, 5])).await;
    let o = report(&app, &staff).await;
    assert_eq!(o["ratings"]["reviews"], 1, "{o}");
    assert_eq!(o["ratings"]["means"]["timeliness"], 5.0);
    assert_eq!(
        o["ratings"]["distribution"][3], 1,
        "mean of 4, 4, 5 rounds to 4"
    );
    assert_eq!(drift(&app).await, Some(0));
    // ...and the other counts once its window has closed.
    app.state.clock.advance(chrono::Duration::days(16));
    let o = report(&app, &staff).await;
    assert_eq!(o["ratings"]["reviews"], 2, "{o}");
    assert_eq!(o["ratings"]["distribution"][1], 1, "{o}");
    assert_eq!(o["employers"][0]["engagements"], 2, "{o}");
    assert_eq!(o["employers"][0]["students"], 1, "{o}");

    // Removed by staff: the student's whole history leaves the university.
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&staff.token),
            Some(json!({"action": "remove"})),
        )
        .await;
    assert_eq!(r.json()["status"], "removed", "{}", r.body);
    let o = report(&app, &staff).await;
    assert_eq!(totals(&o), [0, 0, 0]);
    assert_eq!(o["ratings"]["reviews"], 0);
    assert_eq!(drift(&app).await, Some(0));
});

app_test!(equity_answers_are_sealed_at_rest, |app| async move {
    let (staff, _) = university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
    let mut students = Vec::new();
    for i in 0..6 {
        let s = confirmed(&app, &format!("s{i}@uni.test")).await;
        let r = answer(
            &app,
            &s,
            json!({"first_generation": "yes", "gender": "non_binary"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        students.push(s);
    }
    let plain = "SELECT COUNT(*) FROM equity_attributes WHERE first_generation IS NOT NULL
                   OR need_based_aid IS NOT NULL OR gender IS NOT NULL OR disability IS NOT NULL";
    let store = &app.state.store;
    assert_eq!(store.count_for_tests(plain).await.ok(), Some(0));
    let sealed = store
        .equity_sealed(students[0].id)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(sealed.starts_with("v1:"), "{sealed}");
    assert!(!sealed.contains("yes") && !sealed.contains("non_binary"));

    // The report opens them: six first-generation students are shown.
    let o = outcomes(&app, &staff, "").await.json();
    assert_eq!(
        group(&o, "first_generation", Some("yes"))["students"],
        6,
        "{o}"
    );

    // A sealed value copied to another student's row does not open there:
    // it reads as not answered.
    let leak: &'static str = Box::leak(
        format!(
            "UPDATE equity_attributes SET sealed = (SELECT sealed FROM equity_attributes WHERE student_id = {})
             WHERE student_id = {}",
            students[0].id, students[1].id
        )
        .into_boxed_str(),
    );
    store
        .raw_sql_for_tests(leak)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/equity",
            Some(&students[1].token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["first_generation"].is_null(), "{}", r.body);
    // (Five "yes" and one unanswered: the lone group is hidden, and with
    // it the next smallest.)
    let o = outcomes(&app, &staff, "").await.json();
    let yes = group(&o, "first_generation", Some("yes"));
    assert_eq!(yes["suppressed"], true, "{o}");

    // Answers stored in the clear before sealing (an upgraded instance)
    // are sealed when the server starts, and read as before.
    let s6 = confirmed(&app, "s6@uni.test").await;
    let legacy: &'static str = Box::leak(
        format!(
            "INSERT INTO equity_attributes (student_id, first_generation, disability, updated_at)
             VALUES ({}, 'no', 'prefer_not', '2026-01-02T03:04:05Z')",
            s6.id
        )
        .into_boxed_str(),
    );
    store
        .raw_sql_for_tests(legacy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.count_for_tests(plain).await.ok(), Some(1));
    let sealed = stint_web::app::outcomes::seal_stored_answers(&app.state).await;
    assert_eq!(sealed.ok(), Some(1));
    assert_eq!(store.count_for_tests(plain).await.ok(), Some(0));
    let again = stint_web::app::outcomes::seal_stored_answers(&app.state).await;
    assert_eq!(again.ok(), Some(0));
    let r = app
        .api(Method::GET, "/api/v1/me/equity", Some(&s6.token), None)
        .await;
    assert_eq!(
        (&r.json()["first_generation"], &r.json()["disability"]),
        (&json!("no"), &json!("prefer_not")),
        "{}",
        r.body
    );

    // Clearing every answer removes the row.
    let r = answer(&app, &s6, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(store.equity_sealed(s6.id).await.ok(), Some(None));
});

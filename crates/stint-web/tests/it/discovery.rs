//! Discovery: explained matches, suggestions with hiding and exploration,
//! comparing projects, applicants best-first with reasons, and alerts when a
//! project is published.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{Actor, TestApp, project_json};

/// A data-analysis student: spreadsheets, statistics and Python, 10 h/week.
async fn analyst(app: &TestApp, email: &str) -> Actor {
    let s = app.student(email).await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(json!({"skills": ["spreadsheets", "statistics", "python"], "interests": ["data-analysis"],
                "availability_hours": 10, "area_of_study": "Statistics", "location": "Pune"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    s
}

fn finance(title: &str) -> Value {
    let mut p = project_json(title);
    p["category"] = json!("finance");
    // A skill the student has: a good project in a field new to them (one
    // needing skills they lack is never a good match).
    p["required_skills"] = json!(["spreadsheets"]);
    p["preferred_skills"] = json!([]);
    p
}

async fn run_jobs(app: &TestApp) {
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

fn ids(m: &Value) -> Vec<i64> {
    m["suggestions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["project"]["id"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

app_test!(
    suggestions_rank_explain_hide_and_explore,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let fin = app
            .publish_json(&boss, finance("Budget model for a café"))
            .await;
        let mut analysis = Vec::new();
        for i in 0..6 {
            analysis.push(
                app.publish_json(&boss, project_json(&format!("Survey analysis {i}")))
                    .await,
            );
        }
        let s = analyst(&app, "s@x.com").await;
        let m = app
            .api(Method::GET, "/api/v1/me/matches", Some(&s.token), None)
            .await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        let m = m.json();
        let top = ids(&m);
        assert_eq!(top.len(), 5);
        assert!(
            !top.contains(&fin),
            "a weaker project from another field is not in the top five yet"
        );
        let first = &m["suggestions"][0];
        let texts: Vec<&str> = first["match"]["reasons"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r["text"].as_str()).collect())
            .unwrap_or_default();
        assert!(texts.contains(&"All 2 required skills"), "{texts:?}");
        assert!(
            texts.contains(&"about 10 h/week of your 10 h/week"),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"In your interests: data analysis"),
            "{texts:?}"
        );
        let sum: f64 = first["match"]["reasons"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r["points"].as_f64()).sum())
            .unwrap_or(0.0);
        assert!(
            (sum - first["match"]["score"].as_f64().unwrap_or(0.0)).abs() <= 1.0,
            "reasons add up to the score"
        );
        // The project page's match agrees with the list.
        let one = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{}/match", top[0]),
                Some(&s.token),
                None,
            )
            .await
            .json();
        assert_eq!(one["score"], first["match"]["score"]);

        // Not interested: it leaves the list, and can come back.
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/matches/{}/hide", top[0]),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let after = ids(&app
            .api(Method::GET, "/api/v1/me/matches", Some(&s.token), None)
            .await
            .json());
        assert!(!after.contains(&top[0]));
        app.api(
            Method::POST,
            &format!("/api/v1/me/matches/{}/unhide", top[0]),
            Some(&s.token),
            None,
        )
        .await;
        assert!(
            ids(&app
                .api(Method::GET, "/api/v1/me/matches", Some(&s.token), None)
                .await
                .json())
            .contains(&top[0])
        );

        // Having worked in one field, one of the five is from another, labelled.
        let r = app.apply(&s, analysis[5]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let m = app
            .api(Method::GET, "/api/v1/me/matches", Some(&s.token), None)
            .await
            .json();
        let list = m["suggestions"].as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), 5);
        assert!(
            !ids(&m).contains(&analysis[5]),
            "applied projects are not suggested"
        );
        let explore: Vec<&Value> = list.iter().filter(|x| x["exploration"] == true).collect();
        assert_eq!(explore.len(), 1, "{list:?}");
        assert_eq!(explore[0]["project"]["id"], fin);
        assert_eq!(explore[0]["match"]["new_field"], true);
        assert_eq!(m["categories"][0]["slug"], "data-analysis");
        assert_eq!(m["categories"][0]["applied"], 1);

        // The home page shows the same, with reasons and the label.
        let home = app.get("/", Some(&s.cookie)).await;
        assert!(home.body.contains("Matched for you"));
        assert!(home.body.contains("New field for you"));
        assert!(home.body.contains("All 2 required skills"));
        let r = app
            .form(&format!("/me/suggestions/{fin}/hide"), Some(&s.cookie), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // The page says it is hidden and offers to undo it.
        assert_eq!(
            r.location(),
            format!("/?notice=suggestion_hidden&hidden={fin}")
        );
        let hidden = app.get(r.location(), Some(&s.cookie)).await.body;
        assert!(!hidden.contains("Budget model for a café"));
        assert!(hidden.contains(&format!("action=\"/me/suggestions/{fin}/unhide\"")));
        let r = app
            .form(
                &format!("/me/suggestions/{fin}/unhide"),
                Some(&s.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), "/?notice=suggestion_restored");
        assert!(
            app.get("/", Some(&s.cookie))
                .await
                .body
                .contains("Budget model for a café")
        );
        app.form(&format!("/me/suggestions/{fin}/hide"), Some(&s.cookie), &[])
            .await;

        // Only students have matches; nobody hides a draft.
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/matches", Some(&boss.token), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let draft = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("Draft")),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/me/matches/{draft}/hide"),
                Some(&s.token),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
);

app_test!(compare_two_to_four, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let a = app
        .publish_json(&boss, project_json("Survey analysis A"))
        .await;
    let b = app.publish_json(&boss, finance("Budget model B")).await;
    let c = app
        .publish_json(&boss, project_json("Survey analysis C"))
        .await;
    let s = analyst(&app, "s@x.com").await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/compare?ids={b},{a},{c}"),
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let order: Vec<i64> = list
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|x| x["project"]["id"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(order, vec![b, a, c], "in the order asked");
    assert_eq!(list[0]["hourly_minor"], 45_000);
    assert!(list[1]["match"]["score"].as_u64() > list[0]["match"]["score"].as_u64());
    // Anonymous: no match, the rest the same.
    let anon = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/compare?ids={a},{b}"),
            None,
            None,
        )
        .await
        .json();
    assert!(anon[0]["match"].is_null());
    // Refusals: too few, too many, not a number, unknown, draft.
    let draft = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&boss.token),
            Some(project_json("Draft")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    for (q, status) in [
        (format!("{a}"), StatusCode::UNPROCESSABLE_ENTITY),
        (format!("{a},{a}"), StatusCode::UNPROCESSABLE_ENTITY),
        (
            format!("{a},{b},{c},{a},99,98"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (format!("{a},x"), StatusCode::UNPROCESSABLE_ENTITY),
        (format!("{a},999999"), StatusCode::NOT_FOUND),
        (format!("{a},{draft}"), StatusCode::NOT_FOUND),
    ] {
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/compare?ids={q}"),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, status, "{q}: {}", r.body);
    }
    // The page: a table with the match row for a student.
    let page = app
        .get(
            &format!("/compare?ids={a}&ids={b}&ids={c}"),
            Some(&s.cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Your match"));
    assert!(page.body.contains("Budget model B"));
    // The comma form the API takes works for the page too.
    let page = app
        .get(&format!("/compare?ids={a},{b},{c}"), Some(&s.cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Budget model B"));
    // One pick is not an error page: it says what is missing and keeps it.
    let page = app.get(&format!("/compare?ids={a}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Pick at least two projects to compare"));
    assert!(page.body.contains(&format!("href=\"/projects/{a}\"")));
    let page = app.get("/compare?ids=1,x", None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Search results offer the compare box and, for a student, the match.
    let browse = app.get("/projects", Some(&s.cookie)).await;
    assert!(browse.body.contains("form=\"compare-form\""));
    assert!(browse.body.contains("% match"));
});

app_test!(applicants_best_match_first_with_reasons, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let mut p = project_json("Blind survey analysis");
    p["blind_screening"] = json!(true);
    p["work_mode"] = json!("hybrid");
    p["location"] = json!("Mumbai");
    let pid = app.publish_json(&boss, p).await;
    let weak = app.student("weak@x.com").await;
    assert_eq!(app.apply(&weak, pid).await.status, StatusCode::CREATED);
    let strong = analyst(&app, "strong@x.com").await;
    let r = app.apply(&strong, pid).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let strong_app = r.json()["id"].as_i64().unwrap_or_default();
    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json()["items"].clone();
    let first = &list.as_array().cloned().unwrap_or_default()[0];
    assert_eq!(
        first["id"], strong_app,
        "best match first, though they applied later"
    );
    assert!(first["match_score"].as_u64() > list[1]["match_score"].as_u64());
    let texts: Vec<String> = first["match_reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["text"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        texts.iter().any(|t| t == "All 2 required skills"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("of their 10 h/week")),
        "worded for the employer: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("Pune")),
        "blind screening hides where they are: {texts:?}"
    );
    let page = app
        .get(
            &format!("/employer/projects/{pid}/applicants"),
            Some(&boss.cookie),
        )
        .await;
    assert!(page.body.contains("% match"));
    assert!(!page.body.contains("Pune"));

    // Paging: one at a time walks the same best-first order.
    let base = format!("/api/v1/projects/{pid}/applications");
    let all: Vec<Value> = list.as_array().cloned().unwrap_or_default();
    let mut walked = Vec::new();
    let mut url = format!("{base}?limit=1");
    loop {
        let r = app.api(Method::GET, &url, Some(&boss.token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["total"].as_u64(), Some(all.len() as u64));
        walked.extend(v["items"].as_array().cloned().unwrap_or_default());
        match v["next_cursor"].as_str() {
            Some(c) => url = format!("{base}?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(
        walked.iter().map(|a| a["id"].clone()).collect::<Vec<_>>(),
        all.iter().map(|a| a["id"].clone()).collect::<Vec<_>>()
    );
    // Someone else's project: refused before the paging is even read.
    let (rival, _) = app.employer("rival@other.com", "Other", true).await;
    for q in ["", "?limit=0"] {
        let r = app
            .api(Method::GET, &format!("{base}{q}"), Some(&rival.token), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{q}: {}", r.body);
    }
    let r = app
        .get(
            &format!("/employer/projects/{pid}/applicants?cursor=zzz"),
            Some(&rival.cookie),
        )
        .await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND);
    // The page: a stale page link shows the first page; all fit on one page,
    // so there is no pager.
    let page = app
        .get(
            &format!("/employer/projects/{pid}/applicants?cursor=zzz"),
            Some(&boss.cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("% match") && !page.body.contains("More applicants"));
    for bad in ["?limit=0", "?limit=201", "?limit=x", "?cursor=zzz"] {
        let r = app
            .api(
                Method::GET,
                &format!("{base}{bad}"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed".to_string()
            ),
            "{bad}: {}",
            r.body
        );
    }
});

app_test!(
    publishing_alerts_matching_students_once_within_a_cap,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let keen = analyst(&app, "keen@x.com").await;
        let quiet = analyst(&app, "quiet@x.com").await;
        let other = app.student("other@x.com").await;
        app.api(Method::PUT, "/api/v1/me/profile", Some(&other.token),
        Some(json!({"skills": ["figma"], "interests": ["graphic-design"], "availability_hours": 5})))
        .await;
        // Only `keen` wants alerts by email.
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/email-preferences",
                Some(&keen.token),
                Some(json!({"alerts": true})),
            )
            .await;
        assert_eq!(r.json()["alerts"], true);
        let emails = |who: &Actor| {
            let who = who.email.clone();
            let app = &app;
            async move {
                app.state
                    .store
                    .email_to(&who)
                    .await
                    .unwrap_or_default()
                    .len()
            }
        };
        let (keen_mail, quiet_mail) = (emails(&keen).await, emails(&quiet).await);

        let first = app
            .publish_json(&boss, project_json("Survey analysis for a clinic"))
            .await;
        run_jobs(&app).await;
        run_jobs(&app).await;
        assert_eq!(app.count_kind(&keen, "match_alert").await, 1);
        assert_eq!(app.count_kind(&quiet, "match_alert").await, 1);
        assert_eq!(
            app.count_kind(&other, "match_alert").await,
            0,
            "below the threshold"
        );
        assert_eq!(emails(&keen).await, keen_mail + 1, "opted in to email");
        assert_eq!(
            emails(&quiet).await,
            quiet_mail,
            "alerts by email are opt-in"
        );
        let n = app
            .api(
                Method::GET,
                "/api/v1/me/notifications",
                Some(&keen.token),
                None,
            )
            .await
            .json();
        let note = &n["items"][0];
        assert_eq!(note["link"], format!("/projects/{first}"));
        assert!(
            note["title"].as_str().is_some_and(|t| t.contains("%)")),
            "{note}"
        );

        // A project closed before the job runs alerts nobody.
        let closed = app
            .publish_json(&boss, project_json("Survey analysis, closed at once"))
            .await;
        app.api(
            Method::POST,
            &format!("/api/v1/projects/{closed}/close"),
            Some(&boss.token),
            None,
        )
        .await;
        run_jobs(&app).await;
        assert_eq!(app.count_kind(&keen, "match_alert").await, 1);

        // At most three a day.
        for i in 0..4 {
            app.publish_json(&boss, project_json(&format!("Survey analysis batch {i}")))
                .await;
        }
        run_jobs(&app).await;
        assert_eq!(
            app.count_kind(&keen, "match_alert").await,
            3,
            "the daily cap"
        );
        // A day later alerts flow again.
        app.state.clock.advance(chrono::Duration::hours(25));
        app.publish_json(&boss, project_json("Survey analysis next day"))
            .await;
        run_jobs(&app).await;
        assert_eq!(app.count_kind(&keen, "match_alert").await, 4);
    }
);

app_test!(saved_searches_alert_instantly_or_daily, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let s = app.student("s@x.com").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/searches",
            Some(&s.token),
            Some(json!({"q": "survey", "category": "data-analysis", "frequency": "instant"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["name"], "“survey” · Data analysis");
    let instant = r.json()["id"].as_i64().unwrap_or_default();
    for (body, field) in [
        (json!({"category": "astrology"}), "category"),
        (json!({"q": "x", "frequency": "hourly"}), "frequency"),
        (json!({"q": "x", "name": "n".repeat(81)}), "name"),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/searches",
                Some(&s.token),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec![field]);
    }
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/me/searches",
            Some(&boss.token),
            Some(json!({"q": "x"}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // A matching project alerts at once; one outside the search does not.
    app.publish_json(&boss, finance("Budget survey for a café"))
        .await;
    run_jobs(&app).await;
    assert_eq!(app.count_kind(&s, "saved_search").await, 0);
    let hit = app
        .publish_json(&boss, project_json("Customer survey analysis"))
        .await;
    run_jobs(&app).await;
    run_jobs(&app).await;
    assert_eq!(
        app.count_kind(&s, "saved_search").await,
        1,
        "once per project"
    );
    let n = app
        .api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(n["items"][0]["link"], format!("/projects/{hit}"));

    // Daily: nothing at once, then one digest a day later.
    let r = app
        .api(Method::POST, "/api/v1/me/searches", Some(&s.token),
            Some(json!({"name": "Remote analysis", "mode": "remote", "category": "data-analysis", "frequency": "daily"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.api(
        Method::DELETE,
        &format!("/api/v1/me/searches/{instant}"),
        Some(&s.token),
        None,
    )
    .await;
    for i in 0..2 {
        app.publish_json(&boss, project_json(&format!("Remote analysis {i}")))
            .await;
    }
    run_jobs(&app).await;
    assert_eq!(app.count_kind(&s, "saved_search").await, 1, "no digest yet");
    app.state.clock.advance(chrono::Duration::hours(25));
    run_jobs(&app).await;
    assert_eq!(app.count_kind(&s, "saved_search").await, 2);
    let n = app
        .api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(
        n["items"][0]["title"],
        "2 new projects for “Remote analysis”"
    );
    run_jobs(&app).await;
    app.state.clock.advance(chrono::Duration::hours(25));
    run_jobs(&app).await;
    assert_eq!(
        app.count_kind(&s, "saved_search").await,
        2,
        "nothing new, no digest"
    );

    // Own searches only; at most ten.
    let other = app.student("other@x.com").await;
    let mine = app
        .api(Method::GET, "/api/v1/me/searches", Some(&s.token), None)
        .await
        .json();
    let id = mine[0]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/api/v1/me/searches/{id}"),
            Some(&other.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    for i in 0..9 {
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/searches",
                Some(&other.token),
                Some(json!({"q": format!("word{i}")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let page = app
        .form(
            "/me/searches",
            Some(&other.cookie),
            &[("q", "tenth"), ("frequency", "daily")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/searches",
            Some(&other.token),
            Some(json!({"q": "eleventh"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "saved_search_limit");
    // Deleting through the page: someone else's is not found, one's own goes.
    let r = app
        .form(
            &format!("/me/searches/{id}/delete"),
            Some(&other.cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .form(&format!("/me/searches/{id}/delete"), Some(&s.cookie), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.api(Method::GET, "/api/v1/me/searches", Some(&s.token), None)
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let list = app.get("/me/searches", Some(&other.cookie)).await;
    assert!(list.body.contains("“tenth”"));
    assert!(list.body.contains("Daily digest"));
    // The search page offers saving to students only.
    assert!(
        app.get("/projects?q=survey", Some(&s.cookie))
            .await
            .body
            .contains("Save this search")
    );
    assert!(
        !app.get("/projects?q=survey", Some(&boss.cookie))
            .await
            .body
            .contains("Save this search")
    );
});

app_test!(applicants_page_pages_best_first, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Survey analysis", 1, false).await;
    // 60 applicants: every third has both required skills.
    let rows: Vec<stint_store::SeedStudent> = (0..60)
        .map(|i| stint_store::SeedStudent {
            email: format!("s{i}@x.com"),
            name: format!("Seeded {i}"),
            skills: if i % 3 == 0 {
                vec!["spreadsheets", "statistics"]
            } else {
                vec!["figma"]
            },
            interests: vec!["data-analysis"],
            area_of_study: "Statistics",
            hours: 10,
            location: "Pune",
        })
        .collect();
    let ids = app
        .state
        .store
        .seed_students(&rows, "unused")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    app.state
        .store
        .seed_applications(pid, &ids)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let first = app
        .get(
            &format!("/employer/projects/{pid}/applicants"),
            Some(&boss.cookie),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Showing 1–50 of 60"), "{}", first.body);
    assert_eq!(
        first.body.matches("<article class=\"card stack\"").count(),
        50
    );
    assert!(first.body.contains("60 waiting for your decision"));
    // The 20 strong applicants come before any weak one.
    let pos = |name: &str, body: &str| body.find(&format!(">{name}<")).unwrap_or(usize::MAX);
    assert!(pos("Seeded 1", &first.body) < usize::MAX);
    assert!(pos("Seeded 57", &first.body) < pos("Seeded 1", &first.body));
    let next = first
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("/applicants?cursor="))
        .map(|h| h.replace("&amp;", "&"))
        .unwrap_or_else(|| panic!("a link to more applicants"));
    let second = app.get(&next, Some(&boss.cookie)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Showing 51–60 of 60"));
    assert_eq!(
        second.body.matches("<article class=\"card stack\"").count(),
        10
    );
    assert!(second.body.contains("← Better matches") && !second.body.contains("More applicants"));
    for i in (0..60).step_by(3) {
        assert!(
            !second.body.contains(&format!(">Seeded {i}<")),
            "strong {i} on page two"
        );
    }
});

//! What attacks found in the base, each kept fixed (2 of 2): input that
//! cannot poison a job or the database (control characters, extreme dates,
//! bodies that are not objects, text that would end a script element), and
//! errors that are always problem+json.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::app_test;
use crate::common::*;

async fn run_jobs(app: &TestApp) {
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
app_test!(
    control_characters_are_refused_at_the_boundary,
    |app| async move {
        let s = app.student("s@x.com").await;
        for path in [
            "/api/v1/projects?location=%00",
            "/api/v1/projects?q=data%00",
            "/api/v1/projects/facets?location=%00",
            "/api/v1/projects/%00",
        ] {
            let r = app.api(Method::GET, path, Some(&s.token), None).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}: {}",
                r.body
            );
            assert_eq!(r.code(), "validation_failed", "{path}");
        }
        let page = app.get("/projects?location=%00", None).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("control characters"), "{}", page.body);

        let r = app
            .api(
                Method::POST,
                "/api/v1/me/searches",
                Some(&s.token),
                Some(json!({"location": "Pune\u{0}"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/profile",
                Some(&s.token),
                Some(json!({"headline": "Analyst", "links": ["https://x.example/\u{1b}"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap_or("")
                .contains("links[0]"),
            "{}",
            r.body
        );
        let r = app
            .form("/me/searches", Some(&s.cookie), &[("q", "survey\u{0}")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let kept = app
            .api(Method::GET, "/api/v1/me/searches", Some(&s.token), None)
            .await
            .json();
        assert_eq!(kept.as_array().map(Vec::len), Some(0), "nothing was saved");
    }
);

app_test!(one_failing_recipient_never_stops_alerts, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let mut students = Vec::new();
    for (email, name) in [
        ("a@x.com", "Surveys A"),
        ("b@x.com", "POISON surveys"),
        ("c@x.com", "Surveys C"),
    ] {
        let s = app.student(email).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/searches",
                Some(&s.token),
                Some(json!({"q": "survey", "name": name})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        students.push(s);
    }
    // A search saved before control characters were refused at the
    // boundary (a NUL in its location) must not stop anyone's alerts.
    app.state
        .store
        .save_search(
            students[0].id,
            "Old",
            "q=survey&location=%00",
            "instant",
            99,
            chrono::Utc::now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // And one student whose notices the database refuses.
    let poison = match app.state.store.engine() {
        stint_store::Engine::Sqlite => {
            "CREATE TRIGGER poison BEFORE INSERT ON notifications WHEN NEW.title LIKE '%POISON%'
             BEGIN SELECT RAISE(ABORT, 'poisoned notice'); END;"
        }
        stint_store::Engine::Postgres => {
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
                IF NEW.title LIKE '%POISON%' THEN RAISE EXCEPTION 'poisoned notice'; END IF;
                RETURN NEW; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER poison BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION poison();"
        }
    };
    app.state
        .store
        .raw_sql_for_tests(poison)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    app.publish_json(&boss, project_json("Customer survey analysis"))
        .await;
    run_jobs(&app).await;
    assert_eq!(app.count_kind(&students[0], "saved_search").await, 1);
    assert_eq!(app.count_kind(&students[1], "saved_search").await, 0);
    assert_eq!(
        app.count_kind(&students[2], "saved_search").await,
        1,
        "alerts went on past the failure"
    );
    let failures = app.state.store.job_failures(10).await.unwrap_or_default();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].job_kind, "match_alerts");
    assert!(
        failures[0]
            .item
            .contains(&format!("student {}", students[1].id)),
        "{failures:?}"
    );
    assert!(
        failures[0].error.contains("poisoned notice"),
        "{failures:?}"
    );
    // Admins see it over the API; nobody else does.
    let admin = app.admin().await;
    let seen = app
        .api(
            Method::GET,
            "/api/v1/admin/job-failures",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(seen.as_array().map(Vec::len), Some(1), "{seen}");
    assert_eq!(seen[0]["job_kind"], "match_alerts");
    let r = app
        .api(
            Method::GET,
            "/api/v1/admin/job-failures",
            Some(&students[0].token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

app_test!(
    dates_outside_a_sensible_range_are_refused,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        for extreme in [
            "-4714-01-01",
            "-262143-01-01",
            "+262142-12-31",
            "9999-12-01",
        ] {
            let mut p = project_json("Survey analysis");
            p["start_date"] = json!(extreme);
            let r = app
                .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{extreme}: {}",
                r.body
            );
            assert_eq!(r.fields(), vec!["start_date"], "{extreme}");
        }
        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("Survey analysis")),
            )
            .await;
        let id = r.json()["id"].as_i64().unwrap_or_default();
        let mut p = project_json("Survey analysis");
        p["decision_by"] = json!("-262143-01-01");
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/projects/{id}"),
                Some(&boss.token),
                Some(p),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // Far-future dates save as a draft but never publish.
        let mut p = project_json("Survey analysis far away");
        for f in [
            "application_deadline",
            "decision_by",
            "start_date",
            "due_date",
        ] {
            p[f] = json!("2099-12-01");
        }
        let r = app
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let far = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/projects/{far}/publish"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields = r.fields();
        assert!(
            fields.contains(&"application_deadline".to_string())
                && fields.contains(&"decision_by".to_string()),
            "{fields:?}"
        );
        // The work may not wait months after the decision either.
        let mut p = project_json("Survey analysis later");
        let day =
            |n: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string();
        p["start_date"] = json!(day(60));
        p["due_date"] = json!(day(70));
        let r = app
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await;
        let late = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/projects/{late}/publish"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.fields(), vec!["start_date"], "{}", r.body);
    }
);

app_test!(only_a_json_object_is_a_body, |app| async move {
    let s = app.student("s@x.com").await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(json!({"headline": "Survey analyst", "availability_hours": 10})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for body in [
        json!([null, null]),
        json!(["x"]),
        json!("text"),
        json!(7),
        json!(null),
    ] {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/profile",
                Some(&s.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.code(), "validation_failed");
        assert_eq!(r.fields(), vec!["body"]);
    }
    let kept = app
        .api(Method::GET, "/api/v1/me/profile", Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        kept["headline"], "Survey analyst",
        "the profile was not wiped"
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/searches",
            Some(&s.token),
            Some(json!([])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
});

app_test!(inline_json_cannot_swallow_the_page, |app| async move {
    let (boss, _) = app
        .employer("boss@acme.com", "Acme <!--<script> Ltd", true)
        .await;
    let mut p = project_json("Survey analysis <!--<script>");
    p["summary"] = json!("Analyse survey responses <!--<script> and summarise the themes for us.");
    p["brief"] = json!(
        "We surveyed 500 customers </script><!-- code the open answers into themes and summarise by city."
    );
    let id = app.publish_json(&boss, p).await;
    let page = app.get(&format!("/projects/{id}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page
        .body
        .find("application/ld+json")
        .unwrap_or_else(|| panic!("no JSON-LD"));
    let script = &page.body[start..];
    let inner = &script[script.find('>').unwrap_or(0) + 1..script.find("</script>").unwrap_or(0)];
    assert!(!inner.contains('<'), "{inner}");
    let ld: serde_json::Value = serde_json::from_str(inner).unwrap_or_default();
    assert_eq!(ld["title"], "Survey analysis <!--<script>");
    assert_eq!(ld["hiringOrganization"]["name"], "Acme <!--<script> Ltd");
    // The rest of the page follows the script as markup.
    assert!(
        page.body[start..].contains("Apply"),
        "the page after the script is still there"
    );
});

app_test!(every_api_error_is_problem_json, |app| async move {
    let s = app.student("s@x.com").await;
    // A missing query field.
    let r = app
        .api(
            Method::GET,
            "/api/v1/projects/compare",
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.code(), "validation_failed");
    // A bad path parameter, an unknown path.
    for path in ["/api/v1/projects/abc", "/api/v1/nothing-here"] {
        let r = app.api(Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.code(), "not_found");
    }
    // A method the route does not take.
    let r = app
        .api(Method::DELETE, "/api/v1/projects", Some(&s.token), None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.code(), "method_not_allowed");
    assert!(r.headers.get(header::ALLOW).is_some());
    // A malformed body, and one of the wrong media type.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/me/searches")
        .header(header::AUTHORIZATION, format!("Bearer {}", s.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"q\": "))
        .unwrap_or_default();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "validation_failed");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/me/searches")
        .header(header::AUTHORIZATION, format!("Bearer {}", s.token))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("q=survey"))
        .unwrap_or_default();
    let r = app.send(req).await;
    assert_eq!(r.code(), "validation_failed");
    // Bad paging.
    let r = app
        .api(
            Method::GET,
            "/api/v1/projects?limit=x&cursor=%3F",
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "validation_failed");
    // Pages answer HTML for the same mistakes.
    let r = app
        .send(
            Request::builder()
                .method(Method::DELETE)
                .uri("/projects")
                .body(Body::empty())
                .unwrap_or_default(),
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let ct = r
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.starts_with("text/html"), "{ct}");
});

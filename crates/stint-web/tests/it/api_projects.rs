//! API: the project lifecycle, who may touch which project, and search.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::project_json;

app_test!(project_lifecycle, |app| async move {
    let (e, _) = app.employer("e@acme.com", "Acme", false).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/projects",
            None,
            Some(project_json("Survey analysis")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let r = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&e.token),
            Some(project_json("Survey analysis for a skincare brand")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    let id = p["id"].as_i64().unwrap_or_default();
    assert_eq!(p["status"], "draft");
    assert_eq!(p["effective_hourly_rate"]["display"], "₹450");

    // Drafts are private.
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/projects/{id}"), None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/projects/{id}"),
            Some(&e.token),
            None
        )
        .await
        .status,
        StatusCode::OK
    );

    // Unverified organizations cannot publish; the problem says why.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&e.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), vec!["organization"]);
    let org_id = app
        .state
        .store
        .membership(e.id)
        .await
        .ok()
        .flatten()
        .map(|m| m.org.id)
        .unwrap_or_default();
    app.state.store.verify_org(org_id).await.unwrap_or_default();

    // Below the hourly floor: ₹2,000 for 20 hours is ₹100/h.
    let mut cheap = project_json("Survey analysis for a skincare brand");
    cheap["price_minor"] = json!(200_000);
    cheap["deliverables"] = json!("");
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{id}"),
            Some(&e.token),
            Some(cheap),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "drafts may be incomplete: {}",
        r.body
    );
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&e.token),
            None,
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["deliverables", "price"]);
    assert!(
        r.body.contains("₹150 an hour"),
        "the floor is named: {}",
        r.body
    );

    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{id}"),
            Some(&e.token),
            Some(project_json("Survey analysis for a skincare brand")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&e.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["project"]["status"], "open");
    assert!(r.json()["project"]["published_at"].is_string());

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&e.token),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "not_publishable")
    );
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{id}"),
            Some(&e.token),
            Some(project_json("Changed")),
        )
        .await;
    assert_eq!(
        r.code(),
        "not_editable",
        "published projects are not edited in place"
    );

    let r = app
        .api(Method::GET, "/api/v1/projects?q=skincare", None, None)
        .await
        .json();
    assert_eq!(r["items"][0]["id"], id);
    assert_eq!(r["items"][0]["organization"]["verified"], true);

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/close"),
            Some(&e.token),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "closed");
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/cancel"),
            Some(&e.token),
            None,
        )
        .await;
    assert_eq!(r.code(), "invalid_transition");
    assert_eq!(
        app.api(Method::GET, "/api/v1/projects?q=skincare", None, None)
            .await
            .json()["total"],
        0
    );
    let audit = app
        .state
        .store
        .audit_for("project", id)
        .await
        .unwrap_or_default();
    assert_eq!(
        audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        vec![
            "project.created",
            "project.edited",
            "project.edited",
            "project.published",
            "project.closed"
        ]
    );
});

app_test!(
    nobody_touches_another_organizations_projects,
    |app| async move {
        let (owner, _) = app.employer("o@acme.com", "Acme", true).await;
        let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
        let student = app.student("s@x.com").await;
        let draft = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&owner.token),
                Some(project_json("Acme draft project")),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        let open = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&owner.token),
                Some(project_json("Acme open project")),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/projects/{open}/publish"),
                Some(&owner.token),
                None
            )
            .await
            .status,
            StatusCode::OK
        );

        for actor in [&rival, &student] {
            assert_eq!(
                app.api(
                    Method::GET,
                    &format!("/api/v1/projects/{draft}"),
                    Some(&actor.token),
                    None
                )
                .await
                .status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                app.api(
                    Method::PUT,
                    &format!("/api/v1/projects/{draft}"),
                    Some(&actor.token),
                    Some(project_json("Hijacked"))
                )
                .await
                .status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                app.api(
                    Method::POST,
                    &format!("/api/v1/projects/{draft}/publish"),
                    Some(&actor.token),
                    None
                )
                .await
                .status,
                StatusCode::NOT_FOUND
            );
            for action in ["close", "cancel", "publish"] {
                let r = app
                    .api(
                        Method::POST,
                        &format!("/api/v1/projects/{open}/{action}"),
                        Some(&actor.token),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}: {}", r.body);
            }
        }
        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&student.token),
                Some(project_json("Student project")),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let lone = app.actor("lone@x.com", "employer").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&lone.token),
                Some(project_json("No org")),
            )
            .await;
        assert_eq!(r.code(), "no_organization");
        // Nothing changed.
        let p = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{draft}"),
                Some(&owner.token),
                None,
            )
            .await
            .json();
        assert_eq!(
            (p["title"].as_str(), p["status"].as_str()),
            (Some("Acme draft project"), Some("draft"))
        );
        let r = app
            .api(Method::GET, "/api/v1/projects/not-a-number", None, None)
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
        let r = app
            .form("/employer/projects/abc/publish", Some(&owner.cookie), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

app_test!(project_validation_names_every_field, |app| async move {
    let (e, _) = app.employer("e@acme.com", "Acme", true).await;
    let bad = json!({"title": "x", "category": "astrology", "estimated_hours": 0, "price_minor": -5, "currency": "XYZ", "work_mode": "moon",
        "slots": 0, "start_date": "tomorrow", "required_skills": ["cobol"]});
    let r = app
        .api(Method::POST, "/api/v1/projects", Some(&e.token), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.fields();
    for field in [
        "title",
        "summary",
        "category",
        "estimated_hours",
        "currency",
        "work_mode",
        "slots",
        "start_date",
        "due_date",
        "application_deadline",
        "decision_by",
        "required_skills",
    ] {
        assert!(f.iter().any(|x| x == field), "{field} missing from {f:?}");
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&e.token),
            Some(json!({"estimated_hours": "ten"})),
        )
        .await;
    assert_eq!(r.fields(), vec!["body"], "wrong JSON types are named");
    let mut hybrid = project_json("Hybrid without a place");
    hybrid["work_mode"] = json!("hybrid");
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/projects",
            Some(&e.token),
            Some(hybrid)
        )
        .await
        .fields(),
        vec!["location"]
    );
});

app_test!(concurrent_publishes_open_once, |app| async move {
    let (e, _) = app.employer("e@acme.com", "Acme", true).await;
    let id = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&e.token),
            Some(project_json("Race to publish")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let path = format!("/api/v1/projects/{id}/publish");
    let results = app.concurrently(8, Method::POST, &path, &e.token).await;
    assert_eq!(
        results.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{results:?}"
    );
    let published = app
        .state
        .store
        .audit_for("project", id)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|a| a.action == "project.published")
        .count();
    assert_eq!(published, 1);
});

app_test!(search_filters_and_pages, |app| async move {
    let (e, _) = app.employer("e@acme.com", "Acme", true).await;
    for (title, category, skill, mode, hours) in [
        (
            "Market research on EV chargers",
            "market-research",
            "desk-research",
            "remote",
            10,
        ),
        (
            "Instagram calendar for a cafe",
            "social-media",
            "instagram",
            "remote",
            8,
        ),
        (
            "Warehouse process map",
            "operations",
            "process-mapping",
            "in_person",
            30,
        ),
    ] {
        let mut p = project_json(title);
        p["category"] = json!(category);
        p["required_skills"] = json!([skill]);
        p["preferred_skills"] = json!([]);
        p["work_mode"] = json!(mode);
        p["location"] = json!("Pune, India");
        p["estimated_hours"] = json!(hours);
        p["price_minor"] = json!(i64::from(hours) * 30_000);
        let id = app
            .api(Method::POST, "/api/v1/projects", Some(&e.token), Some(p))
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/projects/{id}/publish"),
                Some(&e.token),
                None
            )
            .await
            .status,
            StatusCode::OK
        );
    }
    let q = |qs: &str| {
        let path = format!("/api/v1/projects?{qs}");
        let app = &app;
        async move { app.api(Method::GET, &path, None, None).await }
    };
    assert_eq!(
        q("q=market%20research").await.json()["items"][0]["title"],
        "Market research on EV chargers"
    );
    assert_eq!(q("category=social-media").await.json()["total"], 1);
    assert_eq!(q("mode=in_person").await.json()["total"], 1);
    assert_eq!(q("max_hours=10").await.json()["total"], 2);
    assert_eq!(
        q("skill=process-mapping&location=pune").await.json()["total"],
        1
    );
    assert_eq!(q("currency=INR&min_price=5000").await.json()["total"], 1);
    let first = q("limit=2&sort=newest").await.json();
    assert_eq!(first["items"].as_array().map(|a| a.len()), Some(2));
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = q(&format!("limit=2&sort=newest&cursor={cursor}"))
        .await
        .json();
    assert_eq!(second["items"].as_array().map(|a| a.len()), Some(1));
    assert!(second["next_cursor"].is_null());
    let r = q("mode=moon&limit=5000&cursor=bogus").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["cursor", "limit", "mode"]);
    assert_eq!(
        q("q=%27%22%29%28*%20OR%20NEAR").await.status,
        StatusCode::OK,
        "search syntax in input is harmless"
    );
});

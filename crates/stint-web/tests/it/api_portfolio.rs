//! Achievements: drafted at approval, described by the student, confirmed by
//! the employer, shown on an opt-in portfolio.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;

app_test!(achievements_and_portfolio, |app| async move {
    let (boss, s, id) = hired(&app).await;
    assert!(
        app.api(Method::GET, "/api/v1/me/achievements", Some(&s.token), None)
            .await
            .json()
            .as_array()
            .is_some_and(|a| a.is_empty())
    );
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/approve"),
        Some(&boss.token),
        None,
    )
    .await;

    let list = app
        .api(Method::GET, "/api/v1/me/achievements", Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        (list[0]["title"].as_str(), list[0]["verified"].as_bool()),
        (Some("Workspace project"), Some(false))
    );
    assert_eq!(list[0]["skills"], json!(["spreadsheets", "statistics"]));
    let aid = list[0]["id"].as_i64().unwrap_or_default();
    let confirm = format!("/api/v1/achievements/{aid}/confirm");
    assert_eq!(
        app.api(Method::POST, &confirm, Some(&boss.token), None)
            .await
            .code(),
        "nothing_to_confirm"
    );

    let path = format!("/api/v1/achievements/{aid}");
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&s.token),
            Some(json!({"summary": "Coded survey answers.", "outcomes": ["lots of answers"]})),
        )
        .await;
    assert_eq!(r.fields(), vec!["outcomes"]);
    let good = json!({"summary": "Coded 500 survey answers into themes.", "outcomes": ["500 survey responses coded", "12 themes reported"]});
    let nosy = app.student("nosy@x.com").await;
    let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
    assert_eq!(
        app.api(Method::PUT, &path, Some(&nosy.token), Some(good.clone()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::PUT, &path, Some(&boss.token), Some(good.clone()))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "employers do not write the student's outcomes"
    );
    assert_eq!(
        app.api(Method::PUT, &path, Some(&s.token), Some(good.clone()))
            .await
            .json()["outcomes"][0],
        json!({"value": "500", "metric": "survey responses coded"})
    );
    assert_eq!(
        app.api(Method::POST, &confirm, Some(&rival.token), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::POST, &confirm, Some(&s.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(Method::POST, &confirm, Some(&boss.token), None)
            .await
            .json()["verified"],
        true
    );

    // Private until the student opts in.
    let portfolio = format!("/api/v1/students/{}/portfolio", s.id);
    assert_eq!(
        app.api(Method::GET, &portfolio, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::GET, &portfolio, Some(&s.token), None)
            .await
            .status,
        StatusCode::OK,
        "students see their own"
    );
    assert_eq!(
        app.api(
            Method::PUT,
            "/api/v1/me/portfolio",
            Some(&boss.token),
            Some(json!({"public": true}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::PUT,
            "/api/v1/me/portfolio",
            Some(&s.token),
            Some(json!({"public": true}))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let p = app.api(Method::GET, &portfolio, None, None).await.json();
    assert_eq!(
        (
            p["achievements"][0]["verified"].as_bool(),
            p["ratings"].is_null()
        ),
        (Some(true), true)
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/students/{}/portfolio", boss.id),
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "employers have no portfolio"
    );

    // Reviews count once the double-blind rule shows them.
    app.api(Method::POST, &format!("/api/v1/engagements/{id}/reviews"), Some(&boss.token), Some(json!({"ratings": [5, 4, 5], "body": "Careful work, early.", "recommendation": "Hire this student."}))).await;
    assert!(
        app.api(Method::GET, &portfolio, None, None).await.json()["ratings"].is_null(),
        "hidden until both are in"
    );
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/reviews"),
        Some(&s.token),
        Some(json!({"ratings": [5, 5, 5], "body": "Clear brief, fast pay."})),
    )
    .await;
    let p = app.api(Method::GET, &portfolio, None, None).await.json();
    assert_eq!(p["ratings"], json!([5.0, 4.0, 5.0]));
    assert_eq!(p["recommendations"][0]["text"], "Hire this student.");
    let page = app
        .get(&format!("/students/{}/portfolio", s.id), None)
        .await;
    assert!(
        page.body.contains("500</strong> survey responses coded")
            && page.body.contains("Hire this student.")
            && page.body.contains("Verified")
    );

    // Editing after confirmation asks the employer again.
    let r = app.api(Method::PUT, &path, Some(&s.token), Some(json!({"summary": "Coded 500 survey answers into themes.", "outcomes": ["600 survey responses coded"]}))).await;
    assert_eq!(r.json()["verified"], false);
    assert!(
        app.api(Method::GET, &portfolio, None, None).await.json()["achievements"]
            .as_array()
            .is_some_and(|a| a.is_empty())
    );
});

app_test!(portfolio_through_pages, |app| async move {
    let (boss, s, id) = hired(&app).await;
    app.form(
        &format!("/engagements/{id}/submissions"),
        Some(&s.cookie),
        &[("note", "All done, report linked.")],
    )
    .await;
    app.form(
        &format!("/engagements/{id}/approve"),
        Some(&boss.cookie),
        &[],
    )
    .await;
    let aid = app
        .state
        .store
        .achievement_for(id)
        .await
        .ok()
        .flatten()
        .map(|a| a.id)
        .unwrap_or_default();
    let r = app
        .form(
            &format!("/achievements/{aid}"),
            Some(&s.cookie),
            &[("summary", "x"), ("outcomes", "many")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .form(
            &format!("/achievements/{aid}"),
            Some(&s.cookie),
            &[
                ("summary", "Coded the survey answers."),
                ("outcomes", "500 responses coded\n12 themes found"),
            ],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("/engagements/{id}?notice=achievement_saved")
    );
    assert!(
        app.get(&format!("/engagements/{id}"), Some(&boss.cookie))
            .await
            .body
            .contains("Confirm these outcomes")
    );
    assert_eq!(
        app.form(
            &format!("/achievements/{aid}/confirm"),
            Some(&boss.cookie),
            &[]
        )
        .await
        .location(),
        format!("/engagements/{id}?notice=achievement_confirmed")
    );
    assert_eq!(
        app.form("/me/portfolio", Some(&s.cookie), &[("public", "true")])
            .await
            .location(),
        "/me/profile?notice=portfolio_public"
    );
    assert!(
        app.get("/me/profile", Some(&s.cookie))
            .await
            .body
            .contains("Make it private")
    );
    assert!(
        app.get(&format!("/students/{}/portfolio", s.id), None)
            .await
            .body
            .contains("Workspace project")
    );
    app.form("/me/portfolio", Some(&s.cookie), &[("public", "false")])
        .await;
    assert_eq!(
        app.get(&format!("/students/{}/portfolio", s.id), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/students/abc/portfolio", None).await.status,
        StatusCode::NOT_FOUND
    );
});

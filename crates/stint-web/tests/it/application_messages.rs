//! Questions before hiring: employers ask, applicants answer once asked.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::project_json;

const PITCH: &str = "I coded 300 open survey answers for my thesis in Sheets and summarised them for my department.";

app_test!(employers_ask_and_applicants_answer, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let mut p = project_json("Question project");
    p["blind_screening"] = json!(true);
    let pid = app
        .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    app.api(
        Method::POST,
        &format!("/api/v1/projects/{pid}/publish"),
        Some(&boss.token),
        None,
    )
    .await;
    let s = app.student("asked@x.com").await;
    let aid = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&s.token),
            Some(json!({"pitch": PITCH, "answer": "R."})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let path = format!("/api/v1/applications/{aid}/messages");

    let r = app
        .api(
            Method::POST,
            &path,
            Some(&s.token),
            Some(json!({"body": "Please pick me!"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "not_contacted"),
        "students cannot write first"
    );
    let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&rival.token),
            Some(json!({"body": "Come work for us"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&boss.token),
            Some(json!({"body": ""}))
        )
        .await
        .fields(),
        vec!["body"]
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&boss.token),
            Some(json!({"body": "Have you used R before?"}))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&s.token),
            Some(json!({"body": "Yes, for two course projects."}))
        )
        .await
        .status,
        StatusCode::CREATED
    );

    let thread = app
        .api(Method::GET, &path, Some(&boss.token), None)
        .await
        .json();
    assert_eq!(thread.as_array().map(|t| t.len()), Some(2));
    assert_eq!(
        thread[1]["author_name"],
        format!("Applicant #{aid}"),
        "blind screening hides the name in the thread too"
    );
    assert_eq!(
        app.api(Method::GET, &path, Some(&s.token), None)
            .await
            .json()[1]["author_name"],
        "Person asked"
    );
    assert_eq!(
        app.api(Method::GET, &path, Some(&rival.token), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = app
        .get(&format!("/applications/{aid}"), Some(&boss.cookie))
        .await;
    assert!(
        page.body.contains("Have you used R before?")
            && page.body.contains("Yes, for two course projects.")
            && !page.body.contains("Person asked")
    );
    assert!(
        app.api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&s.token),
            None
        )
        .await
        .body
        .contains("asked you about your application")
    );

    // Through the pages.
    let r = app
        .form(
            &format!("/applications/{aid}/messages"),
            Some(&s.cookie),
            &[("body", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.form(
            &format!("/applications/{aid}/messages"),
            Some(&s.cookie),
            &[("body", "I can start on Monday.")]
        )
        .await
        .location(),
        format!("/applications/{aid}")
    );
});

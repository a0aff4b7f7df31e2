//! Pages: a student applies from the project page, sees and withdraws
//! applications; the employer reviews applicants and hires.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::project_json;

const PITCH: &str = "I have cleaned and coded survey data for two student societies and can deliver this in a week.";

app_test!(apply_and_hire_through_pages, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let id = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&boss.token),
            Some(project_json("Survey coding for a tea brand")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    app.api(
        Method::POST,
        &format!("/api/v1/projects/{id}/publish"),
        Some(&boss.token),
        None,
    )
    .await;

    let anon = app.get(&format!("/projects/{id}"), None).await;
    assert!(
        anon.body.contains("join as a student"),
        "strangers are invited to sign in"
    );
    let s = app.student("stu@x.com").await;
    app.form("/me/profile", Some(&s.cookie), &[("skills", "statistics")])
        .await;
    let page = app.get(&format!("/projects/{id}"), Some(&s.cookie)).await;
    assert!(
        page.body.contains("1 of 2") && page.body.contains("missing: Spreadsheets"),
        "the match preview shows"
    );

    let r = app
        .form(
            &format!("/projects/{id}/apply"),
            Some(&s.cookie),
            &[("pitch", "too short"), ("answer", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Your pitch must be at least 50 characters.")
            && r.body.contains("Answer the employer")
    );
    assert!(
        r.body.contains("too short</textarea>"),
        "what was typed is kept"
    );
    let r = app
        .form(
            &format!("/projects/{id}/apply"),
            Some(&s.cookie),
            &[
                ("pitch", PITCH),
                ("answer", "Sheets."),
                ("links", "https://work.example/x"),
                ("links", ""),
            ],
        )
        .await;
    assert_eq!(r.location(), "/me/applications?notice=applied");
    let mine = app
        .get("/me/applications?notice=applied", Some(&s.cookie))
        .await;
    assert!(
        mine.body.contains("Survey coding for a tea brand")
            && mine.body.contains("Submitted")
            && mine.body.contains("1 of 10 open applications")
    );
    assert!(
        app.get(&format!("/projects/{id}"), Some(&s.cookie))
            .await
            .body
            .contains("You applied on")
    );

    let list = app
        .get(
            &format!("/employer/projects/{id}/applicants"),
            Some(&boss.cookie),
        )
        .await;
    assert!(
        list.body.contains("Person stu")
            && list.body.contains(PITCH)
            && list.body.contains("1 waiting for your decision")
    );
    let aid = app
        .state
        .store
        .application_of(id, s.id)
        .await
        .ok()
        .flatten()
        .map(|a| a.id)
        .unwrap_or_default();
    assert_eq!(
        app.get(
            &format!("/employer/projects/{id}/applicants"),
            Some(&s.cookie)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.form(
            &format!("/employer/applications/{aid}/hire"),
            Some(&s.cookie),
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let r = app
        .form(
            &format!("/employer/applications/{aid}/shortlist"),
            Some(&boss.cookie),
            &[],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("/employer/projects/{id}/applicants?notice=shortlisted")
    );
    let r = app
        .form(
            &format!("/employer/applications/{aid}/hire"),
            Some(&boss.cookie),
            &[],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("/employer/projects/{id}/applicants?notice=hired_filled")
    );
    let list = app
        .get(
            &format!("/employer/projects/{id}/applicants?notice=hired_filled"),
            Some(&boss.cookie),
        )
        .await;
    assert!(list.body.contains("1 of 1 places filled") && list.body.contains("Hired"));
    let r = app
        .form(
            &format!("/employer/applications/{aid}/hire"),
            Some(&boss.cookie),
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a second hire is refused with a page, not a 500"
    );
});

app_test!(
    students_withdraw_and_employers_reject_through_pages,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let mut p = project_json("Two-place research project");
        p["slots"] = json!(2);
        let id = app
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        app.api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&boss.token),
            None,
        )
        .await;
        let a = app.student("a@x.com").await;
        let b = app.student("b@x.com").await;
        for s in [&a, &b] {
            app.form(
                &format!("/projects/{id}/apply"),
                Some(&s.cookie),
                &[("pitch", PITCH), ("answer", "R.")],
            )
            .await;
        }
        let aid = app
            .state
            .store
            .application_of(id, a.id)
            .await
            .ok()
            .flatten()
            .map(|x| x.id)
            .unwrap_or_default();
        let bid = app
            .state
            .store
            .application_of(id, b.id)
            .await
            .ok()
            .flatten()
            .map(|x| x.id)
            .unwrap_or_default();
        assert_eq!(
            app.form(
                &format!("/me/applications/{aid}/withdraw"),
                Some(&b.cookie),
                &[]
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "only your own"
        );
        assert_eq!(
            app.form(
                &format!("/me/applications/{aid}/withdraw"),
                Some(&a.cookie),
                &[]
            )
            .await
            .location(),
            "/me/applications?notice=withdrawn"
        );
        let r = app
            .form(
                &format!("/employer/applications/{bid}/reject"),
                Some(&boss.cookie),
                &[("reason", "We needed more R experience.")],
            )
            .await;
        assert_eq!(
            r.location(),
            format!("/employer/projects/{id}/applicants?notice=rejected")
        );
        let mine = app.get("/me/applications", Some(&b.cookie)).await;
        assert!(
            mine.body.contains("Not selected")
                && mine.body.contains("We needed more R experience.")
        );
        let mail = app
            .state
            .store
            .email_to("b@x.com")
            .await
            .unwrap_or_default();
        assert!(
            mail.iter()
                .any(|m| m.body.contains("We needed more R experience."))
        );
    }
);

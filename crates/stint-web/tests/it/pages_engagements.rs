//! Pages: the workspace from both sides, and the student's work and earnings.

use axum::http::StatusCode;

use crate::api_engagements::hired;
use crate::app_test;

app_test!(workspace_through_pages, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let ws = format!("/engagements/{id}");
    let page = app.get(&ws, Some(&s.cookie)).await;
    assert!(
        page.body.contains("Workspace project")
            && page.body.contains("Submit your work")
            && page.body.contains("days left")
    );
    assert!(
        !app.get(&ws, Some(&boss.cookie))
            .await
            .body
            .contains("Submit your work"),
        "employers do not submit"
    );
    let nosy = app.student("nosy@x.com").await;
    assert_eq!(
        app.get(&ws, Some(&nosy.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.form(
            &format!("{ws}/messages"),
            Some(&nosy.cookie),
            &[("body", "hi")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        app.form(
            &format!("{ws}/messages"),
            Some(&s.cookie),
            &[("kind", "question"), ("body", "Which cities first?")]
        )
        .await
        .location(),
        format!("{ws}?notice=posted")
    );
    let r = app
        .form(
            &format!("{ws}/submissions"),
            Some(&s.cookie),
            &[("note", "short")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Your note must be at least 10 characters."));
    assert_eq!(
        app.form(
            &format!("{ws}/submissions"),
            Some(&s.cookie),
            &[
                ("note", "Report and dataset linked."),
                ("links", "https://docs.example/v1")
            ]
        )
        .await
        .location(),
        format!("{ws}?notice=submitted")
    );
    let emp = app.get(&ws, Some(&boss.cookie)).await;
    assert!(
        emp.body.contains("Which cities first?")
            && emp.body.contains("Version 1")
            && emp.body.contains("Approve and release ₹9,000")
    );
    let r = app
        .form(
            &format!("{ws}/request-revision"),
            Some(&boss.cookie),
            &[("feedback", "no")],
        )
        .await;
    assert!(
        r.body
            .contains("Your feedback must be at least 10 characters.")
    );
    app.form(
        &format!("{ws}/request-revision"),
        Some(&boss.cookie),
        &[("feedback", "Please add the Pune answers.")],
    )
    .await;
    app.form(
        &format!("{ws}/submissions"),
        Some(&s.cookie),
        &[("note", "Pune answers added to the dataset.")],
    )
    .await;
    assert_eq!(
        app.form(&format!("{ws}/approve"), Some(&boss.cookie), &[])
            .await
            .location(),
        format!("{ws}?notice=approved")
    );
    let r = app
        .form(&format!("{ws}/approve"), Some(&boss.cookie), &[])
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a second approval is a clear refusal"
    );
    let work = app.get("/me/work", Some(&s.cookie)).await;
    assert!(
        work.body.contains("Workspace project")
            && work.body.contains("Approved")
            && work.body.contains("₹9,000")
    );
    let list = app
        .get(
            &format!(
                "/employer/projects/{}/applicants",
                app.state
                    .store
                    .engagement(id)
                    .await
                    .map(|e| e.project_id)
                    .unwrap_or_default()
            ),
            Some(&boss.cookie),
        )
        .await;
    assert!(
        list.body.contains(&format!("href=\"/engagements/{id}\"")),
        "the applicants page links the workspace"
    );
});

app_test!(cancel_through_pages, |app| async move {
    let (_boss, s, id) = hired(&app).await;
    let ws = format!("/engagements/{id}");
    let r = app
        .form(&format!("{ws}/cancel"), Some(&s.cookie), &[("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.form(
            &format!("{ws}/cancel"),
            Some(&s.cookie),
            &[("reason", "I fell ill this week.")]
        )
        .await
        .location(),
        format!("{ws}?notice=engagement_cancelled")
    );
    let page = app.get(&ws, Some(&s.cookie)).await;
    assert!(
        page.body.contains("Cancelled")
            && page
                .body
                .contains("cancelled the engagement: I fell ill this week.")
    );
    assert!(!page.body.contains("Submit your work"));
});

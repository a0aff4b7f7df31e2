//! No ghosting: the decision-by timers run from the job queue, once, and
//! people hear about it in the app and by email.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::json;

use crate::app_test;
use crate::common::{Actor, TestApp};

async fn published(app: &TestApp, boss: &Actor, title: &str) -> i64 {
    app.published(boss, title, 3, false).await
}

async fn apply(app: &TestApp, s: &Actor, project: i64) -> i64 {
    app.apply(s, project).await.json()["id"]
        .as_i64()
        .unwrap_or_default()
}

app_test!(
    decision_by_closes_undecided_applications_once,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let project = published(&app, &boss, "Project with a decision date").await;
        let jobs = app.state.store.pending_jobs().await.unwrap_or_default();
        assert_eq!(
            jobs.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>(),
            vec!["match_alerts", "decision_reminder", "close_undecided"]
        );

        let (a, b, c) = (
            app.student("a@x.com").await,
            app.student("b@x.com").await,
            app.student("c@x.com").await,
        );
        let _ = apply(&app, &a, project).await;
        let ib = apply(&app, &b, project).await;
        let ic = apply(&app, &c, project).await;
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{ib}/shortlist"),
            Some(&boss.token),
            None,
        )
        .await;
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{ic}/reject"),
            Some(&boss.token),
            None,
        )
        .await;
        assert!(
            app.notification_kinds(&boss)
                .await
                .iter()
                .filter(|k| *k == "new_applicant")
                .count()
                == 3
        );

        assert_eq!(
            stint_web::app::jobs::run_due(&app.state, 10)
                .await
                .unwrap_or(99),
            1,
            "only the publish-time match alerts are due yet"
        );
        // Two days before the decision date: a reminder.
        app.state
            .clock
            .advance(Duration::days(6) + Duration::hours(1));
        assert_eq!(
            stint_web::app::jobs::run_due(&app.state, 10)
                .await
                .unwrap_or_default(),
            1
        );
        assert!(
            app.notification_kinds(&boss)
                .await
                .contains(&"decision_due".to_string())
        );
        // The day after the decision date: undecided applications close.
        app.state.clock.advance(Duration::days(3));
        assert_eq!(
            stint_web::app::jobs::run_due(&app.state, 10)
                .await
                .unwrap_or_default(),
            1
        );
        let apps = app
            .state
            .store
            .project_applications(project)
            .await
            .unwrap_or_default();
        let mut states: Vec<&str> = apps.iter().map(|a| a.status.as_str()).collect();
        states.sort();
        assert_eq!(states, vec!["closed", "closed", "rejected"]);
        for s in [&a, &b] {
            assert_eq!(
                app.notification_kinds(s)
                    .await
                    .iter()
                    .filter(|k| *k == "closed")
                    .count(),
                1,
                "told once"
            );
        }
        assert!(
            !app.notification_kinds(&c)
                .await
                .contains(&"closed".to_string()),
            "a decided application is not closed"
        );
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/projects/{project}"),
                None,
                None
            )
            .await
            .json()["status"],
            "closed"
        );
        assert_eq!(
            stint_web::app::jobs::run_due(&app.state, 10)
                .await
                .unwrap_or(99),
            0,
            "done jobs do not run again"
        );
        assert!(
            app.state
                .store
                .pending_jobs()
                .await
                .unwrap_or_default()
                .is_empty()
        );
        let mail = app
            .state
            .store
            .email_to("a@x.com")
            .await
            .unwrap_or_default();
        assert!(
            mail.iter()
                .any(|m| m.subject.contains("closed without a decision"))
        );
    }
);

app_test!(concurrent_workers_run_each_job_once, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let s = app.student("s@x.com").await;
    for i in 0..6 {
        let p = published(&app, &boss, &format!("Concurrent project number {i}")).await;
        apply(&app, &s, p).await;
    }
    app.state.clock.advance(Duration::days(10));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let state = app.state.clone();
        set.spawn(async move {
            stint_web::app::jobs::run_due(&state, 3)
                .await
                .unwrap_or_default()
        });
    }
    let mut total: usize = set.join_all().await.into_iter().sum();
    // Workers that lost every race this round leave the rest for the next.
    for _ in 0..5 {
        total += stint_web::app::jobs::run_due(&app.state, 20)
            .await
            .unwrap_or_default();
    }
    assert_eq!(
        total, 18,
        "six match-alert runs, six reminders and six closings, each run once"
    );
    // A reminder whose project another worker closed first finds nothing
    // waiting and stays silent: at most one per project.
    let reminders = app
        .notification_kinds(&boss)
        .await
        .iter()
        .filter(|k| *k == "decision_due")
        .count();
    assert!(reminders <= 6, "{reminders} reminders");
    assert_eq!(
        app.notification_kinds(&s)
            .await
            .iter()
            .filter(|k| *k == "closed")
            .count(),
        6,
        "one notice per application, never two"
    );
});

app_test!(
    notifications_are_private_and_can_be_read,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let project = published(&app, &boss, "Notifications project").await;
        let s = app.student("s@x.com").await;
        apply(&app, &s, project).await;
        let list = app
            .api(
                Method::GET,
                "/api/v1/me/notifications",
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(list["unread"], 1);
        let id = list["items"][0]["id"].as_i64().unwrap_or_default();
        assert_eq!(
            list["items"][0]["link"],
            format!("/employer/projects/{project}/applicants")
        );
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/me/notifications/{id}/read"),
                Some(&s.token),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/me/notifications/{id}/read"),
                Some(&boss.token),
                None
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.api(
                Method::GET,
                "/api/v1/me/notifications",
                Some(&boss.token),
                None
            )
            .await
            .json()["unread"],
            0
        );
        let page = app.get("/me/notifications", Some(&boss.cookie)).await;
        assert!(
            page.body
                .contains("New applicant for Notifications project")
        );
        assert!(
            !app.get("/me/notifications", Some(&s.cookie))
                .await
                .body
                .contains("New applicant"),
            "only your own"
        );
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/notifications", None, None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        app.state
            .store
            .notify(s.id, "hired", "A", "B", None)
            .await
            .unwrap_or_default();
        assert_eq!(
            app.form("/me/notifications/read", Some(&s.cookie), &[])
                .await
                .location(),
            "/me/notifications"
        );
        assert_eq!(
            app.state
                .store
                .unread_notifications(s.id)
                .await
                .unwrap_or(9),
            0
        );
    }
);

app_test!(silence_after_a_submission_approves_once, |app| async move {
    let (boss, s, id) = crate::api_engagements::hired(&app).await;
    let sub = |note: &str| json!({"note": note});
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(sub("First version of the report.")),
    )
    .await;
    app.state.clock.advance(Duration::days(3));
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/request-revision"),
        Some(&boss.token),
        Some(json!({"feedback": "Please add the Pune data."})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{id}/submissions"),
        Some(&s.token),
        Some(sub("Second version, Pune added.")),
    )
    .await;
    // Seven days after the first submission, but only four after the second: nothing yet.
    app.state
        .clock
        .advance(Duration::days(4) + Duration::hours(1));
    stint_web::app::jobs::run_due(&app.state, 20)
        .await
        .unwrap_or_default();
    assert_eq!(
        app.state
            .store
            .engagement(id)
            .await
            .map(|e| e.status.as_str())
            .ok(),
        Some("submitted")
    );
    app.state.clock.advance(Duration::days(3));
    stint_web::app::jobs::run_due(&app.state, 20)
        .await
        .unwrap_or_default();
    assert_eq!(
        app.state
            .store
            .engagement(id)
            .await
            .map(|e| e.status.as_str())
            .ok(),
        Some("approved")
    );
    let releases = app
        .state
        .store
        .ledger_entries(id)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|e| e.kind == "release")
        .count();
    assert_eq!(releases, 1);
    assert!(
        app.notification_kinds(&s)
            .await
            .contains(&"approved".to_string())
    );
    assert!(
        app.notification_kinds(&boss)
            .await
            .contains(&"approved".to_string())
    );
    let audit = app
        .state
        .store
        .audit_for("engagement", id)
        .await
        .unwrap_or_default();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "engagement.auto_approved" && a.actor_id.is_none())
    );
    assert_eq!(
        stint_web::app::jobs::run_due(&app.state, 20)
            .await
            .unwrap_or(9),
        0
    );
});

app_test!(
    students_hear_two_days_before_the_due_date,
    |app| async move {
        let (_boss, s, id) = crate::api_engagements::hired(&app).await;
        let due = app
            .state
            .store
            .engagement(id)
            .await
            .map(|e| e.due_date)
            .unwrap_or_default();
        let until = (due - app.state.clock.today()).num_days();
        app.state
            .clock
            .advance(Duration::days(until - 2) + Duration::hours(1));
        stint_web::app::jobs::run_due(&app.state, 20)
            .await
            .unwrap_or_default();
        assert_eq!(
            app.notification_kinds(&s)
                .await
                .iter()
                .filter(|k| *k == "due_soon")
                .count(),
            1
        );
    }
);

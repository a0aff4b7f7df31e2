//! API: applying, deciding and hiring, with every refusal, and the places
//! guarantee under concurrent hires.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{Actor, PITCH, TestApp};

/// A published project with `slots` places from a verified employer.
async fn open_project(app: &TestApp, slots: i64, blind: bool) -> (Actor, i64) {
    let (e, _) = app
        .employer(
            &format!("boss{slots}{blind}@acme.com"),
            &format!("Acme {slots} {blind}"),
            true,
        )
        .await;
    let id = app
        .published(&e, "Survey analysis for a skincare brand", slots, blind)
        .await;
    (e, id)
}

async fn apply(app: &TestApp, s: &Actor, project: i64) -> crate::common::Res {
    app.apply(s, project).await
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_default()
}

app_test!(apply_decide_hire, |app| async move {
    let (boss, project) = open_project(&app, 1, false).await;
    let s = app.student("s@x.com").await;
    app.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&s.token),
        Some(json!({"skills": ["spreadsheets"]})),
    )
    .await;

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{project}/applications"),
            Some(&s.token),
            Some(json!({"pitch": "short", "links": ["nope"]})),
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(
        f,
        vec!["answer", "links", "pitch"],
        "the screening question must be answered"
    );
    let expected = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/{project}/match"),
            Some(&s.token),
            None,
        )
        .await
        .json()["score"]
        .as_i64();
    let r = apply(&app, &s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json();
    assert_eq!(
        (a["status"].as_str(), a["match_percent"].as_i64()),
        (Some("submitted"), expected),
        "the match score at the time of applying"
    );
    assert_eq!(apply(&app, &s, project).await.code(), "already_applied");
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/projects/{project}/applications"),
            Some(&boss.token),
            Some(json!({"pitch": PITCH}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/projects/999999/applications",
            Some(&s.token),
            Some(json!({"pitch": PITCH}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        app.state
            .store
            .email_to(&boss.email)
            .await
            .unwrap_or_default()
            .iter()
            .any(|m| m.subject.starts_with("New applicant"))
    );

    let mine = app
        .api(Method::GET, "/api/v1/me/applications", Some(&s.token), None)
        .await
        .json();
    assert_eq!(mine.as_array().map(|a| a.len()), Some(1));
    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/{project}/applications"),
            Some(&boss.token),
            None,
        )
        .await
        .json()["items"]
        .clone();
    assert_eq!(list[0]["name"], "Person s");
    assert_eq!(list[0]["missing_skills"], json!(["statistics"]));

    // Strangers see nothing of it.
    let other = app.student("o@x.com").await;
    let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
    let aid = id(&a);
    for t in [&other.token, &rival.token] {
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/applications/{aid}"),
                Some(t),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/applications/{aid}/hire"),
                Some(t),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(
                Method::POST,
                &format!("/api/v1/applications/{aid}/withdraw"),
                Some(t),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/projects/{project}/applications"),
            Some(&rival.token),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/hire"),
            Some(&s.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "students do not hire"
    );

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/shortlist"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "shortlisted");
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/shortlist"),
            Some(&boss.token),
            None
        )
        .await
        .code(),
        "invalid_transition"
    );

    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/hire"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let h = r.json();
    assert_eq!(
        (
            h["project_filled"].as_bool(),
            h["engagement"]["status"].as_str()
        ),
        (Some(true), Some("active"))
    );
    assert_eq!(h["engagement"]["price"]["amount_minor"], 900_000);
    assert_eq!(
        h["engagement"]["fee"]["amount_minor"], 90_000,
        "10% fee by default"
    );
    let eid = h["engagement"]["id"].as_i64().unwrap_or_default();
    let entries = app
        .state
        .store
        .ledger_entries(eid)
        .await
        .unwrap_or_default();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.kind.as_str(), e.amount_minor))
            .collect::<Vec<_>>(),
        vec![("fund", 900_000), ("fee", 90_000)]
    );
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/withdraw"),
            Some(&s.token),
            None
        )
        .await
        .code(),
        "invalid_transition"
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
        "filled"
    );
    assert_eq!(apply(&app, &other, project).await.code(), "not_accepting");
    assert!(
        app.state
            .store
            .email_to("s@x.com")
            .await
            .unwrap_or_default()
            .iter()
            .any(|m| m.subject.starts_with("You are hired"))
    );
});

app_test!(reject_withdraw_deadline_and_quota, |app| async move {
    let (boss, project) = open_project(&app, 3, false).await;
    let a = app.student("a@x.com").await;
    let b = app.student("b@x.com").await;
    let ra = apply(&app, &a, project).await.json();
    let rb = apply(&app, &b, project).await.json();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{}/reject", id(&ra)),
            Some(&boss.token),
            Some(json!({"reason": "We chose someone with R experience."})),
        )
        .await;
    assert_eq!(
        (
            r.json()["status"].as_str(),
            r.json()["reject_reason"].as_str()
        ),
        (
            Some("rejected"),
            Some("We chose someone with R experience.")
        )
    );
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{}/reject", id(&rb)),
            Some(&boss.token),
            Some(json!({"reason": "x".repeat(501)})),
        )
        .await;
    assert_eq!(r.fields(), vec!["reason"]);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{}/withdraw", id(&rb)),
            Some(&b.token),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "withdrawn");
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{}/hire", id(&rb)),
            Some(&boss.token),
            None
        )
        .await
        .code(),
        "invalid_transition"
    );

    // After the deadline nobody applies.
    let c = app.student("c@x.com").await;
    app.state.clock.advance(chrono::Duration::days(6));
    let r = apply(&app, &c, project).await;
    assert_eq!(r.code(), "not_accepting");
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap_or("")
            .contains("closed on")
    );
});

mod quota {
    use super::*;

    async fn run(engine: stint_store::Engine) {
        let Some(app) = TestApp::with_config(engine, |c| c.max_open_applications = 2).await else {
            return;
        };
        let s = app.student("busy@x.com").await;
        let mut projects = Vec::new();
        for slots in 1..=3 {
            projects.push(open_project(&app, slots, false).await.1);
        }
        assert_eq!(
            apply(&app, &s, projects[0]).await.status,
            StatusCode::CREATED
        );
        let second = apply(&app, &s, projects[1]).await.json();
        let r = apply(&app, &s, projects[2]).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::CONFLICT, "quota_reached")
        );
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{}/withdraw", id(&second)),
            Some(&s.token),
            None,
        )
        .await;
        assert_eq!(
            apply(&app, &s, projects[2]).await.status,
            StatusCode::CREATED,
            "withdrawing frees a place in the quota"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(stint_store::Engine::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(stint_store::Engine::Postgres).await
    }
}

app_test!(concurrent_hires_never_exceed_places, |app| async move {
    let (boss, project) = open_project(&app, 2, false).await;
    let mut ids = Vec::new();
    for i in 0..10 {
        let s = app.student(&format!("s{i}@x.com")).await;
        ids.push(id(&apply(&app, &s, project).await.json()));
    }
    // Ten hires at once, one per applicant, for two places.
    let paths: Vec<String> = ids
        .iter()
        .map(|a| format!("/api/v1/applications/{a}/hire"))
        .collect();
    let statuses = app.concurrently_each(&paths, &boss.token).await;
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 2, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(
        app.state
            .store
            .project_engagements(project)
            .await
            .map(|e| e.len())
            .unwrap_or_default(),
        2
    );
    let apps = app
        .state
        .store
        .project_applications(project)
        .await
        .unwrap_or_default();
    assert_eq!(
        apps.iter().filter(|a| a.status.as_str() == "hired").count(),
        2
    );
    assert_eq!(
        apps.iter()
            .filter(|a| a.status.as_str() == "closed")
            .count(),
        8,
        "no-ghosting: the rest are closed"
    );
    let p = app
        .state
        .store
        .project(project)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((p.status.as_str(), p.hired_count), ("filled", 2));
    // The ledger balances in every currency.
    let balances = app.state.store.ledger_balances().await.unwrap_or_default();
    assert_eq!(balances.iter().map(|(_, _, b)| b).sum::<i64>(), 0);
    assert_eq!(
        balances
            .iter()
            .filter(|(a, _, _)| a.starts_with("escrow:"))
            .map(|(_, _, b)| b)
            .sum::<i64>(),
        1_800_000
    );
});

app_test!(one_application_is_hired_once, |app| async move {
    let (boss, project) = open_project(&app, 3, false).await;
    let s = app.student("once@x.com").await;
    let aid = id(&apply(&app, &s, project).await.json());
    let path = format!("/api/v1/applications/{aid}/hire");
    let statuses = app.concurrently(8, Method::POST, &path, &boss.token).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        app.state
            .store
            .project_engagements(project)
            .await
            .map(|e| e.len())
            .unwrap_or_default(),
        1
    );
    assert_eq!(
        app.state
            .store
            .project(project)
            .await
            .map(|p| p.hired_count)
            .unwrap_or_default(),
        1
    );
});

app_test!(
    blind_screening_hides_identity_until_shortlisted,
    |app| async move {
        let (boss, project) = open_project(&app, 2, true).await;
        let s = app.student("blind@x.com").await;
        app.api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(json!({"github_url": "https://github.com/blind", "skills": ["statistics"]})),
        )
        .await;
        let aid = id(&apply(&app, &s, project).await.json());
        let list = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{project}/applications"),
                Some(&boss.token),
                None,
            )
            .await;
        let first = &list.json()["items"][0];
        assert_eq!(
            (first["identity_hidden"].as_bool(), first["name"].is_null()),
            (Some(true), true)
        );
        assert_eq!(first["links"], json!([]));
        assert!(
            !list.body.contains("github.com/blind") && !list.body.contains("portfolio.example"),
            "{}",
            list.body
        );
        assert_eq!(
            first["matched_skills"],
            json!(["statistics"]),
            "skills are still judged"
        );
        let page = app
            .get(
                &format!("/employer/projects/{project}/applicants"),
                Some(&boss.cookie),
            )
            .await;
        assert!(
            page.body.contains(&format!("Applicant #{aid}")) && !page.body.contains("Person blind")
        );
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/shortlist"),
            Some(&boss.token),
            None,
        )
        .await;
        let first = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{project}/applications"),
                Some(&boss.token),
                None,
            )
            .await
            .json()["items"][0]
            .clone();
        assert_eq!(first["name"], "Person blind");
        assert!(first["links"].as_array().is_some_and(|l| l.len() == 2));
    }
);

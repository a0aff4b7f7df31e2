//! API: the workspace from hire to payment, with refusals, refunds and
//! release exactly once.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::{Actor, TestApp, project_json};

const PITCH: &str = "I coded 300 open survey answers for my thesis in Sheets and summarised them for my department.";

/// A hired student on a verified employer's project: (employer, student, engagement id).
pub async fn hired(app: &TestApp) -> (Actor, Actor, i64) {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&boss.token),
            Some(project_json("Workspace project")),
        )
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
    let s = app.student("worker@x.com").await;
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
    let h = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/hire"),
            Some(&boss.token),
            None,
        )
        .await
        .json();
    (boss, s, h["engagement"]["id"].as_i64().unwrap_or_default())
}

fn path(id: i64, action: &str) -> String {
    format!("/api/v1/engagements/{id}/{action}")
}

app_test!(deliver_revise_approve_release, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(
        (w["status"].as_str(), w["your_side"].as_str()),
        (Some("active"), Some("student"))
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&boss.token),
            None
        )
        .await
        .json()["your_side"],
        "employer"
    );
    let stranger = app.student("nosy@x.com").await;
    let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
    for t in [&stranger.token, &rival.token] {
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
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
                &path(id, "messages"),
                Some(t),
                Some(json!({"body": "hi"}))
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(Method::POST, &path(id, "approve"), Some(t), None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }

    let r = app
        .api(
            Method::POST,
            &path(id, "messages"),
            Some(&s.token),
            Some(json!({"kind": "question", "body": "Should the report cover all cities?"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "messages"),
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
            &path(id, "messages"),
            Some(&boss.token),
            Some(json!({"kind": "shout", "body": "x"}))
        )
        .await
        .fields(),
        vec!["kind"]
    );
    app.api(
        Method::POST,
        &path(id, "messages"),
        Some(&boss.token),
        Some(json!({"body": "Yes, all twelve."})),
    )
    .await;

    assert_eq!(
        app.api(Method::POST, &path(id, "approve"), Some(&boss.token), None)
            .await
            .code(),
        "invalid_transition",
        "nothing to approve yet"
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "submissions"),
            Some(&boss.token),
            Some(json!({"note": "I did it myself"}))
        )
        .await
        .code(),
        "invalid_transition",
        "employers do not submit"
    );
    let r = app
        .api(
            Method::POST,
            &path(id, "submissions"),
            Some(&s.token),
            Some(json!({"note": "short", "links": ["nope"]})),
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["links", "note"]);
    let r = app.api(Method::POST, &path(id, "submissions"), Some(&s.token), Some(json!({"note": "The coded dataset and report are linked.", "links": ["https://docs.example/v1"]}))).await;
    assert_eq!(r.json()["version"], 1);
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "cancel"),
            Some(&s.token),
            Some(json!({"reason": "changed my mind"}))
        )
        .await
        .code(),
        "invalid_transition",
        "no cancelling after a submission"
    );

    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "request-revision"),
            Some(&boss.token),
            Some(json!({"feedback": "redo"}))
        )
        .await
        .fields(),
        vec!["feedback"]
    );
    let r = app
        .api(
            Method::POST,
            &path(id, "request-revision"),
            Some(&boss.token),
            Some(json!({"feedback": "Please add the Pune responses to the dataset."})),
        )
        .await;
    assert_eq!(r.json()["status"], "revision_requested");
    let r = app.api(Method::POST, &path(id, "submissions"), Some(&s.token), Some(json!({"note": "Pune responses added; report updated.", "links": ["https://docs.example/v2"]}))).await;
    assert_eq!(r.json()["version"], 2);

    let r = app
        .api(Method::POST, &path(id, "approve"), Some(&boss.token), None)
        .await;
    assert_eq!(
        r.json()["status"],
        "approved",
        "the manual provider waits for an admin payout"
    );
    assert_eq!(
        app.api(Method::POST, &path(id, "approve"), Some(&boss.token), None)
            .await
            .code(),
        "invalid_transition"
    );
    let earn = app
        .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
        .await
        .json();
    assert_eq!(
        earn,
        json!([{"currency": "INR", "pending_minor": 0, "released_minor": 900000, "paid_out_minor": 0}])
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/me/earnings", Some(&boss.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(w["submissions"].as_array().map(|a| a.len()), Some(2));
    let kinds: Vec<&str> = w["messages"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["question", "message", "feedback"]);
    let balances = app.state.store.ledger_balances().await.unwrap_or_default();
    assert_eq!(balances.iter().map(|(_, _, b)| b).sum::<i64>(), 0);
    assert!(
        balances
            .iter()
            .any(|(a, _, b)| a == &format!("student:{}", s.id) && *b == 900_000)
    );
    let notes = app
        .api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&s.token),
            None,
        )
        .await
        .json();
    let k: Vec<&str> = notes["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|n| n["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        k.contains(&"approved") && k.contains(&"revision_requested") && k.contains(&"message"),
        "{k:?}"
    );
});

mod sandbox {
    use super::*;

    async fn run(engine: stint_store::Engine) {
        let Some(app) = TestApp::with_config(engine, |c| {
            c.payment_provider = stint_web::PaymentProvider::Sandbox
        })
        .await
        else {
            return;
        };
        let (boss, s, id) = hired(&app).await;
        app.api(
            Method::POST,
            &path(id, "submissions"),
            Some(&s.token),
            Some(json!({"note": "All done, report linked."})),
        )
        .await;
        let r = app
            .api(Method::POST, &path(id, "approve"), Some(&boss.token), None)
            .await;
        assert_eq!(r.json()["status"], "paid");
        let earn = app
            .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
            .await
            .json();
        assert_eq!(earn[0]["paid_out_minor"], 900_000);
        let kinds: Vec<String> = app
            .state
            .store
            .ledger_entries(id)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|e| format!("{}:{}", e.kind, e.provider))
            .collect();
        assert_eq!(
            kinds,
            vec![
                "fund:sandbox",
                "fee:sandbox",
                "release:sandbox",
                "payout:sandbox"
            ]
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

app_test!(concurrent_approvals_release_once, |app| async move {
    let (boss, s, id) = hired(&app).await;
    app.api(
        Method::POST,
        &path(id, "submissions"),
        Some(&s.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    let statuses = app
        .concurrently(10, Method::POST, &path(id, "approve"), &boss.token)
        .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
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
    assert_eq!(releases, 1, "money moves once");
    assert_eq!(
        app.api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
            .await
            .json()[0]["released_minor"],
        900_000
    );
});

app_test!(cancel_before_submission_refunds, |app| async move {
    let (boss, s, id) = hired(&app).await;
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "cancel"),
            Some(&s.token),
            Some(json!({"reason": ""}))
        )
        .await
        .fields(),
        vec!["reason"]
    );
    let r = app
        .api(
            Method::POST,
            &path(id, "cancel"),
            Some(&boss.token),
            Some(json!({"reason": "Our client paused the project."})),
        )
        .await;
    assert_eq!(r.json()["status"], "cancelled");
    let entries = app.state.store.ledger_entries(id).await.unwrap_or_default();
    assert_eq!(
        entries.last().map(|e| (e.kind.as_str(), e.amount_minor)),
        Some(("refund", 900_000))
    );
    let earn = app
        .api(Method::GET, "/api/v1/me/earnings", Some(&s.token), None)
        .await
        .json();
    assert_eq!(earn[0]["pending_minor"], 0);
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "submissions"),
            Some(&s.token),
            Some(json!({"note": "Too late for this one."}))
        )
        .await
        .code(),
        "invalid_transition"
    );
    assert_eq!(
        app.api(
            Method::POST,
            &path(id, "cancel"),
            Some(&s.token),
            Some(json!({"reason": "again please"}))
        )
        .await
        .code(),
        "invalid_transition"
    );
    assert_eq!(
        app.state
            .store
            .ledger_balances()
            .await
            .unwrap_or_default()
            .iter()
            .map(|(_, _, b)| b)
            .sum::<i64>(),
        0
    );
});

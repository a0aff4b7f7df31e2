//! What attacks found in the base, each kept fixed (1 of 2): limits that
//! hold under concurrency, idempotency keys that belong to the person,
//! password checks that cannot exhaust memory, and a thread that comes in
//! pages however long it grows.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::app_test;
use crate::common::*;

app_test!(
    open_application_quota_holds_under_concurrency,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let s = app.student("s@x.com").await;
        let mut projects = Vec::new();
        for i in 0..30 {
            projects.push(
                app.published(&boss, &format!("Survey analysis {i}"), 1, false)
                    .await,
            );
        }
        let body = json!({"pitch": PITCH, "answer": "Sheets, then R for the charts."});
        let calls = projects
            .iter()
            .map(|p| {
                (
                    Method::POST,
                    format!("/api/v1/projects/{p}/applications"),
                    body.clone(),
                )
            })
            .collect();
        let answers = app.concurrently_json(calls, &s.token).await;
        let created = answers
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 10, "the quota is 10 open applications");
        for r in answers.iter().filter(|r| r.status != StatusCode::CREATED) {
            assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
            assert_eq!(r.code(), "quota_reached");
        }
        let mine = app
            .api(Method::GET, "/api/v1/me/applications", Some(&s.token), None)
            .await
            .json();
        let open = mine
            .as_array()
            .map(|a| a.iter().filter(|x| x["status"] == "submitted").count())
            .unwrap_or(99);
        assert_eq!(open, 10);

        // Withdrawing one frees exactly one place, even when five race for it.
        let first = mine[0]["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/applications/{first}/withdraw"),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rest: Vec<_> = answers
            .iter()
            .zip(&projects)
            .filter(|(r, _)| r.status != StatusCode::CREATED)
            .take(5)
            .map(|(_, p)| {
                (
                    Method::POST,
                    format!("/api/v1/projects/{p}/applications"),
                    body.clone(),
                )
            })
            .collect();
        let again = app.concurrently_json(rest, &s.token).await;
        assert_eq!(
            again
                .iter()
                .filter(|r| r.status == StatusCode::CREATED)
                .count(),
            1
        );
    }
);

app_test!(
    saved_search_limit_holds_under_concurrency,
    |app| async move {
        let s = app.student("s@x.com").await;
        let calls = (0..30)
            .map(|i| {
                (
                    Method::POST,
                    "/api/v1/me/searches".to_string(),
                    json!({"q": format!("survey {i}")}),
                )
            })
            .collect();
        let answers = app.concurrently_json(calls, &s.token).await;
        let created = answers
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 10, "the limit is 10 saved searches");
        for r in answers.iter().filter(|r| r.status != StatusCode::CREATED) {
            assert_eq!(r.code(), "saved_search_limit", "{}", r.body);
        }
        let kept = app
            .api(Method::GET, "/api/v1/me/searches", Some(&s.token), None)
            .await
            .json();
        assert_eq!(kept.as_array().map(Vec::len), Some(10));
    }
);

app_test!(
    idempotency_keys_belong_to_the_person_not_the_token,
    |app| async move {
        let s = app.student("s@x.com").await;
        let second = app.sign_in(s.id, &s.email).await;
        assert_ne!(s.token, second.token);
        let send = |token: String| {
            let req = Request::builder()
                .method(Method::POST)
                .uri("/api/v1/me/searches")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", "save-once-7f2")
                .body(Body::from(json!({"q": "survey"}).to_string()))
                .unwrap_or_default();
            app.send(req)
        };
        let a = send(s.token.clone()).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let b = send(second.token.clone()).await;
        assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
        assert_eq!(
            b.headers.get("idempotent-replayed").map(|v| v.as_bytes()),
            Some(&b"true"[..])
        );
        assert_eq!(a.json()["id"], b.json()["id"]);
        let kept = app
            .api(Method::GET, "/api/v1/me/searches", Some(&s.token), None)
            .await
            .json();
        assert_eq!(
            kept.as_array().map(Vec::len),
            Some(1),
            "the second token did not save again"
        );
        // Another person's same key is theirs alone.
        let other = app.student("o@x.com").await;
        let c = send(other.token.clone()).await;
        assert_eq!(c.status, StatusCode::CREATED);
        assert!(c.headers.get("idempotent-replayed").is_none());
        assert_ne!(c.json()["id"], a.json()["id"]);
    }
);

mod password_checks {
    use super::*;

    async fn burst(engine: stint_store::Engine) {
        let Some(app) = TestApp::with_config(engine, |c| {
            c.password_cost = stint_web::PasswordCost::Standard;
        })
        .await
        else {
            return;
        };
        app.student("s@x.com").await;
        let mut set = tokio::task::JoinSet::new();
        for i in 0..80 {
            let req = Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"email": "s@x.com", "password": format!("wrong password {i}")})
                        .to_string(),
                ))
                .unwrap_or_default();
            let app_router = app.clone_router();
            set.spawn(send_to(app_router, req));
        }
        let answers = set.join_all().await;
        let refused = answers
            .iter()
            .filter(|r| r.status == StatusCode::UNAUTHORIZED)
            .count();
        let busy: Vec<_> = answers
            .iter()
            .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
            .collect();
        assert_eq!(
            refused + busy.len(),
            80,
            "only 401 or 503: {:?}",
            answers.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        assert!(
            !busy.is_empty(),
            "80 at once exceed the turns and the queue"
        );
        assert!(refused >= 2);
        assert_eq!(busy[0].code(), "busy");
        assert!(busy[0].headers.get(header::RETRY_AFTER).is_some());
        // Afterwards the gate is free again: the right password works.
        let ok = app
            .api(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": "s@x.com", "password": PASSWORD})),
            )
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_wrong_passwords_is_bounded_sqlite() {
        burst(stint_store::Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_wrong_passwords_is_bounded_postgres() {
        burst(stint_store::Engine::Postgres).await;
    }
}

app_test!(the_workspace_thread_comes_in_pages, |app| async move {
    let (boss, s, id) = crate::api_engagements::hired(&app).await;
    for i in 0..75 {
        let who = if i % 2 == 0 { &s } else { &boss };
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/messages"),
                Some(&who.token),
                Some(json!({"body": format!("Note {i}")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["body"], format!("Note {i}"));
    }
    // The workspace carries the newest 30, oldest first, and a way back.
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&s.token),
            None,
        )
        .await
        .json();
    let bodies = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m["body"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let newest = bodies(&w["messages"]);
    let notes: Vec<_> = newest.iter().filter(|b| b.starts_with("Note ")).collect();
    assert_eq!(newest.len(), 30);
    assert_eq!(notes.last().map(|s| s.as_str()), Some("Note 74"));
    // Walking back page by page reads every message once, in order.
    let mut seen = newest.clone();
    let mut cursor = w["messages_earlier_cursor"].as_str().map(String::from);
    let mut pages = 1;
    while let Some(c) = cursor {
        let p = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}/messages?cursor={c}&limit=20"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let p = p.json();
        let mut page = bodies(&p["items"]);
        assert!(page.len() <= 20);
        page.extend(seen);
        seen = page;
        cursor = p["earlier_cursor"].as_str().map(String::from);
        pages += 1;
    }
    let all_notes: Vec<_> = seen
        .iter()
        .filter(|b| b.starts_with("Note "))
        .cloned()
        .collect();
    assert_eq!(
        all_notes,
        (0..75).map(|i| format!("Note {i}")).collect::<Vec<_>>()
    );
    assert!(pages >= 4, "{pages}");
    // Bad paging is a problem; someone else's thread is not there.
    for q in ["cursor=42", "limit=0", "limit=101"] {
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}/messages?{q}"),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.code(), "validation_failed");
    }
    let stranger = app.student("stranger@x.com").await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}/messages"),
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The page shows the newest and links to earlier ones, which work without scripts.
    let page = app
        .get(&format!("/engagements/{id}"), Some(&s.cookie))
        .await;
    assert!(
        page.body.contains("Note 74") && !page.body.contains("Note 40<"),
        "newest only"
    );
    let start = page
        .body
        .find("?before=")
        .unwrap_or_else(|| panic!("no link to earlier messages"));
    let link: String = page.body[start..]
        .chars()
        .take_while(|c| *c != '#' && *c != '"')
        .collect();
    let earlier = app
        .get(&format!("/engagements/{id}{link}"), Some(&s.cookie))
        .await;
    assert_eq!(earlier.status, StatusCode::OK);
    assert!(earlier.body.contains("Note 40<") && earlier.body.contains("Newest messages"));
    let stale = app
        .get(&format!("/engagements/{id}?before=junk"), Some(&s.cookie))
        .await;
    assert_eq!(stale.status, StatusCode::OK);
    assert!(stale.body.contains("Note 74"));
});

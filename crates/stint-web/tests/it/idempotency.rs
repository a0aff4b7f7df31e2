//! `Idempotency-Key` on API POSTs: a retried hire or approval gets the first
//! answer back and the work happens once; a reused key for another request,
//! a malformed key and another caller's key are handled apart.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::app_test;
use crate::common::{Res, TestApp};

async fn post_with_key(
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: Option<&str>,
) -> Res {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("idempotency-key", key);
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    app.send(
        b.body(Body::from(body.unwrap_or("").to_string()))
            .unwrap_or_default(),
    )
    .await
}

app_test!(a_retried_hire_hires_once, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Idempotent project", 2, false).await;
    let s = app.student("s@x.com").await;
    let aid = app.apply(&s, pid).await.json()["id"]
        .as_i64()
        .unwrap_or_default();
    let path = format!("/api/v1/applications/{aid}/hire");
    let first = post_with_key(&app, &path, &boss.token, "hire-7f3a", None).await;
    assert!(first.status.is_success(), "{}", first.body);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = post_with_key(&app, &path, &boss.token, "hire-7f3a", None).await;
    assert_eq!(again.status, first.status);
    assert_eq!(again.body, first.body, "the same answer, not a conflict");
    assert_eq!(
        again
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(
        app.state
            .store
            .count_engagements()
            .await
            .unwrap_or_default(),
        1
    );
    // Without the key the retry is refused by the state machine as before.
    let plain = app.api(Method::POST, &path, Some(&boss.token), None).await;
    assert_eq!(plain.status, StatusCode::CONFLICT);

    // The same key on another request is refused.
    let other = post_with_key(
        &app,
        &format!("/api/v1/projects/{pid}/close"),
        &boss.token,
        "hire-7f3a",
        None,
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "idempotency_key_reused");
    // So is a malformed key.
    let bad = post_with_key(&app, &path, &boss.token, "has spaces in it", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.fields(), vec!["Idempotency-Key"]);
    // Another caller's identical key does not see the first caller's answer.
    let s2 = app.student("s2@x.com").await;
    let theirs = post_with_key(&app, &path, &s2.token, "hire-7f3a", None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    assert!(theirs.headers.get("idempotent-replayed").is_none());
    // A key can be used again after a day.
    app.state.clock.advance(chrono::Duration::hours(25));
    let later = post_with_key(
        &app,
        &format!("/api/v1/projects/{pid}/close"),
        &boss.token,
        "hire-7f3a",
        None,
    )
    .await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
});

app_test!(
    concurrent_approvals_with_one_key_release_once,
    |app| async move {
        let (boss, s, id) = crate::api_engagements::hired(&app).await;
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/submissions"),
                Some(&s.token),
                Some(json!({"note": "All 500 answers coded; report linked."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let req = Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/engagements/{id}/approve"))
                .header(header::AUTHORIZATION, format!("Bearer {}", boss.token))
                .header("idempotency-key", "approve-once")
                .body(Body::empty())
                .unwrap_or_default();
            set.spawn(crate::common::send_to(
                stint_web::router(app.state.clone()),
                req,
            ));
        }
        let results: Vec<Res> = set.join_all().await;
        let ok = results
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert!(
            ok >= 1,
            "{:?}",
            results.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        // Every answer is the first one replayed, or "still in progress".
        assert!(results.iter().all(|r| r.status == StatusCode::OK
            || (r.status == StatusCode::CONFLICT
                && r.code() == "idempotency_request_in_progress")));
        let entries = app.state.store.ledger_entries(id).await.unwrap_or_default();
        assert_eq!(entries.iter().filter(|e| e.kind == "release").count(), 1);
    }
);

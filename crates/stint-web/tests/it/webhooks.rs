//! Webhooks against a real HTTP receiver on loopback (the tests turn on the
//! setting that allows private addresses): every event reaches the
//! endpoints subscribed to it, signed so the receiver verifies it; a 500 and
//! a timeout are retried on the back-off schedule with the same message id
//! until a success or the last attempt; manual redelivery, test events and
//! secret rotation (two signatures while the old secret is honoured); two
//! job runners on one database send each message once; one organization
//! never reaches another's endpoints; the address guard; the pages.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};
use stint_store::Engine;
use stint_webhooks::Secret;

use crate::common::{Actor, PITCH, TestApp};
use crate::outcomes::approved;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn kind(&self) -> String {
        self.json()["type"].as_str().unwrap_or_default().to_string()
    }

    fn verified_by(&self, secret: &Secret) -> bool {
        stint_webhooks::verify(
            secret,
            &self.id,
            &self.timestamp,
            &self.signature,
            self.body.as_bytes(),
            chrono::Utc::now().timestamp(),
            300,
        )
        .is_ok()
    }
}

/// How the receiver answers the next request to a path (default 204).
#[derive(Debug, Clone, Copy)]
enum Reply {
    Status(u16),
    Slow,
}

#[derive(Clone, Default)]
struct Receiver {
    base: String,
    log: Arc<Mutex<Vec<Got>>>,
    plan: Arc<Mutex<HashMap<String, VecDeque<Reply>>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let r = Receiver {
            base: format!("http://127.0.0.1:{port}"),
            ..Receiver::default()
        };
        let state = r.clone();
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: axum::http::HeaderMap, body: String| {
                let state = state.clone();
                async move {
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    let path = uri.path().to_string();
                    let reply = state
                        .plan
                        .lock()
                        .ok()
                        .and_then(|mut p| p.get_mut(&path).and_then(VecDeque::pop_front));
                    if let Ok(mut log) = state.log.lock() {
                        log.push(Got {
                            path,
                            id: h("webhook-id"),
                            timestamp: h("webhook-timestamp"),
                            signature: h("webhook-signature"),
                            body,
                        });
                    }
                    match reply {
                        Some(Reply::Slow) => {
                            tokio::time::sleep(StdDuration::from_secs(3)).await;
                            StatusCode::OK
                        }
                        Some(Reply::Status(s)) => {
                            StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                        }
                        None => StatusCode::NO_CONTENT,
                    }
                }
            },
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        r
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn plan(&self, path: &str, replies: &[Reply]) {
        if let Ok(mut p) = self.plan.lock() {
            p.entry(path.to_string()).or_default().extend(replies);
        }
    }

    fn got(&self, path: &str) -> Vec<Got> {
        self.log
            .lock()
            .map(|l| l.iter().filter(|g| g.path == path).cloned().collect())
            .unwrap_or_default()
    }
}

/// An app whose webhooks may reach loopback, with a short timeout.
async fn local_app(engine: Engine) -> Option<TestApp> {
    TestApp::with_config(engine, |c| {
        c.webhooks = stint_webhooks::Sender::new(true, StdDuration::from_millis(800))
            .unwrap_or_else(|e| panic!("{e}"));
    })
    .await
}

macro_rules! hook_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some($app) = local_app(Engine::Sqlite).await else {
                    return;
                };
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = local_app(Engine::Postgres).await else {
                    return;
                };
                $body.await
            }
        }
    };
}

/// Adds an endpoint through the API: (id, secret).
async fn endpoint(app: &TestApp, boss: &Actor, url: &str, events: &[&str]) -> (i64, Secret) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/webhooks",
            Some(&boss.token),
            Some(json!({"url": url, "description": "Our tracker", "events": events})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let j = r.json();
    let secret = Secret::parse(j["secret"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {}", r.body));
    (j["endpoint"]["id"].as_i64().unwrap_or_default(), secret)
}

const ALL: [&str; 10] = [
    "application.submitted",
    "application.withdrawn",
    "engagement.hired",
    "engagement.submitted",
    "engagement.approved",
    "engagement.cancelled",
    "dispute.opened",
    "dispute.resolved",
    "offer.accepted",
    "offer.declined",
];

/// The job runner, then the webhook worker, until nothing is due.
async fn run_jobs(app: &TestApp) {
    for _ in 0..3 {
        stint_web::app::jobs::run_due(&app.state, 200)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for _ in 0..20 {
        let done = stint_web::app::webhooks::deliver_due(&app.state, 100)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if done == 0 {
            break;
        }
    }
}

async fn messages(app: &TestApp, boss: &Actor, endpoint: i64) -> Vec<Value> {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/webhooks/{endpoint}/messages"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

async fn applied(app: &TestApp, s: &Actor, project: i64) -> i64 {
    let r = app.apply(s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap_or_default()
}

async fn post(app: &TestApp, who: &Actor, path: &str, body: Option<Value>) -> Value {
    let r = app.api(Method::POST, path, Some(&who.token), body).await;
    assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
    r.json()
}

hook_test!(
    every_event_reaches_its_subscribers_signed,
    |app| async move {
        let rx = Receiver::start().await;
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (all, secret) = endpoint(&app, &boss, &rx.url("/all"), &ALL).await;
        let (_, offers_secret) =
            endpoint(&app, &boss, &rx.url("/offers"), &["offer.accepted"]).await;

        let project = app
            .published(&boss, "Code survey answers for webhooks", 3, false)
            .await;
        let s1 = app.student("s1@mail.test").await;
        let a1 = applied(&app, &s1, project).await;
        let s2 = app.student("s2@mail.test").await;
        let a2 = applied(&app, &s2, project).await;
        post(
            &app,
            &s2,
            &format!("/api/v1/applications/{a2}/withdraw"),
            None,
        )
        .await;
        // Hired, submitted, approved.
        let e1 = approved(&app, &boss, &s1, a1).await;
        // Two offers: one accepted, one declined.
        let start = (chrono::Utc::now().date_naive() + Duration::days(60)).to_string();
        for title in ["Research analyst", "Data intern"] {
            post(
                &app,
                &boss,
                &format!("/api/v1/talent/{}/offers", s1.id),
                Some(json!({"kind": "full_time", "title": title, "start_date": start})),
            )
            .await;
        }
        let offers = app
            .api(Method::GET, "/api/v1/me/offers", Some(&s1.token), None)
            .await
            .json();
        let ids: Vec<i64> = offers
            .as_array()
            .map(|a| a.iter().filter_map(|o| o["id"].as_i64()).collect())
            .unwrap_or_default();
        assert_eq!(ids.len(), 2);
        post(
            &app,
            &s1,
            &format!("/api/v1/me/offers/{}/answer", ids[0]),
            Some(json!({"action": "accept"})),
        )
        .await;
        post(
            &app,
            &s1,
            &format!("/api/v1/me/offers/{}/answer", ids[1]),
            Some(json!({"action": "decline"})),
        )
        .await;
        // Cancelled before any submission.
        let s3 = app.student("s3@mail.test").await;
        let a3 = applied(&app, &s3, project).await;
        let h = post(
            &app,
            &boss,
            &format!("/api/v1/applications/{a3}/hire"),
            None,
        )
        .await;
        let e3 = h["engagement"]["id"].as_i64().unwrap_or_default();
        post(
            &app,
            &boss,
            &format!("/api/v1/engagements/{e3}/cancel"),
            Some(json!({"reason": "The brief changed."})),
        )
        .await;
        // Disputed and resolved.
        let s4 = app.student("s4@mail.test").await;
        let a4 = applied(&app, &s4, project).await;
        let h = post(
            &app,
            &boss,
            &format!("/api/v1/applications/{a4}/hire"),
            None,
        )
        .await;
        let e4 = h["engagement"]["id"].as_i64().unwrap_or_default();
        post(
            &app,
            &s4,
            &format!("/api/v1/engagements/{e4}/submissions"),
            Some(json!({"note": "All done, report linked."})),
        )
        .await;
        post(
            &app,
            &boss,
            &format!("/api/v1/engagements/{e4}/dispute"),
            Some(json!({"reason": "Half the deliverables are missing."})),
        )
        .await;
        let admin = app.admin().await;
        post(
            &app,
            &admin,
            &format!("/api/v1/engagements/{e4}/resolve"),
            Some(json!({"outcome": "refund", "note": "Nothing usable was delivered."})),
        )
        .await;

        run_jobs(&app).await;
        // Messages go out side by side, so they may arrive in any order;
        // their `timestamp` says when each event happened.
        let mut got = rx.got("/all");
        got.sort_by_key(|g| {
            g.json()["timestamp"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        });
        let kinds: Vec<String> = got.iter().map(Got::kind).collect();
        assert_eq!(
            kinds,
            vec![
                "application.submitted",
                "application.submitted",
                "application.withdrawn",
                "engagement.hired",
                "engagement.submitted",
                "engagement.approved",
                "offer.accepted",
                "offer.declined",
                "application.submitted",
                "engagement.hired",
                "engagement.cancelled",
                "application.submitted",
                "engagement.hired",
                "engagement.submitted",
                "dispute.opened",
                "dispute.resolved",
            ],
            "by when they happened"
        );
        for g in &got {
            assert!(g.verified_by(&secret), "{g:?}");
            assert!(
                !g.verified_by(&offers_secret),
                "each endpoint has its own secret"
            );
            assert!(g.id.starts_with("msg_") && !g.id.contains('.'), "{}", g.id);
            assert_eq!(g.signature.matches("v1,").count(), 1);
        }
        let ids: std::collections::HashSet<&str> = got.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids.len(), got.len(), "one id per message");

        // What the bodies say.
        let first = got[0].json();
        assert_eq!(first["data"]["application_id"], a1);
        assert_eq!(first["data"]["project_id"], project);
        assert_eq!(first["data"]["student_id"], s1.id);
        assert_eq!(
            first["data"]["project_title"],
            "Code survey answers for webhooks"
        );
        assert_eq!(first["data"]["status"], "submitted");
        assert!(first["timestamp"].as_str().is_some_and(|t| t.contains('T')));
        assert_eq!(got[2].json()["data"]["status"], "withdrawn");
        let approved_body = got[5].json();
        assert_eq!(approved_body["data"]["engagement_id"], e1);
        assert_eq!(approved_body["data"]["price_minor"], 900_000);
        assert_eq!(approved_body["data"]["currency"], "INR");
        assert!(approved_body["data"].get("paid_to_student_minor").is_none());
        assert_eq!(got[6].json()["data"]["status"], "accepted");
        // `/me/offers` lists the newest first: the second offer was accepted.
        assert_eq!(got[6].json()["data"]["title"], "Data intern");
        assert_eq!(got[7].json()["data"]["title"], "Research analyst");
        assert_eq!(got[7].json()["data"]["status"], "declined");
        assert_eq!(got[10].json()["data"]["status"], "cancelled");
        assert_eq!(got[14].json()["data"]["status"], "disputed");
        let resolved = got[15].json();
        assert_eq!(resolved["data"]["engagement_id"], e4);
        assert_eq!(resolved["data"]["paid_to_student_minor"], 0);

        // The endpoint subscribed to one event got only that one.
        let only = rx.got("/offers");
        assert_eq!(
            only.iter().map(Got::kind).collect::<Vec<_>>(),
            vec!["offer.accepted"]
        );
        assert!(only[0].verified_by(&offers_secret));

        // The delivery log: every message delivered at the first attempt.
        let log = messages(&app, &boss, all).await;
        assert_eq!(log.len(), 16);
        for m in &log {
            assert_eq!(m["status"], "delivered", "{m}");
            assert_eq!(m["attempts"], 1);
            assert_eq!(m["last_status_code"], 204);
        }
        let newest = log[0]["id"].as_i64().unwrap_or_default();
        let detail = app
            .api(
                Method::GET,
                &format!("/api/v1/webhooks/{all}/messages/{newest}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(detail["message"]["event_type"], "dispute.resolved");
        assert_eq!(
            detail["payload"].as_str(),
            Some(got[15].body.as_str()),
            "the exact bytes sent"
        );
        assert_eq!(detail["attempts"][0]["kind"], "scheduled");
        // Running the jobs again sends nothing more, and no job is left behind.
        run_jobs(&app).await;
        assert_eq!(rx.got("/all").len(), 16);
        let jobs = app.state.store.pending_jobs().await.unwrap_or_default();
        assert!(!jobs.iter().any(|j| j.kind == "webhook"), "{jobs:?}");
    }
);

hook_test!(
    failures_are_retried_on_the_schedule_then_given_up,
    |app| async move {
        let rx = Receiver::start().await;
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (flaky, secret) =
            endpoint(&app, &boss, &rx.url("/flaky"), &["application.submitted"]).await;
        let project = app.published(&boss, "Retry survey coding", 3, false).await;

        // A 500, then a timeout, then a success: three attempts, one id.
        rx.plan("/flaky", &[Reply::Status(500), Reply::Slow]);
        let s = app.student("s@mail.test").await;
        applied(&app, &s, project).await;
        run_jobs(&app).await;
        let log = messages(&app, &boss, flaky).await;
        assert_eq!(
            (log[0]["status"].as_str(), log[0]["attempts"].as_i64()),
            (Some("pending"), Some(1))
        );
        assert_eq!(log[0]["last_status_code"], 500);
        let next = log[0]["next_attempt_at"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!next.is_empty(), "{}", log[0]);
        // Not before its time.
        run_jobs(&app).await;
        assert_eq!(rx.got("/flaky").len(), 1);
        app.state.clock.advance(Duration::seconds(6));
        run_jobs(&app).await;
        let log = messages(&app, &boss, flaky).await;
        assert_eq!(
            (log[0]["status"].as_str(), log[0]["attempts"].as_i64()),
            (Some("pending"), Some(2))
        );
        assert!(log[0]["last_status_code"].is_null());
        assert!(
            log[0]["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("timed out")),
            "{}",
            log[0]
        );
        app.state.clock.advance(Duration::seconds(301));
        run_jobs(&app).await;
        let log = messages(&app, &boss, flaky).await;
        assert_eq!(
            (log[0]["status"].as_str(), log[0]["attempts"].as_i64()),
            (Some("delivered"), Some(3))
        );
        let got = rx.got("/flaky");
        assert_eq!(got.len(), 3);
        assert!(
            got.iter().all(|g| g.id == got[0].id),
            "the same webhook-id on every attempt"
        );
        assert!(got.iter().all(|g| g.verified_by(&secret)));
        assert!(got.iter().all(|g| g.body == got[0].body), "the same body");

        // Always down: eight attempts over about a day, then given up.
        let (down, _) = endpoint(&app, &boss, &rx.url("/down"), &["application.submitted"]).await;
        rx.plan("/down", &[Reply::Status(503); 8]);
        let s2 = app.student("s2@mail.test").await;
        applied(&app, &s2, project).await;
        let mut hours = 0;
        for _ in 0..12 {
            run_jobs(&app).await;
            app.state
                .clock
                .advance(Duration::hours(10) + Duration::minutes(1));
            hours += 10;
        }
        run_jobs(&app).await;
        assert!(hours > 28);
        let log = messages(&app, &boss, down).await;
        assert_eq!(
            (log[0]["status"].as_str(), log[0]["attempts"].as_i64()),
            (Some("failed"), Some(8))
        );
        assert!(log[0]["next_attempt_at"].is_null());
        assert_eq!(rx.got("/down").len(), 8);
        // The owner is told, once.
        assert_eq!(app.count_kind(&boss, "webhook").await, 1);
        // The flaky endpoint got the second applicant's event as well, at once.
        assert_eq!(rx.got("/flaky").len(), 4);
        let list = app
            .api(Method::GET, "/api/v1/webhooks", Some(&boss.token), None)
            .await
            .json();
        let down_view = list
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == down).cloned())
            .unwrap_or_default();
        assert_eq!(down_view["failed_recently"], 1);
        assert_eq!(down_view["last_status"], "failed");

        // Sent again by hand once the receiver is back: delivered.
        let id = log[0]["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/webhooks/{down}/messages/{id}/redeliver"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let j = r.json();
        assert_eq!(j["message"]["status"], "delivered");
        assert_eq!(j["attempts"].as_array().map(Vec::len), Some(9));
        assert_eq!(j["attempts"][8]["kind"], "manual");
        assert_eq!(
            rx.got("/down").last().map(|g| g.id.clone()),
            rx.got("/down").first().map(|g| g.id.clone())
        );

        // The log keeps 30 days.
        app.state.clock.advance(Duration::days(31));
        run_jobs(&app).await;
        assert!(messages(&app, &boss, down).await.is_empty());
        assert!(messages(&app, &boss, flaky).await.is_empty());
    }
);

hook_test!(tests_rotation_and_the_secret, |app| async move {
    let rx = Receiver::start().await;
    let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
    let (id, first) = endpoint(&app, &boss, &rx.url("/hook"), &["application.submitted"]).await;
    let path = |a: &str| format!("/api/v1/webhooks/{id}/{a}");

    let r = app
        .api(Method::POST, &path("test"), Some(&boss.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "delivered");
    assert_eq!(r.json()["event_type"], "webhook.test");
    let got = rx.got("/hook");
    assert_eq!(got.len(), 1);
    assert!(got[0].verified_by(&first));
    assert_eq!(got[0].json()["data"]["endpoint_id"], id);
    // A failed test is not retried.
    rx.plan("/hook", &[Reply::Status(404)]);
    let r = app
        .api(Method::POST, &path("test"), Some(&boss.token), None)
        .await;
    assert_eq!(
        (
            r.json()["status"].as_str(),
            r.json()["last_status_code"].as_i64()
        ),
        (Some("failed"), Some(404))
    );
    app.state.clock.advance(Duration::minutes(10));
    run_jobs(&app).await;
    assert_eq!(rx.got("/hook").len(), 2);

    let revealed = app
        .api(Method::GET, &path("secret"), Some(&boss.token), None)
        .await
        .json();
    assert_eq!(
        revealed["secret"].as_str(),
        Some(first.to_string().as_str())
    );

    // Rotation: both secrets sign for a day, then only the new one.
    let r = app
        .api(
            Method::POST,
            &path("rotate-secret"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let second = Secret::parse(r.json()["secret"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(second, first);
    assert!(r.json()["endpoint"]["previous_secret_until"].is_string());
    app.api(Method::POST, &path("test"), Some(&boss.token), None)
        .await;
    let during = rx
        .got("/hook")
        .pop()
        .unwrap_or_else(|| panic!("nothing received"));
    assert_eq!(
        during.signature.split(' ').count(),
        2,
        "{}",
        during.signature
    );
    assert!(during.verified_by(&first) && during.verified_by(&second));
    app.state.clock.advance(Duration::hours(25));
    app.api(Method::POST, &path("test"), Some(&boss.token), None)
        .await;
    let after = rx
        .got("/hook")
        .pop()
        .unwrap_or_else(|| panic!("nothing received"));
    assert_eq!(after.signature.split(' ').count(), 1);
    assert!(after.verified_by(&second) && !after.verified_by(&first));
    let audit: Vec<String> = app
        .state
        .store
        .audit_for("webhook_endpoint", id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for action in [
        "webhook.created",
        "webhook.secret_revealed",
        "webhook.secret_rotated",
    ] {
        assert!(audit.iter().any(|a| a == action), "{action} in {audit:?}");
    }

    // Turned off: no new messages, and a test is refused.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/webhooks/{id}"),
            Some(&boss.token),
            Some(json!({"url": rx.url("/hook"), "events": ["application.submitted"], "active": false})),
        )
        .await;
    assert_eq!(r.json()["active"], false, "{}", r.body);
    assert_eq!(
        app.api(Method::POST, &path("test"), Some(&boss.token), None)
            .await
            .code(),
        "endpoint_off"
    );
    let project = app
        .published(&boss, "Survey coding while off", 1, false)
        .await;
    let s = app.student("s@mail.test").await;
    applied(&app, &s, project).await;
    run_jobs(&app).await;
    assert_eq!(rx.got("/hook").len(), 4);
    // Deleted: gone with its log.
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/api/v1/webhooks/{id}"),
            Some(&boss.token),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.api(Method::GET, &path("messages"), Some(&boss.token), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});

hook_test!(
    two_runners_on_one_database_send_each_message_once,
    |app| async move {
        let rx = Receiver::start().await;
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (_, secret) = endpoint(&app, &boss, &rx.url("/once"), &["application.submitted"]).await;
        let project = app.published(&boss, "Busy survey coding", 3, false).await;
        let mut students = Vec::new();
        for i in 0..12 {
            students.push(app.student(&format!("s{i}@mail.test")).await);
        }
        for s in &students {
            applied(&app, s, project).await;
        }
        // A second process: its own store (its own connections) on the same
        // database, the same settings, its own runner.
        let other_store = stint_store::Store::connect(app.db_url())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let other = stint_web::AppState::new(other_store, (*app.state.config).clone());
        let mut runners = tokio::task::JoinSet::new();
        for state in [app.state.clone(), other.clone(), app.state.clone(), other] {
            runners.spawn(async move {
                for _ in 0..5 {
                    let _ = stint_web::app::webhooks::deliver_due(&state, 3).await;
                }
            });
        }
        while runners.join_next().await.is_some() {}
        run_jobs(&app).await;
        let got = rx.got("/once");
        assert_eq!(got.len(), 12, "each message once");
        let ids: std::collections::HashSet<&str> = got.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids.len(), 12);
        assert!(got.iter().all(|g| g.verified_by(&secret)));
    }
);

hook_test!(
    only_owners_change_and_nobody_reaches_another_organization,
    |app| async move {
        let rx = Receiver::start().await;
        let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let (id, _) = endpoint(&app, &boss, &rx.url("/acme"), &ALL).await;
        let (rival_id, _) = endpoint(&app, &rival, &rx.url("/rival"), &ALL).await;

        // A member who is not an owner sees, but does not change.
        let code = app
            .state
            .store
            .membership(boss.id)
            .await
            .ok()
            .flatten()
            .map(|m| m.org.invite_code)
            .unwrap_or_default();
        let member = app.actor("member@acme.test", "employer").await;
        post(
            &app,
            &member,
            "/api/v1/organizations/join",
            Some(json!({"invite_code": code})),
        )
        .await;
        assert_eq!(
            app.state
                .store
                .membership(member.id)
                .await
                .ok()
                .flatten()
                .map(|m| m.org.id),
            Some(org)
        );
        let r = app
            .api(Method::GET, "/api/v1/webhooks", Some(&member.token), None)
            .await;
        assert_eq!(r.json().as_array().map(Vec::len), Some(1), "{}", r.body);
        assert!(r.body.find("whsec_").is_none(), "no secret in a listing");
        for (m, p, body) in [
            (
                Method::POST,
                "/api/v1/webhooks".to_string(),
                Some(json!({"url": rx.url("/x"), "events": ["offer.accepted"]})),
            ),
            (Method::GET, format!("/api/v1/webhooks/{id}/secret"), None),
            (
                Method::POST,
                format!("/api/v1/webhooks/{id}/rotate-secret"),
                None,
            ),
            (Method::POST, format!("/api/v1/webhooks/{id}/test"), None),
            (
                Method::PUT,
                format!("/api/v1/webhooks/{id}"),
                Some(json!({"url": rx.url("/x"), "events": ["offer.accepted"]})),
            ),
            (Method::DELETE, format!("/api/v1/webhooks/{id}"), None),
        ] {
            let r = app.api(m.clone(), &p, Some(&member.token), body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{m} {p}: {}", r.body);
        }

        // The rival's owner and a student reach nothing of Acme's.
        for (m, p) in [
            (Method::GET, format!("/api/v1/webhooks/{id}")),
            (Method::GET, format!("/api/v1/webhooks/{id}/secret")),
            (Method::GET, format!("/api/v1/webhooks/{id}/messages")),
            (Method::POST, format!("/api/v1/webhooks/{id}/rotate-secret")),
            (Method::POST, format!("/api/v1/webhooks/{id}/test")),
            (Method::DELETE, format!("/api/v1/webhooks/{id}")),
        ] {
            let r = app.api(m.clone(), &p, Some(&rival.token), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {p}: {}", r.body);
        }
        let s = app.student("s@mail.test").await;
        let r = app
            .api(Method::GET, "/api/v1/webhooks", Some(&s.token), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.api(Method::GET, "/api/v1/webhooks", None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.get(&format!("/employer/webhooks/{id}"), Some(&rival.cookie))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Acme's events go to Acme's endpoint only.
        let project = app
            .published(&boss, "Acme's own survey coding", 1, false)
            .await;
        let a = applied(&app, &s, project).await;
        run_jobs(&app).await;
        assert_eq!(rx.got("/acme").len(), 1);
        assert!(rx.got("/rival").is_empty());
        // Nor can the rival see or resend Acme's messages through its own endpoint.
        let msg = messages(&app, &boss, id).await[0]["id"]
            .as_i64()
            .unwrap_or_default();
        for p in [
            format!("/api/v1/webhooks/{rival_id}/messages/{msg}"),
            format!("/api/v1/webhooks/{id}/messages/{msg}"),
        ] {
            assert_eq!(
                app.api(Method::GET, &p, Some(&rival.token), None)
                    .await
                    .status,
                StatusCode::NOT_FOUND,
                "{p}"
            );
        }
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/webhooks/{rival_id}/messages/{msg}/redeliver"),
                Some(&rival.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(rx.got("/acme").len(), 1);
        let _ = a;
    }
);

hook_test!(bad_endpoints_are_refused_with_reasons, |app| async move {
    let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
    let bad = |body: Value| {
        app.api(
            Method::POST,
            "/api/v1/webhooks",
            Some(&boss.token),
            Some(body),
        )
    };
    let r = bad(json!({"url": "not a url", "events": ["offer.accepted"]})).await;
    assert_eq!(
        (r.status, r.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["url".to_string()])
    );
    let r = bad(json!({"url": "https://hooks.example.com/x", "events": []})).await;
    assert_eq!(r.fields(), vec!["events"]);
    let r = bad(json!({"url": "https://hooks.example.com/x", "events": ["payment.stolen"]})).await;
    assert_eq!(r.fields(), vec!["events"]);
    assert!(r.body.contains("payment.stolen"), "{}", r.body);
    let r = bad(json!({"url": "https://hooks.example.com/x", "events": ["offer.accepted"], "description": "x".repeat(201)})).await;
    assert_eq!(r.fields(), vec!["description"]);
    let r = bad(json!({"url": "https://hooks.example.com/x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = bad(json!({"url": "https://hooks.example.com/x", "events": "offer.accepted"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Up to ten endpoints.
    for i in 0..10 {
        let r = bad(
            json!({"url": format!("https://hooks.example.com/{i}"), "events": ["offer.accepted"]}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    assert_eq!(
        bad(json!({"url": "https://hooks.example.com/11", "events": ["offer.accepted"]}))
            .await
            .code(),
        "too_many_endpoints"
    );
    let r = app
        .api(
            Method::GET,
            "/api/v1/webhooks/1/messages?status=lost",
            Some(&boss.token),
            None,
        )
        .await;
    assert!(
        matches!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::NOT_FOUND
        ),
        "{}",
        r.body
    );
});

/// Without the setting, private addresses are refused when typed and never
/// reached when sent.
mod the_address_guard {
    use super::*;

    async fn guarded(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else {
            return;
        };
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        for url in [
            "http://hooks.example.com/x",
            "https://127.0.0.1:9/x",
            "https://10.0.0.8/x",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/x",
            "https://localhost/x",
            "https://user:pw@hooks.example.com/x",
        ] {
            let r = app
                .api(
                    Method::POST,
                    "/api/v1/webhooks",
                    Some(&boss.token),
                    Some(json!({"url": url, "events": ["offer.accepted"]})),
                )
                .await;
            assert_eq!(r.fields(), vec!["url"], "{url}: {}", r.body);
        }
        let r = app
            .form(
                "/employer/webhooks",
                Some(&boss.cookie),
                &[
                    ("url", "https://192.168.1.1/hook"),
                    ("events", "offer.accepted"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("private, loopback or link-local"),
            "{}",
            r.body
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        guarded(Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        guarded(Engine::Postgres).await;
    }
}

hook_test!(
    the_pages_manage_endpoints_and_show_the_log,
    |app| async move {
        let rx = Receiver::start().await;
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let r = app.get("/employer/webhooks", Some(&boss.cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("No endpoints yet") && r.body.contains("Add endpoint"),
            "{}",
            r.body
        );
        // A mistake is shown beside its field, with what was typed kept.
        let r = app
            .form(
                "/employer/webhooks",
                Some(&boss.cookie),
                &[("url", "ftp://x"), ("description", "Tracker")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Enter a full address") && r.body.contains("Choose at least one event"),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"Tracker\""));
        let url = rx.url("/page");
        let r = app
            .form(
                "/employer/webhooks",
                Some(&boss.cookie),
                &[
                    ("url", &url),
                    ("description", "Tracker"),
                    ("events", "application.submitted"),
                    ("events", "offer.accepted"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("Your new signing secret") && r.body.contains("whsec_"),
            "{}",
            r.body
        );
        let list = app
            .api(Method::GET, "/api/v1/webhooks", Some(&boss.token), None)
            .await
            .json();
        let id = list[0]["id"].as_i64().unwrap_or_default();
        assert_eq!(
            list[0]["events"],
            json!(["application.submitted", "offer.accepted"])
        );

        // A test event from the page, then its message page.
        let r = app
            .form(
                &format!("/employer/webhooks/{id}/test"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            r.location().contains("notice=webhook_test_delivered"),
            "{}",
            r.location()
        );
        let r = app.get(r.location(), Some(&boss.cookie)).await;
        assert!(
            r.body.contains("webhook.test")
                && r.body.contains("HTTP 204")
                && r.body.contains("Send again now"),
            "{}",
            r.body
        );
        let r = app
            .get(&format!("/employer/webhooks/{id}"), Some(&boss.cookie))
            .await;
        assert!(
            r.body.contains("Delivery log")
                && r.body.contains("Delivered")
                && r.body.contains("Show signing secret")
        );
        assert!(
            !r.body.contains("whsec_"),
            "the secret is shown only when asked"
        );
        let r = app
            .form(
                &format!("/employer/webhooks/{id}/secret"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert!(r.body.contains("whsec_"));
        let r = app
            .get(
                &format!("/employer/webhooks/{id}?status=failed"),
                Some(&boss.cookie),
            )
            .await;
        assert!(
            r.body.contains("No messages with this status"),
            "{}",
            r.body
        );
        let r = app
            .get(
                &format!("/employer/webhooks/{id}?status=lost"),
                Some(&boss.cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Turned off from the settings form (the unticked box sends nothing).
        let r = app
            .form(
                &format!("/employer/webhooks/{id}"),
                Some(&boss.cookie),
                &[("url", &url), ("events", "offer.accepted")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let e = app
            .api(
                Method::GET,
                &format!("/api/v1/webhooks/{id}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(
            (e["active"].as_bool(), e["events"].clone()),
            (Some(false), json!(["offer.accepted"]))
        );
        let r = app
            .get(
                &format!("/employer/webhooks/{id}/delete"),
                Some(&boss.cookie),
            )
            .await;
        assert!(r.body.contains("Delete the endpoint"));
        let r = app
            .form(
                &format!("/employer/webhooks/{id}/delete"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/webhooks/{id}"),
                Some(&boss.token),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        // The pitch constant is the one applicants use elsewhere.
        assert!(!PITCH.is_empty());
    }
);

hook_test!(the_document_describes_every_event, |app| async move {
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "webhooks need OpenAPI 3.1"
    );
    let hooks = &doc["webhooks"];
    for kind in ALL.iter().chain(std::iter::once(&"webhook.test")) {
        let op = &hooks[*kind]["post"];
        assert!(op.is_object(), "{kind} is documented");
        let schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches("#/components/schemas/")
            .to_string();
        assert!(
            doc["components"]["schemas"][&schema].is_object(),
            "{kind}: {schema} exists"
        );
        let headers: Vec<&str> = op["parameters"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
        );
    }
    let data = &doc["components"]["schemas"]["EngagementData"]["properties"];
    assert!(data["paid_to_student_minor"].is_object() && data["price_minor"].is_object());
    // The list the endpoints take matches.
    let events = app
        .api(Method::GET, "/api/v1/webhook-events", None, None)
        .await
        .json();
    assert_eq!(events.as_array().map(Vec::len), Some(ALL.len()));
});

hook_test!(a_slow_endpoint_holds_up_only_itself, |app| async move {
    let rx = Receiver::start().await;
    let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
    let (slow, _) = endpoint(&app, &boss, &rx.url("/slow"), &["application.submitted"]).await;
    let (fast, _) = endpoint(&app, &boss, &rx.url("/fast"), &["application.submitted"]).await;
    rx.plan("/slow", &[Reply::Slow; 6]);
    let project = app
        .published(&boss, "Survey coding for two receivers", 3, false)
        .await;
    for i in 0..6 {
        let s = app.student(&format!("s{i}@mail.test")).await;
        applied(&app, &s, project).await;
    }
    // The worker of `stint serve`: at most four messages in flight per
    // endpoint, refilled as each one ends, so the fast endpoint's six all
    // arrive while the slow one's first four still wait for their timeout.
    let worker = tokio::spawn(stint_web::app::webhooks::run_worker(app.state.clone()));
    for _ in 0..100 {
        if rx.got("/slow").len() >= 6 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // The last two slow attempts end at their timeout.
    tokio::time::sleep(StdDuration::from_millis(1500)).await;
    worker.abort();
    let order: Vec<String> = rx
        .log
        .lock()
        .map(|l| l.iter().map(|g| g.path.clone()).collect())
        .unwrap_or_default();
    let nth = |path: &str, n: usize| {
        order
            .iter()
            .enumerate()
            .filter(|(_, p)| p.as_str() == path)
            .nth(n - 1)
            .map(|(i, _)| i)
    };
    assert!(
        nth("/fast", 6) < nth("/slow", 5) && nth("/slow", 5).is_some(),
        "{order:?}"
    );
    let log = messages(&app, &boss, fast).await;
    assert!(log.iter().all(|m| m["status"] == "delivered"));
    // The slow endpoint's timeouts wait for their retry.
    let log = messages(&app, &boss, slow).await;
    assert!(
        log.iter()
            .all(|m| m["status"] == "pending" && m["attempts"] == 1),
        "{log:?}"
    );
    app.state.clock.advance(Duration::seconds(6));
    run_jobs(&app).await;
    assert_eq!(rx.got("/slow").len(), 12);
    let log = messages(&app, &boss, slow).await;
    assert!(
        log.iter()
            .all(|m| m["status"] == "delivered" && m["attempts"] == 2),
        "{log:?}"
    );
});

hook_test!(endpoints_added_at_once_keep_the_limit, |app| async move {
    let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
    let calls = (0..15)
        .map(|i| {
            (
                Method::POST,
                "/api/v1/webhooks".to_string(),
                json!({"url": format!("https://hooks.example.com/{i}"), "events": ["offer.accepted"]}),
            )
        })
        .collect();
    let answers = app.concurrently_json(calls, &boss.token).await;
    let created = answers
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.code() == "too_many_endpoints")
        .count();
    assert_eq!((created, refused), (10, 5), "{answers:?}");
    let list = app
        .api(Method::GET, "/api/v1/webhooks", Some(&boss.token), None)
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(10));
});

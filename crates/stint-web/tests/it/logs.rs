//! What reaches the logs: everything Stint and its libraries log, at every
//! level, while people sign up, write messages, save payout details, answer
//! the equity questions and configure single sign-on (and get some of it
//! wrong), never carries a message body, a password, payout details, an
//! equity answer or an SSO client secret.
//!
//! Not an `app_test!`: the capture is this thread's subscriber, so the test
//! runs its own single-threaded runtime, where every task it starts runs.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{Method, StatusCode};
use serde_json::json;
use stint_sso::testing::TestIssuer;
use stint_store::Engine;

use crate::api_engagements::hired;
use crate::common::{PASSWORD, TestApp};
use crate::universities::university;

/// Everything written to the log, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

const APPLICATION_MESSAGE: &str = "Zanzibar orchids bloom at 4417 metres";
const WORKSPACE_MESSAGE: &str = "The quokka ledger 9931 is attached";
const ACCOUNT_NUMBER: [&str; 2] = ["50100123456789", "5010 0123 4567 89"];
const IFSC: [&str; 2] = ["hdfc0001234", "HDFC0001234"];
const HOLDER: &str = "Worker Kumaraswamy";
const BAD_IBAN: &str = "GB00 WEST 1234 5698 7654 99";
const CLIENT_SECRET: &str = "the-client-secret-7c1f0e";

/// What the test does while the logs are captured.
async fn work(app: &TestApp) {
    // Sign-ups and sign-ins (passwords), a hire.
    let (boss, s, engagement) = hired(app).await;

    // Messages before and during work.
    let pid = app.published(&boss, "Survey coding", 1, false).await;
    let aid = app.apply(&s, pid).await.json()["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/messages"),
            Some(&boss.token),
            Some(json!({ "body": APPLICATION_MESSAGE })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for who in [&s, &boss] {
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{engagement}/messages"),
                Some(&who.token),
                Some(json!({ "body": WORKSPACE_MESSAGE })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // A message too long is refused (its text is not logged either).
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{engagement}/messages"),
            Some(&s.token),
            Some(json!({ "body": WORKSPACE_MESSAGE.repeat(400) })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // Payout details: refused, then saved, then revealed by an admin.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/payout-details",
            Some(&s.token),
            Some(json!({"method": "iban", "holder_name": HOLDER, "iban": BAD_IBAN})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/payout-details",
            Some(&s.token),
            Some(json!({"method": "in_bank", "holder_name": HOLDER,
                "account_number": ACCOUNT_NUMBER[1], "ifsc": IFSC[0]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let admin = app.admin().await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/admin/engagements/{engagement}/payout-details"),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(ACCOUNT_NUMBER[0]), "{}", r.body);

    // Equity answers: refused, then saved, read and exported.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/equity",
            Some(&s.token),
            Some(json!({"gender": "non_binary", "disability": "maybe"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/equity",
            Some(&s.token),
            Some(json!({"gender": "non_binary", "need_based_aid": "prefer_not"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(Method::GET, "/api/v1/me/equity", Some(&s.token), None)
        .await;
    assert_eq!(r.json()["gender"], "non_binary");
    stint_web::app::privacy::export_now(&app.state, "worker@x.com")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Single sign-on: the client secret, given to the form.
    let (staff, _) = university(app, "career@uni.example", "Uni", "uni.example", true).await;
    let issuer = TestIssuer::start("stint-client", CLIENT_SECRET)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .form(
            "/organization/sign-in",
            Some(&staff.cookie),
            &[
                ("issuer", &issuer.issuer()),
                ("client_id", "stint-client"),
                ("client_secret", CLIENT_SECRET),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[test]
fn logs_never_carry_message_bodies_passwords_or_secrets() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let logs = Captured::default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let ran = runtime.block_on(async {
            let Some(app) = TestApp::new(engine).await else {
                return false;
            };
            let writer = logs.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_env_filter("trace")
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            let _capture = tracing::subscriber::set_default(subscriber);
            work(&app).await;
            true
        });
        if !ran {
            continue;
        }
        let text = logs.text();
        // The capture works: requests were logged with their spans.
        assert!(
            text.contains("finished processing request") && text.contains("/api/v1/me/equity"),
            "{engine:?}: nothing captured"
        );
        let mut secrets = vec![
            APPLICATION_MESSAGE,
            WORKSPACE_MESSAGE,
            PASSWORD,
            HOLDER,
            BAD_IBAN,
            CLIENT_SECRET,
            "non_binary",
            "prefer_not",
        ];
        secrets.extend(ACCOUNT_NUMBER);
        secrets.extend(IFSC);
        // Nor the people's emails (personal data, not needed to follow a
        // request).
        secrets.extend(["worker@x.com", "boss@acme.com"]);
        for secret in secrets {
            if let Some(at) = text.find(secret) {
                let line = text[..at].rfind('\n').map_or(0, |n| n + 1);
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                panic!(
                    "{engine:?}: the log carries {secret:?}: {}",
                    &text[line..end]
                );
            }
        }
    }
}

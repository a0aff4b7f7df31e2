//! The Stripe provider end to end through the real router: the employer
//! pays on Checkout and only Stripe's signed webhook funds escrow; the
//! student onboards to Connect; approval transfers the price once the
//! student can be paid; cancellation refunds; a transient failure is
//! retried by the job queue; retried and doubled webhooks move nothing
//! twice. Stripe's side is a local server that answers with the shapes of
//! Stripe's API reference and records each request (localstripe answers
//! none of the Connect or Checkout calls; see `stint-stripe`'s tests).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::json;
use stint_store::Engine;
use stint_stripe::webhook;
use stint_web::{PaymentProvider, StripeConfig};

use crate::api_engagements::hired;
use crate::common::{Res, TestApp};

const NOTE: &str = "Coded all 500 answers; the report is linked.";
const WHSEC: &str = "whsec_test_stint";

/// One request Stripe received: method, path, form, idempotency key.
type Seen = (String, String, Vec<(String, String)>, String);

#[derive(Default)]
struct Fake {
    seen: Vec<Seen>,
    account_ready: bool,
    fail_transfers: bool,
}

type Shared = Arc<Mutex<Fake>>;

async fn stripe(
    State(f): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| {
        form.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let path = uri.path().to_string();
    let Ok(mut s) = f.lock() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, String::new());
    };
    s.seen
        .push((method.to_string(), path.clone(), form.clone(), key));
    let n = s.seen.len();
    let json = match (method.as_str(), path.as_str()) {
        ("POST", "/v1/checkout/sessions") => {
            json!({"id": format!("cs_test_{n}"), "object": "checkout.session", "status": "open",
            "payment_status": "unpaid", "payment_intent": null, "url": format!("https://checkout.stripe.com/c/pay/cs_test_{n}")})
        }
        ("GET", p) if p.starts_with("/v1/checkout/sessions/") => {
            json!({"id": &p[22..], "object": "checkout.session", "status": "open",
            "payment_status": "unpaid", "url": format!("https://checkout.stripe.com/c/pay/{}", &p[22..])})
        }
        ("POST", p) if p.ends_with("/expire") => {
            json!({"id": p.trim_start_matches("/v1/checkout/sessions/").trim_end_matches("/expire"),
            "object": "checkout.session", "status": "expired", "payment_status": "unpaid", "url": null})
        }
        ("POST", "/v1/accounts") => {
            json!({"id": "acct_student1", "object": "account", "details_submitted": false, "payouts_enabled": false})
        }
        ("GET", p) if p.starts_with("/v1/accounts/") => json!({"id": &p[13..], "object": "account",
            "details_submitted": s.account_ready, "payouts_enabled": s.account_ready}),
        ("POST", "/v1/account_links") => {
            json!({"object": "account_link", "expires_at": 1_900_000_000, "url": "https://connect.stripe.com/setup/e/acct_student1/x"})
        }
        ("GET", p) if p.starts_with("/v1/payment_intents/") => {
            json!({"id": &p[20..], "object": "payment_intent", "amount": 990000,
            "currency": "inr", "status": "succeeded", "latest_charge": format!("ch_{}", &p[23..])})
        }
        ("POST", "/v1/transfers") if s.fail_transfers => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": {"type": "api_error", "message": "try again"}}).to_string(),
            );
        }
        ("POST", "/v1/transfers") => {
            json!({"id": format!("tr_{n}"), "object": "transfer", "amount": get("amount").parse::<i64>().unwrap_or(0),
            "currency": get("currency"), "destination": get("destination")})
        }
        ("POST", "/v1/refunds") => {
            json!({"id": format!("re_{n}"), "object": "refund", "amount": get("amount").parse::<i64>().unwrap_or(0),
            "status": "succeeded"})
        }
        _ => {
            return (
                StatusCode::NOT_FOUND,
                json!({"error": {"type": "invalid_request_error", "message": "no such route"}})
                    .to_string(),
            );
        }
    };
    (StatusCode::OK, json.to_string())
}

async fn app_with_stripe(engine: Engine) -> Option<(TestApp, Shared)> {
    let shared: Shared = Arc::default();
    let router = Router::new().fallback(stripe).with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = stint_stripe::Client::new(&format!("http://{addr}"), "sk_test_stint")
        .unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::with_config(engine, |c| {
        c.payment_provider = PaymentProvider::Stripe;
        c.stripe = Some(StripeConfig {
            client,
            webhook_secret: WHSEC.into(),
        });
    })
    .await?;
    Some((app, shared))
}

/// Posts an event to the webhook as Stripe would, signed at `at`.
async fn deliver(app: &TestApp, id: &str, kind: &str, object: serde_json::Value, at: i64) -> Res {
    let body = json!({"id": id, "object": "event", "type": kind, "created": at, "livemode": false, "data": {"object": object}}).to_string();
    let sig = webhook::sign(body.as_bytes(), WHSEC, at);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/webhooks/stripe")
        .header("content-type", "application/json")
        .header("stripe-signature", sig)
        .body(Body::from(body))
        .unwrap_or_default();
    app.send(req).await
}

fn paid_session(engagement: i64, amount: i64) -> serde_json::Value {
    json!({"id": format!("cs_test_paid_{engagement}"), "object": "checkout.session", "payment_status": "paid", "status": "complete",
        "amount_total": amount, "currency": "inr", "payment_intent": format!("pi_{engagement:06}"),
        "client_reference_id": engagement.to_string(), "metadata": {"engagement_id": engagement.to_string()}})
}

fn count(f: &Shared, path: &str) -> usize {
    f.lock()
        .map(|s| s.seen.iter().filter(|(_, p, _, _)| p == path).count())
        .unwrap_or(0)
}

fn last_form(f: &Shared, path: &str) -> Vec<(String, String)> {
    f.lock()
        .ok()
        .and_then(|s| {
            s.seen
                .iter()
                .rev()
                .find(|(_, p, _, _)| p == path)
                .map(|(_, _, form, _)| form.clone())
        })
        .unwrap_or_default()
}

fn field<'a>(form: &'a [(String, String)], k: &str) -> Option<&'a str> {
    form.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

async fn stripe_pays_the_student_once(engine: Engine) {
    let Some((app, fake)) = app_with_stripe(engine).await else {
        return;
    };
    let (boss, s, id) = hired(&app).await;
    let ws = format!("/api/v1/engagements/{id}");
    let now = || app.state.clock.now().timestamp();

    // Hired, not yet funded: the employer is asked to pay, on Stripe.
    let w = app
        .api(Method::GET, &ws, Some(&boss.token), None)
        .await
        .json();
    assert_eq!(w["awaiting_employer_payment"], true);
    let page = app
        .get(&format!("/engagements/{id}"), Some(&boss.cookie))
        .await;
    assert!(
        page.body.contains("Pay ₹9,900 with Stripe"),
        "{}",
        page.body
    );
    assert!(
        page.headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("https://checkout.stripe.com"))
    );
    assert_eq!(
        app.api(
            Method::POST,
            &format!("{ws}/checkout"),
            Some(&s.token),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/checkout"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.json()["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://checkout.stripe.com/"))
    );
    let form = last_form(&fake, "/v1/checkout/sessions");
    assert_eq!(
        field(&form, "line_items[0][price_data][unit_amount]"),
        Some("990000")
    );
    assert_eq!(
        field(&form, "metadata[engagement_id]"),
        Some(id.to_string().as_str())
    );
    // The page's button answers with a redirect to Stripe (the open session is reused).
    let r = app
        .form(&format!("/engagements/{id}/pay"), Some(&boss.cookie), &[])
        .await;
    assert!(
        r.location().starts_with("https://checkout.stripe.com/"),
        "{}",
        r.location()
    );
    assert_eq!(
        count(&fake, "/v1/checkout/sessions"),
        1,
        "an open session is reused"
    );
    // Admins do not record Stripe's money by hand.
    let admin = app.admin().await;
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/deposit"),
            Some(&admin.token),
            Some(json!({"reference": "NEFT-1"})),
        )
        .await;
    assert_eq!(r.code(), "paid_through_stripe");

    // Webhooks: a bad or stale signature is refused and changes nothing.
    let bad = Request::builder()
        .method(Method::POST)
        .uri("/webhooks/stripe")
        .header("stripe-signature", "t=1,v1=00")
        .body(Body::from(paid_session(id, 990_000).to_string()))
        .unwrap_or_default();
    let r = app.send(bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("bad_signature"));
    let r = deliver(
        &app,
        "evt_old",
        "checkout.session.completed",
        paid_session(id, 990_000),
        now() - 600,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a replay after ten minutes"
    );
    assert_eq!(
        app.state.store.book(id).await.unwrap_or_default().deposited,
        0
    );
    // The confirmed payment funds escrow, once, however often it arrives.
    for (event, at) in [
        ("evt_paid", now()),
        ("evt_paid", now()),
        ("evt_paid_again", now()),
    ] {
        let r = deliver(
            &app,
            event,
            "checkout.session.completed",
            paid_session(id, 990_000),
            at,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!((book.deposited, book.deposit_due()), (990_000, 0));
    let w = app
        .api(Method::GET, &ws, Some(&boss.token), None)
        .await
        .json();
    assert_eq!(w["awaiting_employer_payment"], false);

    // Approved before the student can be paid: released, waiting.
    let w = app.api(Method::GET, &ws, Some(&s.token), None).await.json();
    assert_eq!(w["payout_details_missing"], true);
    app.api(
        Method::POST,
        &format!("{ws}/submissions"),
        Some(&s.token),
        Some(json!({"note": NOTE})),
    )
    .await;
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/approve"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "approved", "{}", r.body);
    assert_eq!(count(&fake, "/v1/transfers"), 0);

    // The student onboards; Stripe says the account can be paid.
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/stripe/onboarding",
            Some(&s.token),
            Some(json!({"country": "IN"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.json()["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://connect.stripe.com/"))
    );
    let acct = last_form(&fake, "/v1/accounts");
    assert_eq!(
        (field(&acct, "type"), field(&acct, "country")),
        (Some("express"), Some("IN"))
    );
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/me/stripe/onboarding",
            Some(&boss.token),
            Some(json!({"country": "IN"}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    if let Ok(mut f) = fake.lock() {
        f.account_ready = true;
    }
    let ready = json!({"id": "acct_student1", "object": "account", "payouts_enabled": true, "details_submitted": true});
    for event in ["evt_acct_1", "evt_acct_2"] {
        let r = deliver(&app, event, "account.updated", ready.clone(), now()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // One transfer of the price, tied to the charge; the engagement is paid.
    assert_eq!(count(&fake, "/v1/transfers"), 1);
    let t = last_form(&fake, "/v1/transfers");
    assert_eq!(field(&t, "amount"), Some("900000"));
    assert_eq!(field(&t, "destination"), Some("acct_student1"));
    assert_eq!(
        field(&t, "source_transaction"),
        Some(format!("ch_{id:06}").as_str()),
        "tied to the employer's charge"
    );
    let e = app
        .state
        .store
        .engagement(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.status.as_str(), "paid");
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!((book.paid_out, book.owed_to_student()), (900_000, 0));
    let page = app.get("/me/payout?stripe=return", Some(&s.cookie)).await;
    assert!(page.body.contains("Ready."), "{}", page.body);
    let rows = app
        .state
        .store
        .ledger_audit_rows()
        .await
        .unwrap_or_default();
    for (e, entries) in &rows {
        assert!(
            stint_domain::ledger::audit(e, entries).is_empty(),
            "{:?}",
            stint_domain::ledger::audit(e, entries)
        );
    }
}

async fn stripe_refunds_and_retries(engine: Engine) {
    let Some((app, fake)) = app_with_stripe(engine).await else {
        return;
    };
    let (boss, s, id) = hired(&app).await;
    let ws = format!("/api/v1/engagements/{id}");
    let now = app.state.clock.now().timestamp();
    assert_eq!(
        deliver(
            &app,
            "evt_p",
            "checkout.session.completed",
            paid_session(id, 990_000),
            now
        )
        .await
        .status,
        StatusCode::OK
    );
    // The student is ready from the start.
    if let Ok(mut f) = fake.lock() {
        f.account_ready = true;
    }
    app.api(
        Method::POST,
        "/api/v1/me/stripe/onboarding",
        Some(&s.token),
        Some(json!({"country": "IN"})),
    )
    .await;
    app.get("/me/payout?stripe=return", Some(&s.cookie)).await;
    // The employer cancels after the start: 6,750 is refunded at Stripe,
    // the student's 2,250 share is transferred; Stripe fails once first.
    if let Ok(mut f) = fake.lock() {
        f.fail_transfers = true;
    }
    app.state.clock.advance(chrono::Duration::days(13));
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/cancel"),
            Some(&boss.token),
            Some(json!({"reason": "Our plans changed."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(&fake, "/v1/refunds"), 1);
    let refund = last_form(&fake, "/v1/refunds");
    assert_eq!(
        (field(&refund, "amount"), field(&refund, "payment_intent")),
        (Some("675000"), Some(format!("pi_{id:06}").as_str()))
    );
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!(
        (book.returned, book.paid_out),
        (675_000, 0),
        "refunded; the transfer failed"
    );
    // The job queue tries again once Stripe is back.
    if let Ok(mut f) = fake.lock() {
        f.fail_transfers = false;
    }
    app.state.clock.advance(chrono::Duration::minutes(3));
    stint_web::app::jobs::run_due(&app.state, 50)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!(book.paid_out, 225_000);
    // Running again moves nothing more.
    stint_web::app::stripe::settle(&app.state, id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&fake, "/v1/refunds"), 1);
    let transfers_ok = fake
        .lock()
        .map(|f| {
            f.seen
                .iter()
                .filter(|(m, p, _, _)| m == "POST" && p == "/v1/transfers")
                .count()
        })
        .unwrap_or(0);
    assert_eq!(
        transfers_ok, 2,
        "one failed attempt and one that went through, with one key"
    );
    let keys: Vec<String> = fake
        .lock()
        .map(|f| {
            f.seen
                .iter()
                .filter(|(_, p, _, _)| p == "/v1/transfers")
                .map(|(_, _, _, k)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        keys.iter().all(|k| k == &format!("transfer:{id}")),
        "{keys:?}"
    );
    let rows = app
        .state
        .store
        .ledger_audit_rows()
        .await
        .unwrap_or_default();
    for (e, entries) in &rows {
        assert!(stint_domain::ledger::audit(e, entries).is_empty());
    }
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(stint_store::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(stint_store::Engine::Postgres).await
            }
        }
    };
}

/// Cancelled before the employer paid: the open payment page is closed, so
/// it cannot be paid; nothing was charged, so nothing is refunded.
async fn stripe_cancel_before_payment(engine: Engine) {
    let Some((app, fake)) = app_with_stripe(engine).await else {
        return;
    };
    let (boss, s, id) = hired(&app).await;
    let ws = format!("/api/v1/engagements/{id}");
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/checkout"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/cancel"),
            Some(&s.token),
            Some(json!({"reason": "I fell ill this week."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let expired = fake
        .lock()
        .map(|f| {
            f.seen
                .iter()
                .filter(|(m, p, _, _)| m == "POST" && p.ends_with("/expire"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(expired, 1, "the unpaid session is closed");
    assert_eq!(count(&fake, "/v1/refunds"), 0);
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/checkout"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "nothing_to_pay"),
        "{}",
        r.body
    );
    let charge = app.state.store.stripe_charge(id).await.unwrap_or_default();
    assert_eq!(charge.map(|c| c.status), Some("expired".to_string()));
}

/// A dispute settled in part does both: the student's part is transferred,
/// the rest refunded to the employer's card.
async fn stripe_dispute_in_part(engine: Engine) {
    let Some((app, fake)) = app_with_stripe(engine).await else {
        return;
    };
    let (_boss, s, id) = hired(&app).await;
    let ws = format!("/api/v1/engagements/{id}");
    let now = app.state.clock.now().timestamp();
    assert_eq!(
        deliver(
            &app,
            "evt_p",
            "checkout.session.completed",
            paid_session(id, 990_000),
            now
        )
        .await
        .status,
        StatusCode::OK
    );
    if let Ok(mut f) = fake.lock() {
        f.account_ready = true;
    }
    app.api(
        Method::POST,
        "/api/v1/me/stripe/onboarding",
        Some(&s.token),
        Some(json!({"country": "IN"})),
    )
    .await;
    app.get("/me/payout?stripe=return", Some(&s.cookie)).await;
    app.api(
        Method::POST,
        &format!("{ws}/submissions"),
        Some(&s.token),
        Some(json!({"note": NOTE})),
    )
    .await;
    let r = app
        .api(
            Method::POST,
            &format!("{ws}/dispute"),
            Some(&s.token),
            Some(json!({"reason": "The brief changed twice."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let admin = app.admin().await;
    let r = app
        .api(Method::POST, &format!("{ws}/resolve"), Some(&admin.token),
            Some(json!({"outcome": "partial", "amount_minor": 600000, "note": "Two thirds of the work was usable."})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        field(&last_form(&fake, "/v1/transfers"), "amount"),
        Some("600000")
    );
    assert_eq!(
        field(&last_form(&fake, "/v1/refunds"), "amount"),
        Some("300000")
    );
    let e = app
        .state
        .store
        .engagement(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.status.as_str(), "paid");
    let book = app.state.store.book(id).await.unwrap_or_default();
    assert_eq!(
        (book.paid_out, book.returned, book.escrow()),
        (600_000, 300_000, 0)
    );
}

both!(stripe_dispute_in_part);
both!(stripe_pays_the_student_once);
both!(stripe_cancel_before_payment);
both!(stripe_refunds_and_retries);

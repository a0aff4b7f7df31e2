//! The Connect calls that the local fake Stripe (localstripe) does not
//! answer — accounts, account links, Checkout Sessions, transfers — checked
//! at the HTTP boundary: a local server records each request and answers
//! with the response shapes of Stripe's API reference. Each request must
//! have the documented method, path, form fields, bearer key and
//! idempotency key.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use stint_stripe::{CheckoutRequest, Client, StripeError};

#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    auth: String,
    idempotency_key: String,
    form: Vec<(String, String)>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn answer(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let h = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let path = uri.path().to_string();
    if let Ok(mut l) = log.lock() {
        l.push(Seen {
            method: method.clone(),
            path: path.clone(),
            auth: h("authorization"),
            idempotency_key: h("idempotency-key"),
            form,
        });
    }
    // Shapes from Stripe's API reference (fields Stint reads, and some it does not).
    let (status, json) = match (method.as_str(), path.as_str()) {
        ("POST", "/v1/accounts") => (
            200,
            r#"{"id":"acct_1Nv0FGQ9RKHgCVdK","object":"account","type":"express","country":"IN","details_submitted":false,"charges_enabled":false,"payouts_enabled":false,"capabilities":{"transfers":"inactive"}}"#,
        ),
        ("GET", "/v1/accounts/acct_1Nv0FGQ9RKHgCVdK") => (
            200,
            r#"{"id":"acct_1Nv0FGQ9RKHgCVdK","object":"account","details_submitted":true,"charges_enabled":true,"payouts_enabled":true}"#,
        ),
        ("POST", "/v1/account_links") => (
            200,
            r#"{"object":"account_link","created":1680577733,"expires_at":1680578033,"url":"https://connect.stripe.com/setup/e/acct_1Nv0FGQ9RKHgCVdK/AbCdEf"}"#,
        ),
        ("POST", "/v1/checkout/sessions") => (
            200,
            r#"{"id":"cs_test_a1b2c3","object":"checkout.session","mode":"payment","status":"open","payment_status":"unpaid","payment_intent":null,"url":"https://checkout.stripe.com/c/pay/cs_test_a1b2c3"}"#,
        ),
        ("POST", "/v1/transfers") => (
            200,
            r#"{"id":"tr_1MiN3gLkdIwHu7ixNCZvFdgA","object":"transfer","amount":900000,"currency":"inr","destination":"acct_1Nv0FGQ9RKHgCVdK","transfer_group":"engagement_7","reversed":false}"#,
        ),
        ("POST", "/v1/refunds") => (
            402,
            r#"{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge ch_1 has already been refunded."}}"#,
        ),
        _ => (500, "oops"),
    };
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [("content-type", "application/json")],
        json,
    )
}

async fn server() -> (String, Log) {
    let log: Log = Arc::default();
    let app = Router::new().fallback(answer).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), log)
}

fn get<'a>(form: &'a [(String, String)], k: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn connect_requests_have_stripes_documented_shapes() {
    let (base, log) = server().await;
    let c = Client::new(&base, "sk_test_boundary").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !format!("{c:?}").contains("sk_test"),
        "the key stays out of Debug"
    );

    let a = c
        .create_express_account("divya@dit.example.ac.in", "IN", 42)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (a.id.as_str(), a.payouts_enabled),
        ("acct_1Nv0FGQ9RKHgCVdK", false)
    );
    let a = c.account(&a.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(a.payouts_enabled && a.details_submitted);
    let link = c
        .onboarding_link(
            &a.id,
            "https://stint.example/me/payout?refresh=1",
            "https://stint.example/me/payout?onboarded=1",
            "1700000000",
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(link.url.starts_with("https://connect.stripe.com/"));
    let s = c
        .create_checkout_session(&CheckoutRequest {
            amount: 990_000,
            currency: "inr",
            description: "Survey analysis: price ₹9,000 and Stint fee ₹900",
            engagement_id: 7,
            success_url: "https://stint.example/engagements/7?notice=payment_sent",
            cancel_url: "https://stint.example/engagements/7",
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.url.as_deref(),
        Some("https://checkout.stripe.com/c/pay/cs_test_a1b2c3")
    );
    let t = c
        .transfer(7, 900_000, "inr", "acct_1Nv0FGQ9RKHgCVdK", Some("ch_1"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (t.amount, t.destination.as_str()),
        (900_000, "acct_1Nv0FGQ9RKHgCVdK")
    );

    let seen = log.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 5);
    for s in &seen {
        assert_eq!(s.auth, "Bearer sk_test_boundary");
        if s.method == Method::POST {
            assert!(
                !s.idempotency_key.is_empty(),
                "{} has an idempotency key",
                s.path
            );
        }
    }
    let acct = &seen[0];
    assert_eq!(
        (acct.method.as_str(), acct.path.as_str()),
        ("POST", "/v1/accounts")
    );
    assert_eq!(get(&acct.form, "type"), Some("express"));
    assert_eq!(get(&acct.form, "country"), Some("IN"));
    assert_eq!(
        get(&acct.form, "capabilities[transfers][requested]"),
        Some("true")
    );
    assert_eq!(acct.idempotency_key, "account:42");
    let link = &seen[2];
    assert_eq!(link.path, "/v1/account_links");
    assert_eq!(get(&link.form, "type"), Some("account_onboarding"));
    assert_eq!(get(&link.form, "account"), Some("acct_1Nv0FGQ9RKHgCVdK"));
    let cs = &seen[3];
    assert_eq!(cs.path, "/v1/checkout/sessions");
    assert_eq!(get(&cs.form, "mode"), Some("payment"));
    assert_eq!(
        get(&cs.form, "line_items[0][price_data][unit_amount]"),
        Some("990000")
    );
    assert_eq!(
        get(&cs.form, "line_items[0][price_data][currency]"),
        Some("inr")
    );
    assert_eq!(get(&cs.form, "line_items[0][quantity]"), Some("1"));
    assert_eq!(
        get(&cs.form, "payment_intent_data[transfer_group]"),
        Some("engagement_7")
    );
    assert_eq!(get(&cs.form, "metadata[engagement_id]"), Some("7"));
    assert_eq!(cs.idempotency_key, "checkout:7:990000");
    let tr = &seen[4];
    assert_eq!(tr.path, "/v1/transfers");
    assert_eq!(get(&tr.form, "destination"), Some("acct_1Nv0FGQ9RKHgCVdK"));
    assert_eq!(get(&tr.form, "amount"), Some("900000"));
    assert_eq!(get(&tr.form, "transfer_group"), Some("engagement_7"));
    assert_eq!(get(&tr.form, "source_transaction"), Some("ch_1"));
    assert_eq!(tr.idempotency_key, "transfer:7");
}

#[tokio::test]
async fn refusals_and_failures_are_told_apart() {
    let (base, _log) = server().await;
    let c = Client::new(&base, "sk_test_boundary").unwrap_or_else(|e| panic!("{e}"));
    match c.refund(7, "pi_1", 100).await {
        Err(e @ StripeError::Api { status: 402, .. }) => {
            assert!(!e.is_transient());
            assert!(
                matches!(e, StripeError::Api { code: Some(ref c), .. } if c == "charge_already_refunded")
            );
        }
        other => panic!("{other:?}"),
    }
    let e = c
        .payment_intent("pi_unknown")
        .await
        .err()
        .unwrap_or_else(|| panic!("refused"));
    assert!(e.is_transient(), "a 5xx is worth retrying: {e}");
    let gone =
        Client::new("http://127.0.0.1:9", "sk_test_boundary").unwrap_or_else(|e| panic!("{e}"));
    let e = gone
        .account("acct_1")
        .await
        .err()
        .unwrap_or_else(|| panic!("unreachable"));
    assert!(matches!(e, StripeError::Unreachable(_)) && e.is_transient());
    assert!(!e.to_string().contains("sk_test"));
}

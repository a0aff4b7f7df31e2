//! Stripe Connect for Stint, with separate charges and transfers: the
//! employer pays the price and Stint's fee to the platform (a Checkout
//! Session, or a PaymentIntent); approval transfers the price to the
//! student's connected Express account; cancellation refunds. Every POST
//! carries an `Idempotency-Key`, so a retried call never charges, transfers
//! or refunds twice on Stripe's side. The API base address is a setting, so
//! tests point it at a local server. The secret key never appears in
//! `Debug` output or errors.

pub mod webhook;

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// What went wrong talking to Stripe.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe could not be reached, or answered something that is not HTTP.
    #[error("cannot reach Stripe: {0}")]
    Unreachable(String),
    /// Stripe refused the request; `code` is Stripe's (e.g. `card_declined`).
    #[error("Stripe refused ({status}, {kind}): {message}")]
    Api {
        status: u16,
        kind: String,
        code: Option<String>,
        message: String,
    },
    /// Stripe answered with a shape this client does not know.
    #[error("unexpected answer from Stripe: {0}")]
    Decode(String),
}

impl StripeError {
    /// A failure worth retrying later (network, Stripe's 5xx, rate limits),
    /// as opposed to a refusal that will not change.
    pub fn is_transient(&self) -> bool {
        match self {
            StripeError::Unreachable(_) => true,
            StripeError::Api { status, .. } => *status == 429 || *status >= 500,
            StripeError::Decode(_) => false,
        }
    }
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ApiErrorBody,
}

#[derive(Debug, Deserialize)]
struct ApiErrorBody {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: String,
}

/// A connected account (a student's Express account).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub details_submitted: bool,
    #[serde(default)]
    pub charges_enabled: bool,
    /// Whether Stripe will pay the account out to its bank.
    #[serde(default)]
    pub payouts_enabled: bool,
}

/// A one-time link into Stripe's hosted onboarding for an account.
#[derive(Debug, Clone, Deserialize)]
pub struct AccountLink {
    pub url: String,
    pub expires_at: i64,
}

/// A hosted payment page for the employer's charge.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    /// Where to send the employer (absent once the session is complete).
    #[serde(default)]
    pub url: Option<String>,
    /// `open`, `complete` or `expired`.
    #[serde(default)]
    pub status: Option<String>,
    /// `paid` once the money is confirmed.
    #[serde(default)]
    pub payment_status: Option<String>,
    #[serde(default)]
    pub payment_intent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    /// `succeeded` once the money is confirmed.
    pub status: String,
    /// The charge's id, or the charge itself when expanded.
    #[serde(default)]
    latest_charge: Option<serde_json::Value>,
}

impl PaymentIntent {
    /// The id of the charge that paid it, for `source_transaction`.
    pub fn latest_charge_id(&self) -> Option<&str> {
        match self.latest_charge.as_ref()? {
            serde_json::Value::String(s) => Some(s),
            other => other.get("id")?.as_str(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub destination: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    /// `succeeded`, `pending`, `failed`…
    pub status: String,
}

/// The employer's charge for one engagement, as a Checkout Session.
#[derive(Debug, Clone)]
pub struct CheckoutRequest<'a> {
    /// Price plus fee, in minor units of `currency`.
    pub amount: i64,
    /// ISO 4217, lower case as Stripe writes it (`inr`).
    pub currency: &'a str,
    /// What the employer sees on Stripe's page and their statement.
    pub description: &'a str,
    pub engagement_id: i64,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
}

/// The transfer group that ties an engagement's charge to its transfers.
pub fn transfer_group(engagement_id: i64) -> String {
    format!("engagement_{engagement_id}")
}

/// Talks to Stripe's API (or a server that speaks it).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    secret_key: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stripe::Client({})", self.base)
    }
}

type Form = Vec<(String, String)>;

fn field(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

impl Client {
    /// `base` is `https://api.stripe.com` in production.
    pub fn new(base: &str, secret_key: &str) -> Result<Client, StripeError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| StripeError::Unreachable(e.to_string()))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            secret_key: secret_key.to_string(),
        })
    }

    async fn answer<T: DeserializeOwned>(res: reqwest::Response) -> Result<T, StripeError> {
        let status = res.status();
        let bytes = res
            .bytes()
            .await
            .map_err(|e| StripeError::Unreachable(e.to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| StripeError::Decode(e.to_string()));
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        Err(match body {
            Some(b) => StripeError::Api {
                status: status.as_u16(),
                kind: b.error.kind,
                code: b.error.code,
                message: b.error.message,
            },
            None => StripeError::Api {
                status: status.as_u16(),
                kind: "unknown".into(),
                code: None,
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            },
        })
    }

    /// A form-encoded POST with its idempotency key.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(String, String)],
        idempotency_key: &str,
    ) -> Result<T, StripeError> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.secret_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await
            .map_err(|e| StripeError::Unreachable(e.without_url().to_string()))?;
        Self::answer(res).await
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, StripeError> {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.secret_key)
            .send()
            .await
            .map_err(|e| StripeError::Unreachable(e.without_url().to_string()))?;
        Self::answer(res).await
    }

    /// A student's Express account, able to receive transfers.
    pub async fn create_express_account(
        &self,
        email: &str,
        country: &str,
        student_id: i64,
    ) -> Result<Account, StripeError> {
        let form: Form = vec![
            field("type", "express"),
            field("country", country),
            field("email", email),
            field("capabilities[transfers][requested]", "true"),
            field("metadata[stint_user_id]", student_id),
        ];
        self.post("/v1/accounts", &form, &format!("account:{student_id}"))
            .await
    }

    pub async fn account(&self, id: &str) -> Result<Account, StripeError> {
        self.get(&format!("/v1/accounts/{id}")).await
    }

    /// A fresh onboarding link (each link works once and expires; the key
    /// includes the moment so a new one is made each time it is asked for).
    pub async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
        nonce: &str,
    ) -> Result<AccountLink, StripeError> {
        let form: Form = vec![
            field("account", account),
            field("refresh_url", refresh_url),
            field("return_url", return_url),
            field("type", "account_onboarding"),
        ];
        self.post(
            "/v1/account_links",
            &form,
            &format!("link:{account}:{nonce}"),
        )
        .await
    }

    /// The employer's payment page for an engagement's price and fee.
    pub async fn create_checkout_session(
        &self,
        r: &CheckoutRequest<'_>,
    ) -> Result<CheckoutSession, StripeError> {
        let id = r.engagement_id;
        let form: Form = vec![
            field("mode", "payment"),
            field("line_items[0][quantity]", 1),
            field("line_items[0][price_data][currency]", r.currency),
            field("line_items[0][price_data][unit_amount]", r.amount),
            field(
                "line_items[0][price_data][product_data][name]",
                r.description,
            ),
            field("success_url", r.success_url),
            field("cancel_url", r.cancel_url),
            field("client_reference_id", id),
            field("metadata[engagement_id]", id),
            field("payment_intent_data[transfer_group]", transfer_group(id)),
            field("payment_intent_data[metadata][engagement_id]", id),
        ];
        // The amount is in the key: after a cancellation what is due
        // changes, and the new amount needs its own session.
        self.post(
            "/v1/checkout/sessions",
            &form,
            &format!("checkout:{id}:{}", r.amount),
        )
        .await
    }

    /// Closes an unpaid Checkout Session so it can no longer be paid (the
    /// engagement was cancelled, or what is due changed).
    pub async fn expire_checkout_session(&self, id: &str) -> Result<CheckoutSession, StripeError> {
        self.post(
            &format!("/v1/checkout/sessions/{id}/expire"),
            &[],
            &format!("expire:{id}"),
        )
        .await
    }

    pub async fn checkout_session(&self, id: &str) -> Result<CheckoutSession, StripeError> {
        self.get(&format!("/v1/checkout/sessions/{id}")).await
    }

    pub async fn payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        self.get(&format!("/v1/payment_intents/{id}")).await
    }

    /// Moves `amount` from the platform to a connected account, tied to the
    /// engagement's charge (`source_transaction`, when known, lets Stripe
    /// use the charge's funds before they settle).
    pub async fn transfer(
        &self,
        engagement_id: i64,
        amount: i64,
        currency: &str,
        destination: &str,
        source_transaction: Option<&str>,
    ) -> Result<Transfer, StripeError> {
        let mut form: Form = vec![
            field("amount", amount),
            field("currency", currency),
            field("destination", destination),
            field("transfer_group", transfer_group(engagement_id)),
            field("metadata[engagement_id]", engagement_id),
        ];
        if let Some(s) = source_transaction {
            form.push(field("source_transaction", s));
        }
        self.post("/v1/transfers", &form, &format!("transfer:{engagement_id}"))
            .await
    }

    /// Refunds `amount` of the engagement's charge to the employer.
    pub async fn refund(
        &self,
        engagement_id: i64,
        payment_intent: &str,
        amount: i64,
    ) -> Result<Refund, StripeError> {
        let form: Form = vec![
            field("payment_intent", payment_intent),
            field("amount", amount),
            field("metadata[engagement_id]", engagement_id),
        ];
        self.post("/v1/refunds", &form, &format!("refund:{engagement_id}"))
            .await
    }
}

//! The relying party against the loopback provider over real HTTP: a good
//! sign-in and each fault the checks must catch.

use std::time::Duration;

use stint_sso::testing::{Fault, Person, TestIssuer};
use stint_sso::{Client, Pkce, SsoError};

const REDIRECT: &str = "http://127.0.0.1:9/sso/callback";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Runs the flow once with `fault`; the authorization endpoint is called
/// over HTTP and its redirect read for the code.
async fn sign_in(fault: Fault) -> Result<stint_sso::Identity, SsoError> {
    let issuer = TestIssuer::start("stint", "s3cret")
        .await
        .map_err(|e| SsoError::BadIssuer(e.to_string()))?;
    issuer.next(
        Person {
            subject: "u-1".into(),
            email: "ada@example.edu".into(),
            name: "Ada".into(),
        },
        fault,
    );
    let client = Client::new(true, Duration::from_secs(5)).map_err(SsoError::BadIssuer)?;
    let provider = client.discover(&issuer.issuer()).await?;
    let pkce = Pkce::new().map_err(SsoError::BadIssuer)?;
    let url = provider.authorize_url("stint", REDIRECT, "st4te", "n0nce", &pkce.challenge, None);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SsoError::BadIssuer(e.to_string()))?;
    let res = http
        .get(&url)
        .send()
        .await
        .map_err(|e| SsoError::BadIssuer(e.to_string()))?;
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let back = url::Url::parse(&back).map_err(|e| SsoError::BadIssuer(e.to_string()))?;
    let q: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    assert_eq!(q.get("state").map(String::as_str), Some("st4te"));
    let code = q.get("code").cloned().unwrap_or_default();
    let tokens = client
        .exchange(
            &provider,
            "stint",
            "s3cret",
            &code,
            REDIRECT,
            &pkce.verifier,
        )
        .await?;
    // A code is used once.
    let again = client
        .exchange(
            &provider,
            "stint",
            "s3cret",
            &code,
            REDIRECT,
            &pkce.verifier,
        )
        .await;
    assert!(matches!(again, Err(SsoError::TokenRefused(_))), "{again:?}");
    let identity = provider.verify_id_token(&tokens.id_token, "stint", "n0nce", now())?;
    client.complete(&provider, &tokens, identity).await
}

#[tokio::test]
async fn a_good_sign_in_names_the_person() {
    let id = sign_in(Fault::None).await;
    assert_eq!(
        id.map(|i| (i.subject, i.email, i.email_verified, i.name)),
        Ok((
            "u-1".into(),
            Some("ada@example.edu".into()),
            Some(true),
            Some("Ada".into())
        ))
    );
}

#[tokio::test]
async fn claims_left_out_of_the_id_token_are_read_from_userinfo() {
    let id = sign_in(Fault::ClaimsInUserinfo).await;
    assert_eq!(
        id.map(|i| (i.subject, i.email, i.email_verified, i.name)),
        Ok((
            "u-1".into(),
            Some("ada@example.edu".into()),
            Some(true),
            Some("Ada".into())
        ))
    );
}

#[tokio::test]
async fn each_fault_is_refused_with_its_code() {
    for (fault, code) in [
        (Fault::WrongAudience, "sso_audience"),
        (Fault::Expired, "sso_expired"),
        (Fault::BadSignature, "sso_signature"),
        (Fault::NoNonce, "sso_nonce"),
        (Fault::OtherIssuer, "sso_issuer"),
        (Fault::UserinfoOtherSubject, "sso_userinfo"),
    ] {
        let got = sign_in(fault).await.map_err(|e| e.code());
        assert_eq!(got.map(|i| i.subject), Err(code), "{fault:?}");
    }
}

#[tokio::test]
async fn a_wrong_secret_or_verifier_is_refused_at_the_token_endpoint() -> Result<(), SsoError> {
    let issuer = TestIssuer::start("stint", "s3cret")
        .await
        .map_err(|e| SsoError::BadIssuer(e.to_string()))?;
    let client = Client::new(true, Duration::from_secs(5)).map_err(SsoError::BadIssuer)?;
    let provider = client.discover(&issuer.issuer()).await?;
    let e = client
        .exchange(&provider, "stint", "wrong", "code", REDIRECT, "v")
        .await;
    assert_eq!(
        e.map(|t| t.id_token).map_err(|e| e.code()),
        Err("sso_token_refused")
    );
    Ok(())
}

#[tokio::test]
async fn discovery_failures_say_what_failed() -> Result<(), String> {
    let client = Client::new(true, Duration::from_secs(2))?;
    // Nothing listens on port 9 of loopback.
    let e = client
        .discover("http://127.0.0.1:9")
        .await
        .map_err(|e| e.code());
    assert_eq!(e.map(|p| p.issuer), Err("sso_discovery_unreachable"));
    // A provider whose document names another issuer.
    let issuer = TestIssuer::start("stint", "s")
        .await
        .map_err(|e| e.to_string())?;
    let e = client
        .discover(&format!(
            "{}/",
            issuer.issuer().replace("127.0.0.1", "localhost")
        ))
        .await;
    assert_eq!(
        e.map(|p| p.issuer).map_err(|e| e.code()),
        Err("sso_issuer_mismatch")
    );
    // Loopback is refused unless private addresses are allowed.
    let strict = Client::new(false, Duration::from_secs(2))?;
    let e = strict
        .discover(&issuer.issuer())
        .await
        .map_err(|e| e.code());
    assert_eq!(e.map(|p| p.issuer), Err("sso_issuer_invalid"));
    Ok(())
}

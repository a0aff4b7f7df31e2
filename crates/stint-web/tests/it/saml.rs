//! Single sign-on through an organization's SAML 2.0 identity provider:
//! the test IdP of `stint_saml::testing` answers Stint's AuthnRequest; the
//! answer goes through the assertion consumer service and, re-posted from
//! Stint's origin, to `/sso/saml/finish`. Each check's failure is refused
//! with what went wrong, and an assertion is accepted once.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use stint_domain::university::{AffiliationProof, AffiliationStatus};
use stint_saml::testing::{CERTIFICATE, Fault, Person, TestIdp};

use crate::app_test;
use crate::common::{Res, TestApp};
use crate::universities::university;

const IDP: &str = "https://idp.uni.example/saml";
const SSO_URL: &str = "https://idp.uni.example/sso";

fn person(email: &str) -> Person {
    Person {
        name_id: format!("id-{email}"),
        email: email.into(),
        name: "Ada Lovelace".into(),
    }
}

/// From the sign-in page to the IdP: the request's ID, the RelayState
/// (also the state cookie) and the ACS it names.
async fn to_idp(app: &TestApp, email: &str) -> (String, String, String) {
    let r = app
        .form("/login", None, &[("email", email), ("password", "")])
        .await;
    assert!(
        r.body.contains("Continue with Uni of Example"),
        "{}",
        r.body
    );
    let start = r
        .body
        .split("href=\"/sso/start?")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|q| {
            format!(
                "/sso/start?{}",
                q.replace("&amp;", "&").replace("&#38;", "&")
            )
        })
        .unwrap_or_else(|| panic!("no start link: {}", r.body));
    let r = app.get(&start, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with(SSO_URL), "{}", r.location());
    let (id, relay, acs) = TestIdp::read_request(r.location()).unwrap_or_else(|e| panic!("{e}"));
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("stint_sso="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(cookie, relay, "the state cookie is the RelayState");
    (id, relay, acs)
}

/// The IdP's answer posted cross-site to the ACS, then re-posted from
/// Stint's page to `/sso/saml/finish` with the state cookie.
async fn back(app: &TestApp, response: &str, relay: &str, cookie: Option<&str>) -> Res {
    let body = serde_urlencoded::to_string([("SAMLResponse", response), ("RelayState", relay)])
        .unwrap_or_default();
    let acs = Request::builder()
        .method(Method::POST)
        .uri("/sso/saml/acs")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://idp.uni.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body.clone()))
        .unwrap_or_default();
    let page = app.send(acs).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("action=\"/sso/saml/finish\""),
        "{}",
        page.body
    );
    let mut finish = Request::builder()
        .method(Method::POST)
        .uri("/sso/saml/finish")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        finish = finish.header(header::COOKIE, format!("stint_sso={c}"));
    }
    app.send(finish.body(Body::from(body)).unwrap_or_default())
        .await
}

struct Setup {
    uni: i64,
    idp: TestIdp,
    audience: String,
}

async fn setup(app: &TestApp) -> Setup {
    let (owner, uni) = university(
        app,
        "career@uni.example",
        "Uni of Example",
        "uni.example",
        true,
    )
    .await;
    // A certificate that is not one is a field error; nothing is saved.
    let r = app
        .form(
            "/organization/sign-in",
            Some(&owner.cookie),
            &[
                ("protocol", "saml"),
                ("idp_entity_id", IDP),
                ("idp_sso_url", SSO_URL),
                (
                    "idp_certificate",
                    "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("idp_certificate-error"), "{}", r.body);
    let r = app
        .form(
            "/organization/sign-in",
            Some(&owner.cookie),
            &[
                ("protocol", "saml"),
                ("idp_entity_id", IDP),
                ("idp_sso_url", SSO_URL),
                ("idp_certificate", CERTIFICATE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/organization/sign-in", Some(&owner.cookie)).await;
    assert!(
        page.body.contains("In use now: <strong>SAML 2.0"),
        "{}",
        page.body
    );
    let audience = format!("{}/sso/saml/metadata/{uni}", app.state.config.base_url);
    let md = app.get(&format!("/sso/saml/metadata/{uni}"), None).await;
    assert_eq!(md.status, StatusCode::OK, "{}", md.body);
    assert!(
        md.body.contains(&format!("entityID=\"{audience}\"")),
        "{}",
        md.body
    );
    assert!(md.body.contains("/sso/saml/acs"), "{}", md.body);
    Setup {
        uni,
        idp: TestIdp::new(IDP, SSO_URL),
        audience,
    }
}

app_test!(
    a_student_signs_in_through_the_universitys_saml_idp,
    |app| async move {
        let s = setup(&app).await;
        let (id, relay, acs) = to_idp(&app, "ada@uni.example").await;
        let response = s
            .idp
            .response(
                &id,
                &acs,
                &s.audience,
                &person("ada@uni.example"),
                "_a1",
                app.state.clock.now(),
                Fault::None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let r = back(&app, &response, &relay, Some(&relay)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.session().is_some());
        let user = app
            .state
            .store
            .user_by_email("ada@uni.example")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no account"));
        assert_eq!(user.name, "Ada Lovelace");
        let a = app
            .state
            .store
            .affiliation(user.id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no affiliation"));
        assert_eq!(
            (a.university_id, a.status, a.proof),
            (
                s.uni,
                AffiliationStatus::Confirmed,
                Some(AffiliationProof::Sso)
            )
        );

        // The same answer again: the sign-in it answered is used up.
        let again = back(&app, &response, &relay, Some(&relay)).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.session().is_none());
        // The same assertion for a new sign-in: refused as a replay.
        let (id, relay, acs) = to_idp(&app, "ada@uni.example").await;
        let replay = s
            .idp
            .response(
                &id,
                &acs,
                &s.audience,
                &person("ada@uni.example"),
                "_a1",
                app.state.clock.now(),
                Fault::None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let r = back(&app, &replay, &relay, Some(&relay)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("used to sign in already"), "{}", r.body);
    }
);

app_test!(
    saml_answers_that_fail_a_check_sign_no_one_in,
    |app| async move {
        let s = setup(&app).await;
        for (n, (fault, says)) in [
            (Fault::WrongAudience, "not meant for Stint"),
            (Fault::Expired, "expired"),
            (Fault::BadSignature, "signature does not hold"),
            (Fault::Tampered, "changed after it was signed"),
            (Fault::Unsigned, "not signed"),
            (Fault::OtherRequest, "another sign-in"),
        ]
        .into_iter()
        .enumerate()
        {
            let (id, relay, acs) = to_idp(&app, "ada@uni.example").await;
            let response = s
                .idp
                .response(
                    &id,
                    &acs,
                    &s.audience,
                    &person("ada@uni.example"),
                    &format!("_f{n}"),
                    app.state.clock.now(),
                    fault,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let r = back(&app, &response, &relay, Some(&relay)).await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{fault:?}: {}", r.body);
            assert!(r.body.contains(says), "{fault:?}: {}", r.body);
            assert!(r.session().is_none(), "{fault:?}");
        }
        // Without this browser's state cookie (another browser, or a forged
        // post of someone else's answer): refused.
        let (id, relay, acs) = to_idp(&app, "ada@uni.example").await;
        let response = s
            .idp
            .response(
                &id,
                &acs,
                &s.audience,
                &person("ada@uni.example"),
                "_c1",
                app.state.clock.now(),
                Fault::None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let r = back(&app, &response, &relay, None).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // An IdP speaks for its organization's domains only.
        let (id, relay, acs) = to_idp(&app, "ada@uni.example").await;
        let response = s
            .idp
            .response(
                &id,
                &acs,
                &s.audience,
                &person("eve@elsewhere.example"),
                "_d1",
                app.state.clock.now(),
                Fault::None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let r = back(&app, &response, &relay, Some(&relay)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            app.state
                .store
                .user_by_email("ada@uni.example")
                .await
                .ok()
                .flatten()
                .is_none(),
            "no account was made"
        );
        // The finishing step itself is not reachable from another site.
        let cross = Request::builder()
            .method(Method::POST)
            .uri("/sso/saml/finish")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("SAMLResponse=x&RelayState=y"))
            .unwrap_or_default();
        assert_eq!(app.send(cross).await.status, StatusCode::FORBIDDEN);
        // Refusals are in the organization's audit log.
        let audit = app
            .state
            .store
            .audit_for("organization", s.uni)
            .await
            .unwrap_or_default();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "sso.refused" && e.detail.contains("saml_audience")),
            "{audit:?}"
        );
    }
);

app_test!(
    saml_is_configured_from_metadata_through_the_api,
    |app| async move {
        let (owner, _) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let cert: String = CERTIFICATE
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let metadata = format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="http://127.0.0.1:9/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
        );
        let put = |body: serde_json::Value| {
            let (app, token) = (&app, owner.token.clone());
            async move {
                app.api(
                    Method::PUT,
                    "/api/v1/organization/sso",
                    Some(&token),
                    Some(body),
                )
                .await
            }
        };
        let r = put(serde_json::json!({"protocol": "saml", "idp_metadata": "<not metadata"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.fields().contains(&"idp_metadata".to_string()),
            "{}",
            r.body
        );
        let r = put(serde_json::json!({"protocol": "ldap"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = put(serde_json::json!({"protocol": "saml", "idp_metadata": metadata})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["connection"]["protocol"], "saml");
        assert_eq!(v["connection"]["issuer"], IDP);
        assert_eq!(v["connection"]["idp_sso_url"], "http://127.0.0.1:9/sso");
        assert!(
            v["connection"]["idp_certificate_sha256"]
                .as_str()
                .is_some_and(|f| f.len() == 95)
        );
        assert!(
            v["saml_acs_url"]
                .as_str()
                .is_some_and(|u| u.ends_with("/sso/saml/acs"))
        );
        // The test says exactly what failed: nothing answers at that address.
        let r = app
            .api(
                Method::POST,
                "/api/v1/organization/sso/test",
                Some(&owner.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["passed"], false);
        assert_eq!(r.json()["code"], "sso_unreachable");
        let r = app
            .api(
                Method::PUT,
                "/api/v1/organization/sso/required",
                Some(&owner.token),
                Some(serde_json::json!({"required": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    }
);

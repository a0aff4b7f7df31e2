//! Single sign-on through an organization's OpenID provider: the loopback
//! provider of `stint_sso::testing` over real HTTP (discovery, keys, the
//! authorization and token endpoints), Stint through its router.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use stint_domain::university::{AffiliationProof, AffiliationStatus};
use stint_sso::testing::{Fault, Person, TestIssuer};

use crate::app_test;
use crate::common::{Actor, PASSWORD, Res, TestApp};
use crate::universities::university;

const CLIENT: &str = "stint-client";
const SECRET: &str = "s3cret-of-the-client";

/// A verified university on `uni.example` with its provider configured by
/// its career staff (the owner).
async fn setup(app: &TestApp) -> (Actor, i64, TestIssuer) {
    let (staff, uni) = university(
        app,
        "career@uni.example",
        "Uni of Example",
        "uni.example",
        true,
    )
    .await;
    let issuer = TestIssuer::start(CLIENT, SECRET)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .form(
            "/organization/sign-in",
            Some(&staff.cookie),
            &[
                ("issuer", &issuer.issuer()),
                ("client_id", CLIENT),
                ("client_secret", SECRET),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (staff, uni, issuer)
}

fn person(email: &str) -> Person {
    Person {
        subject: format!("sub-{email}"),
        email: email.into(),
        name: "Ada Lovelace".into(),
    }
}

/// The callback as the provider sends the browser back, and the state cookie.
struct Back {
    path: String,
    cookie: String,
}

/// Email first on the sign-in page, then "Continue with …", then the
/// provider (over HTTP); returns where the provider sends the browser.
async fn to_provider_and_back(app: &TestApp, email: &str) -> Back {
    to_provider_of(app, email, "Uni of Example").await
}

async fn to_provider_of(app: &TestApp, email: &str, org: &str) -> Back {
    let r = app
        .form("/login", None, &[("email", email), ("password", "")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!("Continue with {org}")),
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
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("stint_sso="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no state cookie"))
        .to_string();
    assert!(r.location().contains("login_hint="), "{}", r.location());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let res = http
        .get(r.location())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let base = &app.state.config.base_url;
    let path = back
        .strip_prefix(base.as_str())
        .unwrap_or_else(|| panic!("back to {back}, not {base}"))
        .to_string();
    assert!(path.starts_with("/sso/callback?"), "{path}");
    Back { path, cookie }
}

async fn callback(app: &TestApp, back: &Back, cookie: Option<&str>) -> Res {
    let mut b = Request::builder().method(Method::GET).uri(&back.path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("stint_sso={c}"));
    }
    app.send(b.body(Body::empty()).unwrap_or_default()).await
}

app_test!(
    a_student_signs_in_through_the_university_and_is_affiliated_with_proof,
    |app| async move {
        let (_staff, uni, issuer) = setup(&app).await;
        issuer.next(person("ada@uni.example"), Fault::None);
        let back = to_provider_and_back(&app, "ada@uni.example").await;
        let r = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/");
        let session = r.session().unwrap_or_else(|| panic!("no session"));
        let me = app.get("/account", Some(&session)).await;
        assert_eq!(me.status, StatusCode::OK);
        assert!(me.body.contains("ada@uni.example"));
        let user = app
            .state
            .store
            .user_by_email("ada@uni.example")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no account"));
        assert_eq!(user.role, stint_domain::account::Role::Student);
        assert!(user.email_verified);
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
                uni,
                AffiliationStatus::Confirmed,
                Some(AffiliationProof::Sso)
            )
        );
        // The account has no password that works.
        let r = app
            .form(
                "/login",
                None,
                &[("email", "ada@uni.example"), ("password", "!sso")],
            )
            .await;
        assert!(r.session().is_none());

        // A replayed callback (same code and state, same browser) is refused.
        let again = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.session().is_none());
        assert!(again.body.contains("Start again"), "{}", again.body);

        // A second sign-in finds the same account by its subject; this
        // time the provider puts the address only in its userinfo answer.
        issuer.next(person("ada@uni.example"), Fault::ClaimsInUserinfo);
        let back = to_provider_and_back(&app, "ada@uni.example").await;
        let r = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (count, _) = app
            .state
            .store
            .sso_sign_in_counts(uni)
            .await
            .unwrap_or_default();
        assert_eq!(count, 1);
    }
);

app_test!(tokens_that_fail_a_check_sign_no_one_in, |app| async move {
    let (_staff, uni, issuer) = setup(&app).await;
    for (fault, code) in [
        (Fault::WrongAudience, "sso_audience"),
        (Fault::Expired, "sso_expired"),
        (Fault::BadSignature, "sso_signature"),
        (Fault::NoNonce, "sso_nonce"),
        (Fault::OtherIssuer, "sso_issuer"),
        (Fault::UserinfoOtherSubject, "sso_userinfo"),
    ] {
        issuer.next(person("bob@uni.example"), fault);
        let back = to_provider_and_back(&app, "bob@uni.example").await;
        let r = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{fault:?}: {}", r.body);
        assert!(r.session().is_none(), "{fault:?}");
        let audit = app
            .state
            .store
            .audit_for("organization", uni)
            .await
            .unwrap_or_default();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "sso.refused" && e.detail.starts_with(code)),
            "{fault:?}: {audit:?}"
        );
    }
    assert!(
        app.state
            .store
            .user_by_email("bob@uni.example")
            .await
            .ok()
            .flatten()
            .is_none()
    );

    // An address outside the university's domains is not believed.
    issuer.next(person("mallory@elsewhere.example"), Fault::None);
    let back = to_provider_and_back(&app, "carol@uni.example").await;
    let r = callback(&app, &back, Some(&back.cookie)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("not an address of its domains"),
        "{}",
        r.body
    );

    // A callback without this browser's state cookie, or with another's.
    issuer.next(person("dan@uni.example"), Fault::None);
    let back = to_provider_and_back(&app, "dan@uni.example").await;
    let r = callback(&app, &back, None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let back = to_provider_and_back(&app, "dan@uni.example").await;
    let r = callback(&app, &back, Some("someone-elses-state")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        app.state
            .store
            .user_by_email("dan@uni.example")
            .await
            .ok()
            .flatten()
            .is_none()
    );

    // A made-up state, and one that expired.
    let r = app.get("/sso/callback?state=made-up&code=x", None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let back = to_provider_and_back(&app, "dan@uni.example").await;
    app.state.clock.advance(chrono::Duration::minutes(11));
    let r = callback(&app, &back, Some(&back.cookie)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
});

app_test!(
    requiring_sign_in_stops_passwords_after_a_passing_test,
    |app| async move {
        let (staff, uni, issuer) = setup(&app).await;
        // A student of the university who joined with a password earlier.
        let s = app.student("eve@uni.example").await;
        // Without a test, the organization cannot require it.
        let r = app
            .form(
                "/organization/sign-in/require",
                Some(&staff.cookie),
                &[("required", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = app
            .form("/organization/sign-in/test", Some(&staff.cookie), &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Test passed"), "{}", r.body);
        let r = app
            .form(
                "/organization/sign-in/require",
                Some(&staff.cookie),
                &[("required", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The password no longer signs in, on the page or for a token; the
        // page offers the university's sign-in instead.
        let r = app
            .form(
                "/login",
                None,
                &[("email", &s.email), ("password", PASSWORD)],
            )
            .await;
        assert!(r.session().is_none());
        assert!(
            r.body.contains("Continue with Uni of Example"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("name=\"password\""), "{}", r.body);
        let t = app
            .api(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": s.email, "password": PASSWORD})),
            )
            .await;
        assert_eq!(
            (t.status, t.code()),
            (StatusCode::CONFLICT, "sso_required".to_string())
        );
        // "Forgot your password?" sends no link, but says how to sign in.
        let r = app
            .form("/forgot-password", None, &[("email", &s.email)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mail = app.state.store.email_to(&s.email).await.unwrap_or_default();
        let last = mail
            .iter()
            .map(|m| m.body.as_str())
            .find(|b| b.contains("reset your Stint password"));
        let last = last.unwrap_or_else(|| panic!("no answer: {mail:?}"));
        assert!(!last.contains("/reset-password?token="), "{last}");
        assert!(last.contains("Continue with Uni of Example"), "{last}");
        // The student signs in through the university instead, to the same account.
        issuer.next(
            Person {
                subject: "eve-at-uni".into(),
                email: s.email.clone(),
                name: "Eve".into(),
            },
            Fault::None,
        );
        let back = to_provider_and_back(&app, &s.email).await;
        let r = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            app.state
                .store
                .sso_identity(uni, "eve-at-uni")
                .await
                .ok()
                .flatten(),
            Some(s.id)
        );
        // Someone at another domain still uses a password.
        let other = app.student("frank@other.example").await;
        assert!(!other.cookie.is_empty());

        // A change of issuer turns the requirement off until a new test.
        let r = app
            .form(
                "/organization/sign-in",
                Some(&staff.cookie),
                &[
                    ("issuer", "http://127.0.0.1:9"),
                    ("client_id", CLIENT),
                    ("client_secret", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = app
            .state
            .store
            .sso_connection(uni)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("gone"));
        assert!(!c.required);
        // The test names what failed.
        let r = app
            .form("/organization/sign-in/test", Some(&staff.cookie), &[])
            .await;
        assert!(r.body.contains("Test failed"), "{}", r.body);
        assert!(r.body.contains("sso_discovery_unreachable"), "{}", r.body);
        let audit = app
            .state
            .store
            .audit_for("organization", uni)
            .await
            .unwrap_or_default();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        for a in ["sso.configured", "sso.tested", "sso.required"] {
            assert!(actions.contains(&a), "{actions:?}");
        }
    }
);

app_test!(
    settings_are_checked_sealed_and_kept_to_owners,
    |app| async move {
        let (staff, uni, _issuer) = setup(&app).await;
        let c = app
            .state
            .store
            .sso_connection(uni)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("none"));
        assert!(!c.client_secret_sealed.contains(SECRET));
        // Bad input is answered field by field and changes nothing.
        let r = app
            .form(
                "/organization/sign-in",
                Some(&staff.cookie),
                &[
                    ("issuer", "not an address"),
                    ("client_id", "has space"),
                    ("client_secret", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"issuer-error\""), "{}", r.body);
        assert!(r.body.contains("id=\"client_id-error\""), "{}", r.body);
        let after = app
            .state
            .store
            .sso_connection(uni)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("none"));
        assert_eq!(after.issuer, c.issuer);
        // The owner's page shows the issuer but never the secret.
        let page = app.get("/organization/sign-in", Some(&staff.cookie)).await;
        assert!(page.body.contains(&c.issuer));
        assert!(!page.body.contains(SECRET));

        // An employer's owner sees and changes only their own organization's.
        let (boss, org) = app.employer("boss@firm.example", "Firm", true).await;
        let page = app.get("/organization/sign-in", Some(&boss.cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(&c.issuer));
        let r = app
            .form("/organization/sign-in/remove", Some(&boss.cookie), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert!(
            app.state
                .store
                .sso_connection(uni)
                .await
                .ok()
                .flatten()
                .is_some()
        );
        assert!(
            app.state
                .store
                .sso_connection(org)
                .await
                .ok()
                .flatten()
                .is_none()
        );
        // A student, and an organization that is not verified yet.
        let s = app.student("gina@uni.example").await;
        let r = app.get("/organization/sign-in", Some(&s.cookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let (unverified, _) = app.employer("new@start.example", "Start", false).await;
        let r = app
            .form(
                "/organization/sign-in",
                Some(&unverified.cookie),
                &[
                    ("issuer", "http://127.0.0.1:9"),
                    ("client_id", CLIENT),
                    ("client_secret", SECRET),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // Signed out: to the sign-in page.
        let r = app.get("/organization/sign-in", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // Removing it lets passwords work again for the domain.
        let r = app
            .form("/organization/sign-in/remove", Some(&staff.cookie), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .form(
                "/login",
                None,
                &[("email", "gina@uni.example"), ("password", "")],
            )
            .await;
        assert!(!r.body.contains("Continue with"), "{}", r.body);
    }
);

app_test!(
    owners_set_up_test_and_require_sign_in_through_the_api,
    |app| async move {
        let (staff, uni) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let issuer = TestIssuer::start(CLIENT, SECRET)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let path = "/api/v1/organization/sso";
        let t = Some(staff.token.as_str());
        let r = app.api(Method::GET, path, t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["organization_id"], json!(uni));
        assert!(v["connection"].is_null());
        assert_eq!(v["domains"], json!(["uni.example"]));
        assert!(
            v["redirect_uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("/sso/callback")),
            "{v}"
        );

        // Bad input: every field named, nothing stored.
        let r = app
            .api(
                Method::PUT,
                path,
                t,
                Some(json!({"issuer": "ftp://x", "client_id": "a b"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let mut fields = r.fields();
        fields.sort();
        assert_eq!(fields, ["client_id", "client_secret", "issuer"]);
        let r = app
            .api(Method::PUT, path, t, Some(json!({"issuer": 5})))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            app.state
                .store
                .sso_connection(uni)
                .await
                .ok()
                .flatten()
                .is_none()
        );

        let r = app
            .api(
                Method::PUT,
                path,
                t,
                Some(json!({"issuer": issuer.issuer(), "client_id": CLIENT, "client_secret": SECRET})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains(SECRET), "{}", r.body);
        let c = &r.json()["connection"];
        assert_eq!(
            (
                &c["issuer"],
                &c["client_id"],
                &c["required"],
                &c["tested_ok"]
            ),
            (
                &json!(issuer.issuer()),
                &json!(CLIENT),
                &json!(false),
                &json!(false)
            )
        );

        // Requiring it waits for a passing test.
        let req = format!("{path}/required");
        let r = app
            .api(Method::PUT, &req, t, Some(json!({"required": true})))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "sso_untested".to_string())
        );
        let r = app
            .api(Method::POST, &format!("{path}/test"), t, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["passed"], json!(true), "{}", r.body);
        let r = app
            .api(Method::PUT, &req, t, Some(json!({"required": true})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["connection"]["required"], json!(true));

        // A new issuer (the secret kept) ends the requirement; its test
        // says what failed, as an answer.
        let r = app
            .api(
                Method::PUT,
                path,
                t,
                Some(json!({"issuer": "http://127.0.0.1:9", "client_id": CLIENT})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["connection"]["required"], json!(false));
        let r = app
            .api(Method::POST, &format!("{path}/test"), t, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(
            (&v["passed"], &v["code"]),
            (&json!(false), &json!("sso_discovery_unreachable"))
        );
        let r = app.api(Method::GET, path, t, None).await;
        assert_eq!(
            r.json()["connection"]["last_test"]["code"],
            json!("sso_discovery_unreachable")
        );

        // Others: another organization's owner sees only their own, and
        // cannot remove ours; a student is refused; no token, 401; an
        // unverified organization cannot set it up.
        let (boss, _) = app.employer("boss@firm.example", "Firm", true).await;
        let r = app.api(Method::GET, path, Some(&boss.token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.json()["connection"].is_null(), "{}", r.body);
        let r = app.api(Method::DELETE, path, Some(&boss.token), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("{path}/test"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let s = app.student("gina@uni.example").await;
        for (m, p) in [
            (Method::GET, path.to_string()),
            (Method::DELETE, path.to_string()),
            (Method::POST, format!("{path}/test")),
        ] {
            let r = app.api(m.clone(), &p, Some(&s.token), None).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{m} {p}: {}", r.body);
            let r = app.api(m.clone(), &p, None, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {p}: {}", r.body);
        }
        let (unverified, _) = app.employer("new@start.example", "Start", false).await;
        let r = app
            .api(
                Method::PUT,
                path,
                Some(&unverified.token),
                Some(json!({"issuer": issuer.issuer(), "client_id": CLIENT, "client_secret": SECRET})),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "org_not_verified".to_string())
        );
        assert!(
            app.state
                .store
                .sso_connection(uni)
                .await
                .ok()
                .flatten()
                .is_some()
        );

        // The owner removes it; a second removal finds nothing.
        let r = app.api(Method::DELETE, path, t, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = app.api(Method::DELETE, path, t, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let audit = app
            .state
            .store
            .audit_for("organization", uni)
            .await
            .unwrap_or_default();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        for a in [
            "sso.configured",
            "sso.tested",
            "sso.required",
            "sso.removed",
        ] {
            assert!(actions.contains(&a), "{actions:?}");
        }
    }
);

app_test!(
    an_employers_people_sign_in_as_its_members,
    |app| async move {
        let boss = app.actor("owner@firm.example", "employer").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/organizations",
                Some(&boss.token),
                Some(
                    json!({"name": "Firm Ltd", "country": "GB", "email_domains": ["firm.example"]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let firm = r.json()["id"].as_i64().unwrap_or_default();
        app.state
            .store
            .verify_org(firm)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let issuer = TestIssuer::start(CLIENT, SECRET)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .form(
                "/organization/sign-in",
                Some(&boss.cookie),
                &[
                    ("issuer", &issuer.issuer()),
                    ("client_id", CLIENT),
                    ("client_secret", SECRET),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        issuer.next(person("lee@firm.example"), Fault::None);
        let back = to_provider_of(&app, "lee@firm.example", "Firm Ltd").await;
        let r = callback(&app, &back, Some(&back.cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.session().is_some());
        let lee = app
            .state
            .store
            .user_by_email("lee@firm.example")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no account"));
        assert_eq!(lee.role, stint_domain::account::Role::Employer);
        let m = app
            .state
            .store
            .membership(lee.id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("not a member"));
        assert_eq!((m.org.id, m.role.as_str()), (firm, "member"));
        assert!(
            app.state
                .store
                .affiliation(lee.id)
                .await
                .ok()
                .flatten()
                .is_none()
        );
    }
);

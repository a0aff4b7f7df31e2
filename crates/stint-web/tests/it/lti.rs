//! LTI 1.3 launches from a university's learning platform: the test
//! platform of `stint_sso::testing` publishes its keys on loopback and
//! signs launches; Stint answers the login initiation, takes the launch
//! cross-site, re-posts it from its own origin and lands the person where
//! they work. Each check's failure is refused with what went wrong, a
//! launch is used once, and one university's registration never reaches
//! another's people or settings.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use stint_domain::university::{AffiliationProof, AffiliationStatus};
use stint_sso::testing::{INSTRUCTOR, LEARNER, LaunchFault, LaunchSpec, TestPlatform};

use crate::app_test;
use crate::common::{Actor, Res, TestApp};
use crate::universities::university;

const CLIENT: &str = "stint-client";
const DEPLOYMENT: &str = "dep-1";

fn spec(app: &TestApp, subject: &str, email: Option<&str>, role: &str) -> LaunchSpec {
    LaunchSpec {
        subject: subject.into(),
        email: email.map(Into::into),
        name: "Grace Hopper".into(),
        roles: vec![role.into()],
        course: Some(("ECON 390".into(), "Applied Econometrics".into())),
        deployment_id: DEPLOYMENT.into(),
        nonce: String::new(),
        target_link_uri: format!("{}/lti/launch", app.state.config.base_url),
        fault: LaunchFault::None,
    }
}

/// The platform's login initiation: Stint's redirect to the platform, the
/// `state` (also the cookie) and `nonce` it carries.
async fn initiate(
    app: &TestApp,
    platform: &TestPlatform,
    uni: i64,
    deployment: &str,
) -> Result<(String, String), Res> {
    let target = format!("{}/lti/launch", app.state.config.base_url);
    let q = serde_urlencoded::to_string([
        ("iss", platform.issuer().as_str()),
        ("login_hint", "hint-1"),
        ("target_link_uri", target.as_str()),
        ("client_id", CLIENT),
        ("lti_deployment_id", deployment),
        ("lti_message_hint", "msg-1"),
    ])
    .unwrap_or_default();
    let r = app.get(&format!("/lti/login/{uni}?{q}"), None).await;
    if r.status != StatusCode::SEE_OTHER {
        return Err(r);
    }
    assert!(
        r.location().starts_with(&platform.auth_url()),
        "{}",
        r.location()
    );
    let query = r.location().split_once('?').map(|(_, q)| q).unwrap_or("");
    let q: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(query).unwrap_or_else(|e| panic!("{e}: {query}"));
    assert_eq!(
        q.get("response_mode").map(String::as_str),
        Some("form_post")
    );
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT));
    assert_eq!(q.get("login_hint").map(String::as_str), Some("hint-1"));
    assert_eq!(q.get("lti_message_hint").map(String::as_str), Some("msg-1"));
    let state = q.get("state").cloned().unwrap_or_default();
    let nonce = q.get("nonce").cloned().unwrap_or_default();
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("stint_lti="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(cookie, state, "the state cookie is the state");
    Ok((state, nonce))
}

/// The launch posted cross-site, then re-posted from Stint's page with the
/// state cookie (or without it).
async fn post_launch(app: &TestApp, token: &str, state: &str, cookie: Option<&str>) -> Res {
    let body =
        serde_urlencoded::to_string([("id_token", token), ("state", state)]).unwrap_or_default();
    let launch = Request::builder()
        .method(Method::POST)
        .uri("/lti/launch")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://lms.uni.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body.clone()))
        .unwrap_or_default();
    let page = app.send(launch).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("action=\"/lti/launch/finish\""),
        "{}",
        page.body
    );
    let mut finish = Request::builder()
        .method(Method::POST)
        .uri("/lti/launch/finish")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        finish = finish.header(header::COOKIE, format!("stint_lti={c}"));
    }
    app.send(finish.body(Body::from(body)).unwrap_or_default())
        .await
}

/// A whole launch as `spec` says.
async fn launch(app: &TestApp, platform: &TestPlatform, uni: i64, mut spec: LaunchSpec) -> Res {
    let (state, nonce) = match initiate(app, platform, uni, &spec.deployment_id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    spec.nonce = nonce;
    post_launch(app, &platform.launch(&spec), &state, Some(&state)).await
}

fn refused(r: &Res, words: &str) {
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains(words),
        "expected {words:?} in the page: {}",
        r.body
    );
    assert!(r.session().is_none(), "a refused launch signs no one in");
}

struct Setup {
    owner: Actor,
    uni: i64,
    platform: TestPlatform,
    id: i64,
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
    let platform = TestPlatform::start(CLIENT)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Each mistake is a field error; nothing is saved.
    let r = app
        .form(
            "/organization/learning-platforms",
            Some(&owner.cookie),
            &[
                ("name", "Moodle"),
                ("issuer", "not an address"),
                ("client_id", "has spaces"),
                ("auth_url", &platform.auth_url()),
                ("jwks_url", "ftp://keys.example"),
                ("deployment_ids", "  \n "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["issuer", "client_id", "jwks_url", "deployment_ids"] {
        assert!(
            r.body.contains(&format!("{field}-error")),
            "{field}: {}",
            r.body
        );
    }
    let r = app
        .form(
            "/organization/learning-platforms",
            Some(&owner.cookie),
            &[
                ("name", "Moodle"),
                ("issuer", &platform.issuer()),
                ("client_id", CLIENT),
                ("auth_url", &platform.auth_url()),
                ("jwks_url", &platform.jwks_url()),
                (
                    "deployment_ids",
                    &format!("{DEPLOYMENT}\n{DEPLOYMENT}\ndep-2"),
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app
        .state
        .store
        .lti_platforms(uni)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].deployments, vec!["dep-1", "dep-2"]);
    Setup {
        owner,
        uni,
        id: list[0].id,
        platform,
    }
}

app_test!(lti_launches_land_where_people_work, |app| async move {
    let s = setup(&app).await;

    // The test button reads the platform's keys and reaches its endpoint.
    let r = app
        .form(
            &format!("/organization/learning-platforms/{}/test", s.id),
            Some(&s.owner.cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Test passed."), "{}", r.body);

    // Stint's own key set, as platforms read it.
    let r = app.get("/lti/jwks", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys = r.json();
    assert_eq!(keys["keys"][0]["kty"], json!("RSA"));
    assert_eq!(keys["keys"][0]["alg"], json!("RS256"));
    assert!(keys["keys"][0].get("d").is_none(), "no private part");
    let again = app.get("/lti/jwks", None).await;
    assert_eq!(again.json(), keys, "the same key every time");

    // A learner with no account gets a student account of the university,
    // affiliated with proof, and lands on the form for this course.
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "learner-1", Some("ada@uni.example"), LEARNER),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        "/me/credit?course=ECON+390&title=Applied+Econometrics#ask-h"
    );
    let session = r.session().unwrap_or_else(|| panic!("no session"));
    let page = app
        .get(
            "/me/credit?course=ECON+390&title=Applied+Econometrics",
            Some(&session),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("your course <strong>ECON 390</strong> (Applied Econometrics)"),
        "{}",
        page.body
    );
    let user = app
        .state
        .store
        .user_by_email("ada@uni.example")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no account"));
    assert_eq!(user.role, stint_domain::account::Role::Student);
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

    // The platform's subject is remembered: the next launch needs no email.
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "learner-1", None, LEARNER),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location().starts_with("/me/credit?course="),
        "{}",
        r.location()
    );

    // Faculty (here the career staff owner) land on the course's requests.
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "teacher-1", Some("career@uni.example"), INSTRUCTOR),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/university/credit?course=ECON+390");
    let session = r.session().unwrap_or_else(|| panic!("no session"));
    let page = app.get(r.location(), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Course <strong>ECON 390</strong> only"),
        "{}",
        page.body
    );

    // An instructor Stint does not know is told whom to ask.
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "teacher-2", Some("prof@uni.example"), INSTRUCTOR),
    )
    .await;
    refused(&r, "has not added you to Stint yet");
    assert!(!r.body.contains("IT team"), "{}", r.body);

    // Platforms may initiate by a POST from their own site.
    let body = serde_urlencoded::to_string([
        ("iss", s.platform.issuer().as_str()),
        ("login_hint", "hint-1"),
        (
            "target_link_uri",
            &format!("{}/lti/launch", app.state.config.base_url),
        ),
        ("client_id", CLIENT),
    ])
    .unwrap_or_default();
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(format!("/lti/login/{}", s.uni))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "https://lms.uni.example")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(body))
                .unwrap_or_default(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location().starts_with(&s.platform.auth_url()),
        "{}",
        r.location()
    );

    // A launch is used once.
    let (state, nonce) = initiate(&app, &s.platform, s.uni, DEPLOYMENT)
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    let mut sp = spec(&app, "learner-1", None, LEARNER);
    sp.nonce = nonce;
    let token = s.platform.launch(&sp);
    let first = post_launch(&app, &token, &state, Some(&state)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let replay = post_launch(&app, &token, &state, Some(&state)).await;
    refused(&replay, "expired or was used already");

    // Without the state cookie (Stint shown inside the platform's page).
    let (state, nonce) = initiate(&app, &s.platform, s.uni, DEPLOYMENT)
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    sp.nonce = nonce;
    let r = post_launch(&app, &s.platform.launch(&sp), &state, None).await;
    refused(&r, "in a new window");

    // What a platform can get wrong, each refused with what went wrong.
    for (fault, words) in [
        (LaunchFault::WrongAudience, "is for another application"),
        (LaunchFault::Expired, "expired at"),
        (LaunchFault::BadSignature, "signature does not check out"),
        (LaunchFault::NoNonce, "does not carry the nonce"),
        (
            LaunchFault::DeepLinking,
            "Stint takes only LtiResourceLinkRequest",
        ),
        (LaunchFault::Anonymous, "the launch is anonymous"),
    ] {
        let mut sp = spec(&app, "learner-1", Some("ada@uni.example"), LEARNER);
        sp.fault = fault;
        let r = launch(&app, &s.platform, s.uni, sp).await;
        refused(&r, words);
        // The person is told what to do; the exact reason stays with it.
        assert!(
            r.body.contains("give your IT team this detail"),
            "{}",
            r.body
        );
    }
    // The owners see the last refusal with its reason and code.
    let r = app
        .get("/organization/learning-platforms", Some(&s.owner.cookie))
        .await;
    assert!(r.body.contains("Last refused launch"), "{}", r.body);
    assert!(r.body.contains("(lti_launch_invalid)"), "{}", r.body);

    // A deployment the university did not register, at login or in the launch.
    let r = initiate(&app, &s.platform, s.uni, "dep-9")
        .await
        .err()
        .unwrap_or_else(|| panic!("an unknown deployment was let in"));
    refused(&r, "deployment dep-9");
    let (state, nonce) = initiate(&app, &s.platform, s.uni, DEPLOYMENT)
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    let mut sp = spec(&app, "learner-1", None, LEARNER);
    sp.nonce = nonce;
    sp.deployment_id = "dep-9".into();
    let r = post_launch(&app, &s.platform.launch(&sp), &state, Some(&state)).await;
    refused(&r, "deployment dep-9");

    // An address outside the university's domains, and no address at all.
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "learner-x", Some("eve@elsewhere.example"), LEARNER),
    )
    .await;
    refused(&r, "not an address of Uni of Example");
    let r = launch(
        &app,
        &s.platform,
        s.uni,
        spec(&app, "learner-y", None, LEARNER),
    )
    .await;
    refused(&r, "did not send your email address");

    // Every refusal is in the university's audit log.
    let log = app
        .state
        .store
        .audit_for("organization", s.uni)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let refusals = log.iter().filter(|e| e.action == "lti.refused").count();
    assert!(refusals >= 10, "{refusals} refusals logged");
});

app_test!(
    lti_registrations_stay_with_their_university,
    |app| async move {
        let s = setup(&app).await;
        let (other, other_uni) = university(
            &app,
            "career@other.example",
            "Other University",
            "other.example",
            true,
        )
        .await;
        let t = Some(s.owner.token.as_str());

        // The API shows Stint's values and the registration.
        let r = app
            .api(Method::GET, "/api/v1/organization/lti", t, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["organization_id"], json!(s.uni));
        assert!(
            v["login_url"]
                .as_str()
                .unwrap_or("")
                .ends_with(&format!("/lti/login/{}", s.uni))
        );
        assert_eq!(
            v["platforms"][0]["deployment_ids"],
            json!(["dep-1", "dep-2"])
        );

        // The owner's page to change it, filled in; a mistake keeps what was typed.
        let edit = format!("/organization/learning-platforms/{}", s.id);
        let r = app.get(&edit, Some(&s.owner.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Save changes"), "{}", r.body);
        assert!(
            r.body.contains(&format!("value=\"{CLIENT}\"")),
            "{}",
            r.body
        );
        let r = app
            .form(
                &edit,
                Some(&s.owner.cookie),
                &[
                    ("name", "Moodle 4"),
                    ("issuer", &s.platform.issuer()),
                    ("client_id", CLIENT),
                    ("auth_url", "nope"),
                    ("jwks_url", &s.platform.jwks_url()),
                    ("deployment_ids", DEPLOYMENT),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("auth_url-error"), "{}", r.body);
        assert!(r.body.contains("value=\"Moodle 4\""), "{}", r.body);

        // Registered twice at one university: a field error.
        let body = json!({
            "name": "Canvas", "issuer": s.platform.issuer(), "client_id": CLIENT,
            "auth_url": s.platform.auth_url(), "jwks_url": s.platform.jwks_url(),
            "deployment_ids": [DEPLOYMENT],
        });
        let r = app
            .api(
                Method::POST,
                "/api/v1/organization/lti/platforms",
                t,
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec!["client_id"]);

        // Another university may register the same issuer and client id (a
        // shared cloud platform, or someone getting in the way): each
        // university has its own login address, so launches stay apart.
        let r = app
            .api(
                Method::POST,
                "/api/v1/organization/lti/platforms",
                Some(&other.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let other_id = r.json()["id"].as_i64().unwrap_or_default();
        let mine = launch(
            &app,
            &s.platform,
            s.uni,
            spec(&app, "learner-1", Some("ada@uni.example"), LEARNER),
        )
        .await;
        assert_eq!(mine.status, StatusCode::SEE_OTHER, "{}", mine.body);
        let theirs = launch(
            &app,
            &s.platform,
            other_uni,
            spec(&app, "learner-1", Some("ada@uni.example"), LEARNER),
        )
        .await;
        refused(&theirs, "not an address of Other University");

        // Neither university reaches the other's registration.
        let theirs = format!("/api/v1/organization/lti/platforms/{other_id}");
        for (method, path, body) in [
            (Method::PUT, theirs.clone(), Some(body.clone())),
            (Method::DELETE, theirs.clone(), None),
            (Method::POST, format!("{theirs}/test"), None),
        ] {
            let r = app.api(method.clone(), &path, t, body).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                r.body
            );
        }
        let r = app
            .get(
                &format!("/organization/learning-platforms/{other_id}"),
                Some(&s.owner.cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .form(
                &format!("/organization/learning-platforms/{other_id}/remove"),
                Some(&s.owner.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(
            app.state
                .store
                .lti_platforms(other_uni)
                .await
                .map(|l| l.len())
                .unwrap_or_default(),
            1
        );

        // Students and employers have no platforms to register.
        let student = app.student("sam@uni.example").await;
        let r = app
            .api(
                Method::GET,
                "/api/v1/organization/lti",
                Some(&student.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let (boss, _) = app.employer("boss@firm.example", "Firm", true).await;
        let r = app
            .api(
                Method::GET,
                "/api/v1/organization/lti",
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // A platform signs in only its own university's people: a student of
        // the other university with an address in this one's domain is not
        // signed in by it.
        let outsider = app.student("zed@uni.example").await;
        crate::universities::set_university(&app, &outsider, other_uni).await;
        let r = launch(
            &app,
            &s.platform,
            s.uni,
            spec(&app, "zed", Some("zed@uni.example"), LEARNER),
        )
        .await;
        refused(
            &r,
            "account of Uni of Example, so its learning platform cannot sign you in",
        );
        let r = launch(
            &app,
            &s.platform,
            s.uni,
            spec(&app, "boss", Some("boss@firm.example"), INSTRUCTOR),
        )
        .await;
        refused(&r, "not an address of Uni of Example");

        // An unknown platform, and a change that the owner makes: launches
        // follow the registration.
        let mut unknown = spec(&app, "x", None, LEARNER);
        unknown.deployment_id = DEPLOYMENT.into();
        let r = app
            .get(
                &format!(
                    "/lti/login/{}?iss=https%3A%2F%2Fnowhere.example&login_hint=h&target_link_uri={}&client_id=c",
                    s.uni, unknown.target_link_uri
                ),
                None,
            )
            .await;
        refused(&r, "does not know this learning platform");
        for path in [
            "/lti/login/abc?iss=x",
            "/organization/learning-platforms/abc",
        ] {
            let r = app.get(path, Some(&s.owner.cookie)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
            assert!(r.body.contains("<html"), "{path}: a page, not plain text");
        }
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/organization/lti/platforms/{}", s.id),
                t,
                Some(json!({
                    "name": "Moodle", "issuer": s.platform.issuer(), "client_id": CLIENT,
                    "auth_url": s.platform.auth_url(), "jwks_url": s.platform.jwks_url(),
                    "deployment_ids": ["dep-2"],
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["deployment_ids"], json!(["dep-2"]));
        let r = launch(
            &app,
            &s.platform,
            s.uni,
            spec(&app, "learner-1", Some("ada@uni.example"), LEARNER),
        )
        .await;
        refused(&r, "deployment dep-1");
        let r = app
            .api(
                Method::DELETE,
                &format!("/api/v1/organization/lti/platforms/{}", s.id),
                t,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = initiate(&app, &s.platform, s.uni, "dep-2")
            .await
            .err()
            .unwrap_or_else(|| panic!("a removed platform still launches"));
        refused(&r, "does not know this learning platform");
    }
);

app_test!(
    lti_launches_open_the_course_credit_request,
    |app| async move {
        let w = crate::credit::world(&app).await;
        let id = crate::credit::request(&app, &w).await;
        let platform = TestPlatform::start(CLIENT)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .api(
                Method::POST,
                "/api/v1/organization/lti/platforms",
                Some(&w.career.token),
                Some(json!({
                    "name": "Canvas", "issuer": platform.issuer(), "client_id": CLIENT,
                    "auth_url": platform.auth_url(), "jwks_url": platform.jwks_url(),
                    "deployment_ids": [DEPLOYMENT],
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let uni = app
            .api(
                Method::GET,
                "/api/v1/organization/lti",
                Some(&w.career.token),
                None,
            )
            .await
            .json()["organization_id"]
            .as_i64()
            .unwrap_or_default();

        // The student lands on their request for the course, however the
        // platform spells its code.
        let mut sp = spec(&app, "stu", Some(&w.student.email), LEARNER);
        sp.course = Some(("econ390".into(), "Work-based learning".into()));
        let r = launch(&app, &platform, uni, sp).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("/credit/{id}"));
        let session = r.session().unwrap_or_else(|| panic!("no session"));
        let page = app.get(r.location(), Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);

        // Their supervisor lands on the course's requests, which list it; a
        // launch from another course lists none.
        let r = launch(
            &app,
            &platform,
            uni,
            spec(&app, "prof", Some(&w.prof.email), INSTRUCTOR),
        )
        .await;
        assert_eq!(r.location(), "/university/credit?course=ECON+390");
        let session = r.session().unwrap_or_else(|| panic!("no session"));
        let page = app.get(r.location(), Some(&session)).await;
        assert!(
            page.body.contains(&format!("href=\"/credit/{id}\"")),
            "{}",
            page.body
        );
        let page = app
            .get("/university/credit?course=HIST+101", Some(&session))
            .await;
        assert!(
            !page.body.contains(&format!("href=\"/credit/{id}\"")),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("No credit requests for HIST 101 yet"),
            "{}",
            page.body
        );
    }
);

//! API: registration, tokens, `/me`, profiles and organizations.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::PASSWORD;

app_test!(
    register_validates_and_refuses_duplicates,
    |app| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/auth/register",
                None,
                Some(json!({"email": "nope", "password": "short", "name": "", "role": "wizard"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), "validation_failed");
        let mut f = r.fields();
        f.sort();
        assert_eq!(f, vec!["email", "name", "password", "role"]);

        let r = app.api(Method::POST, "/api/v1/auth/register", None, Some(json!({"email": "a@x.com", "password": "password123", "name": "A", "role": "student"}))).await;
        assert_eq!(r.fields(), vec!["password"], "common passwords are refused");
        let r = app
            .api(
                Method::POST,
                "/api/v1/auth/register",
                None,
                Some(
                    json!({"email": "a@x.com", "password": PASSWORD, "name": "A", "role": "admin"}),
                ),
            )
            .await;
        assert_eq!(r.fields(), vec!["role"], "nobody signs up as admin");

        app.student("dup@x.com").await;
        let r = app.api(Method::POST, "/api/v1/auth/register", None, Some(json!({"email": "DUP@x.com", "password": PASSWORD, "name": "B", "role": "student"}))).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.code(), "email_taken");

        let r = app
            .api(Method::POST, "/api/v1/auth/register", None, None)
            .await;
        assert_eq!(
            r.code(),
            "validation_failed",
            "a missing body is a clear problem"
        );
        let r = app
            .send(
                axum::http::Request::post("/api/v1/auth/register")
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from("{not json"))
                    .unwrap_or_default(),
            )
            .await;
        assert_eq!(r.fields(), vec!["body"]);

        // A confirmation email went to the outbox.
        let mail = app
            .state
            .store
            .email_to("dup@x.com")
            .await
            .unwrap_or_default();
        assert_eq!(mail.len(), 1);
        assert!(mail[0].body.contains("/verify-email?token="));
    }
);

app_test!(tokens_authenticate_and_revoke, |app| async move {
    let a = app.student("t@x.com").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"email": "t@x.com", "password": "wrong password!"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/token",
            None,
            Some(json!({"email": "ghost@x.com", "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        r.code(),
        "invalid_credentials",
        "unknown email answers the same"
    );

    for bad in [None, Some("stint_nonsense"), Some("not-a-token")] {
        let r = app.api(Method::GET, "/api/v1/me", bad, None).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNAUTHORIZED, "unauthenticated")
        );
        assert!(r.headers.get("www-authenticate").is_some());
    }
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&a.token), None)
        .await;
    assert_eq!(me.json()["email"], "t@x.com");
    assert_eq!(me.json()["role"], "student");

    let list = app
        .api(Method::GET, "/api/v1/auth/tokens", Some(&a.token), None)
        .await
        .json();
    let id = list[0]["id"].as_i64().unwrap_or_default();
    assert_eq!(list[0]["current"], true);
    let other = app.student("o@x.com").await;
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&other.token),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "nobody revokes another's token"
    );
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .api(Method::GET, "/api/v1/me", Some(&a.token), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a revoked token is dead"
    );
});

app_test!(profiles_are_students_own, |app| async move {
    let s = app.student("p@x.com").await;
    let r = app
        .api(Method::GET, "/api/v1/me/profile", Some(&s.token), None)
        .await;
    assert_eq!(r.json()["completeness"], 0);
    let body = json!({"headline": "Economics student", "skills": ["sql", "python", "statistics"], "interests": ["data-analysis"],
        "availability_hours": 10, "graduation_year": 2027, "time_zone": "Asia/Kolkata", "location": "Pune", "github_url": "https://github.com/x"});
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["completeness"], 70);
    assert!(r.json()["missing"].as_array().is_some_and(|m| m.len() == 3));

    let bad = json!({"skills": ["astrology"], "availability_hours": 500, "github_url": "github.com/x", "university_id": 99999, "graduation_year": 1800});
    let r = app
        .api(Method::PUT, "/api/v1/me/profile", Some(&s.token), Some(bad))
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(
        f,
        vec![
            "availability_hours",
            "github_url",
            "graduation_year",
            "skills"
        ]
    );
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(json!({"university_id": 99999})),
        )
        .await;
    assert_eq!(
        r.fields(),
        vec!["university_id"],
        "unknown university is refused"
    );
    let r = app
        .api(Method::GET, "/api/v1/me/profile", Some(&s.token), None)
        .await;
    assert_eq!(
        r.json()["headline"],
        "Economics student",
        "a refused update changes nothing"
    );

    let (e, _) = app.employer("e@x.com", "Acme", false).await;
    let r = app
        .api(Method::GET, "/api/v1/me/profile", Some(&e.token), None)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
});

app_test!(organizations_create_join_verify, |app| async move {
    let s = app.student("s@x.com").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&s.token),
            Some(json!({"name": "Mine", "country": "IN"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "students do not create organizations"
    );

    let owner = app.actor("owner@acme.com", "employer").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&owner.token),
            Some(json!({"name": "", "country": "India", "website": "acme"})),
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["country", "name", "website"]);
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&owner.token),
            Some(json!({"name": "Acme Research", "country": "in"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let org = r.json();
    assert_eq!(
        (org["slug"].as_str(), org["verified"].as_bool()),
        (Some("acme-research"), Some(false))
    );
    let code = org["invite_code"].as_str().unwrap_or_default().to_string();
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&owner.token),
            Some(json!({"name": "Second", "country": "IN"})),
        )
        .await;
    assert_eq!(r.code(), "already_member");

    let public = app
        .api(
            Method::GET,
            "/api/v1/organizations/acme-research",
            None,
            None,
        )
        .await
        .json();
    assert!(
        public.get("invite_code").is_none(),
        "the invite code is for members only"
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/organizations/nope", None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let colleague = app.actor("c@acme.com", "employer").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations/join",
            Some(&colleague.token),
            Some(json!({"invite_code": "WRONGCODE1"})),
        )
        .await;
    assert_eq!(r.fields(), vec!["invite_code"]);
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations/join",
            Some(&colleague.token),
            Some(json!({"invite_code": code.to_lowercase()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let uni = app.actor("staff@uni.ac.in", "university").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations/join",
            Some(&uni.token),
            Some(json!({"invite_code": code})),
        )
        .await;
    assert_eq!(
        r.fields(),
        vec!["invite_code"],
        "university staff cannot join an employer"
    );

    let id = org["id"].as_i64().unwrap_or_default();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/organizations/{id}/verify"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "owners cannot verify themselves"
    );
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/organizations",
            Some(&owner.token),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let admin = app.admin().await;
    let queue = app
        .api(
            Method::GET,
            "/api/v1/organizations",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(queue.as_array().map(|q| q.len()), Some(1));
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/organizations/{id}/verify"),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(r.json()["verified"], true);
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/organizations/424242/verify",
            Some(&admin.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        app.state
            .store
            .email_to("owner@acme.com")
            .await
            .unwrap_or_default()
            .iter()
            .any(|m| m.subject.contains("verified"))
    );

    // University staff create universities, with student email domains.
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&uni.token),
            Some(json!({"name": "Uni", "country": "IN", "email_domains": ["uni.ac.in"]})),
        )
        .await;
    assert_eq!(r.json()["kind"], "university");
    let st = app.student("kid@students.uni.ac.in").await;
    let p = app
        .api(Method::GET, "/api/v1/me/profile", Some(&st.token), None)
        .await
        .json();
    assert_eq!(
        p["university_id"],
        r.json()["id"],
        "students are affiliated by email domain"
    );
});

app_test!(openapi_document_and_unknown_routes, |app| async move {
    let doc = app
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/me/profile",
        "/api/v1/organizations",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/publish",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let r = app
        .api(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let r = app.get("/api/docs", None).await;
    assert!(
        r.body.contains("/api/v1/projects/{id}/publish"),
        "the docs page lists operations"
    );
});

//! SCIM provisioning through `/scim/v2`: a university's directory creates,
//! finds, changes, turns off and deletes its students' accounts with a
//! token its owner made; other organizations' tokens reach nothing of it.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use stint_domain::university::{AffiliationProof, AffiliationStatus};

use crate::app_test;
use crate::common::{PASSWORD, Res, TestApp};
use crate::universities::university;

/// A request as a directory sends it.
pub(crate) async fn scim(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Res {
    let b = Request::builder()
        .method(method)
        .uri(format!("/scim/v2{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/scim+json");
    let req = match body {
        Some(v) => b.body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    };
    app.send(req.unwrap_or_default()).await
}

/// Makes a token on the owner's page and reads it off the answer.
pub(crate) async fn token(app: &TestApp, cookie: &str, label: &str) -> String {
    let r = app
        .form(
            "/organization/provisioning/tokens",
            Some(cookie),
            &[("label", label)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
        .split("value=\"stint_scim_")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|t| format!("stint_scim_{t}"))
        .unwrap_or_else(|| panic!("no token shown: {}", r.body))
}

pub(crate) fn ada(email: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "externalId": "E-100",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": email, "type": "work", "primary": true}],
        "active": true,
    })
}

app_test!(
    a_directory_provisions_changes_and_turns_off_students,
    |app| async move {
        let (staff, uni) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let page = app
            .get("/organization/provisioning", Some(&staff.cookie))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("/scim/v2"), "{}", page.body);
        let t = token(&app, &staff.cookie, "Entra ID").await;

        // A new student.
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("ada@uni.example")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(
            r.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/scim+json"))
        );
        let v = r.json();
        let id = v["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            r.headers
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok()),
            v["meta"]["location"].as_str()
        );
        assert_eq!(v["externalId"], json!("E-100"));
        let user = app
            .state
            .store
            .user_by_email("ada@uni.example")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no account"));
        assert_eq!(
            (user.role, user.email_verified, user.name.as_str()),
            (stint_domain::account::Role::Student, true, "Ada Lovelace")
        );
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

        // Found by userName (any case), by id; a second one is refused.
        let r = scim(
            &app,
            Method::GET,
            "/Users?filter=userName%20eq%20%22ADA%40uni.example%22",
            &t,
            None,
        )
        .await;
        assert_eq!(r.json()["totalResults"], json!(1), "{}", r.body);
        let r = scim(
            &app,
            Method::GET,
            &format!("/Users/{id}?attributes=userName"),
            &t,
            None,
        )
        .await;
        let v = r.json();
        assert_eq!(
            (&v["userName"], v.get("name")),
            (&json!("ada@uni.example"), None)
        );
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("Ada@uni.example")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["scimType"], json!("uniqueness"));

        // Outside the university's domains: refused, nothing made.
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("ada@elsewhere.example")),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.json()["scimType"], json!("invalidValue"));
        assert!(
            app.state
                .store
                .user_by_email("ada@elsewhere.example")
                .await
                .ok()
                .flatten()
                .is_none()
        );

        // A student who signed up with a password is taken over.
        let eve = app.student("eve@uni.example").await;
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("eve@uni.example")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let eve_id = r.json()["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            app.state.store.user(eve.id).await.map(|u| u.name).ok(),
            Some("Ada Lovelace".to_string()),
            "the directory's name wins"
        );

        // Entra ID turns her off: text boolean, no path.
        let r = scim(
            &app,
            Method::PATCH,
            &format!("/Users/{eve_id}"),
            &t,
            Some(
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "Replace", "value": {"active": "False"}}]}),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["active"], json!(false));
        let page = app.get("/account", Some(&eve.cookie)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "the session ended");
        let me = app
            .api(Method::GET, "/api/v1/me", Some(&eve.token), None)
            .await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED, "the API token ended");
        let login = app
            .form(
                "/login",
                None,
                &[("email", &eve.email), ("password", PASSWORD)],
            )
            .await;
        assert!(login.session().is_none());
        assert!(
            login.body.contains("turned this Stint account off"),
            "{}",
            login.body
        );
        let t2 = app
            .api(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": eve.email, "password": PASSWORD})),
            )
            .await;
        assert_eq!(
            (t2.status, t2.code()),
            (StatusCode::CONFLICT, "account_deactivated".to_string())
        );

        // On again, with a path: the password works again.
        let r = scim(
            &app,
            Method::PATCH,
            &format!("/Users/{eve_id}"),
            &t,
            Some(
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "active", "value": true}]}),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let login = app
            .form(
                "/login",
                None,
                &[("email", &eve.email), ("password", PASSWORD)],
            )
            .await;
        assert!(login.session().is_some(), "{}", login.body);

        // PUT replaces the resource; the account follows the new name.
        let mut next = ada("ada@uni.example");
        next["name"] = json!({"givenName": "Augusta", "familyName": "King"});
        next["title"] = json!("MSc student");
        let r = scim(&app, Method::PUT, &format!("/Users/{id}"), &t, Some(next)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["title"], json!("MSc student"));
        assert_eq!(
            app.state.store.user(user.id).await.map(|u| u.name).ok(),
            Some("Augusta King".to_string())
        );

        // Pages, oldest first: the second of two, and none (a count).
        let r = scim(&app, Method::GET, "/Users?startIndex=2&count=1", &t, None).await;
        let v = r.json();
        assert_eq!(
            (
                &v["totalResults"],
                &v["itemsPerPage"],
                &v["startIndex"],
                &v["Resources"][0]["id"]
            ),
            (&json!(2), &json!(1), &json!(2), &json!(eve_id)),
            "{v}"
        );
        let r = scim(&app, Method::GET, "/Users?count=0", &t, None).await;
        let v = r.json();
        assert_eq!(
            (&v["totalResults"], &v["itemsPerPage"]),
            (&json!(2), &json!(0)),
            "{v}"
        );
        let r = scim(
            &app,
            Method::GET,
            "/Users?filter=name.familyName%20eq%20%22lovelace%22&startIndex=1&count=1",
            &t,
            None,
        )
        .await;
        let v = r.json();
        assert_eq!(
            (&v["totalResults"], &v["itemsPerPage"]),
            (&json!(1), &json!(1)),
            "{v}"
        );

        // DELETE: gone from the directory, the account off but kept.
        let r = scim(&app, Method::DELETE, &format!("/Users/{id}"), &t, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = scim(&app, Method::GET, &format!("/Users/{id}"), &t, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert!(
            app.state
                .store
                .user_deactivated_at(user.id)
                .await
                .ok()
                .flatten()
                .is_some()
        );
        let r = scim(&app, Method::GET, "/Users", &t, None).await;
        assert_eq!(r.json()["totalResults"], json!(1), "{}", r.body);

        let audit = app
            .state
            .store
            .audit_for("organization", uni)
            .await
            .unwrap_or_default();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        for a in [
            "scim.token_created",
            "scim.user_created",
            "scim.user_updated",
            "scim.user_deactivated",
            "scim.user_reactivated",
            "scim.user_deleted",
        ] {
            assert!(actions.contains(&a), "{a}: {actions:?}");
        }
        let page = app
            .get("/organization/provisioning", Some(&staff.cookie))
            .await;
        assert!(
            page.body.contains("1 person is provisioned"),
            "{}",
            page.body
        );
    }
);

app_test!(tokens_reach_only_their_own_organization, |app| async move {
    let (staff, _) = university(
        &app,
        "career@uni.example",
        "Uni of Example",
        "uni.example",
        true,
    )
    .await;
    let t = token(&app, &staff.cookie, "Okta").await;
    let r = scim(
        &app,
        Method::POST,
        "/Users",
        &t,
        Some(ada("ada@uni.example")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap_or_default().to_string();

    let (other, _) = university(
        &app,
        "career@other.example",
        "Other Uni",
        "other.example",
        true,
    )
    .await;
    let theirs = token(&app, &other.cookie, "Their directory").await;
    for (m, body) in [
        (Method::GET, None),
        (Method::PUT, Some(ada("ada@uni.example"))),
        (
            Method::PATCH,
            Some(
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "replace", "path": "active", "value": false}]}),
            ),
        ),
        (Method::DELETE, None),
    ] {
        let r = scim(&app, m.clone(), &format!("/Users/{id}"), &theirs, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{m}: {}", r.body);
    }
    let r = scim(&app, Method::GET, "/Users", &theirs, None).await;
    assert_eq!(r.json()["totalResults"], json!(0), "{}", r.body);
    // Nor can it claim our students' addresses.
    let r = scim(
        &app,
        Method::POST,
        "/Users",
        &theirs,
        Some(ada("bob@uni.example")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = scim(&app, Method::GET, &format!("/Users/{id}"), &t, None).await;
    assert_eq!(r.json()["active"], json!(true), "untouched");

    // Tokens: none, made up, revoked; another owner cannot revoke ours.
    for bad in ["", "stint_scim_made-up", "Basic abc"] {
        let r = scim(&app, Method::GET, "/Users", bad, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}: {}", r.body);
        assert_eq!(r.json()["status"], json!("401"));
    }
    let tokens = app
        .state
        .store
        .scim_tokens(
            app.state
                .store
                .membership(staff.id)
                .await
                .ok()
                .flatten()
                .map(|m| m.org.id)
                .unwrap_or_default(),
        )
        .await
        .unwrap_or_default();
    let tid = tokens.first().map(|t| t.id).unwrap_or_default();
    let r = app
        .form(
            &format!("/organization/provisioning/tokens/{tid}/revoke"),
            Some(&other.cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = app
        .form(
            &format!("/organization/provisioning/tokens/{tid}/revoke"),
            Some(&staff.cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = scim(&app, Method::GET, "/Users", &t, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    // Pages: a student is refused; a token needs a name.
    let s = app.student("gina@uni.example").await;
    let r = app.get("/organization/provisioning", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .form(
            "/organization/provisioning/tokens",
            Some(&staff.cookie),
            &[("label", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"label-error\""), "{}", r.body);
    let (unverified, _) =
        university(&app, "career@new.example", "New Uni", "new.example", false).await;
    let r = app
        .form(
            "/organization/provisioning/tokens",
            Some(&unverified.cookie),
            &[("label", "Entra")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
});

app_test!(
    bad_requests_get_scim_errors_and_change_nothing,
    |app| async move {
        let (staff, _) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let t = token(&app, &staff.cookie, "Entra ID").await;
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("ada@uni.example")),
        )
        .await;
        let id = r.json()["id"].as_str().unwrap_or_default().to_string();
        let send_raw = |body: &'static str| {
            Request::builder()
                .method(Method::POST)
                .uri("/scim/v2/Users")
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::CONTENT_TYPE, "application/scim+json")
                .body(Body::from(body))
                .unwrap_or_default()
        };
        let r = app.send(send_raw("{not json")).await;
        assert_eq!(
            (r.status, r.json()["scimType"].clone()),
            (StatusCode::BAD_REQUEST, json!("invalidSyntax"))
        );
        for (path, code) in [
            ("/Users?filter=userName%20is%20%22x%22", "invalidFilter"),
            ("/Users?count=many", "invalidValue"),
        ] {
            let r = scim(&app, Method::GET, path, &t, None).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
            assert_eq!(r.json()["scimType"], json!(code), "{path}");
        }
        let patch = |ops: Value| json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
        for (ops, code) in [
            (json!([{"op": "remove", "path": "emails"}]), "invalidValue"),
            (
                json!([{"op": "replace", "path": "id", "value": "x"}]),
                "mutability",
            ),
            (
                json!([{"op": "add", "path": "nickName", "value": "A"}, {"op": "replace", "path": "emails", "value": [{"value": "a@elsewhere.example"}]}]),
                "invalidValue",
            ),
            (json!([{"op": "jump"}]), "invalidSyntax"),
        ] {
            let r = scim(
                &app,
                Method::PATCH,
                &format!("/Users/{id}"),
                &t,
                Some(patch(ops.clone())),
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{ops}: {}", r.body);
            assert_eq!(r.json()["scimType"], json!(code), "{ops}");
        }
        // Nothing of the failed requests stuck, not even the first operation.
        let r = scim(&app, Method::GET, &format!("/Users/{id}"), &t, None).await;
        let v = r.json();
        assert_eq!(
            (v.get("nickName"), &v["emails"][0]["value"]),
            (None, &json!("ada@uni.example"))
        );
        // Missing userName; a resource type Stint does not serve; a wrong method.
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(json!({"emails": [{"value": "x@uni.example"}]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = scim(&app, Method::GET, "/Roles", &t, None).await;
        assert_eq!(
            (r.status, r.json()["status"].clone()),
            (StatusCode::NOT_FOUND, json!("404"))
        );
        let r = scim(&app, Method::DELETE, "/Users", &t, None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.body);
        assert_eq!(r.json()["status"], json!("405"));
        // Discovery describes what is served.
        let r = scim(&app, Method::GET, "/ServiceProviderConfig", &t, None).await;
        assert_eq!(r.json()["patch"]["supported"], json!(true), "{}", r.body);
        let r = scim(&app, Method::GET, "/ResourceTypes", &t, None).await;
        assert_eq!(r.json()["totalResults"], json!(2), "{}", r.body);
        let r = scim(
            &app,
            Method::GET,
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
            &t,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
);

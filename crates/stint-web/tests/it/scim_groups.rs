//! SCIM Groups and the roles they carry: a university's owner maps a
//! directory's group to career staff or faculty, and its members' accounts
//! follow as people join and leave; a student with history is not turned
//! into staff, and the owner sees why. Another organization's token or
//! owner reaches none of it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stint_domain::account::Role;
use stint_domain::university::StaffRole;

use crate::app_test;
use crate::common::TestApp;
use crate::scim::{ada, scim, token};
use crate::universities::university;

const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Provisions a person and returns the User resource's id.
async fn provision(app: &TestApp, t: &str, email: &str) -> String {
    let r = scim(app, Method::POST, "/Users", t, Some(ada(email))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_str().unwrap_or_default().to_string()
}

/// The account's role, and its staff role at `org` if it has one there.
async fn standing(app: &TestApp, email: &str, org: i64) -> (Role, Option<StaffRole>) {
    let u = app
        .state
        .store
        .user_by_email(email)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no account {email}"));
    let m = app.state.store.membership(u.id).await.ok().flatten();
    (
        u.role,
        m.filter(|m| m.org.id == org).and_then(|m| m.staff_role),
    )
}

fn member_ids(group: &Value) -> Vec<String> {
    group["members"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["value"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

app_test!(mapped_groups_make_and_unmake_staff, |app| async move {
    let (owner, uni) = university(
        &app,
        "career@uni.example",
        "Uni of Example",
        "uni.example",
        true,
    )
    .await;
    let t = token(&app, &owner.cookie, "Okta").await;
    let ada_id = provision(&app, &t, "ada@uni.example").await;
    let cy_id = provision(&app, &t, "cy@uni.example").await;

    // Ben applied to a project as a student before the directory took him over.
    let (boss, _) = app.employer("boss@firm.example", "Firm Ltd", true).await;
    let project = app.published(&boss, "Survey coding", 1, false).await;
    let ben = app.student("ben@uni.example").await;
    let r = app.apply(&ben, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ben_id = provision(&app, &t, "ben@uni.example").await;

    // A group is stored with its members; until it is mapped it gives no role.
    let r = scim(
        &app,
        Method::POST,
        "/Groups",
        &t,
        Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Careers Team",
            "externalId": "G-1",
            "members": [{"value": ada_id, "display": "Ada"}],
        })),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let careers = r.json();
    let careers_id = careers["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(careers["externalId"], json!("G-1"));
    assert_eq!(member_ids(&careers), vec![ada_id.clone()]);
    assert_eq!(careers["members"][0]["display"], json!("Ada"));
    assert!(
        careers["members"][0]["$ref"]
            .as_str()
            .is_some_and(|r| r.ends_with(&format!("/scim/v2/Users/{ada_id}")))
    );
    let r = scim(&app, Method::GET, &format!("/Users/{ada_id}"), &t, None).await;
    assert_eq!(r.json()["groups"][0]["value"], json!(careers_id));
    // Lists carry each User's groups too (read for the page in one query).
    for path in [
        "/Users",
        "/Users?filter=userName%20eq%20%22ada@uni.example%22",
    ] {
        let r = scim(&app, Method::GET, path, &t, None).await;
        let ada = r.json()["Resources"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["id"] == json!(ada_id)).cloned())
            .unwrap_or_else(|| panic!("no Ada in {}", r.body));
        assert_eq!(ada["groups"][0]["display"], json!("Careers Team"), "{path}");
        assert!(
            r.json()["Resources"].as_array().is_some_and(|a| a
                .iter()
                .filter(|u| u["groups"].is_array())
                .count()
                == 1),
            "only Ada is in a group: {}",
            r.body
        );
    }
    assert_eq!(r.json()["groups"][0]["display"], json!("Careers Team"));
    assert_eq!(
        standing(&app, "ada@uni.example", uni).await,
        (Role::Student, None)
    );

    // The owner maps it to career staff on the page: Ada's student account,
    // with nothing others rely on, becomes a career staff account.
    let page = app
        .get("/organization/provisioning", Some(&owner.cookie))
        .await;
    assert!(page.body.contains("Careers Team"), "{}", page.body);
    let r = app
        .form(
            &format!("/organization/provisioning/groups/{careers_id}"),
            Some(&owner.cookie),
            &[("role", "career")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        standing(&app, "ada@uni.example", uni).await,
        (Role::University, Some(StaffRole::Career))
    );
    let ada_user = app
        .state
        .store
        .user_by_email("ada@uni.example")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no Ada"));
    assert!(
        app.state
            .store
            .affiliation(ada_user.id)
            .await
            .ok()
            .flatten()
            .is_none(),
        "a staff account keeps no student affiliation"
    );

    // Ben joins by PATCH: he has applied as a student, so he stays one and
    // the owner is told why; the directory's request still succeeds.
    let r = scim(
        &app,
        Method::PATCH,
        &format!("/Groups/{careers_id}"),
        &t,
        Some(json!({
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": ben_id}]}],
        })),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(member_ids(&r.json()), vec![ada_id.clone(), ben_id.clone()]);
    assert_eq!(
        standing(&app, "ben@uni.example", uni).await,
        (Role::Student, None)
    );
    let p = app
        .api(
            Method::GET,
            "/api/v1/organization/provisioning",
            Some(&owner.token),
            None,
        )
        .await
        .json();
    assert_eq!(p["role_problems"][0]["email"], json!("ben@uni.example"));
    assert!(
        p["role_problems"][0]["problem"]
            .as_str()
            .is_some_and(|s| s.contains("as a student")),
        "{p}"
    );
    let page = app
        .get("/organization/provisioning", Some(&owner.cookie))
        .await;
    assert!(page.body.contains("Not applied"), "{}", page.body);

    // A faculty group, mapped through the API; Cy in both is career staff,
    // back to faculty on leaving the careers group, and off the staff when
    // the faculty group is deleted.
    let r = scim(
        &app,
        Method::POST,
        "/Groups",
        &t,
        Some(json!({"displayName": "Faculty", "members": [{"value": cy_id}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let faculty_id = r.json()["id"].as_str().unwrap_or_default().to_string();
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/organization/provisioning/groups/{faculty_id}"),
            Some(&owner.token),
            Some(json!({"role": "faculty"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        standing(&app, "cy@uni.example", uni).await,
        (Role::University, Some(StaffRole::Faculty))
    );
    let add_cy = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": cy_id}]}]});
    let r = scim(
        &app,
        Method::PATCH,
        &format!("/Groups/{careers_id}"),
        &t,
        Some(add_cy),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        standing(&app, "cy@uni.example", uni).await.1,
        Some(StaffRole::Career)
    );
    let r = scim(
        &app,
        Method::PATCH,
        &format!("/Groups/{careers_id}"),
        &t,
        Some(json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": format!("members[value eq \"{cy_id}\"]")}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!member_ids(&r.json()).contains(&cy_id));
    assert_eq!(
        standing(&app, "cy@uni.example", uni).await.1,
        Some(StaffRole::Faculty)
    );
    let r = scim(
        &app,
        Method::DELETE,
        &format!("/Groups/{faculty_id}"),
        &t,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        standing(&app, "cy@uni.example", uni).await,
        (Role::University, None)
    );

    // PUT without Ada: she leaves the staff (the owner is still career staff).
    let r = scim(
        &app,
        Method::PUT,
        &format!("/Groups/{careers_id}"),
        &t,
        Some(json!({"displayName": "Careers Team", "members": [{"value": ben_id}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        standing(&app, "ada@uni.example", uni).await,
        (Role::University, None)
    );
    assert_eq!(
        standing(&app, "career@uni.example", uni).await.1,
        Some(StaffRole::Career)
    );

    // The owner's changes and the directory's are in the audit log.
    let audit = app
        .state
        .store
        .audit_for("organization", uni)
        .await
        .unwrap_or_default();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "scim.group_created",
        "scim.group_updated",
        "scim.group_deleted",
        "scim.group_mapped",
        "scim.role_changed",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
});

app_test!(
    groups_are_checked_and_kept_to_their_organization,
    |app| async move {
        let (owner, _) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let (other, _) = university(
            &app,
            "career@elsewhere.example",
            "Elsewhere University",
            "elsewhere.example",
            true,
        )
        .await;
        let t = token(&app, &owner.cookie, "Entra ID").await;
        let t2 = token(&app, &other.cookie, "Entra ID").await;
        let ada_id = provision(&app, &t, "ada@uni.example").await;
        let r = scim(
            &app,
            Method::POST,
            "/Groups",
            &t,
            Some(json!({"displayName": "Careers Team", "members": [{"value": ada_id}]})),
        )
        .await;
        let gid = r.json()["id"].as_str().unwrap_or_default().to_string();

        // Lookups: displayName eq in any case, members left out on request.
        let r = scim(
            &app,
            Method::GET,
            "/Groups?filter=displayName%20eq%20%22careers%20team%22&excludedAttributes=members",
            &t,
            None,
        )
        .await;
        assert_eq!(r.json()["totalResults"], json!(1), "{}", r.body);
        assert!(r.json()["Resources"][0].get("members").is_none());
        // A search at the root spans Users then Groups, paged as one list.
        let r = scim(
        &app,
        Method::POST,
        "/.search",
        &t,
        Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": 1, "startIndex": 2})),
    )
    .await;
        assert_eq!(r.json()["totalResults"], json!(2), "{}", r.body);
        assert_eq!(r.json()["Resources"][0]["id"], json!(gid), "{}", r.body);
        let r = scim(
            &app,
            Method::POST,
            "/.search",
            &t,
            Some(
                json!({"filter": "displayName eq \"Careers Team\"", "attributes": ["displayName"]}),
            ),
        )
        .await;
        assert_eq!(r.json()["totalResults"], json!(1), "{}", r.body);
        assert_eq!(
            r.json()["Resources"][0]["displayName"],
            json!("Careers Team")
        );
        assert!(
            r.json()["Resources"][0].get("members").is_none(),
            "{}",
            r.body
        );
        let r = scim(&app, Method::GET, "/ResourceTypes/Group", &t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = scim(
            &app,
            Method::GET,
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group",
            &t,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Another university's token finds nothing and can take nobody in.
        let path = format!("/Groups/{gid}");
        for (m, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"displayName": "Mine"}))),
            (
                Method::PATCH,
                Some(
                    json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "displayName", "value": "Mine"}]}),
                ),
            ),
            (Method::DELETE, None),
        ] {
            let r = scim(&app, m.clone(), &path, &t2, body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {}", r.body);
        }
        let r = scim(&app, Method::GET, "/Groups", &t2, None).await;
        assert_eq!(r.json()["totalResults"], json!(0));
        let r = scim(
            &app,
            Method::POST,
            "/Groups",
            &t2,
            Some(json!({"displayName": "Stolen", "members": [{"value": ada_id}]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.json()["scimType"], json!("invalidValue"));
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/organization/provisioning/groups/{gid}"),
                Some(&other.token),
                Some(json!({"role": "career"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let student = app.student("someone@mail.example").await;
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/organization/provisioning/groups/{gid}"),
                Some(&student.token),
                Some(json!({"role": "career"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // Bad input: a clear error, nothing stored.
        for (body, kind) in [
            (json!({"members": []}), "invalidValue"),
            (json!({"displayName": "  "}), "invalidValue"),
            (
                json!({"displayName": "Nested", "members": [{"value": gid, "type": "Group"}]}),
                "invalidValue",
            ),
            (
                json!({"displayName": "Ghosts", "members": [{"value": "nobody"}]}),
                "invalidValue",
            ),
            (json!({"displayName": 7}), "invalidValue"),
        ] {
            let r = scim(&app, Method::POST, "/Groups", &t, Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body} {}", r.body);
            assert_eq!(r.json()["scimType"], json!(kind), "{body} {}", r.body);
        }
        let r = scim(
        &app,
        Method::PATCH,
        &path,
        &t,
        Some(json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": "members[value eq"}]})),
    )
    .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = scim(&app, Method::GET, "/Groups", &t, None).await;
        assert_eq!(r.json()["totalResults"], json!(1), "{}", r.body);
        assert_eq!(member_ids(&r.json()["Resources"][0]), vec![ada_id.clone()]);
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/organization/provisioning/groups/{gid}"),
                Some(&owner.token),
                Some(json!({"role": "dean"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .form(
                &format!("/organization/provisioning/groups/{gid}"),
                Some(&owner.cookie),
                &[("role", "dean")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Choose career staff"), "{}", r.body);

        // Deleting a User takes it out of its groups.
        let r = scim(&app, Method::DELETE, &format!("/Users/{ada_id}"), &t, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let r = scim(&app, Method::GET, &path, &t, None).await;
        assert!(r.json().get("members").is_none(), "{}", r.body);
    }
);

app_test!(
    an_employers_directory_provisions_members_and_owners,
    |app| async move {
        let (_, uni) = university(
            &app,
            "career@uni.example",
            "Uni of Example",
            "uni.example",
            true,
        )
        .await;
        let boss = app.actor("owner@firm.example", "employer").await;
        // Employers list their own domains; not a public mail service, and not
        // a domain another organization has.
        for (domains, why) in [
            (json!(["gmail.com"]), "public email service"),
            (json!(["uni.example"]), "another organization"),
        ] {
            let r = app
                .api(
                    Method::POST,
                    "/api/v1/organizations",
                    Some(&boss.token),
                    Some(json!({"name": "Firm Ltd", "country": "GB", "email_domains": domains})),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(r.body.contains(why), "{}", r.body);
        }
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
        // An employer's domain makes nobody a student of a university.
        assert_eq!(
            app.state
                .store
                .university_for_domain("firm.example")
                .await
                .ok()
                .flatten(),
            None
        );
        assert_eq!(
            app.state
                .store
                .university_for_domain("uni.example")
                .await
                .ok()
                .flatten(),
            Some(uni)
        );

        let t = token(&app, &boss.cookie, "Entra ID").await;
        let r = scim(
            &app,
            Method::POST,
            "/Users",
            &t,
            Some(ada("lee@uni.example")),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let lee = provision(&app, &t, "lee@firm.example").await;
        let member = |email: &'static str| {
            let app = &app;
            async move {
                let u = app
                    .state
                    .store
                    .user_by_email(email)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| panic!("no account {email}"));
                let m = app.state.store.membership(u.id).await.ok().flatten();
                (u.role, m.map(|m| (m.org.id, m.role.as_str())))
            }
        };
        assert_eq!(
            member("lee@firm.example").await,
            (Role::Employer, Some((firm, "member")))
        );

        let r = scim(
            &app,
            Method::POST,
            "/Groups",
            &t,
            Some(json!({"displayName": "Stint admins", "members": [{"value": lee}]})),
        )
        .await;
        let gid = r.json()["id"].as_str().unwrap_or_default().to_string();
        let map = |role: Value| {
            let (app, gid, token) = (&app, gid.clone(), boss.token.clone());
            async move {
                app.api(
                    Method::PUT,
                    &format!("/api/v1/organization/provisioning/groups/{gid}"),
                    Some(&token),
                    Some(json!({"role": role})),
                )
                .await
            }
        };
        let r = map(json!("career")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = map(json!("owner")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["groups"][0]["role"], json!("owner"));
        assert_eq!(
            member("lee@firm.example").await,
            (Role::Employer, Some((firm, "owner")))
        );
        let page = app
            .get("/organization/provisioning", Some(&boss.cookie))
            .await;
        assert!(page.body.contains("Stint admins"), "{}", page.body);
        assert!(!page.body.contains("Career staff"), "{}", page.body);

        // Unmapped, Lee is a member again; the original owner stays one.
        let r = map(Value::Null).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            member("lee@firm.example").await,
            (Role::Employer, Some((firm, "member")))
        );
        assert_eq!(member("owner@firm.example").await.1, Some((firm, "owner")));
    }
);

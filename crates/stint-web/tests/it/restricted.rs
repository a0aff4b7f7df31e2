//! Projects arranged with a university for its own students: only its
//! confirmed students (and its staff, the employer and admins) see them and
//! may apply; search, matches, the employer's public page and every other
//! university leave them out.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::app_test;
use crate::common::project_json;
use crate::universities::{university, verify_account_email};

app_test!(
    a_project_arranged_with_a_university_is_for_its_students_only,
    |app| async move {
        let (staff, _) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let (other, _) =
            university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
        university(&app, "careers@new.test", "New Uni", "new.test", false).await;
        let ana = app.student("ana@uni.test").await;
        verify_account_email(&app, "ana@uni.test", &ana).await;
        let bo = app.student("bo@other.test").await;
        verify_account_email(&app, "bo@other.test", &bo).await;
        let cy = app.student("cy@mail.test").await;
        let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival", true).await;
        let admin = app.admin().await;

        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("Campus travel survey")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let pid = r.json()["id"].as_i64().unwrap_or_default();
        let path = format!("/api/v1/projects/{pid}/restriction");

        // Only a verified university, and only the employer's members.
        for (slug, why) in [
            ("nowhere", "unknown"),
            ("new-uni", "not verified"),
            ("acme", "an employer"),
        ] {
            let r = app
                .api(
                    Method::PUT,
                    &path,
                    Some(&boss.token),
                    Some(json!({"university": slug})),
                )
                .await;
            assert_eq!(
                (r.status, r.fields()),
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec!["university".to_string()]
                ),
                "{why}: {}",
                r.body
            );
        }
        let r = app
            .api(
                Method::PUT,
                &path,
                Some(&boss.token),
                Some(json!({"university": 7})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        for who in [&rival, &staff, &ana] {
            let r = app
                .api(
                    Method::PUT,
                    &path,
                    Some(&who.token),
                    Some(json!({"university": "uni-of-test"})),
                )
                .await;
            assert!(
                matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{}: {}",
                who.email,
                r.status
            );
        }
        let r = app
            .form(
                &format!("/employer/projects/{pid}/restriction"),
                Some(&rival.cookie),
                &[("university", "uni-of-test")],
            )
            .await;
        assert!(matches!(
            r.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ));

        // The draft's page offers the choice; the form sets it.
        let page = app
            .get(&format!("/projects/{pid}"), Some(&boss.cookie))
            .await;
        assert!(
            page.body.contains("Who can apply")
                && page.body.contains("Only students of Uni of Test")
        );
        assert!(
            !page.body.contains("Only students of New Uni"),
            "unverified universities are not offered"
        );
        let r = app
            .form(
                &format!("/employer/projects/{pid}/restriction"),
                Some(&boss.cookie),
                &[("university", "uni-of-test")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{pid}"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(
            r.json()["restricted_to"]["slug"],
            "uni-of-test",
            "{}",
            r.body
        );
        let r = app
            .form(
                &format!("/employer/projects/{pid}/publish"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.location().ends_with("notice=published_arranged"),
            "{}",
            r.location()
        );

        // Fixed once published.
        let r = app
            .api(
                Method::PUT,
                &path,
                Some(&boss.token),
                Some(json!({"university": null})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["code"], "not_editable");

        // Who sees it.
        let show = format!("/api/v1/projects/{pid}");
        assert_eq!(
            app.api(Method::GET, &show, None, None).await.status,
            StatusCode::NOT_FOUND
        );
        for who in [&bo, &cy, &other, &rival] {
            let r = app.api(Method::GET, &show, Some(&who.token), None).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{} must not see it",
                who.email
            );
            let r = app
                .get(&format!("/projects/{pid}"), Some(&who.cookie))
                .await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{} must not see the page",
                who.email
            );
            assert!(!r.body.contains("Campus travel survey"));
        }
        for who in [&ana, &staff, &boss, &admin] {
            let r = app.api(Method::GET, &show, Some(&who.token), None).await;
            assert_eq!(r.status, StatusCode::OK, "{} sees it", who.email);
        }
        let page = app
            .get(&format!("/projects/{pid}"), Some(&ana.cookie))
            .await;
        assert!(page.body.contains("Arranged with") && page.body.contains("Apply to this project"));
        assert!(
            !page.body.contains("application/ld+json"),
            "not offered to search engines"
        );
        assert!(page.body.contains("noindex"));

        // Not in search (words, browsing, facets) nor on the employer's page,
        // for anyone.
        for who in [None, Some(&ana), Some(&bo)] {
            let token = who.map(|a| a.token.as_str());
            for q in ["q=campus%20travel", "", "category=data-analysis"] {
                let r = app
                    .api(Method::GET, &format!("/api/v1/projects?{q}"), token, None)
                    .await;
                assert_eq!(r.status, StatusCode::OK);
                assert!(
                    !r.body.contains("Campus travel survey"),
                    "search {q}: {}",
                    r.body
                );
            }
            let cookie = who.map(|a| a.cookie.as_str());
            assert!(
                !app.get("/projects?q=campus", cookie)
                    .await
                    .body
                    .contains("Campus travel survey")
            );
            assert!(
                !app.get("/organizations/acme", cookie)
                    .await
                    .body
                    .contains("Campus travel survey")
            );
        }

        // Matches: never for another university's student.
        let r = app
            .api(Method::GET, "/api/v1/me/matches", Some(&bo.token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Campus travel survey"));
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/compare?ids={pid},{pid}1"),
                Some(&bo.token),
                None,
            )
            .await;
        assert!(!r.body.contains("Campus travel survey"));

        // Applying: only its confirmed students.
        assert_eq!(app.apply(&bo, pid).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.apply(&cy, pid).await.status, StatusCode::NOT_FOUND);
        let r = app.apply(&ana, pid).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/matches/{pid}/hide"),
                Some(&bo.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The university's pages list it, and only its.
        let school = app.get("/u/uni-of-test", None).await;
        assert!(
            school.body.contains("Campus travel survey")
                && school.body.contains("Only for Uni of Test students")
        );
        assert!(
            !app.get("/u/other-uni", None)
                .await
                .body
                .contains("Campus travel survey")
        );
        let r = app
            .api(Method::GET, "/api/v1/universities/uni-of-test", None, None)
            .await;
        assert_eq!(r.json()["featured"][0]["restricted"], true, "{}", r.body);
        assert!(
            app.get("/me/university", Some(&ana.cookie))
                .await
                .body
                .contains("Campus travel survey")
        );
        assert!(
            !app.get("/me/university", Some(&bo.cookie))
                .await
                .body
                .contains("Campus travel survey")
        );
        let portal = app.get("/university/projects", Some(&staff.cookie)).await;
        assert!(
            portal.body.contains("Campus travel survey")
                && portal.body.contains("Only for your students")
        );
        assert!(
            !app.get("/university/projects", Some(&other.cookie))
                .await
                .body
                .contains("Campus travel survey")
        );
        let r = app
            .api(
                Method::GET,
                "/api/v1/university/projects",
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(r.json()["projects"][0]["restricted"], true, "{}", r.body);

        // Another university cannot feature it.
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/university/projects/{pid}/feature"),
                Some(&other.token),
                Some(json!({"note": ""})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

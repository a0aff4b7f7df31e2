//! Verifiable credentials: issued when the employer confirms outcomes,
//! shown and checked on a public page only as the student allows, verified
//! against the published keys, revoked by admins through the status list,
//! and replaced when changed outcomes are confirmed again.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::api_reviews::approved;
use crate::app_test;
use crate::common::{Actor, TestApp};

/// A paid engagement whose outcomes the employer confirmed: (employer,
/// student, achievement id).
async fn confirmed(app: &TestApp) -> (Actor, Actor, i64) {
    let (boss, s, _) = approved(app).await;
    let aid = app
        .api(Method::GET, "/api/v1/me/achievements", Some(&s.token), None)
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap_or_default();
    outcomes(
        app,
        &s,
        aid,
        &["500 survey responses coded", "12 themes reported"],
    )
    .await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/achievements/{aid}/confirm"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (boss, s, aid)
}

async fn outcomes(app: &TestApp, s: &Actor, aid: i64, lines: &[&str]) {
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/achievements/{aid}"),
            Some(&s.token),
            Some(json!({"summary": "Coded 500 survey answers into themes.", "outcomes": lines})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn mine(app: &TestApp, s: &Actor) -> Value {
    app.api(Method::GET, "/api/v1/me/credentials", Some(&s.token), None)
        .await
        .json()
}

async fn verify(app: &TestApp, credential: &Value) -> Value {
    app.api(
        Method::POST,
        "/api/v1/credentials/verify",
        None,
        Some(json!({ "credential": credential })),
    )
    .await
    .json()
}

/// The bit of `credential` in the published status list.
async fn revoked_bit(app: &TestApp, credential: &Value) -> bool {
    let list = app.get("/credentials/status/1", None).await.json();
    let index: usize = credential["credentialStatus"]["statusListIndex"]
        .as_str()
        .and_then(|i| i.parse().ok())
        .unwrap_or(usize::MAX);
    let encoded = list["credentialSubject"]["encodedList"]
        .as_str()
        .unwrap_or_default();
    stint_credentials::status::is_set(encoded, index).unwrap_or_else(|e| panic!("{e}"))
}

app_test!(
    a_confirmed_achievement_carries_a_credential_that_verifies,
    |app| async move {
        let (boss, s, aid) = confirmed(&app).await;
        let list = mine(&app, &s).await;
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        assert_eq!(list[0]["achievement_id"], aid);
        assert_eq!(list[0]["title"], "Workspace project");
        let linkedin = list[0]["linkedin_url"].as_str().unwrap_or_default();
        assert!(
        linkedin.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Workspace%20project&")
            && linkedin.contains("certId="),
        "{linkedin}"
    );
        let id = list[0]["id"].as_str().unwrap_or_default().to_string();
        let api = format!("/api/v1/credentials/{id}");
        let page = format!("/credentials/{id}");

        // The student sees it; nobody else until the portfolio is public.
        let doc = app
            .api(Method::GET, &api, Some(&s.token), None)
            .await
            .json();
        assert_eq!(
            doc["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(doc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_eq!(doc["credentialSubject"]["result"][1]["value"], "500");
        let nosy = app.student("nosy@x.com").await;
        for who in [None, Some(nosy.token.as_str()), Some(boss.token.as_str())] {
            assert_eq!(
                app.api(Method::GET, &api, who, None).await.status,
                StatusCode::NOT_FOUND
            );
        }
        assert_eq!(app.get(&page, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(&page, Some(&nosy.cookie)).await.status,
            StatusCode::NOT_FOUND
        );
        let own = app.get(&page, Some(&s.cookie)).await;
        assert!(
            own.body.contains("Signature valid, not revoked"),
            "{}",
            own.body
        );
        assert!(own.body.contains("Add to LinkedIn"));
        app.api(
            Method::PUT,
            "/api/v1/me/portfolio",
            Some(&s.token),
            Some(json!({"public": true})),
        )
        .await;
        let public = app.get(&page, None).await;
        assert!(public.body.contains("Signature valid, not revoked"));
        assert!(
            !public.body.contains("Add to LinkedIn"),
            "only the student adds it"
        );
        assert!(!public.body.contains(&s.email), "the email is only hashed");
        assert_eq!(app.api(Method::GET, &api, None, None).await.json(), doc);
        let download = app.get(&format!("{page}/download"), None).await;
        assert!(
            download.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap_or_default()
                .starts_with("attachment")
        );
        assert_eq!(download.json(), doc);

        // It verifies; a changed copy does not; the issuer's keys are public.
        assert_eq!(
            verify(&app, &doc).await,
            json!({"verified": true, "revoked": false, "reason": null})
        );
        let mut changed = doc.clone();
        changed["credentialSubject"]["result"][1]["value"] = "5000".into();
        let v = verify(&app, &changed).await;
        assert_eq!(v["verified"], false);
        assert!(
            v["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("changed after it was signed")
        );
        let did = app.get("/.well-known/did.json", None).await.json();
        let method = doc["proof"]["verificationMethod"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(did["assertionMethod"], json!([method]));
        assert!(method.starts_with(did["id"].as_str().unwrap_or("?")));
        assert_eq!(doc["issuer"]["id"], did["id"]);
        assert!(!revoked_bit(&app, &doc).await);

        // The résumé carries the verified work and its credential; it is
        // the student's alone.
        let resume = app
            .api(Method::GET, "/api/v1/me/resume", Some(&s.token), None)
            .await
            .json();
        assert_eq!(resume["work"][0]["position"], "Workspace project");
        assert_eq!(
            resume["work"][0]["highlights"],
            json!(["500 survey responses coded", "12 themes reported"])
        );
        assert_eq!(
            resume["certificates"][0]["url"].as_str(),
            list[0]["url"].as_str()
        );
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/resume", Some(&boss.token), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/resume", None, None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let file = app.get("/me/resume.json", Some(&s.cookie)).await;
        assert_eq!(file.json(), resume);
        assert!(
            file.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap_or_default()
                .contains("resume.json")
        );

        // And as a PDF, for the student only.
        let pdf = app.get("/me/resume.pdf", Some(&s.cookie)).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(
            pdf.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap_or_default(),
            "application/pdf"
        );
        assert!(pdf.body.starts_with("%PDF-"));
        let api_pdf = app
            .api(
                Method::GET,
                "/api/v1/me/resume/pdf?paper=letter",
                Some(&s.token),
                None,
            )
            .await;
        assert!(
            api_pdf.body.starts_with("%PDF-") && api_pdf.body.contains("612"),
            "Letter"
        );
        let full = app.get("/me/portfolio.pdf", Some(&s.cookie)).await;
        assert!(full.body.starts_with("%PDF-") && full.body != pdf.body);
        let doc = app
            .api(
                Method::GET,
                "/api/v1/me/resume/pdf?document=cv",
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(doc.fields(), vec!["document"]);
        let bad = app
            .api(
                Method::GET,
                "/api/v1/me/resume/pdf?paper=a5",
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(bad.fields(), vec!["paper"]);
        assert_eq!(
            app.get("/me/resume.pdf", Some(&boss.cookie)).await.status,
            StatusCode::FORBIDDEN
        );

        // Another employer weighing the student sees the verified record,
        // as counts, even under blind screening (the name stays hidden).
        let (rival, _) = app.employer("hr@rival.com", "Rival", true).await;
        let pid = app.published(&rival, "Blind survey project", 1, true).await;
        let mine_id = app.apply(&s, pid).await.json()["id"].clone();
        let fresh = app.student("fresh@x.com").await;
        let fresh_id = app.apply(&fresh, pid).await.json()["id"].clone();
        let list = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{pid}/applications"),
                Some(&rival.token),
                None,
            )
            .await
            .json();
        let items = list["items"].as_array().cloned().unwrap_or_default();
        let of = |id: &Value| {
            items
                .iter()
                .find(|i| &i["id"] == id)
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            of(&mine_id)["track_record"],
            json!({"completed_projects": 1, "reviews": 0, "average_rating": null, "credentials": 1})
        );
        assert_eq!(
            of(&mine_id)["name"],
            Value::Null,
            "blind screening still hides the name"
        );
        assert_eq!(of(&fresh_id)["track_record"]["completed_projects"], 0);
        let page = app
            .get(
                &format!("/employer/projects/{pid}/applicants"),
                Some(&rival.cookie),
            )
            .await;
        assert!(
            page.body
                .contains("1 project completed on Stint · 1 verifiable credential"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("New to Stint: no completed projects yet.")
        );
    }
);

app_test!(
    only_admins_revoke_and_the_status_list_says_so,
    |app| async move {
        let (boss, s, _) = confirmed(&app).await;
        let id = mine(&app, &s).await[0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let doc = app
            .api(
                Method::GET,
                &format!("/api/v1/credentials/{id}"),
                Some(&s.token),
                None,
            )
            .await
            .json();
        let revoke = format!("/api/v1/admin/credentials/{id}/revoke");
        let reason = json!({"reason": "The employer reported the outcomes were overstated."});
        for who in [&s, &boss] {
            assert_eq!(
                app.api(
                    Method::POST,
                    &revoke,
                    Some(&who.token),
                    Some(reason.clone())
                )
                .await
                .status,
                StatusCode::FORBIDDEN
            );
        }
        let admin = app.admin().await;
        let short = app
            .api(
                Method::POST,
                &revoke,
                Some(&admin.token),
                Some(json!({"reason": "no"})),
            )
            .await;
        assert_eq!(
            (short.status, short.fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_string()])
        );
        assert_eq!(
            app.api(
                Method::POST,
                "/api/v1/admin/credentials/0000/revoke",
                Some(&admin.token),
                Some(reason.clone())
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        // The credential page's form, for admins only.
        let form = format!("/credentials/{id}/revoke");
        assert_eq!(
            app.form(&form, Some(&s.cookie), &[("reason", "Not mine to revoke.")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.form(
                &form,
                Some(&admin.cookie),
                &[(
                    "reason",
                    "The employer reported the outcomes were overstated."
                )]
            )
            .await
            .location(),
            format!("/credentials/{id}?notice=credential_revoked")
        );
        assert_eq!(
            app.api(
                Method::POST,
                &revoke,
                Some(&admin.token),
                Some(reason.clone())
            )
            .await
            .code(),
            "already_revoked"
        );
        let listed = mine(&app, &s).await;
        assert!(
            listed[0]["linkedin_url"].is_null(),
            "no LinkedIn link for a revoked credential"
        );
        assert!(revoked_bit(&app, &doc).await);
        let v = verify(&app, &doc).await;
        assert_eq!(
            (v["verified"].as_bool(), v["revoked"].as_bool()),
            (Some(false), Some(true))
        );
        let page = app
            .get(&format!("/credentials/{id}"), Some(&s.cookie))
            .await;
        assert!(page.body.contains("Revoked."), "{}", page.body);
        assert!(page.body.contains("outcomes were overstated"));
    }
);

app_test!(
    confirming_changed_outcomes_replaces_the_credential,
    |app| async move {
        let (boss, s, aid) = confirmed(&app).await;
        let first = mine(&app, &s).await[0].clone();
        // Confirming again without a change issues nothing new.
        app.api(
            Method::POST,
            &format!("/api/v1/achievements/{aid}/confirm"),
            Some(&boss.token),
            None,
        )
        .await;
        assert_eq!(mine(&app, &s).await.as_array().map(Vec::len), Some(1));
        outcomes(
            &app,
            &s,
            aid,
            &["500 survey responses coded", "14 themes reported"],
        )
        .await;
        app.api(
            Method::POST,
            &format!("/api/v1/achievements/{aid}/confirm"),
            Some(&boss.token),
            None,
        )
        .await;
        let list = mine(&app, &s).await;
        assert_eq!(list.as_array().map(Vec::len), Some(2));
        assert_eq!(list[0]["revoked_at"], Value::Null);
        assert_eq!(list[1]["id"], first["id"]);
        assert!(
            list[1]["revoked_reason"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Replaced"),
            "{list}"
        );
        let new = app
            .api(
                Method::GET,
                &format!(
                    "/api/v1/credentials/{}",
                    list[0]["id"].as_str().unwrap_or_default()
                ),
                Some(&s.token),
                None,
            )
            .await
            .json();
        assert_eq!(new["credentialSubject"]["result"][2]["value"], "14");
        assert_eq!(verify(&app, &new).await["verified"], true);
    }
);

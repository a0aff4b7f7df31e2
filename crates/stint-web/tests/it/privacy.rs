//! People's data: a download of everything Stint holds about the person,
//! prepared by a job, fetched only by them and only for a week; the
//! admins' list of requests; the command line's export.

use std::io::Read as _;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Duration;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::api_engagements::hired;
use crate::app_test;
use crate::common::{Actor, TestApp, multipart_body};

const REPORT: &[u8] = b"theme,count\npricing,41\nonboarding,17\n";

/// A response's raw bytes (a .zip is not text).
async fn bytes(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut b = Request::builder().method(Method::GET).uri(path);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("stint_session={c}"));
    }
    let res = app
        .clone_router()
        .oneshot(b.body(Body::empty()).unwrap_or_default())
        .await
        .unwrap_or_else(|e| match e {});
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    (status, headers, body)
}

/// The archive's entries: name → bytes.
fn entries(zip_bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes))
        .unwrap_or_else(|e| panic!("not a zip: {e}"));
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap_or_else(|e| panic!("{e}"));
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        out.insert(name, buf);
    }
    out
}

fn json_of(entries: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    let b = entries.get(name).unwrap_or_else(|| {
        panic!(
            "{name} missing from {:?}",
            entries.keys().collect::<Vec<_>>()
        )
    });
    serde_json::from_slice(b).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn run_jobs(app: &TestApp) {
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A student with one of everything: a delivered file, messages, reviews
/// both ways, a confirmed achievement and its credential, a saved search,
/// being discoverable, a payout method. (employer, student, engagement).
async fn busy_student(app: &TestApp) -> (Actor, Actor, i64) {
    let (boss, s, id) = hired(app).await;
    let eng = |action: &str| format!("/api/v1/engagements/{id}/{action}");
    let r = app
        .api(
            Method::POST,
            &eng("messages"),
            Some(&s.token),
            Some(json!({"body": "Coding the answers now; pricing is the biggest theme."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &eng("messages"),
            Some(&boss.token),
            Some(json!({"body": "Great, thank you for the update."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (ct, body) = multipart_body(&[
        ("note", None, b"Themes counted, report attached."),
        ("files", Some("themes.csv"), REPORT),
    ]);
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(eng("submissions"))
                .header(header::AUTHORIZATION, format!("Bearer {}", s.token))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap_or_default(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(Method::POST, &eng("approve"), Some(&boss.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for (who, text) in [
        (&s, "Clear brief and quick answers from the team."),
        (&boss, "Careful coding and a tidy report, on time."),
    ] {
        let r = app
            .api(
                Method::POST,
                &eng("reviews"),
                Some(&who.token),
                Some(json!({"ratings": [5, 4, 5], "body": text})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let aid = app
        .api(Method::GET, "/api/v1/me/achievements", Some(&s.token), None)
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app
        .api(Method::PUT, &format!("/api/v1/achievements/{aid}"), Some(&s.token), Some(json!({"summary": "Coded 500 survey answers into themes.", "outcomes": ["500 answers coded"]})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/achievements/{aid}/confirm"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/reach",
            Some(&s.token),
            Some(json!({"discoverable": true, "invitations": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(Method::PUT, "/api/v1/me/profile", Some(&s.token), Some(json!({"headline": "Survey analyst in the making", "skills": ["survey-design"], "interests": ["market-research"], "availability_hours": 10})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(Method::PUT, "/api/v1/me/payout-details", Some(&s.token), Some(json!({"method": "in_bank", "holder_name": "Worker Kumar", "account_number": "5010 0123 4567 89", "ifsc": "hdfc0001234"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/equity",
            Some(&s.token),
            Some(json!({"first_generation": "yes", "gender": "woman"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/searches",
            Some(&s.token),
            Some(json!({"name": "Survey work", "q": "survey"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (boss, s, id)
}

app_test!(a_download_holds_every_kind_of_record, |app| async move {
    let (boss, s, id) = busy_student(&app).await;
    let other = app.student("other@x.com").await;

    // Asked for through the API: prepared by a job, not at once.
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/data-exports",
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let req = r.json();
    assert_eq!(req["status"], "preparing");
    assert_eq!(req["kind"], "export");
    let rid = req["id"].as_i64().unwrap_or_default();
    let archive = format!("/api/v1/me/data-exports/{rid}/archive");
    assert_eq!(
        app.api(Method::GET, &archive, Some(&s.token), None)
            .await
            .code(),
        "export_not_ready"
    );
    // Asking again while it is prepared answers the same request.
    let again = app
        .api(
            Method::POST,
            "/api/v1/me/data-exports",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(again["id"], rid);

    run_jobs(&app).await;
    let list = app
        .api(
            Method::GET,
            "/api/v1/me/data-requests",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["status"], "ready", "{list}");
    assert_eq!(list[0]["archive_url"], archive.as_str());
    assert!(
        app.notification_kinds(&s)
            .await
            .contains(&"data".to_string())
    );

    // Nobody else can fetch it, nor see the request.
    for who in [&other, &boss] {
        let r = app.api(Method::GET, &archive, Some(&who.token), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let theirs = app
            .api(
                Method::GET,
                "/api/v1/me/data-requests",
                Some(&who.token),
                None,
            )
            .await
            .json();
        assert_eq!(theirs, json!([]));
    }
    assert_eq!(
        app.api(Method::GET, &archive, None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/me/data-exports/abc/archive",
            Some(&s.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let (status, headers, zip) = bytes(&app, &archive, Some(&s.token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/zip")
    );
    assert!(
        headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment; filename=\"stint-data-"))
    );
    let e = entries(&zip);

    // Every kind of record the student has is there, with its content.
    let index = json_of(&e, "index.json");
    let counts: std::collections::BTreeMap<String, i64> = index["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["file"].as_str().unwrap_or_default().to_string(),
                s["records"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    for file in [
        "account.json",
        "profile.json",
        "choices.json",
        "applications.json",
        "engagements.json",
        "messages.json",
        "submissions.json",
        "files.json",
        "reviews_written.json",
        "reviews_received.json",
        "achievements.json",
        "credentials.json",
        "earnings.json",
        "notifications.json",
        "saved_searches.json",
        "consents.json",
        "payout_details.json",
        "equity.json",
        "sign_ins.json",
        "data_requests.json",
        "activity.json",
    ] {
        assert!(
            counts.get(file).is_some_and(|n| *n > 0),
            "{file}: {counts:?}"
        );
        if file != "reviews_received.json" {
            assert!(e.contains_key(file), "{file} missing");
        }
    }
    // Files without records are left out, but listed in the index.
    assert_eq!(counts.get("talent_notes_written.json"), Some(&0));
    assert!(!e.contains_key("talent_notes_written.json"));
    assert_eq!(json_of(&e, "account.json")[0]["email"], "worker@x.com");
    let messages = json_of(&e, "messages.json");
    let texts: Vec<&str> = messages
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert!(
        texts.contains(&"Coding the answers now; pricing is the biggest theme."),
        "{messages}"
    );
    assert!(
        texts.contains(&"Great, thank you for the update."),
        "the other side's messages in the person's workspace: {messages}"
    );
    assert_eq!(
        json_of(&e, "reviews_written.json")[0]["body"],
        "Clear brief and quick answers from the team."
    );
    assert_eq!(
        json_of(&e, "reviews_received.json")[0]["body"],
        "Careful coding and a tidy report, on time."
    );
    let credential = &json_of(&e, "credentials.json")[0];
    assert!(
        credential["document"].is_object(),
        "the signed document as JSON: {credential}"
    );
    assert_eq!(json_of(&e, "engagements.json")[0]["id"], id);
    // Equity answers are sealed at rest and opened for their owner.
    let equity = &json_of(&e, "equity.json")[0];
    assert_eq!(
        (
            &equity["first_generation"],
            &equity["gender"],
            &equity["need_based_aid"]
        ),
        (&json!("yes"), &json!("woman"), &Value::Null),
        "{equity}"
    );
    assert!(
        json_of(&e, "choices.json")
            .to_string()
            .contains("discoverable to employers")
    );
    let consents = json_of(&e, "consents.json");
    assert_eq!(
        consents[0]["purpose"], "discoverable to employers",
        "{consents}"
    );
    assert_eq!(consents[0]["choice"], "on");
    assert!(
        json_of(&e, "earnings.json")
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert_eq!(
        json_of(&e, "resume.json")["basics"]["email"],
        "worker@x.com"
    );
    let file = e
        .iter()
        .find(|(k, _)| {
            k.starts_with(&format!("files/engagement-{id}/v1/")) && k.ends_with("themes.csv")
        })
        .unwrap_or_else(|| panic!("the delivered file: {:?}", e.keys().collect::<Vec<_>>()));
    assert_eq!(file.1.as_slice(), REPORT);
    assert!(String::from_utf8_lossy(&e["README.txt"]).contains("index.json"));
    // No secret is in it: no password or token hash, no sealed details.
    let everything: String = e
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!everything.contains("$argon2"), "a password hash leaked");
    assert!(!everything.contains("token_hash") && !everything.contains("sealed"));
    assert!(
        !everything.contains("5010 0123 4567 89") && !everything.contains("50100123456789"),
        "payout details only masked"
    );
    assert_eq!(
        json_of(&e, "profile.json")[0]["headline"],
        "Survey analyst in the making"
    );
    // Times read the same on both engines (RFC 3339).
    let created = json_of(&e, "account.json")[0]["created_at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        chrono::DateTime::parse_from_rfc3339(&created).is_ok(),
        "{created}"
    );

    // A week later the download is gone, and the file with it.
    app.state.clock.advance(Duration::days(8));
    run_jobs(&app).await;
    assert_eq!(
        app.api(Method::GET, &archive, Some(&s.token), None)
            .await
            .code(),
        "export_expired"
    );
    let list = app
        .api(
            Method::GET,
            "/api/v1/me/data-requests",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(list[0]["status"], "expired");
    assert!(list[0]["archive_url"].is_null());
});

app_test!(the_page_and_the_admins_list, |app| async move {
    let s = app.student("page@x.com").await;
    let page = app.get("/account/data", Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Prepare a download"));
    assert!(page.body.contains("What the download holds"));
    let r = app.form("/account/data/export", Some(&s.cookie), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/account/data?notice=export_requested");
    let page = app.get("/account/data", Some(&s.cookie)).await;
    assert!(page.body.contains("Being prepared"), "{}", page.body);
    assert!(!page.body.contains(">Prepare a download<"));
    run_jobs(&app).await;
    let page = app.get("/account/data", Some(&s.cookie)).await;
    let link = page
        .body
        .split("href=\"/account/data/exports/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/account/data/exports/{id}"))
        .unwrap_or_else(|| panic!("no download link: {}", page.body));
    let (status, headers, zip) = bytes(&app, &link, None, Some(&s.cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("private, no-store")
    );
    assert!(entries(&zip).contains_key("account.json"));
    // Another person's page link is not found; signed out, sign in first.
    let other = app.student("nosy@x.com").await;
    assert_eq!(
        app.get(&link, Some(&other.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&link, None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/account/data/exports/x", Some(&s.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // From the command line: recorded as answered.
    let (user, archive) = stint_web::app::privacy::export_now(&app.state, "nosy@x.com")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(user.id, other.id);
    assert!(entries(&archive.bytes).contains_key("account.json"));
    assert!(matches!(
        stint_web::app::privacy::export_now(&app.state, "nobody@x.com").await,
        Err(stint_web::AppError::NotFound)
    ));

    // Admins see every request, with deadline and log; others may not.
    let admin = app.admin().await;
    let list = app.get("/admin/data-requests", Some(&admin.cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("page@x.com") && list.body.contains("nosy@x.com"),
        "{}",
        list.body
    );
    assert!(list.body.contains("data.export_downloaded"));
    assert!(list.body.contains("from the command line"));
    let api = app
        .api(
            Method::GET,
            "/api/v1/admin/data-requests",
            Some(&admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(api.as_array().map(Vec::len), Some(2), "{api}");
    assert!(
        api.as_array()
            .into_iter()
            .flatten()
            .all(|r| r["overdue"] == false)
    );
    assert_eq!(
        app.get("/admin/data-requests", Some(&s.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/admin/data-requests",
            Some(&s.token),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
});

app_test!(corrections_are_asked_for_and_answered, |app| async move {
    let s = app.student("fix@x.com").await;
    let admin = app.admin().await;
    // The form names what is wrong with the request; nothing is recorded.
    let r = app
        .form(
            "/account/data/correction",
            Some(&s.cookie),
            &[("detail", "  typo ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at least 10 characters") && r.body.contains("aria-invalid=\"true\""));
    for (body, field) in [
        (json!({"kind": "correction", "detail": "short"}), "detail"),
        (
            json!({"kind": "deletion", "detail": "Please delete everything."}),
            "kind",
        ),
        // Control characters are refused for the whole body, as everywhere.
        (
            json!({"kind": "correction", "detail": "My name\u{0007} is wrong"}),
            "body",
        ),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/data-requests",
                Some(&s.token),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec![field.to_string()], "{}", r.body);
    }
    let mine = app
        .api(
            Method::GET,
            "/api/v1/me/data-requests",
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(mine, json!([]));

    let r = app
        .form(
            "/account/data/correction",
            Some(&s.cookie),
            &[(
                "detail",
                "My university is Delhi Institute of Technology, not DIT Bangalore.",
            )],
        )
        .await;
    assert_eq!(r.location(), "/account/data?notice=correction_requested");
    let r = app
        .api(Method::POST, "/api/v1/me/data-requests", Some(&s.token), Some(json!({"kind": "correction", "detail": "My name is spelt Fix Kumar, not Fix Kumer."})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let by_api = r.json();
    assert_eq!(by_api["status"], "open");
    let id = by_api["id"].as_i64().unwrap_or_default();
    let answer = format!("/api/v1/admin/data-requests/{id}/answer");

    // Only admins answer; a refusal says why.
    let r = app
        .api(
            Method::POST,
            &answer,
            Some(&s.token),
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            &answer,
            Some(&admin.token),
            Some(json!({"status": "refused"})),
        )
        .await;
    assert_eq!(r.fields(), vec!["answer".to_string()], "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &answer,
            Some(&admin.token),
            Some(json!({"status": "maybe", "answer": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/admin/data-requests/999999/answer",
            Some(&admin.token),
            Some(json!({"status": "done"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .api(Method::POST, &answer, Some(&admin.token), Some(json!({"status": "refused", "answer": "Your account shows Fix Kumar already; reload the page."})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "refused");
    assert_eq!(
        app.api(
            Method::POST,
            &answer,
            Some(&admin.token),
            Some(json!({"status": "done"}))
        )
        .await
        .code(),
        "already_answered"
    );
    assert!(
        app.notification_kinds(&s)
            .await
            .contains(&"data".to_string())
    );
    let page = app.get("/account/data", Some(&s.cookie)).await;
    assert!(
        page.body
            .contains("Answer: Your account shows Fix Kumar already"),
        "{}",
        page.body
    );

    // The admins' page answers the other one; a download is not answered.
    let list = app.get("/admin/data-requests", Some(&admin.cookie)).await;
    assert!(list.body.contains("Delhi Institute of Technology"));
    let other = app
        .api(
            Method::GET,
            "/api/v1/me/data-requests",
            Some(&s.token),
            None,
        )
        .await
        .json()
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["status"] == "open")
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_default();
    let r = app
        .form(
            &format!("/admin/data-requests/{other}/answer"),
            Some(&admin.cookie),
            &[("status", "refused"), ("answer", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Say why the request is refused"));
    let r = app
        .form(
            &format!("/admin/data-requests/{other}/answer"),
            Some(&admin.cookie),
            &[("status", "done"), ("answer", "Corrected on your profile.")],
        )
        .await;
    assert_eq!(r.location(), "/admin/data-requests?notice=request_answered");
    let export = app
        .api(
            Method::POST,
            "/api/v1/me/data-exports",
            Some(&s.token),
            None,
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/admin/data-requests/{export}/answer"),
            Some(&admin.token),
            Some(json!({"status": "done"}))
        )
        .await
        .code(),
        "not_answerable"
    );
    let log = app
        .state
        .store
        .audit_for("data_request", other)
        .await
        .unwrap_or_default();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["data.correction_requested", "data.correction_done"]
    );
});

app_test!(people_correct_their_own_name, |app| async move {
    let s = app.student("name@x.com").await;
    let other = app.student("bystander@x.com").await;
    let r = app
        .form("/account/name", Some(&s.cookie), &[("name", "   ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"name-err\""), "{}", r.body);
    let r = app
        .form("/account/name", Some(&s.cookie), &[("name", "Asha  Rao")])
        .await;
    assert_eq!(r.location(), "/account?notice=name_saved");
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&s.token), None)
        .await
        .json();
    assert_eq!(me["name"], "Asha  Rao");
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(81)}), "name"),
        (json!({"name": "Two\nlines"}), "name"),
        // The email address is not changed here; the body says so.
        (json!({"name": "Asha", "email": "new@x.com"}), "body"),
    ] {
        let r = app
            .api(Method::PATCH, "/api/v1/me", Some(&s.token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.code(), "validation_failed");
        assert_eq!(r.fields(), vec![field.to_string()], "{}", r.body);
    }
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/me",
            Some(&s.token),
            Some(json!({"name": "Asha Rao"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["name"], "Asha Rao");
    assert_eq!(
        app.api(
            Method::PATCH,
            "/api/v1/me",
            None,
            Some(json!({"name": "Nobody"}))
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    // Only the caller's own name changes.
    let theirs = app
        .api(Method::GET, "/api/v1/me", Some(&other.token), None)
        .await
        .json();
    assert_eq!(theirs["name"], crate::common::person("bystander@x.com"));
    let log = app
        .state
        .store
        .audit_for("user", s.id)
        .await
        .unwrap_or_default();
    assert_eq!(
        log.iter()
            .filter(|a| a.action == "user.name_changed")
            .count(),
        2
    );
});

/// Everything the employer and an admin can read about the engagement,
/// its project and the people in it, as one text.
async fn what_others_see(
    app: &TestApp,
    boss: &Actor,
    admin: &Actor,
    id: i64,
    project: i64,
) -> String {
    let mut seen = String::new();
    for path in [
        format!("/api/v1/engagements/{id}"),
        format!("/api/v1/engagements/{id}/messages"),
        format!("/api/v1/engagements/{id}/reviews"),
        format!("/api/v1/projects/{project}/applications"),
        "/api/v1/talent".to_string(),
        "/api/v1/talent/find?skills=survey-design".to_string(),
        "/api/v1/invitations".to_string(),
    ] {
        let r = app.api(Method::GET, &path, Some(&boss.token), None).await;
        assert!(
            r.status.is_success() || r.status == StatusCode::NOT_FOUND,
            "{path}: {} {}",
            r.status,
            r.body
        );
        seen.push_str(&r.body);
    }
    for path in [
        format!("/engagements/{id}"),
        format!("/employer/projects/{project}/applicants"),
        "/employer/talent".to_string(),
        "/notifications".to_string(),
    ] {
        seen.push_str(&app.get(&path, Some(&boss.cookie)).await.body);
    }
    for path in [
        "/admin/data-requests",
        "/admin/payments",
        &format!("/engagements/{id}"),
    ] {
        seen.push_str(&app.get(path, Some(&admin.cookie)).await.body);
    }
    for path in ["/api/v1/admin/data-requests"] {
        seen.push_str(
            &app.api(Method::GET, path, Some(&admin.token), None)
                .await
                .body,
        );
    }
    for m in app
        .state
        .store
        .recent_email(10_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        seen.push_str(&format!("{} {} {}\n", m.to_addr, m.subject, m.body));
    }
    seen
}

app_test!(
    deleting_an_account_erases_the_person_everywhere,
    |app| async move {
        let (boss, s, id) = busy_student(&app).await;
        let admin = app.admin().await;
        let me = app
            .api(Method::GET, "/api/v1/me", Some(&s.token), None)
            .await
            .json();
        let name = me["name"].as_str().unwrap_or_default().to_string();
        let email = s.email.clone();
        assert!(!name.is_empty());
        let engagement = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        let project = engagement["project_id"].as_i64().unwrap_or_default();
        // An open application elsewhere, and an employer's note about them.
        let second = app.published(&boss, "Second survey", 1, false).await;
        let r = app.apply(&s, second).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/talent/{}/notes", s.id),
                Some(&boss.token),
                Some(json!({"body": "Strong coder, ask again."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let keys: Vec<String> = app
            .state
            .store
            .personal_files(s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|f| f.3)
            .collect();
        assert_eq!(keys.len(), 1);
        let before = what_others_see(&app, &boss, &admin, id, project).await;
        assert!(before.contains(&name), "the check would see the name");
        assert!(before.contains("Coding the answers now"));

        // Not while money is still to be paid out; the page and the API say why.
        let check = app
            .api(Method::GET, "/api/v1/me/deletion", Some(&s.token), None)
            .await
            .json();
        assert_eq!(check["can_delete"], false, "{check}");
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/deletion",
                Some(&s.token),
                Some(json!({"password": crate::common::PASSWORD})),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::CONFLICT, "deletion_blocked"),
            "{}",
            r.body
        );
        let page = app.get("/account/data", Some(&s.cookie)).await;
        assert!(
            page.body.contains("Before your account can be deleted"),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("/engagements/{id}")));
        assert!(!page.body.contains("Delete my account"));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/deposit"),
                Some(&admin.token),
                Some(json!({"reference": "NEFT-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/payout"),
                Some(&admin.token),
                Some(json!({"reference": "PAY-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let check = app
            .api(Method::GET, "/api/v1/me/deletion", Some(&s.token), None)
            .await
            .json();
        assert_eq!(check["can_delete"], true, "{check}");

        // A wrong or missing password changes nothing; nobody else may.
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/deletion",
                Some(&s.token),
                Some(json!({"password": "not-it-at-all"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec!["password"]);
        let r = app
            .form("/account/data/delete", Some(&s.cookie), &[("password", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Enter your password"), "{}", r.body);
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/deletion",
                None,
                Some(json!({"password": "x"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = app
            .form(
                "/admin/data-requests/deletion",
                Some(&boss.cookie),
                &[("email", &email)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.api(Method::GET, "/api/v1/me", Some(&s.token), None)
                .await
                .status,
            StatusCode::OK
        );

        // Deleted from the page, with the password.
        let r = app
            .form(
                "/account/data/delete",
                Some(&s.cookie),
                &[("password", crate::common::PASSWORD)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/?notice=account_deleted");
        assert_eq!(
            app.api(Method::GET, "/api/v1/me", Some(&s.token), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/account", Some(&s.cookie)).await.status,
            StatusCode::SEE_OTHER
        );
        let r = app
            .form(
                "/login",
                None,
                &[("email", &email), ("password", crate::common::PASSWORD)],
            )
            .await;
        assert!(r.session().is_none(), "signed in after deletion");
        assert!(
            app.state
                .store
                .user_by_email(&email)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );

        // Nothing names them, and their texts are gone; the employer's record
        // keeps the engagement under the pseudonym.
        let after = what_others_see(&app, &boss, &admin, id, project).await;
        for gone in [
            name.as_str(),
            email.as_str(),
            crate::common::PITCH,
            "Coding the answers now",
            "Themes counted",
            "Careful coding and a tidy report",
            "Strong coder, ask again",
            "Worker Kumar",
        ] {
            assert!(!after.contains(gone), "{gone:?} is still shown");
        }
        assert!(after.contains("Former student"));
        assert!(
            after.contains("Great, thank you for the update."),
            "the employer's own messages stay"
        );
        let e = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(e.status, StatusCode::OK);
        for key in &keys {
            assert!(
                app.state.config.files.get(key).await.is_err(),
                "the delivered file is still stored"
            );
        }
        let left = app
            .state
            .store
            .references_to(s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (column, n) in &left {
            assert!(
                stint_store::KEPT_AFTER_DELETION
                    .iter()
                    .any(|(k, _)| k == column),
                "{column} still has {n} row(s) of the deleted person"
            );
        }
        assert!(
            !left
                .iter()
                .any(|(c, _)| *c == "student_profiles.user_id" || *c == "talent_pool.student_id")
        );
        let apps = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{second}/applications"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert!(apps.to_string().contains("withdrawn"), "{apps}");
        // The credential is revoked on the list verifiers read, and gone.
        let creds = app
            .state
            .store
            .student_credentials(s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !creds.is_empty()
                && creds
                    .iter()
                    .all(|c| c.revoked_at.is_some() && c.document == "{}")
        );
        let revoked = app
            .state
            .store
            .revoked_status_indexes()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(creds.iter().all(|c| revoked.contains(&c.status_index)));
        let page = app
            .get(
                &format!("/credentials/{}", creds[0].public_id),
                Some(&admin.cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);

        // The ledger still balances, and the admins' list records the deletion.
        let rows = app
            .state
            .store
            .ledger_audit_rows()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (e, list) in &rows {
            assert_eq!(stint_domain::ledger::audit(e, list), Vec::<String>::new());
        }
        let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
        for (_, currency, amount) in app
            .state
            .store
            .ledger_balances()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            *sums.entry(currency).or_default() += amount;
        }
        assert!(sums.values().all(|s| *s == 0), "{sums:?}");
        let list = app
            .api(
                Method::GET,
                "/api/v1/admin/data-requests",
                Some(&admin.token),
                None,
            )
            .await
            .json();
        assert!(list.to_string().contains("\"deletion\""), "{list}");
        let log = app
            .state
            .store
            .audit_for("user", s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(log.iter().any(|a| a.action == "user.deleted"));
    }
);

app_test!(
    admins_and_the_command_line_delete_accounts,
    |app| async move {
        let admin = app.admin().await;
        let s = app.student("asked-by-post@x.com").await;
        let t = app.student("asked-by-email@x.com").await;
        let (boss, _) = app.employer("owner@acme.example", "Acme", true).await;

        // The admins' form: an unknown email, and the admin's own account.
        let r = app
            .form(
                "/admin/data-requests/deletion",
                Some(&admin.cookie),
                &[("email", "nobody@x.com")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("No account has the email"), "{}", r.body);
        let r = app
            .form(
                "/admin/data-requests/deletion",
                Some(&admin.cookie),
                &[("email", &s.email)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            app.state
                .store
                .user_by_email(&s.email)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );
        let log = app
            .state
            .store
            .audit_for("user", s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            log.iter()
                .any(|a| a.action == "user.deleted" && a.actor_id == Some(admin.id))
        );

        // The only owner of an organization must hand it over first.
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/deletion",
                Some(&boss.token),
                Some(json!({"password": crate::common::PASSWORD})),
            )
            .await;
        assert_eq!(r.code(), "deletion_blocked", "{}", r.body);
        assert!(r.body.contains("only owner of Acme"), "{}", r.body);

        // Without a password (signing in through an organization), a sign-in
        // within ten minutes confirms; an older one does not.
        let sso = app
            .state
            .store
            .create_user(
                "sso-only@x.com",
                "!sso",
                "Sso Only",
                stint_domain::account::Role::Student,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let token = "a".repeat(64);
        app.state
            .store
            .create_session(
                &stint_web::auth::tokens::hash_token(&token),
                sso.id,
                chrono::Utc::now() + Duration::days(1),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let page = app.get("/account/data", Some(&token)).await;
        assert!(page.body.contains("no password to type"), "{}", page.body);
        let old = Some(chrono::Utc::now() - Duration::minutes(30));
        let r = stint_web::app::privacy::delete_account(
            &app.state,
            &sso,
            stint_web::app::privacy::Confirmation::SignedIn(old),
        )
        .await;
        assert!(matches!(r, Err(stint_web::AppError::Invalid(_))), "{r:?}");
        let r = stint_web::app::privacy::delete_account(
            &app.state,
            &sso,
            stint_web::app::privacy::Confirmation::Password("anything"),
        )
        .await;
        assert!(matches!(r, Err(stint_web::AppError::Invalid(_))), "{r:?}");
        let r = app.form("/account/data/delete", Some(&token), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            app.state
                .store
                .user_by_email("sso-only@x.com")
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );

        // The command line's function.
        let (user, req) = stint_web::app::privacy::delete_now(&app.state, &t.email)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                user.id,
                req.kind.as_str(),
                req.status.as_str(),
                req.channel.as_str()
            ),
            (t.id, "deletion", "done", "cli")
        );
        assert!(matches!(
            stint_web::app::privacy::delete_now(&app.state, &t.email).await,
            Err(stint_web::AppError::NotFound)
        ));
    }
);

app_test!(retention_erases_what_is_past_its_time, |app| async move {
    let (boss, s, id) = busy_student(&app).await;
    let admin = app.admin().await;
    for (what, reference) in [("deposit", "NEFT-2"), ("payout", "PAY-2")] {
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/{what}"),
                Some(&admin.token),
                Some(json!({"reference": reference})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let second = app.published(&boss, "Second survey", 1, false).await;
    let application = app.apply(&s, second).await.json()["id"]
        .as_i64()
        .unwrap_or_default();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{application}/withdraw"),
            Some(&s.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys: Vec<String> = app
        .state
        .store
        .personal_files(s.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|f| f.3)
        .collect();
    assert_eq!(keys.len(), 1);

    // Nothing is due yet: a pass changes nothing.
    let done = stint_web::app::privacy::apply_retention(&app.state)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (done.pitches, done.messages, done.file_keys.len()),
        (0, 0, 0)
    );

    // A year and a day on, the withdrawn pitch goes; the hired one stays.
    app.state.clock.advance(Duration::days(366));
    let done = stint_web::app::privacy::apply_retention(&app.state)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (done.pitches, done.messages, done.file_keys.len()),
        (1, 0, 0)
    );
    let mine = app
        .api(Method::GET, "/api/v1/me/applications", Some(&s.token), None)
        .await;
    assert!(
        mine.body.contains(crate::common::PITCH),
        "the hired application keeps its pitch"
    );
    let page = app
        .get(
            &format!("/employer/projects/{second}/applicants"),
            Some(&boss.cookie),
        )
        .await;
    assert!(!page.body.contains(crate::common::PITCH));

    // Two years on, the finished engagement's messages and files go; the
    // engagement, its money and the reviews stay.
    app.state.clock.advance(Duration::days(365));
    let done = stint_web::app::privacy::apply_retention(&app.state)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(done.messages >= 2, "{done:?}");
    assert_eq!(done.file_keys, keys);
    assert!(app.state.config.files.get(&keys[0]).await.is_err());
    let ws = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}/messages"),
            Some(&boss.token),
            None,
        )
        .await;
    assert!(!ws.body.contains("Coding the answers now"), "{}", ws.body);
    assert!(ws.body.contains("kept for a limited time"), "{}", ws.body);
    let e = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(e.json()["status"], "paid", "{}", e.body);
    let log = app
        .state
        .store
        .audit_for("instance", 0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        log.iter()
            .filter(|a| a.action == "data.retention_applied")
            .count(),
        2
    );

    // The job runner applies it at most hourly.
    stint_web::app::jobs::run_due(&app.state, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // The privacy page says what this instance keeps, and its cookies.
    let page = app.get("/privacy", None).await;
    assert_eq!(page.status, StatusCode::OK);
    for said in [
        "365 days after it closed",
        "730 days after it ended",
        "stint_session",
        "stint_sso",
        "stint_lti",
        "30 days",
    ] {
        assert!(page.body.contains(said), "{said} missing");
    }
});

app_test!(owners_close_their_organization, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let other = app.student("other-applicant@x.com").await;
    let second = app.published(&boss, "Second survey", 1, false).await;
    let r = app.apply(&other, second).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/talent/{}/notes", s.id),
            Some(&boss.token),
            Some(json!({"body": "Strong coder, ask again."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let check = app
        .api(Method::GET, "/api/v1/org/closure", Some(&boss.token), None)
        .await
        .json();
    let name = check["name"].as_str().unwrap_or_default().to_string();
    let org_id = check["organization_id"].as_i64().unwrap_or_default();
    assert_eq!(check["can_close"], false, "{check}");
    assert_eq!(check["blockers"][0]["kind"], "engagement", "{check}");

    // Only owners; the name must be typed; not while the engagement is open.
    let r = app
        .api(Method::GET, "/api/v1/org/closure", Some(&s.token), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            "/api/v1/org/closure",
            Some(&boss.token),
            Some(json!({"name": "Not it"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.fields(), vec!["name"]);
    let r = app
        .api(
            Method::POST,
            "/api/v1/org/closure",
            Some(&boss.token),
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "closure_blocked"),
        "{}",
        r.body
    );
    let page = app.get("/organization/close", Some(&boss.cookie)).await;
    assert!(
        page.body.contains(&format!("Before {name} can be closed")),
        "{}",
        page.body
    );
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/cancel"),
            Some(&s.token),
            Some(json!({"reason": "I cannot do it after all, sorry."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Closed from the page.
    let page = app.get("/organization/close", Some(&boss.cookie)).await;
    assert!(page.body.contains("Type the organization"), "{}", page.body);
    let r = app
        .form(
            "/organization/close",
            Some(&boss.cookie),
            &[("name", &name)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org = app
        .state
        .store
        .org(org_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(org.closed_at.is_some());
    assert!(
        app.state
            .store
            .membership(boss.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
    let p = app
        .state
        .store
        .project(second)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.status.as_str(), "cancelled");
    let search = app
        .api(Method::GET, "/api/v1/projects?q=survey", None, None)
        .await;
    assert!(!search.body.contains("Second survey"), "{}", search.body);
    let mine = app
        .api(
            Method::GET,
            "/api/v1/me/applications",
            Some(&other.token),
            None,
        )
        .await;
    assert!(mine.body.contains("\"closed\""), "{}", mine.body);
    assert!(
        app.notification_kinds(&other)
            .await
            .contains(&"closed".to_string())
    );
    let left = app
        .state
        .store
        .references_to(s.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !left.iter().any(|(c, _)| *c == "talent_pool.student_id"),
        "{left:?}"
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/org/closure",
            Some(&boss.token),
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The engagement keeps the organization's name.
    let e = app
        .get(&format!("/engagements/{id}"), Some(&s.cookie))
        .await;
    assert!(e.body.contains(&name), "{}", e.body);
    // Its former owner can now delete their own account.
    let check = app
        .api(Method::GET, "/api/v1/me/deletion", Some(&boss.token), None)
        .await
        .json();
    assert_eq!(check["can_delete"], true, "{check}");
});

app_test!(
    deactivated_accounts_leave_talent_lists_and_search,
    |app| async move {
        let (boss, s, _) = busy_student(&app).await;
        // Finding is for employers who do not know the student yet.
        let (rival, _) = app.employer("rival@x.test", "Rival Labs", true).await;
        let project = app.published(&rival, "Rival survey", 1, false).await;
        let find_path = format!("/api/v1/talent/find?project={project}");
        let ids = |v: &Value| -> Vec<i64> {
            v["students"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x["id"].as_i64().or_else(|| x["student_id"].as_i64()))
                .collect()
        };
        let find = app
            .api(Method::GET, &find_path, Some(&rival.token), None)
            .await;
        assert!(ids(&find.json()).contains(&s.id), "{}", find.body);
        let pool = app
            .api(Method::GET, "/api/v1/talent", Some(&boss.token), None)
            .await;
        assert!(
            pool.body.contains(&format!("\"id\":{}", s.id))
                || pool.body.contains(&format!("\"student_id\":{}", s.id)),
            "{}",
            pool.body
        );

        // A directory deactivates the account: it leaves both.
        app.state
            .store
            .deactivate_user(s.id, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let find = app
            .api(Method::GET, &find_path, Some(&rival.token), None)
            .await;
        assert!(!ids(&find.json()).contains(&s.id), "{}", find.body);
        let pool = app
            .api(Method::GET, "/api/v1/talent", Some(&boss.token), None)
            .await
            .json();
        assert_eq!(pool["total"], 0, "{pool}");
    }
);

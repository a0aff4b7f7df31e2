//! An employer's talent pool (store layer): who enters it and why, filters,
//! tags and notes, and that nothing of one organization's pool is readable
//! or writable through another.

use axum::http::{Method, StatusCode};
use serde_json::json;
use stint_domain::talent::{PoolFilter, PoolReason};
use stint_store::StoreError;

use crate::app_test;
use crate::common::{Actor, TestApp};
use crate::outcomes::{approved, review};
use crate::universities::{set_university, university, verify_account_email};

async fn applied(app: &TestApp, s: &Actor, project: i64) -> i64 {
    let r = app.apply(s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap_or_default()
}

async fn decide(app: &TestApp, boss: &Actor, application: i64, action: &str) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{application}/{action}"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
}

async fn pool(app: &TestApp, org: i64, f: PoolFilter) -> Vec<(i64, String)> {
    let (rows, total) = app
        .state
        .store
        .talent_pool(org, &f, 50, 0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, rows.len() as i64);
    rows.into_iter().map(|r| (r.student_id, r.reason)).collect()
}

app_test!(
    pool_follows_shortlists_hires_and_completed_work,
    |app| async move {
        let store = &app.state.store;
        let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (other, other_org) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let (_staff, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let project = app
            .published(&boss, "Survey coding for a pool", 2, false)
            .await;
        let s1 = app.student("s1@uni.test").await;
        set_university(&app, &s1, uni).await;
        verify_account_email(&app, "s1@uni.test", &s1).await;
        let s2 = app.student("s2@mail.test").await;
        let s3 = app.student("s3@mail.test").await;
        let a1 = applied(&app, &s1, project).await;
        let a2 = applied(&app, &s2, project).await;
        applied(&app, &s3, project).await;
        assert!(
            pool(&app, org, PoolFilter::default()).await.is_empty(),
            "applying is not enough"
        );

        // Shortlisted stays in the pool after a rejection; hired, then completed.
        decide(&app, &boss, a2, "shortlist").await;
        decide(&app, &boss, a2, "reject").await;
        decide(&app, &boss, a1, "shortlist").await;
        let eid = approved(&app, &boss, &s1, a1).await;
        review(&app, &boss, eid, json!([5, 4, 5])).await;
        assert_eq!(
            pool(&app, org, PoolFilter::default()).await,
            vec![
                (s1.id, "completed".to_string()),
                (s2.id, "shortlisted".to_string())
            ],
            "completed work first; the third applicant is not in it"
        );
        let s1_row = store.talent_student(org, s1.id).await.ok().flatten();
        let s1_row = s1_row.unwrap_or_else(|| panic!("s1 is in the pool"));
        assert_eq!(
            (s1_row.completed, s1_row.university.as_deref()),
            (1, Some("Uni of Test"))
        );
        assert!(
            s1_row.rating.is_some_and(|r| (r - 14.0 / 3.0).abs() < 1e-9),
            "{:?}",
            s1_row.rating
        );

        // Filters.
        let only = |f: PoolFilter| pool(&app, org, f);
        let ids = |v: Vec<(i64, String)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(
            ids(only(PoolFilter {
                reason: Some(PoolReason::Shortlisted),
                ..PoolFilter::default()
            })
            .await),
            vec![s2.id]
        );
        assert_eq!(
            ids(only(PoolFilter {
                min_rating: Some(4),
                ..PoolFilter::default()
            })
            .await),
            vec![s1.id]
        );
        assert!(
            only(PoolFilter {
                min_rating: Some(5),
                ..PoolFilter::default()
            })
            .await
            .is_empty(),
            "a mean of 4.67 is under 5"
        );
        assert_eq!(
            ids(only(PoolFilter {
                university_id: Some(uni),
                ..PoolFilter::default()
            })
            .await),
            vec![s1.id]
        );

        // Tags and notes, for pooled students only.
        store
            .set_talent_tags(
                org,
                s2.id,
                &["rehire".to_string(), "strong writer".to_string()],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ids(only(PoolFilter {
                tag: Some("rehire".into()),
                ..PoolFilter::default()
            })
            .await),
            vec![s2.id]
        );
        assert_eq!(
            store.talent_tags(org).await.ok(),
            Some(vec![
                ("rehire".to_string(), 1),
                ("strong writer".to_string(), 1)
            ])
        );
        let note = store
            .add_talent_note(
                org,
                s2.id,
                boss.id,
                "Careful coder; ask first for the next survey.",
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            store
                .add_talent_note(org, s3.id, boss.id, "Not pooled")
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.set_talent_tags(org, s3.id, &["x".to_string()]).await,
            Err(StoreError::NotFound)
        ));
        let notes = store.talent_notes(org, s2.id).await.unwrap_or_default();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].author_name.as_deref(),
            Some(crate::common::person("boss@acme.test").as_str())
        );

        // Another organization reads and writes nothing of it.
        assert!(
            pool(&app, other_org, PoolFilter::default())
                .await
                .is_empty()
        );
        assert!(
            store
                .talent_student(other_org, s1.id)
                .await
                .ok()
                .flatten()
                .is_none()
        );
        assert!(
            store
                .talent_notes(other_org, s2.id)
                .await
                .unwrap_or_default()
                .is_empty()
        );
        assert!(
            store
                .talent_tags(other_org)
                .await
                .unwrap_or_default()
                .is_empty()
        );
        assert!(matches!(
            store
                .add_talent_note(other_org, s2.id, other.id, "Poaching")
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.set_talent_tags(other_org, s2.id, &[]).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_talent_note(other_org, note, other.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            matches!(
                store.delete_talent_note(org, note, s2.id).await,
                Err(StoreError::NotFound)
            ),
            "only the author deletes"
        );
        store
            .delete_talent_note(org, note, boss.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            store
                .talent_notes(org, s2.id)
                .await
                .unwrap_or_default()
                .is_empty()
        );
    }
);

app_test!(talent_api_is_the_organizations_own, |app| async move {
    let (boss, _org) = app.employer("boss@acme.test", "Acme Research", true).await;
    let (colleague_boss, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
    let project = app
        .published(&boss, "Survey coding for the pool API", 1, false)
        .await;
    let s = app.student("s@mail.test").await;
    let a = applied(&app, &s, project).await;
    decide(&app, &boss, a, "shortlist").await;
    let get = |who: &Actor, path: String| {
        let token = who.token.clone();
        let app = &app;
        async move { app.api(Method::GET, &path, Some(&token), None).await }
    };

    let r = get(&boss, "/api/v1/talent".into()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["total"], 1);
    assert_eq!(body["students"][0]["id"], s.id);
    assert_eq!(body["students"][0]["reason"], "shortlisted");

    // Tags and a note through the API.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/talent/{}/tags", s.id),
            Some(&boss.token),
            Some(json!({"tags": ["Rehire", "data viz", "rehire"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["tags"], json!(["data viz", "rehire"]));
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/talent/{}/notes", s.id),
            Some(&boss.token),
            Some(json!({"body": "Quick and careful; invite back for the Q3 survey."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["mine"], true);
    let note = r.json()["id"].as_i64().unwrap_or_default();
    let r = get(&boss, "/api/v1/talent?tag=rehire&reason=shortlisted".into()).await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);
    let r = get(&boss, format!("/api/v1/talent/{}", s.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["notes_written"][0]["id"], note);

    // Bad input names the field; nothing is written.
    let r = get(&boss, "/api/v1/talent?min_rating=9&reason=liked".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.fields(), vec!["min_rating", "reason"]);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/talent/{}/tags", s.id),
            Some(&boss.token),
            Some(json!({"tags": ["<b>bold</b>"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/talent/{}/notes", s.id),
            Some(&boss.token),
            Some(json!({"body": "x".repeat(2001)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = get(&boss, format!("/api/v1/talent/{}", s.id)).await;
    assert_eq!(r.json()["student"]["tags"], json!(["data viz", "rehire"]));
    assert_eq!(r.json()["notes_written"].as_array().map(Vec::len), Some(1));

    // Another organization, the student and a stranger see and change nothing.
    let r = get(&colleague_boss, "/api/v1/talent".into()).await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/talent/{}", s.id), None),
        (
            Method::PUT,
            format!("/api/v1/talent/{}/tags", s.id),
            Some(json!({"tags": []})),
        ),
        (
            Method::POST,
            format!("/api/v1/talent/{}/notes", s.id),
            Some(json!({"body": "Poach"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/talent/{}/notes/{note}", s.id),
            None,
        ),
    ] {
        let r = app
            .api(
                method.clone(),
                &path,
                Some(&colleague_boss.token),
                body.clone(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            r.body
        );
        let r = app
            .api(method.clone(), &path, Some(&s.token), body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "the student: {method} {path}: {}",
            r.body
        );
        let r = app.api(method.clone(), &path, None, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            r.body
        );
    }
    let r = get(&boss, format!("/api/v1/talent/{}", s.id)).await;
    assert_eq!(r.json()["student"]["tags"], json!(["data viz", "rehire"]));
    assert_eq!(r.json()["notes_written"].as_array().map(Vec::len), Some(1));
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/talent/{}/notes/{note}", s.id),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
});

app_test!(talent_pages_filter_tag_and_note, |app| async move {
    let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
    let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
    let project = app
        .published(&boss, "Survey coding for the pool pages", 2, false)
        .await;
    let s = app.student("s@mail.test").await;
    let t = app.student("t@mail.test").await;
    let a = applied(&app, &s, project).await;
    let b = applied(&app, &t, project).await;
    decide(&app, &boss, b, "shortlist").await;
    let eid = approved(&app, &boss, &s, a).await;
    review(&app, &boss, eid, json!([5, 5, 4])).await;
    let me = Some(boss.cookie.as_str());
    let s_name = crate::common::person("s@mail.test");
    let t_name = crate::common::person("t@mail.test");

    // The pool lists both, completed work first, and links each.
    let r = app.get("/employer/talent", me).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("2 students in your pool"), "{}", r.body);
    let (si, ti) = (
        r.body.find(&s_name).unwrap_or(usize::MAX),
        r.body.find(&t_name).unwrap_or(0),
    );
    assert!(si < ti, "completed work comes first");
    assert!(r.body.contains(&format!("/employer/talent/{}", s.id)));
    assert!(r.body.contains("you rated 4.7 of 5"), "{}", r.body);

    // Tags from the form: split at commas, normalised; then a filter by one.
    let path = format!("/employer/talent/{}", t.id);
    let r = app
        .form(
            &format!("{path}/tags"),
            me,
            &[("tags", "Rehire, strong  writer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{path}?notice=talent_tags_saved"));
    let r = app.get(r.location(), me).await;
    assert!(
        r.body.contains("value=\"rehire, strong writer\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("Tags saved."));
    let r = app.get("/employer/talent?tag=rehire", me).await;
    assert!(r.body.contains("1 student matches"), "{}", r.body);
    assert!(r.body.contains(&t_name) && !r.body.contains(&s_name));

    // A bad tag keeps what was typed and says why; nothing changes.
    let r = app
        .form(&format!("{path}/tags"), me, &[("tags", "rehire, <b>")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("tags use letters, digits"), "{}", r.body);
    assert!(
        r.body.contains("value=\"rehire, &#60;b&#62;\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    let kept = app.get("/employer/talent?tag=strong+writer", me).await;
    assert!(kept.body.contains("1 student matches"), "{}", kept.body);

    // Notes: an empty one is refused; a real one is shown, then deleted.
    let r = app
        .form(&format!("{path}/notes"), me, &[("body", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"body-error\""), "{}", r.body);
    let r = app
        .form(
            &format!("{path}/notes"),
            me,
            &[("body", "Sharp on codebooks.\n- invite for the Q3 survey")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&path, me).await;
    assert!(r.body.contains("Sharp on codebooks."), "{}", r.body);
    assert!(r.body.contains("<li>invite for the Q3 survey</li>"));
    let note = app
        .state
        .store
        .talent_notes(org, t.id)
        .await
        .unwrap_or_default()
        .first()
        .map(|n| n.id)
        .unwrap_or_default();

    // Bad filters name what is wrong and show the whole pool.
    let r = app
        .get("/employer/talent?min_rating=9&skill=nope", me)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("The rating must be a whole number from 1 to 5.")
    );
    assert!(r.body.contains("2 students in your pool"), "{}", r.body);

    // Another organization, the student and a visitor get nothing.
    let delete = format!("{path}/notes/{note}/delete");
    for (who, want) in [
        (Some(rival.cookie.as_str()), StatusCode::NOT_FOUND),
        (Some(t.cookie.as_str()), StatusCode::FORBIDDEN),
    ] {
        let r = app.get(&path, who).await;
        assert_eq!(r.status, want, "{}", r.body);
        assert!(!r.body.contains("Sharp on codebooks."));
        let r = app.form(&delete, who, &[]).await;
        assert_eq!(r.status, want, "{}", r.body);
        let r = app
            .form(&format!("{path}/tags"), who, &[("tags", "poached")])
            .await;
        assert_eq!(r.status, want, "{}", r.body);
        let r = app
            .form(&format!("{path}/notes"), who, &[("body", "poached")])
            .await;
        assert_eq!(r.status, want, "{}", r.body);
    }
    let r = app.get("/employer/talent", Some(&rival.cookie)).await;
    assert!(r.body.contains("Your pool is empty"), "{}", r.body);
    let r = app.get("/employer/talent", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get(&path, me).await;
    assert!(r.body.contains("value=\"rehire, strong writer\""));
    assert!(r.body.contains("Sharp on codebooks."));

    let r = app.form(&delete, me, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&path, me).await;
    assert!(!r.body.contains("Sharp on codebooks."));
    assert!(r.body.contains("No notes yet."));
});

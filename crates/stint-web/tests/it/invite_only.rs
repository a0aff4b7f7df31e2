//! Invite-only projects and direct hire: a project published to the
//! students its organization invites from its pool is in no listing and
//! visible to nobody else; the employer may offer one of them the place
//! directly, and the student's acceptance hires them through the same hire
//! as any applicant (places, escrow, fee, engagement), once, at the total
//! the employer confirmed.

use axum::http::{Method, StatusCode};
use serde_json::json;
use stint_domain::ledger::HireQuote;

use crate::app_test;
use crate::common::{Actor, TestApp, project_json};

/// A student in `boss`'s pool: they applied to `project` and were
/// shortlisted.
async fn pooled(app: &TestApp, boss: &Actor, email: &str, project: i64) -> Actor {
    let s = app.student(email).await;
    let r = app.apply(&s, project).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json()["id"].as_i64().unwrap_or_default();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{a}/shortlist"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    s
}

/// A published invite-only project of `boss`'s organization.
async fn invite_only(app: &TestApp, boss: &Actor, title: &str, slots: i64) -> i64 {
    let mut p = project_json(title);
    p["slots"] = json!(slots);
    let r = app
        .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/projects/{id}/restriction"),
            Some(&boss.token),
            Some(json!({"invite_only": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["invite_only"], true);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{id}/publish"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

/// What the organization pays to hire on `project` now.
async fn total(app: &TestApp, project: i64) -> i64 {
    let p = app
        .state
        .store
        .project(project)
        .await
        .map(|p| p.input.price);
    let price = p.unwrap_or_else(|e| panic!("project {project}: {e}"));
    HireQuote::new(price, app.state.config.fee_basis_points)
        .total
        .minor
}

async fn offer(
    app: &TestApp,
    boss: &Actor,
    project: i64,
    student: i64,
    total: Option<i64>,
) -> crate::common::Res {
    app.api(
        Method::POST,
        "/api/v1/invitations",
        Some(&boss.token),
        Some(
            json!({"project_id": project, "student_id": student, "kind": "direct",
            "note": "You did great work on the survey; this one is yours if you want it.",
            "expected_total_minor": total}),
        ),
    )
    .await
}

async fn accept(app: &TestApp, s: &Actor, id: i64, message: &str) -> crate::common::Res {
    app.api(
        Method::POST,
        &format!("/api/v1/me/invitations/{id}/accept"),
        Some(&s.token),
        Some(json!({"message": message})),
    )
    .await
}

app_test!(
    invite_only_projects_reach_invited_students_only,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let warmup = app
            .published(&boss, "Warm-up survey coding", 5, false)
            .await;
        let s = pooled(&app, &boss, "s@mail.test", warmup).await;
        let stranger = app.student("stranger@mail.test").await;
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/reach",
                Some(&stranger.token),
                Some(json!({"discoverable": true, "invitations": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // One audience at a time.
        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("Both at once")),
            )
            .await;
        let draft = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/projects/{draft}/restriction"),
                Some(&boss.token),
                Some(json!({"invite_only": true, "university": "somewhere"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec!["university"]);

        let project = invite_only(&app, &boss, "Quiet rehire: codebook update", 2).await;
        // In no listing: search, the organization's page, matches.
        let r = app
            .api(
                Method::GET,
                "/api/v1/projects?q=codebook+update",
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("Quiet rehire"), "{}", r.body);
        let r = app.api(Method::GET, "/api/v1/projects", None, None).await;
        assert!(!r.body.contains("Quiet rehire"), "{}", r.body);
        let r = app.get("/projects?q=quiet", None).await;
        assert!(!r.body.contains("Quiet rehire"), "{}", r.body);
        let slug = app
            .state
            .store
            .project(project)
            .await
            .map(|p| p.org_slug)
            .unwrap_or_default();
        let r = app.get(&format!("/organizations/{slug}"), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Warm-up survey coding"), "{}", r.body);
        assert!(!r.body.contains("Quiet rehire"), "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/me/suggestions", Some(&s.token), None)
            .await;
        assert!(!r.body.contains("Quiet rehire"), "{}", r.body);

        // Nobody uninvited sees it, nor applies.
        let path = format!("/api/v1/projects/{project}");
        for who in [
            None,
            Some(&s.token),
            Some(&stranger.token),
            Some(&rival.token),
        ] {
            let r = app
                .api(Method::GET, &path, who.map(String::as_str), None)
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        }
        assert_eq!(app.apply(&s, project).await.status, StatusCode::NOT_FOUND);
        let r = app.get(&format!("/projects/{project}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Only students of the pool are invited; a discoverable stranger is not.
        let r = app
            .api(
                Method::POST,
                "/api/v1/invitations",
                Some(&boss.token),
                Some(json!({"project_id": project, "student_id": stranger.id})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.code(), "not_in_pool");
        let r = app
            .api(
                Method::POST,
                "/api/v1/invitations",
                Some(&boss.token),
                Some(json!({"project_id": project, "student_id": s.id, "note": "Come back?"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["kind"], "apply");

        // Invited: the student sees it, applies, and is still alone in it.
        let r = app.api(Method::GET, &path, Some(&s.token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["invite_only"], true);
        let r = app
            .get(&format!("/projects/{project}"), Some(&s.cookie))
            .await;
        assert!(r.body.contains("invited you to apply"), "{}", r.body);
        assert!(r.body.contains("Invite-only"), "{}", r.body);
        assert!(r.body.contains("noindex"), "never indexed");
        assert_eq!(app.apply(&s, project).await.status, StatusCode::CREATED);
        for who in [&stranger.token, &rival.token] {
            let r = app.api(Method::GET, &path, Some(who), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        }

        // A published project's audience stays as it was.
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/projects/{project}/restriction"),
                Some(&boss.token),
                Some(json!({"invite_only": false})),
            )
            .await;
        assert_eq!(r.code(), "not_editable", "{}", r.body);
    }
);

app_test!(
    a_direct_offer_hires_through_the_one_hire_path_once,
    |app| async move {
        let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let warmup = app
            .published(&boss, "Warm-up survey coding", 5, false)
            .await;
        let s = pooled(&app, &boss, "s@mail.test", warmup).await;
        let t = pooled(&app, &boss, "t@mail.test", warmup).await;
        let u = pooled(&app, &boss, "u@mail.test", warmup).await;
        let project = invite_only(&app, &boss, "Direct: codebook update", 2).await;
        let due = total(&app, project).await;

        // Only the place on an invite-only project is offered directly, at
        // the total the employer saw.
        let r = offer(&app, &boss, warmup, s.id, None).await;
        assert_eq!(r.code(), "not_invite_only", "{}", r.body);
        let r = offer(&app, &boss, project, s.id, Some(due + 1)).await;
        assert_eq!(r.code(), "quote_changed", "{}", r.body);
        let r = offer(&app, &rival, project, s.id, Some(due)).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "a rival has no such student: {}",
            r.body
        );
        let r = offer(&app, &boss, project, s.id, Some(due)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inv = r.json();
        assert_eq!(inv["kind"], "direct");
        assert_eq!(inv["status"], "sent");
        assert_eq!(inv["quoted_total_minor"], due);
        let id = inv["id"].as_i64().unwrap_or_default();
        assert!(
            app.notification_kinds(&s)
                .await
                .contains(&"invitation".to_string())
        );
        let r = offer(&app, &boss, project, s.id, Some(due)).await;
        assert_eq!(r.code(), "already_invited", "{}", r.body);

        // The page offers it; applying is not the way in.
        let r = app
            .get(&format!("/projects/{project}"), Some(&s.cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("offers you this project"), "{}", r.body);
        assert!(r.body.contains(&format!("/me/invitations/{id}/accept")));
        assert!(
            !r.body.contains(&format!("/projects/{project}/apply")),
            "{}",
            r.body
        );
        let r = app.apply(&s, project).await;
        assert_eq!(r.code(), "direct_offer", "{}", r.body);

        // Nobody else answers it; a too-long message changes nothing.
        let r = accept(&app, &t, id, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/invitations/{id}/accept"),
                Some(&boss.token),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = accept(&app, &s, id, &"x".repeat(601)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), vec!["message"]);

        // Accepting hires: engagement, escrow and fee, a place taken.
        let r = accept(&app, &s, id, "Thank you, glad to be back.").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let h = r.json();
        assert_eq!(h["project_filled"], false);
        let eid = h["engagement"]["id"].as_i64().unwrap_or_default();
        let e = app.state.store.engagement(eid).await;
        let e = e.unwrap_or_else(|err| panic!("engagement: {err}"));
        assert_eq!(e.student_id, s.id);
        assert_eq!(e.org_id, org);
        assert_eq!(e.price.minor + e.fee.minor, due);
        let a = app.state.store.application(e.application_id).await;
        let a = a.unwrap_or_else(|err| panic!("application: {err}"));
        assert_eq!(a.status.as_str(), "hired");
        assert_eq!(a.pitch, "Thank you, glad to be back.");
        let p = app.state.store.project(project).await;
        assert_eq!(p.map(|p| p.hired_count).unwrap_or_default(), 1);
        let entries = app
            .state
            .store
            .ledger_entries(eid)
            .await
            .unwrap_or_default();
        let kinds: Vec<&str> = entries.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, vec!["fund", "fee"], "{entries:?}");
        for (e, entries) in &app
            .state
            .store
            .ledger_audit_rows()
            .await
            .unwrap_or_default()
        {
            assert!(stint_domain::ledger::audit(e, entries).is_empty());
        }
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{eid}"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            app.notification_kinds(&s)
                .await
                .contains(&"hired".to_string())
        );
        assert!(
            app.notification_kinds(&boss)
                .await
                .contains(&"invitation".to_string())
        );
        let r = app
            .api(Method::GET, "/api/v1/invitations", Some(&boss.token), None)
            .await;
        assert!(r.body.contains("\"status\":\"applied\""), "{}", r.body);
        // Once.
        let r = accept(&app, &s, id, "").await;
        assert_eq!(r.code(), "invitation_answered", "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/invitations/{id}/decline"),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.code(), "invitation_answered", "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/invitations/{id}/withdraw"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.code(), "invitation_answered", "{}", r.body);

        // Withdrawn: the student is told, no longer sees the project, and
        // cannot accept; a rival cannot withdraw anything.
        let r = offer(&app, &boss, project, t.id, Some(due)).await;
        let tid = r.json()["id"].as_i64().unwrap_or_default();
        let w = format!("/api/v1/invitations/{tid}/withdraw");
        let r = app.api(Method::POST, &w, Some(&rival.token), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app.api(Method::POST, &w, Some(&boss.token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "withdrawn");
        let r = accept(&app, &t, tid, "").await;
        assert_eq!(r.code(), "offer_withdrawn", "{}", r.body);
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{project}"),
                Some(&t.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

        // Declined: the organization is told; nothing is charged.
        let r = offer(&app, &boss, project, u.id, Some(due)).await;
        let uid = r.json()["id"].as_i64().unwrap_or_default();
        let before = app.count_kind(&boss, "invitation").await;
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/invitations/{uid}/decline"),
                Some(&u.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "declined");
        assert_eq!(app.count_kind(&boss, "invitation").await, before + 1);
        let r = accept(&app, &u, uid, "").await;
        assert_eq!(r.code(), "invitation_answered", "{}", r.body);
        let p = app.state.store.project(project).await;
        assert_eq!(p.map(|p| p.hired_count).unwrap_or_default(), 1);
    }
);

app_test!(
    two_acceptances_at_once_never_pass_the_places,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let warmup = app
            .published(&boss, "Warm-up survey coding", 5, false)
            .await;
        let s = pooled(&app, &boss, "s@mail.test", warmup).await;
        let t = pooled(&app, &boss, "t@mail.test", warmup).await;
        let project = invite_only(&app, &boss, "One place, two offers", 1).await;
        let due = total(&app, project).await;
        let si = offer(&app, &boss, project, s.id, Some(due)).await.json()["id"]
            .as_i64()
            .unwrap_or_default();
        let ti = offer(&app, &boss, project, t.id, Some(due)).await.json()["id"]
            .as_i64()
            .unwrap_or_default();

        // The same student twice at once: one hire.
        let path = format!("/api/v1/me/invitations/{si}/accept");
        let calls = vec![
            (Method::POST, path.clone(), json!({})),
            (Method::POST, path.clone(), json!({})),
        ];
        let answers = app.concurrently_json(calls, &s.token).await;
        let mut codes: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            vec![201, 409],
            "{:?}",
            answers.iter().map(|r| &r.body).collect::<Vec<_>>()
        );

        // The other student finds the only place taken; their invitation
        // stays unanswered and no application is left behind.
        let r = accept(&app, &t, ti, "").await;
        assert_eq!(r.code(), "slots_full", "{}", r.body);
        let p = app.state.store.project(project).await;
        let p = p.unwrap_or_else(|e| panic!("project: {e}"));
        assert_eq!((p.hired_count, p.status.as_str()), (1, "filled"));
        let apps = app
            .state
            .store
            .project_applications(project)
            .await
            .unwrap_or_default();
        assert_eq!(apps.len(), 1, "{apps:?}");
        let inv = app.state.store.invitation(ti).await.map(|i| i.status);
        assert_eq!(inv.unwrap_or_default(), "sent");
        for (e, entries) in &app
            .state
            .store
            .ledger_audit_rows()
            .await
            .unwrap_or_default()
        {
            assert!(stint_domain::ledger::audit(e, entries).is_empty());
        }
    }
);

app_test!(
    invite_only_and_direct_offers_work_from_the_pages,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let warmup = app
            .published(&boss, "Warm-up survey coding", 5, false)
            .await;
        let s = pooled(&app, &boss, "s@mail.test", warmup).await;
        let me = Some(boss.cookie.as_str());
        let r = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("Page rehire: codebook")),
            )
            .await;
        let project = r.json()["id"].as_i64().unwrap_or_default();

        // The draft's "who can apply" list has the invite-only choice.
        let r = app.get(&format!("/projects/{project}"), me).await;
        assert!(r.body.contains("value=\":invited\""), "{}", r.body);
        let r = app
            .form(
                &format!("/employer/projects/{project}/restriction"),
                me,
                &[("university", ":invited")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.get(r.location(), me).await;
        assert!(r.body.contains("Invite-only"), "{}", r.body);
        assert!(r.body.contains("value=\":invited\" selected"), "{}", r.body);
        let r = app
            .form(&format!("/employer/projects/{project}/publish"), me, &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.location().contains("published_invite_only"),
            "{}",
            r.location()
        );

        // The pooled student's page offers the place, with the total.
        let due = total(&app, project).await;
        let page = format!("/employer/talent/{}", s.id);
        let r = app.get(&page, me).await;
        assert!(r.body.contains("Offer a place directly"), "{}", r.body);
        let value = format!("{project}:{due}");
        assert!(r.body.contains(&format!("value=\"{value}\"")), "{}", r.body);
        // A stale total is refused with the new one; nothing is sent.
        let r = app
            .form(
                "/employer/talent/offer-place",
                me,
                &[
                    ("project", &format!("{project}:{}", due - 5)),
                    ("student_id", &s.id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("The total is now"), "{}", r.body);
        let r = app
            .form(
                "/employer/talent/offer-place",
                me,
                &[
                    ("project", &value),
                    ("student_id", &s.id.to_string()),
                    ("note", "Yours if you want it."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.get(r.location(), me).await;
        assert!(r.body.contains("Offered"), "{}", r.body);
        assert!(r.body.contains("Offer sent."), "{}", r.body);

        // The student accepts from the project page and lands in the workspace.
        let r = app.get("/", Some(&s.cookie)).await;
        assert!(
            r.body.contains("Project offered to you: Page rehire"),
            "{}",
            r.body
        );
        let r = app
            .get(&format!("/projects/{project}"), Some(&s.cookie))
            .await;
        assert!(r.body.contains("Yours if you want it."), "{}", r.body);
        let id = app
            .state
            .store
            .invitation_to(project, s.id)
            .await
            .ok()
            .flatten()
            .map(|i| i.id)
            .unwrap_or_default();
        let r = app
            .form(
                &format!("/me/invitations/{id}/accept"),
                Some(&s.cookie),
                &[("message", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.location().starts_with("/engagements/"),
            "{}",
            r.location()
        );
        let r = app.get(r.location(), Some(&s.cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("You accepted the offer and are hired"),
            "{}",
            r.body
        );
        let r = app.get(&page, me).await;
        assert!(r.body.contains("Accepted, hired"), "{}", r.body);
    }
);

/// With manual payments, a direct hire waits for the employer's deposit
/// like any other hire.
async fn manual_deposit(engine: stint_store::Engine) {
    let Some(app) = TestApp::with_config(engine, |c| {
        c.payment_provider = stint_web::PaymentProvider::Manual;
    })
    .await
    else {
        return;
    };
    let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
    let warmup = app
        .published(&boss, "Warm-up survey coding", 5, false)
        .await;
    let s = pooled(&app, &boss, "s@mail.test", warmup).await;
    let project = invite_only(&app, &boss, "Manual rehire", 1).await;
    let due = total(&app, project).await;
    let id = offer(&app, &boss, project, s.id, Some(due)).await.json()["id"]
        .as_i64()
        .unwrap_or_default();
    let r = accept(&app, &s, id, "").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let eid = r.json()["engagement"]["id"].as_i64().unwrap_or_default();
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{eid}"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.json()["awaiting_employer_payment"], true, "{}", r.body);
    let due_list = app.state.store.deposits_due().await.unwrap_or_default();
    assert_eq!(due_list.len(), 1, "{due_list:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_hire_with_manual_payments_awaits_the_deposit_sqlite() {
    manual_deposit(stint_store::Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_hire_with_manual_payments_awaits_the_deposit_postgres() {
    manual_deposit(stint_store::Engine::Postgres).await;
}

//! Being found and invited to apply: students choose to be discoverable
//! (off by default) and to take invitations (on by default); employers find
//! discoverable students ranked by the match against one of their open
//! projects, and invite them (or students of their pool) within a daily
//! bound, never past the application rules; nothing of it reaches another
//! organization or another student.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use stint_domain::talent::INVITATIONS_PER_DAY;

use crate::app_test;
use crate::common::{Actor, TestApp, project_json};
use crate::universities::{university, verify_account_email};

async fn profile(app: &TestApp, s: &Actor, body: Value) {
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn reach(app: &TestApp, s: &Actor, discoverable: bool, invitations: bool) {
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/reach",
            Some(&s.token),
            Some(json!({"discoverable": discoverable, "invitations": invitations})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn invite(
    app: &TestApp,
    boss: &Actor,
    project: i64,
    student: i64,
    note: &str,
) -> crate::common::Res {
    app.api(
        Method::POST,
        "/api/v1/invitations",
        Some(&boss.token),
        Some(json!({"project_id": project, "student_id": student, "note": note})),
    )
    .await
}

fn ids(v: &Value) -> Vec<i64> {
    v["students"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["id"].as_i64()).collect())
        .unwrap_or_default()
}

app_test!(
    employers_find_discoverable_students_ranked_by_match,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let project = app
            .published(&boss, "Survey coding to find for", 1, false)
            .await;
        // Three students: a strong match, a weak one, and one who stays hidden.
        let strong = app.student("strong@mail.test").await;
        profile(
            &app,
            &strong,
            json!({"headline": "Survey analyst", "skills": ["spreadsheets", "statistics", "python"],
        "interests": ["data-analysis"], "availability_hours": 20, "location": "Pune, India"}),
        )
        .await;
        let weak = app.student("weak@mail.test").await;
        profile(
            &app,
            &weak,
            json!({"headline": "Illustrator", "skills": ["illustration"],
        "interests": ["graphic-design"], "availability_hours": 5, "location": "Leeds, UK"}),
        )
        .await;
        let hidden = app.student("hidden@mail.test").await;
        profile(
            &app,
            &hidden,
            json!({"skills": ["spreadsheets", "statistics"], "interests": ["data-analysis"]}),
        )
        .await;

        // Nobody is discoverable until they choose to be.
        let r = app
            .api(Method::GET, "/api/v1/me/reach", Some(&hidden.token), None)
            .await;
        assert_eq!(
            r.json(),
            json!({"discoverable": false, "invitations": true})
        );
        let find = |q: &str| {
            let path = format!("/api/v1/talent/find?{q}");
            let token = boss.token.clone();
            let app = &app;
            async move { app.api(Method::GET, &path, Some(&token), None).await }
        };
        let r = find("").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["total"], 0);
        reach(&app, &strong, true, true).await;
        reach(&app, &weak, true, false).await;

        let r = find(&format!("project={project}")).await;
        let body = r.json();
        assert_eq!(
            ids(&body),
            vec![strong.id, weak.id],
            "best match first: {}",
            r.body
        );
        assert_eq!(body["project_id"], project);
        assert_eq!(body["invitations_left_today"], INVITATIONS_PER_DAY);
        let first = &body["students"][0];
        assert!(first["match"]["score"].as_u64() > body["students"][1]["match"]["score"].as_u64());
        assert!(
            first["match"]["reasons"]
                .as_array()
                .is_some_and(|r| !r.is_empty()),
            "the match is explained: {first}"
        );
        assert_eq!(body["students"][1]["takes_invitations"], false);
        assert!(first.get("email").is_none(), "no email: {first}");

        // Filters.
        assert_eq!(ids(&find("skill=illustration").await.json()), vec![weak.id]);
        assert_eq!(
            ids(&find("field=data-analysis").await.json()),
            vec![strong.id]
        );
        assert_eq!(ids(&find("min_hours=10").await.json()), vec![strong.id]);
        assert_eq!(ids(&find("location=LEEDS").await.json()), vec![weak.id]);
        assert_eq!(
            ids(&find("location=%25").await.json()),
            Vec::<i64>::new(),
            "wildcards are literal"
        );
        let r = find("skill=astrology&field=nope&min_hours=99&project=999999").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let mut f = r.fields();
        f.sort();
        assert_eq!(f, vec!["field", "min_hours", "project", "skill"]);
        // Another organization's project is not one to rank against.
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/talent/find?project={project}"),
                Some(&rival.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // Students and visitors do not search students.
        let r = app
            .api(
                Method::GET,
                "/api/v1/talent/find",
                Some(&strong.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .api(Method::GET, "/api/v1/talent/find", None, None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        // Turning it off takes them out at once; the change is recorded.
        reach(&app, &strong, false, true).await;
        assert_eq!(ids(&find("").await.json()), vec![weak.id]);
        let changed = app
            .state
            .store
            .reach(strong.id)
            .await
            .ok()
            .and_then(|r| r.discoverable_changed_at);
        assert!(changed.is_some());

        // The page shows the same, with the reasons and the invite form.
        reach(&app, &strong, true, true).await;
        let r = app
            .get(
                &format!("/employer/talent/find?project={project}"),
                Some(&boss.cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("2 students can be found"), "{}", r.body);
        assert!(r.body.contains(&format!(
            "Invite {} to apply",
            crate::common::person("strong@mail.test")
        )));
        assert!(r.body.contains("is not taking invitations"), "{}", r.body);
        let r = app
            .get("/employer/talent/find?min_hours=abc", Some(&boss.cookie))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Hours a week must be a whole number"),
            "{}",
            r.body
        );
    }
);

app_test!(
    invitations_are_bounded_and_never_skip_the_rules,
    |app| async move {
        let (boss, org) = app.employer("boss@acme.test", "Acme Research", true).await;
        let (rival, _) = app.employer("boss@rival.test", "Rival Labs", true).await;
        let (_staff, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let project = app
            .published(&boss, "Survey coding to invite to", 1, false)
            .await;
        let rival_project = app.published(&rival, "A rival's survey", 1, false).await;
        let s = app.student("s@mail.test").await;
        let quiet = app.student("quiet@mail.test").await;
        let closed = app.student("closed@mail.test").await;
        reach(&app, &s, true, true).await;
        reach(&app, &closed, true, false).await;

        // Only discoverable students, or the organization's own pool.
        let r = invite(&app, &boss, project, quiet.id, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = invite(&app, &boss, project, closed.id, "").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "invitations_off".to_string()),
            "{}",
            r.body
        );
        let r = invite(&app, &boss, rival_project, s.id, "").await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "another organization's project: {}",
            r.body
        );
        let r = invite(&app, &boss, project, s.id, &"x".repeat(601)).await;
        assert_eq!(r.fields(), vec!["note"], "{}", r.body);
        let r = invite(&app, &boss, project, boss.id, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "not a student");

        // A good one: the student is told, with the note, and sees it on the page.
        let r = invite(&app, &boss, project, s.id, "Your survey work stood out.").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inv = r.json();
        assert_eq!(inv["status"], "sent");
        let inv_id = inv["id"].as_i64().unwrap_or_default();
        assert_eq!(app.count_kind(&s, "invitation").await, 1);
        let r = app
            .get(&format!("/projects/{project}"), Some(&s.cookie))
            .await;
        assert!(
            r.body.contains("Acme Research invited you to apply"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Your survey work stood out."));
        let r = invite(&app, &boss, project, s.id, "again").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "already_invited".to_string())
        );

        // Nobody else reads it: another student, another organization.
        let r = app
            .api(
                Method::GET,
                "/api/v1/me/invitations",
                Some(&quiet.token),
                None,
            )
            .await;
        assert_eq!(r.json(), json!([]));
        let r = app
            .api(Method::GET, "/api/v1/invitations", Some(&rival.token), None)
            .await;
        assert_eq!(r.json(), json!([]));
        let r = app
            .get(&format!("/projects/{project}"), Some(&quiet.cookie))
            .await;
        assert!(!r.body.contains("invited you"));
        for who in [&quiet, &rival] {
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/me/invitations/{inv_id}/decline"),
                    Some(&who.token),
                    None,
                )
                .await;
            assert!(
                r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                "{}: {}",
                r.status,
                r.body
            );
        }

        // Applying goes through the application rules, then marks it applied.
        let r = app.apply(&s, project).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/invitations", Some(&boss.token), None)
            .await;
        assert_eq!(r.json()[0]["status"], "applied", "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/me/invitations/{inv_id}/decline"),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // Applied already: no invitation.
        let p2 = app.published(&boss, "A second survey", 1, false).await;
        let applied = app.student("applied@mail.test").await;
        reach(&app, &applied, true, true).await;
        assert_eq!(app.apply(&applied, p2).await.status, StatusCode::CREATED);
        let r = invite(&app, &boss, p2, applied.id, "").await;
        assert_eq!(r.code(), "already_applied", "{}", r.body);

        // A project arranged with a university: only its students.
        let mut p = project_json("For Uni of Test students");
        p["slots"] = json!(1);
        let r = app
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await;
        let p3 = r.json()["id"].as_i64().unwrap_or_default();
        app.state
            .store
            .set_project_audience(p3, stint_store::Audience::University(uni))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/projects/{p3}/publish"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let other = app.student("other@mail.test").await;
        reach(&app, &other, true, true).await;
        let r = invite(&app, &boss, p3, other.id, "").await;
        assert_eq!(r.code(), "not_eligible", "{}", r.body);
        let member = app.student("member@uni.test").await;
        verify_account_email(&app, "member@uni.test", &member).await;
        reach(&app, &member, true, true).await;
        let r = invite(&app, &boss, p3, member.id, "").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        // Declining: the student's page form, then the employer sees it.
        let p4 = app.published(&boss, "A third survey", 1, false).await;
        let r = invite(&app, &boss, p4, other.id, "").await;
        let other_inv = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .form(
                &format!("/me/invitations/{other_inv}/decline"),
                Some(&other.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .api(
                Method::GET,
                "/api/v1/me/invitations",
                Some(&other.token),
                None,
            )
            .await;
        assert_eq!(r.json()[0]["status"], "declined", "{}", r.body);
        let r = app
            .get(&format!("/projects/{p4}"), Some(&other.cookie))
            .await;
        assert!(
            r.body.contains("You declined this invitation"),
            "{}",
            r.body
        );
        // The application rules still hold after a decline: they may apply.
        assert_eq!(app.apply(&other, p4).await.status, StatusCode::CREATED);

        // The daily bound, counted over the organization's members together.
        let sent = app
            .state
            .store
            .invitations_sent_today(org)
            .await
            .unwrap_or_default();
        let mut made = sent;
        let mut last = None;
        while made < INVITATIONS_PER_DAY {
            let st = app.student(&format!("bulk{made}@mail.test")).await;
            reach(&app, &st, true, true).await;
            let r = invite(&app, &boss, p4, st.id, "").await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            made += 1;
            last = Some(st);
        }
        let extra = app.student("extra@mail.test").await;
        reach(&app, &extra, true, true).await;
        let r = invite(&app, &boss, p4, extra.id, "").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "invitation_limit".to_string()),
            "{}",
            r.body
        );
        assert!(last.is_some());
        // Another organization has its own bound.
        let r = invite(&app, &rival, rival_project, extra.id, "").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);

app_test!(
    a_pool_student_is_invited_back_without_being_discoverable,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let first = app.published(&boss, "The first survey", 2, false).await;
        let s = app.student("s@mail.test").await;
        let r = app.apply(&s, first).await;
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
        let next = app.published(&boss, "The next survey", 1, false).await;

        // From the pool page, with a note; the page lists it afterwards.
        let path = format!("/employer/talent/{}", s.id);
        let r = app.get(&path, Some(&boss.cookie)).await;
        assert!(r.body.contains("Send invitation"), "{}", r.body);
        assert!(r.body.contains("The next survey"));
        let r = app
            .form(
                "/employer/talent/invite",
                Some(&boss.cookie),
                &[
                    ("project_id", &next.to_string()),
                    ("student_id", &s.id.to_string()),
                    ("note", "Come back for the next one?"),
                    ("back", &format!("{path}#invite")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location(),
            format!("{path}?notice=invitation_sent#invite")
        );
        let r = app.get(&path, Some(&boss.cookie)).await;
        assert!(r.body.contains("Invited</span>"), "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/me/invitations", Some(&s.token), None)
            .await;
        assert_eq!(r.json()[0]["note"], "Come back for the next one?");
        assert_eq!(r.json()[0]["project_id"], next);

        // An address outside the talent area is not followed.
        let third = app.published(&boss, "A third survey", 1, false).await;
        let r = app
            .form(
                "/employer/talent/invite",
                Some(&boss.cookie),
                &[
                    ("project_id", &third.to_string()),
                    ("student_id", &s.id.to_string()),
                    ("back", "https://evil.example/"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/employer/talent?notice=invitation_sent");

        // The student turns invitations off from their profile page.
        let r = app
            .form("/me/reach", Some(&s.cookie), &[("discoverable", "on")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .api(Method::GET, "/api/v1/me/reach", Some(&s.token), None)
            .await;
        assert_eq!(
            r.json(),
            json!({"discoverable": true, "invitations": false})
        );
        let r = app.get(&path, Some(&boss.cookie)).await;
        assert!(r.body.contains("has turned invitations off"), "{}", r.body);
        let fourth = app.published(&boss, "A fourth survey", 1, false).await;
        let r = invite(&app, &boss, fourth, s.id, "").await;
        assert_eq!(r.code(), "invitations_off", "{}", r.body);
        let r = app.get("/me/profile", Some(&s.cookie)).await;
        assert!(
            r.body
                .contains("name=\"discoverable\" value=\"on\" checked"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("name=\"invitations\" value=\"on\" checked"));
    }
);

app_test!(
    concurrent_invitations_keep_the_daily_bound,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.test", "Acme Research", true).await;
        let project = app
            .published(&boss, "Survey coding, invited at once", 1, false)
            .await;
        let extra = 4;
        let mut calls = Vec::new();
        for n in 0..(INVITATIONS_PER_DAY + extra) {
            let s = app.student(&format!("c{n}@mail.test")).await;
            reach(&app, &s, true, true).await;
            calls.push((
                Method::POST,
                "/api/v1/invitations".to_string(),
                json!({"project_id": project, "student_id": s.id}),
            ));
        }
        // The same student twice at once: one invitation.
        let twice = calls[0].clone();
        calls.push(twice);
        let answers = app.concurrently_json(calls, &boss.token).await;
        let created = answers
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count() as i64;
        let refused: Vec<String> = answers
            .iter()
            .filter(|r| r.status != StatusCode::CREATED)
            .map(|r| format!("{} {}", r.status, r.code()))
            .collect();
        assert_eq!(created, INVITATIONS_PER_DAY, "{refused:?}");
        assert_eq!(refused.len() as i64, extra + 1, "{refused:?}");
        assert!(
            refused.iter().all(|r| r.starts_with("409")),
            "every refusal is a conflict: {refused:?}"
        );
        let r = app
            .api(Method::GET, "/api/v1/invitations", Some(&boss.token), None)
            .await;
        assert_eq!(
            r.json().as_array().map(Vec::len),
            Some(INVITATIONS_PER_DAY as usize)
        );
    }
);

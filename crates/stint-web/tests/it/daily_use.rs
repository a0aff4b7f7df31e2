//! Daily use: the employer's home opens on what needs them, the student's
//! home on what is due, the navigation counts unread notifications and marks
//! the current page, and actions that cannot be undone ask first.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;
use crate::common::PITCH;

/// Someone else's object: not found, or forbidden.
fn refused(r: &crate::common::Res) {
    assert!(
        matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        r.status
    );
}

fn id(r: &crate::common::Res) -> i64 {
    r.json()["id"].as_i64().unwrap_or_default()
}

app_test!(
    the_employer_home_opens_on_work_in_flight,
    |app| async move {
        let (boss, s, eid) = hired(&app).await;
        let home = app.get("/employer", Some(&boss.cookie)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            !home.body.contains("Work to review") && home.body.contains("Needs you"),
            "nothing delivered yet"
        );

        // The student asks a question, then delivers.
        let msgs = format!("/api/v1/engagements/{eid}/messages");
        let r = app
            .api(
                Method::POST,
                &msgs,
                Some(&s.token),
                Some(json!({"kind": "question", "body": "Should the report cover every city?"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{eid}/submissions"),
            Some(&s.token),
            Some(json!({"note": "The coded dataset and report are linked.", "links": ["https://docs.example/v1"]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // Another project with an undecided application.
        let pid = app.published(&boss, "Second project", 1, false).await;
        let other = app.student("other@x.com").await;
        assert_eq!(app.apply(&other, pid).await.status, StatusCode::CREATED);

        let home = app.get("/employer", Some(&boss.cookie)).await.body;
        let auto = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive();
        assert!(home.contains("Work to review"), "{home}");
        assert!(home.contains("delivered “Workspace project”"), "{home}");
        assert!(
            home.contains(&format!(
                "approved automatically on <strong>{}</strong>",
                auto.format("%-d %b %Y")
            )),
            "{home}"
        );
        assert!(home.contains("is released when you approve"), "{home}");
        assert!(home.contains("Applications to decide"), "{home}");
        assert!(
        home.contains(&format!(
            "href=\"/employer/projects/{pid}/applicants\">1 undecided application for “Second project”"
        )),
        "{home}"
    );
        assert!(home.contains("Questions to answer"), "{home}");
        assert!(home.contains("asked a question about “Workspace project”"));
        // The project list counts applications and engagements.
        assert!(home.contains("1 (1 undecided)"), "{home}");

        // Answering the question takes it off the list.
        let r = app
            .api(
                Method::POST,
                &msgs,
                Some(&boss.token),
                Some(json!({"body": "Every city, please."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let home = app.get("/employer", Some(&boss.cookie)).await.body;
        assert!(!home.contains("Questions to answer"), "{home}");

        // Another organization sees none of it.
        let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
        let theirs = app.get("/employer", Some(&rival.cookie)).await.body;
        assert!(
            !theirs.contains("Workspace project") && !theirs.contains("Second project"),
            "{theirs}"
        );
        assert!(theirs.contains("Nothing waits for you"));
    }
);

app_test!(the_student_home_shows_what_is_due, |app| async move {
    let (boss, s, eid) = hired(&app).await;
    let pid = app.published(&boss, "Pending project", 1, false).await;
    assert_eq!(app.apply(&s, pid).await.status, StatusCode::CREATED);

    // Signing in lands on the home, not the profile form.
    let r = app
        .form(
            "/login",
            None,
            &[
                ("email", "worker@x.com"),
                ("password", crate::common::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");

    let home = app.get("/", Some(&s.cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    let b = home.body;
    assert!(b.contains("Next up") && b.contains("Hello,"), "{b}");
    assert!(b.contains("Deliver “Workspace project” to Acme"), "{b}");
    assert!(b.contains(&format!("href=\"/engagements/{eid}\"")), "{b}");
    assert!(b.contains("Acme decides on “Pending project”"), "{b}");
    assert!(b.contains("Applications waiting for a decision"), "{b}");
    assert!(b.contains("in escrow for work in progress"), "{b}");
    assert!(b.contains("aria-current=\"page\">Home"), "{b}");
    // The Hired row of "My applications" opens its workspace.
    let mine = app.get("/me/applications", Some(&s.cookie)).await.body;
    assert!(
        mine.contains(&format!("href=\"/engagements/{eid}\"")),
        "{mine}"
    );
    assert!(mine.contains("aria-current=\"page\">My applications"));
    // Search cards mark the projects already applied to.
    let search = app.get("/projects", Some(&s.cookie)).await.body;
    assert!(search.contains("You applied"), "{search}");

    // Another student sees only their own (empty) day.
    let nosy = app.student("nosy@x.com").await;
    let theirs = app.get("/", Some(&nosy.cookie)).await.body;
    assert!(!theirs.contains("Workspace project") || !theirs.contains("Deliver"));
    assert!(theirs.contains("Nothing is due"), "{theirs}");
});

app_test!(
    unread_notifications_are_counted_in_the_navigation,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let pid = app.published(&boss, "Counted project", 1, false).await;
        let s = app.student("worker@x.com").await;
        let aid = id(&app.apply(&s, pid).await);
        let before = app.get("/me/applications", Some(&s.cookie)).await.body;
        assert!(before.contains("<title>Your applications · Stint</title>"));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/applications/{aid}/shortlist"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = app.get("/me/applications", Some(&s.cookie)).await.body;
        assert!(
            after.contains("<title>(1) Your applications · Stint</title>"),
            "{after}"
        );
        assert!(after.contains(", 1 unread"), "{after}");
        // Reading them clears the count.
        app.form("/me/notifications/read", Some(&s.cookie), &[])
            .await;
        let read = app.get("/me/applications", Some(&s.cookie)).await.body;
        assert!(read.contains("<title>Your applications · Stint</title>"));
    }
);

app_test!(
    withdrawing_asks_first_and_only_the_applicant,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let pid = app.published(&boss, "Withdrawn project", 1, false).await;
        let s = app.student("worker@x.com").await;
        let aid = id(&app.apply(&s, pid).await);
        let list = app.get("/me/applications", Some(&s.cookie)).await.body;
        assert!(list.contains(&format!("href=\"/me/applications/{aid}/withdraw\"")));
        let page = app
            .get(&format!("/me/applications/{aid}/withdraw"), Some(&s.cookie))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Withdraw your application to “Withdrawn project”?")
                && page
                    .body
                    .contains("You cannot apply to this project again."),
            "{}",
            page.body
        );
        // Nobody else reaches it.
        let nosy = app.student("nosy@x.com").await;
        for cookie in [&nosy.cookie, &boss.cookie] {
            let r = app
                .get(&format!("/me/applications/{aid}/withdraw"), Some(cookie))
                .await;
            refused(&r);
        }
        let r = app
            .form(
                &format!("/me/applications/{aid}/withdraw"),
                Some(&s.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), "/me/applications?notice=withdrawn");
        // Once withdrawn, the confirmation says why it cannot be done again.
        let again = app
            .get(&format!("/me/applications/{aid}/withdraw"), Some(&s.cookie))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
    }
);

app_test!(
    cancelling_a_project_asks_first_and_tells_applicants,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        let pid = app.published(&boss, "Doomed project", 1, false).await;
        let s = app.student("worker@x.com").await;
        let aid = id(&app.apply(&s, pid).await);
        let show = app
            .get(&format!("/projects/{pid}"), Some(&boss.cookie))
            .await;
        assert!(
            show.body
                .contains(&format!("href=\"/employer/projects/{pid}/cancel\""))
        );
        let page = app
            .get(
                &format!("/employer/projects/{pid}/cancel"),
                Some(&boss.cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Cancel “Doomed project”?")
                && page.body.contains("1 undecided application is closed"),
            "{}",
            page.body
        );
        let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
        for cookie in [&rival.cookie, &s.cookie] {
            let r = app
                .get(&format!("/employer/projects/{pid}/cancel"), Some(cookie))
                .await;
            refused(&r);
        }
        let r = app
            .form(
                &format!("/employer/projects/{pid}/cancel"),
                Some(&boss.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), format!("/projects/{pid}?notice=cancelled"));
        // The applicant is not left waiting, and it is not a missed decision.
        let a = app
            .api(
                Method::GET,
                &format!("/api/v1/applications/{aid}"),
                Some(&s.token),
                None,
            )
            .await
            .json();
        assert_eq!(a["status"], "closed", "{a}");
        assert_eq!(app.count_kind(&s, "closed").await, 1);
        let record = app
            .state
            .store
            .accountability(
                app.state
                    .store
                    .project(pid)
                    .await
                    .map(|p| p.org_id)
                    .unwrap_or_default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(record.closed_undecided, 0);
    }
);

app_test!(verifying_an_organization_asks_first, |app| async move {
    let (_, org) = app.employer("new@acme.com", "Newco", false).await;
    let admin = app.admin().await;
    let queue = app.get("/admin/verifications", Some(&admin.cookie)).await;
    assert!(
        queue
            .body
            .contains(&format!("href=\"/admin/organizations/{org}/verify\""))
    );
    let page = app
        .get(
            &format!("/admin/organizations/{org}/verify"),
            Some(&admin.cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Verify Newco?"), "{}", page.body);
    let s = app.student("s@x.com").await;
    assert_eq!(
        app.get(
            &format!("/admin/organizations/{org}/verify"),
            Some(&s.cookie)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .form(
            &format!("/admin/organizations/{org}/verify"),
            Some(&admin.cookie),
            &[],
        )
        .await;
    assert_eq!(r.location(), "/admin/verifications?notice=org_verified");
});

app_test!(search_cards_show_the_main_missing_skill, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    app.published(&boss, "Skilled project", 1, false).await;
    let s = app.student("worker@x.com").await;
    let page = app.get("/projects", Some(&s.cookie)).await.body;
    assert!(page.contains("required skills; missing:"), "{page}");
    let _ = PITCH;
    // API cards carry the organization's real id.
    let list = app
        .api(Method::GET, "/api/v1/projects", None, None)
        .await
        .json();
    let org = list["items"][0]["organization"]["id"].as_i64();
    assert!(org.is_some_and(|id| id > 0), "{list}");
});

app_test!(written_lists_render_as_lists, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Listed project", 1, false).await;
    let page = app.get(&format!("/projects/{pid}"), None).await.body;
    assert!(
        page.contains("<ul><li>Coded dataset</li><li>Report</li></ul>"),
        "{page}"
    );
    assert!(!page.contains("- Coded dataset"), "{page}");
    // The remote posting says where applicants may be, for search engines.
    assert!(
        page.contains("\"applicantLocationRequirements\":{\"@type\":\"Country\",\"name\":\"IN\"}"),
        "{page}"
    );
});

app_test!(applying_has_a_page_of_its_own, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Apply page project", 1, false).await;
    let apply = format!("/projects/{pid}/apply");
    // A visitor is invited to sign in and come back to the form.
    let anon = app.get(&format!("/projects/{pid}"), None).await.body;
    assert!(
        anon.contains(&format!("href=\"/login?next={apply}\"")),
        "{anon}"
    );
    let s = app.student("worker@x.com").await;
    let show = app
        .get(&format!("/projects/{pid}"), Some(&s.cookie))
        .await
        .body;
    let (button, brief) = (
        show.find(&format!("href=\"{apply}\"")),
        show.find("The brief"),
    );
    assert!(
        button.is_some() && brief.is_some() && button < brief,
        "the Apply action is at the top"
    );
    let page = app.get(&apply, Some(&s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "the form's URL reloads");
    assert!(page.body.contains("0 of 1200 characters (at least 50)"));
    // A failed attempt stays at the URL, summarises the errors at the top
    // with links to the fields, and keeps what was typed.
    let r = app
        .form(
            &apply,
            Some(&s.cookie),
            &[("pitch", "too short"), ("answer", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b = r.body;
    assert!(
        b.contains("class=\"error-summary\" role=\"alert\" tabindex=\"-1\""),
        "{b}"
    );
    assert!(b.contains("2 things need fixing"), "{b}");
    assert!(
        b.contains("<a href=\"#pitch\">Your pitch must be at least 50 characters.</a>"),
        "{b}"
    );
    assert!(b.contains("<a href=\"#answer\">"), "{b}");
    assert!(b.contains("too short</textarea>") && b.contains("9 of 1200 characters"));
    // Employers and strangers cannot apply; drafts are not found.
    assert!(
        app.get(&apply, Some(&boss.cookie))
            .await
            .body
            .contains("Only student accounts apply")
    );
    let r = app
        .form(
            &apply,
            Some(&s.cookie),
            &[("pitch", PITCH), ("answer", "Sheets.")],
        )
        .await;
    assert_eq!(r.location(), "/me/applications?notice=applied");
    assert!(
        app.get(&apply, Some(&s.cookie))
            .await
            .body
            .contains("You applied on")
    );
});

app_test!(
    publishing_errors_sit_next_to_their_fields,
    |app| async move {
        let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
        // A new project's currency follows the organization's country (IN).
        let new = app
            .get("/employer/projects/new", Some(&boss.cookie))
            .await
            .body;
        assert!(new.contains("<option value=\"INR\" selected>"), "{new}");
        assert!(
            !new.contains("Save and publish"),
            "a new draft is saved first"
        );

        let t = stint_domain::taxonomy::category("content-writing")
            .map(|c| c.template)
            .unwrap_or_default();
        let mut p = crate::common::project_json("Template left in");
        p["brief"] = json!(t.brief);
        p["deliverables"] = json!(t.deliverables);
        let r = app
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let pid = id(&r);
        let edit = format!("/employer/projects/{pid}/edit");
        let page = app.get(&edit, Some(&boss.cookie)).await.body;
        assert!(
            page.contains(&format!("formaction=\"{edit}?publish=1\"")),
            "{page}"
        );

        let day =
            |n: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string();
        let (d5, d8, d12, d26) = (day(5), day(8), day(12), day(26));
        let fields = [
            ("title", "Template left in"),
            (
                "summary",
                "Analyse survey responses and summarise the top themes for our team.",
            ),
            ("brief", t.brief),
            ("deliverables", t.deliverables),
            ("acceptance_criteria", "- Every response coded"),
            ("category", "content-writing"),
            ("estimated_hours", "20"),
            ("price", "9000"),
            ("currency", "INR"),
            ("work_mode", "remote"),
            ("slots", "1"),
            ("application_deadline", d5.as_str()),
            ("decision_by", d8.as_str()),
            ("start_date", d12.as_str()),
            ("due_date", d26.as_str()),
        ];
        let r = app
            .form(&format!("{edit}?publish=1"), Some(&boss.cookie), &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let b = r.body;
        assert!(b.contains("class=\"error-summary\""), "{b}");
        assert!(
            b.contains("Before this project can go live: 3 things to fix"),
            "{b}"
        );
        // Each message links to its field and sits beside it, linked for screen readers.
        assert!(
            b.contains("<a href=\"#brief\">The brief still holds the template"),
            "{b}"
        );
        assert!(b.contains("<p class=\"error\" id=\"brief-err\">"), "{b}");
        assert!(
            b.contains("aria-describedby=\"brief-hint brief-err\" aria-invalid=\"true\""),
            "{b}"
        );
        assert!(
            b.contains("<a href=\"#required-skills\">Choose at least one required skill."),
            "{b}"
        );
        assert!(b.contains("<a href=\"#deliverables\">"), "{b}");
        // The draft is saved, not published.
        let saved = app
            .api(
                Method::GET,
                &format!("/api/v1/projects/{pid}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(saved["status"], "draft", "{saved}");
        assert_eq!(saved["required_skills"], json!([]), "{saved}");
        // Another organization cannot publish it this way.
        let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
        let r = app
            .form(&format!("{edit}?publish=1"), Some(&rival.cookie), &fields)
            .await;
        refused(&r);
    }
);

app_test!(an_active_filter_chip_removes_its_filter, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    app.published(&boss, "Chip project", 1, false).await;
    let all = app.get("/projects", None).await.body;
    assert!(
        all.contains("href=\"/projects?category=data-analysis\""),
        "{all}"
    );
    let one = app.get("/projects?category=data-analysis", None).await.body;
    // The current chip links to the same search without that filter.
    assert!(
        one.contains("<a href=\"/projects?\" class=\"chip current\" aria-current=\"true\">"),
        "{one}"
    );
    assert!(one.contains("remove this filter"), "{one}");
});

app_test!(applicants_list_filters_and_bulk_reject, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let pid = app.published(&boss, "Busy project", 1, false).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let s = app.student(&format!("s{n}@x.com")).await;
        ids.push(id(&app.apply(&s, pid).await));
    }
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{}/shortlist", ids[0]),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let base = format!("/employer/projects/{pid}/applicants");
    let list = app
        .get(&format!("{base}?view=list"), Some(&boss.cookie))
        .await
        .body;
    assert!(list.contains("<table class=\"list applicants\">"), "{list}");
    assert!(
        list.contains("Waiting for you <span class=\"count\">3</span>"),
        "{list}"
    );
    assert!(
        list.contains("Shortlisted <span class=\"count\">1</span>"),
        "{list}"
    );
    let short = app
        .get(
            &format!("{base}?status=shortlisted&view=list"),
            Some(&boss.cookie),
        )
        .await
        .body;
    assert!(short.contains(&format!("value=\"{}\"", ids[0])), "{short}");
    assert!(!short.contains(&format!("value=\"{}\"", ids[1])), "{short}");

    // Two rejected with one note; the third stays.
    let reject = format!("{base}/reject");
    let (a, b) = (ids[1].to_string(), ids[2].to_string());
    let r = app
        .form(
            &reject,
            Some(&boss.cookie),
            &[
                ("ids", &a),
                ("ids", &b),
                ("reason", "We chose someone with SQL."),
                ("status", "all"),
            ],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("{base}?view=list&status=all&notice=rejected_many")
    );
    for (aid, want) in [
        (ids[0], "shortlisted"),
        (ids[1], "rejected"),
        (ids[2], "rejected"),
    ] {
        let a = app
            .state
            .store
            .application(aid)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.status.as_str(), want);
    }
    let closed = app
        .get(
            &format!("{base}?status=closed&view=list"),
            Some(&boss.cookie),
        )
        .await
        .body;
    assert!(closed.contains("Not selected or withdrawn <span class=\"count\">2</span>"));
    // Nothing ticked: told so, nothing changes.
    let r = app
        .form(&reject, Some(&boss.cookie), &[("reason", "")])
        .await;
    assert!(r.location().ends_with("notice=none_ticked"));
    // Another organization cannot reject this project's applicants, nor
    // reach another project's applicant through this one.
    let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
    let first = ids[0].to_string();
    let r = app
        .form(&reject, Some(&rival.cookie), &[("ids", &first)])
        .await;
    refused(&r);
    let other = app.published(&rival, "Rival project", 1, false).await;
    let r = app
        .form(
            &format!("/employer/projects/{other}/applicants/reject"),
            Some(&rival.cookie),
            &[("ids", &first)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let a = app
        .state
        .store
        .application(ids[0])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.status.as_str(), "shortlisted");
});

app_test!(times_show_in_the_readers_zone, |app| async move {
    let (boss, s, eid) = hired(&app).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{eid}/messages"),
            Some(&s.token),
            Some(json!({"body": "Starting on the survey today."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = format!("/engagements/{eid}");
    assert!(
        app.get(&ws, Some(&boss.cookie))
            .await
            .body
            .contains(" UTC</")
    );
    // The employer chooses Asia/Kolkata: the same message reads in IST.
    let r = app
        .form(
            "/account/time-zone",
            Some(&boss.cookie),
            &[("time_zone", "Asia/Kolkata")],
        )
        .await;
    assert_eq!(r.location(), "/account?notice=zone_saved");
    let page = app.get(&ws, Some(&boss.cookie)).await.body;
    assert!(
        page.contains(" IST</") && !page.contains(" UTC</"),
        "{page}"
    );
    let account = app.get("/account", Some(&boss.cookie)).await.body;
    assert!(
        account.contains("<option value=\"Asia/Kolkata\" selected>"),
        "{account}"
    );
    // The student's profile zone counts when no account zone is set.
    app.form(
        "/me/profile",
        Some(&s.cookie),
        &[("time_zone", "Europe/London"), ("skills", "statistics")],
    )
    .await;
    let theirs = app.get(&ws, Some(&s.cookie)).await.body;
    assert!(
        theirs.contains(" GMT</") || theirs.contains(" BST</"),
        "{theirs}"
    );
    // A zone nobody knows is refused with a message, and changes nothing.
    let r = app
        .form(
            "/account/time-zone",
            Some(&boss.cookie),
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose a time zone from the list"));
    assert!(
        app.get(&ws, Some(&boss.cookie))
            .await
            .body
            .contains(" IST</")
    );
});

app_test!(a_placement_of_several_weeks_publishes, |app| async move {
    let (boss, _) = app.employer("boss@acme.com", "Acme", true).await;
    let day = |n: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string();
    let mut p = crate::common::project_json("Four-week placement");
    p["estimated_hours"] = json!(120);
    p["price_minor"] = json!(5_400_000);
    p["start_date"] = json!(day(12));
    p["due_date"] = json!(day(39));
    // Without agreed weekly hours, 120 hours is refused with a way forward.
    let r = app
        .api(
            Method::POST,
            "/api/v1/projects",
            Some(&boss.token),
            Some(p.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("hours a week"), "{}", r.body);
    p["weekly_hours"] = json!(30);
    let pid = app.publish_json(&boss, p).await;
    let got = app
        .api(Method::GET, &format!("/api/v1/projects/{pid}"), None, None)
        .await
        .json();
    assert_eq!(
        (
            got["weekly_hours"].as_i64(),
            got["estimated_hours"].as_i64()
        ),
        (Some(30), Some(120))
    );
    let page = app.get(&format!("/projects/{pid}"), None).await.body;
    assert!(page.contains("a placement at 30 hours a week"), "{page}");
});

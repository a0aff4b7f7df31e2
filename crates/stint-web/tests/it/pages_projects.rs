//! Pages: the employer's path from organization to published project, the
//! admin queue, student profiles, browsing and project pages.

use axum::http::StatusCode;

use crate::app_test;
use crate::common::project_json;

app_test!(
    employer_posts_and_publishes_through_pages,
    |app| async move {
        let e = app.actor("e@acme.com", "employer").await;
        let r = app.get("/employer", Some(&e.cookie)).await;
        assert!(r.body.contains("Set up your organization"));
        let r = app
            .form(
                "/employer/organization",
                Some(&e.cookie),
                &[("name", ""), ("country", "India")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("two-letter country code"));
        let r = app
            .form(
                "/employer/organization",
                Some(&e.cookie),
                &[
                    ("name", "Acme Research"),
                    ("country", "IN"),
                    ("website", "https://acme.example"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/employer?notice=org_created");
        let dash = app
            .get("/employer?notice=org_created", Some(&e.cookie))
            .await;
        assert!(dash.body.contains("Awaiting verification"));

        let r = app
            .get(
                "/employer/projects/new?template=market-research",
                Some(&e.cookie),
            )
            .await;
        assert!(
            r.body.contains("The market or question to research"),
            "the template fills the brief"
        );

        let p = project_json("Survey analysis through the form");
        let skills: Vec<String> = p["required_skills"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let mut fields: Vec<(&str, String)> = vec![
            ("title", p["title"].as_str().unwrap_or("").into()),
            ("summary", p["summary"].as_str().unwrap_or("").into()),
            ("brief", p["brief"].as_str().unwrap_or("").into()),
            (
                "deliverables",
                p["deliverables"].as_str().unwrap_or("").into(),
            ),
            (
                "acceptance_criteria",
                p["acceptance_criteria"].as_str().unwrap_or("").into(),
            ),
            ("category", "data-analysis".into()),
            ("estimated_hours", "20".into()),
            ("start_date", p["start_date"].as_str().unwrap_or("").into()),
            ("due_date", p["due_date"].as_str().unwrap_or("").into()),
            ("price", "9,000".into()),
            ("currency", "INR".into()),
            ("work_mode", "remote".into()),
            ("slots", "1".into()),
            (
                "application_deadline",
                p["application_deadline"].as_str().unwrap_or("").into(),
            ),
            (
                "decision_by",
                p["decision_by"].as_str().unwrap_or("").into(),
            ),
            ("for_credit", "true".into()),
        ];
        for s in &skills {
            fields.push(("required_skills", s.clone()));
        }
        let as_refs = |f: &Vec<(&'static str, String)>| {
            f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
        };
        let pairs = as_refs(&fields);
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();

        let mut bad = refs.clone();
        bad.retain(|(k, _)| *k != "title");
        bad.push(("title", "x"));
        let r = app
            .form("/employer/projects/new", Some(&e.cookie), &bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Title must be at least 5 characters."));
        assert!(
            r.body.contains("Analyse survey responses and summarise"),
            "typed input is kept"
        );

        let r = app
            .form("/employer/projects/new", Some(&e.cookie), &refs)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = r
            .location()
            .trim_start_matches("/projects/")
            .split('?')
            .next()
            .unwrap_or("")
            .parse()
            .unwrap_or_default();
        let page = app.get(&format!("/projects/{id}"), Some(&e.cookie)).await;
        assert!(page.body.contains("only your organization can see it"));
        assert!(
            !page.body.contains("application/ld+json"),
            "drafts carry no JobPosting"
        );

        // Not verified yet: publishing explains why, in the editor.
        let r = app
            .form(
                &format!("/employer/projects/{id}/publish"),
                Some(&e.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Before this project can go live")
                && r.body.contains("must be verified")
        );

        let admin = app.admin().await;
        let q = app.get("/admin/verifications", Some(&admin.cookie)).await;
        assert!(q.body.contains("Acme Research"));
        let org_id = app
            .state
            .store
            .membership(e.id)
            .await
            .ok()
            .flatten()
            .map(|m| m.org.id)
            .unwrap_or_default();
        let r = app
            .form(
                &format!("/admin/organizations/{org_id}/verify"),
                Some(&admin.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), "/admin/verifications?notice=org_verified");

        let r = app
            .form(
                &format!("/employer/projects/{id}/publish"),
                Some(&e.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), format!("/projects/{id}?notice=published"));
        let page = app.get(&format!("/projects/{id}"), None).await;
        assert!(page.body.contains("application/ld+json") && page.body.contains("\"JobPosting\""));
        // Valid for search engines: pay per hour, and where remote applicants may be.
        assert!(page.body.contains("\"unitText\":\"HOUR\""), "{}", page.body);
        assert!(!page.body.contains("\"PROJECT\""));
        assert!(page.body.contains("₹9,000") && page.body.contains("₹450 an hour"));
        let browse = app.get("/projects?q=survey+analysis", None).await;
        assert!(browse.body.contains("Survey analysis through the form"));
        let dash = app.get("/employer", Some(&e.cookie)).await;
        assert!(
            dash.body.contains("Survey analysis through the form") && dash.body.contains("Open")
        );

        // Another employer sees no manage buttons and cannot close it.
        let (rival, _) = app.employer("r@rival.com", "Rival", true).await;
        assert!(
            !app.get(&format!("/projects/{id}"), Some(&rival.cookie))
                .await
                .body
                .contains("Close to applications")
        );
        assert_eq!(
            app.form(
                &format!("/employer/projects/{id}/close"),
                Some(&rival.cookie),
                &[]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(
                &format!("/employer/projects/{id}/edit"),
                Some(&rival.cookie)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let r = app
            .form(
                &format!("/employer/projects/{id}/close"),
                Some(&e.cookie),
                &[],
            )
            .await;
        assert_eq!(r.location(), format!("/projects/{id}?notice=closed"));
    }
);

app_test!(colleagues_join_with_the_invite_code, |app| async move {
    let (owner, org_id) = app.employer("o@acme.com", "Acme", true).await;
    let code = app
        .state
        .store
        .org(org_id)
        .await
        .map(|o| o.invite_code)
        .unwrap_or_default();
    let dash = app.get("/employer", Some(&owner.cookie)).await;
    assert!(dash.body.contains(&code));
    let c = app.actor("c@acme.com", "employer").await;
    let r = app
        .form(
            "/employer/join",
            Some(&c.cookie),
            &[("invite_code", "NOPE")],
        )
        .await;
    assert!(r.body.contains("No organization has that invite code"));
    let r = app
        .form("/employer/join", Some(&c.cookie), &[("invite_code", &code)])
        .await;
    assert_eq!(r.location(), "/employer?notice=org_joined");
    let uni = app.actor("staff@uni.ac.in", "university").await;
    let r = app
        .form(
            "/university/organization",
            Some(&uni.cookie),
            &[
                ("name", "Uni of Test"),
                ("country", "IN"),
                ("email_domains", "uni.ac.in, bad domain"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .form(
            "/university/organization",
            Some(&uni.cookie),
            &[
                ("name", "Uni of Test"),
                ("country", "IN"),
                ("email_domains", "uni.ac.in"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/university?notice=org_created");
    assert!(
        app.get("/university", Some(&uni.cookie))
            .await
            .body
            .contains("uni.ac.in")
    );
});

app_test!(student_profile_page, |app| async move {
    let s = app.student("s@x.com").await;
    let r = app.get("/me/profile", Some(&s.cookie)).await;
    assert!(r.body.contains("Profile 0% complete"));
    let r = app
        .form(
            "/me/profile",
            Some(&s.cookie),
            &[
                ("headline", "Hi"),
                ("skills", "sql"),
                ("skills", "python"),
                ("skills", "r"),
                ("availability_hours", "100"),
                ("github_url", "github.com/me"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter hours per week between 1 and 60.")
            && r.body.contains("GitHub link must start with https://")
    );
    assert!(
        r.body.contains(r#"value="sql" checked"#),
        "choices are kept"
    );
    let r = app
        .form(
            "/me/profile",
            Some(&s.cookie),
            &[
                ("headline", "Hi"),
                ("skills", "sql"),
                ("skills", "python"),
                ("skills", "r"),
                ("availability_hours", "10"),
                ("interests", "data-analysis"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/me/profile?notice=profile_saved");
    let r = app.get("/me/profile", Some(&s.cookie)).await;
    assert!(
        r.body.contains("Profile 40% complete"),
        "{}",
        r.body
            .lines()
            .find(|l| l.contains("complete"))
            .unwrap_or("")
    );
});

app_test!(browse_page_handles_any_input, |app| async move {
    let r = app.get("/projects", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 projects found."));
    let r = app.get("/projects?mode=moon&max_hours=abc&sort=%3Cscript%3E&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Some filters were not understood"));
    assert!(!r.body.contains("<script>alert(1)"), "input is escaped");
    assert_eq!(
        app.get("/projects/abc", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/projects/99999", None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.get("/", None).await;
    assert!(r.body.contains("0 open projects right now."));
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    let css = app.get("/static/stint.css", None).await;
    assert!(
        css.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("text/css")
    );
});

app_test!(drafts_edit_and_cancel_through_pages, |app| async move {
    let (e, _) = app.employer("e@acme.com", "Acme", true).await;
    let id = app
        .api(
            axum::http::Method::POST,
            "/api/v1/projects",
            Some(&e.token),
            Some(project_json("Draft to edit in the browser")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let form = app
        .get(&format!("/employer/projects/{id}/edit"), Some(&e.cookie))
        .await;
    assert!(
        form.body
            .contains(r#"value="Draft to edit in the browser""#)
            && form.body.contains(r#"value="statistics" checked"#)
    );
    let base = [
        ("summary", "A summary long enough to pass the rules easily."),
        ("category", "data-analysis"),
        ("estimated_hours", "20"),
        ("price", "9000"),
        ("currency", "INR"),
        ("work_mode", "remote"),
        ("slots", "1"),
        ("start_date", "2030-01-10"),
        ("due_date", "2030-01-20"),
        ("application_deadline", "2030-01-01"),
        ("decision_by", "2030-01-05"),
    ];
    let mut bad = base.to_vec();
    bad.push(("title", "Renamed draft"));
    bad.push(("estimated_hours", "500"));
    bad.retain(|(k, v)| !(*k == "estimated_hours" && *v == "20"));
    let r = app
        .form(
            &format!("/employer/projects/{id}/edit"),
            Some(&e.cookie),
            &bad,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Estimate the work in whole hours from 1 to 80;")
    );
    let mut good = base.to_vec();
    good.push(("title", "Renamed draft"));
    let r = app
        .form(
            &format!("/employer/projects/{id}/edit"),
            Some(&e.cookie),
            &good,
        )
        .await;
    assert_eq!(r.location(), format!("/projects/{id}?notice=draft_saved"));
    assert!(
        app.get(&format!("/projects/{id}"), Some(&e.cookie))
            .await
            .body
            .contains("Renamed draft")
    );
    let r = app
        .form(
            &format!("/employer/projects/{id}/cancel"),
            Some(&e.cookie),
            &[],
        )
        .await;
    assert_eq!(r.location(), format!("/projects/{id}?notice=cancelled"));
    let r = app
        .form(
            &format!("/employer/projects/{id}/edit"),
            Some(&e.cookie),
            &good,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "cancelled projects are not edited"
    );
    let r = app
        .form(
            &format!("/employer/projects/{id}/publish"),
            Some(&e.cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("A cancelled project cannot be published."));
});

app_test!(
    university_staff_join_with_the_invite_code,
    |app| async move {
        let first = app.actor("first@uni.ac.in", "university").await;
        app.form(
            "/university/organization",
            Some(&first.cookie),
            &[
                ("name", "Uni of Test"),
                ("country", "IN"),
                ("email_domains", "uni.ac.in"),
            ],
        )
        .await;
        let org = app
            .state
            .store
            .membership(first.id)
            .await
            .ok()
            .flatten()
            .map(|m| m.org)
            .unwrap_or_else(|| panic!("created"));
        let second = app.actor("second@uni.ac.in", "university").await;
        let (employer, _) = app.employer("e@acme.com", "Acme", true).await;
        let r = app
            .form(
                "/employer/join",
                Some(&employer.cookie),
                &[("invite_code", &org.invite_code)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a university's code does not let an employer in"
        );
        assert!(r.body.contains("No organization has that invite code"));
        let r = app
            .form(
                "/university/join",
                Some(&second.cookie),
                &[("invite_code", &org.invite_code)],
            )
            .await;
        assert_eq!(r.location(), "/university?notice=org_joined");
        assert!(
            app.get("/university", Some(&second.cookie))
                .await
                .body
                .contains("Uni of Test")
        );
    }
);

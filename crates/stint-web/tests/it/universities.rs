//! Universities as partners: affiliation is proved (a university address or
//! career staff), the student decides what the university sees, career
//! staff of a verified university see their own students only, and the team
//! has roles.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_reviews::approved;
use crate::app_test;
use crate::common::{Actor, TestApp};

/// A university with `domain`, its career staff member, and its id.
pub(crate) async fn university(
    app: &TestApp,
    email: &str,
    name: &str,
    domain: &str,
    verified: bool,
) -> (Actor, i64) {
    let staff = app.actor(email, "university").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&staff.token),
            Some(json!({"name": name, "country": "GB", "email_domains": [domain]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap_or_default();
    if verified {
        app.state
            .store
            .verify_org(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    (staff, id)
}

pub(crate) async fn set_university(app: &TestApp, s: &Actor, uni: i64) {
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&s.token),
            Some(json!({"headline": "Economics student", "university_id": uni, "area_of_study": "Economics", "graduation_year": 2027})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn affiliation(app: &TestApp, s: &Actor) -> Value {
    let r = app
        .api(Method::GET, "/api/v1/me/affiliation", Some(&s.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["affiliation"].clone()
}

/// The token of the newest affiliation link mailed to `to`.
async fn link_token(app: &TestApp, to: &str) -> String {
    let mail = app.state.store.email_to(to).await.unwrap_or_default();
    mail.iter()
        .flat_map(|m| {
            m.body
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter_map(|w| {
            w.split_once("/affiliation/confirm?token=")
                .map(|(_, t)| t.to_string())
        })
        .next_back()
        .unwrap_or_default()
}

pub(crate) async fn verify_account_email(app: &TestApp, to: &str, s: &Actor) {
    let mail = app.state.store.email_to(to).await.unwrap_or_default();
    let base = app.state.config.base_url.clone();
    let link = mail
        .iter()
        .flat_map(|m| {
            m.body
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .find(|w| w.starts_with(&format!("{base}/verify-email")))
        .map(|w| w.trim_start_matches(&base).to_string())
        .unwrap_or_default();
    assert!(!link.is_empty(), "no verification mail to {to}");
    app.get(&link, Some(&s.cookie)).await;
}

async fn students(app: &TestApp, staff: &Actor, query: &str) -> crate::common::Res {
    app.api(
        Method::GET,
        &format!("/api/v1/university/students{query}"),
        Some(&staff.token),
        None,
    )
    .await
}

fn names(r: &crate::common::Res) -> Vec<String> {
    r.json()["students"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["email"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

app_test!(affiliation_is_proved_not_declared, |app| async move {
    let (_staff, uni) = university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;

    // A university address, once confirmed, proves it.
    let a = app.student("ana@uni.test").await;
    assert_eq!(affiliation(&app, &a).await["status"], "declared");
    verify_account_email(&app, "ana@uni.test", &a).await;
    let af = affiliation(&app, &a).await;
    assert_eq!(af["status"], "confirmed");
    assert_eq!(af["proof"], "email");
    assert_eq!(af["sharing"], "completed");

    // Any other address only declares it; employers see "not confirmed".
    let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
    let pid = app.published(&boss, "Survey coding", 1, false).await;
    let b = app.student("ben@mail.test").await;
    set_university(&app, &b, uni).await;
    assert_eq!(affiliation(&app, &b).await["status"], "declared");
    assert_eq!(app.apply(&b, pid).await.status, StatusCode::CREATED);
    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(
        list.json()["items"][0]["university"],
        "Uni of Test (not confirmed)",
        "{}",
        list.body
    );

    // A link to an address outside the university's domains is refused.
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/affiliation/email",
            Some(&b.token),
            Some(json!({"email": "ben@notuni.test"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), vec!["email"]);
    assert!(r.body.contains("@uni.test"), "{}", r.body);

    // A link to the university address confirms, once.
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/affiliation/email",
            Some(&b.token),
            Some(json!({"email": "ben@cs.uni.test"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let token = link_token(&app, "ben@cs.uni.test").await;
    assert!(!token.is_empty());
    // Opening the link changes nothing; the button does.
    let page = app
        .get(&format!("/affiliation/confirm?token={token}"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(affiliation(&app, &b).await["status"], "declared");
    let r = app
        .api(
            Method::POST,
            "/api/v1/affiliation/confirm",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["university"], "Uni of Test");
    let af = affiliation(&app, &b).await;
    assert_eq!(af["status"], "confirmed");
    assert_eq!(af["proof_email"], "ben@cs.uni.test");
    let again = app
        .api(
            Method::POST,
            "/api/v1/affiliation/confirm",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(list.json()["items"][0]["university"], "Uni of Test");

    // Naming another university starts over.
    let (_s2, other) =
        university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
    set_university(&app, &b, other).await;
    assert_eq!(affiliation(&app, &b).await["status"], "declared");

    // Links are bounded per day.
    for _ in 0..5 {
        app.api(
            Method::POST,
            "/api/v1/me/affiliation/email",
            Some(&b.token),
            Some(json!({"email": "ben@other.test"})),
        )
        .await;
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/affiliation/email",
            Some(&b.token),
            Some(json!({"email": "ben@other.test"})),
        )
        .await;
    assert_eq!(r.code(), "too_many_links");

    // Without a university there is nothing to confirm.
    let c = app.student("cat@mail.test").await;
    assert!(affiliation(&app, &c).await.is_null());
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/affiliation/request",
            Some(&c.token),
            None,
        )
        .await;
    assert_eq!(r.code(), "no_university");
    // Only students have an affiliation.
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/affiliation",
            Some(&boss.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

app_test!(
    career_staff_see_their_own_students_as_far_as_shared,
    |app| async move {
        let (staff, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let (other_staff, _) =
            university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
        let (boss, s, _) = approved(&app).await;
        // The worker names the university and career staff confirm them.
        set_university(&app, &s, uni).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/me/affiliation/request",
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "requested");
        assert_eq!(
            app.api(
                Method::POST,
                "/api/v1/me/affiliation/request",
                Some(&s.token),
                None
            )
            .await
            .code(),
            "affiliation_state"
        );
        assert!(
            app.state
                .store
                .email_to("careers@uni.test")
                .await
                .unwrap_or_default()
                .iter()
                .any(|m| m.body.contains("/university/requests"))
        );
        let reqs = app
            .api(
                Method::GET,
                "/api/v1/university/affiliation-requests",
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(reqs.json()[0]["student_id"], s.id);
        // Another university's staff cannot answer it.
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/university/students/{}/affiliation", s.id),
                Some(&other_staff.token),
                Some(json!({"action": "approve"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/university/students/{}/affiliation", s.id),
                Some(&staff.token),
                Some(json!({"action": "approve"})),
            )
            .await;
        assert_eq!(r.json()["status"], "confirmed", "{}", r.body);
        assert_eq!(affiliation(&app, &s).await["proof"], "staff");

        // A confirmed student who has not applied, at the same university.
        let fresh = app.student("fresh@uni.test").await;
        verify_account_email(&app, "fresh@uni.test", &fresh).await;
        let list = students(&app, &staff, "").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let mut got = names(&list);
        got.sort();
        assert_eq!(got, vec!["fresh@uni.test", "worker@x.com"]);
        assert_eq!(list.json()["total"], 2);
        assert_eq!(
            names(&students(&app, &staff, "?stage=completed").await),
            vec!["worker@x.com"]
        );
        assert_eq!(
            names(&students(&app, &staff, "?stage=not_yet_applied").await),
            vec!["fresh@uni.test"]
        );
        assert!(names(&students(&app, &staff, "?stage=working").await).is_empty());
        assert_eq!(
            names(&students(&app, &staff, "?q=FRESH").await),
            vec!["fresh@uni.test"]
        );
        assert_eq!(
            names(&students(&app, &staff, "?area=Economics&year=2027").await),
            vec!["worker@x.com"]
        );
        let bad = students(&app, &staff, "?stage=asleep&year=twenty&page=0").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut f = bad.fields();
        f.sort();
        assert_eq!(f, vec!["page", "stage", "year"]);

        // By default: completed work, no applications.
        let t = app
            .api(
                Method::GET,
                &format!("/api/v1/university/students/{}", s.id),
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.body);
        let t = t.json();
        assert!(t["applications"].is_null());
        assert_eq!(t["work"][0]["status"], "approved");
        assert!(
            t["work"][0]["earned"]
                .as_str()
                .unwrap_or_default()
                .contains("9,000"),
            "{t}"
        );
        assert_eq!(t["student"]["stage"], "completed");

        // Sharing everything adds applications and decisions.
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/affiliation",
                Some(&s.token),
                Some(json!({"sharing": "all"})),
            )
            .await;
        assert_eq!(r.json()["sharing"], "all");
        let t = app
            .api(
                Method::GET,
                &format!("/api/v1/university/students/{}", s.id),
                Some(&staff.token),
                None,
            )
            .await
            .json();
        assert_eq!(t["applications"][0]["status"], "hired", "{t}");

        // Keeping to totals hides the student by name.
        let r = app
            .api(
                Method::PUT,
                "/api/v1/me/affiliation",
                Some(&s.token),
                Some(json!({"sharing": "nobody"})),
            )
            .await;
        assert_eq!(r.fields(), vec!["sharing"]);
        app.api(
            Method::PUT,
            "/api/v1/me/affiliation",
            Some(&s.token),
            Some(json!({"sharing": "aggregate"})),
        )
        .await;
        assert_eq!(
            names(&students(&app, &staff, "").await),
            vec!["fresh@uni.test"]
        );
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/university/students/{}", s.id),
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let page = app.get("/university", Some(&staff.cookie)).await;
        assert!(
            page.body
                .contains("1 of your confirmed students count only in totals"),
            "{}",
            page.body
        );

        // Nobody else sees the students: another university, employers, students.
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/university/students/{}", fresh.id),
                Some(&other_staff.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(names(&students(&app, &other_staff, "").await).is_empty());
        for who in [&boss, &s] {
            let r = students(&app, who, "").await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            let r = app.get("/university/students", Some(&who.cookie)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }

        // Pages show the same.
        let page = app.get("/university/students", Some(&staff.cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("fresh@uni.test") && !page.body.contains("worker@x.com"));
        let page = app
            .get("/university/students?stage=asleep", Some(&staff.cookie))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("Choose a status"));
        let page = app
            .get(
                &format!("/university/students/{}", fresh.id),
                Some(&staff.cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("No completed projects yet"));
    }
);

app_test!(unverified_universities_see_no_student, |app| async move {
    let (staff, _) = university(&app, "careers@new.test", "New Uni", "new.test", false).await;
    let s = app.student("stu@new.test").await;
    verify_account_email(&app, "stu@new.test", &s).await;
    assert_eq!(affiliation(&app, &s).await["status"], "confirmed");
    let r = students(&app, &staff, "").await;
    assert_eq!(r.code(), "not_verified");
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/university/students/{}", s.id),
            Some(&staff.token),
            None,
        )
        .await;
    assert_eq!(r.code(), "not_verified");
    let page = app.get("/university", Some(&staff.cookie)).await;
    assert!(
        page.body
            .contains("Stint checks every university before its staff see any student")
    );
});

app_test!(
    removal_and_declining_leave_the_student_unconfirmed,
    |app| async move {
        let (staff, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let s = app.student("sam@mail.test").await;
        set_university(&app, &s, uni).await;
        app.api(
            Method::POST,
            "/api/v1/me/affiliation/request",
            Some(&s.token),
            None,
        )
        .await;
        let path = format!("/api/v1/university/students/{}/affiliation", s.id);
        let r = app
            .api(
                Method::POST,
                &path,
                Some(&staff.token),
                Some(json!({"action": "remove"})),
            )
            .await;
        assert_eq!(r.code(), "affiliation_state");
        let r = app
            .api(
                Method::POST,
                &path,
                Some(&staff.token),
                Some(json!({"action": "request"})),
            )
            .await;
        assert_eq!(r.fields(), vec!["action"]);
        let r = app
            .api(
                Method::POST,
                &path,
                Some(&staff.token),
                Some(json!({"action": "decline"})),
            )
            .await;
        assert_eq!(r.json()["status"], "removed");
        // Asking again is allowed; this time they are confirmed, then removed
        // through the page's confirmation.
        app.api(
            Method::POST,
            "/api/v1/me/affiliation/request",
            Some(&s.token),
            None,
        )
        .await;
        let r = app
            .form(
                &format!("/university/requests/{}", s.id),
                Some(&staff.cookie),
                &[("action", "approve")],
            )
            .await;
        assert_eq!(
            r.location(),
            "/university/requests?notice=affiliation_approved"
        );
        assert_eq!(affiliation(&app, &s).await["status"], "confirmed");
        let confirm = app
            .get(
                &format!("/university/students/{}/remove", s.id),
                Some(&staff.cookie),
            )
            .await;
        assert!(confirm.body.contains("Remove affiliation"));
        let r = app
            .form(
                &format!("/university/students/{}/remove", s.id),
                Some(&staff.cookie),
                &[],
            )
            .await;
        assert_eq!(
            r.location(),
            "/university/students?notice=affiliation_removed"
        );
        assert_eq!(affiliation(&app, &s).await["status"], "removed");
        let page = app.get("/me/university", Some(&s.cookie)).await;
        assert!(
            page.body.contains("removed by the university"),
            "{}",
            page.body
        );
        assert!(
            app.state
                .store
                .email_to("sam@mail.test")
                .await
                .unwrap_or_default()
                .iter()
                .any(|m| m.subject.contains("Your affiliation with Uni of Test"))
        );
    }
);

app_test!(staff_have_roles_and_invite_colleagues, |app| async move {
    let (career, uni) = university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
    let code = app
        .state
        .store
        .org(uni)
        .await
        .map(|o| o.invite_code)
        .unwrap_or_default();
    // An invitation sets the role taken on joining.
    let r = app
        .api(
            Method::POST,
            "/api/v1/university/staff/invitations",
            Some(&career.token),
            Some(json!({"email": "Lee@Uni.test", "role": "career"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        app.state
            .store
            .email_to("lee@uni.test")
            .await
            .unwrap_or_default()
            .iter()
            .any(|m| m.body.contains(&code))
    );
    let bad = app
        .api(
            Method::POST,
            "/api/v1/university/staff/invitations",
            Some(&career.token),
            Some(json!({"email": "nope", "role": "dean"})),
        )
        .await;
    let mut f = bad.fields();
    f.sort();
    assert_eq!(f, vec!["email", "role"]);
    let lee = app.actor("lee@uni.test", "university").await;
    let prof = app.actor("prof@uni.test", "university").await;
    for who in [&lee, &prof] {
        let r = app
            .form(
                "/university/join",
                Some(&who.cookie),
                &[("invite_code", &code)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let team = app
        .api(
            Method::GET,
            "/api/v1/university/staff",
            Some(&prof.token),
            None,
        )
        .await
        .json();
    let role = |email: &str| {
        team["members"]
            .as_array()
            .and_then(|m| m.iter().find(|x| x["email"] == email))
            .map(|x| x["role"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(role("lee@uni.test"), "career");
    assert_eq!(role("prof@uni.test"), "faculty");
    assert!(team["invitations"].as_array().is_some_and(|i| i.is_empty()));

    // Faculty neither see students nor manage the team.
    assert_eq!(
        students(&app, &prof, "").await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/university/staff/invitations",
            Some(&prof.token),
            Some(json!({"email": "x@uni.test", "role": "faculty"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/university/staff/{}", prof.id),
            Some(&prof.token),
            Some(json!({"role": "career"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = app.get("/university", Some(&prof.cookie)).await;
    assert!(page.body.contains("You are faculty here"), "{}", page.body);

    // Career staff set roles, keeping one career staff member.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/university/staff/{}", lee.id),
            Some(&career.token),
            Some(json!({"role": "faculty"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/university/staff/{}", career.id),
            Some(&career.token),
            Some(json!({"role": "faculty"})),
        )
        .await;
    assert_eq!(r.code(), "last_career_staff");
    // Someone of another university is not a member here.
    let (other, _) = university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/university/staff/{}", other.id),
            Some(&career.token),
            Some(json!({"role": "faculty"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/university/staff/{}", prof.id),
            Some(&other.token),
            Some(json!({"role": "career"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
});

app_test!(
    the_students_university_page_works_without_the_api,
    |app| async move {
        let (career, uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let s = app.student("pat@mail.test").await;
        let page = app.get("/me/university", Some(&s.cookie)).await;
        assert!(page.body.contains("You have not named a university"));
        set_university(&app, &s, uni).await;
        let bad = app
            .form(
                "/me/university/email",
                Some(&s.cookie),
                &[("email", "pat@elsewhere.test")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"email-error\"") && bad.body.contains("pat@elsewhere.test"));
        let r = app
            .form(
                "/me/university/sharing",
                Some(&s.cookie),
                &[("sharing", "everyone")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .form(
                "/me/university/sharing",
                Some(&s.cookie),
                &[("sharing", "all")],
            )
            .await;
        assert_eq!(r.location(), "/me/university?notice=sharing_saved");
        let r = app
            .form("/me/university/request", Some(&s.cookie), &[])
            .await;
        assert_eq!(r.location(), "/me/university?notice=affiliation_requested");
        // Asking twice is refused with a page that says why.
        let again = app
            .form("/me/university/request", Some(&s.cookie), &[])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        // The team's invite form keeps what was typed and says what is wrong.
        let bad = app
            .form(
                "/university/team/invite",
                Some(&career.cookie),
                &[("email", "not-an-email"), ("role", "faculty")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("not-an-email") && bad.body.contains("id=\"email-error\""));
        // Students cannot use the staff pages, nor staff the student's.
        assert_eq!(
            app.get("/university/team", Some(&s.cookie)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/me/university", Some(&career.cookie)).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

app_test!(
    career_staff_feature_projects_for_their_students,
    |app| async move {
        let (staff, _uni) =
            university(&app, "careers@uni.test", "Uni of Test", "uni.test", true).await;
        let (other, _) =
            university(&app, "careers@other.test", "Other Uni", "other.test", true).await;
        let ana = app.student("ana@uni.test").await;
        verify_account_email(&app, "ana@uni.test", &ana).await;
        let bo = app.student("bo@other.test").await;
        verify_account_email(&app, "bo@other.test", &bo).await;
        let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
        let pid = app.published(&boss, "Survey coding", 1, false).await;
        app.apply(&ana, pid).await;

        // The project page offers career staff the button; others do not see it.
        let page = app
            .get(&format!("/projects/{pid}"), Some(&staff.cookie))
            .await;
        assert!(page.body.contains("Feature for your students"));
        let page = app
            .get(&format!("/projects/{pid}"), Some(&ana.cookie))
            .await;
        assert!(!page.body.contains("Feature for your students"));

        // A note too long is refused; then featured with a note.
        let long = "x".repeat(281);
        let r = app
            .form(
                &format!("/university/projects/{pid}/feature"),
                Some(&staff.cookie),
                &[("note", &long)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .form(
                &format!("/university/projects/{pid}/feature"),
                Some(&staff.cookie),
                &[("note", "Counts towards the research methods module.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        // The portal lists it with the student who applied and the employer.
        let list = app.get("/university/projects", Some(&staff.cookie)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains("Survey coding") && list.body.contains("1 applied"),
            "{}",
            list.body
        );
        assert!(list.body.contains("Featured"));
        // The other university sees neither the feature nor the project.
        let theirs = app.get("/university/projects", Some(&other.cookie)).await;
        assert!(!theirs.body.contains("Survey coding"));

        // Its students see it on their page; the other's do not.
        let mine = app.get("/me/university", Some(&ana.cookie)).await;
        assert!(
            mine.body.contains("Survey coding") && mine.body.contains("research methods module")
        );
        let not = app.get("/me/university", Some(&bo.cookie)).await;
        assert!(!not.body.contains("Survey coding"));

        // The school page is public: the featured project and how to sign up.
        let school = app.get("/u/uni-of-test", None).await;
        assert_eq!(school.status, StatusCode::OK, "{}", school.body);
        assert!(school.body.contains("Survey coding") && school.body.contains("@uni.test"));
        assert!(school.body.contains("/signup?role=student"));
        assert_eq!(
            app.get("/u/acme", None).await.status,
            StatusCode::NOT_FOUND,
            "employers have no school page"
        );
        assert_eq!(
            app.get("/u/nowhere", None).await.status,
            StatusCode::NOT_FOUND
        );

        // The same through the API.
        let r = app
            .api(Method::GET, "/api/v1/universities/uni-of-test", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["featured"][0]["title"], "Survey coding");
        assert_eq!(r.json()["email_domains"][0], "uni.test");
        let r = app
            .api(
                Method::GET,
                "/api/v1/university/projects",
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(r.json()["projects"][0]["applicants"], 1, "{}", r.body);
        assert_eq!(r.json()["projects"][0]["featured"], true);
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/university/projects/{pid}/feature"),
                Some(&other.token),
                Some(json!({"note": "x".repeat(300)})),
            )
            .await;
        assert_eq!(
            (r.status, r.fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["note".to_string()])
        );
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/university/projects/{pid}/feature"),
                Some(&ana.token),
                Some(json!({"note": ""})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .api(
                Method::DELETE,
                "/api/v1/university/projects/999999/feature",
                Some(&staff.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Students, employers and other staff cannot feature or unfeature.
        for who in [&ana, &boss] {
            let r = app
                .form(
                    &format!("/university/projects/{pid}/feature"),
                    Some(&who.cookie),
                    &[("note", "")],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let r = app
            .form(
                &format!("/university/projects/{pid}/unfeature"),
                Some(&other.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "not featured by them");
        // A project that is not open cannot be featured.
        let draft = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(crate::common::project_json("Draft work")),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap_or_default();
        let r = app
            .form(
                &format!("/university/projects/{draft}/feature"),
                Some(&staff.cookie),
                &[("note", "")],
            )
            .await;
        assert!(
            r.status == StatusCode::CONFLICT || r.status == StatusCode::NOT_FOUND,
            "{}",
            r.status
        );

        // Unfeatured: gone from the students' page.
        let r = app
            .form(
                &format!("/university/projects/{pid}/unfeature"),
                Some(&staff.cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let mine = app.get("/me/university", Some(&ana.cookie)).await;
        assert!(!mine.body.contains("research methods module"));
    }
);

//! Academic credit: the whole loop through the API (request, agreement,
//! acknowledgement, return and approval, hours, reflection, sign-off, the
//! registrar's CSV), who may see and move what, and requests ending with
//! their engagement.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use serde_json::{Value, json};

use crate::app_test;
use crate::common::{Actor, PITCH, TestApp};

pub(crate) struct World {
    pub(crate) career: Actor,
    pub(crate) prof: Actor,
    boss: Actor,
    pub(crate) student: Actor,
    application: i64,
    engagement: i64,
}

/// A verified university with career staff and a faculty member; a student
/// confirmed by their university address and hired on a project eligible
/// for credit.
pub(crate) async fn world(app: &TestApp) -> World {
    let career = app.actor("careers@uni.test", "university").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&career.token),
            Some(json!({"name": "Uni of Test", "country": "GB", "email_domains": ["uni.test"]})),
        )
        .await;
    let uni = r.json()["id"].as_i64().unwrap_or_default();
    app.state
        .store
        .verify_org(uni)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let code = app
        .state
        .store
        .org(uni)
        .await
        .map(|o| o.invite_code)
        .unwrap_or_default();
    let prof = app.actor("prof@uni.test", "university").await;
    app.form(
        "/university/join",
        Some(&prof.cookie),
        &[("invite_code", &code)],
    )
    .await;

    let (boss, _) = app.employer("boss@acme.test", "Acme", true).await;
    let pid = app
        .published(&boss, "Survey coding for credit", 1, false)
        .await;
    let student = app.student("stu@uni.test").await;
    app.state
        .store
        .mark_email_verified(student.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&student.token),
            Some(json!({"headline": "Economics student", "university_id": uni})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let aid = app
        .api(
            Method::POST,
            &format!("/api/v1/projects/{pid}/applications"),
            Some(&student.token),
            Some(json!({"pitch": PITCH, "answer": "Sheets."})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let h = app
        .api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/hire"),
            Some(&boss.token),
            None,
        )
        .await
        .json();
    World {
        career,
        prof,
        boss,
        student,
        application: aid,
        engagement: h["engagement"]["id"].as_i64().unwrap_or_default(),
    }
}

pub(crate) async fn request(app: &TestApp, w: &World) -> i64 {
    let r = app
        .api(
            Method::POST,
            "/api/v1/credit-requests",
            Some(&w.student.token),
            Some(json!({"application_id": w.application, "course_code": "econ 390", "course_title": "Work-based learning", "credits": "7.5", "faculty_id": w.prof.id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["course_code"], "ECON 390");
    assert_eq!(r.json()["credits"], "7.5");
    r.json()["id"].as_i64().unwrap_or_default()
}

async fn act(
    app: &TestApp,
    who: &Actor,
    id: i64,
    action: &str,
    comment: Option<&str>,
) -> crate::common::Res {
    app.api(
        Method::POST,
        &format!("/api/v1/credit-requests/{id}/actions"),
        Some(&who.token),
        Some(json!({"action": action, "comment": comment})),
    )
    .await
}

async fn get(app: &TestApp, who: &Actor, id: i64) -> crate::common::Res {
    app.api(
        Method::GET,
        &format!("/api/v1/credit-requests/{id}"),
        Some(&who.token),
        None,
    )
    .await
}

fn agreement() -> Value {
    json!({"goals": ["Code open survey answers into themes", "Present findings to a client clearly"], "expected_hours": 20,
           "assessment": "A 1,500-word report marked by the supervisor against the goals."})
}

fn reflection() -> Value {
    let long = |s: &str| {
        format!(
            "{s} {}",
            "I coded five hundred answers, agreed a codebook and wrote the report.".repeat(2)
        )
    };
    json!({"did": long("What I did:"), "learnt": long("Against each goal:"), "skills": "Spreadsheets, coding, writing.", "differently": long("Next time:")})
}

app_test!(the_credit_loop_runs_end_to_end, |app| async move {
    let w = world(&app).await;
    let id = request(&app, &w).await;
    let path = |p: &str| format!("/api/v1/credit-requests/{id}/{p}");

    // The employer does not see a draft; nobody else ever does.
    assert_eq!(get(&app, &w.boss, id).await.status, StatusCode::NOT_FOUND);
    let stranger = app.student("other@uni.test").await;
    assert_eq!(get(&app, &stranger, id).await.status, StatusCode::NOT_FOUND);

    // Sending needs a valid agreement.
    assert_eq!(
        act(&app, &w.student, id, "submit", None).await.code(),
        "validation_failed"
    );
    let bad = app
        .api(
            Method::PUT,
            &path("agreement"),
            Some(&w.student.token),
            Some(json!({"goals": ["Too short"], "expected_hours": 0, "assessment": "meh"})),
        )
        .await;
    let mut f = bad.fields();
    f.sort();
    assert_eq!(f, vec!["assessment", "expected_hours", "goals"]);
    let r = app
        .api(
            Method::PUT,
            &path("agreement"),
            Some(&w.student.token),
            Some(agreement()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        act(&app, &w.student, id, "submit", None).await.json()["status"],
        "submitted"
    );

    // The supervisor waits for the employer; the employer acknowledges.
    assert_eq!(
        act(&app, &w.prof, id, "approve", None).await.code(),
        "credit_state"
    );
    assert_eq!(
        act(&app, &w.student, id, "approve", None).await.status,
        StatusCode::FORBIDDEN
    );
    let seen = get(&app, &w.boss, id).await.json();
    assert!(seen["reflection"].is_null() && seen["hours"].is_null());
    let r = act(&app, &w.boss, id, "acknowledge", None).await;
    assert!(
        r.json()["employer_acknowledged_at"].is_string(),
        "{}",
        r.body
    );
    assert_eq!(
        act(&app, &w.boss, id, "acknowledge", None).await.code(),
        "credit_state"
    );

    // Returned with comments, corrected, sent again, approved.
    assert_eq!(
        act(&app, &w.prof, id, "return", Some("ok")).await.fields(),
        vec!["comment"]
    );
    let r = act(
        &app,
        &w.prof,
        id,
        "return",
        Some("Make the second goal measurable, please."),
    )
    .await;
    assert_eq!(r.json()["status"], "returned");
    assert_eq!(
        r.json()["faculty_comment"],
        "Make the second goal measurable, please."
    );
    let mut a = agreement();
    a["goals"][1] = json!("Present three findings to the client in one meeting");
    app.api(
        Method::PUT,
        &path("agreement"),
        Some(&w.student.token),
        Some(a),
    )
    .await;
    act(&app, &w.student, id, "submit", None).await;
    let r = act(&app, &w.prof, id, "approve", None).await;
    assert_eq!(r.json()["status"], "active", "{}", r.body);

    // Hours: today or earlier, quarter hours.
    let today = Utc::now().date_naive();
    let r = app
        .api(Method::POST, &path("hours"), Some(&w.student.token), Some(json!({"day": (today + chrono::Duration::days(1)).to_string(), "hours": 2.1, "note": "x"})))
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["day", "hours", "note"]);
    let r = app
        .api(Method::POST, &path("hours"), Some(&w.student.token), Some(json!({"day": today.to_string(), "hours": 2.5, "note": "Coded the first 200 answers"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["hours_logged"], "2.5");
    assert_eq!(
        get(&app, &w.prof, id).await.json()["hours"][0]["note"],
        "Coded the first 200 answers"
    );
    let r = app
        .api(
            Method::POST,
            &path("hours"),
            Some(&w.prof.token),
            Some(json!({"day": today.to_string(), "hours": 1, "note": "Not mine to log"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The reflection waits for the employer's approval of the work.
    let r = app
        .api(
            Method::POST,
            &path("reflection"),
            Some(&w.student.token),
            Some(reflection()),
        )
        .await;
    assert_eq!(r.code(), "credit_state");
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{}/submissions", w.engagement),
        Some(&w.student.token),
        Some(json!({"note": "All done, report linked."})),
    )
    .await;
    app.api(
        Method::POST,
        &format!("/api/v1/engagements/{}/approve", w.engagement),
        Some(&w.boss.token),
        None,
    )
    .await;
    let short = app
        .api(
            Method::POST,
            &path("reflection"),
            Some(&w.student.token),
            Some(json!({"did": "a", "learnt": "b", "skills": "c", "differently": "d"})),
        )
        .await;
    assert_eq!(short.fields().len(), 4);
    let r = app
        .api(
            Method::POST,
            &path("reflection"),
            Some(&w.student.token),
            Some(reflection()),
        )
        .await;
    assert_eq!(r.json()["status"], "reflected", "{}", r.body);

    // The employer never sees the reflection; the supervisor does, and signs off.
    assert!(get(&app, &w.boss, id).await.json()["reflection"].is_null());
    assert!(get(&app, &w.prof, id).await.json()["reflection"]["did"].is_string());
    let r = app
        .api(
            Method::POST,
            &path("sign-off"),
            Some(&w.prof.token),
            Some(json!({"result": "grade", "grade": "", "comment": "short"})),
        )
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, vec!["comment", "grade"]);
    assert_eq!(
        app.api(
            Method::POST,
            &path("sign-off"),
            Some(&w.boss.token),
            Some(json!({"result": "pass", "comment": "Excellent work throughout."}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .api(Method::POST, &path("sign-off"), Some(&w.prof.token), Some(json!({"result": "grade", "grade": "2:1", "comment": "Clear goals, well evidenced."})))
        .await;
    assert_eq!(r.json()["status"], "signed_off", "{}", r.body);
    assert_eq!(r.json()["result"], "2:1");
    assert!(get(&app, &w.boss, id).await.json()["result"].is_null());
    assert_eq!(
        act(&app, &w.student, id, "withdraw", None).await.code(),
        "credit_state"
    );

    // Everyone was told; each step is in the audit log.
    let kinds = app.notification_kinds(&w.student).await;
    assert!(
        kinds.iter().filter(|k| *k == "credit").count() >= 4,
        "{kinds:?}"
    );
    assert!(
        app.notification_kinds(&w.prof)
            .await
            .contains(&"credit".to_string())
    );
    assert!(
        app.notification_kinds(&w.boss)
            .await
            .contains(&"credit".to_string())
    );

    // The registrar's export: career staff only, the term's credits.
    let csv_path = format!(
        "/api/v1/university/credits.csv?from={}&to={}",
        today - chrono::Duration::days(30),
        today
    );
    let r = app
        .api(Method::GET, &csv_path, Some(&w.career.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.body);
    assert!(
        lines[1].starts_with("Person stu,stu@uni.test,ECON 390,Work-based learning,7.5,2:1,2.5,"),
        "{}",
        lines[1]
    );
    assert_eq!(
        app.api(Method::GET, &csv_path, Some(&w.prof.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(Method::GET, &csv_path, Some(&w.boss.token), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = app
        .api(
            Method::GET,
            "/api/v1/university/credits.csv?from=2026-13-01&to=x",
            Some(&w.career.token),
            None,
        )
        .await;
    let mut f = bad.fields();
    f.sort();
    assert_eq!(f, vec!["from", "to"]);
    // Career staff see the request, not the reflection, and move nothing.
    let seen = get(&app, &w.career, id).await.json();
    assert!(seen["reflection"].is_null() && seen["hours"].is_array());
    assert_eq!(
        act(&app, &w.career, id, "approve", None).await.status,
        StatusCode::FORBIDDEN
    );
});

app_test!(
    credit_needs_a_confirmed_university_an_eligible_project_and_its_faculty,
    |app| async move {
        let w = world(&app).await;
        // The career staff member is not faculty; a made-up id is nobody.
        for faculty in [w.career.id, 999_999] {
            let r = app
            .api(Method::POST, "/api/v1/credit-requests", Some(&w.student.token),
                Some(json!({"application_id": w.application, "course_code": "ECON 390", "course_title": "Work-based learning", "credits": "5", "faculty_id": faculty})))
            .await;
            assert_eq!(r.fields(), vec!["faculty_id"], "{}", r.body);
        }
        // Someone else's application is not one of yours.
        let other = app.student("x@uni.test").await;
        app.state
            .store
            .mark_email_verified(other.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let uni = app
            .state
            .store
            .affiliation(w.student.id)
            .await
            .ok()
            .flatten()
            .map(|a| a.university_id)
            .unwrap_or_default();
        app.api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&other.token),
            Some(json!({"university_id": uni})),
        )
        .await;
        let r = app
        .api(Method::POST, "/api/v1/credit-requests", Some(&other.token),
            Some(json!({"application_id": w.application, "course_code": "ECON 390", "course_title": "Work-based learning", "credits": "5", "faculty_id": w.prof.id})))
        .await;
        assert_eq!(r.fields(), vec!["application_id"]);
        // An unconfirmed university grants no credit.
        let unconfirmed = app.student("y@mail.test").await;
        app.api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&unconfirmed.token),
            Some(json!({"university_id": uni})),
        )
        .await;
        let r = app
        .api(Method::POST, "/api/v1/credit-requests", Some(&unconfirmed.token),
            Some(json!({"application_id": w.application, "course_code": "ECON 390", "course_title": "Work-based learning", "credits": "5", "faculty_id": w.prof.id})))
        .await;
        assert_eq!(r.code(), "affiliation_unconfirmed");
        // One open request per application.
        request(&app, &w).await;
        let r = app
        .api(Method::POST, "/api/v1/credit-requests", Some(&w.student.token),
            Some(json!({"application_id": w.application, "course_code": "ECON 391", "course_title": "Work-based learning", "credits": "5", "faculty_id": w.prof.id})))
        .await;
        assert_eq!(r.code(), "credit_open");
        // Lists keep to each person's own.
        let mine = app
            .api(
                Method::GET,
                "/api/v1/credit-requests",
                Some(&w.student.token),
                None,
            )
            .await
            .json();
        assert_eq!(mine.as_array().map(Vec::len), Some(1));
        let theirs = app
            .api(
                Method::GET,
                "/api/v1/credit-requests",
                Some(&other.token),
                None,
            )
            .await
            .json();
        assert_eq!(theirs.as_array().map(Vec::len), Some(0));
        let boss_list = app
            .api(
                Method::GET,
                "/api/v1/credit-requests",
                Some(&w.boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(
            boss_list.as_array().map(Vec::len),
            Some(0),
            "drafts stay with the student"
        );
        let prof_list = app
            .api(
                Method::GET,
                "/api/v1/credit-requests",
                Some(&w.prof.token),
                None,
            )
            .await
            .json();
        assert_eq!(prof_list.as_array().map(Vec::len), Some(1));
    }
);

app_test!(
    a_cancelled_engagement_ends_its_credit_request,
    |app| async move {
        let w = world(&app).await;
        let id = request(&app, &w).await;
        app.api(
            Method::PUT,
            &format!("/api/v1/credit-requests/{id}/agreement"),
            Some(&w.student.token),
            Some(agreement()),
        )
        .await;
        act(&app, &w.student, id, "submit", None).await;
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{}/cancel", w.engagement),
                Some(&w.boss.token),
                Some(json!({"reason": "The client paused the survey project."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let c = get(&app, &w.student, id).await.json();
        assert_eq!(c["status"], "ended");
        assert!(
            c["ended_reason"]
                .as_str()
                .unwrap_or_default()
                .contains("cancelled")
        );
        assert_eq!(
            act(&app, &w.prof, id, "approve", None).await.code(),
            "credit_state"
        );
        // Once ended, the student may ask again (on a new engagement).
        assert!(
            app.notification_kinds(&w.prof)
                .await
                .contains(&"credit".to_string())
        );
    }
);

app_test!(the_credit_pages_walk_the_loop, |app| async move {
    let w = world(&app).await;
    // The student's page offers the project and the supervisor.
    let page = app.get("/me/credit", Some(&w.student.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Survey coding for credit") && page.body.contains("Person prof"),
        "{}",
        page.body
    );
    let app_id = w.application.to_string();
    let prof_id = w.prof.id.to_string();
    let bad = app
        .form(
            "/me/credit",
            Some(&w.student.cookie),
            &[
                ("application_id", &app_id),
                ("course_code", "!"),
                ("course_title", "Work-based learning"),
                ("credits", "0"),
                ("faculty_id", &prof_id),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"course_code-error\"") && bad.body.contains("id=\"credits-error\"")
    );
    let r = app
        .form(
            "/me/credit",
            Some(&w.student.cookie),
            &[
                ("application_id", &app_id),
                ("course_code", "ECON 390"),
                ("course_title", "Work-based learning"),
                ("credits", "5"),
                ("faculty_id", &prof_id),
            ],
        )
        .await;
    let loc = r.location().to_string();
    assert!(
        loc.starts_with("/credit/") && loc.ends_with("?notice=credit_created"),
        "{loc}"
    );
    let base = loc.split('?').next().unwrap_or_default().to_string();

    // A bad agreement keeps what was typed and says what to fix.
    let bad = app
        .form(
            &format!("{base}/agreement"),
            Some(&w.student.cookie),
            &[
                ("goals", "Only one goal here"),
                ("expected_hours", "20"),
                ("assessment", "A report marked against the goals."),
                ("send", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Only one goal here") && bad.body.contains("id=\"goals-error\""));
    let r = app
        .form(
            &format!("{base}/agreement"),
            Some(&w.student.cookie),
            &[
                (
                    "goals",
                    "Code open survey answers\nPresent three findings to the client",
                ),
                ("expected_hours", "20"),
                ("assessment", "A report marked against the goals."),
                ("send", "1"),
            ],
        )
        .await;
    assert!(
        r.location().ends_with("notice=credit_submitted"),
        "{}",
        r.body
    );

    // The employer's home asks for the acknowledgement; the page does it.
    let home = app.get("/employer", Some(&w.boss.cookie)).await;
    assert!(home.body.contains("Learning agreements to acknowledge"));
    let r = app
        .form(
            &format!("{base}/act"),
            Some(&w.boss.cookie),
            &[("action", "acknowledge")],
        )
        .await;
    assert!(
        r.location().ends_with("notice=credit_acknowledged"),
        "{}",
        r.body
    );
    let seen = app.get(&base, Some(&w.boss.cookie)).await;
    assert!(!seen.body.contains("Hours:") && !seen.body.contains("Your reflection"));

    // The supervisor's list names the request; they approve it.
    let list = app.get("/university/credit", Some(&w.prof.cookie)).await;
    assert!(list.body.contains(&base) && !list.body.contains("Download CSV"));
    let r = app
        .form(
            &format!("{base}/act"),
            Some(&w.prof.cookie),
            &[("action", "return"), ("comment", "no")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .form(
            &format!("{base}/act"),
            Some(&w.prof.cookie),
            &[("action", "approve")],
        )
        .await;
    assert!(r.location().ends_with("notice=credit_approved"));

    // Hours through the page.
    let today = Utc::now().date_naive().to_string();
    let r = app
        .form(
            &format!("{base}/hours"),
            Some(&w.student.cookie),
            &[
                ("day", &today),
                ("hours", "3"),
                ("note", "Coded 150 answers"),
            ],
        )
        .await;
    assert!(r.location().ends_with("notice=hours_logged"));
    let page = app.get(&base, Some(&w.prof.cookie)).await;
    assert!(page.body.contains("Coded 150 answers") && page.body.contains("Hours: 3"));
    // Career staff see it and can export; others cannot reach the page.
    let list = app.get("/university/credit", Some(&w.career.cookie)).await;
    assert!(list.body.contains("Download CSV"));
    let csv = app
        .get(
            &format!("/university/credits.csv?from={today}&to={today}"),
            Some(&w.career.cookie),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let bad = app
        .get(
            "/university/credits.csv?from=2026-01-01&to=2025-01-01",
            Some(&w.career.cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stranger = app.student("nosy@uni.test").await;
    assert_eq!(
        app.get(&base, Some(&stranger.cookie)).await.status,
        StatusCode::NOT_FOUND
    );
});

app_test!(waiting_steps_get_reminders, |app| async move {
    let w = world(&app).await;
    let id = request(&app, &w).await;
    app.api(
        Method::PUT,
        &format!("/api/v1/credit-requests/{id}/agreement"),
        Some(&w.student.token),
        Some(agreement()),
    )
    .await;
    let before = app.count_kind(&w.student, "credit").await;
    // Nothing is due yet.
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_default();
    assert_eq!(app.count_kind(&w.student, "credit").await, before);
    app.state.clock.advance(chrono::Duration::days(4));
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_default();
    assert_eq!(
        app.count_kind(&w.student, "credit").await,
        before + 1,
        "the student is reminded of the draft"
    );
    // Sent: the employer is reminded next, not the supervisor.
    act(&app, &w.student, id, "submit", None).await;
    let boss_before = app.count_kind(&w.boss, "credit").await;
    let prof_before = app.count_kind(&w.prof, "credit").await;
    app.state.clock.advance(chrono::Duration::days(4));
    stint_web::app::jobs::run_due(&app.state, 100)
        .await
        .unwrap_or_default();
    assert_eq!(app.count_kind(&w.boss, "credit").await, boss_before + 1);
    assert_eq!(app.count_kind(&w.prof, "credit").await, prof_before);
});

app_test!(
    a_shortlisted_students_request_ends_when_not_selected,
    |app| async move {
        let w = world(&app).await;
        let pid = app
            .published(&w.boss, "Second survey for credit", 2, false)
            .await;
        let aid = app.apply(&w.student, pid).await.json()["id"]
            .as_i64()
            .unwrap_or_default();
        app.api(
            Method::POST,
            &format!("/api/v1/applications/{aid}/shortlist"),
            Some(&w.boss.token),
            None,
        )
        .await;
        let r = app
        .api(Method::POST, "/api/v1/credit-requests", Some(&w.student.token),
            Some(json!({"application_id": aid, "course_code": "ECON 390", "course_title": "Work-based learning", "credits": "5", "faculty_id": w.prof.id})))
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap_or_default();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/applications/{aid}/reject"),
                Some(&w.boss.token),
                Some(json!({"reason": "We chose someone nearby."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let c = get(&app, &w.student, id).await.json();
        assert_eq!(c["status"], "ended");
        assert!(
            c["ended_reason"]
                .as_str()
                .unwrap_or_default()
                .contains("without a hire")
        );
        // The hired application's request is untouched.
        assert!(
            app.api(
                Method::GET,
                "/api/v1/credit-requests",
                Some(&w.student.token),
                None
            )
            .await
            .json()
            .as_array()
            .is_some_and(|l| l.len() == 1)
        );
    }
);

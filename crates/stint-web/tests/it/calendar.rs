//! Private calendar feeds: what a student and an employer find in theirs,
//! RFC 5545 form, and addresses that stop working when reset or turned off.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::api_engagements::hired;
use crate::app_test;
use crate::common::{Actor, TestApp};

async fn turn_on(app: &TestApp, who: &Actor) -> String {
    let r = app
        .api(Method::POST, "/api/v1/me/calendar", Some(&who.token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let url = r.json()["url"].as_str().unwrap_or_default().to_string();
    // The router is reached by path.
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| format!("/{path}"))
        .unwrap_or_default()
}

fn well_formed(ics: &str) {
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{ics}"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        ics.matches("END:VEVENT").count()
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line over 75 octets: {line}");
        assert!(!line.contains('\n'));
    }
}

app_test!(
    students_and_employers_subscribe_to_their_dates,
    |app| async move {
        let (boss, s, id) = hired(&app).await;
        assert_eq!(
            app.api(Method::POST, "/api/v1/me/calendar", None, None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/calendar", Some(&s.token), None)
                .await
                .json(),
            json!({"url": null})
        );
        let feed = turn_on(&app, &s).await;
        assert!(
            feed.starts_with("/calendar/") && feed.ends_with("/stint.ics"),
            "{feed}"
        );
        let r = app.get(&feed, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.headers[header::CONTENT_TYPE].to_str().unwrap_or_default(),
            "text/calendar; charset=utf-8"
        );
        well_formed(&r.body);
        let work = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&s.token),
                None,
            )
            .await
            .json();
        let due = work["due_date"]
            .as_str()
            .unwrap_or_default()
            .replace('-', "");
        assert!(
            r.body.contains("SUMMARY:Due: Workspace project\r\n"),
            "{}",
            r.body
        );
        assert!(r.body.contains(&format!("DTSTART;VALUE=DATE:{due}\r\n")));
        assert!(r.body.contains(&format!("UID:due-{id}@")));

        // The employer's: deadlines of open projects, then work to review with
        // the moment it approves itself.
        let boss_feed = turn_on(&app, &boss).await;
        let before = app.get(&boss_feed, None).await.body;
        well_formed(&before);
        assert!(!before.contains("Review the work"));
        app.api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/submissions"),
            Some(&s.token),
            Some(json!({"note": "All done, report linked."})),
        )
        .await;
        let after = app.get(&boss_feed, None).await.body;
        assert!(
            after.contains("SUMMARY:Review the work: Workspace project\r\n"),
            "{after}"
        );
        assert!(
            after
                .lines()
                .any(|l| l.starts_with("DTSTART:") && l.trim_end().ends_with('Z'))
        );
        // Nobody else's dates are in it, and the student's feed is not the employer's.
        assert_ne!(feed, boss_feed);

        // A new address retires the old one; turning it off retires both.
        let again = turn_on(&app, &s).await;
        assert_ne!(again, feed);
        assert_eq!(app.get(&feed, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&again, None).await.status, StatusCode::OK);
        assert_eq!(
            app.api(Method::DELETE, "/api/v1/me/calendar", Some(&s.token), None)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(app.get(&again, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get("/calendar/nothex/stint.ics", None).await.status,
            StatusCode::NOT_FOUND
        );

        // The account page turns it on and shows the address.
        let r = app
            .form("/account/calendar", Some(&s.cookie), &[("action", "reset")])
            .await;
        assert_eq!(r.location(), "/account?notice=calendar_on#calendar-h");
        let page = app.get("/account", Some(&s.cookie)).await.body;
        let shown = app
            .api(Method::GET, "/api/v1/me/calendar", Some(&s.token), None)
            .await
            .json()["url"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(page.contains(&shown), "the page shows the address");
        assert!(
            page.contains("Asia/Kolkata") && page.contains("America/Argentina/Buenos_Aires"),
            "every zone can be chosen"
        );
    }
);

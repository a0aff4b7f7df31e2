//! Files delivered with submissions: upload through the API and the page,
//! downloads for the two sides only, and every refusal leaving nothing behind.

use axum::http::{Method, StatusCode, header};

use crate::api_engagements::hired;
use crate::app_test;
use crate::common::TestApp;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const CSV: &[u8] = b"theme,count\ndelivery,142\nprice,118\n";
const NOTE: &[u8] = b"Coded all 500 answers; the themes and the report are attached.";

/// One multipart part: field, file name, bytes.
type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

fn submissions(id: i64) -> String {
    format!("/api/v1/engagements/{id}/submissions")
}

/// How many files are in the app's storage directory.
fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() { count(&p) } else { 1 }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.files_dir)
}

app_test!(
    files_upload_and_download_for_the_two_sides_only,
    |app| async move {
        let (boss, s, id) = hired(&app).await;
        let r = app
            .multipart(
                &submissions(id),
                Some(&s.token),
                None,
                &[
                    ("note", None, NOTE),
                    ("links", None, b"https://docs.example/report"),
                    ("files", Some("Final report.pdf"), PDF),
                    ("files", Some("../../themes.csv"), CSV),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let sub = r.json();
        let files = sub["files"].as_array().cloned().unwrap_or_default();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["name"], "Final report.pdf");
        assert_eq!(files[0]["content_type"], "application/pdf");
        assert_eq!(files[1]["name"], "themes.csv", "the path is stripped");
        assert_eq!(files[1]["size_bytes"], CSV.len());
        assert_eq!(stored_files(&app), 2);
        let url = files[1]["url"].as_str().unwrap_or_default().to_string();

        // Both sides download the same bytes, as an attachment.
        for who in [&s, &boss] {
            let d = app.api(Method::GET, &url, Some(&who.token), None).await;
            assert_eq!(d.status, StatusCode::OK);
            assert_eq!(d.body.as_bytes(), CSV);
            let cd = d
                .headers
                .get(header::CONTENT_DISPOSITION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                cd.starts_with("attachment; filename=\"themes.csv\""),
                "{cd}"
            );
            assert_eq!(
                d.headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok()),
                Some("text/csv; charset=utf-8")
            );
        }
        // The page download works with the browser session too.
        let fid = files[0]["id"].as_i64().unwrap_or_default();
        let page = app
            .get(&format!("/engagements/{id}/files/{fid}"), Some(&s.cookie))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.starts_with("%PDF-"));

        // Nobody else: another student, another employer, anonymous.
        let stranger = app.student("stranger@x.com").await;
        let (other_boss, _) = app.employer("other@rival.com", "Rival", true).await;
        for t in [&stranger.token, &other_boss.token] {
            assert_eq!(
                app.api(Method::GET, &url, Some(t), None).await.status,
                StatusCode::NOT_FOUND
            );
        }
        assert_eq!(
            app.get(
                &format!("/engagements/{id}/files/{fid}"),
                Some(&stranger.cookie)
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(Method::GET, &url, None, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        // A file id through another engagement's path is not found.
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/engagements/{}/files/{fid}", id + 1000),
                Some(&s.token),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(
                Method::GET,
                &format!("/api/v1/engagements/{id}/files/abc"),
                Some(&s.token),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );

        // A revision and a resubmission: version 2 carries its own file.
        let rev = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/request-revision"),
                Some(&boss.token),
                Some(serde_json::json!({"feedback": "Please add the chart as an image."})),
            )
            .await;
        assert_eq!(rev.status, StatusCode::OK, "{}", rev.body);
        let png = b"\x89PNG\r\n\x1a\nrest-of-image";
        let r2 = app
            .multipart(
                &submissions(id),
                Some(&s.token),
                None,
                &[("note", None, NOTE), ("files", Some("chart.png"), png)],
            )
            .await;
        assert_eq!(r2.status, StatusCode::CREATED, "{}", r2.body);
        let w = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        let versions: Vec<usize> = w["submissions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s["files"].as_array().map_or(0, Vec::len))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(versions, vec![2, 1]);
        assert_eq!(stored_files(&app), 3);
    }
);

app_test!(bad_files_are_refused_and_leave_nothing, |app| async move {
    let (boss, s, id) = hired(&app).await;
    let exe_as_pdf = b"MZ\x90\x00\x03\x00\x00\x00 not a pdf";
    let cases: Vec<(Vec<Part>, &str)> = vec![
        (
            vec![
                ("note", None, NOTE),
                ("files", Some("report.pdf"), exe_as_pdf),
            ],
            "does not look like a .pdf",
        ),
        (
            vec![
                ("note", None, NOTE),
                ("files", Some("page.html"), b"<script>alert(1)</script>"),
            ],
            "not an accepted kind",
        ),
        (
            vec![("note", None, NOTE), ("files", Some("empty.txt"), b"")],
            "is empty",
        ),
        (
            // A good file, but the note is missing: nothing is kept either.
            vec![("note", None, b"short"), ("files", Some("ok.csv"), CSV)],
            "at least 10 characters",
        ),
    ];
    for (parts, says) in cases {
        let r = app
            .multipart(&submissions(id), Some(&s.token), None, &parts)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.code(), "validation_failed");
        assert!(r.body.contains(says), "{says}: {}", r.body);
    }
    // Six files are too many.
    let mut six: Vec<Part> = vec![("note", None, NOTE)];
    let names = ["1.csv", "2.csv", "3.csv", "4.csv", "5.csv", "6.csv"];
    for n in &names {
        six.push(("files", Some(n), CSV));
    }
    let r = app
        .multipart(&submissions(id), Some(&s.token), None, &six)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("at most 5 files"), "{}", r.body);
    // One file over 10 MB.
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let r = app
        .multipart(
            &submissions(id),
            Some(&s.token),
            None,
            &[("note", None, NOTE), ("files", Some("big.txt"), &big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("at most 10 MB"), "{}", r.body);
    // A body over the upload limit is refused before it is read.
    let huge = vec![b'a'; 26 * 1024 * 1024];
    let r = app
        .multipart(
            &submissions(id),
            Some(&s.token),
            None,
            &[("note", None, NOTE), ("files", Some("huge.txt"), &huge)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
    // Other routes keep the small limit.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/messages"),
            Some(&s.token),
            Some(serde_json::json!({"body": "x".repeat(300 * 1024)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The employer cannot submit work, files or not.
    let r = app
        .multipart(
            &submissions(id),
            Some(&boss.token),
            None,
            &[("note", None, NOTE), ("files", Some("ok.csv"), CSV)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Nothing was recorded or kept.
    let w = app
        .api(
            Method::GET,
            &format!("/api/v1/engagements/{id}"),
            Some(&s.token),
            None,
        )
        .await
        .json();
    assert_eq!(w["status"], "active");
    assert_eq!(w["submissions"].as_array().map(Vec::len), Some(0));
    assert_eq!(stored_files(&app), 0);
});

app_test!(
    the_workspace_page_uploads_and_lists_files,
    |app| async move {
        let (boss, s, id) = hired(&app).await;
        let page = app
            .get(&format!("/engagements/{id}"), Some(&s.cookie))
            .await;
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        assert!(page.body.contains("type=\"file\""));
        // A refused file re-renders the form with the message.
        let r = app
            .multipart(
                &format!("/engagements/{id}/submissions"),
                None,
                Some(&s.cookie),
                &[("note", None, NOTE), ("files", Some("virus.exe"), b"MZ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("virus.exe is not an accepted kind of file"),
            "{}",
            r.body
        );
        // An empty file input (no file chosen) is ignored.
        let r = app
            .multipart(
                &format!("/engagements/{id}/submissions"),
                None,
                Some(&s.cookie),
                &[
                    ("note", None, NOTE),
                    ("links", None, b""),
                    ("files", Some("themes.csv"), CSV),
                    ("files", Some(""), b""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app
            .get(&format!("/engagements/{id}"), Some(&boss.cookie))
            .await;
        assert!(
            page.body.contains("themes.csv"),
            "the employer sees the file"
        );
        assert!(page.body.contains(&format!("/engagements/{id}/files/")));
    }
);

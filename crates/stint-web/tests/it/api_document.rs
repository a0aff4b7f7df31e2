//! The API document a client can be written from: required fields, limits
//! and vocabularies in the request schemas, problem+json for every error
//! status, `Idempotency-Key` on every POST, and the listings a client needs
//! (taxonomy, an employer's projects and engagements, achievement ids).
//! `e2e/api-fuzz.sh` (schemathesis, in `.ci/run`) checks the running binary
//! against the same document.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::app_test;
use crate::common::*;

async fn document(app: &TestApp) -> Value {
    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    r.json()
}

app_test!(
    request_schemas_say_what_is_required_and_allowed,
    |app| async move {
        let doc = document(&app).await;
        let s = &doc["components"]["schemas"];
        let p = &s["ProjectRequest"];
        let required: Vec<&str> = p["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for f in [
            "title",
            "summary",
            "category",
            "estimated_hours",
            "start_date",
            "due_date",
            "price_minor",
            "currency",
            "work_mode",
            "slots",
            "application_deadline",
            "decision_by",
        ] {
            assert!(required.contains(&f), "{f} is required: {required:?}");
            assert!(
                p["properties"][f].get("default").is_none(),
                "{f} has no default"
            );
        }
        assert_eq!(p["properties"]["title"]["maxLength"], 120);
        assert_eq!(p["properties"]["estimated_hours"]["maximum"], 240);
        assert_eq!(p["properties"]["weekly_hours"]["maximum"], 40);
        assert_eq!(
            p["properties"]["category"]["$ref"],
            "#/components/schemas/CategorySlug"
        );
        // Vocabularies come from the code that checks them.
        let enum_of = |name: &str| -> Vec<String> {
            s[name]["enum"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            enum_of("CategorySlug").len(),
            stint_domain::taxonomy::CATEGORIES.len()
        );
        assert_eq!(
            enum_of("SkillSlug").len(),
            stint_domain::taxonomy::SKILLS.len()
        );
        assert_eq!(enum_of("WorkModeName"), ["remote", "hybrid", "in_person"]);
        let kinds = enum_of("NotificationKind");
        for k in [
            "new_applicant",
            "hired",
            "message",
            "submission",
            "approved",
            "payment",
            "match_alert",
            "saved_search",
            "dispute",
            "outcomes",
        ] {
            assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
        }
        assert_eq!(s["ApplyRequest"]["properties"]["pitch"]["minLength"], 50);
        assert_eq!(
            s["RegisterRequest"]["properties"]["role"]["$ref"],
            "#/components/schemas/SignupRole"
        );
        // The publishing rules are in the publish operation's description.
        let publish = doc["paths"]["/api/v1/projects/{id}/publish"]["post"]["description"]
            .as_str()
            .unwrap_or("");
        assert!(
            publish.contains("90 days")
                && publish.contains("six weeks")
                && publish.contains("floor"),
            "{publish}"
        );
    }
);

app_test!(
    every_error_status_is_documented_as_problem_json,
    |app| async move {
        let doc = document(&app).await;
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        assert!(paths.len() > 50);
        for (path, item) in &paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let responses = op["responses"].as_object().cloned().unwrap_or_default();
                assert!(
                    responses.contains_key("422"),
                    "{method} {path} documents 422"
                );
                for (status, r) in &responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        let content = r["content"].as_object().cloned().unwrap_or_default();
                        assert_eq!(
                            content.keys().collect::<Vec<_>>(),
                            ["application/problem+json"],
                            "{method} {path} {status}"
                        );
                    }
                }
                if method == "post" {
                    let idem = op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
                    assert!(idem, "{method} {path} declares Idempotency-Key");
                    let conflict = op["responses"]["409"]["description"].as_str().unwrap_or("");
                    assert!(
                        conflict.contains("idempotency_request_in_progress"),
                        "{method} {path}"
                    );
                }
                if path.contains('{') {
                    assert!(
                        responses.contains_key("404"),
                        "{method} {path} documents 404"
                    );
                }
            }
        }
        let token = &doc["paths"]["/api/v1/auth/token"]["post"]["responses"];
        for status in ["401", "429", "503"] {
            assert!(token[status].is_object(), "token documents {status}");
        }
    }
);

app_test!(taxonomy_is_listed, |app| async move {
    let cats = app
        .api(Method::GET, "/api/v1/categories", None, None)
        .await
        .json();
    assert_eq!(
        cats.as_array().map(Vec::len),
        Some(stint_domain::taxonomy::CATEGORIES.len())
    );
    assert_eq!(cats[0]["slug"], stint_domain::taxonomy::CATEGORIES[0].slug);
    assert!(cats[0]["name"].is_string() && cats[0]["skill_count"].as_u64().unwrap_or(0) > 0);
    let all = app
        .api(Method::GET, "/api/v1/skills", None, None)
        .await
        .json();
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(stint_domain::taxonomy::SKILLS.len())
    );
    let some = app
        .api(
            Method::GET,
            "/api/v1/skills?category=data-analysis",
            None,
            None,
        )
        .await
        .json();
    let some = some.as_array().cloned().unwrap_or_default();
    assert!(!some.is_empty() && some.iter().all(|s| s["category"] == "data-analysis"));
    assert!(some.iter().any(|s| s["slug"] == "statistics"));
    let r = app
        .api(Method::GET, "/api/v1/skills?category=astrology", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), ["category"]);
});

app_test!(
    employers_list_their_projects_and_engagements,
    |app| async move {
        let (boss, s, id) = crate::api_engagements::hired(&app).await;
        let draft = app
            .api(
                Method::POST,
                "/api/v1/projects",
                Some(&boss.token),
                Some(project_json("A draft for later")),
            )
            .await;
        assert_eq!(draft.status, StatusCode::CREATED);
        let mine = app
            .api(Method::GET, "/api/v1/me/projects", Some(&boss.token), None)
            .await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let mine = mine.json();
        let statuses: Vec<&str> = mine
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["status"].as_str())
            .collect();
        assert_eq!(statuses.len(), 2, "{mine}");
        assert!(
            statuses.contains(&"draft"),
            "drafts are listed: {statuses:?}"
        );
        // Other organizations and students see none of it.
        let (rival, _) = app.employer("rival@other.com", "Other Co", true).await;
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/projects", Some(&rival.token), None)
                .await
                .json(),
            json!([])
        );
        assert_eq!(
            app.api(Method::GET, "/api/v1/me/projects", Some(&s.token), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.api(
                Method::GET,
                "/api/v1/me/engagements",
                Some(&rival.token),
                None
            )
            .await
            .json(),
            json!([])
        );
        // An employer account without an organization is told to make one.
        let loner = app.actor("loner@x.com", "employer").await;
        for path in ["/api/v1/me/projects", "/api/v1/me/engagements"] {
            let r = app.api(Method::GET, path, Some(&loner.token), None).await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{path}: {}", r.body);
            assert_eq!(r.code(), "no_organization");
        }

        // The engagement list and the workspace carry the achievement id once approved.
        let list = app
            .api(
                Method::GET,
                "/api/v1/me/engagements",
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(list[0]["id"], id);
        assert_eq!(list[0]["project_title"], "Workspace project");
        assert!(list[0]["achievement_id"].is_null());
        app.api(
            Method::POST,
            &format!("/api/v1/engagements/{id}/submissions"),
            Some(&s.token),
            Some(json!({"note": "All done, report linked."})),
        )
        .await;
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/engagements/{id}/approve"),
                Some(&boss.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let list = app
            .api(
                Method::GET,
                "/api/v1/me/engagements",
                Some(&boss.token),
                None,
            )
            .await
            .json();
        let aid = list[0]["achievement_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no achievement id: {list}"));
        let w = app
            .api(
                Method::GET,
                &format!("/api/v1/engagements/{id}"),
                Some(&boss.token),
                None,
            )
            .await
            .json();
        assert_eq!(w["achievement_id"], aid);
        let student_list = app
            .api(Method::GET, "/api/v1/me/engagements", Some(&s.token), None)
            .await
            .json();
        assert_eq!(student_list[0]["achievement_id"], aid);
        // The student states outcomes; the employer confirms them by that id.
        let r = app
        .api(Method::PUT, &format!("/api/v1/achievements/{aid}"), Some(&s.token), Some(json!({"summary": "Coded 500 survey answers into themes.", "outcomes": ["500 survey answers coded"]})))
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
        // Neither an admin nor a university account has engagements.
        let admin = app.admin().await;
        assert_eq!(
            app.api(
                Method::GET,
                "/api/v1/me/engagements",
                Some(&admin.token),
                None
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
);

/// utoipa names a schema after its struct, and a second struct of the same
/// name silently replaces the first in the document: every schema struct
/// of the API has a name of its own.
#[test]
fn schema_names_are_unique() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    assert!(!entries.is_empty(), "no API sources in {}", dir.display());
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.contains("ToSchema") || !line.trim_start().starts_with("#[derive") {
                continue;
            }
            // The item the derive belongs to: the first line after it that
            // is not an attribute or a comment.
            let Some(name) = lines[i + 1..]
                .iter()
                .map(|l| l.trim_start())
                .find(|l| !l.starts_with('#') && !l.starts_with("//"))
                .and_then(|l| {
                    l.strip_prefix("pub struct ")
                        .or_else(|| l.strip_prefix("pub enum "))
                        .or_else(|| l.strip_prefix("struct "))
                        .or_else(|| l.strip_prefix("enum "))
                })
                .and_then(|rest| {
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                })
            else {
                continue;
            };
            let here = path
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            if let Some(there) = seen.insert(name.to_string(), here.clone()) {
                panic!("schema {name} is defined in both {there} and {here}");
            }
        }
    }
}

//! `TestApp`: the real router over a throwaway database, with ready-made
//! users and small request helpers for pages (cookies, forms) and the API
//! (bearer tokens, JSON).

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use stint_store::Engine;
use stint_store::testing::TestDb;
use stint_web::{AppState, PasswordCost, WebConfig};
use tower::ServiceExt;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    /// Held so the database lives as long as the app.
    _db: TestDb,
    /// This app's file storage directory, removed with the app.
    pub files_dir: std::path::PathBuf,
    pub state: AppState,
    router: Router,
}

/// One response, with its body read.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The `code` of a problem+json body, checking the content type.
    pub fn code(&self) -> String {
        let ct = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(ct, "application/problem+json", "body: {}", self.body);
        self.json()["code"].as_str().unwrap_or("").to_string()
    }
    /// The fields named in a validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The session token a response sets, if any.
    pub fn session(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| {
                c.strip_prefix("stint_session=")
                    .map(|rest| rest.split(';').next().unwrap_or("").to_string())
            })
            .filter(|t| !t.is_empty())
    }
}

pub async fn send_to(router: Router, req: Request<Body>) -> Res {
    let res = router.oneshot(req).await.unwrap_or_else(|e| match e {});
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    Res {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.files_dir);
    }
}

/// A signed-in person: a browser session and an API token.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub email: String,
    pub cookie: String,
    pub token: String,
}

impl TestApp {
    pub async fn new(engine: Engine) -> Option<TestApp> {
        TestApp::with_config(engine, |_| {}).await
    }

    pub async fn with_config(
        engine: Engine,
        tweak: impl FnOnce(&mut WebConfig),
    ) -> Option<TestApp> {
        let db = TestDb::new(engine).await?;
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let files_dir = std::env::temp_dir().join(format!(
            "stint_files_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let mut config = WebConfig {
            password_cost: PasswordCost::Fast,
            auth_rate_per_minute: 10_000,
            files: stint_store::FileStorage::local(&files_dir),
            // Providers in tests listen on loopback.
            sso: stint_sso::Client::new(true, std::time::Duration::from_secs(5))
                .unwrap_or_else(|e| panic!("{e}")),
            ..WebConfig::default()
        };
        tweak(&mut config);
        // Every test searches through an index, as a server does.
        let store = match db.store.clone().with_search_index(None, None).await {
            Ok(s) => s,
            Err(e) => panic!("cannot open a search index: {e}"),
        };
        let state = AppState::new(store, config);
        let router = stint_web::router(state.clone());
        Some(TestApp {
            _db: db,
            files_dir,
            state,
            router,
        })
    }

    /// The database's address, for a second process's store on it.
    pub fn db_url(&self) -> &str {
        &self._db.url
    }

    /// The router, for requests sent from other tasks.
    pub fn clone_router(&self) -> Router {
        self.router.clone()
    }

    pub async fn send(&self, req: Request<Body>) -> Res {
        send_to(self.router.clone(), req).await
    }

    /// One POST per path, all sent at once from separate tasks.
    pub async fn concurrently_each(&self, paths: &[String], token: &str) -> Vec<StatusCode> {
        let mut set = tokio::task::JoinSet::new();
        for path in paths {
            let req = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap_or_default();
            set.spawn(send_to(self.router.clone(), req));
        }
        set.join_all().await.into_iter().map(|r| r.status).collect()
    }

    /// API calls with JSON bodies, all sent at once from separate tasks;
    /// answers in the order given.
    pub async fn concurrently_json(
        &self,
        calls: Vec<(Method, String, Value)>,
        token: &str,
    ) -> Vec<Res> {
        let mut set = tokio::task::JoinSet::new();
        for (i, (method, path, body)) in calls.into_iter().enumerate() {
            let req = Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap_or_default();
            let router = self.router.clone();
            set.spawn(async move { (i, send_to(router, req).await) });
        }
        let mut out = set.join_all().await;
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    }

    /// The same API call sent `n` times at once from separate tasks.
    pub async fn concurrently(
        &self,
        n: usize,
        method: Method,
        path: &str,
        token: &str,
    ) -> Vec<StatusCode> {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            let req = Request::builder()
                .method(method.clone())
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap_or_default();
            set.spawn(send_to(self.router.clone(), req));
        }
        set.join_all().await.into_iter().map(|r| r.status).collect()
    }

    fn builder(method: Method, path: &str, cookie: Option<&str>) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, format!("stint_session={c}"));
        }
        b
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Res {
        self.send(
            Self::builder(Method::GET, path, cookie)
                .body(Body::empty())
                .unwrap_or_default(),
        )
        .await
    }

    /// A same-origin form post, as a browser sends it.
    pub async fn form(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Res {
        let body = serde_urlencoded::to_string(fields).unwrap_or_default();
        let req = Self::builder(Method::POST, path, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap_or_default();
        self.send(req).await
    }

    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.unwrap_or_default()).await
    }

    /// A `multipart/form-data` POST: `parts` are (field, file name, bytes);
    /// a file name makes the part a file. Signed with a bearer token or a
    /// session cookie (then as a same-origin browser form).
    pub async fn multipart(
        &self,
        path: &str,
        token: Option<&str>,
        cookie: Option<&str>,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Res {
        let (ct, body) = multipart_body(parts);
        let mut b = Self::builder(Method::POST, path, cookie)
            .header(header::CONTENT_TYPE, ct)
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if cookie.is_some() {
            b = b.header("sec-fetch-site", "same-origin");
        }
        self.send(b.body(Body::from(body)).unwrap_or_default())
            .await
    }

    /// Registers through the API, then signs in through the page and the API.
    pub async fn actor(&self, email: &str, role: &str) -> Actor {
        let r = self
            .api(Method::POST, "/api/v1/auth/register", None, Some(json!({"email": email, "password": PASSWORD, "name": person(email), "role": role})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap_or_default();
        self.sign_in(id, email).await
    }

    pub async fn sign_in(&self, id: i64, email: &str) -> Actor {
        let r = self
            .form("/login", None, &[("email", email), ("password", PASSWORD)])
            .await;
        let cookie = r
            .session()
            .unwrap_or_else(|| panic!("no session cookie: {r:?}"));
        let t = self
            .api(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"email": email, "password": PASSWORD})),
            )
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
        Actor {
            id,
            email: email.into(),
            cookie,
            token: t.json()["token"].as_str().unwrap_or_default().into(),
        }
    }

    pub async fn student(&self, email: &str) -> Actor {
        self.actor(email, "student").await
    }

    /// An employer with an organization, verified or not.
    pub async fn employer(&self, email: &str, org: &str, verified: bool) -> (Actor, i64) {
        let a = self.actor(email, "employer").await;
        let r = self
            .api(
                Method::POST,
                "/api/v1/organizations",
                Some(&a.token),
                Some(json!({"name": org, "country": "IN", "website": "https://example.com"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let org_id = r.json()["id"].as_i64().unwrap_or_default();
        if verified {
            self.state
                .store
                .verify_org(org_id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        (a, org_id)
    }

    pub async fn admin(&self) -> Actor {
        let email = "admin@stint.test";
        let hash = self
            .state
            .passwords
            .hash(PASSWORD.into(), PasswordCost::Fast)
            .await
            .unwrap_or_default();
        let u = self
            .state
            .store
            .create_user(email, &hash, "Admin", stint_domain::account::Role::Admin)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        self.sign_in(u.id, email).await
    }
}

/// A multipart body and its content type.
pub fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "stint-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The display name test actors get: "Person <local part>".
pub fn person(email: &str) -> String {
    format!("Person {}", email.split('@').next().unwrap_or(email))
}

/// A project that passes every publishing rule, priced in INR.
pub fn project_json(title: &str) -> Value {
    let day = |n: i64| (Utc::now().date_naive() + Duration::days(n)).to_string();
    json!({
        "title": title,
        "summary": "Analyse survey responses and summarise the top themes for our team.",
        "brief": "We surveyed 500 customers. Code the open answers into themes and summarise the scores by city.",
        "deliverables": "- Coded dataset\n- Report",
        "acceptance_criteria": "- Every response coded",
        "category": "data-analysis",
        "required_skills": ["spreadsheets", "statistics"],
        "preferred_skills": ["python"],
        "estimated_hours": 20,
        "start_date": day(12),
        "due_date": day(26),
        "price_minor": 900_000,
        "currency": "INR",
        "work_mode": "remote",
        "slots": 1,
        "application_deadline": day(5),
        "decision_by": day(8),
        "screening_question": "Which tool would you use?",
        "for_credit": true
    })
}

/// Declares one async test per engine over a fresh `TestApp`.
#[macro_export]
macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some($app) = $crate::common::TestApp::new(stint_store::Engine::Sqlite).await
                else {
                    return;
                };
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = $crate::common::TestApp::new(stint_store::Engine::Postgres).await
                else {
                    return;
                };
                $body.await
            }
        }
    };
}

/// A pitch that passes the rules, for tests that apply.
pub const PITCH: &str = "I coded 300 open survey answers for my thesis in Sheets and summarised them for my department.";

impl TestApp {
    /// Creates and publishes a project of `boss`'s organization.
    pub async fn published(&self, boss: &Actor, title: &str, slots: i64, blind: bool) -> i64 {
        let mut p = project_json(title);
        p["slots"] = json!(slots);
        p["blind_screening"] = json!(blind);
        self.publish_json(boss, p).await
    }

    /// Creates a project from `p` (a `project_json` to adjust) and publishes it.
    pub async fn publish_json(&self, boss: &Actor, p: Value) -> i64 {
        let r = self
            .api(Method::POST, "/api/v1/projects", Some(&boss.token), Some(p))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap_or_default();
        let r = self
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

    /// The kinds of `a`'s notifications, newest first.
    pub async fn notification_kinds(&self, a: &Actor) -> Vec<String> {
        self.api(
            Method::GET,
            "/api/v1/me/notifications",
            Some(&a.token),
            None,
        )
        .await
        .json()["items"]
            .as_array()
            .map(|i| {
                i.iter()
                    .filter_map(|n| n["kind"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many of `a`'s notifications are of `kind`.
    pub async fn count_kind(&self, a: &Actor, kind: &str) -> usize {
        self.notification_kinds(a)
            .await
            .iter()
            .filter(|k| *k == kind)
            .count()
    }

    /// `s` applies to `project` with a valid pitch and answer.
    pub async fn apply(&self, s: &Actor, project: i64) -> Res {
        let body = json!({"pitch": PITCH, "answer": "Sheets, then R for the charts.", "links": ["https://portfolio.example/survey"]});
        self.api(
            Method::POST,
            &format!("/api/v1/projects/{project}/applications"),
            Some(&s.token),
            Some(body),
        )
        .await
    }
}

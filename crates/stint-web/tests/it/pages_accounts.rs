//! Pages: sign-up, sign-in, sessions, email links, the account page, and the
//! protections around them.

use axum::http::StatusCode;

use crate::app_test;
use crate::common::{PASSWORD, TestApp};

/// The first link to Stint in the newest email to `to`.
async fn link_in_mail(app: &TestApp, to: &str) -> String {
    let mail = app.state.store.email_to(to).await.unwrap_or_default();
    let body = mail.first().map(|m| m.body.clone()).unwrap_or_default();
    let base = app.state.config.base_url.clone();
    body.split_whitespace()
        .find(|w| w.starts_with(&base))
        .map(|w| w.trim_start_matches(&base).to_string())
        .unwrap_or_default()
}

app_test!(signup_login_logout, |app| async move {
    let r = app.get("/signup?role=employer", None).await;
    assert!(r.body.contains(r#"value="employer" checked"#));

    let r = app
        .form(
            "/signup",
            None,
            &[
                ("role", "student"),
                ("name", ""),
                ("email", "bad"),
                ("password", "123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Your name is required.",
        "Enter an email address like name@example.com.",
        "Use at least 10 characters",
    ] {
        assert!(r.body.contains(msg), "missing '{msg}'");
    }
    assert!(r.body.contains(r#"aria-invalid="true""#));
    assert!(r.session().is_none());

    let r = app
        .form(
            "/signup",
            None,
            &[
                ("role", "student"),
                ("name", "Asha <b>Rao</b>"),
                ("email", "asha@x.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/me/profile?notice=welcome");
    let cookie = r.session().unwrap_or_default();
    let set_cookie = r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let page = app.get("/me/profile?notice=welcome", Some(&cookie)).await;
    assert!(
        page.body.contains("Asha &#60;b&#62;Rao&#60;/b&#62;")
            || page.body.contains("Asha &lt;b&gt;Rao&lt;/b&gt;"),
        "names are escaped"
    );
    assert!(page.body.contains("Welcome to Stint"));

    let r = app
        .form(
            "/signup",
            None,
            &[
                ("role", "student"),
                ("name", "Again"),
                ("email", "ASHA@x.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("already exists"));

    let r = app
        .form(
            "/login",
            None,
            &[("email", "asha@x.com"), ("password", "not the password")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("do not match"));
    let r = app
        .form(
            "/login",
            None,
            &[
                ("email", "asha@x.com"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/", "off-site next is ignored");
    let r = app
        .form(
            "/login",
            None,
            &[
                ("email", "asha@x.com"),
                ("password", PASSWORD),
                ("next", "/projects?q=x"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/projects?q=x");
    let second = r.session().unwrap_or_default();

    let r = app.form("/logout", Some(&second), &[]).await;
    assert_eq!(r.location(), "/?notice=signed_out");
    assert_eq!(
        app.get("/me/profile", Some(&second)).await.status,
        StatusCode::SEE_OTHER,
        "the session is gone"
    );
    assert_eq!(
        app.get("/me/profile", Some(&cookie)).await.status,
        StatusCode::OK,
        "other sessions live on"
    );
});

app_test!(protected_pages_redirect_and_check_roles, |app| async move {
    let r = app.get("/employer", None).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/login?next=%2Femployer")
    );
    let s = app.student("s@x.com").await;
    assert_eq!(
        app.get("/employer", Some(&s.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/admin/verifications", Some(&s.cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.form("/admin/organizations/1/verify", Some(&s.cookie), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let (e, _) = app.employer("e@x.com", "Acme", false).await;
    assert_eq!(
        app.get("/me/profile", Some(&e.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/university", Some(&e.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/dev/outbox", None).await.status,
        StatusCode::NOT_FOUND,
        "no mailbox outside demo mode"
    );
    assert_eq!(
        app.get("/no/such/page", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(
            "/me/profile",
            Some("0000000000000000000000000000000000000000000000000000000000000000")
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
});

app_test!(cross_site_posts_are_refused, |app| async move {
    let s = app.student("s@x.com").await;
    let req = axum::http::Request::post("/me/profile")
        .header("cookie", format!("stint_session={}", s.cookie))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from("headline=pwned"))
        .unwrap_or_default();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    let req = axum::http::Request::post("/logout")
        .header("cookie", format!("stint_session={}", s.cookie))
        .header("origin", "https://evil.example")
        .header("host", "stint.example")
        .body(axum::body::Body::empty())
        .unwrap_or_default();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert!(
        app.state
            .store
            .profile(s.id)
            .await
            .map(|p| p.headline.is_none())
            .unwrap_or(false)
    );
});

app_test!(email_verification_and_password_reset, |app| async move {
    let s = app.student("v@x.com").await;
    let link = link_in_mail(&app, "v@x.com").await;
    assert!(link.starts_with("/verify-email?token="), "{link}");
    let r = app.get(&link, Some(&s.cookie)).await;
    assert_eq!(r.location(), "/?notice=verified");
    assert!(
        app.state
            .store
            .user(s.id)
            .await
            .map(|u| u.email_verified)
            .unwrap_or(false)
    );
    let r = app.get(&link, None).await;
    assert!(
        r.body.contains("expired or was already used"),
        "links work once"
    );

    let r = app
        .form("/forgot-password", None, &[("email", "nobody@x.com")])
        .await;
    assert_eq!(
        r.location(),
        "/login?notice=reset_sent",
        "no hint whether an account exists"
    );
    let r = app
        .form("/forgot-password", None, &[("email", "v@x.com")])
        .await;
    assert_eq!(r.location(), "/login?notice=reset_sent");
    let link = link_in_mail(&app, "v@x.com").await;
    assert!(link.starts_with("/reset-password?token="), "{link}");
    let token = link.trim_start_matches("/reset-password?token=");
    let r = app
        .form(
            "/reset-password",
            None,
            &[("token", token), ("password", "short")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .form(
            "/reset-password",
            None,
            &[("token", token), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(r.location(), "/?notice=password_reset");
    assert_eq!(
        app.get("/me/profile", Some(&s.cookie)).await.status,
        StatusCode::SEE_OTHER,
        "old sessions end on reset"
    );
    let r = app
        .form(
            "/reset-password",
            None,
            &[("token", token), ("password", "another new passphrase")],
        )
        .await;
    assert!(r.body.contains("expired or was already used"));
    let r = app
        .form(
            "/login",
            None,
            &[("email", "v@x.com"), ("password", "a brand new passphrase")],
        )
        .await;
    assert!(r.session().is_some());
});

app_test!(account_page_password_and_tokens, |app| async move {
    let s = app.student("acc@x.com").await;
    let r = app
        .form(
            "/account/password",
            Some(&s.cookie),
            &[
                ("current_password", "wrong one here"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("current password is not right"));
    let r = app
        .form("/account/tokens", Some(&s.cookie), &[("name", "my script")])
        .await;
    assert!(r.body.contains("stint_"), "the new token is shown once");
    let tokens = app.state.store.api_tokens(s.id).await.unwrap_or_default();
    let other = app.student("other@x.com").await;
    let mine = tokens
        .iter()
        .find(|t| t.name == "my script")
        .map(|t| t.id)
        .unwrap_or_default();
    assert_eq!(
        app.form(
            &format!("/account/tokens/{mine}/revoke"),
            Some(&other.cookie),
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.form(
            &format!("/account/tokens/{mine}/revoke"),
            Some(&s.cookie),
            &[]
        )
        .await
        .location(),
        "/account?notice=token_revoked"
    );
    let r = app
        .form(
            "/account/password",
            Some(&s.cookie),
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/account?notice=password_changed");
});

mod rate_limits {
    use super::*;

    async fn run(engine: stint_store::Engine) {
        let Some(app) = TestApp::with_config(engine, |c| c.auth_rate_per_minute = 3).await else {
            return;
        };
        for _ in 0..3 {
            let r = app
                .form(
                    "/login",
                    None,
                    &[("email", "x@x.com"), ("password", "whatever it is")],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = app
            .form(
                "/login",
                None,
                &[("email", "x@x.com"), ("password", "whatever it is")],
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("Wait a minute"));
        let r = app
            .api(
                axum::http::Method::POST,
                "/api/v1/auth/token",
                None,
                Some(serde_json::json!({"email": "x@x.com", "password": "whatever it is"})),
            )
            .await;
        assert_eq!(r.code(), "rate_limited");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(stint_store::Engine::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(stint_store::Engine::Postgres).await
    }
}

mod demo_mailbox {
    use super::*;

    async fn run(engine: stint_store::Engine) {
        let Some(app) = TestApp::with_config(engine, |c| c.demo = true).await else {
            return;
        };
        let s = app.student("mailbox@x.com").await;
        let r = app
            .form("/account/resend-verification", Some(&s.cookie), &[])
            .await;
        assert_eq!(r.location(), "/account?notice=welcome");
        assert_eq!(
            app.state
                .store
                .email_to("mailbox@x.com")
                .await
                .map(|m| m.len())
                .unwrap_or_default(),
            2
        );
        let r = app.get("/dev/outbox", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("Confirm your email for Stint")
                && r.body.contains("href=\"/verify-email?token=")
        );
        assert!(app.get("/", None).await.body.contains("Demo site"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(stint_store::Engine::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(stint_store::Engine::Postgres).await
    }
}

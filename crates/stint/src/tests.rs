//! Tests of the binary's own parts: settings and the demo loader.

use std::path::PathBuf;

use stint_store::Engine;
use stint_store::testing::TestDb;
use stint_web::{AppState, PasswordCost, WebConfig};

use crate::config::{Overrides, Settings};

#[test]
fn settings_defaults_and_bad_values() {
    let dir = std::env::temp_dir().join(format!("stint_cfg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap_or_default();
        p
    };
    let ok = write("ok.toml", "addr = \"127.0.0.1:9000\"\nhourly_floors = \"USD=2000\"\n");
    let s = Settings::load(Some(&ok), Overrides::default()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(s.addr.port(), 9000);
    assert_eq!(s.base_url(), "http://127.0.0.1:9000");
    assert_eq!(s.floors().map(|f| f.floor(stint_domain::Currency::Usd).minor).ok(), Some(2000));

    let over = Settings::load(Some(&ok), Overrides { addr: Some("127.0.0.1:9100".into()), ..Default::default() });
    assert_eq!(over.map(|s| s.addr.port()).ok(), Some(9100), "flags win over the file");

    for (name, body, needle) in [
        ("port.toml", "addr = \"nowhere\"", "addr"),
        ("floor.toml", "hourly_floors = \"XYZ=1\"", "hourly_floors"),
        ("db.toml", "database_url = \"mysql://x/y\"", "database_url"),
        ("typo.toml", "adress = \"127.0.0.1:1\"", "adress"),
        ("rate.toml", "auth_rate_per_minute = 0", "auth_rate_per_minute"),
        ("base.toml", "base_url = \"stint.example\"", "base_url"),
    ] {
        let p = write(name, body);
        let err = Settings::load(Some(&p), Overrides::default()).err().map(|e| format!("{e:#}")).unwrap_or_default();
        assert!(err.contains(needle), "{name}: '{err}' should name {needle}");
    }
    let missing = Settings::load(Some(&PathBuf::from("/nonexistent/stint.toml")), Overrides::default());
    assert!(missing.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

async fn demo_twice(engine: Engine) {
    let Some(db) = TestDb::new(engine).await else { return };
    let state = AppState::new(db.store.clone(), WebConfig { password_cost: PasswordCost::Fast, demo: true, ..WebConfig::default() });
    crate::demo::load(&state).await.unwrap_or_else(|e| panic!("{e:#}"));
    let open = db.store.count_open_projects().await.unwrap_or_default();
    let unverified = db.store.unverified_orgs().await.map(|o| o.len()).unwrap_or_default();
    crate::demo::load(&state).await.unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(db.store.count_open_projects().await.unwrap_or_default(), open, "loading twice adds nothing");
    assert!(open >= 40, "{open} open projects");
    assert_eq!(unverified, 1, "one organization waits in the admin queue");
    let page = db.store.search_projects(&stint_domain::search::SearchParams { q: "market research".into(), ..Default::default() }.parse().unwrap_or_default()).await;
    assert!(page.map(|p| p.total).unwrap_or(0) > 0);
    assert!(db.store.user_by_email(crate::demo::DEMO_ADMIN).await.ok().flatten().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_is_idempotent_sqlite() {
    demo_twice(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_is_idempotent_postgres() {
    demo_twice(Engine::Postgres).await
}

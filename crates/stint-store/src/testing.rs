//! A throwaway, migrated database per test, on either engine.
//!
//! SQLite: a file in a fresh temporary directory. PostgreSQL: a new database on
//! the server named by `STINT_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends.
//! When that server is unreachable the PostgreSQL tests are skipped with a
//! message, unless `STINT_REQUIRE_PG=1` (CI) makes that a failure.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Engine, Store};

pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Postgres { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn pg_admin_url() -> String {
    std::env::var("STINT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_required() -> bool {
    std::env::var("STINT_REQUIRE_PG").is_ok_and(|v| v == "1")
}

impl TestDb {
    /// A fresh migrated database, or `None` when PostgreSQL is unreachable and
    /// not required (the caller then skips the test).
    pub async fn new(engine: Engine) -> Option<TestDb> {
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(unique("stint_test"));
                let store = match Store::open_sqlite_dir(&dir).await {
                    Ok(s) => s,
                    Err(e) => panic!("cannot open SQLite test database: {e}"),
                };
                if let Err(e) = store.migrate().await {
                    panic!("SQLite migrations failed: {e}");
                }
                let url = format!("sqlite://{}", dir.join("stint.db").display());
                Some(TestDb {
                    store,
                    url,
                    cleanup: Cleanup::Dir(dir),
                })
            }
            Engine::Postgres => {
                let admin_url = pg_admin_url();
                let name = unique("stint_test");
                let admin = match Store::connect(&admin_url).await {
                    Ok(a) => a,
                    Err(e) if !pg_required() => {
                        eprintln!(
                            "SKIPPED: PostgreSQL at {admin_url} is unreachable ({e}); set STINT_REQUIRE_PG=1 to fail instead"
                        );
                        return None;
                    }
                    Err(e) => panic!(
                        "PostgreSQL is required (STINT_REQUIRE_PG=1) but unreachable at {admin_url}: {e}"
                    ),
                };
                if let crate::Db::Postgres(pool) = &admin.db {
                    let sql = format!("CREATE DATABASE {name}");
                    if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await {
                        panic!("cannot create test database: {e}");
                    }
                }
                admin.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                let url = format!("{base}/{name}");
                let store = match Store::connect(&url).await {
                    Ok(s) => s,
                    Err(e) => panic!("cannot connect to test database: {e}"),
                };
                if let Err(e) = store.migrate().await {
                    panic!("PostgreSQL migrations failed: {e}");
                }
                Some(TestDb {
                    store,
                    url,
                    cleanup: Cleanup::Postgres { admin_url, name },
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; use a thread with its own.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = Store::connect(&admin_url).await
                            && let crate::Db::Postgres(pool) = &admin.db
                        {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Declares one async test per engine: `both_engines!(name, |db| async move { … })`
/// makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some($db) = $crate::testing::TestDb::new($crate::Engine::Sqlite).await else {
                    return;
                };
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($db) = $crate::testing::TestDb::new($crate::Engine::Postgres).await else {
                    return;
                };
                $body.await
            }
        }
    };
}

impl Store {
    /// Runs SQL text as it is (several statements allowed), for tests that
    /// must put the database in a state no API allows, such as a trigger
    /// that makes one insert fail.
    pub async fn raw_sql_for_tests(&self, sql: &'static str) -> crate::StoreResult<()> {
        crate::with_db!(self, write, |p| sqlx::raw_sql(sql)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// A number one query answers (`SELECT COUNT(*) ...`), for tests that
    /// look at what is stored where no API shows it.
    pub async fn count_for_tests(&self, sql: &'static str) -> crate::StoreResult<i64> {
        Ok(crate::with_db!(self, read, |p| sqlx::query_scalar(sql)
            .fetch_one(p)
            .await)?)
    }
}

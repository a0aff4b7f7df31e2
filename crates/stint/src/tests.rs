//! Tests of the binary's own parts: settings and the demo loader.

use std::path::PathBuf;

use stint_domain::account::Role;
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
    let ok = write(
        "ok.toml",
        "addr = \"127.0.0.1:9000\"\nhourly_floors = \"USD=2000\"\n",
    );
    let s = Settings::load(Some(&ok), Overrides::default()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(s.addr.port(), 9000);
    assert_eq!(s.base_url(), "http://127.0.0.1:9000");
    assert_eq!(
        s.floors()
            .map(|f| f.floor(stint_domain::Currency::Usd).minor)
            .ok(),
        Some(2000)
    );

    let over = Settings::load(
        Some(&ok),
        Overrides {
            addr: Some("127.0.0.1:9100".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        over.map(|s| s.addr.port()).ok(),
        Some(9100),
        "flags win over the file"
    );

    for (name, body, needle) in [
        ("port.toml", "addr = \"nowhere\"", "addr"),
        ("floor.toml", "hourly_floors = \"XYZ=1\"", "hourly_floors"),
        ("db.toml", "database_url = \"mysql://x/y\"", "database_url"),
        ("typo.toml", "adress = \"127.0.0.1:1\"", "adress"),
        (
            "rate.toml",
            "auth_rate_per_minute = 0",
            "auth_rate_per_minute",
        ),
        ("base.toml", "base_url = \"stint.example\"", "base_url"),
        ("fee.toml", "fee_basis_points = 9000", "fee_basis_points"),
        (
            "pay.toml",
            "payment_provider = \"paypal\"",
            "payment_provider",
        ),
        (
            "stripe.toml",
            "payment_provider = \"stripe\"",
            "stripe_secret_key",
        ),
        (
            "stripe-key.toml",
            "payment_provider = \"stripe\"\nstripe_secret_key = \"pk_live_x\"\nstripe_webhook_secret = \"whsec_x\"",
            "stripe_secret_key",
        ),
        (
            "stripe-hook.toml",
            "payment_provider = \"stripe\"\nstripe_secret_key = \"sk_test_x\"\nstripe_webhook_secret = \"x\"",
            "stripe_webhook_secret",
        ),
        (
            "share.toml",
            "cancellation_share_basis_points = 10001",
            "cancellation_share_basis_points",
        ),
        ("secrets.toml", "secrets_key = \"abc\"", "secrets_key"),
    ] {
        let p = write(name, body);
        let err = Settings::load(Some(&p), Overrides::default())
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(err.contains(needle), "{name}: '{err}' should name {needle}");
    }
    let missing = Settings::load(
        Some(&PathBuf::from("/nonexistent/stint.toml")),
        Overrides::default(),
    );
    assert!(missing.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

async fn demo_twice(engine: Engine) {
    let Some(db) = TestDb::new(engine).await else {
        return;
    };
    let files = std::env::temp_dir().join(format!(
        "stint_demo_files_{}_{engine:?}",
        std::process::id()
    ));
    let state = demo_in(&db, stint_store::FileStorage::local(&files)).await;
    let open = db.store.count_open_projects().await.unwrap_or_default();
    let unverified = db
        .store
        .unverified_orgs()
        .await
        .map(|o| o.len())
        .unwrap_or_default();
    let engagements = db.store.count_engagements().await.unwrap_or_default();
    let asha = db
        .store
        .user_by_email("asha.rao@dit.example.ac.in")
        .await
        .ok()
        .flatten()
        .map(|u| u.id)
        .unwrap_or_default();
    let applications = db
        .store
        .student_applications(asha)
        .await
        .map(|a| a.len())
        .unwrap_or_default();
    crate::demo::load(&state)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    // Six in the live loop, one per state, and the universities' history.
    assert!(engagements > 6 + 30, "{engagements} demo engagements");
    assert!(applications > 0, "demo students have applied");
    assert_eq!(
        db.store.count_engagements().await.unwrap_or_default(),
        engagements,
        "loading twice adds no engagement"
    );
    assert_eq!(
        db.store
            .student_applications(asha)
            .await
            .map(|a| a.len())
            .unwrap_or_default(),
        applications
    );
    assert_eq!(
        db.store
            .ledger_balances()
            .await
            .unwrap_or_default()
            .iter()
            .map(|(_, _, b)| b)
            .sum::<i64>(),
        0
    );
    let mut states = Vec::new();
    // The live loop's engagements come first; the history follows.
    for id in 1..=6 {
        if let Ok(e) = db.store.engagement(id).await {
            states.push(e.status.as_str());
        }
    }
    states.sort_unstable();
    assert_eq!(
        states,
        vec![
            "active",
            "cancelled",
            "paid",
            "paid",
            "revision_requested",
            "submitted"
        ]
    );
    assert_eq!(
        db.store.count_open_projects().await.unwrap_or_default(),
        open,
        "loading twice adds nothing"
    );
    assert!(open >= 40, "{open} open projects");
    assert_eq!(
        db.store.outcome_history_drift().await.ok(),
        Some(0),
        "the outcome counts match the demo's rows"
    );
    assert_eq!(unverified, 1, "one organization waits in the admin queue");
    let page = db
        .store
        .search_projects(
            &stint_domain::search::SearchParams {
                q: "market research".into(),
                ..Default::default()
            }
            .parse()
            .unwrap_or_default(),
        )
        .await;
    assert!(page.map(|p| p.total).unwrap_or(0) > 0);
    assert!(
        db.store
            .user_by_email(crate::demo::DEMO_ADMIN)
            .await
            .ok()
            .flatten()
            .is_some()
    );
    let mut delivered = Vec::new();
    // The live loop's engagements come first; the history follows.
    for id in 1..=6 {
        for f in db.store.engagement_files(id).await.unwrap_or_default() {
            let bytes = state.config.files.get(&f.storage_key).await;
            delivered.push((f.name, bytes.map(|b| b.len()).unwrap_or(0)));
        }
    }
    // Every demo text reads as written for its place: no two applications
    // share a pitch or an answer, and no two workspaces a message.
    let mut pitches = std::collections::HashSet::new();
    let mut answers = std::collections::HashSet::new();
    for id in 1..=crate::demo_data::PROJECTS.len() as i64 {
        for a in db.store.project_applications(id).await.unwrap_or_default() {
            assert!(pitches.insert(a.pitch.clone()), "pitch twice: {}", a.pitch);
            if let Some(answer) = a.answer.filter(|t| !t.is_empty()) {
                assert!(answers.insert(answer.clone()), "answer twice: {answer}");
            }
        }
    }
    assert!(pitches.len() > 60, "{} applications", pitches.len());
    let mut said = std::collections::HashSet::new();
    // The live loop's engagements come first; the history follows.
    for id in 1..=6 {
        let (messages, _) = db
            .store
            .messages_page(id, None, 50)
            .await
            .unwrap_or_default();
        assert!(!messages.is_empty(), "engagement {id} has a conversation");
        for m in messages {
            assert!(said.insert(m.body.clone()), "said twice: {}", m.body);
        }
    }
    assert!(!delivered.is_empty(), "demo submissions carry files");
    assert!(
        delivered.iter().all(|(_, len)| *len > 0),
        "their bytes are stored: {delivered:?}"
    );
    let _ = std::fs::remove_dir_all(&files);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_is_idempotent_sqlite() {
    demo_twice(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_is_idempotent_postgres() {
    demo_twice(Engine::Postgres).await
}

/// A minimal SMTP server: accepts every message (or refuses every recipient
/// with `refuse`) and hands each received message's text to the test.
async fn smtp_sink(refuse: bool) -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(buf));
                            data = None;
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("RCPT") && refuse {
                        b"550 no such user\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, rx)
}

async fn mail_is_delivered(engine: Engine) {
    let Some(db) = TestDb::new(engine).await else {
        return;
    };
    let (port, mut rx) = smtp_sink(false).await;
    let mailer = crate::mailer::Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Stint <no-reply@stint.test>",
    )
    .unwrap_or_else(|e| panic!("{e:#}"));
    let a = db
        .store
        .enqueue_email("asha@example.com", "Confirm your email", "Hello Asha")
        .await
        .unwrap_or_default();
    let b = db
        .store
        .enqueue_email("ben@example.com", "Reset your password", "Hello Ben")
        .await
        .unwrap_or_default();
    assert_eq!(
        mailer
            .deliver_once(&db.store)
            .await
            .unwrap_or_else(|e| panic!("{e:#}")),
        2
    );
    let mut got = [
        rx.recv().await.unwrap_or_default(),
        rx.recv().await.unwrap_or_default(),
    ];
    got.sort();
    assert!(
        got[0].contains("Subject: Confirm your email") && got[0].contains("Hello Asha"),
        "{}",
        got[0]
    );
    assert!(got[1].contains("To: ben@example.com"), "{}", got[1]);
    for id in [a, b] {
        let s = db
            .store
            .email_status(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.sent && s.attempts == 1);
    }
    assert_eq!(
        mailer.deliver_once(&db.store).await.unwrap_or_default(),
        0,
        "sent mail is not sent again"
    );

    // A refusing server: the message stays unsent, with the reason.
    let (port, _rx) = smtp_sink(true).await;
    let refused =
        crate::mailer::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "no-reply@stint.test")
            .unwrap_or_else(|e| panic!("{e:#}"));
    let c = db
        .store
        .enqueue_email("nobody@example.com", "Hi", "Hi")
        .await
        .unwrap_or_default();
    assert_eq!(refused.deliver_once(&db.store).await.unwrap_or_default(), 0);
    let s = db
        .store
        .email_status(c)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.sent && s.attempts == 1 && s.last_error.is_some_and(|e| e.contains("refused")));
    assert_eq!(
        refused.deliver_once(&db.store).await.unwrap_or_default(),
        0,
        "a claimed message waits for its lease"
    );
    assert_eq!(
        db.store
            .email_status(c)
            .await
            .map(|s| s.attempts)
            .unwrap_or_default(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_delivered_sqlite() {
    mail_is_delivered(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_delivered_postgres() {
    mail_is_delivered(Engine::Postgres).await
}

#[test]
fn bad_smtp_settings_are_named() {
    assert!(crate::mailer::Mailer::new("http://x", "a@b.c").is_err());
    assert!(
        crate::mailer::Mailer::new("smtp://127.0.0.1:25", "not an address")
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default()
            .contains("mail_from")
    );
}

async fn concurrent_claims_split(engine: Engine) {
    let Some(db) = TestDb::new(engine).await else {
        return;
    };
    for i in 0..30 {
        db.store
            .enqueue_email(&format!("u{i}@example.com"), "s", "b")
            .await
            .unwrap_or_default();
    }
    // Rounds of four senders at once; a sender that loses a race simply
    // claims nothing this round.
    let mut ids: Vec<i64> = Vec::new();
    for _ in 0..5 {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let store = db.store.clone();
            set.spawn(async move {
                store
                    .claim_email(5, 8, chrono::Duration::minutes(2))
                    .await
                    .unwrap_or_default()
            });
        }
        ids.extend(set.join_all().await.into_iter().flatten().map(|m| m.id));
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no message was claimed twice");
    assert_eq!(n, 30, "every message was claimed once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_split_sqlite() {
    concurrent_claims_split(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claims_split_postgres() {
    concurrent_claims_split(Engine::Postgres).await
}

/// The default settings with `dir` as the data directory.
fn settings_in(dir: &std::path::Path) -> Settings {
    Settings::load(
        None,
        Overrides {
            data_dir: Some(dir.to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:#}"))
}

/// Loads the demo into a fresh database whose files live in `files`.
async fn demo_in(db: &TestDb, files: stint_store::FileStorage) -> AppState {
    let state = AppState::new(
        db.store.clone(),
        WebConfig {
            password_cost: PasswordCost::Fast,
            demo: true,
            payment_provider: stint_web::PaymentProvider::Sandbox,
            files,
            ..WebConfig::default()
        },
    );
    crate::demo::load(&state)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    state
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stint_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `stint copy`: the demo moved from SQLite into PostgreSQL, every table
/// and file, and the copy works as an instance afterwards.
#[tokio::test]
async fn copy_demo_to_postgres() {
    let Some(pg) = TestDb::new(Engine::Postgres).await else {
        return;
    };
    let Some(sqlite) = TestDb::new(Engine::Sqlite).await else {
        return;
    };
    let (files, files_to) = (scratch("copy_files"), scratch("copy_files_to"));
    demo_in(&sqlite, stint_store::FileStorage::local(&files)).await;
    let source = stint_store::FileStorage::local(&files);
    let target = stint_store::FileStorage::local(&files_to);

    let copied = crate::moving::copy_stores(&sqlite.store, &pg.store, &source, Some(&target))
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert!(copied.rows > 1_000, "{} rows", copied.rows);
    assert!(copied.files > 0 && copied.missing_files.is_empty());

    // Every table holds what the source holds.
    let (here, there) = (
        sqlite.store.table_counts().await.unwrap_or_default(),
        pg.store.table_counts().await.unwrap_or_default(),
    );
    assert_eq!(here.len(), there.len(), "{here:?}\n{there:?}");
    assert_eq!(here, there);
    assert!(here.values().filter(|n| **n > 0).count() > 30);

    // The same people, projects and money, read through the store.
    let asha = "asha.rao@dit.example.ac.in";
    let (a, b) = (
        sqlite.store.user_by_email(asha).await.ok().flatten(),
        pg.store.user_by_email(asha).await.ok().flatten(),
    );
    let (Some(a), Some(b)) = (a, b) else {
        panic!("{asha} is in both");
    };
    assert_eq!((a.id, &a.password_hash), (b.id, &b.password_hash));
    // PostgreSQL keeps microseconds; SQLite's text kept nanoseconds.
    let drift = (a.created_at - b.created_at)
        .num_nanoseconds()
        .unwrap_or(i64::MAX);
    assert!(drift.abs() < 1_000, "{drift} ns");
    for id in 1..=6 {
        let (x, y) = (
            sqlite.store.ledger_entries(id).await.unwrap_or_default(),
            pg.store.ledger_entries(id).await.unwrap_or_default(),
        );
        assert_eq!(format!("{x:?}"), format!("{y:?}"), "engagement {id}");
        let (x, y) = (
            sqlite.store.engagement_files(id).await.unwrap_or_default(),
            pg.store.engagement_files(id).await.unwrap_or_default(),
        );
        let names = |v: &[stint_store::SubmissionFile]| {
            v.iter()
                .map(|f| (f.id, f.name.clone(), f.storage_key.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&x), names(&y));
        for f in y {
            assert_eq!(
                source.get(&f.storage_key).await.ok(),
                target.get(&f.storage_key).await.ok(),
                "{} copied",
                f.name
            );
        }
    }
    assert!(
        crate::audit_ledger(&pg.store)
            .await
            .map(|a| a.problems.is_empty() && a.entries > 0)
            .unwrap_or(false)
    );
    let search = |store: stint_store::Store| async move {
        store
            .search_projects(
                &stint_domain::search::SearchParams {
                    q: "market research".into(),
                    ..Default::default()
                }
                .parse()
                .unwrap_or_default(),
            )
            .await
            .map(|p| p.items.iter().map(|c| c.id).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let found = search(pg.store.clone()).await;
    assert!(!found.is_empty(), "PostgreSQL's full-text column is filled");
    assert_eq!(found, search(sqlite.store.clone()).await);

    // Sequences continue after the copied ids.
    let fresh = pg
        .store
        .create_user("new.after.copy@mail.example", "x", "New", Role::Student)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(fresh.id > here.get("users").copied().unwrap_or(0));

    // A target with data is refused, and keeps its data.
    let again = crate::moving::copy_stores(&sqlite.store, &pg.store, &source, None).await;
    let message = again.err().map(|e| format!("{e:#}")).unwrap_or_default();
    assert!(message.contains("not empty"), "{message}");
    assert!(pg.store.user_by_email(asha).await.ok().flatten().is_some());

    // The wrong way round is refused with words.
    let backwards = pg
        .store
        .copy_to_postgres(&sqlite.store, &mut NoProgress)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(backwards.contains("must be a SQLite"), "{backwards}");
    let _ = std::fs::remove_dir_all(&files);
    let _ = std::fs::remove_dir_all(&files_to);
}

struct NoProgress;
impl stint_store::CopyProgress for NoProgress {
    fn table(&mut self, _: &str, _: u64) {}
    fn rows(&mut self, _: u64) {}
}

/// `stint backup` while the database takes writes: a consistent, checked
/// snapshot with its files and keys, which starts as an instance.
#[tokio::test]
async fn backup_while_serving() {
    let Some(db) = TestDb::new(Engine::Sqlite).await else {
        return;
    };
    let data_dir = PathBuf::from(db.url.trim_start_matches("sqlite://"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let settings = settings_in(&data_dir);
    let _ = settings.sealer();
    let _ = settings.issuer_key();
    demo_in(&db, stint_store::FileStorage::local(settings.files_dir())).await;
    let before = db.store.table_counts().await.unwrap_or_default();

    // Sign-ups keep arriving while the backup runs.
    let writer = {
        let store = db.store.clone();
        tokio::spawn(async move {
            let mut made = 0;
            for i in 0..200 {
                let email = format!("during.backup.{i}@mail.example");
                if store
                    .create_user(&email, "x", "During", Role::Student)
                    .await
                    .is_ok()
                {
                    made += 1;
                }
            }
            made
        })
    };
    let dir = scratch("backup");
    let done = crate::moving::backup_store(&db.store, &settings, &dir)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    let made = writer.await.unwrap_or_default();
    assert_eq!(made, 200);
    assert_eq!(done.keys, vec!["secrets.key", "issuer.key"]);
    assert!(done.files > 0);
    for key in ["secrets.key", "issuer.key"] {
        assert_eq!(
            std::fs::read(dir.join(key)).ok(),
            std::fs::read(data_dir.join(key)).ok()
        );
    }

    // Restored: the backup directory opens as a data directory.
    let restored = stint_store::Store::open_sqlite_dir(&dir)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    restored.migrate().await.unwrap_or_else(|e| panic!("{e}"));
    let counts = restored.table_counts().await.unwrap_or_default();
    let users = counts.get("users").copied().unwrap_or(0);
    let base = before.get("users").copied().unwrap_or(0);
    assert!(users >= base && users <= base + 200, "{users} users");
    for (table, n) in &before {
        if table != "users" && table != "student_match_keys" && table != "outcome_histories" {
            assert_eq!(counts.get(table), Some(n), "{table}");
        }
    }
    assert!(
        crate::audit_ledger(&restored)
            .await
            .map(|a| a.problems.is_empty() && a.entries > 0)
            .unwrap_or(false)
    );
    let files = stint_store::FileStorage::local(dir.join("files"));
    for id in 1..=6 {
        for f in restored.engagement_files(id).await.unwrap_or_default() {
            assert!(files.get(&f.storage_key).await.is_ok(), "{}", f.name);
        }
    }
    restored.close().await;

    // Never over an earlier backup.
    let refused = crate::moving::backup_store(&db.store, &settings, &dir)
        .await
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(refused.contains("not empty"), "{refused}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL is backed up with its own tools: the store says so.
#[tokio::test]
async fn backup_of_postgres_points_to_pg_dump() {
    let Some(db) = TestDb::new(Engine::Postgres).await else {
        return;
    };
    let why = db
        .store
        .backup_sqlite(&std::env::temp_dir().join("never.db"))
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(why.contains("pg_dump"), "{why}");
}

/// The bucket of the object storage tests (`e2e/moto.sh`), or `None` to
/// skip when it is not running and not required.
fn s3_storage(prefix: &str) -> Option<stint_store::FileStorage> {
    let endpoint = match std::env::var("STINT_TEST_S3_URL") {
        Ok(url) => url,
        Err(_) if std::env::var("STINT_REQUIRE_S3").is_ok_and(|v| v == "1") => {
            panic!("STINT_REQUIRE_S3=1 but STINT_TEST_S3_URL is not set")
        }
        Err(_) => {
            eprintln!("SKIPPED: set STINT_TEST_S3_URL (e2e/moto.sh prints it)");
            return None;
        }
    };
    let s3 = stint_objects::S3Blobs::new(&stint_objects::S3Config {
        url: format!("s3://stint-test/{prefix}-{}", std::process::id()),
        endpoint: Some(endpoint),
        region: None,
        access_key_id: Some("testing".into()),
        secret_access_key: Some("testing".into()),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    Some(s3.into_storage())
}

/// Delivered files on S3-compatible storage: the demo's uploads land in
/// the bucket and read back, and `stint copy` moves an instance's files
/// from one bucket prefix to another with its database.
#[tokio::test]
async fn demo_and_copy_with_object_storage() {
    let (Some(files), Some(files_to)) = (s3_storage("demo"), s3_storage("moved")) else {
        return;
    };
    let Some(pg) = TestDb::new(Engine::Postgres).await else {
        return;
    };
    let Some(sqlite) = TestDb::new(Engine::Sqlite).await else {
        return;
    };
    demo_in(&sqlite, files.clone()).await;
    let mut keys = Vec::new();
    for id in 1..=6 {
        for f in sqlite.store.engagement_files(id).await.unwrap_or_default() {
            let bytes = files.get(&f.storage_key).await.unwrap_or_default();
            assert_eq!(bytes.len() as i64, f.size_bytes, "{} in the bucket", f.name);
            keys.push(f.storage_key);
        }
    }
    assert!(!keys.is_empty());
    assert!(!files_to.exists(&keys[0]).await.unwrap_or(true));

    let copied = crate::moving::copy_stores(&sqlite.store, &pg.store, &files, Some(&files_to))
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert!(copied.missing_files.is_empty());
    assert!(copied.files >= keys.len());
    for key in &keys {
        assert_eq!(files_to.get(key).await.ok(), files.get(key).await.ok());
    }
}

/// `stint copy` with addresses the wrong way round says so before it
/// opens anything.
#[tokio::test]
async fn copy_refuses_the_wrong_addresses() {
    let dir = scratch("copy_args");
    let settings = settings_in(&dir);
    for (from, to, needle) in [
        (None, "sqlite:elsewhere.db", "--to must name a PostgreSQL"),
        (None, "mysql://x/y", "unsupported database URL scheme"),
        (
            Some("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/y",
            "--from must name a SQLite",
        ),
    ] {
        let why = crate::moving::copy(&settings, from, to, None)
            .await
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(why.contains(needle), "{to}: {why}");
    }
    assert!(!dir.exists(), "nothing was opened or created");
}

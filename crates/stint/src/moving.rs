//! `stint copy` (a whole instance from SQLite to PostgreSQL) and
//! `stint backup` (a consistent SQLite backup, with the files and keys
//! beside it, while Stint serves).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use stint_store::{CopyProgress, Engine, FileStorage, Store};

use crate::config::Settings;

/// A bar per table on a terminal; a line per table otherwise.
struct Bars {
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

impl CopyProgress for Bars {
    fn table(&mut self, name: &str, total: u64) {
        if let Some(b) = self.bar.take() {
            b.finish();
        }
        if !self.terminal {
            eprintln!("copying {name} ({total} rows)");
            return;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:28} [{bar:40}] {pos}/{len} rows")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(name.to_string());
        self.bar = Some(bar);
    }

    fn rows(&mut self, done: u64) {
        if let Some(b) = &self.bar {
            b.set_position(done);
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish();
        }
    }
}

/// What `copy` did, for the caller (and the tests) to check.
pub struct Copied {
    pub rows: u64,
    pub tables: usize,
    pub files: usize,
    pub missing_files: Vec<String>,
}

/// `stint copy --from sqlite:PATH --to postgres://…`.
pub async fn copy(
    settings: &Settings,
    from: Option<&str>,
    to: &str,
    files_to: Option<&str>,
) -> anyhow::Result<Copied> {
    // The addresses first: nothing is opened for a command that cannot run.
    if stint_store::engine_of(to)? != Engine::Postgres {
        anyhow::bail!("--to must name a PostgreSQL database (postgres://USER@HOST/DB)");
    }
    if let Some(url) = from
        && stint_store::engine_of(url)? != Engine::Sqlite
    {
        anyhow::bail!("--from must name a SQLite database (sqlite:PATH)");
    }
    let files = settings.file_storage().await?;
    let target_files = match files_to {
        Some(url) if url.starts_with("s3://") => {
            let s3 = settings.s3(url)?;
            s3.check()
                .await
                .map_err(|e| anyhow::anyhow!("--files-to: {e}"))?;
            Some(s3.into_storage())
        }
        Some(dir) => Some(FileStorage::local(dir)),
        None => None,
    };
    let source = match from {
        Some(url) => Store::connect(url)
            .await
            .with_context(|| format!("cannot open the source database {url}"))?,
        None => match &settings.database_url {
            Some(url) if stint_store::engine_of(url)? != Engine::Sqlite => {
                anyhow::bail!(
                    "the configured database is PostgreSQL; name the SQLite one with --from sqlite:PATH"
                )
            }
            _ => crate::open(settings).await?,
        },
    };
    let target = Store::connect(to)
        .await
        .context("cannot open the target database")?;
    source
        .migrate()
        .await
        .context("migrating the source failed")?;
    target
        .migrate()
        .await
        .context("migrating the target failed")?;
    let done = copy_stores(&source, &target, &files, target_files.as_ref()).await?;
    println!(
        "Copied {} rows in {} tables; the ledger on PostgreSQL is consistent.",
        done.rows, done.tables
    );
    match &target_files {
        Some(to) => println!("Copied {} files to {}.", done.files, to.describe()),
        None => println!(
            "All {} files are in {}; the new instance keeps using them there.",
            done.files,
            files.describe()
        ),
    }
    if !done.missing_files.is_empty() {
        println!(
            "warning: {} files the database refers to were already missing from {}: {}",
            done.missing_files.len(),
            files.describe(),
            done.missing_files.join(", ")
        );
    }
    println!(
        "Next: set database_url to the PostgreSQL database, and keep secrets.key and issuer.key from {} (or the secrets_key and issuer_key settings): without them sealed payout details cannot be read and new credentials are signed with a new key.",
        settings.data_dir.display()
    );
    source.close().await;
    target.close().await;
    Ok(done)
}

/// The copy itself, the files, and the checks afterwards.
pub async fn copy_stores(
    source: &Store,
    target: &Store,
    files: &FileStorage,
    files_to: Option<&FileStorage>,
) -> anyhow::Result<Copied> {
    let mut bars = Bars::new();
    let report = source
        .copy_to_postgres(target, &mut bars)
        .await
        .context("the copy failed; nothing was written to the target")?;
    drop(bars);

    // Counts again, through the ordinary connections, after the commit.
    let (before, after) = (source.table_counts().await?, target.table_counts().await?);
    for t in &report.tables {
        let there = after.get(&t.name).copied().unwrap_or(-1);
        let here = before.get(&t.name).copied().unwrap_or(-1);
        if there < i64::try_from(t.rows).unwrap_or(i64::MAX) || here < 0 {
            anyhow::bail!(
                "{}: {} rows copied, {there} now in the target",
                t.name,
                t.rows
            );
        }
    }
    let problems = crate::audit_ledger(target).await?;
    if !problems.problems.is_empty() {
        anyhow::bail!(
            "the copied ledger does not check: {}",
            problems.problems.join("; ")
        );
    }

    let mut missing = Vec::new();
    for key in &report.file_keys {
        match files_to {
            Some(to) => match files.get(key).await {
                Ok(bytes) => to.put(key, &bytes).await?,
                Err(stint_store::StoreError::NotFound) => missing.push(key.clone()),
                Err(e) => return Err(e.into()),
            },
            None => {
                if !files.exists(key).await? {
                    missing.push(key.clone());
                }
            }
        }
    }
    Ok(Copied {
        rows: report.rows(),
        tables: report.tables.len(),
        files: report.file_keys.len() - missing.len(),
        missing_files: missing,
    })
}

/// What `backup` wrote.
pub struct BackedUp {
    pub files: u64,
    pub keys: Vec<&'static str>,
}

/// `stint backup DIR`: the database (`VACUUM INTO`, one snapshot, checked),
/// the delivered files and the key files, into a new directory that is
/// itself a data directory: `stint --data-dir DIR serve` restores it.
pub async fn backup(settings: &Settings, dir: &Path) -> anyhow::Result<BackedUp> {
    if let Some(url) = &settings.database_url
        && stint_store::engine_of(url)? == Engine::Postgres
    {
        anyhow::bail!(
            "the configured database is PostgreSQL: back it up with pg_dump, and keep the files directory, secrets.key and issuer.key beside it (see the README)"
        );
    }
    let store = crate::open(settings).await?;
    let done = backup_store(&store, settings, dir).await;
    store.close().await;
    let done = done?;
    if let Some(url) = &settings.files_url {
        println!("Delivered files stay in {url}: back that bucket up with its own tools.");
    }
    println!(
        "Backup written to {}: the database, {} files and {}.",
        dir.display(),
        done.files,
        if done.keys.is_empty() {
            "no key files (the keys are in your settings: keep them too)".to_string()
        } else {
            done.keys.join(" and ")
        }
    );
    println!(
        "To restore: stop Stint and start it with --data-dir {} (or copy its contents into the data directory).",
        dir.display()
    );
    Ok(done)
}

pub async fn backup_store(
    store: &Store,
    settings: &Settings,
    dir: &Path,
) -> anyhow::Result<BackedUp> {
    let occupied = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if occupied {
        anyhow::bail!(
            "{} is not empty; back up into a new directory",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    store
        .backup_sqlite(&dir.join("stint.db"))
        .await
        .context("the database backup failed")?;

    // Files are written once under random names and never changed, so
    // copying them after the snapshot keeps every file it refers to. Files
    // in object storage stay there (the bucket's own versioning or
    // replication keeps them).
    let files = if settings.files_url.is_some() {
        0
    } else {
        let (from, to) = (settings.files_dir(), dir.join("files"));
        tokio::task::spawn_blocking(move || copy_tree(&from, &to))
            .await
            .context("copying files stopped")??
    };

    let mut keys = Vec::new();
    for (setting, name) in [
        (settings.secrets_key.is_none(), "secrets.key"),
        (settings.issuer_key.is_none(), "issuer.key"),
    ] {
        let path = settings.data_dir.join(name);
        if setting && path.exists() {
            let secret =
                std::fs::read_to_string(&path).with_context(|| format!("cannot read {name}"))?;
            crate::config::write_secret_file(dir, &dir.join(name), &secret)?;
            keys.push(name);
        }
    }
    Ok(BackedUp { files, keys })
}

/// Copies the files under `from` into `to` (half-written `.part` files
/// left out); returns how many.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let mut copied = 0;
    let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let entries = match std::fs::read_dir(from.join(&rel)) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", from.display())),
        };
        std::fs::create_dir_all(to.join(&rel))
            .with_context(|| format!("cannot create {}", to.join(&rel).display()))?;
        for entry in entries {
            let entry = entry?;
            let name = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(name);
            } else if entry.path().extension().is_none_or(|e| e != "part") {
                std::fs::copy(entry.path(), to.join(&name))
                    .with_context(|| format!("cannot copy {}", entry.path().display()))?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

//! `stint`: one binary that serves the site and API, migrates, loads demo
//! data and runs admin tasks. With no settings it keeps its data in an
//! embedded SQLite file under `./stint-data`.

mod bench_data;
mod config;
mod credentials;
mod demo;
mod demo_credit;
mod demo_data;
mod demo_outcomes;
mod demo_talent;
mod demo_texts;
mod history;
mod mailer;
mod moving;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};
use stint_domain::account::Role;
use stint_store::Store;
use stint_web::{AppState, WebConfig};

use crate::config::{Overrides, Settings};

#[derive(Parser)]
#[command(name = "stint", version, about = "Stint: paid micro-internships")]
struct Cli {
    /// A TOML file of settings (default: ./stint.toml if present).
    #[arg(long, global = true, env = "STINT_CONFIG")]
    config: Option<PathBuf>,
    /// Directory for the embedded SQLite database [default: ./stint-data].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// sqlite:PATH or postgres://USER@HOST/DB (also DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the site and API.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long)]
        addr: Option<String>,
        /// Public address for links in emails [default: http://ADDR].
        #[arg(long)]
        base_url: Option<String>,
        /// Load the demo data first (idempotent) and turn on demo mode.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo data into the configured database (idempotent).
    Demo,
    /// Load benchmark volumes (see bench/README.md) into the configured database.
    BenchData {
        /// Open projects.
        #[arg(long, default_value_t = 100_000)]
        projects: usize,
        /// Closed projects besides the open ones.
        #[arg(long, default_value_t = 900_000)]
        closed: usize,
        #[arg(long, default_value_t = 200_000)]
        students: usize,
        /// Applicants on the first open project.
        #[arg(long, default_value_t = 2_000)]
        applicants: usize,
        #[arg(long, default_value_t = 2_000)]
        orgs: usize,
        /// Students confirmed at a bench university with two years of
        /// history (the outcomes benchmark; 0 for none).
        #[arg(long, default_value_t = 0)]
        university_students: usize,
    },
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        task: AdminTask,
    },
    /// The money ledger.
    Ledger {
        #[command(subcommand)]
        task: LedgerTask,
    },
    /// Copy this instance from SQLite into a new, empty PostgreSQL database:
    /// every table in one transaction, then counts and the ledger checked.
    Copy {
        /// The SQLite database to copy (sqlite:PATH) [default: the
        /// configured one].
        #[arg(long)]
        from: Option<String>,
        /// The PostgreSQL database to fill (postgres://USER@HOST/DB); it is
        /// migrated first and must hold no data.
        #[arg(long)]
        to: String,
        /// Also copy the delivered files to this directory, or to object
        /// storage (s3://BUCKET[/PREFIX], with the s3_* settings) [default:
        /// check they are all where they are, for the new instance to use].
        #[arg(long)]
        files_to: Option<String>,
    },
    /// Back the SQLite database up while Stint serves, with the delivered
    /// files and the key files, into a new directory that is itself a data
    /// directory (restore by starting Stint with --data-dir DIR).
    Backup {
        /// A new or empty directory.
        dir: PathBuf,
    },
    /// Verifiable credentials.
    Credential {
        #[command(subcommand)]
        task: CredentialTask,
    },
    /// A person's data, for requests that arrive by post or email.
    User {
        #[command(subcommand)]
        task: UserTask,
    },
}

#[derive(Subcommand)]
enum UserTask {
    /// Write everything Stint holds about the account with this email to a
    /// .zip (as the person's own "Download your data"); the request is
    /// recorded, answered, on the admins' list of data requests.
    Export {
        email: String,
        /// The file to write [default: stint-data-ID-DATE.zip here]; it
        /// must not exist yet.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Delete the account with this email, as the person's own "Delete my
    /// account" does: refused while anything is left open (it says what).
    /// Cannot be undone; asks to type the email again unless --yes.
    Delete {
        email: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum CredentialTask {
    /// Check a credential file offline: its signature against the keys this
    /// instance has published, and whether it is revoked. Exits non-zero if
    /// it does not verify or is revoked.
    Verify {
        /// The credential (JSON), as downloaded from its page.
        file: std::path::PathBuf,
    },
    /// Sign new credentials with a new key. The old key stays published, so
    /// credentials already issued keep verifying; its secret is deleted.
    RotateKey,
}

#[derive(Subcommand)]
enum LedgerTask {
    /// Replay every engagement's entries against the ledger's rules and
    /// its status; print each discrepancy and exit non-zero if any.
    Check,
}

#[derive(Subcommand)]
enum AdminTask {
    /// Create an administrator account. The password is read from
    /// STINT_ADMIN_PASSWORD.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Stint admin")]
        name: String,
    },
    /// Mark an organization verified, by its slug.
    VerifyOrg { slug: String },
    /// List organizations waiting for verification.
    Pending,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn open(settings: &Settings) -> anyhow::Result<Store> {
    let store = match &settings.database_url {
        Some(url) => Store::connect(url)
            .await
            .with_context(|| "cannot open the database named by database_url")?,
        None => Store::open_sqlite_dir(&settings.data_dir)
            .await
            .with_context(|| {
                format!(
                    "cannot open the SQLite database in {}",
                    settings.data_dir.display()
                )
            })?,
    };
    store.migrate().await.context("migrations failed")?;
    Ok(store)
}

async fn web_config(settings: &Settings, demo: bool) -> anyhow::Result<WebConfig> {
    let base_url = settings.base_url();
    Ok(WebConfig {
        secure_cookies: base_url.starts_with("https://"),
        base_url,
        floors: settings.floors()?,
        demo,
        auth_rate_per_minute: settings.auth_rate_per_minute,
        password_cost: stint_web::PasswordCost::Standard,
        fee_basis_points: settings.fee_basis_points,
        cancellation_share_basis_points: settings.cancellation_share_basis_points,
        max_open_applications: settings.max_open_applications,
        // Demo mode never waits for real money.
        payment_provider: if demo {
            stint_web::PaymentProvider::Sandbox
        } else {
            settings.provider()?
        },
        auto_approve_days: settings.auto_approve_days,
        review_window_days: settings.review_window_days,
        files: settings.file_storage().await?,
        sealer: settings.sealer()?,
        issuer_key: std::sync::Arc::new(settings.issuer_key()?),
        stripe: if demo { None } else { settings.stripe()? },
        webhooks: {
            if settings.webhooks_allow_private {
                tracing::warn!(
                    "webhooks_allow_private is on: webhooks may reach private networks (development and tests only)"
                );
            }
            stint_webhooks::Sender::new(
                settings.webhooks_allow_private,
                std::time::Duration::from_secs(settings.webhooks_timeout_secs),
            )
            .map_err(|e| anyhow::anyhow!("no HTTP client for webhooks: {e}"))?
        },
        sso: {
            if settings.sso_allow_private {
                tracing::warn!(
                    "sso_allow_private is on: sign-in providers may be on private networks (development and tests only)"
                );
            }
            stint_sso::Client::new(
                settings.sso_allow_private,
                std::time::Duration::from_secs(10),
            )
            .map_err(|e| anyhow::anyhow!("no HTTP client for sign-in: {e}"))?
        },
        retention: stint_web::app::privacy::Retention {
            closed_pitches_days: settings.keep_closed_pitches_days,
            finished_messages_days: settings.keep_finished_messages_days,
            sign_ins_days: settings.keep_sign_ins_days,
            delivered_files_days: settings.keep_delivered_files_days,
        },
    })
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STINT_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let (addr, base_url, demo_flag) = match &cli.command {
        Command::Serve {
            addr,
            base_url,
            demo,
        } => (addr.clone(), base_url.clone(), *demo),
        _ => (None, None, false),
    };
    let settings = Settings::load(
        cli.config.as_ref(),
        Overrides {
            data_dir: cli.data_dir.clone(),
            database_url: cli.database_url.clone(),
            addr,
            base_url,
        },
    )?;
    match cli.command {
        Command::Serve { demo, .. } => serve(settings, demo || demo_flag).await,
        Command::Migrate => {
            open(&settings).await?;
            println!("Migrations are up to date.");
            Ok(())
        }
        Command::Demo => {
            let store = open(&settings).await?;
            let state = AppState::new(store, web_config(&settings, true).await?);
            demo::load(&state).await?;
            demo::print_accounts();
            Ok(())
        }
        Command::BenchData {
            projects,
            closed,
            students,
            applicants,
            orgs,
            university_students,
        } => {
            let store = open(&settings).await?;
            bench_data::load(
                &store,
                &settings.sealer()?,
                bench_data::Volumes {
                    open: projects,
                    closed,
                    students,
                    applicants,
                    orgs,
                    university_students,
                },
            )
            .await
        }
        Command::Admin { task } => admin(settings, task).await,
        Command::Ledger {
            task: LedgerTask::Check,
        } => ledger_check(settings).await,
        Command::Credential { task } => credentials::run(settings, task).await,
        Command::User {
            task: UserTask::Export { email, out },
        } => user_export(settings, &email, out).await,
        Command::User {
            task: UserTask::Delete { email, yes },
        } => user_delete(settings, &email, yes).await,
        Command::Copy { from, to, files_to } => {
            moving::copy(&settings, from.as_deref(), &to, files_to.as_deref())
                .await
                .map(|_| ())
        }
        Command::Backup { dir } => moving::backup(&settings, &dir).await.map(|_| ()),
    }
}

/// Seals equity answers stored before they were sealed at rest (an
/// instance upgraded past migration 43), saying how many when there were.
async fn seal_stored_answers(state: &AppState) -> anyhow::Result<()> {
    let sealed = stint_web::app::outcomes::seal_stored_answers(state)
        .await
        .map_err(|e| anyhow::anyhow!("sealing stored equity answers: {e}"))?;
    if sealed > 0 {
        println!(
            "Sealed the equity answers of {sealed} students, stored before they were encrypted at rest."
        );
    }
    Ok(())
}

/// `stint user export EMAIL`.
async fn user_export(settings: Settings, email: &str, out: Option<PathBuf>) -> anyhow::Result<()> {
    let store = open(&settings).await?;
    let state = AppState::new(store, web_config(&settings, false).await?);
    seal_stored_answers(&state).await?;
    let (user, archive) = match stint_web::app::privacy::export_now(&state, email).await {
        Ok(done) => done,
        Err(stint_web::AppError::NotFound) => anyhow::bail!("no account has the email {email}"),
        Err(e) => anyhow::bail!("{e}"),
    };
    let path = out.unwrap_or_else(|| {
        PathBuf::from(format!(
            "stint-data-{}-{}.zip",
            user.id,
            chrono::Utc::now().format("%Y-%m-%d")
        ))
    });
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    std::io::Write::write_all(&mut file, &archive.bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "Wrote the data of {} <{}> to {}: {} records, {} delivered file{}, {} bytes.",
        user.name,
        user.email,
        path.display(),
        archive.records,
        archive.files,
        if archive.files == 1 { "" } else { "s" },
        archive.bytes.len()
    );
    Ok(())
}

/// `stint user delete EMAIL`.
async fn user_delete(settings: Settings, email: &str, yes: bool) -> anyhow::Result<()> {
    let store = open(&settings).await?;
    let state = AppState::new(store, web_config(&settings, false).await?);
    let Some(user) = state.store.user_by_email(email.trim()).await? else {
        anyhow::bail!("no account has the email {email}");
    };
    let waiting = stint_web::app::privacy::blockers(&state, &user)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !waiting.is_empty() {
        for b in &waiting {
            println!("- {}", b.said_of_them);
        }
        anyhow::bail!(
            "the account of {} <{}> cannot be deleted yet: {} thing(s) to finish first",
            user.name,
            user.email,
            waiting.len()
        );
    }
    if !yes {
        println!(
            "This deletes the account of {} <{}> for good. Type the email again to go on:",
            user.name, user.email
        );
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !line.trim().eq_ignore_ascii_case(&user.email) {
            anyhow::bail!("not deleted: the email typed did not match");
        }
    }
    let (user, r) = match stint_web::app::privacy::delete_now(&state, &user.email).await {
        Ok(done) => done,
        Err(e) => anyhow::bail!("{e}"),
    };
    println!(
        "Deleted the account #{} (request #{}): {}",
        user.id, r.id, r.answer
    );
    Ok(())
}

/// `stint ledger check`: every engagement's entries replayed against the
/// rules ([`stint_domain::ledger::audit`]), then every account's balances
/// summed per currency, which must be zero.
async fn ledger_check(settings: Settings) -> anyhow::Result<()> {
    let store = open(&settings).await?;
    let audit = audit_ledger(&store).await?;
    for p in &audit.problems {
        println!("{p}");
    }
    if !audit.problems.is_empty() {
        anyhow::bail!(
            "{} discrepancies in {} engagements ({} entries)",
            audit.problems.len(),
            audit.engagements,
            audit.entries
        );
    }
    println!(
        "Ledger consistent: {} engagements, {} entries, balances sum to zero in {} currencies.",
        audit.engagements, audit.entries, audit.currencies
    );
    Ok(())
}

/// The ledger replayed and summed (`stint ledger check`, and after a copy).
struct LedgerAudit {
    problems: Vec<String>,
    engagements: usize,
    entries: usize,
    currencies: usize,
}

async fn audit_ledger(store: &Store) -> anyhow::Result<LedgerAudit> {
    let rows = store.ledger_audit_rows().await?;
    let mut problems = Vec::new();
    let mut entries = 0usize;
    for (e, list) in &rows {
        entries += list.len();
        for p in stint_domain::ledger::audit(e, list) {
            problems.push(format!("engagement {}: {p}", e.id));
        }
    }
    let mut totals: std::collections::BTreeMap<String, i64> = Default::default();
    for (_, currency, amount) in store.ledger_balances().await? {
        *totals.entry(currency).or_default() += amount;
    }
    for (currency, sum) in totals.iter().filter(|(_, s)| **s != 0) {
        problems.push(format!(
            "ledger: balances in {currency} sum to {sum}, not zero"
        ));
    }
    Ok(LedgerAudit {
        problems,
        engagements: rows.len(),
        entries,
        currencies: totals.len(),
    })
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = open(&settings).await?;
    let engine = store.engine();
    let store = attach_search_index(store, &settings).await?;
    let state = AppState::new(store, web_config(&settings, demo).await?);
    if demo {
        demo::load(&state).await.context("loading demo data")?;
    }
    seal_stored_answers(&state).await?;
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another server running there?)",
                settings.addr
            )
        })?;
    if let Some(url) = &settings.smtp_url {
        let mailer = mailer::Mailer::new(url, &settings.mail_from)?;
        tokio::spawn(mailer.run(state.store.clone(), std::time::Duration::from_secs(5)));
    }
    tokio::spawn(run_jobs(state.clone()));
    tokio::spawn(stint_web::app::webhooks::run_worker(state.clone()));
    let app = stint_web::router(state.clone());
    println!(
        "Stint is running at {} ({engine:?}, ready in {} ms)",
        settings.base_url(),
        started.elapsed().as_millis()
    );
    if demo {
        demo::print_accounts();
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("server error")?;
    // The views counted since the last pass.
    if let Err(e) = stint_web::app::analytics::flush_views(&state).await {
        tracing::warn!(error = %e, "project views since the last pass are lost");
    }
    state.store.close().await;
    Ok(())
}

/// Opens this process's search index and brings it up to date, with a
/// progress bar on a terminal when it has to be built.
async fn attach_search_index(store: Store, settings: &Settings) -> anyhow::Result<Store> {
    use std::io::IsTerminal;
    let dir = settings
        .search_index_dir
        .clone()
        .unwrap_or_else(|| settings.data_dir.join("search-index"));
    let progress: Option<stint_store::Progress> = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "search index [{bar:40}] {pos}/{len} projects ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Box::new(move |done: u64, total: u64| {
            pb.set_length(total);
            pb.set_position(done);
            if done >= total {
                pb.finish_and_clear();
            }
        }) as stint_store::Progress
    });
    let store = store
        .with_search_index(Some(&dir), progress)
        .await
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    if let Some((stint_store::IndexStorage::InMemory(Some(why)), _)) = store.search_index_state() {
        tracing::warn!("search index kept in memory: {why}");
    }
    Ok(store)
}

/// Runs due jobs (decision-by closing, reminders, alerts) and adds the
/// project page views counted in memory every few seconds, and at once
/// when this process schedules work due now (a publish). Every `serve`
/// process runs this; the job queue's claims make each job run once.
async fn run_jobs(state: AppState) {
    loop {
        // A full pass means more may be due: go again without waiting.
        let full = match stint_web::app::jobs::run_due(&state, JOBS_PER_PASS).await {
            Ok(done) => done >= JOBS_PER_PASS as usize,
            Err(e) => {
                tracing::error!(error = %e, "job pass failed");
                false
            }
        };
        if let Err(e) = stint_web::app::analytics::flush_views(&state).await {
            tracing::warn!(error = %e, "project views kept for the next pass");
        }
        if full {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(10)) => {}
            _ = state.jobs_wake.notified() => {}
        }
    }
}

/// Jobs one pass of the runner claims.
const JOBS_PER_PASS: i64 = 50;

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn admin(settings: Settings, task: AdminTask) -> anyhow::Result<()> {
    let store = open(&settings).await?;
    let state = AppState::new(store.clone(), web_config(&settings, false).await?);
    match task {
        AdminTask::CreateAdmin { email, name } => {
            let password = std::env::var("STINT_ADMIN_PASSWORD")
                .context("set STINT_ADMIN_PASSWORD to the new admin's password")?;
            let user = demo::ensure_user(&state, &email, &password, &name, Role::Admin).await?;
            store.mark_email_verified(user.id).await?;
            println!("Admin {} is ready (id {}).", user.email, user.id);
        }
        AdminTask::VerifyOrg { slug } => {
            let org = store
                .org_by_slug(&slug)
                .await
                .with_context(|| format!("no organization with slug '{slug}'"))?;
            if store.verify_org(org.id).await? {
                store
                    .audit(None, "org.verified", "organization", org.id, "cli")
                    .await?;
                println!("{} is now verified.", org.name);
            } else {
                println!("{} was already verified.", org.name);
            }
        }
        AdminTask::Pending => {
            for o in store.unverified_orgs().await? {
                println!("{}\t{}\t{}\t{}", o.slug, o.kind.as_str(), o.country, o.name);
            }
        }
    }
    Ok(())
}

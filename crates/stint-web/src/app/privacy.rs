//! People's rights over their data. This part: **download my data**, one
//! `.zip` with a JSON file per kind of record Stint holds about the person
//! (the store's [`stint_store::SECTIONS`]), the reviews others wrote of
//! them once shown, their JSON Resume, and the files they delivered.
//!
//! A download is a data request (`data_requests`) prepared by a job, so a
//! large account does not hold a web request open: the person is notified
//! when it is ready, and the archive can be downloaded by them, signed in,
//! for [`EXPORT_DAYS`] days; then the job deletes it. The command line
//! (`stint user export EMAIL`) builds the same archive at once.
//!
//! **Delete my account** ([`delete_account`]): once nothing is left to
//! finish ([`blockers`]), the store's `ERASE` statements run in one
//! transaction; the account stays as a pseudonymous tombstone ("Former
//! student") so the ledger, employers' records and the revocation list
//! stay whole, and the delivered files are deleted from storage.

use std::io::Write as _;

use chrono::{Datelike, Duration, Timelike, Utc};
use serde_json::{Map, Value, json};
use stint_domain::account::Role;
use stint_domain::outcomes::Attribute;
use stint_store::{DataRequest, SECTIONS, StoreError, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::error::AppError;

/// The job that prepares a download (subject: the request's id).
pub const DATA_EXPORT: &str = "data_export";

/// How long a prepared download can be fetched.
pub const EXPORT_DAYS: i64 = 7;

/// A download still being prepared after this long has failed (its job
/// gave up); asking again starts a new one.
pub const STUCK_HOURS: i64 = 1;

/// How recent a sign-in must be to delete an account that has no
/// password to type again.
pub const RECENT_SIGN_IN_MINUTES: i64 = 10;

/// A built archive: its bytes and how many records and files it holds.
#[derive(Debug)]
pub struct Archive {
    pub bytes: Vec<u8>,
    pub records: usize,
    pub files: usize,
}

/// "1 file", "3 files".
fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn subject(user: &User) -> String {
    format!("{} <{}>", user.name, user.email)
}

/// Asks for a download of `user`'s data; answers the one already being
/// prepared instead of starting a second.
pub async fn request_export(
    state: &AppState,
    user: &User,
    channel: &str,
) -> Result<DataRequest, AppError> {
    let now = state.clock.now();
    if let Some(r) = state.store.export_in_progress(user.id).await? {
        if r.status != "preparing" || now - r.created_at < Duration::hours(STUCK_HOURS) {
            return Ok(r);
        }
        // Its job gave up: say so, and start again.
        state.store.fail_export(r.id, now).await?;
    }
    let r = state
        .store
        .add_data_request(user.id, &subject(user), "export", channel, "", now)
        .await?;
    state.store.schedule_job(DATA_EXPORT, r.id, now).await?;
    state.jobs_wake.notify_one();
    state
        .store
        .audit(
            Some(user.id),
            "data.export_requested",
            "data_request",
            r.id,
            channel,
        )
        .await?;
    Ok(r)
}

/// Asks an admin to correct something the person cannot change
/// themselves: `detail` says what is wrong and what it should say.
pub async fn request_correction(
    state: &AppState,
    user: &User,
    detail: &str,
) -> Result<DataRequest, AppError> {
    let detail = detail.trim();
    let chars = detail.chars().count();
    if chars < 10 {
        return Err(AppError::invalid(
            "detail",
            "Say what is wrong and what it should say (at least 10 characters).",
        ));
    }
    if chars > 2000 {
        return Err(AppError::invalid(
            "detail",
            format!("Keep it to 2000 characters (this is {chars})."),
        ));
    }
    if stint_domain::text::has_control(detail) {
        return Err(AppError::invalid(
            "detail",
            stint_domain::text::control_message("The request"),
        ));
    }
    let now = state.clock.now();
    let r = state
        .store
        .add_data_request(user.id, &subject(user), "correction", "self", detail, now)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "data.correction_requested",
            "data_request",
            r.id,
            "",
        )
        .await?;
    Ok(r)
}

/// An admin answers an open correction or deletion request: `done` or
/// `refused` (a refusal says why). The person is told.
pub async fn answer(
    state: &AppState,
    admin: &User,
    id: i64,
    status: &str,
    answer: &str,
) -> Result<DataRequest, AppError> {
    crate::auth::authz::require_admin(admin)?;
    let r = match state.store.data_request(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let answer = answer.trim();
    let mut errors = stint_domain::FieldErrors::new();
    if !matches!(status, "done" | "refused") {
        errors.add("status", "Choose done or refused.");
    }
    if status == "refused" && answer.is_empty() {
        errors.add(
            "answer",
            "Say why the request is refused; the person reads it.",
        );
    }
    if answer.chars().count() > 2000 {
        errors.add("answer", "Keep the answer to 2000 characters.");
    } else if stint_domain::text::has_control(answer) {
        errors.add("answer", stint_domain::text::control_message("The answer"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if r.kind == "export" {
        return Err(AppError::conflict(
            "not_answerable",
            "Downloads are prepared by Stint itself; there is nothing to answer.",
        ));
    }
    match state
        .store
        .settle_data_request(id, status, answer, state.clock.now())
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::conflict(
                "already_answered",
                "This request was already answered.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    state
        .store
        .audit(
            Some(admin.id),
            &format!("data.{}_{status}", r.kind),
            "data_request",
            id,
            answer,
        )
        .await?;
    if let Some(user_id) = r.user_id {
        let title = if status == "done" {
            "Your request about your data was carried out"
        } else {
            "Your request about your data was refused"
        };
        let body = if answer.is_empty() {
            format!(
                "Your {} request of {} is done.",
                r.kind,
                crate::view::date(&r.created_at.date_naive())
            )
        } else {
            format!(
                "Your {} request of {}: {answer}",
                r.kind,
                crate::view::date(&r.created_at.date_naive())
            )
        };
        notify::send(state, user_id, Kind::Data, title, &body, "/account/data").await?;
    }
    Ok(state.store.data_request(id).await?)
}

/// The caller's own requests, newest first.
pub async fn requests(state: &AppState, user: &User) -> Result<Vec<DataRequest>, AppError> {
    Ok(state.store.data_requests_of(user.id).await?)
}

/// The job: builds the archive, stores it, and tells the person.
pub async fn prepare(state: &AppState, request_id: i64) -> Result<(), AppError> {
    let r = match state.store.data_request(request_id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let Some(user_id) = r.user_id.filter(|_| r.status == "preparing") else {
        return Ok(());
    };
    let user = state.store.user(user_id).await?;
    let archive = build(state, &user).await?;
    let key = crate::auth::tokens::random_token()?;
    state.config.files.put(&key, &archive.bytes).await?;
    let now = state.clock.now();
    let expires = now + Duration::days(EXPORT_DAYS);
    let size = i64::try_from(archive.bytes.len()).unwrap_or(i64::MAX);
    if let Err(e) = state
        .store
        .export_ready(request_id, &key, size, now, expires)
        .await
    {
        let _ = state.config.files.delete(&key).await;
        return match e {
            StoreError::Conflict(_) => Ok(()),
            e => Err(e.into()),
        };
    }
    state
        .store
        .audit(
            None,
            "data.export_ready",
            "data_request",
            request_id,
            &format!(
                "{}, {}, {size} bytes",
                count(archive.records, "record"),
                count(archive.files, "file")
            ),
        )
        .await?;
    let body = format!(
        "The download of your data that you asked for is ready: {} and {}. It can be downloaded until {} from the page Your data, signed in.",
        count(archive.records, "record"),
        count(archive.files, "file"),
        crate::view::date(&expires.date_naive())
    );
    notify::send(
        state,
        user_id,
        Kind::Data,
        "Your data is ready to download",
        &body,
        "/account/data",
    )
    .await
}

/// A prepared download of the caller's own: (file name, bytes). A
/// request of someone else's is not found; one not ready or expired is a
/// conflict that says which.
pub async fn download(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let r = match state.store.data_request(id).await {
        Ok(r) if r.user_id == Some(user.id) && r.kind == "export" => r,
        Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let expired = r.expires_at.is_some_and(|t| t <= state.clock.now());
    let key = match (&r.archive_key, r.status.as_str()) {
        (Some(key), "ready") if !expired => key.clone(),
        (_, "preparing") => {
            return Err(AppError::Conflict {
                code: "export_not_ready",
                message:
                    "This download is still being prepared; you will be notified when it is ready."
                        .into(),
            });
        }
        _ => {
            return Err(AppError::Conflict {
                code: "export_expired",
                message: format!(
                    "This download is no longer available (downloads are kept {EXPORT_DAYS} days); ask for a new one."
                ),
            });
        }
    };
    let bytes = state.config.files.get(&key).await?;
    state
        .store
        .audit(
            Some(user.id),
            "data.export_downloaded",
            "data_request",
            id,
            "",
        )
        .await?;
    Ok((file_name(user, r.created_at), bytes))
}

fn file_name(user: &User, at: chrono::DateTime<Utc>) -> String {
    format!("stint-data-{}-{}.zip", user.id, at.format("%Y-%m-%d"))
}

/// The job's sweep: downloads past their time are deleted.
pub async fn expire(state: &AppState) -> Result<(), AppError> {
    for key in state.store.expire_exports(state.clock.now()).await? {
        state.config.files.delete(&key).await?;
    }
    Ok(())
}

/// Text columns that hold JSON (links, outcomes, signed credentials) are
/// shown as JSON, not as a string of it.
fn unfold(mut row: Map<String, Value>) -> Map<String, Value> {
    for v in row.values_mut() {
        if let Value::String(s) = v {
            let t = s.trim_start();
            if (t.starts_with('{') || t.starts_with('['))
                && let Ok(parsed) = serde_json::from_str::<Value>(s)
            {
                *v = parsed;
            }
        }
    }
    row
}

/// An `equity.json` record with its sealed answers opened: one member per
/// question (`null`: not answered).
fn open_equity(state: &AppState, user_id: i64, mut row: Map<String, Value>) -> Map<String, Value> {
    let sealed = match row.remove("sealed") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    let answers = match super::outcomes::open_answers(&state.config.sealer, user_id, &sealed) {
        Ok(answers) => answers,
        Err(e) if !sealed.is_empty() => {
            tracing::warn!(user = user_id, error = %e, "equity answers do not open");
            Default::default()
        }
        Err(_) => Default::default(),
    };
    for a in Attribute::ALL {
        row.insert(
            a.as_str().into(),
            answers.get(a).map_or(Value::Null, Value::from),
        );
    }
    row
}

/// A name safe as a path inside the archive.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// Reviews written of the student that the double-blind rule shows them.
async fn reviews_received(
    state: &AppState,
    user: &User,
    engagements: &[Map<String, Value>],
) -> Result<Vec<Value>, AppError> {
    let mut out = Vec::new();
    for e in engagements {
        let Some(id) = e.get("id").and_then(Value::as_i64) else {
            continue;
        };
        let theirs: Vec<_> = state
            .store
            .reviews(id)
            .await?
            .into_iter()
            .filter(|r| r.author_id != user.id)
            .collect();
        for r in super::reviews::shown(state, theirs).await? {
            out.push(json!({
                "engagement_id": r.engagement_id,
                "author": r.author_name,
                "ratings": r.ratings,
                "body": r.body,
                "recommendation": r.recommendation,
                "created_at": r.created_at,
            }));
        }
    }
    Ok(out)
}

fn zip_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("building the data archive: {e}"))
}

/// Builds `user`'s archive: `README.txt`, `index.json`, one JSON file per
/// section with records, `reviews_received.json`, `resume.json`
/// (students) and `files/engagement-N/vV/NAME`.
pub async fn build(state: &AppState, user: &User) -> Result<Archive, AppError> {
    let now = state.clock.now();
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).unwrap_or(1980),
        u8::try_from(now.month()).unwrap_or(1),
        u8::try_from(now.day()).unwrap_or(1),
        u8::try_from(now.hour()).unwrap_or(0),
        u8::try_from(now.minute()).unwrap_or(0),
        u8::try_from(now.second()).unwrap_or(0),
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut index = Vec::new();
    let mut records = 0;
    let mut engagements = Vec::new();
    for section in SECTIONS {
        let rows: Vec<Map<String, Value>> = state
            .store
            .personal_rows(section, user.id)
            .await?
            .into_iter()
            .map(unfold)
            .map(|row| match section.file {
                "equity.json" => open_equity(state, user.id, row),
                _ => row,
            })
            .collect();
        index.push(json!({ "file": section.file, "about": section.about, "records": rows.len() }));
        records += rows.len();
        if section.file == "engagements.json" {
            engagements = rows.clone();
        }
        if !rows.is_empty() {
            let text = serde_json::to_vec_pretty(&rows).map_err(zip_error)?;
            files.push((section.file.to_string(), text));
        }
    }
    let received = reviews_received(state, user, &engagements).await?;
    index.push(json!({
        "file": "reviews_received.json",
        "about": "Reviews employers wrote of you, once shown to you.",
        "records": received.len(),
    }));
    records += received.len();
    if !received.is_empty() {
        let text = serde_json::to_vec_pretty(&received).map_err(zip_error)?;
        files.push(("reviews_received.json".into(), text));
    }
    if user.role == Role::Student {
        let resume = super::exports::resume(state, user).await?;
        let text = serde_json::to_vec_pretty(&resume).map_err(zip_error)?;
        files.push(("resume.json".into(), text));
    }
    let mut delivered = Vec::new();
    for (engagement, version, name, key) in state.store.personal_files(user.id).await? {
        let path = format!(
            "files/engagement-{engagement}/v{version}/{}",
            safe_name(&name)
        );
        match state.config.files.get(&key).await {
            Ok(bytes) => delivered.push((path, bytes)),
            Err(StoreError::NotFound) => {
                tracing::warn!(engagement, %key, "a delivered file is missing from storage");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let file_count = delivered.len();
    let summary = json!({
        "made_at": now,
        "by": state.config.base_url,
        "account": { "id": user.id, "name": user.name, "email": user.email },
        "sections": index,
        "files": file_count,
    });
    let mut readme = format!(
        "Your data on Stint ({})\n\nMade {} for {} <{}>.\n\nEach .json file holds one kind of record, as Stint stores it; index.json lists them all, with how many records each has (files without records are left out).\n\n",
        state.config.base_url,
        now.format("%Y-%m-%d %H:%M UTC"),
        user.name,
        user.email
    );
    for s in summary["sections"].as_array().into_iter().flatten() {
        readme.push_str(&format!(
            "{:<28} {:>5}  {}\n",
            s["file"].as_str().unwrap_or_default(),
            s["records"],
            s["about"].as_str().unwrap_or_default()
        ));
    }
    if user.role == Role::Student {
        readme.push_str(
            "\nresume.json is your profile and verified work as a JSON Resume (jsonresume.org).\n",
        );
    }
    readme.push_str(&format!(
        "\nfiles/ holds the {file_count} file(s) you delivered, by engagement and version.\n"
    ));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), AppError> {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(bytes).map_err(zip_error)
    };
    add("README.txt", readme.as_bytes())?;
    add(
        "index.json",
        &serde_json::to_vec_pretty(&summary).map_err(zip_error)?,
    )?;
    for (name, bytes) in files.iter().chain(delivered.iter()) {
        add(name, bytes)?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok(Archive {
        bytes,
        records,
        files: file_count,
    })
}

/// `stint user export EMAIL`: the archive at once, recorded as a request
/// answered from the command line.
pub async fn export_now(state: &AppState, email: &str) -> Result<(User, Archive), AppError> {
    let Some(user) = state.store.user_by_email(email).await? else {
        return Err(AppError::NotFound);
    };
    let archive = build(state, &user).await?;
    let now = state.clock.now();
    let r = state
        .store
        .add_data_request(user.id, &subject(&user), "export", "cli", "", now)
        .await?;
    state
        .store
        .settle_data_request(
            r.id,
            "done",
            &format!(
                "{} bytes handed over from the command line",
                archive.bytes.len()
            ),
            now,
        )
        .await?;
    state
        .store
        .audit(None, "data.export_ready", "data_request", r.id, "cli")
        .await?;
    Ok((user, archive))
}

/// Something to finish before an account can be deleted, in words, with
/// where to do it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Blocker {
    /// engagement | payout | credit | organization
    pub kind: String,
    pub id: i64,
    pub text: String,
    pub link: Option<String>,
    /// The same, said of them (for admins and the command line).
    #[serde(skip)]
    pub said_of_them: String,
}

/// What stops `user`'s account from being deleted now; empty when it can be.
pub async fn blockers(state: &AppState, user: &User) -> Result<Vec<Blocker>, AppError> {
    Ok(state
        .store
        .deletion_blockers(user.id)
        .await?
        .into_iter()
        .map(|b| {
            let (text, said_of_them, link) = match b.kind.as_str() {
                "engagement" => (
                    format!("Your engagement on \u{201c}{}\u{201d} is still open: finish it or agree with the employer to cancel it.", b.title),
                    format!("Their engagement on \u{201c}{}\u{201d} (#{}) is still open.", b.title, b.id),
                    Some(format!("/engagements/{}", b.id)),
                ),
                "payout" => (
                    format!("Money for \u{201c}{}\u{201d} has not been paid out to you yet.", b.title),
                    format!("Money for \u{201c}{}\u{201d} (engagement #{}) has not been paid out to them yet.", b.title, b.id),
                    Some(format!("/engagements/{}", b.id)),
                ),
                "credit" => (
                    format!("Your credit request for {} is in progress: withdraw it or have it signed off.", b.title),
                    format!("Their credit request for {} (#{}) is in progress.", b.title, b.id),
                    Some(format!("/credit/{}", b.id)),
                ),
                _ => (
                    format!("You are the only owner of {}: make another member an owner first, or close the organization.", b.title),
                    format!("They are the only owner of {}.", b.title),
                    Some("/organization/close".to_string()),
                ),
            };
            Blocker { kind: b.kind, id: b.id, text, link, said_of_them }
        })
        .collect())
}

/// How a deletion was confirmed.
#[derive(Debug, Clone, Copy)]
pub enum Confirmation<'a> {
    /// The person typed their password again.
    Password(&'a str),
    /// A person without a password (they sign in through their
    /// organization): when their session began.
    SignedIn(Option<chrono::DateTime<Utc>>),
    /// An admin, for a request that arrived by post or email.
    Admin(&'a User),
    /// `stint user delete EMAIL`.
    CommandLine,
}

/// Whether a stored hash is a password one can type.
fn has_password(user: &User) -> bool {
    user.password_hash.starts_with('$')
}

/// Deletes `user`'s account (see the module's notes). Refused with
/// `deletion_blocked` while [`blockers`] lists anything. Returns the
/// recorded deletion request.
pub async fn delete_account(
    state: &AppState,
    user: &User,
    how: Confirmation<'_>,
) -> Result<DataRequest, AppError> {
    let now = state.clock.now();
    let channel = match how {
        Confirmation::Password(password) => {
            if !has_password(user) {
                return Err(AppError::invalid(
                    "password",
                    "Your account has no password (you sign in through your organization): delete it from the page Your data within 10 minutes of signing in.",
                ));
            }
            if password.is_empty() || password.len() > 1024 {
                return Err(AppError::invalid(
                    "password",
                    "Enter your password to confirm it is you.",
                ));
            }
            if !state
                .passwords
                .verify(password.to_string(), user.password_hash.clone())
                .await?
            {
                return Err(AppError::invalid("password", "Your password is not right."));
            }
            "self"
        }
        Confirmation::SignedIn(started) => {
            if has_password(user) {
                return Err(AppError::invalid(
                    "password",
                    "Enter your password to confirm it is you.",
                ));
            }
            if started.is_none_or(|t| now - t > Duration::minutes(RECENT_SIGN_IN_MINUTES)) {
                return Err(AppError::invalid(
                    "password",
                    format!(
                        "To confirm it is you, sign out, sign in again and delete your account within {RECENT_SIGN_IN_MINUTES} minutes."
                    ),
                ));
            }
            "self"
        }
        Confirmation::Admin(admin) => {
            crate::auth::authz::require_admin(admin)?;
            if admin.id == user.id {
                return Err(AppError::conflict(
                    "own_account",
                    "Delete your own account from the page Your data.",
                ));
            }
            "admin"
        }
        Confirmation::CommandLine => "cli",
    };
    let of_them = matches!(how, Confirmation::Admin(_) | Confirmation::CommandLine);
    let waiting = blockers(state, user).await?;
    if !waiting.is_empty() {
        return Err(deletion_blocked(&waiting, of_them));
    }
    let pseudonym = if user.role == Role::Student {
        "Former student"
    } else {
        "Former member"
    };
    let erased = match state
        .store
        .erase_person(&stint_store::Erasure {
            user_id: user.id,
            name: &user.name,
            email: &user.email,
            pseudonym,
            now,
        })
        .await
    {
        Ok(e) => e,
        Err(StoreError::Conflict(_)) => {
            return Err(deletion_blocked(&blockers(state, user).await?, of_them));
        }
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    for key in &erased.file_keys {
        match state.config.files.delete(key).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            // The rows are gone; a file left behind is logged by its key
            // (which names nobody) for the operator.
            Err(e) => {
                tracing::warn!(%key, error = %e, "a deleted account's file could not be removed")
            }
        }
    }
    let r = state
        .store
        .add_data_request(user.id, pseudonym, "deletion", channel, "", now)
        .await?;
    state
        .store
        .settle_data_request(
            r.id,
            "done",
            &format!(
                "Deleted: {} removed from storage.",
                count(erased.file_keys.len(), "file")
            ),
            now,
        )
        .await?;
    let actor = match how {
        Confirmation::Admin(admin) => Some(admin.id),
        Confirmation::CommandLine => None,
        _ => Some(user.id),
    };
    state
        .store
        .audit(actor, "user.deleted", "user", user.id, channel)
        .await?;
    state
        .store
        .audit(actor, "data.deletion_done", "data_request", r.id, channel)
        .await?;
    Ok(state.store.data_request(r.id).await?)
}

/// 409 with every blocker said: `code` and what cannot be done yet, then
/// each blocker as the person reads it (or, `of_them`, as an admin does).
fn blocked(code: &'static str, what: &str, waiting: &[Blocker], of_them: bool) -> AppError {
    let list: Vec<&str> = waiting
        .iter()
        .map(|b| {
            if of_them {
                b.said_of_them.as_str()
            } else {
                b.text.as_str()
            }
        })
        .collect();
    AppError::conflict(code, format!("{what} {}", list.join(" ")))
}

fn deletion_blocked(waiting: &[Blocker], of_them: bool) -> AppError {
    blocked(
        "deletion_blocked",
        "This account cannot be deleted yet.",
        waiting,
        of_them,
    )
}

/// `stint user delete EMAIL`.
pub async fn delete_now(state: &AppState, email: &str) -> Result<(User, DataRequest), AppError> {
    let Some(user) = state.store.user_by_email(email).await? else {
        return Err(AppError::NotFound);
    };
    let r = delete_account(state, &user, Confirmation::CommandLine).await?;
    Ok((user, r))
}

/// How long things are kept after they stop being needed, in days (the
/// `keep_*_days` settings); applied by [`retention_pass`] and stated on
/// `/privacy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The pitch, answer and links of applications turned down, withdrawn
    /// or closed.
    pub closed_pitches_days: u32,
    /// Messages of engagements that ended (paid or cancelled).
    pub finished_messages_days: u32,
    /// Expired sessions, revoked API tokens, expired email links.
    pub sign_ins_days: u32,
    /// Files delivered in engagements that ended.
    pub delivered_files_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            closed_pitches_days: 365,
            finished_messages_days: 730,
            sign_ins_days: 90,
            delivered_files_days: 730,
        }
    }
}

/// How often a process applies the retention settings.
pub const RETENTION_EVERY_MINUTES: i64 = 60;

/// Applies the retention settings if this process has not in the last
/// [`RETENTION_EVERY_MINUTES`] (from the job runner's pass).
pub async fn retention_pass(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    {
        let mut last = state
            .retention_ran
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|t| now - t < Duration::minutes(RETENTION_EVERY_MINUTES)) {
            return Ok(());
        }
        *last = Some(now);
    }
    apply_retention(state).await.map(|_| ())
}

/// Erases what the retention settings say is past its time, deletes the
/// files, and records the counts in the audit log when anything went.
pub async fn apply_retention(state: &AppState) -> Result<stint_store::RetentionDone, AppError> {
    let now = state.clock.now();
    let r = state.config.retention;
    let before = |days: u32| now - Duration::days(i64::from(days));
    let done = state
        .store
        .apply_retention(&stint_store::RetentionCutoffs {
            closed_pitches_before: before(r.closed_pitches_days),
            finished_messages_before: before(r.finished_messages_days),
            sign_ins_before: before(r.sign_ins_days),
            delivered_files_before: before(r.delivered_files_days),
        })
        .await?;
    for key in &done.file_keys {
        match state.config.files.delete(key).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => {
                tracing::warn!(%key, error = %e, "a file past its retention could not be removed")
            }
        }
    }
    if done.pitches + done.messages + done.sign_ins > 0 || !done.file_keys.is_empty() {
        let detail = format!(
            "pitches erased: {}, messages erased: {}, sign-in records deleted: {}, delivered files deleted: {}",
            done.pitches,
            done.messages,
            done.sign_ins,
            done.file_keys.len()
        );
        tracing::info!(%detail, "retention applied");
        state
            .store
            .audit(None, "data.retention_applied", "instance", 0, &detail)
            .await?;
    }
    Ok(done)
}

/// The caller's organization, which they must own, and what must be
/// finished before it can be closed (open engagements, money not yet paid
/// out, credit in progress).
pub async fn closing(
    state: &AppState,
    user: &User,
) -> Result<(stint_store::Organization, Vec<Blocker>), AppError> {
    let m = state
        .store
        .membership(user.id)
        .await?
        .ok_or(AppError::Forbidden(
            "Only an organization's owners can close it, and you belong to none.",
        ))?;
    crate::auth::authz::require_owner(&m)?;
    let blockers = state
        .store
        .closure_blockers(m.org.id)
        .await?
        .into_iter()
        .map(|b| {
            let (text, link) = match b.kind.as_str() {
                "engagement" => (
                    format!("The engagement on \u{201c}{}\u{201d} is still open: approve it or agree with the student to cancel it.", b.title),
                    Some(format!("/engagements/{}", b.id)),
                ),
                "payout" => (
                    format!("The student has not yet been paid for \u{201c}{}\u{201d}.", b.title),
                    Some(format!("/engagements/{}", b.id)),
                ),
                _ => (
                    format!("The credit request for {} is in progress.", b.title),
                    Some(format!("/credit/{}", b.id)),
                ),
            };
            Blocker {
                said_of_them: text.clone(),
                kind: b.kind,
                id: b.id,
                text,
                link,
            }
        })
        .collect();
    Ok((m.org, blockers))
}

/// An owner closes their organization, confirming by typing its name:
/// open projects are cancelled (their applicants told), applications and
/// invitations still open are closed, the talent list, notes, webhooks,
/// sign-in, provisioning and learning-platform settings are deleted, and
/// every member leaves (and is told). The name stays on the records that
/// show it. Refused with `closure_blocked` while [`closing`] lists
/// anything.
pub async fn close_organization(
    state: &AppState,
    user: &User,
    typed_name: &str,
) -> Result<stint_store::Organization, AppError> {
    let (org, waiting) = closing(state, user).await?;
    if typed_name.trim() != org.name {
        return Err(AppError::invalid(
            "name",
            format!(
                "Type the organization's name, {}, exactly, to confirm.",
                org.name
            ),
        ));
    }
    if !waiting.is_empty() {
        return Err(closure_blocked(&waiting));
    }
    for p in state.store.org_projects(org.id).await? {
        if matches!(
            p.status,
            stint_domain::project::ProjectStatus::Draft
                | stint_domain::project::ProjectStatus::Open
        ) {
            super::projects::change_status(
                state,
                user,
                p.id,
                stint_domain::project::ProjectAction::Cancel,
            )
            .await?;
        }
    }
    let now = state.clock.now();
    let members = match state.store.close_org(org.id, now).await {
        Ok(m) => m,
        Err(StoreError::Conflict("blocked")) => {
            return Err(closure_blocked(&closing(state, user).await?.1));
        }
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::conflict(
                "already_closed",
                "This organization is already closed.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(
            Some(user.id),
            "org.closed",
            "organization",
            org.id,
            &org.name,
        )
        .await?;
    let body = format!(
        "{} closed {} on Stint. Your membership ended with it; your own account stays, and you can join or start another organization.",
        user.name, org.name
    );
    for member in members.into_iter().filter(|m| *m != user.id) {
        notify::send(
            state,
            member,
            Kind::Data,
            &format!("{} is closed", org.name),
            &body,
            "/account",
        )
        .await?;
    }
    Ok(state.store.org(org.id).await?)
}

fn closure_blocked(waiting: &[Blocker]) -> AppError {
    blocked(
        "closure_blocked",
        "This organization cannot be closed yet.",
        waiting,
        false,
    )
}

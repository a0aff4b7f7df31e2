//! Records of money: employers' numbered receipts and statements for a
//! period, students' earnings and payouts, and payout speed (admins see
//! each payout; an employer's record shows the median).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_store::{PayoutTime, Receipt, StatementLine, User};

use crate::AppState;
use crate::auth::authz::{require_employer_member, require_role};
use crate::csv::{Cell, Csv, amount};
use crate::error::AppError;

/// A receipt, for the members of its organization and admins.
pub async fn receipt(state: &AppState, user: &User, id: i64) -> Result<Receipt, AppError> {
    let r = state.store.receipt(id).await?;
    if user.role == Role::Admin {
        return Ok(r);
    }
    match state.store.membership(user.id).await? {
        Some(m) if m.org.id == r.org_id => Ok(r),
        // Another organization's receipt does not exist for this caller.
        _ => Err(AppError::NotFound),
    }
}

/// The caller's organization's receipts, newest first (up to 500).
pub async fn receipts(state: &AppState, user: &User) -> Result<Vec<Receipt>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.org_receipts(m.org.id, 500).await?)
}

/// The organization's tax id (VAT, GSTIN, EIN…), shown on receipts.
pub async fn tax_id(state: &AppState, user: &User) -> Result<Option<String>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.org_tax_id(m.org.id).await?)
}

/// Sets or (empty) clears the tax id; owners only.
pub async fn set_tax_id(
    state: &AppState,
    user: &User,
    raw: &str,
) -> Result<Option<String>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    crate::auth::authz::require_owner(&m)?;
    let t = stint_domain::organization::parse_tax_id(raw)?;
    state.store.set_org_tax_id(m.org.id, t.as_deref()).await?;
    state
        .store
        .audit(
            Some(user.id),
            "organization.tax_id",
            "organization",
            m.org.id,
            t.as_deref().unwrap_or("cleared"),
        )
        .await?;
    Ok(t)
}

/// A statement period: `from` and `to` inclusive, as typed (YYYY-MM-DD);
/// empty means this month so far.
pub fn parse_period(
    from: &str,
    to: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
    let mut e = FieldErrors::new();
    let date = |field: &'static str, raw: &str, default: NaiveDate, e: &mut FieldErrors| {
        let raw = raw.trim();
        if raw.is_empty() {
            return Some(default);
        }
        let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        if d.is_none() {
            e.add(field, "Use a date like 2026-11-01.");
        }
        d
    };
    let first = today.with_day(1).unwrap_or(today);
    let f = date("from", from, first, &mut e);
    let t = date("to", to, today, &mut e);
    if let (Some(f), Some(t)) = (f, t) {
        if t < f {
            e.add("to", "The end must be on or after the start.");
        } else if (t - f).num_days() > 366 {
            e.add("to", "A statement covers at most a year; ask for two.");
        } else {
            return Ok((f, t));
        }
    }
    Err(e)
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The organization's ledger entries in the period, as CSV.
pub async fn org_statement(
    state: &AppState,
    user: &User,
    from: &str,
    to: &str,
) -> Result<(String, NaiveDate, NaiveDate), AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let (f, t) = parse_period(from, to, state.clock.today())?;
    let lines = state
        .store
        .org_statement(m.org.id, day_start(f), day_start(t + Duration::days(1)))
        .await?;
    let mut csv = Csv::new(&[
        "date",
        "receipt",
        "engagement",
        "project",
        "student",
        "entry",
        "amount",
        "currency",
        "reference",
    ]);
    for l in &lines {
        let what = match l.kind.as_str() {
            "fund" => "Price secured in escrow (charged)",
            "fee" => "Stint fee (charged)",
            "deposit" => "Your payment received by Stint",
            "release" => "Released to the student",
            "refund" => "Refunded to you",
            "returned" => "Refund sent back to you",
            "payout" => "Paid out to the student",
            other => other,
        };
        row(&mut csv, l, what, true);
    }
    Ok((csv.finish(), f, t))
}

fn row(csv: &mut Csv, l: &StatementLine, what: &str, with_receipt: bool) {
    let date = l.created_at.format("%Y-%m-%d").to_string();
    let receipt = l.receipt_id.map(|r| r.to_string()).unwrap_or_default();
    let engagement = l.engagement_id.to_string();
    let mut cells = vec![Cell::Text(&date)];
    if with_receipt {
        cells.push(Cell::Number(receipt));
    }
    cells.extend([
        Cell::Number(engagement),
        Cell::Text(&l.project_title),
        Cell::Text(if with_receipt {
            &l.student_name
        } else {
            &l.org_name
        }),
        Cell::Text(what),
        amount(l.amount_minor),
        Cell::Text(&l.currency),
        Cell::Text(l.reference.as_deref().unwrap_or("")),
    ]);
    csv.row(&cells);
}

/// The student's money, entry by entry, as CSV.
pub async fn student_statement(state: &AppState, user: &User) -> Result<String, AppError> {
    require_role(user, Role::Student)?;
    let lines = state.store.student_statement(user.id).await?;
    let mut csv = Csv::new(&[
        "date",
        "engagement",
        "project",
        "employer",
        "entry",
        "amount",
        "currency",
        "reference",
    ]);
    for l in &lines {
        let what = match l.kind.as_str() {
            "fund" => "Secured in escrow for you",
            "release" => "Released to you",
            "payout" => "Paid out to you",
            "refund" => "Returned to the employer",
            // The employer's fee and payment are theirs, not the student's.
            _ => continue,
        };
        row(&mut csv, l, what, false);
    }
    Ok(csv.finish())
}

/// Recent payouts with the time each took after approval (admins).
pub async fn payout_times(state: &AppState, admin: &User) -> Result<Vec<PayoutTime>, AppError> {
    crate::auth::authz::require_admin(admin)?;
    Ok(state.store.payout_times(None, 50).await?)
}

/// The median time from approval to payout over an organization's last
/// 200 payouts; `None` before its first.
pub async fn median_payout_time(
    state: &AppState,
    org_id: i64,
) -> Result<Option<Duration>, AppError> {
    let mut times: Vec<Duration> = state
        .store
        .payout_times(Some(org_id), 200)
        .await?
        .into_iter()
        .map(|t| t.paid_at - t.released_at)
        .collect();
    times.sort();
    Ok(times.get(times.len() / 2).copied())
}

/// "at once", "5 hours", "3 days".
pub fn duration_words(d: Duration) -> String {
    let h = d.num_hours();
    match h {
        0 => "within the hour".into(),
        1 => "1 hour".into(),
        2..=47 => format!("{h} hours"),
        _ => format!("{} days", d.num_days()),
    }
}

//! Money records over the API: receipts, the organization's tax id,
//! statements as CSV, and payout speed (admins).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use stint_domain::money::{Currency, Money};
use stint_store::Receipt;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::MoneyView;
use super::{ApiError, ApiId, ApiJson, ApiQuery};
use crate::AppState;
use crate::app::records;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_receipts))
        .routes(routes!(receipt))
        .routes(routes!(set_tax_id))
        .routes(routes!(statement))
        .routes(routes!(earnings_statement))
        .routes(routes!(payout_times))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    /// The receipt number.
    number: i64,
    engagement_id: i64,
    issued_at: chrono::DateTime<chrono::Utc>,
    organization: String,
    /// The organization's tax id, when it gave one.
    tax_id: Option<String>,
    project_title: String,
    student_name: String,
    price: MoneyView,
    fee: MoneyView,
    total: MoneyView,
    /// What went back to the employer after a cancellation or a dispute.
    refunded: MoneyView,
    /// manual | sandbox | stripe
    provider: String,
    /// When the employer's payment arrived (manual provider), if it has.
    paid_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Where a person reads and prints it.
    url: String,
}

impl From<Receipt> for ReceiptView {
    fn from(r: Receipt) -> Self {
        let c: Currency = r.currency.parse().unwrap_or(Currency::Usd);
        ReceiptView {
            number: r.id,
            engagement_id: r.engagement_id,
            issued_at: r.issued_at,
            organization: r.org_name,
            tax_id: r.org_tax_id,
            project_title: r.project_title,
            student_name: r.student_name,
            price: Money::new(r.price_minor, c).into(),
            fee: Money::new(r.fee_minor, c).into(),
            total: Money::new(r.price_minor + r.fee_minor, c).into(),
            refunded: Money::new(r.refunded_minor, c).into(),
            provider: r.provider,
            paid_at: r.paid_at,
            url: format!("/receipts/{}", r.id),
        }
    }
}

/// The caller's organization's receipts, newest first (employer members).
#[utoipa::path(get, path = "/me/receipts", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReceiptView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem, description = "no_organization")))]
async fn my_receipts(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ReceiptView>>, ApiError> {
    Ok(Json(
        records::receipts(&state, &caller.user)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// One receipt (members of its organization, and admins).
#[utoipa::path(get, path = "/receipts/{id}", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ReceiptView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn receipt(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ReceiptView>, ApiError> {
    Ok(Json(
        records::receipt(&state, &caller.user, id).await?.into(),
    ))
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TaxIdBody {
    /// GSTIN, VAT number, EIN…: 3–40 letters, digits, spaces, dots, dashes
    /// or slashes; empty clears it.
    #[schema(required = true)]
    tax_id: String,
}

/// Sets the tax id shown on the organization's receipts (owners).
#[utoipa::path(put, path = "/me/organization/tax-id", tag = "payments", security(("bearer" = [])), request_body = TaxIdBody,
    responses((status = 200, body = TaxIdBody), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn set_tax_id(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(b): ApiJson<TaxIdBody>,
) -> Result<Json<TaxIdBody>, ApiError> {
    let t = records::set_tax_id(&state, &caller.user, &b.tax_id).await?;
    Ok(Json(TaxIdBody {
        tax_id: t.unwrap_or_default(),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD); default the first of this month.
    from: String,
    /// Last day, inclusive (YYYY-MM-DD); default today. At most a year.
    to: String,
}

/// The organization's money for a period, entry by entry, as CSV
/// (employer members): date, receipt, engagement, project, student, entry,
/// amount, currency, reference.
#[utoipa::path(get, path = "/me/statement", tag = "payments", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = super::Problem),
              (status = 403, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn statement(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (csv, f, t) = records::org_statement(&state, &caller.user, &q.from, &q.to).await?;
    Ok(crate::pages::csv_download(
        csv,
        &format!("stint-statement-{f}-to-{t}.csv"),
    ))
}

/// The student's earnings and payouts, entry by entry, as CSV (students):
/// date, engagement, project, employer, entry, amount, currency, reference.
#[utoipa::path(get, path = "/me/earnings/statement", tag = "payments", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = super::Problem),
              (status = 403, body = super::Problem)))]
async fn earnings_statement(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Response, ApiError> {
    let csv = records::student_statement(&state, &caller.user).await?;
    Ok(crate::pages::csv_download(csv, "stint-earnings.csv"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutTimeView {
    engagement_id: i64,
    project_title: String,
    student_name: String,
    approved_at: chrono::DateTime<chrono::Utc>,
    paid_at: chrono::DateTime<chrono::Utc>,
    /// Whole hours from approval to payout.
    hours: i64,
}

/// The last 50 payouts and how long each took after approval (admins).
#[utoipa::path(get, path = "/admin/payout-times", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = Vec<PayoutTimeView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn payout_times(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<PayoutTimeView>>, ApiError> {
    Ok(Json(
        records::payout_times(&state, &caller.user)
            .await?
            .into_iter()
            .map(|t| PayoutTimeView {
                hours: (t.paid_at - t.released_at).num_hours(),
                engagement_id: t.engagement_id,
                project_title: t.project_title,
                student_name: t.student_name,
                approved_at: t.released_at,
                paid_at: t.paid_at,
            })
            .collect(),
    ))
}

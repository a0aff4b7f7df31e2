//! Offers beyond Stint: an employer records a job offer (an internship, a
//! part-time or a full-time role) to a student it worked with, and the
//! student answers it. What the offer says, how it is checked, and the
//! moves between its states.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::money::{Currency, Money};
use crate::text::bounded;
use crate::{FieldError, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    Internship,
    PartTime,
    FullTime,
}

impl OfferKind {
    pub const ALL: [OfferKind; 3] = [
        OfferKind::FullTime,
        OfferKind::PartTime,
        OfferKind::Internship,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Internship => "internship",
            OfferKind::PartTime => "part_time",
            OfferKind::FullTime => "full_time",
        }
    }

    pub fn parse(raw: &str) -> Option<OfferKind> {
        OfferKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferKind::Internship => "Internship",
            OfferKind::PartTime => "Part-time role",
            OfferKind::FullTime => "Full-time role",
        }
    }
}

/// What a pay band is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayPeriod {
    Hour,
    Month,
    Year,
}

impl PayPeriod {
    pub const ALL: [PayPeriod; 3] = [PayPeriod::Year, PayPeriod::Month, PayPeriod::Hour];

    pub fn as_str(self) -> &'static str {
        match self {
            PayPeriod::Hour => "hour",
            PayPeriod::Month => "month",
            PayPeriod::Year => "year",
        }
    }

    pub fn parse(raw: &str) -> Option<PayPeriod> {
        PayPeriod::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            PayPeriod::Hour => "an hour",
            PayPeriod::Month => "a month",
            PayPeriod::Year => "a year",
        }
    }
}

/// Where an offer stands. `Accepted` and `AcceptedElsewhere` (the student
/// accepted outside Stint, with the employer's own papers) both count as
/// accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    Open,
    Accepted,
    AcceptedElsewhere,
    Declined,
    Withdrawn,
}

impl OfferStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Open => "open",
            OfferStatus::Accepted => "accepted",
            OfferStatus::AcceptedElsewhere => "accepted_elsewhere",
            OfferStatus::Declined => "declined",
            OfferStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<OfferStatus> {
        [
            OfferStatus::Open,
            OfferStatus::Accepted,
            OfferStatus::AcceptedElsewhere,
            OfferStatus::Declined,
            OfferStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferStatus::Open => "Waiting for an answer",
            OfferStatus::Accepted => "Accepted",
            OfferStatus::AcceptedElsewhere => "Accepted outside Stint",
            OfferStatus::Declined => "Declined",
            OfferStatus::Withdrawn => "Withdrawn",
        }
    }

    pub fn accepted(self) -> bool {
        matches!(self, OfferStatus::Accepted | OfferStatus::AcceptedElsewhere)
    }
}

/// What someone does to an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferAction {
    /// The student accepts in Stint.
    Accept,
    /// The student says they accepted outside Stint.
    AcceptElsewhere,
    /// The student declines.
    Decline,
    /// The employer takes back an offer not yet answered.
    Withdraw,
}

impl OfferAction {
    pub fn parse(raw: &str) -> Option<OfferAction> {
        match raw.trim() {
            "accept" => Some(OfferAction::Accept),
            "accept_elsewhere" => Some(OfferAction::AcceptElsewhere),
            "decline" => Some(OfferAction::Decline),
            "withdraw" => Some(OfferAction::Withdraw),
            _ => None,
        }
    }

    /// Whether the student (true) or the employer (false) takes it.
    pub fn by_student(self) -> bool {
        self != OfferAction::Withdraw
    }

    /// The state it leads to from an open offer; answered offers stay as
    /// they are.
    pub fn next(self, from: OfferStatus) -> Option<OfferStatus> {
        if from != OfferStatus::Open {
            return None;
        }
        Some(match self {
            OfferAction::Accept => OfferStatus::Accepted,
            OfferAction::AcceptElsewhere => OfferStatus::AcceptedElsewhere,
            OfferAction::Decline => OfferStatus::Declined,
            OfferAction::Withdraw => OfferStatus::Withdrawn,
        })
    }
}

/// An optional pay band: from `min` to `max` (the same when one figure is
/// given), per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayBand {
    pub min: Money,
    pub max: Money,
    pub period: PayPeriod,
}

impl PayBand {
    /// "₹40,000–₹55,000 a month".
    pub fn text(&self) -> String {
        if self.min == self.max {
            format!("{} {}", self.min, self.period.label())
        } else {
            format!("{}–{} {}", self.min, self.max, self.period.label())
        }
    }
}

/// A checked offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferInput {
    pub kind: OfferKind,
    pub title: String,
    pub start_date: NaiveDate,
    pub pay: Option<PayBand>,
    /// A note to the student (may be empty).
    pub message: String,
}

/// An offer as a form or a request carries it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct OfferForm {
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD.
    pub start_date: String,
    /// Leave both empty for no pay band.
    pub pay_min: String,
    pub pay_max: String,
    pub currency: String,
    pub pay_period: String,
    pub message: String,
}

pub const MAX_OFFER_MESSAGE_CHARS: usize = 1000;

impl OfferForm {
    /// Checks the offer; `today` bounds the start date (a year back, for
    /// offers recorded late, to three years ahead).
    pub fn parse(&self, today: NaiveDate) -> Result<OfferInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.take(OfferKind::parse(&self.kind).ok_or_else(|| {
            FieldError::new(
                "kind",
                "Choose the kind of offer: internship, part-time or full-time.",
            )
        }));
        let title = errors.take(bounded("title", "The role's title", &self.title, 2, 120));
        let start_date = errors.take(start_date(&self.start_date, today));
        let pay = errors.take(self.pay()).flatten();
        let message = errors.take(bounded(
            "message",
            "The message",
            &self.message,
            0,
            MAX_OFFER_MESSAGE_CHARS,
        ));
        errors.into_result()?;
        match (kind, title, start_date, message) {
            (Some(kind), Some(title), Some(start_date), Some(message)) => Ok(OfferInput {
                kind,
                title,
                start_date,
                pay,
                message,
            }),
            _ => Err(FieldErrors(vec![FieldError::new(
                "kind",
                "The offer is incomplete.",
            )])),
        }
    }

    fn pay(&self) -> Result<Option<PayBand>, FieldError> {
        let (lo, hi) = (self.pay_min.trim(), self.pay_max.trim());
        if lo.is_empty() && hi.is_empty() {
            return Ok(None);
        }
        let currency = Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(self.currency.trim()))
            .ok_or_else(|| FieldError::new("currency", "Choose the pay's currency."))?;
        let period = PayPeriod::parse(&self.pay_period).ok_or_else(|| {
            FieldError::new(
                "pay_period",
                "Say whether the pay is an hour, a month or a year.",
            )
        })?;
        let amount = |field: &'static str, raw: &str| {
            Money::parse(field, raw, currency).map_err(|e| {
                FieldError::new(
                    field,
                    e.message
                        .replace("a price", "an amount")
                        .replace("The price", "The pay"),
                )
            })
        };
        let min = amount("pay_min", if lo.is_empty() { hi } else { lo })?;
        let max = amount("pay_max", if hi.is_empty() { lo } else { hi })?;
        if max.minor < min.minor {
            return Err(FieldError::new(
                "pay_max",
                "The top of the band is below its bottom.",
            ));
        }
        Ok(Some(PayBand { min, max, period }))
    }
}

fn start_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new("start_date", "Give the start date as a date (YYYY-MM-DD).")
    })?;
    if d < today - Duration::days(365) {
        return Err(FieldError::new(
            "start_date",
            "The start date is more than a year ago.",
        ));
    }
    if d > today + Duration::days(3 * 365) {
        return Err(FieldError::new(
            "start_date",
            "The start date is more than three years ahead.",
        ));
    }
    Ok(d)
}

/// Students with offers an employer's public record needs before it shows
/// the figure, so it never points at one or two people.
pub const MIN_PUBLIC_OFFERS: i64 = 3;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn offers_parse_with_or_without_pay() {
        let f = OfferForm {
            kind: "full_time".into(),
            title: " Data analyst ".into(),
            start_date: "2027-07-01".into(),
            pay_min: "40,000".into(),
            pay_max: "55000".into(),
            currency: "inr".into(),
            pay_period: "month".into(),
            ..OfferForm::default()
        };
        let o = f.parse(today()).unwrap();
        assert_eq!(o.title, "Data analyst");
        let pay = o.pay.unwrap();
        assert_eq!((pay.min.minor, pay.max.minor), (4_000_000, 5_500_000));
        assert_eq!(pay.text(), "₹40,000–₹55,000 a month");
        let none = OfferForm {
            pay_min: String::new(),
            pay_max: String::new(),
            ..f.clone()
        }
        .parse(today())
        .unwrap();
        assert!(none.pay.is_none());
        let one = OfferForm {
            pay_max: String::new(),
            ..f.clone()
        }
        .parse(today())
        .unwrap();
        assert_eq!(one.pay.map(|p| p.max.minor), Some(4_000_000));
    }

    #[test]
    fn bad_offers_name_each_field() {
        let bad = OfferForm {
            kind: "gig".into(),
            title: "x".into(),
            start_date: "2031-01-01".into(),
            pay_min: "900".into(),
            pay_max: "100".into(),
            currency: "USD".into(),
            pay_period: "hour".into(),
            message: "m".repeat(1001),
        }
        .parse(today())
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["kind", "title", "start_date", "pay_max", "message"]
        );
        let no_currency = OfferForm {
            kind: "internship".into(),
            title: "Intern".into(),
            start_date: "2027-01-04".into(),
            pay_min: "10".into(),
            ..OfferForm::default()
        }
        .parse(today())
        .unwrap_err();
        assert_eq!(no_currency.0[0].field, "currency");
    }

    #[test]
    fn only_open_offers_move() {
        assert_eq!(
            OfferAction::Accept.next(OfferStatus::Open),
            Some(OfferStatus::Accepted)
        );
        assert_eq!(OfferAction::Decline.next(OfferStatus::Accepted), None);
        assert_eq!(OfferAction::Withdraw.next(OfferStatus::Declined), None);
        assert!(OfferStatus::AcceptedElsewhere.accepted());
        assert!(!OfferAction::Withdraw.by_student());
    }
}

//! The money rules of the ledger. Every movement is one entry from one
//! account to another, so the ledger balances by construction; the store
//! makes each entry unique by its idempotency key.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The employer's money into escrow for one engagement.
    Fund,
    /// Stint's fee, charged to the employer on top of the price.
    Fee,
    /// Escrow to the student, on approval.
    Release,
    /// The student's balance paid out to them.
    Payout,
    /// Escrow back to the employer, on cancellation.
    Refund,
    /// The employer's money arriving at Stint (manual provider).
    Deposit,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Fund => "fund",
            EntryKind::Fee => "fee",
            EntryKind::Release => "release",
            EntryKind::Payout => "payout",
            EntryKind::Refund => "refund",
            EntryKind::Deposit => "deposit",
        }
    }
}

/// Account names: who holds money at a moment.
pub fn employer_account(org_id: i64) -> String {
    format!("employer:{org_id}")
}
pub fn escrow_account(engagement_id: i64) -> String {
    format!("escrow:{engagement_id}")
}
pub fn student_account(user_id: i64) -> String {
    format!("student:{user_id}")
}
pub const PLATFORM_FEES: &str = "platform:fees";

/// The bank or transfer reference an admin records with money moved by hand.
pub fn parse_reference(raw: &str) -> Result<String, crate::FieldError> {
    crate::text::bounded("reference", "The payment reference", raw, 3, 100)
}

/// The platform fee on `price` at `basis_points` (1/100 of a percent),
/// rounded half up to a minor unit.
pub fn platform_fee(price: Money, basis_points: u32) -> Money {
    let minor = (price.minor * i64::from(basis_points) + 5_000) / 10_000;
    Money::new(minor, price.currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    #[test]
    fn fees_round_half_up() {
        assert_eq!(
            platform_fee(Money::new(45_000, Currency::Usd), 1_000).minor,
            4_500
        );
        assert_eq!(
            platform_fee(Money::new(5, Currency::Usd), 1_000).minor,
            1,
            "0.5 rounds up"
        );
        assert_eq!(platform_fee(Money::new(4, Currency::Usd), 1_000).minor, 0);
        assert_eq!(platform_fee(Money::new(900_000, Currency::Inr), 0).minor, 0);
    }

    proptest! {
        #[test]
        fn fee_is_never_more_than_the_rate_allows(minor in 1i64..100_000_000, bps in 0u32..=3_000) {
            let fee = platform_fee(Money::new(minor, Currency::Gbp), bps).minor;
            let exact = minor as f64 * f64::from(bps) / 10_000.0;
            prop_assert!((fee as f64 - exact).abs() <= 0.5);
        }
    }
}

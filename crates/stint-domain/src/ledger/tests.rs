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

fn kind(i: u8) -> EntryKind {
    [
        EntryKind::Fund,
        EntryKind::Fee,
        EntryKind::Deposit,
        EntryKind::Release,
        EntryKind::Refund,
        EntryKind::Payout,
        EntryKind::Returned,
    ][usize::from(i % 7)]
}

#[test]
fn manual_payouts_wait_for_the_deposit() {
    let mut b = Book::default();
    assert_eq!(b.apply(EntryKind::Fund, 900, "manual"), Ok(()));
    assert_eq!(b.apply(EntryKind::Fee, 90, "manual"), Ok(()));
    assert_eq!(b.apply(EntryKind::Release, 900, "manual"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Payout, 900),
        Err(LedgerRule::DepositMissing)
    );
    assert_eq!(
        b.allow(EntryKind::Deposit, 900),
        Err(LedgerRule::DepositAmount {
            due: 990,
            asked: 900
        })
    );
    assert_eq!(b.apply(EntryKind::Deposit, 990, "manual"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Deposit, 990),
        Err(LedgerRule::NothingToReceive)
    );
    assert_eq!(b.apply(EntryKind::Payout, 900, "manual"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Payout, 1),
        Err(LedgerRule::NotReleased {
            available: 0,
            asked: 1
        })
    );
    assert!(b.discrepancies(EngagementStatus::Paid, 900).is_empty());
}

#[test]
fn refunds_after_the_payment_are_sent_back_once() {
    let mut b = Book::default();
    assert_eq!(b.apply(EntryKind::Fund, 1_000, "manual"), Ok(()));
    assert_eq!(b.apply(EntryKind::Fee, 100, "manual"), Ok(()));
    assert_eq!(b.apply(EntryKind::Deposit, 1_100, "manual"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Returned, 1),
        Err(LedgerRule::NothingToReturn)
    );
    // Cancelled after the start: the student keeps 250, 750 goes back.
    assert_eq!(b.apply(EntryKind::Release, 250, "manual"), Ok(()));
    assert_eq!(b.apply(EntryKind::Refund, 750, "manual"), Ok(()));
    assert_eq!(b.owed_to_employer(), 750);
    assert_eq!(
        b.allow(EntryKind::Returned, 700),
        Err(LedgerRule::ReturnAmount {
            due: 750,
            asked: 700
        })
    );
    assert_eq!(b.apply(EntryKind::Returned, 750, "manual"), Ok(()));
    assert_eq!(b.owed_to_employer(), 0);
    assert!(
        b.discrepancies(EngagementStatus::Cancelled, 1_000)
            .is_empty()
    );
    // A refund before the payment only lowers what is due.
    let mut c = Book::default();
    assert_eq!(c.apply(EntryKind::Fund, 1_000, "manual"), Ok(()));
    assert_eq!(c.apply(EntryKind::Refund, 1_000, "manual"), Ok(()));
    assert_eq!(c.deposit_due(), 0);
    assert_eq!(c.owed_to_employer(), 0);
}

#[test]
fn escrow_cannot_release_what_it_does_not_hold() {
    let mut b = Book::default();
    assert_eq!(
        b.allow(EntryKind::Release, 1),
        Err(LedgerRule::EscrowShort {
            available: 0,
            asked: 1
        })
    );
    assert_eq!(b.apply(EntryKind::Fund, 1_000, "sandbox"), Ok(()));
    assert_eq!(b.apply(EntryKind::Release, 250, "sandbox"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Refund, 751),
        Err(LedgerRule::EscrowShort {
            available: 750,
            asked: 751
        })
    );
    assert_eq!(b.apply(EntryKind::Refund, 750, "sandbox"), Ok(()));
    assert_eq!(
        b.allow(EntryKind::Fund, 1_000),
        Err(LedgerRule::AlreadyFunded)
    );
    assert!(
        b.discrepancies(EngagementStatus::Cancelled, 1_000)
            .is_empty()
    );
    assert_eq!(b.discrepancies(EngagementStatus::Active, 1_000).len(), 1);
    assert_eq!(b.allow(EntryKind::Payout, 0), Err(LedgerRule::NotPositive));
}

#[test]
fn cancelling_after_the_start_pays_the_share() {
    let price = Money::new(90_000, Currency::Inr);
    let s = cancel_split(price, 2_500, true);
    assert_eq!((s.to_student.minor, s.refund.minor), (22_500, 67_500));
    let s = cancel_split(price, 2_500, false);
    assert_eq!((s.to_student.minor, s.refund.minor), (0, 90_000));
    let q = HireQuote::new(price, 1_000);
    assert_eq!((q.fee.minor, q.total.minor), (9_000, 99_000));
}

#[test]
fn audit_names_what_is_wrong() {
    let e = AuditedEngagement {
        id: 7,
        org_id: 2,
        student_id: 3,
        status: EngagementStatus::Paid,
        price_minor: 1_000,
        fee_minor: 100,
        currency: "USD".into(),
    };
    let entry = |id, kind: &str, from: &str, to: &str, amount| AuditedEntry {
        id,
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
        amount,
        currency: "USD".into(),
        provider: "manual".into(),
    };
    let good = vec![
        entry(1, "fund", "employer:2", "escrow:7", 1_000),
        entry(2, "fee", "employer:2", "platform:fees", 100),
        entry(3, "deposit", "external:deposits", "employer:2", 1_100),
        entry(4, "release", "escrow:7", "student:3", 1_000),
        entry(5, "payout", "student:3", "external:payouts", 1_000),
    ];
    assert!(audit(&e, &good).is_empty(), "{:?}", audit(&e, &good));
    // The payout written before the deposit, to the wrong student.
    let bad = vec![
        good[0].clone(),
        good[1].clone(),
        good[3].clone(),
        entry(5, "payout", "student:9", "external:payouts", 1_000),
        good[2].clone(),
    ];
    let found = audit(&e, &bad);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("expected student:3"));
    assert!(
        found[1].contains("payment for this engagement has not been recorded"),
        "{found:?}"
    );
}

proptest! {
    #[test]
    fn a_split_keeps_the_whole_price(minor in 1i64..100_000_000, bps in 0u32..=20_000, after in any::<bool>()) {
        let s = cancel_split(Money::new(minor, Currency::Usd), bps, after);
        prop_assert_eq!(s.to_student.minor + s.refund.minor, minor);
        prop_assert!(s.to_student.minor >= 0 && s.refund.minor >= 0);
    }

    /// Whatever is attempted in whatever order, what the book accepts
    /// never leaves escrow or a student's balance below zero, never
    /// pays out more than was released, and (manual) never pays out
    /// before the deposit.
    #[test]
    fn no_sequence_breaks_the_rules(
        manual in any::<bool>(),
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), 1i64..2_000), 0..40),
    ) {
        let provider = if manual { "manual" } else { "sandbox" };
        let mut b = Book::default();
        for (k, pick, raw) in steps {
            // Mostly amounts that could be right, sometimes any amount.
            let amount = match pick % 5 {
                0 => raw,
                1 => b.escrow(),
                2 => b.deposit_due(),
                3 => b.owed_to_employer(),
                _ => b.owed_to_student(),
            };
            let before = b.clone();
            if b.apply(kind(k), amount, provider).is_err() {
                prop_assert_eq!(&b, &before, "a refused movement changed nothing");
            }
            prop_assert!(b.escrow() >= 0);
            prop_assert!(b.owed_to_student() >= 0);
            prop_assert!(b.paid_out <= b.released && b.released + b.refunded <= b.funded);
            prop_assert!(!(b.awaits_deposit && b.paid_out > 0 && b.deposited == 0));
            prop_assert!(b.deposited <= b.funded + b.fee);
            prop_assert!(b.owed_to_employer() >= 0);
            prop_assert!(b.returned <= b.refunded, "never sends back more than was refunded");
        }
    }

    #[test]
    fn fee_is_never_more_than_the_rate_allows(minor in 1i64..100_000_000, bps in 0u32..=3_000) {
        let fee = platform_fee(Money::new(minor, Currency::Gbp), bps).minor;
        let exact = minor as f64 * f64::from(bps) / 10_000.0;
        prop_assert!((fee as f64 - exact).abs() <= 0.5);
    }
}

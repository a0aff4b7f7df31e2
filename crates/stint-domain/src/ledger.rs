//! The money rules of the ledger. Every movement is one entry from one
//! account to another, so the ledger balances by construction; the store
//! makes each entry unique by its idempotency key.

use serde::{Deserialize, Serialize};

use crate::engagement::EngagementStatus;
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
    /// Refunded money sent back to the employer by hand (manual provider,
    /// a refund after their payment arrived).
    Returned,
}

impl EntryKind {
    pub fn parse(raw: &str) -> Option<EntryKind> {
        Some(match raw {
            "fund" => EntryKind::Fund,
            "fee" => EntryKind::Fee,
            "release" => EntryKind::Release,
            "payout" => EntryKind::Payout,
            "refund" => EntryKind::Refund,
            "deposit" => EntryKind::Deposit,
            "returned" => EntryKind::Returned,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Fund => "fund",
            EntryKind::Fee => "fee",
            EntryKind::Release => "release",
            EntryKind::Payout => "payout",
            EntryKind::Refund => "refund",
            EntryKind::Deposit => "deposit",
            EntryKind::Returned => "returned",
        }
    }
}

/// Whether a provider funds escrow as owed until the employer's money is
/// confirmed (a deposit entry): the manual provider and Stripe do.
pub fn funded_as_owed(provider: &str) -> bool {
    matches!(provider, "manual" | "stripe")
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
    share(price, basis_points)
}

/// `basis_points` of `price`, rounded half up to a minor unit.
fn share(price: Money, basis_points: u32) -> Money {
    let minor = (price.minor * i64::from(basis_points) + 5_000) / 10_000;
    Money::new(minor, price.currency)
}

/// What hiring costs the employer, shown before they confirm and charged
/// exactly so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HireQuote {
    pub price: Money,
    pub fee: Money,
    pub total: Money,
    pub fee_basis_points: u32,
}

impl HireQuote {
    pub fn new(price: Money, fee_basis_points: u32) -> HireQuote {
        let fee = platform_fee(price, fee_basis_points);
        HireQuote {
            price,
            fee,
            total: Money::new(price.minor + fee.minor, price.currency),
            fee_basis_points,
        }
    }
}

/// Where the escrow goes when an engagement is cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CancelSplit {
    /// Kept by the student for work already started.
    pub to_student: Money,
    /// Back to the employer.
    pub refund: Money,
}

/// Cancelling an engagement of `price`: when the employer cancels on or
/// after the start date, the student keeps `share_basis_points` of the price
/// for the work already started and the rest is refunded; otherwise (the
/// student withdraws, or the work has not started) all of it is refunded.
/// Once a submission exists cancelling is not possible: that is a dispute.
pub fn cancel_split(
    price: Money,
    share_basis_points: u32,
    employer_after_start: bool,
) -> CancelSplit {
    let to_student = if employer_after_start {
        share(price, share_basis_points.min(10_000))
    } else {
        Money::new(0, price.currency)
    };
    CancelSplit {
        to_student,
        refund: Money::new(price.minor - to_student.minor, price.currency),
    }
}

/// A rule of the ledger that a movement would break. Each has a stable code
/// (the API's `code`) and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerRule {
    #[error("An amount must be more than zero.")]
    NotPositive,
    #[error("This engagement's escrow is funded already.")]
    AlreadyFunded,
    #[error("Stint's fee for this engagement is charged already.")]
    AlreadyCharged,
    #[error("Only {available} (minor units) is left in escrow; the movement asks for {asked}.")]
    EscrowShort { available: i64, asked: i64 },
    #[error(
        "Only {available} (minor units) is released to the student and not yet paid out; the payout asks for {asked}."
    )]
    NotReleased { available: i64, asked: i64 },
    #[error(
        "The employer's payment for this engagement has not been recorded yet, so nothing can be paid out: record the deposit first."
    )]
    DepositMissing,
    #[error(
        "No payment is due from the employer for this engagement: it is recorded already, or the engagement is funded through another provider."
    )]
    NothingToReceive,
    #[error(
        "A deposit must be the whole amount due ({due} minor units, the price and Stint's fee); it was {asked}."
    )]
    DepositAmount { due: i64, asked: i64 },
    #[error(
        "Nothing is owed back to the employer for this engagement: no refund came after their payment, or it is sent already."
    )]
    NothingToReturn,
    #[error("What goes back to the employer is sent whole ({due} minor units); it was {asked}.")]
    ReturnAmount { due: i64, asked: i64 },
}

impl LedgerRule {
    pub fn code(&self) -> &'static str {
        match self {
            LedgerRule::NotPositive => "amount_not_positive",
            LedgerRule::AlreadyFunded => "already_funded",
            LedgerRule::AlreadyCharged => "already_charged",
            LedgerRule::EscrowShort { .. } => "escrow_short",
            LedgerRule::NotReleased { .. } => "nothing_to_pay",
            LedgerRule::DepositMissing => "deposit_missing",
            LedgerRule::NothingToReceive => "nothing_to_receive",
            LedgerRule::DepositAmount { .. } => "deposit_amount",
            LedgerRule::NothingToReturn => "nothing_to_return",
            LedgerRule::ReturnAmount { .. } => "return_amount",
        }
    }
}

/// One engagement's ledger so far, summed by kind. Every movement passes
/// [`Book::apply`] before it is written, in the same transaction, so no
/// sequence of requests can pay out money that was never released, release
/// money that was never funded, or (manual provider) pay out money whose
/// deposit has not arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    pub funded: i64,
    pub fee: i64,
    pub deposited: i64,
    pub released: i64,
    pub refunded: i64,
    pub paid_out: i64,
    /// Refunds sent back to the employer by hand.
    pub returned: i64,
    /// The escrow was funded as owed (the manual provider, or Stripe before
    /// its confirmation): the employer's money arrives as a deposit
    /// (recorded by an admin, or from Stripe's confirmed payment), and
    /// payouts wait for it. The sandbox funds at once.
    pub awaits_deposit: bool,
}

impl Book {
    /// Money in escrow now.
    pub fn escrow(&self) -> i64 {
        self.funded - self.released - self.refunded
    }

    /// Released to the student and not yet paid out.
    pub fn owed_to_student(&self) -> i64 {
        self.released - self.paid_out
    }

    /// What the employer has to send (manual provider): the price and fee,
    /// less what was refunded before the money arrived (a cancellation).
    pub fn deposit_due(&self) -> i64 {
        if self.awaits_deposit && self.deposited == 0 && self.funded > 0 {
            self.funded + self.fee - self.refunded
        } else {
            0
        }
    }

    /// Refunded money that Stint holds for the employer because their
    /// payment had arrived (manual provider), not yet sent back. A refund
    /// before the payment arrived only lowers what is due.
    pub fn owed_to_employer(&self) -> i64 {
        if !self.awaits_deposit || self.deposited == 0 {
            return 0;
        }
        let refunded_after_payment =
            (self.deposited - (self.funded + self.fee - self.refunded)).max(0);
        refunded_after_payment - self.returned
    }

    /// Whether `kind` of `amount` keeps every rule.
    pub fn allow(&self, kind: EntryKind, amount: i64) -> Result<(), LedgerRule> {
        if amount <= 0 {
            return Err(LedgerRule::NotPositive);
        }
        match kind {
            EntryKind::Fund if self.funded > 0 => Err(LedgerRule::AlreadyFunded),
            EntryKind::Fee if self.fee > 0 || self.deposited > 0 => Err(LedgerRule::AlreadyCharged),
            EntryKind::Fund | EntryKind::Fee => Ok(()),
            EntryKind::Release | EntryKind::Refund if amount > self.escrow() => {
                Err(LedgerRule::EscrowShort {
                    available: self.escrow(),
                    asked: amount,
                })
            }
            EntryKind::Release | EntryKind::Refund => Ok(()),
            EntryKind::Payout if amount > self.owed_to_student() => Err(LedgerRule::NotReleased {
                available: self.owed_to_student(),
                asked: amount,
            }),
            EntryKind::Payout if self.awaits_deposit && self.deposited == 0 => {
                Err(LedgerRule::DepositMissing)
            }
            EntryKind::Payout => Ok(()),
            EntryKind::Deposit if self.deposit_due() == 0 => Err(LedgerRule::NothingToReceive),
            EntryKind::Deposit if amount != self.deposit_due() => Err(LedgerRule::DepositAmount {
                due: self.deposit_due(),
                asked: amount,
            }),
            EntryKind::Deposit => Ok(()),
            EntryKind::Returned if self.owed_to_employer() <= 0 => Err(LedgerRule::NothingToReturn),
            EntryKind::Returned if amount != self.owed_to_employer() => {
                Err(LedgerRule::ReturnAmount {
                    due: self.owed_to_employer(),
                    asked: amount,
                })
            }
            EntryKind::Returned => Ok(()),
        }
    }

    /// Checks `kind` of `amount` and adds it to the book.
    pub fn apply(
        &mut self,
        kind: EntryKind,
        amount: i64,
        provider: &str,
    ) -> Result<(), LedgerRule> {
        self.allow(kind, amount)?;
        self.add(kind, amount, provider);
        Ok(())
    }

    /// Adds an entry without checking it (to replay what is written).
    pub fn add(&mut self, kind: EntryKind, amount: i64, provider: &str) {
        match kind {
            EntryKind::Fund => {
                self.funded += amount;
                self.awaits_deposit = funded_as_owed(provider);
            }
            EntryKind::Fee => self.fee += amount,
            EntryKind::Deposit => self.deposited += amount,
            EntryKind::Release => self.released += amount,
            EntryKind::Refund => self.refunded += amount,
            EntryKind::Payout => self.paid_out += amount,
            EntryKind::Returned => self.returned += amount,
        }
    }

    /// What is wrong with this book for an engagement in `status` at
    /// `price` (empty when it is consistent). Used by `stint ledger check`.
    pub fn discrepancies(&self, status: EngagementStatus, price: i64) -> Vec<String> {
        use EngagementStatus as S;
        let mut out = Vec::new();
        let mut say = |ok: bool, what: String| {
            if !ok {
                out.push(what);
            }
        };
        say(
            self.funded == price,
            format!("funded {} but the price is {price}", self.funded),
        );
        say(
            self.escrow() >= 0,
            format!("escrow is negative ({})", self.escrow()),
        );
        say(
            self.owed_to_student() >= 0,
            format!(
                "paid out {} but released only {}",
                self.paid_out, self.released
            ),
        );
        say(
            !(self.awaits_deposit && self.paid_out > 0 && self.deposited == 0),
            "paid out before the employer's deposit was recorded".into(),
        );
        say(
            self.owed_to_employer() >= 0,
            format!(
                "sent back {} to the employer, more than was refunded after their payment",
                self.returned
            ),
        );
        say(
            self.deposited <= self.funded + self.fee,
            format!(
                "deposit {} is more than price plus fee ({})",
                self.deposited,
                self.funded + self.fee
            ),
        );
        match status {
            S::Active | S::Submitted | S::RevisionRequested | S::Disputed => say(
                self.escrow() == price && self.released == 0 && self.refunded == 0,
                format!(
                    "is {} but escrow holds {} of {price}",
                    status.as_str(),
                    self.escrow()
                ),
            ),
            S::Approved => say(
                self.escrow() == 0 && self.released > 0 && self.paid_out < self.released,
                format!(
                    "is approved (released, not yet paid out) but released {}, paid out {}, escrow {}",
                    self.released,
                    self.paid_out,
                    self.escrow()
                ),
            ),
            S::Paid => say(
                self.escrow() == 0 && self.released > 0 && self.paid_out == self.released,
                format!(
                    "is paid but released {}, paid out {}, escrow {}",
                    self.released,
                    self.paid_out,
                    self.escrow()
                ),
            ),
            S::Cancelled => say(
                self.escrow() == 0,
                format!("is cancelled but {} is still in escrow", self.escrow()),
            ),
        }
        out
    }
}

/// The engagement facts an audit of its ledger compares against.
#[derive(Debug, Clone)]
pub struct AuditedEngagement {
    pub id: i64,
    pub org_id: i64,
    pub student_id: i64,
    pub status: EngagementStatus,
    pub price_minor: i64,
    pub fee_minor: i64,
    pub currency: String,
}

/// One written entry, as an audit reads it.
#[derive(Debug, Clone)]
pub struct AuditedEntry {
    pub id: i64,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub amount: i64,
    pub currency: String,
    pub provider: String,
}

/// Everything wrong with one engagement's entries, in words: replayed in
/// the order written, each must have kept the rules of [`Book::apply`],
/// move between the accounts its kind names, in the engagement's currency;
/// the fee must be the one agreed; and the totals must fit the status.
pub fn audit(e: &AuditedEngagement, entries: &[AuditedEntry]) -> Vec<String> {
    let mut out = Vec::new();
    let mut book = Book::default();
    for x in entries {
        let Some(kind) = EntryKind::parse(&x.kind) else {
            out.push(format!("entry {}: unknown kind {:?}", x.id, x.kind));
            continue;
        };
        let (from, to) = match kind {
            EntryKind::Fund => (employer_account(e.org_id), escrow_account(e.id)),
            EntryKind::Fee => (employer_account(e.org_id), PLATFORM_FEES.to_string()),
            EntryKind::Release => (escrow_account(e.id), student_account(e.student_id)),
            EntryKind::Refund => (escrow_account(e.id), employer_account(e.org_id)),
            EntryKind::Payout => (
                student_account(e.student_id),
                "external:payouts".to_string(),
            ),
            EntryKind::Deposit => ("external:deposits".to_string(), employer_account(e.org_id)),
            EntryKind::Returned => (employer_account(e.org_id), "external:returns".to_string()),
        };
        if x.from != from || x.to != to {
            out.push(format!(
                "entry {} ({}): moves {} → {}, expected {from} → {to}",
                x.id, x.kind, x.from, x.to
            ));
        }
        if x.currency != e.currency {
            out.push(format!(
                "entry {} ({}): in {}, the engagement is in {}",
                x.id, x.kind, x.currency, e.currency
            ));
        }
        if let Err(rule) = book.allow(kind, x.amount) {
            out.push(format!(
                "entry {} ({} of {}): {rule}",
                x.id, x.kind, x.amount
            ));
        }
        book.add(kind, x.amount, &x.provider);
    }
    if book.fee != e.fee_minor {
        out.push(format!(
            "fee charged {} but agreed {}",
            book.fee, e.fee_minor
        ));
    }
    out.extend(book.discrepancies(e.status, e.price_minor));
    out
}

#[cfg(test)]
mod tests;

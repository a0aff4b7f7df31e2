-- Where a student is paid (manual provider): the details sealed with the
-- instance's secrets key, and a masked form for every page but the admin's.
CREATE TABLE payout_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    method TEXT NOT NULL,
    masked TEXT NOT NULL,
    sealed TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One numbered receipt per employer charge (a hire), written in the hire's
-- transaction; its number is its id.
CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL UNIQUE REFERENCES engagements(id),
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    price_minor INTEGER NOT NULL,
    fee_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
CREATE INDEX receipts_org ON receipts(org_id, issued_at);

-- Shown on receipts when given.
ALTER TABLE organizations ADD COLUMN tax_id TEXT;

-- Money sent back to an employer by hand (`returned`: a refund after their
-- payment arrived, manual provider). SQLite cannot alter a CHECK, so the
-- ledger table is rebuilt with the wider list of kinds.
CREATE TABLE ledger_entries_new (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    kind TEXT NOT NULL CHECK (kind IN ('fund', 'fee', 'release', 'payout', 'refund', 'deposit', 'returned')),
    from_account TEXT NOT NULL,
    to_account TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    provider TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    reference TEXT
);
INSERT INTO ledger_entries_new (id, engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key, created_at, reference)
    SELECT id, engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key, created_at, reference FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
CREATE INDEX ledger_entries_engagement ON ledger_entries(engagement_id);

-- Every engagement's money in order (statements, payout speed).
CREATE INDEX ledger_entries_kind_time ON ledger_entries(kind, created_at);

-- Stripe Connect: each student's connected (Express) account and whether
-- Stripe will pay it out; each engagement's charge (a Checkout Session and
-- the payment it became); and every webhook event handled, once.
CREATE TABLE stripe_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    account_id TEXT NOT NULL UNIQUE,
    details_submitted INTEGER NOT NULL DEFAULT 0,
    payouts_enabled INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE stripe_charges (
    engagement_id INTEGER PRIMARY KEY REFERENCES engagements(id),
    session_id TEXT NOT NULL UNIQUE,
    payment_intent_id TEXT,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE stripe_events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at TEXT NOT NULL
);

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

-- Every engagement's money in order (statements, payout speed).
CREATE INDEX ledger_entries_kind_time ON ledger_entries(kind, created_at);

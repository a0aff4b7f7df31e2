-- The manual payment provider: an admin records money received from an
-- employer (`deposit`) and money paid out to a student, each with the bank
-- or transfer reference. SQLite cannot alter a CHECK, so the ledger table is
-- rebuilt with the wider list of kinds; nothing references it.
CREATE TABLE ledger_entries_new (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    kind TEXT NOT NULL CHECK (kind IN ('fund', 'fee', 'release', 'payout', 'refund', 'deposit')),
    from_account TEXT NOT NULL,
    to_account TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    provider TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    reference TEXT
);
INSERT INTO ledger_entries_new (id, engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key, created_at)
    SELECT id, engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key, created_at FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;
CREATE INDEX ledger_entries_engagement ON ledger_entries(engagement_id);

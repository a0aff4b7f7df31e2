-- The manual payment provider: an admin records money received from an
-- employer (`deposit`) and money paid out to a student, each with the bank
-- or transfer reference.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('fund', 'fee', 'release', 'payout', 'refund', 'deposit'));
ALTER TABLE ledger_entries ADD COLUMN reference TEXT;

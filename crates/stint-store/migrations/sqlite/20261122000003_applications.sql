-- Applications, engagements created by hiring, and the money ledger.
ALTER TABLE projects ADD COLUMN blind_screening BOOLEAN NOT NULL DEFAULT FALSE;
-- Hires so far; a conditional update keeps it at or below `slots`.
ALTER TABLE projects ADD COLUMN hired_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'shortlisted', 'hired', 'rejected', 'withdrawn', 'closed')),
    pitch TEXT NOT NULL,
    answer TEXT,
    links TEXT NOT NULL DEFAULT '',
    match_percent INTEGER NOT NULL,
    reject_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (project_id, student_id)
);
CREATE INDEX applications_student ON applications(student_id, status);
CREATE INDEX applications_project ON applications(project_id, status);

CREATE TABLE engagements (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    application_id INTEGER NOT NULL UNIQUE REFERENCES applications(id),
    student_id INTEGER NOT NULL REFERENCES users(id),
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'submitted', 'revision_requested', 'approved', 'paid', 'cancelled', 'disputed')),
    price_minor INTEGER NOT NULL CHECK (price_minor > 0),
    currency TEXT NOT NULL,
    fee_minor INTEGER NOT NULL CHECK (fee_minor >= 0),
    due_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX engagements_student ON engagements(student_id);
CREATE INDEX engagements_project ON engagements(project_id);

-- Each entry moves money from one account to another, so the ledger always
-- balances; the idempotency key makes every movement happen at most once.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    kind TEXT NOT NULL CHECK (kind IN ('fund', 'fee', 'release', 'payout', 'refund')),
    from_account TEXT NOT NULL,
    to_account TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    provider TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_engagement ON ledger_entries(engagement_id);

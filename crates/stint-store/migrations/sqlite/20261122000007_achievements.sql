-- Portfolio entries drafted at approval, and the student's opt-in to a
-- public portfolio.
CREATE TABLE achievements (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL UNIQUE REFERENCES engagements(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    org_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- One outcome per line: "<value> <metric>".
    outcomes TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    hours INTEGER NOT NULL,
    completed_on TEXT NOT NULL,
    confirmed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX achievements_student ON achievements(student_id);
ALTER TABLE student_profiles ADD COLUMN portfolio_public BOOLEAN NOT NULL DEFAULT FALSE;
-- Why an application closed without a decision: 'filled' or 'no_decision'.
ALTER TABLE applications ADD COLUMN closed_reason TEXT;

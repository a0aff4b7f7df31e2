-- A job that works through many recipients (alerts, closing notices) goes
-- on past one that fails; each such failure is kept here for an admin.
CREATE TABLE job_failures (
    id INTEGER PRIMARY KEY,
    job_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    error TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX job_failures_created ON job_failures(created_at);

-- An employer's list of its engagements (GET /api/v1/me/engagements).
CREATE INDEX engagements_org ON engagements(org_id, id);

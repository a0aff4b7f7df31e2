-- Timed work (closing undecided applications at the decision-by date,
-- reminders) as a queue any `stint serve` process may claim, and in-app
-- notifications.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    run_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TEXT,
    done_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, subject_id)
);
CREATE INDEX jobs_due ON jobs(done_at, run_at);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);

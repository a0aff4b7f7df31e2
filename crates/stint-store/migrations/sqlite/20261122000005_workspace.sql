-- The engagement workspace: a thread shared by the student and the
-- employer's members, and versioned submissions of work.
CREATE TABLE engagement_messages (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'question', 'update', 'feedback', 'system')),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX engagement_messages_thread ON engagement_messages(engagement_id, id);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    note TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (engagement_id, version)
);

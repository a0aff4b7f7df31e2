-- A student's saved searches: the query string of /projects, and whether
-- new matching projects alert at once or in a daily digest.
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    params TEXT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('instant', 'daily')),
    last_sent_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX saved_searches_student ON saved_searches(student_id, id);
CREATE INDEX saved_searches_frequency ON saved_searches(frequency, id);

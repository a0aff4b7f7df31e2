-- A private iCalendar feed per person: the address holds a random token;
-- only its SHA-256 is looked up, and the token itself is kept sealed so the
-- page can show the address again. Resetting replaces both.
CREATE TABLE calendar_feeds (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    token_sealed TEXT NOT NULL,
    created_at TEXT NOT NULL
);

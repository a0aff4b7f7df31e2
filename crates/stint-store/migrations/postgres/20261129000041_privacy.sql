-- People's rights over their data.
--
-- `data_requests`: a download, a correction or a deletion asked for by the
-- person (signed in), by an admin on their behalf, or from the command
-- line; each has a deadline 30 days on. `subject` keeps the name and email
-- given at the time, for the admins' list once a deletion has erased the
-- account's. An export's archive sits in file storage under `archive_key`
-- until `expires_at`.
--
-- `consents`: every time a person turned an optional use of their data on
-- or off, with when and from where.

CREATE TABLE data_requests (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('export', 'correction', 'deletion')),
    status TEXT NOT NULL CHECK (status IN ('open', 'preparing', 'ready', 'done', 'refused', 'expired', 'failed')),
    channel TEXT NOT NULL CHECK (channel IN ('self', 'admin', 'cli')),
    detail TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    archive_key TEXT,
    archive_bytes BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ
);
CREATE INDEX data_requests_user ON data_requests(user_id, id);
CREATE INDEX data_requests_status ON data_requests(status, due_at);

CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    granted BOOLEAN NOT NULL,
    channel TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX consents_user ON consents(user_id, id);

-- `Idempotency-Key` on API POSTs: the first request with a key claims it
-- (status NULL while it runs); its response is kept so a retry gets the same
-- answer instead of doing the work twice. `scope` is a hash of the caller's
-- credentials, so one client's keys never answer another's requests.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);

-- Webhooks: an organization subscribes an endpoint (an address it owns) to
-- event types; each event becomes one message per subscribed endpoint,
-- signed with the endpoint's secret (Standard Webhooks) and delivered by the
-- job queue with retries. Every attempt is kept for the delivery log.
--
-- Secrets are sealed (ChaCha20-Poly1305, bound to the organization). After a
-- rotation the previous secret still signs, beside the new one, until
-- `previous_until`, so receivers can switch without losing messages.

CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Event types, space-separated, sorted.
    events TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_until TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints(org_id);

CREATE TABLE webhook_messages (
    id INTEGER PRIMARY KEY,
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    -- The `webhook-id` header: the same for every attempt of this message.
    msg_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    -- The exact JSON body sent.
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX webhook_messages_endpoint ON webhook_messages(endpoint_id, id);
-- The log keeps 30 days (see `purge_webhook_log`).
CREATE INDEX webhook_messages_created ON webhook_messages(created_at);

CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    -- `manual` when a member asked for it again.
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    at TEXT NOT NULL,
    status_code INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    response TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_message ON webhook_attempts(message_id, id);

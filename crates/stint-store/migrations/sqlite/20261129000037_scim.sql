-- SCIM 2.0 provisioning: an organization's directory creates, changes and
-- deactivates its people's accounts.
--
-- `scim_tokens`: bearer tokens an organization's owners create and revoke
-- (only the hash is kept). `scim_users`: the User resources a directory
-- manages, each tied to one account (an account is managed by at most one
-- directory); `resource` is the SCIM document as last written, in the
-- canonical form of the `stint-scim` crate; `user_name_key` is the
-- lower-cased userName, unique per organization. `users.deactivated_at`:
-- set when a directory deactivates or deletes a person; the account keeps
-- its history, and no session, token or sign-in works for it.

ALTER TABLE users ADD COLUMN deactivated_at TEXT;

CREATE TABLE scim_tokens (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX scim_tokens_org ON scim_tokens(org_id);

CREATE TABLE scim_users (
    id TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    user_name_key TEXT NOT NULL,
    resource TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, user_name_key)
);
CREATE INDEX scim_users_org ON scim_users(org_id, created_at, id);

-- SAML 2.0 beside OpenID Connect: a connection's `protocol` may be
-- 'saml'; then `issuer` is the IdP's entity ID, `saml_sso_url` its sign-in
-- address (HTTP-Redirect binding) and `saml_certificate` the certificate
-- its assertions must be signed with (public, so not sealed); client id
-- and secret are empty. A SAML sign-in in flight is a row of `sso_logins`
-- whose `nonce` is the AuthnRequest's ID.
--
-- `saml_assertions`: the IDs of assertions accepted, kept until they
-- expire, so none is accepted twice.
--
-- SQLite cannot change a CHECK constraint: the table is rebuilt (nothing
-- refers to it).

CREATE TABLE sso_connections_new (
    org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    protocol TEXT NOT NULL CHECK (protocol IN ('oidc', 'saml')),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    saml_sso_url TEXT,
    saml_certificate TEXT,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    tested_at TEXT,
    test_error TEXT,
    test_detail TEXT,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO sso_connections_new (org_id, protocol, issuer, client_id, client_secret_sealed, required,
                                 tested_at, test_error, test_detail, updated_by, created_at, updated_at)
SELECT org_id, protocol, issuer, client_id, client_secret_sealed, required,
       tested_at, test_error, test_detail, updated_by, created_at, updated_at
  FROM sso_connections;
DROP TABLE sso_connections;
ALTER TABLE sso_connections_new RENAME TO sso_connections;

CREATE TABLE saml_assertions (
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    assertion_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (org_id, assertion_id)
);
CREATE INDEX saml_assertions_expires ON saml_assertions(expires_at);

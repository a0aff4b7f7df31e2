-- SAML 2.0 beside OpenID Connect: a connection's `protocol` may be
-- 'saml'; then `issuer` is the IdP's entity ID, `saml_sso_url` its sign-in
-- address (HTTP-Redirect binding) and `saml_certificate` the certificate
-- its assertions must be signed with (public, so not sealed); client id
-- and secret are empty. A SAML sign-in in flight is a row of `sso_logins`
-- whose `nonce` is the AuthnRequest's ID.
--
-- `saml_assertions`: the IDs of assertions accepted, kept until they
-- expire, so none is accepted twice.

ALTER TABLE sso_connections DROP CONSTRAINT sso_connections_protocol_check;
ALTER TABLE sso_connections ADD CONSTRAINT sso_connections_protocol_check
    CHECK (protocol IN ('oidc', 'saml'));
ALTER TABLE sso_connections ADD COLUMN saml_sso_url TEXT;
ALTER TABLE sso_connections ADD COLUMN saml_certificate TEXT;

CREATE TABLE saml_assertions (
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    assertion_id TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, assertion_id)
);
CREATE INDEX saml_assertions_expires ON saml_assertions(expires_at);

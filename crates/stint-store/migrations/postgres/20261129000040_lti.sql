-- LTI 1.3: Stint as a tool that a university's learning platform launches.
--
-- `lti_platforms`: a platform an owner of the university registered: its
-- issuer, the client id it gave Stint, its authorization endpoint and key
-- set address. Each university has its own login initiation address
-- (`/lti/login/<org>`), so a launch is looked up by (org, issuer,
-- client_id) and no university's registration can stand in the way of
-- another's. `lti_deployments`: the deployment ids a
-- registration accepts. A launch in flight is a row of `lti_logins`,
-- keyed by the hash of its `state` and taken back once. `lti_identities`
-- ties a platform's subject to an account. `lti_tool_keys` holds Stint's
-- own RSA key (sealed by the web tier), published as its key set.

CREATE TABLE lti_platforms (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    auth_url TEXT NOT NULL,
    jwks_url TEXT NOT NULL,
    -- The last test: when, and its error code ('' passed).
    tested_at TIMESTAMPTZ,
    test_error TEXT,
    test_detail TEXT,
    last_launch_at TIMESTAMPTZ,
    -- The last launch refused, and why (for the owners).
    last_refusal_at TIMESTAMPTZ,
    last_refusal TEXT,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, issuer, client_id)
);

CREATE TABLE lti_deployments (
    platform_id BIGINT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
    deployment_id TEXT NOT NULL,
    PRIMARY KEY (platform_id, deployment_id)
);

CREATE TABLE lti_logins (
    state_hash TEXT PRIMARY KEY,
    platform_id BIGINT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX lti_logins_expires ON lti_logins(expires_at);

CREATE TABLE lti_identities (
    platform_id BIGINT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_launch_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, subject)
);
CREATE INDEX lti_identities_user ON lti_identities(user_id);

CREATE TABLE lti_tool_keys (
    kid TEXT PRIMARY KEY,
    private_sealed TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

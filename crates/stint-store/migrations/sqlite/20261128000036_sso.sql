-- Single sign-on: an organization's own sign-in (OpenID Connect) for the
-- people of its email domains.
--
-- One connection per organization. The client secret is sealed by the web
-- tier (ChaCha20-Poly1305, bound to the organization). `required` stops
-- passwords for the organization's domains; it is set only after a test
-- passed. A sign-in in flight is a row of `sso_logins` keyed by the hash of
-- its `state`, deleted when the person comes back (so a callback is used
-- once) or after ten minutes. `sso_identities` ties the issuer's subject to
-- an account.

CREATE TABLE sso_connections (
    org_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    protocol TEXT NOT NULL CHECK (protocol IN ('oidc')),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- The last test of the settings: when, and its error code ('' passed).
    tested_at TEXT,
    test_error TEXT,
    test_detail TEXT,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL DEFAULT '',
    expires_at TEXT NOT NULL
);
CREATE INDEX sso_logins_expires ON sso_logins(expires_at);

CREATE TABLE sso_identities (
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NOT NULL,
    PRIMARY KEY (org_id, subject)
);
CREATE INDEX sso_identities_user ON sso_identities(user_id);

-- A university's sign-in proves a student's affiliation too. SQLite cannot
-- change a CHECK constraint, so the table is rebuilt (nothing refers to it).
CREATE TABLE affiliations_new (
    student_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    university_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('declared', 'requested', 'confirmed', 'removed')),
    proof TEXT CHECK (proof IN ('email', 'staff', 'sso')),
    proof_email TEXT,
    sharing TEXT NOT NULL DEFAULT 'completed' CHECK (sharing IN ('all', 'completed', 'aggregate')),
    requested_at TEXT,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
INSERT INTO affiliations_new (student_id, university_id, status, proof, proof_email, sharing,
                              requested_at, decided_at, decided_by, created_at)
SELECT student_id, university_id, status, proof, proof_email, sharing,
       requested_at, decided_at, decided_by, created_at
  FROM affiliations;
DROP TABLE affiliations;
ALTER TABLE affiliations_new RENAME TO affiliations;
CREATE INDEX affiliations_university ON affiliations(university_id, status);
CREATE INDEX affiliations_university_student ON affiliations(university_id, status, student_id);

-- Keys the platform has signed credentials with. The secret key lives in the
-- data directory (or a setting); only public keys are kept here, and none is
-- ever deleted, so credentials signed before a rotation still verify.
CREATE TABLE issuer_keys (
    id INTEGER PRIMARY KEY,
    public_multibase TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

-- One signed Open Badges 3.0 credential per confirmation of an achievement.
-- `public_id` is the unguessable part of its URL; `status_index` its bit in
-- the revocation list.
CREATE TABLE credentials (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    achievement_id INTEGER NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status_index INTEGER NOT NULL UNIQUE,
    document TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT
);
CREATE INDEX credentials_achievement ON credentials(achievement_id);
CREATE INDEX credentials_student ON credentials(student_id);

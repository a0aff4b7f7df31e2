-- Universities as partners: staff roles, proved affiliations, what a student
-- shares with their university, and invitations to colleagues.

-- Career staff see students and outcomes; faculty supervise credit. Only
-- members of universities have one; the first members were career staff.
ALTER TABLE memberships ADD COLUMN staff_role TEXT CHECK (staff_role IN ('career', 'faculty'));
UPDATE memberships SET staff_role = 'career'
 WHERE org_id IN (SELECT id FROM organizations WHERE kind = 'university');

-- One row per student who named a university on their profile. Until it is
-- confirmed (an address in the university's domains, or career staff), the
-- university is "not confirmed" to employers and does not count it.
CREATE TABLE affiliations (
    student_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    university_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('declared', 'requested', 'confirmed', 'removed')),
    proof TEXT CHECK (proof IN ('email', 'staff')),
    proof_email TEXT,
    sharing TEXT NOT NULL DEFAULT 'completed' CHECK (sharing IN ('all', 'completed', 'aggregate')),
    requested_at TIMESTAMPTZ,
    decided_at TIMESTAMPTZ,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX affiliations_university ON affiliations(university_id, status);

INSERT INTO affiliations (student_id, university_id, status, created_at)
SELECT user_id, university_id, 'declared', now()
  FROM student_profiles WHERE university_id IS NOT NULL;

-- A verified account address in one of the university's domains is proof.
UPDATE affiliations
   SET status = 'confirmed', proof = 'email',
       proof_email = (SELECT u.email FROM users u WHERE u.id = affiliations.student_id),
       decided_at = created_at
 WHERE EXISTS (
     SELECT 1 FROM users u JOIN org_domains d ON d.org_id = affiliations.university_id
      WHERE u.id = affiliations.student_id AND u.email_verified_at IS NOT NULL
        AND (lower(u.email) LIKE '%@' || d.domain OR lower(u.email) LIKE '%.' || d.domain));

-- A link sent to a university address; only its hash is kept.
CREATE TABLE affiliation_tokens (
    token_hash TEXT PRIMARY KEY,
    student_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    university_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX affiliation_tokens_student ON affiliation_tokens(student_id, created_at);

-- A colleague invited by email with a role, taken when they join.
CREATE TABLE org_invitations (
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    staff_role TEXT NOT NULL CHECK (staff_role IN ('career', 'faculty')),
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, email)
);

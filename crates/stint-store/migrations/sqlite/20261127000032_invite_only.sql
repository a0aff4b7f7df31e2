-- Invite-only projects and direct hire.
--
-- An invite-only project is published to the students its organization
-- invites (from its talent pool) and to nobody else: it is never in search,
-- facets, alerts, suggestions or the organization's public page.
--
-- An invitation is of one of two kinds: `apply` asks the student to apply
-- as anyone would; `direct` offers them the place on an invite-only
-- project, at the total the employer confirmed (`quoted_total_minor`). A
-- student who accepts a direct offer is hired through the same hire as any
-- other (an application is written and hired in one transaction); the
-- employer may withdraw a direct offer not yet answered.
--
-- SQLite cannot change a CHECK constraint, so the invitations table is
-- rebuilt (nothing references it); the trigger that marks an invitation
-- applied is recreated, now leaving a withdrawn one as it is.

ALTER TABLE projects ADD COLUMN invite_only BOOLEAN NOT NULL DEFAULT FALSE;

DROP TRIGGER invitation_applied;

CREATE TABLE invitations_new (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('sent', 'applied', 'declined', 'withdrawn')),
    created_at TEXT NOT NULL,
    answered_at TEXT,
    kind TEXT NOT NULL DEFAULT 'apply' CHECK (kind IN ('apply', 'direct')),
    quoted_total_minor INTEGER,
    UNIQUE (project_id, student_id)
);
INSERT INTO invitations_new (id, org_id, project_id, student_id, sender_id, note, status, created_at, answered_at)
    SELECT id, org_id, project_id, student_id, sender_id, note, status, created_at, answered_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_org_time ON invitations(org_id, created_at);
CREATE INDEX invitations_student_time ON invitations(student_id, created_at);
CREATE INDEX invitations_project ON invitations(project_id, status);

CREATE TRIGGER invitation_applied AFTER INSERT ON applications
BEGIN
    UPDATE invitations SET status = 'applied', answered_at = NEW.created_at
     WHERE project_id = NEW.project_id AND student_id = NEW.student_id AND status IN ('sent', 'declined');
END;

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
-- The trigger that marks an invitation applied now leaves a withdrawn one
-- as it is.

ALTER TABLE projects ADD COLUMN invite_only BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE invitations ADD COLUMN kind TEXT NOT NULL DEFAULT 'apply' CHECK (kind IN ('apply', 'direct'));
ALTER TABLE invitations ADD COLUMN quoted_total_minor BIGINT;
ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
    CHECK (status IN ('sent', 'applied', 'declined', 'withdrawn'));
CREATE INDEX invitations_project ON invitations(project_id, status);

CREATE OR REPLACE FUNCTION invitation_applied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE invitations SET status = 'applied', answered_at = NEW.created_at
     WHERE project_id = NEW.project_id AND student_id = NEW.student_id AND status IN ('sent', 'declined');
    RETURN NULL;
END
$$;

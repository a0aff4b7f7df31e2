-- Students who choose to be found by employers, and employers' invitations
-- to apply.
--
-- `student_reach` holds a student's two choices with when each was last
-- made: being discoverable (off until they turn it on) and receiving
-- invitations (on until they turn it off). A student with no row has made
-- neither choice.
--
-- An invitation names an open project of the organization and one student,
-- once per project. A trigger marks it applied when the student applies,
-- whatever path writes the application: an invitation never writes one.

CREATE TABLE student_reach (
    student_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    discoverable BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable_changed_at TEXT,
    invitations BOOLEAN NOT NULL DEFAULT TRUE,
    invitations_changed_at TEXT
);
CREATE INDEX student_reach_discoverable ON student_reach(student_id) WHERE discoverable;

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('sent', 'applied', 'declined')),
    created_at TEXT NOT NULL,
    answered_at TEXT,
    UNIQUE (project_id, student_id)
);
CREATE INDEX invitations_org_time ON invitations(org_id, created_at);
CREATE INDEX invitations_student_time ON invitations(student_id, created_at);

CREATE TRIGGER invitation_applied AFTER INSERT ON applications
BEGIN
    UPDATE invitations SET status = 'applied', answered_at = NEW.created_at
     WHERE project_id = NEW.project_id AND student_id = NEW.student_id AND status <> 'applied';
END;

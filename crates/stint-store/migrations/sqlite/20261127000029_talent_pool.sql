-- An employer's talent pool: every student who completed work for the
-- organization, was hired by it, or was shortlisted by it (kept when the
-- project later fills or the application closes), with the members'
-- private tags and notes. Nothing here is visible outside the organization.
--
-- Triggers add a student as the facts happen, whatever code path (seeders
-- included) writes them; the reason only ever rises, shortlisted < hired <
-- completed.

CREATE TABLE talent_pool (
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('shortlisted', 'hired', 'completed')),
    added_at TEXT NOT NULL,
    PRIMARY KEY (org_id, student_id)
);
CREATE INDEX talent_pool_student ON talent_pool(student_id);

CREATE TABLE talent_tags (
    org_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (org_id, student_id, tag),
    FOREIGN KEY (org_id, student_id) REFERENCES talent_pool(org_id, student_id) ON DELETE CASCADE
);
CREATE INDEX talent_tags_tag ON talent_tags(org_id, tag);

CREATE TABLE talent_notes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (org_id, student_id) REFERENCES talent_pool(org_id, student_id) ON DELETE CASCADE
);
CREATE INDEX talent_notes_student ON talent_notes(org_id, student_id, created_at);

CREATE TRIGGER talent_pool_application_added AFTER INSERT ON applications
WHEN NEW.status IN ('shortlisted', 'hired')
BEGIN
    INSERT INTO talent_pool (org_id, student_id, reason, added_at)
    SELECT p.org_id, NEW.student_id, NEW.status, NEW.updated_at FROM projects p WHERE p.id = NEW.project_id
    ON CONFLICT (org_id, student_id) DO UPDATE SET reason = excluded.reason
     WHERE excluded.reason = 'completed' OR (excluded.reason = 'hired' AND talent_pool.reason = 'shortlisted');
END;

CREATE TRIGGER talent_pool_application_decided AFTER UPDATE OF status ON applications
WHEN NEW.status IN ('shortlisted', 'hired') AND NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO talent_pool (org_id, student_id, reason, added_at)
    SELECT p.org_id, NEW.student_id, NEW.status, NEW.updated_at FROM projects p WHERE p.id = NEW.project_id
    ON CONFLICT (org_id, student_id) DO UPDATE SET reason = excluded.reason
     WHERE excluded.reason = 'completed' OR (excluded.reason = 'hired' AND talent_pool.reason = 'shortlisted');
END;

CREATE TRIGGER talent_pool_engagement_added AFTER INSERT ON engagements
WHEN NEW.status IN ('approved', 'paid')
BEGIN
    INSERT INTO talent_pool (org_id, student_id, reason, added_at)
    VALUES (NEW.org_id, NEW.student_id, 'completed', NEW.updated_at)
    ON CONFLICT (org_id, student_id) DO UPDATE SET reason = excluded.reason;
END;

CREATE TRIGGER talent_pool_engagement_completed AFTER UPDATE OF status ON engagements
WHEN NEW.status IN ('approved', 'paid') AND NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO talent_pool (org_id, student_id, reason, added_at)
    VALUES (NEW.org_id, NEW.student_id, 'completed', NEW.updated_at)
    ON CONFLICT (org_id, student_id) DO UPDATE SET reason = excluded.reason;
END;

-- What already happened.
INSERT INTO talent_pool (org_id, student_id, reason, added_at)
SELECT org_id, student_id, 'completed', MIN(updated_at)
  FROM engagements WHERE status IN ('approved', 'paid')
 GROUP BY org_id, student_id;
INSERT INTO talent_pool (org_id, student_id, reason, added_at)
SELECT p.org_id, a.student_id,
       CASE WHEN MAX(a.status = 'hired') THEN 'hired' ELSE 'shortlisted' END, MIN(a.updated_at)
  FROM applications a JOIN projects p ON p.id = a.project_id
 WHERE a.status IN ('shortlisted', 'hired')
 GROUP BY p.org_id, a.student_id
ON CONFLICT (org_id, student_id) DO NOTHING;

-- The outcomes report reads every application and engagement of a
-- university's confirmed students within a period. Two facts it needs lived
-- in other tables (the project's category, the time of the release in the
-- ledger) and cost a join per row; they are now kept on the row itself, and
-- covering indexes let the report read only the index.

-- The project's category when the student applied ("fields tried").
ALTER TABLE applications ADD COLUMN category TEXT;
UPDATE applications SET category = (SELECT p.category FROM projects p WHERE p.id = applications.project_id);

-- When the work was approved and the money released to the student; written
-- in the same transaction as the ledger's release entry.
ALTER TABLE engagements ADD COLUMN approved_at TIMESTAMPTZ;
UPDATE engagements SET approved_at = (
    SELECT MIN(l.created_at) FROM ledger_entries l
    WHERE l.engagement_id = engagements.id AND l.kind = 'release');

CREATE INDEX applications_student_time ON applications(student_id, created_at, status, category);
CREATE INDEX engagements_student_time ON engagements(student_id, created_at, status, currency, price_minor, approved_at, updated_at, org_id);
CREATE INDEX affiliations_university_student ON affiliations(university_id, status, student_id);
DROP INDEX affiliations_university;

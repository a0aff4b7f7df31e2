-- Projects a university's career staff feature for their students: shown on
-- the students' university page and on the school page /u/{slug} while the
-- project is open.
CREATE TABLE featured_projects (
    university_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    note TEXT,
    featured_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (university_id, project_id)
);
CREATE INDEX featured_projects_project ON featured_projects(project_id);

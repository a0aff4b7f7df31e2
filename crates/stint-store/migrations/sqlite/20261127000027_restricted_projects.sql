-- A project arranged with a university for its own students: only the
-- university's confirmed students (and its staff, and the employer) see it
-- and may apply; search, matches, alerts and the employer's public page leave
-- it out for everyone else. Set while the project is a draft.
ALTER TABLE projects ADD COLUMN restricted_to INTEGER REFERENCES organizations(id);
CREATE INDEX projects_restricted ON projects(restricted_to, status) WHERE restricted_to IS NOT NULL;

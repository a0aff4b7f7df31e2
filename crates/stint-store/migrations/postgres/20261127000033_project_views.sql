-- How many times a project's page was opened, per day, for the employer's
-- analytics. Each `stint serve` process counts in memory and adds its counts
-- here every few seconds, so a page view never waits on a write; the
-- employer's own members are not counted.

CREATE TABLE project_views (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    views BIGINT NOT NULL CHECK (views >= 0),
    PRIMARY KEY (project_id, day)
);

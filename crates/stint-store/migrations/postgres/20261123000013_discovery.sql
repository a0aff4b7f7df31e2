-- Discovery: projects a student hid from their matches ("not interested"),
-- and the match alerts already sent (one per student and project).
CREATE TABLE hidden_projects (
    student_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (student_id, project_id)
);

CREATE TABLE project_alerts (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, student_id)
);
-- The daily cap counts a student's alerts of the last day.
CREATE INDEX project_alerts_student ON project_alerts(student_id, created_at);

-- What a student can be matched on, one row per skill ("skill:sql") and
-- interest ("cat:finance"), so the students to alert for a new project are
-- found by index instead of reading every profile. Kept in step by
-- `save_profile`; filled here from the profiles so far.
CREATE TABLE student_match_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    match_key TEXT NOT NULL,
    PRIMARY KEY (match_key, user_id)
);
CREATE INDEX student_match_keys_user ON student_match_keys(user_id);
INSERT INTO student_match_keys (user_id, match_key)
    SELECT DISTINCT user_id, k FROM (
        SELECT user_id, 'skill:' || unnest(string_to_array(skills, ',')) AS k FROM student_profiles
        UNION ALL
        SELECT user_id, 'cat:' || unnest(string_to_array(interests, ',')) AS k FROM student_profiles
    ) x WHERE k NOT IN ('skill:', 'cat:')
    ON CONFLICT DO NOTHING;

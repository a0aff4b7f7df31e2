-- Academic credit: one request per application (while open), its learning
-- agreement, the employer's acknowledgement, the supervisor's approval,
-- hours logged, the reflection and the sign-off.
CREATE TABLE credit_requests (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    university_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    faculty_id INTEGER NOT NULL REFERENCES users(id),
    course_code TEXT NOT NULL,
    course_title TEXT NOT NULL,
    credits_tenths INTEGER NOT NULL CHECK (credits_tenths BETWEEN 5 AND 600),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'active', 'reflected', 'signed_off', 'withdrawn', 'ended')),
    -- One goal per line.
    goals TEXT NOT NULL DEFAULT '',
    expected_hours INTEGER,
    assessment TEXT NOT NULL DEFAULT '',
    faculty_comment TEXT,
    employer_ack_at TEXT,
    employer_ack_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    approved_at TEXT,
    -- The reflection as JSON: did, learnt, skills, differently.
    reflection TEXT,
    reflected_at TEXT,
    -- "pass", "fail" or "grade:<grade>".
    result TEXT,
    signoff_comment TEXT,
    signed_off_at TEXT,
    ended_reason TEXT,
    reminded_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX credit_requests_open ON credit_requests(application_id)
    WHERE status NOT IN ('withdrawn', 'ended');
CREATE INDEX credit_requests_student ON credit_requests(student_id);
CREATE INDEX credit_requests_faculty ON credit_requests(faculty_id, status);
CREATE INDEX credit_requests_university ON credit_requests(university_id, signed_off_at);
CREATE INDEX credit_requests_org ON credit_requests(org_id, status);

CREATE TABLE credit_hours (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES credit_requests(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    quarters INTEGER NOT NULL CHECK (quarters BETWEEN 1 AND 64),
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX credit_hours_request ON credit_hours(request_id, day);

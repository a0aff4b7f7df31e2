-- Offers beyond Stint: an employer records an offer of an internship, a
-- part-time or a full-time role to a student it worked with (one in its
-- talent pool through hiring or completed work), and the student answers
-- it: accepted in Stint, accepted outside Stint, or declined; the employer
-- may withdraw an offer not yet answered. The student chooses whether an
-- offer shows on their portfolio (off until they turn it on).

CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('internship', 'part_time', 'full_time')),
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    pay_min_minor INTEGER,
    pay_max_minor INTEGER,
    pay_currency TEXT,
    pay_period TEXT CHECK (pay_period IS NULL OR pay_period IN ('hour', 'month', 'year')),
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'accepted_elsewhere', 'declined', 'withdrawn')),
    on_profile BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    answered_at TEXT,
    CHECK ((pay_min_minor IS NULL) = (pay_currency IS NULL))
);
CREATE INDEX offers_org_time ON offers(org_id, created_at);
CREATE INDEX offers_student_time ON offers(student_id, created_at);

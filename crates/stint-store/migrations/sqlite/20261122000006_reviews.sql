-- Two-way reviews after approval; one per engagement and direction.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('of_student', 'of_employer')),
    author_id INTEGER NOT NULL REFERENCES users(id),
    rating_1 INTEGER NOT NULL CHECK (rating_1 BETWEEN 1 AND 5),
    rating_2 INTEGER NOT NULL CHECK (rating_2 BETWEEN 1 AND 5),
    rating_3 INTEGER NOT NULL CHECK (rating_3 BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    recommendation TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (engagement_id, direction)
);

-- Questions an employer asks an applicant before hiring, and the answers.
CREATE TABLE application_messages (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX application_messages_thread ON application_messages(application_id, id);

-- Files delivered with a submission. The bytes live in the file storage
-- under `storage_key` (random, never the uploaded name); `name` is the
-- sanitised name shown and offered on download.
CREATE TABLE submission_files (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX submission_files_submission ON submission_files(submission_id, id);
CREATE INDEX submission_files_engagement ON submission_files(engagement_id);

-- Which topics of notification a person also wants by email. A missing row
-- means the topic's default (see `stint_domain::notice::Topic`).
CREATE TABLE email_preferences (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, topic)
);

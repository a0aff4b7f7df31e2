-- Each person's time zone (IANA name), for showing times as they read
-- them. Empty: the student profile's zone, else UTC.
ALTER TABLE users ADD COLUMN time_zone TEXT;

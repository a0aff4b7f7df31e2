-- A placement's agreed hours a week; empty for a classic project.
ALTER TABLE projects ADD COLUMN weekly_hours INTEGER;

-- The last word of a search matches as a prefix ("compet" finds "competitor").
-- Without a prefix index FTS5 merges the lists of every word sharing a short
-- prefix on each query ("for" → for, form, format, forecast …), which doubled
-- the time of common short words. Prefix indexes for 2, 3 and 4 characters
-- keep those lists ready; longer prefixes match few words and stay cheap.
-- Rebuilt from the open projects, as the store keeps it.
DROP TABLE projects_fts;
CREATE VIRTUAL TABLE projects_fts USING fts5(title, summary, skills, brief, tokenize = 'porter unicode61', prefix = '2 3 4');
INSERT INTO projects_fts (rowid, title, summary, skills, brief)
SELECT id, title, summary, REPLACE(required_skills || ',' || preferred_skills, ',', ' ') || ' ' || category,
       brief || ' ' || deliverables
FROM projects WHERE status = 'open';

-- A category filter, newest first: walk the category's projects in date
-- order instead of sorting all of them (category=finance: 7,000 rows sorted
-- to show 20).
DROP INDEX projects_open_category;
CREATE INDEX projects_open_category ON projects(status, category, published_at);

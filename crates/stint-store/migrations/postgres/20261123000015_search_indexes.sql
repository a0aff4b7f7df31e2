-- A category filter, newest first: walk the category's projects in date
-- order instead of sorting all of them. (SQLite's migration of the same name
-- also adds prefix indexes to its full-text table; PostgreSQL's tsvector
-- prefix queries use the GIN index as they are.)
DROP INDEX projects_open_category;
CREATE INDEX projects_open_category ON projects(status, category, published_at);

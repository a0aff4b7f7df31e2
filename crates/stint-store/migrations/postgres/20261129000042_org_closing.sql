-- Organizations closed by their owners: `closed_at` is when. A closed
-- organization keeps its name for the records that show it (engagements,
-- receipts, reviews); its members, settings and talent lists are gone and
-- nobody can join it.
ALTER TABLE organizations ADD COLUMN closed_at TIMESTAMPTZ;

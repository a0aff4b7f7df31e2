-- The search index's change feed. Each `stint serve` process keeps its own
-- search index (stint-search) and brings it in step from this table: every
-- change that makes a project findable or not (published, closed, filled)
-- writes the project's id here in the same transaction, under the next
-- `seq` of the one `search_feed` row. Taking that row's lock for the rest
-- of the transaction makes feed numbers commit in order, so a reader that
-- has seen `seq` N has seen every change up to N.
--
-- `epoch` names the feed: a bulk load or a copied database gets a new one,
-- and every index that stands at another epoch is rebuilt from the projects.

CREATE TABLE search_feed (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    seq BIGINT NOT NULL,
    -- Changes up to this number are no longer kept: an index behind it is
    -- rebuilt.
    purged_to BIGINT NOT NULL DEFAULT 0
);
INSERT INTO search_feed (id, epoch, seq) VALUES (1, 'initial', 0);

CREATE TABLE search_changes (
    seq BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (seq, project_id)
);

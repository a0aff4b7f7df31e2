-- Equity answers sealed at rest: `sealed` holds the four answers encrypted
-- under the instance's secrets key (bound to the student), and the plain
-- columns stay NULL. Rows written before this migration are sealed, and
-- their plain columns cleared, by `stint serve` when it starts (SQL cannot
-- seal), so the plain columns are kept only for that conversion.
ALTER TABLE equity_attributes ADD COLUMN sealed TEXT;

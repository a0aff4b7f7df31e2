-- A sender claims a message for a while before sending it, so several
-- `stint serve` processes never send the same email twice.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

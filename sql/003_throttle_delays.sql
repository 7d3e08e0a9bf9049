-- Sign-in throttling by growing delays (docs/api.md): a key's failures and the time of its
-- last one; its failures are forgotten an hour after that. Attempts in flight are counted in
-- each node's memory now, so the rows that counted them ('pending:KEY') go.
DELETE FROM login_failures WHERE key LIKE 'pending:%';
ALTER TABLE login_failures RENAME COLUMN window_start TO last_failure;
CREATE INDEX login_failures_last ON login_failures (last_failure);

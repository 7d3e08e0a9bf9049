-- The daily notification digest (issue 7, docs/notifications.md): an account may ask for one
-- email a day listing its unread notifications. digest = 1: it wants it (off by default).
-- digest_until: the notifications created before this time (Unix seconds) were already
-- considered by a digest (or predate the switch being turned on), so that a rerun the same
-- day sends nothing twice; the next digest lists those created from it on.
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_until BIGINT NOT NULL DEFAULT 0;

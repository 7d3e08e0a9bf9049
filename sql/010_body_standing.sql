-- A body's own standing (issue 8, docs/registry.md): the suspension, withdrawal or
-- restoration of its CNCA approval or its CNAS accreditation, with dates. The history is one
-- row per event; the current standing is kept on the body's row, in the same transaction as
-- its event, so that it is one point read (and the guard of a certificate issue).

-- status: valid | suspended | withdrawn; since: the date (YYYY-MM-DD) it took effect ('' for
-- a body never changed); until: the announced end of a suspension ('' = none).
ALTER TABLE bodies ADD COLUMN approval_status TEXT NOT NULL DEFAULT 'valid';
ALTER TABLE bodies ADD COLUMN approval_since TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN approval_until TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN accreditation_status TEXT NOT NULL DEFAULT 'valid';
ALTER TABLE bodies ADD COLUMN accreditation_since TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN accreditation_until TEXT NOT NULL DEFAULT '';

-- which: approval | accreditation; from_status → to_status, from_date (until_date optional),
-- the reason, who recorded it (NULL: the platform) and when (Unix seconds).
CREATE TABLE body_standing_events (
    id @ID@,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    which TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    from_date TEXT NOT NULL,
    until_date TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX body_standing_events_body ON body_standing_events (body_id, id);

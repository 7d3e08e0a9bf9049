-- The registry: enterprises and certification bodies filled out, certificates with their
-- status history.

ALTER TABLE enterprises ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN size TEXT NOT NULL DEFAULT 'small';
ALTER TABLE enterprises ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
-- pending (self-registered, awaiting the regional regulator), approved, rejected
ALTER TABLE enterprises ADD COLUMN status TEXT NOT NULL DEFAULT 'approved';
ALTER TABLE enterprises ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN reviewed_by BIGINT;
ALTER TABLE enterprises ADD COLUMN reviewed_at BIGINT;
-- 1 when an admin registered a pilot code that fails its check characters
ALTER TABLE enterprises ADD COLUMN code_override INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enterprises ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enterprises_status ON enterprises (status);
CREATE INDEX enterprises_name ON enterprises (name);
CREATE INDEX enterprises_industry ON enterprises (industry, size);

-- code: the 3-digit body code that starts its certificate numbers
ALTER TABLE bodies ADD COLUMN code TEXT;
ALTER TABLE bodies ADD COLUMN approval_number TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN cnas_number TEXT NOT NULL DEFAULT '';
-- shown to users, never used to rank (DOMAIN.md: ranking is blind to age and size)
ALTER TABLE bodies ADD COLUMN founded TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX bodies_code ON bodies (code);

-- Province codes a body serves, comma-separated ("440000,450000"); '' = nationwide.
ALTER TABLE bodies ADD COLUMN regions TEXT NOT NULL DEFAULT '';

CREATE TABLE certificates (
    id @ID@,
    number TEXT NOT NULL UNIQUE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    standard TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    scope_areas TEXT NOT NULL DEFAULT '',     -- comma-separated codes
    scope_stages TEXT NOT NULL DEFAULT '',
    issued TEXT NOT NULL,                     -- YYYY-MM-DD
    expires TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'withdrawn', 'expired')),
    status_changed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX certificates_enterprise ON certificates (enterprise_id);
CREATE INDEX certificates_body ON certificates (body_id, status);
CREATE INDEX certificates_expires ON certificates (expires);

-- Every status a certificate has had, with the reason and who set it.
CREATE TABLE certificate_events (
    id @ID@,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users (id)
);
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id, at);

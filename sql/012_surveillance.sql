-- The certificate lifecycle after the decision (issue 8, docs/registry.md "Lifecycle"):
-- surveillance audits, maintain / suspend / withdraw, and renewal into the next cycle.

-- cycle: 0 for the initial certification, 1 for the first recertification, …;
-- previous_id: the certificate this one renews (NULL for an initial one; at most one renewal
-- each: the unique index is the guard of two renewals at once);
-- decision_date: the certification decision (YYYY-MM-DD), the issue date unless told;
-- surveillances_done: 0, 1 or 2 surveillance audits recorded in this cycle;
-- surveillance_due: the latest date of the next surveillance ('' when none is due: after the
-- second, or when it would fall on or after the expiry: recertification takes over).
ALTER TABLE certificates ADD COLUMN cycle INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN previous_id BIGINT REFERENCES certificates (id);
ALTER TABLE certificates ADD COLUMN decision_date TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN surveillances_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN surveillance_due TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX certificates_previous ON certificates (previous_id);
CREATE INDEX certificates_surveillance_due ON certificates (surveillance_due);

-- Existing certificates: decided on their issue date; the first surveillance falls due on the
-- anniversary of the decision (29 February: 28 February), the rule of domain/certificate.c
-- cert_surveillance_due, written here in the SQL both databases share (substr, ||, CAST).
UPDATE certificates SET decision_date = issued;
UPDATE certificates SET surveillance_due =
    CAST(CAST(substr(issued, 1, 4) AS INTEGER) + 1 AS TEXT)
    || CASE WHEN substr(issued, 5, 6) = '-02-29' THEN '-02-28' ELSE substr(issued, 5, 6) END
    WHERE length(issued) = 10;
UPDATE certificates SET surveillance_due = '' WHERE surveillance_due >= expires;

-- One row per surveillance audit: seq 1 or 2 in the certificate's cycle (unique: of two
-- recordings of the same audit at once one is refused), the audit's date, the outcome and its
-- reason (required for suspended and withdrawn), who recorded it and when (Unix seconds).
CREATE TABLE certificate_surveillances (
    id @ID@,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq IN (1, 2)),
    audit_date TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('maintained', 'suspended', 'withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    UNIQUE (certificate_id, seq)
);

-- The notices the daily surveillance jobs sent, once per certificate, due date and kind:
-- 'd60' and 'd14' (reminders before the due date), 'overdue' (the flag: the due date passed
-- without a surveillance; the body and the regulator were told).
CREATE TABLE surveillance_notices (
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    due TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('d60', 'd14', 'overdue')),
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (certificate_id, due, kind)
);

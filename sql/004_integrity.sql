-- Integrity of the registry: the CNCA approval and CNAS accreditation numbers belong to one
-- body each (an empty one is no number), renamed enterprises and bodies keep their former
-- names, and the certificate history records expiry changes beside status changes.

CREATE UNIQUE INDEX bodies_approval_number ON bodies (approval_number) WHERE approval_number <> '';
CREATE UNIQUE INDEX bodies_cnas_number ON bodies (cnas_number) WHERE cnas_number <> '';

-- A name an enterprise or a body had until replaced_at (Unix seconds), written in the
-- transaction of the rename; user_id: who renamed it.
CREATE TABLE name_history (
    id @ID@,
    entity TEXT NOT NULL CHECK (entity IN ('enterprise', 'body')),
    entity_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users (id)
);
CREATE INDEX name_history_entity ON name_history (entity, entity_id, replaced_at);
-- How often each was renamed (its rows in name_history): the many never renamed are answered,
-- public verification above all, without looking there.
ALTER TABLE enterprises ADD COLUMN renames BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bodies ADD COLUMN renames BIGINT NOT NULL DEFAULT 0;

-- kind: 'status' (from_status → to_status) or 'expiry' (expires_from → expires_to; the status
-- is unchanged and stands in both from_status and to_status).
ALTER TABLE certificate_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'expiry'));
ALTER TABLE certificate_events ADD COLUMN expires_from TEXT NOT NULL DEFAULT '';
ALTER TABLE certificate_events ADD COLUMN expires_to TEXT NOT NULL DEFAULT '';

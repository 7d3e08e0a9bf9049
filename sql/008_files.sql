-- Files: contents stored once by their SHA-256 (hex), in the database itself so that every
-- node reaches them and a backup holds them (docs/decisions.md); type is the MIME type that
-- libmagic decided from the bytes, never the name or the declared type. An attachment ties a
-- content to the record that owns it, under the file name as given (sanitised).
CREATE TABLE file_contents (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    type TEXT NOT NULL,
    content @BLOB@ NOT NULL,
    created_at BIGINT NOT NULL
);

-- A certificate import through the API (POST /api/certificates/imports): who ran it, when, and
-- the JSON report it gave; its CSV is the attachment owned by ('certificate_import', id).
CREATE TABLE certificate_imports (
    id @ID@,
    user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    report TEXT NOT NULL
);

-- owner: 'enterprise' (documents such as the business licence) or 'certificate_import'.
CREATE TABLE attachments (
    id @ID@,
    sha256 TEXT NOT NULL REFERENCES file_contents (sha256),
    owner TEXT NOT NULL CHECK (owner IN ('enterprise', 'certificate_import')),
    owner_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner, owner_id, id);
CREATE INDEX attachments_sha256 ON attachments (sha256);

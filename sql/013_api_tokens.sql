-- API tokens (issue 8, docs/api.md "API tokens"): a body's own systems push certificates with
-- `Authorization: Bearer gb_…`. The token is shown once, at creation; only its SHA-256 (hex, as
-- for sessions) is stored, with a prefix of it (the first characters, "gb_" included) shown in
-- lists so that staff can recognise it. A token acts as its body on the certificate routes only.
-- last_used_at is touched at most once a minute; revoked_at/revoked_by: 0/NULL while valid.
CREATE TABLE api_tokens (
    id @ID@,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0,
    revoked_by BIGINT REFERENCES users (id)
);
CREATE INDEX api_tokens_body ON api_tokens (body_id, id);

-- Foundation: organisations (filled out by the registry migration), users, sessions,
-- login throttling, settings. Shared by SQLite and PostgreSQL; @ID@ is an auto id.

CREATE TABLE enterprises (
    id @ID@,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises (region);

CREATE TABLE bodies (
    id @ID@,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id @ID@,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('enterprise', 'body', 'regulator', 'admin')),
    enterprise_id BIGINT REFERENCES enterprises (id),
    body_id BIGINT REFERENCES bodies (id),
    region TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    CHECK (role <> 'enterprise' OR enterprise_id IS NOT NULL),
    CHECK (role <> 'body' OR body_id IS NOT NULL)
);

-- token_hash: SHA-256 of the 256-bit cookie token, hex; the token itself is never stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    refreshed_at BIGINT NOT NULL,
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins per key ('login:NAME' or 'addr:IP') in the current window.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

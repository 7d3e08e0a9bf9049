-- The tamper-evident audit log (docs/audit.md): one entry per record written, each chained to
-- the one before by its SHA-256 hash. On PostgreSQL audit_head holds the chain's last sequence
-- number and hash in one row, locked by every writer (SELECT … FOR UPDATE), so that several
-- nodes keep one chain; on SQLite (one writer at a time) the last entry is the head and the row
-- stays as created. region: the record's GB/T 2260 region, for regulators' scope.
CREATE TABLE audit_log (
    seq @ID@,                     -- given by the writer (the head's seq + 1), never generated
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL DEFAULT 0,
    actor_login TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL DEFAULT '',
    actor_org TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- No index besides the sequence: every index is written by every audited write, and the log's
-- cost on a write is held under 20 % (bench/audit; an index on entity_id cost about 10 points).
-- The lists (newest first, by seq) filter while scanning, on a worker (WORK_SCAN).

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

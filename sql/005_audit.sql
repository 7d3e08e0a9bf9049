-- The tamper-evident audit log (docs/audit.md): one entry per record written, each chained to
-- the one before by its SHA-256 hash. audit_head holds the chain's last sequence number and
-- hash in one row, locked by every writer (SELECT … FOR UPDATE on PostgreSQL), so that several
-- nodes keep one chain. region: the record's GB/T 2260 region, for regulators' scope.
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
-- One index besides the sequence: every index is written by every audited write (the log's cost
-- on a write is measured by bench/audit); a record's history (?entity_id=, the search box) is the
-- lookup worth one. The lists (newest first, by seq) filter the rest while scanning.
CREATE INDEX audit_log_entity_id ON audit_log (entity_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

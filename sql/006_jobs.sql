-- The background job queue (docs/jobs.md). A job is enqueued in the transaction of the change
-- that needs it; a runner claims due queued jobs (state running, locked_by its node, a lease
-- until locked_until), then marks them done, or queued again with a later run_at after a
-- failure (backoff), or dead with last_error after max_attempts. A running job whose lease
-- expired (its node died mid-run) is queued again. locked_by stays as the node that ran it last.
CREATE TABLE jobs (
    id @ID@,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    run_at BIGINT NOT NULL,
    locked_by TEXT NOT NULL DEFAULT '',
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
-- claiming due jobs (state = 'queued' AND run_at <= now), finding expired leases (state =
-- 'running'), and counting by state
CREATE INDEX jobs_due ON jobs (state, run_at);

-- Recurring jobs: a schedule fires when next_run has come; the node whose UPDATE moves
-- next_run on enqueues its job in the same transaction, so it fires on exactly one node.
CREATE TABLE schedules (
    name TEXT PRIMARY KEY,
    next_run BIGINT NOT NULL
);

-- The effectiveness check (issue 10, docs/effectiveness.md): the indicator catalogue as data
-- (DOMAIN.md "Indicators", extendable by an admin), each enterprise's yearly values with every
-- change kept (who, when, the previous value) and the body's verification, the imports of
-- indicator files, and the stored results of the effectiveness index (method v1), recomputed by
-- the job effectiveness_refresh when their inputs change. Times are Unix seconds.

-- One indicator: code (imports match it or the Chinese name), names, category, unit, kind
-- (count and amount change as ln((after+1)/(before+1)); share in percentage points),
-- lower_is_better (1 for ↓), its place in the catalogue's order. Rows are never deleted (values
-- refer to them); an admin retires one with retired = 1.
CREATE TABLE indicators (
    id @ID@,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('quality', 'benefit', 'management')),
    unit TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('count', 'share', 'amount')),
    lower_is_better BIGINT NOT NULL DEFAULT 0 CHECK (lower_is_better IN (0, 1)),
    position BIGINT NOT NULL,
    retired BIGINT NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- An enterprise's value of an indicator for a year. A blank is no row (missing, never zero).
-- source: form (the enterprise's page), import (a file: CLI or upload), seed (demo data).
-- verified_by_body: the body that marked it verified during its audit (audit_id), cleared
-- when the value changes.
CREATE TABLE indicator_values (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    year BIGINT NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    value DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('form', 'import', 'seed')),
    verified_by_body BIGINT REFERENCES bodies (id),
    verified_audit_id BIGINT REFERENCES audits (id),
    verified_at BIGINT,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator_id, year)
);
CREATE INDEX indicator_values_indicator ON indicator_values (indicator_id, year);

-- Every change of a value: set (old_value NULL when new), removed (new_value NULL), verified,
-- unverified; by a user (user_id) or a body (body_id with the user), with the import it came
-- from (import_id) when one. Append-only.
CREATE TABLE indicator_value_events (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    year BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('set', 'removed', 'verified', 'unverified')),
    old_value DOUBLE PRECISION,
    new_value DOUBLE PRECISION,
    source TEXT NOT NULL DEFAULT '',
    import_id BIGINT,
    user_id BIGINT REFERENCES users (id),
    body_id BIGINT REFERENCES bodies (id),
    at BIGINT NOT NULL
);
CREATE INDEX indicator_value_events_value ON indicator_value_events (enterprise_id, indicator_id, year, id);

-- One import of an indicator file (CLI or upload): the file (files.sha256 when uploaded), its
-- layout (long, wide) and encoding (utf-8, gbk), whether it was a dry run, the counts and the
-- rejected rows (JSON array of {row, column, code, message}); state of an upload run as a job.
CREATE TABLE indicator_imports (
    id @ID@,
    file_name TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL DEFAULT '',
    layout TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    dry_run BIGINT NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    rows_total BIGINT NOT NULL DEFAULT 0,
    rows_done BIGINT NOT NULL DEFAULT 0,
    accepted BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    rejected_count BIGINT NOT NULL DEFAULT 0,
    rejected TEXT NOT NULL DEFAULT '[]',
    error TEXT NOT NULL DEFAULT '',
    job_id BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);

-- The effectiveness index of an enterprise (method v1, DOMAIN.md), one row per evaluated
-- enterprise, replaced by each run of effectiveness_refresh. certified_year: the issue year of
-- its first certificate; body_id: the body that issued it. index_value NULL when no indicator
-- could be evaluated (verdict and grade then ''). verdict: significant_improvement (≥ 65),
-- improvement (≥ 55), no_change (> 45), decline (≤ 45). peer_level: the narrowest peer group
-- every indicator found (industry, size, none: unadjusted, grade dropped). detail: the JSON
-- array of the indicators as GET /api/enterprises/{id}/effectiveness shows them, so that every
-- number can be traced.
CREATE TABLE effectiveness_results (
    enterprise_id BIGINT PRIMARY KEY REFERENCES enterprises (id),
    method TEXT NOT NULL,
    certified_year BIGINT NOT NULL,
    body_id BIGINT REFERENCES bodies (id),
    index_value DOUBLE PRECISION,
    quality DOUBLE PRECISION,
    benefit DOUBLE PRECISION,
    management DOUBLE PRECISION,
    verdict TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    form_only BIGINT NOT NULL DEFAULT 0 CHECK (form_only IN (0, 1)),
    indicators_present BIGINT NOT NULL DEFAULT 0,
    indicators_verified BIGINT NOT NULL DEFAULT 0,
    peer_level TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '[]',
    computed_at BIGINT NOT NULL
);
CREATE INDEX effectiveness_results_body ON effectiveness_results (body_id);

-- The run the rows above came from: the method, when, how many were evaluated; one row.
CREATE TABLE effectiveness_runs (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    method TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    evaluated BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL
);

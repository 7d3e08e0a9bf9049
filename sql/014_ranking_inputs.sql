-- The ranking (issue 8, docs/marketplace.md "Ranking"): beside each body's result, the inputs
-- it was computed from, and one row of the platform-wide values of the last run, so that a
-- body can see why it stands where it does (GET /api/bodies/{id}/ranking).

-- Means of the body's counted reviews on 1–5 (NULL when it has none), its decided engagements
-- within / beyond the committed lead time, and the client outcomes counted (0 until issue 10).
ALTER TABLE ranking_results ADD COLUMN mean_professionalism DOUBLE PRECISION;
ALTER TABLE ranking_results ADD COLUMN mean_effectiveness DOUBLE PRECISION;
ALTER TABLE ranking_results ADD COLUMN mean_timeliness DOUBLE PRECISION;
ALTER TABLE ranking_results ADD COLUMN mean_commitment DOUBLE PRECISION;
ALTER TABLE ranking_results ADD COLUMN mean_rating DOUBLE PRECISION;
ALTER TABLE ranking_results ADD COLUMN engagements_within BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ranking_results ADD COLUMN engagements_beyond BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ranking_results ADD COLUMN outcomes BIGINT NOT NULL DEFAULT 0;

-- The one row (id 1) of the last run: method and time (computed_at 0: never run), the bodies
-- ranked, and the platform means every body is shrunk toward. Locking it (FOR UPDATE on
-- PostgreSQL) serialises the runs and ranking_refresh_enqueue (store/ranking.h).
CREATE TABLE ranking_platform (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    method TEXT NOT NULL DEFAULT '',
    computed_at BIGINT NOT NULL DEFAULT 0,
    bodies BIGINT NOT NULL DEFAULT 0,
    reviews BIGINT NOT NULL DEFAULT 0,
    mean_professionalism DOUBLE PRECISION,
    mean_effectiveness DOUBLE PRECISION,
    mean_timeliness DOUBLE PRECISION,
    mean_commitment DOUBLE PRECISION,
    mean_rating DOUBLE PRECISION NOT NULL DEFAULT 3,
    engagements_within BIGINT NOT NULL DEFAULT 0,
    engagements_beyond BIGINT NOT NULL DEFAULT 0,
    share_within DOUBLE PRECISION NOT NULL DEFAULT 0.5
);
INSERT INTO ranking_platform (id) VALUES (1);

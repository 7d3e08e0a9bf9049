-- The certification-service marketplace (issue 8, docs/marketplace.md): bodies' versioned
-- service commitments, engagements between an enterprise and a body under a commitment,
-- conflict-of-interest ties, verified feedback with the body's one reply, complaints, and the
-- stored result of the ranking job. Dates are 'YYYY-MM-DD' text, times Unix seconds.

-- A commitment is the stable thing a body offers; each publication is a new row of
-- commitment_versions, never changed afterwards. version is the current one's number.
-- status: published (the current version is in the catalogue) | withdrawn (it is not).
CREATE TABLE commitments (
    id @ID@,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    version BIGINT NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX commitments_body ON commitments (body_id, status);

-- One published version. Lists are comma-separated codes: areas and stages as a certificate's
-- scope (domain/certificate.h), regions GB/T 2260 province codes ('' = nationwide), industries
-- GB/T 4754 section letters ('' = all), effectiveness_coverage the indicator categories its
-- effectiveness check covers (quality, benefit, management). Man-days per enterprise size,
-- prices in yuan, lead time from application to decision in days, response time in hours.
CREATE TABLE commitment_versions (
    id @ID@,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    version BIGINT NOT NULL,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    edition TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '',
    stages TEXT NOT NULL DEFAULT '',
    regions TEXT NOT NULL DEFAULT '',
    industries TEXT NOT NULL DEFAULT '',
    effectiveness_coverage TEXT NOT NULL DEFAULT '',
    effectiveness_method TEXT NOT NULL DEFAULT '',
    man_days_large DOUBLE PRECISION NOT NULL,
    man_days_medium DOUBLE PRECISION NOT NULL,
    man_days_small DOUBLE PRECISION NOT NULL,
    man_days_micro DOUBLE PRECISION NOT NULL,
    price_min BIGINT NOT NULL,
    price_max BIGINT NOT NULL,
    lead_time_days BIGINT NOT NULL,
    response_hours BIGINT NOT NULL,
    surveillance_terms TEXT NOT NULL DEFAULT '',
    complaint_channel TEXT NOT NULL DEFAULT '',
    change_note TEXT NOT NULL DEFAULT '',
    published_by BIGINT REFERENCES users (id),
    published_at BIGINT NOT NULL,
    UNIQUE (commitment_id, version)
);
CREATE INDEX commitment_versions_body ON commitment_versions (body_id);

-- A known tie between an enterprise and a body that makes them unfit for each other
-- (DOMAIN.md: a body may not certify an enterprise it consulted for, and such an enterprise
-- may not rate it). source: enterprise (declared when requesting), body, regulator.
CREATE TABLE consulting_ties (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    source TEXT NOT NULL CHECK (source IN ('enterprise', 'body', 'regulator')),
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    UNIQUE (enterprise_id, body_id, source)
);
CREATE INDEX consulting_ties_body ON consulting_ties (body_id, enterprise_id);

-- An engagement: an enterprise's request under one version of a commitment, and what the body
-- made of it. status: requested → active (accepted, with the body's conflict-of-interest
-- declaration) | declined (with a reason) | cancelled (by the enterprise before acceptance);
-- active → decided (decision certified or not_certified, on decision_date). stage: the last
-- stage reached (application, stage1, stage2, decision, surveillance1, surveillance2,
-- recertification; dates in engagement_stages). committed_lead_days is copied from the version
-- requested under; lead_days = decision_date − the application date, within_commitment 1 when
-- lead_days <= committed_lead_days (the ranking's commitment input).
CREATE TABLE engagements (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    commitment_version BIGINT NOT NULL,
    committed_lead_days BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested', 'active', 'declined', 'cancelled', 'decided')),
    stage TEXT NOT NULL DEFAULT 'application',
    request_note TEXT NOT NULL DEFAULT '',
    requested_by BIGINT REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    application_date TEXT NOT NULL,
    responded_by BIGINT REFERENCES users (id),
    responded_at BIGINT,
    decline_reason TEXT NOT NULL DEFAULT '',
    coi_statement TEXT NOT NULL DEFAULT '',
    coi_declared_by BIGINT REFERENCES users (id),
    coi_declared_at BIGINT,
    decision TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'certified', 'not_certified')),
    decision_date TEXT NOT NULL DEFAULT '',
    lead_days BIGINT,
    within_commitment BIGINT,
    certificate_id BIGINT REFERENCES certificates (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX engagements_enterprise ON engagements (enterprise_id, status);
CREATE INDEX engagements_body ON engagements (body_id, status);
CREATE INDEX engagements_commitment ON engagements (commitment_id);
-- a certificate's engagement (engagements.certificate_id is the one link between the two)
CREATE INDEX engagements_certificate ON engagements (certificate_id);

-- The date each stage of an engagement took place, one row per stage.
CREATE TABLE engagement_stages (
    id @ID@,
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    stage TEXT NOT NULL,
    date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    UNIQUE (engagement_id, stage)
);

-- Verified feedback: one per engagement (the UNIQUE is the guard against a second one), four
-- ratings 1–5, a comment; editable by its enterprise until editable_until, each earlier
-- version kept in feedback_versions. A regulator may hide it with a reason (the public then
-- sees a placeholder). The body may reply once.
CREATE TABLE feedback (
    id @ID@,
    engagement_id BIGINT NOT NULL UNIQUE REFERENCES engagements (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    author_id BIGINT REFERENCES users (id),
    professionalism BIGINT NOT NULL CHECK (professionalism BETWEEN 1 AND 5),
    effectiveness BIGINT NOT NULL CHECK (effectiveness BETWEEN 1 AND 5),
    timeliness BIGINT NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
    commitment BIGINT NOT NULL CHECK (commitment BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    editable_until BIGINT NOT NULL,
    hidden BIGINT NOT NULL DEFAULT 0,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by BIGINT REFERENCES users (id),
    hidden_at BIGINT,
    reply TEXT,
    reply_by BIGINT REFERENCES users (id),
    reply_at BIGINT
);
CREATE INDEX feedback_body ON feedback (body_id, hidden, created_at);
CREATE INDEX feedback_enterprise ON feedback (enterprise_id);

-- Earlier versions of a review, as they were before each edit.
CREATE TABLE feedback_versions (
    id @ID@,
    feedback_id BIGINT NOT NULL REFERENCES feedback (id),
    version BIGINT NOT NULL,
    professionalism BIGINT NOT NULL,
    effectiveness BIGINT NOT NULL,
    timeliness BIGINT NOT NULL,
    commitment BIGINT NOT NULL,
    comment TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    UNIQUE (feedback_id, version)
);

-- A complaint about a body under an engagement (optionally with a review): received →
-- under_review → upheld | dismissed, each step in complaint_events with its note.
CREATE TABLE complaints (
    id @ID@,
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    feedback_id BIGINT REFERENCES feedback (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'under_review', 'upheld', 'dismissed')),
    resolution TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX complaints_body ON complaints (body_id, status);
CREATE INDEX complaints_enterprise ON complaints (enterprise_id);

CREATE TABLE complaint_events (
    id @ID@,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

-- The last result of the ranking job (domain/ranking.h, method v1), one row per body:
-- overall score and its 80 % interval, the three components, the number of reviews counted,
-- the rank (equal scores share one).
CREATE TABLE ranking_results (
    body_id BIGINT PRIMARY KEY REFERENCES bodies (id),
    method TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    low DOUBLE PRECISION NOT NULL,
    high DOUBLE PRECISION NOT NULL,
    rating DOUBLE PRECISION NOT NULL,
    outcome DOUBLE PRECISION NOT NULL,
    commitment DOUBLE PRECISION NOT NULL,
    reviews BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    computed_at BIGINT NOT NULL
);

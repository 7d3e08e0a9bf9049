-- Compliance records (issue 9, docs/compliance.md): the clause catalogues of GB/T 29490 as data
-- with versions, self-assessments clause by clause, internal and external audits with a finding
-- per clause and the effectiveness-check section, management reviews, and the register of
-- nonconformities with their corrective actions. Dates are 'YYYY-MM-DD' text, times Unix
-- seconds. Records keep the catalogue version they were made against.

-- One imported version of an edition's clause catalogue ('2013' or '2023'). The newest version
-- of an edition is the current one; older versions stay for the records made against them.
CREATE TABLE clause_catalogues (
    id @ID@,
    edition TEXT NOT NULL CHECK (edition IN ('2013', '2023')),
    version BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    imported_by BIGINT REFERENCES users (id),
    imported_at BIGINT NOT NULL,
    UNIQUE (edition, version)
);

-- A clause: its number ("7.3"), title, parent's number ('' at the top), our own guidance and
-- typical evidence (never the standard's text), provisional when its number or title is not
-- confirmed (DOMAIN.md), and its place in the catalogue's order.
CREATE TABLE clauses (
    id @ID@,
    catalogue_id BIGINT NOT NULL REFERENCES clause_catalogues (id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    parent TEXT NOT NULL DEFAULT '',
    guidance TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    provisional BIGINT NOT NULL DEFAULT 0,
    position BIGINT NOT NULL,
    UNIQUE (catalogue_id, number)
);

-- An enterprise's self-assessment against one catalogue version: one row per clause assessed
-- (status conforming, partly, not_conforming, not_applicable), each change in
-- assessment_item_events. Evidence files are attachments of the enterprise (owner
-- 'enterprise'), linked to the item in evidence_links.
CREATE TABLE self_assessments (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    catalogue_id BIGINT NOT NULL REFERENCES clause_catalogues (id),
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX self_assessments_enterprise ON self_assessments (enterprise_id, id);

CREATE TABLE assessment_items (
    id @ID@,
    assessment_id BIGINT NOT NULL REFERENCES self_assessments (id),
    clause_number TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('conforming', 'partly', 'not_conforming', 'not_applicable')),
    notes TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    UNIQUE (assessment_id, clause_number)
);

CREATE TABLE assessment_item_events (
    id @ID@,
    item_id BIGINT NOT NULL REFERENCES assessment_items (id),
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX assessment_item_events_item ON assessment_item_events (item_id, id);

-- An audit: internal (by the enterprise, body_id NULL) or external (stage1, stage2,
-- surveillance, recertification: by the body, under an engagement). Plan (dates, auditors,
-- scope, the clauses sampled in audit_findings), a finding per clause, and the mandatory
-- effectiveness-check section (what was examined, what it showed; effectiveness_report_id links
-- the effectiveness issue's report when there is one). status planned → in_progress →
-- signed_off; a signed-off audit never changes: a correction is a new revision (revision + 1,
-- previous_id the one it corrects), and both stay readable.
CREATE TABLE audits (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT REFERENCES bodies (id),
    engagement_id BIGINT REFERENCES engagements (id),
    certificate_id BIGINT REFERENCES certificates (id),
    kind TEXT NOT NULL CHECK (kind IN ('internal', 'stage1', 'stage2', 'surveillance', 'recertification')),
    catalogue_id BIGINT NOT NULL REFERENCES clause_catalogues (id),
    title TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    auditors TEXT NOT NULL DEFAULT '',            -- names, one per line
    lead_auditor TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'signed_off')),
    revision BIGINT NOT NULL DEFAULT 1,
    previous_id BIGINT REFERENCES audits (id),
    effectiveness_examined TEXT NOT NULL DEFAULT '',
    effectiveness_findings TEXT NOT NULL DEFAULT '',
    effectiveness_report_id BIGINT,
    conclusion TEXT NOT NULL DEFAULT '',
    signed_off_by BIGINT REFERENCES users (id),
    signed_off_at BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX audits_enterprise ON audits (enterprise_id, id);
CREATE INDEX audits_body ON audits (body_id, id);
CREATE INDEX audits_engagement ON audits (engagement_id);
-- one correction of a revision at a time: two racing corrections make one new revision
CREATE UNIQUE INDEX audits_previous ON audits (previous_id);

-- The clauses an audit samples, and the finding for each (DOMAIN.md's vocabulary: conforming,
-- minor, major, not_applicable, observation; '' while not yet found), with notes and evidence.
CREATE TABLE audit_findings (
    id @ID@,
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    clause_number TEXT NOT NULL,
    finding TEXT NOT NULL DEFAULT ''
        CHECK (finding IN ('', 'conforming', 'minor', 'major', 'not_applicable', 'observation')),
    notes TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    UNIQUE (audit_id, clause_number)
);

-- Management reviews (管理评审) of an enterprise.
CREATE TABLE management_reviews (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    date TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL DEFAULT '',
    decisions TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX management_reviews_enterprise ON management_reviews (enterprise_id, date);

-- The nonconformity register of an enterprise. status: open → action_planned → implemented →
-- effective | not_effective; not_effective → reopened → action_planned … (each step in
-- nonconformity_events). raised_by_audit_id the audit that found it; closed_by_audit_id the
-- one that verified it effective.
CREATE TABLE nonconformities (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    raised_by_audit_id BIGINT REFERENCES audits (id),
    closed_by_audit_id BIGINT REFERENCES audits (id),
    catalogue_id BIGINT NOT NULL REFERENCES clause_catalogues (id),
    clause_number TEXT NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('major', 'minor')),
    description TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    root_cause TEXT NOT NULL DEFAULT '',
    correction TEXT NOT NULL DEFAULT '',
    corrective_action TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'action_planned', 'implemented', 'effective', 'not_effective', 'reopened')),
    verification TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nonconformities_enterprise ON nonconformities (enterprise_id, status);
CREATE INDEX nonconformities_clause ON nonconformities (clause_number);
CREATE INDEX nonconformities_due ON nonconformities (status, due_date);

CREATE TABLE nonconformity_events (
    id @ID@,
    nonconformity_id BIGINT NOT NULL REFERENCES nonconformities (id),
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    audit_id BIGINT REFERENCES audits (id),
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX nonconformity_events_nc ON nonconformity_events (nonconformity_id, id);

-- Evidence: an enterprise's attachment (attachments.owner 'enterprise') linked to what it
-- supports: an assessment item, an audit finding or a nonconformity.
CREATE TABLE evidence_links (
    id @ID@,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    subject TEXT NOT NULL CHECK (subject IN ('assessment_item', 'audit_finding', 'nonconformity')),
    subject_id BIGINT NOT NULL,
    UNIQUE (attachment_id, subject, subject_id)
);
CREATE INDEX evidence_links_subject ON evidence_links (subject, subject_id);

-- An enterprise's grant to a body of access to its evidence, for an engagement (a body reads an
-- enterprise's evidence only while a grant stands).
CREATE TABLE evidence_grants (
    id @ID@,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    engagement_id BIGINT REFERENCES engagements (id),
    granted_by BIGINT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX evidence_grants_pair ON evidence_grants (enterprise_id, body_id);

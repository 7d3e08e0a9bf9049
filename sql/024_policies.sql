-- The fair-policy checker (issue 12, docs/policies.md): the rules as versioned data, the local
-- policy documents regulators register, each text revision with the findings the checker made
-- in it, and the regulator's decision on each finding. Times are Unix seconds.

-- A version of the rule set (data/policy-rules.json's shape, as JSON text). The newest version
-- is current; older ones stay, so that a finding still shows the rule it was made under. The
-- platform's own first version is loaded from data/policy-rules.json when there is none.
CREATE TABLE policy_rulesets (
    id @ID@,
    version BIGINT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- A local support policy: who issued it, for which region (GB/T 2260 code; a regulator reaches
-- the policies of its own region prefix, the national office all), its dates (YYYY-MM-DD or
-- NULL), and the review's outcome:
--   unreviewed  registered (or its text changed after it was judged compliant)
--   compliant   every finding of the current revision dismissed, or none
--   to_amend    at least one finding of the current revision confirmed
--   amended     was to_amend, and a later revision has no pending or confirmed finding
-- to_amend_revision is the revision judged to_amend (amended needs a later one).
CREATE TABLE policies (
    id @ID@,
    title TEXT NOT NULL,
    office TEXT NOT NULL,
    region TEXT NOT NULL,
    document_number TEXT NOT NULL DEFAULT '',
    issued_on TEXT,
    effective_from TEXT,
    effective_until TEXT,
    status TEXT NOT NULL DEFAULT 'unreviewed'
        CHECK (status IN ('unreviewed', 'compliant', 'to_amend', 'amended')),
    status_note TEXT NOT NULL DEFAULT '',
    status_by BIGINT REFERENCES users (id),
    status_at BIGINT,
    to_amend_revision BIGINT,
    current_revision BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX policies_region ON policies (region, status);
CREATE INDEX policies_status ON policies (status, updated_at);

-- A policy document uploaded through the file service (POST /api/policy-files): its bytes are
-- kept once in file_contents (by SHA-256, type decided by libmagic), with its name as given and
-- the format document_format_detect() saw; a revision made from it names it in file_id.
CREATE TABLE policy_files (
    id @ID@,
    sha256 TEXT NOT NULL REFERENCES file_contents (sha256),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    source_format TEXT NOT NULL CHECK (source_format IN ('text', 'html', 'docx', 'pdf')),
    uploaded_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- A text of a policy: the first as registered, later ones amended. The text is what the
-- checker read (extracted from the uploaded file, which stays in the file service when there is
-- one); source_format is text, html, docx or pdf; ruleset_version the rules it was checked by.
CREATE TABLE policy_revisions (
    id @ID@,
    policy_id BIGINT NOT NULL REFERENCES policies (id),
    revision BIGINT NOT NULL,
    text TEXT NOT NULL,
    source_format TEXT NOT NULL DEFAULT 'text' CHECK (source_format IN ('text', 'html', 'docx', 'pdf')),
    file_id BIGINT REFERENCES policy_files (id),
    ruleset_version BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (policy_id, revision)
);

-- A finding the checker made in a revision (offsets in Unicode characters of the revision's
-- text, end exclusive; excerpt is that span), and the regulator's decision with its reason.
CREATE TABLE policy_findings (
    id @ID@,
    policy_id BIGINT NOT NULL REFERENCES policies (id),
    revision_id BIGINT NOT NULL REFERENCES policy_revisions (id),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    start_char BIGINT NOT NULL,
    end_char BIGINT NOT NULL,
    excerpt TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'confirmed', 'dismissed')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT
);
CREATE INDEX policy_findings_revision ON policy_findings (revision_id, start_char);
CREATE INDEX policy_findings_policy ON policy_findings (policy_id, decision);

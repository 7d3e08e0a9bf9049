-- The learning platform (issue 11, docs/learning.md): courses of ordered lessons in Markdown,
-- authored by regulators and admins through draft → review → published, each publication of a
-- lesson kept as an immutable revision; the clauses of GB/T 29490 a lesson teaches; and the one
-- table every searchable text is copied into (search_documents), which the search index is built
-- from. Times are Unix seconds. Other parts of the issue add their own tables (quizzes and
-- progress, activities, the forum, the search index and log) in later migrations.

-- A course. category: clauses (the standard's clauses), policy (政策解读), briefing (业务宣讲),
-- auditor (internal-auditor training). status: draft → review → published (→ archived); a
-- published course is in the public catalogue. Its quiz: quiz_size questions drawn at random
-- from its bank, pass_mark percent to pass, max_attempts (0: unlimited).
CREATE TABLE courses (
    id @ID@,
    category TEXT NOT NULL CHECK (category IN ('clauses', 'policy', 'briefing', 'auditor')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL DEFAULT '' CHECK (edition IN ('', '2013', '2023')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published', 'archived')),
    position BIGINT NOT NULL DEFAULT 0,
    quiz_size BIGINT NOT NULL DEFAULT 10 CHECK (quiz_size >= 0),
    pass_mark BIGINT NOT NULL DEFAULT 60 CHECK (pass_mark BETWEEN 0 AND 100),
    max_attempts BIGINT NOT NULL DEFAULT 3 CHECK (max_attempts >= 0),
    created_by BIGINT REFERENCES users (id),
    reviewed_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX courses_status ON courses (status, category, position);

-- A lesson of a course, in its order. The working copy (title, markdown, video_url) is edited
-- while status is draft; review → published copies it into lesson_revisions as the next revision,
-- and published_revision names the one readers see. Editing a published lesson starts a new
-- draft (status draft, published_revision unchanged) until it is published again.
CREATE TABLE lessons (
    id @ID@,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    markdown TEXT NOT NULL DEFAULT '',
    video_url TEXT NOT NULL DEFAULT '',
    minutes BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published')),
    published_revision BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX lessons_course ON lessons (course_id, position);

-- Every publication of a lesson, never changed: what readers saw then.
CREATE TABLE lesson_revisions (
    id @ID@,
    lesson_id BIGINT NOT NULL REFERENCES lessons (id),
    revision BIGINT NOT NULL,
    title TEXT NOT NULL,
    markdown TEXT NOT NULL,
    video_url TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES users (id),
    reviewer_id BIGINT REFERENCES users (id),
    published_at BIGINT NOT NULL,
    UNIQUE (lesson_id, revision)
);

-- The clauses a lesson teaches (edition and number of the clause catalogue, sql/015).
CREATE TABLE lesson_clauses (
    lesson_id BIGINT NOT NULL REFERENCES lessons (id),
    edition TEXT NOT NULL CHECK (edition IN ('2013', '2023')),
    clause_number TEXT NOT NULL,
    PRIMARY KEY (lesson_id, edition, clause_number)
);

-- Every searchable text, one row per thing (type: lesson, course, announcement, topic,
-- commitment, …; ref_id its id), written by the thing's own writes through
-- store/search.h search_document_put / search_document_remove in their transactions; url is
-- the page that shows it. The search index (a later migration) is built from these rows.
CREATE TABLE search_documents (
    id @ID@,
    type TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    public BIGINT NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
    updated_at BIGINT NOT NULL,
    UNIQUE (type, ref_id)
);

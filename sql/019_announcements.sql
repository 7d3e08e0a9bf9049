-- Learning content (issue 11, docs/learning.md "Content"): announcements shown on the home pages,
-- and a stable slug for courses so that other parts (the quiz slice's question banks, the demo
-- seed) can find a course without knowing its id. Times are Unix seconds.

-- A course's stable name ('' for courses made in the web app; the seed's courses have one).
ALTER TABLE courses ADD COLUMN slug TEXT NOT NULL DEFAULT '';
CREATE INDEX courses_slug ON courses (slug);

-- An announcement: Markdown text; draft until published (then public, searchable as type
-- announcement); pinned ones are listed first.
CREATE TABLE announcements (
    id @ID@,
    title TEXT NOT NULL,
    markdown TEXT NOT NULL DEFAULT '',
    pinned BIGINT NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX announcements_status ON announcements (status, pinned, published_at);

-- The author of a lesson's working copy as it is now (its last editor): the approval of a
-- lesson needs another author (docs/decisions.md, "four eyes").
ALTER TABLE lessons ADD COLUMN edited_by BIGINT REFERENCES users (id);

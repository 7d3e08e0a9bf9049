-- The exchange forum (issue 11, docs/learning.md "Exchange"): categories, topics and replies in
-- Markdown, one accepted answer per topic, followers, abuse reports (one open report per user and
-- item: the partial unique index is the guard) and the hourly posting counters that carry the
-- rate limits (the upsert's WHERE count < limit is the guard). Times are Unix seconds.
CREATE TABLE forum_categories (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- A topic; hidden ones show a placeholder to others than their author and moderators.
CREATE TABLE forum_topics (
    id @ID@,
    category_id BIGINT NOT NULL REFERENCES forum_categories (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    reply_count BIGINT NOT NULL DEFAULT 0,
    accepted_reply_id BIGINT,
    hidden BIGINT NOT NULL DEFAULT 0,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by BIGINT REFERENCES users (id),
    hidden_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_post_at BIGINT NOT NULL
);
CREATE INDEX forum_topics_latest ON forum_topics (category_id, last_post_at);
CREATE INDEX forum_topics_last ON forum_topics (last_post_at);

CREATE TABLE forum_replies (
    id @ID@,
    topic_id BIGINT NOT NULL REFERENCES forum_topics (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    hidden BIGINT NOT NULL DEFAULT 0,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by BIGINT REFERENCES users (id),
    hidden_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX forum_replies_topic ON forum_replies (topic_id, id);

CREATE TABLE forum_follows (
    topic_id BIGINT NOT NULL REFERENCES forum_topics (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX forum_follows_user ON forum_follows (user_id);

-- An abuse report of a topic or a reply. status: open → dismissed | actioned (the item hidden).
CREATE TABLE forum_reports (
    id @ID@,
    item_type TEXT NOT NULL CHECK (item_type IN ('topic', 'reply')),
    item_id BIGINT NOT NULL,
    topic_id BIGINT NOT NULL REFERENCES forum_topics (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'actioned')),
    created_at BIGINT NOT NULL,
    closed_by BIGINT REFERENCES users (id),
    closed_at BIGINT
);
CREATE UNIQUE INDEX forum_reports_one_open ON forum_reports (item_type, item_id, reporter_id) WHERE status = 'open';
CREATE INDEX forum_reports_status ON forum_reports (status, created_at);

-- Posts per user, kind (topic | reply) and clock hour (window = Unix seconds / 3600).
CREATE TABLE forum_post_counts (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, window_start)
);

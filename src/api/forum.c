/* The exchange forum (issue 11, docs/learning.md "Exchange"; sql/022_forum.sql): categories
 * (admins add them), topics and replies in Markdown (the server renders `html` with
 * core/markdown.h), one accepted answer per topic (its author or a moderator marks it), follows
 * (followers are notified of new replies, type "forum"; a topic's author and its repliers
 * follow it), abuse reports (one open report per user
 * and item) and the moderators' queue, hiding and showing again with a reason. Moderators are
 * admins and regulators. Everyone reads; any signed-in user posts, within the hourly rate limits
 * (FORUM_TOPICS_PER_HOUR, FORUM_REPLIES_PER_HOUR) counted inside the write. Every write is
 * audited; topics are copied into search_documents (store/search.h) while visible. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/markdown.h"
#include "report/notices.h"
#include "store/audit.h"
#include "store/search.h"

enum {
    FORUM_TOPICS_PER_HOUR = 5,
    FORUM_REPLIES_PER_HOUR = 30,
    TITLE_MAX_CHARS = 120,
    BODY_MAX_CHARS = 20000,
    REASON_MAX_CHARS = 500,
};

static bool is_moderator(const call_t *c)
{
    return c->user.id != 0 && (c->user.role == ROLE_ADMIN || c->user.role == ROLE_REGULATOR);
}

/* May the caller see a hidden item of this author (its author or a moderator)? */
static bool sees_hidden(const call_t *c, int64_t author_id)
{
    return is_moderator(c) || (c->user.id != 0 && c->user.id == author_id);
}

static void iso_or_null(jw_t *w, const char *key, int64_t t)
{
    jw_key(w, key);
    if (t == 0) {
        jw_null(w);
        return;
    }
    char iso[21];
    time_iso(t, iso);
    jw_str(w, iso);
}

static void author_write(jw_t *w, int64_t id, const char *name)
{
    jw_key(w, "author");
    jw_object(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_end(w);
}

static const char *html_of(call_t *c, const char *markdown)
{
    const char *html = markdown_html(&c->arena, markdown, strlen(markdown));
    return html ? html : "";
}

/* Takes one post of kind ("topic" | "reply") from the caller's hourly allowance, inside the
 * caller's open transaction: the upsert's WHERE refuses the post over the limit, so concurrent
 * posts cannot exceed it. 1 taken; 0 over the limit (answered 429 rate_limited with Retry-After);
 * -1 database error (not answered). */
static int rate_take(call_t *c, const char *kind, int64_t limit)
{
    int64_t now = now_seconds(), window = now / 3600;
    stmt_t *st = db_query(c->db,
                          "INSERT INTO forum_post_counts (user_id, kind, window_start, count) VALUES ($1, $2, $3, 1) "
                          "ON CONFLICT (user_id, kind, window_start) DO UPDATE SET count = forum_post_counts.count + 1 "
                          "WHERE forum_post_counts.count < $4 RETURNING count",
                          "ItII", c->user.id, kind, window, limit);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    if (rc == STORE_ROW)
        return 1;
    if (rc == STORE_ERROR)
        return -1;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)((window + 1) * 3600 - now));
    call_header(c, "retry-after", secs);
    call_error(c, "rate_limited", NULL, secs);
    return 0;
}

/* ---- categories ---- */

static void category_write(jw_t *w, stmt_t *st)
{
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "name", stmt_text(st, 1));
    jw_kstr(w, "name_en", stmt_text(st, 2));
    jw_kstr(w, "description", stmt_text(st, 3));
    jw_kint(w, "position", stmt_int(st, 4));
    jw_kint(w, "topic_count", stmt_int(st, 5));
    jw_end(w);
}

#define CATEGORY_SELECT                                                                                            \
    "SELECT c.id, c.name, c.name_en, c.description, c.position, (SELECT COUNT(*) FROM forum_topics t WHERE "      \
    "t.category_id = c.id AND t.hidden = 0) FROM forum_categories c"

void api_forum_categories(call_t *c)
{
    stmt_t *st = db_query(c->db, CATEGORY_SELECT " ORDER BY c.position, c.id", "");
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW)
            category_write(w, st);
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "forum categories");
}

static void answer_category(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, CATEGORY_SELECT " WHERE c.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        category_write(call_json_begin(c, status), st);
    stmt_done(st);
    if (rc == STORE_DONE)
        call_error(c, "forum_category_not_found", NULL);
    else if (rc != STORE_ROW)
        call_db_error(c, "forum category");
}

void api_forum_category_show(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id != 0)
        answer_category(c, 200, id);
}

void api_forum_category_create(call_t *c)
{
    static const char *const fields[] = {"name", "name_en", "description", "position", NULL};
    const char *name = NULL, *name_en = "", *description = "";
    int64_t position = 0;
    body_only(c, fields);
    body_string(c, "name", FIELD_REQUIRED, 1, 40, &name);
    body_string(c, "name_en", 0, 0, 60, &name_en);
    body_string(c, "description", 0, 0, 500, &description);
    body_int(c, "position", 0, 0, 1000000, &position);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "forum category insert");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "INSERT INTO forum_categories (name, name_en, description, position, created_at) VALUES "
                          "($1, $2, $3, $4, $5) RETURNING id",
                          "tttII", name, name_en, description, position, now_seconds());
    int64_t id = st ? stmt_insert_id(st) : -1;
    if (id == 0) {
        db_finish(c->db, 0);
        call_error(c, "forum_category_exists", "name");
        return;
    }
    char after[64];
    snprintf(after, sizeof after, "{\"position\":%lld}", (long long)position);
    bool ok = id > 0 && audit_record_id(c->db, &actor, "forum.category.create", "forum_category", id, "", NULL, after);
    if (!call_write_done(c, db_finish(c->db, ok ? 1 : -1), "forum category insert"))
        return;
    answer_category(c, 201, id);
}

/* ---- topics ---- */

typedef struct topic_row {
    int64_t id, category_id, author_id, reply_count, accepted_reply_id, created_at, updated_at, last_post_at;
    int64_t hidden_at;
    bool hidden;
    const char *category_name, *author_name, *title, *body, *hidden_reason;
} topic_row_t;

#define TOPIC_COLUMNS                                                                                              \
    "t.id, t.category_id, c.name, t.author_id, u.name, t.title, t.body, t.reply_count, t.accepted_reply_id, "     \
    "t.hidden, t.hidden_reason, t.hidden_at, t.created_at, t.updated_at, t.last_post_at"
#define TOPIC_FROM                                                                                                 \
    "forum_topics t JOIN forum_categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id"

static void topic_read(stmt_t *st, arena_t *a, topic_row_t *t)
{
    t->id = stmt_int(st, 0);
    t->category_id = stmt_int(st, 1);
    t->category_name = arena_strdup(a, stmt_text(st, 2));
    t->author_id = stmt_int(st, 3);
    t->author_name = arena_strdup(a, stmt_text(st, 4));
    t->title = arena_strdup(a, stmt_text(st, 5));
    t->body = arena_strdup(a, stmt_text(st, 6));
    t->reply_count = stmt_int(st, 7);
    t->accepted_reply_id = stmt_is_null(st, 8) ? 0 : stmt_int(st, 8);
    t->hidden = stmt_int(st, 9) != 0;
    t->hidden_reason = arena_strdup(a, stmt_text(st, 10));
    t->hidden_at = stmt_is_null(st, 11) ? 0 : stmt_int(st, 11);
    t->created_at = stmt_int(st, 12);
    t->updated_at = stmt_int(st, 13);
    t->last_post_at = stmt_int(st, 14);
}

/* The fields a topic shares in lists and on its page; a hidden topic shows its title, body and
 * reason only to its author and moderators (others see a placeholder: empty texts). */
static void topic_fields(call_t *c, jw_t *w, const topic_row_t *t, bool with_body)
{
    bool shown = !t->hidden || sees_hidden(c, t->author_id);
    jw_kint(w, "id", t->id);
    jw_key(w, "category");
    jw_object(w);
    jw_kint(w, "id", t->category_id);
    jw_kstr(w, "name", t->category_name);
    jw_end(w);
    jw_kstr(w, "title", shown ? t->title : "");
    author_write(w, t->author_id, t->author_name);
    jw_kint(w, "reply_count", t->reply_count);
    jw_kid(w, "accepted_reply_id", t->accepted_reply_id);
    jw_kbool(w, "hidden", t->hidden);
    jw_kstr(w, "hidden_reason", t->hidden && shown ? t->hidden_reason : NULL);
    iso_or_null(w, "created_at", t->created_at);
    iso_or_null(w, "updated_at", t->updated_at);
    iso_or_null(w, "last_post_at", t->last_post_at);
    if (with_body) {
        jw_kstr(w, "body", shown ? t->body : "");
        jw_kstr(w, "html", shown ? html_of(c, t->body) : "");
    }
}

static void topic_list_row(call_t *c, stmt_t *st, jw_t *w)
{
    topic_row_t t;
    topic_read(st, &c->arena, &t);
    jw_object(w);
    topic_fields(c, w, &t, false);
    jw_end(w);
}

/* 1 found, 0 none, -1 error. */
static int topic_get(call_t *c, int64_t id, topic_row_t *t)
{
    stmt_t *st = db_query(c->db, "SELECT " TOPIC_COLUMNS " FROM " TOPIC_FROM " WHERE t.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        topic_read(st, &c->arena, t);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Topic {id} of the path, or answers 404 forum_topic_not_found (or the database error). */
static bool topic_load(call_t *c, topic_row_t *t)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = topic_get(c, id, t);
    if (rc < 0)
        call_db_error(c, "forum topic lookup");
    else if (rc == 0)
        call_error(c, "forum_topic_not_found", NULL);
    return rc == 1;
}

/* GET /api/forum/topics: latest first; hidden topics only for moderators (and their authors). */
void api_forum_topics(call_t *c)
{
    int page, per_page;
    int64_t category_id = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "category_id", 1, INT64_MAX, &category_id))
        return;
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " TOPIC_FROM " WHERE TRUE");
    query_init(&list, "SELECT " TOPIC_COLUMNS " FROM " TOPIC_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (category_id != 0)
            query_and_int(both[i], "t.category_id = $?", category_id);
        if (!is_moderator(c))
            query_and_int(both[i], "(t.hidden = 0 OR t.author_id = $?)", c->user.id);
    }
    query_sql(&list, " ORDER BY t.last_post_at DESC, t.id DESC");
    answer_list(c, &count, &list, page, per_page, topic_list_row, "forum topics");
}

/* GET /api/forum/topics/{id}: the topic, its replies oldest first, and what the caller may do. */
static void answer_topic(call_t *c, int status, int64_t id)
{
    topic_row_t t;
    int rc = topic_get(c, id, &t);
    if (rc != 1) {
        if (rc == 0)
            call_error(c, "forum_topic_not_found", NULL);
        else
            call_db_error(c, "forum topic");
        return;
    }
    bool following = false;
    if (c->user.id != 0) {
        stmt_t *f = db_query(c->db, "SELECT 1 FROM forum_follows WHERE topic_id = $1 AND user_id = $2", "II", id,
                             c->user.id);
        int frc = f ? stmt_step(f) : STORE_ERROR;
        stmt_done(f);
        if (frc == STORE_ERROR) {
            call_db_error(c, "forum follow");
            return;
        }
        following = frc == STORE_ROW;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT r.id, r.author_id, u.name, r.body, r.hidden, r.hidden_reason, r.created_at FROM "
                          "forum_replies r JOIN users u ON u.id = r.author_id WHERE r.topic_id = $1 ORDER BY r.id",
                          "I", id);
    if (st == NULL) {
        call_db_error(c, "forum replies");
        return;
    }
    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    topic_fields(c, w, &t, true);
    jw_kbool(w, "following", following);
    jw_kbool(w, "can_moderate", is_moderator(c));
    jw_kbool(w, "can_accept", is_moderator(c) || (c->user.id != 0 && c->user.id == t.author_id));
    jw_key(w, "replies");
    jw_array(w);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t author = stmt_int(st, 1);
        bool hidden = stmt_int(st, 4) != 0, shown = !hidden || sees_hidden(c, author);
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 0));
        author_write(w, author, stmt_text(st, 2));
        jw_kstr(w, "body", shown ? stmt_text(st, 3) : "");
        jw_kstr(w, "html", shown ? html_of(c, stmt_text(st, 3)) : "");
        jw_kbool(w, "hidden", hidden);
        jw_kstr(w, "hidden_reason", hidden && shown ? stmt_text(st, 5) : NULL);
        jw_kbool(w, "accepted", stmt_int(st, 0) == t.accepted_reply_id);
        iso_or_null(w, "created_at", stmt_int(st, 6));
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "forum replies");
}

void api_forum_topic_show(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id != 0)
        answer_topic(c, 200, id);
}

static bool search_put_topic(db_t *db, int64_t id, const char *title, const char *body)
{
    char url[48];
    snprintf(url, sizeof url, "/forum/topics/%lld", (long long)id);
    return search_document_put(db, "topic", id, title, body, url);
}

/* The audit entry's object of a text change: {"title":…,"body":…} (title NULL: body only). */
static const char *texts_json(call_t *c, const char *title, const char *body, int64_t ref_key, const char *ref_name)
{
    buf_t b;
    buf_init(&b, 1u << 20);
    jw_t w;
    jw_init(&w, &b);
    jw_object(&w);
    if (ref_name != NULL)
        jw_kint(&w, ref_name, ref_key);
    if (title != NULL)
        jw_kstr(&w, "title", title);
    if (body != NULL)
        jw_kstr(&w, "body", body);
    jw_end(&w);
    const char *out = arena_strdup(&c->arena, b.data ? b.data : "{}");
    buf_free(&b);
    return out;
}

/* POST /api/forum/topics */
void api_forum_topic_create(call_t *c)
{
    static const char *const fields[] = {"category_id", "title", "body", NULL};
    int64_t category_id = 0;
    const char *title = NULL, *body = NULL;
    body_only(c, fields);
    body_int(c, "category_id", FIELD_REQUIRED, 1, INT64_MAX, &category_id);
    body_string(c, "title", FIELD_REQUIRED, 2, TITLE_MAX_CHARS, &title);
    body_string(c, "body", FIELD_REQUIRED, 1, BODY_MAX_CHARS, &body);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "forum topic insert");
        return;
    }
    int taken = rate_take(c, "topic", FORUM_TOPICS_PER_HOUR);
    if (taken != 1) {
        db_finish(c->db, -1);
        if (taken < 0)
            call_db_error(c, "forum rate");
        return;
    }
    int64_t id = -1;
    stmt_t *st = db_query(c->db,
                          "INSERT INTO forum_topics (category_id, author_id, title, body, created_at, updated_at, "
                          "last_post_at) SELECT id, $2, $3, $4, $5, $5, $5 FROM forum_categories WHERE id = $1 "
                          "RETURNING id",
                          "IIttI", category_id, c->user.id, title, body, now);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        id = stmt_int(st, 0);
    stmt_done(st);
    if (rc == STORE_DONE) {
        db_finish(c->db, 0);
        call_error(c, "forum_category_not_found", "category_id");
        return;
    }
    bool ok = id > 0 &&
              db_run(c->db, "INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3)", "III", id,
                     c->user.id, now) == 1 &&
              search_put_topic(c->db, id, title, body) &&
              audit_record_id(c->db, &actor, "forum.topic.create", "forum_topic", id, "", NULL,
                              texts_json(c, title, body, category_id, "category_id"));
    if (!call_write_done(c, db_finish(c->db, ok ? 1 : -1), "forum topic insert"))
        return;
    answer_topic(c, 201, id);
}

/* PATCH /api/forum/topics/{id}: its author edits the title or body. */
void api_forum_topic_update(call_t *c)
{
    static const char *const fields[] = {"title", "body", NULL};
    topic_row_t t;
    if (!topic_load(c, &t))
        return;
    const char *title = NULL, *body = NULL;
    body_only(c, fields);
    body_string(c, "title", 0, 2, TITLE_MAX_CHARS, &title);
    body_string(c, "body", 0, 1, BODY_MAX_CHARS, &body);
    if (call_answered(c))
        return;
    if (t.author_id != c->user.id) {
        call_error(c, "forum_not_author", NULL);
        return;
    }
    const char *new_title = title ? title : t.title, *new_body = body ? body : t.body;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db, "UPDATE forum_topics SET title = $2, body = $3, updated_at = $4 WHERE id = $1",
                         "IttI", t.id, new_title, new_body, now_seconds());
        if (rc == 1 && ((!t.hidden && !search_put_topic(c->db, t.id, new_title, new_body)) ||
                        !audit_record_id(c->db, &actor, "forum.topic.edit", "forum_topic", t.id, "",
                                         texts_json(c, title ? t.title : NULL, body ? t.body : NULL, 0, NULL),
                                         texts_json(c, title, body, 0, NULL))))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "forum topic edit"))
        return;
    answer_topic(c, 200, t.id);
}

/* POST /api/forum/topics/{id}/replies */
void api_forum_reply_create(call_t *c)
{
    static const char *const fields[] = {"body", NULL};
    topic_row_t t;
    if (!topic_load(c, &t))
        return;
    const char *body = NULL;
    body_only(c, fields);
    body_string(c, "body", FIELD_REQUIRED, 1, BODY_MAX_CHARS, &body);
    if (call_answered(c))
        return;
    if (t.hidden && !is_moderator(c)) {
        call_error(c, "forum_topic_hidden", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "forum reply insert");
        return;
    }
    int taken = rate_take(c, "reply", FORUM_REPLIES_PER_HOUR);
    if (taken != 1) {
        db_finish(c->db, -1);
        if (taken < 0)
            call_db_error(c, "forum rate");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "INSERT INTO forum_replies (topic_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) "
                          "RETURNING id",
                          "IItI", t.id, c->user.id, body, now);
    int64_t id = st ? stmt_insert_id(st) : -1;
    bool ok = id > 0 &&
              db_run(c->db, "UPDATE forum_topics SET reply_count = reply_count + 1, last_post_at = $2 WHERE id = $1",
                     "II", t.id, now) == 1 &&
              db_run(c->db,
                     "INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT "
                     "(topic_id, user_id) DO NOTHING",
                     "III", t.id, c->user.id, now) >= 0 &&
              notice_forum_reply(c->db, t.id, c->user.id) >= 0 &&
              audit_record_id(c->db, &actor, "forum.reply.create", "forum_reply", id, "", NULL,
                              texts_json(c, NULL, body, t.id, "topic_id"));
    if (!call_write_done(c, db_finish(c->db, ok ? 1 : -1), "forum reply insert"))
        return;
    answer_topic(c, 201, t.id);
}

/* POST /api/forum/topics/{id}/accept {"reply_id": id | null}: one accepted answer at a time. */
void api_forum_accept(call_t *c)
{
    static const char *const fields[] = {"reply_id", NULL};
    topic_row_t t;
    if (!topic_load(c, &t))
        return;
    int64_t reply_id = 0;
    body_only(c, fields);
    if (!body_has(c, "reply_id"))
        call_error(c, "missing_field", "reply_id");
    body_int(c, "reply_id", FIELD_NULLABLE, 1, INT64_MAX, &reply_id);
    if (call_answered(c))
        return;
    if (!is_moderator(c) && t.author_id != c->user.id) {
        call_error(c, "forum_not_author", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        if (reply_id == 0)
            rc = (int)db_run(c->db, "UPDATE forum_topics SET accepted_reply_id = NULL WHERE id = $1", "I", t.id);
        else
            rc = (int)db_run(c->db,
                             "UPDATE forum_topics SET accepted_reply_id = $2 WHERE id = $1 AND EXISTS (SELECT 1 FROM "
                             "forum_replies r WHERE r.id = $2 AND r.topic_id = $1 AND r.hidden = 0)",
                             "II", t.id, reply_id);
        if (rc == 1) {
            char before[64], after[64];
            snprintf(before, sizeof before, "{\"accepted_reply_id\":%lld}", (long long)t.accepted_reply_id);
            snprintf(after, sizeof after, "{\"accepted_reply_id\":%lld}", (long long)reply_id);
            if (!audit_record_id(c->db, &actor, "forum.topic.accept", "forum_topic", t.id, "", before, after))
                rc = -1;
        }
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "forum_reply_not_found", "reply_id");
        return;
    }
    if (!call_write_done(c, rc, "forum accept"))
        return;
    answer_topic(c, 200, t.id);
}

/* PUT / DELETE /api/forum/topics/{id}/follow */
static void follow_change(call_t *c, bool follow)
{
    topic_row_t t;
    if (!topic_load(c, &t))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        int64_t n = follow ? db_run(c->db,
                                    "INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3) ON "
                                    "CONFLICT (topic_id, user_id) DO NOTHING",
                                    "III", t.id, c->user.id, now_seconds())
                           : db_run(c->db, "DELETE FROM forum_follows WHERE topic_id = $1 AND user_id = $2", "II",
                                    t.id, c->user.id);
        rc = n < 0 ? -1 : 1;
        if (n > 0 && !audit_record_id(c->db, &actor, follow ? "forum.topic.follow" : "forum.topic.unfollow",
                                      "forum_topic", t.id, "", NULL, NULL))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "forum follow"))
        return;
    answer_topic(c, 200, t.id);
}

void api_forum_follow(call_t *c)
{
    follow_change(c, true);
}

void api_forum_unfollow(call_t *c)
{
    follow_change(c, false);
}

/* ---- reports and moderation ---- */

/* The topic of an item (a topic: itself), its author and whether it is hidden: 1 found, 0 none,
 * -1 error. */
static int item_get(call_t *c, bool reply, int64_t id, int64_t *topic_id, int64_t *author_id, bool *hidden,
                    const char **title, const char **body)
{
    stmt_t *st = db_query(c->db,
                          reply ? "SELECT r.topic_id, r.author_id, r.hidden, t.title, r.body FROM forum_replies r JOIN "
                                  "forum_topics t ON t.id = r.topic_id WHERE r.id = $1"
                                : "SELECT id, author_id, hidden, title, body FROM forum_topics WHERE id = $1",
                          "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        *topic_id = stmt_int(st, 0);
        *author_id = stmt_int(st, 1);
        *hidden = stmt_int(st, 2) != 0;
        *title = arena_strdup(&c->arena, stmt_text(st, 3));
        *body = arena_strdup(&c->arena, stmt_text(st, 4));
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

#define REPORT_COLUMNS                                                                                             \
    "p.id, p.item_type, p.item_id, p.topic_id, t.title, p.reason, p.status, p.reporter_id, u.name, p.created_at, " \
    "CASE WHEN p.item_type = 'topic' THEN t.hidden ELSE (SELECT r.hidden FROM forum_replies r WHERE r.id = "       \
    "p.item_id) END, CASE WHEN p.item_type = 'topic' THEN t.body ELSE (SELECT r.body FROM forum_replies r WHERE "  \
    "r.id = p.item_id) END"
#define REPORT_FROM "forum_reports p JOIN forum_topics t ON t.id = p.topic_id JOIN users u ON u.id = p.reporter_id"

static void report_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "item_type", stmt_text(st, 1));
    jw_kint(w, "item_id", stmt_int(st, 2));
    jw_kint(w, "topic_id", stmt_int(st, 3));
    jw_kstr(w, "topic_title", stmt_text(st, 4));
    jw_kstr(w, "reason", stmt_text(st, 5));
    jw_kstr(w, "status", stmt_text(st, 6));
    jw_key(w, "reporter");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 7));
    jw_kstr(w, "name", stmt_text(st, 8));
    jw_end(w);
    iso_or_null(w, "created_at", stmt_int(st, 9));
    jw_kbool(w, "item_hidden", stmt_int(st, 10) != 0);
    const char *text = stmt_text(st, 11);
    size_t n = strlen(text) > 300 ? 300 : strlen(text);
    while (n > 0 && n < strlen(text) && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;     /* not in the middle of a UTF-8 character */
    jw_key(w, "excerpt");
    jw_strn(w, text, n);
    jw_end(w);
}

static void answer_report(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " REPORT_COLUMNS " FROM " REPORT_FROM " WHERE p.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        report_row(c, st, call_json_begin(c, status));
    stmt_done(st);
    if (rc == STORE_DONE)
        call_error(c, "forum_report_not_found", NULL);
    else if (rc != STORE_ROW)
        call_db_error(c, "forum report");
}

static bool item_type_valid(const char *s)
{
    return strcmp(s, "topic") == 0 || strcmp(s, "reply") == 0;
}

/* POST /api/forum/reports {"item_type","item_id","reason"} */
void api_forum_report_create(call_t *c)
{
    static const char *const fields[] = {"item_type", "item_id", "reason", NULL};
    const char *item_type = NULL, *reason = NULL;
    int64_t item_id = 0;
    body_only(c, fields);
    body_string(c, "item_type", FIELD_REQUIRED, 1, 10, &item_type);
    body_int(c, "item_id", FIELD_REQUIRED, 1, INT64_MAX, &item_id);
    body_string(c, "reason", FIELD_REQUIRED, 2, REASON_MAX_CHARS, &reason);
    if (item_type != NULL && !item_type_valid(item_type))
        call_invalid(c, "item_type", "应为 topic 或 reply", "must be topic or reply");
    if (call_answered(c))
        return;
    bool reply = strcmp(item_type, "reply") == 0, hidden;
    int64_t topic_id, author_id;
    const char *title, *body;
    int found = item_get(c, reply, item_id, &topic_id, &author_id, &hidden, &title, &body);
    if (found <= 0) {
        if (found < 0)
            call_db_error(c, "forum item");
        else
            call_error(c, reply ? "forum_reply_not_found" : "forum_topic_not_found", "item_id");
        return;
    }
    audit_actor_t actor = call_actor(c);
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "forum report insert");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "INSERT INTO forum_reports (item_type, item_id, topic_id, reporter_id, reason, created_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                          "tIIItI", item_type, item_id, topic_id, c->user.id, reason, now_seconds());
    int64_t id = st ? stmt_insert_id(st) : -1;
    if (id == 0) {
        db_finish(c->db, 0);
        call_error(c, "forum_report_exists", NULL);
        return;
    }
    bool ok = id > 0 && audit_record_id(c->db, &actor, "forum.report.create", "forum_report", id, "", NULL,
                                        texts_json(c, NULL, NULL, item_id, reply ? "reply_id" : "topic_id"));
    if (!call_write_done(c, db_finish(c->db, ok ? 1 : -1), "forum report insert"))
        return;
    answer_report(c, 201, id);
}

/* GET /api/forum/reports: the moderation queue (status=open by default), oldest first. */
void api_forum_reports(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *status = call_query(c, "status");
    if (status == NULL || status[0] == '\0')
        status = "open";
    if (strcmp(status, "open") != 0 && strcmp(status, "dismissed") != 0 && strcmp(status, "actioned") != 0) {
        call_invalid(c, "status", "应为 open、dismissed 或 actioned", "must be open, dismissed or actioned");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " REPORT_FROM " WHERE TRUE");
    query_init(&list, "SELECT " REPORT_COLUMNS " FROM " REPORT_FROM " WHERE TRUE");
    query_and_text(&count, "p.status = $?", status);
    query_and_text(&list, "p.status = $?", status);
    query_sql(&list, " ORDER BY p.created_at, p.id");
    answer_list(c, &count, &list, page, per_page, report_row, "forum reports");
}

/* POST /api/forum/reports/{id}/dismiss: an open report closed without action. */
void api_forum_report_dismiss(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE forum_reports SET status = 'dismissed', closed_by = $2, closed_at = $3 WHERE id = $1 "
                         "AND status = 'open'",
                         "III", id, c->user.id, now_seconds());
        if (rc == 1 && !audit_record_id(c->db, &actor, "forum.report.dismiss", "forum_report", id, "",
                                        "{\"status\":\"open\"}", "{\"status\":\"dismissed\"}"))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        stmt_t *st = db_query(c->db, "SELECT 1 FROM forum_reports WHERE id = $1", "I", id);
        int e = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        call_error(c, e == STORE_ROW ? "forum_report_closed" : "forum_report_not_found", NULL);
        return;
    }
    if (!call_write_done(c, rc, "forum report dismiss"))
        return;
    answer_report(c, 200, id);
}

/* Hide or show again a topic or a reply (moderators). Hiding needs a reason, closes the item's
 * open reports as actioned and takes a topic out of search; showing puts it back. The guard is
 * the hidden flag in the UPDATE: 409 when it is already as asked. */
static void hide_change(call_t *c, bool reply, bool hide)
{
    static const char *const fields[] = {"reason", NULL};
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    const char *reason = "";
    body_only(c, fields);
    if (hide)
        body_string(c, "reason", FIELD_REQUIRED, 2, REASON_MAX_CHARS, &reason);
    if (call_answered(c))
        return;
    int64_t topic_id, author_id;
    bool hidden;
    const char *title, *body;
    int found = item_get(c, reply, id, &topic_id, &author_id, &hidden, &title, &body);
    if (found <= 0) {
        if (found < 0)
            call_db_error(c, "forum item");
        else
            call_error(c, reply ? "forum_reply_not_found" : "forum_topic_not_found", NULL);
        return;
    }
    const char *table = reply ? "forum_replies" : "forum_topics";
    char sql[256];
    snprintf(sql, sizeof sql,
             hide ? "UPDATE %s SET hidden = 1, hidden_reason = $2, hidden_by = $3, hidden_at = $4 WHERE id = $1 AND "
                    "hidden = 0"
                  : "UPDATE %s SET hidden = 0, hidden_reason = $2, hidden_by = $3, hidden_at = $4 WHERE id = $1 AND "
                    "hidden = 1",
             table);
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db, sql, "ItII", id, reason, c->user.id, now);
        bool ok = true;
        if (rc == 1 && hide)
            ok = db_run(c->db,
                        "UPDATE forum_reports SET status = 'actioned', closed_by = $3, closed_at = $4 WHERE "
                        "item_type = $1 AND item_id = $2 AND status = 'open'",
                        "tIII", reply ? "reply" : "topic", id, c->user.id, now) >= 0;
        if (rc == 1 && !reply)
            ok = ok && (hide ? search_document_remove(c->db, "topic", id) : search_put_topic(c->db, id, title, body));
        if (rc == 1 && ok) {
            char action[40];
            snprintf(action, sizeof action, "forum.%s.%s", reply ? "reply" : "topic", hide ? "hide" : "unhide");
            buf_t b;
            buf_init(&b, 8192);
            jw_t w;
            jw_init(&w, &b);
            jw_object(&w);
            jw_kbool(&w, "hidden", hide);
            if (hide)
                jw_kstr(&w, "reason", reason);
            jw_end(&w);
            ok = audit_record_id(c->db, &actor, action, reply ? "forum_reply" : "forum_topic", id, "",
                                 hide ? "{\"hidden\":false}" : "{\"hidden\":true}", b.data ? b.data : "{}");
            buf_free(&b);
        }
        if (rc == 1 && !ok)
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, hide ? "forum_already_hidden" : "forum_not_hidden", NULL);
        return;
    }
    if (!call_write_done(c, rc, "forum hide"))
        return;
    answer_topic(c, 200, topic_id);
}

void api_forum_topic_hide(call_t *c)
{
    hide_change(c, false, true);
}

void api_forum_topic_unhide(call_t *c)
{
    hide_change(c, false, false);
}

void api_forum_reply_hide(call_t *c)
{
    hide_change(c, true, true);
}

void api_forum_reply_unhide(call_t *c)
{
    hide_change(c, true, false);
}

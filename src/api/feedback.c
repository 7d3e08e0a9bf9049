/* Verified feedback on certification bodies (issue 8, docs/marketplace.md "Feedback and
 * complaints"): an enterprise reviews a body once per decided engagement (the UNIQUE on
 * feedback.engagement_id is the guard), edits it for 90 days keeping every earlier version, the
 * body replies once (guarded by `reply IS NULL`), a regulator of the enterprise's region hides
 * a review with a recorded reason (the public then sees a placeholder) or shows it again.
 * The public list of a body's reviews is GET /api/bodies/{id}/feedback; complaints are in
 * complaints.c. Every write is audited (entity "feedback") and notified (report/notices.h). */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "store/audit.h"
#include "store/ranking.h"

enum { FEEDBACK_EDIT_DAYS = 90, COMMENT_MAX_CHARS = 2000, REASON_MAX_CHARS = 500 };

static const char *const rating_names[] = {"professionalism", "effectiveness", "timeliness", "commitment", NULL};

/* A review as the scoped routes show it. Strings are in the call's arena. */
typedef struct feedback_row {
    int64_t id, engagement_id, body_id, enterprise_id, version;
    int64_t created_at, updated_at, editable_until, hidden_at, reply_at;
    int64_t ratings[4];
    bool hidden, replied;
    const char *body_name, *enterprise_name, *region, *comment, *hidden_reason, *reply;
} feedback_row_t;

#define FEEDBACK_COLUMNS                                                                                       \
    "f.id, f.engagement_id, f.body_id, b.name, f.enterprise_id, e.name, e.region, f.professionalism, "         \
    "f.effectiveness, f.timeliness, f.commitment, f.comment, f.version, f.created_at, f.updated_at, "         \
    "f.editable_until, f.hidden, f.hidden_reason, f.hidden_at, f.reply, f.reply_at"
#define FEEDBACK_FROM "feedback f JOIN bodies b ON b.id = f.body_id JOIN enterprises e ON e.id = f.enterprise_id"

static void feedback_read(stmt_t *st, arena_t *a, feedback_row_t *f)
{
    f->id = stmt_int(st, 0);
    f->engagement_id = stmt_int(st, 1);
    f->body_id = stmt_int(st, 2);
    f->body_name = arena_strdup(a, stmt_text(st, 3));
    f->enterprise_id = stmt_int(st, 4);
    f->enterprise_name = arena_strdup(a, stmt_text(st, 5));
    f->region = arena_strdup(a, stmt_text(st, 6));
    for (int k = 0; k < 4; k++)
        f->ratings[k] = stmt_int(st, 7 + k);
    f->comment = arena_strdup(a, stmt_text(st, 11));
    f->version = stmt_int(st, 12);
    f->created_at = stmt_int(st, 13);
    f->updated_at = stmt_int(st, 14);
    f->editable_until = stmt_int(st, 15);
    f->hidden = stmt_int(st, 16) != 0;
    f->hidden_reason = arena_strdup(a, stmt_text(st, 17));
    f->hidden_at = stmt_is_null(st, 18) ? 0 : stmt_int(st, 18);
    f->replied = !stmt_is_null(st, 19);
    f->reply = arena_strdup(a, stmt_text(st, 19));
    f->reply_at = stmt_is_null(st, 20) ? 0 : stmt_int(st, 20);
}

/* key: an ISO time, or null for 0 */
static void time_or_null(jw_t *w, const char *key, int64_t t)
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

static void ratings_write(jw_t *w, const int64_t ratings[4])
{
    jw_key(w, "ratings");
    jw_object(w);
    for (int k = 0; k < 4; k++)
        jw_kint(w, rating_names[k], ratings[k]);
    jw_end(w);
}

static void party_write(jw_t *w, const char *key, int64_t id, const char *name)
{
    jw_key(w, key);
    jw_object(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_end(w);
}

/* The full review (schema Feedback): for its enterprise, its body, regulators, admins. */
static void feedback_write(jw_t *w, const feedback_row_t *f)
{
    jw_object(w);
    jw_kint(w, "id", f->id);
    jw_kint(w, "engagement_id", f->engagement_id);
    party_write(w, "body", f->body_id, f->body_name);
    party_write(w, "enterprise", f->enterprise_id, f->enterprise_name);
    ratings_write(w, f->ratings);
    jw_kstr(w, "comment", f->comment);
    jw_kint(w, "version", f->version);
    time_or_null(w, "created_at", f->created_at);
    time_or_null(w, "updated_at", f->updated_at);
    time_or_null(w, "editable_until", f->editable_until);
    jw_kbool(w, "editable", now_seconds() <= f->editable_until);
    jw_kbool(w, "hidden", f->hidden);
    jw_kstr(w, "hidden_reason", f->hidden_reason);
    time_or_null(w, "hidden_at", f->hidden_at);
    jw_key(w, "reply");
    if (f->replied)
        jw_str(w, f->reply);
    else
        jw_null(w);
    time_or_null(w, "reply_at", f->reply_at);
    jw_end(w);
}

static void feedback_row(call_t *c, stmt_t *st, jw_t *w)
{
    feedback_row_t f;
    feedback_read(st, &c->arena, &f);
    feedback_write(w, &f);
}

/* Review id into f: 1 found, 0 none, -1 error. */
static int feedback_get(call_t *c, int64_t id, feedback_row_t *f)
{
    stmt_t *st = db_query(c->db, "SELECT " FEEDBACK_COLUMNS " FROM " FEEDBACK_FROM " WHERE f.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        feedback_read(st, &c->arena, f);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Review {id} of the path when the caller may reach it (domain/scope.h: its enterprise, its
 * body, the regulators of the enterprise's region, admins); otherwise answers 404
 * feedback_not_found (or the database error) and returns false. */
static bool feedback_load_in_scope(call_t *c, feedback_row_t *f)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = feedback_get(c, id, f);
    if (rc < 0)
        call_db_error(c, "feedback lookup");
    else if (rc == 0 || !scope_allows(&c->user, f->enterprise_id, f->body_id, f->region))
        call_error(c, "feedback_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* Answers review id as it is now (re-read after a write). */
static void answer_feedback(call_t *c, int status, int64_t id)
{
    feedback_row_t f;
    if (feedback_get(c, id, &f) != 1) {
        call_db_error(c, "feedback re-read");
        return;
    }
    feedback_write(call_json_begin(c, status), &f);
}

/* The "ratings" object: four integers 1–5, all required. False when absent (then, if
 * required, missing_field is answered) or invalid. */
static bool read_ratings(call_t *c, unsigned flags, int64_t ratings[4])
{
    json_t *outer;
    if (!(flags & FIELD_REQUIRED) && !body_has(c, "ratings"))
        return false;
    if (!body_enter(c, "ratings", &outer))
        return false;
    body_only(c, rating_names);
    bool ok = true;
    for (int k = 0; k < 4; k++)
        ok = body_int(c, rating_names[k], FIELD_REQUIRED, 1, 5, &ratings[k]) && ok;
    body_leave(c, outer);
    return ok;
}

/* The audit entry's after (or before) object of a version: its ratings and comment. */
static const char *version_json(call_t *c, const int64_t ratings[4], const char *comment, int64_t engagement_id)
{
    buf_t b;
    buf_init(&b, 64 * 1024);
    jw_t w;
    jw_init(&w, &b);
    jw_object(&w);
    if (engagement_id != 0)
        jw_kint(&w, "engagement_id", engagement_id);
    for (int k = 0; k < 4; k++)
        jw_kint(&w, rating_names[k], ratings[k]);
    jw_kstr(&w, "comment", comment);
    jw_end(&w);
    const char *out = arena_strdup(&c->arena, b.data ? b.data : "{}");
    buf_free(&b);
    return out;
}

/* ---- POST /api/feedback ---- */

void api_feedback_create(call_t *c)
{
    static const char *const fields[] = {"engagement_id", "ratings", "comment", "complaint", NULL};
    int64_t engagement_id = 0, ratings[4] = {0};
    const char *comment = "", *complaint = NULL;
    body_only(c, fields);
    body_int(c, "engagement_id", FIELD_REQUIRED, 1, INT64_MAX, &engagement_id);
    read_ratings(c, FIELD_REQUIRED, ratings);
    body_string(c, "comment", 0, 0, COMMENT_MAX_CHARS, &comment);
    body_string(c, "complaint", FIELD_NULLABLE, 1, COMMENT_MAX_CHARS, &complaint);
    if (call_answered(c))
        return;
    /* the engagement must be the caller's enterprise's and decided; no tie between the two */
    stmt_t *st = db_query(c->db,
                          "SELECT e.enterprise_id, e.body_id, e.status, en.region, (SELECT COUNT(*) FROM "
                          "consulting_ties t WHERE t.enterprise_id = e.enterprise_id AND t.body_id = e.body_id) "
                          "FROM engagements e JOIN enterprises en ON en.id = e.enterprise_id WHERE e.id = $1",
                          "I", engagement_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t enterprise_id = 0, body_id = 0, ties = 0;
    bool decided = false;
    const char *region = "";
    if (rc == STORE_ROW) {
        enterprise_id = stmt_int(st, 0);
        body_id = stmt_int(st, 1);
        decided = strcmp(stmt_text(st, 2), "decided") == 0;
        region = arena_strdup(&c->arena, stmt_text(st, 3));
        ties = stmt_int(st, 4);
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "engagement lookup");
        return;
    }
    if (rc != STORE_ROW || enterprise_id != c->user.enterprise_id || !decided) {
        call_error(c, "engagement_required", "engagement_id");
        return;
    }
    if (ties > 0) {
        call_error(c, "reviewer_tied_to_body", "engagement_id");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "feedback insert");
        return;
    }
    st = db_query(c->db,
                  "INSERT INTO feedback (engagement_id, body_id, enterprise_id, author_id, professionalism, "
                  "effectiveness, timeliness, commitment, comment, created_at, updated_at, editable_until) VALUES "
                  "($1, $2, $3, NULLIF($4, 0), $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                  "IIIIIIIItIII", engagement_id, body_id, enterprise_id, audit_actor_user(&actor), ratings[0],
                  ratings[1], ratings[2], ratings[3], comment, now, now,
                  now + FEEDBACK_EDIT_DAYS * (int64_t)86400);
    id = st ? stmt_insert_id(st) : -1;
    if (id == 0) {     /* the UNIQUE on engagement_id: this engagement has its review */
        db_finish(c->db, 0);
        call_error(c, "feedback_exists", "engagement_id");
        return;
    }
    bool ok = id > 0 &&
              audit_record_id(c->db, &actor, "feedback.create", "feedback", id, region, NULL,
                              version_json(c, ratings, comment, engagement_id)) &&
              notice_feedback(c->db, id, "created") >= 0 && ranking_refresh_enqueue(c->db);
    if (ok && complaint != NULL)
        ok = complaint_insert(c, &actor, engagement_id, id, enterprise_id, body_id, region, complaint) > 0;
    if (!call_write_done(c, db_finish(c->db, ok ? 1 : -1), "feedback insert"))
        return;
    answer_feedback(c, 201, id);
}

/* ---- PATCH /api/feedback/{id} ---- */

void api_feedback_update(call_t *c)
{
    static const char *const fields[] = {"ratings", "comment", NULL};
    feedback_row_t f;
    if (!feedback_load_in_scope(c, &f))
        return;
    if (c->user.role != ROLE_ENTERPRISE) {     /* only its enterprise edits a review */
        call_error(c, "forbidden", NULL);
        return;
    }
    int64_t ratings[4];
    memcpy(ratings, f.ratings, sizeof ratings);
    const char *comment = NULL;
    body_only(c, fields);
    read_ratings(c, FIELD_OPTIONAL, ratings);
    body_string(c, "comment", 0, 0, COMMENT_MAX_CHARS, &comment);
    if (call_answered(c))
        return;
    int64_t now = now_seconds();
    if (now > f.editable_until) {
        call_error(c, "feedback_locked", NULL);
        return;
    }
    if (comment == NULL)
        comment = f.comment;
    if (memcmp(ratings, f.ratings, sizeof ratings) == 0 && strcmp(comment, f.comment) == 0) {
        feedback_write(call_json_begin(c, 200), &f);     /* nothing changes: no new version */
        return;
    }
    audit_actor_t actor = call_actor(c);
    audit_diff_t d;
    audit_diff_init(&d);
    for (int k = 0; k < 4; k++)
        if (ratings[k] != f.ratings[k])
            audit_diff_int(&d, rating_names[k], &f.ratings[k], &ratings[k]);
    audit_diff_str(&d, "comment", f.comment, strcmp(comment, f.comment) != 0 ? comment : NULL);
    int64_t next = f.version + 1;
    audit_diff_int(&d, "version", &f.version, &next);
    /* the version as it was goes into feedback_versions: the row's version is the guard (two
     * edits of one version: the UNIQUE (feedback_id, version) or the WHERE lets one through) */
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        int64_t kept = db_run(c->db,
                              "INSERT INTO feedback_versions (feedback_id, version, professionalism, effectiveness, "
                              "timeliness, commitment, comment, user_id, at) SELECT id, version, professionalism, "
                              "effectiveness, timeliness, commitment, comment, author_id, updated_at FROM feedback "
                              "WHERE id = $1 AND version = $2 AND editable_until >= $3",
                              "III", f.id, f.version, now);
        if (kept < 0 && db_error_kind(c->db) == DB_ERR_UNIQUE)
            kept = 0;
        rc = (int)kept;
        if (rc == 1)
            rc = (int)db_run(c->db,
                             "UPDATE feedback SET professionalism = $2, effectiveness = $3, timeliness = $4, "
                             "commitment = $5, comment = $6, version = version + 1, updated_at = $7, author_id = "
                             "NULLIF($8, 0) WHERE id = $1 AND version = $9",
                             "IIIIItIII", f.id, ratings[0], ratings[1], ratings[2], ratings[3], comment, now,
                             audit_actor_user(&actor), f.version);
        if (rc == 1 && (!audit_record_id(c->db, &actor, "feedback.edit", "feedback", f.id, f.region,
                                         audit_diff_before(&d), audit_diff_after(&d)) ||
                        notice_feedback(c->db, f.id, "edited") < 0 || !ranking_refresh_enqueue(c->db)))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    audit_diff_free(&d);
    if (!call_write_done(c, rc, "feedback edit"))
        return;
    answer_feedback(c, 200, f.id);
}

/* ---- GET /api/feedback/{id}, GET /api/feedback/{id}/versions ---- */

void api_feedback_show(call_t *c)
{
    feedback_row_t f;
    if (feedback_load_in_scope(c, &f))
        feedback_write(call_json_begin(c, 200), &f);
}

void api_feedback_versions(call_t *c)
{
    feedback_row_t f;
    if (!feedback_load_in_scope(c, &f))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT version, professionalism, effectiveness, timeliness, commitment, comment, at "
                          "FROM feedback_versions WHERE feedback_id = $1 ORDER BY version",
                          "I", f.id);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_kint(w, "feedback_id", f.id);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            int64_t r[4];
            for (int k = 0; k < 4; k++)
                r[k] = stmt_int(st, 1 + k);
            jw_object(w);
            jw_kint(w, "version", stmt_int(st, 0));
            ratings_write(w, r);
            jw_kstr(w, "comment", stmt_text(st, 5));
            time_or_null(w, "at", stmt_int(st, 6));
            jw_kbool(w, "current", false);
            jw_end(w);
        }
        /* the current version last */
        jw_object(w);
        jw_kint(w, "version", f.version);
        ratings_write(w, f.ratings);
        jw_kstr(w, "comment", f.comment);
        time_or_null(w, "at", f.updated_at);
        jw_kbool(w, "current", true);
        jw_end(w);
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "feedback versions");
}

/* ---- POST /api/feedback/{id}/reply ---- */

void api_feedback_reply(call_t *c)
{
    static const char *const fields[] = {"text", NULL};
    feedback_row_t f;
    if (!feedback_load_in_scope(c, &f))
        return;
    if (c->user.role != ROLE_BODY) {     /* the reviewed body's staff only */
        call_error(c, "forbidden", NULL);
        return;
    }
    const char *text = NULL;
    body_only(c, fields);
    body_string(c, "text", FIELD_REQUIRED, 1, COMMENT_MAX_CHARS, &text);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE feedback SET reply = $2, reply_by = NULLIF($3, 0), reply_at = $4 WHERE id = $1 AND "
                         "reply IS NULL",
                         "ItII", f.id, text, audit_actor_user(&actor), now_seconds());
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "reply", NULL, text);
        if (rc == 1 && (!audit_record_id(c->db, &actor, "feedback.reply", "feedback", f.id, f.region, NULL,
                                         audit_diff_after(&d)) ||
                        notice_feedback(c->db, f.id, "replied") < 0))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "reply_exists", NULL);
        return;
    }
    if (!call_write_done(c, rc, "feedback reply"))
        return;
    answer_feedback(c, 200, f.id);
}

/* ---- POST /api/feedback/{id}/hide and /unhide ---- */

/* Hides (reason given) or shows again (reason NULL) review f, guarded by its hidden flag. */
static void moderate(call_t *c, const feedback_row_t *f, const char *reason)
{
    bool hide = reason != NULL;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = hide ? (int)db_run(c->db,
                                "UPDATE feedback SET hidden = 1, hidden_reason = $2, hidden_by = NULLIF($3, 0), "
                                "hidden_at = $4 WHERE id = $1 AND hidden = 0",
                                "ItII", f->id, reason, audit_actor_user(&actor), now_seconds())
                  : (int)db_run(c->db,
                                "UPDATE feedback SET hidden = 0, hidden_reason = '', hidden_by = NULL, hidden_at = "
                                "NULL WHERE id = $1 AND hidden = 1",
                                "I", f->id);
        bool was = f->hidden, now = hide;
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_bool(&d, "hidden", &was, &now);
        audit_diff_str(&d, "hidden_reason", f->hidden_reason, hide ? reason : "");
        if (rc == 1 && (!audit_record_id(c->db, &actor, hide ? "feedback.hide" : "feedback.unhide", "feedback", f->id,
                                         f->region, audit_diff_before(&d), audit_diff_after(&d)) ||
                        notice_feedback(c->db, f->id, hide ? "hidden" : "unhidden") < 0 ||
                        !ranking_refresh_enqueue(c->db)))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, hide ? "feedback_already_hidden" : "feedback_not_hidden", NULL);
        return;
    }
    if (!call_write_done(c, rc, hide ? "feedback hide" : "feedback unhide"))
        return;
    answer_feedback(c, 200, f->id);
}

void api_feedback_hide(call_t *c)
{
    static const char *const fields[] = {"reason", NULL};
    feedback_row_t f;
    if (!feedback_load_in_scope(c, &f))
        return;
    const char *reason = NULL;
    body_only(c, fields);
    body_string(c, "reason", FIELD_REQUIRED, 1, REASON_MAX_CHARS, &reason);
    if (call_answered(c))
        return;
    moderate(c, &f, reason);
}

void api_feedback_unhide(call_t *c)
{
    feedback_row_t f;
    if (feedback_load_in_scope(c, &f))
        moderate(c, &f, NULL);
}

/* ---- GET /api/feedback: the moderation queue, an enterprise's or a body's own ---- */

/* A YYYY-MM-DD query parameter into *day (midnight UTC, plus `plus` seconds); false after
 * answering 400. Absent leaves *day alone. */
static bool query_day(call_t *c, const char *name, int64_t plus, int64_t *day)
{
    const char *s = call_query(c, name);
    if (call_answered(c))
        return false;
    if (s == NULL || *s == '\0')
        return true;
    if (!date_valid(s)) {
        call_error(c, "invalid_query", name, name);
        return false;
    }
    *day = date_to_unix(s) + plus;
    return true;
}

void api_feedback_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "f.enterprise_id", .body = "f.body_id", .region = "e.region"};
    int page, per_page;
    int64_t hidden = -1, body_id = 0, from = 0, until = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "hidden", 0, 1, &hidden) ||
        !call_query_int(c, "body_id", 1, INT64_MAX, &body_id) || !query_day(c, "from", 0, &from) ||
        !query_day(c, "to", 86400, &until))
        return;
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " FEEDBACK_FROM " WHERE TRUE");
    query_init(&list, "SELECT " FEEDBACK_COLUMNS " FROM " FEEDBACK_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (hidden >= 0)
            query_and_int(both[i], "f.hidden = $?", hidden);
        if (body_id > 0)
            query_and_int(both[i], "f.body_id = $?", body_id);
        if (from > 0)
            query_and_int(both[i], "f.created_at >= $?", from);
        if (until > 0)
            query_and_int(both[i], "f.created_at < $?", until);
    }
    query_sql(&list, " ORDER BY f.created_at DESC, f.id DESC");
    answer_list(c, &count, &list, page, per_page, feedback_row, "feedback list");
}

/* ---- GET /api/feedback/engagements: what the signed-in enterprise may review or complain about ---- */

void api_feedback_engagements(call_t *c)
{
    stmt_t *st = db_query(c->db,
                          "SELECT e.id, e.body_id, b.name, e.status, e.decision, e.decision_date, f.id, (SELECT "
                          "COUNT(*) FROM consulting_ties t WHERE t.enterprise_id = e.enterprise_id AND t.body_id = "
                          "e.body_id) FROM engagements e JOIN bodies b ON b.id = e.body_id LEFT JOIN feedback f ON "
                          "f.engagement_id = e.id WHERE e.enterprise_id = $1 AND e.status IN ('active', 'decided') "
                          "ORDER BY e.requested_at DESC, e.id DESC LIMIT 500",
                          "I", c->user.enterprise_id);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            bool decided = strcmp(stmt_text(st, 3), "decided") == 0, tie = stmt_int(st, 7) > 0;
            int64_t feedback_id = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
            jw_object(w);
            jw_kint(w, "engagement_id", stmt_int(st, 0));
            party_write(w, "body", stmt_int(st, 1), stmt_text(st, 2));
            jw_kstr(w, "status", stmt_text(st, 3));
            jw_kstr(w, "decision", stmt_text(st, 4));
            jw_kstr(w, "decision_date", stmt_text(st, 5));
            jw_kid(w, "feedback_id", feedback_id);
            jw_kbool(w, "consulting_tie", tie);
            jw_kbool(w, "reviewable", decided && !tie && feedback_id == 0);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "feedback engagements");
}

/* ---- GET /api/bodies/{id}/feedback: the public reviews of a body ---- */

/* A review as the public sees it (schema PublicReview): a hidden one is a placeholder with its
 * reason, without ratings, comment or reply. */
static void public_review_row(call_t *c, stmt_t *st, jw_t *w)
{
    feedback_row_t f;
    feedback_read(st, &c->arena, &f);
    jw_object(w);
    jw_kint(w, "id", f.id);
    time_or_null(w, "created_at", f.created_at);
    jw_kbool(w, "edited", f.version > 1);
    jw_kbool(w, "hidden", f.hidden);
    jw_kstr(w, "hidden_reason", f.hidden ? f.hidden_reason : "");
    jw_key(w, "ratings");
    if (f.hidden) {
        jw_null(w);
    } else {
        jw_object(w);
        for (int k = 0; k < 4; k++)
            jw_kint(w, rating_names[k], f.ratings[k]);
        jw_end(w);
    }
    jw_key(w, "comment");
    f.hidden ? jw_null(w) : jw_str(w, f.comment);
    jw_key(w, "reply");
    !f.hidden && f.replied ? jw_str(w, f.reply) : jw_null(w);
    time_or_null(w, "reply_at", f.hidden ? 0 : f.reply_at);
    jw_end(w);
}

/* "1.23" or null when n is 0 */
static const char *mean_json(call_t *c, int64_t sum, int64_t n)
{
    return n == 0 ? "null" : arena_printf(&c->arena, "%.2f", (double)sum / (double)n);
}

void api_body_feedback(call_t *c)
{
    int64_t body_id = call_param_id(c, "id");
    int page, per_page;
    if (body_id == 0 || !call_page(c, &page, &per_page))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT b.id, (SELECT COUNT(*) FROM feedback f WHERE f.body_id = b.id AND f.hidden = 0), "
                          "(SELECT COUNT(*) FROM feedback f WHERE f.body_id = b.id AND f.hidden = 1), "
                          "(SELECT COALESCE(SUM(professionalism), 0) FROM feedback f WHERE f.body_id = b.id AND "
                          "f.hidden = 0), (SELECT COALESCE(SUM(effectiveness), 0) FROM feedback f WHERE f.body_id = "
                          "b.id AND f.hidden = 0), (SELECT COALESCE(SUM(timeliness), 0) FROM feedback f WHERE "
                          "f.body_id = b.id AND f.hidden = 0), (SELECT COALESCE(SUM(commitment), 0) FROM feedback f "
                          "WHERE f.body_id = b.id AND f.hidden = 0) FROM bodies b WHERE b.id = $1",
                          "I", body_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t visible = 0, hidden = 0, sums[4] = {0};
    if (rc == STORE_ROW) {
        visible = stmt_int(st, 1);
        hidden = stmt_int(st, 2);
        for (int k = 0; k < 4; k++)
            sums[k] = stmt_int(st, 3 + k);
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "body feedback summary");
        return;
    }
    if (rc == STORE_DONE) {
        call_error(c, "body_not_found", NULL);
        return;
    }
    st = db_query(c->db,
                  "SELECT " FEEDBACK_COLUMNS " FROM " FEEDBACK_FROM
                  " WHERE f.body_id = $1 ORDER BY f.created_at DESC, f.id DESC LIMIT $2 OFFSET $3",
                  "III", body_id, (int64_t)per_page, (int64_t)(page - 1) * per_page);
    rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_kint(w, "body_id", body_id);
        jw_kint(w, "count", visible);
        jw_kint(w, "hidden_count", hidden);
        jw_key(w, "averages");
        jw_object(w);
        int64_t all = 0;
        for (int k = 0; k < 4; k++) {
            jw_key(w, rating_names[k]);
            jw_raw(w, mean_json(c, sums[k], visible));
            all += sums[k];
        }
        jw_key(w, "overall");
        jw_raw(w, mean_json(c, all, visible * 4));
        jw_end(w);
        jw_kint(w, "total", visible + hidden);
        jw_kint(w, "page", page);
        jw_kint(w, "per_page", per_page);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW)
            public_review_row(c, st, w);
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "body feedback");
}

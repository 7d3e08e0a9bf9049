/* Learning progress and certificates of completion (issue 11, docs/learning.md "Quizzes,
 * certificates and progress"): a signed-in learner's lesson events (store/learning_progress.h
 * appends them and keeps the aggregates in the same transaction); "my learning" read from the
 * aggregates with where to resume; an enterprise's staff progress (its own users, the regulators
 * of its region, admins); the public verification of a certificate of completion and its PDF. */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "report/completion_pdf.h"
#include "store/learning_progress.h"

/* The aggregates of one user and course: the columns PROGRESS_COLUMNS from PROGRESS_FROM. */
#define PROGRESS_COLUMNS                                                                                          \
    "c.id, c.title, c.category, p.lessons_completed, (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id "   \
    "AND l.published_revision > 0), p.best_score, p.passed, p.attempts, p.completed_at, p.updated_at, "           \
    "COALESCE(p.last_lesson_id, 0), COALESCE(cc.number, ''), u.id, u.name, u.login"
#define PROGRESS_FROM                                                                                             \
    " FROM learning_progress p JOIN courses c ON c.id = p.course_id JOIN users u ON u.id = p.user_id LEFT JOIN "  \
    "completion_certificates cc ON cc.user_id = p.user_id AND cc.course_id = p.course_id"

/* The lesson to resume at: the first published lesson (in order) not completed, else the last one opened. */
static int64_t resume_lesson(call_t *c, int64_t user_id, int64_t course_id, int64_t last)
{
    stmt_t *st = db_query(c->db,
                          "SELECT l.id FROM lessons l WHERE l.course_id = $2 AND l.published_revision > 0 AND NOT "
                          "EXISTS (SELECT 1 FROM learning_lesson_progress lp WHERE lp.user_id = $1 AND lp.lesson_id = "
                          "l.id AND lp.completed_at IS NOT NULL) ORDER BY l.position, l.id LIMIT 1",
                          "II", user_id, course_id);
    int64_t id = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : last;
    stmt_done(st);
    return id;
}

static void progress_write(call_t *c, stmt_t *st, jw_t *w, bool with_user)
{
    char at[21];
    jw_object(w);
    if (with_user) {
        jw_key(w, "user");
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 12));
        jw_kstr(w, "name", stmt_text(st, 13));
        jw_kstr(w, "login", stmt_text(st, 14));
        jw_end(w);
    }
    jw_key(w, "course");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "title", stmt_text(st, 1));
    jw_kstr(w, "category", stmt_text(st, 2));
    jw_end(w);
    jw_kint(w, "lessons_completed", stmt_int(st, 3));
    jw_kint(w, "lessons_total", stmt_int(st, 4));
    jw_key(w, "best_score");
    if (stmt_is_null(st, 5))
        jw_null(w);
    else
        jw_int(w, stmt_int(st, 5));
    jw_kbool(w, "passed", stmt_int(st, 6) != 0);
    jw_kint(w, "attempts", stmt_int(st, 7));
    jw_key(w, "completed_at");
    if (stmt_is_null(st, 8)) {
        jw_null(w);
    } else {
        time_iso(stmt_int(st, 8), at);
        jw_str(w, at);
    }
    time_iso(stmt_int(st, 9), at);
    jw_kstr(w, "updated_at", at);
    const char *number = stmt_text(st, 11);
    jw_kstr(w, "certificate_number", *number ? number : NULL);
    if (!with_user)
        jw_kid(w, "resume_lesson_id", resume_lesson(c, stmt_int(st, 12), stmt_int(st, 0), stmt_int(st, 10)));
    jw_end(w);
}

static void staff_row(call_t *c, stmt_t *st, jw_t *w) { progress_write(c, st, w, true); }

/* Answers the caller's progress in course_id. */
static void answer_course_progress(call_t *c, int status, int64_t course_id)
{
    stmt_t *st = db_query(c->db, "SELECT " PROGRESS_COLUMNS PROGRESS_FROM " WHERE p.user_id = $1 AND p.course_id = $2",
                          "II", c->user.id, course_id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "progress re-read");
        return;
    }
    /* resume_lesson runs its own statement: read this row's values first */
    progress_write(c, st, call_json_begin(c, status), false);
    stmt_done(st);
}

static const char *const progress_fields[] = {"event", NULL};

/* POST /api/lessons/{id}/progress {"event": "opened" | "completed"} on a published lesson of a
 * published course. */
void api_lesson_progress(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    const char *event = NULL;
    if (id == 0 || !body_only(c, progress_fields) || !body_string(c, "event", FIELD_REQUIRED, 1, 20, &event))
        return;
    if (strcmp(event, "opened") != 0 && strcmp(event, "completed") != 0) {
        call_invalid(c, "event", "应为 opened 或 completed", "opened or completed");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT l.course_id FROM lessons l JOIN courses c ON c.id = l.course_id WHERE l.id = $1 AND "
                          "l.published_revision > 0 AND c.status = 'published'", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t course_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != STORE_ROW) {
        if (rc == STORE_ERROR)
            call_db_error(c, "lesson lookup");
        else
            call_error(c, "lesson_not_found", NULL);
        return;
    }
    int64_t now = now_seconds();
    audit_actor_t actor = call_actor(c);
    rc = db_begin(c->db) == STORE_DONE ? learning_event_record(c->db, &c->user, course_id, id, 0, event, 0, now) : -1;
    if (rc == 1 && strcmp(event, "completed") == 0 && learning_completion_issue(c->db, &c->user, &actor, course_id, now) < 0)
        rc = -1;
    if (!call_write_done(c, db_finish(c->db, rc), "learning event"))
        return;
    answer_course_progress(c, 200, course_id);
}

/* GET /api/me/learning: the caller's courses (last active first) with progress and where to resume. */
void api_me_learning(call_t *c)
{
    stmt_t *st = db_query(c->db, "SELECT c.id" PROGRESS_FROM " WHERE p.user_id = $1 ORDER BY p.updated_at DESC, c.id",
                          "I", c->user.id);
    /* the course ids first: each row is then read again with its resume lesson's own statement */
    int rc = STORE_ERROR, n = 0;
    enum { MAX_COURSES = 500 };
    int64_t course_ids[MAX_COURSES];
    while (st != NULL && n < MAX_COURSES && (rc = stmt_step(st)) == STORE_ROW)
        course_ids[n++] = stmt_int(st, 0);
    stmt_done(st);
    if (st == NULL || rc == STORE_ERROR) {
        call_db_error(c, "my learning");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    for (int i = 0; i < n; i++) {
        st = db_query(c->db, "SELECT " PROGRESS_COLUMNS PROGRESS_FROM " WHERE p.user_id = $1 AND p.course_id = $2", "II",
                      c->user.id, course_ids[i]);
        if (st && stmt_step(st) == STORE_ROW) {
            progress_write(c, st, w, false);
        }
        stmt_done(st);
    }
    jw_end(w);
    jw_end(w);
}

/* GET /api/enterprises/{id}/learning: the progress of the enterprise's staff (its users), by
 * learner and course. */
void api_enterprise_learning(call_t *c)
{
    int page, per_page;
    enterprise_t e;
    if (!call_page(c, &page, &per_page) || !enterprise_load_in_scope(c, &e))
        return;
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" PROGRESS_FROM " WHERE TRUE");
    query_init(&list, "SELECT " PROGRESS_COLUMNS PROGRESS_FROM " WHERE TRUE");
    query_and_int(&count, "u.enterprise_id = $?", e.id);
    query_and_int(&list, "u.enterprise_id = $?", e.id);
    query_sql(&list, " ORDER BY u.name, u.id, c.id");
    answer_list(c, &count, &list, page, per_page, staff_row, "staff learning");
}

/* ---- certificates of completion ---- */

typedef struct completion_row {
    completion_certificate_t k;
    int64_t course_id;
    const char *category;
} completion_row_t;

static bool completion_load(call_t *c, completion_row_t *r)
{
    const char *number = call_param(c, "number");
    stmt_t *st = db_query(c->db,
                          "SELECT cc.number, cc.holder_name, cc.course_title, cc.issued_at, cc.score, cc.course_id, "
                          "c.category FROM completion_certificates cc JOIN courses c ON c.id = cc.course_id WHERE "
                          "cc.number = $1", "t", number ? number : "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        char day[DATE_LEN + 1];
        date_from_unix(stmt_int(st, 3), day);
        r->k = (completion_certificate_t){arena_strdup(&c->arena, stmt_text(st, 0)),
                                          arena_strdup(&c->arena, stmt_text(st, 1)),
                                          arena_strdup(&c->arena, stmt_text(st, 2)), arena_strdup(&c->arena, day),
                                          stmt_int(st, 4)};
        r->course_id = stmt_int(st, 5);
        r->category = arena_strdup(&c->arena, stmt_text(st, 6));
    }
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "completion certificate lookup");
    else if (rc == STORE_DONE)
        call_error(c, "completion_certificate_not_found", NULL);
    return rc == STORE_ROW;
}

/* GET /api/completion-certificates/{number} (public): valid, with holder, course and date. */
void api_completion_show(call_t *c)
{
    completion_row_t r;
    if (!completion_load(c, &r))
        return;
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "number", r.k.number);
    jw_kbool(w, "valid", true);
    jw_kstr(w, "holder_name", r.k.holder_name);
    jw_key(w, "course");
    jw_object(w);
    jw_kint(w, "id", r.course_id);
    jw_kstr(w, "title", r.k.course_title);
    jw_kstr(w, "category", r.category);
    jw_end(w);
    jw_kint(w, "score", r.k.score);
    jw_kstr(w, "issued", r.k.issued);
    jw_end(w);
}

/* GET /api/completion-certificates/{number}/pdf (public). */
void api_completion_pdf(call_t *c)
{
    completion_row_t r;
    if (!completion_load(c, &r))
        return;
    /* numbers are [0-9A-Z]: nothing to encode */
    const char *url = arena_printf(&c->arena, "%s/learning/certificates/%s", api_config.public_url, r.k.number);
    buf_reset(&c->out);
    if (!completion_pdf(&r.k, url, &c->out)) {
        log_error("completion certificate %s: the PDF could not be made", r.k.number);
        call_error(c, "internal_error", NULL);
        return;
    }
    call_download(c, "application/pdf", false, arena_printf(&c->arena, "%s.pdf", r.k.number));
}

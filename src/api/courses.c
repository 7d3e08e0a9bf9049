/* Courses and lessons (issue 11, docs/learning.md "Content"): the public catalogue (published
 * courses, their published lessons, each lesson's published revision rendered by markdown_html)
 * and the authoring workflow of regulators and admins. A lesson's working copy is edited while
 * draft (editing a published lesson makes it draft again, readers keep the published revision),
 * submitted (draft → review) and approved by another author than its last editor (review →
 * published: a new lesson_revisions row). A course goes draft → review → published → archived.
 * Every step is guarded inside its write (409 on a wrong status) and audited; a published course
 * and its published lessons are searchable (store/search.h), archiving removes them. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/text.h"
#include "core/markdown.h"
#include "store/audit.h"
#include "store/search.h"

enum { COURSE_TITLE_MAX = 200, COURSE_SUMMARY_MAX = 2000, LESSON_MARKDOWN_MAX = 100000, LESSON_CLAUSES_MAX = 50,
       LESSONS_PER_COURSE_MAX = 200 };

#define COURSE_COLUMNS                                                                                        \
    "c.id, c.slug, c.category, c.title, c.summary, c.edition, c.status, c.position, c.quiz_size, c.pass_mark, " \
    "c.max_attempts, c.published_at, c.updated_at, (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id AND " \
    "l.published_revision > 0)"

static bool is_author(const call_t *c)
{
    return (c->user.role & (ROLE_REGULATOR | ROLE_ADMIN)) != 0;
}

static bool valid_category(const char *s)
{
    return strcmp(s, "clauses") == 0 || strcmp(s, "policy") == 0 || strcmp(s, "briefing") == 0 ||
           strcmp(s, "auditor") == 0;
}

static void put_time(jw_t *w, const char *key, stmt_t *st, int col)
{
    if (stmt_is_null(st, col)) {
        jw_kstr(w, key, NULL);
        return;
    }
    char at[21];
    time_iso(stmt_int(st, col), at);
    jw_kstr(w, key, at);
}

/* One course (schema Course) from a row of COURSE_COLUMNS, left open when open_end. */
static void course_write(jw_t *w, stmt_t *st, bool open_end)
{
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "slug", stmt_text(st, 1));
    jw_kstr(w, "category", stmt_text(st, 2));
    jw_kstr(w, "title", stmt_text(st, 3));
    jw_kstr(w, "summary", stmt_text(st, 4));
    jw_kstr(w, "edition", stmt_text(st, 5));
    jw_kstr(w, "status", stmt_text(st, 6));
    jw_kint(w, "position", stmt_int(st, 7));
    jw_kint(w, "quiz_size", stmt_int(st, 8));
    jw_kint(w, "pass_mark", stmt_int(st, 9));
    jw_kint(w, "max_attempts", stmt_int(st, 10));
    put_time(w, "published_at", st, 11);
    put_time(w, "updated_at", st, 12);
    jw_kint(w, "lesson_count", stmt_int(st, 13));
    if (!open_end)
        jw_end(w);
}

static void course_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    course_write(w, st, false);
}

/* The course's status; 1 found, 0 none, -1 error. */
static int course_status(call_t *c, int64_t id, const char **status, const char **edition)
{
    stmt_t *st = db_query(c->db, "SELECT status, edition FROM courses WHERE id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        *status = arena_strdup(&c->arena, stmt_text(st, 0));
        if (edition)
            *edition = arena_strdup(&c->arena, stmt_text(st, 1));
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Course {id} of the path readable by the caller (published, or any for authors); false after
 * answering 404 course_not_found. */
static bool course_load(call_t *c, int64_t *id, const char **status, const char **edition)
{
    *id = call_param_id(c, "id");
    if (*id == 0)
        return false;
    int rc = course_status(c, *id, status, edition);
    if (rc < 0)
        call_db_error(c, "course lookup");
    else if (rc == 0 || (!is_author(c) && strcmp(*status, "published") != 0))
        call_error(c, "course_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* The catalogue: published courses (authors may ask ?status= for any), filtered by category,
 * clause (edition + number through lesson_clauses) and q (title or summary). */
static void courses_list(call_t *c, bool authoring)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *category = call_query(c, "category"), *edition = call_query(c, "edition"),
               *clause = call_query(c, "clause"), *q = call_query(c, "q"), *status = call_query(c, "status");
    if (call_answered(c))
        return;
    if (category && *category && !valid_category(category)) {
        call_error(c, "invalid_query", "category", "category");
        return;
    }
    if (edition && *edition && strcmp(edition, "2013") != 0 && strcmp(edition, "2023") != 0) {
        call_error(c, "invalid_query", "edition", "edition");
        return;
    }
    if (authoring && status && *status && strcmp(status, "draft") != 0 && strcmp(status, "review") != 0 &&
        strcmp(status, "published") != 0 && strcmp(status, "archived") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM courses c WHERE TRUE");
    query_init(&list, "SELECT " COURSE_COLUMNS " FROM courses c WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (!authoring)
            query_sql(both[i], " AND c.status = 'published'");
        else if (status && *status)
            query_and_text(both[i], "c.status = $?", status);
        if (category && *category)
            query_and_text(both[i], "c.category = $?", category);
        if (clause && *clause) {
            query_sql(both[i], " AND EXISTS (SELECT 1 FROM lessons l JOIN lesson_clauses lc ON lc.lesson_id = l.id "
                               "WHERE l.course_id = c.id");
            if (!authoring)
                query_sql(both[i], " AND l.published_revision > 0");
            query_and_text(both[i], "lc.edition = $?", edition && *edition ? edition : "2023");
            query_and_text(both[i], "(lc.clause_number = $?", clause);
            query_text(both[i], " OR lc.clause_number LIKE $?)", query_like(&c->arena, arena_printf(&c->arena, "%s.", clause), false));
            query_sql(both[i], ")");
        } else if (edition && *edition) {
            query_and_text(both[i], "c.edition = $?", edition);
        }
        if (q && *q) {
            const char *like = query_like(&c->arena, q, true);
            query_and_text(both[i], "(c.title LIKE $?", like);
            query_text(both[i], " OR c.summary LIKE $?)", like);
        }
    }
    query_sql(&list, authoring ? " ORDER BY c.updated_at DESC, c.id DESC" : " ORDER BY c.category, c.position, c.id");
    answer_list(c, &count, &list, page, per_page, course_row, "course list");
}

void api_courses_list(call_t *c)
{
    courses_list(c, false);
}

void api_authoring_courses_list(call_t *c)
{
    courses_list(c, true);
}

/* Answers course id with its lessons in order: for the public the published ones with the
 * title of their published revision; for authors every lesson with its working title and status. */
static void course_answer(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " COURSE_COLUMNS " FROM courses c WHERE c.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "course re-read");
        return;
    }
    jw_t *w = call_json_begin(c, status);
    course_write(w, st, true);
    stmt_done(st);
    bool author = is_author(c);
    st = db_query(c->db,
                  "SELECT l.id, l.position, COALESCE(r.title, l.title), l.minutes, l.status, l.published_revision, "
                  "l.title FROM lessons l LEFT JOIN lesson_revisions r ON r.lesson_id = l.id AND r.revision = "
                  "l.published_revision WHERE l.course_id = $1 AND (l.published_revision > 0 OR $2 = 1) "
                  "ORDER BY l.position, l.id",
                  "Ii", id, author ? 1 : 0);
    jw_key(w, "lessons");
    jw_array(w);
    rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 0));
        jw_kint(w, "position", stmt_int(st, 1));
        jw_kstr(w, "title", stmt_text(st, stmt_int(st, 5) > 0 ? 2 : 6));
        jw_kint(w, "minutes", stmt_int(st, 3));
        if (author) {
            jw_kstr(w, "status", stmt_text(st, 4));
            jw_kstr(w, "draft_title", stmt_text(st, 6));
        }
        jw_kint(w, "published_revision", stmt_int(st, 5));
        jw_end(w);
    }
    stmt_done(st);
    jw_end(w);
    jw_end(w);
    if (rc != STORE_DONE)
        call_db_error(c, "course lessons");
}

void api_courses_show(call_t *c)
{
    int64_t id;
    const char *status;
    if (course_load(c, &id, &status, NULL))
        course_answer(c, 200, id);
}

/* The course form (schema CourseInput); on create every required field. */
typedef struct course_form {
    const char *category, *title, *summary, *edition, *slug;
    int64_t quiz_size, pass_mark, max_attempts;
} course_form_t;

static bool course_form_read(call_t *c, course_form_t *f, bool create)
{
    static const char *const fields[] = {"category", "title", "summary", "edition", "slug", "quiz_size",
                                         "pass_mark", "max_attempts", NULL};
    unsigned req = create ? FIELD_REQUIRED : 0;
    body_only(c, fields);
    body_string(c, "category", req, 1, 20, &f->category);
    body_string(c, "title", req, 1, COURSE_TITLE_MAX, &f->title);
    body_string(c, "summary", 0, 0, COURSE_SUMMARY_MAX, &f->summary);
    body_string(c, "edition", 0, 0, 4, &f->edition);
    body_string(c, "slug", 0, 0, 80, &f->slug);
    body_int(c, "quiz_size", 0, 0, 100, &f->quiz_size);
    body_int(c, "pass_mark", 0, 0, 100, &f->pass_mark);
    body_int(c, "max_attempts", 0, 0, 100, &f->max_attempts);
    if (f->category && !valid_category(f->category))
        call_invalid(c, "category", "应为 clauses、policy、briefing 或 auditor", "clauses, policy, briefing or auditor");
    if (f->edition && *f->edition && strcmp(f->edition, "2013") != 0 && strcmp(f->edition, "2023") != 0)
        call_invalid(c, "edition", "应为 2013 或 2023", "2013 or 2023");
    return !call_answered(c);
}

void api_courses_create(call_t *c)
{
    course_form_t f = {.summary = "", .edition = "", .slug = "", .quiz_size = 10, .pass_mark = 60, .max_attempts = 3};
    if (!course_form_read(c, &f, true))
        return;
    if (strcmp(f.category, "clauses") == 0 && *f.edition == '\0')
        f.edition = "2023";
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO courses (category, title, summary, edition, slug, quiz_size, pass_mark, "
                              "max_attempts, position, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                              "$6, $7, $8, (SELECT COALESCE(MAX(position), 0) + 1 FROM courses), NULLIF($9, 0), $10, "
                              "$10) RETURNING id",
                              "tttttIIIII", f.category, f.title, f.summary, f.edition, f.slug, f.quiz_size,
                              f.pass_mark, f.max_attempts, audit_actor_user(&actor), now);
        id = st ? stmt_insert_id(st) : -1;
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "category", NULL, f.category);
        audit_diff_str(&d, "title", NULL, f.title);
        audit_diff_str(&d, "status", NULL, "draft");
        if (id > 0 && !audit_record_id(c->db, &actor, "course.create", "course", id, "", NULL, audit_diff_after(&d)))
            id = -1;
        audit_diff_free(&d);
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "course insert"))
        return;
    course_answer(c, 201, id);
}

static bool course_search_sync(call_t *c, int64_t id, bool put);

void api_courses_update(call_t *c)
{
    int64_t id;
    const char *status;
    if (!course_load(c, &id, &status, NULL))
        return;
    course_form_t f = {0};
    f.quiz_size = f.pass_mark = f.max_attempts = -1;
    if (!course_form_read(c, &f, false))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE courses SET category = COALESCE($2, category), title = COALESCE($3, title), "
                         "summary = COALESCE($4, summary), edition = COALESCE($5, edition), slug = COALESCE($6, "
                         "slug), quiz_size = CASE WHEN $7 < 0 THEN quiz_size ELSE $7 END, pass_mark = CASE WHEN $8 "
                         "< 0 THEN pass_mark ELSE $8 END, max_attempts = CASE WHEN $9 < 0 THEN max_attempts ELSE $9 "
                         "END, updated_at = $10 WHERE id = $1 AND status <> 'archived'",
                         "IttttIIIII", id, f.category, f.title, f.summary, f.edition, f.slug, f.quiz_size,
                         f.pass_mark, f.max_attempts, now_seconds());
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "category", NULL, f.category);
        audit_diff_str(&d, "title", NULL, f.title);
        audit_diff_str(&d, "summary", NULL, f.summary);
        audit_diff_str(&d, "edition", NULL, f.edition);
        audit_diff_int(&d, "quiz_size", NULL, f.quiz_size >= 0 ? &f.quiz_size : NULL);
        audit_diff_int(&d, "pass_mark", NULL, f.pass_mark >= 0 ? &f.pass_mark : NULL);
        audit_diff_int(&d, "max_attempts", NULL, f.max_attempts >= 0 ? &f.max_attempts : NULL);
        if (rc == 1 && !audit_record_id(c->db, &actor, "course.update", "course", id, "", NULL, audit_diff_after(&d)))
            rc = -1;
        /* a published course's searchable text follows its title and summary */
        if (rc == 1 && strcmp(status, "published") == 0 && !course_search_sync(c, id, true))
            rc = -1;
        audit_diff_free(&d);
        if (rc == 0)
            call_error(c, "course_transition", "status", status, "draft");
        rc = db_finish(c->db, rc);
    }
    if (rc == 0 || !call_write_done(c, rc, "course update"))
        return;
    course_answer(c, 200, id);
}

/* Puts (publish) or removes (archive) the course and its published lessons in the searchable
 * texts, in the caller's transaction. */
static bool course_search_sync(call_t *c, int64_t id, bool put)
{
    stmt_t *st = db_query(c->db,
                          "SELECT l.id, r.title, r.markdown FROM lessons l JOIN lesson_revisions r ON r.lesson_id = "
                          "l.id AND r.revision = l.published_revision WHERE l.course_id = $1",
                          "I", id);
    int rc;
    int n = 0;
    int64_t ids[LESSONS_PER_COURSE_MAX];
    const char *titles[LESSONS_PER_COURSE_MAX], *bodies[LESSONS_PER_COURSE_MAX];
    while (st && (rc = stmt_step(st)) == STORE_ROW && n < LESSONS_PER_COURSE_MAX) {
        ids[n] = stmt_int(st, 0);
        titles[n] = arena_strdup(&c->arena, stmt_text(st, 1));
        bodies[n] = arena_strdup(&c->arena, stmt_text(st, 2));
        n++;
    }
    stmt_done(st);
    if (st == NULL)
        return false;
    for (int i = 0; i < n; i++)
        if (put ? !search_document_put(c->db, "lesson", ids[i], titles[i], bodies[i],
                                       arena_printf(&c->arena, "/lessons/%lld", (long long)ids[i]))
                : !search_document_remove(c->db, "lesson", ids[i]))
            return false;
    if (!put)
        return search_document_remove(c->db, "course", id);
    st = db_query(c->db, "SELECT title, summary FROM courses WHERE id = $1", "I", id);
    bool ok = st && stmt_step(st) == STORE_ROW;
    const char *title = ok ? arena_strdup(&c->arena, stmt_text(st, 0)) : "";
    const char *summary = ok ? arena_strdup(&c->arena, stmt_text(st, 1)) : "";
    stmt_done(st);
    return ok && search_document_put(c->db, "course", id, title, summary,
                                     arena_printf(&c->arena, "/courses/%lld", (long long)id));
}

/* POST /api/courses/{id}/status {"status"}: draft → review → published → archived; review →
 * draft (sent back); archived → draft. Publishing needs a published lesson. */
void api_courses_status(call_t *c)
{
    static const char *const fields[] = {"status", NULL};
    int64_t id;
    const char *status, *to = NULL;
    if (!course_load(c, &id, &status, NULL))
        return;
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &to);
    if (call_answered(c))
        return;
    const char *from = strcmp(to, "review") == 0      ? "draft"
                       : strcmp(to, "published") == 0 ? "review"
                       : strcmp(to, "archived") == 0  ? "published"
                       : strcmp(to, "draft") == 0     ? (strcmp(status, "archived") == 0 ? "archived" : "review")
                                                      : NULL;
    if (from == NULL) {
        call_invalid(c, "status", "应为 draft、review、published 或 archived", "draft, review, published or archived");
        return;
    }
    if (strcmp(status, from) != 0) {
        call_error(c, "course_transition", "status", status, to);
        return;
    }
    if (strcmp(to, "published") == 0) {
        stmt_t *st = db_query(c->db, "SELECT COUNT(*) FROM lessons WHERE course_id = $1 AND published_revision > 0",
                              "I", id);
        int64_t n = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
        stmt_done(st);
        if (n < 0) {
            call_db_error(c, "course lessons count");
            return;
        }
        if (n == 0) {
            call_error(c, "course_without_lessons", "status");
            return;
        }
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE courses SET status = $2, updated_at = $3, published_at = CASE WHEN $2 = 'published' "
                         "THEN $3 ELSE published_at END, reviewed_by = CASE WHEN $2 = 'published' THEN NULLIF($5, 0) "
                         "ELSE reviewed_by END WHERE id = $1 AND status = $4",
                         "ItItI", id, to, now, from, audit_actor_user(&actor));
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "status", from, to);
        if (rc == 1 && !audit_record_id(c->db, &actor, "course.status", "course", id, "", audit_diff_before(&d),
                                        audit_diff_after(&d)))
            rc = -1;
        audit_diff_free(&d);
        if (rc == 1 && (strcmp(to, "published") == 0 || strcmp(from, "published") == 0) &&
            !course_search_sync(c, id, strcmp(to, "published") == 0))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "course status"))
        return;
    course_answer(c, 200, id);
}

/* PUT /api/courses/{id}/order {"lesson_ids": [every lesson of the course, in its new order]} */
void api_courses_order(call_t *c)
{
    static const char *const fields[] = {"lesson_ids", NULL};
    int64_t id;
    const char *status;
    if (!course_load(c, &id, &status, NULL))
        return;
    body_only(c, fields);
    if (call_answered(c))
        return;
    json_t *list = json_object_get(c->body, "lesson_ids");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (!json_is_array(list)) {
        call_error(c, "missing_field", "lesson_ids", "lesson_ids");
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT COUNT(*) FROM lessons WHERE course_id = $1", "I", id);
    int64_t have = st && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    if (have < 0) {
        call_db_error(c, "lesson count");
        return;
    }
    bool ok = (int64_t)n == have;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *v = json_array_get(list, i);
        ok = json_is_integer(v) && json_integer_value(v) > 0;
        for (size_t j = 0; ok && j < i; j++)
            ok = json_integer_value(json_array_get(list, j)) != json_integer_value(v);
    }
    if (!ok) {
        call_invalid(c, "lesson_ids", "应恰好列出本课程的每一课，各一次", "must list every lesson of the course once");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = 1;
        for (size_t i = 0; rc == 1 && i < n; i++)
            if (db_run(c->db, "UPDATE lessons SET position = $3 WHERE id = $1 AND course_id = $2", "III",
                       (int64_t)json_integer_value(json_array_get(list, i)), id, (int64_t)(i + 1)) != 1)
                rc = -2;
        if (rc == 1) {
            char *after = json_dumps(list, JSON_COMPACT);
            const char *wrapped = arena_printf(&c->arena, "{\"lesson_ids\":%s}", after ? after : "[]");
            free(after);
            if (!audit_record_id(c->db, &actor, "course.order", "course", id, "", NULL, wrapped))
                rc = -1;
        }
        if (rc == -2)
            db_rollback(c->db);
        else
            rc = db_finish(c->db, rc);
    }
    if (rc == -2) {
        call_invalid(c, "lesson_ids", "应恰好列出本课程的每一课，各一次", "must list every lesson of the course once");
        return;
    }
    if (!call_write_done(c, rc, "lesson order"))
        return;
    course_answer(c, 200, id);
}

/* ---- lessons ---- */

typedef struct lesson_row {
    int64_t id, course_id, position, minutes, published_revision, edited_by;
    const char *title, *markdown, *video_url, *status, *course_status, *course_title, *edition;
} lesson_row_t;

static int lesson_get(call_t *c, int64_t id, lesson_row_t *l)
{
    stmt_t *st = db_query(c->db,
                          "SELECT l.id, l.course_id, l.position, l.minutes, l.published_revision, "
                          "COALESCE(l.edited_by, l.created_by, 0), l.title, l.markdown, l.video_url, l.status, "
                          "c.status, c.title, c.edition FROM lessons l JOIN courses c ON c.id = l.course_id WHERE "
                          "l.id = $1",
                          "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        arena_t *a = &c->arena;
        *l = (lesson_row_t){
            .id = stmt_int(st, 0), .course_id = stmt_int(st, 1), .position = stmt_int(st, 2),
            .minutes = stmt_int(st, 3), .published_revision = stmt_int(st, 4), .edited_by = stmt_int(st, 5),
            .title = arena_strdup(a, stmt_text(st, 6)), .markdown = arena_strdup(a, stmt_text(st, 7)),
            .video_url = arena_strdup(a, stmt_text(st, 8)), .status = arena_strdup(a, stmt_text(st, 9)),
            .course_status = arena_strdup(a, stmt_text(st, 10)), .course_title = arena_strdup(a, stmt_text(st, 11)),
            .edition = arena_strdup(a, stmt_text(st, 12)),
        };
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Lesson {id} of the path: for the public a published revision of a published course; authors
 * any. False after answering 404 lesson_not_found. */
static bool lesson_load(call_t *c, lesson_row_t *l)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = lesson_get(c, id, l);
    if (rc < 0)
        call_db_error(c, "lesson lookup");
    else if (rc == 0 ||
             (!is_author(c) && (l->published_revision == 0 || strcmp(l->course_status, "published") != 0)))
        call_error(c, "lesson_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

static void html_write(call_t *c, jw_t *w, const char *markdown)
{
    char *html = markdown_html(&c->arena, markdown, strlen(markdown));
    jw_kstr(w, "html", html ? html : "");
}

/* "clauses": [{"edition","number","title"}] of the lesson. False on a database error. */
static bool clauses_write(call_t *c, jw_t *w, int64_t lesson_id)
{
    stmt_t *st = db_query(c->db,
                          "SELECT lc.edition, lc.clause_number, COALESCE((SELECT cl.title FROM clauses cl JOIN "
                          "clause_catalogues cc ON cc.id = cl.catalogue_id WHERE cc.edition = lc.edition AND "
                          "cl.number = lc.clause_number ORDER BY cc.version DESC LIMIT 1), '') FROM lesson_clauses "
                          "lc WHERE lc.lesson_id = $1 ORDER BY lc.edition, lc.clause_number",
                          "I", lesson_id);
    int rc = STORE_ERROR;
    jw_key(w, "clauses");
    jw_array(w);
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kstr(w, "edition", stmt_text(st, 0));
        jw_kstr(w, "number", stmt_text(st, 1));
        jw_kstr(w, "title", stmt_text(st, 2));
        jw_end(w);
    }
    stmt_done(st);
    jw_end(w);
    return rc == STORE_DONE;
}

/* The published neighbours of a lesson in its course (0: none). */
static bool lesson_neighbours(call_t *c, const lesson_row_t *l, int64_t *prev, int64_t *next)
{
    *prev = *next = 0;
    stmt_t *st = db_query(c->db,
                          "SELECT id, position FROM lessons WHERE course_id = $1 AND published_revision > 0 ORDER BY "
                          "position, id",
                          "I", l->course_id);
    int rc = STORE_ERROR;
    bool seen = false;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t id = stmt_int(st, 0);
        if (id == l->id)
            seen = true;
        else if (!seen)
            *prev = id;
        else if (*next == 0)
            *next = id;
    }
    stmt_done(st);
    if (!seen)
        *prev = 0;
    return rc == STORE_DONE;
}

/* GET /api/lessons/{id}: the published revision (schema Lesson) */
void api_lessons_show(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    if (l.published_revision == 0) {
        call_error(c, "lesson_not_found", NULL);
        return;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT title, markdown, video_url, published_at FROM lesson_revisions WHERE lesson_id = $1 "
                          "AND revision = $2",
                          "II", l.id, l.published_revision);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "lesson revision");
        return;
    }
    const char *title = arena_strdup(&c->arena, stmt_text(st, 0)), *markdown = arena_strdup(&c->arena, stmt_text(st, 1)),
               *video = arena_strdup(&c->arena, stmt_text(st, 2));
    int64_t published_at = stmt_int(st, 3);
    stmt_done(st);
    int64_t prev, next;
    if (!lesson_neighbours(c, &l, &prev, &next)) {
        call_db_error(c, "lesson neighbours");
        return;
    }
    char at[21];
    time_iso(published_at, at);
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "id", l.id);
    jw_kint(w, "course_id", l.course_id);
    jw_kstr(w, "course_title", l.course_title);
    jw_kint(w, "position", l.position);
    jw_kint(w, "revision", l.published_revision);
    jw_kstr(w, "title", title);
    html_write(c, w, markdown);
    jw_kstr(w, "video_url", video);
    jw_kint(w, "minutes", l.minutes);
    jw_kstr(w, "published_at", at);
    jw_kid(w, "prev_id", prev);
    jw_kid(w, "next_id", next);
    if (!clauses_write(c, w, l.id)) {
        call_db_error(c, "lesson clauses");
        return;
    }
    jw_end(w);
}

/* Answers the working copy of lesson id (schema LessonDraft) for authors. */
static void lesson_draft_answer(call_t *c, int status, int64_t id)
{
    lesson_row_t l;
    if (lesson_get(c, id, &l) != 1) {
        call_db_error(c, "lesson re-read");
        return;
    }
    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    jw_kint(w, "id", l.id);
    jw_kint(w, "course_id", l.course_id);
    jw_kstr(w, "course_title", l.course_title);
    jw_kint(w, "position", l.position);
    jw_kstr(w, "status", l.status);
    jw_kint(w, "published_revision", l.published_revision);
    jw_kid(w, "edited_by", l.edited_by);
    jw_kstr(w, "title", l.title);
    jw_kstr(w, "markdown", l.markdown);
    html_write(c, w, l.markdown);
    jw_kstr(w, "video_url", l.video_url);
    jw_kint(w, "minutes", l.minutes);
    if (!clauses_write(c, w, l.id)) {
        call_db_error(c, "lesson clauses");
        return;
    }
    jw_end(w);
}

void api_lessons_draft(call_t *c)
{
    lesson_row_t l;
    if (lesson_load(c, &l))
        lesson_draft_answer(c, 200, l.id);
}

/* The lesson form (schema LessonInput). clauses are clause numbers of the course's edition
 * (2023 when the course has none), each in the clause catalogue. */
typedef struct lesson_form {
    const char *title, *markdown, *video_url;
    int64_t minutes;
    const char **clauses;
    int nclauses;
    bool has_clauses;
} lesson_form_t;

static bool valid_video_url(const char *s)
{
    return *s == '\0' || strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static bool lesson_form_read(call_t *c, lesson_form_t *f, bool create, const char *edition)
{
    static const char *const fields[] = {"title", "markdown", "video_url", "minutes", "clauses", NULL};
    body_only(c, fields);
    body_string(c, "title", create ? FIELD_REQUIRED : 0, 1, COURSE_TITLE_MAX, &f->title);
    body_string(c, "markdown", FIELD_KEEP_BLANKS, 0, LESSON_MARKDOWN_MAX, &f->markdown);
    body_string(c, "video_url", 0, 0, 500, &f->video_url);
    body_int(c, "minutes", 0, 0, 600, &f->minutes);
    f->has_clauses = body_has(c, "clauses");
    if (f->has_clauses)
        body_string_list(c, "clauses", 0, LESSON_CLAUSES_MAX, NULL, &f->clauses, &f->nclauses);
    if (f->video_url && !valid_video_url(f->video_url))
        call_invalid(c, "video_url", "应为 http:// 或 https:// 地址", "an http:// or https:// address");
    if (call_answered(c))
        return false;
    for (int i = 0; f->has_clauses && i < f->nclauses; i++) {
        stmt_t *st = db_query(c->db,
                              "SELECT 1 FROM clauses cl JOIN clause_catalogues cc ON cc.id = cl.catalogue_id WHERE "
                              "cc.edition = $1 AND cl.number = $2 LIMIT 1",
                              "tt", edition, f->clauses[i]);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "clause lookup");
            return false;
        }
        if (rc != STORE_ROW) {
            call_error(c, "unknown_clause", "clauses", f->clauses[i], edition);
            return false;
        }
    }
    return true;
}

static bool lesson_clauses_replace(call_t *c, int64_t id, const lesson_form_t *f, const char *edition)
{
    if (db_run(c->db, "DELETE FROM lesson_clauses WHERE lesson_id = $1", "I", id) < 0)
        return false;
    for (int i = 0; i < f->nclauses; i++)
        if (db_run(c->db,
                   "INSERT INTO lesson_clauses (lesson_id, edition, clause_number) VALUES ($1, $2, $3) ON CONFLICT "
                   "DO NOTHING",
                   "Itt", id, edition, f->clauses[i]) < 0)
            return false;
    return true;
}

static const char *lesson_edition(const char *course_edition)
{
    return *course_edition ? course_edition : "2023";
}

/* POST /api/courses/{id}/lessons: a new draft lesson at the end of the course */
void api_lessons_create(call_t *c)
{
    int64_t course_id;
    const char *status, *edition;
    if (!course_load(c, &course_id, &status, &edition))
        return;
    edition = lesson_edition(edition);
    lesson_form_t f = {.markdown = "", .video_url = ""};
    if (!lesson_form_read(c, &f, true, edition))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1, user = audit_actor_user(&actor);
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO lessons (course_id, position, title, markdown, video_url, minutes, "
                              "created_by, edited_by, created_at, updated_at) VALUES ($1, (SELECT COALESCE(MAX(position), "
                              "0) + 1 FROM lessons WHERE course_id = $1), $2, $3, $4, $5, NULLIF($6, 0), NULLIF($6, 0), "
                              "$7, $7) RETURNING id",
                              "ItttIII", course_id, f.title, f.markdown, f.video_url, f.minutes, user, now);
        id = st ? stmt_insert_id(st) : -1;
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "course_id", NULL, arena_printf(&c->arena, "%lld", (long long)course_id));
        audit_diff_str(&d, "title", NULL, f.title);
        audit_diff_str(&d, "markdown", NULL, f.markdown);
        audit_diff_str(&d, "status", NULL, "draft");
        if (id > 0 && (!lesson_clauses_replace(c, id, &f, edition) ||
                       !audit_record_id(c->db, &actor, "lesson.create", "lesson", id, "", NULL, audit_diff_after(&d))))
            id = -1;
        audit_diff_free(&d);
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "lesson insert"))
        return;
    lesson_draft_answer(c, 201, id);
}

/* PUT /api/lessons/{id}: edits the working copy; a published lesson becomes a draft again (its
 * readers keep the published revision); 409 lesson_transition while in review. */
void api_lessons_update(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    const char *edition = lesson_edition(l.edition);
    lesson_form_t f = {0};
    f.minutes = -1;
    if (!lesson_form_read(c, &f, false, edition))
        return;
    if (strcmp(l.status, "review") == 0) {
        call_error(c, "lesson_transition", "status", l.status, "draft");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE lessons SET title = COALESCE($2, title), markdown = COALESCE($3, markdown), "
                         "video_url = COALESCE($4, video_url), minutes = CASE WHEN $5 < 0 THEN minutes ELSE $5 END, "
                         "status = 'draft', edited_by = NULLIF($6, 0), updated_at = $7 WHERE id = $1 AND status IN "
                         "('draft', 'published')",
                         "ItttIII", l.id, f.title, f.markdown, f.video_url, f.minutes, audit_actor_user(&actor),
                         now_seconds());
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "title", f.title ? l.title : NULL, f.title);
        audit_diff_str(&d, "markdown", f.markdown ? l.markdown : NULL, f.markdown);
        audit_diff_str(&d, "video_url", f.video_url ? l.video_url : NULL, f.video_url);
        audit_diff_int(&d, "minutes", f.minutes >= 0 ? &l.minutes : NULL, f.minutes >= 0 ? &f.minutes : NULL);
        audit_diff_str(&d, "status", l.status, "draft");
        if (rc == 1 && ((f.has_clauses && !lesson_clauses_replace(c, l.id, &f, edition)) ||
                        !audit_record_id(c->db, &actor, "lesson.update", "lesson", l.id, "", audit_diff_before(&d),
                                         audit_diff_after(&d))))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "lesson_transition", "status", "review", "draft");
        return;
    }
    if (!call_write_done(c, rc, "lesson update"))
        return;
    lesson_draft_answer(c, 200, l.id);
}

/* POST /api/lessons/{id}/submit: draft → review */
void api_lessons_submit(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    if (strcmp(l.status, "draft") != 0) {
        call_error(c, "lesson_transition", "status", l.status, "review");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db, "UPDATE lessons SET status = 'review', updated_at = $2 WHERE id = $1 AND status = 'draft'",
                         "II", l.id, now_seconds());
        if (rc == 1 && !audit_record_id(c->db, &actor, "lesson.submit", "lesson", l.id, "", "{\"status\":\"draft\"}",
                                        "{\"status\":\"review\"}"))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "lesson_transition", "status", "review", "review");
        return;
    }
    if (call_write_done(c, rc, "lesson submit"))
        lesson_draft_answer(c, 200, l.id);
}

/* POST /api/lessons/{id}/approve: review → published by an author other than the last editor
 * (409 lesson_own_review): the working copy becomes the next revision, searchable when the
 * course is published. Approving is publishing (docs/decisions.md). */
void api_lessons_approve(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    if (strcmp(l.status, "review") != 0) {
        call_error(c, "lesson_transition", "status", l.status, "published");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t user = audit_actor_user(&actor), now = now_seconds();
    if (user == l.edited_by) {
        call_error(c, "lesson_own_review", NULL);
        return;
    }
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE lessons SET status = 'published', published_revision = published_revision + 1, "
                         "updated_at = $2 WHERE id = $1 AND status = 'review' AND COALESCE(edited_by, created_by, 0) "
                         "<> $3",
                         "III", l.id, now, user);
        int64_t revision = l.published_revision + 1;
        if (rc == 1 &&
            (db_run(c->db,
                    "INSERT INTO lesson_revisions (lesson_id, revision, title, markdown, video_url, author_id, "
                    "reviewer_id, published_at) SELECT id, published_revision, title, markdown, video_url, "
                    "COALESCE(edited_by, created_by), NULLIF($2, 0), $3 FROM lessons WHERE id = $1",
                    "III", l.id, user, now) != 1 ||
             !audit_record_id(c->db, &actor, "lesson.approve", "lesson", l.id, "",
                              arena_printf(&c->arena, "{\"status\":\"review\",\"revision\":%lld}",
                                           (long long)l.published_revision),
                              arena_printf(&c->arena, "{\"status\":\"published\",\"revision\":%lld}", (long long)revision)) ||
             (strcmp(l.course_status, "published") == 0 &&
              !search_document_put(c->db, "lesson", l.id, l.title, l.markdown,
                                   arena_printf(&c->arena, "/lessons/%lld", (long long)l.id)))))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "lesson_transition", "status", "published", "published");
        return;
    }
    if (call_write_done(c, rc, "lesson approve"))
        lesson_draft_answer(c, 200, l.id);
}

/* GET /api/lessons/{id}/revisions: every publication, newest first (authors) */
void api_lessons_revisions(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT r.revision, r.title, r.published_at, COALESCE(a.name, ''), COALESCE(v.name, '') FROM "
                          "lesson_revisions r LEFT JOIN users a ON a.id = r.author_id LEFT JOIN users v ON v.id = "
                          "r.reviewer_id WHERE r.lesson_id = $1 ORDER BY r.revision DESC",
                          "I", l.id);
    if (st == NULL) {
        call_db_error(c, "lesson revisions");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kint(w, "revision", stmt_int(st, 0));
        jw_kstr(w, "title", stmt_text(st, 1));
        put_time(w, "published_at", st, 2);
        jw_kstr(w, "author", stmt_text(st, 3));
        jw_kstr(w, "reviewer", stmt_text(st, 4));
        jw_end(w);
    }
    stmt_done(st);
    jw_end(w);
    jw_end(w);
    if (rc != STORE_DONE)
        call_db_error(c, "lesson revisions");
}

/* GET /api/lessons/{id}/revisions/{revision} (authors) */
void api_lessons_revision_show(call_t *c)
{
    lesson_row_t l;
    if (!lesson_load(c, &l))
        return;
    int64_t revision = call_param_id(c, "revision");
    if (revision == 0)
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT r.revision, r.title, r.markdown, r.video_url, r.published_at, COALESCE(a.name, ''), "
                          "COALESCE(v.name, '') FROM lesson_revisions r LEFT JOIN users a ON a.id = r.author_id LEFT "
                          "JOIN users v ON v.id = r.reviewer_id WHERE r.lesson_id = $1 AND r.revision = $2",
                          "II", l.id, revision);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_kint(w, "lesson_id", l.id);
        jw_kint(w, "revision", stmt_int(st, 0));
        jw_kstr(w, "title", stmt_text(st, 1));
        jw_kstr(w, "markdown", stmt_text(st, 2));
        const char *markdown = arena_strdup(&c->arena, stmt_text(st, 2));
        jw_kstr(w, "video_url", stmt_text(st, 3));
        put_time(w, "published_at", st, 4);
        jw_kstr(w, "author", stmt_text(st, 5));
        jw_kstr(w, "reviewer", stmt_text(st, 6));
        html_write(c, w, markdown);
        jw_end(w);
    }
    stmt_done(st);
    if (rc == STORE_DONE)
        call_error(c, "lesson_not_found", NULL);
    else if (rc != STORE_ROW)
        call_db_error(c, "lesson revision");
}

/* POST /api/markdown/preview {"markdown"} → {"html"}: the authors' preview, rendered as readers
 * will see it. */
void api_markdown_preview(call_t *c)
{
    static const char *const fields[] = {"markdown", NULL};
    const char *markdown = NULL;
    body_only(c, fields);
    body_string(c, "markdown", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 0, LESSON_MARKDOWN_MAX, &markdown);
    if (call_answered(c))
        return;
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    html_write(c, w, markdown);
    jw_end(w);
}

/* Announcements (issue 11, docs/learning.md "Content"): short Markdown notices of regulators and
 * admins, shown on the home pages once published (pinned ones first), searchable (type
 * announcement) while published. draft → published → archived, each step guarded in its write
 * and audited (entity "announcement"). */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/text.h"
#include "core/markdown.h"
#include "store/audit.h"
#include "store/search.h"

enum { ANNOUNCEMENT_TITLE_MAX = 200, ANNOUNCEMENT_MARKDOWN_MAX = 20000 };

#define ANNOUNCEMENT_COLUMNS "id, title, markdown, pinned, status, created_at, updated_at, published_at"

static bool is_author(const call_t *c)
{
    return (c->user.role & (ROLE_REGULATOR | ROLE_ADMIN)) != 0;
}

static void announcement_row(call_t *c, stmt_t *st, jw_t *w)
{
    char created[21], updated[21], published[21];
    time_iso(stmt_int(st, 5), created);
    time_iso(stmt_int(st, 6), updated);
    if (!stmt_is_null(st, 7))
        time_iso(stmt_int(st, 7), published);
    const char *markdown = stmt_text(st, 2);
    char *html = markdown_html(&c->arena, markdown, strlen(markdown));
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "title", stmt_text(st, 1));
    jw_kstr(w, "markdown", markdown);
    jw_kstr(w, "html", html ? html : "");
    jw_kbool(w, "pinned", stmt_int(st, 3) != 0);
    jw_kstr(w, "status", stmt_text(st, 4));
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    jw_kstr(w, "published_at", stmt_is_null(st, 7) ? NULL : published);
    jw_end(w);
}

/* GET /api/announcements: published ones, pinned first then newest; authors may ask
 * ?status=draft|published|archived|all. */
void api_announcements_list(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *status = call_query(c, "status");
    if (call_answered(c))
        return;
    if (status && *status && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0 &&
        strcmp(status, "archived") != 0 && strcmp(status, "all") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    if (!status || !*status || !is_author(c))
        status = "published";
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM announcements WHERE TRUE");
    query_init(&list, "SELECT " ANNOUNCEMENT_COLUMNS " FROM announcements WHERE TRUE");
    if (strcmp(status, "all") != 0) {
        query_and_text(&count, "status = $?", status);
        query_and_text(&list, "status = $?", status);
    }
    query_sql(&list, " ORDER BY pinned DESC, COALESCE(published_at, updated_at) DESC, id DESC");
    answer_list(c, &count, &list, page, per_page, announcement_row, "announcement list");
}

static void announcement_answer(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " ANNOUNCEMENT_COLUMNS " FROM announcements WHERE id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        announcement_row(c, st, call_json_begin(c, status));
    stmt_done(st);
    if (rc != STORE_ROW)
        call_db_error(c, "announcement re-read");
}

/* Announcement {id} of the path readable by the caller: its status, title and text; false after
 * answering 404 announcement_not_found. */
static bool announcement_load(call_t *c, int64_t *id, const char **status, const char **title, const char **markdown)
{
    *id = call_param_id(c, "id");
    if (*id == 0)
        return false;
    stmt_t *st = db_query(c->db, "SELECT status, title, markdown FROM announcements WHERE id = $1", "I", *id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        *status = arena_strdup(&c->arena, stmt_text(st, 0));
        *title = arena_strdup(&c->arena, stmt_text(st, 1));
        *markdown = arena_strdup(&c->arena, stmt_text(st, 2));
    }
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "announcement lookup");
    else if (rc != STORE_ROW || (!is_author(c) && strcmp(*status, "published") != 0))
        call_error(c, "announcement_not_found", NULL);
    return rc == STORE_ROW && !call_answered(c);
}

void api_announcements_show(call_t *c)
{
    int64_t id;
    const char *status, *title, *markdown;
    if (announcement_load(c, &id, &status, &title, &markdown))
        announcement_answer(c, 200, id);
}

static const char *announcement_url(call_t *c, int64_t id)
{
    return arena_printf(&c->arena, "/announcements/%lld", (long long)id);
}

static bool announcement_form(call_t *c, bool create, const char **title, const char **markdown, bool *pinned)
{
    static const char *const fields[] = {"title", "markdown", "pinned", NULL};
    body_only(c, fields);
    body_string(c, "title", create ? FIELD_REQUIRED : 0, 1, ANNOUNCEMENT_TITLE_MAX, title);
    body_string(c, "markdown", FIELD_KEEP_BLANKS, 0, ANNOUNCEMENT_MARKDOWN_MAX, markdown);
    body_bool(c, "pinned", 0, pinned);
    return !call_answered(c);
}

void api_announcements_create(call_t *c)
{
    const char *title = NULL, *markdown = "";
    bool pinned = false;
    if (!announcement_form(c, true, &title, &markdown, &pinned))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO announcements (title, markdown, pinned, created_by, created_at, updated_at) "
                              "VALUES ($1, $2, $3, NULLIF($4, 0), $5, $5) RETURNING id",
                              "ttbII", title, markdown, pinned, audit_actor_user(&actor), now);
        id = st ? stmt_insert_id(st) : -1;
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "title", NULL, title);
        audit_diff_str(&d, "markdown", NULL, markdown);
        audit_diff_bool(&d, "pinned", NULL, &pinned);
        audit_diff_str(&d, "status", NULL, "draft");
        if (id > 0 &&
            !audit_record_id(c->db, &actor, "announcement.create", "announcement", id, "", NULL, audit_diff_after(&d)))
            id = -1;
        audit_diff_free(&d);
    }
    if (call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "announcement insert"))
        announcement_answer(c, 201, id);
}

void api_announcements_update(call_t *c)
{
    int64_t id;
    const char *status, *was_title, *was_markdown;
    if (!announcement_load(c, &id, &status, &was_title, &was_markdown))
        return;
    const char *title = NULL, *markdown = NULL;
    bool pinned = false, has_pinned = body_has(c, "pinned");
    if (!announcement_form(c, false, &title, &markdown, &pinned))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE announcements SET title = COALESCE($2, title), markdown = COALESCE($3, markdown), "
                         "pinned = CASE WHEN $4 = 1 THEN $5 ELSE pinned END, updated_at = $6 WHERE id = $1 AND status "
                         "<> 'archived'",
                         "IttbbI", id, title, markdown, has_pinned, pinned, now_seconds());
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "title", title ? was_title : NULL, title);
        audit_diff_str(&d, "markdown", markdown ? was_markdown : NULL, markdown);
        audit_diff_bool(&d, "pinned", NULL, has_pinned ? &pinned : NULL);
        if (rc == 1 && (!audit_record_id(c->db, &actor, "announcement.update", "announcement", id, "",
                                         audit_diff_before(&d), audit_diff_after(&d)) ||
                        (strcmp(status, "published") == 0 &&
                         !search_document_put(c->db, "announcement", id, title ? title : was_title,
                                              markdown ? markdown : was_markdown, announcement_url(c, id)))))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "announcement_transition", "status", "archived", "draft");
        return;
    }
    if (call_write_done(c, rc, "announcement update"))
        announcement_answer(c, 200, id);
}

/* POST /api/announcements/{id}/status {"status": "published" | "archived"}: draft → published →
 * archived. */
void api_announcements_status(call_t *c)
{
    static const char *const fields[] = {"status", NULL};
    int64_t id;
    const char *status, *title, *markdown, *to = NULL;
    if (!announcement_load(c, &id, &status, &title, &markdown))
        return;
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &to);
    if (call_answered(c))
        return;
    bool publish = strcmp(to, "published") == 0;
    if (!publish && strcmp(to, "archived") != 0) {
        call_invalid(c, "status", "应为 published 或 archived", "published or archived");
        return;
    }
    const char *from = publish ? "draft" : "published";
    if (strcmp(status, from) != 0) {
        call_error(c, "announcement_transition", "status", status, to);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE announcements SET status = $2, updated_at = $3, published_at = CASE WHEN $2 = "
                         "'published' THEN $3 ELSE published_at END WHERE id = $1 AND status = $4",
                         "ItIt", id, to, now, from);
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "status", from, to);
        if (rc == 1 && (!audit_record_id(c->db, &actor, "announcement.status", "announcement", id, "",
                                         audit_diff_before(&d), audit_diff_after(&d)) ||
                        !(publish ? search_document_put(c->db, "announcement", id, title, markdown,
                                                        announcement_url(c, id))
                                  : search_document_remove(c->db, "announcement", id))))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "announcement_transition", "status", from, to);
        return;
    }
    if (call_write_done(c, rc, "announcement status"))
        announcement_answer(c, 200, id);
}

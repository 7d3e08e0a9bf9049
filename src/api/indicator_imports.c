/* Indicator imports through the API (docs/effectiveness.md "Imports"): the upload
 * POST /api/indicator-imports?dry_run=, kept by the file service (its content, named by the
 * import's file_sha256) and read by the same importer as `guanbiao import indicators`
 * (report/indicators_import.h); a small file is answered at once, a large one runs as the job
 * indicator_import whose progress GET /api/indicator-imports/{id} shows; the caller's imports
 * listed (an admin's: everyone's). An enterprise imports its own values, a regulator its
 * region's, an admin any (domain/scope.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "domain/scope.h"
#include "report/indicators_import.h"
#include "store/files.h"
#include "store/jobs.h"
#include "store/users.h"

/* uploads larger than this, or with more lines, run as a job (the answer: the import, queued) */
enum { IMPORT_INLINE_BYTES = 5u << 20, IMPORT_INLINE_LINES = 50000 };
/* an import keeps (and answers) its first rejected values; rejected_count counts them all */
enum { IMPORT_MAX_REJECTED = 10000 };

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* CSV in UTF-8 or GBK (libmagic may call GBK text anything textual), or an XLSX workbook */
static const char *const import_types[] = {"text/csv", "text/plain", "application/csv", XLSX_TYPE,
                                           "application/zip", "application/octet-stream", NULL};

#define IMPORT_COLUMNS                                                                                          \
    "id, file_name, file_sha256, layout, encoding, dry_run, state, rows_total, rows_done, accepted, unchanged, " \
    "rejected_count, error, COALESCE(created_by, 0), created_at, finished_at, rejected"

static void import_write(stmt_t *st, jw_t *w, bool with_rejected)
{
    char created[21], finished[21];
    time_iso(stmt_int(st, 14), created);
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "file_name", stmt_text(st, 1));
    jw_kstr(w, "file_sha256", stmt_text(st, 2));
    jw_kstr(w, "layout", stmt_text(st, 3));
    jw_kstr(w, "encoding", stmt_text(st, 4));
    jw_kbool(w, "dry_run", stmt_int(st, 5) != 0);
    jw_kstr(w, "state", stmt_text(st, 6));
    jw_kint(w, "rows_total", stmt_int(st, 7));
    jw_kint(w, "rows_done", stmt_int(st, 8));
    jw_kint(w, "accepted", stmt_int(st, 9));
    jw_kint(w, "unchanged", stmt_int(st, 10));
    jw_kint(w, "rejected_count", stmt_int(st, 11));
    jw_kstr(w, "error", stmt_text(st, 12));
    jw_kid(w, "created_by", stmt_int(st, 13));
    jw_kstr(w, "created_at", created);
    if (stmt_is_null(st, 15)) {
        jw_key(w, "finished_at");
        jw_null(w);
    } else {
        time_iso(stmt_int(st, 15), finished);
        jw_kstr(w, "finished_at", finished);
    }
    if (with_rejected) {
        jw_key(w, "rejected");
        const char *rejected = stmt_text(st, 16);
        jw_raw(w, *rejected ? rejected : "[]");
    }
    jw_end(w);
}

static void import_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    import_write(st, w, false);
}

/* Answers one import (with its rejected rows) as status; 404 when the caller may not see it. */
static void answer_import(call_t *c, int64_t id, int status)
{
    stmt_t *st = db_query(c->db, "SELECT " IMPORT_COLUMNS " FROM indicator_imports WHERE id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ERROR) {
        stmt_done(st);
        call_db_error(c, "indicator import");
        return;
    }
    if (rc == STORE_DONE || (c->user.role != ROLE_ADMIN && stmt_int(st, 13) != c->user.id)) {
        stmt_done(st);
        call_error(c, "indicator_import_not_found", NULL);
        return;
    }
    import_write(st, call_json_begin(c, status), true);
    stmt_done(st);
}

static size_t count_lines(const char *data, size_t len)
{
    size_t n = 0;
    for (const char *p = data, *end = data + len; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        n++;
    return n;
}

void api_indicator_imports_create(call_t *c)
{
    const char *dry = call_query(c, "dry_run");
    if (call_answered(c))
        return;
    if (dry != NULL && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0 && *dry != '\0') {
        call_error(c, "invalid_query", "dry_run", "dry_run");
        return;
    }
    bool dry_run = dry != NULL && strcmp(dry, "true") == 0;
    const char *name, *type;
    if (!upload_read(c, import_types, &name, &type))
        return;
    audit_actor_t actor = call_actor(c);
    bool as_job = c->body_len > IMPORT_INLINE_BYTES || count_lines(c->body_data, c->body_len) > IMPORT_INLINE_LINES;
    char sha[FILE_SHA256_HEX + 1];
    /* the file kept, the import's row (and its job) in one transaction */
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "indicator import");
        return;
    }
    int64_t id = file_content_store(c->db, type, c->body_data, c->body_len, sha)
                     ? indicator_import_create(c->db, &actor, name, sha, dry_run, as_job)
                     : -1;
    if (id > 0 && as_job) {
        char payload[64];
        snprintf(payload, sizeof payload, "{\"import_id\":%lld}", (long long)id);
        int64_t job = job_enqueue(c->db, INDICATOR_IMPORT_JOB_KIND, payload, 0);
        if (job <= 0 || db_run(c->db, "UPDATE indicator_imports SET job_id = $2 WHERE id = $1", "II", id, job) != 1)
            id = -1;
    }
    if (db_finish(c->db, id > 0 ? 1 : -1) != 1) {
        call_db_error(c, "indicator import");
        return;
    }
    if (as_job) {
        answer_import(c, id, 200);     /* state queued: GET it for its progress */
        return;
    }
    indicator_import_options_t o = {.lang = c->lang, .actor = &actor, .scope = &c->user, .dry_run = dry_run,
                                    .import_id = id, .max_rejected = IMPORT_MAX_REJECTED};
    indicator_import_report_t r;
    const char *problem;
    int rc = indicators_import(c->db, c->body_data, c->body_len, &o, &r, &problem);
    if (rc == 1) {
        call_error(c, problem, NULL);
        return;
    }
    if (rc < 0) {
        call_db_error(c, "indicator import");
        return;
    }
    json_decref(r.rejected);
    answer_import(c, id, 200);
}

void api_indicator_imports_list(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM indicator_imports WHERE TRUE");
    query_init(&list, "SELECT " IMPORT_COLUMNS " FROM indicator_imports WHERE TRUE");
    if (c->user.role != ROLE_ADMIN) {
        query_and_int(&count, "created_by = $?", c->user.id);
        query_and_int(&list, "created_by = $?", c->user.id);
    }
    query_sql(&list, " ORDER BY id DESC");
    answer_list(c, &count, &list, page, per_page, import_row, "indicator imports");
}

void api_indicator_imports_show(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    answer_import(c, id, 200);
}

/* The job: the upload read again from the file service, imported as its uploader (their reach
 * and their name on every event). A file that cannot be read fails the import, not the job. */
int indicator_import_job_run(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    json_t *o = json_loads(payload ? payload : "{}", 0, NULL);
    int64_t id = json_is_integer(json_object_get(o, "import_id")) ? json_integer_value(json_object_get(o, "import_id")) : 0;
    json_decref(o);
    if (id <= 0) {
        snprintf(err, errlen, "payload: import_id must be a positive integer");
        return -1;
    }
    stmt_t *st = db_query(db, "SELECT file_sha256, dry_run, COALESCE(created_by, 0), state FROM indicator_imports "
                              "WHERE id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        snprintf(err, errlen, "indicator import %lld: %s", (long long)id, rc == STORE_DONE ? "none" : db_error(db));
        return rc == STORE_DONE ? 0 : -1;      /* gone: nothing to do */
    }
    const char *sha = arena_strdup(a, stmt_text(st, 0));
    bool dry_run = stmt_int(st, 1) != 0;
    int64_t user_id = stmt_int(st, 2);
    bool finished = strcmp(stmt_text(st, 3), "done") == 0 || strcmp(stmt_text(st, 3), "failed") == 0;
    stmt_done(st);
    if (finished)
        return 0;
    user_t u = {0};
    const char *hash;
    if (user_id <= 0 || user_by_id(db, a, user_id, &u, &hash) != 1) {
        snprintf(err, errlen, "indicator import %lld: its uploader is gone", (long long)id);
        db_run(db, "UPDATE indicator_imports SET state = 'failed', error = $2, finished_at = $3 WHERE id = $1", "ItI",
               id, err, now_seconds());
        return 0;
    }
    audit_actor_t actor = {.kind = ACTOR_USER, .user_id = u.id, .login = u.login, .role = u.role,
                           .enterprise_id = u.enterprise_id, .body_id = u.body_id, .region = u.region,
                           .request_id = "", .address = ""};
    buf_t data;
    buf_init(&data, 512u << 20);
    if (file_content_read(db, sha, &data) != 1) {
        buf_free(&data);
        snprintf(err, errlen, "indicator import %lld: its file: %s", (long long)id, db_error(db));
        return -1;
    }
    db_run(db, "UPDATE indicator_imports SET state = 'running' WHERE id = $1", "I", id);
    indicator_import_options_t io = {.lang = LANG_ZH, .actor = &actor, .scope = &u, .dry_run = dry_run,
                                     .import_id = id, .max_rejected = IMPORT_MAX_REJECTED};
    indicator_import_report_t r;
    const char *problem;
    rc = indicators_import(db, data.data ? data.data : "", data.len, &io, &r, &problem);
    buf_free(&data);
    if (rc == 0) {
        json_decref(r.rejected);
        log_info("indicator_import %lld: %lld accepted, %lld unchanged, %lld rejected", (long long)id,
                 (long long)r.accepted, (long long)r.unchanged, (long long)r.rejected_count);
    }
    if (rc < 0) {
        snprintf(err, errlen, "indicator import %lld: %s", (long long)id, db_error(db));
        return -1;
    }
    return 0;
}

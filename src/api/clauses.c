/* The standard as data (docs/compliance.md): the clause catalogues of GB/T 29490 read by anyone
 * (GET /api/clauses, GET /api/clause-catalogues), imported by an admin as an edition's next
 * version from a JSON document (the data files' shape) or a CSV upload, every problem listed at
 * once and nothing written on any, and exported as JSON or CSV (the import's own format, so an
 * export imports back to the same clauses). The rules are domain/clauses.c's, the writing
 * store/clauses.c's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/filetype.h"
#include "domain/clauses.h"
#include "store/clauses.h"

/* GET /api/clauses?edition=&version=: the catalogue's clauses in its order. */
void api_clauses_list(call_t *c)
{
    const char *edition = call_query(c, "edition");
    int64_t version = 0;
    if (!clause_edition_known(edition))
        call_invalid(c, "edition", "应为 2013 或 2023", "must be 2013 or 2023");
    if (call_query(c, "version") != NULL)
        call_query_int(c, "version", 1, 1000000, &version);
    if (call_answered(c))
        return;
    stmt_t *st = version > 0
                     ? db_query(c->db, "SELECT id, version FROM clause_catalogues WHERE edition = $1 AND version = $2",
                                "tI", edition, version)
                     : db_query(c->db,
                                "SELECT id, version FROM clause_catalogues WHERE edition = $1 ORDER BY version DESC LIMIT 1",
                                "t", edition);
    if (st == NULL) {
        call_db_error(c, "clause catalogue");
        return;
    }
    int rc = stmt_step(st);
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    version = rc == STORE_ROW ? stmt_int(st, 1) : 0;
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "clause catalogue");
        return;
    }
    if (id == 0) {
        call_error(c, "clause_catalogue_not_found", NULL);
        return;
    }
    st = db_query(c->db,
                  "SELECT number, title, title_en, parent, provisional, guidance, evidence FROM clauses "
                  "WHERE catalogue_id = $1 ORDER BY position",
                  "I", id);
    if (st == NULL) {
        call_db_error(c, "clauses");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kstr(w, "number", stmt_text(st, 0));
        jw_kstr(w, "title", stmt_text(st, 1));
        jw_kstr(w, "title_en", stmt_text(st, 2));
        jw_kstr(w, "parent", stmt_text(st, 3));
        jw_kbool(w, "provisional", stmt_int(st, 4) != 0);
        jw_kstr(w, "guidance", stmt_text(st, 5));
        jw_kstr(w, "evidence", stmt_text(st, 6));
        jw_key(w, "catalogue");
        jw_object(w);
        jw_kint(w, "id", id);
        jw_kstr(w, "edition", edition);
        jw_kint(w, "version", version);
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        buf_reset(&c->out);
        call_db_error(c, "clauses");
        return;
    }
    jw_end(w);
    jw_end(w);
}

/* Writes one catalogue's members (the open object is the caller's). */
static void catalogue_members(jw_t *w, stmt_t *st)
{
    char at[21];
    time_iso(stmt_int(st, 4), at);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "edition", stmt_text(st, 1));
    jw_kint(w, "version", stmt_int(st, 2));
    jw_kstr(w, "note", stmt_text(st, 3));
    jw_kstr(w, "imported_at", at);
    jw_kint(w, "clauses", stmt_int(st, 5));
}

#define CATALOGUE_COLUMNS                                                                                        \
    "k.id, k.edition, k.version, k.note, k.imported_at, (SELECT COUNT(*) FROM clauses c WHERE c.catalogue_id = " \
    "k.id)"

/* GET /api/clause-catalogues: each edition with its versions, newest first. */
void api_clause_catalogues_list(call_t *c)
{
    stmt_t *st = db_query(c->db,
                          "SELECT " CATALOGUE_COLUMNS " FROM clause_catalogues k ORDER BY k.edition, k.version DESC", "");
    if (st == NULL) {
        call_db_error(c, "clause catalogues");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    static const char *const editions[] = {"2013", "2023"};
    size_t next = 0;       /* the next edition to open */
    bool open = false;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        const char *edition = stmt_text(st, 1);
        if (!open || strcmp(edition, editions[next - 1]) != 0) {
            while (next < 2 && strcmp(edition, editions[next]) != 0)
                next++;
            if (next == 2)
                break;      /* the CHECK keeps any other edition out */
            if (open) {
                jw_end(w);
                jw_end(w);
            }
            jw_object(w);
            jw_kstr(w, "edition", editions[next++]);
            jw_key(w, "versions");
            jw_array(w);
            open = true;
        }
        jw_object(w);
        catalogue_members(w, st);
        jw_end(w);
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        buf_reset(&c->out);
        call_db_error(c, "clause catalogues");
        return;
    }
    if (open) {
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* Records one problem of an import as a 400 naming it (call_invalid collects them). */
static void problem_answer(void *ctx, const char *field, const char *zh, const char *en)
{
    call_invalid(ctx, field, zh, en);
}

/* The CSV upload as a catalogue document: NULL after answering. */
static json_t *csv_document(call_t *c, int **where)
{
    clause_csv_status_t status;
    const char *detail;
    json_t *doc = clause_csv_document(&c->arena, c->body_data, c->body_len, where, &status, &detail);
    switch (status) {
    case CLAUSE_CSV_OK:
        break;
    case CLAUSE_CSV_EMPTY:
        call_error(c, "empty_file", NULL);
        break;
    case CLAUSE_CSV_COLUMN_MISSING:
        call_error(c, "clause_column_missing", "file", detail);
        break;
    case CLAUSE_CSV_MALFORMED:
        call_invalid(c, arena_printf(&c->arena, "line %s", detail), "CSV 格式错误", "malformed CSV");
        break;
    case CLAUSE_CSV_TOO_MANY:
        call_invalid(c, "file", "最多 2000 个条款", "at most 2,000 clauses");
        break;
    }
    return doc;
}

/* The JSON document of the body: NULL after answering. */
static json_t *json_document(call_t *c, int **where)
{
    json_error_t err;
    json_t *doc = json_loadb(c->body_data, c->body_len, 0, &err);
    if (doc == NULL) {
        call_error(c, "invalid_json", NULL, arena_printf(&c->arena, "%d", err.line),
                   arena_printf(&c->arena, "%d", err.column), err.text);
        return NULL;
    }
    if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "clauses"))) {
        json_decref(doc);
        call_invalid(c, "clauses", "应为条款数组", "must be an array of clauses");
        return NULL;
    }
    size_t n = json_array_size(json_object_get(doc, "clauses"));
    if (n > CLAUSE_MAX_CLAUSES) {
        call_invalid(c, "clauses", "最多 2000 个条款", "at most 2,000 clauses");
        json_decref(doc);
        return NULL;
    }
    *where = arena_alloc(&c->arena, (n + 1) * sizeof **where);
    for (size_t i = 0; i < n; i++)
        (*where)[i] = (int)i;
    return doc;
}

/* POST /api/clause-catalogues (admin): a JSON document, or a CSV upload (X-File-Name; the
 * edition and note in the query), imported as the edition's next version. */
void api_clause_catalogues_import(call_t *c)
{
    bool csv = c->file_name != NULL;
    if (csv) {
        /* an upload as the file service takes them (docs/files.md): a name, bytes, the type by
         * content; the catalogue is the record kept, not the file */
        static const char *const csv_types[] = {"text/csv", "text/plain", "application/csv", NULL};
        char type[128];
        if (file_name_clean(&c->arena, c->file_name) == NULL) {
            call_error(c, "invalid_file_name", "X-File-Name");
            return;
        }
        if (c->body_len == 0) {
            call_error(c, "empty_file", NULL);
            return;
        }
        if (!filetype_detect(c->body_data, c->body_len, type, sizeof type)) {
            call_error(c, "internal_error", NULL);
            return;
        }
        if (!filetype_allowed(type, csv_types)) {
            call_error(c, "file_type_not_allowed", NULL, type, "text/csv, text/plain, application/csv");
            return;
        }
        if (!utf8_valid(c->body_data, c->body_len, NULL)) {
            call_error(c, "import_not_utf8", NULL);
            return;
        }
    }
    int *where = NULL;
    json_t *doc = csv ? csv_document(c, &where) : json_document(c, &where);
    if (doc == NULL)
        return;
    if (csv) {
        const char *edition = call_query(c, "edition"), *note = call_query(c, "note");
        if (edition != NULL)
            json_object_set_new(doc, "edition", json_string(edition));
        json_object_set_new(doc, "note", json_string(note ? note : ""));
    }
    if (!clause_catalogue_check(&c->arena, doc, csv, where, problem_answer, c)) {
        json_decref(doc);
        return;
    }
    /* two imports of one edition at once may pick the same next version: the UNIQUE (edition,
     * version) refuses the later one, which then takes the version after */
    audit_actor_t actor = call_actor(c);
    int64_t id = -1;
    bool taken = false;
    for (int attempt = 0; attempt < 5 && id <= 0; attempt++) {
        id = clause_catalogue_import(c->db, doc, &actor);
        taken = id <= 0 && db_error_kind(c->db) == DB_ERR_UNIQUE;
        if (!taken)
            break;
    }
    json_decref(doc);
    if (id <= 0) {
        if (taken)
            call_error(c, "changed_concurrently", NULL);
        else
            call_db_error(c, "clause catalogue import");
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT " CATALOGUE_COLUMNS " FROM clause_catalogues k WHERE k.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "clause catalogue");
        return;
    }
    jw_t *w = call_json_begin(c, 201);
    jw_object(w);
    catalogue_members(w, st);
    jw_end(w);
    stmt_done(st);
}

/* GET /api/clause-catalogues/{id}/export?format=json|csv (admin): the catalogue in the import's
 * format. */
void api_clause_catalogues_export(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    const char *format = call_query(c, "format");
    if (format == NULL)
        format = "json";
    bool csv = strcmp(format, "csv") == 0;
    if (!csv && strcmp(format, "json") != 0) {
        call_invalid(c, "format", "应为 json 或 csv", "must be json or csv");
        return;
    }
    json_t *doc;
    int rc = clause_catalogue_document(c->db, id, &doc);
    if (rc <= 0) {
        if (rc < 0)
            call_db_error(c, "clause catalogue");
        else
            call_error(c, "clause_catalogue_not_found", NULL);
        return;
    }
    const char *name = arena_printf(&c->arena, "clauses-%s-v%lld.%s", json_string_value(json_object_get(doc, "edition")),
                                    (long long)json_integer_value(json_object_get(doc, "version")), format);
    buf_reset(&c->out);
    if (csv) {
        clause_catalogue_csv(doc, &c->out);
    } else {
        char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (text == NULL) {
            json_decref(doc);
            call_error(c, "internal_error", NULL);
            return;
        }
        buf_puts(&c->out, text);
        buf_puts(&c->out, "\n");
        free(text);
    }
    json_decref(doc);
    call_download(c, csv ? "text/csv; charset=utf-8" : "application/json", true, name);
}

/* The standard as data (docs/compliance.md): the clause catalogues of GB/T 29490 read by anyone
 * (GET /api/clauses, GET /api/clause-catalogues), imported by an admin as an edition's next
 * version from a JSON document (the data files' shape) or a CSV upload, every problem listed at
 * once and nothing written on any, and exported as JSON or CSV (the import's own format, so an
 * export imports back to the same clauses). The writing is store/clauses.c's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/csv.h"
#include "core/dates.h"
#include "core/table.h"
#include "store/clauses.h"

/* The columns of the CSV format, in this order (import and export). */
static const char *const csv_columns[] = {"number", "title", "title_en", "parent", "provisional", "guidance", "evidence"};
enum { CSV_COLUMNS = sizeof csv_columns / sizeof csv_columns[0] };

static bool edition_known(const char *e)
{
    return e != NULL && (strcmp(e, "2013") == 0 || strcmp(e, "2023") == 0);
}

/* GET /api/clauses?edition=&version=: the catalogue's clauses in its order. */
void api_clauses_list(call_t *c)
{
    const char *edition = call_query(c, "edition");
    int64_t version = 0;
    if (!edition_known(edition))
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

/* A clause number: digits, dot-separated groups of digits ("7", "7.3", "4.2.1"), at most 20. */
static bool clause_number_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 20 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] != '.')))
            return false;
    return true;
}

/* Where a clause came from, for the problems' field names: clauses[i] in a JSON document, the
 * line of a CSV file. */
static const char *problem_field(call_t *c, bool csv, int where, const char *field)
{
    return csv ? arena_printf(&c->arena, "line %d.%s", where, field)
               : arena_printf(&c->arena, "clauses[%d].%s", where, field);
}

static bool text_fits(const char *s, size_t max_chars)
{
    return utf8_valid(s, strlen(s), NULL) && utf8_length(s, strlen(s)) <= max_chars;
}

/* Checks the document's clauses, each problem recorded as a 400 naming it (call_invalid
 * collects them); where[i] is the clause's place for the names. True when all are valid. */
static bool catalogue_validate(call_t *c, const json_t *doc, bool csv, const int *where)
{
    const json_t *clauses = json_object_get(doc, "clauses");
    size_t n = json_array_size(clauses);
    if (n == 0)
        call_invalid(c, csv ? "file" : "clauses", "至少需要一个条款", "at least one clause is needed");
    for (size_t i = 0; i < n; i++) {
        const json_t *k = json_array_get(clauses, i);
        int at = where[i];
        const char *number = json_string_value(json_object_get(k, "number"));
        if (number == NULL || !clause_number_valid(number))
            call_invalid(c, problem_field(c, csv, at, "number"), "编号应为以点分隔的数字，如 7.3",
                         "must be dot-separated digits such as 7.3");
        else
            for (size_t j = 0; j < i; j++) {
                const char *earlier = json_string_value(json_object_get(json_array_get(clauses, j), "number"));
                if (earlier != NULL && strcmp(number, earlier) == 0) {
                    call_invalid(c, problem_field(c, csv, at, "number"), "编号重复", "duplicate number");
                    break;
                }
            }
        const char *title = json_string_value(json_object_get(k, "title"));
        if (title == NULL || strspn(title, " \t") == strlen(title) || !text_fits(title, 200))
            call_invalid(c, problem_field(c, csv, at, "title"), "标题不能为空（至多 200 字）",
                         "must not be empty (at most 200 characters)");
        static const char *const texts[] = {"title_en", "guidance", "evidence"};
        for (size_t t = 0; t < 3; t++) {
            const json_t *v = json_object_get(k, texts[t]);
            if (v != NULL && (!json_is_string(v) || !text_fits(json_string_value(v), t == 0 ? 200 : 2000)))
                call_invalid(c, problem_field(c, csv, at, texts[t]), t == 0 ? "应为至多 200 字的文本" : "应为至多 2000 字的文本",
                             t == 0 ? "must be text of at most 200 characters" : "must be text of at most 2000 characters");
        }
        const json_t *prov = json_object_get(k, "provisional");
        if (prov != NULL && !json_is_boolean(prov))
            call_invalid(c, problem_field(c, csv, at, "provisional"), "应为 true 或 false", "must be true or false");
        const json_t *pv = json_object_get(k, "parent");
        const char *parent = pv == NULL ? "" : json_string_value(pv);
        bool parent_ok = parent != NULL;
        if (parent_ok && parent[0] != '\0') {
            parent_ok = false;
            size_t plen = strlen(parent);
            for (size_t j = 0; j < n && !parent_ok; j++) {
                const char *other = json_string_value(json_object_get(json_array_get(clauses, j), "number"));
                parent_ok = j != i && other != NULL && strcmp(other, parent) == 0;
            }
            /* a parent is its child's number without the last group: 7 for 7.3 */
            if (parent_ok && number != NULL && clause_number_valid(number))
                parent_ok = strncmp(number, parent, plen) == 0 && number[plen] == '.' && strchr(number + plen + 1, '.') == NULL;
        }
        if (!parent_ok)
            call_invalid(c, problem_field(c, csv, at, "parent"), "上级条款不在目录中或与编号不符",
                         "the parent clause is not in the catalogue or does not match the number");
    }
    return !call_answered(c);
}

/* The CSV upload as a catalogue document: the header names the columns (any order; number and
 * title required), each row a clause; where[i] its line. NULL after answering. */
static json_t *csv_document(call_t *c, int **where)
{
    table_reader_t t;
    table_reader_csv(&t, c->body_data, c->body_len);
    csv_row_t row;
    int column[CSV_COLUMNS];
    int rc = table_next(&t, &c->arena, &row);
    if (rc != 1) {
        call_error(c, "empty_file", NULL);
        return NULL;
    }
    for (size_t k = 0; k < CSV_COLUMNS; k++) {
        column[k] = -1;
        for (int f = 0; f < row.nfields; f++)
            if (strcasecmp(row.fields[f], csv_columns[k]) == 0)
                column[k] = f;
    }
    if (column[0] < 0 || column[1] < 0) {
        call_error(c, "clause_column_missing", "file", column[0] < 0 ? "number" : "title");
        return NULL;
    }
    json_t *doc = json_object(), *clauses = json_array();
    json_object_set_new(doc, "clauses", clauses);
    size_t cap = 64, n = 0;
    *where = arena_alloc(&c->arena, cap * sizeof **where);
    while ((rc = table_next(&t, &c->arena, &row)) == 1) {
        bool blank = true;
        for (int f = 0; f < row.nfields && blank; f++)
            blank = strspn(row.fields[f], " \t\r\n") == strlen(row.fields[f]);
        if (blank)
            continue;
        if (n == 2000) {
            call_invalid(c, "file", "最多 2000 个条款", "at most 2,000 clauses");
            json_decref(doc);
            return NULL;
        }
        if (n == cap) {
            int *more = arena_alloc(&c->arena, 2 * cap * sizeof *more);
            memcpy(more, *where, cap * sizeof *more);
            *where = more;
            cap *= 2;
        }
        (*where)[n++] = row.line;
        json_t *k = json_object();
        for (size_t f = 0; f < CSV_COLUMNS; f++) {
            const char *v = column[f] >= 0 && column[f] < row.nfields ? row.fields[column[f]] : "";
            if (strcmp(csv_columns[f], "provisional") == 0) {
                if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
                    json_object_set_new(k, "provisional", json_true());
                else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 || v[0] == '\0')
                    json_object_set_new(k, "provisional", json_false());
                else
                    json_object_set_new(k, "provisional", json_string(v));   /* refused by the validation */
            } else {
                json_object_set_new(k, csv_columns[f], json_string(v));
            }
        }
        json_array_append_new(clauses, k);
    }
    if (rc < 0) {
        call_invalid(c, arena_printf(&c->arena, "line %d", table_line(&t)), "CSV 格式错误", "malformed CSV");
        json_decref(doc);
        return NULL;
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
    if (n > 2000) {
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
    if (csv && !utf8_valid(c->body_data, c->body_len, NULL)) {
        call_error(c, "import_not_utf8", NULL);
        return;
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
    const json_t *ev = json_object_get(doc, "edition");
    if (!edition_known(json_string_value(ev)))
        call_invalid(c, "edition", "应为 2013 或 2023", "must be 2013 or 2023");
    const json_t *note = json_object_get(doc, "note");
    if (note != NULL && (!json_is_string(note) || !text_fits(json_string_value(note), 500)))
        call_invalid(c, "note", "应为至多 500 字的文本", "must be text of at most 500 characters");
    if (!catalogue_validate(c, doc, csv, where)) {
        json_decref(doc);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t id = clause_catalogue_import(c->db, doc, &actor);
    json_decref(doc);
    if (id <= 0) {
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
    stmt_t *st = db_query(c->db, "SELECT edition, version, note FROM clause_catalogues WHERE id = $1", "I", id);
    if (st == NULL) {
        call_db_error(c, "clause catalogue");
        return;
    }
    int rc = stmt_step(st);
    const char *edition = rc == STORE_ROW ? arena_strdup(&c->arena, stmt_text(st, 0)) : NULL;
    int64_t version = rc == STORE_ROW ? stmt_int(st, 1) : 0;
    const char *note = rc == STORE_ROW ? arena_strdup(&c->arena, stmt_text(st, 2)) : NULL;
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "clause catalogue");
        return;
    }
    if (edition == NULL) {
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
    buf_reset(&c->out);
    json_t *doc = NULL, *list = NULL;
    if (csv) {
        for (size_t k = 0; k < CSV_COLUMNS; k++)
            csv_field(&c->out, csv_columns[k], k == 0);
        buf_puts(&c->out, "\r\n");
    } else {
        doc = json_object();
        list = json_array();
        json_object_set_new(doc, "edition", json_string(edition));
        json_object_set_new(doc, "version", json_integer(version));
        json_object_set_new(doc, "note", json_string(note));
        json_object_set_new(doc, "clauses", list);
    }
    while ((rc = stmt_step(st)) == STORE_ROW) {
        bool provisional = stmt_int(st, 4) != 0;
        if (csv) {
            for (int k = 0; k < (int)CSV_COLUMNS; k++)
                csv_field(&c->out, k == 4 ? (provisional ? "true" : "false") : stmt_text(st, k), k == 0);
            buf_puts(&c->out, "\r\n");
        } else {
            json_t *k = json_object();
            for (int f = 0; f < (int)CSV_COLUMNS; f++)
                json_object_set_new(k, csv_columns[f], f == 4 ? json_boolean(provisional) : json_string(stmt_text(st, f)));
            json_array_append_new(list, k);
        }
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        json_decref(doc);
        buf_reset(&c->out);
        call_db_error(c, "clauses");
        return;
    }
    if (!csv) {
        char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        json_decref(doc);
        if (text == NULL) {
            call_error(c, "internal_error", NULL);
            return;
        }
        buf_puts(&c->out, text);
        buf_puts(&c->out, "\n");
        free(text);
    }
    call_download(c, csv ? "text/csv; charset=utf-8" : "application/json", true,
                  arena_printf(&c->arena, "clauses-%s-v%lld.%s", edition, (long long)version, format));
}

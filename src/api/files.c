/* Files: uploads (the raw body, its name in X-File-Name), the type decided by the bytes with
 * libmagic against each use's allowed list, downloads only to those who may read the owning
 * record, and the certificate import upload (docs/files.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/csv.h"
#include "core/table.h"
#include "core/filetype.h"
#include "core/log.h"
#include "domain/scope.h"
#include "report/certificates_csv.h"
#include "store/files.h"

/* What each use accepts, by content. */
static const char *const enterprise_document_types[] = {"application/pdf", "image/png", "image/jpeg", NULL};
static const char *const certificate_import_types[] = {"text/csv", "text/plain", "application/csv", NULL};
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* a table of rows: CSV, or an XLSX workbook (some zip tools give it no more than "a zip") */
static const char *const table_types[] = {"text/csv", "text/plain", "application/csv", XLSX_TYPE, "application/zip",
                                          NULL};

/* api.h: the upload of this call, checked (the size cap is enforced by the dispatcher before). */
bool upload_read(call_t *c, const char *const *allowed, const char **name, const char **type)
{
    *name = file_name_clean(&c->arena, c->file_name);
    if (*name == NULL) {
        call_error(c, "invalid_file_name", "X-File-Name");
        return false;
    }
    if (c->body_len == 0) {
        call_error(c, "empty_file", NULL);
        return false;
    }
    char detected[128];
    if (!filetype_detect(c->body_data, c->body_len, detected, sizeof detected)) {
        log_error("libmagic could not decide a file's type");
        call_error(c, "internal_error", NULL);
        return false;
    }
    if (!filetype_allowed(detected, allowed)) {
        buf_t list;
        buf_init(&list, 1024);
        for (int i = 0; allowed[i] != NULL; i++) {
            if (i > 0)
                buf_puts(&list, ", ");
            buf_puts(&list, allowed[i]);
        }
        call_error(c, "file_type_not_allowed", NULL, detected, list.data ? list.data : "");
        buf_free(&list);
        return false;
    }
    *type = arena_strdup(&c->arena, detected);
    return true;
}

/* The upload of this call as a table (CSV in UTF-8, or the first sheet of an XLSX workbook) of
 * at most max_rows non-empty rows (XLSX; a CSV's rows are counted by its reader): false after
 * answering. The sheet's rows live in the call's arena, as t does not outlive the call. */
static bool upload_table(call_t *c, int max_rows, table_reader_t *t, const char **name, const char **type)
{
    if (!upload_read(c, table_types, name, type))
        return false;
    if (strcmp(*type, XLSX_TYPE) != 0 && strcmp(*type, "application/zip") != 0) {
        if (!utf8_valid(c->body_data, c->body_len, NULL)) {
            call_error(c, "import_not_utf8", NULL);
            return false;
        }
        table_reader_csv(t, c->body_data, c->body_len);
        return true;
    }
    xlsx_sheet_t *sheet = arena_alloc(&c->arena, sizeof *sheet);
    xlsx_status_t s = xlsx_read(&c->arena, c->body_data, c->body_len, max_rows, sheet);
    switch (s) {
    case XLSX_OK:
        table_reader_sheet(t, sheet);
        return true;
    case XLSX_TOO_MANY_ROWS:
        call_invalid(c, "file", arena_printf(&c->arena, "最多 %d 行", max_rows - 1),
                     arena_printf(&c->arena, "at most %d rows", max_rows - 1));
        break;
    case XLSX_TOO_MANY_COLUMNS:
        call_invalid(c, "file", "XLSX 工作表的列过多", "the XLSX sheet has too many columns");
        break;
    case XLSX_TOO_LARGE:
        call_invalid(c, "file", "XLSX 文件的某部分或某单元格过大", "a part or a cell of the XLSX file is too large");
        break;
    case XLSX_NOT_XLSX:
    case XLSX_MALFORMED:
        call_invalid(c, "file", "不是可读取的 XLSX 工作簿", "not a readable XLSX workbook");
        break;
    }
    return false;
}

void attachment_write(jw_t *w, const attachment_t *a)
{
    char created[21];
    time_iso(a->created_at, created);
    jw_object(w);
    jw_kint(w, "id", a->id);
    jw_kstr(w, "name", a->name);
    jw_kstr(w, "type", a->type);
    jw_kint(w, "size", a->size);
    jw_kstr(w, "sha256", a->sha256);
    jw_kid(w, "uploaded_by", a->uploaded_by);
    jw_kstr(w, "uploader", a->uploader);
    jw_kstr(w, "created_at", created);
    char url[48];
    snprintf(url, sizeof url, "/api/files/%lld", (long long)a->id);
    jw_kstr(w, "url", url);
    jw_end(w);
}

/* Stores the upload for owner and answers 201 with the attachment. */
static void attach_and_answer(call_t *c, const char *owner, int64_t owner_id, const char *region, const char *name,
                              const char *type)
{
    audit_actor_t actor = call_actor(c);
    int64_t id = file_attach(c->db, &actor, owner, owner_id, region, name, type, c->body_data, c->body_len);
    attachment_t a;
    if (id < 0 || attachment_by_id(c->db, &c->arena, id, &a) != 1) {
        call_db_error(c, "file upload");
        return;
    }
    attachment_write(call_json_begin(c, 201), &a);
}

void api_enterprise_files_list(call_t *c)
{
    enterprise_t e;
    if (!enterprise_load_in_scope(c, &e))
        return;
    stmt_t *st = attachments_of(c->db, FILE_OWNER_ENTERPRISE, e.id);
    if (st == NULL) {
        call_db_error(c, "enterprise files");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        attachment_t a;
        attachment_from_row(st, &c->arena, &a);
        attachment_write(w, &a);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        call_db_error(c, "enterprise files");
        return;
    }
    jw_end(w);
    jw_end(w);
}

void api_enterprise_files_upload(call_t *c)
{
    enterprise_t e;
    const char *name, *type;
    if (!enterprise_load_in_scope(c, &e) || !upload_read(c, enterprise_document_types, &name, &type))
        return;
    attach_and_answer(c, FILE_OWNER_ENTERPRISE, e.id, e.region, name, type);
}

/* May the caller read the record that owns a? (false: answer 404, never 403) */
static bool owner_readable(call_t *c, const attachment_t *a, bool *failed)
{
    *failed = false;
    if (strcmp(a->owner, FILE_OWNER_ENTERPRISE) == 0) {
        enterprise_t e;
        int rc = enterprise_by_id(c->db, &c->arena, a->owner_id, &e);
        if (rc < 0)
            *failed = true;
        if (rc == 1 && scope_allows(&c->user, e.id, 0, e.region))
            return true;
        /* a body reads an enterprise's evidence (a file linked by evidence_links) while the
         * enterprise's grant to it stands (docs/compliance.md) */
        if (rc != 1 || c->user.role != ROLE_BODY)
            return false;
        stmt_t *st = db_query(c->db, "SELECT 1 FROM evidence_links WHERE attachment_id = $1", "I", a->id);
        int linked = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        int granted = linked == STORE_ROW ? compliance_reachable(c, e.id, e.region) : 0;
        if (linked == STORE_ERROR || granted < 0)
            *failed = true;
        return linked == STORE_ROW && granted == 1;
    }
    if (strcmp(a->owner, FILE_OWNER_CERTIFICATE_IMPORT) == 0)
        return c->user.role == ROLE_ADMIN;
    return false;
}

/* filename*=UTF-8''… (RFC 6266/5987) with an ASCII fallback for old clients. */
static const char *content_disposition(call_t *c, const char *name)
{
    buf_t b;
    buf_init(&b, 4096);
    buf_puts(&b, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;           /* one '_' for each character beyond ASCII */
        char ch = (*p < 0x80 && *p != '\\' && *p != '"') ? (char)*p : '_';
        buf_append(&b, &ch, 1);
    }
    buf_puts(&b, "\"; filename*=UTF-8''");
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
            buf_append(&b, p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(&b, esc, 3);
        }
    }
    const char *s = arena_strdup(&c->arena, b.data ? b.data : "attachment");
    buf_free(&b);
    return s;
}

void api_files_download(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    attachment_t a;
    int rc = attachment_by_id(c->db, &c->arena, id, &a);
    if (rc < 0) {
        call_db_error(c, "file lookup");
        return;
    }
    bool failed = false;
    if (rc == 0 || !owner_readable(c, &a, &failed)) {
        if (failed)
            call_db_error(c, "file owner lookup");
        else
            call_error(c, "file_not_found", NULL);
        return;
    }
    buf_reset(&c->out);
    rc = file_content_read(c->db, a.sha256, &c->out);
    if (rc != 1) {
        buf_reset(&c->out);
        call_db_error(c, "file content");
        return;
    }
    c->status = 200;
    char type[160];
    snprintf(type, sizeof type, "%s%s", a.type, strncmp(a.type, "text/", 5) == 0 ? "; charset=utf-8" : "");
    c->content_type_out = arena_strdup(&c->arena, type);
    call_header(c, "content-disposition", content_disposition(c, a.name));
}

void api_certificates_import(call_t *c)
{
    const char *name, *type;
    if (!upload_read(c, certificate_import_types, &name, &type))
        return;
    if (!utf8_valid(c->body_data, c->body_len, NULL)) {
        call_error(c, "import_not_utf8", NULL);
        return;
    }
    /* the same importer as `guanbiao import certificates`, its report captured; a file it
     * cannot read at all (its header) changes nothing, so the upload is kept only after it ran */
    char *report = NULL;
    size_t report_len = 0;
    FILE *out = open_memstream(&report, &report_len);
    if (out == NULL) {
        call_error(c, "internal_error", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);      /* every certificate written is the uploader's (docs/audit.md) */
    int rc = certificates_import(c->db, c->body_data, c->body_len, c->lang, &actor, out);
    fclose(out);
    if (rc != 0) {
        free(report);
        call_error(c, "import_header_invalid", NULL);
        return;
    }
    /* the report is one JSON object (and a newline): answered as it is, and kept with the import */
    while (report_len > 0 && (report[report_len - 1] == '\n' || report[report_len - 1] == ' '))
        report[--report_len] = '\0';
    int64_t import_id = certificate_import_insert(c->db, c->user.id, report);
    if (import_id <= 0 || file_attach(c->db, &actor, FILE_OWNER_CERTIFICATE_IMPORT, import_id, "", name, type,
                                      c->body_data, c->body_len) < 0) {
        free(report);
        call_db_error(c, "certificate import upload");
        return;
    }
    buf_reset(&c->out);
    buf_append(&c->out, report, report_len);
    c->status = 200;
    free(report);
}

void api_certificates_upload(call_t *c)
{
    const char *name, *type;
    table_reader_t reader;
    if (!upload_table(c, CERTIFICATE_UPLOAD_MAX_ROWS + 1, &reader, &name, &type))
        return;
    /* a body (or its token) uploads its own certificates; an admin names the body in each row */
    audit_actor_t actor = call_actor(c);
    import_options_t o = {.lang = c->lang, .actor = &actor, .upload_report = true,
                          .body_id = c->user.role == ROLE_BODY ? c->user.body_id : 0};
    if (c->user.role == ROLE_BODY && o.body_id <= 0) {
        call_error(c, "forbidden", NULL);
        return;
    }
    json_t *report;
    const char *missing;
    if (certificates_import_table(c->db, &reader, &o, &report, &missing) != 0) {
        if (strcmp(missing, "header") == 0)
            call_error(c, "empty_file", NULL);
        else
            call_error(c, "upload_column_missing", "file",
                       strcmp(missing, "body_code") == 0 ? "body_code / body_credit_code" : missing);
        return;
    }
    char *text = json_dumps(report, JSON_COMPACT);
    json_decref(report);
    if (text == NULL) {
        call_error(c, "internal_error", NULL);
        return;
    }
    jw_raw(call_json_begin(c, 200), text);
    free(text);
}

/* A bulk verification file's column of queries: one headed 证书编号, number, 统一社会信用代码 or
 * credit_code (case-insensitive; the header row is then skipped), else the first column with
 * the first row as data. -1 when the first row names none of them. */
static int verify_column(const csv_row_t *first)
{
    static const char *const headers[] = {"证书编号", "number", "统一社会信用代码", "credit_code", NULL};
    for (int f = 0; f < first->nfields; f++)
        for (int h = 0; headers[h] != NULL; h++) {
            const char *v = first->fields[f];
            while (*v == ' ' || *v == '\t')
                v++;
            size_t len = strlen(headers[h]);
            if (strncasecmp(v, headers[h], len) == 0 && strspn(v + len, " \t") == strlen(v + len))
                return f;
        }
    return -1;
}

void api_certificates_verify_file(call_t *c)
{
    const char *name, *type;
    table_reader_t reader;
    if (!upload_table(c, VERIFY_MAX_ITEMS + 1, &reader, &name, &type))
        return;
    /* the rows' strings live in the call's arena, as long as the answer needs them */
    const char **queries = arena_alloc(&c->arena, (VERIFY_MAX_ITEMS + 1) * sizeof *queries);
    int *lines = arena_alloc(&c->arena, (VERIFY_MAX_ITEMS + 1) * sizeof *lines);
    int n = 0, column = 0, rc;
    bool first = true;
    csv_row_t row;
    while ((rc = table_next(&reader, &c->arena, &row)) == 1) {
        if (first) {
            first = false;
            int headed = verify_column(&row);
            if (headed >= 0) {
                column = headed;
                continue;
            }
        }
        const char *v = column < row.nfields ? row.fields[column] : "";
        if (strspn(v, " \t\r\n") == strlen(v))
            continue;          /* blank rows and cells are skipped */
        if (n == VERIFY_MAX_ITEMS) {
            call_invalid(c, "file", "最多 10000 行", "at most 10,000 rows");
            return;
        }
        lines[n] = row.line;
        queries[n++] = v;
    }
    if (rc < 0) {
        call_invalid(c, arena_printf(&c->arena, "line %d", table_line(&reader)), "CSV 格式错误", "malformed CSV");
        return;
    }
    if (n == 0) {
        call_error(c, "empty_file", NULL);
        return;
    }
    certificates_verify_answer(c, queries, lines, n);
}

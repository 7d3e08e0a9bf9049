/* Certificates as CSV (see certificates_csv.h). Rows are written in batches of one
 * transaction each; a batch that fails as a whole is replayed row by row, so one bad row never
 * costs the good ones. */
#include "report/certificates_csv.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/messages.h"
#include "core/strset.h"
#include "core/uscc.h"
#include "core/xlsx.h"
#include "domain/certificate.h"
#include "store/registry.h"

enum { BATCH = 500 };

static const char *const export_columns[] = {"number", "holder_credit_code", "holder_name", "body_code",
                                             "body_credit_code", "body_name", "standard", "scope", "scope_areas",
                                             "scope_stages", "issued", "expires", "status", "status_changed", NULL};

/* "a,b" (stored) ↔ "a;b" (in CSV, where commas separate fields) */
static char *swap_separator(arena_t *a, const char *s, char from, char to)
{
    char *copy = arena_strdup(a, s);
    for (char *p = copy; *p; p++)
        if (*p == from)
            *p = to;
    return copy;
}

int certificates_export(db_t *db, FILE *out)
{
    buf_t line;
    buf_init(&line, 1u << 20);
    for (int i = 0; export_columns[i]; i++)
        csv_field(&line, export_columns[i], i == 0);
    fprintf(out, "%s\r\n", line.data);
    stmt_t *st = db_query(db, "SELECT " CERTIFICATE_COLUMNS ", b.credit_code" CERTIFICATE_FROM " ORDER BY c.id", "");
    int rc = st ? STORE_ROW : STORE_ERROR;
    char today[DATE_LEN + 1];
    date_today(today);
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        arena_t a = {0};
        certificate_t c;
        certificate_read(st, &a, &c);
        cert_status_t stored = cert_status_parse(c.status), shown = cert_effective_status(stored, c.expires, today);
        const char *values[] = {c.number, c.holder_credit_code, c.holder_name, c.body_code, stmt_text(st, CERTIFICATE_NCOLUMNS),
                                c.body_name, c.standard, c.scope, swap_separator(&a, c.scope_areas, ',', ';'),
                                swap_separator(&a, c.scope_stages, ',', ';'), c.issued, c.expires,
                                cert_status_name(shown), shown != stored ? c.expires : c.status_changed};
        buf_reset(&line);
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
            csv_field(&line, values[i], i == 0);
        fprintf(out, "%s\r\n", line.data);
        arena_free(&a);
    }
    stmt_done(st);
    buf_free(&line);
    if (rc != STORE_DONE) {
        fprintf(stderr, "guanbiao: export failed: %s\n", db_error(db));
        return 1;
    }
    return 0;
}

/* One parsed, validated row waiting to be written. */
typedef struct row {
    int line;
    certificate_t c;
    bool exists;                  /* the number is stored already */
    certificate_t stored;
    const char *refused;          /* set by write_row: the code of a row the database refused */
} row_t;

enum { C_NUMBER, C_HOLDER, C_BODY_CODE, C_BODY_CREDIT, C_STANDARD, C_SCOPE, C_AREAS, C_STAGES, C_ISSUED, C_EXPIRES,
       C_STATUS, C_HOLDER_NAME, C_COUNT };
static const char *const import_columns[C_COUNT] = {"number", "holder_credit_code", "body_code", "body_credit_code",
                                                    "standard", "scope", "scope_areas", "scope_stages", "issued",
                                                    "expires", "status", "holder_name"};
/* The other names a header may give each column (compared without case or surrounding blanks):
 * IAF CertSearch's field names and the Chinese ones (docs/registry.md "Uploads"). */
static const char *const column_aliases[C_COUNT][6] = {
    [C_NUMBER] = {"Certificate Number", "Certificate No", "Certificate No.", "证书编号", NULL},
    [C_HOLDER] = {"Certified Entity Identifier", "Entity Identifier", "统一社会信用代码", NULL},
    [C_BODY_CODE] = {"Certification Body Code", "认证机构代码", NULL},
    [C_BODY_CREDIT] = {"Certification Body Identifier", "认证机构统一社会信用代码", NULL},
    [C_STANDARD] = {"Standard", "Certification Standard", "认证标准", "认证依据", NULL},
    [C_SCOPE] = {"Scope", "Certification Scope", "认证范围", NULL},
    [C_AREAS] = {"Scope Areas", "管理领域", NULL},
    [C_STAGES] = {"Scope Stages", "管理环节", NULL},
    [C_ISSUED] = {"Original Certification Date", "Issue Date", "Certification Date", "颁证日期", "发证日期", NULL},
    [C_EXPIRES] = {"Expiry Date", "Expiration Date", "有效期至", "到期日期", NULL},
    [C_STATUS] = {"Certification Status", "Certificate Status", "Status", "状态", "证书状态", NULL},
    [C_HOLDER_NAME] = {"Certified Entity Name", "Entity Name", "组织名称", "获证组织名称", NULL},
};

/* A status as CertSearch or a Chinese file writes it, in our words ("" stays ""). */
static const char *status_word(const char *s)
{
    static const char *const words[][2] = {
        {"active", "valid"}, {"有效", "valid"}, {"暂停", "suspended"}, {"revoked", "withdrawn"},
        {"cancelled", "withdrawn"}, {"withdrawn", "withdrawn"}, {"撤销", "withdrawn"}, {"撤回", "withdrawn"},
        {"注销", "withdrawn"}, {"过期", "expired"}, {"失效", "expired"}, {"valid", "valid"},
        {"suspended", "suspended"}, {"expired", "expired"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i][0]) == 0)
            return words[i][1];
    return s;
}

typedef struct import {
    db_t *db;
    const import_options_t *o;
    lang_t lang;
    const audit_actor_t *actor;   /* who imports: every entry written is theirs */
    int accepted, unchanged;
    json_t *rejected;
    int col[C_COUNT];             /* index of each known column in the header, -1 when absent */
    const char *header[C_COUNT];  /* each column's name as the header wrote it */
    bool sheet;                   /* the rows come from an XLSX sheet: dates may be serials */
    strset_t numbers;             /* numbers met so far in this file: a repeat is refused */
} import_t;

/* The name a rejected row's column goes by: the file's own for an upload, else ours. */
static const char *column_name(const import_t *im, int column)
{
    if (column < 0)
        return "";
    return im->o->upload_report && im->header[column] != NULL ? im->header[column] : import_columns[column];
}

/* Records a rejected row; the message's %s take args in order. */
static void reject_args(import_t *im, int line, int column, const char *code, const char *const args[2])
{
    arena_t a = {0};
    const char *text = message_fill(&a, code, im->lang, args, 2);
    json_array_append_new(im->rejected, json_pack("{s:i, s:s, s:s, s:s}", "row", line,
                                                  im->o->upload_report ? "field" : "column", column_name(im, column),
                                                  "code", code, "message", text));
    arena_free(&a);
}

static void reject(import_t *im, int line, int column, const char *code, const char *detail)
{
    /* a message with two %s takes the column and the detail; with one, the detail */
    int slots = 0;
    const char *tmpl = message_text(message_find(code), im->lang);
    for (const char *p = strstr(tmpl, "%s"); p; p = strstr(p + 2, "%s"))
        slots++;
    const char *args[2] = {slots == 2 && column >= 0 ? column_name(im, column) : detail, detail};
    reject_args(im, line, column, code, args);
}

static const char *field(import_t *im, const csv_row_t *r, int column)
{
    int i = im->col[column];
    return i >= 0 && i < r->nfields ? r->fields[i] : "";
}

/* A date column's value: a sheet's date cell is an Excel serial number, made YYYY-MM-DD here;
 * anything else is kept as written (and checked by the caller). */
static const char *date_field(import_t *im, const csv_row_t *r, int column, arena_t *a)
{
    const char *v = field(im, r, column);
    char *day = arena_alloc(a, DATE_LEN + 1);
    if (im->sheet && xlsx_serial_date(v, day))
        return day;
    return arena_strdup(a, v);
}

static bool list_valid(const char *s, bool (*valid)(const char *), arena_t *a, const char **joined, char **bad)
{
    char *copy = arena_strdup(a, s), *save = NULL;
    buf_t out;
    buf_init(&out, 4096);
    bool ok = true;
    for (char *item = strtok_r(copy, ";,", &save); item; item = strtok_r(NULL, ";,", &save)) {
        while (*item == ' ')
            item++;
        if (!valid(item)) {
            *bad = item;
            ok = false;
            break;
        }
        buf_puts(&out, out.len ? "," : "");
        buf_puts(&out, item);
    }
    *joined = arena_strdup(a, out.data ? out.data : "");
    buf_free(&out);
    return ok;
}

/* The first column in which the row differs from the stored certificate; -1 when it is the same. */
static int first_difference(const certificate_t *a, const certificate_t *b)
{
    if (a->enterprise_id != b->enterprise_id)
        return C_HOLDER;
    if (a->body_id != b->body_id)
        return C_BODY_CODE;
    const struct {
        int column;
        const char *x, *y;
    } texts[] = {{C_STANDARD, a->standard, b->standard}, {C_SCOPE, a->scope, b->scope},
                 {C_AREAS, a->scope_areas, b->scope_areas}, {C_STAGES, a->scope_stages, b->scope_stages},
                 {C_ISSUED, a->issued, b->issued}, {C_EXPIRES, a->expires, b->expires},
                 {C_STATUS, a->status, b->status}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].x, texts[i].y) != 0)
            return texts[i].column;
    return -1;
}

/* Parses and checks one CSV record into row; false after recording why it is rejected. */
static bool check_row(import_t *im, const csv_row_t *r, arena_t *a, row_t *row)
{
    memset(row, 0, sizeof *row);
    row->line = r->line;
    certificate_t *c = &row->c;
    char *number = arena_alloc(a, CERT_NUMBER_MAX + 1);
    if (!cert_number_normalize(field(im, r, C_NUMBER), number)) {
        reject(im, r->line, C_NUMBER, "invalid_certificate_number", NULL);
        return false;
    }
    c->number = number;
    if (!strset_add(&im->numbers, number)) {
        reject(im, r->line, C_NUMBER, "duplicate_row", number);
        return false;
    }
    uscc_result_t code = uscc_check(field(im, r, C_HOLDER));
    if (code.problem != USCC_OK) {
        char why[256];
        uscc_describe(&code, im->lang, why, sizeof why);
        reject(im, r->line, C_HOLDER, "invalid_credit_code", why);
        return false;
    }
    enterprise_t e;
    int rc = enterprise_by_credit_code(im->db, a, code.code, &e);
    if (rc != 1 || strcmp(e.status, "approved") != 0) {
        reject(im, r->line, C_HOLDER, rc < 0 ? "internal_error" : rc == 1 ? "enterprise_not_approved" : "enterprise_not_found",
               NULL);
        return false;
    }
    c->enterprise_id = e.id;
    body_t b;
    const char *body_code = field(im, r, C_BODY_CODE), *body_credit = field(im, r, C_BODY_CREDIT);
    int body_column = *body_code ? C_BODY_CODE : C_BODY_CREDIT;
    if (im->o->body_id > 0 && *body_code == '\0' && *body_credit == '\0')
        rc = body_by_id(im->db, a, im->o->body_id, &b);     /* a body's own upload: its certificates */
    else if (*body_code != '\0')
        rc = body_by_code(im->db, a, body_code, &b);
    else {
        uscc_result_t bc = uscc_check(body_credit);
        rc = bc.problem == USCC_OK ? body_by_credit_code(im->db, a, bc.code, &b) : 0;
    }
    if (rc != 1) {
        reject(im, r->line, body_column, rc < 0 ? "internal_error" : "body_not_found", NULL);
        return false;
    }
    if (im->o->body_id > 0 && b.id != im->o->body_id) {
        reject(im, r->line, body_column, "body_mismatch", c->number);
        return false;
    }
    c->body_id = b.id;
    char other[4];
    rc = cert_number_body_code(c->number, other) ? body_code_of_another(im->db, other, b.id) : 0;
    if (rc != 0) {
        const char *args[2] = {c->number, other};
        if (rc < 0)
            reject(im, r->line, C_NUMBER, "internal_error", NULL);
        else if (im->o->body_id > 0)
            reject(im, r->line, C_NUMBER, "body_mismatch", c->number);
        else
            reject_args(im, r->line, C_NUMBER, "number_of_another_body", args);
        return false;
    }
    c->standard = arena_strdup(a, field(im, r, C_STANDARD));
    if (!cert_standard_valid(c->standard)) {
        reject(im, r->line, C_STANDARD, "invalid_value", c->standard);
        return false;
    }
    c->scope = arena_strdup(a, field(im, r, C_SCOPE));
    char *bad = NULL;
    if (!list_valid(field(im, r, C_AREAS), cert_scope_area_valid, a, &c->scope_areas, &bad)) {
        reject(im, r->line, C_AREAS, "invalid_value", bad);
        return false;
    }
    if (!list_valid(field(im, r, C_STAGES), cert_scope_stage_valid, a, &c->scope_stages, &bad)) {
        reject(im, r->line, C_STAGES, "invalid_value", bad);
        return false;
    }
    c->issued = date_field(im, r, C_ISSUED, a);
    if (!date_valid(c->issued)) {
        reject(im, r->line, C_ISSUED, "invalid_value", "YYYY-MM-DD");
        return false;
    }
    const char *expires = date_field(im, r, C_EXPIRES, a);
    if (*expires == '\0') {
        char *d = arena_alloc(a, DATE_LEN + 1);
        date_add_years_minus_day(c->issued, 3, d);
        expires = d;
    }
    if (!date_valid(expires) || strcmp(expires, c->issued) <= 0) {
        reject(im, r->line, C_EXPIRES, "invalid_value", "YYYY-MM-DD > issued");
        return false;
    }
    c->expires = arena_strdup(a, expires);
    const char *status = status_word(field(im, r, C_STATUS));
    c->status = *status ? status : "valid";
    if (cert_status_parse(c->status) == CERT_NONE) {
        reject(im, r->line, C_STATUS, "invalid_value", c->status);
        return false;
    }
    c->status = arena_strdup(a, c->status);
    rc = certificate_by_number(im->db, a, c->number, &row->stored);
    if (rc < 0) {
        reject(im, r->line, C_NUMBER, "internal_error", NULL);
        return false;
    }
    row->exists = rc == 1;
    if (!row->exists)
        return true;
    if (im->o->body_id > 0 && row->stored.body_id != im->o->body_id) {
        reject(im, r->line, C_NUMBER, "body_mismatch", c->number);   /* another body's certificate */
        return false;
    }
    /* the status a reader sees is no change of status: an exported file says "expired" for a
     * valid certificate past its date */
    char today[DATE_LEN + 1];
    date_today(today);
    cert_status_t stored = cert_status_parse(row->stored.status);
    cert_status_t shown = cert_effective_status(stored, row->stored.expires, today);
    if (shown == cert_status_parse(c->status))
        c->status = row->stored.status;
    int changed = first_difference(c, &row->stored);
    if (changed < 0)
        return true;
    if (strcmp(row->stored.status, c->status) != 0 && !cert_transition_allowed(shown, cert_status_parse(c->status))) {
        /* "cannot go from %s to %s": the status a reader sees and the one asked for */
        const char *args[2] = {cert_status_name(shown), c->status};
        reject_args(im, r->line, C_STATUS, "invalid_transition", args);
        return false;
    }
    /* withdrawn and expired (by status or by date) are final, as in the API */
    if (!cert_open(stored, row->stored.expires, today)) {
        reject(im, r->line, changed, "certificate_final", c->number);
        return false;
    }
    return true;
}

/* Writes one checked row; returns 1 accepted, 0 unchanged, -1 refused (row->refused says why:
 * the guard of a write found the certificate changed meanwhile, or a database error). */
static int write_row(import_t *im, row_t *row)
{
    certificate_t *c = &row->c;
    row->refused = "internal_error";
    if (!row->exists) {
        c->status_changed = c->issued;
        char due[DATE_LEN + 1];
        cert_surveillance_due(c->issued, c->expires, 0, due);   /* decided on the issue date */
        c->surveillance_due = due;
        int64_t id = certificate_insert(im->db, c, im->actor, "");
        if (id == 0)
            row->refused = "certificate_exists";
        else if (id == CERTIFICATE_BODY_NOT_IN_GOOD_STANDING)
            row->refused = "body_not_in_good_standing";
        return id > 0 ? 1 : -1;
    }
    if (first_difference(c, &row->stored) < 0)
        return 0;
    /* the fields, then the status: each write checks that the certificate is as read */
    int rc = certificate_update(im->db, &row->stored, c, im->actor);
    if (rc == 1 && strcmp(c->status, row->stored.status) != 0)
        rc = certificate_set_status(im->db, row->stored.id, row->stored.status, c->status, "", im->actor, 0);
    if (rc == 0)
        row->refused = "changed_concurrently";
    return rc == 1 ? 1 : -1;
}

/* A new row whose insert found its number taken: another import of the same data (or an
 * issue) wrote it meanwhile. True when what is stored now is this row exactly (unchanged). */
static bool written_meanwhile(import_t *im, const row_t *row)
{
    arena_t a = {0};
    certificate_t stored;
    bool same = certificate_by_number(im->db, &a, row->c.number, &stored) == 1 &&
                first_difference(&row->c, &stored) < 0;
    arena_free(&a);
    return same;
}

/* Writes a batch in one transaction; on failure replays it row by row. */
static void write_batch(import_t *im, row_t *rows, int n)
{
    int accepted = 0, unchanged = 0;
    bool ok = db_begin(im->db) == STORE_DONE;
    for (int i = 0; ok && i < n; i++) {
        int rc = write_row(im, &rows[i]);
        ok = rc >= 0;
        accepted += rc == 1;
        unchanged += rc == 0;
    }
    if (ok && db_commit(im->db) == STORE_DONE) {
        im->accepted += accepted;
        im->unchanged += unchanged;
        return;
    }
    db_rollback(im->db);
    for (int i = 0; i < n; i++) {
        int rc = -1;
        if (db_begin(im->db) == STORE_DONE) {
            rc = write_row(im, &rows[i]);
            if (rc < 0 || db_commit(im->db) != STORE_DONE) {
                db_rollback(im->db);
                rc = -1;
            }
        }
        if (rc < 0 && strcmp(rows[i].refused, "certificate_exists") == 0 && written_meanwhile(im, &rows[i]))
            rc = 0;
        if (rc < 0) {
            reject(im, rows[i].line, C_NUMBER, rows[i].refused, rows[i].c.number);
        } else {
            im->accepted += rc == 1;
            im->unchanged += rc == 0;
        }
    }
}

/* The column each header cell names (its own name or an alias), into im->col and im->header. */
static void read_header(import_t *im, const csv_row_t *header)
{
    for (int k = 0; k < C_COUNT; k++) {
        im->col[k] = -1;
        im->header[k] = NULL;
        for (int i = 0; i < header->nfields && im->col[k] < 0; i++) {
            const char *h = header->fields[i];
            while (*h == ' ' || *h == '\t')
                h++;
            size_t n = strlen(h);
            while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
                n--;
            bool named = strlen(import_columns[k]) == n && strncasecmp(h, import_columns[k], n) == 0;
            for (int j = 0; !named && column_aliases[k][j] != NULL; j++)
                named = strlen(column_aliases[k][j]) == n && strncasecmp(h, column_aliases[k][j], n) == 0;
            if (named) {
                im->col[k] = i;
                im->header[k] = header->fields[i];
            }
        }
    }
}

int certificates_import_table(db_t *db, table_reader_t *t, const import_options_t *o, json_t **report,
                              const char **missing)
{
    import_t im = {.db = db, .o = o, .lang = o->lang, .actor = o->actor, .rejected = json_array(),
                   .sheet = t->is_sheet};
    *report = NULL;
    *missing = NULL;
    arena_t header_arena = {0};
    csv_row_t header;
    if (table_next(t, &header_arena, &header) != 1) {
        *missing = "header";
        json_decref(im.rejected);
        arena_free(&header_arena);      /* a malformed header may have used it */
        return 1;
    }
    read_header(&im, &header);
    static const int required[] = {C_NUMBER, C_HOLDER, C_STANDARD, C_ISSUED};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (im.col[required[k]] < 0 && *missing == NULL)
            *missing = import_columns[required[k]];
    if (*missing == NULL && o->body_id <= 0 && im.col[C_BODY_CODE] < 0 && im.col[C_BODY_CREDIT] < 0)
        *missing = "body_code";
    if (*missing != NULL) {
        json_decref(im.rejected);
        arena_free(&header_arena);
        return 1;
    }
    row_t *batch = calloc(BATCH, sizeof *batch);
    arena_t a = {0};
    int n = 0;
    for (;;) {
        csv_row_t r;
        int rc = table_next(t, &a, &r);
        if (rc == 0)
            break;
        if (rc < 0) {
            reject(&im, table_line(t), -1, "invalid_value", "CSV");
            break;
        }
        bool blank = true;
        for (int f = 0; f < r.nfields && blank; f++)
            blank = strspn(r.fields[f], " \t\r\n") == strlen(r.fields[f]);
        if (blank && o->upload_report)
            continue;          /* an upload's blank rows are nothing (the CLI's report them as before) */
        if (check_row(&im, &r, &a, &batch[n]))
            n++;
        if (n == BATCH) {
            write_batch(&im, batch, n);
            n = 0;
            arena_free(&a);
        }
    }
    if (n > 0)
        write_batch(&im, batch, n);
    arena_free(&a);
    arena_free(&header_arena);    /* im.header's names, until the last rejection */
    free(batch);
    strset_free(&im.numbers);
    *report = json_pack("{s:i, s:i, s:o}", "accepted", im.accepted, "unchanged", im.unchanged, "rejected",
                        im.rejected);
    return 0;
}

int certificates_import(db_t *db, const char *data, size_t len, lang_t lang, const audit_actor_t *actor, FILE *out)
{
    table_reader_t t;
    table_reader_csv(&t, data, len);
    import_options_t o = {.lang = lang, .actor = actor};
    json_t *report;
    const char *missing;
    if (certificates_import_table(db, &t, &o, &report, &missing) != 0) {
        if (strcmp(missing, "header") == 0)
            fprintf(stderr, "guanbiao: the file has no header row\n");
        else if (strcmp(missing, "body_code") == 0)
            fprintf(stderr, "guanbiao: the header needs body_code or body_credit_code\n");
        else
            fprintf(stderr, "guanbiao: the header lacks the column %s\n", missing);
        return 1;
    }
    char *text = json_dumps(report, JSON_COMPACT);
    fprintf(out, "%s\n", text);
    free(text);
    json_decref(report);
    return 0;
}

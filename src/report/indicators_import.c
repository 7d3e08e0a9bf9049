/* Indicator files (see indicators_import.h). Three passes over a file held in memory: read every
 * row into candidate values (each checked, the bad ones rejected with their row and column);
 * sort the candidates by (enterprise, indicator, year) so that the values one key gets more than
 * once are seen together (identical repeats count once; different values reject every row of the
 * key: the file contradicts itself, so neither value is trusted and the stored one stays); write
 * them enterprise by enterprise, many values per transaction (a dry run rolls each transaction
 * back: the counts are the write's own). */
#include "report/indicators_import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/cells.h"
#include "core/dates.h"
#include "core/messages.h"
#include "core/table.h"
#include "core/xlsx.h"
#include "domain/indicators.h"
#include "domain/scope.h"
#include "store/indicators.h"
#include "store/registry.h"

enum {
    BATCH_VALUES = 20000,          /* values written per transaction */
    XLSX_MAX_ROWS = 2000000,       /* a sheet's rows at most */
    INDICATOR_CACHE = 128,         /* distinct indicator headings or names remembered */
    MAX_TITLE_ROWS = 5,            /* non-blank rows above the header that are skipped */
};

/* ---- the rows' keys: a credit code's enterprise, an indicator's heading ---- */

/* credit code → enterprise id (> 0), 0 unknown, -1 out of the caller's reach */
typedef struct code_map {
    char **keys;
    int64_t *values;
    size_t cap, count;
} code_map_t;

static int64_t *code_map_slot(code_map_t *m, const char *key, bool *found)
{
    if (m->count * 2 >= m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        char **keys = calloc(cap, sizeof *keys);
        int64_t *values = calloc(cap, sizeof *values);
        if (keys == NULL || values == NULL)
            abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i] != NULL) {
                size_t j = hash_bytes(m->keys[i], strlen(m->keys[i])) & (cap - 1);
                while (keys[j] != NULL)
                    j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                values[j] = m->values[i];
            }
        free(m->keys);
        free(m->values);
        m->keys = keys;
        m->values = values;
        m->cap = cap;
    }
    size_t j = hash_bytes(key, strlen(key)) & (m->cap - 1);
    while (m->keys[j] != NULL && strcmp(m->keys[j], key) != 0)
        j = (j + 1) & (m->cap - 1);
    *found = m->keys[j] != NULL;
    if (!*found) {
        m->keys[j] = strdup(key);
        if (m->keys[j] == NULL)
            abort();
        m->count++;
    }
    return &m->values[j];
}

static void code_map_free(code_map_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
}

typedef struct known_indicator {
    const char *key;           /* as the file wrote it (folded) */
    bool found;
    indicator_t ind;
} known_indicator_t;

/* One value read from the file, checked, waiting to be written. */
typedef struct candidate {
    int64_t enterprise_id, indicator_id;
    double value;
    int32_t year, line, column;
    bool rejected;
} candidate_t;

typedef struct rejection {
    int line, column;          /* column: index into the header, -1 none */
    const char *code, *message;
} rejection_t;

typedef struct importer {
    db_t *db;
    const indicator_import_options_t *o;
    arena_t a;                 /* the header, messages, indicators: until the end */
    int ncols;
    const char **header;       /* the header's cells, folded */
    int c_code, c_year, c_indicator, c_value;   /* long and wide; -1 absent */
    const indicator_t **wide;  /* wide: each column's indicator, NULL none */
    int64_t current_year;
    code_map_t enterprises;
    known_indicator_t indicators[INDICATOR_CACHE];
    int nindicators;
    candidate_t *cand;
    size_t ncand, capcand;
    rejection_t *rej;
    size_t nrej, caprej;
    int64_t accepted, unchanged;
} importer_t;

/* Records a rejected value or row; its message is the one of message_code (usually code). */
static void reject_as(importer_t *im, int line, int column, const char *code, const char *message_code,
                      const char *arg0, const char *arg1)
{
    if (im->nrej == im->caprej) {
        im->caprej = im->caprej ? im->caprej * 2 : 64;
        im->rej = realloc(im->rej, im->caprej * sizeof *im->rej);
        if (im->rej == NULL)
            abort();
    }
    const char *args[2] = {arg0, arg1};
    im->rej[im->nrej++] = (rejection_t){.line = line, .column = column, .code = code,
                                        .message = message_fill(&im->a, message_code, im->o->lang, args, 2)};
}

static void reject(importer_t *im, int line, int column, const char *code, const char *arg0, const char *arg1)
{
    reject_as(im, line, column, code, code, arg0, arg1);
}

static const char *column_name(const importer_t *im, int column)
{
    return column >= 0 && column < im->ncols ? im->header[column] : "";
}

/* A heading compared without case, blanks or a trailing unit in brackets: "年 度", "Year",
 * "发明专利申请量(件)" (folded from （件）). */
static char *heading_key(arena_t *a, const char *folded, bool drop_unit)
{
    char *k = arena_strdup(a, folded), *o = k;
    for (const char *p = folded; *p; p++)
        if (*p != ' ' && *p != '\t')
            *o++ = *p;
    *o = '\0';
    if (drop_unit && o > k && o[-1] == ')') {
        char *open = strrchr(k, '(');
        if (open != NULL && open > k)
            *open = '\0';
    }
    return k;
}

static bool heading_is(const char *key, const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcasecmp(key, names[i]) == 0)
            return true;
    return false;
}

/* The indicator a folded key (code or Chinese name) names, remembered: NULL when none. */
static const indicator_t *indicator_named(importer_t *im, const char *key, bool *failed)
{
    for (int i = 0; i < im->nindicators; i++)
        if (strcmp(im->indicators[i].key, key) == 0)
            return im->indicators[i].found ? &im->indicators[i].ind : NULL;
    known_indicator_t k = {.key = arena_strdup(&im->a, key)};
    int rc = indicator_find(im->db, &im->a, key, &k.ind);
    if (rc < 0) {
        *failed = true;
        return NULL;
    }
    k.found = rc == 1;
    if (!k.found) {
        /* a heading with its unit: 发明专利申请量(件) */
        const char *bare = heading_key(&im->a, key, true);
        if (strcmp(bare, key) != 0 && indicator_find(im->db, &im->a, bare, &k.ind) == 1)
            k.found = true;
    }
    if (im->nindicators == INDICATOR_CACHE) {
        known_indicator_t *spare = arena_alloc(&im->a, sizeof *spare);
        *spare = k;
        return spare->found ? &spare->ind : NULL;
    }
    im->indicators[im->nindicators] = k;
    return im->indicators[im->nindicators++].found ? &im->indicators[im->nindicators - 1].ind : NULL;
}

/* The enterprise of a folded credit code that the caller may write: its id; 0 after rejecting
 * the row (unknown, out of scope); -1 on a database error. */
static int64_t enterprise_of(importer_t *im, const char *folded, int line)
{
    char code[64];
    size_t n = 0;
    for (const char *p = folded; *p && n + 1 < sizeof code; p++)
        if (*p != ' ' && *p != '\t')
            code[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
    code[n] = '\0';
    bool found;
    int64_t *slot = code_map_slot(&im->enterprises, code, &found);
    if (!found) {
        arena_t a = {0};
        enterprise_t e;
        int rc = n > 0 && strlen(folded) < sizeof code ? enterprise_by_credit_code(im->db, &a, code, &e) : 0;
        if (rc < 0) {
            arena_free(&a);
            *slot = 0;
            return -1;
        }
        *slot = rc == 1 ? (im->o->scope == NULL || scope_allows(im->o->scope, e.id, 0, e.region) ? e.id : -1) : 0;
        arena_free(&a);
    }
    if (*slot <= 0)
        reject(im, line, im->c_code, *slot == 0 ? "unknown_enterprise" : "out_of_scope", folded, NULL);
    return *slot > 0 ? *slot : 0;
}

static void add_candidate(importer_t *im, const candidate_t *c)
{
    if (im->ncand == im->capcand) {
        im->capcand = im->capcand ? im->capcand * 2 : 1024;
        im->cand = realloc(im->cand, im->capcand * sizeof *im->cand);
        if (im->cand == NULL)
            abort();
    }
    im->cand[im->ncand++] = *c;
}

/* One value cell of a row whose enterprise and year are good: a candidate, or a rejection, or
 * nothing (blank: missing). */
static void value_cell(importer_t *im, int64_t enterprise_id, int year, int line, int column, const indicator_t *ind,
                       const char *folded)
{
    if (cell_blank(folded))
        return;
    double v;
    bool percent;
    if (!cell_number(folded, &v, &percent) || (percent && strcmp(ind->kind, "share") != 0)) {
        reject(im, line, column, "not_a_number", folded, ind->name);
        return;
    }
    const char *why = indicator_value_check(ind->kind, v);
    if (why != NULL) {
        reject(im, line, column, why, ind->name, indicator_bounds_text(ind->kind));
        return;
    }
    add_candidate(im, &(candidate_t){.enterprise_id = enterprise_id, .indicator_id = ind->id, .value = v,
                                     .year = year, .line = line, .column = column});
}

static const char *cell(const csv_row_t *r, int column, arena_t *a)
{
    return column >= 0 && column < r->nfields ? cell_fold(a, r->fields[column]) : "";
}

/* One data row: false on a database error. */
static bool read_row(importer_t *im, const csv_row_t *r, arena_t *a)
{
    /* cells past the header: most likely "1,234" unquoted, which would shift every value after it */
    for (int k = im->ncols; k < r->nfields; k++)
        if (!cell_blank(cell(r, k, a))) {
            reject_as(im, r->line, im->wide ? -1 : im->c_value, "not_a_number", "indicator_extra_cells",
                      arena_printf(a, "%d", im->ncols), NULL);
            return true;
        }
    int64_t enterprise_id = enterprise_of(im, cell(r, im->c_code, a), r->line);
    if (enterprise_id < 0)
        return false;
    if (enterprise_id == 0)
        return true;
    const char *year_text = cell(r, im->c_year, a);
    int year = 0;
    if (!cell_year(year_text, &year) || indicator_year_check(year, im->current_year) != NULL) {
        reject(im, r->line, im->c_year, "indicator_year_out_of_range",
               arena_printf(a, "%lld", (long long)im->current_year), NULL);
        return true;
    }
    if (im->wide == NULL) {
        const char *name = cell(r, im->c_indicator, a);
        bool failed = false;
        const indicator_t *ind = cell_blank(name) ? NULL : indicator_named(im, name, &failed);
        if (failed)
            return false;
        if (ind == NULL) {
            reject(im, r->line, im->c_indicator, "unknown_indicator", name, NULL);
            return true;
        }
        value_cell(im, enterprise_id, year, r->line, im->c_value, ind, cell(r, im->c_value, a));
        return true;
    }
    for (int k = 0; k < im->ncols && k < r->nfields; k++)
        if (im->wide[k] != NULL)
            value_cell(im, enterprise_id, year, r->line, k, im->wide[k], cell(r, k, a));
    return true;
}

static const char *const credit_names[] = {"credit_code", "统一社会信用代码", "信用代码", "社会信用代码", NULL};
static const char *const year_names[] = {"year", "年度", "年份", NULL};
static const char *const indicator_names[] = {"indicator", "指标", "指标名称", "指标代码", NULL};
static const char *const value_names[] = {"value", "数值", "值", "指标值", NULL};

/* Does a row head the credit code and the year columns (is it the header)? */
static bool names_key_columns(const csv_row_t *r, arena_t *a)
{
    bool code = false, year = false;
    for (int k = 0; k < r->nfields; k++) {
        const char *key = heading_key(a, cell(r, k, a), false);
        code = code || heading_is(key, credit_names);
        year = year || heading_is(key, year_names);
    }
    return code && year;
}

/* Reads the header row: the layout, or a problem code. false on a database error. */
static bool read_header(importer_t *im, const csv_row_t *h, const char **layout, const char **problem)
{
    im->ncols = h->nfields;
    im->header = arena_alloc(&im->a, sizeof *im->header * (size_t)(h->nfields + 1));
    im->c_code = im->c_year = im->c_indicator = im->c_value = -1;
    for (int k = 0; k < h->nfields; k++) {
        im->header[k] = cell_fold(&im->a, h->fields[k]);
        const char *key = heading_key(&im->a, im->header[k], false);
        int *slot = heading_is(key, credit_names) ? &im->c_code
                    : heading_is(key, year_names) ? &im->c_year
                    : heading_is(key, indicator_names) ? &im->c_indicator
                    : heading_is(key, value_names) ? &im->c_value : NULL;
        if (slot != NULL && *slot < 0)
            *slot = k;
    }
    if (im->c_code < 0 || im->c_year < 0) {
        *problem = "indicator_import_header";
        return true;
    }
    if (im->c_indicator >= 0 && im->c_value >= 0) {
        *layout = "long";
        return true;
    }
    /* wide: every other heading an indicator */
    im->wide = arena_alloc(&im->a, sizeof *im->wide * (size_t)(h->nfields + 1));
    int found = 0;
    for (int k = 0; k < h->nfields; k++) {
        if (k == im->c_code || k == im->c_year || cell_blank(im->header[k]))
            continue;
        bool failed = false;
        im->wide[k] = indicator_named(im, im->header[k], &failed);
        if (failed)
            return false;
        if (im->wide[k] == NULL)
            reject(im, h->line, k, "unknown_indicator", im->header[k], NULL);
        else
            found++;
    }
    if (found == 0)
        *problem = "indicator_import_header";
    else
        *layout = "wide";
    return true;
}

static int by_key(const void *x, const void *y)
{
    const candidate_t *a = x, *b = y;
    if (a->enterprise_id != b->enterprise_id)
        return a->enterprise_id < b->enterprise_id ? -1 : 1;
    if (a->indicator_id != b->indicator_id)
        return a->indicator_id < b->indicator_id ? -1 : 1;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Sorts the candidates and settles the repeated keys (see the top of the file). */
static void settle_duplicates(importer_t *im)
{
    if (im->ncand > 1)
        qsort(im->cand, im->ncand, sizeof *im->cand, by_key);
    for (size_t i = 0; i < im->ncand;) {
        size_t j = i + 1;
        bool differ = false;
        while (j < im->ncand && im->cand[j].enterprise_id == im->cand[i].enterprise_id &&
               im->cand[j].indicator_id == im->cand[i].indicator_id && im->cand[j].year == im->cand[i].year) {
            differ = differ || im->cand[j].value != im->cand[i].value;
            j++;
        }
        for (size_t k = i + 1; k < j; k++) {
            im->cand[k].rejected = true;      /* a repeat: written once (an identical one counts unchanged) */
            if (!differ)
                im->unchanged++;
        }
        if (differ) {
            for (size_t k = i; k < j; k++) {
                /* each row names the other rows of the key */
                buf_t others;
                buf_init(&others, 1u << 16);
                for (size_t m = i; m < j; m++)
                    if (m != k)
                        buf_printf(&others, "%s%d", others.len ? ", " : "", im->cand[m].line);
                im->cand[k].rejected = true;
                reject_as(im, im->cand[k].line, im->cand[k].column, "duplicate_row", "indicator_duplicate_row",
                          others.data ? others.data : "", NULL);
                buf_free(&others);
            }
        }
        i = j;
    }
}

/* Progress: the import's row, and the caller's callback. */
static void progress(importer_t *im, int64_t done, int64_t total, int64_t rows_total)
{
    if (im->o->progress)
        im->o->progress(im->o->progress_ctx, done, total);
    int64_t rows_done = total > 0 ? rows_total * done / total : rows_total;
    db_run(im->db, "UPDATE indicator_imports SET rows_done = $2, rows_total = $3 WHERE id = $1", "III",
           im->o->import_id, rows_done, rows_total);
}

/* Writes the values of enterprises [from, to) of the sorted candidates (not rejected), each
 * enterprise's in one call; in one transaction committed (or rolled back on a dry run). 0 with
 * the counts added, -1 on an error (nothing kept). */
static int write_range(importer_t *im, size_t from, size_t to, indicator_value_write_t *buf)
{
    const audit_actor_t *actor = im->o->actor;
    if (db_begin(im->db) != STORE_DONE)
        return -1;
    int64_t accepted = 0, unchanged = 0;
    bool ok = true;
    for (size_t i = from; ok && i < to;) {
        size_t n = 0, j = i;
        for (; j < to && im->cand[j].enterprise_id == im->cand[i].enterprise_id; j++)
            if (!im->cand[j].rejected)
                buf[n++] = (indicator_value_write_t){.indicator_id = im->cand[j].indicator_id,
                                                     .year = im->cand[j].year, .value = im->cand[j].value};
        size_t changed = 0, same = 0;
        ok = n == 0 || (indicator_values_lock(im->db, im->cand[i].enterprise_id) &&
                        indicator_values_write(im->db, actor, im->cand[i].enterprise_id, buf, n, "import",
                                              im->o->import_id, &changed, &same) == 0);
        accepted += (int64_t)changed;
        unchanged += (int64_t)same;
        i = j;
    }
    if (!ok || im->o->dry_run) {
        db_rollback(im->db);
        if (!ok)
            return -1;
    } else if (db_commit(im->db) != STORE_DONE) {
        return -1;
    }
    im->accepted += accepted;
    im->unchanged += unchanged;
    return 0;
}

/* Writes every candidate not rejected; an enterprise whose write fails on its own has its
 * values rejected (internal_error). false when the database is gone altogether. */
static bool write_all(importer_t *im, int64_t rows_total)
{
    indicator_value_write_t *buf = malloc(sizeof *buf * (im->ncand ? im->ncand : 1));
    if (buf == NULL)
        abort();
    size_t from = 0;
    progress(im, 0, (int64_t)im->ncand, rows_total);
    while (from < im->ncand) {
        /* whole enterprises, about BATCH_VALUES values */
        size_t to = from;
        while (to < im->ncand && to - from < BATCH_VALUES) {
            size_t j = to;
            while (j < im->ncand && im->cand[j].enterprise_id == im->cand[to].enterprise_id)
                j++;
            to = j;
        }
        if (write_range(im, from, to, buf) != 0) {
            /* one enterprise at a time, to keep the others */
            for (size_t i = from; i < to;) {
                size_t j = i;
                while (j < to && im->cand[j].enterprise_id == im->cand[i].enterprise_id)
                    j++;
                if (write_range(im, i, j, buf) != 0) {
                    if (db_error_kind(im->db) == DB_ERR_CONNECTION) {
                        free(buf);
                        return false;
                    }
                    for (size_t k = i; k < j; k++)
                        if (!im->cand[k].rejected)
                            reject(im, im->cand[k].line, im->cand[k].column, "internal_error", NULL, NULL);
                }
                i = j;
            }
        }
        from = to;
        progress(im, (int64_t)from, (int64_t)im->ncand, rows_total);
    }
    free(buf);
    return true;
}

static int by_place(const void *x, const void *y)
{
    const rejection_t *a = x, *b = y;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->column < b->column ? -1 : a->column > b->column;
}

int64_t indicator_import_create(db_t *db, const audit_actor_t *actor, const char *file_name, const char *file_sha256,
                                bool dry_run, bool queued)
{
    stmt_t *st = db_query(db,
                          "INSERT INTO indicator_imports (file_name, file_sha256, dry_run, state, created_by, created_at) "
                          "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6) RETURNING id",
                          "ttbtII", file_name ? file_name : "", file_sha256 ? file_sha256 : "", dry_run,
                          queued ? "queued" : "running", audit_actor_user(actor), now_seconds());
    return st ? stmt_insert_id(st) : -1;
}

static void mark_failed(db_t *db, int64_t import_id, const char *layout, const char *encoding, const char *error)
{
    db_run(db,
           "UPDATE indicator_imports SET state = 'failed', layout = $2, encoding = $3, error = $4, finished_at = $5 "
           "WHERE id = $1",
           "ItttI", import_id, layout, encoding, error, now_seconds());
}

/* Marks the import done with its report, its audit entry and (values changed) the refresh, in
 * one transaction. */
static bool finish(importer_t *im, const indicator_import_report_t *r)
{
    char *rejected = json_dumps(r->rejected, JSON_COMPACT);
    bool ok = rejected != NULL && db_begin(im->db) == STORE_DONE;
    ok = ok && db_run(im->db,
                      "UPDATE indicator_imports SET state = 'done', layout = $2, encoding = $3, rows_total = $4, "
                      "rows_done = $4, accepted = $5, unchanged = $6, rejected_count = $7, rejected = $8, "
                      "finished_at = $9 WHERE id = $1",
                      "IttIIIItI", im->o->import_id, r->layout, r->encoding, r->rows_total, r->accepted, r->unchanged,
                      r->rejected_count, rejected, now_seconds()) == 1;
    if (ok && !im->o->dry_run) {
        buf_t after;
        buf_init(&after, 1u << 20);
        jw_t w;
        jw_init(&w, &after);
        jw_object(&w);
        jw_kstr(&w, "layout", r->layout);
        jw_kstr(&w, "encoding", r->encoding);
        jw_kint(&w, "rows_total", r->rows_total);
        jw_kint(&w, "accepted", r->accepted);
        jw_kint(&w, "unchanged", r->unchanged);
        jw_kint(&w, "rejected", r->rejected_count);
        jw_end(&w);
        ok = audit_record_id(im->db, im->o->actor, "indicator_import.run", "indicator_import", im->o->import_id, "",
                             NULL, after.data);
        buf_free(&after);
        if (ok && r->accepted > 0)
            ok = effectiveness_refresh_enqueue(im->db);
    }
    free(rejected);
    if (!ok) {
        db_rollback(im->db);
        return false;
    }
    return db_commit(im->db) == STORE_DONE;
}

int indicators_import(db_t *db, const char *data, size_t len, const indicator_import_options_t *o,
                      indicator_import_report_t *r, const char **problem)
{
    memset(r, 0, sizeof *r);
    r->layout = "";
    r->encoding = "utf-8";
    *problem = NULL;
    importer_t im = {.db = db, .o = o};
    char today[DATE_LEN + 1];
    date_today(today);
    im.current_year = atoi(today);     /* the current year, UTC */
    arena_t rows = {0};
    table_reader_t t;
    xlsx_sheet_t sheet;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        xlsx_status_t s = xlsx_read(&rows, data, len, XLSX_MAX_ROWS, &sheet);
        if (s != XLSX_OK) {
            *problem = "import_not_readable";
            mark_failed(db, o->import_id, "", "", xlsx_status_text(s));
            arena_free(&rows);
            return 1;
        }
        table_reader_sheet(&t, &sheet);
    } else {
        const char *text;
        size_t text_len;
        text_encoding_t enc;
        if (!text_to_utf8(&rows, data, len, &text, &text_len, &enc)) {
            *problem = "import_not_text";
            mark_failed(db, o->import_id, "", "", "neither UTF-8 nor GBK");
            arena_free(&rows);
            return 1;
        }
        r->encoding = text_encoding_name(enc);
        table_reader_csv(&t, text, text_len);
    }
    int rc = 0;
    bool header_read = false, db_failed = false;
    int title_rows = 0;
    csv_row_t row;
    arena_t row_arena = {0};
    /* a CSV row's strings live in row_arena until the next row; a sheet's in rows */
    for (;;) {
        arena_reset(&row_arena);
        rc = table_next(&t, &row_arena, &row);
        if (rc != 1)
            break;
        bool blank = true;
        for (int k = 0; k < row.nfields && blank; k++)
            blank = cell_blank(cell(&row, k, &row_arena));
        if (blank)
            continue;              /* blank rows (trailing ones too) are nothing */
        if (!header_read) {
            /* title rows above the header ("2023年知识产权指标统计表") are skipped, a few at most */
            if (!names_key_columns(&row, &row_arena) && ++title_rows <= MAX_TITLE_ROWS)
                continue;
            header_read = true;
            if (!read_header(&im, &row, &r->layout, problem)) {
                db_failed = true;
                break;
            }
            if (*problem != NULL)
                break;
            continue;
        }
        r->rows_total++;
        if (!read_row(&im, &row, &row_arena)) {
            db_failed = true;
            break;
        }
    }
    if (rc < 0 && *problem == NULL && !db_failed)
        reject(&im, table_line(&t), -1, "invalid_value", "CSV", "malformed");
    arena_free(&row_arena);
    arena_free(&rows);
    if (*problem == NULL && !header_read)
        *problem = "indicator_import_header";
    int result = 0;
    if (db_failed) {
        result = -1;
    } else if (*problem != NULL) {
        result = 1;
    } else {
        settle_duplicates(&im);
        if (!write_all(&im, r->rows_total))
            result = -1;
    }
    if (result == 0) {
        if (im.nrej > 1)
            qsort(im.rej, im.nrej, sizeof *im.rej, by_place);
        r->rejected = json_array();
        for (size_t i = 0; i < im.nrej && (o->max_rejected <= 0 || (int64_t)i < o->max_rejected); i++)
            json_array_append_new(r->rejected,
                                  json_pack("{s:i, s:s, s:s, s:s}", "row", im.rej[i].line, "column",
                                            column_name(&im, im.rej[i].column), "code", im.rej[i].code, "message",
                                            im.rej[i].message));
        r->accepted = im.accepted;
        r->unchanged = im.unchanged;
        r->rejected_count = (int64_t)im.nrej;
        if (!finish(&im, r))
            result = -1;
    }
    if (result != 0) {
        mark_failed(db, o->import_id, r->layout, r->encoding,
                    result == 1 ? message_text(message_find(*problem), LANG_EN) : db_error(db));
        if (r->rejected != NULL) {
            json_decref(r->rejected);
            r->rejected = NULL;
        }
    }
    code_map_free(&im.enterprises);
    free(im.cand);
    free(im.rej);
    arena_free(&im.a);
    return result;
}

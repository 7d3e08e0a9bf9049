/* Regulators' statistics: the filter every dashboard takes and the one way a dashboard answers,
 * as JSON, XLSX or CSV (statistics.h; docs/statistics.md). */
#include "api/statistics.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/regions.h"
#include "domain/scope.h"
#include "report/export.h"

/* ---- the filter ---- */

/* "YYYY-MM" with a year 2000–2099 and a month 01–12: year * 12 + month - 1, else -1. */
static int month_index(const char *s)
{
    if (s == NULL || strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit((unsigned char)s[i]))
            return -1;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (year < 2000 || year > 2099 || month < 1 || month > 12)
        return -1;
    return year * 12 + month - 1;
}

static void month_text(int index, char out[8])
{
    char text[32];
    snprintf(text, sizeof text, "%04u-%02u", (unsigned)(index / 12) % 10000u, (unsigned)(index % 12 + 1) % 100u);
    memcpy(out, text, 8);   /* 7 characters and the terminator */
}

/* The first second (UTC) of the month index. */
static int64_t month_start(int index)
{
    char month[8], day[16];
    month_text(index, month);
    snprintf(day, sizeof day, "%s-01", month);
    return date_to_unix(day);
}

void stats_month_of(int64_t t, char out[8])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    month_text((tm.tm_year + 1900) * 12 + tm.tm_mon, out);
}

bool stats_filter_parse(call_t *c, stats_filter_t *f)
{
    *f = (stats_filter_t){0};
    const char *region = call_query(c, "region"), *industry = call_query(c, "industry");
    const char *from = call_query(c, "from"), *to = call_query(c, "to");
    if (call_answered(c))
        return false;

    /* the region: the filter's when given, else the caller's own; the narrower one counts */
    if (region != NULL && *region != '\0') {
        if (!region_filter_valid(region)) {
            call_error(c, "invalid_query", "region", "region");
            return false;
        }
        region_prefix(region, f->region);
    }
    const reach_t reach = scope_reach(&c->user);
    if (reach.kind == REACH_REGION && strlen(reach.region_prefix) > strlen(f->region))
        snprintf(f->region, sizeof f->region, "%s", reach.region_prefix);
    size_t len = strlen(f->region);
    f->group_len = len < 2 ? 2 : len < 4 ? 4 : 6;

    if (industry != NULL && *industry != '\0') {
        char code[3] = "";
        if (strlen(industry) <= 2) {
            snprintf(code, sizeof code, "%s", industry);
            code[0] = (char)toupper((unsigned char)code[0]);
        }
        const industry_t *ind = industry_find(code);
        if (ind == NULL) {
            call_error(c, "invalid_query", "industry", "industry");
            return false;
        }
        f->industry = ind->code;
    }

    char now[8];
    stats_month_of((int64_t)time(NULL), now);
    int to_index = to != NULL && *to != '\0' ? month_index(to) : month_index(now);
    if (to_index < 0) {
        call_error(c, "invalid_query", "to", "to");
        return false;
    }
    int from_index = from != NULL && *from != '\0' ? month_index(from) : to_index - 11;
    if (from_index < 0 || from_index > to_index || to_index - from_index >= STATS_MAX_MONTHS) {
        call_error(c, "invalid_query", "from", "from");
        return false;
    }
    f->months = to_index - from_index + 1;
    month_text(from_index, f->from_month);
    month_text(to_index, f->to_month);
    f->from = month_start(from_index);
    f->to = month_start(to_index + 1);
    snprintf(f->from_day, sizeof f->from_day, "%s-01", f->from_month);
    date_from_unix(f->to - 86400, f->to_day);
    return true;
}

void stats_query_filter(query_t *q, call_t *c, const stats_filter_t *f, const char *region_col,
                        const char *industry_col)
{
    const reach_t reach = scope_reach(&c->user);
    const scope_columns_t cols = {.region = region_col};
    query_scope(q, &reach, &cols);
    if (*f->region != '\0') {
        query_sql(q, " AND ");
        query_sql(q, region_col);
        query_text(q, " LIKE $? ESCAPE '\\'", query_like(&c->arena, f->region, false));
    }
    if (f->industry == NULL)
        return;
    if (industry_col == NULL) {
        query_sql(q, " AND FALSE");
        return;
    }
    /* a section matches itself and its divisions: the codes come from the reference table
     * (letters and digits), not from the request, so they are written into the SQL */
    query_sql(q, " AND ");
    query_sql(q, industry_col);
    query_sql(q, " IN ('");
    query_sql(q, f->industry);
    query_sql(q, "'");
    if (industry_is_section(f->industry)) {
        for (size_t i = 0; i < industries_count(); i++) {
            const industry_t *ind = industry_at(i);
            if (strcmp(ind->section, f->industry) == 0) {
                query_sql(q, ", '");
                query_sql(q, ind->code);
                query_sql(q, "'");
            }
        }
    }
    query_sql(q, ")");
}

const char **stats_months(arena_t *a, const stats_filter_t *f)
{
    const char **out = arena_alloc(a, sizeof *out * (size_t)f->months);
    int first = month_index(f->from_month);
    for (int i = 0; i < f->months; i++) {
        char *m = arena_alloc(a, 8);
        month_text(first + i, m);
        out[i] = m;
    }
    return out;
}

const char *stats_month_index_sql(arena_t *a, const stats_filter_t *f, const char *col)
{
    buf_t b;
    buf_init(&b, 64 * 1024);
    buf_puts(&b, "CASE");
    int first = month_index(f->from_month);
    /* before the start of month i: month i - 1; up to the period's end too, so that a period of
     * one month has its WHEN (and GROUP BY meets an expression, not a column number) */
    for (int i = 1; i <= f->months; i++)
        buf_printf(&b, " WHEN %s < %lld THEN %d", col, (long long)month_start(first + i), i - 1);
    buf_printf(&b, " ELSE %d END", f->months - 1);
    const char *sql = arena_strdup(a, b.failed || b.data == NULL ? "0" : b.data);
    buf_free(&b);
    return sql;
}

void stats_query_seconds(query_t *q, const stats_filter_t *f, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql, " AND %s >= %lld AND %s < %lld", col, (long long)f->from, col, (long long)f->to);
    query_sql(q, sql);
}

void stats_query_days(query_t *q, const stats_filter_t *f, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql, " AND %s BETWEEN '%s' AND '%s'", col, f->from_day, f->to_day);
    query_sql(q, sql);
}

bool stats_rows(call_t *c, query_t *q, void (*row)(call_t *c, stmt_t *st, void *ctx), void *ctx, const char *what)
{
    stmt_t *st = query_run(c->db, q);
    int rc = STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        if (row != NULL)
            row(c, st, ctx);
        else
            stats_table_add_stmt(&c->arena, ctx, st);
    }
    stmt_done(st);
    query_free(q);
    if (rc != STORE_DONE) {
        call_db_error(c, what);
        return false;
    }
    return true;
}

const char *stats_region_group_sql(arena_t *a, const stats_filter_t *f, const char *region_col)
{
    if (f->group_len >= 6)
        return arena_strdup(a, region_col);
    return arena_printf(a, "SUBSTR(%s, 1, %d) || '%s'", region_col, f->group_len, f->group_len == 2 ? "0000" : "00");
}

const char *stats_region_name(arena_t *a, const char *code)
{
    char path[256] = "";
    if (code != NULL)
        region_path(code, path, sizeof path);
    return arena_strdup(a, path);
}

const char *stats_industry_name(const char *code)
{
    const industry_t *ind = code != NULL ? industry_find(code) : NULL;
    return ind != NULL ? ind->name : "";
}

/* ---- tables ---- */

void stats_table_init(stats_table_t *t, const char *key, const char *zh, const char *en,
                      const stats_column_t *columns, int ncolumns)
{
    *t = (stats_table_t){.key = key, .zh = zh, .en = en, .columns = columns, .ncolumns = ncolumns};
}

static void table_grow(arena_t *a, stats_table_t *t)
{
    if (t->nrows < t->cap)
        return;
    size_t cap = t->cap == 0 ? 16 : t->cap * 2;
    const char **cells = arena_alloc(a, sizeof *cells * cap * (size_t)t->ncolumns);
    if (t->nrows > 0)
        memcpy(cells, t->cells, sizeof *cells * t->nrows * (size_t)t->ncolumns);
    t->cells = cells;
    t->cap = cap;
}

void stats_table_add(arena_t *a, stats_table_t *t, const char *const *cells)
{
    table_grow(a, t);
    const char **row = t->cells + t->nrows * (size_t)t->ncolumns;
    for (int i = 0; i < t->ncolumns; i++)
        row[i] = cells[i] != NULL ? arena_strdup(a, cells[i]) : NULL;
    t->nrows++;
}

void stats_table_add_stmt(arena_t *a, stats_table_t *t, stmt_t *st)
{
    table_grow(a, t);
    const char **row = t->cells + t->nrows * (size_t)t->ncolumns;
    int n = stmt_columns(st);
    for (int i = 0; i < t->ncolumns; i++) {
        if (i >= n || stmt_is_null(st, i))
            row[i] = NULL;
        else if (t->columns[i].kind == STATS_REAL)
            row[i] = stats_real(a, stmt_double(st, i));
        else
            row[i] = arena_strdup(a, stmt_text(st, i));
    }
    t->nrows++;
}

const char *stats_int(arena_t *a, int64_t v)
{
    return arena_printf(a, "%lld", (long long)v);
}

const char *stats_real(arena_t *a, double v)
{
    if (isnan(v) || isinf(v))
        return NULL;
    char text[40];
    snprintf(text, sizeof text, "%.4f", v);
    /* no trailing zeros: 0.5000 → 0.5, 3.0000 → 3 */
    char *dot = strchr(text, '.');
    if (dot != NULL) {
        char *end = text + strlen(text) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(text, "-0") == 0)
        snprintf(text, sizeof text, "0");
    return arena_strdup(a, text);
}

/* ---- the answer ---- */

static void write_cell(jw_t *w, const stats_column_t *col, const char *cell)
{
    if (cell == NULL)
        jw_null(w);
    else if (col->kind == STATS_TEXT)
        jw_str(w, cell);
    else
        jw_raw(w, cell);
}

static void write_row(jw_t *w, const stats_table_t *t, size_t row)
{
    jw_object(w);
    for (int i = 0; i < t->ncolumns; i++) {
        jw_key(w, t->columns[i].key);
        write_cell(w, &t->columns[i], t->cells[row * (size_t)t->ncolumns + i]);
    }
    jw_end(w);
}

static void answer_json(call_t *c, const stats_filter_t *f, const stats_table_t *tables, int ntables)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "filters");
    jw_object(w);
    char code[16] = "";
    if (*f->region != '\0')
        snprintf(code, sizeof code, "%s%s", f->region, strlen(f->region) == 2 ? "0000" : strlen(f->region) == 4 ? "00" : "");
    jw_kstr(w, "region", *code != '\0' ? code : NULL);
    jw_kstr(w, "region_name", *code != '\0' ? stats_region_name(&c->arena, code) : (c->lang == LANG_EN ? "China" : "全国"));
    jw_kstr(w, "industry", f->industry);
    jw_kstr(w, "industry_name", f->industry != NULL ? stats_industry_name(f->industry) : NULL);
    jw_kstr(w, "from", f->from_month);
    jw_kstr(w, "to", f->to_month);
    jw_end(w);
    for (int i = 0; i < ntables; i++) {
        const stats_table_t *t = &tables[i];
        jw_key(w, t->key);
        if (i == 0) {
            if (t->nrows > 0) {
                write_row(w, t, 0);
            } else {
                jw_object(w);
                jw_end(w);
            }
            continue;
        }
        jw_array(w);
        for (size_t r = 0; r < t->nrows; r++)
            write_row(w, t, r);
        jw_end(w);
    }
    jw_end(w);
}

static bool sheet_begin(export_t **x, const call_t *c, export_format_t fmt, const stats_table_t *t, bool totals)
{
    const char *headers[STATS_MAX_COLUMNS];
    double widths[STATS_MAX_COLUMNS];
    bool en = c->lang == LANG_EN;
    int n = totals ? 2 : t->ncolumns;
    if (totals) {
        headers[0] = en ? "Item" : "项目";
        headers[1] = en ? "Value" : "数值";
        widths[0] = 28;
        widths[1] = 14;
    } else {
        for (int i = 0; i < n && i < STATS_MAX_COLUMNS; i++) {
            headers[i] = en ? t->columns[i].en : t->columns[i].zh;
            widths[i] = t->columns[i].width;
        }
    }
    const char *sheet = en ? t->en : t->zh;
    if (*x == NULL)
        *x = export_begin(fmt, sheet, headers, widths, n);
    else if (!export_next_sheet(*x, sheet, headers, widths, n))
        return false;
    return *x != NULL;
}

static bool sheet_rows(export_t *x, const call_t *c, const stats_table_t *t, bool totals)
{
    bool en = c->lang == LANG_EN;
    if (totals) {
        for (int i = 0; i < t->ncolumns && t->nrows > 0; i++) {
            const char *cells[2] = {en ? t->columns[i].en : t->columns[i].zh, t->cells[i]};
            const bool numeric[2] = {false, t->columns[i].kind != STATS_TEXT};
            if (!export_row(x, cells, numeric))
                return false;
        }
        return true;
    }
    bool numeric[STATS_MAX_COLUMNS];
    for (int i = 0; i < t->ncolumns && i < STATS_MAX_COLUMNS; i++)
        numeric[i] = t->columns[i].kind != STATS_TEXT;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *cells[STATS_MAX_COLUMNS];
        for (int i = 0; i < t->ncolumns && i < STATS_MAX_COLUMNS; i++) {
            cells[i] = t->cells[r * (size_t)t->ncolumns + i];
            const term_t *term = t->columns[i].terms != NULL ? term_find(t->columns[i].terms, cells[i]) : NULL;
            if (term != NULL)
                cells[i] = en ? term->en : term->zh;
        }
        if (!export_row(x, cells, numeric))
            return false;
    }
    return true;
}

void stats_answer(call_t *c, const char *name, const stats_filter_t *f, const stats_table_t *tables, int ntables)
{
    const char *format = call_query(c, "format"), *table = call_query(c, "table"), *lang = call_query(c, "lang");
    if (call_answered(c))
        return;
    if (format == NULL || *format == '\0') {
        answer_json(c, f, tables, ntables);
        return;
    }
    export_format_t fmt = export_format_parse(format);
    if (fmt == EXPORT_NONE) {
        call_error(c, "invalid_format", "format", format);
        return;
    }
    if (lang != NULL && (strcmp(lang, "en") == 0 || strcmp(lang, "zh") == 0 || strcmp(lang, "zh-CN") == 0))
        c->lang = lang[0] == 'e' ? LANG_EN : LANG_ZH;
    int only = -1;          /* CSV: the one table asked for */
    if (fmt == EXPORT_CSV) {
        for (int i = 0; table != NULL && i < ntables; i++)
            if (strcmp(tables[i].key, table) == 0)
                only = i;
        if (only < 0) {
            call_error(c, "invalid_query", "table", "table");
            return;
        }
    }
    export_t *x = NULL;
    bool ok = true;
    for (int i = 0; i < ntables && ok; i++) {
        if (only >= 0 && i != only)
            continue;
        ok = sheet_begin(&x, c, fmt, &tables[i], i == 0) && sheet_rows(x, c, &tables[i], i == 0);
    }
    buf_reset(&c->out);
    if (x != NULL)
        ok = export_finish(x, &c->out) && ok;
    else
        ok = false;
    if (!ok) {
        log_error("statistics %s: the %s export could not be written", name, export_extension(fmt));
        call_error(c, "internal_error", NULL);
        return;
    }
    const char *file = only >= 0 ? arena_printf(&c->arena, "statistics-%s-%s-%s-%s.csv", name, tables[only].key,
                                                f->from_month, f->to_month)
                                 : arena_printf(&c->arena, "statistics-%s-%s-%s.%s", name, f->from_month, f->to_month,
                                                export_extension(fmt));
    call_download(c, export_content_type(fmt), true, file);
}

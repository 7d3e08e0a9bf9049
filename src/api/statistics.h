/* Regulators' statistics (docs/statistics.md): the filter every dashboard takes, and the one way
 * a dashboard answers. A dashboard (statistics_learning.c, statistics_certification.c, …) reads
 * its numbers into tables, then stats_answer writes them as JSON for the page, as an XLSX
 * workbook (a sheet per table) or as CSV (one table):
 *
 *   stats_filter_t f;
 *   if (!stats_filter_parse(c, &f)) return;               // answered 400
 *   stats_table_t t[3];
 *   stats_table_init(&t[0], "totals", "总计", "Totals", total_columns, 4);
 *   …  query_init(&q, "SELECT … FROM … JOIN enterprises e ON … WHERE TRUE");
 *      stats_query_filter(&q, c, &f, "e.region", "e.industry");
 *      … while (stmt_step(st) == STORE_ROW) stats_table_add_stmt(&c->arena, &t[1], st);
 *   stats_answer(c, "learning", &f, t, 3);
 *
 * Everything a table holds lives in the call's arena. */
#ifndef GUANBIAO_STATISTICS_H
#define GUANBIAO_STATISTICS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/vocabulary.h"
#include "http/call.h"
#include "store/query.h"

enum { STATS_MAX_MONTHS = 120, STATS_MAX_COLUMNS = 24 };

/* The filter of every dashboard, from the query string:
 *   region    a GB/T 2260 code or prefix, digits only (regions.h); default the caller's own
 *             region (a regulator) or the whole country. It narrows the caller's reach, never
 *             widens it: a region outside it gives empty numbers, as the lists do.
 *   industry  a GB/T 4754 section letter ("C": every division in it) or division ("39");
 *             default all.
 *   from, to  months "YYYY-MM", both included; default the twelve months up to this one; at
 *             most STATS_MAX_MONTHS months; from after to is refused. */
typedef struct stats_filter {
    char region[7];           /* the effective prefix ("" the whole country, "44", "4403") */
    const char *industry;     /* as given (upper case for a section), or NULL: all */
    char from_month[8], to_month[8];   /* "YYYY-MM" */
    char from_day[11], to_day[11];     /* the first day of from_month, the last day of to_month */
    int64_t from, to;         /* [from, to): Unix seconds, UTC */
    int months;               /* months in the period, 1 … STATS_MAX_MONTHS */
    int group_len;            /* a by-region table groups SUBSTR(region, 1, group_len): one level
                                 below the filter's region (2 provinces, 4 prefectures, 6 counties) */
} stats_filter_t;

/* Reads and checks the filter; false after answering 400 invalid_query (field region,
 * industry, from or to) with the reason. */
bool stats_filter_parse(call_t *c, stats_filter_t *f);

/* " AND " the caller's reach (domain/scope.h) and the filter's region over region_col, and the
 * industry over industry_col (NULL: the rows have no industry, and an industry filter leaves
 * them out entirely, so that no number pretends to be filtered when it is not). */
void stats_query_filter(query_t *q, call_t *c, const stats_filter_t *f, const char *region_col,
                        const char *industry_col);

/* The months of the period in order, "YYYY-MM" (f->months of them, in the arena). */
const char **stats_months(arena_t *a, const stats_filter_t *f);

/* The month of the period (0 … f->months - 1) of a row whose Unix time (UTC) is the SQL column
 * col, as a CASE expression, in the arena: a by-month table groups by it and fills the months
 * without rows with zeros. The bounds are the filter's own numbers, not the request's text. */
const char *stats_month_index_sql(arena_t *a, const stats_filter_t *f, const char *col);

/* " AND col >= from AND col < to": the period over a column of Unix seconds (UTC). */
void stats_query_seconds(query_t *q, const stats_filter_t *f, const char *col);
/* " AND col BETWEEN first day AND last day": the period over a 'YYYY-MM-DD' column. */
void stats_query_days(query_t *q, const stats_filter_t *f, const char *col);

/* Runs q (freed) and, for each row, calls row(c, st, ctx), or with row NULL appends the row as
 * it is to the table ctx (stats_table_add_stmt). False after answering the database error
 * (what names the query in the log). */
bool stats_rows(call_t *c, query_t *q, void (*row)(call_t *c, stmt_t *st, void *ctx), void *ctx, const char *what);

/* "YYYY-MM" of Unix time t (UTC), into out. */
void stats_month_of(int64_t t, char out[8]);

/* The group key of a by-region table as SQL over region_col ("SUBSTR(e.region, 1, 2) || '0000'"),
 * in the arena: one level below the filter's region, padded to six digits. */
const char *stats_region_group_sql(arena_t *a, const stats_filter_t *f, const char *region_col);

/* The full name of a six-digit region code ("广东省 深圳市"), "" when unknown; in the arena. */
const char *stats_region_name(arena_t *a, const char *code);

/* The name of an industry code (section or division), "" when unknown. */
const char *stats_industry_name(const char *code);

typedef enum stats_kind { STATS_TEXT, STATS_INT, STATS_REAL } stats_kind_t;

typedef struct stats_column {
    const char *key;          /* the member in JSON */
    const char *zh, *en;      /* the header in a file */
    stats_kind_t kind;        /* JSON number for INT and REAL (a NULL cell is null) */
    double width;             /* characters in XLSX (0: 12) */
    const term_t *terms;      /* codes of a TEXT column written as their labels in a file (JSON
                                 keeps the code: the page has its own labels), or NULL */
} stats_column_t;

typedef struct stats_table {
    const char *key;          /* the member of the answer: "totals", "by_month" */
    const char *zh, *en;      /* the sheet's name (at most 31 bytes, none of []:*?/\) */
    const stats_column_t *columns;   /* static */
    int ncolumns;
    const char **cells;       /* nrows × ncolumns, row by row; NULL: no value */
    size_t nrows, cap;
} stats_table_t;

void stats_table_init(stats_table_t *t, const char *key, const char *zh, const char *en,
                      const stats_column_t *columns, int ncolumns);
/* Appends a row of t->ncolumns cells (copied into the arena; NULL stays NULL). */
void stats_table_add(arena_t *a, stats_table_t *t, const char *const *cells);
/* Appends the current row of st: cell i is result column i (SQL NULL: NULL). */
void stats_table_add_stmt(arena_t *a, stats_table_t *t, stmt_t *st);
/* Numbers as cells, in the arena: an integer; a real with at most four decimals (NaN: NULL). */
const char *stats_int(arena_t *a, int64_t v);
const char *stats_real(arena_t *a, double v);

/* Answers the dashboard `name` ("learning"): tables[0] must be "totals" (one row).
 *   JSON   {"filters":{"region","region_name","industry","industry_name","from","to"},
 *           "totals":{…one object…}, "<key>":[{…}, …] for every other table}
 *   ?format=xlsx            a sheet per table (totals as two columns: item, value), file
 *                           statistics-<name>-<from>-<to>.xlsx; headers in the caller's language
 *                           (?lang=zh|en as the lists' exports)
 *   ?format=csv&table=KEY   that table alone (400 invalid_query table when missing or unknown)
 * 400 invalid_format for another format. */
void stats_answer(call_t *c, const char *name, const stats_filter_t *f, const stats_table_t *tables, int ntables);

#endif

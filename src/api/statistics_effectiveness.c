/* GET /api/statistics/effectiveness: the regulators' dashboard of the effectiveness index
 * (docs/statistics.md "Effectiveness"), from the stored results (effectiveness_results, one
 * current result per enterprise, replaced by each run of the method). A result is in the period
 * when it was computed in it (computed_at: the run that made it); region and industry are the
 * enterprise's. The groups (totals, by
 * region, by industry, by body) are the same SQL as GET /api/effectiveness/distribution
 * (effectiveness_groups_begin/end in effectiveness_views.c); the histogram is one query. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/statistics.h"

enum { HISTOGRAM_BINS = 10 };    /* the index runs 0–100 (docs/effectiveness.md): bins of 10 */

static const stats_column_t total_columns[] = {
    {"evaluated", "评价企业数", "Enterprises evaluated", STATS_INT, 0},
    {"mean_index", "平均指数", "Mean index", STATS_REAL, 0},
    {"median_index", "指数中位数", "Median index", STATS_REAL, 0},
    {"form_only", "形式化贯标", "Form only", STATS_INT, 0},
    {"significant_improvement", "显著提升", "Significant improvement", STATS_INT, 0},
    {"improvement", "有所提升", "Improvement", STATS_INT, 0},
    {"no_change", "无明显变化", "No change", STATS_INT, 0},
    {"decline", "下降", "Decline", STATS_INT, 0},
};
static const stats_column_t histogram_columns[] = {
    {"from", "指数自", "Index from", STATS_INT, 0},
    {"to", "指数至", "Index to", STATS_INT, 0},
    {"count", "企业数", "Enterprises", STATS_INT, 0},
};
static const stats_column_t group_columns[] = {
    {"group", "分组", "Group", STATS_TEXT, 10},
    {"name", "名称", "Name", STATS_TEXT, 30},
    {"evaluated", "评价企业数", "Enterprises evaluated", STATS_INT, 0},
    {"mean_index", "平均指数", "Mean index", STATS_REAL, 0},
    {"median_index", "指数中位数", "Median index", STATS_REAL, 0},
    {"form_only", "形式化贯标", "Form only", STATS_INT, 0},
};

/* The results of the filter: the reach, region and industry of the enterprise, and computed in
 * the period (bounds of the parsed filter, written as numbers). */
static void results_filter(query_t *q, call_t *c, const stats_filter_t *f)
{
    stats_query_filter(q, c, f, "e.region", "e.industry");
    stats_query_seconds(q, f, "r.computed_at");
}

typedef enum group_kind { GROUP_TOTAL, GROUP_REGION, GROUP_INDUSTRY, GROUP_BODY } group_kind_t;

/* Runs the grouped query of kind into t (the totals: one row, zeros and nulls when none). False
 * after answering the database error. */
static bool groups_read(call_t *c, const stats_filter_t *f, group_kind_t kind, stats_table_t *t)
{
    const char *key = kind == GROUP_TOTAL      ? "''"
                      : kind == GROUP_REGION   ? stats_region_group_sql(&c->arena, f, "e.region")
                      : kind == GROUP_INDUSTRY ? "e.industry"
                                               : "CAST(COALESCE(r.body_id, 0) AS TEXT)";
    bool body = kind == GROUP_BODY;
    query_t q;
    effectiveness_groups_begin(&q, key, body ? "COALESCE(b.name, '')" : "''",
                               body ? " LEFT JOIN bodies b ON b.id = r.body_id" : "");
    results_filter(&q, c, f);
    effectiveness_groups_end(&q);
    stmt_t *st = query_run(c->db, &q);
    int rc = st != NULL ? STORE_ROW : -1;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        /* grp, label, n, mean, median, v1 … v4, form_only */
        const char *grp = stmt_text(st, 0);
        if (kind == GROUP_TOTAL) {
            const char *cells[8] = {stats_int(&c->arena, stmt_int(st, 2)), stats_real(&c->arena, stmt_double(st, 3)),
                                    stats_real(&c->arena, stmt_double(st, 4)), stats_int(&c->arena, stmt_int(st, 9)),
                                    stats_int(&c->arena, stmt_int(st, 5)), stats_int(&c->arena, stmt_int(st, 6)),
                                    stats_int(&c->arena, stmt_int(st, 7)), stats_int(&c->arena, stmt_int(st, 8))};
            stats_table_add(&c->arena, t, cells);
            continue;
        }
        const char *name = kind == GROUP_REGION     ? stats_region_name(&c->arena, grp)
                           : kind == GROUP_INDUSTRY ? stats_industry_name(grp)
                                                    : stmt_text(st, 1);
        const char *cells[6] = {grp, name, stats_int(&c->arena, stmt_int(st, 2)),
                                stats_real(&c->arena, stmt_double(st, 3)), stats_real(&c->arena, stmt_double(st, 4)),
                                stats_int(&c->arena, stmt_int(st, 9))};
        stats_table_add(&c->arena, t, cells);
    }
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_DONE) {
        call_db_error(c, "effectiveness statistics");
        return false;
    }
    if (kind == GROUP_TOTAL && t->nrows == 0) {
        const char *zero = "0";
        const char *cells[8] = {zero, NULL, NULL, zero, zero, zero, zero, zero};
        stats_table_add(&c->arena, t, cells);
    }
    return true;
}

/* The histogram: one row of HISTOGRAM_BINS counts (the last bin includes 100). */
static bool histogram_read(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    query_t q;
    query_init(&q, "SELECT ");
    for (int i = 0; i < HISTOGRAM_BINS; i++) {
        char part[160];
        int lo = i * 100 / HISTOGRAM_BINS, hi = (i + 1) * 100 / HISTOGRAM_BINS;
        snprintf(part, sizeof part, "%sCOALESCE(SUM(CASE WHEN r.index_value >= %d AND r.index_value %s %d THEN 1 ELSE 0 END), 0)",
                 i > 0 ? ", " : "", lo, i == HISTOGRAM_BINS - 1 ? "<=" : "<", hi);
        query_sql(&q, part);
    }
    query_sql(&q, " FROM effectiveness_results r JOIN enterprises e ON e.id = r.enterprise_id WHERE "
                  "r.index_value IS NOT NULL");
    results_filter(&q, c, f);
    stmt_t *st = query_run(c->db, &q);
    int rc = st != NULL ? stmt_step(st) : -1;
    if (rc == STORE_ROW) {
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            const char *cells[3] = {stats_int(&c->arena, i * 100 / HISTOGRAM_BINS),
                                    stats_int(&c->arena, (i + 1) * 100 / HISTOGRAM_BINS),
                                    stats_int(&c->arena, stmt_int(st, i))};
            stats_table_add(&c->arena, t, cells);
        }
    }
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_ROW) {
        call_db_error(c, "effectiveness histogram");
        return false;
    }
    return true;
}

void api_statistics_effectiveness(call_t *c)
{
    stats_filter_t f;
    if (!stats_filter_parse(c, &f))
        return;
    stats_table_t t[5];
    stats_table_init(&t[0], "totals", "总计", "Totals", total_columns, 8);
    stats_table_init(&t[1], "histogram", "指数分布", "Histogram", histogram_columns, 3);
    stats_table_init(&t[2], "by_region", "按地区", "By region", group_columns, 6);
    stats_table_init(&t[3], "by_industry", "按行业", "By industry", group_columns, 6);
    stats_table_init(&t[4], "by_body", "按认证机构", "By body", group_columns, 6);
    if (!groups_read(c, &f, GROUP_TOTAL, &t[0]) || !histogram_read(c, &f, &t[1]) ||
        !groups_read(c, &f, GROUP_REGION, &t[2]) || !groups_read(c, &f, GROUP_INDUSTRY, &t[3]) ||
        !groups_read(c, &f, GROUP_BODY, &t[4]))
        return;
    stats_answer(c, "effectiveness", &f, t, 5);
}

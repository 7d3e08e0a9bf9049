/* GET /api/statistics/certification: the regulators' dashboard of certification
 * (docs/statistics.md "Certification"): certificates issued and held, engagements requested and
 * certified with their lead time and the bodies' commitments, nonconformities by grade and by
 * clause. Region and industry are the enterprise's (the certificate's holder, the engagement's and
 * the nonconformity's enterprise). Which date puts a row in the period:
 *   certificates   issued (YYYY-MM-DD); valid, suspended, withdrawn count the status today
 *   engagements    application_date (requested), decision_date (certified, decided)
 *   nonconformities created_at (recorded)
 * The period's bounds come from the parsed filter (digits and dashes only) and are written into
 * the SQL as literals, which keeps the binds (QUERY_MAX_BINDS) for the reach and region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/statistics.h"
#include "core/dates.h"
#include "core/text.h"
#include "store/clauses.h"

enum { CLAUSES_SHOWN = 50 };

static const stats_column_t total_columns[] = {
    {"certificates_issued", "颁发证书", "Certificates issued", STATS_INT, 0},
    {"certificates_valid", "有效证书", "Certificates valid", STATS_INT, 0},
    {"certificates_suspended", "暂停证书", "Certificates suspended", STATS_INT, 0},
    {"certificates_withdrawn", "撤销证书", "Certificates withdrawn", STATS_INT, 0},
    {"engagements_requested", "认证申请", "Engagements requested", STATS_INT, 0},
    {"engagements_certified", "认证通过", "Engagements certified", STATS_INT, 0},
    {"median_days_to_certify", "认证用时中位数（天）", "Median days to certify", STATS_REAL, 0},
    {"within_commitment_rate", "按承诺时限完成率", "Within commitment rate", STATS_REAL, 0},
    {"nonconformities", "不符合项", "Nonconformities", STATS_INT, 0},
    {"nonconformities_major", "严重不符合项", "Major nonconformities", STATS_INT, 0},
    {"nonconformities_minor", "一般不符合项", "Minor nonconformities", STATS_INT, 0},
};
static const stats_column_t month_columns[] = {
    {"month", "月份", "Month", STATS_TEXT, 10},
    {"issued", "颁发证书", "Issued", STATS_INT, 0},
    {"requested", "认证申请", "Requested", STATS_INT, 0},
    {"certified", "认证通过", "Certified", STATS_INT, 0},
};
static const stats_column_t region_columns[] = {
    {"region", "地区代码", "Region", STATS_TEXT, 10},
    {"region_name", "地区", "Region name", STATS_TEXT, 24},
    {"issued", "颁发证书", "Issued", STATS_INT, 0},
    {"valid", "有效证书", "Valid", STATS_INT, 0},
    {"engagements", "认证申请", "Engagements", STATS_INT, 0},
};
static const stats_column_t body_columns[] = {
    {"body_id", "机构编号", "Body id", STATS_INT, 0},
    {"body_name", "认证机构", "Body", STATS_TEXT, 30},
    {"issued", "颁发证书", "Issued", STATS_INT, 0},
    {"engagements", "认证申请", "Engagements", STATS_INT, 0},
    {"median_days_to_certify", "认证用时中位数（天）", "Median days to certify", STATS_REAL, 0},
    {"within_commitment_rate", "按承诺时限完成率", "Within commitment rate", STATS_REAL, 0},
    {"nonconformities_major", "严重不符合项", "Major nonconformities", STATS_INT, 0},
    {"nonconformities_minor", "一般不符合项", "Minor nonconformities", STATS_INT, 0},
};
static const stats_column_t clause_columns[] = {
    {"edition", "版本", "Edition", STATS_TEXT, 8},
    {"clause", "条款", "Clause", STATS_TEXT, 8},
    {"title", "条款名称", "Title", STATS_TEXT, 30},
    {"major", "严重", "Major", STATS_INT, 0},
    {"minor", "一般", "Minor", STATS_INT, 0},
};

/* The same test as a SQL expression (for CASE WHEN). */
static const char *day_in_period_sql(call_t *c, const stats_filter_t *f, const char *col)
{
    return arena_printf(&c->arena, "(%s BETWEEN '%s' AND '%s')", col, f->from_day, f->to_day);
}

/* The engagements any number counts: applied for or decided in the period (the others only cost
 * the join). */
static const char *engagements_in_period_sql(call_t *c, const stats_filter_t *f)
{
    return arena_printf(&c->arena, "(%s OR %s)", day_in_period_sql(c, f, "g.application_date"),
                        day_in_period_sql(c, f, "g.decision_date"));
}

/* "medians AS (…)": the median lead_days (application → decision) of the engagements certified in
 * the period, per group key (SQL over g and e; NULL-free): rows grp, median. */
static void medians_cte(query_t *q, call_t *c, const stats_filter_t *f, const char *key)
{
    query_sql(q, "ranked AS (SELECT ");
    query_sql(q, key);
    query_sql(q, " AS grp, g.lead_days AS v, ROW_NUMBER() OVER (PARTITION BY ");
    query_sql(q, key);
    query_sql(q, " ORDER BY g.lead_days) AS rn, COUNT(*) OVER (PARTITION BY ");
    query_sql(q, key);
    query_sql(q, ") AS n FROM engagements g JOIN enterprises e ON e.id = g.enterprise_id WHERE g.status = 'decided' "
                 "AND g.decision = 'certified' AND g.lead_days IS NOT NULL");
    stats_query_days(q, f, "g.decision_date");
    stats_query_filter(q, c, f, "e.region", "e.industry");
    query_sql(q, "), medians AS (SELECT grp, AVG(CAST(v AS DOUBLE PRECISION)) AS median FROM ranked "
                 "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp)");
}

/* Row after row of one-row queries fill the totals' cells, in column order. */
typedef struct totals_fill {
    const char *cells[11];
    int next;
} totals_fill_t;

static void totals_row(call_t *c, stmt_t *st, void *ctx)
{
    totals_fill_t *t = ctx;
    for (int i = 0; i < stmt_columns(st) && t->next < 11; i++, t->next++) {
        int col = t->next;
        if (stmt_is_null(st, i))
            t->cells[col] = total_columns[col].kind == STATS_INT ? "0" : NULL;
        else
            t->cells[col] = total_columns[col].kind == STATS_REAL ? stats_real(&c->arena, stmt_double(st, i))
                                                                  : stats_int(&c->arena, stmt_int(st, i));
    }
}

/* The totals: the certificates' four from the by-region sums (every certificate in the filter is
 * in exactly one region group: one scan fewer), then the engagements and the nonconformities. */
static bool totals_read(call_t *c, const stats_filter_t *f, const int64_t certificates[4], stats_table_t *t)
{
    totals_fill_t fill = {.next = 4};
    for (int i = 0; i < 4; i++)
        fill.cells[i] = stats_int(&c->arena, certificates[i]);
    query_t q;
    query_init(&q, "WITH ");
    medians_cte(&q, c, f, "g.decision");
    query_sql(&q, " SELECT SUM(CASE WHEN ");
    query_sql(&q, day_in_period_sql(c, f, "g.application_date"));
    query_sql(&q, " THEN 1 ELSE 0 END), SUM(CASE WHEN g.status = 'decided' AND g.decision = 'certified' AND ");
    query_sql(&q, day_in_period_sql(c, f, "g.decision_date"));
    query_sql(&q, " THEN 1 ELSE 0 END), (SELECT MAX(median) FROM medians), AVG(CASE WHEN g.status = 'decided' AND "
                  "g.within_commitment IS NOT NULL AND ");
    query_sql(&q, day_in_period_sql(c, f, "g.decision_date"));
    query_sql(&q, " THEN CAST(g.within_commitment AS DOUBLE PRECISION) END) FROM engagements g JOIN enterprises e ON "
                  "e.id = g.enterprise_id WHERE ");
    query_sql(&q, engagements_in_period_sql(c, f));
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    if (!stats_rows(c, &q, totals_row, &fill, "engagement statistics"))
        return false;

    query_init(&q, "SELECT COUNT(*), SUM(CASE WHEN n.grade = 'major' THEN 1 ELSE 0 END), SUM(CASE WHEN n.grade = "
                   "'minor' THEN 1 ELSE 0 END) FROM nonconformities n JOIN enterprises e ON e.id = n.enterprise_id "
                   "WHERE TRUE");
    stats_query_seconds(&q, f, "n.created_at");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    if (!stats_rows(c, &q, totals_row, &fill, "nonconformity statistics"))
        return false;
    for (int i = fill.next; i < 11; i++)
        fill.cells[i] = total_columns[i].kind == STATS_INT ? "0" : NULL;
    stats_table_add(&c->arena, t, fill.cells);
    return true;
}

/* by_month: every month of the period; the query gives the months that have something. */
typedef struct month_fill {
    const char **months;
    int n;
    int64_t (*counts)[3];
} month_fill_t;

static void month_row(call_t *c, stmt_t *st, void *ctx)
{
    (void)c;
    month_fill_t *m = ctx;
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->months[i], stmt_text(st, 0)) == 0)
            for (int k = 0; k < 3; k++)
                m->counts[i][k] = stmt_int(st, 1 + k);
}

static bool months_read(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    int64_t (*counts)[3] = arena_alloc(&c->arena, sizeof *counts * (size_t)f->months);
    memset(counts, 0, sizeof *counts * (size_t)f->months);
    month_fill_t fill = {.months = stats_months(&c->arena, f), .n = f->months, .counts = counts};
    query_t q;
    query_init(&q, "SELECT m, SUM(a), SUM(b), SUM(d) FROM (SELECT SUBSTR(c.issued, 1, 7) AS m, 1 AS a, 0 AS b, 0 AS d "
                   "FROM certificates c JOIN enterprises e ON e.id = c.enterprise_id WHERE TRUE");
    stats_query_days(&q, f, "c.issued");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " UNION ALL SELECT SUBSTR(g.application_date, 1, 7), 0, 1, 0 FROM engagements g JOIN enterprises e "
                  "ON e.id = g.enterprise_id WHERE TRUE");
    stats_query_days(&q, f, "g.application_date");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " UNION ALL SELECT SUBSTR(g.decision_date, 1, 7), 0, 0, 1 FROM engagements g JOIN enterprises e "
                  "ON e.id = g.enterprise_id WHERE g.status = 'decided' AND g.decision = 'certified'");
    stats_query_days(&q, f, "g.decision_date");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, ") t GROUP BY m");
    if (!stats_rows(c, &q, month_row, &fill, "certification by month"))
        return false;
    for (int i = 0; i < f->months; i++) {
        const char *cells[4] = {fill.months[i], stats_int(&c->arena, counts[i][0]), stats_int(&c->arena, counts[i][1]),
                                stats_int(&c->arena, counts[i][2])};
        stats_table_add(&c->arena, t, cells);
    }
    return true;
}

typedef struct region_fill {
    stats_table_t *t;
    int64_t certificates[4];    /* issued in the period, valid, suspended, withdrawn */
} region_fill_t;

static void region_row(call_t *c, stmt_t *st, void *ctx)
{
    region_fill_t *x = ctx;
    for (int i = 0; i < 4; i++)
        x->certificates[i] += stmt_int(st, 1 + i);
    if (stmt_int(st, 1) + stmt_int(st, 2) + stmt_int(st, 5) == 0)
        return;   /* nothing the table shows (only suspended or withdrawn certificates) */
    const char *cells[5] = {stmt_text(st, 0), stats_region_name(&c->arena, stmt_text(st, 0)), stmt_text(st, 1),
                            stmt_text(st, 2), stmt_text(st, 5)};
    stats_table_add(&c->arena, x->t, cells);
}

/* by_region (one level below the filter): issued in the period, valid today, engagements
 * requested in the period; and x->certificates, the totals' four certificate counts. */
static bool regions_read(call_t *c, const stats_filter_t *f, region_fill_t *x)
{
    char today[11];
    date_from_unix(now_seconds(), today);
    const char *grp = stats_region_group_sql(&c->arena, f, "e.region");
    query_t q;
    query_init(&q, "SELECT grp, SUM(a), SUM(b), SUM(s), SUM(w), SUM(d) FROM (SELECT ");
    query_sql(&q, grp);
    query_sql(&q, " AS grp, CASE WHEN ");
    query_sql(&q, day_in_period_sql(c, f, "c.issued"));
    query_sql(&q, " THEN 1 ELSE 0 END AS a, CASE WHEN c.status = 'valid' AND c.expires >= '");
    query_sql(&q, today);
    query_sql(&q, "' THEN 1 ELSE 0 END AS b, CASE WHEN c.status = 'suspended' THEN 1 ELSE 0 END AS s, CASE WHEN "
                  "c.status = 'withdrawn' THEN 1 ELSE 0 END AS w, 0 AS d FROM certificates c JOIN enterprises e ON "
                  "e.id = c.enterprise_id WHERE TRUE");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " UNION ALL SELECT ");
    query_sql(&q, grp);
    query_sql(&q, ", 0, 0, 0, 0, 1 FROM engagements g JOIN enterprises e ON e.id = g.enterprise_id WHERE TRUE");
    stats_query_days(&q, f, "g.application_date");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, ") t GROUP BY grp ORDER BY grp");
    return stats_rows(c, &q, region_row, x, "certification by region");
}

static bool bodies_read(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    query_t q;
    query_init(&q, "WITH ");
    medians_cte(&q, c, f, "g.body_id");
    /* "+c.body_id", "+g.body_id": grouped in a temporary B-tree after the period's filter, not by
     * walking the (body_id, status) index over every row to save that sort (SQLite; ten times
     * slower at scale 20) */
    query_sql(&q, ", issued AS (SELECT +c.body_id AS grp, COUNT(*) AS n FROM certificates c JOIN enterprises e ON "
                  "e.id = c.enterprise_id WHERE TRUE");
    stats_query_days(&q, f, "c.issued");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " GROUP BY +c.body_id), eng AS (SELECT +g.body_id AS grp, SUM(CASE WHEN ");
    query_sql(&q, day_in_period_sql(c, f, "g.application_date"));
    query_sql(&q, " THEN 1 ELSE 0 END) AS n, AVG(CASE WHEN g.status = 'decided' AND g.within_commitment IS NOT NULL "
                  "AND ");
    query_sql(&q, day_in_period_sql(c, f, "g.decision_date"));
    query_sql(&q, " THEN CAST(g.within_commitment AS DOUBLE PRECISION) END) AS rate FROM engagements g JOIN "
                  "enterprises e ON e.id = g.enterprise_id WHERE ");
    query_sql(&q, engagements_in_period_sql(c, f));
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " GROUP BY +g.body_id), ncs AS (SELECT a.body_id AS grp, SUM(CASE WHEN n.grade = 'major' THEN 1 ELSE "
                  "0 END) AS major, SUM(CASE WHEN n.grade = 'minor' THEN 1 ELSE 0 END) AS minor FROM nonconformities n "
                  "JOIN audits a ON a.id = n.raised_by_audit_id JOIN enterprises e ON e.id = n.enterprise_id WHERE "
                  "a.body_id IS NOT NULL");
    stats_query_seconds(&q, f, "n.created_at");
    stats_query_filter(&q, c, f, "e.region", "e.industry");
    query_sql(&q, " GROUP BY a.body_id) SELECT b.id, b.name, COALESCE(i.n, 0), COALESCE(g.n, 0), m.median, g.rate, "
                  "COALESCE(x.major, 0), COALESCE(x.minor, 0) FROM bodies b LEFT JOIN issued i ON i.grp = b.id "
                  "LEFT JOIN eng g ON g.grp = b.id LEFT JOIN medians m ON m.grp = b.id LEFT JOIN ncs x ON x.grp = b.id "
                  "WHERE COALESCE(i.n, 0) + COALESCE(g.n, 0) + COALESCE(x.major, 0) + COALESCE(x.minor, 0) > 0 "
                  "OR g.rate IS NOT NULL ORDER BY COALESCE(i.n, 0) DESC, b.id");
    return stats_rows(c, &q, NULL, t, "certification by body");
}

/* nonconformities_by_clause: the by-clause count of each edition (nc_by_clause_begin, the SQL of
 * GET /api/nonconformities/by-clause), merged most first, at most CLAUSES_SHOWN rows. */
typedef struct clause_fill {
    const char *edition;
    stats_table_t *t;
} clause_fill_t;

static void clause_row(call_t *c, stmt_t *st, void *ctx)
{
    clause_fill_t *x = ctx;
    const char *title = c->lang == LANG_EN && *stmt_text(st, 2) != '\0' ? stmt_text(st, 2) : stmt_text(st, 1);
    const char *cells[5] = {x->edition, stmt_text(st, 0), title, stmt_text(st, 3), stmt_text(st, 4)};
    stats_table_add(&c->arena, x->t, cells);
}

static int clause_total(const stats_table_t *t, size_t r)
{
    return atoi(t->cells[r * 5 + 3]) + atoi(t->cells[r * 5 + 4]);
}

static bool clauses_read(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    static const char *const editions[] = {"2023", "2013"};
    for (int i = 0; i < 2; i++) {
        int64_t current = 0, version = 0;
        if (clause_catalogue_current(c->db, editions[i], &current, &version) < 0) {
            call_db_error(c, "clause catalogue");
            return false;
        }
        query_t q;
        nc_by_clause_begin(&q, editions[i], current);
        stats_query_seconds(&q, f, "n.created_at");
        stats_query_filter(&q, c, f, "e.region", "e.industry");
        nc_by_clause_end(&q);
        query_sql(&q, " LIMIT 50");
        clause_fill_t fill = {editions[i], t};
        if (!stats_rows(c, &q, clause_row, &fill, "nonconformities by clause"))
            return false;
    }
    /* merge: most first (a stable insertion sort keeps each edition's order, 2023 first on ties) */
    const char **cells = t->cells;
    for (size_t r = 1; r < t->nrows; r++) {
        const char *row[5];
        memcpy(row, cells + r * 5, sizeof row);
        int total = atoi(row[3]) + atoi(row[4]);
        size_t k = r;
        while (k > 0 && clause_total(t, k - 1) < total) {
            memcpy(cells + k * 5, cells + (k - 1) * 5, sizeof row);
            k--;
        }
        memcpy(cells + k * 5, row, sizeof row);
    }
    if (t->nrows > CLAUSES_SHOWN)
        t->nrows = CLAUSES_SHOWN;
    return true;
}

void api_statistics_certification(call_t *c)
{
    stats_filter_t f;
    if (!stats_filter_parse(c, &f))
        return;
    stats_table_t t[5];
    stats_table_init(&t[0], "totals", "总计", "Totals", total_columns, 11);
    stats_table_init(&t[1], "by_month", "按月", "By month", month_columns, 4);
    stats_table_init(&t[2], "by_region", "按地区", "By region", region_columns, 5);
    stats_table_init(&t[3], "by_body", "按认证机构", "By body", body_columns, 8);
    stats_table_init(&t[4], "nonconformities_by_clause", "不符合项按条款", "Nonconformities by clause", clause_columns, 5);
    region_fill_t regions = {.t = &t[2]};
    if (!regions_read(c, &f, &regions) || !totals_read(c, &f, regions.certificates, &t[0]) ||
        !months_read(c, &f, &t[1]) || !bodies_read(c, &f, &t[3]) || !clauses_read(c, &f, &t[4]))
        return;
    stats_answer(c, "certification", &f, t, 5);
}

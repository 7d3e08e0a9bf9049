/* The feedback dashboard, GET /api/statistics/feedback (docs/statistics.md "Feedback"):
 * enterprises' reviews of bodies and their complaints, in the filter's region and industry (the
 * enterprise's) and period (a review by the day it was written, a complaint by the day it was
 * made). Hidden reviews (moderated out) are not counted. Six aggregate queries, answered by
 * stats_answer. */
#include <string.h>

#include "api/api.h"
#include "api/statistics.h"

static const stats_column_t total_columns[] = {
    {"reviews", "评价数", "Reviews", STATS_INT, 0},
    {"mean_rating", "平均评分（1–5）", "Mean rating (1–5)", STATS_REAL, 0},
    {"professionalism", "专业能力（均值）", "Professionalism (mean)", STATS_REAL, 0},
    {"effectiveness", "贯标效果（均值）", "Effectiveness (mean)", STATS_REAL, 0},
    {"timeliness", "及时性（均值）", "Timeliness (mean)", STATS_REAL, 0},
    {"commitment", "履行承诺（均值）", "Commitment kept (mean)", STATS_REAL, 0},
    {"replied_rate", "机构回复率", "Share replied to", STATS_REAL, 0},
    {"complaints", "投诉数", "Complaints", STATS_INT, 0},
    {"complaints_open", "未办结投诉", "Complaints open", STATS_INT, 0},
    {"median_days_to_close", "投诉办结天数（中位数）", "Days to close a complaint (median)", STATS_REAL, 0},
};
static const stats_column_t month_columns[] = {
    {"month", "月份", "Month", STATS_TEXT, 10},
    {"reviews", "评价数", "Reviews", STATS_INT, 0},
    {"mean_rating", "平均评分", "Mean rating", STATS_REAL, 0},
    {"complaints", "投诉数", "Complaints", STATS_INT, 0},
};
static const stats_column_t body_columns[] = {
    {"body_id", "机构编号", "Body id", STATS_INT, 10},
    {"body_name", "认证机构", "Certification body", STATS_TEXT, 36},
    {"reviews", "评价数", "Reviews", STATS_INT, 0},
    {"mean_rating", "平均评分", "Mean rating", STATS_REAL, 0},
    {"complaints", "投诉数", "Complaints", STATS_INT, 0},
};
static const stats_column_t rating_columns[] = {
    {"stars", "评分（四舍五入）", "Rating (rounded)", STATS_INT, 0},
    {"count", "评价数", "Reviews", STATS_INT, 0},
};
/* as the complaints' pages name them (web/src/locales: complaints.statuses) */
static const term_t complaint_statuses[] = {
    {"received", "已受理", "Received"},
    {"under_review", "调查中", "Under review"},
    {"upheld", "投诉成立", "Upheld"},
    {"dismissed", "投诉不成立", "Dismissed"},
    {NULL, NULL, NULL},
};
static const stats_column_t status_columns[] = {
    {"status", "状态", "Status", STATS_TEXT, 14, complaint_statuses},
    {"count", "投诉数", "Complaints", STATS_INT, 0},
};

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* "r AS (…)": the reviews counted, each with its mean of the four ratings. */
static void reviews_cte(query_t *q, call_t *c, const stats_filter_t *f)
{
    query_sql(q, "r AS (SELECT f.created_at AS at, f.body_id AS body_id, "
                 "(f.professionalism + f.effectiveness + f.timeliness + f.commitment) / 4.0 AS rating, "
                 "f.professionalism AS p, f.effectiveness AS ef, f.timeliness AS t, f.commitment AS cm, "
                 "CASE WHEN f.reply IS NULL THEN 0 ELSE 1 END AS replied "
                 "FROM feedback f JOIN enterprises e ON e.id = f.enterprise_id WHERE f.hidden = 0");
    stats_query_seconds(q, f, "f.created_at");
    stats_query_filter(q, c, f, "e.region", "e.industry");
    query_sql(q, ")");
}

/* "k AS (…)": the complaints counted, each with the time it was closed (upheld or dismissed). */
static void complaints_cte(query_t *q, call_t *c, const stats_filter_t *f)
{
    query_sql(q, "k AS (SELECT k0.body_id AS body_id, k0.status AS status, k0.created_at AS at, "
                 "(SELECT MIN(ev.at) FROM complaint_events ev WHERE ev.complaint_id = k0.id "
                 "AND ev.to_status IN ('upheld', 'dismissed')) AS closed_at "
                 "FROM complaints k0 JOIN enterprises e ON e.id = k0.enterprise_id WHERE TRUE");
    stats_query_seconds(q, f, "k0.created_at");
    stats_query_filter(q, c, f, "e.region", "e.industry");
    query_sql(q, ")");
}

/* By month: the reviews' and the complaints' counts land in the month of their row. */
typedef struct month_fill {
    int64_t n;                      /* months in the period */
    int64_t *reviews, *complaints;
    const char **means;
} month_fill_t;

static void review_month(call_t *c, stmt_t *st, void *ctx)
{
    month_fill_t *m = ctx;
    int64_t i = stmt_int(st, 0);
    if (i < 0 || i >= m->n)
        return;
    m->reviews[i] = stmt_int(st, 1);
    m->means[i] = stats_real(&c->arena, stmt_double(st, 2));
}

static void complaint_month(call_t *c, stmt_t *st, void *ctx)
{
    (void)c;
    month_fill_t *m = ctx;
    int64_t i = stmt_int(st, 0);
    if (i >= 0 && i < m->n)
        m->complaints[i] = stmt_int(st, 1);
}

void api_statistics_feedback(call_t *c)
{
    stats_filter_t f;
    if (!stats_filter_parse(c, &f))
        return;
    stats_table_t t[5];
    stats_table_init(&t[0], "totals", "总计", "Totals", total_columns, COUNT_OF(total_columns));
    stats_table_init(&t[1], "by_month", "按月", "By month", month_columns, COUNT_OF(month_columns));
    stats_table_init(&t[2], "by_body", "按认证机构", "By body", body_columns, COUNT_OF(body_columns));
    stats_table_init(&t[3], "ratings", "评分分布", "Ratings", rating_columns, COUNT_OF(rating_columns));
    stats_table_init(&t[4], "complaints_by_status", "投诉状态", "Complaints by status", status_columns,
                     COUNT_OF(status_columns));

    query_t q;
    query_init(&q, "WITH ");
    reviews_cte(&q, c, &f);
    query_sql(&q, ", ");
    complaints_cte(&q, c, &f);
    /* the median: the mean of the middle one or two values */
    query_sql(&q, ", d AS (SELECT (closed_at - at) / 86400.0 AS days FROM k WHERE closed_at IS NOT NULL), "
                  "dr AS (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM d) "
                  "SELECT (SELECT COUNT(*) FROM r), (SELECT AVG(rating) FROM r), (SELECT AVG(p) FROM r), "
                  "(SELECT AVG(ef) FROM r), (SELECT AVG(t) FROM r), (SELECT AVG(cm) FROM r), "
                  "(SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE SUM(replied) * 1.0 / COUNT(*) END FROM r), "
                  "(SELECT COUNT(*) FROM k), (SELECT COUNT(*) FROM k WHERE status IN ('received', 'under_review')), "
                  "(SELECT AVG(days) FROM dr WHERE rn IN ((n + 1) / 2, (n + 2) / 2))");
    if (!stats_rows(c, &q, NULL, &t[0], "feedback statistics"))
        return;

    arena_t *a = &c->arena;
    size_t n = (size_t)f.months;
    const char **months = stats_months(a, &f);
    month_fill_t m = {.n = (int64_t)n, .reviews = arena_alloc(a, sizeof(int64_t) * n),
                      .complaints = arena_alloc(a, sizeof(int64_t) * n), .means = arena_alloc(a, sizeof(char *) * n)};
    memset(m.reviews, 0, sizeof(int64_t) * n);
    memset(m.complaints, 0, sizeof(int64_t) * n);
    memset(m.means, 0, sizeof(char *) * n);
    query_init(&q, "WITH ");
    reviews_cte(&q, c, &f);
    query_sql(&q, arena_printf(a, " SELECT %s AS m, COUNT(*), AVG(rating) FROM r GROUP BY 1",
                               stats_month_index_sql(a, &f, "r.at")));
    if (!stats_rows(c, &q, review_month, &m, "feedback by month"))
        return;
    query_init(&q, "WITH ");
    complaints_cte(&q, c, &f);
    query_sql(&q, arena_printf(a, " SELECT %s AS m, COUNT(*) FROM k GROUP BY 1", stats_month_index_sql(a, &f, "k.at")));
    if (!stats_rows(c, &q, complaint_month, &m, "complaints by month"))
        return;
    for (size_t i = 0; i < n; i++) {
        const char *cells[] = {months[i], stats_int(a, m.reviews[i]), m.means[i], stats_int(a, m.complaints[i])};
        stats_table_add(a, &t[1], cells);
    }

    query_init(&q, "WITH ");
    reviews_cte(&q, c, &f);
    query_sql(&q, ", ");
    complaints_cte(&q, c, &f);
    query_sql(&q, ", g AS (SELECT body_id FROM r UNION SELECT body_id FROM k) "
                  "SELECT g.body_id, b.name, COALESCE(rs.n, 0), rs.mean, COALESCE(ks.n, 0) FROM g "
                  "JOIN bodies b ON b.id = g.body_id "
                  "LEFT JOIN (SELECT body_id, COUNT(*) AS n, AVG(rating) AS mean FROM r GROUP BY body_id) rs "
                  "ON rs.body_id = g.body_id "
                  "LEFT JOIN (SELECT body_id, COUNT(*) AS n FROM k GROUP BY body_id) ks ON ks.body_id = g.body_id "
                  "ORDER BY 3 DESC, 5 DESC, g.body_id");
    if (!stats_rows(c, &q, NULL, &t[2], "feedback by body"))
        return;

    /* a review's stars: its mean rating rounded half up (CASE: CAST rounds on PostgreSQL and
     * truncates on SQLite) */
    query_init(&q, "WITH ");
    reviews_cte(&q, c, &f);
    query_sql(&q, ", s(stars) AS (VALUES (CAST(1 AS BIGINT)), (2), (3), (4), (5)), "
                  "rs AS (SELECT CASE WHEN rating >= 4.5 THEN 5 WHEN rating >= 3.5 THEN 4 WHEN rating >= 2.5 THEN 3 "
                  "WHEN rating >= 1.5 THEN 2 ELSE 1 END AS stars FROM r) "
                  "SELECT s.stars, (SELECT COUNT(*) FROM rs WHERE rs.stars = s.stars) FROM s ORDER BY s.stars");
    if (!stats_rows(c, &q, NULL, &t[3], "feedback ratings"))
        return;

    query_init(&q, "WITH ");
    complaints_cte(&q, c, &f);
    query_sql(&q, ", s(status, pos) AS (VALUES ('received', CAST(1 AS BIGINT)), ('under_review', 2), ('upheld', 3), "
                  "('dismissed', 4)) "
                  "SELECT s.status, (SELECT COUNT(*) FROM k WHERE k.status = s.status) FROM s ORDER BY s.pos");
    if (!stats_rows(c, &q, NULL, &t[4], "complaints by status"))
        return;

    stats_answer(c, "feedback", &f, t, COUNT_OF(t));
}

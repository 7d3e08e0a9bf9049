/* The learning dashboard, GET /api/statistics/learning (docs/statistics.md "Learning"): who
 * learned what, per month, region, course category and clause, and the searches that found
 * nothing. Lessons and quizzes are counted from learning_events of the period (by time, index
 * of sql/025) joined to the learner's course row (learning_progress: region and enterprise, so
 * every filter applies, the industry through the enterprise); clauses from quiz_clause_answers
 * (kept by the quiz submission); unmet needs from the anonymous search_log. Every number is a
 * SQL aggregate; the answer goes through stats_answer. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/statistics.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "store/clauses.h"

#define EVENT_SUMS                                                                                   \
    "COUNT(DISTINCT ev.user_id), "                                                                   \
    "COALESCE(SUM(CASE WHEN ev.kind = 'opened' THEN 1 ELSE 0 END), 0), "                             \
    "COALESCE(SUM(CASE WHEN ev.kind = 'completed' THEN 1 ELSE 0 END), 0), "                          \
    "COALESCE(SUM(CASE WHEN ev.kind = 'submitted' THEN 1 ELSE 0 END), 0), "                          \
    "COALESCE(SUM(CASE WHEN ev.kind = 'passed' THEN 1 ELSE 0 END), 0)"

#define EVENTS_FROM                                                                                  \
    " FROM learning_events ev JOIN learning_progress p ON p.user_id = ev.user_id AND p.course_id = " \
    "ev.course_id JOIN courses co ON co.id = ev.course_id LEFT JOIN enterprises en ON en.id = "      \
    "p.enterprise_id WHERE TRUE"

static const stats_column_t total_columns[] = {
    {"learners", "学习人数", "Learners", STATS_INT, 0},
    {"lessons_opened", "打开课时次数", "Lessons opened", STATS_INT, 0},
    {"lessons_completed", "完成课时次数", "Lessons completed", STATS_INT, 0},
    {"quiz_attempts", "提交测验次数", "Quiz attempts", STATS_INT, 0},
    {"quiz_passed", "通过测验次数", "Quizzes passed", STATS_INT, 0},
    {"pass_rate", "测验通过率", "Pass rate", STATS_REAL, 0},
    {"courses_completed", "完成课程数", "Courses completed", STATS_INT, 0},
};
static const stats_column_t month_columns[] = {
    {"month", "月份", "Month", STATS_TEXT, 10},
    {"learners", "学习人数", "Learners", STATS_INT, 0},
    {"opened", "打开课时", "Opened", STATS_INT, 0},
    {"completed", "完成课时", "Completed", STATS_INT, 0},
    {"submitted", "提交测验", "Submitted", STATS_INT, 0},
    {"passed", "通过测验", "Passed", STATS_INT, 0},
};
static const stats_column_t region_columns[] = {
    {"region", "地区代码", "Region code", STATS_TEXT, 10},
    {"region_name", "地区", "Region", STATS_TEXT, 24},
    {"learners", "学习人数", "Learners", STATS_INT, 0},
    {"completed", "完成课时", "Completed", STATS_INT, 0},
    {"submitted", "提交测验", "Submitted", STATS_INT, 0},
    {"passed", "通过测验", "Passed", STATS_INT, 0},
    {"pass_rate", "通过率", "Pass rate", STATS_REAL, 0},
};
static const stats_column_t category_columns[] = {
    {"category", "课程类别", "Category", STATS_TEXT, 12},
    {"opened", "打开课时", "Opened", STATS_INT, 0},
    {"completed", "完成课时", "Completed", STATS_INT, 0},
    {"submitted", "提交测验", "Submitted", STATS_INT, 0},
    {"passed", "通过测验", "Passed", STATS_INT, 0},
};
static const stats_column_t clause_columns[] = {
    {"clause", "条款", "Clause", STATS_TEXT, 8},
    {"title", "条款标题", "Title", STATS_TEXT, 30},
    {"answered", "作答题数", "Answered", STATS_INT, 0},
    {"correct", "答对题数", "Correct", STATS_INT, 0},
    {"correct_rate", "正确率", "Correct rate", STATS_REAL, 0},
};
static const stats_column_t need_columns[] = {
    {"query", "搜索词", "Query", STATS_TEXT, 30},
    {"searches", "搜索次数", "Searches", STATS_INT, 0},
    {"last_day", "最近一次", "Last searched", STATS_TEXT, 12},
};

static const char *const categories[] = {"clauses", "policy", "briefing", "auditor"};
enum { NCATEGORIES = 4 };

/* passed / submitted, or NULL (no value) when nothing was submitted. */
static const char *rate(arena_t *a, int64_t part, int64_t whole)
{
    return whole > 0 ? stats_real(a, (double)part / (double)whole) : NULL;
}

/* The events of the period within the filter: "SELECT <select> FROM … WHERE …". */
static void events_query(query_t *q, call_t *c, const stats_filter_t *f, const char *select)
{
    query_init(q, arena_printf(&c->arena, "SELECT %s" EVENTS_FROM, select));
    stats_query_seconds(q, f, "ev.at");
    stats_query_filter(q, c, f, "p.region", "en.industry");
}

static bool read_totals(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    query_t q;
    events_query(&q, c, f, EVENT_SUMS);
    stmt_t *st = query_run(c->db, &q);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t v[5] = {0};
    for (int i = 0; rc == STORE_ROW && i < 5; i++)
        v[i] = stmt_int(st, i);
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_ROW)
        return false;

    query_init(&q, "SELECT COUNT(*) FROM learning_progress p LEFT JOIN enterprises en ON en.id = p.enterprise_id "
                   "WHERE TRUE");
    stats_query_seconds(&q, f, "p.completed_at");
    stats_query_filter(&q, c, f, "p.region", "en.industry");
    st = query_run(c->db, &q);
    rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t completed = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_ROW)
        return false;

    arena_t *a = &c->arena;
    const char *cells[] = {stats_int(a, v[0]), stats_int(a, v[1]), stats_int(a, v[2]), stats_int(a, v[3]),
                           stats_int(a, v[4]), rate(a, v[4], v[3]), stats_int(a, completed)};
    stats_table_add(a, t, cells);
    return true;
}

static bool read_months(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    arena_t *a = &c->arena;
    const char *month = stats_month_index_sql(a, f, "ev.at");
    int64_t (*v)[5] = arena_alloc(a, sizeof *v * (size_t)f->months);
    query_t q;
    events_query(&q, c, f, arena_printf(a, "%s, " EVENT_SUMS, month));
    query_sql(&q, arena_printf(a, " GROUP BY %s", month));
    stmt_t *st = query_run(c->db, &q);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t i = stmt_int(st, 0);
        for (int k = 0; i >= 0 && i < f->months && k < 5; k++)
            v[i][k] = stmt_int(st, k + 1);
    }
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_DONE)
        return false;
    const char **months = stats_months(a, f);
    for (int i = 0; i < f->months; i++) {
        const char *cells[] = {months[i], stats_int(a, v[i][0]), stats_int(a, v[i][1]), stats_int(a, v[i][2]),
                               stats_int(a, v[i][3]), stats_int(a, v[i][4])};
        stats_table_add(a, t, cells);
    }
    return true;
}

static bool read_regions(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    arena_t *a = &c->arena;
    const char *group = stats_region_group_sql(a, f, "p.region");
    query_t q;
    events_query(&q, c, f, arena_printf(a, "%s, " EVENT_SUMS, group));
    query_sql(&q, arena_printf(a, " GROUP BY %s ORDER BY 1", group));
    stmt_t *st = query_run(c->db, &q);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        /* a learner without a region (no enterprise, e.g. a body's staff): "" and no name */
        const char *code = strlen(stmt_text(st, 0)) == 6 ? stmt_text(st, 0) : "";
        int64_t submitted = stmt_int(st, 4), passed = stmt_int(st, 5);
        const char *cells[] = {code, *code ? stats_region_name(a, code) : "", stats_int(a, stmt_int(st, 1)),
                               stats_int(a, stmt_int(st, 3)), stats_int(a, submitted), stats_int(a, passed),
                               rate(a, passed, submitted)};
        stats_table_add(a, t, cells);
    }
    stmt_done(st);
    query_free(&q);
    return rc == STORE_DONE;
}

static bool read_categories(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    arena_t *a = &c->arena;
    int64_t v[NCATEGORIES][4] = {{0}};
    query_t q;
    events_query(&q, c, f, "co.category, " EVENT_SUMS);
    query_sql(&q, " GROUP BY co.category");
    stmt_t *st = query_run(c->db, &q);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW)
        for (int i = 0; i < NCATEGORIES; i++)
            if (strcmp(stmt_text(st, 0), categories[i]) == 0)
                for (int k = 0; k < 4; k++)
                    v[i][k] = stmt_int(st, k + 2);
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_DONE)
        return false;
    for (int i = 0; i < NCATEGORIES; i++) {
        const char *cells[] = {categories[i], stats_int(a, v[i][0]), stats_int(a, v[i][1]), stats_int(a, v[i][2]),
                               stats_int(a, v[i][3])};
        stats_table_add(a, t, cells);
    }
    return true;
}

static bool read_clauses(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    arena_t *a = &c->arena;
    int64_t cat2013 = 0, cat2023 = 0, version;
    if (clause_catalogue_current(c->db, "2013", &cat2013, &version) < 0 ||
        clause_catalogue_current(c->db, "2023", &cat2023, &version) < 0)
        return false;
    query_t q;
    query_init(&q, "SELECT a.clause_number, COALESCE(cl.title, ''), SUM(a.answered), SUM(a.correct) FROM "
                   "quiz_clause_answers a LEFT JOIN enterprises en ON en.id = a.enterprise_id LEFT JOIN clauses cl "
                   "ON cl.number = a.clause_number AND cl.catalogue_id = CASE a.edition WHEN '2013' THEN ");
    query_int(&q, "CAST($? AS BIGINT)", cat2013);
    query_int(&q, " ELSE CAST($? AS BIGINT) END WHERE TRUE", cat2023);
    stats_query_seconds(&q, f, "a.at");
    stats_query_filter(&q, c, f, "a.region", "en.industry");
    query_sql(&q, " GROUP BY a.edition, a.clause_number, cl.title ORDER BY SUM(a.answered) DESC, a.clause_number, "
                  "a.edition LIMIT 50");
    stmt_t *st = query_run(c->db, &q);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t answered = stmt_int(st, 2), correct = stmt_int(st, 3);
        const char *cells[] = {stmt_text(st, 0), stmt_text(st, 1), stats_int(a, answered), stats_int(a, correct),
                               rate(a, correct, answered)};
        stats_table_add(a, t, cells);
    }
    stmt_done(st);
    query_free(&q);
    return rc == STORE_DONE;
}

/* The log is anonymous: it has no region nor industry, so it is read only when the filter is
 * the caller's whole reach and no industry (else the table stays empty). */
static bool read_unmet_needs(call_t *c, const stats_filter_t *f, stats_table_t *t)
{
    const reach_t reach = scope_reach(&c->user);
    const char *whole = reach.kind == REACH_REGION ? reach.region_prefix : "";
    if (f->industry != NULL || strcmp(f->region, whole) != 0)
        return true;
    arena_t *a = &c->arena;
    stmt_t *st = db_query(c->db,
                          "SELECT query, SUM(searches), MAX(day) FROM search_log WHERE results = 0 AND day >= $1 AND "
                          "day < $2 GROUP BY query ORDER BY SUM(searches) DESC, query LIMIT 50",
                          "II", f->from, f->to);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        char day[DATE_LEN + 1];
        date_from_unix(stmt_int(st, 2), day);
        const char *cells[] = {stmt_text(st, 0), stats_int(a, stmt_int(st, 1)), day};
        stats_table_add(a, t, cells);
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

void api_statistics_learning(call_t *c)
{
    stats_filter_t f;
    if (!stats_filter_parse(c, &f))
        return;
    enum { NTABLES = 6 };
    stats_table_t t[NTABLES];
    stats_table_init(&t[0], "totals", "总计", "Totals", total_columns, 7);
    stats_table_init(&t[1], "by_month", "按月", "By month", month_columns, 6);
    stats_table_init(&t[2], "by_region", "按地区", "By region", region_columns, 7);
    stats_table_init(&t[3], "by_category", "按课程类别", "By category", category_columns, 5);
    stats_table_init(&t[4], "by_clause", "按条款", "By clause", clause_columns, 5);
    stats_table_init(&t[5], "unmet_needs", "未满足的搜索", "Unmet needs", need_columns, 3);
    if (!read_totals(c, &f, &t[0]) || !read_months(c, &f, &t[1]) || !read_regions(c, &f, &t[2]) ||
        !read_categories(c, &f, &t[3]) || !read_clauses(c, &f, &t[4]) || !read_unmet_needs(c, &f, &t[5])) {
        call_db_error(c, "learning statistics");
        return;
    }
    stats_answer(c, "learning", &f, t, NTABLES);
}

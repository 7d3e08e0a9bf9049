/* The effectiveness index as people read it (issue 10; docs/effectiveness.md "Pages and report"),
 * from the STORED results (store/effectiveness.h; the run that computes them is
 * src/api/effectiveness.c):
 *   GET /api/enterprises/{id}/effectiveness      the contract: the result with every indicator
 *   GET /api/enterprises/{id}/effectiveness/pdf  the report (report/effectiveness_pdf.h)
 *   GET /api/effectiveness/form-only             regulators: enterprises flagged 形式化贯标
 *   GET /api/effectiveness/distribution?by=…     regulators: the index by region, industry, body
 * Who reads an enterprise's result: the enterprise itself, a body engaged with it
 * (store/compliance_reach.h body_engaged) or the body that issued its certificate
 * (result.body_id), regulators of its region, admins; anyone else 404 enterprise_not_found. The
 * regulators' lists are scoped by query_scope over the enterprise's region. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/regions.h"
#include "domain/scope.h"
#include "report/effectiveness_pdf.h"
#include "store/compliance_reach.h"
#include "store/effectiveness.h"
#include "store/registry.h"

/* A number as stored (shortest faithful form), or null when NaN (SQL NULL). */
static void write_number(jw_t *w, const char *key, double v)
{
    char text[40];
    jw_key(w, key);
    if (isnan(v)) {
        jw_null(w);
        return;
    }
    snprintf(text, sizeof text, "%.15g", v);
    jw_raw(w, text);
}

/* Enterprise {id} of the path and its stored result, when the caller reaches them (rules at the
 * top). False after answering 404 enterprise_not_found, 404 effectiveness_not_evaluated or the
 * database error. */
static bool result_load_reached(call_t *c, enterprise_t *e, effectiveness_result_t *r)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = enterprise_by_id(c->db, &c->arena, id, e);
    int found = rc == 1 ? effectiveness_result_load(c->db, &c->arena, id, r) : 0;
    if (rc < 0 || found < 0) {
        call_db_error(c, "effectiveness result");
        return false;
    }
    bool reached = rc == 1 && scope_allows(&c->user, e->id, 0, e->region);
    if (rc == 1 && !reached && c->user.role == ROLE_BODY && c->user.body_id > 0) {
        if (found == 1 && r->body_id == c->user.body_id)
            reached = true;
        else {
            int engaged = body_engaged(c->db, c->user.body_id, e->id);
            if (engaged < 0) {
                call_db_error(c, "engagement lookup");
                return false;
            }
            reached = engaged == 1;
        }
    }
    if (!reached) {
        call_error(c, "enterprise_not_found", NULL);
        return false;
    }
    if (found == 0) {
        call_error(c, "effectiveness_not_evaluated", NULL);
        return false;
    }
    return true;
}

/* The name of body id ("" when none or unreadable). */
static const char *body_name(call_t *c, int64_t id)
{
    body_t b;
    return id > 0 && body_by_id(c->db, &c->arena, id, &b) == 1 ? b.name : "";
}

void api_enterprise_effectiveness(call_t *c)
{
    enterprise_t e;
    effectiveness_result_t r;
    if (!result_load_reached(c, &e, &r))
        return;
    /* the stored detail must be a JSON array: the method writes it; anything else is a fault */
    json_t *detail = json_loads(r.detail, 0, NULL);
    bool valid = json_is_array(detail);
    json_decref(detail);
    if (!valid) {
        log_error("effectiveness of enterprise %lld: the stored detail is not a JSON array", (long long)e.id);
        call_error(c, "internal_error", NULL);
        return;
    }
    const char *bname = body_name(c, r.body_id);
    char computed[21];
    time_iso(r.computed_at, computed);
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "method", r.method);
    jw_kint(w, "certified_year", r.certified_year);
    write_number(w, "index", r.index);
    jw_kstr(w, "verdict", *r.verdict ? r.verdict : NULL);
    jw_kstr(w, "grade", *r.grade ? r.grade : NULL);
    jw_kbool(w, "form_only", r.form_only);
    write_number(w, "quality", r.quality);
    write_number(w, "benefit", r.benefit);
    write_number(w, "management", r.management);
    jw_kstr(w, "peer_level", r.peer_level);
    jw_kint(w, "indicators_present", r.indicators_present);
    jw_kint(w, "indicators_verified", r.indicators_verified);
    jw_kstr(w, "computed_at", computed);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", e.id);
    jw_kstr(w, "name", e.name);
    jw_end(w);
    jw_key(w, "body");
    if (r.body_id > 0) {
        jw_object(w);
        jw_kint(w, "id", r.body_id);
        jw_kstr(w, "name", bname);
        jw_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "indicators");
    jw_raw(w, r.detail);
    jw_end(w);
}

/* ---- the report ---- */

static double member_number(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *member_text(call_t *c, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return arena_strdup(&c->arena, json_is_string(v) ? json_string_value(v) : "");
}

/* The detail's indicators as the report takes them (arena); -1 when it is not a JSON array. */
static int detail_read(call_t *c, const char *detail, effectiveness_pdf_indicator_t **out)
{
    json_t *list = json_loads(detail, 0, NULL);
    if (!json_is_array(list)) {
        json_decref(list);
        return -1;
    }
    size_t n = json_array_size(list);
    effectiveness_pdf_indicator_t *xs = arena_alloc(&c->arena, sizeof *xs * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        xs[i] = (effectiveness_pdf_indicator_t){
            .code = member_text(c, o, "code"),
            .name = member_text(c, o, "name"),
            .unit = member_text(c, o, "unit"),
            .category = member_text(c, o, "category"),
            .kind = member_text(c, o, "kind"),
            .lower_is_better = json_is_true(json_object_get(o, "lower_is_better")),
            .verified = json_is_true(json_object_get(o, "verified")),
            .before = member_number(o, "before"),
            .after = member_number(o, "after"),
            .change = member_number(o, "change"),
            .peer_median = member_number(o, "peer_median"),
            .scaled = member_number(o, "scaled"),
            .peers = json_is_number(json_object_get(o, "peers")) ? (int64_t)json_number_value(json_object_get(o, "peers")) : 0,
        };
        if (*xs[i].name == '\0')
            xs[i].name = xs[i].code;
    }
    json_decref(list);
    *out = xs;
    return (int)n;
}

void api_enterprise_effectiveness_pdf(call_t *c)
{
    enterprise_t e;
    effectiveness_result_t r;
    if (!result_load_reached(c, &e, &r))
        return;
    effectiveness_pdf_indicator_t *xs = NULL;
    int n = detail_read(c, r.detail, &xs);
    effectiveness_report_t report = {.result = &r, .enterprise_name = e.name, .credit_code = e.credit_code,
                                     .body_name = body_name(c, r.body_id), .indicators = xs, .n = n};
    buf_reset(&c->out);
    if (n < 0 || !effectiveness_pdf(&report, &c->out)) {
        log_error("enterprise %lld: the effectiveness report could not be made", (long long)e.id);
        call_error(c, "internal_error", NULL);
        return;
    }
    call_download(c, "application/pdf", false, arena_printf(&c->arena, "有效性评价-%lld.pdf", (long long)e.id));
}

/* ---- regulators' views ---- */

static const scope_columns_t result_scope = {.enterprise = "r.enterprise_id", .body = NULL, .region = "e.region"};

#define FORM_ONLY_COLUMNS                                                                                      \
    "r.enterprise_id, e.name, e.credit_code, e.region, e.industry, COALESCE(r.body_id, 0), COALESCE(b.name, ''), " \
    "r.certified_year, r.index_value, r.verdict, r.grade, e.size"
#define FORM_ONLY_FROM                                                                                         \
    " FROM effectiveness_results r JOIN enterprises e ON e.id = r.enterprise_id "                              \
    "LEFT JOIN bodies b ON b.id = r.body_id WHERE r.form_only = 1"

static void form_only_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    char path[256] = "";
    region_path(stmt_text(st, 3), path, sizeof path);
    const industry_t *ind = industry_find(stmt_text(st, 4));
    jw_object(w);
    jw_kint(w, "enterprise_id", stmt_int(st, 0));
    jw_kstr(w, "enterprise_name", stmt_text(st, 1));
    jw_kstr(w, "credit_code", stmt_text(st, 2));
    jw_kstr(w, "region", stmt_text(st, 3));
    jw_kstr(w, "region_name", path);
    jw_kstr(w, "industry", stmt_text(st, 4));
    jw_kstr(w, "industry_name", ind ? ind->name : "");
    jw_kstr(w, "size", stmt_text(st, 11));
    jw_kid(w, "body_id", stmt_int(st, 5));
    jw_kstr(w, "body_name", stmt_text(st, 6));
    jw_kint(w, "certified_year", stmt_int(st, 7));
    write_number(w, "index", stmt_is_null(st, 8) ? NAN : stmt_double(st, 8));
    jw_kstr(w, "verdict", *stmt_text(st, 9) ? stmt_text(st, 9) : NULL);
    jw_kstr(w, "grade", *stmt_text(st, 10) ? stmt_text(st, 10) : NULL);
    jw_end(w);
}

void api_effectiveness_form_only(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" FORM_ONLY_FROM);
    query_init(&list, "SELECT " FORM_ONLY_COLUMNS FORM_ONLY_FROM);
    query_scope(&count, &reach, &result_scope);
    query_scope(&list, &reach, &result_scope);
    query_sql(&list, " ORDER BY r.index_value, e.id");
    answer_list(c, &count, &list, page, per_page, form_only_row, "form-only enterprises");
}

/* The grouping of a distribution: the group's key as SQL over "r" and "e", and a label column
 * (the body's name; region and industry names come from the reference data). */
typedef struct grouping {
    const char *by, *key, *label, *join;
} grouping_t;

/* Regions: one level below the caller's (national → provinces, a province → its prefectures, a
 * prefecture → its counties). */
static const grouping_t groupings[] = {
    {"region", "SUBSTR(e.region, 1, 2) || '0000'", "''", ""},
    {"region", "SUBSTR(e.region, 1, 4) || '00'", "''", ""},
    {"region", "e.region", "''", ""},
    {"industry", "e.industry", "''", ""},
    {"body", "CAST(COALESCE(r.body_id, 0) AS TEXT)", "COALESCE(b.name, '')", " LEFT JOIN bodies b ON b.id = r.body_id"},
};

static const grouping_t *grouping_of(const char *by, const reach_t *reach)
{
    if (strcmp(by, "region") == 0) {
        size_t len = reach->kind == REACH_REGION ? strlen(reach->region_prefix) : 0;
        return &groupings[len >= 4 ? 2 : len >= 2 ? 1 : 0];
    }
    if (strcmp(by, "industry") == 0)
        return &groupings[3];
    if (strcmp(by, "body") == 0)
        return &groupings[4];
    return NULL;
}

void effectiveness_groups_begin(query_t *q, const char *key, const char *label, const char *join)
{
    query_init(q, "WITH base AS (SELECT ");
    query_sql(q, key);
    query_sql(q, " AS grp, ");
    query_sql(q, label);
    query_sql(q, " AS label, r.index_value AS v, r.verdict AS verdict, r.form_only AS form_only FROM "
                 "effectiveness_results r JOIN enterprises e ON e.id = r.enterprise_id");
    query_sql(q, join);
    query_sql(q, " WHERE r.index_value IS NOT NULL");
}

void effectiveness_groups_end(query_t *q)
{
    /* the median: the mean of the middle one or two values of each group */
    query_sql(q,
              "), ranked AS (SELECT grp, v, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY v) AS rn, "
              "COUNT(*) OVER (PARTITION BY grp) AS n FROM base) "
              "SELECT s.grp, s.label, s.n, s.mean, m.median, s.v1, s.v2, s.v3, s.v4, s.form_only FROM "
              "(SELECT grp, MAX(label) AS label, COUNT(*) AS n, AVG(v) AS mean, "
              "SUM(CASE WHEN verdict = 'significant_improvement' THEN 1 ELSE 0 END) AS v1, "
              "SUM(CASE WHEN verdict = 'improvement' THEN 1 ELSE 0 END) AS v2, "
              "SUM(CASE WHEN verdict = 'no_change' THEN 1 ELSE 0 END) AS v3, "
              "SUM(CASE WHEN verdict = 'decline' THEN 1 ELSE 0 END) AS v4, "
              "SUM(form_only) AS form_only FROM base GROUP BY grp) s "
              "JOIN (SELECT grp, AVG(v) AS median FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp) m "
              "ON m.grp = s.grp ORDER BY s.grp");
}

static const char *const verdicts[] = {"significant_improvement", "improvement", "no_change", "decline"};

static void distribution_row(call_t *c, stmt_t *st, jw_t *w)
{
    const char *by = call_query(c, "by");
    const char *key = stmt_text(st, 0);
    const char *name = stmt_text(st, 1);
    char path[256] = "";
    if (strcmp(by, "region") == 0) {
        region_path(key, path, sizeof path);
        name = path;
    } else if (strcmp(by, "industry") == 0) {
        const industry_t *ind = industry_find(key);
        name = ind ? ind->name : "";
    }
    jw_object(w);
    jw_kstr(w, "group", key);
    jw_kstr(w, "name", name);
    jw_kint(w, "count", stmt_int(st, 2));
    write_number(w, "mean", stmt_double(st, 3));
    write_number(w, "median", stmt_double(st, 4));
    jw_key(w, "verdicts");
    jw_object(w);
    for (int i = 0; i < 4; i++)
        jw_kint(w, verdicts[i], stmt_int(st, 5 + i));
    jw_end(w);
    jw_end(w);
}

void api_effectiveness_distribution(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *by = call_query(c, "by");
    if (call_answered(c))
        return;
    const reach_t reach = scope_reach(&c->user);
    const grouping_t *g = grouping_of(by != NULL ? by : "", &reach);
    if (g == NULL) {
        call_invalid(c, "by", "须为 region、industry 或 body", "must be region, industry or body");
        return;
    }
    query_t count, list;
    effectiveness_groups_begin(&count, g->key, g->label, g->join);
    query_scope(&count, &reach, &result_scope);
    query_sql(&count, ") SELECT COUNT(DISTINCT grp) FROM base");
    effectiveness_groups_begin(&list, g->key, g->label, g->join);
    query_scope(&list, &reach, &result_scope);
    effectiveness_groups_end(&list);
    answer_list(c, &count, &list, page, per_page, distribution_row, "effectiveness distribution");
}

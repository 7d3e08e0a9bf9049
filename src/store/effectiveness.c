/* The stored effectiveness results (store/effectiveness.h). */
#include "store/effectiveness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "store/query.h"

static double column_double(stmt_t *st, int col)
{
    return stmt_is_null(st, col) ? NAN : stmt_double(st, col);
}

int effectiveness_result_load(db_t *db, arena_t *a, int64_t enterprise_id, effectiveness_result_t *out)
{
    stmt_t *st = db_query(db,
                          "SELECT enterprise_id, method, certified_year, COALESCE(body_id, 0), index_value, quality, "
                          "benefit, management, verdict, grade, form_only, indicators_present, indicators_verified, "
                          "peer_level, detail, computed_at FROM effectiveness_results WHERE enterprise_id = $1",
                          "I", enterprise_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        out->enterprise_id = stmt_int(st, 0);
        out->method = arena_strdup(a, stmt_text(st, 1));
        out->certified_year = stmt_int(st, 2);
        out->body_id = stmt_int(st, 3);
        out->index = column_double(st, 4);
        out->quality = column_double(st, 5);
        out->benefit = column_double(st, 6);
        out->management = column_double(st, 7);
        out->verdict = arena_strdup(a, stmt_text(st, 8));
        out->grade = arena_strdup(a, stmt_text(st, 9));
        out->form_only = stmt_int(st, 10) != 0;
        out->indicators_present = stmt_int(st, 11);
        out->indicators_verified = stmt_int(st, 12);
        out->peer_level = arena_strdup(a, stmt_text(st, 13));
        out->detail = arena_strdup(a, stmt_text(st, 14));
        out->computed_at = stmt_int(st, 15);
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* ---- the inputs of a run (effectiveness_inputs_read) ---- */

/* The GB/T 4754 section of an enterprise's industry (a division "39" or a section "C"): 0 when
 * unknown. */
static char industry_section(const char *code)
{
    const industry_t *ind = industry_find(code);
    if (ind == NULL)
        return 0;
    return ind->section[0] ? ind->section[0] : ind->code[0];
}

/* The index of enterprise id in the list sorted by id, or -1. */
static ptrdiff_t enterprise_index(const effectiveness_inputs_t *in, int64_t id)
{
    size_t lo = 0, hi = in->nenterprises;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->enterprises[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < in->nenterprises && in->enterprises[lo].id == id ? (ptrdiff_t)lo : -1;
}

static bool read_enterprises(db_t *db, effectiveness_inputs_t *in)
{
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM enterprises", "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    size_t cap = rc == STORE_ROW ? (size_t)stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != STORE_ROW)
        return false;
    in->enterprises = calloc(cap ? cap : 1, sizeof *in->enterprises);
    if (in->enterprises == NULL)
        return false;
    st = db_query(db, "SELECT id, industry, size FROM enterprises ORDER BY id", "");
    if (st == NULL)
        return false;
    size_t n = 0;
    while ((rc = stmt_step(st)) == STORE_ROW && n < cap) {
        effectiveness_input_enterprise_t *e = &in->enterprises[n++];
        e->id = stmt_int(st, 0);
        e->section = industry_section(stmt_text(st, 1));
        snprintf(e->size, sizeof e->size, "%s", stmt_text(st, 2));
    }
    stmt_done(st);
    in->nenterprises = n;
    if (rc == STORE_ERROR)
        return false;
    /* each enterprise's first certificate: the earliest issue date (then the lowest id) */
    st = db_query(db, "SELECT enterprise_id, body_id, issued FROM certificates ORDER BY enterprise_id, issued, id", "");
    if (st == NULL)
        return false;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        ptrdiff_t k = enterprise_index(in, stmt_int(st, 0));
        const char *issued = stmt_text(st, 2);
        int year = atoi(issued);
        if (k < 0 || in->enterprises[k].certified_year != 0 || year < 1990 || year > 2100)
            continue;
        in->enterprises[k].certified_year = year;
        in->enterprises[k].body_id = stmt_int(st, 1);
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

enum { PG_SLICE = 2000 };

/* Puts the rows of st (enterprise_id, indicator_id, year, value, verified; NULL st: an error)
 * into the grid, and finishes st. place maps an indicator id (≤ max_indicator) to its index in
 * the catalogue, −1 for a retired one. The enterprise's index is found by a binary search,
 * remembered while rows of the same enterprise follow each other (as they mostly do). */
static bool grid_fill(effectiveness_inputs_t *in, stmt_t *st, const ptrdiff_t *place, int64_t max_indicator)
{
    int rc = st ? STORE_ROW : STORE_ERROR;
    ptrdiff_t e = -1;
    int64_t e_id = 0;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t id = stmt_int(st, 0), ind = stmt_int(st, 1);
        if (e < 0 || id != e_id) {
            e_id = id;
            e = enterprise_index(in, id);
        }
        if (e < 0 || ind < 0 || ind > max_indicator || place[ind] < 0)
            continue;     /* a retired indicator */
        size_t at = ((size_t)e * in->nindicators + (size_t)place[ind]) * (size_t)in->nyears +
                    (size_t)(stmt_int(st, 2) - in->first_year);
        in->values[at] = stmt_double(st, 3);
        in->verified[at] = stmt_int(st, 4) != 0;
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

static bool read_values(db_t *db, effectiveness_inputs_t *in, int current_year)
{
    int ymin = 0, ymax = 0;
    for (size_t e = 0; e < in->nenterprises; e++) {
        int y = in->enterprises[e].certified_year;
        if (y > 0) {
            ymin = ymin == 0 || y < ymin ? y : ymin;
            ymax = y > ymax ? y : ymax;
        }
    }
    if (ymin == 0 || in->nindicators == 0)
        return true;    /* nothing to evaluate: an empty grid */
    int last = ymax + 3 < current_year ? ymax + 3 : current_year;
    in->first_year = ymin - 3;
    in->nyears = last >= in->first_year ? last - in->first_year + 1 : 0;
    if (in->nyears == 0)
        return true;
    size_t cells = in->nenterprises * in->nindicators * (size_t)in->nyears;
    in->values = malloc((cells ? cells : 1) * sizeof *in->values);
    in->verified = calloc(cells ? cells : 1, 1);
    if (!in->values || !in->verified)
        return false;
    for (size_t k = 0; k < cells; k++)
        in->values[k] = NAN;
    int64_t max_indicator = 0;
    for (size_t i = 0; i < in->nindicators; i++)
        max_indicator = in->indicators[i].id > max_indicator ? in->indicators[i].id : max_indicator;
    ptrdiff_t *place = malloc(((size_t)max_indicator + 1) * sizeof *place);   /* indicator id → index, −1 */
    if (!place)
        return false;
    for (int64_t id = 0; id <= max_indicator; id++)
        place[id] = -1;
    for (size_t i = 0; i < in->nindicators; i++)
        place[in->indicators[i].id] = (ptrdiff_t)i;
    bool ok;
    if (store_kind(db_store(db)) == STORE_POSTGRES) {
        /* PostgreSQL: libpq holds a whole result in memory, so the values come in slices of
         * PG_SLICE enterprises (by id, through the primary key): 50 queries for 100,000 */
        ok = true;
        for (size_t k = 0; ok && k < in->nenterprises; k += PG_SLICE) {
            size_t end = k + PG_SLICE < in->nenterprises ? k + PG_SLICE : in->nenterprises;
            stmt_t *st = db_query(db,
                                  "SELECT enterprise_id, indicator_id, year, value, "
                                  "CASE WHEN verified_by_body IS NULL THEN 0 ELSE 1 END FROM indicator_values "
                                  "WHERE enterprise_id BETWEEN $1 AND $2 AND year BETWEEN $3 AND $4",
                                  "IIii", in->enterprises[k].id, in->enterprises[end - 1].id, in->first_year, last);
            ok = grid_fill(in, st, place, max_indicator);
        }
    } else {
        /* SQLite: one pass over the table in its stored order: "year + 0" keeps the planner off
         * the (indicator_id, year) index (a skip-scan, then a row lookup for each value and a
         * sort: 8× slower), and no ORDER BY */
        stmt_t *st = db_query(db,
                              "SELECT enterprise_id, indicator_id, year, value, "
                              "CASE WHEN verified_by_body IS NULL THEN 0 ELSE 1 END FROM indicator_values "
                              "WHERE year + 0 BETWEEN $1 AND $2",
                              "ii", in->first_year, last);
        ok = grid_fill(in, st, place, max_indicator);
    }
    free(place);
    return ok;
}

bool effectiveness_inputs_read(db_t *db, int current_year, effectiveness_inputs_t *out)
{
    *out = (effectiveness_inputs_t){0};
    indicator_t *list = NULL;
    int n = indicators_list(db, &out->arena, false, &list);
    bool ok = n >= 0;
    if (ok) {
        out->indicators = list;
        out->nindicators = (size_t)n;
        ok = read_enterprises(db, out) && read_values(db, out, current_year);
    }
    if (!ok)
        effectiveness_inputs_free(out);
    return ok;
}

void effectiveness_inputs_free_grid(effectiveness_inputs_t *in)
{
    free(in->values);
    free(in->verified);
    in->values = NULL;
    in->verified = NULL;
}

void effectiveness_inputs_free(effectiveness_inputs_t *in)
{
    effectiveness_inputs_free_grid(in);
    free(in->enterprises);
    in->enterprises = NULL;
    arena_free(&in->arena);
}

/* ---- the replace ---- */

/* NULL for NaN (a column with no number). */
static void bind_double_or_null(stmt_t *st, int index, double v)
{
    if (isnan(v))
        stmt_bind_null(st, index);
    else
        stmt_bind_double(st, index, v);
}

enum { REPLACE_BATCH = 32, RESULT_COLUMNS = 16 };

#define RESULT_INSERT                                                                                      \
    "INSERT INTO effectiveness_results (enterprise_id, method, certified_year, body_id, index_value, quality, " \
    "benefit, management, verdict, grade, form_only, indicators_present, indicators_verified, peer_level, "    \
    "detail, computed_at) VALUES "

/* Binds row r at parameter offset base (0 for the first row of a statement). */
static void bind_result(stmt_t *st, int base, const effectiveness_result_t *r, int64_t computed_at)
{
    const char *method = r->method ? r->method : EFFECTIVENESS_METHOD;
    const char *detail = r->detail ? r->detail : "[]";
    const char *verdict = r->verdict ? r->verdict : "", *grade = r->grade ? r->grade : "";
    const char *level = r->peer_level ? r->peer_level : "";
    stmt_bind_int(st, base + 1, r->enterprise_id);
    stmt_bind_text(st, base + 2, method, strlen(method));
    stmt_bind_int(st, base + 3, r->certified_year);
    if (r->body_id > 0)
        stmt_bind_int(st, base + 4, r->body_id);
    else
        stmt_bind_null(st, base + 4);
    bind_double_or_null(st, base + 5, r->index);
    bind_double_or_null(st, base + 6, r->quality);
    bind_double_or_null(st, base + 7, r->benefit);
    bind_double_or_null(st, base + 8, r->management);
    stmt_bind_text(st, base + 9, verdict, strlen(verdict));
    stmt_bind_text(st, base + 10, grade, strlen(grade));
    stmt_bind_int(st, base + 11, r->form_only ? 1 : 0);
    stmt_bind_int(st, base + 12, r->indicators_present);
    stmt_bind_int(st, base + 13, r->indicators_verified);
    stmt_bind_text(st, base + 14, level, strlen(level));
    stmt_bind_text(st, base + 15, detail, strlen(detail));
    stmt_bind_int(st, base + 16, r->computed_at ? r->computed_at : computed_at);
}

/* The run's row. */
static bool finish_run(db_t *db, size_t n, int64_t computed_at, int64_t duration_ms)
{
    return db_run(db,
                  "INSERT INTO effectiveness_runs (id, method, computed_at, evaluated, duration_ms) "
                  "VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET method = excluded.method, "
                  "computed_at = excluded.computed_at, evaluated = excluded.evaluated, "
                  "duration_ms = excluded.duration_ms",
                  "tIII", EFFECTIVENESS_METHOD, computed_at, (int64_t)n, duration_ms) >= 0;
}

bool effectiveness_results_replace(db_t *db, const effectiveness_result_t *rows, size_t n, int64_t computed_at,
                                   int64_t duration_ms)
{
    char batch_sql[REPLACE_BATCH * RESULT_COLUMNS * 8 + 512], one_sql[RESULT_COLUMNS * 8 + 512];
    if (!query_values_sql(batch_sql, sizeof batch_sql, RESULT_INSERT, RESULT_COLUMNS, REPLACE_BATCH, "") ||
        !query_values_sql(one_sql, sizeof one_sql, RESULT_INSERT, RESULT_COLUMNS, 1, ""))
        return false;
    if (db_begin(db) != STORE_DONE)
        return false;
    /* the run's row first: on PostgreSQL its lock serialises two runs (the job and the CLI), so
     * that the second's DELETE, a new statement, sees and removes the first's rows */
    bool ok = finish_run(db, n, computed_at, duration_ms) && db_run(db, "DELETE FROM effectiveness_results", "") >= 0;
    size_t k = 0;
    /* in batches of REPLACE_BATCH rows (one round trip each on PostgreSQL), the rest one by one */
    for (; ok && k + REPLACE_BATCH <= n; k += REPLACE_BATCH) {
        stmt_t *st = db_prepare(db, batch_sql);
        if (st == NULL) {
            ok = false;
            break;
        }
        for (int r = 0; r < REPLACE_BATCH; r++)
            bind_result(st, r * RESULT_COLUMNS, &rows[k + (size_t)r], computed_at);
        ok = stmt_step(st) == STORE_DONE;
        stmt_done(st);
    }
    for (; ok && k < n; k++) {
        stmt_t *st = db_prepare(db, one_sql);
        if (st == NULL) {
            ok = false;
            break;
        }
        bind_result(st, 0, &rows[k], computed_at);
        ok = stmt_step(st) == STORE_DONE;
        stmt_done(st);
    }
    return db_finish(db, ok ? 1 : -1) == 1;
}

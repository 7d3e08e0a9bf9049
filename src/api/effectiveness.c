/* The effectiveness index (issue 10, docs/effectiveness.md "The index (method v1)"): the run
 * that reads the inputs (store/effectiveness.h: every enterprise, its first certificate, the
 * catalogue and the values), computes method v1 (domain/effectiveness.h) and replaces the stored
 * results, then queues the ranking of bodies (its client outcomes changed). The job
 * effectiveness_refresh, the CLI `guanbiao effectiveness refresh` and the demo seed call it.
 * The routes that show the results come after the run, in their own block. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/jsonout.h"
#include "core/text.h"
#include "domain/effectiveness.h"
#include "domain/enterprise.h"
#include "store/effectiveness.h"
#include "store/ranking.h"

/* ---- the run (method slice) ---- */

/* A number, or null for NaN; 15 significant digits (enough to recompute every step). */
static void put_number(jw_t *w, const char *key, double v)
{
    jw_key(w, key);
    if (isnan(v) || isinf(v)) {
        jw_null(w);
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "%.15g", v);
    jw_raw(w, text);
}

/* The detail JSON of one evaluated enterprise (store/effectiveness.h lists the fields): every
 * catalogue indicator, or "[]" when the enterprise has no value in either window of any (most
 * certified enterprises before they enter data: thousands of rows of nulls otherwise). */
static char *detail_json(const effectiveness_inputs_t *in, const eff_detail_t *d)
{
    bool any = false;
    for (size_t i = 0; i < in->nindicators && !any; i++)
        any = d[i].years_before > 0 || d[i].years_after > 0;
    if (!any)
        return strdup("[]");
    buf_t b;
    buf_init(&b, 1 << 20);
    jw_t w;
    jw_init(&w, &b);
    jw_array(&w);
    for (size_t i = 0; i < in->nindicators; i++) {
        const indicator_t *ind = &in->indicators[i];
        const eff_detail_t *x = &d[i];
        jw_object(&w);
        jw_kstr(&w, "code", ind->code);
        jw_kstr(&w, "name", ind->name);
        jw_kstr(&w, "name_en", ind->name_en);
        jw_kstr(&w, "category", ind->category);
        jw_kstr(&w, "unit", ind->unit);
        jw_kstr(&w, "kind", ind->kind);
        jw_kbool(&w, "lower_is_better", ind->lower_is_better);
        put_number(&w, "before", x->before);
        put_number(&w, "after", x->after);
        jw_kint(&w, "years_before", x->years_before);
        jw_kint(&w, "years_after", x->years_after);
        put_number(&w, "change", x->present ? x->change : NAN);
        put_number(&w, "peer_median", x->present ? x->peer_median : NAN);
        jw_kint(&w, "peers", x->present ? x->peers : 0);
        if (x->present)
            jw_kstr(&w, "peer_level", effectiveness_peer_level_name(x->peer_level));
        else
            jw_kstr(&w, "peer_level", NULL);
        put_number(&w, "adjusted", x->adjusted);
        put_number(&w, "mad", x->mad);
        put_number(&w, "scaled", x->scaled);
        jw_kbool(&w, "verified", x->verified);
        jw_end(&w);
    }
    jw_end(&w);
    char *json = b.failed ? NULL : strdup(b.data);   /* exactly its size: thousands are held at once */
    buf_free(&b);
    return json;
}

static eff_category_t category_of(const char *s)
{
    return strcmp(s, "quality") == 0 ? EFF_QUALITY : strcmp(s, "benefit") == 0 ? EFF_BENEFIT : EFF_MANAGEMENT;
}

static eff_kind_t kind_of(const char *s)
{
    return strcmp(s, "share") == 0 ? EFF_SHARE : strcmp(s, "amount") == 0 ? EFF_AMOUNT : EFF_COUNT;
}

/* The size class's number: its place in the vocabulary (domain/enterprise.h); an unknown one
 * after them (its own class). */
static int size_class(const char *size)
{
    const term_t *sizes = enterprise_sizes();
    int k = 0;
    for (; sizes[k].code != NULL; k++)
        if (strcmp(sizes[k].code, size) == 0)
            return k;
    return k < EFF_MAX_SIZES ? k : EFF_MAX_SIZES - 1;
}

bool effectiveness_refresh_run_counted(db_t *db, int64_t now, size_t *evaluated, int64_t *duration_ms, char *err,
                                       size_t errlen)
{
    int64_t started = monotonic_micros();
    char today[DATE_LEN + 1];
    date_from_unix(now, today);
    int current_year = atoi(today);
    effectiveness_inputs_t in;
    if (!effectiveness_inputs_read(db, current_year, &in)) {
        snprintf(err, errlen, "reading the effectiveness inputs: %s", db_error(db));
        return false;
    }
    size_t ni = in.nindicators, ne = in.nenterprises;
    eff_indicator_t *indicators = calloc(ni ? ni : 1, sizeof *indicators);
    eff_enterprise_t *enterprises = calloc(ne ? ne : 1, sizeof *enterprises);
    eff_result_t *results = NULL;
    eff_detail_t *details = NULL;
    effectiveness_result_t *rows = NULL;
    size_t nr = 0;
    bool ok = false;
    if (!indicators || !enterprises)
        goto oom;
    for (size_t i = 0; i < ni; i++)
        indicators[i] = (eff_indicator_t){kind_of(in.indicators[i].kind), category_of(in.indicators[i].category),
                                          in.indicators[i].lower_is_better};
    for (size_t e = 0; e < ne; e++)
        enterprises[e] = (eff_enterprise_t){in.enterprises[e].section, size_class(in.enterprises[e].size),
                                            in.enterprises[e].certified_year};
    eff_input_t input = {.indicators = indicators, .nindicators = ni, .enterprises = enterprises,
                         .nenterprises = ne, .first_year = in.first_year, .nyears = in.nyears,
                         .values = in.values, .verified = in.verified, .current_year = current_year};
    if (in.nyears == 0)
        input.nenterprises = 0;     /* no certified enterprise (or no catalogue): no result */
    nr = effectiveness_evaluated_count(&input);
    results = calloc(nr ? nr : 1, sizeof *results);
    details = calloc(nr * ni > 0 ? nr * ni : 1, sizeof *details);
    rows = calloc(nr ? nr : 1, sizeof *rows);
    if (!results || !details || !rows)
        goto oom;
    if (!effectiveness_compute(&input, results, details))
        goto oom;
    effectiveness_inputs_free_grid(&in);     /* the JSON below needs room more than the grid */
    for (size_t r = 0; r < nr; r++) {
        const eff_result_t *x = &results[r];
        const effectiveness_input_enterprise_t *e = &in.enterprises[x->enterprise];
        char *detail = detail_json(&in, &details[r * ni]);
        if (detail == NULL)
            goto oom;
        rows[r] = (effectiveness_result_t){
            .enterprise_id = e->id, .method = EFFECTIVENESS_METHOD, .certified_year = e->certified_year,
            .body_id = e->body_id, .index = x->index, .quality = x->category[EFF_QUALITY],
            .benefit = x->category[EFF_BENEFIT], .management = x->category[EFF_MANAGEMENT],
            .verdict = x->verdict, .grade = x->grade, .form_only = x->form_only,
            .indicators_present = x->present, .indicators_verified = x->verified,
            .peer_level = x->any_present ? effectiveness_peer_level_name(x->peer_level) : "",
            .detail = detail, .computed_at = now,
        };
    }
    int64_t took = (monotonic_micros() - started) / 1000;
    if (!effectiveness_results_replace(db, rows, nr, now, took)) {
        snprintf(err, errlen, "storing the effectiveness results: %s", db_error(db));
        goto done;
    }
    /* the bodies' client outcomes changed: the ranking follows */
    if (!ranking_refresh_enqueue(db)) {
        snprintf(err, errlen, "queueing the ranking: %s", db_error(db));
        goto done;
    }
    if (evaluated)
        *evaluated = nr;
    if (duration_ms)
        *duration_ms = (monotonic_micros() - started) / 1000;
    ok = true;
    goto done;
oom:
    snprintf(err, errlen, "effectiveness: out of memory or an invalid input");
done:
    for (size_t r = 0; rows && r < nr; r++)
        free((char *)rows[r].detail);
    free(rows);
    free(details);
    free(results);
    free(enterprises);
    free(indicators);
    effectiveness_inputs_free(&in);
    return ok;
}

bool effectiveness_refresh_run(db_t *db, int64_t now, char *err, size_t errlen)
{
    return effectiveness_refresh_run_counted(db, now, NULL, NULL, err, errlen);
}

/* ---- the routes (views slice) ---- */

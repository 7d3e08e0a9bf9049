/* The effectiveness index, method v1 (see domain/effectiveness.h). */
#include "domain/effectiveness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SECTIONS 27    /* 'A' … 'Z', then "unknown" */

static const double WEIGHT[EFF_CATEGORIES] = {0.4, 0.4, 0.2};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

double effectiveness_median(double *x, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2.0;
}

const char *effectiveness_verdict(double index)
{
    if (isnan(index))
        return "";
    double r = round(index * 1e9) / 1e9;
    return r >= 65 ? "significant_improvement" : r >= 55 ? "improvement" : r > 45 ? "no_change" : "decline";
}

const char *effectiveness_peer_level_name(eff_peer_level_t level)
{
    return level == EFF_PEER_INDUSTRY ? "industry" : level == EFF_PEER_SIZE ? "size" : "none";
}

static int section_index(char s)
{
    return s >= 'A' && s <= 'Z' ? s - 'A' : SECTIONS - 1;
}

/* Mean of enterprise e's values of indicator i over years from … to (clipped to the grid and
 * the current year): NaN when none; *years the number of years with a value; *all_verified
 * false when one of them is not verified. */
static double window_mean(const eff_input_t *in, size_t e, size_t i, int from, int to, int *years,
                          bool *all_verified)
{
    if (from < in->first_year)
        from = in->first_year;
    if (to > in->first_year + in->nyears - 1)
        to = in->first_year + in->nyears - 1;
    if (to > in->current_year)
        to = in->current_year;
    size_t base = (e * in->nindicators + i) * (size_t)in->nyears;
    double sum = 0;
    int n = 0;
    for (int y = from; y <= to; y++) {
        size_t at = base + (size_t)(y - in->first_year);
        double v = in->values[at];
        if (isnan(v))
            continue;
        sum += v;
        n++;
        if (!in->verified || !in->verified[at])
            *all_verified = false;
    }
    *years = n;
    return n ? sum / n : NAN;
}

/* The change of enterprise e's indicator i around year y (steps 1 and 2), NaN when a window
 * has no value; before/after/years/verified written when d is not NULL. */
static double indicator_change(const eff_input_t *in, size_t e, size_t i, int y, eff_detail_t *d)
{
    int yb = 0, ya = 0;
    bool verified = true;
    double before = window_mean(in, e, i, y - EFF_WINDOW, y - 1, &yb, &verified);
    double after = window_mean(in, e, i, y + 1, y + EFF_WINDOW, &ya, &verified);
    double change = NAN;
    if (yb > 0 && ya > 0) {
        const eff_indicator_t *ind = &in->indicators[i];
        change = ind->kind == EFF_SHARE ? after - before : log((after + 1.0) / (before + 1.0));
        if (ind->lower_is_better)
            change = -change;
    }
    if (d) {
        d->before = before;
        d->after = after;
        d->years_before = yb;
        d->years_after = ya;
        d->present = !isnan(change);
        d->verified = d->present && verified;
    }
    return change;
}

/* A memoised peer median. */
typedef struct memo {
    double median;
    int peers;
    bool done;
} memo_t;

typedef struct work {
    const eff_input_t *in;
    int ymin, nys;                 /* certified years ymin … ymin + nys − 1 */
    memo_t *by_section;            /* [y][section][size][indicator] */
    memo_t *by_size;               /* [y][size][indicator] */
    size_t *order_section;         /* enterprises grouped by (section, size) */
    size_t *start_section;         /* SECTIONS × EFF_MAX_SIZES + 1 offsets */
    size_t *order_size;            /* grouped by size */
    size_t *start_size;            /* EFF_MAX_SIZES + 1 */
    double *scratch;
} work_t;

/* Groups enterprises by key (counting sort): order[start[k] … start[k+1]) have key k. */
static bool group(const eff_input_t *in, size_t nkeys, bool by_section, size_t *order, size_t *start)
{
    memset(start, 0, (nkeys + 1) * sizeof *start);
    for (size_t e = 0; e < in->nenterprises; e++) {
        const eff_enterprise_t *q = &in->enterprises[e];
        size_t k = by_section ? (size_t)section_index(q->section) * EFF_MAX_SIZES + (size_t)q->size : (size_t)q->size;
        start[k + 1]++;
    }
    for (size_t k = 0; k < nkeys; k++)
        start[k + 1] += start[k];
    size_t *fill = calloc(nkeys ? nkeys : 1, sizeof *fill);
    if (fill == NULL)
        return false;
    for (size_t e = 0; e < in->nenterprises; e++) {
        const eff_enterprise_t *q = &in->enterprises[e];
        size_t k = by_section ? (size_t)section_index(q->section) * EFF_MAX_SIZES + (size_t)q->size : (size_t)q->size;
        order[start[k] + fill[k]++] = e;
    }
    free(fill);
    return true;
}

/* The median change of indicator i around year y over members[0..n) not certified in or
 * before y + 3. */
static memo_t peer_median(work_t *w, const size_t *members, size_t n, size_t i, int y)
{
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        const eff_enterprise_t *q = &w->in->enterprises[members[j]];
        if (q->certified_year != 0 && q->certified_year <= y + EFF_WINDOW)
            continue;
        double c = indicator_change(w->in, members[j], i, y, NULL);
        if (!isnan(c))
            w->scratch[k++] = c;
    }
    return (memo_t){.median = effectiveness_median(w->scratch, k), .peers = (int)k, .done = true};
}

/* Step 3 for enterprise e's indicator i: fills peer_median, peers, peer_level. */
static void peer_adjust(work_t *w, size_t e, size_t i, eff_detail_t *d)
{
    const eff_input_t *in = w->in;
    const eff_enterprise_t *me = &in->enterprises[e];
    size_t yi = (size_t)(me->certified_year - w->ymin), size = (size_t)me->size, ni = in->nindicators;
    if (me->section >= 'A' && me->section <= 'Z') {
        size_t sec = (size_t)section_index(me->section);
        memo_t *m = &w->by_section[((yi * SECTIONS + sec) * EFF_MAX_SIZES + size) * ni + i];
        if (!m->done) {
            size_t g = sec * EFF_MAX_SIZES + size;
            *m = peer_median(w, &w->order_section[w->start_section[g]],
                             w->start_section[g + 1] - w->start_section[g], i, me->certified_year);
        }
        if (m->peers >= EFF_MIN_PEERS) {
            d->peer_median = m->median;
            d->peers = m->peers;
            d->peer_level = EFF_PEER_INDUSTRY;
            return;
        }
    }
    memo_t *m = &w->by_size[(yi * EFF_MAX_SIZES + size) * ni + i];
    if (!m->done)
        *m = peer_median(w, &w->order_size[w->start_size[size]], w->start_size[size + 1] - w->start_size[size], i,
                         me->certified_year);
    d->peers = m->peers;
    if (m->peers >= EFF_MIN_PEERS) {
        d->peer_median = m->median;
        d->peer_level = EFF_PEER_SIZE;
    } else {
        d->peer_median = NAN;
        d->peer_level = EFF_PEER_NONE;
    }
}

size_t effectiveness_evaluated_count(const eff_input_t *in)
{
    size_t n = 0;
    for (size_t e = 0; e < in->nenterprises; e++)
        n += in->enterprises[e].certified_year > 0;
    return n;
}

static bool input_valid(const eff_input_t *in)
{
    if ((in->nindicators && !in->indicators) || (in->nenterprises && !in->enterprises) || in->nyears < 0 ||
        (in->nenterprises && in->nindicators && in->nyears && !in->values))
        return false;
    for (size_t e = 0; e < in->nenterprises; e++)
        if (in->enterprises[e].size < 0 || in->enterprises[e].size >= EFF_MAX_SIZES ||
            in->enterprises[e].certified_year < 0)
            return false;
    for (size_t i = 0; i < in->nindicators; i++)
        if (in->indicators[i].category < EFF_QUALITY || in->indicators[i].category >= EFF_CATEGORIES)
            return false;
    return true;
}

static const char *grade_of(int present, int verified, size_t catalogue, bool drop)
{
    int g = (size_t)verified * 5 >= catalogue * 4 ? 0 : (size_t)present * 2 >= catalogue ? 1 : 2;
    if (drop && g < 2)
        g++;
    return g == 0 ? "A" : g == 1 ? "B" : "C";
}

bool effectiveness_compute(const eff_input_t *in, eff_result_t *results, eff_detail_t *details)
{
    if (!input_valid(in))
        return false;
    size_t ni = in->nindicators, ne = in->nenterprises, nr = 0;
    work_t w = {.in = in, .ymin = 0};
    int ymax = 0;
    for (size_t e = 0; e < ne; e++) {
        int y = in->enterprises[e].certified_year;
        if (y > 0) {
            w.ymin = w.ymin == 0 || y < w.ymin ? y : w.ymin;
            ymax = y > ymax ? y : ymax;
        }
    }
    if (w.ymin == 0)
        return true;    /* no certified enterprise: nothing to evaluate */
    w.nys = ymax - w.ymin + 1;
    size_t nkeys = (size_t)SECTIONS * EFF_MAX_SIZES;
    w.by_section = calloc((size_t)w.nys * nkeys * (ni ? ni : 1), sizeof *w.by_section);
    w.by_size = calloc((size_t)w.nys * EFF_MAX_SIZES * (ni ? ni : 1), sizeof *w.by_size);
    w.order_section = malloc((ne ? ne : 1) * sizeof *w.order_section);
    w.start_section = malloc((nkeys + 1) * sizeof *w.start_section);
    w.order_size = malloc((ne ? ne : 1) * sizeof *w.order_size);
    w.start_size = malloc((EFF_MAX_SIZES + 1) * sizeof *w.start_size);
    w.scratch = malloc((ne ? ne : 1) * sizeof *w.scratch);
    bool ok = false;
    if (!w.by_section || !w.by_size || !w.order_section || !w.start_section || !w.order_size || !w.start_size ||
        !w.scratch)
        goto done;
    if (!group(in, nkeys, true, w.order_section, w.start_section) ||
        !group(in, EFF_MAX_SIZES, false, w.order_size, w.start_size))
        goto done;

    /* steps 1–3 for every evaluated enterprise */
    for (size_t e = 0; e < ne; e++) {
        const eff_enterprise_t *me = &in->enterprises[e];
        if (me->certified_year <= 0)
            continue;
        results[nr] = (eff_result_t){.enterprise = e};
        for (size_t i = 0; i < ni; i++) {
            eff_detail_t *d = &details[nr * ni + i];
            *d = (eff_detail_t){.peer_median = NAN, .adjusted = NAN, .mad = NAN, .scaled = NAN,
                                .peer_level = EFF_PEER_NONE};
            d->change = indicator_change(in, e, i, me->certified_year, d);
            if (!d->present)
                continue;
            peer_adjust(&w, e, i, d);
            d->adjusted = d->peer_level == EFF_PEER_NONE ? d->change : d->change - d->peer_median;
        }
        nr++;
    }
    /* step 4: each indicator's MAD over every evaluated enterprise, then the scaled values */
    for (size_t i = 0; i < ni; i++) {
        size_t k = 0;
        for (size_t r = 0; r < nr; r++)
            if (details[r * ni + i].present)
                w.scratch[k++] = details[r * ni + i].adjusted;
        double mad = NAN;
        if (k > 0) {
            double med = effectiveness_median(w.scratch, k);
            for (size_t j = 0; j < k; j++)
                w.scratch[j] = fabs(w.scratch[j] - med);
            mad = effectiveness_median(w.scratch, k);
        }
        for (size_t r = 0; r < nr; r++) {
            eff_detail_t *d = &details[r * ni + i];
            if (!d->present)
                continue;
            d->mad = mad;
            double s = mad > 0 ? d->adjusted / mad : 0.0;
            d->scaled = s > 3 ? 3 : s < -3 ? -3 : s;
        }
    }
    /* steps 5 and 6 */
    for (size_t r = 0; r < nr; r++) {
        eff_result_t *res = &results[r];
        const eff_enterprise_t *me = &in->enterprises[res->enterprise];
        double sum[EFF_CATEGORIES] = {0}, weights = 0, weighted = 0;
        int count[EFF_CATEGORIES] = {0};
        bool management_improved = false;
        res->peer_level = EFF_PEER_INDUSTRY;
        for (size_t i = 0; i < ni; i++) {
            const eff_detail_t *d = &details[r * ni + i];
            if (!d->present)
                continue;
            eff_category_t c = in->indicators[i].category;
            sum[c] += d->scaled;
            count[c]++;
            res->present++;
            res->verified += d->verified;
            if (d->peer_level > res->peer_level)
                res->peer_level = d->peer_level;
            if (c == EFF_MANAGEMENT && d->adjusted > 0)
                management_improved = true;
        }
        for (int c = 0; c < EFF_CATEGORIES; c++) {
            res->category[c] = count[c] ? sum[c] / count[c] : NAN;
            if (count[c]) {
                weights += WEIGHT[c];
                weighted += WEIGHT[c] * res->category[c];
            }
        }
        res->any_present = res->present > 0;
        if (!res->any_present) {
            res->index = NAN;
            res->verdict = "";
            res->grade = "";
            res->form_only = false;
            continue;
        }
        res->index = 50.0 + (50.0 / 3.0) * weighted / weights;
        res->verdict = effectiveness_verdict(res->index);
        res->grade = grade_of(res->present, res->verified, ni, res->peer_level == EFF_PEER_NONE);
        res->form_only = in->current_year - me->certified_year >= 2 && res->index < 50 && !management_improved;
    }
    ok = true;
done:
    free(w.by_section);
    free(w.by_size);
    free(w.order_section);
    free(w.start_section);
    free(w.order_size);
    free(w.start_size);
    free(w.scratch);
    return ok;
}

/* Ranking method v1: scores, 80 % intervals and the order (see domain/ranking.h). */
#include "domain/ranking.h"

#include <math.h>
#include <stdlib.h>

/* z of the standard normal for a two-sided 80 % interval. */
#define RANKING_Z80 1.2815515655446004

double ranking_review_mean(const ranking_review_t *r)
{
    return (r->professionalism + r->effectiveness_check + r->timeliness + r->commitment_kept) / 4.0;
}

static bool within(double x, double lo, double hi)
{
    return isfinite(x) && x >= lo && x <= hi;
}

static bool body_valid(const ranking_body_t *b)
{
    if ((b->review_count && !b->reviews) || (b->outcome_count && !b->outcome_indices))
        return false;
    for (size_t i = 0; i < b->review_count; i++) {
        const ranking_review_t *r = &b->reviews[i];
        if (!within(r->professionalism, 1, 5) || !within(r->effectiveness_check, 1, 5) ||
            !within(r->timeliness, 1, 5) || !within(r->commitment_kept, 1, 5))
            return false;
    }
    for (size_t i = 0; i < b->outcome_count; i++)
        if (!within(b->outcome_indices[i], 0, 100))
            return false;
    return true;
}

/* Running sums for a mean and a sample variance. */
typedef struct moments {
    double n, sum, sum_sq;
} moments_t;

static void moments_add(moments_t *m, double x)
{
    m->n += 1;
    m->sum += x;
    m->sum_sq += x * x;
}

static double moments_mean(const moments_t *m, double if_empty)
{
    return m->n > 0 ? m->sum / m->n : if_empty;
}

/* Sample variance (n − 1); if_few when fewer than two values. */
static double moments_variance(const moments_t *m, double if_few)
{
    if (m->n < 2)
        return if_few;
    double v = (m->sum_sq - m->sum * m->sum / m->n) / (m->n - 1);
    return v > 0 ? v : 0;
}

static double clip(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* A key rounded to 1e-6 points: equal records compare equal whatever the summation order. */
static double key(double x)
{
    return round(x * 1e6);
}

static int better_first(const void *pa, const void *pb)
{
    const ranking_result_t *a = pa, *b = pb;
    double sa = key(a->overall), sb = key(b->overall);
    if (sa != sb)
        return sa > sb ? -1 : 1;
    double la = key(a->low), lb = key(b->low);
    if (la != lb)
        return la > lb ? -1 : 1;
    return (a->body_id > b->body_id) - (a->body_id < b->body_id);
}

bool ranking_compute(const ranking_body_t *bodies, size_t n, ranking_result_t *out)
{
    if (n && (!bodies || !out))
        return false;
    /* Platform: every review rating, every client index, every engagement. */
    moments_t ratings = {0}, indices = {0};
    double kept = 0, engagements = 0;
    for (size_t i = 0; i < n; i++) {
        const ranking_body_t *b = &bodies[i];
        if (!body_valid(b))
            return false;
        for (size_t j = 0; j < b->review_count; j++)
            moments_add(&ratings, ranking_review_mean(&b->reviews[j]));
        for (size_t j = 0; j < b->outcome_count; j++)
            moments_add(&indices, b->outcome_indices[j]);
        kept += b->engagements_kept;
        engagements += (double)b->engagements_kept + b->engagements_late;
    }
    double mean_rating = moments_mean(&ratings, 3.0);
    double share_kept = engagements > 0 ? kept / engagements : 0.5;
    /* Per-observation variances on the 0–100 scale. */
    double var_rating = moments_variance(&ratings, 1.0) * 625.0;
    double var_index = moments_variance(&indices, 625.0);

    for (size_t i = 0; i < n; i++) {
        const ranking_body_t *b = &bodies[i];
        ranking_result_t *r = &out[i];
        double sum = 0;
        for (size_t j = 0; j < b->review_count; j++)
            sum += ranking_review_mean(&b->reviews[j]);
        double n_rating = RANKING_RATING_PRIOR + (double)b->review_count;
        double rating = (RANKING_RATING_PRIOR * mean_rating + sum) / n_rating;

        sum = 0;
        for (size_t j = 0; j < b->outcome_count; j++)
            sum += b->outcome_indices[j];
        double n_outcome = RANKING_OUTCOME_PRIOR + (double)b->outcome_count;

        double n_commit = RANKING_COMMITMENT_PRIOR + (double)b->engagements_kept + b->engagements_late;
        double share = (RANKING_COMMITMENT_PRIOR * share_kept + b->engagements_kept) / n_commit;

        r->body_id = b->body_id;
        r->rating = clip((rating - 1.0) / 4.0 * 100.0, 0, 100);
        r->outcome = clip((RANKING_OUTCOME_PRIOR * 50.0 + sum) / n_outcome, 0, 100);
        r->commitment = clip(share * 100.0, 0, 100);
        r->overall = clip(0.5 * r->rating + 0.3 * r->outcome + 0.2 * r->commitment, 0, 100);

        double var = 0.25 * var_rating / n_rating + 0.09 * var_index / n_outcome +
                     0.04 * share * (1.0 - share) * 10000.0 / n_commit;
        double half = RANKING_Z80 * sqrt(var);
        r->low = clip(r->overall - half, 0, 100);
        r->high = clip(r->overall + half, 0, 100);
    }
    if (n)
        qsort(out, n, sizeof *out, better_first);
    for (size_t i = 0; i < n; i++)
        out[i].rank = (i > 0 && key(out[i].overall) == key(out[i - 1].overall)) ? out[i - 1].rank
                                                                                 : (int)i + 1;
    return true;
}

/* x rounded to RANKING_PUBLISHED_DECIMALS (one) decimal. */
static double published(double x)
{
    return round(x * 10.0) / 10.0;
}

void ranking_publish(ranking_result_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ranking_result_t *r = &out[i];
        r->rating = published(r->rating);
        r->outcome = published(r->outcome);
        r->commitment = published(r->commitment);
        r->overall = published(r->overall);
        r->low = published(r->low);
        r->high = published(r->high);
        r->rank = (i > 0 && r->overall == out[i - 1].overall) ? out[i - 1].rank : (int)i + 1;
    }
}

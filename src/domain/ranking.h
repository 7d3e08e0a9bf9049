/* Ranking of certification bodies, method v1 (DOMAIN.md "Ranking of certification bodies").
 * Pure: numbers in, numbers out, no I/O and no allocation.
 *
 * What the method sees of a body is exactly ranking_body_t: its verified ratings, the
 * effectiveness indices of its certified clients and its engagements finished within / after
 * the committed lead time. There is deliberately no field for founding date, registered
 * capital, number of clients, market share or region: the method cannot see them, so two
 * bodies with the same record rank equal whatever their age or size (the notice's point 三).
 *
 * Scores (all on 0–100), with platform means taken over every body given in one call:
 *   rating     = Bayesian average of the review ratings, prior strength 10 toward the platform
 *                mean review rating, then (r − 1) / 4 × 100;
 *   outcome    = mean client index shrunk toward 50 with prior strength 5;
 *   commitment = share of engagements kept shrunk toward the platform share, prior strength 5;
 *   overall    = 0.5 rating + 0.3 outcome + 0.2 commitment.
 * The 80 % interval and the order are described at ranking_compute() below. */
#ifndef GUANBIAO_RANKING_H
#define GUANBIAO_RANKING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RANKING_RATING_PRIOR = 10, RANKING_OUTCOME_PRIOR = 5, RANKING_COMMITMENT_PRIOR = 5 };

/* One verified review: the four scores, each 1–5. Its rating is their mean. */
typedef struct ranking_review {
    double professionalism;
    double effectiveness_check;
    double timeliness;
    double commitment_kept;
} ranking_review_t;

/* Everything the method sees of one body. The arrays belong to the caller and are only read.
 * outcome_count is the length of outcome_indices (how many client outcomes are measured): it
 * enters only as the weight of the evidence against the prior, as for reviews. */
typedef struct ranking_body {
    int64_t body_id;
    const ranking_review_t *reviews;   /* verified reviews only */
    size_t review_count;
    const double *outcome_indices;     /* certified clients' effectiveness indices, 0–100 */
    size_t outcome_count;
    uint32_t engagements_kept;         /* finished within the committed lead time */
    uint32_t engagements_late;         /* finished after it */
} ranking_body_t;

/* One body's place. Scores on 0–100; [low, high] is the 80 % interval of overall. */
typedef struct ranking_result {
    int64_t body_id;
    double rating;
    double outcome;
    double commitment;
    double overall;
    double low;
    double high;
    int rank;                          /* 1 = best; equal overall scores share a rank */
} ranking_result_t;

/* The mean of a review's four scores. */
double ranking_review_mean(const ranking_review_t *r);

/* Scores and orders n bodies into out[0..n-1] (caller's array of n), best first.
 *
 * Interval (normal approximation): each component's variance is its per-observation variance
 * divided by its effective count (prior strength + observations):
 *   rating      platform sample variance of review ratings × 25² (1–5 → 0–100) / (10 + n);
 *               625 (one point on 1–5) per observation when the platform has < 2 reviews;
 *   outcome     platform sample variance of client indices / (5 + n); 625 (25 points) when
 *               the platform has < 2 indices;
 *   commitment  p(1 − p) × 100² / (5 + engagements), p = the shrunk share (Bernoulli).
 * Components are taken as independent: var = 0.25 var_r + 0.09 var_o + 0.04 var_c;
 * interval = overall ± 1.2816 √var (z for 80 % two-sided), clipped to 0–100.
 * Platform means with no data: a rating of 3 (the middle of 1–5), a share kept of 0.5.
 *
 * Order: overall descending, then interval low descending, then body id ascending — never
 * name, age or size. Both keys are compared rounded to 1e-6 points so that summation order
 * cannot split equal records; equal (rounded) overall scores share a rank (1, 1, 3).
 *
 * False, with out not written, when a score lies outside 1–5, an index outside 0–100, a value
 * is not finite, or an array is NULL with a non-zero count. */
bool ranking_compute(const ranking_body_t *bodies, size_t n, ranking_result_t *out);

/* The published form of ranking_compute's out[0..n) (best first), in place: every score and
 * interval end rounded to one decimal (RANKING_PUBLISHED_DECIMALS), and the ranks given again
 * on the rounded overall scores, so that two bodies shown with the same score share a rank
 * (1, 1, 3) and a better rank never shows a lower score. The order is kept (rounding keeps it). */
enum { RANKING_PUBLISHED_DECIMALS = 1 };
void ranking_publish(ranking_result_t *out, size_t n);

#endif

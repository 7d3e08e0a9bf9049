/* The ranking's data (docs/marketplace.md "Ranking"): what the ranking job reads — per body,
 * the counted reviews and its decided engagements within / beyond the committed lead time —
 * what it writes (ranking_results and the one row of ranking_platform, sql/011 and 014), and
 * the enqueueing of the job. The computation itself is domain/ranking.h; src/api/rankings.c
 * joins the two. What is counted, decided here once:
 *   - bodies: every body whose CNCA approval is not withdrawn (a withdrawn body can take no
 *     engagement, so it is left out of the ranking, and its reviews out of the platform means);
 *   - reviews: feedback not hidden, of a decided engagement, from an enterprise with no
 *     consulting tie to the body (DOMAIN.md: such an enterprise may not rate it);
 *   - engagements: decided ones whose within_commitment is known.
 * Never read: founding date, capital, client counts, region. */
#ifndef GUANBIAO_STORE_RANKING_H
#define GUANBIAO_STORE_RANKING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The job kind the table of kinds (src/api/jobs.c) registers for the ranking. */
#define RANKING_JOB_KIND "ranking_refresh"

/* The four ratings of a review, each 1–5, in this order everywhere below. */
enum { RANKING_DIM_PROFESSIONALISM, RANKING_DIM_EFFECTIVENESS, RANKING_DIM_TIMELINESS, RANKING_DIM_COMMITMENT,
       RANKING_DIMS };

typedef struct ranking_input_review {
    double score[RANKING_DIMS];
} ranking_input_review_t;

typedef struct ranking_input_body {
    int64_t body_id;
    size_t first_review;           /* its reviews are reviews[first_review .. first_review + review_count) */
    size_t review_count;
    int64_t within, beyond;        /* decided engagements within / beyond the committed lead time */
} ranking_input_body_t;

/* Every body ranked, by id, and all their counted reviews grouped by body. Owned by the
 * struct: ranking_inputs_free() releases it. */
typedef struct ranking_inputs {
    ranking_input_body_t *bodies;
    size_t nbodies;
    ranking_input_review_t *reviews;
    size_t nreviews;
} ranking_inputs_t;

/* Reads the inputs in three queries (bodies, reviews, engagement counts), no per-body query.
 * False on a database error (nothing to free then). No transaction needed. */
bool ranking_inputs_read(db_t *db, ranking_inputs_t *out);
void ranking_inputs_free(ranking_inputs_t *in);

/* One body's stored result with the inputs it came from. Means on 1–5, NaN when it has no
 * review (stored NULL). */
typedef struct ranking_row {
    int64_t body_id;
    double score, low, high, rating, outcome, commitment;
    int64_t reviews, rank;
    double mean[RANKING_DIMS], mean_rating;
    int64_t within, beyond, outcomes;
} ranking_row_t;

/* The run: the platform means every body was shrunk toward. mean[] NaN when no review. */
typedef struct ranking_platform {
    const char *method;
    int64_t computed_at;
    int64_t bodies, reviews;
    double mean[RANKING_DIMS], mean_rating;
    int64_t within, beyond;
    double share_within;
} ranking_platform_t;

/* Replaces every row of ranking_results by rows[0..n) and the run's row by *p, in one
 * transaction (nested into the caller's if one is open). Serialised with other runs by the
 * ranking_platform row's lock. False on a database error (then nothing changed). */
bool ranking_results_replace(db_t *db, const ranking_platform_t *p, const ranking_row_t *rows, size_t n);

/* Enqueues the ranking job unless one is queued already (a running one does not count: it
 * may have read the inputs before the change), in the caller's transaction when one is open
 * (call it right after a write that changes the inputs: an engagement decided, a review
 * created, edited, hidden or shown). *job_id (may be NULL) gets the queued job's id, new or
 * not. Exact on PostgreSQL too: the check runs under the ranking_platform row's lock. False
 * on a database error. */
bool ranking_refresh_enqueue_job(db_t *db, int64_t *job_id);
/* The same without the id (what the engagement and feedback writes call). */
bool ranking_refresh_enqueue(db_t *db);

#endif

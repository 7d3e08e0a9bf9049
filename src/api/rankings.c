/* The ranking of certification bodies (docs/marketplace.md "Ranking"): the run that reads the
 * inputs (store/ranking.h), computes them with method v1 (domain/ranking.h) and stores the
 * result — the job ranking_refresh and the demo seed both call ranking_refresh_run — and the
 * routes GET /api/rankings, GET /api/bodies/{id}/ranking (public) and POST
 * /api/rankings/refresh (admins). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "domain/ranking.h"
#include "store/audit.h"
#include "store/ranking.h"

#define RANKING_METHOD "v1"

/* The effectiveness indices (0–100) of each ranked body's certified clients (issue 10): the
 * stored results (effectiveness_results, method v1) whose body — the one that issued the
 * client's first certificate — is the ranked body, with an index (an enterprise with no
 * evaluable indicator is not an outcome). A body with none keeps its prior, 50. indices[i] /
 * counts[i] belong to in->bodies[i]; *storage (freed by the caller, may stay NULL) holds the
 * arrays. False on a database error. */
static bool client_outcomes_read(db_t *db, const ranking_inputs_t *in, const double **indices, size_t *counts,
                                 double **storage)
{
    *storage = NULL;
    for (size_t i = 0; i < in->nbodies; i++) {
        indices[i] = NULL;
        counts[i] = 0;
    }
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM effectiveness_results WHERE body_id IS NOT NULL AND "
                              "index_value IS NOT NULL", "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    size_t total = rc == STORE_ROW ? (size_t)stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != STORE_ROW)
        return false;
    if (total == 0 || in->nbodies == 0)
        return true;
    double *all = malloc(total * sizeof *all);
    if (all == NULL)
        return false;
    *storage = all;
    st = db_query(db, "SELECT body_id, index_value FROM effectiveness_results WHERE body_id IS NOT NULL AND "
                      "index_value IS NOT NULL ORDER BY body_id, enterprise_id", "");
    if (st == NULL)
        return false;
    size_t n = 0, i = 0;
    while (n < total && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t body = stmt_int(st, 0);
        /* both in body order: walk the ranked bodies forward (in->bodies is by id) */
        while (i < in->nbodies && in->bodies[i].body_id < body)
            i++;
        if (i == in->nbodies)
            break;
        if (in->bodies[i].body_id != body)
            continue;     /* not ranked (its approval withdrawn, …) */
        double x = stmt_double(st, 1);
        all[n] = x < 0 ? 0 : x > 100 ? 100 : x;    /* within 0–100 by construction; rounding aside */
        if (counts[i]++ == 0)
            indices[i] = &all[n];
        n++;
    }
    if (rc == STORE_ROW)
        rc = STORE_DONE;    /* stopped early: every ranked body is behind us */
    stmt_done(st);
    return rc == STORE_DONE;
}

/* The mean of reviews[first .. first + n) on dimension d, NaN when n is 0. */
static double dimension_mean(const ranking_input_review_t *reviews, size_t first, size_t n, int d)
{
    if (n == 0)
        return NAN;
    double sum = 0;
    for (size_t j = first; j < first + n; j++)
        sum += reviews[j].score[d];
    return sum / (double)n;
}

/* The platform means of the run (what ranking_compute shrinks toward). */
static void platform_means(const ranking_inputs_t *in, const ranking_review_t *reviews, ranking_platform_t *p)
{
    p->bodies = (int64_t)in->nbodies;
    p->reviews = (int64_t)in->nreviews;
    for (int d = 0; d < RANKING_DIMS; d++)
        p->mean[d] = dimension_mean(in->reviews, 0, in->nreviews, d);
    double sum = 0;
    for (size_t j = 0; j < in->nreviews; j++)
        sum += ranking_review_mean(&reviews[j]);
    p->mean_rating = in->nreviews ? sum / (double)in->nreviews : 3.0;
    p->within = p->beyond = 0;
    for (size_t i = 0; i < in->nbodies; i++) {
        p->within += in->bodies[i].within;
        p->beyond += in->bodies[i].beyond;
    }
    p->share_within = p->within + p->beyond > 0 ? (double)p->within / (double)(p->within + p->beyond) : 0.5;
}

bool ranking_refresh_run(db_t *db, int64_t now, char *err, size_t errlen)
{
    ranking_inputs_t in;
    if (!ranking_inputs_read(db, &in)) {
        snprintf(err, errlen, "reading the ranking's inputs: %s", db_error(db));
        return false;
    }
    size_t n = in.nbodies;
    ranking_review_t *reviews = calloc(in.nreviews ? in.nreviews : 1, sizeof *reviews);
    ranking_body_t *bodies = calloc(n ? n : 1, sizeof *bodies);
    ranking_result_t *results = calloc(n ? n : 1, sizeof *results);
    ranking_row_t *rows = calloc(n ? n : 1, sizeof *rows);
    const double **indices = calloc(n ? n : 1, sizeof *indices);
    size_t *counts = calloc(n ? n : 1, sizeof *counts);
    size_t *place = calloc(n ? n : 1, sizeof *place);     /* results[k]'s body in in.bodies */
    double *outcome_storage = NULL;
    bool ok = false;
    if (!reviews || !bodies || !results || !rows || !indices || !counts || !place) {
        snprintf(err, errlen, "ranking: out of memory");
        goto done;
    }
    if (!client_outcomes_read(db, &in, indices, counts, &outcome_storage)) {
        snprintf(err, errlen, "reading client outcomes: %s", db_error(db));
        goto done;
    }
    for (size_t j = 0; j < in.nreviews; j++) {
        const double *s = in.reviews[j].score;
        reviews[j] = (ranking_review_t){s[RANKING_DIM_PROFESSIONALISM], s[RANKING_DIM_EFFECTIVENESS],
                                        s[RANKING_DIM_TIMELINESS], s[RANKING_DIM_COMMITMENT]};
    }
    for (size_t i = 0; i < n; i++) {
        const ranking_input_body_t *b = &in.bodies[i];
        bodies[i] = (ranking_body_t){
            .body_id = b->body_id,
            .reviews = b->review_count ? &reviews[b->first_review] : NULL,
            .review_count = b->review_count,
            .outcome_indices = indices[i],
            .outcome_count = counts[i],
            .engagements_kept = (uint32_t)b->within,
            .engagements_late = (uint32_t)b->beyond,
        };
    }
    if (!ranking_compute(bodies, n, results)) {
        snprintf(err, errlen, "ranking: an input is out of range (a rating outside 1–5 or an index outside 0–100)");
        goto done;
    }
    ranking_publish(results, n);

    ranking_platform_t platform = {.method = RANKING_METHOD, .computed_at = now};
    platform_means(&in, reviews, &platform);
    for (size_t k = 0, i = 0; k < n; k++) {
        /* results are best first, the inputs by id: find each result's body (ids are unique) */
        for (i = 0; i < n && in.bodies[i].body_id != results[k].body_id; i++)
            ;
        place[k] = i;
    }
    for (size_t k = 0; k < n; k++) {
        const ranking_result_t *r = &results[k];
        const ranking_input_body_t *b = &in.bodies[place[k]];
        ranking_row_t *row = &rows[k];
        *row = (ranking_row_t){
            .body_id = r->body_id, .score = r->overall, .low = r->low, .high = r->high, .rating = r->rating,
            .outcome = r->outcome, .commitment = r->commitment, .reviews = (int64_t)b->review_count, .rank = r->rank,
            .within = b->within, .beyond = b->beyond, .outcomes = (int64_t)counts[place[k]],
        };
        double sum = 0;
        for (int d = 0; d < RANKING_DIMS; d++) {
            row->mean[d] = dimension_mean(in.reviews, b->first_review, b->review_count, d);
            sum += row->mean[d];
        }
        row->mean_rating = sum / RANKING_DIMS;    /* NaN with no review, as the dimensions */
    }
    if (!ranking_results_replace(db, &platform, rows, n)) {
        snprintf(err, errlen, "storing the ranking: %s", db_error(db));
        goto done;
    }
    ok = true;
done:
    free(outcome_storage);
    free(place);
    free(counts);
    free(indices);
    free(rows);
    free(results);
    free(bodies);
    free(reviews);
    ranking_inputs_free(&in);
    return ok;
}

/* ---- answers ---- */

/* A number with `decimals` decimals (scores: one, means and shares: four), or null when NaN / SQL NULL. */
static void write_number(jw_t *w, const char *key, double v, int decimals)
{
    char text[40];
    jw_key(w, key);
    if (isnan(v)) {
        jw_null(w);
        return;
    }
    snprintf(text, sizeof text, "%.*f", decimals, v);
    jw_raw(w, text);
}

static double column_number(stmt_t *st, int col)
{
    return stmt_is_null(st, col) ? NAN : stmt_double(st, col);
}

/* The run's method and time: "method", "computed_at" (null before the first run). False on a
 * database error. *bodies (may be NULL) gets the number of bodies ranked. */
static bool write_run(db_t *db, jw_t *w, int64_t *bodies)
{
    stmt_t *st = db_query(db, "SELECT computed_at, bodies FROM ranking_platform WHERE id = 1", "");
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        return false;
    }
    int64_t at = stmt_int(st, 0);
    if (bodies != NULL)
        *bodies = stmt_int(st, 1);
    stmt_done(st);
    char iso[21];
    jw_kstr(w, "method", RANKING_METHOD);
    if (at > 0) {
        time_iso(at, iso);
        jw_kstr(w, "computed_at", iso);
    } else {
        jw_kstr(w, "computed_at", NULL);
    }
    return true;
}

#define ENTRY_COLUMNS "r.body_id, b.name, r.score, r.low, r.high, r.rating, r.outcome, r.commitment, r.reviews, r.rank"

/* One entry's members from a row of ENTRY_COLUMNS (inside an open object). */
static void write_entry(stmt_t *st, jw_t *w)
{
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "name", stmt_text(st, 1));
    jw_end(w);
    write_number(w, "score", stmt_double(st, 2), RANKING_PUBLISHED_DECIMALS);
    jw_key(w, "interval");
    jw_array(w);
    char text[40];
    snprintf(text, sizeof text, "%.*f", RANKING_PUBLISHED_DECIMALS, stmt_double(st, 3));
    jw_raw(w, text);
    snprintf(text, sizeof text, "%.*f", RANKING_PUBLISHED_DECIMALS, stmt_double(st, 4));
    jw_raw(w, text);
    jw_end(w);
    jw_key(w, "components");
    jw_object(w);
    write_number(w, "rating", stmt_double(st, 5), RANKING_PUBLISHED_DECIMALS);
    write_number(w, "outcome", stmt_double(st, 6), RANKING_PUBLISHED_DECIMALS);
    write_number(w, "commitment", stmt_double(st, 7), RANKING_PUBLISHED_DECIMALS);
    jw_end(w);
    jw_kint(w, "reviews", stmt_int(st, 8));
    jw_kint(w, "rank", stmt_int(st, 9));
}

/* The four dimensions' and the rating's means from columns col .. col + 4, as "means". */
static void write_means(stmt_t *st, int col, jw_t *w)
{
    static const char *const names[] = {"professionalism", "effectiveness", "timeliness", "commitment", "rating"};
    jw_key(w, "means");
    jw_object(w);
    for (int d = 0; d < 5; d++)
        write_number(w, names[d], column_number(st, col + d), 4);
    jw_end(w);
}

/* Bodies whose approval was withdrawn after the last run are left out until the next one. */
#define RANKED_FROM "FROM ranking_results r JOIN bodies b ON b.id = r.body_id AND b.approval_status <> 'withdrawn' "

void api_rankings_list(call_t *c)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    bool ok = write_run(c->db, w, NULL);
    jw_key(w, "items");
    jw_array(w);
    stmt_t *st = ok ? db_query(c->db, "SELECT " ENTRY_COLUMNS " " RANKED_FROM
                                      "ORDER BY r.rank, r.score DESC, r.low DESC, r.body_id", "")
                    : NULL;
    int rc = STORE_ERROR;
    if (st != NULL) {
        while ((rc = stmt_step(st)) == STORE_ROW) {
            jw_object(w);
            write_entry(st, w);
            jw_end(w);
        }
    }
    stmt_done(st);
    jw_end(w);
    jw_end(w);
    if (rc != STORE_DONE)
        call_db_error(c, "rankings");      /* replaces whatever was written */
}

void api_bodies_ranking(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id <= 0)
        return;
    stmt_t *st = db_query(c->db,
        "SELECT " ENTRY_COLUMNS ", r.mean_professionalism, r.mean_effectiveness, r.mean_timeliness, "
        "r.mean_commitment, r.mean_rating, r.engagements_within, r.engagements_beyond, r.outcomes, "
        "p.reviews, p.mean_professionalism, p.mean_effectiveness, p.mean_timeliness, p.mean_commitment, "
        "p.mean_rating, p.engagements_within, p.engagements_beyond, p.share_within "
        RANKED_FROM "JOIN ranking_platform p ON p.id = 1 WHERE r.body_id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "body ranking");
            return;
        }
        /* which 404: no such body, or a body not ranked */
        st = db_query(c->db, "SELECT 1 FROM bodies WHERE id = $1", "I", id);
        rc = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        if (rc == STORE_ROW)
            call_error(c, "ranking_not_found", NULL);
        else if (rc == STORE_DONE)
            call_error(c, "body_not_found", NULL);
        else
            call_db_error(c, "body lookup");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    int64_t ranked = 0;
    bool ok = write_run(c->db, w, &ranked);
    write_entry(st, w);
    jw_kint(w, "bodies_ranked", ranked);
    jw_key(w, "inputs");
    jw_object(w);
    jw_kint(w, "reviews", stmt_int(st, 8));
    write_means(st, 10, w);
    jw_key(w, "engagements");
    jw_object(w);
    jw_kint(w, "within", stmt_int(st, 15));
    jw_kint(w, "beyond", stmt_int(st, 16));
    jw_end(w);
    jw_kint(w, "outcomes", stmt_int(st, 17));
    jw_end(w);
    jw_key(w, "platform");
    jw_object(w);
    jw_kint(w, "reviews", stmt_int(st, 18));
    write_means(st, 19, w);
    jw_key(w, "engagements");
    jw_object(w);
    jw_kint(w, "within", stmt_int(st, 24));
    jw_kint(w, "beyond", stmt_int(st, 25));
    jw_end(w);
    write_number(w, "share_within", stmt_double(st, 26), 4);
    write_number(w, "outcome_prior", 50.0, RANKING_PUBLISHED_DECIMALS);
    jw_end(w);
    jw_end(w);
    stmt_done(st);
    if (!ok)
        call_db_error(c, "body ranking");
}

void api_rankings_refresh(call_t *c)
{
    int64_t job = 0;
    /* the job and its audit entry commit together */
    int w = db_begin(c->db) == STORE_DONE && ranking_refresh_enqueue_job(c->db, &job) ? 1 : -1;
    if (w == 1) {
        audit_actor_t actor = call_actor(c);
        if (!audit_record_id(c->db, &actor, "ranking.refresh", "job", job, "", NULL,
                             "{\"kind\":\"" RANKING_JOB_KIND "\",\"state\":\"queued\"}"))
            w = -1;
    }
    if (db_finish(c->db, w) != 1) {
        call_db_error(c, "ranking refresh");
        return;
    }
    jw_t *out = call_json_begin(c, 202);
    jw_object(out);
    jw_kint(out, "job_id", job);
    jw_end(out);
}

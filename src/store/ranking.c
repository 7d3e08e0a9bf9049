/* The ranking's data: its inputs, its stored results, the enqueueing of its job
 * (store/ranking.h). */
#include "store/ranking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/jobs.h"

/* Grows *items (of size each) to hold at least need; false when out of memory. */
static bool grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (p == NULL)
        return false;
    *items = p;
    *cap = n;
    return true;
}

void ranking_inputs_free(ranking_inputs_t *in)
{
    free(in->bodies);
    free(in->reviews);
    *in = (ranking_inputs_t){0};
}

/* The bodies ranked, by id. */
static bool read_bodies(db_t *db, ranking_inputs_t *in)
{
    size_t cap = 0;
    int rc;
    stmt_t *st = db_query(db, "SELECT id FROM bodies WHERE approval_status <> 'withdrawn' ORDER BY id", "");
    if (st == NULL)
        return false;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (!grow((void **)&in->bodies, &cap, in->nbodies + 1, sizeof *in->bodies)) {
            rc = STORE_ERROR;
            break;
        }
        in->bodies[in->nbodies++] = (ranking_input_body_t){.body_id = stmt_int(st, 0)};
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

/* The counted reviews (store/ranking.h), by body then id, merged into the bodies' ranges. */
static bool read_reviews(db_t *db, ranking_inputs_t *in)
{
    size_t cap = 0, b = 0;
    int rc;
    stmt_t *st = db_query(db,
        "SELECT e.body_id, f.professionalism, f.effectiveness, f.timeliness, f.commitment "
        "FROM feedback f JOIN engagements e ON e.id = f.engagement_id "
        "JOIN bodies b ON b.id = e.body_id "
        "WHERE f.hidden = 0 AND e.status = 'decided' AND b.approval_status <> 'withdrawn' "
        "AND NOT EXISTS (SELECT 1 FROM consulting_ties t WHERE t.enterprise_id = e.enterprise_id "
        "AND t.body_id = e.body_id) "
        "ORDER BY e.body_id, f.id", "");
    if (st == NULL)
        return false;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t body_id = stmt_int(st, 0);
        while (b < in->nbodies && in->bodies[b].body_id < body_id)
            b++;
        if (b == in->nbodies || in->bodies[b].body_id != body_id)
            continue;     /* cannot happen: the join keeps ranked bodies only */
        if (!grow((void **)&in->reviews, &cap, in->nreviews + 1, sizeof *in->reviews)) {
            rc = STORE_ERROR;
            break;
        }
        if (in->bodies[b].review_count == 0)
            in->bodies[b].first_review = in->nreviews;
        in->bodies[b].review_count++;
        ranking_input_review_t *r = &in->reviews[in->nreviews++];
        for (int d = 0; d < RANKING_DIMS; d++)
            r->score[d] = (double)stmt_int(st, 1 + d);
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

/* Decided engagements within / beyond the committed lead time, per body. */
static bool read_engagements(db_t *db, ranking_inputs_t *in)
{
    size_t b = 0;
    int rc;
    stmt_t *st = db_query(db,
        "SELECT body_id, SUM(CASE WHEN within_commitment = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN within_commitment = 1 THEN 0 ELSE 1 END) "
        "FROM engagements WHERE status = 'decided' AND within_commitment IS NOT NULL "
        "GROUP BY body_id ORDER BY body_id", "");
    if (st == NULL)
        return false;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        int64_t body_id = stmt_int(st, 0);
        while (b < in->nbodies && in->bodies[b].body_id < body_id)
            b++;
        if (b < in->nbodies && in->bodies[b].body_id == body_id) {
            in->bodies[b].within = stmt_int(st, 1);
            in->bodies[b].beyond = stmt_int(st, 2);
        }
    }
    stmt_done(st);
    return rc == STORE_DONE;
}

bool ranking_inputs_read(db_t *db, ranking_inputs_t *out)
{
    *out = (ranking_inputs_t){0};
    if (read_bodies(db, out) && read_reviews(db, out) && read_engagements(db, out))
        return true;
    ranking_inputs_free(out);
    return false;
}

/* Binds a mean, NULL when NaN (no review). */
static void bind_mean(stmt_t *st, int index, double v)
{
    if (isnan(v))
        stmt_bind_null(st, index);
    else
        stmt_bind_double(st, index, v);
}

/* Takes the ranking_platform row's lock in the open transaction: SELECT … FOR UPDATE on
 * PostgreSQL (not a no-op UPDATE, which would leave a dead row version per call: see
 * docs/decisions.md on the body standing guard); on SQLite the write transaction already
 * serialises writers, so only the row's presence is checked. */
static bool lock_ranking(db_t *db)
{
    bool pg = store_kind(db_store(db)) == STORE_POSTGRES;
    stmt_t *st = db_query(db, pg ? "SELECT id FROM ranking_platform WHERE id = 1 FOR UPDATE"
                                 : "SELECT id FROM ranking_platform WHERE id = 1", "");
    bool ok = st != NULL && stmt_step(st) == STORE_ROW;
    stmt_done(st);
    return ok;
}

static bool write_platform(db_t *db, const ranking_platform_t *p)
{
    stmt_t *st = db_prepare(db,
        "UPDATE ranking_platform SET method = $1, computed_at = $2, bodies = $3, reviews = $4, "
        "mean_professionalism = $5, mean_effectiveness = $6, mean_timeliness = $7, mean_commitment = $8, "
        "mean_rating = $9, engagements_within = $10, engagements_beyond = $11, share_within = $12 WHERE id = 1");
    if (st == NULL)
        return false;
    stmt_bind_text(st, 1, p->method, strlen(p->method));
    stmt_bind_int(st, 2, p->computed_at);
    stmt_bind_int(st, 3, p->bodies);
    stmt_bind_int(st, 4, p->reviews);
    for (int d = 0; d < RANKING_DIMS; d++)
        bind_mean(st, 5 + d, p->mean[d]);
    stmt_bind_double(st, 9, p->mean_rating);
    stmt_bind_int(st, 10, p->within);
    stmt_bind_int(st, 11, p->beyond);
    stmt_bind_double(st, 12, p->share_within);
    bool ok = stmt_step(st) == STORE_DONE && stmt_changes(st) == 1;
    stmt_done(st);
    return ok;
}

static bool write_row(db_t *db, const ranking_platform_t *p, const ranking_row_t *r)
{
    stmt_t *st = db_prepare(db,
        "INSERT INTO ranking_results (body_id, method, score, low, high, rating, outcome, commitment, reviews, rank, "
        "computed_at, mean_professionalism, mean_effectiveness, mean_timeliness, mean_commitment, mean_rating, "
        "engagements_within, engagements_beyond, outcomes) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)");
    if (st == NULL)
        return false;
    stmt_bind_int(st, 1, r->body_id);
    stmt_bind_text(st, 2, p->method, strlen(p->method));
    stmt_bind_double(st, 3, r->score);
    stmt_bind_double(st, 4, r->low);
    stmt_bind_double(st, 5, r->high);
    stmt_bind_double(st, 6, r->rating);
    stmt_bind_double(st, 7, r->outcome);
    stmt_bind_double(st, 8, r->commitment);
    stmt_bind_int(st, 9, r->reviews);
    stmt_bind_int(st, 10, r->rank);
    stmt_bind_int(st, 11, p->computed_at);
    for (int d = 0; d < RANKING_DIMS; d++)
        bind_mean(st, 12 + d, r->mean[d]);
    bind_mean(st, 16, r->mean_rating);
    stmt_bind_int(st, 17, r->within);
    stmt_bind_int(st, 18, r->beyond);
    stmt_bind_int(st, 19, r->outcomes);
    bool ok = stmt_step(st) == STORE_DONE;
    stmt_done(st);
    return ok;
}

bool ranking_results_replace(db_t *db, const ranking_platform_t *p, const ranking_row_t *rows, size_t n)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    bool ok = lock_ranking(db) && db_run(db, "DELETE FROM ranking_results", "") >= 0 && write_platform(db, p);
    for (size_t i = 0; ok && i < n; i++)
        ok = write_row(db, p, &rows[i]);
    return db_finish(db, ok ? 1 : -1) == 1;
}

bool ranking_refresh_enqueue_job(db_t *db, int64_t *job_id)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    int64_t id = -1;
    if (lock_ranking(db)) {
        stmt_t *st = db_query(db, "SELECT id FROM jobs WHERE kind = $1 AND state = 'queued' ORDER BY id LIMIT 1", "t",
                              RANKING_JOB_KIND);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        if (rc == STORE_ROW)
            id = stmt_int(st, 0);
        stmt_done(st);
        if (rc == STORE_DONE)
            id = job_enqueue(db, RANKING_JOB_KIND, "{}", 0);
    }
    if (db_finish(db, id > 0 ? 1 : -1) != 1)
        return false;
    if (job_id != NULL)
        *job_id = id;
    return true;
}

bool ranking_refresh_enqueue(db_t *db)
{
    return ranking_refresh_enqueue_job(db, NULL);
}

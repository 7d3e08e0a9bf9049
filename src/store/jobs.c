/* The job queue and the schedules in the database (see jobs.h and docs/jobs.md). Every write
 * of a claimed job is guarded by its claim (id, node, attempts), so a node whose lease ran out
 * cannot overwrite the outcome of the node that claimed the job after it. */
#include "store/jobs.h"

#include <string.h>

#include "core/text.h"
#include "store/store_internal.h"

static const job_kind_t *kinds;
static int nkinds;

const char *job_state_name(job_state_t s)
{
    static const char *const names[JOB_NSTATES] = {"queued", "running", "done", "dead"};
    return s >= 0 && s < JOB_NSTATES ? names[s] : "";
}

void job_kinds_register(const job_kind_t *table, int n)
{
    kinds = table;
    nkinds = n;
}

const job_kind_t *job_kind_find(const char *name)
{
    for (int i = 0; i < nkinds && name != NULL; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

int64_t job_enqueue(db_t *db, const char *kind, const char *payload, int64_t run_at)
{
    int max_attempts = JOB_DEFAULT_MAX_ATTEMPTS;
    if (kinds != NULL) {
        const job_kind_t *k = job_kind_find(kind);
        if (k == NULL) {
            db_set_error(db, DB_ERR_CHECK, "job_enqueue: no job kind '%s'", kind ? kind : "(null)");
            return -1;
        }
        if (k->max_attempts > 0)
            max_attempts = k->max_attempts;
    }
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at) "
        "VALUES ($1, $2, 'queued', 0, $3, $4, $5) RETURNING id",
        "ttiII", kind, payload ? payload : "{}", max_attempts, run_at > 0 ? run_at : now, now);
    if (st == NULL)
        return -1;
    int64_t id = stmt_insert_id(st);
    return id > 0 ? id : -1;
}

int job_claim(db_t *db, arena_t *a, const char *node, int64_t now, int64_t locked_until, claimed_job_t *out, int max)
{
    /* SKIP LOCKED: a row another node's claim has locked is passed over, not waited for, and
     * never claimed twice; SQLite has one runner (and one writer) and needs no such clause */
    const char *sql = store_kind(db_store(db)) == STORE_POSTGRES
        ? "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2 "
          "WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4 "
          "FOR UPDATE SKIP LOCKED) RETURNING id, kind, payload, attempts, max_attempts"
        : "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2 "
          "WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4) "
          "RETURNING id, kind, payload, attempts, max_attempts";
    stmt_t *st = db_query(db, sql, "tIIi", node, locked_until, now, max);
    if (st == NULL)
        return -1;
    int n = 0, rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n >= max)
            continue;           /* cannot happen (LIMIT); read to the end all the same */
        out[n].id = stmt_int(st, 0);
        out[n].kind = arena_strdup(a, stmt_text(st, 1));
        out[n].payload = arena_strdup(a, stmt_text(st, 2));
        out[n].attempts = stmt_int(st, 3);
        out[n].max_attempts = stmt_int(st, 4);
        n++;
    }
    stmt_done(st);
    return rc == STORE_DONE ? n : -1;
}

/* s cut to fit out (n bytes with the NUL), at a character boundary. */
static void cut_utf8(const char *s, char *out, size_t n)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

static int outcome(int64_t changed) { return changed < 0 ? -1 : changed > 0 ? 1 : 0; }

int job_succeeded(db_t *db, const claimed_job_t *job, const char *node, int64_t now)
{
    return outcome(db_run(db,
        "UPDATE jobs SET state = 'done', finished_at = $1, locked_until = 0, last_error = '' "
        "WHERE id = $2 AND state = 'running' AND locked_by = $3 AND attempts = $4",
        "IItI", now, job->id, node, job->attempts));
}

int job_failed(db_t *db, const claimed_job_t *job, const char *node, const char *error, int64_t now, int64_t retry_at)
{
    char cut[JOB_ERROR_MAX + 1];
    cut_utf8(error ? error : "", cut, sizeof cut);
    if (job->attempts >= job->max_attempts)
        return outcome(db_run(db,
            "UPDATE jobs SET state = 'dead', finished_at = $1, locked_until = 0, last_error = $2 "
            "WHERE id = $3 AND state = 'running' AND locked_by = $4 AND attempts = $5",
            "ItItI", now, cut, job->id, node, job->attempts));
    return outcome(db_run(db,
        "UPDATE jobs SET state = 'queued', run_at = $1, locked_until = 0, last_error = $2 "
        "WHERE id = $3 AND state = 'running' AND locked_by = $4 AND attempts = $5",
        "ItItI", retry_at, cut, job->id, node, job->attempts));
}

int job_release(db_t *db, const claimed_job_t *job, const char *node)
{
    return outcome(db_run(db,
        "UPDATE jobs SET state = 'queued', attempts = attempts - 1, locked_until = 0 "
        "WHERE id = $1 AND state = 'running' AND locked_by = $2 AND attempts = $3",
        "ItI", job->id, node, job->attempts));
}

int64_t job_backoff(int64_t base, int64_t attempts)
{
    enum { MAX_DELAY = 3600 };
    if (base < 1)
        base = 1;
    int64_t delay = base;
    for (int64_t i = 1; i < attempts && delay < MAX_DELAY; i++)
        delay *= 2;
    return delay < MAX_DELAY ? delay : (base > MAX_DELAY ? base : MAX_DELAY);
}

int64_t jobs_recover_expired(db_t *db, int64_t now)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t dead = db_run(db,
        "UPDATE jobs SET state = 'dead', finished_at = $1, locked_until = 0, "
        "last_error = 'its node stopped while running it (lease expired) and no attempt is left' "
        "WHERE state = 'running' AND locked_until < $1 AND attempts >= max_attempts", "I", now);
    int64_t again = dead < 0 ? -1 : db_run(db,
        "UPDATE jobs SET state = 'queued', run_at = $1, locked_until = 0, "
        "last_error = 'its node stopped while running it (lease expired)' "
        "WHERE state = 'running' AND locked_until < $1", "I", now);
    if (again < 0 || db_commit(db) != STORE_DONE) {
        db_rollback(db);
        return -1;
    }
    return dead + again;
}

int job_retry(db_t *db, int64_t id, int64_t now)
{
    return outcome(db_run(db,
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, finished_at = NULL, locked_until = 0 "
        "WHERE id = $2 AND state = 'dead'", "II", now, id));
}

bool jobs_count(db_t *db, int64_t counts[JOB_NSTATES])
{
    for (int i = 0; i < JOB_NSTATES; i++)
        counts[i] = 0;
    stmt_t *st = db_query(db, "SELECT state, COUNT(*) FROM jobs GROUP BY state", "");
    if (st == NULL)
        return false;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        for (int i = 0; i < JOB_NSTATES; i++)
            if (strcmp(stmt_text(st, 0), job_state_name((job_state_t)i)) == 0)
                counts[i] = stmt_int(st, 1);
    stmt_done(st);
    return rc == STORE_DONE;
}

int64_t jobs_purge_done(db_t *db, int64_t before)
{
    return db_run(db, "DELETE FROM jobs WHERE state = 'done' AND finished_at < $1", "I", before);
}

bool schedule_ensure(db_t *db, const char *name, int64_t first_run, int64_t latest)
{
    return db_run(db, "INSERT INTO schedules (name, next_run) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                  "tI", name, first_run) >= 0 &&
           db_run(db, "UPDATE schedules SET next_run = $1 WHERE name = $2 AND next_run > $1", "It", latest, name) >= 0;
}

int schedule_fire(db_t *db, const char *name, const char *kind, const char *payload, int64_t now, int64_t next)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t moved = db_run(db, "UPDATE schedules SET next_run = $1 WHERE name = $2 AND next_run <= $3", "ItI",
                           next, name, now);
    int rc = moved < 0 ? -1 : moved == 0 ? 0 : job_enqueue(db, kind, payload, now) > 0 ? 1 : -1;
    if (rc == 1)
        return db_commit(db) == STORE_DONE ? 1 : -1;
    db_rollback(db);
    return rc;
}

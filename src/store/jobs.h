/* The background job queue, durable in the database (issue 7). A job is enqueued inside the
 * business transaction that makes it necessary, so that it exists if and only if that change
 * committed; the runner (http/server.c's worker pool) claims due jobs, runs the handler of
 * their kind, and retries a failure with backoff until it rests `dead` with its error.
 * On PostgreSQL several nodes claim with FOR UPDATE SKIP LOCKED, so each job runs once.
 *
 * This header is the interface other capabilities code against: job_enqueue() and the
 * job_kind_t a handler is registered with (the table of kinds lives in src/api/jobs.c). */
#ifndef GUANBIAO_JOBS_H
#define GUANBIAO_JOBS_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* Enqueues a job of `kind` (a name in the table of kinds) with `payload` (JSON text, copied;
 * NULL = "{}") to run at `run_at` (Unix seconds; 0 = now). Runs in the caller's transaction
 * when one is open. The new id, or -1 on error. */
int64_t job_enqueue(db_t *db, const char *kind, const char *payload, int64_t run_at);

/* A kind of job and its handler. run() gets a worker's connection (no transaction open), an
 * arena freed after it returns, and the payload; it returns 0 on success, or -1 with a reason
 * in err (the job is then retried with backoff, and rests dead after max_attempts). A handler
 * must be safe to run again after a crash mid-run (at least once across a node's death). */
typedef struct job_kind {
    const char *name;
    int (*run)(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen);
    int max_attempts;        /* 0 = the default (5) */
} job_kind_t;

/* ---- What the runner (http/jobs_runner.c), the admin API and /metrics use. ---- */

enum { JOB_DEFAULT_MAX_ATTEMPTS = 5, JOB_ERROR_MAX = 1000 };

typedef enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_DEAD, JOB_NSTATES } job_state_t;
/* "queued", "running", "done", "dead" */
const char *job_state_name(job_state_t s);

/* The table of kinds, registered once at start before any thread uses the store (the runner
 * does it): job_enqueue then refuses a kind not in it and takes max_attempts from it. The
 * table must outlive every use. Without a table any kind is taken, with the default. */
void job_kinds_register(const job_kind_t *kinds, int n);
/* The kind of this name in the registered table, or NULL. */
const job_kind_t *job_kind_find(const char *name);

/* A claimed job; text in the caller's arena. */
typedef struct claimed_job {
    int64_t id;
    const char *kind;
    const char *payload;
    int64_t attempts;      /* including this run */
    int64_t max_attempts;
} claimed_job_t;

/* Claims up to max due queued jobs for `node` (state running, attempts + 1, lease until
 * locked_until): on PostgreSQL with FOR UPDATE SKIP LOCKED, so that nodes claiming at once
 * never claim the same job. Returns the number claimed (out[0..n)), or -1. No transaction
 * may be open. */
int job_claim(db_t *db, arena_t *a, const char *node, int64_t now, int64_t locked_until, claimed_job_t *out, int max);
/* The claim's outcome. Each is guarded by the claim (id, node, attempts): 1 written, 0 when the
 * job was no longer this claim's (its lease expired and it was claimed again), -1 error. */
int job_succeeded(db_t *db, const claimed_job_t *job, const char *node, int64_t now);
/* queued again to run at retry_at, or dead (finished_at = now) when attempts reached
 * max_attempts; error is kept in last_error (cut to JOB_ERROR_MAX bytes). */
int job_failed(db_t *db, const claimed_job_t *job, const char *node, const char *error, int64_t now, int64_t retry_at);
/* Gives a claimed job that has not started back to the queue, its attempt not counted. */
int job_release(db_t *db, const claimed_job_t *job, const char *node);
/* The delay before attempt `attempts` + 1 after a failure: base * 2^(attempts - 1), at most
 * an hour (and at least base). */
int64_t job_backoff(int64_t base, int64_t attempts);

/* Running jobs whose lease ended before `now` (their node died mid-run): queued again to run
 * now, or dead when they had no attempt left. The number of jobs recovered, or -1. */
int64_t jobs_recover_expired(db_t *db, int64_t now);
/* A dead job queued again with its attempts reset (an admin's retry). 1 done, 0 when the job
 * is not dead (the caller answers 409), -1 error. */
int job_retry(db_t *db, int64_t id, int64_t now);
/* Jobs by state (indexed by job_state_t); false on error. */
bool jobs_count(db_t *db, int64_t counts[JOB_NSTATES]);
/* Deletes done jobs finished before `before`; the number deleted, or -1. */
int64_t jobs_purge_done(db_t *db, int64_t before);

/* Makes schedule `name` known: created due at first_run when new; when it exists, its next_run
 * is brought forward to `latest` if later (a shortened interval takes effect at once). False
 * on error. */
bool schedule_ensure(db_t *db, const char *name, int64_t first_run, int64_t latest);
/* Fires schedule `name` when it is due: in one transaction, moves next_run to `next` if it is
 * <= now and then enqueues (kind, payload). Of several nodes firing at once exactly one
 * does. 1 fired, 0 not due (or unknown), -1 error. No transaction may be open. */
int schedule_fire(db_t *db, const char *name, const char *kind, const char *payload, int64_t now, int64_t next);

#endif

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

#endif

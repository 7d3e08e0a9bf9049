/* The job runner of a node (docs/jobs.md): a ticker thread that, every tick, hands the server's
 * worker pool a task that recovers expired leases, fires due schedules and claims due jobs
 * (store/jobs.h); each claimed job runs on a worker, at most `concurrency` at a time, so that
 * requests always keep workers. A slot that finishes a job claims the next due one at once.
 * On a stop signal it claims nothing more, lets running jobs finish and gives claimed jobs
 * that have not started back to the queue. */
#ifndef GUANBIAO_JOBS_RUNNER_H
#define GUANBIAO_JOBS_RUNNER_H
#include <stdbool.h>

#include "core/buf.h"
#include "store/jobs.h"

/* A recurring job: every `interval` seconds, or, when interval is 0, daily at `at_minute`
 * (minutes after midnight UTC). The table of schedules lives in src/api/jobs.c. */
typedef struct job_schedule {
    const char *name;       /* unique: the row in the schedules table */
    const char *kind;       /* a name in the table of kinds */
    const char *payload;    /* JSON text; NULL = "{}" */
    int interval;           /* seconds between runs, or 0 */
    int at_minute;          /* with interval 0: 0–1439 */
} job_schedule_t;

typedef struct jobs_options {
    const job_kind_t *kinds;
    int nkinds;
    const job_schedule_t *schedules;
    int nschedules;
    int tick_ms;            /* 0 = 1000: how often due jobs and schedules are looked for */
    int backoff;            /* seconds, 0 = 30: the first retry's delay, doubled each attempt */
    int concurrency;        /* 0 = a quarter of the workers (at least 1): jobs running at once */
    int lease;              /* seconds, 0 = 600: a running job whose node is silent this long is run again */
} jobs_options_t;

/* The next run of a schedule after `now` (Unix seconds). */
int64_t schedule_next_run(const job_schedule_t *s, int64_t now);

/* Starts the runner (server.c, once its workers run): registers the kinds with the store,
 * makes the schedules known, starts the ticker. `workers` is the pool's size. False when it
 * could not start (logged). */
bool jobs_runner_start(const jobs_options_t *o, store_t *store, int workers);
/* Claims nothing more, waits for running jobs; then the worker pool may stop. Idempotent. */
void jobs_runner_stop(void);

/* guanbiao_jobs{state} (as last counted by this node, every few seconds) and this node's
 * guanbiao_jobs_run_total and guanbiao_job_failures_total, for /metrics. */
void jobs_metrics_render(buf_t *out);

#endif

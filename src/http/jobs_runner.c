/* The job runner (see jobs_runner.h). Threads: the ticker only sleeps and submits; every
 * database access happens in tasks on the server's worker pool (server_task_submit), with the
 * worker's connection. State shared between them is under `lock`. */
#include "http/jobs_runner.h"
#include "store/changes.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/text.h"
#include "http/server.h"

enum {
    RECOVER_EVERY_SECONDS = 10,     /* how often expired leases are looked for */
    COUNT_EVERY_SECONDS = 2,        /* how often the gauges of /metrics are refreshed */
    NODE_MAX = 128,
};

static jobs_options_t opt;
static store_t *store_;
static char node[NODE_MAX];         /* locked_by: host:pid, unique among the running nodes */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;      /* the ticker's sleep; stop */
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;      /* a task ended */
static bool started, stopping, tick_pending;
static int running;                 /* slots in use: claimed jobs not yet finished */
static int64_t last_recover, last_count;
static pthread_t ticker;

static atomic_int_fast64_t gauge[JOB_NSTATES];
static atomic_bool gauge_known;
static atomic_uint_fast64_t runs_total, failures_total;

int64_t schedule_next_run(const job_schedule_t *s, int64_t now)
{
    if (s->interval > 0)
        return now + s->interval;
    int64_t day = now - now % 86400, at = day + (int64_t)s->at_minute * 60;
    return at > now ? at : at + 86400;
}

/* A slot's claimed job, on its way to a worker. */
typedef struct slot_task {
    arena_t arena;                  /* the job's text */
    claimed_job_t job;
} slot_task_t;

static void run_slot(db_t *db, void *arg);

/* Ends a task's use of its connection: no transaction left open, a lost connection renewed. */
static void task_done_with(db_t *db)
{
    db_rollback(db);
    if (db_error_kind(db) == DB_ERR_CONNECTION)
        db_recover(db);
}

/* Runs one claimed job and records its outcome. */
static void run_job(db_t *db, const claimed_job_t *job)
{
    const job_kind_t *k = job_kind_find(job->kind);
    char err[JOB_ERROR_MAX + 1] = "";
    int rc = -1;
    int64_t started_us = monotonic_micros();
    if (k == NULL) {
        snprintf(err, sizeof err, "no job kind '%s' on this node", job->kind);
    } else {
        arena_t a = {0};
        changes_set_await(db, false);       /* no client waits for a job's writes (store/changes.h) */
        rc = k->run(db, &a, job->payload, err, sizeof err);
        changes_set_await(db, true);
        arena_free(&a);
        task_done_with(db);
        if (rc != 0 && err[0] == '\0')
            snprintf(err, sizeof err, "failed without a reason");
    }
    int64_t now = now_seconds();
    int w;
    if (rc != 0 && jobs_stop_requested()) {
        /* the handler stopped early for the server's stop: it runs again, not counted as failed */
        w = job_release(db, job, node);
        log_info("job %lld (%s) stopped early for the shutdown: queued again", (long long)job->id, job->kind);
    } else if (rc == 0) {
        atomic_fetch_add(&runs_total, 1);
        w = job_succeeded(db, job, node, now);
    } else {
        atomic_fetch_add(&failures_total, 1);
        bool dead = job->attempts >= job->max_attempts;
        log_error("job %lld (%s) attempt %lld of %lld failed%s: %s", (long long)job->id, job->kind,
                  (long long)job->attempts, (long long)job->max_attempts, dead ? ", now dead" : "", err);
        w = job_failed(db, job, node, err, now, now + job_backoff(opt.backoff, job->attempts));
    }
    if (w < 0)
        log_error("job %lld (%s): its outcome could not be recorded: %s", (long long)job->id, job->kind, db_error(db));
    else if (w == 0)
        log_error("job %lld (%s) ran past its lease and was claimed again meanwhile", (long long)job->id, job->kind);
    else if (rc == 0)
        log_info("job %lld (%s) done in %lld ms", (long long)job->id, job->kind,
                 (long long)((monotonic_micros() - started_us) / 1000));
    task_done_with(db);
}

static void slot_free(void)
{
    pthread_mutex_lock(&lock);
    running--;
    pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&lock);
}

static bool is_stopping(void)
{
    pthread_mutex_lock(&lock);
    bool s = stopping;
    pthread_mutex_unlock(&lock);
    return s;
}

/* A slot: runs its job, then claims the next due one and runs it too, until none is due or
 * the server stops. A job claimed but not started when the server stops goes back. */
static void run_slot(db_t *db, void *arg)
{
    slot_task_t *t = arg;
    for (;;) {
        if (db == NULL) {           /* no connection: the lease brings the job back */
            log_error("job %lld (%s): no database connection to run it", (long long)t->job.id, t->job.kind);
            break;
        }
        if (is_stopping()) {
            if (job_release(db, &t->job, node) < 0)
                log_error("job %lld: could not be given back to the queue: %s", (long long)t->job.id, db_error(db));
            task_done_with(db);
            break;
        }
        run_job(db, &t->job);
        if (is_stopping())
            break;
        arena_reset(&t->arena);
        int64_t now = now_seconds();
        int n = job_claim(db, &t->arena, node, now, now + opt.lease, &t->job, 1);
        task_done_with(db);
        if (n != 1)
            break;
    }
    arena_free(&t->arena);
    free(t);
    slot_free();
}

/* Hands claimed jobs to free slots; a job no worker can take goes back to the queue. */
static void start_slots(db_t *db, const claimed_job_t *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        slot_task_t *t = calloc(1, sizeof *t);
        if (t != NULL) {
            t->job = jobs[i];
            t->job.kind = arena_strdup(&t->arena, jobs[i].kind);
            t->job.payload = arena_strdup(&t->arena, jobs[i].payload);
        }
        pthread_mutex_lock(&lock);
        running++;
        pthread_mutex_unlock(&lock);
        if (t == NULL || !server_task_submit(run_slot, t)) {
            if (t != NULL) {
                arena_free(&t->arena);
                free(t);
            }
            job_release(db, &jobs[i], node);
            slot_free();
        }
    }
}

static void fire_schedules(db_t *db, int64_t now)
{
    for (int i = 0; i < opt.nschedules; i++) {
        const job_schedule_t *s = &opt.schedules[i];
        int rc = schedule_fire(db, s->name, s->kind, s->payload, now, schedule_next_run(s, now));
        if (rc < 0)
            log_error("schedule %s: %s", s->name, db_error(db));
        else if (rc > 0)
            log_info("schedule %s fired: a %s job is queued", s->name, s->kind);
        task_done_with(db);
    }
}

/* One tick, on a worker. */
static void tick(db_t *db, void *arg)
{
    (void)arg;
    int64_t now = now_seconds();
    if (db != NULL && !is_stopping()) {
        if (now - last_recover >= RECOVER_EVERY_SECONDS) {
            last_recover = now;
            int64_t n = jobs_recover_expired(db, now);
            if (n > 0)
                log_info("%lld job(s) whose node stopped while running them are queued again", (long long)n);
            else if (n < 0)
                log_error("recovery of expired job leases failed: %s", db_error(db));
            task_done_with(db);
        }
        if (now - last_count >= COUNT_EVERY_SECONDS) {
            last_count = now;
            int64_t counts[JOB_NSTATES];
            if (jobs_count(db, counts)) {
                for (int i = 0; i < JOB_NSTATES; i++)
                    atomic_store(&gauge[i], counts[i]);
                atomic_store(&gauge_known, true);
            }
            task_done_with(db);
        }
        fire_schedules(db, now);
        pthread_mutex_lock(&lock);
        int free_slots = stopping ? 0 : opt.concurrency - running;
        pthread_mutex_unlock(&lock);
        if (free_slots > 0) {
            arena_t a = {0};
            claimed_job_t *jobs = arena_alloc(&a, (size_t)free_slots * sizeof *jobs);
            int n = job_claim(db, &a, node, now, now + opt.lease, jobs, free_slots);
            if (n < 0)
                log_error("claiming due jobs failed: %s", db_error(db));
            task_done_with(db);
            if (n > 0)
                start_slots(db, jobs, n);
            arena_free(&a);
        }
    }
    pthread_mutex_lock(&lock);
    tick_pending = false;
    pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&lock);
}

static void *ticker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        if (!tick_pending) {
            tick_pending = true;
            pthread_mutex_unlock(&lock);
            bool queued = server_task_submit(tick, NULL);
            pthread_mutex_lock(&lock);
            if (!queued)
                tick_pending = false;       /* the pool is full: next tick */
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += opt.tick_ms / 1000;
        until.tv_nsec += (long)(opt.tick_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

bool jobs_runner_start(const jobs_options_t *o, store_t *store, int workers)
{
    opt = *o;
    store_ = store;
    if (opt.tick_ms <= 0)
        opt.tick_ms = 1000;
    if (opt.backoff <= 0)
        opt.backoff = 30;
    if (opt.lease <= 0)
        opt.lease = 600;
    if (opt.concurrency <= 0)
        opt.concurrency = workers / 4 > 0 ? workers / 4 : 1;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(node, sizeof node, "%s:%ld", host[0] ? host : "node", (long)getpid());
    job_kinds_register(opt.kinds, opt.nkinds);

    char err[256];
    db_t *db = db_connect(store_, err, sizeof err);
    if (db == NULL) {
        log_error("jobs: %s", err);
        return false;
    }
    int64_t now = now_seconds();
    bool ok = true;
    for (int i = 0; i < opt.nschedules && ok; i++) {
        const job_schedule_t *s = &opt.schedules[i];
        if (job_kind_find(s->kind) == NULL) {
            log_error("schedule %s names no job kind '%s'", s->name, s->kind);
            ok = false;
        } else if (!schedule_ensure(db, s->name, schedule_next_run(s, now),
                                    s->interval > 0 ? now + s->interval : schedule_next_run(s, now))) {
            log_error("schedule %s: %s", s->name, db_error(db));
            ok = false;
        }
    }
    db_close(db);
    if (!ok)
        return false;
    /* the ticker sleeps on the monotonic clock; it inherits the server's blocked SIGTERM and
     * SIGINT (server_run waits for them) */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_destroy(&wake);
    pthread_cond_init(&wake, &attr);
    pthread_condattr_destroy(&attr);
    stopping = false;
    jobs_request_stop(false);
    int e = pthread_create(&ticker, NULL, ticker_main, NULL);
    if (e != 0) {
        log_error("cannot start the job runner: %s", strerror(e));
        return false;
    }
    started = true;
    log_info("job runner %s: %d job(s) at once, a tick every %d ms, %d schedule(s)", node, opt.concurrency,
             opt.tick_ms, opt.nschedules);
    return true;
}

void jobs_runner_stop(void)
{
    if (!started)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    jobs_request_stop(true);            /* long handlers stop at their next step */
    pthread_join(ticker, NULL);
    pthread_mutex_lock(&lock);
    if (running > 0)
        log_info("waiting for %d running job(s) to finish", running);
    while (running > 0 || tick_pending)
        pthread_cond_wait(&idle, &lock);
    pthread_mutex_unlock(&lock);
    started = false;
}

void jobs_metrics_render(buf_t *out)
{
    if (atomic_load(&gauge_known)) {
        buf_puts(out, "# HELP guanbiao_jobs Background jobs by state (counted by this node every few seconds).\n"
                      "# TYPE guanbiao_jobs gauge\n");
        for (int i = 0; i < JOB_NSTATES; i++)
            buf_printf(out, "guanbiao_jobs{state=\"%s\"} %lld\n", job_state_name((job_state_t)i),
                       (long long)atomic_load(&gauge[i]));
    }
    buf_printf(out, "# HELP guanbiao_jobs_run_total Background jobs this node ran to success.\n"
                    "# TYPE guanbiao_jobs_run_total counter\n"
                    "guanbiao_jobs_run_total %llu\n"
                    "# HELP guanbiao_job_failures_total Failed attempts of background jobs on this node.\n"
                    "# TYPE guanbiao_job_failures_total counter\n"
                    "guanbiao_job_failures_total %llu\n",
               (unsigned long long)atomic_load(&runs_total), (unsigned long long)atomic_load(&failures_total));
}

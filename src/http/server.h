/* The HTTP server: one libh2o event loop per thread, all sharing one listening socket (bound
 * once, so a second server on the same port fails instead of silently taking half the
 * traffic); a worker pool for whatever would make a loop wait, whose results come back to
 * the loop that owns the request. SIGTERM/SIGINT drain: the loops keep accepting what the
 * kernel queued, answer with Connection: close, finish what is in flight, then close the
 * database. */
#ifndef GUANBIAO_SERVER_H
#define GUANBIAO_SERVER_H
#include "http/jobs_runner.h"
#include "http/netlist.h"
#include "http/router.h"
#include "store/store.h"

typedef struct server_options {
    const char *listen;     /* "HOST:PORT" ("[::1]:8080" for IPv6) */
    int threads;            /* event loops */
    int workers;            /* worker threads */
    const char *web_dir;    /* a built web application to serve from disk (development), or NULL:
                             * the one embedded in the binary */
    store_t *store;         /* opened and migrated by the caller */
    const route_t *routes;  /* the API's route table */
    int nroutes;
    size_t cache_bytes;     /* the answer cache's bound (http/cache.h); 0: no cache */
    const netlist_t *trusted_proxies;   /* whose X-Forwarded-For/-Proto count (may be NULL) */
    const netlist_t *metrics_from;      /* who may read /metrics besides loopback (may be NULL) */
    jobs_options_t jobs;                /* the kinds and schedules of background jobs (http/jobs_runner.h) */
} server_options_t;

/* Runs run(db, arg) on a worker, with the worker's connection (NULL when it has none), outside
 * any request: for the job runner. False when the workers' queue is full (then nothing runs).
 * Tasks still queued at a stop run before the workers end. */
bool server_task_submit(void (*run)(db_t *db, void *arg), void *arg);

/* Runs until a stop signal; 0 after a clean stop, 1 when it could not start. */
int server_run(const server_options_t *opt);

#endif

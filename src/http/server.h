/* The HTTP server: one libh2o event loop per thread, each with its own listening socket on
 * the same address (SO_REUSEPORT); a worker pool for slow work whose results come back to the
 * loop that owns the request; SIGTERM/SIGINT stop accepting, finish what is in flight and
 * close the database. */
#ifndef GUANBIAO_SERVER_H
#define GUANBIAO_SERVER_H
#include "store/store.h"

typedef struct server_options {
    const char *listen;     /* "HOST:PORT" ("[::1]:8080" for IPv6) */
    int threads;            /* event loops */
    int workers;            /* worker threads */
    const char *web_dir;    /* the built web application, e.g. web/dist */
    store_t *store;         /* opened and migrated by the caller */
} server_options_t;

/* Runs until a stop signal; 0 after a clean stop, 1 when it could not start. */
int server_run(const server_options_t *opt);

#endif

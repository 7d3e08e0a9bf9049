/* The dispatcher: enforces each route's declared rules before its handler runs, in one place.
 * Phase 1 (dispatch_begin, on the event loop, no database): route, method, monitoring
 * addresses, body size.
 * Phase 2 (dispatch_run, on the loop or on a worker): session, role, CSRF, content type,
 * JSON body, then the handler.
 * The event loop never waits: on the loop, phase 2 runs only for point reads on SQLite, with
 * a connection that neither waits for a lock nor writes; whatever would wait there (a
 * session whose expiry is due for a refresh, a busy database) moves to a worker. The route
 * table is passed in (the API's is src/api/routes.c), so this layer does not depend on it. */
#ifndef GUANBIAO_DISPATCH_H
#define GUANBIAO_DISPATCH_H
#include <stdbool.h>

#include "http/call.h"
#include "http/netlist.h"
#include "http/router.h"

typedef struct dispatch_conf {
    const route_t *routes;
    int nroutes;
    store_kind_t store;              /* where phase 2 may run (dispatch_needs_worker) */
    const netlist_t *metrics_from;   /* who may call ROUTE_MONITORING routes besides loopback */
} dispatch_conf_t;

/* Fills c->route and path parameters. False when the call is already answered
 * (404, 405, 400 for a malformed path parameter, 413). */
bool dispatch_begin(const dispatch_conf_t *d, call_t *c);

/* Must phase 2 leave the loop? For slow routes and scans (lists, searches, counts), for
 * writes (a commit waits for the disk), and on PostgreSQL for every database route (its
 * round trips would stall the loop). Only SQLite point reads run on the loop. */
bool dispatch_needs_worker(const dispatch_conf_t *d, const call_t *c);

typedef enum dispatch_place {
    ON_LOOP,     /* db (NULL for WORK_NO_DB routes) never waits and never writes */
    ON_WORKER,   /* db may wait and write */
} dispatch_place_t;

/* Runs phase 2 with the given connection (NULL for WORK_NO_DB routes). On a worker it always
 * answers and returns true. On the loop it returns false, with the call unanswered, when the
 * call must move to a worker: the session's expiry is due for a refresh (a write), or the
 * database was busy. */
bool dispatch_run(call_t *c, db_t *db, dispatch_place_t place);

typedef enum dispatch_next {
    DISPATCH_ANSWERED,   /* write the answer */
    DISPATCH_TO_WORKER,  /* run dispatch_run(c, worker_db, ON_WORKER) on a worker, then answer */
} dispatch_next_t;

/* What the event loop does with a new call (after request_to_call): phase 1, then phase 2
 * here when it may run on the loop (loop_db: the loop's connection, NULL on PostgreSQL). */
dispatch_next_t dispatch_on_loop(const dispatch_conf_t *d, call_t *c, db_t *loop_db);

#endif

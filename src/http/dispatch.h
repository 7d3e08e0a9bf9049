/* The dispatcher: enforces each route's declared rules before its handler runs, in one place.
 * Phase 1 (dispatch_begin, on the event loop, no database): route, method, body size.
 * Phase 2 (dispatch_run, on whichever thread owns the connection): session, role, CSRF,
 * content type, JSON body, then the handler. */
#ifndef GUANBIAO_DISPATCH_H
#define GUANBIAO_DISPATCH_H
#include <stdbool.h>

#include "http/call.h"
#include "http/router.h"

/* The API's route table (src/api/routes.c). */
extern const route_t api_routes[];
extern const int api_routes_count;

/* Fills c->route and path parameters. False when the call is already answered
 * (404, 405, 400 for a malformed path parameter, 413). */
bool dispatch_begin(call_t *c);

/* Must phase 2 leave the loop? Always for slow routes and for writes (a commit waits for the
 * disk); on PostgreSQL for every database route (its round trips would stall the loop). Only
 * SQLite point reads run on the loop. */
bool dispatch_needs_worker(const call_t *c, store_kind_t kind);

/* Runs phase 2 with the given connection (NULL for WORK_NO_DB routes). Always answers. */
void dispatch_run(call_t *c, db_t *db);

#endif

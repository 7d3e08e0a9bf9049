/* The answer cache: public reads (certificate verification, the body register, later the
 * catalogue and the rankings) answered from serialised answers kept in memory, on the event
 * loop, with neither a worker hop nor a database query (docs/cache.md).
 *
 * A route takes part by naming, in the route table, the tables its answer is read from:
 *     .cache = "certificates,enterprises,bodies,name_history"
 * That is the whole change for a new public route. Then:
 *   - only GET/HEAD calls WITHOUT a session cookie are answered from or kept in the cache, so
 *     a signed-in caller's answer (possibly richer) is never served to the public, nor the
 *     public's to a signed-in caller;
 *   - the key is the path, the query (parameters in a canonical order), the answer's
 *     language and the UTC day (an answer that depends on today, like a certificate's effective
 *     status, is never served the next day);
 *   - only 200 JSON answers with no extra header are kept, each with the sum of its tables'
 *     change generations taken before the handler read anything (store/changes.h); an entry
 *     whose tables changed since is stale and dropped on its next lookup. Any write to those
 *     tables, on this node or (PostgreSQL, LISTEN/NOTIFY) another, makes it stale;
 *   - bounded: at most max_entries entries and max_bytes bytes, least recently used first out,
 *     in 16 shards with a mutex each (the loops and workers share one cache per process).
 * Answers from the cache carry `X-Cache: hit`; answers that were kept `X-Cache: miss`. */
#ifndef GUANBIAO_CACHE_H
#define GUANBIAO_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/call.h"
#include "http/router.h"

/* Makes the store track the tables of the routes with .cache (store/changes.h): every process
 * that may write them calls it (main.c, for every command), so that a CLI's writes are seen
 * by the servers (PostgreSQL: it NOTIFYs them). cache_init calls it too. */
void cache_watch(const route_t *routes, int nroutes);
/* Sets the cache up for the routes with .cache (watches their tables); max_bytes 0 turns it off. */
bool cache_init(const route_t *routes, int nroutes, size_t max_bytes, int max_entries);
void cache_free(void);

/* On the loop, before routing: answers c from the cache (route, status, body, X-Cache) and
 * returns true, or returns false (then c->cache_key is set when the answer may be kept, if its
 * route has .cache). db: the loop's connection (SQLite; NULL on PostgreSQL), to look for other
 * processes' commits first. */
bool cache_answer(call_t *c, db_t *db);
/* Phase 2, just before the handler reads: notes the generations the call's reads will see. */
void cache_before(call_t *c, db_t *db);
/* After the handler (the answer final): keeps a cacheable answer. */
void cache_keep(call_t *c);

/* Counters, for /metrics. */
void cache_render_metrics(buf_t *out);

#endif

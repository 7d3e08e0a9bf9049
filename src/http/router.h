/* The route table's types and its matcher. Each route declares everything the dispatcher
 * enforces before its handler runs (after cgit's cmd table): method, path with {parameters},
 * allowed roles, CSRF, body limit, and whether it may run on the event loop. */
#ifndef GUANBIAO_ROUTER_H
#define GUANBIAO_ROUTER_H
#include <stdbool.h>
#include <stddef.h>

typedef struct call call_t;
typedef void (*handler_fn)(call_t *c);

typedef enum http_method {
    HTTP_GET = 1u << 0,
    HTTP_HEAD = 1u << 1,
    HTTP_POST = 1u << 2,
    HTTP_PUT = 1u << 3,
    HTTP_PATCH = 1u << 4,
    HTTP_DELETE = 1u << 5,
    HTTP_OTHER = 1u << 6,
} http_method_t;

enum { ROUTE_MAX_PARAMS = 4, ROUTE_DEFAULT_BODY_LIMIT = 64 * 1024 };

typedef enum route_work {
    WORK_POINT = 0,   /* point reads by key: on the loop with SQLite; writes and PostgreSQL on a worker */
    WORK_SCAN,        /* lists, searches, counts (time grows with the data): always on a worker */
    WORK_SLOW,        /* always on a worker (password hashing, reports) */
    WORK_NO_DB,       /* needs no database and no session: always on the loop */
} route_work_t;

typedef struct route {
    unsigned method;          /* one http_method_t; GET routes answer HEAD too */
    const char *pattern;      /* "/api/enterprises/{id}" */
    unsigned roles;           /* role_t mask that may call it */
    bool no_csrf;             /* unsafe method without the CSRF check (sign-in only) */
    size_t body_limit;        /* bytes; 0 = ROUTE_DEFAULT_BODY_LIMIT; unsafe methods only */
    bool raw_body;            /* the body is an upload's bytes (any Content-Type), not JSON: the
                               * handler reads c->body_data and c->file_name (docs/files.md) */
    route_work_t work;
    bool tokens;              /* an API token (Authorization: Bearer gb_…) may call it, acting as its body;
                               * on every other route a token is refused (403 token_not_allowed) */
    bool monitoring;          /* served only to loopback and the --metrics-from addresses (404 otherwise) */
    handler_fn handler;
    const char *tag;          /* OpenAPI grouping */
    const char *summary;      /* one line, English, for OpenAPI */
    const char *request;      /* name of the JSON body's schema (src/api/schemas/NAME.json), or NULL */
    const char *response;     /* name of the success body's schema, or NULL (no body: 204) */
    const char *cache;        /* public reads: the tables the answer is read from ("certificates,bodies"):
                               * anonymous GETs are answered from the answer cache (http/cache.h) */
    int success;              /* the success status, for OpenAPI; 0: 201 for POST, 204 for an
                               * unsafe method without a response body, else 200 */
} route_t;

typedef struct route_match {
    const route_t *route;               /* NULL: no route for this method */
    int index;                          /* index in the table */
    unsigned allowed;                   /* when route is NULL: methods the path accepts (for 405) */
    int nparams;
    const char *param_start[ROUTE_MAX_PARAMS];  /* raw (still percent-encoded) segments */
    size_t param_len[ROUTE_MAX_PARAMS];
} route_match_t;

/* The route's body limit in bytes (its own, or ROUTE_DEFAULT_BODY_LIMIT). */
size_t route_body_limit(const route_t *r);

/* Matches path[0..len) (no query string) against the table. Returns true when some route
 * has this path: then m->route is the one for the method, or NULL (405, see m->allowed). */
bool router_match(const route_t *table, int n, unsigned method, const char *path, size_t len,
                  route_match_t *m);

/* Every method the path accepts (GET implies HEAD); 0 when no route has the path. */
unsigned router_allowed(const route_t *table, int n, const char *path, size_t len);

unsigned http_method_parse(const char *s, size_t len);
const char *http_method_name(unsigned m);
/* "GET, HEAD, POST" for a mask, into out. */
void http_methods_list(unsigned mask, char *out, size_t outlen);

/* The name of parameter i of a pattern ("id" for "/x/{id}"), into out. */
bool route_param_name(const char *pattern, int i, char *out, size_t outlen);

#endif

/* h2o's own error answers as JSON (see protocol_errors.h). h2o 2.2 answers them two ways:
 *
 * 1. h2o_send_error_*() (bad Content-Length, body over the cap, unknown Expect): the request
 *    is bound to its host's fallback path, whose filters set up the response. A filter there
 *    replaces the plain-text answer with the catalogue's JSON. (Our handler lives on the "/"
 *    path, so nothing it answers passes through this filter.)
 * 2. A request line or headers that do not parse: lib/http1.c writes a fixed plain-text
 *    "400 Bad Request" straight to the socket with h2o_socket_write(), before there is a
 *    request to filter. We define h2o_socket_write here, which takes precedence over the
 *    shared library's (calls between h2o's own files go through the PLT), swap that one
 *    fixed answer for the JSON one, and pass every write on to h2o's function. */
#include "http/protocol_errors.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "http/call.h"
#include "http/request.h"

static size_t cap;
static const route_t *table;
static int table_len;

/* The body limit of the route req is for: a 413 names the limit that applies. */
static size_t limit_for(h2o_req_t *req)
{
    h2o_iovec_t path = req->input.path;
    const char *q = memchr(path.base, '?', path.len);
    route_match_t m;
    if (path.base != NULL &&
        router_match(table, table_len, http_method_parse(req->input.method.base, req->input.method.len), path.base,
                     q ? (size_t)(q - path.base) : path.len, &m) &&
        m.route != NULL)
        return route_body_limit(m.route);
    return cap;
}

/* ---- 1. a filter on the fallback path ---- */

typedef struct json_ostream {
    h2o_ostream_t super;
    h2o_iovec_t body;
} json_ostream_t;

/* h2o sends its error body in one final call (none for HEAD): send ours instead. */
static void json_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt, h2o_send_state_t state)
{
    json_ostream_t *os = (json_ostream_t *)self;
    (void)bufs;
    h2o_ostream_send_next(&os->super, req, bufcnt > 0 ? &os->body : NULL, bufcnt > 0 ? 1 : 0, state);
}

static const char *code_for(int status)
{
    switch (status) {
    case 404: return "not_found";
    case 413: return "body_too_large";
    case 417: return "expectation_failed";
    default: return status >= 500 ? "internal_error" : "bad_request";
    }
}

static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (req->res.status < 400) {
        h2o_setup_next_ostream(req, slot);
        return;
    }
    int status = req->res.status;
    call_t c;
    call_init(&c);
    c.lang = request_lang(req);
    char limit[24];
    snprintf(limit, sizeof limit, "%zu", status == 413 ? limit_for(req) : cap);
    call_error(&c, code_for(status), NULL, limit);
    c.status = status;                 /* h2o's status stands; the body explains it */
    memset(&req->res.headers, 0, sizeof req->res.headers);
    h2o_iovec_t body = request_answer_head(req, &c, false);
    call_free(&c);
    json_ostream_t *os = (json_ostream_t *)h2o_add_ostream(req, sizeof *os, slot);
    os->super.do_send = json_send;
    os->body = body;
    h2o_setup_next_ostream(req, &os->super.next);
}

/* ---- 2. h2o's fixed answer to a request that does not parse ---- */

/* lib/http1.c, send_bad_request(), h2o 2.2 */
static const char h2o_bad_request[] = "HTTP/1.1 400 Bad Request\r\n"
                                      "Content-Type: text/plain; charset=utf-8\r\n"
                                      "Connection: close\r\n"
                                      "Content-Length: 11\r\n"
                                      "\r\n"
                                      "Bad Request";
static h2o_iovec_t json_bad_request;     /* the whole HTTP/1.1 answer, built once */
typedef void (*socket_write_fn)(h2o_socket_t *, h2o_iovec_t *, size_t, h2o_socket_cb);
static socket_write_fn h2o_write;       /* h2o's own; set before the loops start */

/* h2o's own function (found on first use too, so that a program that never installed the
 * filters, a test say, still writes). */
static socket_write_fn h2o_socket_write_next(void)
{
    if (h2o_write == NULL)
        h2o_write = (socket_write_fn)dlsym(RTLD_NEXT, "h2o_socket_write");
    return h2o_write;
}

void h2o_socket_write(h2o_socket_t *sock, h2o_iovec_t *bufs, size_t bufcnt, h2o_socket_cb cb)
{
    if (bufcnt == 1 && bufs[0].len == sizeof h2o_bad_request - 1 && json_bad_request.base != NULL &&
        memcmp(bufs[0].base, h2o_bad_request, sizeof h2o_bad_request - 1) == 0)
        bufs = &json_bad_request;
    h2o_socket_write_next()(sock, bufs, bufcnt, cb);
}

/* The JSON 400 as raw HTTP/1.1 (no request to take a language from: Chinese). */
static bool build_bad_request(void)
{
    call_t c;
    call_init(&c);
    call_error(&c, "bad_request", NULL);
    buf_t b;
    buf_init(&b, 64 * 1024);
    buf_printf(&b,
               "HTTP/1.1 400 Bad Request\r\n"
               "Content-Type: application/json; charset=utf-8\r\n"
               "Cache-Control: no-store\r\n"
               "Content-Security-Policy: %s\r\n"
               "X-Content-Type-Options: nosniff\r\n"
               "X-Frame-Options: DENY\r\n"
               "Referrer-Policy: same-origin\r\n"
               "Connection: close\r\n"
               "Content-Length: %zu\r\n"
               "\r\n",
               request_csp, c.out.len);
    buf_append(&b, c.out.data, c.out.len);
    call_free(&c);
    if (b.failed || b.data == NULL) {
        buf_free(&b);
        return false;
    }
    json_bad_request = h2o_iovec_init(b.data, b.len);   /* kept for the life of the process */
    return true;
}

bool protocol_errors_install(h2o_hostconf_t *host, const route_t *routes, int nroutes, size_t body_cap)
{
    cap = body_cap;
    table = routes;
    table_len = nroutes;
    if (h2o_socket_write_next() == NULL) {
        log_error("cannot find h2o_socket_write in libh2o: %s", dlerror());
        return false;
    }
    if (!build_bad_request()) {
        log_error("out of memory");
        return false;
    }
    h2o_filter_t *filter = h2o_create_filter(&host->fallback_path, sizeof *filter);
    filter->on_setup_ostream = on_setup_ostream;
    return true;
}

/* The one way an h2o request becomes a call: the server (server.c) and the request fuzzer
 * (tests/fuzz/fuzz_request.c) both use it, so the fuzzer exercises what the server runs. */
#ifndef GUANBIAO_REQUEST_H
#define GUANBIAO_REQUEST_H
#include <h2o.h>

#include "http/call.h"
#include "http/netlist.h"

/* Copies what the dispatcher needs out of req into c (a fresh or reused call): method, path,
 * query, body, content type, language, CSRF header, session cookie, the client's address
 * and whether it came over HTTPS. When the direct peer is in trusted_proxies (may be NULL),
 * the client's address is the right-most X-Forwarded-For entry that is not itself a trusted
 * proxy, and X-Forwarded-Proto: https counts as HTTPS. */
void request_to_call(call_t *c, h2o_req_t *req, const netlist_t *trusted_proxies);

/* The language the client asked for (Accept-Language), Chinese by default. */
lang_t request_lang(h2o_req_t *req);

/* Did the client use HTTPS: over TLS, or through a trusted proxy that says so? (For answers
 * without a call: static files.) */
bool request_is_https(h2o_req_t *req, const netlist_t *trusted_proxies);
/* Strict-Transport-Security, for answers to HTTPS requests. */
void request_hsts(h2o_req_t *req);

/* Writes the call's answer as req's response: status, the security headers, no-store, the
 * content type (JSON by default), the call's headers, HSTS when the call came over HTTPS, and
 * a copy of the body. With closing, an HTTP/1 connection is closed after it. */
void request_answer(h2o_req_t *req, const call_t *c, bool closing);
/* The same without sending: sets the status and headers and returns the body (a copy in the
 * request's pool, empty for 204), for a filter that replaces a response h2o started. */
h2o_iovec_t request_answer_head(h2o_req_t *req, const call_t *c, bool closing);

/* What every response carries: Content-Security-Policy, nosniff, frame and referrer policy. */
extern const char request_csp[];
void request_security_headers(h2o_req_t *req);
/* A header whose name and value are copied into the request's pool. */
void request_header(h2o_req_t *req, const char *name, const char *value);
/* Sends data (which must outlive the request, or live in its pool) as the whole body. */
void request_send(h2o_req_t *req, const char *data, size_t len);
/* The reason phrase of a status. */
const char *request_reason(int status);

#endif

/* The errors h2o answers itself, before any handler runs, in the JSON error shape of every
 * other answer: a malformed request line or headers (400), a broken Content-Length or
 * Transfer-Encoding (400), a body over the server's cap (413, refused on Content-Length
 * before the body is read), an unknown Expect (417). */
#ifndef GUANBIAO_PROTOCOL_ERRORS_H
#define GUANBIAO_PROTOCOL_ERRORS_H
#include <h2o.h>
#include <stdbool.h>

#include "http/router.h"

/* Installs the rewriting for host (call before the loops start). The 413 names the limit of
 * the route the request was for (routes), or body_cap (the server's max_request_entity_size)
 * when it names none. False (logged) when it cannot. */
bool protocol_errors_install(h2o_hostconf_t *host, const route_t *routes, int nroutes, size_t body_cap);

#endif

/* An h2o request into a call, and a call's answer into the h2o response (see request.h). */
#include "http/request.h"

#include <string.h>

#include "core/text.h"
#include "http/auth.h"

static const char *header_copy(call_t *c, const h2o_header_t *h)
{
    return arena_strndup(&c->arena, h->value.base, h->value.len);
}

/* One X-Forwarded-For entry ("1.2.3.4", "[::1]:443", "10.0.0.1:5000") as an address. */
static bool forwarded_address(const char *s, size_t len, struct sockaddr_storage *ss, socklen_t *sl)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (address_parse(s, len, ss, sl))
        return true;
    if (len > 2 && s[0] == '[') {                      /* [v6] or [v6]:port */
        const char *close = memchr(s, ']', len);
        return close != NULL && address_parse(s + 1, (size_t)(close - s - 1), ss, sl);
    }
    const char *colon = memchr(s, ':', len);           /* v4:port */
    if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(colon - s) - 1) == NULL)
        return address_parse(s, (size_t)(colon - s), ss, sl);
    return false;
}

/* The client behind trusted proxies: walks X-Forwarded-For from the right (the entry our
 * direct peer added) and stops at the first address that is not a trusted proxy. An entry
 * that is not an address ends the walk: the last good one is kept. */
static void client_behind_proxies(call_t *c, h2o_req_t *req, const netlist_t *trusted)
{
    ssize_t idx[16];
    int n = 0;
    for (ssize_t i = -1; n < 16 && (i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-forwarded-for"), i)) >= 0;)
        idx[n++] = i;
    for (int k = n - 1; k >= 0; k--) {
        h2o_iovec_t v = req->headers.entries[idx[k]].value;
        size_t end = v.len;
        for (;;) {
            size_t start = end;
            while (start > 0 && v.base[start - 1] != ',')
                start--;
            struct sockaddr_storage ss;
            socklen_t sl;
            if (!forwarded_address(v.base + start, end - start, &ss, &sl))
                return;
            c->peer_addr = ss;
            c->peer_len = sl;
            if (!netlist_has(trusted, (struct sockaddr *)&ss, sl))
                return;
            if (start == 0)
                break;
            end = start - 1;
        }
    }
}

/* X-Forwarded-Proto as our direct peer set it (its right-most value) says https. */
static bool forwarded_https(h2o_req_t *req)
{
    ssize_t last = -1;
    for (ssize_t i = -1; (i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-forwarded-proto"), i)) >= 0;)
        last = i;
    if (last < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[last].value;
    size_t start = v.len;
    while (start > 0 && v.base[start - 1] != ',')
        start--;
    const char *s = v.base + start;
    size_t len = v.len - start;
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return ascii_ieq(s, len, "https");
}

lang_t request_lang(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_LANGUAGE, -1);
    return i >= 0 ? lang_from_header(req->headers.entries[i].value.base, req->headers.entries[i].value.len) : LANG_ZH;
}

bool request_is_https(h2o_req_t *req, const netlist_t *trusted_proxies)
{
    if (req->scheme == &H2O_URL_SCHEME_HTTPS)
        return true;
    if (trusted_proxies == NULL || trusted_proxies->n == 0)
        return false;
    struct sockaddr_storage ss;
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    return sl > 0 && netlist_has(trusted_proxies, (struct sockaddr *)&ss, sl) && forwarded_https(req);
}

void request_to_call(call_t *c, h2o_req_t *req, const netlist_t *trusted_proxies)
{
    call_new_request_id(c);
    c->method = http_method_parse(req->method.base, req->method.len);
    /* as sent, for the 405 message: printable ASCII only (HTTP/1 allows no other, HTTP/2 might) */
    char *name = arena_strndup(&c->arena, req->method.base, req->method.len > 16 ? 16 : req->method.len);
    for (char *p = name; *p; p++)
        if (*p < 0x21 || *p > 0x7e)
            *p = '?';
    c->method_name = name;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    c->path = arena_strndup(&c->arena, req->path.base, plen);
    if (req->query_at != SIZE_MAX)
        c->query = arena_strndup(&c->arena, req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
    if (req->entity.base != NULL && req->entity.len > 0) {
        c->body_data = arena_strndup(&c->arena, req->entity.base, req->entity.len);
        c->body_len = req->entity.len;
    }
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i >= 0)
        c->content_type = header_copy(c, &req->headers.entries[i]);
    c->lang = request_lang(req);
    i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-file-name"), -1);
    if (i >= 0)
        c->file_name = header_copy(c, &req->headers.entries[i]);
    i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-csrf-token"), -1);
    if (i >= 0)
        c->csrf_header = header_copy(c, &req->headers.entries[i]);
    /* Authorization: Bearer <API token> (RFC 6750; the scheme is case-insensitive) */
    i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    if (i >= 0) {
        const h2o_iovec_t *v = &req->headers.entries[i].value;
        if (v->len > 7 && ascii_ieq(v->base, 7, "bearer ")) {
            size_t at = 7;
            while (at < v->len && v->base[at] == ' ')
                at++;
            c->bearer_token = arena_strndup(&c->arena, v->base + at, v->len - at);
        }   /* another scheme (a proxy's Basic) is not ours: ignored */
    }
    /* HTTP/2 may split cookies over several headers */
    for (i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) >= 0;) {
        char token[TOKEN_CHARS + 8];
        if (cookie_find(req->headers.entries[i].value.base, req->headers.entries[i].value.len, SESSION_COOKIE, token,
                        sizeof token)) {
            c->session_token = arena_strdup(&c->arena, token);
            break;
        }
    }
    /* the address is only formatted when a handler asks for it (call_peer) */
    c->peer_len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&c->peer_addr);
    c->secure = request_is_https(req, trusted_proxies);
    if (c->peer_len > 0 && netlist_has(trusted_proxies, (struct sockaddr *)&c->peer_addr, c->peer_len))
        client_behind_proxies(c, req, trusted_proxies);
}

const char request_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

/* h2o keeps pointers to header names and values: copy them into the request's pool. */
void request_header(h2o_req_t *req, const char *name, const char *value)
{
    h2o_iovec_t n = h2o_strdup(&req->pool, name, SIZE_MAX), v = h2o_strdup(&req->pool, value, SIZE_MAX);
    h2o_add_header_by_str(&req->pool, &req->res.headers, n.base, n.len, 1, NULL, v.base, v.len);
}

/* A header whose name (not one of h2o's tokens) and value are string literals: nothing to
 * copy, nothing to look up. */
static void add_const_header(h2o_req_t *req, const char *name, size_t name_len, const char *value, size_t value_len)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, name_len, 0, NULL, value, value_len);
}
#define CONST_HEADER(req, name, value) add_const_header(req, H2O_STRLIT(name), H2O_STRLIT(value))
/* The same for a header h2o knows as a token (content-type, cache-control, …). */
#define TOKEN_HEADER(req, token, value) \
    h2o_add_header(&(req)->pool, &(req)->res.headers, token, NULL, H2O_STRLIT(value))

void request_security_headers(h2o_req_t *req)
{
    add_const_header(req, H2O_STRLIT("content-security-policy"), request_csp, sizeof request_csp - 1);
    CONST_HEADER(req, "x-content-type-options", "nosniff");
    CONST_HEADER(req, "x-frame-options", "DENY");
    CONST_HEADER(req, "referrer-policy", "same-origin");
}

void request_hsts(h2o_req_t *req)
{
    CONST_HEADER(req, "strict-transport-security", "max-age=31536000");
}

const char *request_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void request_send(h2o_req_t *req, const char *data, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.content_length = len;
    h2o_start_response(req, &generator);
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")) || len == 0) {
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
        return;
    }
    h2o_iovec_t body = h2o_iovec_init(data, len);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

h2o_iovec_t request_answer_head(h2o_req_t *req, const call_t *c, bool closing)
{
    req->res.status = c->status;
    req->res.reason = request_reason(c->status);
    if (closing)
        req->http1_is_persistent = 0;   /* h2o then answers with Connection: close */
    request_security_headers(req);
    TOKEN_HEADER(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    if (c->secure)
        request_hsts(req);
    if (c->status != 204) {
        if (c->content_type_out != NULL)
            request_header(req, "content-type", c->content_type_out);
        else
            TOKEN_HEADER(req, H2O_TOKEN_CONTENT_TYPE, "application/json; charset=utf-8");
    }
    for (int i = 0; i < c->nheaders; i++)
        request_header(req, c->headers[i].name, c->headers[i].value);
    if (c->request_id[0] != '\0')
        request_header(req, "x-request-id", c->request_id);
    if (c->cache_result != NULL)     /* a static string: nothing to copy */
        add_const_header(req, H2O_STRLIT("x-cache"), c->cache_result, strlen(c->cache_result));
    /* the body must outlive the call: copy it into the request's pool */
    h2o_iovec_t body = {NULL, 0};
    if (c->out.len > 0 && c->status != 204) {
        body.base = h2o_mem_alloc_pool(&req->pool, c->out.len);
        memcpy(body.base, c->out.data, c->out.len);
        body.len = c->out.len;
    }
    req->res.content_length = body.len;
    return body;
}

void request_answer(h2o_req_t *req, const call_t *c, bool closing)
{
    h2o_iovec_t body = request_answer_head(req, c, closing);
    request_send(req, body.base, body.len);
}

/* The dispatcher (see dispatch.h). */
#include "http/dispatch.h"

#include <stdio.h>
#include <string.h>

#include "core/jsonin.h"
#include "core/text.h"
#include "core/log.h"
#include "http/auth.h"
#include "http/cache.h"
#include "store/api_tokens.h"
#include "store/users.h"

static bool unsafe(unsigned method)
{
    return method == HTTP_POST || method == HTTP_PUT || method == HTTP_PATCH || method == HTTP_DELETE;
}

/* Monitoring routes (/metrics) answer only loopback and the --metrics-from addresses; to
 * anyone else they do not exist. The address is the client's (behind trusted proxies, the
 * one they name), so a proxy on loopback does not open them to the world. */
static bool monitoring_allowed(const dispatch_conf_t *d, const call_t *c)
{
    const struct sockaddr *sa = (const struct sockaddr *)&c->peer_addr;
    return c->peer_len > 0 && (address_is_loopback(sa, c->peer_len) || netlist_has(d->metrics_from, sa, c->peer_len));
}

bool dispatch_begin(const dispatch_conf_t *d, call_t *c)
{
    route_match_t m;
    if (!router_match(d->routes, d->nroutes, c->method, c->path, strlen(c->path), &m)) {
        call_error(c, "not_found", NULL);
        return false;
    }
    if (m.route == NULL) {
        char allow[64];
        http_methods_list(m.allowed, allow, sizeof allow);
        call_header(c, "allow", allow);
        call_error(c, "method_not_allowed", NULL, c->method_name ? c->method_name : http_method_name(c->method));
        return false;
    }
    if (m.route->monitoring && !monitoring_allowed(d, c)) {
        call_error(c, "not_found", NULL);
        return false;
    }
    c->route = m.route;
    c->route_index = m.index;
    for (int i = 0; i < m.nparams; i++) {
        c->params[i] = percent_decode(&c->arena, m.param_start[i], m.param_len[i], false);
        if (c->params[i] == NULL) {
            call_error(c, "invalid_path", NULL);
            return false;
        }
    }
    size_t limit = route_body_limit(m.route);
    if (c->body_len > limit) {
        char num[24];
        snprintf(num, sizeof num, "%zu", limit);
        call_error(c, "body_too_large", NULL, num);
        return false;
    }
    return true;
}

bool dispatch_needs_worker(const dispatch_conf_t *d, const call_t *c)
{
    switch (c->route->work) {
    case WORK_NO_DB:
        return false;
    case WORK_SCAN:
    case WORK_SLOW:
        return true;
    case WORK_POINT:
        break;
    }
    /* a write waits for its commit to reach the disk (synchronous=FULL): never on the loop */
    return d->store == STORE_POSTGRES || unsafe(c->method);
}

typedef enum auth_result { AUTH_OK, AUTH_ANSWERED, AUTH_MOVE } auth_result_t;

/* An API token's call (store/api_tokens.h): it acts as its body (role body, no user) on the
 * routes that take tokens; a malformed, unknown or revoked token is 401 invalid_token, a valid
 * one on another route 403. Its use is marked at most once a minute: a write, so AUTH_MOVE on
 * the loop when the mark is due. */
static auth_result_t authenticate_token(call_t *c, db_t *db, dispatch_place_t place)
{
    size_t len = strlen(c->bearer_token);
    if (!api_token_well_formed(c->bearer_token, len)) {
        call_error(c, "invalid_token", NULL);
        call_header(c, "www-authenticate", "Bearer error=\"invalid_token\"");
        return AUTH_ANSWERED;
    }
    char hash[TOKEN_HASH_CHARS + 1];
    token_hash(c->bearer_token, len, hash);
    int64_t id = 0, body_id = 0, last_used = 0;
    int rc = api_token_lookup(db, hash, &id, &body_id, &last_used);
    if (rc < 0) {
        call_db_error(c, "API token lookup");
        return AUTH_ANSWERED;
    }
    if (rc == 0) {
        call_error(c, "invalid_token", NULL);
        call_header(c, "www-authenticate", "Bearer error=\"invalid_token\"");
        return AUTH_ANSWERED;
    }
    if (!c->route->tokens) {
        call_error(c, "token_not_allowed", NULL);
        return AUTH_ANSWERED;
    }
    int64_t now = now_seconds();
    if (now - last_used >= API_TOKEN_TOUCH_SECONDS) {
        if (place == ON_LOOP)
            return AUTH_MOVE;
        if (!api_token_touch(db, id, now)) {
            call_db_error(c, "API token use");
            return AUTH_ANSWERED;
        }
    }
    c->user = (user_t){.role = ROLE_BODY, .body_id = body_id, .name = "", .region = "",
                       .login = arena_printf(&c->arena, "token:%lld", (long long)id)};
    c->token_id = id;
    return AUTH_OK;
}

/* Who is calling: the session's user, or the public. AUTH_ANSWERED after a database error;
 * AUTH_MOVE on the loop when the session's expiry is due for a refresh (a write). */
static auth_result_t authenticate(call_t *c, db_t *db, dispatch_place_t place)
{
    if (c->bearer_token != NULL)
        return authenticate_token(c, db, place);   /* a token call ignores any cookie */
    if (c->session_token == NULL || !token_well_formed(c->session_token, strlen(c->session_token)))
        return AUTH_OK;
    char hash[TOKEN_HASH_CHARS + 1];
    token_hash(c->session_token, strlen(c->session_token), hash);
    user_t u;
    memset(&u, 0, sizeof u);
    const char *csrf = NULL;
    bool refresh_due = false;
    int rc = session_lookup(db, &c->arena, hash, &u, &csrf, place == ON_LOOP ? &refresh_due : NULL);
    if (rc < 0) {
        call_db_error(c, "session lookup");
        return AUTH_ANSWERED;
    }
    if (refresh_due)
        return AUTH_MOVE;
    if (rc == 1) {
        c->user = u;
        c->session_hash = arena_strdup(&c->arena, hash);
        c->session_csrf = csrf;
    }
    return AUTH_OK;
}

static bool is_json_type(const char *ct)
{
    if (ct == NULL)
        return false;
    size_t n = strcspn(ct, ";");
    while (n > 0 && ct[n - 1] == ' ')
        n--;
    return ascii_ieq(ct, n, "application/json");
}

/* Any body must be JSON (415 otherwise) and is parsed, except on a raw_body route; an empty body on a route that takes
 * one reads as {} so that its missing fields are named one by one. */
static bool parse_body(call_t *c)
{
    if (c->route->raw_body)
        return true;          /* an upload: the handler checks the bytes themselves */
    if (c->body_len == 0) {
        if (unsafe(c->method) && c->route->request != NULL)
            c->body = json_object();
        return true;
    }
    if (!is_json_type(c->content_type)) {
        call_error(c, "unsupported_media_type", NULL);
        return false;
    }
    jsonin_error_t err;
    c->body = jsonin_parse_object(c->body_data, c->body_len, &err);
    if (c->body != NULL)
        return true;
    char a[24], b[24];
    if (strcmp(err.code, "invalid_utf8") == 0) {
        snprintf(a, sizeof a, "%zu", err.offset);
        call_error(c, "invalid_utf8", NULL, a);
    } else if (strcmp(err.code, "json_too_deep") == 0) {
        snprintf(a, sizeof a, "%d", JSONIN_MAX_DEPTH);
        call_error(c, "json_too_deep", NULL, a);
    } else if (strcmp(err.code, "invalid_json") == 0) {
        snprintf(a, sizeof a, "%d", err.line);
        snprintf(b, sizeof b, "%d", err.column);
        /* jansson's excerpt of the input may end inside a UTF-8 sequence: cut it there, so that
         * the answer stays valid UTF-8 */
        size_t bad;
        if (!utf8_valid(err.text, strlen(err.text), &bad))
            err.text[bad] = '\0';
        call_error(c, "invalid_json", NULL, a, b, err.text);
    } else {
        call_error(c, err.code, NULL);
    }
    return false;
}

bool dispatch_run(call_t *c, db_t *db, dispatch_place_t place)
{
    const route_t *r = c->route;
    c->db = db;
    if (c->bearer_token != NULL && r->work == WORK_NO_DB && !r->tokens) {
        call_error(c, "token_not_allowed", NULL);
        goto done;
    }
    if (r->work != WORK_NO_DB) {
        auth_result_t a = authenticate(c, db, place);
        if (a == AUTH_MOVE)
            goto move;
        if (a == AUTH_ANSWERED)
            goto done;
    }
    if ((r->roles & c->user.role) == 0) {
        call_error(c, c->user.role == ROLE_PUBLIC ? "unauthenticated" : "forbidden", NULL);
        goto done;
    }
    if (unsafe(c->method) && !r->no_csrf && c->session_hash != NULL &&
        (c->csrf_header == NULL || !token_equal(c->csrf_header, c->session_csrf))) {
        call_error(c, "csrf_failed", NULL);
        goto done;
    }
    if (!parse_body(c))
        goto done;
    cache_before(c, db);
    r->handler(c);
    if (!call_answered(c) || c->out.failed || c->jw.depth != 0) {
        log_error("handler for %s %s gave %s", http_method_name(r->method), r->pattern,
                  call_answered(c) ? "an unfinished answer" : "no answer");
        call_error(c, "internal_error", NULL);
    }
done:
    /* on the loop, a statement that would have waited (a lock) or written was refused: the
     * answer it led to is dropped and the call runs again on a worker */
    if (place == ON_LOOP && db != NULL && db_take_refused(db))
        goto move;
    cache_keep(c);
    if (db != NULL && db_error_kind(db) == DB_ERR_CONNECTION)
        db_recover(db);
    c->db = NULL;
    return true;
move:
    c->db = NULL;
    call_restart(c);
    return false;
}

dispatch_next_t dispatch_on_loop(const dispatch_conf_t *d, call_t *c, db_t *loop_db)
{
    if (cache_answer(c, loop_db))
        return DISPATCH_ANSWERED;       /* a public read answered from memory: no routing, no worker, no query */
    if (!dispatch_begin(d, c))
        return DISPATCH_ANSWERED;
    if (dispatch_needs_worker(d, c))
        return DISPATCH_TO_WORKER;
    db_t *db = c->route->work == WORK_NO_DB ? NULL : loop_db;
    /* SQLite point reads share one read transaction per loop iteration (server.c ends it) */
    if (db != NULL)
        db_snapshot_begin(db);
    return dispatch_run(c, db, ON_LOOP) ? DISPATCH_ANSWERED : DISPATCH_TO_WORKER;
}

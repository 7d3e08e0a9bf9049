/* libFuzzer harness for a whole API request: the input is split into request parts, run through
 * the dispatcher and the handlers against an in-memory SQLite database, and every answer is
 * checked (status 100–599; an error status has a JSON body with error.code from the catalogue).
 * The raw input is also fed to the text, cookie and JSON parsers.
 *
 * Input: parts separated by '\n' (real header values and paths never hold one):
 *   METHOD \n PATH[?QUERY] \n COOKIE \n ACCEPT-LANGUAGE \n CONTENT-TYPE \n X-CSRF-TOKEN \n BODY…
 * The body is the rest of the input and may hold anything. A missing part is an absent header.
 *
 * The database holds the demo data (seed_demo at scale 1), and each demo account has a session,
 * so that signed-in routes are reached too: the cookie gb_session=XXX…X (43 × the letter) with
 * X-CSRF-Token: fuzz-csrf-LOGIN signs in as
 *   A admin, R regulator (national), G regulator-gd (Guangdong), E enterprise, B body.
 * Each input runs inside a transaction that is rolled back, so inputs do not affect each other.
 * FUZZ_VERBOSE=1 prints each call and its answer (to check what a corpus reaches). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/jsonin.h"
#include "core/messages.h"
#include "core/text.h"
#include "domain/account.h"
#include "http/auth.h"
#include "http/call.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/router.h"
#include "seed.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/users.h"

enum { NPARTS = 7, P_METHOD = 0, P_PATH, P_COOKIE, P_LANG, P_CTYPE, P_CSRF, P_BODY };

static store_t *store;
static db_t *db;

#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_request: check failed: %s: ", #cond);                                     \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_request: %s: %s\n", what, err);
    abort();
}

/* A session for the demo account `login`: token = 43 × fill, CSRF token "fuzz-csrf-LOGIN". */
static void add_session(char fill, const char *login)
{
    arena_t a = {0};
    user_t u;
    if (user_by_login(db, &a, login, &u, NULL) != 1)
        die("demo account missing", login);
    char token[TOKEN_CHARS + 1], hash[TOKEN_HASH_CHARS + 1];
    memset(token, fill, TOKEN_CHARS);
    token[TOKEN_CHARS] = '\0';
    token_hash(token, TOKEN_CHARS, hash);
    if (!session_insert(db, hash, u.id, arena_printf(&a, "fuzz-csrf-%s", login), "127.0.0.1"))
        die("session insert", db_error(db));
    arena_free(&a);
}

static void setup(void)
{
    char err[512];
    if (!account_init())
        die("account_init", "libsodium");
    store = store_open("sqlite::memory:", err, sizeof err);
    if (store == NULL)
        die("store_open", err);
    db = db_connect(store, err, sizeof err);
    if (db == NULL)
        die("db_connect", err);
    if (migrate_apply(db, err, sizeof err) < 0)
        die("migrate_apply", err);
    metrics_init(api_routes, api_routes_count);
    /* the demo data: organisations, certificates and one account per role */
    FILE *quiet = fopen("/dev/null", "w");
    if (quiet == NULL || seed_demo(db, 1, quiet) != 0)
        die("seed_demo", db_error(db));
    fclose(quiet);
    add_session('A', "admin");
    add_session('R', "regulator");
    add_session('G', "regulator-gd");
    add_session('E', "enterprise");
    add_session('B', "body");
}

/* Checks one answered call. */
static void check_answer(const call_t *c)
{
    CHECK(c->status >= 100 && c->status <= 599, "status %d", c->status);
    CHECK(c->out.len == 0 || c->out.data != NULL, "length without data");
    CHECK(!c->out.failed, "response buffer overflow (status %d)", c->status);
    if (c->status >= 400) {
        json_error_t je;
        json_t *j = json_loadb(c->out.data ? c->out.data : "", c->out.len, 0, &je);
        CHECK(j != NULL, "status %d with a body that is not JSON (%s): %.*s", c->status, je.text,
              (int)(c->out.len > 300 ? 300 : c->out.len), c->out.data ? c->out.data : "");
        json_t *code = json_object_get(json_object_get(j, "error"), "code");
        CHECK(json_is_string(code), "status %d without error.code: %.*s", c->status, (int)c->out.len, c->out.data);
        const message_t *m = message_find(json_string_value(code));
        CHECK(strcmp(m->code, json_string_value(code)) == 0, "unknown error code %s", json_string_value(code));
        CHECK(json_is_string(json_object_get(json_object_get(j, "error"), "message")), "error without message");
        json_decref(j);
    } else if (c->status == 204) {
        CHECK(c->out.len == 0, "204 with a body");
    } else if (c->content_type_out == NULL && c->out.len > 0) {
        /* the default content type is JSON: the body must be JSON */
        json_error_t je;
        json_t *j = json_loadb(c->out.data, c->out.len, JSON_DECODE_ANY, &je);
        CHECK(j != NULL, "status %d: JSON body does not parse (%s)", c->status, je.text);
        json_decref(j);
    }
    for (int i = 0; i < c->nheaders; i++) {
        CHECK(c->headers[i].name != NULL && c->headers[i].value != NULL, "header %d", i);
        CHECK(strpbrk(c->headers[i].value, "\r\n") == NULL, "header %s holds a line break", c->headers[i].name);
    }
}

/* The parsers, on the raw bytes. */
static void raw_parsers(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    arena_t a = {0};

    char out[TOKEN_CHARS + 8];
    if (cookie_find(s, size, SESSION_COOKIE, out, sizeof out))
        CHECK(strlen(out) < sizeof out, "cookie value too long");
    char tiny[4];
    if (cookie_find(s, size, "a", tiny, sizeof tiny))
        CHECK(strlen(tiny) < sizeof tiny, "cookie value too long");

    const char *names[] = {"q", "page", "per_page", "role", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *v = query_param(&a, s, size, names[i]);
        if (v != NULL)
            CHECK(utf8_valid(v, strlen(v), NULL), "query_param gave invalid UTF-8");
    }
    for (int plus = 0; plus < 2; plus++) {
        char *v = percent_decode(&a, s, size, plus);
        if (v != NULL) {
            size_t n = strlen(v);
            CHECK(n <= size, "percent_decode grew");
            CHECK(utf8_valid(v, n, NULL), "percent_decode gave invalid UTF-8");
            CHECK(memchr(s, '%', size) != NULL || (plus && memchr(s, '+', size)) || n == size,
                  "percent_decode changed a plain string");
        }
    }
    lang_t l = lang_from_header(s, size);
    CHECK(l == LANG_ZH || l == LANG_EN, "lang %d", (int)l);

    size_t bad = 0;
    if (utf8_valid(s, size, &bad))
        CHECK(utf8_length(s, size) <= size, "utf8_length");
    else
        CHECK(bad < size, "utf8 bad offset %zu of %zu", bad, size);

    jsonin_error_t err;
    json_t *j = jsonin_parse_object(s, size, &err);
    if (j != NULL) {
        CHECK(json_is_object(j), "not an object");
        CHECK(jsonin_depth(s, size) <= JSONIN_MAX_DEPTH, "too deep accepted");
        json_decref(j);
    } else {
        CHECK(err.code != NULL, "no error code");
        CHECK(message_find(err.code)->status == 400 && strcmp(message_find(err.code)->code, err.code) == 0,
              "jsonin code %s not in the catalogue", err.code);
        if (strcmp(err.code, "invalid_utf8") == 0)
            CHECK(err.offset < size, "utf8 offset");
    }

    route_match_t m;
    if (router_match(api_routes, api_routes_count, HTTP_GET, s, size, &m)) {
        CHECK(m.nparams >= 0 && m.nparams <= ROUTE_MAX_PARAMS, "nparams");
        for (int i = 0; i < m.nparams; i++)
            CHECK(m.param_start[i] >= s && m.param_start[i] + m.param_len[i] <= s + size, "param outside");
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready, verbose;
    if (!ready) {
        setup();
        verbose = getenv("FUZZ_VERBOSE") != NULL;   /* print each call and its answer */
        ready = true;
    }
    raw_parsers(data, size);

    /* split into parts */
    const char *part[NPARTS] = {0};
    size_t plen[NPARTS] = {0};
    const char *p = (const char *)data, *end = p + size;
    int n = 0;
    while (n < NPARTS) {
        const char *nl = n < P_BODY ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        part[n] = p;
        plen[n] = nl ? (size_t)(nl - p) : (size_t)(end - p);
        n++;
        if (nl == NULL)
            break;
        p = nl + 1;
    }

    call_t c;
    call_init(&c);
    /* as server.c's fill_call does */
    c.method = http_method_parse(part[P_METHOD] ? part[P_METHOD] : "", plen[P_METHOD]);
    const char *path = part[P_PATH] ? part[P_PATH] : "/";
    size_t path_len = part[P_PATH] ? plen[P_PATH] : 1;
    const char *q = memchr(path, '?', path_len);
    size_t before_query = q ? (size_t)(q - path) : path_len;
    c.path = arena_strndup(&c.arena, path, before_query);
    if (q != NULL)
        c.query = arena_strndup(&c.arena, q + 1, path_len - before_query - 1);
    if (part[P_BODY] != NULL && plen[P_BODY] > 0) {
        c.body_data = arena_strndup(&c.arena, part[P_BODY], plen[P_BODY]);
        c.body_len = plen[P_BODY];
    }
    if (part[P_CTYPE] != NULL)
        c.content_type = arena_strndup(&c.arena, part[P_CTYPE], plen[P_CTYPE]);
    if (part[P_LANG] != NULL)
        c.lang = lang_from_header(part[P_LANG], plen[P_LANG]);
    if (part[P_CSRF] != NULL)
        c.csrf_header = arena_strndup(&c.arena, part[P_CSRF], plen[P_CSRF]);
    if (part[P_COOKIE] != NULL) {
        char token[TOKEN_CHARS + 8];
        if (cookie_find(part[P_COOKIE], plen[P_COOKIE], SESSION_COOKIE, token, sizeof token))
            c.session_token = arena_strdup(&c.arena, token);
    }
    c.peer = arena_strdup(&c.arena, "127.0.0.1");
    c.secure = (size & 1) != 0;

    if (dispatch_begin(&c)) {
        CHECK(c.route != NULL && !call_answered(&c), "dispatch_begin said go but answered %d", c.status);
        if (c.route->work == WORK_SLOW) {
            /* password hashing is too slow for fuzzing: parse the body as the dispatcher would */
            if (c.body_len > 0) {
                jsonin_error_t err;
                json_t *j = jsonin_parse_object(c.body_data, c.body_len, &err);
                json_decref(j);
            }
        } else {
            bool uses_db = c.route->work != WORK_NO_DB;
            if (uses_db && db_begin(db) != STORE_DONE)
                die("begin", db_error(db));
            dispatch_run(&c, uses_db ? db : NULL);
            if (uses_db)
                db_rollback(db);
            CHECK(call_answered(&c), "dispatch_run gave no answer");
            check_answer(&c);
        }
    } else {
        CHECK(call_answered(&c), "dispatch_begin refused without an answer");
        check_answer(&c);
    }
    if (verbose)
        fprintf(stderr, "%s %s%s%s -> %d %.*s\n", http_method_name(c.method), c.path, *c.query ? "?" : "", c.query,
                c.status, (int)(c.out.len > 200 ? 200 : c.out.len), c.out.data ? c.out.data : "");
    call_free(&c);
    return 0;
}

/* libFuzzer harness for a whole API request: the input is split into request parts, made into
 * an h2o request, and run through the same path the server runs (http/request.c turns it into
 * a call; dispatch_on_loop runs phase 1 and, for point reads, phase 2 with a connection that
 * neither waits nor writes, as an event loop does; a call that must leave the loop runs on a
 * worker's connection, as server.c does) against the demo data in a temporary SQLite
 * database. Every route is reached, slow ones included: the demo accounts' password hashes
 * are made cheap (argon2id at libsodium's minimum cost) so that sign-ins and password changes
 * run at fuzzing speed. Every answer is checked (status 100–599; an error status has a JSON
 * body with error.code from the catalogue). The raw input is also fed to the text, cookie,
 * JSON and address-list parsers.
 *
 * Input: parts separated by '\n' (real header values and paths never hold one):
 *   METHOD \n PATH[?QUERY] \n COOKIE \n ACCEPT-LANGUAGE \n CONTENT-TYPE \n X-CSRF-TOKEN \n
 *   X-FORWARDED-FOR \n X-FORWARDED-PROTO \n BODY…
 * The body is the rest of the input and may hold anything. A missing or empty part is an absent
 * header. The peer is 127.0.0.1, a trusted proxy, so X-Forwarded-For names the client.
 *
 * The database holds the demo data (seed_demo at scale 1), and each demo account has a session,
 * so that signed-in routes are reached too: the cookie gb_session=XXX…X (43 × the letter) with
 * X-CSRF-Token: fuzz-csrf-LOGIN signs in as
 *   A admin, R regulator (national), G regulator-gd (Guangdong), E enterprise, B body.
 * A COOKIE part that starts "Bearer " is sent as the Authorization header instead: the demo
 * body's API token (seed.h DEMO_API_TOKEN) reaches the token routes.
 * The admin session is due for its expiry refresh, so its calls move from the loop to a worker.
 * Each input runs inside a transaction that is rolled back, so inputs do not affect each other.
 * FUZZ_VERBOSE=1 prints each call and its answer (to check what a corpus reaches). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <h2o.h>
#include <jansson.h>
#include <sodium.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/jsonin.h"
#include "core/messages.h"
#include "core/text.h"
#include "domain/account.h"
#include "http/auth.h"
#include "http/call.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/netlist.h"
#include "http/request.h"
#include "http/router.h"
#include "api/api.h"
#include "seed.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/users.h"

enum { NPARTS = 9, P_METHOD = 0, P_PATH, P_COOKIE, P_LANG, P_CTYPE, P_CSRF, P_XFF, P_XFPROTO, P_BODY };

static store_t *store;
static db_t *db;           /* a worker's connection: waits, writes */
static db_t *loop_db;      /* an event loop's connection: db_set_no_wait */
static char dir[64], path[128];
static netlist_t trusted, metrics_from;
static dispatch_conf_t conf;

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

static void remove_database(void)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    db_close(loop_db);
    db_close(db);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void setup(void)
{
    char err[512];
    if (!account_init())
        die("account_init", "libsodium");
    /* a file, not :memory:, so that the loop's and the worker's connections share it */
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%.40s/fuzz-request-XXXXXX", tmp);
    if (mkdtemp(dir) == NULL)
        die("mkdtemp", dir);
    snprintf(path, sizeof path, "sqlite:%s/fuzz.db", dir);
    store = store_open(path, err, sizeof err);
    if (store == NULL)
        die("store_open", err);
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    db = db_connect(store, err, sizeof err);
    if (db == NULL)
        die("db_connect", err);
    atexit(remove_database);
    if (migrate_apply(db, err, sizeof err) < 0)
        die("migrate_apply", err);
    metrics_init(api_routes, api_routes_count);
    /* the demo data: organisations, certificates and one account per role */
    FILE *quiet = fopen("/dev/null", "w");
    if (quiet == NULL || seed_demo(db, 1, quiet) != 0)
        die("seed_demo", db_error(db));
    fclose(quiet);
    /* the same password, hashed at the lowest cost: sign-ins verify in microseconds */
    char cheap[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(cheap, "guanbiao-demo", strlen("guanbiao-demo"), crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN) != 0 ||
        db_run(db, "UPDATE users SET password_hash = $1", "t", cheap) < 0)
        die("cheap password hashes", db_error(db));
    add_session('A', "admin");
    add_session('R', "regulator");
    add_session('G', "regulator-gd");
    add_session('E', "enterprise");
    add_session('B', "body");
    if (db_run(db, "UPDATE sessions SET refreshed_at = refreshed_at - 3600 WHERE csrf = 'fuzz-csrf-admin'", "") != 1)
        die("stale admin session", db_error(db));
    loop_db = db_connect(store, err, sizeof err);
    if (loop_db == NULL || !db_set_no_wait(loop_db))
        die("the loop's connection", loop_db ? db_error(loop_db) : err);
    if (!netlist_parse(&trusted, "127.0.0.1", err, sizeof err) ||
        !netlist_parse(&metrics_from, "198.51.100.0/24", err, sizeof err))
        die("netlist_parse", err);
    conf = (dispatch_conf_t){.routes = api_routes, .nroutes = api_routes_count, .store = STORE_SQLITE,
                             .metrics_from = &metrics_from};
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

    netlist_t nl;
    char nerr[128];
    if (netlist_parse(&nl, arena_strndup(&a, s, size), nerr, sizeof nerr)) {
        CHECK(nl.n >= 0 && nl.n <= NETLIST_MAX, "netlist size %d", nl.n);
        for (int i = 0; i < nl.n; i++)
            CHECK(nl.entries[i].prefix >= 0 && nl.entries[i].prefix <= 128, "prefix %d", nl.entries[i].prefix);
    }
    (void)netlist_has_text(&trusted, s, size);

    route_match_t m;
    if (router_match(api_routes, api_routes_count, HTTP_GET, s, size, &m)) {
        CHECK(m.nparams >= 0 && m.nparams <= ROUTE_MAX_PARAMS, "nparams");
        for (int i = 0; i < m.nparams; i++)
            CHECK(m.param_start[i] >= s && m.param_start[i] + m.param_len[i] <= s + size, "param outside");
    }
    arena_free(&a);
}

/* The connection of every fuzzed request: a client on 127.0.0.1 (a trusted proxy here). */
static socklen_t fake_peername(h2o_conn_t *conn, struct sockaddr *sa)
{
    (void)conn;
    struct sockaddr_in *in = (struct sockaddr_in *)sa;
    memset(in, 0, sizeof *in);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *in;
}
static const h2o_conn_callbacks_t fake_callbacks = {.get_peername = fake_peername};

/* A request header from an input part (absent when the part is missing or empty). */
static void add_request_header(h2o_req_t *req, const char *name, const char *value, size_t len)
{
    if (value == NULL || len == 0)
        return;
    h2o_add_header_by_str(&req->pool, &req->headers, name, strlen(name), 1, NULL, value, len);
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

    /* the request as h2o hands it to server.c's on_req */
    h2o_conn_t conn = {.callbacks = &fake_callbacks};
    h2o_req_t req;
    memset(&req, 0, sizeof req);
    h2o_mem_init_pool(&req.pool);
    req.conn = &conn;
    req.scheme = (size & 1) != 0 ? &H2O_URL_SCHEME_HTTPS : &H2O_URL_SCHEME_HTTP;   /* as if over TLS */
    req.method = h2o_iovec_init(part[P_METHOD] ? part[P_METHOD] : "", plen[P_METHOD]);
    req.path = part[P_PATH] != NULL ? h2o_iovec_init(part[P_PATH], plen[P_PATH]) : h2o_iovec_init(H2O_STRLIT("/"));
    const char *q = memchr(req.path.base, '?', req.path.len);
    req.query_at = q != NULL ? (size_t)(q - req.path.base) : SIZE_MAX;
    if (part[P_BODY] != NULL && plen[P_BODY] > 0)
        req.entity = h2o_iovec_init(part[P_BODY], plen[P_BODY]);
    /* a COOKIE part "Bearer …" is sent as the Authorization header instead (an API token) */
    bool bearer = part[P_COOKIE] != NULL && plen[P_COOKIE] >= 7 && memcmp(part[P_COOKIE], "Bearer ", 7) == 0;
    add_request_header(&req, bearer ? "authorization" : "cookie", part[P_COOKIE], plen[P_COOKIE]);
    add_request_header(&req, "accept-language", part[P_LANG], plen[P_LANG]);
    add_request_header(&req, "content-type", part[P_CTYPE], plen[P_CTYPE]);
    add_request_header(&req, "x-csrf-token", part[P_CSRF], plen[P_CSRF]);
    add_request_header(&req, "x-forwarded-for", part[P_XFF], plen[P_XFF]);
    add_request_header(&req, "x-forwarded-proto", part[P_XFPROTO], plen[P_XFPROTO]);

    call_t c;
    call_init(&c);
    request_to_call(&c, &req, &trusted);
    CHECK(c.peer_len > 0, "no client address");
    dispatch_next_t next = dispatch_on_loop(&conf, &c, loop_db);
    db_snapshot_end(loop_db);               /* as the loop does after each turn */
    if (next == DISPATCH_TO_WORKER) {
        CHECK(c.route != NULL && !call_answered(&c), "sent to a worker but answered %d", c.status);
        bool uses_db = c.route->work != WORK_NO_DB;
        if (uses_db && db_begin(db) != STORE_DONE)
            die("begin", db_error(db));
        dispatch_run(&c, uses_db ? db : NULL, ON_WORKER);
        if (uses_db)
            db_rollback(db);
    }
    CHECK(!db_take_refused(loop_db), "the loop's connection kept a refusal");
    CHECK(call_answered(&c), "no answer");
    check_answer(&c);
    CHECK(call_peer(&c) != NULL && *call_peer(&c) != '\0', "no printable client address");
    if (verbose)
        fprintf(stderr, "%s %s%s%s -> %d %.*s\n", http_method_name(c.method), c.path, *c.query ? "?" : "", c.query,
                c.status, (int)(c.out.len > 200 ? 200 : c.out.len), c.out.data ? c.out.data : "");
    call_free(&c);
    h2o_mem_clear_pool(&req.pool);
    return 0;
}

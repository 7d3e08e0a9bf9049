/* Covers http/dispatch with a route table of its own (the dispatcher does not depend on the
 * API's): what runs on the event loop and what moves to a worker, on a real SQLite file with
 * an event loop's connection (db_set_no_wait) and a worker's. A call that must leave the loop
 * comes back unanswered and runs again, whole, on the worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/account.h"
#include "http/auth.h"
#include "http/dispatch.h"
#include "store/migrate.h"
#include "store/users.h"
#include "unit_db.h"

#define UNUSED (void)state

static int handler_runs;

/* A point read that writes (what a loop must never do): the loop's connection refuses it. */
static void writes(call_t *c)
{
    handler_runs++;
    if (db_run(c->db, "INSERT INTO settings (key, value) VALUES ('written', 'x')", "") != 1) {
        call_db_error(c, "test write");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "by", c->user.login);
    jw_end(w);
}

static void reads(call_t *c)
{
    handler_runs++;
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "by", c->user.login);
    jw_end(w);
}

static const route_t routes[] = {
    {.method = HTTP_GET, .pattern = "/read", .roles = ROLES_ANY, .handler = reads},
    {.method = HTTP_GET, .pattern = "/write", .roles = ROLES_ANY, .handler = writes},
    {.method = HTTP_GET, .pattern = "/list", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = reads},
    {.method = HTTP_GET, .pattern = "/metrics", .roles = ROLES_ANY, .work = WORK_NO_DB, .monitoring = true,
     .handler = reads},
};

typedef struct fixture {
    temp_db_t tmp;
    db_t *worker, *loop;                /* worker: tmp.db */
    netlist_t metrics_from;
    dispatch_conf_t conf;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char err[256];
    if (f == NULL || !temp_db_open(&f->tmp, "dispatch"))
        return -1;
    f->worker = f->tmp.db;
    f->loop = db_connect(f->tmp.store, err, sizeof err);
    if (f->loop == NULL || !db_set_no_wait(f->loop) || !netlist_parse(&f->metrics_from, "198.51.100.0/24", err, sizeof err))
        return -1;
    f->conf = (dispatch_conf_t){.routes = routes, .nroutes = (int)(sizeof routes / sizeof routes[0]),
                                .store = STORE_SQLITE, .metrics_from = &f->metrics_from};
    handler_runs = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    db_close(f->loop);
    temp_db_close(&f->tmp);
    free(f);
    return 0;
}

/* A GET of path from addr, with the session token when given. */
static void request(call_t *c, const char *path, const char *addr, const char *token)
{
    call_init(c);
    c->method = HTTP_GET;
    c->method_name = "GET";
    c->path = path;
    c->session_token = token;
    struct sockaddr_in *in = (struct sockaddr_in *)&c->peer_addr;
    in->sin_family = AF_INET;
    inet_pton(AF_INET, addr, &in->sin_addr);
    c->peer_len = sizeof *in;
}

static void point_read_answers_on_the_loop(void **state)
{
    fixture_t *f = *state;
    call_t c;
    request(&c, "/read", "127.0.0.1", NULL);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_ANSWERED);
    db_snapshot_end(f->loop);
    assert_int_equal(c.status, 200);
    assert_int_equal(handler_runs, 1);
    call_free(&c);
}

static void a_write_on_the_loop_moves_to_a_worker(void **state)
{
    fixture_t *f = *state;
    call_t c;
    request(&c, "/write", "127.0.0.1", NULL);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_TO_WORKER);
    db_snapshot_end(f->loop);
    assert_false(call_answered(&c));                 /* the refused attempt's 503 is dropped */
    assert_int_equal(c.out.len, 0);
    assert_int_equal(count(f->worker, "SELECT COUNT(*) FROM settings WHERE key = 'written'"), 0);
    assert_true(dispatch_run(&c, f->worker, ON_WORKER));
    assert_int_equal(c.status, 200);
    assert_int_equal(handler_runs, 2);
    assert_int_equal(count(f->worker, "SELECT COUNT(*) FROM settings WHERE key = 'written'"), 1);
    call_free(&c);
}

static void a_session_due_for_refresh_moves_to_a_worker(void **state)
{
    fixture_t *f = *state;
    assert_true(account_init());
    new_user_t nu = {.login = "alice", .name = "Alice", .password_hash = "x", .role = ROLE_ADMIN, .region = ""};
    int64_t id = user_insert(f->worker, &nu, NULL);
    assert_true(id > 0);
    char token[TOKEN_CHARS + 1], hash[TOKEN_HASH_CHARS + 1];
    token_new(token);
    token_hash(token, strlen(token), hash);
    assert_true(session_insert(f->worker, hash, id, "csrf", "127.0.0.1"));

    /* fresh: the loop answers, and writes nothing */
    call_t c;
    request(&c, "/read", "127.0.0.1", token);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_ANSWERED);
    db_snapshot_end(f->loop);
    assert_non_null(strstr(c.out.data, "\"alice\""));
    call_free(&c);

    /* due: the loop hands it on before the handler runs; the worker refreshes and answers */
    int64_t stale = now_seconds() - SESSION_REFRESH_SECONDS - 10;
    assert_int_equal(db_run(f->worker, "UPDATE sessions SET refreshed_at = $1", "I", stale), 1);
    handler_runs = 0;
    request(&c, "/read", "127.0.0.1", token);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_TO_WORKER);
    db_snapshot_end(f->loop);
    assert_int_equal(handler_runs, 0);
    assert_int_equal(c.user.role, ROLE_PUBLIC);      /* nothing of the loop's attempt is kept */
    assert_true(dispatch_run(&c, f->worker, ON_WORKER));
    assert_int_equal(c.status, 200);
    assert_non_null(strstr(c.out.data, "\"alice\""));
    assert_true(count(f->worker, "SELECT refreshed_at FROM sessions") > stale);
    call_free(&c);
}

static void scans_go_to_a_worker_at_once(void **state)
{
    fixture_t *f = *state;
    call_t c;
    request(&c, "/list", "127.0.0.1", NULL);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_TO_WORKER);
    assert_int_equal(handler_runs, 0);
    assert_false(call_answered(&c));
    call_free(&c);
    /* and on PostgreSQL every database route does */
    f->conf.store = STORE_POSTGRES;
    request(&c, "/read", "127.0.0.1", NULL);
    assert_int_equal(dispatch_on_loop(&f->conf, &c, NULL), DISPATCH_TO_WORKER);
    call_free(&c);
}

static void monitoring_routes_answer_loopback_and_the_list(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *addr;
        int status;
    } cases[] = {{"127.0.0.1", 200}, {"127.0.0.53", 200}, {"198.51.100.20", 200}, {"203.0.113.5", 404}, {"10.0.0.1", 404}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        call_t c;
        request(&c, "/metrics", cases[i].addr, NULL);
        assert_int_equal(dispatch_on_loop(&f->conf, &c, f->loop), DISPATCH_ANSWERED);
        assert_int_equal(c.status, cases[i].status);
        call_free(&c);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(point_read_answers_on_the_loop),
        T(a_write_on_the_loop_moves_to_a_worker),
        T(a_session_due_for_refresh_moves_to_a_worker),
        T(scans_go_to_a_worker_at_once),
        T(monitoring_routes_answer_loopback_and_the_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

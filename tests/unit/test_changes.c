/* The change generations of store/changes.h, on SQLite: which tables a statement's SQL writes
 * (INSERT INTO, UPDATE, DELETE FROM; not FOR UPDATE, ON CONFLICT DO UPDATE, strings or
 * comments); a transaction's writes bump their tables only once it has ended, a write outside
 * a transaction when it is done, a read never; unwatched tables are not tracked; a reader in a
 * read snapshot sees the generations from when the snapshot began. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/changes.h"
#include "store/store.h"

static uint64_t bit(const char *table) { return changes_mask(table); }

static void test_sql_scan(void **state)
{
    (void)state;
    assert_int_equal(changes_of_sql("SELECT * FROM certificates WHERE id = $1"), 0);
    assert_int_equal(changes_of_sql("INSERT INTO certificates (number) VALUES ($1) RETURNING id"), bit("certificates"));
    assert_int_equal(changes_of_sql("insert into Bodies (name) values ($1)"), bit("bodies"));
    assert_int_equal(changes_of_sql("UPDATE enterprises SET name = $1 WHERE id = $2"), bit("enterprises"));
    assert_int_equal(changes_of_sql("DELETE FROM name_history WHERE entity_id = $1"), bit("name_history"));
    assert_int_equal(changes_of_sql("UPDATE ONLY bodies SET name = $1"), bit("bodies"));
    assert_int_equal(changes_of_sql("INSERT OR REPLACE INTO bodies (id) VALUES (1)"), bit("bodies"));
    assert_int_equal(changes_of_sql("REPLACE INTO bodies (id) VALUES (1)"), bit("bodies"));
    assert_int_equal(changes_of_sql("UPDATE OR IGNORE certificates SET status = 'x'"), bit("certificates"));
    /* a row lock and an upsert's update write nothing else */
    assert_int_equal(changes_of_sql("SELECT id FROM jobs WHERE state = 'queued' FOR UPDATE SKIP LOCKED"), 0);
    assert_int_equal(changes_of_sql("SELECT 1 FROM bodies WHERE id = $1 FOR NO KEY UPDATE"), 0);
    assert_int_equal(changes_of_sql("INSERT INTO audit_head (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET seq = 2"),
                     bit("audit_head"));
    /* words in strings and comments are not statements */
    assert_int_equal(changes_of_sql("SELECT 'UPDATE certificates SET x' -- DELETE FROM bodies\n FROM t"), 0);
    /* several statements (a migration): every table written */
    assert_int_equal(changes_of_sql("UPDATE certificates SET status = 'x'; INSERT INTO bodies (name) VALUES ('y');"
                                    "WITH d AS (DELETE FROM enterprises RETURNING id) SELECT 1"),
                     bit("certificates") | bit("bodies") | bit("enterprises"));
    assert_int_equal(changes_mask("certificates, bodies"), bit("certificates") | bit("bodies"));
    assert_int_equal(changes_mask(""), 0);
}

typedef struct fixture {
    char dir[64];
    store_t *store;
    db_t *db;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/gb-changes-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    char url[128], err[256];
    snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
    f->store = store_open(url, err, sizeof err);
    if (f->store == NULL || (f->db = db_connect(f->store, err, sizeof err)) == NULL)
        return -1;
    if (db_exec(f->db, "CREATE TABLE watched_t (n INTEGER PRIMARY KEY); CREATE TABLE other_t (n INTEGER PRIMARY KEY)") !=
        STORE_DONE)
        return -1;
    changes_watch(bit("watched_t"));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    db_close(f->db);
    changes_listen_stop();          /* closes the connection that looked for other processes' commits */
    store_close(f->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static void test_bumped_after_commit(void **state)
{
    fixture_t *f = *state;
    uint64_t w = bit("watched_t");
    uint64_t g0 = changes_seen(NULL, w);
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO watched_t (n) VALUES ($1)", "i", 1), 1);
    assert_true(changes_seen(NULL, w) == g0);          /* not before the commit */
    assert_int_equal(db_commit(f->db), STORE_DONE);
    uint64_t g1 = changes_seen(NULL, w);
    assert_true(g1 > g0);

    assert_int_equal(db_begin(f->db), STORE_DONE);      /* a rollback bumps too (to be safe) */
    assert_int_equal(db_run(f->db, "UPDATE watched_t SET n = 5 WHERE n = 1", ""), 1);
    db_rollback(f->db);
    uint64_t g2 = changes_seen(NULL, w);
    assert_true(g2 > g1);

    assert_int_equal(db_run(f->db, "DELETE FROM watched_t WHERE n = $1", "i", 1), 1);   /* outside a transaction */
    uint64_t g3 = changes_seen(NULL, w);
    assert_true(g3 > g2);

    stmt_t *st = db_query(f->db, "SELECT COUNT(*) FROM watched_t", "");       /* a read */
    assert_int_equal(stmt_step(st), STORE_ROW);
    stmt_done(st);
    assert_true(changes_seen(NULL, w) == g3);
}

static void test_unwatched_tables_cost_nothing(void **state)
{
    fixture_t *f = *state;
    uint64_t o = bit("other_t");
    if (o & bit("watched_t"))
        skip();                                        /* the two names share a bit */
    uint64_t g0 = changes_seen(NULL, o);
    assert_int_equal(db_run(f->db, "INSERT INTO other_t (n) VALUES (1)", ""), 1);
    assert_true(changes_seen(NULL, o) == g0);
}

static void test_snapshot_sees_its_start(void **state)
{
    fixture_t *f = *state;
    uint64_t w = bit("watched_t");
    db_snapshot_begin(f->db);
    uint64_t in_snapshot = changes_seen(f->db, w);
    changes_bump(w);                                   /* another connection's commit */
    assert_true(changes_seen(f->db, w) == in_snapshot);
    assert_true(changes_seen(NULL, w) > in_snapshot);
    db_snapshot_end(f->db);
    assert_true(changes_seen(f->db, w) == changes_seen(NULL, w));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_scan),
        cmocka_unit_test(test_bumped_after_commit),
        cmocka_unit_test(test_unwatched_tables_cost_nothing),
        cmocka_unit_test(test_snapshot_sees_its_start),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

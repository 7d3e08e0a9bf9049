/* The statement cache's contract as src/store/store.h writes it, on SQLite and on a throw-away
 * PostgreSQL cluster (tests/unit/pg-cluster.sh, started by this binary): the same SQL text on
 * the same connection gives the same statement (whatever the text's address) and another
 * connection its own; stmt_done clears binds and rows; a statement left half-read and prepared
 * again starts afresh; thousands of distinct SQL texts work, a statement in use survives them,
 * and PostgreSQL holds no more than 256 prepared statements for them; db_recover empties the
 * cache. On PostgreSQL also: after its backend is terminated, db_recover gives a working new
 * session with the settings every session gets (UTF-8, UTC), although the database's own
 * defaults here are LATIN1 and Asia/Shanghai. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

/* One connection to a fresh table cache_t (n, label) holding (1,'一'), (2,'二'), (3,'三'). */
typedef struct fixture {
    char dir[64];         /* SQLite: the database's directory */
    store_t *store;
    db_t *db;
} fixture_t;

static const char *const SQL_FROM = "SELECT n FROM cache_t WHERE n >= $1 ORDER BY n";

static int fill_table(db_t *db)
{
    if (db_exec(db, "DROP TABLE IF EXISTS cache_t; CREATE TABLE cache_t (n BIGINT PRIMARY KEY, label TEXT NOT NULL);"
                    "INSERT INTO cache_t (n, label) VALUES (1, '一'), (2, '二'), (3, '三')") != STORE_DONE) {
        fprintf(stderr, "fill_table: %s\n", db_error(db));
        return -1;
    }
    return 0;
}

static int open_fixture(fixture_t *f, const char *url, void **state)
{
    char err[256];
    f->store = store_open(url, err, sizeof err);
    if (f->store == NULL || (f->db = db_connect(f->store, err, sizeof err)) == NULL) {
        fprintf(stderr, "%s: %s\n", url, err);
        return -1;
    }
    *state = f;
    return fill_table(f->db);
}

static int setup_sqlite(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/gb-cache-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/test.db", f->dir);
    return open_fixture(f, url, state);
}

static void remove_sqlite_files(const char *dir)
{
    static const char *const files[] = {"test.db", "test.db-wal", "test.db-shm", "test.db-journal"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* ---- the PostgreSQL cluster, started by the first test that needs it, stopped at the end ---- */

static char pg_dir[64];
static char pg_url[256];
static char pg_script[PATH_MAX + 64];
static store_t *pg_admin_store;
static db_t *pg_admin;         /* a second connection, to terminate the fixture's backend */

/* tests/unit/pg-cluster.sh: beside the build directory this binary is in (build/, build-asan/
 * at the root of the tree), or under the current directory (the root). */
static int find_script(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(pg_script, sizeof pg_script, "%s/../tests/unit/pg-cluster.sh", exe);
            if (access(pg_script, R_OK) == 0)
                return 0;
        }
    }
    snprintf(pg_script, sizeof pg_script, "tests/unit/pg-cluster.sh");
    if (access(pg_script, R_OK) == 0)
        return 0;
    fprintf(stderr, "tests/unit/pg-cluster.sh not found beside the build directory nor under the current one\n");
    return -1;
}

static int start_cluster(void)
{
    static int started;           /* 0 not yet, 1 running, -1 failed */
    if (started != 0)
        return started > 0 ? 0 : -1;
    started = -1;
    if (find_script() != 0)
        return -1;
    snprintf(pg_dir, sizeof pg_dir, "/tmp/gb-pgunit-XXXXXX");
    if (mkdtemp(pg_dir) == NULL)
        return -1;
    char cmd[sizeof pg_script + 128];
    snprintf(cmd, sizeof cmd, "sh '%s' start '%s'", pg_script, pg_dir);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    if (fgets(pg_url, sizeof pg_url, p) == NULL)
        pg_url[0] = '\0';
    if (pclose(p) != 0 || strncmp(pg_url, "postgresql://", 13) != 0) {
        fprintf(stderr, "could not start PostgreSQL with %s\n", pg_script);
        return -1;
    }
    pg_url[strcspn(pg_url, "\n")] = '\0';
    char err[256];
    pg_admin_store = store_open(pg_url, err, sizeof err);
    if (pg_admin_store == NULL || (pg_admin = db_connect(pg_admin_store, err, sizeof err)) == NULL) {
        fprintf(stderr, "%s: %s\n", pg_url, err);
        return -1;
    }
    /* what a session gets unless it sets its own */
    if (db_exec(pg_admin, "ALTER DATABASE guanbiao SET client_encoding TO 'LATIN1';"
                          "ALTER DATABASE guanbiao SET timezone TO 'Asia/Shanghai'") != STORE_DONE) {
        fprintf(stderr, "ALTER DATABASE: %s\n", db_error(pg_admin));
        return -1;
    }
    started = 1;
    return 0;
}

static int stop_cluster(void **state)
{
    (void)state;
    db_close(pg_admin);
    store_close(pg_admin_store);
    if (pg_dir[0] != '\0' && pg_script[0] != '\0') {
        char cmd[sizeof pg_script + 128];
        snprintf(cmd, sizeof cmd, "sh '%s' stop '%s'", pg_script, pg_dir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

static int setup_postgres(void **state)
{
    if (start_cluster() != 0)
        return -1;
    return open_fixture(calloc(1, sizeof(fixture_t)), pg_url, state);
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    bool sqlite = store_kind(f->store) == STORE_SQLITE;
    db_close(f->db);
    store_close(f->store);
    if (sqlite)
        remove_sqlite_files(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

/* Steps st and returns column 0 as an integer; fails the test unless there is a row. */
static int64_t next_int(db_t *db, stmt_t *st)
{
    int rc = stmt_step(st);
    if (rc != STORE_ROW)
        fail_msg("expected a row, got %d: %s", rc, db_error(db));
    return stmt_int(st, 0);
}

/* The one text value that sql (no parameters) returns. */
static void assert_text(db_t *db, const char *sql, const char *expected)
{
    stmt_t *st = db_query(db, sql, "");
    assert_non_null(st);
    if (stmt_step(st) != STORE_ROW)
        fail_msg("%s: %s", sql, db_error(db));
    assert_string_equal(stmt_text(st, 0), expected);
    stmt_done(st);
}

static int64_t query_int(db_t *db, const char *sql)
{
    stmt_t *st = db_query(db, sql, "");
    assert_non_null(st);
    int64_t v = next_int(db, st);
    stmt_done(st);
    return v;
}

/* ---- the contract, on either database ---- */

static void same_sql_same_statement(void **state)
{
    fixture_t *f = *state;
    stmt_t *a = db_prepare(f->db, SQL_FROM);
    assert_non_null(a);
    assert_ptr_equal(db_prepare(f->db, SQL_FROM), a);
    /* the same text at another address */
    char copy[128];
    snprintf(copy, sizeof copy, "%s", SQL_FROM);
    assert_ptr_equal(db_prepare(f->db, copy), a);
    stmt_t *q = db_query(f->db, SQL_FROM, "i", 1);
    assert_ptr_equal(q, a);
    stmt_done(q);
    /* other text, other statement */
    stmt_t *b = db_prepare(f->db, "SELECT n FROM cache_t WHERE n <= $1 ORDER BY n");
    assert_non_null(b);
    assert_ptr_not_equal(b, a);
    /* one buffer, two texts in turn: the text decides, not the address */
    char buf[128];
    snprintf(buf, sizeof buf, "SELECT n + 10 FROM cache_t WHERE n = $1");
    stmt_t *first = db_query(f->db, buf, "i", 1);
    assert_int_equal(next_int(f->db, first), 11);
    stmt_done(first);
    snprintf(buf, sizeof buf, "SELECT n + 20 FROM cache_t WHERE n = $1");
    stmt_t *second = db_query(f->db, buf, "i", 1);
    assert_ptr_not_equal(second, first);
    assert_int_equal(next_int(f->db, second), 21);
    stmt_done(second);
    /* another connection has its own */
    char err[256];
    db_t *other = db_connect(f->store, err, sizeof err);
    assert_non_null(other);
    stmt_t *o = db_query(other, SQL_FROM, "i", 3);
    assert_non_null(o);
    assert_ptr_not_equal(o, a);
    assert_int_equal(next_int(other, o), 3);
    stmt_done(o);
    db_close(other);
}

static void done_clears_binds_and_rows(void **state)
{
    fixture_t *f = *state;
    stmt_t *st = db_query(f->db, SQL_FROM, "i", 2);
    assert_int_equal(next_int(f->db, st), 2);
    stmt_done(st);
    /* nothing of the last use's bind remains: no row for n >= 2 (SQLite: $1 is NULL; PostgreSQL:
     * an unbound parameter is an error) */
    st = db_prepare(f->db, SQL_FROM);
    assert_int_not_equal(stmt_step(st), STORE_ROW);
    stmt_done(st);
    /* nor of its rows: a new use starts at the first row */
    st = db_query(f->db, SQL_FROM, "i", 1);
    assert_int_equal(next_int(f->db, st), 1);
    assert_int_equal(next_int(f->db, st), 2);
    stmt_done(st);
    st = db_query(f->db, SQL_FROM, "i", 1);
    assert_int_equal(next_int(f->db, st), 1);
    stmt_done(st);
}

static void half_read_statement_prepared_again_starts_afresh(void **state)
{
    fixture_t *f = *state;
    /* left after its first row, without stmt_done (an early return, say) */
    stmt_t *left = db_query(f->db, SQL_FROM, "i", 1);
    assert_int_equal(next_int(f->db, left), 1);
    /* db_query of the same text: the same statement, with the new bind, from its first row */
    stmt_t *st = db_query(f->db, SQL_FROM, "i", 3);
    assert_ptr_equal(st, left);
    assert_int_equal(next_int(f->db, st), 3);
    assert_int_equal(stmt_step(st), STORE_DONE);
    /* again through db_prepare and explicit binds, after a half read with another bind */
    left = db_query(f->db, SQL_FROM, "i", 2);
    assert_int_equal(next_int(f->db, left), 2);
    st = db_prepare(f->db, SQL_FROM);
    stmt_bind_int(st, 1, 1);
    assert_int_equal(next_int(f->db, st), 1);
    assert_int_equal(next_int(f->db, st), 2);
    assert_int_equal(next_int(f->db, st), 3);
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    /* a write left unstepped after its bind does not run when its text is prepared again */
    stmt_t *w = db_query(f->db, "UPDATE cache_t SET label = $1 WHERE n = $2", "ti", "x", 1);
    assert_non_null(w);
    assert_int_equal(db_run(f->db, "UPDATE cache_t SET label = $1 WHERE n = $2", "ti", "y", 2), 1);
    assert_text(f->db, "SELECT label FROM cache_t WHERE n = 1", "一");
    assert_text(f->db, "SELECT label FROM cache_t WHERE n = 2", "y");
}

static void many_distinct_texts_and_one_in_use(void **state)
{
    fixture_t *f = *state;
    /* a statement half-read while thousands of others come and go */
    stmt_t *held = db_query(f->db, "SELECT n, label FROM cache_t ORDER BY n", "");
    assert_int_equal(next_int(f->db, held), 1);
    char sql[96];
    for (int i = 0; i < 3000; i++) {
        snprintf(sql, sizeof sql, "SELECT %d + n FROM cache_t WHERE n = $1", i);
        stmt_t *st = db_query(f->db, sql, "i", 1);
        assert_non_null(st);
        assert_int_equal(next_int(f->db, st), i + 1);
        stmt_done(st);
    }
    /* it was neither finalized nor reset under its user */
    assert_int_equal(next_int(f->db, held), 2);
    assert_string_equal(stmt_text(held, 1), "二");
    assert_int_equal(next_int(f->db, held), 3);
    assert_int_equal(stmt_step(held), STORE_DONE);
    stmt_done(held);
    /* texts that were made room for come back */
    for (int i = 0; i < 3000; i += 997) {
        snprintf(sql, sizeof sql, "SELECT %d + n FROM cache_t WHERE n = $1", i);
        stmt_t *st = db_query(f->db, sql, "i", 2);
        assert_int_equal(next_int(f->db, st), i + 2);
        stmt_done(st);
    }
    /* PostgreSQL: the statements made room for were deallocated there too (256 at most) */
    if (store_kind(f->store) == STORE_POSTGRES) {
        int64_t prepared = query_int(f->db, "SELECT count(*) FROM pg_prepared_statements");
        assert_in_range(prepared, 1, 256);
    }
}

static void recover_empties_the_cache(void **state)
{
    fixture_t *f = *state;
    stmt_t *left = db_query(f->db, SQL_FROM, "i", 1);
    assert_int_equal(next_int(f->db, left), 1);
    db_recover(f->db);
    stmt_t *st = db_query(f->db, SQL_FROM, "i", 2);
    assert_non_null(st);
    assert_int_equal(next_int(f->db, st), 2);
    assert_int_equal(next_int(f->db, st), 3);
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    assert_true(db_ping(f->db));
    /* PostgreSQL: a new session, holding only what was prepared since: SQL_FROM, the ping's and
     * this count's statements */
    if (store_kind(f->store) == STORE_POSTGRES)
        assert_int_equal(query_int(f->db, "SELECT count(*) FROM pg_prepared_statements"), 3);
}

/* ---- PostgreSQL: a terminated backend ---- */

static void settings_of_a_new_session(db_t *db)
{
    assert_text(db, "SELECT current_setting('client_encoding')", "UTF8");
    assert_text(db, "SELECT current_setting('TimeZone')", "UTC");
}

static void terminated_backend_recovers_with_its_settings(void **state)
{
    fixture_t *f = *state;
    settings_of_a_new_session(f->db);
    int64_t pid = query_int(f->db, "SELECT pg_backend_pid()");
    stmt_t *st = db_query(f->db, SQL_FROM, "i", 1);
    assert_int_equal(next_int(f->db, st), 1);
    stmt_done(st);

    stmt_t *kill = db_query(pg_admin, "SELECT pg_terminate_backend(CAST($1 AS INTEGER), 5000)", "I", pid);
    assert_non_null(kill);
    assert_int_equal(next_int(pg_admin, kill), 1);
    stmt_done(kill);

    /* the next use fails as a lost connection */
    st = db_query(f->db, SQL_FROM, "i", 1);
    if (st != NULL) {
        assert_int_equal(stmt_step(st), STORE_ERROR);
        stmt_done(st);
    }
    assert_int_equal(db_error_kind(f->db), DB_ERR_CONNECTION);

    db_recover(f->db);
    /* a new session, where the statements of the old one are prepared again */
    assert_true(query_int(f->db, "SELECT pg_backend_pid()") != pid);
    st = db_query(f->db, SQL_FROM, "i", 2);
    assert_int_equal(next_int(f->db, st), 2);
    stmt_done(st);
    /* with the settings every session gets, not the database's defaults */
    settings_of_a_new_session(f->db);
    assert_text(f->db, "SELECT label FROM cache_t WHERE n = 3", "三");
    assert_int_equal(db_run(f->db, "UPDATE cache_t SET label = $1 WHERE n = 1", "t", "贯标"), 1);
    assert_int_equal(query_int(f->db, "SELECT octet_length(label) FROM cache_t WHERE n = 1"), 6);  /* UTF-8 */
    /* the defaults are still what this test set, so the settings came from the session */
    assert_text(pg_admin, "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s "
                          "JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = 'guanbiao'",
                "client_encoding=LATIN1,TimeZone=Asia/Shanghai");
}

/* stmt_bind_blob/stmt_blob carry any bytes (NUL, 0xFF, invalid UTF-8) both ways, and an empty
 * blob stays an empty blob, not NULL. */
static void blobs_round_trip(void **state)
{
    fixture_t *f = *state;
    bool sqlite = store_kind(f->store) == STORE_SQLITE;
    assert_int_equal(db_exec(f->db, sqlite ? "DROP TABLE IF EXISTS blob_t; CREATE TABLE blob_t (n BIGINT PRIMARY KEY, b BLOB)"
                                           : "DROP TABLE IF EXISTS blob_t; CREATE TABLE blob_t (n BIGINT PRIMARY KEY, b BYTEA)"),
                     STORE_DONE);
    static const unsigned char bytes[] = {0x00, 0xff, 0x5c, 0x78, 0x00, 0x27, 0xc3, 0x28, 0x01};
    stmt_t *st = db_prepare(f->db, "INSERT INTO blob_t (n, b) VALUES ($1, $2)");
    assert_non_null(st);
    stmt_bind_int(st, 1, 1);
    stmt_bind_blob(st, 2, bytes, sizeof bytes);
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    st = db_prepare(f->db, "INSERT INTO blob_t (n, b) VALUES ($1, $2)");
    stmt_bind_int(st, 1, 2);
    stmt_bind_blob(st, 2, "", 0);
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    assert_int_equal(query_int(f->db, "SELECT length(b) FROM blob_t WHERE n = 1"), 9);

    st = db_query(f->db, "SELECT b, n FROM blob_t WHERE n >= $1 ORDER BY n", "i", 1);
    assert_int_equal(stmt_step(st), STORE_ROW);
    size_t len = 99;
    const void *got = stmt_blob(st, 0, &len);
    assert_int_equal(len, sizeof bytes);
    assert_memory_equal(got, bytes, sizeof bytes);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_false(stmt_is_null(st, 0));
    stmt_blob(st, 0, &len);
    assert_int_equal(len, 0);
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    /* the bytes compare equal inside the database too (a lookup by content) */
    st = db_prepare(f->db, "SELECT n FROM blob_t WHERE b = $1");
    stmt_bind_blob(st, 1, bytes, sizeof bytes);
    assert_int_equal(next_int(f->db, st), 1);
    stmt_done(st);
}

#define ON(db, test, setup) {db ": " #test, test, setup, teardown, NULL}
#define CONTRACT(db, setup)                                                                              \
    ON(db, same_sql_same_statement, setup), ON(db, done_clears_binds_and_rows, setup),                   \
    ON(db, half_read_statement_prepared_again_starts_afresh, setup),                                     \
    ON(db, many_distinct_texts_and_one_in_use, setup), ON(db, recover_empties_the_cache, setup),       \
    ON(db, blobs_round_trip, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONTRACT("sqlite", setup_sqlite),
        CONTRACT("postgres", setup_postgres),
        ON("postgres", terminated_backend_recovers_with_its_settings, setup_postgres),
    };
    return cmocka_run_group_tests_name("statement cache on SQLite, then PostgreSQL", tests, NULL, stop_cluster);
}

/* Covers the store on SQLite: URLs, migrations, typed binds, the statement cache, errors, transactions, users/sessions/throttling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/text.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/users.h"
#include "unit_db.h"

#define UNUSED (void)state

/* One fresh, migrated database file per test (unit_db.h). */
typedef temp_db_t fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (f == NULL || !temp_db_open(f, "store")) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    temp_db_close(f);
    free(f);
    return 0;
}

/* ---- URLs ---- */

static void store_open_urls(void **state)
{
    UNUSED;
    char err[256];
    store_t *s = store_open("sqlite:x.db", err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_SQLITE);
    assert_string_equal(store_kind_name(s), "sqlite");
    store_close(s);

    s = store_open("data/guanbiao.db", err, sizeof err);          /* a bare path */
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_SQLITE);
    store_close(s);

    s = store_open("sqlite:///tmp/x.db", err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_SQLITE);
    store_close(s);

    s = store_open("postgres://user:pw@localhost:5432/guanbiao", err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_POSTGRES);
    assert_string_equal(store_kind_name(s), "postgres");
    store_close(s);
    s = store_open("postgresql://localhost/guanbiao", err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_POSTGRES);
    store_close(s);

    err[0] = '\0';
    assert_null(store_open("mysql://x", err, sizeof err));
    assert_non_null(strstr(err, "mysql://x"));
    assert_null(store_open("sqlite:", err, sizeof err));
    assert_null(store_open("http://example.com/db", err, sizeof err));

    s = store_open(NULL, err, sizeof err);                          /* the default */
    assert_non_null(s);
    assert_int_equal(store_kind(s), STORE_SQLITE);
    store_close(s);
    store_close(NULL);
}

/* "sqlite::memory:" is an in-memory database: nothing on disk, one per connection. */
static void store_open_memory(void **state)
{
    UNUSED;
    char err[256];
    store_t *s = store_open("sqlite::memory:", err, sizeof err);
    assert_non_null(s);
    db_t *a = db_connect(s, err, sizeof err);
    db_t *b = db_connect(s, err, sizeof err);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(db_ping(a));
    assert_int_equal(db_exec(a, "CREATE TABLE only_in_a (x INTEGER)"), STORE_DONE);
    assert_int_equal(db_exec(b, "CREATE TABLE only_in_a (x INTEGER)"), STORE_DONE);   /* b has its own */
    struct stat sb;
    assert_int_not_equal(stat(":memory:", &sb), 0);
    assert_int_equal(migrate_apply(a, err, sizeof err), migrations_count);
    db_close(a);
    db_close(b);
    store_close(s);
}

static void connect_writes_the_file(void **state)
{
    fixture_t *f = *state;
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_true(db_ping(f->db));
    assert_ptr_equal(db_store(f->db), f->store);
}

/* ---- migrations ---- */

static void migrations_apply_once(void **state)
{
    fixture_t *f = *state;
    char err[256];
    assert_true(migrations_count >= 1);
    assert_int_equal(migrate_current(f->db), migrations_count);
    assert_int_equal(migrate_current(f->db), migrations[migrations_count - 1].version);
    assert_int_equal(migrate_apply(f->db, err, sizeof err), 0);      /* nothing pending */
    assert_int_equal(migrate_current(f->db), migrations_count);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM schema_migrations"), migrations_count);
    /* versions are 1, 2, … in order */
    for (int i = 0; i < migrations_count; i++) {
        assert_int_equal(migrations[i].version, i + 1);
        assert_non_null(migrations[i].name);
        assert_non_null(migrations[i].sql);
    }
    /* a second connection (another process, say) sees it done too */
    db_t *other = db_connect(f->store, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(migrate_apply(other, err, sizeof err), 0);
    db_close(other);
    /* the tables exist */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM users"), 0);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 0);
}

static void migrations_on_empty_database(void **state)
{
    UNUSED;
    char err[256];
    store_t *s = store_open("sqlite::memory:", err, sizeof err);
    db_t *db = db_connect(s, err, sizeof err);
    assert_int_equal(migrate_current(db), 0);
    assert_int_equal(migrate_apply(db, err, sizeof err), migrations_count);
    assert_int_equal(migrate_current(db), migrations_count);
    db_close(db);
    store_close(s);
}

static void migrate_render_tokens(void **state)
{
    UNUSED;
    const char *sql = "CREATE TABLE t (id @ID@, data @BLOB@, mail TEXT DEFAULT 'a@b.c', x @NOPE@, y TEXT); -- @";
    char *lite = migrate_render(sql, STORE_SQLITE);
    assert_string_equal(lite, "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB, mail TEXT DEFAULT 'a@b.c', "
                              "x @NOPE@, y TEXT); -- @");
    free(lite);
    char *pg = migrate_render(sql, STORE_POSTGRES);
    assert_string_equal(pg, "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, data BYTEA, "
                            "mail TEXT DEFAULT 'a@b.c', x @NOPE@, y TEXT); -- @");
    free(pg);
    char *none = migrate_render("", STORE_SQLITE);
    assert_string_equal(none, "");
    free(none);
    char *adjacent = migrate_render("@ID@@BLOB@", STORE_SQLITE);
    assert_string_equal(adjacent, "INTEGER PRIMARY KEYBLOB");
    free(adjacent);
    /* every shipped migration renders with no token left over */
    for (int i = 0; i < migrations_count; i++) {
        for (int k = 0; k < 2; k++) {
            char *r = migrate_render(migrations[i].sql, k ? STORE_POSTGRES : STORE_SQLITE);
            assert_null(strstr(r, "@ID@"));
            assert_null(strstr(r, "@BLOB@"));
            free(r);
        }
    }
}

/* ---- binds and columns ---- */

static void binds_every_letter(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE kinds (i INTEGER, big INTEGER, d REAL, b INTEGER, t TEXT, "
                                    "tn TEXT, n TEXT)"), STORE_DONE);
    int64_t big = INT64_C(9007199254740993);                        /* not exact as a double */
    assert_int_equal(db_run(f->db, "INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7)", "iIdbttn", -42, big,
                            2.5, 7, "知识产权 'quoted'", (const char *)NULL), 1);
    assert_int_equal(db_run(f->db, "INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7)", "iIdbttn", 0,
                            INT64_MIN, -0.125, 0, "", "x"), 1);
    stmt_t *st = db_query(f->db, "SELECT i, big, d, b, t, tn, n FROM kinds ORDER BY rowid", "");
    assert_non_null(st);
    assert_int_equal(stmt_columns(st), 7);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_int_equal(stmt_int(st, 0), -42);
    assert_true(stmt_int(st, 1) == big);
    assert_float_equal(stmt_double(st, 2), 2.5, 0);
    assert_int_equal(stmt_int(st, 3), 1);                           /* bool as 0/1 */
    assert_string_equal(stmt_text(st, 4), "知识产权 'quoted'");
    assert_true(stmt_is_null(st, 5));                               /* 't' with NULL */
    assert_string_equal(stmt_text(st, 5), "");                      /* "" for NULL */
    assert_true(stmt_is_null(st, 6));                               /* 'n' */
    assert_false(stmt_is_null(st, 0));
    assert_false(stmt_is_null(st, 4));
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_false(stmt_is_null(st, 0));                              /* zero is not NULL */
    assert_int_equal(stmt_int(st, 0), 0);
    assert_true(stmt_int(st, 1) == INT64_MIN);
    assert_float_equal(stmt_double(st, 2), -0.125, 0);
    assert_int_equal(stmt_int(st, 3), 0);
    assert_false(stmt_is_null(st, 4));                              /* empty is not NULL */
    assert_string_equal(stmt_text(st, 4), "");
    assert_string_equal(stmt_text(st, 5), "x");
    assert_int_equal(stmt_step(st), STORE_DONE);
    stmt_done(st);
    stmt_done(NULL);                                                /* a no-op */
}

static void params_out_of_order(void **state)
{
    fixture_t *f = *state;
    stmt_t *st = db_query(f->db, "SELECT $2 || '-' || $1, $3 - $2", "ttI", "first", "second", (int64_t)10);
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(stmt_text(st, 0), "second-first");
    stmt_done(st);
    /* numbers, and a parameter used twice */
    st = db_query(f->db, "SELECT $3 * 100 + $1 * 10 + $2, $1 + $1", "iii", 1, 2, 3);
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_int_equal(stmt_int(st, 0), 312);
    assert_int_equal(stmt_int(st, 1), 2);
    stmt_done(st);
    /* an insert whose columns list the parameters backwards */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (value, key) VALUES ($2, $1)", "tt", "k", "v"), 1);
    st = db_query(f->db, "SELECT value FROM settings WHERE key = $1", "t", "k");
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(stmt_text(st, 0), "v");
    stmt_done(st);
}

static void binds_are_cleared_between_uses(void **state)
{
    fixture_t *f = *state;
    const char *sql = "SELECT $1, $2";
    stmt_t *st = db_query(f->db, sql, "tt", "a", "b");
    assert_int_equal(stmt_step(st), STORE_ROW);
    stmt_done(st);
    /* the same cached statement bound partially: the other parameter is NULL again */
    st = db_prepare(f->db, sql);
    stmt_bind_text(st, 1, "c", 1);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(stmt_text(st, 0), "c");
    assert_true(stmt_is_null(st, 1));
    stmt_done(st);
    /* a text bind is copied: changing the source after binding changes nothing */
    char buf[8] = "before";
    st = db_prepare(f->db, "SELECT $1");
    stmt_bind_text(st, 1, buf, strlen(buf));
    memcpy(buf, "after!", 7);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(stmt_text(st, 0), "before");
    stmt_done(st);
    /* a text bind by length may hold a prefix */
    st = db_prepare(f->db, "SELECT $1");
    stmt_bind_text(st, 1, "abcdef", 3);
    stmt_bind_double(st, 1, 1.5);                                   /* rebinding replaces */
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_float_equal(stmt_double(st, 0), 1.5, 0);
    stmt_done(st);
    st = db_prepare(f->db, "SELECT $1");
    stmt_bind_null(st, 1);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_true(stmt_is_null(st, 0));
    stmt_done(st);
}

static void bad_binds_fail(void **state)
{
    fixture_t *f = *state;
    /* a letter that is not a type */
    assert_null(db_query(f->db, "SELECT $1", "x", 1));
    assert_non_null(strstr(db_error(f->db), "'x'"));
    assert_int_equal(db_run(f->db, "SELECT $1", "x", 1), -1);
    /* more binds than parameters: the statement fails to step rather than run half-bound */
    stmt_t *st = db_query(f->db, "SELECT $1", "ii", 1, 2);
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ERROR);
    assert_non_null(strstr(db_error(f->db), "$2"));
    stmt_done(st);
    /* and the cached statement is usable again afterwards */
    st = db_query(f->db, "SELECT $1", "i", 5);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_int_equal(stmt_int(st, 0), 5);
    stmt_done(st);
    assert_int_equal(db_run(f->db, "UPDATE settings SET value = $1 WHERE key = $3", "tt", "a", "b"), -1);
    /* SQL errors */
    uint64_t before = store_error_count();
    assert_null(db_prepare(f->db, "SELEC 1"));
    assert_int_equal(db_error_kind(f->db), DB_ERR_OTHER);
    assert_true(db_error(f->db)[0] != '\0');
    assert_true(store_error_count() > before);
    assert_int_equal(db_exec(f->db, "NOT SQL AT ALL"), STORE_ERROR);
    assert_int_equal(db_run(f->db, "SELECT * FROM no_such_table", ""), -1);
    /* a success clears the error */
    assert_true(db_ping(f->db));
    assert_int_equal(db_error_kind(f->db), DB_OK);
    assert_string_equal(db_error(f->db), "");
}

static void statement_cache(void **state)
{
    fixture_t *f = *state;
    stmt_t *a = db_prepare(f->db, "SELECT 1");
    stmt_t *b = db_prepare(f->db, "SELECT 1");
    stmt_t *c = db_prepare(f->db, "SELECT 2");
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    stmt_t *q = db_query(f->db, "SELECT 1", "");
    assert_ptr_equal(q, a);
    stmt_done(q);
    /* many distinct statements (more than the cache holds) still work; evicted ones come back */
    char sql[64];
    for (int i = 0; i < 600; i++) {
        snprintf(sql, sizeof sql, "SELECT %d", i);
        stmt_t *st = db_query(f->db, sql, "");
        assert_non_null(st);
        assert_int_equal(stmt_step(st), STORE_ROW);
        assert_int_equal(stmt_int(st, 0), i);
        stmt_done(st);
    }
    stmt_t *again = db_query(f->db, "SELECT 1", "");
    assert_int_equal(stmt_step(again), STORE_ROW);
    assert_int_equal(stmt_int(again, 0), 1);
    stmt_done(again);
    /* db_run reports rows changed */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2'), ('c', '3')", ""), 3);
    assert_int_equal(db_run(f->db, "UPDATE settings SET value = 'x' WHERE key <> $1", "t", "a"), 2);
    assert_int_equal(db_run(f->db, "DELETE FROM settings WHERE key = $1", "t", "nothing"), 0);
}

/* ---- constraint errors ---- */

static int64_t add_enterprise(db_t *db, const char *name, const char *code, const char *region)
{
    stmt_t *st = db_query(db, "INSERT INTO enterprises (name, credit_code, region, created_at) VALUES ($1, $2, $3, $4) "
                              "RETURNING id", "tttI", name, code, region, (int64_t)now_seconds());
    if (st == NULL)
        return -1;
    int64_t id = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return id;
}

static void constraint_kinds(void **state)
{
    fixture_t *f = *state;
    assert_true(add_enterprise(f->db, "甲公司", "91440300MA5EXAMPLE", "440300") > 0);
    uint64_t before = store_error_count();
    assert_int_equal(add_enterprise(f->db, "乙公司", "91440300MA5EXAMPLE", "440300"), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_UNIQUE);
    assert_int_equal(store_error_count(), before);                  /* an answer, not a fault */

    /* users.enterprise_id references enterprises */
    assert_int_equal(db_run(f->db, "INSERT INTO users (login, name, role, enterprise_id, password_hash, created_at, "
                                   "password_changed_at) VALUES ('ent', 'E', 'enterprise', 999, 'h', 0, 0)", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_FOREIGN);

    /* CHECK: an enterprise account needs its enterprise; roles are a closed list */
    assert_int_equal(db_run(f->db, "INSERT INTO users (login, name, role, password_hash, created_at, "
                                   "password_changed_at) VALUES ('ent', 'E', 'enterprise', 'h', 0, 0)", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_CHECK);
    assert_int_equal(db_run(f->db, "INSERT INTO users (login, name, role, password_hash, created_at, "
                                   "password_changed_at) VALUES ('x', 'X', 'king', 'h', 0, 0)", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_CHECK);
    /* NOT NULL */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('k', NULL)", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_CHECK);
    /* a primary key is unique too */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('k', 'v')", ""), 1);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('k', 'w')", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_UNIQUE);
}

/* ---- transactions ---- */

static void tx_rollback_discards(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('a', '1')", ""), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 1);   /* visible inside */
    db_rollback(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 0);
    db_rollback(f->db);                                             /* no transaction: a no-op */
    assert_int_equal(db_commit(f->db), STORE_ERROR);                /* nothing to commit */
    /* a commit keeps */
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('b', '2')", ""), 1);
    assert_int_equal(db_commit(f->db), STORE_DONE);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 1);
}

static void tx_nested_flattened(void **state)
{
    fixture_t *f = *state;
    char err[256];
    db_t *other = db_connect(f->store, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_begin(f->db), STORE_DONE);                  /* nested */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('a', '1')", ""), 1);
    assert_int_equal(db_commit(f->db), STORE_DONE);                 /* inner: nothing committed yet */
    assert_int_equal(count(other, "SELECT COUNT(*) FROM settings"), 0);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('b', '2')", ""), 1);
    assert_int_equal(db_commit(f->db), STORE_DONE);                 /* outer commits both */
    assert_int_equal(count(other, "SELECT COUNT(*) FROM settings"), 2);

    /* a rollback inside a nested transaction ends the whole of it */
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('c', '3')", ""), 1);
    db_rollback(f->db);
    assert_int_equal(db_commit(f->db), STORE_ERROR);                /* the outer is gone too */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 2);
    db_close(other);
}

static void tx_failed_statement_fails_commit(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('taken', '0')", ""), 1);
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('new', '1')", ""), 1);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('taken', '2')", ""), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_UNIQUE);
    assert_int_equal(db_commit(f->db), STORE_ERROR);                /* refused, and rolled back */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 1);
    stmt_t *st = db_query(f->db, "SELECT value FROM settings WHERE key = 'taken'", "");
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_string_equal(stmt_text(st, 0), "0");
    stmt_done(st);
    /* the next transaction starts clean */
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('new', '1')", ""), 1);
    assert_int_equal(db_commit(f->db), STORE_DONE);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 2);

    /* the same in a nested transaction: the inner commit already reports the failure */
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('n2', '1')", ""), 1);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('taken', '3')", ""), -1);
    assert_int_equal(db_commit(f->db), STORE_ERROR);
    assert_int_equal(db_commit(f->db), STORE_ERROR);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), 2);
}

/* ---- users, sessions, throttling ---- */

static const char *const HASH_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *const HASH_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
static const char *const HASH_C = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

static int64_t add_admin(db_t *db, const char *login)
{
    new_user_t nu = {.login = login, .name = "管理员", .password_hash = "$argon2id$fake", .role = ROLE_ADMIN};
    return user_insert(db, &nu, NULL);
}

static void users_insert_and_find(void **state)
{
    fixture_t *f = *state;
    arena_t a = {0};
    int64_t id = add_admin(f->db, "admin");
    assert_true(id > 0);
    assert_int_equal(add_admin(f->db, "admin"), 0);                /* login taken */
    assert_int_equal(db_error_kind(f->db), DB_ERR_UNIQUE);

    user_t u;
    const char *hash = NULL;
    assert_int_equal(user_by_login(f->db, &a, "admin", &u, &hash), 1);
    assert_int_equal(u.id, id);
    assert_string_equal(u.login, "admin");
    assert_string_equal(u.name, "管理员");
    assert_int_equal(u.role, ROLE_ADMIN);
    assert_int_equal(u.enterprise_id, 0);
    assert_int_equal(u.body_id, 0);
    assert_string_equal(u.region, "");
    assert_string_equal(hash, "$argon2id$fake");
    assert_int_equal(user_by_login(f->db, &a, "nobody", &u, &hash), 0);
    assert_int_equal(user_by_login(f->db, &a, "ADMIN", &u, &hash), 0);

    /* a regulator with a region; an enterprise account with its enterprise */
    new_user_t reg = {.login = "gd", .name = "广东", .password_hash = "h", .role = ROLE_REGULATOR, .region = "440000"};
    int64_t rid = user_insert(f->db, &reg, NULL);
    assert_true(rid > id);
    int64_t eid = add_enterprise(f->db, "甲公司", "91440300MA5EXAMPLE", "440300");
    new_user_t ent = {.login = "ent", .name = "甲", .password_hash = "h", .role = ROLE_ENTERPRISE, .enterprise_id = eid};
    int64_t uid = user_insert(f->db, &ent, NULL);
    assert_true(uid > 0);
    assert_int_equal(user_by_id(f->db, &a, rid, &u, NULL), 1);
    assert_int_equal(u.role, ROLE_REGULATOR);
    assert_string_equal(u.region, "440000");
    assert_int_equal(user_by_id(f->db, &a, uid, &u, &hash), 1);
    assert_int_equal(u.role, ROLE_ENTERPRISE);
    assert_int_equal(u.enterprise_id, eid);
    assert_string_equal(user_organisation_name(f->db, &a, &u), "甲公司");
    assert_int_equal(user_by_id(f->db, &a, 99999, &u, &hash), 0);
    /* an enterprise account whose enterprise does not exist is refused (-1, not "taken") */
    new_user_t orphan = {.login = "orphan", .name = "O", .password_hash = "h", .role = ROLE_ENTERPRISE,
                         .enterprise_id = 424242};
    assert_int_equal(user_insert(f->db, &orphan, NULL), -1);
    assert_int_equal(db_error_kind(f->db), DB_ERR_FOREIGN);

    /* password change */
    assert_true(user_set_password(f->db, id, "$argon2id$new", NULL));
    assert_int_equal(user_by_login(f->db, &a, "admin", &u, &hash), 1);
    assert_string_equal(hash, "$argon2id$new");
    assert_false(user_set_password(f->db, 99999, "x", NULL));

    /* inactive accounts are not found */
    assert_int_equal(db_run(f->db, "UPDATE users SET active = 0 WHERE id = $1", "I", id), 1);
    assert_int_equal(user_by_login(f->db, &a, "admin", &u, &hash), 0);
    assert_int_equal(user_by_id(f->db, &a, id, &u, &hash), 0);
    arena_free(&a);
}

static void sessions(void **state)
{
    fixture_t *f = *state;
    arena_t a = {0};
    int64_t id = add_admin(f->db, "admin");
    assert_true(session_insert(f->db, HASH_A, id, "csrf-a", "127.0.0.1"));
    assert_false(session_insert(f->db, HASH_A, id, "csrf-x", "127.0.0.1"));   /* the hash is the key */
    user_t u;
    memset(&u, 0, sizeof u);
    const char *csrf = NULL;
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, NULL), 1);
    assert_int_equal(u.id, id);
    assert_string_equal(u.login, "admin");
    assert_int_equal(u.role, ROLE_ADMIN);
    assert_string_equal(csrf, "csrf-a");
    assert_int_equal(session_lookup(f->db, &a, HASH_B, &u, &csrf, NULL), 0);

    /* expired: not found */
    assert_true(session_insert(f->db, HASH_B, id, "csrf-b", NULL));
    assert_int_equal(db_run(f->db, "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2", "It",
                            (int64_t)now_seconds() - 1, HASH_B), 1);
    assert_int_equal(session_lookup(f->db, &a, HASH_B, &u, &csrf, NULL), 0);

    /* a session not refreshed for a while gets its expiry pushed */
    int64_t now = now_seconds();
    assert_int_equal(db_run(f->db, "UPDATE sessions SET expires_at = $1, refreshed_at = $2 WHERE token_hash = $3",
                            "IIt", now + 100, now - SESSION_REFRESH_SECONDS - 5, HASH_A), 1);
    /* … but not by a lookup that may not write (the event loop's): it says the push is due */
    bool due = false;
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, &due), 1);
    assert_true(due);
    assert_int_equal(count(f->db, "SELECT expires_at FROM sessions WHERE token_hash = "
                                  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"), now + 100);
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, NULL), 1);
    stmt_t *st = db_query(f->db, "SELECT expires_at, refreshed_at FROM sessions WHERE token_hash = $1", "t", HASH_A);
    assert_int_equal(stmt_step(st), STORE_ROW);
    assert_true(stmt_int(st, 0) >= now + SESSION_IDLE_SECONDS);
    assert_true(stmt_int(st, 1) >= now);
    stmt_done(st);
    /* a recent one is left alone */
    assert_int_equal(db_run(f->db, "UPDATE sessions SET expires_at = $1, refreshed_at = $2 WHERE token_hash = $3",
                            "IIt", now + 100, now, HASH_A), 1);
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, NULL), 1);
    assert_int_equal(count(f->db, "SELECT expires_at FROM sessions WHERE token_hash = "
                                  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"), now + 100);
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, &due), 1);
    assert_false(due);

    /* an inactive user's session does not count */
    assert_int_equal(db_run(f->db, "UPDATE users SET active = 0 WHERE id = $1", "I", id), 1);
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, NULL), 0);
    assert_int_equal(db_run(f->db, "UPDATE users SET active = 1 WHERE id = $1", "I", id), 1);

    /* delete */
    assert_true(session_delete(f->db, HASH_A));
    assert_int_equal(session_lookup(f->db, &a, HASH_A, &u, &csrf, NULL), 0);
    assert_true(session_delete(f->db, HASH_A));                     /* deleting nothing is fine */
    arena_free(&a);
}

static void sessions_delete_for_user_keeps_one(void **state)
{
    fixture_t *f = *state;
    int64_t id = add_admin(f->db, "admin");
    int64_t other = add_admin(f->db, "other");
    assert_true(session_insert(f->db, HASH_A, id, "c", ""));
    assert_true(session_insert(f->db, HASH_B, id, "c", ""));
    assert_true(session_insert(f->db, HASH_C, other, "c", ""));
    assert_true(sessions_delete_for_user(f->db, id, HASH_B));
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 2);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions WHERE token_hash = "
                                  "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'"), 1);
    assert_true(session_insert(f->db, HASH_A, id, "c", ""));
    assert_true(sessions_delete_for_user(f->db, id, NULL));         /* all of this user's */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions WHERE user_id = 2"), 1);  /* the other user's stays */
    /* deleting a user ends its sessions */
    assert_int_equal(db_run(f->db, "DELETE FROM users WHERE id = $1", "I", other), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 0);
}

static void throttle_delays(void **state)
{
    (void)state;
    /* free below the allowance, then 2, 4, 8, … seconds, at most 15 minutes */
    assert_int_equal(throttle_delay(0, 5), 0);
    assert_int_equal(throttle_delay(4, 5), 0);
    assert_int_equal(throttle_delay(5, 5), 2);
    assert_int_equal(throttle_delay(6, 5), 4);
    assert_int_equal(throttle_delay(7, 5), 8);
    assert_int_equal(throttle_delay(13, 5), 512);
    assert_int_equal(throttle_delay(14, 5), 900);
    assert_int_equal(throttle_delay(1000000, 5), 900);
    assert_int_equal(throttle_delay(29, 30), 0);
    assert_int_equal(throttle_delay(30, 30), 2);
}

static void set_last_failure(fixture_t *f, const char *key, int64_t at)
{
    assert_int_equal(db_run(f->db, "UPDATE login_failures SET last_failure = $1 WHERE key = $2", "It", at, key), 1);
}

static void login_throttling(void **state)
{
    fixture_t *f = *state;
    const char *key = "login:admin";
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
    for (int i = 1; i < LOGIN_MAX_FAILURES_ACCOUNT; i++) {
        assert_true(login_failure_record(f->db, key));
        assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
    }
    assert_true(login_failure_record(f->db, key));                 /* the fifth: 2 s from now */
    int64_t wait = login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT);
    assert_true(wait >= 1 && wait <= 2);
    /* other keys are not affected; a higher allowance is not reached */
    assert_int_equal(login_throttle_wait(f->db, "login:other", LOGIN_MAX_FAILURES_ACCOUNT), 0);
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ADDRESS), 0);
    assert_int_equal(count(f->db, "SELECT failures FROM login_failures WHERE key = 'login:admin'"), 5);

    /* the wait runs from the last failure and grows with each further one */
    int64_t now = now_seconds();
    set_last_failure(f, key, now - 2);
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
    assert_true(login_failure_record(f->db, key));                 /* the sixth: 4 s */
    wait = login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT);
    assert_true(wait >= 3 && wait <= 4);
    for (int i = 7; i <= 20; i++)
        assert_true(login_failure_record(f->db, key));
    wait = login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT);
    assert_true(wait >= THROTTLE_MAX_DELAY_SECONDS - 1 && wait <= THROTTLE_MAX_DELAY_SECONDS);

    assert_true(login_failures_clear(f->db, key));
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM login_failures"), 0);

    /* failures are forgotten an hour after the last one: the count starts again */
    for (int i = 0; i < LOGIN_MAX_FAILURES_ACCOUNT + 3; i++)
        assert_true(login_failure_record(f->db, key));
    assert_true(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT) > 0);
    set_last_failure(f, key, now_seconds() - THROTTLE_FORGET_SECONDS);
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
    assert_true(login_failure_record(f->db, key));
    assert_int_equal(count(f->db, "SELECT failures FROM login_failures WHERE key = 'login:admin'"), 1);
    assert_int_equal(login_throttle_wait(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT), 0);
}

/* Attempts in flight: below the allowance, as many at once as it has room left; past it, one
 * at a time once the delay has passed. They are counted in memory: the database holds no trace. */
static void login_attempts_in_flight(void **state)
{
    fixture_t *f = *state;
    const char *key = "login:racer";
    int64_t wait = -1;
    for (int i = 0; i < LOGIN_MAX_FAILURES_ACCOUNT; i++)
        assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM login_failures"), 0);
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 0);
    assert_int_equal(wait, THROTTLE_BUSY_SECONDS);
    /* another key is not affected */
    assert_int_equal(login_attempt_begin(f->db, "login:calm", LOGIN_MAX_FAILURES_ACCOUNT, &wait), 1);
    login_attempt_end("login:calm");
    /* two of the five fail: two failures leave room for three at once */
    assert_true(login_failure_record(f->db, key));
    login_attempt_end(key);
    assert_true(login_failure_record(f->db, key));
    login_attempt_end(key);
    for (int i = 0; i < 3; i++)
        login_attempt_end(key);
    for (int i = 0; i < 3; i++)
        assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 1);
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 0);
    assert_int_equal(wait, THROTTLE_BUSY_SECONDS);
    for (int i = 0; i < 3; i++) {
        assert_true(login_failure_record(f->db, key));
        login_attempt_end(key);
    }
    /* the allowance is used up: a wait of 2 s, then one attempt at a time */
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 0);
    assert_true(wait >= 1 && wait <= 2);
    set_last_failure(f, key, now_seconds() - 2);
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 1);
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 0);
    assert_int_equal(wait, THROTTLE_BUSY_SECONDS);
    login_attempt_end(key);
    assert_int_equal(login_attempt_begin(f->db, key, LOGIN_MAX_FAILURES_ACCOUNT, &wait), 1);
    login_attempt_end(key);
    /* only the failures are stored */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM login_failures"), 1);
    assert_int_equal(count(f->db, "SELECT failures FROM login_failures WHERE key = 'login:racer'"), 5);
}

static void purge_expired(void **state)
{
    fixture_t *f = *state;
    new_user_t nu = {.login = "purged", .name = "P", .password_hash = "h", .role = ROLE_ADMIN};
    int64_t id = user_insert(f->db, &nu, NULL);
    assert_true(id > 0);
    int64_t now = now_seconds();
    assert_true(session_insert(f->db, HASH_A, id, "c", ""));
    assert_true(session_insert(f->db, HASH_B, id, "c", ""));
    assert_int_equal(db_run(f->db, "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2", "It", now, HASH_B), 1);
    assert_true(login_failure_record(f->db, "login:fresh"));
    assert_true(login_failure_record(f->db, "login:stale"));
    assert_true(login_failure_record(f->db, "addr:192.0.2.1"));
    set_last_failure(f, "login:stale", now - THROTTLE_FORGET_SECONDS);
    set_last_failure(f, "addr:192.0.2.1", now - THROTTLE_FORGET_SECONDS + 1);
    assert_int_equal(store_purge_expired(f->db, now), 2);           /* session B and login:stale */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions WHERE token_hash = "
                                  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions"), 1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM login_failures WHERE key IN ('login:fresh', 'addr:192.0.2.1')"), 2);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM login_failures"), 2);
    assert_int_equal(store_purge_expired(f->db, now), 0);
    /* later, everything has expired */
    assert_int_equal(store_purge_expired(f->db, now + SESSION_MAX_SECONDS + THROTTLE_FORGET_SECONDS), 3);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM sessions") + count(f->db, "SELECT COUNT(*) FROM login_failures"), 0);
}

/* Reads inside a snapshot share one read transaction: another connection's commit shows only
 * after db_snapshot_end; a write on the snapshot's connection ends it first and succeeds. */
static void snapshots_share_reads_and_yield_to_writes(void **state)
{
    fixture_t *f = *state;
    char err[256];
    db_t *other = db_connect(f->store, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('a', '1')", ""), 1);

    db_snapshot_begin(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 1);
    assert_int_equal(db_run(other, "INSERT INTO settings (key, value) VALUES ('a2', '2')", ""), 1);
    /* still the snapshot taken at the first read */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 1);
    db_snapshot_end(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 2);

    /* a write inside a snapshot: the snapshot ends, the write commits on its own */
    db_snapshot_begin(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 2);
    assert_int_equal(db_run(other, "INSERT INTO settings (key, value) VALUES ('a3', '3')", ""), 1);
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('a4', '4')", ""), 1);
    assert_int_equal(count(other, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 4);
    /* db_begin inside a snapshot: the transaction sees the latest data and commits */
    db_snapshot_begin(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings"), count(other, "SELECT COUNT(*) FROM settings"));
    assert_int_equal(db_begin(f->db), STORE_DONE);
    assert_int_equal(db_run(f->db, "DELETE FROM settings WHERE key = 'a'", ""), 1);
    assert_int_equal(db_commit(f->db), STORE_DONE);
    assert_int_equal(count(other, "SELECT COUNT(*) FROM settings WHERE key LIKE 'a%'"), 3);
    db_snapshot_end(f->db);       /* nothing open: a no-op */
    db_close(other);
}

/* The event loops' connections: while another connection holds the write lock, a no-wait
 * connection still reads (WAL), and a write on it fails at once and is marked refused
 * instead of waiting for the lock. */
static void no_wait_connection_reads_and_refuses_writes(void **state)
{
    fixture_t *f = *state;
    char err[256];
    db_t *loop = db_connect(f->store, err, sizeof err);
    assert_non_null(loop);
    assert_true(db_set_no_wait(loop));
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('k1', 'v')", ""), 1);

    assert_int_equal(db_begin(f->db), STORE_DONE);       /* the write lock, held */
    assert_int_equal(db_run(f->db, "INSERT INTO settings (key, value) VALUES ('k2', 'v')", ""), 1);
    db_snapshot_begin(loop);
    assert_int_equal(count(loop, "SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'"), 1);
    assert_false(db_take_refused(loop));
    int64_t started = monotonic_micros();
    assert_int_equal(db_run(loop, "INSERT INTO settings (key, value) VALUES ('k3', 'v')", ""), -1);
    assert_true(monotonic_micros() - started < 1000000); /* the busy timeout would be 10 s */
    assert_true(db_take_refused(loop));
    assert_false(db_take_refused(loop));                 /* taking clears the mark */
    assert_int_equal(db_commit(f->db), STORE_DONE);

    /* with the lock free, a write is still refused: the loop's connection never writes */
    assert_int_equal(db_run(loop, "INSERT INTO settings (key, value) VALUES ('k3', 'v')", ""), -1);
    assert_true(db_take_refused(loop));
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'"), 2);
    /* an ordinary error is not a refusal */
    assert_null(db_query(loop, "SELECT no_such_column FROM settings", ""));
    assert_false(db_take_refused(loop));
    db_close(loop);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_open_urls),
        cmocka_unit_test(store_open_memory),
        T(connect_writes_the_file),
        T(migrations_apply_once),
        cmocka_unit_test(migrations_on_empty_database),
        cmocka_unit_test(migrate_render_tokens),
        T(binds_every_letter),
        T(params_out_of_order),
        T(binds_are_cleared_between_uses),
        T(bad_binds_fail),
        T(statement_cache),
        T(snapshots_share_reads_and_yield_to_writes),
        T(no_wait_connection_reads_and_refuses_writes),
        T(constraint_kinds),
        T(tx_rollback_discards),
        T(tx_nested_flattened),
        T(tx_failed_statement_fails_commit),
        T(users_insert_and_find),
        T(sessions),
        T(sessions_delete_for_user_keeps_one),
        cmocka_unit_test(throttle_delays),
        T(login_throttling),
        T(login_attempts_in_flight),
        T(purge_expired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

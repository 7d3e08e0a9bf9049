/* Shared by the unit tests that need a real database: a fresh, migrated SQLite file in its own
 * temporary folder, removed with its WAL files afterwards, and a one-number query. Header only
 * (each test is one program). */
#ifndef GUANBIAO_UNIT_DB_H
#define GUANBIAO_UNIT_DB_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"

typedef struct temp_db {
    char dir[64];
    char path[128];
    store_t *store;
    db_t *db;          /* a connection with every migration applied */
} temp_db_t;

/* Opens /tmp/gb-NAME-XXXXXX/test.db and migrates it; false (with a message) on failure. */
static inline bool temp_db_open(temp_db_t *t, const char *name)
{
    char url[160], err[256];
    snprintf(t->dir, sizeof t->dir, "/tmp/gb-%.16s-XXXXXX", name);
    if (mkdtemp(t->dir) == NULL)
        return false;
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
    snprintf(url, sizeof url, "sqlite:%s", t->path);
    t->store = store_open(url, err, sizeof err);
    t->db = t->store ? db_connect(t->store, err, sizeof err) : NULL;
    if (t->db == NULL || migrate_apply(t->db, err, sizeof err) != migrations_count) {
        fprintf(stderr, "temp_db_open: %s\n", err);
        return false;
    }
    return true;
}

static inline void temp_db_close(temp_db_t *t)
{
    db_close(t->db);
    store_close(t->store);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

/* The one integer a query such as "SELECT COUNT(*) …" answers (the test fails otherwise). */
static inline int64_t count(db_t *db, const char *sql)
{
    stmt_t *st = db_query(db, sql, "");
    assert_non_null(st);
    assert_int_equal(stmt_step(st), STORE_ROW);
    int64_t n = stmt_int(st, 0);
    stmt_done(st);
    return n;
}

#endif

/* The SQLite backend of the store: WAL, synchronous=FULL (nothing acknowledged is lost),
 * foreign keys on, a busy timeout so that writers from several threads queue rather than
 * fail (except on the event loops' connections, which never wait: db_set_no_wait).
 * Parameters are written $1, $2, … and bound by name. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

typedef struct sqlite_db {
    struct db base;          /* first: a sqlite_db is a db */
    sqlite3 *conn;
} sqlite_db_t;

typedef struct sqlite_stmt {
    struct stmt base;        /* first: a sqlite_stmt is a stmt */
    sqlite3_stmt *st;
} sqlite_stmt_t;

#define SDB(db) ((sqlite_db_t *)(db))
#define SST(st) ((sqlite_stmt_t *)(st))

static db_error_kind_t classify(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return DB_ERR_UNIQUE;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return DB_ERR_FOREIGN;
        return DB_ERR_CHECK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_ERR_BUSY;
    default:
        return DB_ERR_OTHER;
    }
}

/* On a no-wait connection, a statement that would wait for a lock or that writes is refused:
 * marked for db_take_refused, so that the caller moves the work to a worker. */
static void mark_refused(db_t *db)
{
    int code = sqlite3_extended_errcode(SDB(db)->conn) & 0xff;
    if (db->no_wait && (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_READONLY))
        db->refused = true;
}

static void fail(db_t *db, int rc)
{
    mark_refused(db);
    db_set_error(db, classify(sqlite3_extended_errcode(SDB(db)->conn)), "sqlite: %s (%d)",
                 sqlite3_errmsg(SDB(db)->conn), rc);
}

/* Process-wide settings, before SQLite's first use: no allocation statistics (a mutex per
 * malloc otherwise). */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static db_t *s_connect(store_t *s, char *err, size_t errlen)
{
    pthread_once(&global_once, global_setup);
    sqlite_db_t *db = calloc(1, sizeof *db);
    if (db == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(s->target, &db->conn,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open SQLite database %s: %s", s->target,
                 db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
        sqlite3_close(db->conn);
        free(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->conn, 10000);
    char *msg = NULL;
    rc = sqlite3_exec(db->conn,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                      "PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot set up SQLite database %s: %s", s->target, msg ? msg : "");
        sqlite3_free(msg);
        sqlite3_close(db->conn);
        free(db);
        return NULL;
    }
    return &db->base;
}

static void s_close(db_t *db)
{
    sqlite3_close(SDB(db)->conn);
    free(db);
}

static int s_exec(db_t *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(SDB(db)->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        mark_refused(db);
        db_set_error(db, classify(sqlite3_extended_errcode(SDB(db)->conn)), "sqlite: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return STORE_ERROR;
    }
    return STORE_DONE;
}

static stmt_t *s_prepare(db_t *db, const char *sql)
{
    sqlite_stmt_t *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    int rc = sqlite3_prepare_v3(SDB(db)->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
    if (rc != SQLITE_OK) {
        fail(db, rc);
        free(st);
        return NULL;
    }
    return &st->base;
}

static void s_finalize(stmt_t *st)
{
    sqlite3_finalize(SST(st)->st);
    free(st);
}

/* $N is a named parameter in SQLite; its index depends on the order of first use. */
static int param_index(stmt_t *st, int n)
{
    char name[16], digits[12];
    int k = 0, m = 0;
    name[k++] = '$';
    for (unsigned v = (unsigned)n; m == 0 || v != 0; v /= 10)   /* "$N" without printf: bound per value */
        digits[m++] = (char)('0' + v % 10);
    while (m > 0)
        name[k++] = digits[--m];
    name[k] = '\0';
    int idx = sqlite3_bind_parameter_index(SST(st)->st, name);
    if (idx == 0) {
        db_set_error(st->db, DB_ERR_OTHER, "no parameter %s in statement", name);
        st->bind_failed = true;
    }
    return idx;
}

static void s_bind_int(stmt_t *st, int n, int64_t v)
{
    int i = param_index(st, n);
    if (i) sqlite3_bind_int64(SST(st)->st, i, v);
}

static void s_bind_double(stmt_t *st, int n, double v)
{
    int i = param_index(st, n);
    if (i) sqlite3_bind_double(SST(st)->st, i, v);
}

static void s_bind_text(stmt_t *st, int n, const char *v, size_t len)
{
    int i = param_index(st, n);
    if (i) sqlite3_bind_text(SST(st)->st, i, v, (int)len, SQLITE_TRANSIENT);
}

static void s_bind_blob(stmt_t *st, int n, const void *v, size_t len)
{
    int i = param_index(st, n);
    /* a zero-length blob is still a blob, not NULL: give SQLite a non-NULL pointer */
    if (i) sqlite3_bind_blob64(SST(st)->st, i, len ? v : "", (sqlite3_uint64)len, SQLITE_TRANSIENT);
}

static void s_bind_null(stmt_t *st, int n)
{
    int i = param_index(st, n);
    if (i) sqlite3_bind_null(SST(st)->st, i);
}

static int s_step(stmt_t *st)
{
    if (st->bind_failed)
        return STORE_ERROR;
    int rc = sqlite3_step(SST(st)->st);
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE)
        return STORE_DONE;
    fail(st->db, rc);
    return STORE_ERROR;
}

static bool s_readonly(stmt_t *st) { return sqlite3_stmt_readonly(SST(st)->st) != 0; }

static int s_columns(stmt_t *st) { return sqlite3_column_count(SST(st)->st); }

static bool s_is_null(stmt_t *st, int col)
{
    return sqlite3_column_type(SST(st)->st, col) == SQLITE_NULL;
}

static const char *s_text(stmt_t *st, int col)
{
    const unsigned char *t = sqlite3_column_text(SST(st)->st, col);
    return t ? (const char *)t : "";
}

static const void *s_blob(stmt_t *st, int col, size_t *len)
{
    const void *b = sqlite3_column_blob(SST(st)->st, col);
    *len = b ? (size_t)sqlite3_column_bytes(SST(st)->st, col) : 0;
    return b;
}

static int64_t s_col_int(stmt_t *st, int col) { return sqlite3_column_int64(SST(st)->st, col); }
static double s_col_double(stmt_t *st, int col) { return sqlite3_column_double(SST(st)->st, col); }

static void s_reset(stmt_t *st)
{
    sqlite3_reset(SST(st)->st);
    sqlite3_clear_bindings(SST(st)->st);
    st->bind_failed = false;
}

static int64_t s_changes(db_t *db, stmt_t *last)
{
    (void)last;
    return sqlite3_changes64(SDB(db)->conn);
}

static void s_reconnect(db_t *db)
{
    (void)db;               /* an embedded database does not go away */
}

/* The online backup API copies every page in one step under one read transaction: a snapshot,
 * while the server's writers go on (WAL). Written to DEST.partial, then renamed, so that dest
 * is never a half-written database. */
static bool s_backup(db_t *db, const char *dest, char *err, size_t errlen)
{
    /* an empty database is most likely a wrong --db (connecting created the file) */
    sqlite3_stmt *q = NULL;
    int tables = 0;
    if (sqlite3_prepare_v2(SDB(db)->conn, "SELECT COUNT(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        tables = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (tables == 0) {
        snprintf(err, errlen, "%s is an empty database: nothing to back up (is --db right?)", SDB(db)->base.store->target);
        return false;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.partial", dest) >= (int)sizeof tmp) {
        snprintf(err, errlen, "backup path too long");
        return false;
    }
    unlink(tmp);
    sqlite3 *out = NULL;
    int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
        sqlite3_close(out);
        return false;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", SDB(db)->conn, "main");
    if (b == NULL) {
        snprintf(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(out));
        sqlite3_close(out);
        unlink(tmp);
        return false;
    }
    for (int tries = 0;; tries++) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 600)
            break;
        sqlite3_sleep(100);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
        sqlite3_close(out);
        unlink(tmp);
        return false;
    }
    rc = sqlite3_close(out);
    if (rc != SQLITE_OK || rename(tmp, dest) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", dest, rc != SQLITE_OK ? sqlite3_errstr(rc) : strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

const store_ops_t sqlite_ops = {
    .backup = s_backup,
    .name = "sqlite",
    .connect = s_connect,
    .close = s_close,
    .exec = s_exec,
    .prepare = s_prepare,
    .finalize = s_finalize,
    .bind_int = s_bind_int,
    .bind_double = s_bind_double,
    .bind_text = s_bind_text,
    .bind_null = s_bind_null,
    .bind_blob = s_bind_blob,
    .step = s_step,
    .readonly = s_readonly,
    .snapshots = true,
    .columns = s_columns,
    .is_null = s_is_null,
    .text = s_text,
    .blob = s_blob,
    .col_int = s_col_int,
    .col_double = s_col_double,
    .reset = s_reset,
    .changes = s_changes,
    .reconnect = s_reconnect,
    .begin_sql = "BEGIN IMMEDIATE",
    /* query_only: a write fails (SQLITE_READONLY) instead of waiting for the write lock */
    .no_wait_sql = "PRAGMA busy_timeout = 0; PRAGMA query_only = 1;",
};

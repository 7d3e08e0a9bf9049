/* The PostgreSQL backend of the store (libpq). Statements are prepared once per connection
 * and executed with text parameters; results are read in text form. A lost connection is
 * reported as DB_ERR_CONNECTION; db_recover() resets it and the statement cache, and sets the
 * session up again (a reset connection is a new session, with the database's defaults). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* The most parameters one statement binds: SQLite's default limit too, so that a statement
 * written once runs on both. The arrays grow to the highest $N a statement has bound. */
enum { PG_MAX_PARAMS = 32766 };

typedef struct pg_db {
    struct db base;          /* first: a pg_db is a db */
    PGconn *conn;
    bool ready;              /* connected and set up (session_setup): false after a failed reset */
    unsigned next_name;
} pg_db_t;

typedef struct pg_stmt {
    struct stmt base;        /* first: a pg_stmt is a stmt */
    char name[24];
    int nparams;             /* highest $N bound */
    int cap;                 /* the arrays' length (0: none yet) */
    char **params;           /* owned copies; NULL = SQL NULL */
    int *lengths;            /* of binary parameters */
    int *formats;            /* 1 for a binary parameter (bytea), 0 for text */
    bool any_binary;
    unsigned char *blob;           /* the last stmt_blob's bytes (PQunescapeBytea), owned */
    PGresult *res;
    int row;                 /* the current row, -1 before the first step */
    bool executed;
    int64_t changes;
} pg_stmt_t;

#define PDB(db) ((pg_db_t *)(db))
#define PST(st) ((pg_stmt_t *)(st))

static void fail_result(db_t *db, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    db_error_kind_t kind = DB_ERR_OTHER;
    if (PQstatus(PDB(db)->conn) != CONNECTION_OK)
        kind = DB_ERR_CONNECTION;
    else if (state != NULL) {
        if (strcmp(state, "23505") == 0) kind = DB_ERR_UNIQUE;
        else if (strcmp(state, "23503") == 0) kind = DB_ERR_FOREIGN;
        else if (strncmp(state, "23", 2) == 0) kind = DB_ERR_CHECK;
        else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
            kind = DB_ERR_BUSY;
        else if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
            kind = DB_ERR_CONNECTION;
    }
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(PDB(db)->conn);
    db_set_error(db, kind, "postgres: %s", msg && *msg ? msg : PQerrorMessage(PDB(db)->conn));
    /* strip the trailing newline libpq adds */
    size_t n = strlen(db->error);
    while (n > 0 && (db->error[n - 1] == '\n' || db->error[n - 1] == ' '))
        db->error[--n] = '\0';
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;          /* NOTICEs (e.g. "relation already exists") are not errors */
}

/* What every session of ours runs with, whatever the database or role defaults are: UTF-8 text
 * both ways, UTC times. Set on connect and again after each reconnect. */
static bool session_setup(pg_db_t *db)
{
    db->ready = false;
    if (PQstatus(db->conn) != CONNECTION_OK)
        return false;
    PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
    PGresult *r = PQexec(db->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    db->ready = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return db->ready;
}

/* A connection that is not set up is not used: the caller sees a connection error and
 * db_recover() tries again. */
static bool check_ready(db_t *db)
{
    if (PDB(db)->ready)
        return true;
    db_set_error(db, DB_ERR_CONNECTION, "postgres: no connection (reconnecting failed: %s)",
                 PQerrorMessage(PDB(db)->conn));
    size_t n = strlen(db->error);
    while (n > 0 && db->error[n - 1] == '\n')
        db->error[--n] = '\0';
    return false;
}

static db_t *p_connect(store_t *s, char *err, size_t errlen)
{
    pg_db_t *db = calloc(1, sizeof *db);
    if (db == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->conn = PQconnectdb(s->target);
    const char *failed = PQstatus(db->conn) != CONNECTION_OK ? "cannot connect to PostgreSQL"
                         : !session_setup(db)                 ? "cannot set up the PostgreSQL session"
                                                              : NULL;
    if (failed != NULL) {
        snprintf(err, errlen, "%s: %s", failed, PQerrorMessage(db->conn));
        size_t n = strlen(err);
        while (n > 0 && err[n - 1] == '\n')
            err[--n] = '\0';
        PQfinish(db->conn);
        free(db);
        return NULL;
    }
    return &db->base;
}

static void p_close(db_t *db)
{
    PQfinish(PDB(db)->conn);
    free(db);
}

static int p_exec(db_t *db, const char *sql)
{
    if (!check_ready(db))
        return STORE_ERROR;
    PGresult *r = PQexec(PDB(db)->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        fail_result(db, r);
        PQclear(r);
        return STORE_ERROR;
    }
    PQclear(r);
    return STORE_DONE;
}

static stmt_t *p_prepare(db_t *db, const char *sql)
{
    if (!check_ready(db))
        return NULL;
    pg_stmt_t *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    snprintf(st->name, sizeof st->name, "gb%u", PDB(db)->next_name++);
    PGresult *r = PQprepare(PDB(db)->conn, st->name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fail_result(db, r);
        PQclear(r);
        free(st);
        return NULL;
    }
    PQclear(r);
    st->row = -1;
    return &st->base;
}

static void clear_params(pg_stmt_t *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->params[i]);
        st->params[i] = NULL;
        st->lengths[i] = 0;
        st->formats[i] = 0;
    }
    st->nparams = 0;
    st->any_binary = false;
}

static void p_reset(stmt_t *s)
{
    pg_stmt_t *st = PST(s);
    clear_params(st);
    PQclear(st->res);
    st->res = NULL;
    PQfreemem(st->blob);
    st->blob = NULL;
    st->row = -1;
    st->executed = false;
    st->changes = 0;
    s->bind_failed = false;
}

static void p_finalize(stmt_t *s)
{
    pg_stmt_t *st = PST(s);
    p_reset(s);
    free(st->params);
    free(st->lengths);
    free(st->formats);
    if (PQstatus(PDB(s->db)->conn) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(PDB(s->db)->conn, sql));
    }
    free(st);
}

/* Grows the parameter arrays to hold at least n (zeroed); false when out of memory. */
static bool grow_params(pg_stmt_t *st, int n)
{
    int cap = st->cap ? st->cap : 16;
    while (cap < n)
        cap *= 2;
    if (cap > PG_MAX_PARAMS)
        cap = PG_MAX_PARAMS;
    char **params = realloc(st->params, sizeof *params * (size_t)cap);
    if (params == NULL)
        return false;
    st->params = params;
    int *lengths = realloc(st->lengths, sizeof *lengths * (size_t)cap);
    if (lengths == NULL)
        return false;
    st->lengths = lengths;
    int *formats = realloc(st->formats, sizeof *formats * (size_t)cap);
    if (formats == NULL)
        return false;
    st->formats = formats;
    for (int i = st->cap; i < cap; i++) {
        st->params[i] = NULL;
        st->lengths[i] = 0;
        st->formats[i] = 0;
    }
    st->cap = cap;
    return true;
}

static void set_param(stmt_t *s, int n, char *value)
{
    pg_stmt_t *st = PST(s);
    if (n < 1 || n > PG_MAX_PARAMS || (n > st->cap && !grow_params(st, n))) {
        free(value);
        db_set_error(s->db, DB_ERR_OTHER, "parameter $%d out of range", n);
        s->bind_failed = true;
        return;
    }
    free(st->params[n - 1]);
    st->params[n - 1] = value;
    st->formats[n - 1] = 0;
    st->lengths[n - 1] = 0;
    if (n > st->nparams)
        st->nparams = n;
}

static void p_bind_int(stmt_t *s, int n, int64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    set_param(s, n, strdup(tmp));
}

static void p_bind_double(stmt_t *s, int n, double v)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    set_param(s, n, strdup(tmp));
}

static void p_bind_text(stmt_t *s, int n, const char *v, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        s->bind_failed = true;
        return;
    }
    memcpy(copy, v, len);
    copy[len] = '\0';
    set_param(s, n, copy);
}

static void p_bind_blob(stmt_t *s, int n, const void *v, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (copy == NULL || len > INT32_MAX) {
        free(copy);
        db_set_error(s->db, DB_ERR_OTHER, "blob parameter $%d too large", n);
        s->bind_failed = true;
        return;
    }
    memcpy(copy, v, len);
    set_param(s, n, copy);
    if (!s->bind_failed) {
        PST(s)->formats[n - 1] = 1;
        PST(s)->lengths[n - 1] = (int)len;
        PST(s)->any_binary = true;
    }
}

static void p_bind_null(stmt_t *s, int n)
{
    set_param(s, n, NULL);
}

static int p_step(stmt_t *s)
{
    pg_stmt_t *st = PST(s);
    if (s->bind_failed)
        return STORE_ERROR;
    if (!st->executed) {
        st->executed = true;
        st->res = PQexecPrepared(PDB(s->db)->conn, st->name, st->nparams,
                                 (const char *const *)st->params, st->any_binary ? st->lengths : NULL,
                                 st->any_binary ? st->formats : NULL, 0);
        ExecStatusType rs = PQresultStatus(st->res);
        if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
            fail_result(s->db, st->res);
            return STORE_ERROR;
        }
        const char *tuples = PQcmdTuples(st->res);
        st->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    }
    PQfreemem(st->blob);
    st->blob = NULL;
    st->row++;
    return st->row < PQntuples(st->res) ? STORE_ROW : STORE_DONE;
}

static bool p_readonly(stmt_t *s)
{
    (void)s;
    return true;        /* snapshots are SQLite's only */
}

static int p_columns(stmt_t *s) { return PST(s)->res ? PQnfields(PST(s)->res) : 0; }

static bool p_is_null(stmt_t *s, int col)
{
    pg_stmt_t *st = PST(s);
    return PQgetisnull(st->res, st->row, col) != 0;
}

static const char *p_text(stmt_t *s, int col)
{
    pg_stmt_t *st = PST(s);
    return PQgetvalue(st->res, st->row, col);
}

/* Results come in text form: a bytea is its hex escape ("\\x…"), decoded here. */
static const void *p_blob(stmt_t *s, int col, size_t *len)
{
    pg_stmt_t *st = PST(s);
    *len = 0;
    if (PQgetisnull(st->res, st->row, col))
        return NULL;
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), len);
    if (st->blob == NULL)
        db_set_error(s->db, DB_ERR_OTHER, "out of memory decoding a bytea");
    return st->blob;
}

static int64_t p_col_int(stmt_t *s, int col)
{
    const char *t = p_text(s, col);
    if (t[0] == 't' && t[1] == '\0') return 1;     /* booleans */
    if (t[0] == 'f' && t[1] == '\0') return 0;
    return strtoll(t, NULL, 10);
}

static double p_col_double(stmt_t *s, int col) { return strtod(p_text(s, col), NULL); }

static int64_t p_changes(db_t *db, stmt_t *last)
{
    (void)db;
    return last ? PST(last)->changes : 0;
}

static void p_reconnect(db_t *db)
{
    PQreset(PDB(db)->conn);
    session_setup(PDB(db));
}

const store_ops_t pg_ops = {
    .name = "postgres",
    .connect = p_connect,
    .close = p_close,
    .exec = p_exec,
    .prepare = p_prepare,
    .finalize = p_finalize,
    .bind_int = p_bind_int,
    .bind_double = p_bind_double,
    .bind_text = p_bind_text,
    .bind_null = p_bind_null,
    .bind_blob = p_bind_blob,
    .step = p_step,
    .readonly = p_readonly,
    .snapshots = false,
    .columns = p_columns,
    .is_null = p_is_null,
    .text = p_text,
    .blob = p_blob,
    .col_int = p_col_int,
    .col_double = p_col_double,
    .reset = p_reset,
    .changes = p_changes,
    .reconnect = p_reconnect,
    .begin_sql = "BEGIN",
};

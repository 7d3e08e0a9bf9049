/* The store: one interface over two databases, SQLite (embedded, the default) and PostgreSQL
 * (several app nodes share it). SQL is written once, in the dialect both accept: parameters
 * are $1, $2, … ; ids come from `INSERT … RETURNING id`; times are Unix seconds in BIGINT.
 *
 * Ownership and threads: a store_t is opened once and shared read-only by all threads. A db_t
 * is one connection, used by one thread at a time (each loop and each worker has its own).
 *
 * The statement cache (tests/unit/test_store_cache.c holds it to this, on both databases):
 * statements returned by db_prepare/db_query are cached in their connection and owned by it:
 * never finalize them. The same SQL text on the same connection gives the same statement, so
 * one SQL text has one use at a time: db_prepare/db_query of it start that statement afresh
 * (binds cleared, rows discarded), even when its last user left it half-read. Call stmt_done()
 * when finished with one (it resets binds and rows). Bind every parameter on each use (an
 * unbound one is NULL on SQLite, an error on PostgreSQL). The cache holds up to 256 statements
 * per connection; beyond that, statements not in use (stmt_done'd, or never bound or stepped)
 * make room, and one in use stays valid until its stmt_done. db_recover() empties it. */
#ifndef GUANBIAO_STORE_H
#define GUANBIAO_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store_t;
typedef struct db db_t;
typedef struct stmt stmt_t;

typedef enum store_kind { STORE_SQLITE, STORE_POSTGRES } store_kind_t;

enum { STORE_ERROR = -1, STORE_DONE = 0, STORE_ROW = 1 };

typedef enum db_error_kind {
    DB_OK = 0,
    DB_ERR_UNIQUE,      /* a unique constraint refused the write */
    DB_ERR_FOREIGN,     /* a foreign key refused the write */
    DB_ERR_CHECK,       /* a CHECK or NOT NULL constraint */
    DB_ERR_BUSY,        /* locked or serialisation failure: retry may succeed */
    DB_ERR_CONNECTION,  /* the server went away: db_recover() before reuse */
    DB_ERR_OTHER,
} db_error_kind_t;

/* url: "sqlite:PATH" (or a bare path) or "postgres://…" / "postgresql://…".
 * NULL with a message in err on a malformed url. Does not connect. */
store_t *store_open(const char *url, char *err, size_t errlen);
void store_close(store_t *s);
store_kind_t store_kind(const store_t *s);
const char *store_kind_name(const store_t *s);   /* "sqlite" or "postgres" */

/* A new connection; NULL with a message in err. */
db_t *db_connect(store_t *s, char *err, size_t errlen);
void db_close(db_t *db);

/* Runs a script of statements without parameters (migrations). STORE_DONE or STORE_ERROR. */
int db_exec(db_t *db, const char *sql);

/* A prepared statement for sql, from this connection's cache. NULL on error (see db_error). */
stmt_t *db_prepare(db_t *db, const char *sql);

/* db_prepare + typed binds in one call. fmt has one letter per parameter $1, $2, …:
 *   'i' int, 'I' int64_t, 'd' double, 'b' bool (as 0/1),
 *   't' const char * (NULL binds SQL NULL), 'n' nothing passed: binds NULL.
 * Returns the statement ready for stmt_step, or NULL on error. */
stmt_t *db_query(db_t *db, const char *sql, const char *fmt, ...);

/* Runs a statement with binds (as db_query) to completion. Returns the number of rows
 * changed, or -1 on error. */
int64_t db_run(db_t *db, const char *sql, const char *fmt, ...);

/* Steps a bound `INSERT … RETURNING id` and finishes it: the new id, 0 when a unique
 * constraint refused the row, -1 on any other error. */
int64_t stmt_insert_id(stmt_t *st);

void stmt_bind_int(stmt_t *st, int index, int64_t v);     /* index from 1, as in $1 */
void stmt_bind_double(stmt_t *st, int index, double v);
void stmt_bind_text(stmt_t *st, int index, const char *v, size_t len); /* copied */
void stmt_bind_null(stmt_t *st, int index);
/* Binary data (may hold NUL bytes), copied: a BLOB on SQLite, a bytea on PostgreSQL (sent as a
 * binary parameter, so the SQL needs no cast). */
void stmt_bind_blob(stmt_t *st, int index, const void *v, size_t len);

int stmt_step(stmt_t *st);                      /* STORE_ROW, STORE_DONE or STORE_ERROR */
int64_t stmt_changes(stmt_t *st);               /* rows changed by its run to STORE_DONE, before stmt_done */
int stmt_columns(stmt_t *st);
bool stmt_is_null(stmt_t *st, int col);         /* col from 0 */
int64_t stmt_int(stmt_t *st, int col);
double stmt_double(stmt_t *st, int col);
const char *stmt_text(stmt_t *st, int col);     /* "" for NULL; valid until the next step */
/* A BLOB/bytea column's bytes and *len (NULL and 0 for NULL); owned by the statement, valid
 * until the next step or stmt_done. */
const void *stmt_blob(stmt_t *st, int col, size_t *len);
void stmt_done(stmt_t *st);                     /* clears binds and results; NULL is a no-op */

/* Write transaction. Nested calls are flattened: only the outermost commits. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
/* Ends the transaction around a guarded write whose outcome was rc (1 written; 0 unchanged, the
 * guard in its WHERE clause having found the row changed meanwhile; -1 error): commits on 1 (a
 * failed commit makes it -1), rolls back otherwise, keeping the error. Returns the outcome. */
int db_finish(db_t *db, int rc);

/* Read snapshots (SQLite): point reads between db_snapshot_begin and db_snapshot_end share one
 * read transaction, so a burst of them takes the database's read lock once. A statement that
 * writes, or db_begin, ends the snapshot first, so writes are never delayed or refused by it.
 * The event loops hold one per loop iteration. No-op on PostgreSQL. */
void db_snapshot_begin(db_t *db);
void db_snapshot_end(db_t *db);

/* The event loops' connections (SQLite) never wait and never write: a statement that would
 * wait for a lock fails at once (DB_ERR_BUSY), and so does a write. db_take_refused() then
 * says that the work must be redone on a connection that may wait (a worker's). False when
 * the setting failed. No-op on PostgreSQL (whose loops have no connection). */
bool db_set_no_wait(db_t *db);
/* Was a statement refused since the last call because this connection does not wait or
 * write? Clears the mark. */
bool db_take_refused(db_t *db);

const char *db_error(const db_t *db);            /* the last error's text */
db_error_kind_t db_error_kind(const db_t *db);
bool db_ping(db_t *db);                          /* the database answers a trivial query */
void db_recover(db_t *db);                       /* after DB_ERR_CONNECTION: reconnect, drop cache */
store_t *db_store(db_t *db);

/* Copies the whole database, consistent as of one moment, to the file dest while others go on
 * reading and writing (SQLite's online backup API), through a temporary file renamed over dest
 * at the end. 0 done; 1 failed (message in err); 2 the backend has no such copy (PostgreSQL:
 * use pg_dump). */
int db_backup(db_t *db, const char *dest, char *err, size_t errlen);

/* Errors seen by all connections since start (for /metrics). */
uint64_t store_error_count(void);

#endif

/* The store's common part: parsing the database URL, the per-connection statement cache,
 * typed binds from a format string, transactions, error bookkeeping. Backends do the rest. */
#include "store/store_internal.h"

#include "core/text.h"
#include "store/changes.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t errors_seen;

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

store_t *store_open(const char *url, char *err, size_t errlen)
{
    if (url == NULL || *url == '\0')
        url = "sqlite:guanbiao.db";
    store_t *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (has_prefix(url, "postgres://") || has_prefix(url, "postgresql://")) {
        s->ops = &pg_ops;
        s->kind = STORE_POSTGRES;
        s->target = strdup(url);
    } else {
        const char *path = has_prefix(url, "sqlite:") ? url + strlen("sqlite:") : url;
        if (has_prefix(path, "//"))
            path += 2;                     /* sqlite://PATH is accepted too */
        if (*path == '\0' || (strstr(url, "://") != NULL && !has_prefix(url, "sqlite:"))) {
            snprintf(err, errlen, "unsupported database url '%s': use sqlite:PATH or postgres://…", url);
            free(s);
            return NULL;
        }
        s->ops = &sqlite_ops;
        s->kind = STORE_SQLITE;
        s->target = strdup(path);
    }
    pthread_mutex_init(&s->write_lock, NULL);
    return s;
}

void store_close(store_t *s)
{
    if (s == NULL)
        return;
    pthread_mutex_destroy(&s->write_lock);
    free(s->target);
    free(s);
}

store_kind_t store_kind(const store_t *s) { return s->kind; }
const char *store_kind_name(const store_t *s) { return s->ops->name; }
uint64_t store_error_count(void) { return atomic_load(&errors_seen); }
store_t *db_store(db_t *db) { return db->store; }

db_t *db_connect(store_t *s, char *err, size_t errlen)
{
    db_t *db = s->ops->connect(s, err, errlen);
    if (db != NULL) {
        db->ops = s->ops;
        db->store = s;
    } else {
        atomic_fetch_add(&errors_seen, 1);
    }
    return db;
}

void db_cache_clear(db_t *db)
{
    for (int i = 0; i < STMT_CACHE_SIZE; i++) {
        stmt_cache_entry_t *e = &db->cache[i];
        if (e->stmt != NULL)
            db->ops->finalize(e->stmt);
        free(e->sql);
        memset(e, 0, sizeof *e);
    }
    memset(db->by_address, 0, sizeof db->by_address);
    db->last = NULL;
}

/* Lets the next writer of this process in (see store.write_lock). */
static void write_unlock(db_t *db)
{
    if (db->holds_write_lock) {
        db->holds_write_lock = false;
        pthread_mutex_unlock(&db->store->write_lock);
    }
}

void db_close(db_t *db)
{
    if (db == NULL)
        return;
    write_unlock(db);
    db_snapshot_end(db);
    db_cache_clear(db);
    db->ops->close(db);
}

void db_set_error(db_t *db, db_error_kind_t kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->error, sizeof db->error, fmt, ap);
    va_end(ap);
    db->error_kind = kind;
    if (db->tx_depth > 0)
        db->tx_failed = true;
    /* a unique or foreign-key refusal is an answer, not a fault of the database; nor is a
     * no-wait connection's refusal (the work moves to a worker) */
    if (kind != DB_ERR_UNIQUE && kind != DB_ERR_FOREIGN && kind != DB_ERR_CHECK && !db->refused)
        atomic_fetch_add(&errors_seen, 1);
}

void db_clear_error(db_t *db)
{
    db->error_kind = DB_OK;
    db->error[0] = '\0';
}

const char *db_error(const db_t *db) { return db->error; }
db_error_kind_t db_error_kind(const db_t *db) { return db->error_kind; }

/* A writing statement is done: if it changed rows, this process committed (outside a
 * transaction) or will commit (inside one) a change; SQLite's other processes are told apart
 * from this one by counting those (changes.c). Counting one twice costs nothing. */
static void rows_changed(db_t *db, stmt_t *st)
{
    if (db->ops->changes(db, st) <= 0)
        return;
    if (db->tx_depth == 0 && !db->tx_ending)
        changes_local_commit();
    else
        db->tx_changed_rows = true;
}

/* A write outside a transaction is over once its statement is: what it touched is bumped. */
static void autocommit_done(db_t *db)
{
    if (db->tx_depth == 0 && !db->tx_ending && db->changes_touched != 0) {
        changes_notify(db);         /* after the fact, the write being committed */
        changes_tell_servers(db);
        changes_committed(db);
    }
}

int db_exec(db_t *db, const char *sql)
{
    db_clear_error(db);
    uint64_t writes = changes_of_sql(sql) & changes_watched();
    db->changes_touched |= writes;
    int rc = db->ops->exec(db, sql);
    if (writes != 0)
        autocommit_done(db);
    return rc;
}

static stmt_t *prepare_slow(db_t *db, const char *sql, stmt_cache_entry_t **entry);

/* A statement from the cache starts clean, even when its last user left it bound or half-read. */
static stmt_t *fresh(stmt_t *st)
{
    if (st->in_use) {
        st->db->ops->reset(st);
        st->in_use = false;
    }
    return st;
}

stmt_t *db_prepare(db_t *db, const char *sql)
{
    db_clear_error(db);
    /* the fast path: the same literal as last time in this slot (its entry still holds it) */
    size_t fast = (size_t)(((uintptr_t)sql >> 4) % STMT_CACHE_SIZE);
    stmt_cache_entry_t *known = db->by_address[fast].entry;
    if (db->by_address[fast].sql == sql && known != NULL && known->stmt != NULL && known->sql != NULL &&
        strcmp(known->sql, sql) == 0)
        return fresh(known->stmt);
    stmt_t *st = prepare_slow(db, sql, &known);
    if (st != NULL) {
        db->by_address[fast].sql = sql;
        db->by_address[fast].entry = known;
    }
    return st ? fresh(st) : NULL;
}

/* The cache by SQL text; *entry gets the entry that holds the statement. */
static stmt_t *prepare_slow(db_t *db, const char *sql, stmt_cache_entry_t **entry)
{
    uint64_t h = hash_bytes(sql, strlen(sql));
    size_t slot = (size_t)(h % STMT_CACHE_SIZE);
    for (size_t probe = 0; probe < 8; probe++) {
        stmt_cache_entry_t *e = &db->cache[(slot + probe) % STMT_CACHE_SIZE];
        if (e->stmt == NULL)
            break;
        if (e->hash == h && strcmp(e->sql, sql) == 0) {
            *entry = e;
            return e->stmt;
        }
    }
    stmt_t *st = db->ops->prepare(db, sql);
    if (st == NULL)
        return NULL;
    st->db = db;
    st->writes = changes_of_sql(sql);
    for (size_t probe = 0; probe < 8; probe++) {
        stmt_cache_entry_t *e = &db->cache[(slot + probe) % STMT_CACHE_SIZE];
        if (e->stmt == NULL) {
            e->hash = h;
            e->sql = strdup(sql);
            e->stmt = st;
            *entry = e;
            return st;
        }
    }
    /* the neighbourhood is full (dynamic SQL): evict the first statement in it that nobody is
     * using (one being read or bound stays valid until its stmt_done) */
    for (size_t probe = 0; probe < 8; probe++) {
        stmt_cache_entry_t *e = &db->cache[(slot + probe) % STMT_CACHE_SIZE];
        if (e->stmt->in_use)
            continue;
        db->ops->finalize(e->stmt);
        free(e->sql);
        if (db->last == e->stmt)
            db->last = NULL;
        e->hash = h;
        e->sql = strdup(sql);
        e->stmt = st;
        *entry = e;
        return st;
    }
    db->ops->finalize(st);
    db_set_error(db, DB_ERR_OTHER, "too many statements in use at once (call stmt_done when finished)");
    return NULL;
}

static bool bind_va(stmt_t *st, const char *fmt, va_list ap)
{
    for (int i = 0; fmt[i]; i++) {
        int idx = i + 1;
        switch (fmt[i]) {
        case 'i': stmt_bind_int(st, idx, va_arg(ap, int)); break;
        case 'I': stmt_bind_int(st, idx, va_arg(ap, int64_t)); break;
        case 'b': stmt_bind_int(st, idx, va_arg(ap, int) ? 1 : 0); break;
        case 'd': stmt_bind_double(st, idx, va_arg(ap, double)); break;
        case 'n': stmt_bind_null(st, idx); break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            if (t == NULL)
                stmt_bind_null(st, idx);
            else
                stmt_bind_text(st, idx, t, strlen(t));
            break;
        }
        default:
            db_set_error(st->db, DB_ERR_OTHER, "bad bind format letter '%c'", fmt[i]);
            return false;
        }
    }
    return true;
}

stmt_t *db_query(db_t *db, const char *sql, const char *fmt, ...)
{
    stmt_t *st = db_prepare(db, sql);
    if (st == NULL)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    bool ok = bind_va(st, fmt, ap);
    va_end(ap);
    if (!ok) {
        stmt_done(st);
        return NULL;
    }
    return st;
}

int64_t db_run(db_t *db, const char *sql, const char *fmt, ...)
{
    stmt_t *st = db_prepare(db, sql);
    if (st == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    bool ok = bind_va(st, fmt, ap);
    va_end(ap);
    int rc = ok ? STORE_ROW : STORE_ERROR;
    while (rc == STORE_ROW)
        rc = stmt_step(st);
    int64_t changes = rc == STORE_DONE ? db->ops->changes(db, st) : -1;
    stmt_done(st);
    return changes;
}

int64_t stmt_insert_id(stmt_t *st)
{
    if (st == NULL)
        return -1;
    db_t *db = st->db;
    int rc = stmt_step(st);
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    if (id < 0 && db_error_kind(db) == DB_ERR_UNIQUE)
        return 0;
    return id;
}

void stmt_bind_int(stmt_t *st, int i, int64_t v) { st->in_use = true; st->db->ops->bind_int(st, i, v); }
void stmt_bind_double(stmt_t *st, int i, double v) { st->in_use = true; st->db->ops->bind_double(st, i, v); }
void stmt_bind_text(stmt_t *st, int i, const char *v, size_t n) { st->in_use = true; st->db->ops->bind_text(st, i, v, n); }
void stmt_bind_null(stmt_t *st, int i) { st->in_use = true; st->db->ops->bind_null(st, i); }
void stmt_bind_blob(stmt_t *st, int i, const void *v, size_t n) { st->in_use = true; st->db->ops->bind_blob(st, i, v, n); }

int stmt_step(stmt_t *st)
{
    db_t *db = st->db;
    st->in_use = true;
    if (db->snapshot && !db->ops->readonly(st))
        db_snapshot_end(db);            /* a write runs in its own transaction, never in a snapshot */
    db->last = st;
    db->changes_touched |= st->writes & changes_watched();
    int rc = db->ops->step(st);
    if (rc == STORE_DONE && st->writes != 0) {
        rows_changed(db, st);
        autocommit_done(db);
    }
    return rc;
}

/* A transaction-control statement through the statement cache (parsed once, not per use). */
static int control(db_t *db, const char *sql)
{
    stmt_t *st = db_prepare(db, sql);
    if (st == NULL)
        return STORE_ERROR;
    int rc = db->ops->step(st);
    db->ops->reset(st);
    return rc;
}

void db_snapshot_begin(db_t *db)
{
    if (!db->ops->snapshots || db->snapshot || db->tx_depth > 0)
        return;
    changes_check_external(db);                 /* another process's commits (SQLite) */
    changes_snapshot_taken(db);                 /* before: the snapshot is at least as new */
    if (control(db, "BEGIN") == STORE_DONE)     /* deferred: the read lock comes with the first read */
        db->snapshot = true;
}

void db_snapshot_end(db_t *db)
{
    if (!db->snapshot)
        return;
    db->snapshot = false;
    if (control(db, "COMMIT") != STORE_DONE)
        control(db, "ROLLBACK");
}

int64_t stmt_changes(stmt_t *st) { return st->db->ops->changes(st->db, st); }

bool db_set_no_wait(db_t *db)
{
    if (db->ops->no_wait_sql == NULL)
        return true;
    if (db_exec(db, db->ops->no_wait_sql) != STORE_DONE)
        return false;
    db->no_wait = true;
    return true;
}

bool db_take_refused(db_t *db)
{
    bool refused = db->refused;
    db->refused = false;
    return refused;
}

int stmt_columns(stmt_t *st) { return st->db->ops->columns(st); }
bool stmt_is_null(stmt_t *st, int col) { return st->db->ops->is_null(st, col); }
const char *stmt_text(stmt_t *st, int col) { return st->db->ops->text(st, col); }
const void *stmt_blob(stmt_t *st, int col, size_t *len) { return st->db->ops->blob(st, col, len); }

int64_t stmt_int(stmt_t *st, int col) { return st->db->ops->col_int(st, col); }
double stmt_double(stmt_t *st, int col) { return st->db->ops->col_double(st, col); }

void stmt_done(stmt_t *st)
{
    if (st != NULL) {
        st->db->ops->reset(st);
        st->in_use = false;
        if (st->writes != 0) {
            rows_changed(st->db, st);   /* a RETURNING statement left before its end */
            autocommit_done(st->db);
        }
    }
}

int db_begin(db_t *db)
{
    db_snapshot_end(db);
    if (db->tx_depth++ > 0)
        return STORE_DONE;
    db->tx_failed = false;
    db->tx_changed_rows = false;
    db->audit_head.held = db->audit_head.dirty = false;
    if (db->store->kind == STORE_SQLITE && !db->no_wait) {
        pthread_mutex_lock(&db->store->write_lock);
        db->holds_write_lock = true;
    }
    if (db_exec(db, db->ops->begin_sql) != STORE_DONE) {
        db->tx_depth = 0;
        write_unlock(db);
        return STORE_ERROR;
    }
    return STORE_DONE;
}

/* ROLLBACK without losing the error that made it necessary (the caller reports that one). */
static void rollback_keeping_error(db_t *db)
{
    db_error_kind_t kind = db->error_kind;
    char saved[sizeof db->error];
    memcpy(saved, db->error, sizeof saved);
    db->ops->exec(db, "ROLLBACK");
    db->error_kind = kind;
    memcpy(db->error, saved, sizeof saved);
}

int db_commit(db_t *db)
{
    if (db->tx_depth == 0)
        return STORE_ERROR;
    if (--db->tx_depth > 0)
        return db->tx_failed ? STORE_ERROR : STORE_DONE;
    db->tx_ending = true;       /* the statements from here on are still the transaction's */
    bool flushed = db->tx_failed || !db->audit_head.dirty || audit_head_flush(db);
    db->audit_head.held = db->audit_head.dirty = false;
    if (flushed && !db->tx_failed)
        flushed = changes_notify(db) && changes_tell_servers(db);
    bool committed = !db->tx_failed && flushed && db_exec(db, "COMMIT") == STORE_DONE;
    db->tx_ending = false;
    if (!committed) {
        rollback_keeping_error(db);
        write_unlock(db);
        changes_flush(db);
        return STORE_ERROR;
    }
    write_unlock(db);
    if (db->tx_changed_rows)
        changes_local_commit();
    db->tx_changed_rows = false;
    changes_committed(db);
    return STORE_DONE;
}

void db_rollback(db_t *db)
{
    if (db->tx_depth == 0)
        return;
    db->tx_depth = 0;
    db->tx_failed = false;
    db->audit_head.held = db->audit_head.dirty = false;
    rollback_keeping_error(db);
    write_unlock(db);
    changes_flush(db);
}

int db_finish(db_t *db, int rc)
{
    if (rc == 1 && db_commit(db) == STORE_DONE)
        return 1;
    db_rollback(db);
    return rc == 1 ? -1 : rc;
}

bool db_ping(db_t *db)
{
    stmt_t *st = db_query(db, "SELECT 1", "");
    if (st == NULL)
        return false;
    bool ok = stmt_step(st) == STORE_ROW && stmt_int(st, 0) == 1;
    stmt_done(st);
    return ok;
}

void db_recover(db_t *db)
{
    db_cache_clear(db);
    db->tx_depth = 0;
    db->tx_failed = false;
    db->audit_head.held = db->audit_head.dirty = false;
    write_unlock(db);
    changes_flush(db);
    db->ops->reconnect(db);
}

int db_backup(db_t *db, const char *dest, char *err, size_t errlen)
{
    if (db->ops->backup == NULL) {
        snprintf(err, errlen, "%s has no file backup", db->ops->name);
        return 2;
    }
    return db->ops->backup(db, dest, err, errlen) ? 0 : 1;
}

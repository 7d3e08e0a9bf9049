/* What a backend (sqlite.c, pg.c) implements for store.c. Not for use outside src/store/. */
#ifndef GUANBIAO_STORE_INTERNAL_H
#define GUANBIAO_STORE_INTERNAL_H
#include <pthread.h>

#include "store/store.h"

typedef struct store_ops {
    const char *name;
    db_t *(*connect)(store_t *s, char *err, size_t errlen);
    void (*close)(db_t *db);
    int (*exec)(db_t *db, const char *sql);
    stmt_t *(*prepare)(db_t *db, const char *sql);
    void (*finalize)(stmt_t *st);
    void (*bind_int)(stmt_t *st, int index, int64_t v);
    void (*bind_double)(stmt_t *st, int index, double v);
    void (*bind_text)(stmt_t *st, int index, const char *v, size_t len);
    void (*bind_null)(stmt_t *st, int index);
    void (*bind_blob)(stmt_t *st, int index, const void *v, size_t len);
    int (*step)(stmt_t *st);
    bool (*readonly)(stmt_t *st);       /* the statement only reads */
    bool snapshots;                     /* db_snapshot_begin means something for this backend */
    int (*columns)(stmt_t *st);
    bool (*is_null)(stmt_t *st, int col);
    const char *(*text)(stmt_t *st, int col);
    const void *(*blob)(stmt_t *st, int col, size_t *len);
    int64_t (*col_int)(stmt_t *st, int col);
    double (*col_double)(stmt_t *st, int col);
    void (*reset)(stmt_t *st);
    int64_t (*changes)(db_t *db, stmt_t *last);
    void (*reconnect)(db_t *db);
    /* a consistent copy of the database into the file dest (NULL: the backend has none) */
    bool (*backup)(db_t *db, const char *dest, char *err, size_t errlen);
    const char *begin_sql;
    const char *no_wait_sql;            /* makes a connection refuse to wait or write, or NULL */
} store_ops_t;

struct store {
    const store_ops_t *ops;
    store_kind_t kind;
    char *target;         /* SQLite path or libpq conninfo URL */
    /* SQLite: the write transactions of this process's connections queue here instead of
     * sleeping in SQLite's busy handler (which sleeps 1, 2, 5, … ms and leaves the lock idle
     * meanwhile); SQLite allows one writer anyway. Not taken by connections that never wait. */
    pthread_mutex_t write_lock;
};

enum { STMT_CACHE_SIZE = 256 };

typedef struct stmt_cache_entry {
    uint64_t hash;
    char *sql;            /* owned copy */
    stmt_t *stmt;
} stmt_cache_entry_t;

struct db {
    const store_ops_t *ops;
    store_t *store;
    int tx_depth;
    bool tx_failed;
    bool tx_ending;       /* db_commit: tx_depth is 0 but the COMMIT has not run yet */
    bool tx_changed_rows; /* a statement of the open transaction changed rows (changes.c) */
    bool holds_write_lock; /* the store's write_lock, for the transaction open now */
    bool snapshot;        /* a read transaction of db_snapshot_begin is open */
    bool no_wait;         /* db_set_no_wait: the backend marks `refused` instead of waiting */
    bool refused;         /* a statement was refused for it since db_take_refused */
    db_error_kind_t error_kind;
    char error[512];
    stmt_t *last;         /* the statement stepped most recently (for changes) */
    /* The audit chain's head as the open transaction left it (audit.c): taken once per
     * transaction (on PostgreSQL with its row lock), then kept here, so that a transaction that
     * records many entries (an import, the demo seed) neither re-reads nor rewrites the head per
     * entry; audit_head_flush() writes it back once, before the COMMIT. Cleared when the
     * transaction ends. */
    struct {
        bool held, dirty;
        int64_t seq;
        char hash[65];
    } audit_head;
    /* changes.h: the tables this connection's open write touched (flushed when it ends), and
     * the generations when its read snapshot began */
    uint64_t changes_touched;
    uint64_t changes_token;       /* its NOTIFY's token (PostgreSQL), 0 when none */
    int changes_listeners;        /* the nodes listening when it was sent, this one included */
    bool changes_no_await;        /* changes_set_await(db, false): commits do not wait for the nodes */
    bool changes_snapshot_taken;
    uint64_t changes_at_snapshot[64];
    stmt_cache_entry_t cache[STMT_CACHE_SIZE];
    /* SQL text is mostly string literals: their address finds the entry without hashing */
    struct {
        const char *sql;
        stmt_cache_entry_t *entry;
    } by_address[STMT_CACHE_SIZE];
};

struct stmt {
    db_t *db;
    bool bind_failed;     /* a bind named a parameter the statement lacks: step fails */
    bool in_use;          /* bound or stepped since its last reset: never evicted from the cache */
    uint64_t writes;      /* changes_of_sql of its text: the tables it writes */
};

extern const store_ops_t sqlite_ops;
extern const store_ops_t pg_ops;

/* audit.c: writes the chain's head kept in db->audit_head back to audit_head (PostgreSQL), in
 * the transaction about to commit. False on a database error (the commit then fails). */
bool audit_head_flush(db_t *db);

/* Called by backends when an operation fails: records text and kind, counts it. */
void db_set_error(db_t *db, db_error_kind_t kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void db_clear_error(db_t *db);
void db_cache_clear(db_t *db);

/* changes.c, for store.c: a read snapshot began (changes_check_external first); before a
 * COMMIT on PostgreSQL, NOTIFY the other nodes (false on a database error); after a write
 * ended, bump what it touched (flush), and after a commit also wait for our listener to hear
 * the NOTIFY (committed). */
void changes_snapshot_taken(db_t *db);
bool changes_notify(db_t *db);
void changes_flush(db_t *db);
void changes_committed(db_t *db);
/* SQLite: every commit of this process is counted (changes_local_commit); a process that is not
 * a server also raises PRAGMA user_version before a COMMIT that changed watched tables
 * (changes_tell_servers; false on an error). */
void changes_local_commit(void);
bool changes_tell_servers(db_t *db);

#endif

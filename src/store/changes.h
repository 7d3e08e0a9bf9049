/* Change generations of tables, for caches of answers read from them (http/cache.h).
 *
 * Every table name maps to one of 64 bits (a hash: two tables may share a bit, which only
 * costs extra invalidation). Each bit has a generation that only grows. The store itself marks
 * what a write changes: every statement's SQL is scanned once, when it is prepared, for the
 * tables it writes (INSERT INTO t, UPDATE t, DELETE FROM t), so no write can forget to say so;
 * the bits a transaction touched are bumped after its COMMIT (and, conservatively, after a
 * ROLLBACK), those of a write outside a transaction after the statement is done. On
 * PostgreSQL the transaction also sends NOTIFY guanbiao_cache '<bits in hex>' before its
 * COMMIT (delivered at commit, by PostgreSQL's rules), and every process LISTENs on its own
 * connection (changes_listen_start): another node's writes bump the same generations here.
 *
 * A reader takes changes_seen() for its tables BEFORE it reads (the sum of their
 * generations, from the start of the connection's read snapshot when one is open) and keeps
 * its answer with that sum; the answer is current as long as changes_seen() still gives the
 * same sum. Only watched bits (changes_watch) are tracked: other writes cost nothing. */
#ifndef GUANBIAO_CHANGES_H
#define GUANBIAO_CHANGES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define CHANGES_ALL UINT64_MAX

/* The bits of a comma-separated list of table names ("certificates,enterprises"). */
uint64_t changes_mask(const char *tables);
/* The bits of the tables that the SQL text writes (0 for a read). */
uint64_t changes_of_sql(const char *sql);

/* Tracks these bits from now on (adds to those already watched). */
void changes_watch(uint64_t mask);
uint64_t changes_watched(void);

/* The sum of the generations of mask, as a reader on db sees them: those at the start of the
 * open read snapshot of db (db_snapshot_begin), or now. db may be NULL (now). */
uint64_t changes_seen(db_t *db, uint64_t mask);
/* Bumps the generations of mask (the store after a commit; the listener). */
void changes_bump(uint64_t mask);

/* SQLite: looks (at most once a millisecond) for commits of other processes (`guanbiao import`,
 * sqlite3), which bump every watched table; db is any connection of the store. Nothing on
 * PostgreSQL, where other processes NOTIFY. Called before a read snapshot begins and before a
 * cached answer is looked up. */
void changes_check_external(db_t *db);
/* Says this process is not a server (main.c, every command but serve): on SQLite its commits
 * of watched tables also raise PRAGMA user_version, which the servers look at. */
void changes_other_process(void);

/* PostgreSQL: a commit that changed watched tables waits (at most 1 s) until every node
 * listening has heard it, so that a client that saw the write answered never reads the old
 * answer on another node. Background work that answers no client turns that off on its
 * connection (await false) and on again afterwards; its NOTIFYs are sent all the same. */
void changes_set_await(db_t *db, bool await);

/* False while answers must not be cached (PostgreSQL: the LISTEN connection is not up, so
 * other nodes' writes would go unseen). True on SQLite. */
bool changes_reliable(void);

/* PostgreSQL: starts the thread that LISTENs for other nodes' changes (nothing on SQLite).
 * Until it is listening, and whenever its connection is lost, changes_reliable() is false;
 * every generation is bumped when it (re)starts listening. False if the thread cannot start. */
bool changes_listen_start(store_t *s);
/* Stops that thread; closes the connection that looks for other processes' commits on SQLite. */
void changes_listen_stop(void);

#endif

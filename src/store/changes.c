/* Change generations of tables (see changes.h): the SQL scan, the generations, the flush after
 * a commit with its NOTIFY, and the PostgreSQL LISTEN thread. */
#include "store/changes.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store_internal.h"

#define CHANNEL "guanbiao_cache"

static _Atomic uint64_t generations[64];
static _Atomic uint64_t watched;
static atomic_bool reliable = true;

static int bit_of(const char *name, size_t len)
{
    uint64_t h = 1469598103934665603ull;      /* FNV-1a of the lower-case name */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch - 'A' + 'a');
        h = (h ^ ch) * 1099511628211ull;
    }
    return (int)(h % 64);
}

static bool ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

static bool word_is(const char *w, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    if (n != k)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch != kw[i])
            return false;
    }
    return true;
}

uint64_t changes_mask(const char *tables)
{
    uint64_t mask = 0;
    for (const char *p = tables; p != NULL && *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = 0;
        while (ident_char(p[n]))
            n++;
        if (n > 0)
            mask |= 1ull << bit_of(p, n);
        p += n;
        if (n == 0 && *p)
            p++;
    }
    return mask;
}

/* SQLite's INSERT OR REPLACE INTO, REPLACE INTO, UPDATE OR IGNORE …: words between the verb and
 * the table. */
static bool conflict_word(const char *w, size_t n)
{
    static const char *const words[] = {"OR", "REPLACE", "IGNORE", "ABORT", "FAIL", "ROLLBACK"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (word_is(w, n, words[i]))
            return true;
    return false;
}

/* Words of the SQL text outside string literals, quoted names and comments; a table follows
 * INSERT [OR …] INTO, REPLACE INTO, DELETE FROM and UPDATE [OR …] (not FOR [NO KEY] UPDATE,
 * nor ON CONFLICT DO UPDATE). */
uint64_t changes_of_sql(const char *sql)
{
    uint64_t mask = 0;
    enum { NONE, WANT_TABLE } state = NONE;
    const char *prev = "";
    size_t prev_len = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q)
                p++;
            if (*p)
                p++;
            continue;
        }
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (!ident_char(*p)) {
            p++;
            continue;
        }
        size_t n = 0;
        while (ident_char(p[n]))
            n++;
        if (state == WANT_TABLE) {
            if (!conflict_word(p, n) && !word_is(p, n, "ONLY")) {
                mask |= 1ull << bit_of(p, n);
                state = NONE;
            }
        } else if ((word_is(p, n, "INTO") && (word_is(prev, prev_len, "INSERT") || conflict_word(prev, prev_len))) ||
                   (word_is(p, n, "FROM") && word_is(prev, prev_len, "DELETE")) ||
                   (word_is(p, n, "UPDATE") && !word_is(prev, prev_len, "FOR") && !word_is(prev, prev_len, "KEY") &&
                    !word_is(prev, prev_len, "DO"))) {
            state = WANT_TABLE;
        }
        prev = p;
        prev_len = n;
        p += n;
    }
    return mask;
}

void changes_watch(uint64_t mask) { atomic_fetch_or(&watched, mask); }
uint64_t changes_watched(void) { return atomic_load(&watched); }
bool changes_reliable(void) { return atomic_load(&reliable); }

void changes_bump(uint64_t mask)
{
    for (; mask != 0; mask &= mask - 1)
        atomic_fetch_add(&generations[__builtin_ctzll(mask)], 1);
}

uint64_t changes_seen(db_t *db, uint64_t mask)
{
    uint64_t sum = 0;
    bool snap = db != NULL && db->snapshot && db->changes_snapshot_taken;
    for (; mask != 0; mask &= mask - 1) {
        int b = __builtin_ctzll(mask);
        sum += snap ? db->changes_at_snapshot[b] : atomic_load(&generations[b]);
    }
    return sum;
}

/* store.c: a read snapshot begins; what it sees is at least as new as the generations now. */
void changes_snapshot_taken(db_t *db)
{
    for (int b = 0; b < 64; b++)
        db->changes_at_snapshot[b] = atomic_load(&generations[b]);
    db->changes_snapshot_taken = true;
}

/* SQLite: other processes. PRAGMA data_version (on a connection of its own: values of
 * different connections do not compare) changes with every commit of any other connection, of
 * this process or another one. This process counts its own commits (local_commits): a change
 * with none of ours since the last look is another process's; when both happened, PRAGMA
 * user_version tells, which our other processes (`guanbiao import`, `user`, … : every command
 * but serve, changes_other_process) raise with each commit of watched tables. Another process's
 * commit bumps every watched table (which of them it wrote is not known here); this process's
 * own commits bumped theirs precisely already. Looked at under a mutex, at most once a
 * millisecond (CLOCK_MONOTONIC_COARSE: a few ms on some kernels), before a lookup and before a
 * loop's read snapshot. A write with sqlite3 in the same millisecond as one of ours is missed
 * (docs/cache.md). */
enum { EXTERNAL_CHECK_US = 1000 };
static pthread_mutex_t checker_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t checked_at = -EXTERNAL_CHECK_US;
static _Atomic uint64_t local_commits;
static db_t *checker;
static bool checker_known;
static int64_t checker_version, checker_user_version;
static uint64_t checker_commits;
static bool other_process;

static int64_t pragma(db_t *db, const char *sql)
{
    stmt_t *st = db_query(db, sql, "");
    int64_t v = st != NULL && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return v;
}

void changes_check_external(db_t *db)
{
    uint64_t mask = atomic_load(&watched);
    if (mask == 0 || db == NULL || db->store->kind != STORE_SQLITE)
        return;
    /* at most once per EXTERNAL_CHECK_US: under load, not once per request */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, last = atomic_load(&checked_at);
    if (now - last < EXTERNAL_CHECK_US || !atomic_compare_exchange_strong(&checked_at, &last, now))
        return;
    pthread_mutex_lock(&checker_lock);
    if (checker == NULL) {
        char err[256];
        checker = db_connect(db->store, err, sizeof err);
        if (checker != NULL && !db_set_no_wait(checker)) {
            db_close(checker);
            checker = NULL;
        }
    }
    uint64_t commits = atomic_load(&local_commits);       /* before: a commit after it looks foreign */
    int64_t v = checker != NULL ? pragma(checker, "PRAGMA data_version") : -1;
    if (v < 0 || !checker_known) {
        changes_bump(mask);       /* the first time nothing is known of before; on an error, nothing now */
        checker_known = v >= 0;
        checker_user_version = v >= 0 ? pragma(checker, "PRAGMA user_version") : 0;
    } else if (v != checker_version) {
        int64_t u = pragma(checker, "PRAGMA user_version");
        if (commits == checker_commits || u != checker_user_version || u < 0)
            changes_bump(mask);
        checker_user_version = u;
    }
    checker_version = v;
    checker_commits = commits;
    pthread_mutex_unlock(&checker_lock);
}

void changes_other_process(void) { other_process = true; }

/* store.c: a commit of this process (SQLite), whatever it wrote. */
void changes_local_commit(void) { atomic_fetch_add(&local_commits, 1); }

/* store.c, before the COMMIT of a transaction that touched watched tables, in a process that is
 * not a server (SQLite): tells the servers through PRAGMA user_version. False on an error. */
bool changes_tell_servers(db_t *db)
{
    if (!other_process || db->store->kind != STORE_SQLITE || (db->changes_touched & atomic_load(&watched)) == 0)
        return true;
    int64_t u = pragma(db, "PRAGMA user_version");
    if (u < 0)
        return false;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)((u + 1) & 0x7fffffff));
    return db_exec(db, sql) == STORE_DONE;
}

/* The checker's connection, at the end (changes_listen_stop). */
static void checker_close(void)
{
    pthread_mutex_lock(&checker_lock);
    db_close(checker);
    checker = NULL;
    pthread_mutex_unlock(&checker_lock);
}

/* Read-your-writes across nodes: a NOTIFY carries a token of this process, and the same
 * statement counts the processes listening (their LISTEN connections are named
 * LISTENER_NAME). Every listener that hears another process's token bumps its generations,
 * then acknowledges it on ACK_CHANNEL; after its COMMIT the writer waits, at most AWAIT_MS,
 * until its own listener has heard the token and every other one has acknowledged it. So when
 * a write is answered, every node has dropped what it changed (docs/cache.md). A node that
 * does not acknowledge in time only makes the write slower; a node whose listener is down
 * caches nothing. */
#define ACK_CHANNEL "guanbiao_cache_ack"
#define LISTENER_NAME "guanbiao-cache-listener"
enum { AWAIT_MS = 1000, AWAIT_SHORT_MS = 50, HEARD_RING = 1024 };
static pthread_mutex_t heard_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t heard_cond;
static bool heard_cond_ready;
static uint64_t heard[HEARD_RING];    /* our tokens, once per listener that heard them */
static unsigned heard_next;
static _Atomic uint64_t next_token = 1;
static uint64_t process_tag;          /* set when the listener starts: tells our tokens apart */
static bool listen_running;

static void heard_token(uint64_t token)
{
    pthread_mutex_lock(&heard_lock);
    heard[heard_next++ % HEARD_RING] = token;
    pthread_cond_broadcast(&heard_cond);
    pthread_mutex_unlock(&heard_lock);
}

static int times_heard(uint64_t token)
{
    int n = 0;
    for (int i = 0; i < HEARD_RING; i++)
        n += heard[i] == token;
    return n;
}

/* Set when a wait timed out (a node counted as listening did not answer): the next writes wait
 * only AWAIT_SHORT_MS, until one is fully acknowledged again. */
static atomic_bool awaits_timing_out;

static void await_token(uint64_t token, int listeners)
{
    if (!listen_running || !atomic_load(&reliable) || listeners <= 0)
        return;
    long ms = atomic_load(&awaits_timing_out) ? AWAIT_SHORT_MS : AWAIT_MS;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    bool all = false;
    pthread_mutex_lock(&heard_lock);
    while (!(all = times_heard(token) >= listeners) && atomic_load(&reliable))
        if (pthread_cond_timedwait(&heard_cond, &heard_lock, &until) != 0)
            break;
    pthread_mutex_unlock(&heard_lock);
    if (atomic_load(&reliable) && all != !atomic_load(&awaits_timing_out)) {
        atomic_store(&awaits_timing_out, !all);
        if (!all)
            log_error("answer cache: a node listening for changes did not acknowledge one within %ld ms; "
                      "writes wait at most %d ms until all answer again", ms, AWAIT_SHORT_MS);
    }
}

void changes_set_await(db_t *db, bool await)
{
    if (db != NULL)
        db->changes_no_await = !await;
}

/* store.c: the watched tables a write of db touched, before its COMMIT on PostgreSQL: tells the
 * other nodes (delivered at commit, dropped at rollback). False on a database error. */
bool changes_notify(db_t *db)
{
    uint64_t mask = db->changes_touched & atomic_load(&watched);
    if (mask == 0 || db->store->kind != STORE_POSTGRES)
        return true;
    uint64_t token = atomic_fetch_add(&next_token, 1);
    char payload[64];
    snprintf(payload, sizeof payload, "%llx %llx:%llx", (unsigned long long)mask, (unsigned long long)process_tag,
             (unsigned long long)token);
    stmt_t *st = db_query(db,
                          "SELECT (SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                          "AND application_name = '" LISTENER_NAME "'), pg_notify('" CHANNEL "', $1)",
                          "t", payload);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int listeners = rc == STORE_ROW ? (int)stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc == STORE_ROW) {
        db->changes_token = token;
        db->changes_listeners = listeners;
    }
    return rc == STORE_ROW;
}

/* store.c: the write is over (committed, or rolled back: bumped all the same, to be safe). */
void changes_flush(db_t *db)
{
    uint64_t mask = db->changes_touched & atomic_load(&watched);
    db->changes_touched = 0;
    db->changes_token = 0;
    if (mask != 0)
        changes_bump(mask);
}

/* store.c: the write committed: bumped here, and (PostgreSQL) heard by the listener. */
void changes_committed(db_t *db)
{
    uint64_t token = db->changes_token;
    changes_flush(db);
    if (token != 0 && !db->changes_no_await)
        await_token(token, db->changes_listeners);
}

/* --- the LISTEN thread (PostgreSQL) ---------------------------------------------------------- */

enum { LISTEN_POLL_MS = 500, LISTEN_PING_S = 5, LISTEN_RETRY_MS = 500 };

static pthread_t listen_thread;
static atomic_bool listen_stop;
static char *listen_target;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool command_ok(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
}

/* Reads what arrived: bumps for changes, acknowledges other processes' tokens, counts those of
 * our own tokens; false when the connection is lost. */
static bool drain_notifications(PGconn *conn)
{
    if (!PQconsumeInput(conn))
        return false;
    PGnotify *n;
    while ((n = PQnotifies(conn)) != NULL) {
        char *end;
        unsigned long long tag, token;
        if (strcmp(n->relname, ACK_CHANNEL) == 0) {
            if (sscanf(n->extra, "%llx:%llx", &tag, &token) == 2 && tag == process_tag)
                heard_token(token);
            PQfreemem(n);
            continue;
        }
        uint64_t mask = strtoull(n->extra, &end, 16);
        changes_bump(mask != 0 ? mask : CHANGES_ALL);
        if (sscanf(end, " %llx:%llx", &tag, &token) == 2) {
            if (tag == process_tag) {
                heard_token(token);
            } else {
                char ack[160];
                snprintf(ack, sizeof ack, "SELECT pg_notify('" ACK_CHANNEL "', '%llx:%llx')", tag, token);
                if (!command_ok(conn, ack)) {
                    PQfreemem(n);
                    return false;
                }
            }
        }
        PQfreemem(n);
    }
    return PQstatus(conn) == CONNECTION_OK;
}

static void *listen_main(void *arg)
{
    (void)arg;
    bool said_lost = false;
    while (!atomic_load(&listen_stop)) {
        PGconn *conn = PQconnectdb(listen_target);
        if (PQstatus(conn) != CONNECTION_OK ||
            !command_ok(conn, "SET application_name = '" LISTENER_NAME "'; LISTEN " CHANNEL "; LISTEN " ACK_CHANNEL)) {
            if (!said_lost)
                log_error("answer cache: cannot LISTEN for other nodes' changes (%s): not caching until it can",
                          PQerrorMessage(conn));
            said_lost = true;
            PQfinish(conn);
            sleep_ms(LISTEN_RETRY_MS);
            continue;
        }
        /* listening: whatever changed while we were not is unknown, so everything is stale */
        changes_bump(CHANGES_ALL);
        atomic_store(&reliable, true);
        if (said_lost)
            log_info("answer cache: listening for other nodes' changes again");
        said_lost = false;
        time_t last_ping = time(NULL);
        while (!atomic_load(&listen_stop)) {
            struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
            int rc = poll(&pfd, 1, LISTEN_POLL_MS);
            if (rc < 0 || (rc > 0 && !drain_notifications(conn)))
                break;
            if (time(NULL) - last_ping >= LISTEN_PING_S) {   /* a silent loss shows up here */
                if (!command_ok(conn, "SELECT 1") || !drain_notifications(conn))
                    break;
                last_ping = time(NULL);
            }
        }
        atomic_store(&reliable, false);
        changes_bump(CHANGES_ALL);
        if (!atomic_load(&listen_stop)) {
            log_error("answer cache: the LISTEN connection was lost: not caching until it is back");
            said_lost = true;
        }
        PQfinish(conn);
    }
    return NULL;
}

bool changes_listen_start(store_t *s)
{
    if (s->kind != STORE_POSTGRES || listen_running)
        return true;
    listen_target = strdup(s->target);
    if (listen_target == NULL)
        return false;
    if (!heard_cond_ready) {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&heard_cond, &attr);
        pthread_condattr_destroy(&attr);
        heard_cond_ready = true;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    process_tag = ((uint64_t)getpid() << 40) ^ (uint64_t)now.tv_sec << 20 ^ (uint64_t)now.tv_nsec ^ (uintptr_t)&now;
    if (process_tag == 0)
        process_tag = 1;
    atomic_store(&reliable, false);
    atomic_store(&listen_stop, false);
    if (pthread_create(&listen_thread, NULL, listen_main, NULL) != 0) {
        free(listen_target);
        listen_target = NULL;
        return false;
    }
    listen_running = true;
    return true;
}

void changes_listen_stop(void)
{
    checker_close();
    if (!listen_running)
        return;
    atomic_store(&listen_stop, true);
    pthread_join(listen_thread, NULL);
    listen_running = false;
    free(listen_target);
    listen_target = NULL;
}

/* Users, sessions and sign-in throttling (see users.h). */
#include "store/users.h"

#include "store/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define USER_COLUMNS "u.id, u.login, u.name, u.role, u.enterprise_id, u.body_id, u.region, u.password_hash"

static void read_user(stmt_t *st, arena_t *a, user_t *u, const char **hash)
{
    u->id = stmt_int(st, 0);
    u->login = arena_strdup(a, stmt_text(st, 1));
    u->name = arena_strdup(a, stmt_text(st, 2));
    u->role = role_parse(stmt_text(st, 3));
    u->enterprise_id = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4);
    u->body_id = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
    u->region = arena_strdup(a, stmt_text(st, 6));
    if (hash != NULL)
        *hash = arena_strdup(a, stmt_text(st, 7));
}

static int one_user(stmt_t *st, arena_t *a, user_t *u, const char **hash)
{
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        read_user(st, a, u, hash);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int user_by_login(db_t *db, arena_t *a, const char *login, user_t *u, const char **hash)
{
    return one_user(db_query(db, "SELECT " USER_COLUMNS " FROM users u WHERE u.login = $1 AND u.active = 1",
                             "t", login), a, u, hash);
}

int user_by_id(db_t *db, arena_t *a, int64_t id, user_t *u, const char **hash)
{
    return one_user(db_query(db, "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1 AND u.active = 1",
                             "I", id), a, u, hash);
}

int64_t user_insert(db_t *db, const new_user_t *nu, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
        "INSERT INTO users (login, name, role, enterprise_id, body_id, region, password_hash, created_at, "
        "password_changed_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
        "tttttttIt", nu->login, nu->name, role_name(nu->role), NULL, NULL, nu->region ? nu->region : "",
        nu->password_hash, now, nu->email && *nu->email ? nu->email : NULL);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    if (nu->enterprise_id)
        stmt_bind_int(st, 4, nu->enterprise_id);
    if (nu->body_id)
        stmt_bind_int(st, 5, nu->body_id);
    int64_t id = stmt_insert_id(st);
    if (id <= 0) {
        db_rollback(db);
        return id;
    }
    /* the account's region: a regulator's own, an enterprise account's that of its enterprise */
    char region[16] = "";
    if (nu->enterprise_id) {
        stmt_t *r = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", nu->enterprise_id);
        if (r != NULL && stmt_step(r) == STORE_ROW)
            snprintf(region, sizeof region, "%s", stmt_text(r, 0));
        stmt_done(r);
    } else if (nu->region) {
        snprintf(region, sizeof region, "%s", nu->region);
    }
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "login", NULL, nu->login);
    audit_diff_str(&d, "name", NULL, nu->name);
    audit_diff_str(&d, "role", NULL, role_name(nu->role));
    if (nu->enterprise_id)
        audit_diff_int(&d, "enterprise_id", NULL, &nu->enterprise_id);
    if (nu->body_id)
        audit_diff_int(&d, "body_id", NULL, &nu->body_id);
    if (nu->region && *nu->region)
        audit_diff_str(&d, "region", NULL, nu->region);
    if (nu->email && *nu->email)
        audit_diff_str(&d, "email", NULL, nu->email);
    bool ok = audit_record_id(db, actor, "user.create", "user", id, region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1) == 1 ? id : -1;
}

bool user_set_password(db_t *db, int64_t user_id, const char *hash, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    int64_t now = now_seconds();
    int rc = db_run(db, "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3", "tII", hash,
                    now, user_id) == 1 ? 1 : -1;
    /* the password itself (even hashed) never goes into the log: only that it changed */
    if (rc == 1) {
        char after[64];
        snprintf(after, sizeof after, "{\"password_changed_at\":%lld}", (long long)now);
        if (!audit_record_id(db, actor, "user.password", "user", user_id, "", "", after))
            rc = -1;
    }
    return db_finish(db, rc) == 1;
}

const char *user_organisation_name(db_t *db, arena_t *a, const user_t *u)
{
    stmt_t *st = NULL;
    if (u->role == ROLE_ENTERPRISE)
        st = db_query(db, "SELECT name FROM enterprises WHERE id = $1", "I", u->enterprise_id);
    else if (u->role == ROLE_BODY)
        st = db_query(db, "SELECT name FROM bodies WHERE id = $1", "I", u->body_id);
    if (st == NULL)
        return NULL;
    const char *name = stmt_step(st) == STORE_ROW ? arena_strdup(a, stmt_text(st, 0)) : NULL;
    stmt_done(st);
    return name;
}

bool session_insert(db_t *db, const char *token_hash, int64_t user_id, const char *csrf, const char *address)
{
    int64_t now = now_seconds();
    return db_run(db,
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, refreshed_at, address) "
        "VALUES ($1, $2, $3, $4, $5, $4, $6)",
        "tItIIt", token_hash, user_id, csrf, now, now + SESSION_IDLE_SECONDS, address ? address : "") == 1;
}

int session_lookup(db_t *db, arena_t *a, const char *token_hash, user_t *u, const char **csrf, bool *refresh_due)
{
    if (refresh_due != NULL)
        *refresh_due = false;
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "SELECT " USER_COLUMNS ", s.csrf, s.refreshed_at, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        "tI", token_hash, now);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    int64_t refreshed = 0, created = 0;
    if (rc == STORE_ROW) {
        read_user(st, a, u, NULL);
        *csrf = arena_strdup(a, stmt_text(st, 8));
        refreshed = stmt_int(st, 9);
        created = stmt_int(st, 10);
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;
    if (now - refreshed >= SESSION_REFRESH_SECONDS && refresh_due != NULL) {
        *refresh_due = true;
    } else if (now - refreshed >= SESSION_REFRESH_SECONDS) {
        int64_t until = now + SESSION_IDLE_SECONDS;
        if (until > created + SESSION_MAX_SECONDS)
            until = created + SESSION_MAX_SECONDS;
        db_run(db, "UPDATE sessions SET expires_at = $1, refreshed_at = $2 WHERE token_hash = $3",
               "IIt", until, now, token_hash);
    }
    return 1;
}

bool session_delete(db_t *db, const char *token_hash)
{
    return db_run(db, "DELETE FROM sessions WHERE token_hash = $1", "t", token_hash) >= 0;
}

bool sessions_delete_for_user(db_t *db, int64_t user_id, const char *keep)
{
    return db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", "It", user_id,
                  keep ? keep : "") >= 0;
}

int64_t throttle_delay(int64_t failures, int max_failures)
{
    if (failures < max_failures)
        return 0;
    int64_t k = failures - max_failures + 1;   /* 1 at the allowance, then 2, 3, … */
    return k < 30 && ((int64_t)1 << k) < THROTTLE_MAX_DELAY_SECONDS ? (int64_t)1 << k : THROTTLE_MAX_DELAY_SECONDS;
}

/* The failures of key and the time of its last one (0 and 0 once forgotten): 0, or -1 on error. */
static int key_failures(db_t *db, const char *key, int64_t now, int64_t *failures, int64_t *last)
{
    *failures = *last = 0;
    stmt_t *st = db_query(db, "SELECT failures, last_failure FROM login_failures WHERE key = $1", "t", key);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW && now < stmt_int(st, 1) + THROTTLE_FORGET_SECONDS) {
        *failures = stmt_int(st, 0);
        *last = stmt_int(st, 1);
    }
    stmt_done(st);
    return rc == STORE_ERROR ? -1 : 0;
}

/* Seconds from now until the delay after the key's failures has passed (0: it has). */
static int64_t delay_left(int64_t failures, int64_t last, int64_t now, int max_failures)
{
    int64_t left = last + throttle_delay(failures, max_failures) - now;
    return left > 0 ? left : 0;
}

int64_t login_throttle_wait(db_t *db, const char *key, int max_failures)
{
    int64_t now = now_seconds(), failures, last;
    if (key_failures(db, key, now, &failures, &last) < 0)
        return -1;
    return delay_left(failures, last, now, max_failures);
}

bool login_failure_record(db_t *db, const char *key)
{
    /* a key whose failures are forgotten starts again at one */
    return db_run(db,
        "INSERT INTO login_failures (key, last_failure, failures) VALUES ($1, $2, 1) "
        "ON CONFLICT (key) DO UPDATE SET "
        "failures = CASE WHEN login_failures.last_failure + $3 <= $2 THEN 1 ELSE login_failures.failures + 1 END, "
        "last_failure = $2",
        "tIi", key, (int64_t)now_seconds(), (int)THROTTLE_FORGET_SECONDS) == 1;
}

bool login_failures_clear(db_t *db, const char *key)
{
    return db_run(db, "DELETE FROM login_failures WHERE key = $1", "t", key) >= 0;
}

/* Attempts in flight, per key, in this process: a small hash table of counts under one mutex.
 * A key's entry lives while an attempt of it is in flight; it holds a copy of the key. */
typedef struct in_flight {
    struct in_flight *next;
    int count;
    char key[];
} in_flight_t;

enum { IN_FLIGHT_BUCKETS = 256 };
static pthread_mutex_t in_flight_lock = PTHREAD_MUTEX_INITIALIZER;
static in_flight_t *in_flight[IN_FLIGHT_BUCKETS];

/* Adds delta (+1 or -1) to key's count: the new count, or -1 when out of memory. */
static int in_flight_add(const char *key, int delta)
{
    in_flight_t **slot = &in_flight[hash_bytes(key, strlen(key)) % IN_FLIGHT_BUCKETS];
    pthread_mutex_lock(&in_flight_lock);
    while (*slot != NULL && strcmp((*slot)->key, key) != 0)
        slot = &(*slot)->next;
    int count = -1;
    if (*slot == NULL && delta > 0) {
        size_t n = strlen(key) + 1;
        in_flight_t *e = malloc(sizeof *e + n);
        if (e != NULL) {
            memcpy(e->key, key, n);
            e->count = 0;
            e->next = NULL;
            *slot = e;
        }
    }
    if (*slot != NULL) {
        in_flight_t *e = *slot;
        count = e->count += delta;
        if (count <= 0) {
            *slot = e->next;
            free(e);
            count = 0;
        }
    }
    pthread_mutex_unlock(&in_flight_lock);
    return count;
}

int login_attempt_begin(db_t *db, const char *key, int max_failures, int64_t *wait)
{
    /* counted in first, then the failures read: an attempt that failed meanwhile is counted
     * twice at worst (a refusal of THROTTLE_BUSY_SECONDS), never missed */
    int mine = in_flight_add(key, +1);
    if (mine < 0)
        return -1;
    int64_t now = now_seconds(), failures, last;
    if (key_failures(db, key, now, &failures, &last) < 0) {
        in_flight_add(key, -1);
        return -1;
    }
    int64_t allowed = failures < max_failures ? max_failures - failures : 1;
    *wait = delay_left(failures, last, now, max_failures);
    if (*wait == 0 && mine > allowed)
        *wait = THROTTLE_BUSY_SECONDS;
    if (*wait == 0)
        return 1;
    in_flight_add(key, -1);
    return 0;
}

void login_attempt_end(const char *key)
{
    in_flight_add(key, -1);
}

int64_t store_purge_expired(db_t *db, int64_t now)
{
    int64_t sessions = db_run(db, "DELETE FROM sessions WHERE expires_at <= $1", "I", now);
    if (sessions < 0)
        return -1;
    int64_t throttles = db_run(db, "DELETE FROM login_failures WHERE last_failure + $1 <= $2", "iI",
                           (int)THROTTLE_FORGET_SECONDS, now);
    return throttles < 0 ? -1 : sessions + throttles;
}

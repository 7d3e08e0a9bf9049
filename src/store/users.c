/* Users, sessions and sign-in throttling (see users.h). */
#include "store/users.h"

#include <stdio.h>
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

int64_t user_insert(db_t *db, const new_user_t *nu)
{
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "INSERT INTO users (login, name, role, enterprise_id, body_id, region, password_hash, created_at, "
        "password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        "tttttttI", nu->login, nu->name, role_name(nu->role), NULL, NULL, nu->region ? nu->region : "",
        nu->password_hash, now);
    if (st == NULL)
        return -1;
    if (nu->enterprise_id)
        stmt_bind_int(st, 4, nu->enterprise_id);
    if (nu->body_id)
        stmt_bind_int(st, 5, nu->body_id);
    return stmt_insert_id(st);
}

bool user_set_password(db_t *db, int64_t user_id, const char *hash)
{
    return db_run(db, "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
                  "tII", hash, (int64_t)now_seconds(), user_id) == 1;
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

/* Failures of key in its current window (0 when the window is over): 0, or -1 on error. */
static int window_failures(db_t *db, const char *key, int64_t now, int64_t *start, int64_t *failures)
{
    *start = *failures = 0;
    stmt_t *st = db_query(db, "SELECT window_start, failures FROM login_failures WHERE key = $1", "t", key);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW && now < stmt_int(st, 0) + LOGIN_WINDOW_SECONDS) {
        *start = stmt_int(st, 0);
        *failures = stmt_int(st, 1);
    }
    stmt_done(st);
    return rc == STORE_ERROR ? -1 : 0;
}

int64_t login_throttle_wait(db_t *db, const char *key, int max_failures)
{
    int64_t now = now_seconds(), start, failures;
    if (window_failures(db, key, now, &start, &failures) < 0)
        return -1;
    return failures >= max_failures ? start + LOGIN_WINDOW_SECONDS - now : 0;
}

/* Counts one more for key in its window (a window older than LOGIN_WINDOW_SECONDS starts
 * again at one): the new count, or -1 on error. */
static int64_t count_up(db_t *db, const char *key)
{
    stmt_t *st = db_query(db,
        "INSERT INTO login_failures (key, window_start, failures) VALUES ($1, $2, 1) "
        "ON CONFLICT (key) DO UPDATE SET "
        "failures = CASE WHEN login_failures.window_start + $3 <= $2 THEN 1 ELSE login_failures.failures + 1 END, "
        "window_start = CASE WHEN login_failures.window_start + $3 <= $2 THEN $2 ELSE login_failures.window_start END "
        "RETURNING failures",
        "tIi", key, (int64_t)now_seconds(), (int)LOGIN_WINDOW_SECONDS);
    if (st == NULL)
        return -1;
    int64_t n = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return n;
}

bool login_failure_record(db_t *db, const char *key)
{
    return count_up(db, key) >= 0;
}

bool login_failures_clear(db_t *db, const char *key)
{
    return db_run(db, "DELETE FROM login_failures WHERE key = $1", "t", key) >= 0;
}

/* Attempts in flight of key are counted in the row "pending:KEY", with the same window (so a
 * count left by a process that died resets with it). */
static const char *pending_key(char *out, size_t n, const char *key)
{
    snprintf(out, n, "pending:%s", key);
    return out;
}

int login_attempt_begin(db_t *db, const char *key, int max_failures, int64_t *wait)
{
    char pkey[512];
    int64_t now = now_seconds(), start, failures;
    int64_t pending = count_up(db, pending_key(pkey, sizeof pkey, key));
    if (pending < 0)
        return -1;
    /* failures read after counting ourselves in: an attempt that failed meanwhile is counted
     * twice at worst, never missed */
    if (window_failures(db, key, now, &start, &failures) < 0) {
        login_attempt_end(db, key);
        return -1;
    }
    if (failures + pending <= max_failures)
        return 1;
    if (!login_attempt_end(db, key))
        return -1;
    *wait = failures >= max_failures ? start + LOGIN_WINDOW_SECONDS - now : 1;
    if (*wait < 1)
        *wait = 1;
    return 0;
}

bool login_attempt_end(db_t *db, const char *key)
{
    char pkey[512];
    pending_key(pkey, sizeof pkey, key);
    /* then drop the row once nothing is in flight, so that every sign-in does not leave one */
    return db_run(db, "UPDATE login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0", "t",
                  pkey) >= 0 &&
           db_run(db, "DELETE FROM login_failures WHERE key = $1 AND failures = 0", "t", pkey) >= 0;
}

/* Users, sessions and sign-in throttling in the database. No HTTP here: callers pass the
 * token hash, never the token. Strings returned in user_t live in the given arena. */
#ifndef GUANBIAO_USERS_H
#define GUANBIAO_USERS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/roles.h"
#include "store/store.h"

enum {
    SESSION_IDLE_SECONDS = 8 * 3600,       /* a session ends after 8 idle hours */
    SESSION_MAX_SECONDS = 7 * 24 * 3600,   /* and 7 days after sign-in at the latest (the cookie's Max-Age) */
    SESSION_REFRESH_SECONDS = 15 * 60,     /* the expiry is pushed at most this often */
    LOGIN_WINDOW_SECONDS = 15 * 60,
    LOGIN_MAX_FAILURES_ACCOUNT = 5,        /* per login per window */
    LOGIN_MAX_FAILURES_ADDRESS = 30,       /* per client address per window */
};

typedef struct new_user {
    const char *login, *name, *password_hash, *region;
    role_t role;
    int64_t enterprise_id, body_id;        /* 0 = none */
} new_user_t;

/* 1 found, 0 not found, -1 error. *hash gets the stored password hash (arena copy). */
int user_by_login(db_t *db, arena_t *a, const char *login, user_t *u, const char **hash);
int user_by_id(db_t *db, arena_t *a, int64_t id, user_t *u, const char **hash);
/* The id of the new user, 0 when the login is taken (DB_ERR_UNIQUE), -1 on error. */
int64_t user_insert(db_t *db, const new_user_t *nu);
bool user_set_password(db_t *db, int64_t user_id, const char *hash);
/* Name of the user's enterprise or body, or NULL. */
const char *user_organisation_name(db_t *db, arena_t *a, const user_t *u);

bool session_insert(db_t *db, const char *token_hash, int64_t user_id, const char *csrf,
                    const char *address);
/* The user of a live session. 1 found, 0 none, -1 error. *csrf gets the session's CSRF token
 * (arena copy). Its expiry is pushed at most every SESSION_REFRESH_SECONDS: with refresh_due
 * NULL the lookup may write and pushes it when due; otherwise it never writes and sets
 * *refresh_due when a push is due (the event loop then moves the call to a worker). */
int session_lookup(db_t *db, arena_t *a, const char *token_hash, user_t *u, const char **csrf, bool *refresh_due);
bool session_delete(db_t *db, const char *token_hash);
/* Ends every session of the user but `keep` (may be NULL: all). */
bool sessions_delete_for_user(db_t *db, int64_t user_id, const char *keep);

/* Seconds until key may try again (0 = now); -1 on error. */
int64_t login_throttle_wait(db_t *db, const char *key, int max_failures);
bool login_failure_record(db_t *db, const char *key);
bool login_failures_clear(db_t *db, const char *key);
/* Attempts in flight, so that attempts made at the same time cannot overrun the limit (a
 * check, then a failure recorded after the ~0.1 s hash, would let every concurrent attempt
 * through). login_attempt_begin counts one attempt in flight for key; when key's failures
 * plus its attempts in flight exceed max_failures it takes it back and answers 0 with *wait
 * (the rest of the window when the failures alone reach the limit, else 1 s); 1: go on, and
 * end the attempt with login_attempt_end after recording any failure; -1 on error. */
int login_attempt_begin(db_t *db, const char *key, int max_failures, int64_t *wait);
bool login_attempt_end(db_t *db, const char *key);

#endif

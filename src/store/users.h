/* Users, sessions and sign-in throttling in the database. No HTTP here: callers pass the
 * token hash, never the token. Strings returned in user_t live in the given arena. */
#ifndef GUANBIAO_USERS_H
#define GUANBIAO_USERS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/roles.h"
#include "store/audit.h"
#include "store/store.h"

enum {
    SESSION_IDLE_SECONDS = 8 * 3600,       /* a session ends after 8 idle hours */
    SESSION_MAX_SECONDS = 7 * 24 * 3600,   /* and 7 days after sign-in at the latest (the cookie's Max-Age) */
    SESSION_REFRESH_SECONDS = 15 * 60,     /* the expiry is pushed at most this often */
    /* sign-in throttling (docs/api.md): a key may fail this many times freely; after that
     * each attempt waits throttle_delay() seconds since the key's last failure */
    LOGIN_MAX_FAILURES_ACCOUNT = 5,        /* per login */
    LOGIN_MAX_FAILURES_ADDRESS = 30,       /* per client address */
    THROTTLE_MAX_DELAY_SECONDS = 15 * 60,  /* the longest wait */
    THROTTLE_FORGET_SECONDS = 60 * 60,     /* a key's failures are forgotten an hour after its last one */
    THROTTLE_BUSY_SECONDS = 1,             /* the wait when the attempts in flight already fill the allowance */
};

typedef struct new_user {
    const char *login, *name, *password_hash, *region;
    const char *email;                     /* for email notifications; NULL or "" = none */
    role_t role;
    int64_t enterprise_id, body_id;        /* 0 = none */
} new_user_t;

/* 1 found, 0 not found, -1 error. *hash gets the stored password hash (arena copy). */
int user_by_login(db_t *db, arena_t *a, const char *login, user_t *u, const char **hash);
int user_by_id(db_t *db, arena_t *a, int64_t id, user_t *u, const char **hash);
/* The id of the new user, 0 when the login is taken (DB_ERR_UNIQUE), -1 on error. */
/* Both record their change in the audit log (action user.create, user.password), by actor
 * (NULL: the platform), in one transaction with the write (nested into the caller's). */
int64_t user_insert(db_t *db, const new_user_t *nu, const audit_actor_t *actor);
bool user_set_password(db_t *db, int64_t user_id, const char *hash, const audit_actor_t *actor);
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

/* Throttling of sign-ins (and of other attempts an attacker would repeat, such as
 * registrations), per key ("login:NAME", "addr:IP", ...). A key's failures and the time of
 * its last one are rows in the database, shared by every node; the attempts in flight are
 * counted in this process's memory (per node), so that a process that dies leaves nothing
 * behind that refuses anyone.
 *
 * The delay after `failures` failures of a key allowed `max_failures` free ones: 0 below the
 * allowance, then 2, 4, 8, … seconds, at most THROTTLE_MAX_DELAY_SECONDS. */
int64_t throttle_delay(int64_t failures, int max_failures);
/* Seconds until key may try again (0 = now), attempts in flight aside; -1 on error. */
int64_t login_throttle_wait(db_t *db, const char *key, int max_failures);
bool login_failure_record(db_t *db, const char *key);
bool login_failures_clear(db_t *db, const char *key);
/* Begins an attempt of key. Attempts made at the same time cannot overrun the allowance (a
 * check, then a failure recorded after the ~0.1 s hash, would let every concurrent attempt
 * through): below it, at most max_failures - failures attempts are in flight at once; past it,
 * one, once the delay has passed. 1: go on, then record any failure and end the attempt with
 * login_attempt_end; 0: refused, *wait = seconds until the next attempt may go on; -1 on error. */
int login_attempt_begin(db_t *db, const char *key, int max_failures, int64_t *wait);
void login_attempt_end(const char *key);

/* Deletes the sessions that have expired and the throttle rows whose failures are forgotten
 * by `now` (a periodic purge; see docs/operations.md). The number of rows deleted, or -1. */
int64_t store_purge_expired(db_t *db, int64_t now);

#endif

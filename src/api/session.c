/* Sign-in, the current session, sign-out and password change (PRODUCT.md's session contract).
 * Sessions live in the database, so every node sharing it sees the same sign-ins and
 * sign-outs. Sign-in is throttled per account and per client address: repeated failures are
 * slowed down by growing delays (store/users.h), never locked out. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "domain/account.h"
#include "http/auth.h"
#include "store/users.h"

/* Verifying against this keeps the time of an unknown login like that of a known one. */
static char dummy[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
    if (!password_hash("guanbiao-no-such-user", dummy))
        dummy[0] = '\0';
}

void user_write(call_t *c, jw_t *w, const user_t *u)
{
    const char *org_name = c->db ? user_organisation_name(c->db, &c->arena, u) : NULL;
    jw_object(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "login", u->login);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "role", role_name(u->role));
    jw_kid(w, "enterprise_id", u->enterprise_id);
    jw_kid(w, "body_id", u->body_id);
    jw_kstr(w, "region", u->region ? u->region : "");
    jw_key(w, "organisation");
    if (org_name != NULL) {
        jw_object(w);
        jw_kint(w, "id", u->role == ROLE_ENTERPRISE ? u->enterprise_id : u->body_id);
        jw_kstr(w, "name", org_name);
        jw_end(w);
    } else {
        jw_null(w);
    }
    jw_end(w);
}

static void answer_session(call_t *c, const user_t *u, const char *csrf)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "user");
    user_write(c, w, u);
    jw_kstr(w, "csrf", csrf);
    jw_end(w);
}

bool throttle_begin(call_t *c, const char *key, int max)
{
    int64_t wait = 0;
    int rc = login_attempt_begin(c->db, key, max, &wait);
    if (rc < 0) {
        call_db_error(c, "login throttle");
        return false;
    }
    if (rc == 1)
        return true;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)wait);
    call_header(c, "retry-after", secs);
    call_error(c, "too_many_attempts", NULL, secs);
    return false;
}

/* The sign-in once both throttles let it go on (the caller ends the attempts). */
static void sign_in(call_t *c, const char *login, const char *password, const char *account_key,
                    const char *address_key)
{
    user_t u;
    memset(&u, 0, sizeof u);
    const char *hash = NULL;
    int found = user_by_login(c->db, &c->arena, login, &u, &hash);
    if (found < 0) {
        call_db_error(c, "user lookup");
        return;
    }
    pthread_once(&dummy_once, make_dummy);
    bool ok = password_verify(found ? hash : dummy, password) && found == 1;
    if (!ok) {
        if (!login_failure_record(c->db, account_key) || !login_failure_record(c->db, address_key)) {
            call_db_error(c, "login failure");
            return;
        }
        call_error(c, "invalid_credentials", NULL);
        return;
    }
    char token[TOKEN_CHARS + 1], hashed[TOKEN_HASH_CHARS + 1], csrf[TOKEN_CHARS + 1];
    token_new(token);
    token_new(csrf);
    token_hash(token, strlen(token), hashed);
    if (db_begin(c->db) != STORE_DONE)
        goto failed;
    if (c->session_hash != NULL)
        session_delete(c->db, c->session_hash);   /* signing in again replaces the old session */
    if (!login_failures_clear(c->db, account_key) || !session_insert(c->db, hashed, u.id, csrf, call_peer(c)) ||
        db_commit(c->db) != STORE_DONE)
        goto failed;
    char cookie[256];
    /* the browser keeps the cookie for the longest a session can last; the server ends it
     * after 8 idle hours */
    session_cookie(token, SESSION_MAX_SECONDS, c->secure, cookie, sizeof cookie);
    call_header(c, "set-cookie", cookie);
    answer_session(c, &u, csrf);
    return;
failed:
    db_rollback(c->db);
    call_db_error(c, "session insert");
}

void api_session_create(call_t *c)
{
    static const char *const fields[] = {"login", "password", NULL};
    const char *login = NULL, *password = NULL;
    body_only(c, fields);
    body_string(c, "login", FIELD_REQUIRED, 1, 64, &login);
    body_string(c, "password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &password);
    if (call_answered(c))
        return;
    const char *account_key = arena_printf(&c->arena, "login:%s", login);
    const char *address_key = arena_printf(&c->arena, "addr:%s", call_peer(c));
    if (!throttle_begin(c, account_key, LOGIN_MAX_FAILURES_ACCOUNT))
        return;
    if (throttle_begin(c, address_key, LOGIN_MAX_FAILURES_ADDRESS)) {
        sign_in(c, login, password, account_key, address_key);
        login_attempt_end(address_key);
    }
    login_attempt_end(account_key);
}

void api_session_show(call_t *c)
{
    answer_session(c, &c->user, c->session_csrf);
}

void api_session_delete(call_t *c)
{
    if (!session_delete(c->db, c->session_hash)) {
        call_db_error(c, "session delete");
        return;
    }
    char cookie[256];
    session_cookie(NULL, 0, c->secure, cookie, sizeof cookie);
    call_header(c, "set-cookie", cookie);
    call_no_content(c);
}

static void change_password(call_t *c, const char *current, const char *next, const char *account_key);

void api_session_password(call_t *c)
{
    static const char *const fields[] = {"current_password", "new_password", NULL};
    const char *current = NULL, *next = NULL;
    body_only(c, fields);
    body_string(c, "current_password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &current);
    body_string(c, "new_password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &next);
    /* the new password's rule is the form's: checked with the other fields, before the
     * current password (which is the caller's proof, not a field to correct) */
    if (next != NULL && !password_acceptable(c->user.login, next))
        call_error(c, "weak_password", "new_password");
    if (call_answered(c))
        return;
    const char *account_key = arena_printf(&c->arena, "login:%s", c->user.login);
    if (!throttle_begin(c, account_key, LOGIN_MAX_FAILURES_ACCOUNT))
        return;
    change_password(c, current, next, account_key);
    login_attempt_end(account_key);
}

/* The password change once the throttle lets it go on (the caller ends the attempt). */
static void change_password(call_t *c, const char *current, const char *next, const char *account_key)
{
    user_t u;
    const char *hash = NULL;
    int found = user_by_id(c->db, &c->arena, c->user.id, &u, &hash);
    if (found != 1) {
        call_db_error(c, "user lookup");
        return;
    }
    if (!password_verify(hash, current)) {
        if (!login_failure_record(c->db, account_key)) {
            call_db_error(c, "login failure");
            return;
        }
        call_error(c, "wrong_current_password", "current_password");
        return;
    }
    char fresh[PASSWORD_HASH_MAX];
    if (!password_hash(next, fresh)) {
        call_error(c, "overloaded", NULL);
        return;
    }
    if (db_begin(c->db) != STORE_DONE || !user_set_password(c->db, u.id, fresh) ||
        !sessions_delete_for_user(c->db, u.id, c->session_hash) || db_commit(c->db) != STORE_DONE) {
        db_rollback(c->db);
        call_db_error(c, "password change");
        return;
    }
    log_info("password changed for user %lld (%s)", (long long)u.id, u.login);
    call_no_content(c);
}

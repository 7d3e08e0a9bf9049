/* A body's API tokens (docs/api.md "API tokens"): its staff create them (the token is answered
 * once, never again), list them (admins too) and revoke them (admins too). Storage, the audit
 * entries and the token's use are in store/api_tokens.h and http/dispatch.c. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "http/auth.h"
#include "store/api_tokens.h"

#define TOKEN_COLUMNS                                                                                      \
    "t.id, t.body_id, t.name, t.prefix, COALESCE(t.created_by, 0), COALESCE(u.login, ''), t.created_at, " \
    "t.last_used_at, t.revoked_at"
#define TOKEN_FROM " FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by"

static void time_or_null(jw_t *w, const char *key, int64_t t)
{
    jw_key(w, key);
    if (t <= 0) {
        jw_null(w);
        return;
    }
    char iso[21];
    time_iso(t, iso);
    jw_str(w, iso);
}

/* The members of one token (an object already open): never the token itself. */
static void token_members(jw_t *w, stmt_t *st)
{
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kint(w, "body_id", stmt_int(st, 1));
    jw_kstr(w, "name", stmt_text(st, 2));
    jw_kstr(w, "prefix", stmt_text(st, 3));
    jw_kid(w, "created_by", stmt_int(st, 4));
    jw_kstr(w, "creator", stmt_text(st, 5));
    time_or_null(w, "created_at", stmt_int(st, 6));
    time_or_null(w, "last_used_at", stmt_int(st, 7));
    time_or_null(w, "revoked_at", stmt_int(st, 8));
    jw_kbool(w, "revoked", stmt_int(st, 8) > 0);
}

/* The body {id} of the path, when the caller is its staff (or, with admins true, an admin);
 * 0 after answering otherwise (404 body_not_found, 403 forbidden). */
static int64_t token_body(call_t *c, bool admins)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return 0;
    body_t b;
    int rc = body_by_id(c->db, &c->arena, id, &b);
    if (rc < 0) {
        call_db_error(c, "body lookup");
        return 0;
    }
    if (rc == 0) {
        call_error(c, "body_not_found", NULL);
        return 0;
    }
    bool staff = c->user.role == ROLE_BODY && c->user.body_id == id;
    if (!staff && !(admins && c->user.role == ROLE_ADMIN)) {
        call_error(c, "forbidden", NULL);
        return 0;
    }
    return id;
}

void api_body_tokens_list(call_t *c)
{
    int64_t body_id = token_body(c, true);
    if (body_id == 0)
        return;
    stmt_t *st = db_query(c->db, "SELECT " TOKEN_COLUMNS TOKEN_FROM " WHERE t.body_id = $1 ORDER BY t.id DESC", "I",
                          body_id);
    if (st == NULL) {
        call_db_error(c, "API token list");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        token_members(w, st);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        call_db_error(c, "API token list");
        return;
    }
    jw_end(w);
    jw_end(w);
}

static const char *const token_fields[] = {"name", NULL};

void api_body_tokens_create(call_t *c)
{
    int64_t body_id = token_body(c, false);
    if (body_id == 0)
        return;
    const char *name = NULL;
    body_only(c, token_fields);
    body_string(c, "name", FIELD_REQUIRED, 1, API_TOKEN_NAME_MAX, &name);
    if (call_answered(c))
        return;
    char token[API_TOKEN_CHARS + 1], hash[TOKEN_HASH_CHARS + 1], prefix[API_TOKEN_PREFIX_CHARS + 1];
    api_token_new(token);
    token_hash(token, API_TOKEN_CHARS, hash);
    memcpy(prefix, token, API_TOKEN_PREFIX_CHARS);
    prefix[API_TOKEN_PREFIX_CHARS] = '\0';
    audit_actor_t actor = call_actor(c);
    int64_t id = api_token_insert(c->db, body_id, name, prefix, hash, &actor);
    if (id < 0) {
        call_db_error(c, "API token create");
        return;
    }
    if (id == 0) {
        char max[12];
        snprintf(max, sizeof max, "%d", API_TOKENS_PER_BODY_MAX);
        call_error(c, "too_many_tokens", NULL, max);
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT " TOKEN_COLUMNS TOKEN_FROM " WHERE t.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "API token read back");
        return;
    }
    jw_t *w = call_json_begin(c, 201);
    jw_object(w);
    token_members(w, st);
    jw_kstr(w, "token", token);   /* the only time it is shown */
    jw_end(w);
    stmt_done(st);
    sodium_memzero(token, sizeof token);
}

void api_body_tokens_revoke(call_t *c)
{
    int64_t body_id = token_body(c, true);
    if (body_id == 0)
        return;
    int64_t id = call_param_id(c, "token_id");
    if (id == 0)
        return;
    audit_actor_t actor = call_actor(c);
    int rc = api_token_revoke(c->db, body_id, id, &actor);
    if (rc < 0)
        call_db_error(c, "API token revoke");
    else if (rc == 1)
        call_no_content(c);
    else {
        /* not revoked now: an unknown token (or another body's), or one revoked before */
        stmt_t *st = db_query(c->db, "SELECT revoked_at FROM api_tokens WHERE id = $1 AND body_id = $2", "II", id,
                              body_id);
        int step = st != NULL ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        if (step == STORE_ERROR)
            call_db_error(c, "API token lookup");
        else
            call_error(c, step == STORE_ROW ? "token_already_revoked" : "token_not_found", NULL);
    }
}

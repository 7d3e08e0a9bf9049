/* API tokens: lookup by hash, the once-a-minute use mark, creation and revocation, each
 * write with its audit entry (see api_tokens.h). */
#include "store/api_tokens.h"

#include "core/text.h"

int api_token_lookup(db_t *db, const char *token_hash, int64_t *id, int64_t *body_id, int64_t *last_used_at)
{
    stmt_t *st = db_query(db, "SELECT id, body_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at = 0",
                          "t", token_hash);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *id = stmt_int(st, 0);
        *body_id = stmt_int(st, 1);
        *last_used_at = stmt_int(st, 2);
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

bool api_token_touch(db_t *db, int64_t id, int64_t now)
{
    return db_run(db, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at <= $3", "III", now, id,
                  now - API_TOKEN_TOUCH_SECONDS) >= 0;
}

int64_t api_token_insert(db_t *db, int64_t body_id, const char *name, const char *prefix, const char *token_hash,
                         const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* creations count the body's tokens one at a time: SQLite's write transaction already
     * serialises them; PostgreSQL locks the body's row */
    if (store_kind(db_store(db)) == STORE_POSTGRES &&
        db_run(db, "SELECT id FROM bodies WHERE id = $1 FOR UPDATE", "I", body_id) < 0)
        goto failed;
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM api_tokens WHERE body_id = $1 AND revoked_at = 0", "I", body_id);
    if (st == NULL)
        goto failed;
    int64_t held = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    if (held < 0)
        goto failed;
    if (held >= API_TOKENS_PER_BODY_MAX) {
        db_rollback(db);
        return 0;
    }
    st = db_query(db,
                  "INSERT INTO api_tokens (body_id, name, prefix, token_hash, created_by, created_at) "
                  "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6) RETURNING id",
                  "ItttII", body_id, name, prefix, token_hash, audit_actor_user(actor), now_seconds());
    if (st == NULL)
        goto failed;
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        goto failed;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_int(&d, "body_id", NULL, &body_id);
    audit_diff_str(&d, "name", NULL, name);
    audit_diff_str(&d, "prefix", NULL, prefix);
    bool ok = audit_record_id(db, actor, "api_token.create", "api_token", id, "", "", audit_diff_after(&d));
    audit_diff_free(&d);
    if (!ok || db_commit(db) != STORE_DONE)
        goto failed;
    return id;
failed:
    db_rollback(db);
    return -1;
}

int api_token_revoke(db_t *db, int64_t body_id, int64_t id, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t changed = db_run(db, "UPDATE api_tokens SET revoked_at = $1, revoked_by = NULLIF($2, 0) "
                                 "WHERE id = $3 AND body_id = $4 AND revoked_at = 0",
                             "IIII", now_seconds(), audit_actor_user(actor), id, body_id);
    if (changed < 0)
        goto failed;
    if (changed == 0) {
        db_rollback(db);
        return 0;
    }
    if (!audit_record_id(db, actor, "api_token.revoke", "api_token", id, "", "{\"revoked\":false}",
                         "{\"revoked\":true}") ||
        db_commit(db) != STORE_DONE)
        goto failed;
    return 1;
failed:
    db_rollback(db);
    return -1;
}

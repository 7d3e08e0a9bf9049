/* API tokens (sql/013_api_tokens.sql, docs/api.md "API tokens"): a body's systems call the
 * certificate routes with `Authorization: Bearer gb_…`. Only the token's hash is stored (the
 * caller computes it: http/auth.h token_hash); the token itself is shown once, at creation. */
#ifndef GUANBIAO_API_TOKENS_H
#define GUANBIAO_API_TOKENS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

enum {
    API_TOKEN_NAME_MAX = 100,          /* characters of a token's name */
    API_TOKEN_PREFIX_CHARS = 10,       /* "gb_" and 7 characters, shown in lists */
    API_TOKEN_TOUCH_SECONDS = 60,      /* last_used_at is written at most this often */
    API_TOKENS_PER_BODY_MAX = 50,      /* valid tokens a body may hold at once */
};

/* The valid (not revoked) token with this hash: 1 found (*id, *body_id, *last_used_at set),
 * 0 none, -1 database error. */
int api_token_lookup(db_t *db, const char *token_hash, int64_t *id, int64_t *body_id, int64_t *last_used_at);
/* Records a use at now, when the last recorded one is API_TOKEN_TOUCH_SECONDS old or more
 * (a guarded UPDATE: concurrent uses write once). False on a database error. */
bool api_token_touch(db_t *db, int64_t id, int64_t now);
/* Stores a new token of body_id and records api_token.create, in one transaction: its id, 0
 * when the body already holds API_TOKENS_PER_BODY_MAX valid tokens, -1 on error. */
int64_t api_token_insert(db_t *db, int64_t body_id, const char *name, const char *prefix, const char *token_hash,
                         const audit_actor_t *actor);
/* Revokes token id of body_id and records api_token.revoke, in one transaction: 1 revoked,
 * 0 no such valid token of that body (unknown, another body's, or already revoked), -1 error. */
int api_token_revoke(db_t *db, int64_t body_id, int64_t id, const audit_actor_t *actor);

#endif

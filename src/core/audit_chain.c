/* The audit log's canonical encoding, hash and verifier (see audit_chain.h). */
#include "core/audit_chain.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const AUDIT_FIELDS[] = {"seq", "at", "actor_kind", "actor_id", "actor_login", "actor_role",
                                    "actor_org", "request_id", "address", "action", "entity", "entity_id",
                                    "region", "before", "after", NULL};

static bool put_field(buf_t *out, const char *s)
{
    if (s == NULL)
        s = "";
    size_t n = strlen(s);
    return buf_printf(out, "%zu:", n) && buf_append(out, s, n) && buf_append(out, ",", 1);
}

static bool put_int(buf_t *out, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    return put_field(out, text);
}

bool audit_encode(const audit_entry_t *e, buf_t *out)
{
    return put_int(out, e->seq) && put_int(out, e->at) && put_field(out, e->actor_kind) &&
           put_int(out, e->actor_id) && put_field(out, e->actor_login) && put_field(out, e->actor_role) &&
           put_field(out, e->actor_org) && put_field(out, e->request_id) && put_field(out, e->address) &&
           put_field(out, e->action) && put_field(out, e->entity) && put_field(out, e->entity_id) &&
           put_field(out, e->region) && put_field(out, e->before) && put_field(out, e->after);
}

bool audit_hash(const audit_entry_t *e, char out[AUDIT_HASH_HEX + 1])
{
    buf_t b;
    buf_init(&b, 1u << 24);
    const char *prev = e->prev_hash ? e->prev_hash : "";
    bool ok = buf_append(&b, prev, strlen(prev)) && audit_encode(e, &b);
    if (ok) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)b.data, b.len);
        sodium_bin2hex(out, AUDIT_HASH_HEX + 1, digest, sizeof digest);
    }
    buf_free(&b);
    return ok;
}

const char *audit_break_text(audit_break_t b)
{
    switch (b) {
    case AUDIT_OK: return "ok";
    case AUDIT_BAD_SEQUENCE: return "missing: the sequence jumps past it (deleted)";
    case AUDIT_BAD_LINK: return "prev_hash does not match the previous entry: entries deleted or reordered";
    case AUDIT_BAD_HASH: return "hash does not match its content: the entry was edited";
    }
    return "?";
}

void audit_verifier_init(audit_verifier_t *v)
{
    v->count = 0;
    v->next_seq = 1;
    memcpy(v->prev_hash, AUDIT_GENESIS, sizeof v->prev_hash);
}

audit_break_t audit_verify_next(audit_verifier_t *v, const audit_entry_t *e)
{
    if (e->seq != v->next_seq)
        return AUDIT_BAD_SEQUENCE;
    /* the link before the content: a moved entry still links to its old neighbour */
    if (e->prev_hash == NULL || strcmp(e->prev_hash, v->prev_hash) != 0)
        return AUDIT_BAD_LINK;
    char computed[AUDIT_HASH_HEX + 1];
    if (!audit_hash(e, computed) || e->hash == NULL || strcmp(computed, e->hash) != 0)
        return AUDIT_BAD_HASH;
    memcpy(v->prev_hash, e->hash, sizeof v->prev_hash);
    v->next_seq++;
    v->count++;
    return AUDIT_OK;
}

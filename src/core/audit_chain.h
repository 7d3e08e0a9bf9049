/* The audit log's hash chain, pure (no database): the canonical encoding of an entry, its hash
 * and a verifier that walks entries in order and names the first broken one. docs/audit.md
 * describes the encoding so that anyone can re-verify an export without this code.
 *
 *   encoding = for each field in AUDIT_FIELDS order: "<byte length>:<bytes>,"
 *              (integers as decimal text; an absent text is the empty string)
 *   hash     = lower-case hex of SHA-256(prev_hash || encoding), prev_hash being the previous
 *              entry's hash as 64 hex characters (AUDIT_GENESIS, 64 zeros, for entry 1). */
#ifndef GUANBIAO_AUDIT_CHAIN_H
#define GUANBIAO_AUDIT_CHAIN_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

enum { AUDIT_HASH_HEX = 64 };
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* One entry. Strings are the caller's; NULL reads as "". before and after are compact JSON
 * objects of the changed fields only ("" when there is no such side: a creation has no before). */
typedef struct audit_entry {
    int64_t seq;               /* 1, 2, 3, … without gaps */
    int64_t at;                /* Unix seconds */
    const char *actor_kind;    /* user, public, platform, seed, cli */
    int64_t actor_id;          /* the user's id, 0 for none */
    const char *actor_login, *actor_role, *actor_org;   /* org: "enterprise:ID", "body:ID", "region:CODE" or "" */
    const char *request_id, *address;
    const char *action;        /* e.g. certificate.status */
    const char *entity;        /* enterprise, body, certificate, user, session */
    const char *entity_id;     /* the record's key as text (a certificate's number, an id) */
    const char *region;        /* the record's GB/T 2260 region, "" when it has none */
    const char *before, *after;
    const char *prev_hash;     /* 64 hex characters */
    const char *hash;          /* as stored (only read by the verifier) */
} audit_entry_t;

/* The field names in encoding order, NULL-terminated: also the keys of an export line. */
extern const char *const AUDIT_FIELDS[];

/* Appends the canonical encoding of e (without prev_hash and hash) to out. False when out
 * refused the bytes. */
bool audit_encode(const audit_entry_t *e, buf_t *out);
/* The hash of e over e->prev_hash and its encoding, as 64 hex characters and a NUL. */
bool audit_hash(const audit_entry_t *e, char out[AUDIT_HASH_HEX + 1]);

/* Why an entry breaks the chain. */
typedef enum audit_break {
    AUDIT_OK = 0,
    AUDIT_BAD_SEQUENCE,   /* not the next number: an entry before it was deleted (or it was moved) */
    AUDIT_BAD_LINK,       /* its prev_hash is not the previous entry's hash: deleted or reordered */
    AUDIT_BAD_HASH,       /* its content does not give its hash: edited */
} audit_break_t;

const char *audit_break_text(audit_break_t b);   /* English, for the command line */

/* Walks a chain entry by entry, from seq 1. */
typedef struct audit_verifier {
    int64_t count;                       /* entries accepted so far */
    int64_t next_seq;
    char prev_hash[AUDIT_HASH_HEX + 1];
} audit_verifier_t;

void audit_verifier_init(audit_verifier_t *v);
/* Checks e as the next entry: AUDIT_OK (then it becomes the previous one) or why not. */
audit_break_t audit_verify_next(audit_verifier_t *v, const audit_entry_t *e);

#endif

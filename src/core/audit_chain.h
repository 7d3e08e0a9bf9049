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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* The field names in encoding order, NULL-terminated: also the keys of an export line (which
 * then has prev_hash and hash). */
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

/* ---- The export: one entry per line, as a compact JSON object ----
 *
 * {"seq":1,"at":…,"actor_kind":"…",…,"after":"…","prev_hash":"…","hash":"…"}: every key of
 * AUDIT_FIELDS, then prev_hash and hash; seq, at and actor_id are JSON integers, the rest
 * strings. Other keys are ignored (the hash does not cover them). The shape of prev_hash and
 * hash is not checked here: a wrong one is the verifier's AUDIT_BAD_LINK or AUDIT_BAD_HASH. */

/* The longest line read (bytes, newline included). before and after are at most 1 MiB each
 * (store/audit.c), at most twice that once escaped as JSON strings. */
enum { AUDIT_LINE_MAX = 8 << 20 };

typedef enum audit_line_status {
    AUDIT_LINE_ENTRY = 0,   /* an entry: line->entry is filled */
    AUDIT_LINE_BLANK,       /* "" or "\n" alone: readers skip it */
    AUDIT_LINE_TOO_LONG,    /* more than AUDIT_LINE_MAX bytes */
    AUDIT_LINE_NOT_UTF8,
    AUDIT_LINE_NOT_JSON,    /* also: a NUL byte, \u0000, a repeated key, anything after the object */
    AUDIT_LINE_NOT_OBJECT,
    AUDIT_LINE_MISSING,     /* a key is absent: line->field names it */
    AUDIT_LINE_WRONG_TYPE,  /* a value has the wrong JSON type: line->field names it */
} audit_line_status_t;

struct json_t;

/* One parsed line. Ownership: entry's strings point into json, which the line owns; they stay
 * valid until audit_line_free. They are NUL-free, valid UTF-8 and never NULL for an entry. */
typedef struct audit_line {
    audit_entry_t entry;
    const char *field;      /* for MISSING and WRONG_TYPE, the key (a static string); else NULL */
    struct json_t *json;    /* owned; NULL unless the status is AUDIT_LINE_ENTRY */
} audit_line_t;

/* Parses one line of an export: len bytes at text (no NUL needed; white space around the
 * object, such as the line's "\n", is allowed). Always fills *line (zeroed but for field on
 * anything but an entry), so that audit_line_free is always right after it. */
audit_line_status_t audit_line_parse(const char *text, size_t len, audit_line_t *line);
/* Releases what a parse kept; safe to call again, and on a zeroed line. */
void audit_line_free(audit_line_t *line);
/* English, for messages and logs: e.g. "not valid UTF-8". */
const char *audit_line_status_text(audit_line_status_t s);

/* The export line of e (NULL strings written as ""), without a newline: malloc'd, the caller
 * frees it; NULL when out of memory or a string is not valid UTF-8. audit_line_parse gives e
 * back. */
char *audit_line_format(const audit_entry_t *e);

/* Reads an export from f line by line (blank lines skipped) and calls each(entry, ctx) for
 * every entry in order, until each returns false (the entry's strings live for that call
 * only). Returns 0 when f ended or each stopped; the 1-based number of the first line that is
 * not an entry, with *why (may be NULL) saying how; -1 on a read error (errno set). */
long audit_export_read(FILE *f, bool (*each)(const audit_entry_t *e, void *ctx), void *ctx,
                       audit_line_status_t *why);

#endif

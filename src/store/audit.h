/* The tamper-evident audit log (docs/audit.md): who changed what, one entry per record written,
 * each entry chained to the one before by its hash (core/audit_chain.h).
 *
 * Every write path calls audit_record() once per record it writes, inside the transaction of
 * that write, so that the entry and the change commit or roll back together. The chain is one
 * line even with several nodes on PostgreSQL: audit_record takes the chain's head (the one row
 * of audit_head) with SELECT … FOR UPDATE, so that writers append one after the other; on SQLite
 * the write transaction (BEGIN IMMEDIATE) already serialises them, and the last entry is the
 * head (audit_head is not kept there: one page fewer to write per change). */
#ifndef GUANBIAO_AUDIT_H
#define GUANBIAO_AUDIT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/audit_chain.h"
#include "core/buf.h"
#include "core/jsonout.h"
#include "core/roles.h"
#include "store/store.h"

typedef enum actor_kind {
    ACTOR_PLATFORM = 0,   /* the system itself and its jobs (certificate expiry) */
    ACTOR_USER,           /* a signed-in user */
    ACTOR_PUBLIC,         /* an anonymous caller (self-registration, a failed sign-in) */
    ACTOR_SEED,           /* `guanbiao seed --demo` */
    ACTOR_CLI,            /* an operator at the command line (`guanbiao user …`, import) */
    ACTOR_TOKEN,          /* a body's API token (store/api_tokens.h): login "token:ID", body_id its body */
} actor_kind_t;

/* Who does a write. Strings are the caller's and must outlive the audit_record call. A NULL
 * actor pointer means the platform. */
typedef struct audit_actor {
    actor_kind_t kind;
    int64_t user_id;              /* 0 unless a user */
    const char *login;            /* the user's login; the CLI: the operating-system user */
    role_t role;
    int64_t enterprise_id, body_id;
    const char *region;           /* a regulator's region */
    const char *request_id;       /* the HTTP request (X-Request-Id), "" elsewhere */
    const char *address;          /* the client's address, "" elsewhere */
} audit_actor_t;

extern const audit_actor_t AUDIT_ACTOR_PLATFORM;
extern const audit_actor_t AUDIT_ACTOR_SEED;
/* The operator at the command line, named by the operating-system user ($USER or the uid). */
audit_actor_t audit_actor_cli(void);

/* The user an actor stands for in a record's own columns (uploaded_by, a history entry's
 * user_id): its id when a user, else 0 (none). */
int64_t audit_actor_user(const audit_actor_t *actor);
/* Appends one entry to the chain in the caller's transaction (opening its own, nested into the
 * caller's, when there is none). entity_id is the record's key as text; region its GB/T 2260
 * region ("" when it has none); before and after compact JSON objects of the changed fields
 * only, "" or NULL for no side (a creation has no before). False on a database error: the
 * caller's transaction is then rolled back, so the write it records does not happen. */
bool audit_record(db_t *db, const audit_actor_t *actor, const char *action, const char *entity,
                  const char *entity_id, const char *region, const char *before, const char *after);
/* audit_record with an integer key. */
bool audit_record_id(db_t *db, const audit_actor_t *actor, const char *action, const char *entity,
                     int64_t entity_id, const char *region, const char *before, const char *after);

/* For benchmarks only (bench/audit): GUANBIAO_BENCH_NO_AUDIT=1 at start makes audit_record write
 * nothing, to measure what the log costs. main() calls this once, before any thread starts. */
void audit_read_benchmark_switch(void);

/* The before/after pair of a write, field by field: only fields whose value changes are kept.
 *   audit_diff_t d; audit_diff_init(&d);
 *   audit_diff_str(&d, "name", stored.name, in.name);      (in.name NULL: not changed)
 *   audit_record(…, audit_diff_before(&d), audit_diff_after(&d)); audit_diff_free(&d); */
typedef struct audit_diff {
    buf_t before, after;
    jw_t wb, wa;
    int nbefore, nafter;
    bool closed;
} audit_diff_t;

void audit_diff_init(audit_diff_t *d);
/* was NULL: a new value with nothing before (a creation); now NULL: not changed. */
void audit_diff_str(audit_diff_t *d, const char *field, const char *was, const char *now);
void audit_diff_int(audit_diff_t *d, const char *field, const int64_t *was, const int64_t *now);
void audit_diff_bool(audit_diff_t *d, const char *field, const bool *was, const bool *now);
/* Has any field changed? */
bool audit_diff_any(const audit_diff_t *d);
/* The JSON objects ("" when that side has no field); valid until audit_diff_free. */
const char *audit_diff_before(audit_diff_t *d);
const char *audit_diff_after(audit_diff_t *d);
void audit_diff_free(audit_diff_t *d);

/* The stored columns of an entry, in audit_entry_t order (for audit_entry_read). */
#define AUDIT_COLUMNS                                                                                  \
    "a.seq, a.at, a.actor_kind, a.actor_id, a.actor_login, a.actor_role, a.actor_org, a.request_id, "  \
    "a.address, a.action, a.entity, a.entity_id, a.region, a.before_json, a.after_json, a.prev_hash, a.hash"
/* Reads a row selected with AUDIT_COLUMNS from column 0; its strings are the statement's (valid
 * until the next step). */
void audit_entry_read(stmt_t *st, audit_entry_t *e);

/* Calls fn on every entry in sequence order until it returns false. 1 when all were walked,
 * 0 when fn stopped, -1 on a database error. */
int audit_walk(db_t *db, bool (*fn)(const audit_entry_t *e, void *ctx), void *ctx);

#endif

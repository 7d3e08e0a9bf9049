/* Enterprises, certification bodies and certificates in the database: the writes shared by
 * the API, the importer and the demo seed, and the certificate lookups. Strings in the row
 * structs point into the arena passed to the reading functions (or are the caller's). */
#ifndef GUANBIAO_REGISTRY_H
#define GUANBIAO_REGISTRY_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/audit.h"
#include "store/query.h"
#include "store/store.h"

typedef struct enterprise {
    int64_t id;
    const char *name, *credit_code, *region, *industry, *size, *address;
    const char *contact_name, *contact_phone, *contact_email;
    const char *status, *review_note;   /* pending, approved, rejected */
    bool code_override;
    int64_t created_at, updated_at;
    int64_t renames;                    /* how often renamed: its former names, see former_names_read */
} enterprise_t;

typedef struct body {
    int64_t id;
    const char *name, *credit_code, *code, *approval_number, *cnas_number, *founded;
    const char *address, *contact_phone, *website;
    const char *regions;      /* province codes served, "440000,450000"; "" = nationwide */
    int64_t created_at, updated_at;
    int64_t renames;          /* how often renamed: its former names, see former_names_read */
    /* its own standing (sql/010_body_standing.sql): valid | suspended | withdrawn, since a date
     * ("" when never changed), until an announced date ("" = none) */
    const char *approval_status, *approval_since, *approval_until;
    const char *accreditation_status, *accreditation_since, *accreditation_until;
} body_t;

typedef struct certificate {
    int64_t id;
    const char *number;
    int64_t enterprise_id, body_id;
    const char *standard, *scope, *scope_areas, *scope_stages;   /* areas, stages: "a,b,c" */
    const char *issued, *expires, *status, *status_changed;
    /* joined, for reading */
    const char *holder_name, *holder_credit_code, *holder_address, *holder_region;
    const char *body_name, *body_approval_number, *body_code;
    int64_t holder_renames;
    const char *body_approval_status, *body_approval_since, *body_accreditation_status, *body_accreditation_since;
    /* the lifecycle (sql/012_surveillance.sql): cycle 0 initial, 1 first recertification…;
     * previous_id the certificate it renews (0: none); decision_date (NULL on insert: the issue
     * date); surveillance_due the next surveillance's latest date ("" none due; on insert the
     * caller computes it with domain/certificate.h cert_surveillance_due, NULL meaning "");
     * surveillances_done 0..2 in this cycle. Read only: previous_number and renewed_by, the
     * numbers of the certificate it renews and of the one renewing it ("" when none). */
    int64_t cycle, previous_id, surveillances_done;
    const char *decision_date, *surveillance_due;
    const char *previous_number, *renewed_by;
} certificate_t;

#define ENTERPRISE_COLUMNS                                                                           \
    "e.id, e.name, e.credit_code, e.region, e.industry, e.size, e.address, e.contact_name, "        \
    "e.contact_phone, e.contact_email, e.status, e.review_note, e.code_override, e.created_at, e.updated_at, e.renames"
#define BODY_COLUMNS                                                                                 \
    "b.id, b.name, b.credit_code, COALESCE(b.code, ''), b.approval_number, b.cnas_number, b.founded, " \
    "b.address, b.contact_phone, b.website, b.created_at, b.updated_at, b.regions, b.renames, "              \
    "b.approval_status, b.approval_since, b.approval_until, b.accreditation_status, b.accreditation_since, "  \
    "b.accreditation_until"
#define CERTIFICATE_COLUMNS                                                                          \
    "c.id, c.number, c.enterprise_id, c.body_id, c.standard, c.scope, c.scope_areas, c.scope_stages, " \
    "c.issued, c.expires, c.status, c.status_changed, e.name, e.credit_code, e.address, e.region, "   \
    "b.name, b.approval_number, COALESCE(b.code, ''), e.renames, b.approval_status, b.approval_since, "   \
    "b.accreditation_status, b.accreditation_since, c.cycle, c.previous_id, c.surveillances_done, "         \
    "c.decision_date, c.surveillance_due, "                                                           \
    "COALESCE((SELECT p.number FROM certificates p WHERE p.id = c.previous_id), ''), "               \
    "COALESCE((SELECT r.number FROM certificates r WHERE r.previous_id = c.id), '')"
/* How many columns CERTIFICATE_COLUMNS selects: a query adding its own reads them from here. */
enum { CERTIFICATE_NCOLUMNS = 31 };
#define CERTIFICATE_FROM " FROM certificates c JOIN enterprises e ON e.id = c.enterprise_id JOIN bodies b ON b.id = c.body_id"

/* Readers of one row selected with the matching *_COLUMNS, starting at column 0. */
void enterprise_read(stmt_t *st, arena_t *a, enterprise_t *e);
void body_read(stmt_t *st, arena_t *a, body_t *b);
void certificate_read(stmt_t *st, arena_t *a, certificate_t *c);

/* Every write below records itself in the audit log (store/audit.h) by actor (NULL: the
 * platform), in one transaction with the write, nested into the caller's when there is one;
 * docs/audit.md lists the actions. */

/* The new id; 0 when the credit code (or body code) is taken; -1 on error. An enterprise is
 * recorded as enterprise.create, enterprise.register (status pending: self-registration) or
 * enterprise.credit_code_override; a body as body.create. */
int64_t enterprise_insert(db_t *db, const enterprise_t *e, const audit_actor_t *actor);
int64_t body_insert(db_t *db, const body_t *b, const audit_actor_t *actor);

/* A name an enterprise or body had, until the time it was replaced (Unix seconds). */
typedef struct former_name {
    const char *name;
    int64_t until;
} former_name_t;

typedef struct former_names {
    former_name_t *items;     /* in the arena; newest first */
    int n;
} former_names_t;

/* Runs the UPDATE q ("UPDATE enterprises|bodies SET …", without WHERE) on row id of that table
 * (entity "enterprise" or "body") in one transaction. A rename (old_name not NULL) is guarded
 * by the name it replaces, which goes into the history with the actor, so that of two renames at
 * once one applies. 1 written, 0 unchanged (renamed meanwhile), -1 error (db_error_kind tells a
 * unique constraint). Frees q. Records "<entity>.update" with diff's before and after and the
 * record's region (the caller fills diff; it keeps ownership). */
int registry_update_named(db_t *db, query_t *q, const char *entity, int64_t id, const char *old_name,
                          const audit_actor_t *actor, const char *region, audit_diff_t *diff);
/* Records that entity ("enterprise" or "body") id was called `name` until now: call it in the
 * transaction of the rename, once the guarded UPDATE changed the name. */
bool former_name_add(db_t *db, const char *entity, int64_t id, const char *name, const audit_actor_t *actor);
/* The former names of entity id, newest first, given its row's count of renames (`renames`
 * of enterprise_t, body_t; certificate_t's holder_renames): none to read when 0, so that the
 * many rows never renamed cost no query. 0, or -1 on error. */
int former_names_read(db_t *db, arena_t *a, const char *entity, int64_t id, int64_t renames, former_names_t *out);

/* What certificate_insert returns when the issuing body's approval is not valid (suspended or
 * withdrawn, sql/010_body_standing.sql). */
enum { CERTIFICATE_BODY_NOT_IN_GOOD_STANDING = -2 };
/* Inserts the certificate and its first history entry, dated at the issue date (a
 * certificate entered after the fact keeps its real history). reason may be "" (the entry
 * then speaks through its statuses alone). The guard is in the write: it first takes the body's
 * row while its approval is valid (an UPDATE that changes nothing), so that a suspension
 * committed before refuses the issue and one racing it waits for the commit. The new
 * id; 0 when the number is taken; CERTIFICATE_BODY_NOT_IN_GOOD_STANDING; -1 on error. */
int64_t certificate_insert(db_t *db, const certificate_t *c, const audit_actor_t *actor, const char *reason);
/* Changes the status of certificate id from the stored status `from` to `to` and records it
 * in the history, at time `at` (0 = now). The guard is inside the UPDATE: it changes the row
 * only while the stored status is still `from` and, unless `to` is expired, while the
 * certificate has not expired by date (its expiry is not before the day of `at`); the history
 * entry and the audit entry (certificate.status; actor NULL: the platform, as for an expiry it
 * finds) are written only when it did. 1 changed, 0 unchanged (the status or the date moved on
 * meanwhile: the caller answers a conflict), -1 error. The caller checked that the transition
 * is allowed, and runs this in a transaction. */
int certificate_set_status(db_t *db, int64_t id, const char *from, const char *to, const char *reason,
                           const audit_actor_t *actor, int64_t at);
/* Writes the fields of `next` that differ from `stored` (holder, body, standard, scope,
 * scope_areas, scope_stages, issued, expires) to certificate stored->id. The guard is inside
 * the UPDATE: the certificate is still open (valid or suspended, its expiry not before today:
 * withdrawn and expired are final) and its status and expiry are still those of `stored`. An
 * expiry change is recorded in the history (kind expiry, by the actor; NULL = the platform); the
 * audit entry (certificate.update) holds every changed field.
 * 1 written, 0 unchanged (closed, or changed meanwhile), -1 error. Run it in a transaction. */
int certificate_update(db_t *db, const certificate_t *stored, const certificate_t *next, const audit_actor_t *actor);
/* ---- The lifecycle after the decision (sql/012_surveillance.sql, docs/registry.md) ---- */

/* One surveillance audit to record on a certificate: seq (1 or 2, the count of those done
 * before plus one), its date, outcome (maintained | suspended | withdrawn), reason ("" allowed
 * for maintained), the certificate's next due date after it ("" none), and when it is recorded
 * (Unix seconds; 0 = now: the demo seed records past audits at their time). */
typedef struct surveillance {
    int64_t certificate_id;
    int seq;
    const char *audit_date, *outcome, *reason, *next_due;
    int64_t at;
} surveillance_t;
/* Records the audit in the caller's transaction: the certificate's count and due date move on
 * (guarded inside the UPDATE: the certificate still has seq − 1 audits done and is valid or
 * suspended with its expiry not before the day of s->at), its row in certificate_surveillances (unique by
 * certificate and seq) and the audit entry certificate.surveillance. A status change that
 * follows from the outcome is the caller's (certificate_set_status, in the same transaction).
 * 1 recorded, 0 refused (recorded meanwhile, or the certificate closed), -1 error. */
int certificate_surveillance_record(db_t *db, const surveillance_t *s, const audit_actor_t *actor);

/* What certificate_renew returns when the old certificate was renewed, withdrawn or had its
 * expiry changed meanwhile. */
enum { CERTIFICATE_RENEWAL_REFUSED = -3 };
/* Issues `next` (previous_id = old->id, its cycle, decision date and due date filled by the
 * caller) as the renewal of `old`, in one transaction: the old certificate's row is locked
 * while it is not withdrawn and its expiry is still old->expires, then certificate_insert; the
 * unique index on previous_id refuses a second renewal. The new id; 0 when the new number is
 * taken; CERTIFICATE_RENEWAL_REFUSED; CERTIFICATE_BODY_NOT_IN_GOOD_STANDING; -1 on error.
 * Records certificate.create for the new one and certificate.renew for the old. */
int64_t certificate_renew(db_t *db, const certificate_t *old, const certificate_t *next, const audit_actor_t *actor);

/* 1 when the 3-digit body code belongs to a registered body other than body_id, 0 when not,
 * -1 on error. With domain/certificate.h's cert_number_body_code it makes the rule that a
 * number in the usual pattern carries its issuer's code (the API and the import). */
int body_code_of_another(db_t *db, const char *code, int64_t body_id);
/* 1 found, 0 not found, -1 error. */
int certificate_by_number(db_t *db, arena_t *a, const char *number, certificate_t *c);

/* 1 found, 0 not found, -1 error. */
int enterprise_by_id(db_t *db, arena_t *a, int64_t id, enterprise_t *e);
int enterprise_by_credit_code(db_t *db, arena_t *a, const char *code, enterprise_t *e);
int body_by_id(db_t *db, arena_t *a, int64_t id, body_t *b);
int body_by_code(db_t *db, arena_t *a, const char *code, body_t *b);      /* the 3-digit code */
int body_by_credit_code(db_t *db, arena_t *a, const char *credit_code, body_t *b);

/* ---- A body's own standing (sql/010_body_standing.sql) ---- */

/* One change of standing: which is "approval" or "accreditation"; status valid | suspended |
 * withdrawn; from (YYYY-MM-DD), until ("" = none), reason. */
typedef struct body_standing_change {
    const char *which, *status, *from, *until, *reason;
} body_standing_change_t;

/* Records the change on body id in one transaction: the body's columns, guarded in the UPDATE
 * (a withdrawn standing is final), the history entry, the audit entry body.standing (before and
 * after) and a notification to the body's accounts. 1 written, 0 refused (withdrawn, or no such
 * body), -1 error. */
int body_standing_set(db_t *db, int64_t id, const body_standing_change_t *ch, const audit_actor_t *actor);

/* A body's standing history, newest first (strings in the arena). */
typedef struct body_standing_event {
    const char *which, *from_status, *to_status, *from, *until, *reason;
    int64_t at;
} body_standing_event_t;
typedef struct body_standing_history {
    body_standing_event_t *items;
    int n;
} body_standing_history_t;
/* 0, or -1 on error. */
int body_standing_history(db_t *db, arena_t *a, int64_t id, body_standing_history_t *out);

#endif

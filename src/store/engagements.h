/* Engagements (issue 8, docs/marketplace.md): an enterprise's request to a body under the current
 * version of one of its commitments, the body's answer with its conflict-of-interest declaration,
 * the dates of stage 1 and stage 2, and the decision, which for "certified" issues the certificate
 * (store/registry.h: certificate_insert) in the same transaction. Also the consulting ties that
 * make an enterprise and a body unfit for each other.
 *
 * Every write below runs in its own transaction (nested into the caller's when there is one),
 * checks its rule inside the write (an UPDATE guarded by the status it leaves, a UNIQUE), records
 * itself in the audit log (entity "engagement" or "consulting_tie"). The API opens a transaction
 * around each, so that its notification (report/notices.h: notice_engagement, above this
 * layer) commits with the write. A refusal rolls the whole transaction back (store.h:
 * db_rollback). Strings of the row structs are in the arena given. */
#ifndef GUANBIAO_ENGAGEMENTS_H
#define GUANBIAO_ENGAGEMENTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/audit.h"
#include "store/registry.h"
#include "store/store.h"

typedef struct engagement {
    int64_t id, enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days;
    const char *status, *stage, *request_note, *application_date, *decline_reason;
    int64_t requested_at, responded_at;            /* responded_at 0: not yet */
    const char *coi_statement, *coi_declared_by;   /* the declarer's name ("" none) */
    int64_t coi_declared_at;                       /* 0: no declaration */
    const char *decision, *decision_date;          /* "" until decided */
    int64_t lead_days;                             /* -1 until decided */
    int within_commitment;                         /* -1 until decided, else 0 / 1 */
    int64_t certificate_id;                        /* 0: none */
    /* joined */
    const char *enterprise_name, *enterprise_region, *enterprise_size, *body_name, *body_code;
    const char *commitment_title, *commitment_edition, *commitment_areas, *commitment_stages;
    const char *certificate_number;                /* "" when none */
} engagement_t;

#define ENGAGEMENT_COLUMNS                                                                                  \
    "g.id, g.enterprise_id, g.body_id, g.commitment_id, g.commitment_version, g.committed_lead_days, "     \
    "g.status, g.stage, g.request_note, g.application_date, g.decline_reason, g.requested_at, "            \
    "COALESCE(g.responded_at, 0), g.coi_statement, COALESCE(du.name, ''), COALESCE(g.coi_declared_at, 0), " \
    "g.decision, g.decision_date, COALESCE(g.lead_days, -1), COALESCE(g.within_commitment, -1), "          \
    "COALESCE(g.certificate_id, 0), e.name, e.region, e.size, b.name, COALESCE(b.code, ''), v.title, "     \
    "v.edition, v.areas, v.stages, COALESCE(c.number, '')"
#define ENGAGEMENT_FROM                                                                                     \
    " FROM engagements g JOIN enterprises e ON e.id = g.enterprise_id JOIN bodies b ON b.id = g.body_id "  \
    "JOIN commitment_versions v ON v.commitment_id = g.commitment_id AND v.version = g.commitment_version " \
    "LEFT JOIN users du ON du.id = g.coi_declared_by LEFT JOIN certificates c ON c.id = g.certificate_id"

/* Reads a row selected with ENGAGEMENT_COLUMNS from column 0. */
void engagement_read(stmt_t *st, arena_t *a, engagement_t *g);
/* 1 found, 0 not found, -1 error. */
int engagement_by_id(db_t *db, arena_t *a, int64_t id, engagement_t *g);

/* Outcomes of the writes below besides 1 (done) and -1 (database error). */
enum {
    ENGAGEMENT_UNCHANGED = 0,              /* the guard found the row in another status or stage */
    ENGAGEMENT_NO_COMMITMENT = -10,        /* no such commitment */
    ENGAGEMENT_COMMITMENT_WITHDRAWN = -11,
    ENGAGEMENT_CONFLICT_OF_INTEREST = -12, /* a consulting tie between the two */
    ENGAGEMENT_OPEN_EXISTS = -13,          /* the enterprise has a requested or active one with the body */
    ENGAGEMENT_NOT_APPROVED = -14,         /* the enterprise is not approved */
    ENGAGEMENT_TIE_RECORDED = -15,         /* consulted: the tie was recorded, the request refused */
    ENGAGEMENT_CERTIFICATE_EXISTS = -20,   /* the decision's certificate number is taken */
};

/* A request: the enterprise asks the body of commitment_id, under its current version (whose
 * lead time is copied), on application_date (today). consulted: the enterprise declares that
 * the body consulted for it; the tie is then recorded (source enterprise) and the request
 * refused with ENGAGEMENT_TIE_RECORDED: the caller commits its transaction all the same. On
 * PostgreSQL the enterprise's row is locked first, so that two requests of one enterprise at
 * once are decided one after the other (one open engagement per enterprise and body). The new
 * id (> 0) or an outcome above; *body_id gets the commitment's body when it was found. */
typedef struct engagement_request {
    int64_t enterprise_id, commitment_id;
    const char *note, *application_date;
    bool consulted;
} engagement_request_t;
int64_t engagement_request_insert(db_t *db, const engagement_request_t *r, const audit_actor_t *actor, int64_t *body_id);

/* The body's answer to a requested engagement: accept (statement: the declaration's text) or
 * decline (reason). Guarded: only while requested, and an acceptance only while no consulting
 * tie exists between the two (ENGAGEMENT_CONFLICT_OF_INTEREST). The enterprise's cancel: only
 * while requested. 1, ENGAGEMENT_UNCHANGED, or -1. */
int engagement_accept(db_t *db, int64_t id, const char *statement, const audit_actor_t *actor);
int engagement_decline(db_t *db, int64_t id, const char *reason, const audit_actor_t *actor);
int engagement_cancel(db_t *db, int64_t id, const audit_actor_t *actor);

/* Records stage ("stage1" or "stage2") on `date`: guarded by the engagement being active at
 * the stage before (application, stage1). The caller checked the date against the dates
 * before. 1, ENGAGEMENT_UNCHANGED, or -1. */
int engagement_stage_record(db_t *db, int64_t id, const char *stage, const char *date, const char *note,
                            const audit_actor_t *actor);

/* The decision on `date` after stage 2: sets status decided, lead_days (date − application
 * date) and within_commitment, guarded by the engagement being active at stage2, so that of
 * decisions sent together one applies. For "certified", cert (number, standard, scope, dates,
 * enterprise and body filled by the caller) is issued in the same transaction and linked both
 * ways. 1; ENGAGEMENT_UNCHANGED; ENGAGEMENT_CERTIFICATE_EXISTS;
 * CERTIFICATE_BODY_NOT_IN_GOOD_STANDING; or -1. */
int engagement_decide(db_t *db, const engagement_t *g, const char *decision, const char *date,
                      const certificate_t *cert, const audit_actor_t *actor);

/* The certificate's lifecycle after the decision, as stages of the engagement it was issued
 * from (if any): "surveillance1" or "surveillance2" when a surveillance audit is recorded,
 * "recertification" when it is renewed; `date` the audit's or the renewal's decision date.
 * In the caller's transaction; a stage already recorded stays as it was. 1 done (or no
 * engagement), -1 error. */
int engagement_follow_certificate(db_t *db, int64_t certificate_id, const char *stage, const char *date,
                                  int64_t user_id, int64_t at);

/* A consulting tie found (source "regulator" or "body"), with a note, in its own transaction.
 * 1 recorded (*id its id), 0 already recorded from that source, -1 error. */
int consulting_tie_insert(db_t *db, int64_t enterprise_id, int64_t body_id, const char *source, const char *note,
                          const audit_actor_t *actor, int64_t *id);
/* 1 when a tie (from any source) exists between the two, 0 not, -1 error. */
int consulting_tie_exists(db_t *db, int64_t enterprise_id, int64_t body_id);

/* Whole calendar days from date `from` to date `to` (YYYY-MM-DD). */
int64_t days_between(const char *from, const char *to);

#endif

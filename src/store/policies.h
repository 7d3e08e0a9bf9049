/* The registry of local policies and their review (issue 12, docs/policies.md "Registry and
 * review"; sql/024_policies.sql): the writes, each in the CALLER's transaction (db_begin …
 * db_finish around it, so that an API route may add its notice to the same transaction), each
 * with its audit entry (entity "policy"). The checker's findings come in as its contract JSON
 * ({"findings":[{"rule","severity","start","end","excerpt",…}]}): the store keeps them, it does
 * not check (domain/policy_check.h is above this layer). Guards are in the WHERE clauses. */
#ifndef GUANBIAO_STORE_POLICIES_H
#define GUANBIAO_STORE_POLICIES_H
#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

/* A policy's metadata; in a change, NULL members stay as they are (dates: "" clears one). */
typedef struct policy_meta {
    const char *title, *office, *region, *document_number;
    const char *issued_on, *effective_from, *effective_until;   /* YYYY-MM-DD, or NULL/"" for none */
} policy_meta_t;

/* The text of a revision and where it came from. */
typedef struct policy_text {
    const char *text;              /* UTF-8, valid */
    const char *source_format;     /* "text", "html", "docx" or "pdf" */
    int64_t file_id;               /* policy_files.id, 0 when pasted */
    int64_t ruleset_version;       /* the rules that checked it */
    const json_t *findings;        /* the checker's answer for it */
} policy_text_t;

/* Registers a policy with its first revision and findings (audit policy.register). The new
 * policy's id, or -1 on error. */
int64_t policy_insert(db_t *db, const audit_actor_t *actor, const policy_meta_t *m, const policy_text_t *t, int64_t now);

/* Adds the next revision (numbers are taken by incrementing policies.current_revision, so
 * concurrent revisions get distinct numbers) with its findings (audit policy.revise); a policy
 * compliant or amended becomes unreviewed (its text changed after the judgement), to_amend
 * stays. The new revision's number, 0 when there is no such policy, -1 on error. */
int64_t policy_revise(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region,
                      const policy_text_t *t, int64_t now);

/* Changes the metadata given (audit policy.update, the changed fields only). 1 done (or nothing
 * to change), 0 no such policy, -1 error. */
int policy_update(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region, const policy_meta_t *m,
                  int64_t now);

/* Why a decision on a finding was refused. */
typedef enum policy_decide_result {
    POLICY_DECIDE_ERROR = -1,
    POLICY_DECIDE_DONE = 1,
    POLICY_DECIDE_NOT_FOUND = 0,     /* no such finding of that policy */
    POLICY_DECIDE_STALE = 2,         /* the finding is of an earlier revision */
    POLICY_DECIDE_DECIDED = 3,       /* decided already */
} policy_decide_result_t;

/* Confirms or dismisses a pending finding of the policy's current revision, with the reason
 * (audit policy.finding_decide); the guard (pending, current revision) is in the UPDATE. */
policy_decide_result_t policy_finding_decide(db_t *db, const audit_actor_t *actor, int64_t policy_id,
                                             const char *region, int64_t finding_id, const char *decision,
                                             const char *reason, int64_t now);

/* Sets the review's outcome when the findings allow it, guarded in the UPDATE (audit
 * policy.status):
 *   compliant  from unreviewed, no pending and no confirmed finding in the current revision;
 *   to_amend   from unreviewed, a confirmed finding in the current revision (it becomes
 *              to_amend_revision);
 *   amended    from to_amend, the current revision later than to_amend_revision and without
 *              pending or confirmed findings.
 * 1 set, 0 refused (the state does not allow it, or no such policy), -1 error. */
int policy_status_set(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region,
                      const char *status, const char *note, int64_t now);

/* Keeps an uploaded policy document: its bytes in the file service (file_contents, once by
 * SHA-256) and a policy_files row (audit policy_file.upload). The new id, or -1. */
int64_t policy_file_insert(db_t *db, const audit_actor_t *actor, const char *name, const char *type,
                           const char *source_format, const void *data, size_t len, int64_t now);

/* ---- Re-checking with a new rule set (the job policy_recheck, api/policies.c) ---- */

#define POLICY_RECHECK_JOB_KIND "policy_recheck"

/* Replaces the findings of revision_id (policy_id's current revision, still unreviewed and
 * checked by a version older than `version`: the guard, in the UPDATE) with the new rule set's,
 * a new finding with the same rule and span as an old one keeping its decision and reason
 * (audit policy.recheck by the platform). In the caller's transaction. 1 done, 0 skipped (the
 * policy moved on meanwhile), -1 error. */
int policy_recheck_revision(db_t *db, int64_t policy_id, const char *region, int64_t revision_id,
                            int64_t version, const json_t *findings);

/* Queues the job that re-checks every unreviewed policy's current revision with the current
 * rule set: for the write that saves a new rule set version (PUT /api/policy-rules), in its
 * transaction. An hourly schedule runs it too. False on error. */
bool policy_recheck_enqueue(db_t *db, int64_t now);

#endif

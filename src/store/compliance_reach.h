/* A body's reach over an enterprise's compliance records (issue 9; docs/compliance.md "Who reads
 * what"), in one place. Everyone else is reached by domain/scope.h's rules (an enterprise its
 * own records, a regulator its region, admins all). A body reaches:
 *   - the audits it runs: scope.h's body column (audits.body_id), nothing here;
 *   - an enterprise's nonconformities while it has an active or decided engagement with the
 *     enterprise (it audits the corrective actions), and those its own audits raised;
 *   - an enterprise's self-assessments and the files linked to them as evidence only while a
 *     grant of the enterprise to it stands (evidence_grants: the enterprise's choice);
 *   - an enterprise's yearly indicators while engaged with it (body_engaged), and its
 *     effectiveness result also when it issued the certificate the result counts from
 *     (docs/effectiveness.md).
 * Each function answers 1 yes, 0 no, -1 database error. */
#ifndef GUANBIAO_COMPLIANCE_REACH_H
#define GUANBIAO_COMPLIANCE_REACH_H
#include <stdint.h>

#include "store/store.h"

/* The body has an active or decided engagement with the enterprise. */
int body_engaged(db_t *db, int64_t body_id, int64_t enterprise_id);
/* The body reaches a nonconformity of the enterprise raised by audit raised_by (0 none). */
int body_reaches_nonconformity(db_t *db, int64_t body_id, int64_t enterprise_id, int64_t raised_by);
/* The same rule as a predicate over a query of "nonconformities n": both "$?" are the body's id
 * (store/query.h: query_and_int binds each). */
#define BODY_REACHES_NONCONFORMITY_SQL                                                                        \
    "(EXISTS (SELECT 1 FROM engagements g WHERE g.enterprise_id = n.enterprise_id AND g.body_id = $? AND "  \
    "g.status IN ('active', 'decided')) OR EXISTS (SELECT 1 FROM audits a WHERE a.id = n.raised_by_audit_id " \
    "AND a.body_id = $?))"
/* A grant of the enterprise to the body stands (not revoked). */
int evidence_grant_standing(db_t *db, int64_t enterprise_id, int64_t body_id);

#endif

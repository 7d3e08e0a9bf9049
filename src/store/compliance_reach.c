/* A body's reach over an enterprise's compliance records (see compliance_reach.h). */
#include "store/compliance_reach.h"

/* 1 when st (bound) yields a row, 0 when none, -1 on error; st is finished. */
static int any_row(stmt_t *st)
{
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int body_engaged(db_t *db, int64_t body_id, int64_t enterprise_id)
{
    return any_row(db_query(db,
                            "SELECT 1 FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND status IN "
                            "('active', 'decided') LIMIT 1",
                            "II", enterprise_id, body_id));
}

int body_reaches_nonconformity(db_t *db, int64_t body_id, int64_t enterprise_id, int64_t raised_by)
{
    int engaged = body_engaged(db, body_id, enterprise_id);
    if (engaged != 0 || raised_by == 0)
        return engaged;
    return any_row(db_query(db, "SELECT 1 FROM audits WHERE id = $1 AND body_id = $2", "II", raised_by, body_id));
}

int evidence_grant_standing(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    return any_row(db_query(db,
                            "SELECT 1 FROM evidence_grants WHERE enterprise_id = $1 AND body_id = $2 AND revoked_at IS "
                            "NULL LIMIT 1",
                            "II", enterprise_id, body_id));
}

/* The audit report's data and the audit read check (see audit_report.h). */
#include "store/audit_report.h"

#include <string.h>

#include "store/effectiveness.h"
#include "store/query.h"

int audit_readable(db_t *db, const reach_t *reach, int64_t id)
{
    static const scope_columns_t cols = {.enterprise = "a.enterprise_id", .body = "a.body_id", .region = "e.region"};
    query_t q;
    query_init(&q, "SELECT a.id FROM audits a JOIN enterprises e ON e.id = a.enterprise_id WHERE TRUE");
    query_and_int(&q, "a.id = $?", id);
    query_scope(&q, reach, &cols);
    stmt_t *st = query_run(db, &q);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    query_free(&q);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

static const char *dup(arena_t *a, stmt_t *st, int col)
{
    return arena_strdup(a, stmt_text(st, col));
}

/* Runs st (already bound) and appends each row through read into a growing array of size
 * elem; the count, or -1. */
typedef void (*row_fn)(stmt_t *st, arena_t *a, void *item);
static int rows(stmt_t *st, arena_t *a, size_t elem, row_fn read, void **items)
{
    if (st == NULL)
        return -1;
    int n = 0, cap = 0, rc;
    char *list = NULL;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char *grown = arena_alloc(a, elem * (size_t)cap);
            if (n > 0)
                memcpy(grown, list, elem * (size_t)n);
            list = grown;
        }
        read(st, a, list + elem * (size_t)n);
        n++;
    }
    stmt_done(st);
    *items = list;
    return rc == STORE_DONE ? n : -1;
}

static void read_finding(stmt_t *st, arena_t *a, void *item)
{
    audit_report_finding_t *f = item;
    f->clause_number = dup(a, st, 0);
    f->clause_title = dup(a, st, 1);
    f->finding = dup(a, st, 2);
    f->notes = dup(a, st, 3);
    f->evidence = dup(a, st, 4);
}

static void read_nc(stmt_t *st, arena_t *a, void *item)
{
    audit_report_nc_t *n = item;
    n->id = stmt_int(st, 0);
    n->clause_number = dup(a, st, 1);
    n->clause_title = dup(a, st, 2);
    n->grade = dup(a, st, 3);
    n->description = dup(a, st, 4);
    n->corrective_action = dup(a, st, 5);
    n->status = dup(a, st, 6);
    n->closed_here = stmt_int(st, 7) != 0;
}

int audit_report_load(db_t *db, arena_t *a, int64_t id, audit_report_t *r)
{
    memset(r, 0, sizeof *r);
    stmt_t *st = db_query(db,
        "SELECT a.id, a.kind, a.title, a.scope, a.start_date, a.end_date, a.auditors, a.lead_auditor, a.status, "
        "a.revision, a.previous_id, a.effectiveness_examined, a.effectiveness_findings, a.conclusion, u.name, "
        "a.signed_off_at, e.name, e.credit_code, e.address, a.body_id, b.name, b.approval_number, c.number, "
        "k.edition, k.version, p.revision "
        "FROM audits a JOIN enterprises e ON e.id = a.enterprise_id "
        "JOIN clause_catalogues k ON k.id = a.catalogue_id "
        "LEFT JOIN bodies b ON b.id = a.body_id "
        "LEFT JOIN certificates c ON c.id = a.certificate_id "
        "LEFT JOIN audits p ON p.id = a.previous_id "
        "LEFT JOIN users u ON u.id = a.signed_off_by WHERE a.id = $1", "I", id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        r->id = stmt_int(st, 0);
        r->kind = dup(a, st, 1);
        r->title = dup(a, st, 2);
        r->scope = dup(a, st, 3);
        r->start_date = dup(a, st, 4);
        r->end_date = dup(a, st, 5);
        r->auditors = dup(a, st, 6);
        r->lead_auditor = dup(a, st, 7);
        r->status = dup(a, st, 8);
        r->revision = stmt_int(st, 9);
        r->previous_id = stmt_is_null(st, 10) ? 0 : stmt_int(st, 10);
        r->effectiveness_examined = dup(a, st, 11);
        r->effectiveness_findings = dup(a, st, 12);
        r->conclusion = dup(a, st, 13);
        r->signed_off_by = dup(a, st, 14);
        r->signed_off_at = stmt_is_null(st, 15) ? 0 : stmt_int(st, 15);
        r->enterprise_name = dup(a, st, 16);
        r->enterprise_credit_code = dup(a, st, 17);
        r->enterprise_address = dup(a, st, 18);
        r->body_id = stmt_is_null(st, 19) ? 0 : stmt_int(st, 19);
        r->body_name = dup(a, st, 20);
        r->body_approval_number = dup(a, st, 21);
        r->certificate_number = dup(a, st, 22);
        r->edition = dup(a, st, 23);
        r->catalogue_version = stmt_int(st, 24);
        r->previous_revision = stmt_is_null(st, 25) ? 0 : stmt_int(st, 25);
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;

    /* clause titles from the audit's own catalogue version; the catalogue's order, unknown numbers last */
    void *items = NULL;
    int n = rows(db_query(db,
                          "SELECT f.clause_number, COALESCE(k.title, ''), f.finding, f.notes, f.evidence "
                          "FROM audit_findings f JOIN audits a ON a.id = f.audit_id "
                          "LEFT JOIN clauses k ON k.catalogue_id = a.catalogue_id AND k.number = f.clause_number "
                          "WHERE f.audit_id = $1 ORDER BY COALESCE(k.position, 1000000000), f.clause_number, f.id",
                          "I", id),
                 a, sizeof(audit_report_finding_t), read_finding, &items);
    if (n < 0)
        return -1;
    r->findings = items;
    r->nfindings = n;
    n = rows(db_query(db,
                      "SELECT n.id, n.clause_number, COALESCE(k.title, ''), n.grade, n.description, "
                      "n.corrective_action, n.status, CASE WHEN n.raised_by_audit_id = $1 THEN 0 ELSE 1 END "
                      "FROM nonconformities n "
                      "LEFT JOIN clauses k ON k.catalogue_id = n.catalogue_id AND k.number = n.clause_number "
                      "WHERE n.raised_by_audit_id = $1 OR n.closed_by_audit_id = $1 ORDER BY n.id",
                      "I", id),
             a, sizeof(audit_report_nc_t), read_nc, &items);
    if (n < 0)
        return -1;
    r->ncs = items;
    r->nncs = n;

    /* the enterprise's effectiveness result as of printing (issue 10) */
    int64_t enterprise_id = 0;
    st = db_query(db, "SELECT enterprise_id FROM audits WHERE id = $1", "I", id);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        enterprise_id = stmt_int(st, 0);
    stmt_done(st);
    effectiveness_result_t e;
    int found = enterprise_id > 0 ? effectiveness_result_load(db, a, enterprise_id, &e) : -1;
    if (found < 0)
        return -1;
    r->has_effectiveness = found == 1;
    if (found == 1) {
        r->effectiveness_index = e.index;
        r->effectiveness_verdict = e.verdict;
        r->effectiveness_grade = e.grade;
        r->effectiveness_method = e.method;
        r->effectiveness_computed_at = e.computed_at;
    }
    return 1;
}

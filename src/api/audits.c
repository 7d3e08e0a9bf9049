/* Audits and management reviews (issue 9, docs/compliance.md "Audits"): an enterprise's internal
 * audits and a body's external audits (stage1, stage2, surveillance, recertification) under an
 * engagement of its own that is active or decided. The plan samples clauses of an edition's
 * current catalogue (one audit_findings row each); the owner records a finding per clause and
 * the effectiveness-check section, then signs off. A signed-off audit never changes (every write
 * is guarded by `status <> 'signed_off'` inside it: 409 audit_signed_off); a correction is a new
 * revision (previous_id, UNIQUE: of two racing corrections one wins). Management reviews are an
 * enterprise's own records. Reads are scoped (domain/scope.h); every write is audited (entities
 * "audit", "management_review"); a body's sign-off notifies the enterprise (type "audit"). */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "store/audit.h"
#include "store/clauses.h"

enum { PLAN_TEXT_MAX = 4000, PLAN_LINE_MAX = 200, PLAN_CLAUSES_MAX = 300 };

#define AUDIT_COLUMNS_SQL                                                                                        \
    "a.id, a.enterprise_id, en.name, COALESCE(a.body_id, 0), COALESCE(b.name, ''), COALESCE(a.engagement_id, 0), " \
    "COALESCE(a.certificate_id, 0), a.kind, a.catalogue_id, cc.edition, a.title, a.scope, a.start_date, "        \
    "a.end_date, a.auditors, a.lead_auditor, a.status, a.revision, COALESCE(a.previous_id, 0), "                  \
    "COALESCE((SELECT n.id FROM audits n WHERE n.previous_id = a.id), 0), a.effectiveness_examined, "              \
    "a.effectiveness_findings, a.conclusion, COALESCE(a.signed_off_at, 0), a.created_at, a.updated_at, en.region"
#define AUDIT_FROM                                                                                        \
    "audits a JOIN enterprises en ON en.id = a.enterprise_id LEFT JOIN bodies b ON b.id = a.body_id JOIN " \
    "clause_catalogues cc ON cc.id = a.catalogue_id"

typedef struct audit_row {
    int64_t id, enterprise_id, body_id, engagement_id, certificate_id, catalogue_id, revision, previous_id, next_id,
        signed_off_at, created_at, updated_at;
    const char *enterprise_name, *body_name, *kind, *edition, *title, *scope, *start_date, *end_date, *auditors,
        *lead_auditor, *status, *examined, *shown, *conclusion, *region;
} audit_row_t;

static const char *col(arena_t *a, stmt_t *st, int i)
{
    return arena_strdup(a, stmt_text(st, i));
}

static void audit_read(stmt_t *st, arena_t *a, audit_row_t *r)
{
    r->id = stmt_int(st, 0);
    r->enterprise_id = stmt_int(st, 1);
    r->enterprise_name = col(a, st, 2);
    r->body_id = stmt_int(st, 3);
    r->body_name = col(a, st, 4);
    r->engagement_id = stmt_int(st, 5);
    r->certificate_id = stmt_int(st, 6);
    r->kind = col(a, st, 7);
    r->catalogue_id = stmt_int(st, 8);
    r->edition = col(a, st, 9);
    r->title = col(a, st, 10);
    r->scope = col(a, st, 11);
    r->start_date = col(a, st, 12);
    r->end_date = col(a, st, 13);
    r->auditors = col(a, st, 14);
    r->lead_auditor = col(a, st, 15);
    r->status = col(a, st, 16);
    r->revision = stmt_int(st, 17);
    r->previous_id = stmt_int(st, 18);
    r->next_id = stmt_int(st, 19);
    r->examined = col(a, st, 20);
    r->shown = col(a, st, 21);
    r->conclusion = col(a, st, 22);
    r->signed_off_at = stmt_int(st, 23);
    r->created_at = stmt_int(st, 24);
    r->updated_at = stmt_int(st, 25);
    r->region = col(a, st, 26);
}

/* The audit (schema Audit) without its closing brace when open_end (the detail adds findings). */
static void audit_write(jw_t *w, const audit_row_t *r, bool open_end)
{
    char created[21], updated[21], signed_off[21];
    time_iso(r->created_at, created);
    time_iso(r->updated_at, updated);
    jw_object(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "kind", r->kind);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", r->enterprise_id);
    jw_kstr(w, "name", r->enterprise_name);
    jw_end(w);
    jw_key(w, "body");
    if (r->body_id == 0) {
        jw_null(w);
    } else {
        jw_object(w);
        jw_kint(w, "id", r->body_id);
        jw_kstr(w, "name", r->body_name);
        jw_end(w);
    }
    jw_kid(w, "engagement_id", r->engagement_id);
    jw_kid(w, "certificate_id", r->certificate_id);
    jw_kint(w, "catalogue_id", r->catalogue_id);
    jw_kstr(w, "edition", r->edition);
    jw_kstr(w, "title", r->title);
    jw_kstr(w, "scope", r->scope);
    jw_kstr(w, "start_date", r->start_date);
    jw_kstr(w, "end_date", r->end_date);
    jw_kstr(w, "auditors", r->auditors);
    jw_kstr(w, "lead_auditor", r->lead_auditor);
    jw_kstr(w, "status", r->status);
    jw_kint(w, "revision", r->revision);
    jw_kid(w, "previous_id", r->previous_id);
    jw_kid(w, "next_id", r->next_id);
    jw_kstr(w, "effectiveness_examined", r->examined);
    jw_kstr(w, "effectiveness_findings", r->shown);
    jw_kstr(w, "conclusion", r->conclusion);
    if (r->signed_off_at == 0) {
        jw_key(w, "signed_off_at");
        jw_null(w);
    } else {
        time_iso(r->signed_off_at, signed_off);
        jw_kstr(w, "signed_off_at", signed_off);
    }
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (!open_end)
        jw_end(w);
}

static void audit_list_row(call_t *c, stmt_t *st, jw_t *w)
{
    audit_row_t r;
    audit_read(st, &c->arena, &r);
    audit_write(w, &r, false);
}

static int audit_get(call_t *c, int64_t id, audit_row_t *r)
{
    stmt_t *st = db_query(c->db, "SELECT " AUDIT_COLUMNS_SQL " FROM " AUDIT_FROM " WHERE a.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        audit_read(st, &c->arena, r);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* A body reaches the audits it runs; the enterprise, the regulators of its region and admins
 * reach every audit about it (scope_allows with the audit's body). */
static bool audit_load_in_scope(call_t *c, audit_row_t *r)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = audit_get(c, id, r);
    if (rc < 0)
        call_db_error(c, "audit lookup");
    else if (rc == 0 || !scope_allows(&c->user, r->enterprise_id, r->body_id, r->region))
        call_error(c, "audit_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* Who may change an audit: an internal one's enterprise, an external one's body. */
static bool audit_owner(const call_t *c, const audit_row_t *r)
{
    if (strcmp(r->kind, "internal") == 0)
        return c->user.role == ROLE_ENTERPRISE && c->user.enterprise_id == r->enterprise_id;
    return c->user.role == ROLE_BODY && c->user.body_id == r->body_id;
}

/* The audit in reach and owned by the caller, else answered (404 / 403). */
static bool audit_load_owned(call_t *c, audit_row_t *r)
{
    if (!audit_load_in_scope(c, r))
        return false;
    if (!audit_owner(c, r)) {
        call_error(c, "audit_not_owner", NULL);
        return false;
    }
    return true;
}

/* Answers audit id with its findings (clause titles of its catalogue), in catalogue order. */
static void answer_audit(call_t *c, int status, int64_t id)
{
    audit_row_t r;
    if (audit_get(c, id, &r) != 1) {
        call_db_error(c, "audit re-read");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT f.clause_number, COALESCE(k.title, ''), COALESCE(k.title_en, ''), f.finding, "
                          "f.notes, f.evidence FROM audit_findings f LEFT JOIN clauses k ON k.catalogue_id = $2 AND "
                          "k.number = f.clause_number WHERE f.audit_id = $1 ORDER BY COALESCE(k.position, 0), f.id",
                          "II", id, r.catalogue_id);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, status);
        audit_write(w, &r, true);
        jw_key(w, "findings");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            jw_object(w);
            jw_kstr(w, "clause", stmt_text(st, 0));
            jw_kstr(w, "title", stmt_text(st, 1));
            jw_kstr(w, "title_en", stmt_text(st, 2));
            jw_kstr(w, "finding", stmt_text(st, 3));
            jw_kstr(w, "notes", stmt_text(st, 4));
            jw_kstr(w, "evidence", stmt_text(st, 5));
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "audit findings");
}

static bool kind_external(const char *k)
{
    return strcmp(k, "stage1") == 0 || strcmp(k, "stage2") == 0 || strcmp(k, "surveillance") == 0 ||
           strcmp(k, "recertification") == 0;
}

static bool kind_valid(const char *k)
{
    return strcmp(k, "internal") == 0 || kind_external(k);
}

/* The plan's text fields, shared by create and PATCH (NULL: not sent). */
typedef struct audit_plan {
    const char *title, *scope, *start_date, *end_date, *auditors, *lead_auditor;
} audit_plan_t;

static void read_plan(call_t *c, audit_plan_t *p, unsigned required)
{
    body_string(c, "title", required, 1, PLAN_LINE_MAX, &p->title);
    body_string(c, "scope", 0, 0, PLAN_TEXT_MAX, &p->scope);
    body_string(c, "start_date", required, 10, 10, &p->start_date);
    body_string(c, "end_date", required, 10, 10, &p->end_date);
    body_string(c, "auditors", 0, 0, PLAN_TEXT_MAX, &p->auditors);
    body_string(c, "lead_auditor", 0, 0, PLAN_LINE_MAX, &p->lead_auditor);
    if (p->start_date != NULL && !date_valid(p->start_date))
        call_invalid(c, "start_date", "应为 YYYY-MM-DD 日期", "a YYYY-MM-DD date");
    if (p->end_date != NULL && !date_valid(p->end_date))
        call_invalid(c, "end_date", "应为 YYYY-MM-DD 日期", "a YYYY-MM-DD date");
}

static bool edition_valid(const char *e)
{
    return strcmp(e, "2013") == 0 || strcmp(e, "2023") == 0;
}

void api_audits_create(call_t *c)
{
    static const char *const fields[] = {"kind",     "engagement_id", "edition",      "clauses", "title", "scope",
                                         "start_date", "end_date",    "auditors", "lead_auditor", NULL};
    const char *kind = NULL, *edition = NULL;
    int64_t engagement_id = 0;
    const char **clauses = NULL;
    int nclauses = 0;
    audit_plan_t p = {0};
    body_only(c, fields);
    body_string(c, "kind", FIELD_REQUIRED, 1, 20, &kind);
    body_string(c, "edition", FIELD_REQUIRED, 4, 4, &edition);
    body_int(c, "engagement_id", FIELD_NULLABLE, 1, INT64_MAX, &engagement_id);
    body_string_list(c, "clauses", FIELD_REQUIRED, PLAN_CLAUSES_MAX, NULL, &clauses, &nclauses);
    read_plan(c, &p, FIELD_REQUIRED);
    if (kind != NULL && !kind_valid(kind))
        call_invalid(c, "kind", "应为 internal、stage1、stage2、surveillance 或 recertification",
                     "internal, stage1, stage2, surveillance or recertification");
    else if (kind != NULL && c->user.role == ROLE_ENTERPRISE && strcmp(kind, "internal") != 0)
        call_invalid(c, "kind", "企业只能创建内部审核(internal)", "an enterprise creates internal audits only");
    else if (kind != NULL && c->user.role == ROLE_BODY && !kind_external(kind))
        call_invalid(c, "kind", "认证机构的审核应为 stage1、stage2、surveillance 或 recertification",
                     "a body's audit is stage1, stage2, surveillance or recertification");
    if (edition != NULL && !edition_valid(edition))
        call_invalid(c, "edition", "应为 2013 或 2023", "2013 or 2023");
    if (c->user.role == ROLE_BODY && engagement_id == 0 && !call_answered(c))
        call_error(c, "missing_field", "engagement_id", "engagement_id");
    if (clauses != NULL && nclauses == 0)
        call_error(c, "missing_field", "clauses", "clauses");
    if (p.start_date != NULL && p.end_date != NULL && strcmp(p.end_date, p.start_date) < 0)
        call_invalid(c, "end_date", "结束日期不能早于开始日期", "the end date may not be before the start date");
    if (call_answered(c))
        return;
    /* who it is about: the enterprise itself, or the engagement's enterprise */
    int64_t enterprise_id = c->user.enterprise_id, body_id = 0, certificate_id = 0;
    const char *region = "";
    stmt_t *st;
    int rc;
    if (c->user.role == ROLE_BODY) {
        st = db_query(c->db,
                      "SELECT g.enterprise_id, g.body_id, g.status, COALESCE(g.certificate_id, 0), en.region FROM "
                      "engagements g JOIN enterprises en ON en.id = g.enterprise_id WHERE g.id = $1",
                      "I", engagement_id);
        rc = st ? stmt_step(st) : STORE_ERROR;
        bool open = false;
        if (rc == STORE_ROW) {
            enterprise_id = stmt_int(st, 0);
            body_id = stmt_int(st, 1);
            open = strcmp(stmt_text(st, 2), "decided") == 0 || strcmp(stmt_text(st, 2), "active") == 0;
            certificate_id = stmt_int(st, 3);
            region = col(&c->arena, st, 4);
        }
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "engagement lookup");
            return;
        }
        if (rc != STORE_ROW || body_id != c->user.body_id || !open) {
            call_error(c, "audit_engagement_required", "engagement_id");
            return;
        }
    } else {
        engagement_id = 0;
        st = db_query(c->db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
        rc = st ? stmt_step(st) : STORE_ERROR;
        if (rc == STORE_ROW)
            region = col(&c->arena, st, 0);
        stmt_done(st);
        if (rc != STORE_ROW) {
            call_db_error(c, "enterprise lookup");
            return;
        }
    }
    int64_t catalogue_id = 0, version = 0;
    if (clause_catalogue_current(c->db, edition, &catalogue_id, &version) != 1) {
        call_db_error(c, "clause catalogue");
        return;
    }
    /* every sampled number exists in that catalogue */
    for (int i = 0; i < nclauses; i++) {
        st = db_query(c->db, "SELECT 1 FROM clauses WHERE catalogue_id = $1 AND number = $2", "It", catalogue_id,
                      clauses[i]);
        rc = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "clause lookup");
            return;
        }
        if (rc != STORE_ROW) {
            call_error(c, "audit_unknown_clause", "clauses", clauses[i], edition);
            return;
        }
    }

    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        st = db_query(c->db,
                      "INSERT INTO audits (enterprise_id, body_id, engagement_id, certificate_id, kind, catalogue_id, "
                      "title, scope, start_date, end_date, auditors, lead_auditor, created_by, created_at, "
                      "updated_at) VALUES ($1, NULLIF($2, 0), NULLIF($3, 0), NULLIF($4, 0), $5, $6, $7, $8, $9, $10, "
                      "$11, $12, NULLIF($13, 0), $14, $15) RETURNING id",
                      "IIIItIttttttIII", enterprise_id, body_id, engagement_id, certificate_id, kind, catalogue_id,
                      p.title, p.scope ? p.scope : "", p.start_date, p.end_date, p.auditors ? p.auditors : "",
                      p.lead_auditor ? p.lead_auditor : "", audit_actor_user(&actor), now, now);
        id = st ? stmt_insert_id(st) : -1;
        for (int i = 0; id > 0 && i < nclauses; i++)
            if (db_run(c->db, "INSERT INTO audit_findings (audit_id, clause_number) VALUES ($1, $2)", "It", id,
                       clauses[i]) != 1)
                id = -1;
        if (id > 0) {
            audit_diff_t d;
            audit_diff_init(&d);
            audit_diff_str(&d, "kind", NULL, kind);
            audit_diff_str(&d, "title", NULL, p.title);
            audit_diff_str(&d, "edition", NULL, edition);
            audit_diff_str(&d, "start_date", NULL, p.start_date);
            audit_diff_str(&d, "end_date", NULL, p.end_date);
            if (engagement_id > 0)
                audit_diff_int(&d, "engagement_id", NULL, &engagement_id);
            if (!audit_record_id(c->db, &actor, "audit.create", "audit", id, region, NULL, audit_diff_after(&d)))
                id = -1;
            audit_diff_free(&d);
        }
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "audit insert"))
        return;
    answer_audit(c, 201, id);
}

void api_audits_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "a.enterprise_id", .body = "a.body_id", .region = "en.region"};
    int page, per_page;
    int64_t enterprise_id = 0, engagement_id = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise_id) ||
        !call_query_int(c, "engagement_id", 1, INT64_MAX, &engagement_id))
        return;
    const char *kind = call_query(c, "kind"), *status = call_query(c, "status");
    if (call_answered(c))
        return;
    if (kind != NULL && *kind != '\0' && !kind_valid(kind) && strcmp(kind, "external") != 0) {
        call_error(c, "invalid_query", "kind", "kind");
        return;
    }
    if (status != NULL && *status != '\0' && strcmp(status, "planned") != 0 && strcmp(status, "in_progress") != 0 &&
        strcmp(status, "signed_off") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " AUDIT_FROM " WHERE TRUE");
    query_init(&list, "SELECT " AUDIT_COLUMNS_SQL " FROM " AUDIT_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (kind != NULL && strcmp(kind, "external") == 0)
            query_sql(both[i], " AND a.kind <> 'internal'");
        else if (kind != NULL && *kind != '\0')
            query_and_text(both[i], "a.kind = $?", kind);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "a.status = $?", status);
        if (enterprise_id > 0)
            query_and_int(both[i], "a.enterprise_id = $?", enterprise_id);
        if (engagement_id > 0)
            query_and_int(both[i], "a.engagement_id = $?", engagement_id);
    }
    query_sql(&list, " ORDER BY a.start_date DESC, a.id DESC");
    answer_list(c, &count, &list, page, per_page, audit_list_row, "audit list");
}

void api_audits_show(call_t *c)
{
    audit_row_t r;
    if (audit_load_in_scope(c, &r))
        answer_audit(c, 200, r.id);
}

/* Marks the audit changed (planned → in_progress) unless it is signed off: the guard of every
 * change, taken first in the write's transaction. 1 changed, 0 signed off, -1 error. */
static int audit_touch(call_t *c, int64_t id, int64_t now)
{
    return (int)db_run(c->db,
                       "UPDATE audits SET status = CASE WHEN status = 'planned' THEN 'in_progress' ELSE status END, "
                       "updated_at = $2 WHERE id = $1 AND status <> 'signed_off'",
                       "II", id, now);
}

/* Ends a guarded write: 0 rows → 409 audit_signed_off (rolled back). */
static bool audit_write_done(call_t *c, int rc, const char *what)
{
    if (rc == 0) {
        db_finish(c->db, -1);
        call_error(c, "audit_signed_off", NULL);
        return false;
    }
    return call_write_done(c, db_finish(c->db, rc), what);
}

static bool finding_valid(const char *f)
{
    return strcmp(f, "conforming") == 0 || strcmp(f, "minor") == 0 || strcmp(f, "major") == 0 ||
           strcmp(f, "not_applicable") == 0 || strcmp(f, "observation") == 0;
}

void api_audits_finding(call_t *c)
{
    static const char *const fields[] = {"finding", "notes", "evidence", NULL};
    audit_row_t r;
    if (!audit_load_owned(c, &r))
        return;
    const char *clause = call_param(c, "clause");
    const char *finding = NULL, *notes = NULL, *evidence = NULL;
    body_only(c, fields);
    body_string(c, "finding", FIELD_REQUIRED, 1, 20, &finding);
    body_string(c, "notes", 0, 0, PLAN_TEXT_MAX, &notes);
    body_string(c, "evidence", 0, 0, PLAN_TEXT_MAX, &evidence);
    if (finding != NULL && !finding_valid(finding))
        call_invalid(c, "finding", "应为 conforming、minor、major、not_applicable 或 observation",
                     "conforming, minor, major, not_applicable or observation");
    if (call_answered(c))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT finding, notes, evidence FROM audit_findings WHERE audit_id = $1 AND "
                          "clause_number = $2",
                          "It", r.id, clause ? clause : "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    const char *was_finding = "", *was_notes = "", *was_evidence = "";
    if (rc == STORE_ROW) {
        was_finding = col(&c->arena, st, 0);
        was_notes = col(&c->arena, st, 1);
        was_evidence = col(&c->arena, st, 2);
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "finding lookup");
        return;
    }
    if (rc != STORE_ROW) {
        call_error(c, "audit_clause_not_sampled", NULL, clause ? clause : "");
        return;
    }
    if (strcmp(r.status, "signed_off") == 0) {
        call_error(c, "audit_signed_off", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = audit_touch(c, r.id, now);
        if (rc == 1 &&
            db_run(c->db,
                   "UPDATE audit_findings SET finding = $3, notes = COALESCE($4, notes), evidence = COALESCE($5, "
                   "evidence) WHERE audit_id = $1 AND clause_number = $2",
                   "Itttt", r.id, clause, finding, notes, evidence) != 1)
            rc = -1;
        if (rc == 1) {
            audit_diff_t d;
            audit_diff_init(&d);
            audit_diff_str(&d, "clause", NULL, clause);
            audit_diff_str(&d, "finding", was_finding, finding);
            audit_diff_str(&d, "notes", was_notes, notes);
            audit_diff_str(&d, "evidence", was_evidence, evidence);
            if (!audit_record_id(c->db, &actor, "audit.finding", "audit", r.id, r.region, audit_diff_before(&d),
                                 audit_diff_after(&d)))
                rc = -1;
            audit_diff_free(&d);
        }
    }
    if (!audit_write_done(c, rc, "audit finding"))
        return;
    answer_audit(c, 200, r.id);
}

void api_audits_update(call_t *c)
{
    static const char *const fields[] = {"title",    "scope",        "start_date",           "end_date",
                                         "auditors", "lead_auditor", "effectiveness_examined", "effectiveness_findings",
                                         "conclusion", NULL};
    audit_row_t r;
    if (!audit_load_owned(c, &r))
        return;
    audit_plan_t p = {0};
    const char *examined = NULL, *shown = NULL, *conclusion = NULL;
    body_only(c, fields);
    read_plan(c, &p, 0);
    body_string(c, "effectiveness_examined", 0, 0, PLAN_TEXT_MAX, &examined);
    body_string(c, "effectiveness_findings", 0, 0, PLAN_TEXT_MAX, &shown);
    body_string(c, "conclusion", 0, 0, PLAN_TEXT_MAX, &conclusion);
    const char *start = p.start_date ? p.start_date : r.start_date, *end = p.end_date ? p.end_date : r.end_date;
    if (!call_answered(c) && strcmp(end, start) < 0)
        call_invalid(c, "end_date", "结束日期不能早于开始日期", "the end date may not be before the start date");
    if (call_answered(c))
        return;
    if (strcmp(r.status, "signed_off") == 0) {
        call_error(c, "audit_signed_off", NULL);
        return;
    }
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "title", r.title, p.title);
    audit_diff_str(&d, "scope", r.scope, p.scope);
    audit_diff_str(&d, "start_date", r.start_date, p.start_date);
    audit_diff_str(&d, "end_date", r.end_date, p.end_date);
    audit_diff_str(&d, "auditors", r.auditors, p.auditors);
    audit_diff_str(&d, "lead_auditor", r.lead_auditor, p.lead_auditor);
    audit_diff_str(&d, "effectiveness_examined", r.examined, examined);
    audit_diff_str(&d, "effectiveness_findings", r.shown, shown);
    audit_diff_str(&d, "conclusion", r.conclusion, conclusion);
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = audit_touch(c, r.id, now);
        if (rc == 1 &&
            db_run(c->db,
                   "UPDATE audits SET title = COALESCE($2, title), scope = COALESCE($3, scope), start_date = "
                   "COALESCE($4, start_date), end_date = COALESCE($5, end_date), auditors = COALESCE($6, auditors), "
                   "lead_auditor = COALESCE($7, lead_auditor), effectiveness_examined = COALESCE($8, "
                   "effectiveness_examined), effectiveness_findings = COALESCE($9, effectiveness_findings), "
                   "conclusion = COALESCE($10, conclusion) WHERE id = $1",
                   "Ittttttttt", r.id, p.title, p.scope, p.start_date, p.end_date, p.auditors, p.lead_auditor,
                   examined, shown, conclusion) != 1)
            rc = -1;
        if (rc == 1 && audit_diff_any(&d) &&
            !audit_record_id(c->db, &actor, "audit.update", "audit", r.id, r.region, audit_diff_before(&d),
                             audit_diff_after(&d)))
            rc = -1;
    }
    audit_diff_free(&d);
    if (!audit_write_done(c, rc, "audit update"))
        return;
    answer_audit(c, 200, r.id);
}

void api_audits_sign_off(call_t *c)
{
    audit_row_t r;
    if (!audit_load_owned(c, &r))
        return;
    if (strcmp(r.status, "signed_off") == 0) {
        call_error(c, "audit_signed_off", NULL);
        return;
    }
    /* what is missing, every field named */
    stmt_t *st = db_query(c->db,
                          "SELECT clause_number FROM audit_findings WHERE audit_id = $1 AND finding = '' ORDER BY id",
                          "I", r.id);
    int rc = STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
        call_error(c, "audit_finding_missing", arena_printf(&c->arena, "findings.%s", stmt_text(st, 0)),
                   stmt_text(st, 0));
    stmt_done(st);
    if (rc != STORE_DONE) {
        call_db_error(c, "audit findings");
        return;
    }
    if (*r.examined == '\0')
        call_error(c, "audit_effectiveness_missing", "effectiveness_examined");
    if (*r.shown == '\0')
        call_error(c, "audit_effectiveness_missing", "effectiveness_findings");
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        /* the guard: not signed off yet, and still complete */
        rc = (int)db_run(c->db,
                         "UPDATE audits SET status = 'signed_off', signed_off_by = NULLIF($2, 0), signed_off_at = $3, "
                         "updated_at = $3 WHERE id = $1 AND status <> 'signed_off' AND effectiveness_examined <> '' "
                         "AND effectiveness_findings <> '' AND NOT EXISTS (SELECT 1 FROM audit_findings f WHERE "
                         "f.audit_id = $1 AND f.finding = '')",
                         "III", r.id, audit_actor_user(&actor), now);
        if (rc == 1 && !audit_record_id(c->db, &actor, "audit.sign_off", "audit", r.id, r.region,
                                        arena_printf(&c->arena, "{\"status\":\"%s\"}", r.status),
                                        "{\"status\":\"signed_off\"}"))
            rc = -1;
        if (rc == 1 && r.body_id != 0 && notice_audit_signed_off(c->db, r.id) < 0)
            rc = -1;
    }
    if (!audit_write_done(c, rc, "audit sign-off"))
        return;
    answer_audit(c, 200, r.id);
}

void api_audits_revise(call_t *c)
{
    audit_row_t r;
    if (!audit_load_owned(c, &r))
        return;
    if (strcmp(r.status, "signed_off") != 0) {
        call_error(c, "audit_not_signed_off", NULL);
        return;
    }
    if (r.next_id != 0) {
        call_error(c, "audit_revised", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    bool taken = false;
    if (db_begin(c->db) == STORE_DONE) {
        /* UNIQUE (previous_id): of two racing corrections, the second inserts nothing */
        stmt_t *st = db_query(c->db,
                              "INSERT INTO audits (enterprise_id, body_id, engagement_id, certificate_id, kind, "
                              "catalogue_id, title, scope, start_date, end_date, auditors, lead_auditor, status, "
                              "revision, previous_id, effectiveness_examined, effectiveness_findings, "
                              "effectiveness_report_id, conclusion, created_by, created_at, updated_at) SELECT "
                              "enterprise_id, body_id, engagement_id, certificate_id, kind, catalogue_id, title, "
                              "scope, start_date, end_date, auditors, lead_auditor, 'in_progress', revision + 1, id, "
                              "effectiveness_examined, effectiveness_findings, effectiveness_report_id, conclusion, "
                              "NULLIF($2, 0), $3, $3 FROM audits WHERE id = $1 AND status = 'signed_off' "
                              "ON CONFLICT (previous_id) DO NOTHING RETURNING id",
                              "III", r.id, audit_actor_user(&actor), now);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        if (rc == STORE_ROW)
            id = stmt_int(st, 0);
        else if (rc == STORE_DONE)
            taken = true;
        stmt_done(st);
        if (id > 0 &&
            db_run(c->db,
                   "INSERT INTO audit_findings (audit_id, clause_number, finding, notes, evidence) SELECT $1, "
                   "clause_number, finding, notes, evidence FROM audit_findings WHERE audit_id = $2 ORDER BY id",
                   "II", id, r.id) < 0)
            id = -1;
        if (id > 0) {
            int64_t revision = r.revision + 1;
            audit_diff_t d;
            audit_diff_init(&d);
            audit_diff_int(&d, "previous_id", NULL, &r.id);
            audit_diff_int(&d, "revision", NULL, &revision);
            if (!audit_record_id(c->db, &actor, "audit.revise", "audit", id, r.region, NULL, audit_diff_after(&d)))
                id = -1;
            audit_diff_free(&d);
        }
    }
    if (taken) {
        db_finish(c->db, -1);
        call_error(c, "audit_revised", NULL);
        return;
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "audit revision"))
        return;
    answer_audit(c, 201, id);
}

/* ---- management reviews ---- */

#define REVIEW_COLUMNS                                                                                          \
    "m.id, m.enterprise_id, en.name, m.date, m.participants, m.inputs, m.decisions, m.actions, m.created_at, " \
    "m.updated_at, en.region"
#define REVIEW_FROM "management_reviews m JOIN enterprises en ON en.id = m.enterprise_id"

typedef struct review_row {
    int64_t id, enterprise_id, created_at, updated_at;
    const char *enterprise_name, *date, *participants, *inputs, *decisions, *actions, *region;
} review_row_t;

static void review_read(stmt_t *st, arena_t *a, review_row_t *m)
{
    m->id = stmt_int(st, 0);
    m->enterprise_id = stmt_int(st, 1);
    m->enterprise_name = col(a, st, 2);
    m->date = col(a, st, 3);
    m->participants = col(a, st, 4);
    m->inputs = col(a, st, 5);
    m->decisions = col(a, st, 6);
    m->actions = col(a, st, 7);
    m->created_at = stmt_int(st, 8);
    m->updated_at = stmt_int(st, 9);
    m->region = col(a, st, 10);
}

static void review_write(jw_t *w, const review_row_t *m)
{
    char created[21], updated[21];
    time_iso(m->created_at, created);
    time_iso(m->updated_at, updated);
    jw_object(w);
    jw_kint(w, "id", m->id);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", m->enterprise_id);
    jw_kstr(w, "name", m->enterprise_name);
    jw_end(w);
    jw_kstr(w, "date", m->date);
    jw_kstr(w, "participants", m->participants);
    jw_kstr(w, "inputs", m->inputs);
    jw_kstr(w, "decisions", m->decisions);
    jw_kstr(w, "actions", m->actions);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    jw_end(w);
}

static void review_list_row(call_t *c, stmt_t *st, jw_t *w)
{
    review_row_t m;
    review_read(st, &c->arena, &m);
    review_write(w, &m);
}

static int review_get(call_t *c, int64_t id, review_row_t *m)
{
    stmt_t *st = db_query(c->db, "SELECT " REVIEW_COLUMNS " FROM " REVIEW_FROM " WHERE m.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        review_read(st, &c->arena, m);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

static void answer_review(call_t *c, int status, int64_t id)
{
    review_row_t m;
    if (review_get(c, id, &m) != 1) {
        call_db_error(c, "management review re-read");
        return;
    }
    review_write(call_json_begin(c, status), &m);
}

/* The fields of a review (NULL: not sent). */
typedef struct review_input {
    const char *date, *participants, *inputs, *decisions, *actions;
} review_input_t;

static void read_review(call_t *c, review_input_t *in, unsigned required)
{
    static const char *const fields[] = {"date", "participants", "inputs", "decisions", "actions", NULL};
    body_only(c, fields);
    body_string(c, "date", required, 10, 10, &in->date);
    body_string(c, "participants", 0, 0, PLAN_TEXT_MAX, &in->participants);
    body_string(c, "inputs", 0, 0, PLAN_TEXT_MAX, &in->inputs);
    body_string(c, "decisions", 0, 0, PLAN_TEXT_MAX, &in->decisions);
    body_string(c, "actions", 0, 0, PLAN_TEXT_MAX, &in->actions);
    if (in->date != NULL && !date_valid(in->date))
        call_invalid(c, "date", "应为 YYYY-MM-DD 日期", "a YYYY-MM-DD date");
}

void api_management_reviews_create(call_t *c)
{
    review_input_t in = {0};
    read_review(c, &in, FIELD_REQUIRED);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO management_reviews (enterprise_id, date, participants, inputs, decisions, "
                              "actions, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                              "NULLIF($7, 0), $8, $8) RETURNING id",
                              "ItttttII", c->user.enterprise_id, in.date, in.participants ? in.participants : "",
                              in.inputs ? in.inputs : "", in.decisions ? in.decisions : "",
                              in.actions ? in.actions : "", audit_actor_user(&actor), now);
        id = st ? stmt_insert_id(st) : -1;
        if (id > 0) {
            review_row_t m;
            audit_diff_t d;
            audit_diff_init(&d);
            audit_diff_str(&d, "date", NULL, in.date);
            audit_diff_str(&d, "decisions", NULL, in.decisions);
            if (review_get(c, id, &m) != 1 ||
                !audit_record_id(c->db, &actor, "management_review.create", "management_review", id, m.region, NULL,
                                 audit_diff_after(&d)))
                id = -1;
            audit_diff_free(&d);
        }
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "management review insert"))
        return;
    answer_review(c, 201, id);
}

void api_management_reviews_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "m.enterprise_id", .region = "en.region"};
    int page, per_page;
    int64_t enterprise_id = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise_id))
        return;
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " REVIEW_FROM " WHERE TRUE");
    query_init(&list, "SELECT " REVIEW_COLUMNS " FROM " REVIEW_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (enterprise_id > 0)
            query_and_int(both[i], "m.enterprise_id = $?", enterprise_id);
    }
    query_sql(&list, " ORDER BY m.date DESC, m.id DESC");
    answer_list(c, &count, &list, page, per_page, review_list_row, "management review list");
}

static bool review_load_in_scope(call_t *c, review_row_t *m)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = review_get(c, id, m);
    if (rc < 0)
        call_db_error(c, "management review lookup");
    else if (rc == 0 || !scope_allows(&c->user, m->enterprise_id, 0, m->region))
        call_error(c, "management_review_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

void api_management_reviews_show(call_t *c)
{
    review_row_t m;
    if (review_load_in_scope(c, &m))
        answer_review(c, 200, m.id);
}

void api_management_reviews_update(call_t *c)
{
    review_row_t m;
    if (!review_load_in_scope(c, &m))
        return;
    if (c->user.enterprise_id != m.enterprise_id) {
        call_error(c, "forbidden", NULL);
        return;
    }
    review_input_t in = {0};
    read_review(c, &in, 0);
    if (call_answered(c))
        return;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "date", m.date, in.date);
    audit_diff_str(&d, "participants", m.participants, in.participants);
    audit_diff_str(&d, "inputs", m.inputs, in.inputs);
    audit_diff_str(&d, "decisions", m.decisions, in.decisions);
    audit_diff_str(&d, "actions", m.actions, in.actions);
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE management_reviews SET date = COALESCE($2, date), participants = COALESCE($3, "
                         "participants), inputs = COALESCE($4, inputs), decisions = COALESCE($5, decisions), actions "
                         "= COALESCE($6, actions), updated_at = $7 WHERE id = $1",
                         "ItttttI", m.id, in.date, in.participants, in.inputs, in.decisions, in.actions,
                         now_seconds());
        if (rc == 1 && audit_diff_any(&d) &&
            !audit_record_id(c->db, &actor, "management_review.update", "management_review", m.id, m.region,
                             audit_diff_before(&d), audit_diff_after(&d)))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    audit_diff_free(&d);
    if (!call_write_done(c, rc, "management review update"))
        return;
    answer_review(c, 200, m.id);
}

/* The nonconformity register (issue 9, docs/compliance.md "Nonconformities"): an enterprise
 * records its own nonconformities, a body's staff raise them from the body's audit of an
 * enterprise it has an engagement with (active or decided); each has a clause of a catalogue
 * version (the raising audit's, else the edition's current one), a grade, an owner and a due
 * date. Steps: open → action_planned (root cause and corrective action written) → implemented
 * (the enterprise) → effective | not_effective (the verifier: the enterprise, or the body with
 * its audit; a note required; the audit closes it when effective); not_effective → reopened →
 * action_planned. Each step is guarded by the status it leaves inside the write (409
 * nonconformity_transition), kept in nonconformity_events and audited (entity
 * "nonconformity"). Overdue: a due date passed and not effective (the flag in every answer; the
 * daily job nonconformity_overdue tells the enterprise, report/notices.h). Reach: scope.h's
 * rules, and a body's as store/compliance_reach.h says. */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "store/audit.h"
#include "store/clauses.h"
#include "store/compliance_reach.h"

enum { NC_TEXT_MAX = 4000, NC_OWNER_MAX = 100 };

#define NC_COLUMNS                                                                                           \
    "n.id, n.enterprise_id, e.name, e.region, n.raised_by_audit_id, n.closed_by_audit_id, cc.edition, "     \
    "cc.version, n.clause_number, COALESCE(cl.title, ''), n.grade, n.description, n.evidence, n.root_cause, " \
    "n.correction, n.corrective_action, n.owner, n.due_date, n.status, n.verification, n.created_at, "       \
    "n.updated_at, COALESCE(cl.title_en, '')"
#define NC_FROM                                                                                            \
    "nonconformities n JOIN enterprises e ON e.id = n.enterprise_id JOIN clause_catalogues cc ON cc.id = " \
    "n.catalogue_id LEFT JOIN clauses cl ON cl.catalogue_id = n.catalogue_id AND cl.number = n.clause_number"
typedef struct nc_row {
    int64_t id, enterprise_id, raised_by, closed_by, version, created_at, updated_at;
    const char *enterprise_name, *region, *edition, *clause, *clause_title, *clause_title_en, *grade, *description,
        *evidence, *root_cause, *correction, *corrective_action, *owner, *due_date, *status, *verification;
} nc_row_t;

static void nc_read(stmt_t *st, arena_t *a, nc_row_t *n)
{
    n->id = stmt_int(st, 0);
    n->enterprise_id = stmt_int(st, 1);
    n->enterprise_name = arena_strdup(a, stmt_text(st, 2));
    n->region = arena_strdup(a, stmt_text(st, 3));
    n->raised_by = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4);
    n->closed_by = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
    n->edition = arena_strdup(a, stmt_text(st, 6));
    n->version = stmt_int(st, 7);
    n->clause = arena_strdup(a, stmt_text(st, 8));
    n->clause_title = arena_strdup(a, stmt_text(st, 9));
    n->grade = arena_strdup(a, stmt_text(st, 10));
    n->description = arena_strdup(a, stmt_text(st, 11));
    n->evidence = arena_strdup(a, stmt_text(st, 12));
    n->root_cause = arena_strdup(a, stmt_text(st, 13));
    n->correction = arena_strdup(a, stmt_text(st, 14));
    n->corrective_action = arena_strdup(a, stmt_text(st, 15));
    n->owner = arena_strdup(a, stmt_text(st, 16));
    n->due_date = arena_strdup(a, stmt_text(st, 17));
    n->status = arena_strdup(a, stmt_text(st, 18));
    n->verification = arena_strdup(a, stmt_text(st, 19));
    n->created_at = stmt_int(st, 20);
    n->updated_at = stmt_int(st, 21);
    n->clause_title_en = arena_strdup(a, stmt_text(st, 22));
}

/* Overdue: a due date before today (UTC) and not verified effective. */
static bool nc_overdue(const nc_row_t *n)
{
    char today[DATE_LEN + 1];
    date_today(today);
    return n->due_date[0] != '\0' && strcmp(n->due_date, today) < 0 && strcmp(n->status, "effective") != 0;
}

/* The nonconformity (schema Nonconformity) without its closing brace when open_end, so that the
 * detail can add its events and audits. */
static void nc_write(jw_t *w, const nc_row_t *n, bool open_end)
{
    char created[21], updated[21];
    time_iso(n->created_at, created);
    time_iso(n->updated_at, updated);
    jw_object(w);
    jw_kint(w, "id", n->id);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", n->enterprise_id);
    jw_kstr(w, "name", n->enterprise_name);
    jw_kstr(w, "region", n->region);
    jw_end(w);
    jw_kstr(w, "edition", n->edition);
    jw_kint(w, "catalogue_version", n->version);
    jw_kstr(w, "clause_number", n->clause);
    jw_kstr(w, "clause_title", n->clause_title);
    jw_kstr(w, "clause_title_en", n->clause_title_en);
    jw_kstr(w, "grade", n->grade);
    jw_kstr(w, "description", n->description);
    jw_kstr(w, "evidence", n->evidence);
    jw_kstr(w, "root_cause", n->root_cause);
    jw_kstr(w, "correction", n->correction);
    jw_kstr(w, "corrective_action", n->corrective_action);
    jw_kstr(w, "owner", n->owner);
    jw_kstr(w, "due_date", n->due_date);
    jw_kstr(w, "status", n->status);
    jw_kbool(w, "overdue", nc_overdue(n));
    jw_kstr(w, "verification", n->verification);
    jw_kid(w, "raised_by_audit_id", n->raised_by);
    jw_kid(w, "closed_by_audit_id", n->closed_by);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (!open_end)
        jw_end(w);
}

static void nc_list_row(call_t *c, stmt_t *st, jw_t *w)
{
    nc_row_t n;
    nc_read(st, &c->arena, &n);
    nc_write(w, &n, false);
}

static int nc_get(call_t *c, int64_t id, nc_row_t *n)
{
    stmt_t *st = db_query(c->db, "SELECT " NC_COLUMNS " FROM " NC_FROM " WHERE n.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        nc_read(st, &c->arena, n);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Nonconformity {id} of the path within the caller's reach, else 404 nonconformity_not_found. */
static bool nc_load_in_scope(call_t *c, nc_row_t *n)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = nc_get(c, id, n);
    if (rc == 1 && !scope_allows(&c->user, n->enterprise_id, 0, n->region))
        rc = c->user.role == ROLE_BODY && body_reaches_nonconformity(c->db, c->user.body_id, n->enterprise_id,
                                                                      n->raised_by) == 1
                 ? 1
                 : 2;
    if (rc < 0)
        call_db_error(c, "nonconformity lookup");
    else if (rc != 1)
        call_error(c, "nonconformity_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* Writes audit {id}'s summary as member key (null when id is 0 or the audit is gone). */
static bool write_audit(call_t *c, jw_t *w, const char *key, int64_t id)
{
    jw_key(w, key);
    if (id == 0) {
        jw_null(w);
        return true;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT a.id, a.kind, a.title, a.start_date, a.end_date, a.status, COALESCE(b.name, '') "
                          "FROM audits a LEFT JOIN bodies b ON b.id = a.body_id WHERE a.id = $1",
                          "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 0));
        jw_kstr(w, "kind", stmt_text(st, 1));
        jw_kstr(w, "title", stmt_text(st, 2));
        jw_kstr(w, "start_date", stmt_text(st, 3));
        jw_kstr(w, "end_date", stmt_text(st, 4));
        jw_kstr(w, "status", stmt_text(st, 5));
        jw_kstr(w, "body", stmt_text(st, 6));
        jw_end(w);
    } else {
        jw_null(w);
    }
    stmt_done(st);
    return rc != STORE_ERROR;
}

/* Answers nonconformity id with its steps (oldest first) and its raising and closing audits. */
static void answer_nc(call_t *c, int status, int64_t id)
{
    nc_row_t n;
    if (nc_get(c, id, &n) != 1) {
        call_db_error(c, "nonconformity re-read");
        return;
    }
    jw_t *w = call_json_begin(c, status);
    nc_write(w, &n, true);
    bool ok = write_audit(c, w, "raised_by_audit", n.raised_by) && write_audit(c, w, "closed_by_audit", n.closed_by);
    stmt_t *st = ok ? db_query(c->db,
                               "SELECT ev.from_status, ev.to_status, ev.note, ev.audit_id, ev.at, COALESCE(u.name, '') "
                               "FROM nonconformity_events ev LEFT JOIN users u ON u.id = ev.user_id WHERE "
                               "ev.nonconformity_id = $1 ORDER BY ev.at, ev.id",
                               "I", id)
                    : NULL;
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_key(w, "events");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            char at[21];
            time_iso(stmt_int(st, 4), at);
            jw_object(w);
            jw_kstr(w, "from_status", stmt_text(st, 0));
            jw_kstr(w, "to_status", stmt_text(st, 1));
            jw_kstr(w, "note", stmt_text(st, 2));
            jw_kid(w, "audit_id", stmt_is_null(st, 3) ? 0 : stmt_int(st, 3));
            jw_kstr(w, "at", at);
            jw_kstr(w, "by", stmt_text(st, 5));
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "nonconformity events");
}

/* An audit as a nonconformity names it: its enterprise, body (0 internal) and catalogue. */
typedef struct nc_audit {
    int64_t enterprise_id, body_id, catalogue_id;
} nc_audit_t;

/* 1 found, 0 none, -1 error. */
static int audit_lookup(call_t *c, int64_t id, nc_audit_t *out)
{
    stmt_t *st = db_query(c->db, "SELECT enterprise_id, COALESCE(body_id, 0), catalogue_id FROM audits WHERE id = $1",
                          "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        *out = (nc_audit_t){stmt_int(st, 0), stmt_int(st, 1), stmt_int(st, 2)};
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* May the caller name audit id for a record of enterprise_id? The enterprise: its own audits;
 * a body: its own audits of that enterprise; an admin: any audit of that enterprise. Answers
 * 400 unknown_audit (field) when not; false then. */
static bool audit_usable(call_t *c, int64_t id, int64_t enterprise_id, const char *field, nc_audit_t *out)
{
    nc_audit_t a;
    int rc = audit_lookup(c, id, &a);
    if (rc < 0) {
        call_db_error(c, "audit lookup");
        return false;
    }
    bool ok = rc == 1 && (enterprise_id == 0 || a.enterprise_id == enterprise_id);
    if (ok && c->user.role == ROLE_ENTERPRISE)
        ok = a.enterprise_id == c->user.enterprise_id;
    else if (ok && c->user.role == ROLE_BODY)
        ok = a.body_id == c->user.body_id;
    if (!ok) {
        call_error(c, "unknown_audit", field);
        return false;
    }
    if (out != NULL)
        *out = a;
    return true;
}

static bool valid_date_field(call_t *c, const char *field, const char *value)
{
    if (value == NULL || date_valid(value))
        return true;
    call_invalid(c, field, "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
    return false;
}

void api_nonconformities_create(call_t *c)
{
    static const char *const fields[] = {"enterprise_id", "raised_by_audit_id", "edition", "clause_number", "grade",
                                         "description", "evidence", "owner", "due_date", NULL};
    int64_t enterprise_id = 0, audit_id = 0;
    const char *edition = "2023", *clause = NULL, *grade = NULL, *description = NULL, *evidence = "", *owner = NULL,
               *due = NULL;
    body_only(c, fields);
    body_int(c, "enterprise_id", FIELD_NULLABLE, 1, INT64_MAX, &enterprise_id);
    body_int(c, "raised_by_audit_id", FIELD_NULLABLE, 1, INT64_MAX, &audit_id);
    body_string(c, "edition", 0, 4, 4, &edition);
    body_string(c, "clause_number", FIELD_REQUIRED, 1, 20, &clause);
    body_string(c, "grade", FIELD_REQUIRED, 1, 10, &grade);
    body_string(c, "description", FIELD_REQUIRED, 1, NC_TEXT_MAX, &description);
    body_string(c, "evidence", 0, 0, NC_TEXT_MAX, &evidence);
    body_string(c, "owner", FIELD_REQUIRED, 1, NC_OWNER_MAX, &owner);
    body_string(c, "due_date", FIELD_REQUIRED, 1, 10, &due);
    if (edition != NULL && strcmp(edition, "2013") != 0 && strcmp(edition, "2023") != 0)
        call_invalid(c, "edition", "应为 2013 或 2023", "2013 or 2023");
    if (grade != NULL && strcmp(grade, "major") != 0 && strcmp(grade, "minor") != 0)
        call_invalid(c, "grade", "应为 major 或 minor", "major or minor");
    valid_date_field(c, "due_date", due);
    if (call_answered(c))
        return;
    /* whose: the enterprise its own; a body the enterprise of its audit (required); an admin
     * the enterprise named or the audit's */
    nc_audit_t audit = {0};
    if (c->user.role == ROLE_BODY && audit_id == 0) {
        call_error(c, "missing_field", "raised_by_audit_id", "raised_by_audit_id");
        return;
    }
    if (c->user.role == ROLE_ENTERPRISE)
        enterprise_id = c->user.enterprise_id;
    if (audit_id > 0 && !audit_usable(c, audit_id, c->user.role == ROLE_ENTERPRISE ? enterprise_id : 0,
                                      "raised_by_audit_id", &audit))
        return;
    if (audit_id > 0)
        enterprise_id = audit.enterprise_id;
    if (enterprise_id == 0) {
        call_error(c, "missing_field", "enterprise_id", "enterprise_id");
        return;
    }
    if (c->user.role == ROLE_BODY) {
        int reach = body_engaged(c->db, c->user.body_id, enterprise_id);
        if (reach < 0) {
            call_db_error(c, "engagement lookup");
            return;
        }
        if (reach == 0) {
            call_error(c, "unknown_audit", "raised_by_audit_id");
            return;
        }
    }
    int64_t catalogue_id = audit.catalogue_id, version = 0;
    if (catalogue_id == 0) {
        int rc = clause_catalogue_current(c->db, edition, &catalogue_id, &version);
        if (rc <= 0) {
            call_db_error(c, "clause catalogue");
            return;
        }
    }
    stmt_t *st = db_query(c->db,
                          "SELECT e.region, (SELECT COUNT(*) FROM clauses cl WHERE cl.catalogue_id = $2 AND "
                          "cl.number = $3) FROM enterprises e WHERE e.id = $1",
                          "IIt", enterprise_id, catalogue_id, clause);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    const char *region = rc == STORE_ROW ? arena_strdup(&c->arena, stmt_text(st, 0)) : NULL;
    bool clause_known = rc == STORE_ROW && stmt_int(st, 1) > 0;
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "enterprise lookup");
        return;
    }
    if (region == NULL) {
        call_error(c, "enterprise_not_found", "enterprise_id");
        return;
    }
    if (!clause_known) {
        call_error(c, "unknown_clause", "clause_number", clause);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        st = db_query(c->db,
                      "INSERT INTO nonconformities (enterprise_id, raised_by_audit_id, catalogue_id, clause_number, "
                      "grade, description, evidence, owner, due_date, created_by, created_at, updated_at) VALUES ($1, "
                      "NULLIF($2, 0), $3, $4, $5, $6, $7, $8, $9, NULLIF($10, 0), $11, $12) RETURNING id",
                      "IIIttttttIII", enterprise_id, audit_id, catalogue_id, clause, grade, description, evidence, owner,
                      due, audit_actor_user(&actor), now, now);
        id = st ? stmt_insert_id(st) : -1;
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "clause_number", NULL, clause);
        audit_diff_str(&d, "grade", NULL, grade);
        audit_diff_str(&d, "description", NULL, description);
        audit_diff_str(&d, "owner", NULL, owner);
        audit_diff_str(&d, "due_date", NULL, due);
        audit_diff_str(&d, "status", NULL, "open");
        if (id > 0 &&
            (db_run(c->db,
                    "INSERT INTO nonconformity_events (nonconformity_id, from_status, to_status, audit_id, user_id, at) "
                    "VALUES ($1, '', 'open', NULLIF($2, 0), NULLIF($3, 0), $4)",
                    "IIII", id, audit_id, audit_actor_user(&actor), now) != 1 ||
             !audit_record_id(c->db, &actor, "nonconformity.create", "nonconformity", id, region, NULL,
                              audit_diff_after(&d))))
            id = -1;
        audit_diff_free(&d);
    }
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "nonconformity insert"))
        return;
    answer_nc(c, 201, id);
}

static bool status_valid(const char *s)
{
    static const char *const all[] = {"open", "action_planned", "implemented", "effective", "not_effective", "reopened"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i], s) == 0)
            return true;
    return false;
}

void api_nonconformities_list(call_t *c)
{
    int page, per_page;
    int64_t audit_id = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "audit_id", 1, INT64_MAX, &audit_id))
        return;
    const char *status = call_query(c, "status"), *grade = call_query(c, "grade"), *clause = call_query(c, "clause"),
               *overdue = call_query(c, "overdue");
    if (call_answered(c))
        return;
    if (status != NULL && *status != '\0' && !status_valid(status)) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    if (grade != NULL && *grade != '\0' && strcmp(grade, "major") != 0 && strcmp(grade, "minor") != 0) {
        call_error(c, "invalid_query", "grade", "grade");
        return;
    }
    if (overdue != NULL && *overdue != '\0' && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) {
        call_error(c, "invalid_query", "overdue", "overdue");
        return;
    }
    char today[DATE_LEN + 1];
    date_today(today);
    const char *today_text = arena_strdup(&c->arena, today);
    static const scope_columns_t cols = {.enterprise = "n.enterprise_id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " NC_FROM " WHERE TRUE");
    query_init(&list, "SELECT " NC_COLUMNS " FROM " NC_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (reach.kind == REACH_BODY)
            query_and_int(both[i], BODY_REACHES_NONCONFORMITY_SQL, reach.id);
        else
            query_scope(both[i], &reach, &cols);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "n.status = $?", status);
        if (grade != NULL && *grade != '\0')
            query_and_text(both[i], "n.grade = $?", grade);
        if (clause != NULL && *clause != '\0')
            query_and_text(both[i], "n.clause_number = $?", clause);
        if (audit_id > 0)
            query_and_int(both[i], "(n.raised_by_audit_id = $? OR n.closed_by_audit_id = $?)", audit_id);
        if (overdue != NULL && strcmp(overdue, "true") == 0)
            query_and_text(both[i], "n.due_date <> '' AND n.due_date < $? AND n.status <> 'effective'", today_text);
        else if (overdue != NULL && strcmp(overdue, "false") == 0)
            query_and_text(both[i], "NOT (n.due_date <> '' AND n.due_date < $? AND n.status <> 'effective')",
                           today_text);
    }
    query_sql(&list, " ORDER BY n.created_at DESC, n.id DESC");
    answer_list(c, &count, &list, page, per_page, nc_list_row, "nonconformity list");
}

void api_nonconformities_show(call_t *c)
{
    nc_row_t n;
    if (nc_load_in_scope(c, &n))
        answer_nc(c, 200, n.id);
}

/* May the caller change the enterprise's own side of the record (plan, implement, reopen,
 * edit)? Its enterprise and an admin; others 403 forbidden. */
static bool enterprise_side(call_t *c)
{
    if (c->user.role == ROLE_ENTERPRISE || c->user.role == ROLE_ADMIN)
        return true;
    call_error(c, "forbidden", NULL);
    return false;
}

void api_nonconformities_update(call_t *c)
{
    static const char *const fields[] = {"root_cause", "correction", "corrective_action", "owner", "due_date", NULL};
    nc_row_t n;
    if (!nc_load_in_scope(c, &n) || !enterprise_side(c))
        return;
    const char *root_cause = NULL, *correction = NULL, *action = NULL, *owner = NULL, *due = NULL;
    body_only(c, fields);
    body_string(c, "root_cause", 0, 0, NC_TEXT_MAX, &root_cause);
    body_string(c, "correction", 0, 0, NC_TEXT_MAX, &correction);
    body_string(c, "corrective_action", 0, 0, NC_TEXT_MAX, &action);
    body_string(c, "owner", 0, 1, NC_OWNER_MAX, &owner);
    body_string(c, "due_date", 0, 1, 10, &due);
    valid_date_field(c, "due_date", due);
    if (call_answered(c))
        return;
    if (strcmp(n.status, "effective") == 0) {
        call_error(c, "nonconformity_closed", NULL);
        return;
    }
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "root_cause", n.root_cause, root_cause);
    audit_diff_str(&d, "correction", n.correction, correction);
    audit_diff_str(&d, "corrective_action", n.corrective_action, action);
    audit_diff_str(&d, "owner", n.owner, owner);
    audit_diff_str(&d, "due_date", n.due_date, due);
    audit_actor_t actor = call_actor(c);
    int rc = audit_diff_any(&d) ? -1 : 1;
    if (rc == -1 && db_begin(c->db) == STORE_DONE) {
        query_t q;
        query_init(&q, "UPDATE nonconformities SET updated_at = ");
        query_int(&q, "$?", now_seconds());
        const query_set_t sets[] = {{", root_cause = $?", root_cause},
                                    {", correction = $?", correction},
                                    {", corrective_action = $?", action},
                                    {", owner = $?", owner},
                                    {", due_date = $?", due}};
        query_sets(&q, sets, (int)(sizeof sets / sizeof sets[0]));
        query_int(&q, " WHERE id = $? AND status <> 'effective'", n.id);
        rc = (int)query_exec(c->db, &q);
        if (rc == 1 && !audit_record_id(c->db, &actor, "nonconformity.update", "nonconformity", n.id, n.region,
                                        audit_diff_before(&d), audit_diff_after(&d)))
            rc = -1;
        rc = db_finish(c->db, rc);
        if (rc == 0) {
            audit_diff_free(&d);
            call_error(c, "nonconformity_closed", NULL);
            return;
        }
    }
    audit_diff_free(&d);
    if (!call_write_done(c, rc, "nonconformity update"))
        return;
    answer_nc(c, 200, n.id);
}

/* The status a step to `to` leaves ("" none: not a step). action_planned comes from open or
 * reopened: the status read. */
static const char *step_from(const char *to, const char *current)
{
    if (strcmp(to, "action_planned") == 0)
        return strcmp(current, "reopened") == 0 ? "reopened" : "open";
    if (strcmp(to, "implemented") == 0)
        return "action_planned";
    if (strcmp(to, "effective") == 0 || strcmp(to, "not_effective") == 0)
        return "implemented";
    if (strcmp(to, "reopened") == 0)
        return "not_effective";
    return "";
}

void api_nonconformities_status(call_t *c)
{
    static const char *const fields[] = {"status", "note", "audit_id", NULL};
    nc_row_t n;
    if (!nc_load_in_scope(c, &n))
        return;
    const char *to = NULL, *note = "";
    int64_t audit_id = 0;
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &to);
    body_string(c, "note", 0, 0, NC_TEXT_MAX, &note);
    body_int(c, "audit_id", FIELD_NULLABLE, 1, INT64_MAX, &audit_id);
    const char *from = to != NULL ? step_from(to, n.status) : "";
    bool verifying = *from != '\0' && strcmp(from, "implemented") == 0;
    if (to != NULL && *from == '\0')
        call_invalid(c, "status", "应为 action_planned、implemented、effective、not_effective 或 reopened",
                     "action_planned, implemented, effective, not_effective or reopened");
    else if (verifying && *note == '\0')
        call_error(c, "missing_field", "note", "note");
    if (call_answered(c))
        return;
    /* who: the enterprise's own steps; the verification also the body (with its audit) */
    if (!verifying && !enterprise_side(c))
        return;
    if (verifying && c->user.role == ROLE_BODY && audit_id == 0) {
        call_error(c, "missing_field", "audit_id", "audit_id");
        return;
    }
    if (audit_id > 0 && !audit_usable(c, audit_id, n.enterprise_id, "audit_id", NULL))
        return;
    if (strcmp(n.status, from) != 0) {
        call_error(c, "nonconformity_transition", "status", n.status, to);
        return;
    }
    bool planning = strcmp(to, "action_planned") == 0;
    if (planning && (n.root_cause[0] == '\0' || n.corrective_action[0] == '\0')) {
        call_error(c, "nonconformity_plan_incomplete", n.root_cause[0] == '\0' ? "root_cause" : "corrective_action");
        return;
    }
    bool effective = strcmp(to, "effective") == 0;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        /* the guard: the status left (and, to plan, a root cause and an action) */
        rc = (int)db_run(c->db,
                         "UPDATE nonconformities SET status = $2, updated_at = $3, verification = CASE WHEN $4 = 1 "
                         "THEN $5 ELSE verification END, closed_by_audit_id = CASE WHEN $6 = 1 THEN NULLIF($7, 0) ELSE "
                         "closed_by_audit_id END WHERE id = $1 AND status = $8 AND ($9 = 0 OR (root_cause <> '' AND "
                         "corrective_action <> ''))",
                         "ItIItIItI", n.id, to, now, (int64_t)verifying, note, (int64_t)effective, audit_id, from,
                         (int64_t)planning);
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "status", n.status, to);
        audit_diff_str(&d, "verification", n.verification, verifying ? note : NULL);
        char audit_text[24];
        snprintf(audit_text, sizeof audit_text, "%lld", (long long)audit_id);
        audit_diff_str(&d, "closed_by_audit_id", NULL, effective && audit_id > 0 ? audit_text : NULL);
        if (rc == 1 &&
            (db_run(c->db,
                    "INSERT INTO nonconformity_events (nonconformity_id, from_status, to_status, note, audit_id, "
                    "user_id, at) VALUES ($1, $2, $3, $4, NULLIF($5, 0), NULLIF($6, 0), $7)",
                    "ItttIII", n.id, from, to, note, audit_id, audit_actor_user(&actor), now) != 1 ||
             !audit_record_id(c->db, &actor, "nonconformity.status", "nonconformity", n.id, n.region,
                              audit_diff_before(&d), audit_diff_after(&d))))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {   /* another step came first: name the status it left */
        nc_row_t now_row;
        bool read = nc_get(c, n.id, &now_row) == 1;
        call_error(c, "nonconformity_transition", "status", read ? now_row.status : n.status, to);
        return;
    }
    if (!call_write_done(c, rc, "nonconformity status"))
        return;
    answer_nc(c, 200, n.id);
}

void nc_by_clause_begin(query_t *q, const char *edition, int64_t current)
{
    query_init(q, "SELECT n.clause_number, COALESCE(MAX(cl.title), ''), COALESCE(MAX(cl.title_en), ''), "
                  "SUM(CASE WHEN n.grade = 'major' THEN 1 ELSE 0 END), SUM(CASE WHEN n.grade = 'minor' THEN 1 "
                  "ELSE 0 END), COUNT(*) FROM nonconformities n JOIN enterprises e ON e.id = n.enterprise_id JOIN "
                  "clause_catalogues cc ON cc.id = n.catalogue_id LEFT JOIN clauses cl ON cl.number = "
                  "n.clause_number AND cl.catalogue_id = ");
    query_int(q, "$? WHERE TRUE", current);
    query_and_text(q, "cc.edition = $?", edition);
}

void nc_by_clause_end(query_t *q)
{
    query_sql(q, " GROUP BY n.clause_number ORDER BY COUNT(*) DESC, n.clause_number");
}

static void by_clause_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kstr(w, "clause_number", stmt_text(st, 0));
    jw_kstr(w, "clause_title", stmt_text(st, 1));
    jw_kstr(w, "clause_title_en", stmt_text(st, 2));
    jw_kint(w, "major", stmt_int(st, 3));
    jw_kint(w, "minor", stmt_int(st, 4));
    jw_kint(w, "total", stmt_int(st, 5));
    jw_end(w);
}

void api_nonconformities_by_clause(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *edition = call_query(c, "edition"), *from = call_query(c, "from"), *to = call_query(c, "to");
    if (call_answered(c))
        return;
    if (edition == NULL || *edition == '\0')
        edition = "2023";
    if (strcmp(edition, "2013") != 0 && strcmp(edition, "2023") != 0) {
        call_error(c, "invalid_query", "edition", "edition");
        return;
    }
    if (from != NULL && *from != '\0' && !date_valid(from)) {
        call_error(c, "invalid_query", "from", "from");
        return;
    }
    if (to != NULL && *to != '\0' && !date_valid(to)) {
        call_error(c, "invalid_query", "to", "to");
        return;
    }
    /* from and to are days (UTC) of the record's creation, both included */
    int64_t since = from != NULL && *from != '\0' ? date_to_unix(from) : 0;
    int64_t until = to != NULL && *to != '\0' ? date_to_unix(to) + 86400 : 0;
    static const scope_columns_t cols = {.enterprise = "n.enterprise_id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    /* titles from the edition's current catalogue (numbers are the edition's) */
    int64_t current = 0, version = 0;
    if (clause_catalogue_current(c->db, edition, &current, &version) < 0) {
        call_db_error(c, "clause catalogue");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM (SELECT n.clause_number FROM nonconformities n JOIN enterprises e ON "
                       "e.id = n.enterprise_id JOIN clause_catalogues cc ON cc.id = n.catalogue_id WHERE TRUE");
    query_and_text(&count, "cc.edition = $?", edition);
    nc_by_clause_begin(&list, edition, current);
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (since > 0)
            query_and_int(both[i], "n.created_at >= $?", since);
        if (until > 0)
            query_and_int(both[i], "n.created_at < $?", until);
    }
    query_sql(&count, " GROUP BY n.clause_number) t");
    nc_by_clause_end(&list);
    answer_list(c, &count, &list, page, per_page, by_clause_row, "nonconformities by clause");
}

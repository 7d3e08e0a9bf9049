/* Engagements (issue 8, docs/marketplace.md): an enterprise requests certification under a
 * body's commitment; the body accepts (with its conflict-of-interest declaration) or declines;
 * the enterprise may cancel while requested; the body records stage 1 and stage 2 and decides,
 * a decision to certify issuing the certificate from the engagement. Consulting ties found by a
 * regulator refuse later requests and acceptances for that pair. Each write is audited
 * (store/engagements.h) and notifies the other side in the same transaction. */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "store/engagements.h"
#include "store/ranking.h"

/* The declaration a body makes when it accepts, when it sends no text of its own (DOMAIN.md:
 * a body may not certify an enterprise it consulted for). */
static const char default_statement[] =
    "本机构确认：未向该企业提供知识产权管理体系咨询、代理或培训服务，与该企业无利益冲突。";

static const scope_columns_t engagement_scope = {.enterprise = "g.enterprise_id", .body = "g.body_id", .region = "e.region"};

/* The JSON of one engagement (a list row); the detail adds stages and the certificate. */
static void engagement_fields(jw_t *w, const engagement_t *g)
{
    char at[21], today[DATE_LEN + 1];
    date_today(today);
    jw_kint(w, "id", g->id);
    jw_kstr(w, "status", g->status);
    jw_kstr(w, "stage", g->stage);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", g->enterprise_id);
    jw_kstr(w, "name", g->enterprise_name);
    jw_kstr(w, "region", g->enterprise_region);
    jw_end(w);
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", g->body_id);
    jw_kstr(w, "name", g->body_name);
    jw_kstr(w, "code", g->body_code);
    jw_end(w);
    jw_key(w, "commitment");
    jw_object(w);
    jw_kint(w, "id", g->commitment_id);
    jw_kint(w, "version", g->commitment_version);
    jw_kstr(w, "title", g->commitment_title);
    jw_kstr(w, "edition", g->commitment_edition);
    jw_kint(w, "committed_lead_days", g->committed_lead_days);
    jw_key(w, "scope_areas");
    jw_csv_array(w, g->commitment_areas);
    jw_key(w, "scope_stages");
    jw_csv_array(w, g->commitment_stages);
    jw_end(w);
    jw_kstr(w, "request_note", g->request_note);
    jw_kstr(w, "application_date", g->application_date);
    time_iso(g->requested_at, at);
    jw_kstr(w, "requested_at", at);
    jw_key(w, "responded_at");
    if (g->responded_at > 0) {
        time_iso(g->responded_at, at);
        jw_str(w, at);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "decline_reason", g->decline_reason);
    jw_key(w, "declaration");
    if (g->coi_declared_at > 0) {
        time_iso(g->coi_declared_at, at);
        jw_object(w);
        jw_kstr(w, "statement", g->coi_statement);
        jw_kstr(w, "declared_by", g->coi_declared_by);
        jw_kstr(w, "declared_at", at);
        jw_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "decision", g->decision);
    jw_kstr(w, "decision_date", g->decision_date);
    /* lead time: at the decision, or so far while the engagement is open (docs/marketplace.md) */
    bool open = strcmp(g->status, "requested") == 0 || strcmp(g->status, "active") == 0;
    jw_key(w, "lead_days");
    if (g->lead_days >= 0)
        jw_int(w, g->lead_days);
    else
        jw_null(w);
    jw_key(w, "days_elapsed");
    if (open)
        jw_int(w, days_between(g->application_date, today));
    else
        jw_null(w);
    jw_key(w, "within_commitment");
    if (g->within_commitment >= 0)
        jw_bool(w, g->within_commitment == 1);
    else
        jw_null(w);
    jw_key(w, "certificate_number");
    if (*g->certificate_number != '\0')
        jw_str(w, g->certificate_number);
    else
        jw_null(w);
}

static void engagement_row(call_t *c, stmt_t *st, jw_t *w)
{
    engagement_t g;
    engagement_read(st, &c->arena, &g);
    jw_object(w);
    engagement_fields(w, &g);
    jw_end(w);
}

/* Loads engagement {id} of the path if the caller reaches it (domain/scope.h); otherwise answers
 * 404 engagement_not_found (or the database error) and returns false. */
static bool load_in_scope(call_t *c, engagement_t *g)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = engagement_by_id(c->db, &c->arena, id, g);
    if (rc < 0) {
        call_db_error(c, "engagement lookup");
        return false;
    }
    if (rc == 0 || !scope_allows(&c->user, g->enterprise_id, g->body_id, g->enterprise_region)) {
        call_error(c, "engagement_not_found", NULL);
        return false;
    }
    return true;
}

/* Only the engagement's own body (the route admits body accounts only; scope already hid other
 * bodies' engagements). */
static bool own_body(call_t *c, const engagement_t *g)
{
    if (c->user.role == ROLE_BODY && c->user.body_id == g->body_id)
        return true;
    call_error(c, "engagement_not_found", NULL);
    return false;
}

/* The engagement must be in status `want`: else 409 engagement_wrong_status. */
static bool in_status(call_t *c, const engagement_t *g, const char *want)
{
    if (strcmp(g->status, want) == 0)
        return true;
    call_error(c, "engagement_wrong_status", NULL, g->status);
    return false;
}

/* The stages and the certificate's lifecycle, for the detail. False after a database error. */
static bool detail_write(call_t *c, jw_t *w, const engagement_t *g)
{
    stmt_t *st = db_query(c->db, "SELECT s.stage, s.date, s.note, COALESCE(u.name, '') FROM engagement_stages s "
                                 "LEFT JOIN users u ON u.id = s.recorded_by WHERE s.engagement_id = $1 "
                                 "ORDER BY s.date, s.id", "I", g->id);
    if (st == NULL)
        return false;
    int rc;
    jw_key(w, "stages");
    jw_array(w);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kstr(w, "stage", stmt_text(st, 0));
        jw_kstr(w, "date", stmt_text(st, 1));
        jw_kstr(w, "note", stmt_text(st, 2));
        jw_kstr(w, "recorded_by", stmt_text(st, 3));
        jw_end(w);
    }
    jw_end(w);
    stmt_done(st);
    if (rc != STORE_DONE)
        return false;
    jw_key(w, "certificate");
    if (g->certificate_id == 0) {
        jw_null(w);
        return true;
    }
    st = db_query(c->db, "SELECT number, status, issued, expires FROM certificates WHERE id = $1", "I", g->certificate_id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        return false;
    }
    char today[DATE_LEN + 1];
    date_today(today);
    jw_object(w);
    jw_kstr(w, "number", stmt_text(st, 0));
    jw_kstr(w, "status", cert_status_name(cert_effective_status(cert_status_parse(stmt_text(st, 1)), stmt_text(st, 3), today)));
    jw_kstr(w, "issued", stmt_text(st, 2));
    jw_kstr(w, "expires", stmt_text(st, 3));
    stmt_done(st);
    /* its later lifecycle: one indexed read of its history */
    st = db_query(c->db, "SELECT at, from_status, to_status, reason FROM certificate_events WHERE certificate_id = $1 "
                         "ORDER BY at, id", "I", g->certificate_id);
    if (st == NULL)
        return false;
    jw_key(w, "history");
    jw_array(w);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        char at[21];
        time_iso(stmt_int(st, 0), at);
        jw_object(w);
        jw_kstr(w, "at", at);
        jw_kstr(w, "from", stmt_text(st, 1));
        jw_kstr(w, "to", stmt_text(st, 2));
        jw_kstr(w, "reason", stmt_text(st, 3));
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    stmt_done(st);
    return rc == STORE_DONE;
}

/* Answers engagement id as it is now (re-read after a write: one that cannot be read back is a
 * database error). */
static void answer_engagement(call_t *c, int status, int64_t id)
{
    engagement_t g;
    if (engagement_by_id(c->db, &c->arena, id, &g) != 1) {
        call_db_error(c, "engagement re-read");
        return;
    }
    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    engagement_fields(w, &g);
    if (!detail_write(c, w, &g)) {
        call_db_error(c, "engagement detail");
        return;
    }
    jw_end(w);
}

void api_engagements_show(call_t *c)
{
    engagement_t g;
    if (load_in_scope(c, &g))
        answer_engagement(c, 200, g.id);
}

void api_engagements_list(call_t *c)
{
    static const char *const statuses[] = {"requested", "active", "declined", "cancelled", "decided", NULL};
    static const char *const stages[] = {"application", "stage1", "stage2", "decision", NULL};
    static const sort_option_t sorts[] = {{"requested", "g.requested_at"}, {"application_date", "g.application_date"},
                                          {"decision_date", "g.decision_date"}};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    const char *order;
    if (!call_page(c, &page, &per_page) || !call_sort(c, sorts, 3, "g.id DESC", &order))
        return;
    const char *status = call_query(c, "status"), *stage = call_query(c, "stage"), *q = call_query(c, "q");
    int64_t body = 0, enterprise = 0;
    if (call_answered(c) || !call_query_int(c, "body_id", 1, INT64_MAX, &body) ||
        !call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise))
        return;
    const char *const *lists[] = {statuses, stages};
    const char *values[] = {status, stage}, *names[] = {"status", "stage"};
    for (int k = 0; k < 2; k++) {
        if (values[k] == NULL || *values[k] == '\0')
            continue;
        bool known = false;
        for (int i = 0; lists[k][i] != NULL; i++)
            known = known || strcmp(lists[k][i], values[k]) == 0;
        if (!known) {
            call_error(c, "invalid_query", names[k], names[k]);
            return;
        }
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" ENGAGEMENT_FROM " WHERE TRUE");
    query_init(&list, "SELECT " ENGAGEMENT_COLUMNS ENGAGEMENT_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &engagement_scope);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "g.status = $?", status);
        if (stage != NULL && *stage != '\0')
            query_and_text(both[i], "g.stage = $?", stage);
        if (body > 0)
            query_and_int(both[i], "g.body_id = $?", body);
        if (enterprise > 0)
            query_and_int(both[i], "g.enterprise_id = $?", enterprise);
        if (q != NULL && *q != '\0')
            query_and_text(both[i], "(e.name LIKE $? ESCAPE '\\' OR b.name LIKE $? ESCAPE '\\')", query_like(&c->arena, q, true));
    }
    /* newest first unless asked otherwise */
    query_sql(&list, call_query(c, "sort") != NULL ? order : " ORDER BY g.requested_at DESC, g.id DESC");
    answer_list(c, &count, &list, page, per_page, engagement_row, "engagement list");
}

void api_engagements_create(call_t *c)
{
    static const char *const fields[] = {"commitment_id", "note", "consulted", NULL};
    int64_t commitment = 0;
    const char *note = "";
    bool consulted = false;
    body_only(c, fields);
    body_int(c, "commitment_id", FIELD_REQUIRED, 1, INT64_MAX, &commitment);
    body_string(c, "note", 0, 0, 2000, &note);
    body_bool(c, "consulted", 0, &consulted);
    if (call_answered(c))
        return;
    if (c->user.enterprise_id == 0) {
        call_error(c, "forbidden", NULL);
        return;
    }
    char today[DATE_LEN + 1];
    date_today(today);
    engagement_request_t r = {.enterprise_id = c->user.enterprise_id, .commitment_id = commitment, .note = note,
                              .application_date = today, .consulted = consulted};
    audit_actor_t actor = call_actor(c);
    int64_t body = 0;
    if (db_begin(c->db) != STORE_DONE) {
        call_db_error(c, "engagement request");
        return;
    }
    int64_t id = engagement_request_insert(c->db, &r, &actor, &body);
    if (id > 0 && notice_engagement(c->db, id, "requested") < 0)
        id = -1;
    if (id > 0 || id == ENGAGEMENT_TIE_RECORDED) {
        if (db_commit(c->db) != STORE_DONE)
            id = -1;
    } else {
        db_rollback(c->db);
    }
    switch (id) {
    case ENGAGEMENT_NOT_APPROVED: call_error(c, "enterprise_not_approved", NULL); return;
    case ENGAGEMENT_NO_COMMITMENT: call_error(c, "commitment_not_found", "commitment_id"); return;
    case ENGAGEMENT_COMMITMENT_WITHDRAWN: call_error(c, "commitment_withdrawn", "commitment_id"); return;
    case ENGAGEMENT_TIE_RECORDED:
    case ENGAGEMENT_CONFLICT_OF_INTEREST: call_error(c, "conflict_of_interest", NULL); return;
    case ENGAGEMENT_OPEN_EXISTS: call_error(c, "engagement_open", NULL); return;
    default: break;
    }
    if (id <= 0) {
        call_db_error(c, "engagement request");
        return;
    }
    log_info("engagement %lld: requested by %s (commitment %lld, body %lld)", (long long)id, c->user.login,
             (long long)commitment, (long long)body);
    answer_engagement(c, 201, id);
}

/* Ends a guarded step in the caller's transaction: notifies `event` when it was written, then
 * commits (1) or rolls back; answers the engagement, or the refusal. */
static void step_done(call_t *c, int64_t id, int rc, const char *event, const char *what)
{
    if (rc == 1 && notice_engagement(c->db, id, event) < 0)
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == ENGAGEMENT_CONFLICT_OF_INTEREST) {
        call_error(c, "conflict_of_interest", NULL);
        return;
    }
    if (call_write_done(c, rc, what))
        answer_engagement(c, 200, id);
}

void api_engagements_accept(call_t *c)
{
    static const char *const fields[] = {"declaration", "statement", NULL};
    engagement_t g;
    bool declared = false;
    const char *statement = NULL;
    if (!load_in_scope(c, &g) || !own_body(c, &g))
        return;
    body_only(c, fields);
    body_bool(c, "declaration", 0, &declared);
    body_string(c, "statement", FIELD_NULLABLE, 0, 2000, &statement);
    if (!call_answered(c) && !declared)
        call_error(c, "declaration_required", "declaration");
    if (call_answered(c) || !in_status(c, &g, "requested"))
        return;
    if (statement == NULL || *statement == '\0')
        statement = default_statement;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? engagement_accept(c->db, g.id, statement, &actor) : -1;
    step_done(c, g.id, rc, "accepted", "engagement accept");
}

void api_engagements_decline(call_t *c)
{
    static const char *const fields[] = {"reason", NULL};
    engagement_t g;
    const char *reason = NULL;
    if (!load_in_scope(c, &g) || !own_body(c, &g))
        return;
    body_only(c, fields);
    body_string(c, "reason", FIELD_REQUIRED, 1, 1000, &reason);
    if (call_answered(c) || !in_status(c, &g, "requested"))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? engagement_decline(c->db, g.id, reason, &actor) : -1;
    step_done(c, g.id, rc, "declined", "engagement decline");
}

void api_engagements_cancel(call_t *c)
{
    static const char *const fields[] = {NULL};
    engagement_t g;
    if (!load_in_scope(c, &g))
        return;
    if (c->user.role != ROLE_ENTERPRISE || c->user.enterprise_id != g.enterprise_id) {
        call_error(c, "engagement_not_found", NULL);
        return;
    }
    if (c->body != NULL)
        body_only(c, fields);
    if (call_answered(c) || !in_status(c, &g, "requested"))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? engagement_cancel(c->db, g.id, &actor) : -1;
    step_done(c, g.id, rc, "cancelled", "engagement cancel");
}

/* The date of stage `stage` of engagement id into out ("" when not recorded). False on error. */
static bool stage_date(call_t *c, int64_t id, const char *stage, char out[DATE_LEN + 1])
{
    out[0] = '\0';
    stmt_t *st = db_query(c->db, "SELECT date FROM engagement_stages WHERE engagement_id = $1 AND stage = $2", "It", id,
                          stage);
    if (st == NULL)
        return false;
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        snprintf(out, DATE_LEN + 1, "%s", stmt_text(st, 0));
    stmt_done(st);
    return rc != STORE_ERROR;
}

/* A stage's or decision's date: a date, not in the future, not before the previous stage's
 * (`previous`, its date in the stages or the application date). Recorded as a 400 on "date". */
static void check_date(call_t *c, const engagement_t *g, const char *date, const char *previous)
{
    char today[DATE_LEN + 1], before[DATE_LEN + 1];
    date_today(today);
    if (!date_valid(date)) {
        call_invalid(c, "date", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
        return;
    }
    if (strcmp(date, today) > 0) {
        call_invalid(c, "date", "日期不能晚于今天", "must not be in the future");
        return;
    }
    if (!stage_date(c, g->id, previous, before)) {
        call_db_error(c, "engagement stage");
        return;
    }
    if (*before == '\0')
        snprintf(before, sizeof before, "%s", g->application_date);
    if (strcmp(date, before) < 0)
        call_invalid(c, "date", "日期不能早于上一阶段的日期", "must not be before the previous stage's date");
}

void api_engagements_stage(call_t *c)
{
    static const char *const fields[] = {"stage", "date", "note", NULL};
    engagement_t g;
    const char *stage = NULL, *date = NULL, *note = "";
    if (!load_in_scope(c, &g) || !own_body(c, &g))
        return;
    body_only(c, fields);
    body_string(c, "stage", FIELD_REQUIRED, 1, 20, &stage);
    body_string(c, "date", FIELD_REQUIRED, 1, 10, &date);
    body_string(c, "note", 0, 0, 2000, &note);
    bool first = stage != NULL && strcmp(stage, "stage1") == 0;
    if (stage != NULL && !first && strcmp(stage, "stage2") != 0) {
        call_invalid(c, "stage", "应为 stage1 或 stage2", "must be stage1 or stage2");
        stage = NULL;
    }
    if (call_answered(c) || !in_status(c, &g, "active"))
        return;
    const char *before = first ? "application" : "stage1";
    if (strcmp(g.stage, before) != 0) {
        /* the next stage due: stage 1 when none yet, else the one after the stage reached */
        const char *due = strcmp(g.stage, "application") == 0 ? "stage1" : strcmp(g.stage, "stage1") == 0 ? "stage2" : "decision";
        call_error(c, "stage_out_of_order", "stage", due);
        return;
    }
    check_date(c, &g, date, before);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? engagement_stage_record(c->db, g.id, stage, date, note, &actor) : -1;
    step_done(c, g.id, rc, stage, "engagement stage");
}

/* The certificate number a decision issues when the body sends none: the body's code, the
 * decision's year, IP, 9 and the engagement id in six digits (serials from 9000000 up, apart from
 * the registered ones), R0 (first certification) and the size letter (L, M, S, W). NULL when the
 * body has no code. */
static const char *generated_number(call_t *c, const engagement_t *g, const char *date)
{
    if (*g->body_code == '\0')
        return NULL;
    char size = strcmp(g->enterprise_size, "large") == 0    ? 'L'
                : strcmp(g->enterprise_size, "medium") == 0 ? 'M'
                : strcmp(g->enterprise_size, "small") == 0  ? 'S'
                                                              : 'W';
    return arena_printf(&c->arena, "%.3s%.2sIP9%06lldR0%c", g->body_code, date + 2, (long long)(g->id % 1000000), size);
}

/* The certificate fields of a decision to certify (the nested "certificate" object, every
 * member optional): number, scope, scope_areas, scope_stages, each defaulting from the
 * engagement and its commitment version. Errors are recorded as 400s on "certificate.…". */
static void read_certificate(call_t *c, const engagement_t *g, const char *date, certificate_t *cert)
{
    static const char *const fields[] = {"number", "scope", "scope_areas", "scope_stages", NULL};
    const char *number = NULL, **areas = NULL, **stages = NULL;
    int nareas = 0, nstages = 0;
    cert->scope = g->commitment_title;
    cert->scope_areas = g->commitment_areas;
    cert->scope_stages = g->commitment_stages;
    if (body_has(c, "certificate")) {
        json_t *saved;
        if (!body_enter(c, "certificate", &saved))
            return;
        body_only(c, fields);
        body_string(c, "number", FIELD_NULLABLE, 0, 60, &number);
        body_string(c, "scope", 0, 0, 1000, &cert->scope);
        body_string_list(c, "scope_areas", 0, 6, cert_scope_area_valid, &areas, &nareas);
        body_string_list(c, "scope_stages", 0, 4, cert_scope_stage_valid, &stages, &nstages);
        if (areas != NULL)
            cert->scope_areas = arena_join(&c->arena, areas, nareas, ",");
        if (stages != NULL)
            cert->scope_stages = arena_join(&c->arena, stages, nstages, ",");
        body_leave(c, saved);
    }
    if (*cert->scope_areas == '\0')
        call_invalid(c, "certificate.scope_areas", "至少选择一个管理领域", "choose at least one management area");
    if (number == NULL || *number == '\0') {
        number = date_valid(date) ? generated_number(c, g, date) : "";
        if (number == NULL) {
            call_error(c, "missing_field", "certificate.number", "certificate.number");
            return;
        }
    }
    char *normal = arena_alloc(&c->arena, CERT_NUMBER_MAX + 1);
    if (*number != '\0' && !cert_number_normalize(number, normal))
        call_error(c, "invalid_certificate_number", "certificate.number");
    cert->number = normal;
}

void api_engagements_decision(call_t *c)
{
    static const char *const fields[] = {"decision", "date", "certificate", NULL};
    engagement_t g;
    const char *decision = NULL, *date = NULL;
    certificate_t cert = {0};
    if (!load_in_scope(c, &g) || !own_body(c, &g))
        return;
    body_only(c, fields);
    body_string(c, "decision", FIELD_REQUIRED, 1, 20, &decision);
    body_string(c, "date", FIELD_REQUIRED, 1, 10, &date);
    if (decision != NULL && strcmp(decision, "certified") != 0 && strcmp(decision, "not_certified") != 0) {
        call_invalid(c, "decision", "应为 certified 或 not_certified", "must be certified or not_certified");
        decision = NULL;
    }
    bool certified = decision != NULL && strcmp(decision, "certified") == 0;
    if (certified)
        read_certificate(c, &g, date ? date : "", &cert);
    if (call_answered(c) || !in_status(c, &g, "active"))
        return;
    if (strcmp(g.stage, "stage2") != 0) {
        call_error(c, "stage_out_of_order", NULL, strcmp(g.stage, "application") == 0 ? "stage1" : "stage2");
        return;
    }
    check_date(c, &g, date, "stage2");
    if (call_answered(c))
        return;
    if (certified) {
        if (!certificate_number_of_body(c, cert.number, g.body_id, "certificate.number"))
            return;
        char *expires = arena_alloc(&c->arena, DATE_LEN + 1);
        date_add_years_minus_day(date, 3, expires);
        cert.enterprise_id = g.enterprise_id;
        cert.body_id = g.body_id;
        cert.standard = g.commitment_edition;
        cert.issued = date;
        cert.expires = expires;
        cert.status = "valid";
        cert.status_changed = date;
        cert.decision_date = date;
        char *due = arena_alloc(&c->arena, DATE_LEN + 1);
        cert_surveillance_due(date, expires, 0, due);   /* within 12 months of the decision */
        cert.surveillance_due = due;
    }
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? engagement_decide(c->db, &g, decision, date, certified ? &cert : NULL, &actor)
                                           : -1;
    if (rc == 1 && (notice_engagement(c->db, g.id, decision) < 0 || !ranking_refresh_enqueue(c->db)))
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == ENGAGEMENT_CERTIFICATE_EXISTS)
        call_error(c, "certificate_exists", "certificate.number", cert.number);
    else if (rc == CERTIFICATE_BODY_NOT_IN_GOOD_STANDING)
        call_error(c, "body_not_in_good_standing", NULL);
    else if (call_write_done(c, rc, "engagement decision")) {
        log_info("engagement %lld: %s on %s by %s%s%s", (long long)g.id, decision, date, c->user.login,
                 certified ? ", certificate " : "", certified ? cert.number : "");
        answer_engagement(c, 201, g.id);
    }
}

/* ---- consulting ties ---- */

static void tie_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    char at[21];
    time_iso(stmt_int(st, 7), at);
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 1));
    jw_kstr(w, "name", stmt_text(st, 2));
    jw_end(w);
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 3));
    jw_kstr(w, "name", stmt_text(st, 4));
    jw_end(w);
    jw_kstr(w, "source", stmt_text(st, 5));
    jw_kstr(w, "note", stmt_text(st, 6));
    jw_kstr(w, "at", at);
    jw_kstr(w, "recorded_by", stmt_text(st, 8));
    jw_end(w);
}

#define TIE_COLUMNS "t.id, t.enterprise_id, e.name, t.body_id, b.name, t.source, t.note, t.at, COALESCE(u.name, '')"
#define TIE_FROM                                                                                            \
    " FROM consulting_ties t JOIN enterprises e ON e.id = t.enterprise_id JOIN bodies b ON b.id = t.body_id " \
    "LEFT JOIN users u ON u.id = t.recorded_by"

void api_consulting_ties_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "t.enterprise_id", .body = "t.body_id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    int64_t body = 0, enterprise = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "body_id", 1, INT64_MAX, &body) ||
        !call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise))
        return;
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" TIE_FROM " WHERE TRUE");
    query_init(&list, "SELECT " TIE_COLUMNS TIE_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (body > 0)
            query_and_int(both[i], "t.body_id = $?", body);
        if (enterprise > 0)
            query_and_int(both[i], "t.enterprise_id = $?", enterprise);
    }
    query_sql(&list, " ORDER BY t.at DESC, t.id DESC");
    answer_list(c, &count, &list, page, per_page, tie_row, "consulting ties");
}

void api_consulting_ties_create(call_t *c)
{
    static const char *const fields[] = {"enterprise_id", "body_id", "note", NULL};
    int64_t enterprise_id = 0, body_id = 0;
    const char *note = NULL;
    body_only(c, fields);
    body_int(c, "enterprise_id", FIELD_REQUIRED, 1, INT64_MAX, &enterprise_id);
    body_int(c, "body_id", FIELD_REQUIRED, 1, INT64_MAX, &body_id);
    body_string(c, "note", FIELD_REQUIRED, 1, 2000, &note);
    if (call_answered(c))
        return;
    enterprise_t e;
    body_t b;
    int rc = enterprise_by_id(c->db, &c->arena, enterprise_id, &e);
    if (rc < 0) {
        call_db_error(c, "enterprise lookup");
        return;
    }
    if (rc == 0 || !scope_allows(&c->user, e.id, 0, e.region)) {
        call_error(c, "enterprise_not_found", "enterprise_id");
        return;
    }
    rc = body_by_id(c->db, &c->arena, body_id, &b);
    if (rc != 1) {
        if (rc < 0)
            call_db_error(c, "body lookup");
        else
            call_error(c, "body_not_found", "body_id");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t id = 0;
    rc = db_begin(c->db) == STORE_DONE
             ? consulting_tie_insert(c->db, e.id, b.id, "regulator", note, &actor, &id)
             : -1;
    if (rc == 1 && notice_consulting_tie(c->db, e.id, b.id) < 0)
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        call_error(c, "consulting_tie_exists", NULL);
        return;
    }
    if (rc < 0) {
        call_db_error(c, "consulting tie");
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT " TIE_COLUMNS TIE_FROM " WHERE t.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "consulting tie re-read");
        return;
    }
    tie_row(c, st, call_json_begin(c, 201));
    stmt_done(st);
}

/* Certificates: public verification (the stable contract of PRODUCT.md), the bodies' and
 * admins' register with its status lifecycle, and the history of each change
 * (docs/registry.md). GET /api/certificates/{number} is the platform's hottest public path:
 * one indexed query, on the event loop with SQLite. */
#include <string.h>

#include "api/api.h"
#include "report/notices.h"
#include "core/log.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "report/certificate_pdf.h"

void former_names_write(jw_t *w, const former_names_t *former)
{
    jw_array(w);
    for (int i = 0; i < former->n; i++) {
        char until[DATE_LEN + 1];
        date_from_unix(former->items[i].until, until);
        jw_object(w);
        jw_kstr(w, "name", former->items[i].name);
        jw_kstr(w, "until", until);
        jw_end(w);
    }
    jw_end(w);
}

void certificate_write(jw_t *w, const certificate_t *c, const former_names_t *holder_former)
{
    char today[DATE_LEN + 1];
    date_today(today);
    cert_status_t stored = cert_status_parse(c->status);
    cert_status_t shown = cert_effective_status(stored, c->expires, today);
    jw_object(w);
    jw_kstr(w, "number", c->number);
    jw_key(w, "holder");
    jw_object(w);
    jw_kstr(w, "name", c->holder_name);
    jw_kstr(w, "credit_code", c->holder_credit_code);
    jw_kstr(w, "address", c->holder_address);
    if (holder_former != NULL) {
        jw_key(w, "former_names");
        former_names_write(w, holder_former);
    }
    jw_end(w);
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", c->body_id);
    jw_kstr(w, "name", c->body_name);
    jw_kstr(w, "approval_number", c->body_approval_number);
    /* the issuing body's own standing (sql/010_body_standing.sql), so that verification says it */
    jw_key(w, "standing");
    jw_object(w);
    jw_kstr(w, "approval", c->body_approval_status ? c->body_approval_status : "valid");
    jw_kstr(w, "approval_since", c->body_approval_since ? c->body_approval_since : "");
    jw_kstr(w, "accreditation", c->body_accreditation_status ? c->body_accreditation_status : "valid");
    jw_kstr(w, "accreditation_since", c->body_accreditation_since ? c->body_accreditation_since : "");
    jw_end(w);
    jw_end(w);
    jw_kstr(w, "standard", c->standard);
    jw_kstr(w, "scope", c->scope);
    jw_key(w, "scope_areas");
    jw_csv_array(w, c->scope_areas);
    jw_key(w, "scope_stages");
    jw_csv_array(w, c->scope_stages);
    jw_kstr(w, "issued", c->issued);
    jw_kstr(w, "expires", c->expires);
    jw_kstr(w, "status", cert_status_name(shown));
    jw_kstr(w, "status_changed", shown != stored ? c->expires : c->status_changed);
    /* the lifecycle (sql/012_surveillance.sql, docs/registry.md "Lifecycle"): a closed
     * certificate has no surveillance due; an open one is overdue once its due date passed (read
     * from the date, so it agrees with the list before the daily surveillance_overdue job runs) */
    bool open = shown == CERT_VALID || shown == CERT_SUSPENDED;
    const char *due = c->surveillance_due ? c->surveillance_due : "";
    jw_kint(w, "cycle", c->cycle);
    jw_kstr(w, "decision_date", c->decision_date && *c->decision_date ? c->decision_date : c->issued);
    jw_kint(w, "surveillances_done", c->surveillances_done);
    jw_kstr(w, "surveillance_due", open ? due : "");
    jw_kbool(w, "surveillance_overdue", open && *due != '\0' && strcmp(due, today) < 0);
    jw_kstr(w, "previous_number", c->previous_number ? c->previous_number : "");
    jw_kstr(w, "renewed_by", c->renewed_by ? c->renewed_by : "");
    jw_end(w);
}

static void certificate_row(call_t *c, stmt_t *st, jw_t *w)
{
    certificate_t cert;
    certificate_read(st, &c->arena, &cert);
    certificate_write(w, &cert, NULL);
}

/* Loads certificate {number}; answers 400/404 otherwise. */
bool certificate_load(call_t *c, certificate_t *cert)
{
    char number[CERT_NUMBER_MAX + 1];
    if (!cert_number_normalize(call_param(c, "number"), number)) {
        call_error(c, "invalid_certificate_number", NULL);
        return false;
    }
    int rc = certificate_by_number(c->db, &c->arena, number, cert);
    if (rc < 0)
        call_db_error(c, "certificate lookup");
    else if (rc == 0)
        call_error(c, "certificate_not_found", NULL);
    return rc == 1;
}

/* The issuing body and admins may change a certificate. */
bool certificate_number_of_body(call_t *c, const char *number, int64_t body_id, const char *field)
{
    char other[4];
    int rc = cert_number_body_code(number, other) ? body_code_of_another(c->db, other, body_id) : 0;
    if (rc < 0)
        call_db_error(c, "body code lookup");
    else if (rc > 0)
        call_error(c, "number_of_another_body", field, number, other);
    return rc == 0;
}

bool certificate_may_change(call_t *c, const certificate_t *cert)
{
    if (c->user.role == ROLE_ADMIN || (c->user.role == ROLE_BODY && c->user.body_id == cert->body_id))
        return true;
    call_error(c, "forbidden", NULL);
    return false;
}

/* The holder's former names, for the answers that show one certificate; false after
 * answering a database error. */
static bool holder_former(call_t *c, int64_t enterprise_id, int64_t renames, former_names_t *former)
{
    if (former_names_read(c->db, &c->arena, "enterprise", enterprise_id, renames, former) == 0)
        return true;
    call_db_error(c, "former names");
    return false;
}

/* Answers certificate `number` as it is now, re-read after a write: a certificate that cannot
 * be read back is a database error, never "not found". */
void certificate_answer(call_t *c, int status, const char *number)
{
    certificate_t cert;
    former_names_t former;
    int rc = certificate_by_number(c->db, &c->arena, number, &cert);
    if (rc != 1) {
        call_db_error(c, "certificate re-read");
        return;
    }
    if (holder_former(c, cert.enterprise_id, cert.holder_renames, &former))
        certificate_write(call_json_begin(c, status), &cert, &former);
}

void api_certificates_pdf(call_t *c)
{
    certificate_t cert;
    if (!certificate_load(c, &cert))
        return;
    char today[DATE_LEN + 1];
    date_today(today);
    /* numbers are [0-9A-Z-]: nothing to encode in the query */
    const char *url = arena_printf(&c->arena, "%s/verify?q=%s", api_config.public_url, cert.number);
    buf_reset(&c->out);
    if (!certificate_pdf(&cert, url, today, &c->out)) {
        log_error("certificate %s: the PDF could not be made", cert.number);
        call_error(c, "internal_error", NULL);
        return;
    }
    call_download(c, "application/pdf", false, arena_printf(&c->arena, "%s.pdf", cert.number));
}

void api_certificates_show(call_t *c)
{
    certificate_t cert;
    former_names_t former;
    if (certificate_load(c, &cert) && holder_former(c, cert.enterprise_id, cert.holder_renames, &former))
        certificate_write(call_json_begin(c, 200), &cert, &former);
}

/* The public search by holder: every certificate of that credit code. */
static void by_credit_code(call_t *c, const char *input)
{
    const char *code;
    if (!call_credit_code(c, "credit_code", input, &code))
        return;
    /* one holder: its former names once, for every certificate */
    enterprise_t holder;
    former_names_t former = {0};
    int found = enterprise_by_credit_code(c->db, &c->arena, code, &holder);
    if (found < 0) {
        call_db_error(c, "certificates by holder");
        return;
    }
    if (found == 1 && !holder_former(c, holder.id, holder.renames, &former))
        return;
    stmt_t *st = db_query(c->db, "SELECT " CERTIFICATE_COLUMNS CERTIFICATE_FROM
                                 " WHERE e.credit_code = $1 ORDER BY c.issued DESC, c.id DESC LIMIT 200", "t", code);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            certificate_t cert;
            certificate_read(st, &c->arena, &cert);
            certificate_write(w, &cert, &former);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "certificates by holder");
}

void api_certificates_list(call_t *c)
{
    const char *code = call_query(c, "credit_code");
    if (call_answered(c))
        return;
    if (code != NULL) {
        const char *format = call_query(c, "format"), *normalised;
        if (call_answered(c) || (format != NULL && !call_credit_code(c, "credit_code", code, &normalised)))
            return;
        if (format == NULL) {
            by_credit_code(c, code);
            return;
        }
        /* the public search as a file: the same rows (without the holder's former names) */
        query_t count, list;
        query_init(&count, "SELECT COUNT(*) FROM (SELECT c.id" CERTIFICATE_FROM " WHERE TRUE");
        query_init(&list, "SELECT " CERTIFICATE_COLUMNS CERTIFICATE_FROM " WHERE TRUE");
        query_and_text(&count, "e.credit_code = $? LIMIT 200) x", normalised);
        query_and_text(&list, "e.credit_code = $? ORDER BY c.issued DESC, c.id DESC LIMIT 200", normalised);
        answer_export(c, &count, &list, certificate_row, "certificates by holder", format);
        return;
    }
    if (c->user.role == ROLE_PUBLIC) {
        call_error(c, "missing_query", "credit_code", "credit_code");
        return;
    }
    static const sort_option_t sorts[] = {{"issued", "c.issued"}, {"expires", "c.expires"}, {"number", "c.number"}};
    static const scope_columns_t cols = {.enterprise = "c.enterprise_id", .body = "c.body_id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    const char *order;
    if (!call_page(c, &page, &per_page) || !call_sort(c, sorts, 3, "c.id", &order))
        return;
    const char *status = call_query(c, "status"), *q = call_query(c, "q"), *standard = call_query(c, "standard");
    int64_t body = 0;
    if (call_answered(c) || !call_query_int(c, "body_id", 1, INT64_MAX, &body))
        return;
    cert_status_t want = status && *status ? cert_status_parse(status) : CERT_NONE;
    if (status && *status && want == CERT_NONE) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    char *today = arena_alloc(&c->arena, DATE_LEN + 1);
    date_today(today);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" CERTIFICATE_FROM " WHERE TRUE");
    query_init(&list, "SELECT " CERTIFICATE_COLUMNS CERTIFICATE_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_t *x = both[i];
        query_scope(x, &reach, &cols);
        /* the status a reader sees: past expiry reads expired */
        if (want == CERT_EXPIRED)
            query_and_text(x, "(c.status = 'expired' OR (c.status IN ('valid', 'suspended') AND c.expires < $?))", today);
        else if (want == CERT_VALID || want == CERT_SUSPENDED)
            query_and_text(x, want == CERT_VALID ? "c.status = 'valid' AND c.expires >= $?"
                                                 : "c.status = 'suspended' AND c.expires >= $?", today);
        else if (want == CERT_WITHDRAWN)
            query_sql(x, " AND c.status = 'withdrawn'");
        if (q != NULL && *q != '\0')
            query_and_text(x, "(c.number LIKE UPPER($?) ESCAPE '\\' OR e.name LIKE $? ESCAPE '\\')",
                           query_like(&c->arena, q, true));
        if (body > 0)
            query_and_int(x, "c.body_id = $?", body);
        if (standard != NULL && *standard != '\0')
            query_and_text(x, "c.standard = $?", standard);
    }
    query_sql(&list, order);
    answer_list(c, &count, &list, page, per_page, certificate_row, "certificate list");
}

/* scope, scope_areas, scope_stages, expires: shared by create and update. Every field is
 * checked (each failure recorded, http/call.h); false when any of these failed. */
static bool read_scope(call_t *c, certificate_t *cert, unsigned req)
{
    const char **areas = NULL, **stages = NULL;
    int nareas = 0, nstages = 0;
    bool ok = body_string(c, "scope", 0, 0, 1000, &cert->scope);
    ok = body_string_list(c, "scope_areas", req, 6, cert_scope_area_valid, &areas, &nareas) && ok;
    ok = body_string_list(c, "scope_stages", req, 4, cert_scope_stage_valid, &stages, &nstages) && ok;
    ok = body_string(c, "expires", 0, 0, 10, &cert->expires) && ok;
    if (areas != NULL && nareas == 0) {
        call_invalid(c, "scope_areas", "至少选择一个管理领域", "choose at least one management area");
        ok = false;
    }
    if (areas != NULL)
        cert->scope_areas = arena_join(&c->arena, areas, nareas, ",");
    if (stages != NULL)
        cert->scope_stages = arena_join(&c->arena, stages, nstages, ",");
    if (cert->expires != NULL && !date_valid(cert->expires)) {
        call_invalid(c, "expires", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
        cert->expires = NULL;
        ok = false;
    }
    return ok;
}

void api_certificates_create(call_t *c)
{
    static const char *const fields[] = {"number", "holder_credit_code", "body_id", "standard", "scope", "scope_areas",
                                         "scope_stages", "issued", "expires", NULL};
    certificate_t cert = {0};
    const char *number = NULL, *holder = NULL;
    int64_t body_id = 0;
    /* every field is checked before any answer, so that it names all the invalid ones */
    body_only(c, fields);
    body_string(c, "number", FIELD_REQUIRED, 1, 60, &number);
    body_string(c, "holder_credit_code", FIELD_REQUIRED, 1, 40, &holder);
    body_int(c, "body_id", FIELD_NULLABLE, 1, INT64_MAX, &body_id);
    body_string(c, "standard", FIELD_REQUIRED, 1, 30, &cert.standard);
    body_string(c, "issued", FIELD_REQUIRED, 1, 10, &cert.issued);
    read_scope(c, &cert, FIELD_REQUIRED);
    char *normal = arena_alloc(&c->arena, CERT_NUMBER_MAX + 1);
    if (number != NULL && !cert_number_normalize(number, normal))
        call_error(c, "invalid_certificate_number", "number");
    cert.number = normal;
    if (cert.standard != NULL && !cert_standard_valid(cert.standard))
        call_invalid(c, "standard", "应为 GB/T 29490-2013 或 GB/T 29490-2023", "must be GB/T 29490-2013 or GB/T 29490-2023");
    if (cert.issued != NULL && !date_valid(cert.issued)) {
        call_invalid(c, "issued", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
        cert.issued = NULL;
    }
    if (cert.expires == NULL && cert.issued != NULL && !body_has(c, "expires")) {
        char *exp = arena_alloc(&c->arena, DATE_LEN + 1);
        date_add_years_minus_day(cert.issued, 3, exp);
        cert.expires = exp;
    }
    if (cert.expires != NULL && cert.issued != NULL && strcmp(cert.expires, cert.issued) <= 0)
        call_invalid(c, "expires", "有效期截止日应晚于颁发日", "must be after the issue date");
    if (c->user.role == ROLE_BODY && body_id != 0 && body_id != c->user.body_id)
        call_invalid(c, "body_id", "认证机构只能以本机构名义发证", "a body issues certificates in its own name only");
    else if (c->user.role != ROLE_BODY && body_id == 0)
        call_error(c, "missing_field", "body_id", "body_id");
    if (call_answered(c))
        return;
    /* a body issues for itself; an admin names the body */
    if (c->user.role == ROLE_BODY)
        body_id = c->user.body_id;
    body_t b;
    int rc = body_by_id(c->db, &c->arena, body_id, &b);
    if (rc != 1) {
        if (rc < 0)
            call_db_error(c, "body lookup");
        else
            call_error(c, "body_not_found", "body_id");
        return;
    }
    if (!certificate_number_of_body(c, cert.number, body_id, "number"))
        return;
    if (!call_credit_code(c, "holder_credit_code", holder, &holder))
        return;
    enterprise_t e;
    rc = enterprise_by_credit_code(c->db, &c->arena, holder, &e);
    if (rc != 1) {
        if (rc < 0)
            call_db_error(c, "enterprise lookup");
        else
            call_error(c, "enterprise_not_found", "holder_credit_code");
        return;
    }
    if (strcmp(e.status, "approved") != 0) {
        call_error(c, "enterprise_not_approved", "holder_credit_code");
        return;
    }
    cert.enterprise_id = e.id;
    cert.body_id = body_id;
    cert.status = "valid";
    cert.status_changed = cert.issued;
    char due[DATE_LEN + 1];
    cert_surveillance_due(cert.issued, cert.expires, 0, due);   /* decided on the issue date */
    cert.surveillance_due = due;
    if (db_begin(c->db) != STORE_DONE)
        goto failed;
    audit_actor_t actor = call_actor(c);
    int64_t id = certificate_insert(c->db, &cert, &actor, "");
    if (id == 0) {
        db_rollback(c->db);
        call_error(c, "certificate_exists", "number", cert.number);
        return;
    }
    if (id == CERTIFICATE_BODY_NOT_IN_GOOD_STANDING) {
        db_rollback(c->db);
        call_error(c, "body_not_in_good_standing", "body_id");
        return;
    }
    if (id < 0 || db_commit(c->db) != STORE_DONE)
        goto failed;
    certificate_answer(c, 201, cert.number);
    return;
failed:
    db_rollback(c->db);
    call_db_error(c, "certificate insert");
}

/* A withdrawn or expired certificate is final: 409 certificate_final. */
static bool still_open(call_t *c, const certificate_t *cert)
{
    char today[DATE_LEN + 1];
    date_today(today);
    if (cert_open(cert_status_parse(cert->status), cert->expires, today))
        return true;
    call_error(c, "certificate_final", NULL, cert->number);
    return false;
}

void api_certificates_update(call_t *c)
{
    static const char *const fields[] = {"scope", "scope_areas", "scope_stages", "expires", NULL};
    certificate_t cert, in = {0};
    if (!certificate_load(c, &cert) || !certificate_may_change(c, &cert))
        return;
    body_only(c, fields);
    read_scope(c, &in, FIELD_OPTIONAL);
    if (in.expires != NULL && strcmp(in.expires, cert.issued) <= 0)
        call_invalid(c, "expires", "有效期截止日应晚于颁发日", "must be after the issue date");
    if (call_answered(c) || !still_open(c, &cert))
        return;
    certificate_t next = cert;
    if (in.scope != NULL)
        next.scope = in.scope;
    if (in.scope_areas != NULL)
        next.scope_areas = in.scope_areas;
    if (in.scope_stages != NULL)
        next.scope_stages = in.scope_stages;
    if (in.expires != NULL)
        next.expires = in.expires;
    /* the rule is checked again inside the write: a withdrawal or another change of the expiry
     * between the read above and this write leaves the certificate as it is (409) */
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? certificate_update(c->db, &cert, &next, &actor) : -1;
    if (!call_write_done(c, db_finish(c->db, rc), "certificate update"))
        return;
    if (in.expires != NULL && strcmp(in.expires, cert.expires) != 0)
        log_info("certificate %s: expiry %s → %s by %s", cert.number, cert.expires, in.expires, c->user.login);
    certificate_answer(c, 200, cert.number);
}

void api_certificates_status(call_t *c)
{
    static const char *const fields[] = {"status", "reason", NULL};
    certificate_t cert;
    const char *to_s = NULL, *reason = "";
    if (!certificate_load(c, &cert) || !certificate_may_change(c, &cert))
        return;
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &to_s);
    body_string(c, "reason", 0, 0, 500, &reason);
    cert_status_t to = to_s != NULL ? cert_status_parse(to_s) : CERT_NONE;
    if (to_s != NULL && to == CERT_NONE)
        call_invalid(c, "status", "应为 valid、suspended、withdrawn 或 expired", "must be valid, suspended, withdrawn or expired");
    if (call_answered(c))
        return;
    char today[DATE_LEN + 1];
    date_today(today);
    cert_status_t stored = cert_status_parse(cert.status);
    cert_status_t from = cert_effective_status(stored, cert.expires, today);
    if (!cert_transition_allowed(from, to)) {
        call_error(c, "invalid_transition", "status", cert_status_name(from), cert_status_name(to));
        return;
    }
    if (cert_reason_required(to) && (reason == NULL || *reason == '\0')) {
        call_error(c, "missing_field", "reason", "reason");
        return;
    }
    /* an allowed transition starts from an open status, so here from == stored; the write
     * checks it again against the row (two changes sent together: only one applies) */
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE
                 ? certificate_set_status(c->db, cert.id, cert_status_name(stored), cert_status_name(to), reason,
                                          &actor, 0)
                 : -1;
    /* the holder's and the body's accounts hear of it in the same transaction */
    if (rc == 1 && notice_certificate_status(c->db, cert.id, cert_status_name(to)) < 0)
        rc = -1;
    if (!call_write_done(c, db_finish(c->db, rc), "certificate status"))
        return;
    log_info("certificate %s: %s → %s by %s", cert.number, cert_status_name(from), cert_status_name(to), c->user.login);
    certificate_answer(c, 200, cert.number);
}

void api_certificates_history(call_t *c)
{
    certificate_t cert;
    if (!certificate_load(c, &cert))
        return;
    if (!scope_allows(&c->user, cert.enterprise_id, cert.body_id, cert.holder_region)) {
        call_error(c, "certificate_not_found", NULL);
        return;
    }
    /* the status and expiry changes, the surveillance audits (sql/012_surveillance.sql) and the
     * renewal by a next certificate, in the order they happened (an audit before the status
     * change it brought, recorded in the same second) */
    stmt_t *st = db_query(c->db,
        "SELECT ev.at, ev.from_status, ev.to_status, ev.reason, COALESCE(u.name, ''), ev.kind, ev.expires_from, "
        "ev.expires_to, 0, '', '', 1, ev.id FROM certificate_events ev "
        "LEFT JOIN users u ON u.id = ev.user_id WHERE ev.certificate_id = $1 "
        "UNION ALL SELECT s.at, '', '', s.reason, COALESCE(u.name, ''), 'surveillance', '', '', s.seq, s.audit_date, "
        "s.outcome, 0, s.id FROM certificate_surveillances s LEFT JOIN users u ON u.id = s.recorded_by "
        "WHERE s.certificate_id = $1 "
        "UNION ALL SELECT n.created_at, '', '', '', '', 'renewal', '', '', 0, '', n.number, 2, n.id FROM certificates n "
        "WHERE n.previous_id = $1 ORDER BY 1, 12, 13", "I", cert.id);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_kstr(w, "number", cert.number);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            char at[21];
            time_iso(stmt_int(st, 0), at);
            const char *kind = stmt_text(st, 5), *reason = stmt_text(st, 3);
            jw_object(w);
            jw_kstr(w, "at", at);
            jw_kstr(w, "kind", kind);
            if (strcmp(kind, "expiry") == 0) {
                jw_kstr(w, "expires_from", stmt_text(st, 6));
                jw_kstr(w, "expires_to", stmt_text(st, 7));
            } else if (strcmp(kind, "surveillance") == 0) {
                /* "监督审核：保持认证资格", and the body's reason when it gave one */
                const term_t *t = term_find(cert_surveillance_outcomes(), stmt_text(st, 10));
                jw_kint(w, "seq", stmt_int(st, 8));
                jw_kstr(w, "audit_date", stmt_text(st, 9));
                jw_kstr(w, "outcome", stmt_text(st, 10));
                reason = arena_printf(&c->arena, "监督审核：%s%s%s", t ? t->zh : stmt_text(st, 10), *reason ? "：" : "", reason);
            } else if (strcmp(kind, "renewal") == 0) {
                jw_kstr(w, "renewed_by", stmt_text(st, 10));
                reason = arena_printf(&c->arena, "换证：由证书 %s 接续 (renewed by %s)", stmt_text(st, 10), stmt_text(st, 10));
            }
            jw_kstr(w, "from", stmt_text(st, 1));
            jw_kstr(w, "to", stmt_text(st, 2));
            jw_kstr(w, "reason", reason);
            jw_kstr(w, "by", stmt_text(st, 4));
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "certificate history");
}

/* The certificate lifecycle after the decision (issue 8, docs/registry.md "Lifecycle"):
 * recording a surveillance audit (maintain, suspend, withdraw), renewing into the next cycle,
 * and the list of surveillances due or overdue. The rules are domain/certificate.h's; the
 * guarded writes store/registry.h's; a status change goes through certificate_set_status so
 * that the history and public verification show it. */
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "report/notices.h"

/* The reason a status change after a surveillance carries in the history. */
static const char *status_reason(call_t *c, int seq, const char *outcome, const char *reason)
{
    const term_t *t = term_find(cert_surveillance_outcomes(), outcome);
    bool given = reason != NULL && *reason != '\0';
    return arena_printf(&c->arena, "监督审核（第%d次）：%s%s%s", seq, t->zh, given ? "：" : "", given ? reason : "");
}

void api_certificates_surveillance_create(call_t *c)
{
    static const char *const fields[] = {"seq", "audit_date", "outcome", "reason", NULL};
    certificate_t cert;
    const char *audit_date = NULL, *outcome = NULL, *reason = "";
    int64_t seq = 0;    /* the audit the caller means (optional): a resent form records nothing twice */
    if (!certificate_load(c, &cert) || !certificate_may_change(c, &cert))
        return;
    body_only(c, fields);
    body_int(c, "seq", FIELD_NULLABLE, 1, CERT_SURVEILLANCES, &seq);
    body_string(c, "audit_date", FIELD_REQUIRED, 1, 10, &audit_date);
    body_string(c, "outcome", FIELD_REQUIRED, 1, 20, &outcome);
    body_string(c, "reason", 0, 0, 500, &reason);
    char today[DATE_LEN + 1];
    date_today(today);
    const char *decided = cert.decision_date && *cert.decision_date ? cert.decision_date : cert.issued;
    if (audit_date != NULL && !date_valid(audit_date))
        call_invalid(c, "audit_date", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
    else if (audit_date != NULL && strcmp(audit_date, today) > 0)
        call_invalid(c, "audit_date", "审核日期不能晚于今天", "an audit cannot be dated after today");
    else if (audit_date != NULL && strcmp(audit_date, decided) < 0)
        call_invalid(c, "audit_date", "审核日期不能早于认证决定日期", "an audit cannot be dated before the certification decision");
    cert_status_t to = cert_outcome_status(outcome);
    if (outcome != NULL && to == CERT_NONE)
        call_invalid(c, "outcome", "应为 maintained、suspended 或 withdrawn", "must be maintained, suspended or withdrawn");
    if (call_answered(c))
        return;
    if (cert_reason_required(to) && (reason == NULL || *reason == '\0')) {
        call_error(c, "missing_field", "reason", "reason");
        return;
    }
    cert_status_t stored = cert_status_parse(cert.status);
    if (!cert_open(stored, cert.expires, today)) {
        call_error(c, "certificate_final", NULL, cert.number);
        return;
    }
    if (seq != 0 && seq <= cert.surveillances_done) {
        call_error(c, "surveillance_recorded", "seq", cert.number, arena_printf(&c->arena, "%lld", (long long)seq));
        return;
    }
    if (cert.surveillances_done >= CERT_SURVEILLANCES) {
        call_error(c, "surveillances_complete", NULL, cert.number);
        return;
    }
    if (seq != 0 && seq > cert.surveillances_done + 1) {
        call_error(c, "surveillance_out_of_order", "seq", arena_printf(&c->arena, "%lld", (long long)seq),
                   arena_printf(&c->arena, "%lld", (long long)cert.surveillances_done + 1));
        return;
    }
    surveillance_t s = {.certificate_id = cert.id, .seq = (int)cert.surveillances_done + 1, .audit_date = audit_date,
                        .outcome = outcome, .reason = reason};
    char due[DATE_LEN + 1] = "";
    if (to != CERT_WITHDRAWN)
        cert_surveillance_due(audit_date, cert.expires, s.seq, due);
    s.next_due = due;
    /* one transaction: the record (guarded by the count of audits done), then the status the
     * outcome leaves (guarded by the stored status), then the notices of that change */
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? certificate_surveillance_record(c->db, &s, &actor) : -1;
    if (rc == 1 && to != stored) {
        rc = certificate_set_status(c->db, cert.id, cert.status, cert_status_name(to),
                                    status_reason(c, s.seq, outcome, reason), &actor, 0);
        if (rc == 1 && notice_certificate_status(c->db, cert.id, cert_status_name(to)) < 0)
            rc = -1;
    }
    if (!call_write_done(c, db_finish(c->db, rc), "certificate surveillance"))
        return;
    log_info("certificate %s: surveillance %d on %s, %s, by %s", cert.number, s.seq, audit_date, outcome, c->user.login);
    certificate_answer(c, 201, cert.number);
}

void api_certificates_renewal(call_t *c)
{
    static const char *const fields[] = {"number", "decision_date", NULL};
    certificate_t cert;
    const char *number = NULL, *decided = NULL;
    if (!certificate_load(c, &cert) || !certificate_may_change(c, &cert))
        return;
    body_only(c, fields);
    body_string(c, "number", FIELD_NULLABLE, 1, 60, &number);
    body_string(c, "decision_date", FIELD_NULLABLE, 1, 10, &decided);
    char today[DATE_LEN + 1];
    date_today(today);
    if (decided != NULL && !date_valid(decided))
        call_invalid(c, "decision_date", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
    else if (decided != NULL && strcmp(decided, today) > 0)
        call_invalid(c, "decision_date", "认证决定日期不能晚于今天", "a decision cannot be dated after today");
    char *next_number = arena_alloc(&c->arena, CERT_NUMBER_MAX + 1);
    if (number != NULL && !cert_number_normalize(number, next_number))
        call_error(c, "invalid_certificate_number", "number");
    if (call_answered(c))
        return;
    if (decided == NULL)
        decided = today;
    if (*cert.renewed_by != '\0') {
        call_error(c, "certificate_already_renewed", NULL, cert.number, cert.renewed_by);
        return;
    }
    if (!cert_renewal_allowed(cert_status_parse(cert.status), cert.expires, today)) {
        call_error(c, "renewal_not_allowed", NULL, cert.number);
        return;
    }
    if (number == NULL && !cert_number_renewal(cert.number, next_number)) {
        call_error(c, "renewal_number_required", "number", cert.number);
        return;
    }
    if (!certificate_number_of_body(c, next_number, cert.body_id, "number"))
        return;
    certificate_t next = cert;
    char *expires = arena_alloc(&c->arena, DATE_LEN + 1), *due = arena_alloc(&c->arena, DATE_LEN + 1);
    date_add_years_minus_day(decided, 3, expires);
    cert_surveillance_due(decided, expires, 0, due);
    next.number = next_number;
    next.issued = next.decision_date = next.status_changed = decided;
    next.expires = expires;
    next.status = "valid";
    next.cycle = cert.cycle + 1;
    next.previous_id = cert.id;
    next.surveillance_due = due;
    audit_actor_t actor = call_actor(c);
    int64_t id = certificate_renew(c->db, &cert, &next, &actor);
    if (id == 0)
        call_error(c, "certificate_exists", "number", next_number);
    else if (id == CERTIFICATE_RENEWAL_REFUSED)
        call_error(c, "renewal_refused", NULL, cert.number);
    else if (id == CERTIFICATE_BODY_NOT_IN_GOOD_STANDING)
        call_error(c, "body_not_in_good_standing", NULL);
    else if (id < 0)
        call_db_error(c, "certificate renewal");
    if (id <= 0)
        return;
    log_info("certificate %s renewed by %s (cycle %lld) by %s", cert.number, next_number, (long long)next.cycle,
             c->user.login);
    certificate_answer(c, 201, next_number);
}

/* One row of the surveillance list: number, holder, body, status, due date, days overdue. */
static void surveillance_row(call_t *c, stmt_t *st, jw_t *w)
{
    char *today = arena_alloc(&c->arena, DATE_LEN + 1);
    date_today(today);
    const char *due = stmt_text(st, 6);
    int64_t late = (date_to_unix(today) - date_to_unix(due)) / 86400;
    cert_status_t shown = cert_effective_status(cert_status_parse(stmt_text(st, 4)), stmt_text(st, 5), today);
    jw_object(w);
    jw_kstr(w, "number", stmt_text(st, 0));
    jw_kstr(w, "holder_name", stmt_text(st, 1));
    jw_kstr(w, "holder_region", stmt_text(st, 2));
    jw_kstr(w, "body_name", stmt_text(st, 3));
    jw_kstr(w, "status", cert_status_name(shown));
    jw_kstr(w, "expires", stmt_text(st, 5));
    jw_kstr(w, "surveillance_due", due);
    jw_kint(w, "surveillances_done", stmt_int(st, 7));
    jw_kint(w, "days_overdue", late > 0 ? late : 0);
    jw_end(w);
}

void api_certificates_surveillance_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "c.enterprise_id", .body = "c.body_id", .region = "e.region"};
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *before = call_query(c, "due_before"), *overdue = call_query(c, "overdue"), *q = call_query(c, "q");
    if (call_answered(c))
        return;
    if (before != NULL && *before != '\0' && !date_valid(before)) {
        call_error(c, "invalid_query", "due_before", "due_before");
        return;
    }
    bool only_overdue = overdue != NULL && (strcmp(overdue, "true") == 0 || strcmp(overdue, "1") == 0);
    if (overdue != NULL && !only_overdue && strcmp(overdue, "false") != 0 && strcmp(overdue, "0") != 0 && *overdue != '\0') {
        call_error(c, "invalid_query", "overdue", "overdue");
        return;
    }
    const reach_t reach = scope_reach(&c->user);
    char *today = arena_alloc(&c->arena, DATE_LEN + 1);
    date_today(today);
    query_t count, list;
    const char *from = " FROM certificates c JOIN enterprises e ON e.id = c.enterprise_id JOIN bodies b ON b.id = c.body_id "
                       "WHERE c.surveillance_due <> ''";
    query_init(&count, arena_printf(&c->arena, "SELECT COUNT(*)%s", from));
    query_init(&list, arena_printf(&c->arena, "SELECT c.number, e.name, e.region, b.name, c.status, c.expires, "
                                              "c.surveillance_due, c.surveillances_done%s", from));
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_t *x = both[i];
        query_scope(x, &reach, &cols);
        /* open: valid or suspended, not past its expiry */
        query_and_text(x, "c.status IN ('valid', 'suspended') AND c.expires >= $?", today);
        if (only_overdue)
            query_and_text(x, "c.surveillance_due < $?", today);
        if (before != NULL && *before != '\0')
            query_and_text(x, "c.surveillance_due < $?", before);
        if (q != NULL && *q != '\0')
            query_and_text(x, "(c.number LIKE UPPER($?) ESCAPE '\\' OR e.name LIKE $? ESCAPE '\\')",
                           query_like(&c->arena, q, true));
    }
    query_sql(&list, " ORDER BY c.surveillance_due, c.id");
    answer_list(c, &count, &list, page, per_page, surveillance_row, "surveillance list");
}

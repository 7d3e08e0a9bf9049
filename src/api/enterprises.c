/* Enterprises: the registry kept by admins and regional regulators, and enterprises'
 * self-registration with approval by the regulator of their region (docs/registry.md). */
#include <string.h>

#include "api/api.h"
#include "report/notices.h"
#include "core/log.h"
#include "core/regions.h"
#include "core/uscc.h"
#include "domain/certificate.h"
#include "domain/enterprise.h"
#include "domain/scope.h"
#include "domain/account.h"
#include "store/query.h"
#include "store/registry.h"
#include "store/users.h"

enum { REGISTRATIONS_PER_ADDRESS = 10 };

void enterprise_write(jw_t *w, const enterprise_t *e, const former_names_t *former)
{
    char path[256] = "", created[21], updated[21];
    region_path(e->region, path, sizeof path);
    const industry_t *ind = industry_find(e->industry);
    time_iso(e->created_at, created);
    time_iso(e->updated_at ? e->updated_at : e->created_at, updated);
    jw_object(w);
    jw_kint(w, "id", e->id);
    jw_kstr(w, "name", e->name);
    jw_kstr(w, "credit_code", e->credit_code);
    jw_kstr(w, "region", e->region);
    jw_kstr(w, "region_name", path);
    jw_kstr(w, "industry", e->industry);
    jw_kstr(w, "industry_name", ind ? ind->name : "");
    jw_kstr(w, "industry_section", ind ? ind->section : "");
    jw_kstr(w, "size", e->size);
    jw_kstr(w, "address", e->address);
    jw_kstr(w, "contact_name", e->contact_name);
    jw_kstr(w, "contact_phone", e->contact_phone);
    jw_kstr(w, "contact_email", e->contact_email);
    jw_kstr(w, "status", e->status);
    jw_kstr(w, "review_note", e->review_note);
    jw_kbool(w, "credit_code_override", e->code_override);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (former != NULL) {
        jw_key(w, "former_names");
        former_names_write(w, former);
    }
    jw_end(w);
}

static bool phone_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return true;
    if (n < 5 || n > 20)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == ' ' || *p == '(' || *p == ')'))
            return false;
    return true;
}

/* Validates the credit code in *code (normalised in place on success). An admin may pass
 * override for a code that fails only its check characters. */
static bool check_credit_code(call_t *c, const char **code, bool override, bool *overridden)
{
    uscc_result_t r = uscc_check(*code);
    *overridden = false;
    if (r.problem != USCC_OK && override && c->user.role == ROLE_ADMIN && uscc_only_check_failed(&r)) {
        *code = arena_strdup(&c->arena, r.code);
        *overridden = true;
        log_info("admin %s registers pilot credit code %s with a check-character override", c->user.login, r.code);
        return true;
    }
    return call_credit_code(c, "credit_code", *code, code);
}

/* Reads and validates enterprise fields into e. creating: the required ones must be there.
 * Every field is checked (each failure recorded, http/call.h); false when any failed. */
static bool read_fields(call_t *c, enterprise_t *e, bool creating)
{
    unsigned req = creating ? FIELD_REQUIRED : FIELD_OPTIONAL;
    bool override = false;
    body_string(c, "name", req, 2, 100, &e->name);
    body_string(c, "credit_code", req, 1, 40, &e->credit_code);
    body_string(c, "region", req, 1, 6, &e->region);
    body_string(c, "industry", req, 1, 2, &e->industry);
    body_string(c, "size", req, 1, 10, &e->size);
    body_string(c, "address", 0, 0, 200, &e->address);
    body_string(c, "contact_name", 0, 0, 50, &e->contact_name);
    body_string(c, "contact_phone", 0, 0, 20, &e->contact_phone);
    body_string(c, "contact_email", 0, 0, 100, &e->contact_email);
    body_bool(c, "credit_code_override", 0, &override);
    if (e->credit_code != NULL && !check_credit_code(c, &e->credit_code, override, &e->code_override))
        e->credit_code = NULL;
    if (e->region != NULL) {
        const region_t *r = region_find(e->region);
        if (r == NULL || r->level < 2)
            call_invalid(c, "region", "应为存在的地市或区县级行政区划代码(GB/T 2260)",
                         "must be an existing prefecture or county code (GB/T 2260)");
    }
    if (e->industry != NULL) {
        const industry_t *d = industry_find(e->industry);
        if (d == NULL || d->section[0] == '\0')
            call_invalid(c, "industry", "应为 GB/T 4754-2017 的行业大类代码 01–97", "must be a GB/T 4754-2017 division, 01–97");
    }
    if (e->size != NULL && !enterprise_size_valid(e->size))
        call_invalid(c, "size", "应为 large、medium、small 或 micro", "must be large, medium, small or micro");
    if (e->contact_phone != NULL && !phone_valid(e->contact_phone))
        call_invalid(c, "contact_phone", "电话号码格式不正确", "is not a phone number");
    if (e->contact_email != NULL && !email_address_valid(e->contact_email))
        call_invalid(c, "contact_email", "电子邮箱格式不正确", "is not an e-mail address");
    return !call_answered(c);
}

static const char *const enterprise_fields[] = {"name", "credit_code", "region", "industry", "size", "address",
                                                "contact_name", "contact_phone", "contact_email",
                                                "credit_code_override", NULL};

/* A regulator may only place an enterprise within its region. */
static bool region_in_reach(call_t *c, const char *region)
{
    if (c->user.role == ROLE_REGULATOR && !region_within(region, c->user.region)) {
        call_error(c, "out_of_region", "region");
        return false;
    }
    return true;
}

/* Loads enterprise {id} if the user may reach it; otherwise answers 404. */
bool enterprise_load_in_scope(call_t *c, enterprise_t *e)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = enterprise_by_id(c->db, &c->arena, id, e);
    if (rc < 0) {
        call_db_error(c, "enterprise lookup");
        return false;
    }
    if (rc == 0 || !scope_allows(&c->user, e->id, 0, e->region)) {
        call_error(c, "enterprise_not_found", NULL);
        return false;
    }
    return true;
}

/* Reads enterprise id back after a write, with its former names: one that cannot be read back
 * is a database error, never "not found". False after answering. */
static bool reread(call_t *c, int64_t id, enterprise_t *e, former_names_t *former)
{
    if (enterprise_by_id(c->db, &c->arena, id, e) == 1 &&
        former_names_read(c->db, &c->arena, "enterprise", id, e->renames, former) == 0)
        return true;
    call_db_error(c, "enterprise re-read");
    return false;
}

static void answer_enterprise(call_t *c, int status, int64_t id)
{
    enterprise_t e;
    former_names_t former;
    if (reread(c, id, &e, &former))
        enterprise_write(call_json_begin(c, status), &e, &former);
}

static void answer_insert_error(call_t *c, int64_t id, const char *credit_code)
{
    if (id == 0)
        call_error(c, "credit_code_taken", "credit_code", credit_code);
    else
        call_db_error(c, "enterprise insert");
}

void api_enterprises_create(call_t *c)
{
    enterprise_t e = {0};
    body_only(c, enterprise_fields);
    if (!read_fields(c, &e, true) || !region_in_reach(c, e.region))
        return;
    e.status = "approved";
    audit_actor_t actor = call_actor(c);
    e.id = enterprise_insert(c->db, &e, &actor);
    if (e.id <= 0) {
        answer_insert_error(c, e.id, e.credit_code);
        return;
    }
    answer_enterprise(c, 201, e.id);
}

static void register_enterprise(call_t *c, const enterprise_t *e_in, const char *login, const char *name,
                                const char *password, const char *key);

void api_enterprises_register(call_t *c)
{
    static const char *const fields[] = {"name", "credit_code", "region", "industry", "size", "address",
                                         "contact_name", "contact_phone", "contact_email", "account", NULL};
    static const char *const account_fields[] = {"login", "name", "password", NULL};
    enterprise_t e = {0};
    /* the enterprise's fields and the account's, all checked before any answer */
    body_only(c, fields);
    read_fields(c, &e, true);
    json_t *outer;
    const char *login = NULL, *name = NULL, *password = NULL;
    if (body_enter(c, "account", &outer)) {
        body_only(c, account_fields);
        body_string(c, "login", FIELD_REQUIRED, 3, 32, &login);
        body_string(c, "name", FIELD_REQUIRED, 1, 64, &name);
        body_string(c, "password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &password);
        body_leave(c, outer);
    }
    if (login != NULL && !login_valid(login))
        call_invalid(c, "account.login", "应为 3–32 个小写字母、数字或 . _ -", "3–32 of a–z, 0–9, '.', '_', '-'");
    else if (login != NULL && password != NULL && !password_acceptable(login, password))
        call_error(c, "weak_password", "account.password");
    if (call_answered(c))
        return;
    /* every registration that gets this far counts against the address, whatever its outcome,
     * so that one address can neither flood the review queue nor probe logins quickly */
    const char *key = arena_printf(&c->arena, "register:%s", call_peer(c));
    if (!throttle_begin(c, key, REGISTRATIONS_PER_ADDRESS))
        return;
    register_enterprise(c, &e, login, name, password, key);
    login_attempt_end(key);
}

/* The answer to a registration that went through, and to one whose login was taken: the same
 * status and the same members, all of them echoing the request, so that it does not tell
 * whether a login exists (docs/api.md). */
static void answer_registration(call_t *c, const enterprise_t *e, const char *login, const char *name)
{
    jw_t *w = call_json_begin(c, 202);
    jw_object(w);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kstr(w, "name", e->name);
    jw_kstr(w, "credit_code", e->credit_code);
    jw_kstr(w, "region", e->region);
    jw_kstr(w, "status", "pending");
    jw_end(w);
    jw_key(w, "user");
    jw_object(w);
    jw_kstr(w, "login", login);
    jw_kstr(w, "name", name);
    jw_kstr(w, "role", role_name(ROLE_ENTERPRISE));
    jw_end(w);
    jw_end(w);
}

/* The registration once its fields are valid and the address may register. Each path ends
 * with one durable write, the attempt counted against the address (within the registration's
 * transaction when it went through, on its own otherwise), so that they also take alike. */
static void register_enterprise(call_t *c, const enterprise_t *e_in, const char *login, const char *name,
                                const char *password, const char *key)
{
    enterprise_t e = *e_in;     /* a copy: its id and status are filled in here */
    char hash[PASSWORD_HASH_MAX];
    if (!password_hash(password, hash)) {
        call_error(c, "overloaded", NULL);
        return;
    }
    e.status = "pending";
    audit_actor_t actor = call_actor(c);
    actor.login = login;      /* the public, naming the account it asks for */
    if (db_begin(c->db) != STORE_DONE)
        goto failed;
    e.id = enterprise_insert(c->db, &e, &actor);
    if (e.id == 0) {
        /* the credit code is taken: said as such (the registry is no secret about which
         * enterprises it holds, and this says nothing about logins) */
        db_rollback(c->db);
        if (!login_failure_record(c->db, key)) {
            call_db_error(c, "registration throttle");
            return;
        }
        call_error(c, "credit_code_taken", "credit_code", e.credit_code);
        return;
    }
    if (e.id < 0)
        goto failed;
    new_user_t nu = {.login = login, .name = name, .password_hash = hash, .role = ROLE_ENTERPRISE,
                     .enterprise_id = e.id, .region = ""};
    int64_t uid = user_insert(c->db, &nu, &actor);
    if (uid < 0)
        goto failed;
    if (uid == 0) {
        /* the login is taken: nothing is kept, and the answer is that of a registration that
         * went through; the log keeps the case for the operators */
        db_rollback(c->db);
        if (!login_failure_record(c->db, key)) {
            call_db_error(c, "registration throttle");
            return;
        }
        log_info("self-registration of %s from %s named the taken login %s: nothing created, answered as accepted",
                 e.credit_code, call_peer(c), login);
        answer_registration(c, &e, login, name);
        return;
    }
    if (!login_failure_record(c->db, key) || notice_registration_pending(c->db, e.id, e.name, e.region) < 0 ||
        db_commit(c->db) != STORE_DONE)
        goto failed;
    log_info("enterprise %lld (%s) registered itself with login %s; pending review in region %s", (long long)e.id,
             e.credit_code, login, e.region);
    answer_registration(c, &e, login, name);
    return;
failed:
    db_rollback(c->db);
    call_db_error(c, "registration");
}

void api_enterprises_show(call_t *c)
{
    enterprise_t e;
    former_names_t former;
    if (!enterprise_load_in_scope(c, &e))
        return;
    if (former_names_read(c->db, &c->arena, "enterprise", e.id, e.renames, &former) != 0) {
        call_db_error(c, "former names");
        return;
    }
    enterprise_write(call_json_begin(c, 200), &e, &former);
}

void api_enterprises_update(call_t *c)
{
    enterprise_t e, in = {0};
    if (!enterprise_load_in_scope(c, &e))
        return;
    body_only(c, enterprise_fields);
    if (!read_fields(c, &in, false))
        return;
    bool own = c->user.role == ROLE_ENTERPRISE;
    /* the credit code (with its override) and the region are the admins' to change: the
     * registration authority issued them; sending the stored value is no change */
    if (in.credit_code != NULL && strcmp(in.credit_code, e.credit_code) == 0 && !body_has(c, "credit_code_override"))
        in.credit_code = NULL;
    if (in.region != NULL && strcmp(in.region, e.region) == 0)
        in.region = NULL;
    if (c->user.role != ROLE_ADMIN && (in.credit_code != NULL || in.region != NULL || body_has(c, "credit_code_override"))) {
        const char *field = in.credit_code ? "credit_code" : in.region ? "region" : "credit_code_override";
        call_error(c, "identifier_admin_only", field, field);
        return;
    }
    bool renamed = in.name != NULL && strcmp(in.name, e.name) != 0;
    query_t q;
    query_init(&q, "UPDATE enterprises SET ");
    query_int(&q, "updated_at = $?", now_seconds());
    const query_set_t sets[] = {
        {", name = $?", in.name}, {", credit_code = $?", in.credit_code}, {", region = $?", in.region},
        {", industry = $?", in.industry}, {", size = $?", in.size}, {", address = $?", in.address},
        {", contact_name = $?", in.contact_name}, {", contact_phone = $?", in.contact_phone},
        {", contact_email = $?", in.contact_email},
    };
    query_sets(&q, sets, (int)(sizeof sets / sizeof sets[0]));
    if (in.credit_code != NULL)
        query_int(&q, ", code_override = $?", in.code_override ? 1 : 0);
    if (own && strcmp(e.status, "rejected") == 0)
        query_sql(&q, ", status = 'pending', review_note = ''");   /* resubmitted for review */
    audit_diff_t d;
    audit_diff_init(&d);
    const char *changes[][3] = {
        {"name", e.name, in.name}, {"credit_code", e.credit_code, in.credit_code}, {"region", e.region, in.region},
        {"industry", e.industry, in.industry}, {"size", e.size, in.size}, {"address", e.address, in.address},
        {"contact_name", e.contact_name, in.contact_name}, {"contact_phone", e.contact_phone, in.contact_phone},
        {"contact_email", e.contact_email, in.contact_email},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
        audit_diff_str(&d, changes[i][0], changes[i][1], changes[i][2]);
    if (in.credit_code != NULL)
        audit_diff_bool(&d, "credit_code_override", &e.code_override, &in.code_override);
    if (own && strcmp(e.status, "rejected") == 0) {
        audit_diff_str(&d, "status", e.status, "pending");
        audit_diff_str(&d, "review_note", e.review_note, "");
    }
    audit_actor_t actor = call_actor(c);
    int rc = registry_update_named(c->db, &q, "enterprise", e.id, renamed ? e.name : NULL, &actor,
                                   in.region ? in.region : e.region, &d);
    audit_diff_free(&d);
    if (rc < 0 && db_error_kind(c->db) == DB_ERR_UNIQUE) {
        call_error(c, "credit_code_taken", "credit_code", in.credit_code ? in.credit_code : "");
        return;
    }
    if (!call_write_done(c, rc, "enterprise update"))
        return;
    if (renamed)
        log_info("enterprise %lld renamed by %s (former name kept)", (long long)e.id, c->user.login);
    answer_enterprise(c, 200, e.id);
}

void api_enterprises_review(call_t *c)
{
    static const char *const fields[] = {"decision", "note", NULL};
    enterprise_t e;
    const char *decision = NULL, *note = "";
    if (!enterprise_load_in_scope(c, &e))
        return;
    body_only(c, fields);
    body_string(c, "decision", FIELD_REQUIRED, 1, 10, &decision);
    body_string(c, "note", 0, 0, 500, &note);
    bool approve = decision != NULL && strcmp(decision, "approve") == 0;
    if (decision != NULL && !approve && strcmp(decision, "reject") != 0)
        call_invalid(c, "decision", "应为 approve 或 reject", "must be approve or reject");
    else if (decision != NULL && !approve && (note == NULL || *note == '\0'))
        call_error(c, "missing_field", "note", "note");
    if (call_answered(c))
        return;
    if (strcmp(e.status, "pending") != 0) {
        call_error(c, "already_reviewed", NULL, e.status);
        return;
    }
    int64_t now = now_seconds();
    const char *status = approve ? "approved" : "rejected";
    if (note == NULL)
        note = "";
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "status", e.status, status);
    audit_diff_str(&d, "review_note", e.review_note, note);
    audit_actor_t actor = call_actor(c);
    /* the status condition makes two simultaneous reviews safe: only one changes the row; the
     * enterprise's accounts are notified and the audit entry written in the same transaction */
    int64_t n = db_begin(c->db) == STORE_DONE
                    ? db_run(c->db,
                             "UPDATE enterprises SET status = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4, "
                             "updated_at = $4 WHERE id = $5 AND status = 'pending'",
                             "ttIII", status, note, c->user.id, now, e.id)
                    : -1;
    if (n == 1 && !audit_record_id(c->db, &actor, approve ? "enterprise.approve" : "enterprise.reject", "enterprise",
                                   e.id, e.region, audit_diff_before(&d), audit_diff_after(&d)))
        n = -1;
    if (n == 1 && notice_enterprise_review(c->db, e.id, approve, note) < 0)
        n = -1;
    audit_diff_free(&d);
    n = db_finish(c->db, n == 1 ? 1 : (int)n);
    if (n < 0) {
        call_db_error(c, "enterprise review");
        return;
    }
    if (n == 0) {
        call_error(c, "already_reviewed", NULL, "?");
        return;
    }
    log_info("enterprise %lld %s by %s", (long long)e.id, approve ? "approved" : "rejected", c->user.login);
    answer_enterprise(c, 200, e.id);
}

static void enterprise_row(call_t *c, stmt_t *st, jw_t *w)
{
    enterprise_t e;
    enterprise_read(st, &c->arena, &e);
    enterprise_write(w, &e, NULL);
}

void api_enterprises_list(call_t *c)
{
    static const sort_option_t sorts[] = {
        {"name", "e.name"}, {"credit_code", "e.credit_code"}, {"created_at", "e.created_at"}, {"updated_at", "e.updated_at"},
    };
    static const scope_columns_t cols = {.enterprise = "e.id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    const char *order;
    if (!call_page(c, &page, &per_page) || !call_sort(c, sorts, 4, "e.id", &order))
        return;
    const char *q = call_query(c, "q"), *region = call_query(c, "region"), *industry = call_query(c, "industry"),
               *size = call_query(c, "size"), *status = call_query(c, "status");
    if (call_answered(c))
        return;
    if (region != NULL && !region_filter_valid(region)) {
        call_error(c, "invalid_query", "region", "region");     /* a GB/T 2260 code or its prefix */
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM enterprises e WHERE TRUE");
    query_init(&list, "SELECT " ENTERPRISE_COLUMNS " FROM enterprises e WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_t *x = both[i];
        query_scope(x, &reach, &cols);
        if (q != NULL && *q != '\0') {
            const char *pattern = query_like(&c->arena, q, true);
            query_and_text(x, "(e.name LIKE $? ESCAPE '\\' OR e.credit_code LIKE UPPER($?) ESCAPE '\\')", pattern);
        }
        if (region != NULL && *region != '\0') {
            char prefix[7];
            region_prefix(region, prefix);
            query_and_text(x, "e.region LIKE $?", arena_printf(&c->arena, "%s%%", prefix));
        }
        if (industry != NULL && *industry != '\0')
            query_and_text(x, "e.industry = $?", industry);
        if (size != NULL && *size != '\0')
            query_and_text(x, "e.size = $?", size);
        if (status != NULL && *status != '\0')
            query_and_text(x, "e.status = $?", status);
    }
    query_sql(&list, order);
    answer_list(c, &count, &list, page, per_page, enterprise_row, "enterprise list");
}

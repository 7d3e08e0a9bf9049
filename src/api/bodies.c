/* Certification bodies: a public directory; admins register bodies, a body keeps its own
 * entry current (docs/registry.md). The founding date is shown, never used to rank. */
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "core/regions.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "store/ranking.h"

static void standing_state_write(jw_t *w, const char *key, const char *status, const char *since, const char *until)
{
    jw_key(w, key);
    jw_object(w);
    jw_kstr(w, "status", status);
    jw_kstr(w, "since", since);
    jw_kstr(w, "until", until);
    jw_end(w);
}

/* A body; former (may be NULL: left out) are its former names, history (may be NULL: left
 * out) its standing history. */
static void body_write(jw_t *w, const body_t *b, const former_names_t *former, const body_standing_history_t *history)
{
    char created[21], updated[21];
    time_iso(b->created_at, created);
    time_iso(b->updated_at ? b->updated_at : b->created_at, updated);
    jw_object(w);
    jw_kint(w, "id", b->id);
    jw_kstr(w, "name", b->name);
    jw_kstr(w, "credit_code", b->credit_code);
    jw_kstr(w, "code", b->code);
    jw_kstr(w, "approval_number", b->approval_number);
    jw_kstr(w, "cnas_number", b->cnas_number);
    jw_kstr(w, "founded", b->founded);
    jw_kstr(w, "address", b->address);
    jw_kstr(w, "contact_phone", b->contact_phone);
    jw_kstr(w, "website", b->website);
    jw_key(w, "regions");
    jw_array(w);
    for (const char *p = b->regions; p != NULL && *p;) {
        char code[7] = "";
        size_t n = strcspn(p, ",");
        snprintf(code, sizeof code, "%.*s", (int)(n < 6 ? n : 6), p);
        const region_t *reg = region_find(code);
        jw_object(w);
        jw_kstr(w, "code", code);
        jw_kstr(w, "name", reg ? reg->name : "");
        jw_end(w);
        p = p[n] == ',' ? p + n + 1 : NULL;
    }
    jw_end(w);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (former != NULL) {
        jw_key(w, "former_names");
        former_names_write(w, former);
    }
    jw_key(w, "standing");
    jw_object(w);
    standing_state_write(w, "approval", b->approval_status, b->approval_since, b->approval_until);
    standing_state_write(w, "accreditation", b->accreditation_status, b->accreditation_since, b->accreditation_until);
    jw_end(w);
    if (history != NULL) {
        jw_key(w, "standing_history");
        jw_array(w);
        for (int i = 0; i < history->n; i++) {
            const body_standing_event_t *e = &history->items[i];
            char at[21];
            time_iso(e->at, at);
            jw_object(w);
            jw_kstr(w, "which", e->which);
            jw_kstr(w, "from_status", e->from_status);
            jw_kstr(w, "to_status", e->to_status);
            jw_kstr(w, "from", e->from);
            jw_kstr(w, "until", e->until);
            jw_kstr(w, "reason", e->reason);
            jw_kstr(w, "at", at);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

static void body_row(call_t *c, stmt_t *st, jw_t *w)
{
    body_t b;
    body_read(st, &c->arena, &b);
    body_write(w, &b, NULL, NULL);
}

static const char *const body_fields[] = {"name", "credit_code", "code", "approval_number", "cnas_number", "founded",
                                          "address", "contact_phone", "website", "regions", NULL};

/* Validates body fields into b; regions are joined into b->regions. Every field is checked
 * (each failure recorded, http/call.h); false when any failed. */
static bool read_fields(call_t *c, body_t *b, bool creating)
{
    unsigned req = creating ? FIELD_REQUIRED : FIELD_OPTIONAL;
    const char **regions = NULL;
    int nregions = 0;
    body_string(c, "name", req, 2, 100, &b->name);
    body_string(c, "credit_code", req, 1, 40, &b->credit_code);
    body_string(c, "code", req, 3, 3, &b->code);
    body_string(c, "approval_number", req, 1, 60, &b->approval_number);
    body_string(c, "cnas_number", 0, 0, 60, &b->cnas_number);
    body_string(c, "founded", 0, 0, 10, &b->founded);
    body_string(c, "address", 0, 0, 200, &b->address);
    body_string(c, "contact_phone", 0, 0, 20, &b->contact_phone);
    body_string(c, "website", 0, 0, 200, &b->website);
    body_string_list(c, "regions", 0, 40, region_is_province, &regions, &nregions);
    if (b->credit_code != NULL)
        call_credit_code(c, "credit_code", b->credit_code, &b->credit_code);
    if (b->code != NULL && (strspn(b->code, "0123456789") != 3 || strlen(b->code) != 3))
        call_invalid(c, "code", "机构代码应为 3 位数字", "a body code has 3 digits");
    if (b->founded != NULL && *b->founded != '\0' && !date_valid(b->founded))
        call_invalid(c, "founded", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
    if (call_answered(c))
        return false;
    if (regions != NULL)
        b->regions = arena_join(&c->arena, regions, nregions, ",");
    return true;
}

static bool load(call_t *c, body_t *b)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = body_by_id(c->db, &c->arena, id, b);
    if (rc < 0)
        call_db_error(c, "body lookup");
    else if (rc == 0)
        call_error(c, "body_not_found", NULL);
    return rc == 1;
}

/* Answers body id as it is now, with its former names, re-read after a write: a body that
 * cannot be read back is a database error, never "not found". */
static void answer_body(call_t *c, int status, int64_t id)
{
    body_t b;
    former_names_t former;
    body_standing_history_t history;
    if (body_by_id(c->db, &c->arena, id, &b) != 1 ||
        former_names_read(c->db, &c->arena, "body", id, b.renames, &former) != 0 ||
        body_standing_history(c->db, &c->arena, id, &history) != 0) {
        call_db_error(c, "body re-read");
        return;
    }
    body_write(call_json_begin(c, status), &b, &former, &history);
}

/* After a unique constraint refused b: which of its identifiers another body (not self) holds. */
static void answer_unique(call_t *c, const body_t *b, int64_t self)
{
    static const struct {
        const char *sql, *field, *code;
    } unique[] = {
        {"SELECT 1 FROM bodies WHERE code = $1 AND id <> $2", "code", "body_code_taken"},
        {"SELECT 1 FROM bodies WHERE approval_number = $1 AND id <> $2", "approval_number", "approval_number_taken"},
        {"SELECT 1 FROM bodies WHERE cnas_number = $1 AND id <> $2", "cnas_number", "cnas_number_taken"},
        {"SELECT 1 FROM bodies WHERE credit_code = $1 AND id <> $2", "credit_code", "credit_code_taken"},
    };
    const char *values[] = {b->code, b->approval_number, b->cnas_number, b->credit_code};
    for (size_t i = 0; i < sizeof unique / sizeof unique[0]; i++) {
        if (values[i] == NULL || *values[i] == '\0')
            continue;
        stmt_t *st = db_query(c->db, unique[i].sql, "tI", values[i], self);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "body unique lookup");
            return;
        }
        if (rc == STORE_ROW) {
            call_error(c, unique[i].code, unique[i].field, values[i]);
            return;
        }
    }
    call_error(c, "changed_concurrently", NULL);     /* the other body changed meanwhile */
}

void api_bodies_list(call_t *c)
{
    static const sort_option_t sorts[] = {{"name", "b.name"}, {"created_at", "b.created_at"}};
    int page, per_page;
    const char *order;
    if (!call_page(c, &page, &per_page) || !call_sort(c, sorts, 2, "b.id", &order))
        return;
    const char *q = call_query(c, "q"), *region = call_query(c, "region");
    if (call_answered(c))
        return;
    if (region != NULL && !region_filter_valid(region)) {
        call_error(c, "invalid_query", "region", "region");     /* a GB/T 2260 code or its prefix */
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM bodies b WHERE TRUE");
    query_init(&list, "SELECT " BODY_COLUMNS " FROM bodies b WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (q != NULL && *q != '\0')
            query_and_text(both[i], "(b.name LIKE $? ESCAPE '\\' OR b.approval_number LIKE $? ESCAPE '\\')",
                           query_like(&c->arena, q, true));
        if (region != NULL && *region != '\0') {
            /* a body serving the region's province, or the whole country */
            char province[7];
            snprintf(province, sizeof province, "%.2s0000", region);
            query_and_text(both[i], "(b.regions = '' OR (',' || b.regions || ',') LIKE $?)",
                           arena_printf(&c->arena, "%%,%s,%%", province));
        }
    }
    query_sql(&list, order);
    answer_list(c, &count, &list, page, per_page, body_row, "body list");
}

void api_bodies_show(call_t *c)
{
    body_t b;
    if (load(c, &b))
        answer_body(c, 200, b.id);
}

void api_bodies_create(call_t *c)
{
    body_t b = {0};
    body_only(c, body_fields);
    if (!read_fields(c, &b, true))
        return;
    audit_actor_t actor = call_actor(c);
    b.id = body_insert(c->db, &b, &actor);
    if (b.id == 0) {
        answer_unique(c, &b, 0);
        return;
    }
    if (b.id < 0) {
        call_db_error(c, "body insert");
        return;
    }
    answer_body(c, 201, b.id);
}

void api_bodies_update(call_t *c)
{
    body_t b, in = {0};
    if (!load(c, &b))
        return;
    if (c->user.role == ROLE_BODY && c->user.body_id != b.id) {
        call_error(c, "forbidden", NULL);
        return;
    }
    body_only(c, body_fields);
    if (!read_fields(c, &in, false))
        return;
    /* the identifiers a registration or accreditation authority issued are the admins' to change;
     * a body sending its own unchanged is no change */
    const struct {
        const char *field, **value, *stored;
    } issued[] = {{"credit_code", &in.credit_code, b.credit_code}, {"code", &in.code, b.code},
                  {"approval_number", &in.approval_number, b.approval_number},
                  {"cnas_number", &in.cnas_number, b.cnas_number}};
    for (size_t i = 0; i < sizeof issued / sizeof issued[0]; i++) {
        if (*issued[i].value == NULL || strcmp(*issued[i].value, issued[i].stored) == 0)
            *issued[i].value = NULL;
        else if (c->user.role != ROLE_ADMIN) {
            call_error(c, "identifier_admin_only", issued[i].field, issued[i].field);
            return;
        }
    }
    bool renamed = in.name != NULL && strcmp(in.name, b.name) != 0;
    query_t q;
    query_init(&q, "UPDATE bodies SET ");
    query_int(&q, "updated_at = $?", now_seconds());
    const query_set_t sets[] = {
        {", name = $?", in.name}, {", credit_code = $?", in.credit_code}, {", code = $?", in.code},
        {", approval_number = $?", in.approval_number}, {", cnas_number = $?", in.cnas_number},
        {", founded = $?", in.founded}, {", address = $?", in.address}, {", contact_phone = $?", in.contact_phone},
        {", website = $?", in.website}, {", regions = $?", in.regions},
    };
    query_sets(&q, sets, (int)(sizeof sets / sizeof sets[0]));
    audit_diff_t d;
    audit_diff_init(&d);
    const char *changes[][3] = {
        {"name", b.name, in.name}, {"credit_code", b.credit_code, in.credit_code}, {"code", b.code, in.code},
        {"approval_number", b.approval_number, in.approval_number}, {"cnas_number", b.cnas_number, in.cnas_number},
        {"founded", b.founded, in.founded}, {"address", b.address, in.address},
        {"contact_phone", b.contact_phone, in.contact_phone}, {"website", b.website, in.website},
        {"regions", b.regions, in.regions},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
        audit_diff_str(&d, changes[i][0], changes[i][1], changes[i][2]);
    audit_actor_t actor = call_actor(c);
    int rc = registry_update_named(c->db, &q, "body", b.id, renamed ? b.name : NULL, &actor, "", &d);
    audit_diff_free(&d);
    if (rc < 0 && db_error_kind(c->db) == DB_ERR_UNIQUE) {
        answer_unique(c, &in, b.id);
        return;
    }
    if (!call_write_done(c, rc, "body update"))
        return;
    answer_body(c, 200, b.id);
}

/* POST /api/bodies/{id}/standing (admins): records a suspension, withdrawal or restoration of
 * the body's approval or accreditation (store/registry.h body_standing_set). */
void api_bodies_standing(call_t *c)
{
    static const char *const fields[] = {"which", "status", "from", "until", "reason", NULL};
    body_t b;
    if (!load(c, &b))
        return;
    body_only(c, fields);
    body_standing_change_t ch = {0};
    body_string(c, "which", FIELD_REQUIRED, 1, 20, &ch.which);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &ch.status);
    body_string(c, "from", FIELD_REQUIRED, 10, 10, &ch.from);
    body_string(c, "until", FIELD_NULLABLE, 0, 10, &ch.until);
    body_string(c, "reason", 0, 0, 500, &ch.reason);
    if (ch.which != NULL && strcmp(ch.which, "approval") != 0 && strcmp(ch.which, "accreditation") != 0)
        call_invalid(c, "which", "应为 approval 或 accreditation", "approval or accreditation");
    if (ch.status != NULL && strcmp(ch.status, "valid") != 0 && strcmp(ch.status, "suspended") != 0 &&
        strcmp(ch.status, "withdrawn") != 0)
        call_invalid(c, "status", "应为 valid、suspended 或 withdrawn", "valid, suspended or withdrawn");
    if (ch.from != NULL && !date_valid(ch.from))
        call_invalid(c, "from", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
    if (ch.until != NULL && *ch.until != '\0') {
        if (!date_valid(ch.until))
            call_invalid(c, "until", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD");
        else if (ch.from != NULL && strcmp(ch.until, ch.from) < 0)
            call_invalid(c, "until", "结束日期不能早于开始日期", "until is not before from");
    }
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = body_standing_set(c->db, b.id, &ch, &actor);
    if (rc == 0) {
        call_error(c, "body_standing_final", ch.which);     /* withdrawn, or changed meanwhile */
        return;
    }
    if (rc < 0) {
        call_db_error(c, "body standing");
        return;
    }
    /* a withdrawn body leaves the ranking (GET /api/rankings hides it at once; the job also
     * takes its reviews out of the platform means) */
    if (strcmp(ch.which, "approval") == 0 && strcmp(ch.status, "withdrawn") == 0 && !ranking_refresh_enqueue(c->db))
        log_error("ranking refresh after the withdrawal of body %lld: %s", (long long)b.id, db_error(c->db));
    answer_body(c, 200, b.id);
}

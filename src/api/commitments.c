/* Service commitments (docs/marketplace.md): the public catalogue and a commitment's page with
 * its versions and what changed between two; a body publishes its own commitments, new
 * versions of them (guarded by the version they replace), withdraws and republishes them. A
 * published version is never edited: there is no route to do it. */
#include <string.h>

#include "api/api.h"
#include "core/regions.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "store/commitments.h"

enum {
    TITLE_MAX = 120, LONG_TEXT_MAX = 2000, CHANNEL_MAX = 500, NOTE_MAX = 500,
    PRICE_MAX = 100000000, LEAD_DAYS_MAX = 365, RESPONSE_HOURS_MAX = 720,
};
#define MAN_DAYS_MAX 1000.0

static const char *const coverage_categories[] = {"quality", "benefit", "management"};

static bool coverage_valid(const char *s)
{
    for (size_t i = 0; i < sizeof coverage_categories / sizeof coverage_categories[0]; i++)
        if (strcmp(s, coverage_categories[i]) == 0)
            return true;
    return false;
}

/* ---- answers ---- */

/* A commitment with the version in it; versions (may be NULL: left out) are its earlier ones. */
static void commitment_write(jw_t *w, const commitment_t *m, const commitment_version_notes_t *versions)
{
    char published[21], created[21], updated[21];
    time_iso(m->published_at, published);
    time_iso(m->created_at, created);
    time_iso(m->updated_at, updated);
    jw_object(w);
    jw_kint(w, "id", m->id);
    jw_kstr(w, "status", m->status);
    jw_kint(w, "version", m->version_shown);
    jw_kint(w, "current_version", m->version);
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", m->body_id);
    jw_kstr(w, "name", m->body_name);
    jw_key(w, "standing");
    jw_object(w);
    jw_kstr(w, "approval", m->body_approval_status);
    jw_kstr(w, "accreditation", m->body_accreditation_status);
    jw_end(w);
    jw_end(w);
    for (int i = 0; i < commitment_fields_count; i++) {
        jw_key(w, commitment_fields[i].name);
        commitment_field_write(w, &commitment_fields[i], &m->content);
    }
    jw_kstr(w, "change_note", m->change_note);
    jw_kstr(w, "published_at", published);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (versions != NULL) {
        jw_key(w, "versions");
        jw_array(w);
        for (int i = 0; i < versions->n; i++) {
            char at[21];
            time_iso(versions->items[i].published_at, at);
            jw_object(w);
            jw_kint(w, "version", versions->items[i].version);
            jw_kstr(w, "published_at", at);
            jw_kstr(w, "change_note", versions->items[i].change_note);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

static void commitment_row(call_t *c, stmt_t *st, jw_t *w)
{
    commitment_t m;
    commitment_read(st, &c->arena, &m);
    commitment_write(w, &m, NULL);
}

/* Loads commitment {id} of the path with its version `version` (0: the current one); answers
 * 404 (or the database error) and returns false when there is none. */
static bool load(call_t *c, int64_t version, commitment_t *m)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = commitment_by_id(c->db, &c->arena, id, version, m);
    if (rc == STORE_ERROR)
        call_db_error(c, "commitment lookup");
    else if (rc == STORE_DONE && version == 0)
        call_error(c, "commitment_not_found", NULL);
    else if (rc == STORE_DONE)
        call_error(c, "commitment_version_not_found", NULL, arena_printf(&c->arena, "%lld", (long long)version));
    return rc == STORE_ROW;
}

/* Loads commitment {id} for a change by the caller: its body's staff, admins (scope_allows);
 * 403 for another body's. */
static bool load_own(call_t *c, commitment_t *m)
{
    if (!load(c, 0, m))
        return false;
    if (!scope_allows(&c->user, 0, m->body_id, "")) {
        call_error(c, "forbidden", NULL);
        return false;
    }
    return true;
}

/* Answers commitment id as it is now, with its earlier versions, read again after a write. */
static void answer_commitment(call_t *c, int status, int64_t id)
{
    commitment_t m;
    commitment_version_notes_t versions;
    if (commitment_by_id(c->db, &c->arena, id, 0, &m) != STORE_ROW ||
        commitment_versions_below(c->db, &c->arena, id, m.version_shown, &versions) != 0) {
        call_db_error(c, "commitment re-read");
        return;
    }
    commitment_write(call_json_begin(c, status), &m, &versions);
}

/* ---- the form ---- */

static const char *const publish_fields[] = {
    "body_id", "title", "edition", "areas", "stages", "regions", "industries", "effectiveness_coverage",
    "effectiveness_method", "man_days_large", "man_days_medium", "man_days_small", "man_days_micro", "price_min",
    "price_max", "lead_time_days", "response_hours", "surveillance_terms", "complaint_channel", NULL,
};
static const char *const version_fields[] = {
    "base_version", "title", "edition", "areas", "stages", "regions", "industries", "effectiveness_coverage",
    "effectiveness_method", "man_days_large", "man_days_medium", "man_days_small", "man_days_micro", "price_min",
    "price_max", "lead_time_days", "response_hours", "surveillance_terms", "complaint_channel", "change_note", NULL,
};

/* A list member joined with ","; required lists must have an item. */
static void read_list(call_t *c, const char *field, bool required, int max, bool (*valid)(const char *), const char **out)
{
    const char **items = NULL;
    int n = 0;
    if (!body_string_list(c, field, required ? FIELD_REQUIRED : 0, max, valid, &items, &n) || items == NULL)
        return;
    if (required && n == 0) {
        call_invalid(c, field, "至少选择一项", "choose at least one");
        return;
    }
    *out = arena_join(&c->arena, items, n, ",");
}

static void read_man_days(call_t *c, const char *field, double *out)
{
    double v = -1;
    if (body_number(c, field, FIELD_REQUIRED, 0, MAN_DAYS_MAX, &v) && v <= 0)
        call_invalid(c, field, "人日数应大于 0", "man-days are more than 0");
    *out = v;
}

/* Validates the content of a version into v (every field checked, each failure recorded:
 * http/call.h). False when any failed. */
static bool read_content(call_t *c, commitment_content_t *v)
{
    *v = (commitment_content_t){.areas = "", .stages = "", .regions = "", .industries = "",
                                .effectiveness_coverage = "", .effectiveness_method = "",
                                .surveillance_terms = "", .complaint_channel = ""};
    body_string(c, "title", FIELD_REQUIRED, 2, TITLE_MAX, &v->title);
    body_string(c, "edition", FIELD_REQUIRED, 1, 40, &v->edition);
    read_list(c, "areas", true, 20, cert_scope_area_valid, &v->areas);
    read_list(c, "stages", true, 20, cert_scope_stage_valid, &v->stages);
    read_list(c, "regions", false, 40, region_is_province, &v->regions);
    read_list(c, "industries", false, 30, industry_is_section, &v->industries);
    read_list(c, "effectiveness_coverage", false, 3, coverage_valid, &v->effectiveness_coverage);
    body_string(c, "effectiveness_method", 0, 0, LONG_TEXT_MAX, &v->effectiveness_method);
    read_man_days(c, "man_days_large", &v->man_days_large);
    read_man_days(c, "man_days_medium", &v->man_days_medium);
    read_man_days(c, "man_days_small", &v->man_days_small);
    read_man_days(c, "man_days_micro", &v->man_days_micro);
    v->price_min = v->price_max = -1;
    body_int(c, "price_min", FIELD_REQUIRED, 1, PRICE_MAX, &v->price_min);
    body_int(c, "price_max", FIELD_REQUIRED, 1, PRICE_MAX, &v->price_max);
    body_int(c, "lead_time_days", FIELD_REQUIRED, 1, LEAD_DAYS_MAX, &v->lead_time_days);
    body_int(c, "response_hours", FIELD_REQUIRED, 1, RESPONSE_HOURS_MAX, &v->response_hours);
    body_string(c, "surveillance_terms", 0, 0, LONG_TEXT_MAX, &v->surveillance_terms);
    body_string(c, "complaint_channel", 0, 0, CHANNEL_MAX, &v->complaint_channel);
    if (v->edition != NULL && !cert_standard_valid(v->edition))
        call_invalid(c, "edition", "应为 GB/T 29490-2023 或 GB/T 29490-2013", "GB/T 29490-2023 or GB/T 29490-2013");
    if (v->price_min > 0 && v->price_max > 0 && v->price_min > v->price_max)
        call_invalid(c, "price_max", "最高价不能低于最低价", "price_max is not below price_min");
    return !call_answered(c);
}

/* ---- reads ---- */

void api_commitments_list(call_t *c)
{
    static const sort_option_t sorts[] = {
        {"newest", "(0 - v.published_at)"},     /* newest first; -newest: oldest first */
        {"lead_time", "v.lead_time_days"},
        {"price", "v.price_min"},
    };
    int page, per_page;
    const char *order;
    int64_t body_id = 0, price_max = 0, lead_max = 0;
    if (!call_page(c, &page, &per_page) || !call_sort(c, sorts, 3, "m.id DESC", &order) ||
        !call_query_int(c, "body_id", 1, INT64_MAX, &body_id) ||
        !call_query_int(c, "price_max", 1, PRICE_MAX, &price_max) ||
        !call_query_int(c, "lead_time_max", 1, LEAD_DAYS_MAX, &lead_max))
        return;
    const char *q = call_query(c, "q"), *region = call_query(c, "region"), *industry = call_query(c, "industry");
    const char *edition = call_query(c, "edition"), *coverage = call_query(c, "coverage");
    if (call_answered(c))
        return;
    /* a province, or any division within one: the province served */
    char province[7] = "";
    if (region != NULL && *region != '\0') {
        snprintf(province, sizeof province, "%.2s0000", region);
        if (strlen(region) < 2 || !region_filter_valid(region) || !region_is_province(province)) {
            call_error(c, "invalid_query", "region", "region");
            return;
        }
    }
    /* a section letter, or a division of it */
    const char *section = NULL;
    if (industry != NULL && *industry != '\0') {
        const industry_t *ind = industry_find(industry);
        if (ind == NULL) {
            call_error(c, "invalid_query", "industry", "industry");
            return;
        }
        section = ind->section[0] != '\0' ? ind->section : ind->code;
    }
    if (edition != NULL && *edition != '\0' && !cert_standard_valid(edition)) {
        call_error(c, "invalid_query", "edition", "edition");
        return;
    }
    const char *categories[4];
    int ncategories = 0;
    for (const char *p = coverage; p != NULL && *p;) {
        size_t n = strcspn(p, ",");
        const char *one = arena_strndup(&c->arena, p, n);
        if (ncategories == 3 || !coverage_valid(one)) {
            call_error(c, "invalid_query", "coverage", "coverage");
            return;
        }
        categories[ncategories++] = one;
        p = p[n] == ',' ? p + n + 1 : NULL;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" COMMITMENT_FROM_CURRENT " WHERE m.status = 'published'");
    query_init(&list, "SELECT " COMMITMENT_COLUMNS COMMITMENT_FROM_CURRENT " WHERE m.status = 'published'");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_t *x = both[i];
        if (q != NULL && *q != '\0') {
            const char *like = query_like(&c->arena, q, true);
            query_and_text(x, "(v.title LIKE $? ESCAPE '\\'", like);
            query_text(x, " OR b.name LIKE $? ESCAPE '\\')", like);
        }
        if (*province != '\0')      /* '' regions: nationwide */
            query_and_text(x, "(v.regions = '' OR (',' || v.regions || ',') LIKE $?)",
                           arena_printf(&c->arena, "%%,%s,%%", province));
        if (section != NULL)        /* '' industries: every one */
            query_and_text(x, "(v.industries = '' OR (',' || v.industries || ',') LIKE $?)",
                           arena_printf(&c->arena, "%%,%s,%%", section));
        if (edition != NULL && *edition != '\0')
            query_and_text(x, "v.edition = $?", edition);
        if (price_max > 0)
            query_and_int(x, "v.price_max <= $?", price_max);
        if (lead_max > 0)
            query_and_int(x, "v.lead_time_days <= $?", lead_max);
        if (body_id > 0)
            query_and_int(x, "m.body_id = $?", body_id);
        for (int k = 0; k < ncategories; k++)
            query_and_text(x, "(',' || v.effectiveness_coverage || ',') LIKE $?",
                           arena_printf(&c->arena, "%%,%s,%%", categories[k]));
    }
    query_sql(&list, order);
    answer_list(c, &count, &list, page, per_page, commitment_row, "commitment list");
}

/* GET /api/bodies/{id}/commitments: every commitment of the body, withdrawn ones too (its
 * staff, admins; 404 for another body's staff). */
void api_body_commitments_list(call_t *c)
{
    int page, per_page;
    int64_t id = call_param_id(c, "id");
    if (id == 0 || !call_page(c, &page, &per_page))
        return;
    body_t b;
    int rc = scope_allows(&c->user, 0, id, "") ? body_by_id(c->db, &c->arena, id, &b) : 0;
    if (rc != 1) {      /* another body's list is as absent as a body that does not exist */
        if (rc < 0)
            call_db_error(c, "body lookup");
        else
            call_error(c, "body_not_found", NULL);
        return;
    }
    static const scope_columns_t cols = {.body = "m.body_id"};
    reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" COMMITMENT_FROM_CURRENT " WHERE TRUE");
    query_init(&list, "SELECT " COMMITMENT_COLUMNS COMMITMENT_FROM_CURRENT " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_and_int(both[i], "m.body_id = $?", id);
        query_scope(both[i], &reach, &cols);
    }
    query_sql(&list, " ORDER BY m.updated_at DESC, m.id DESC");
    answer_list(c, &count, &list, page, per_page, commitment_row, "body commitment list");
}

void api_commitments_show(call_t *c)
{
    commitment_t m;
    if (load(c, 0, &m))
        answer_commitment(c, 200, m.id);
}

void api_commitments_version_show(call_t *c)
{
    int64_t n = call_param_id(c, "n");
    commitment_t m;
    if (n != 0 && load(c, n, &m))
        commitment_write(call_json_begin(c, 200), &m, NULL);
}

/* GET /api/commitments/{id}/diff?from=&to=: the fields that differ, in the form's order. */
void api_commitments_diff(call_t *c)
{
    int64_t from = 0, to = 0;
    if (!call_query_int(c, "from", 1, INT64_MAX, &from) || !call_query_int(c, "to", 1, INT64_MAX, &to))
        return;
    if (from == 0 || to == 0) {
        call_error(c, "missing_query", from == 0 ? "from" : "to", from == 0 ? "from" : "to");
        return;
    }
    commitment_t a, b;
    if (!load(c, from, &a) || !load(c, to, &b))
        return;
    jw_t *w = call_json_begin(c, 200);
    jw_array(w);
    for (int i = 0; i < commitment_fields_count; i++) {
        const commitment_field_t *f = &commitment_fields[i];
        if (commitment_field_equal(f, &a.content, &b.content))
            continue;
        jw_object(w);
        jw_kstr(w, "field", f->name);
        jw_key(w, "before");
        commitment_field_write(w, f, &a.content);
        jw_key(w, "after");
        commitment_field_write(w, f, &b.content);
        jw_end(w);
    }
    jw_end(w);
}

/* ---- writes ---- */

void api_commitments_create(call_t *c)
{
    int64_t body_id = 0;
    commitment_content_t v;
    body_only(c, publish_fields);
    body_int(c, "body_id", FIELD_NULLABLE, 1, INT64_MAX, &body_id);
    if (c->user.role == ROLE_BODY && body_id != 0 && body_id != c->user.body_id)
        call_invalid(c, "body_id", "认证机构只能以本机构名义发布承诺", "a body publishes commitments in its own name only");
    else if (c->user.role != ROLE_BODY && body_id == 0)
        call_error(c, "missing_field", "body_id", "body_id");
    if (!read_content(c, &v))
        return;
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
    audit_actor_t actor = call_actor(c);
    int64_t id = commitment_publish(c->db, body_id, &v, &actor);
    if (id <= 0) {
        call_db_error(c, "commitment publish");
        return;
    }
    answer_commitment(c, 201, id);
}

void api_commitments_version_create(call_t *c)
{
    commitment_t m;
    if (!load_own(c, &m))
        return;
    int64_t base = 0;
    const char *note = "";
    commitment_content_t v;
    body_only(c, version_fields);
    body_int(c, "base_version", FIELD_REQUIRED, 1, INT64_MAX, &base);
    body_string(c, "change_note", 0, 0, NOTE_MAX, &note);
    if (!read_content(c, &v))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? commitment_publish_version(c->db, m.id, base, &v, note, &actor) : -1;
    /* enterprises with an open engagement under it hear of it in the same transaction */
    if (rc == 1 && notice_commitment_version(c->db, m.id, base + 1, v.title) < 0)
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        commitment_t now;
        int64_t current = commitment_by_id(c->db, &c->arena, m.id, 0, &now) == STORE_ROW ? now.version : m.version;
        call_error(c, "commitment_version_conflict", "base_version", arena_printf(&c->arena, "%lld", (long long)current));
        return;
    }
    if (rc < 0) {
        call_db_error(c, "commitment version");
        return;
    }
    answer_commitment(c, 201, m.id);
}

static void set_status(call_t *c, const char *from, const char *to, const char *refused)
{
    commitment_t m;
    if (!load_own(c, &m))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = commitment_set_status(c->db, m.id, from, to, &actor);
    if (rc == 0)
        call_error(c, refused, NULL);
    else if (rc < 0)
        call_db_error(c, "commitment status");
    else
        answer_commitment(c, 200, m.id);
}

void api_commitments_withdraw(call_t *c) { set_status(c, "published", "withdrawn", "commitment_not_published"); }

void api_commitments_republish(call_t *c) { set_status(c, "withdrawn", "published", "commitment_not_withdrawn"); }

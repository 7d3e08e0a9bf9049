/* Service commitments and their versions (commitments.h): reading, publishing, new versions
 * guarded by the version they replace, withdrawal and republication; each write audited in its
 * own transaction (entity "commitment"). */
#include "store/commitments.h"
#include "store/search.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

#define FIELD(name, kind, member) {name, kind, offsetof(commitment_content_t, member)}
const commitment_field_t commitment_fields[] = {
    FIELD("title", CF_TEXT, title),
    FIELD("edition", CF_TEXT, edition),
    FIELD("areas", CF_LIST, areas),
    FIELD("stages", CF_LIST, stages),
    FIELD("regions", CF_LIST, regions),
    FIELD("industries", CF_LIST, industries),
    FIELD("effectiveness_coverage", CF_LIST, effectiveness_coverage),
    FIELD("effectiveness_method", CF_TEXT, effectiveness_method),
    FIELD("man_days_large", CF_NUMBER, man_days_large),
    FIELD("man_days_medium", CF_NUMBER, man_days_medium),
    FIELD("man_days_small", CF_NUMBER, man_days_small),
    FIELD("man_days_micro", CF_NUMBER, man_days_micro),
    FIELD("price_min", CF_INT, price_min),
    FIELD("price_max", CF_INT, price_max),
    FIELD("lead_time_days", CF_INT, lead_time_days),
    FIELD("response_hours", CF_INT, response_hours),
    FIELD("surveillance_terms", CF_TEXT, surveillance_terms),
    FIELD("complaint_channel", CF_TEXT, complaint_channel),
};
#undef FIELD
const int commitment_fields_count = (int)(sizeof commitment_fields / sizeof commitment_fields[0]);

static const char *text_of(const commitment_field_t *f, const commitment_content_t *c)
{
    const char *s = *(const char *const *)((const char *)c + f->offset);
    return s ? s : "";
}

static double number_of(const commitment_field_t *f, const commitment_content_t *c)
{
    return *(const double *)((const char *)c + f->offset);
}

static int64_t int_of(const commitment_field_t *f, const commitment_content_t *c)
{
    return *(const int64_t *)((const char *)c + f->offset);
}

bool commitment_field_equal(const commitment_field_t *f, const commitment_content_t *a, const commitment_content_t *b)
{
    switch (f->kind) {
    case CF_TEXT:
    case CF_LIST: return strcmp(text_of(f, a), text_of(f, b)) == 0;
    case CF_NUMBER: return number_of(f, a) == number_of(f, b);
    case CF_INT: return int_of(f, a) == int_of(f, b);
    }
    return false;
}

void commitment_field_write(jw_t *w, const commitment_field_t *f, const commitment_content_t *content)
{
    switch (f->kind) {
    case CF_TEXT: jw_str(w, text_of(f, content)); break;
    case CF_LIST: jw_csv_array(w, text_of(f, content)); break;
    case CF_INT: jw_int(w, int_of(f, content)); break;
    case CF_NUMBER: {
        char num[32];     /* man-days: a few digits, never NaN (CHECKed on input) */
        snprintf(num, sizeof num, "%.15g", number_of(f, content));
        jw_raw(w, num);
        break;
    }
    }
}

static const char *dup(arena_t *a, stmt_t *st, int col) { return arena_strdup(a, stmt_text(st, col)); }

void commitment_read(stmt_t *st, arena_t *a, commitment_t *out)
{
    commitment_content_t *v = &out->content;
    out->id = stmt_int(st, 0);
    out->body_id = stmt_int(st, 1);
    out->version = stmt_int(st, 2);
    out->status = dup(a, st, 3);
    out->created_at = stmt_int(st, 4);
    out->updated_at = stmt_int(st, 5);
    out->version_shown = stmt_int(st, 6);
    v->title = dup(a, st, 7);
    v->edition = dup(a, st, 8);
    v->areas = dup(a, st, 9);
    v->stages = dup(a, st, 10);
    v->regions = dup(a, st, 11);
    v->industries = dup(a, st, 12);
    v->effectiveness_coverage = dup(a, st, 13);
    v->effectiveness_method = dup(a, st, 14);
    v->surveillance_terms = dup(a, st, 15);
    v->complaint_channel = dup(a, st, 16);
    v->man_days_large = stmt_double(st, 17);
    v->man_days_medium = stmt_double(st, 18);
    v->man_days_small = stmt_double(st, 19);
    v->man_days_micro = stmt_double(st, 20);
    v->price_min = stmt_int(st, 21);
    v->price_max = stmt_int(st, 22);
    v->lead_time_days = stmt_int(st, 23);
    v->response_hours = stmt_int(st, 24);
    out->change_note = dup(a, st, 25);
    out->published_at = stmt_int(st, 26);
    out->body_name = dup(a, st, 27);
    out->body_approval_status = dup(a, st, 28);
    out->body_accreditation_status = dup(a, st, 29);
}

int commitment_by_id(db_t *db, arena_t *a, int64_t id, int64_t version, commitment_t *out)
{
    /* version 0: the current one (v.version = m.version) */
    stmt_t *st = db_query(db,
                          "SELECT " COMMITMENT_COLUMNS " FROM commitments m JOIN commitment_versions v ON "
                          "v.commitment_id = m.id AND v.version = CASE WHEN $2 = 0 THEN m.version ELSE $2 END "
                          "JOIN bodies b ON b.id = m.body_id WHERE m.id = $1",
                          "II", id, version);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        commitment_read(st, a, out);
    stmt_done(st);
    return rc;
}

int commitment_versions_below(db_t *db, arena_t *a, int64_t id, int64_t below, commitment_version_notes_t *out)
{
    out->items = NULL;
    out->n = 0;
    if (below <= 1)
        return 0;
    out->items = arena_alloc(a, (size_t)(below - 1) * sizeof *out->items);
    stmt_t *st = db_query(db,
                          "SELECT version, published_at, change_note FROM commitment_versions "
                          "WHERE commitment_id = $1 AND version < $2 ORDER BY version DESC",
                          "II", id, below);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW && out->n < below - 1) {
        commitment_version_note_t *n = &out->items[out->n++];
        n->version = stmt_int(st, 0);
        n->published_at = stmt_int(st, 1);
        n->change_note = dup(a, st, 2);
    }
    stmt_done(st);
    return rc == STORE_ERROR ? -1 : 0;
}

static bool insert_version(db_t *db, int64_t id, int64_t version, int64_t body_id, const commitment_content_t *v,
                           const char *change_note, const audit_actor_t *actor, int64_t at)
{
    int64_t user = audit_actor_user(actor);
    stmt_t *st = db_query(db,
        "INSERT INTO commitment_versions (commitment_id, version, body_id, title, edition, areas, stages, regions, "
        "industries, effectiveness_coverage, effectiveness_method, man_days_large, man_days_medium, man_days_small, "
        "man_days_micro, price_min, price_max, lead_time_days, response_hours, surveillance_terms, complaint_channel, "
        "change_note, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17, $18, $19, $20, $21, $22, NULLIF($23, 0), $24) RETURNING id",
        "IIIttttttttddddIIIItttII", id, version, body_id, v->title, v->edition, v->areas ? v->areas : "",
        v->stages ? v->stages : "", v->regions ? v->regions : "", v->industries ? v->industries : "",
        v->effectiveness_coverage ? v->effectiveness_coverage : "",
        v->effectiveness_method ? v->effectiveness_method : "", v->man_days_large, v->man_days_medium,
        v->man_days_small, v->man_days_micro, v->price_min, v->price_max, v->lead_time_days, v->response_hours,
        v->surveillance_terms ? v->surveillance_terms : "", v->complaint_channel ? v->complaint_channel : "",
        change_note ? change_note : "", user, at);
    /* published_by is a foreign key: 0 (the platform, the seed) is written as NULL */
    return stmt_insert_id(st) > 0;
}

/* The audit JSON object of the given fields of content (all: changed_from NULL; else those
 * that differ from changed_from), plus change_note when not NULL. Caller frees with buf_free. */
static void fields_json(buf_t *b, const commitment_content_t *content, const commitment_content_t *changed_from,
                        const char *change_note)
{
    jw_t w;
    buf_init(b, 1u << 20);
    jw_init(&w, b);
    jw_object(&w);
    for (int i = 0; i < commitment_fields_count; i++) {
        const commitment_field_t *f = &commitment_fields[i];
        if (changed_from != NULL && commitment_field_equal(f, content, changed_from))
            continue;
        jw_key(&w, f->name);
        commitment_field_write(&w, f, content);
    }
    if (change_note != NULL)
        jw_kstr(&w, "change_note", change_note);
    jw_end(&w);
    buf_append(b, "", 1);
}

int64_t commitment_publish(db_t *db, int64_t body_id, const commitment_content_t *content, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
                          "INSERT INTO commitments (body_id, version, status, created_at, updated_at) "
                          "VALUES ($1, 1, 'published', $2, $2) RETURNING id",
                          "II", body_id, now);
    int64_t id = stmt_insert_id(st);
    bool ok = id > 0 && insert_version(db, id, 1, body_id, content, "", actor, now);
    if (ok) {
        buf_t after;
        fields_json(&after, content, NULL, NULL);
        ok = !after.failed && audit_record_id(db, actor, "commitment.publish", "commitment", id, "", "", after.data);
        buf_free(&after);
    }
    ok = ok && search_index_commitment(db, id);   /* the public search (store/search.h) */
    if (!ok) {
        db_rollback(db);
        return -1;
    }
    return db_finish(db, 1) == 1 ? id : -1;
}

int commitment_publish_version(db_t *db, int64_t id, int64_t base_version, const commitment_content_t *content,
                               const char *change_note, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
                          "UPDATE commitments SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4 "
                          "RETURNING body_id",
                          "IIII", base_version + 1, now, id, base_version);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t body_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != STORE_ROW)
        return db_finish(db, rc == STORE_DONE ? 0 : -1);
    arena_t a = {0};
    commitment_t base;
    bool ok = commitment_by_id(db, &a, id, base_version, &base) == STORE_ROW &&
              insert_version(db, id, base_version + 1, body_id, content, change_note, actor, now);
    if (ok) {
        buf_t before, after;
        fields_json(&before, &base.content, content, NULL);
        fields_json(&after, content, &base.content, change_note ? change_note : "");
        char entity_id[64];
        snprintf(entity_id, sizeof entity_id, "%lld", (long long)id);
        /* before also names the version it replaced, after the new one */
        char *b = arena_printf(&a, "{\"version\":%lld%s%s", (long long)base_version, before.len > 3 ? "," : "",
                               before.data + 1);
        char *f = arena_printf(&a, "{\"version\":%lld%s%s", (long long)base_version + 1, after.len > 3 ? "," : "",
                               after.data + 1);
        ok = audit_record(db, actor, "commitment.version", "commitment", entity_id, "", b, f);
        buf_free(&before);
        buf_free(&after);
    }
    ok = ok && search_index_commitment(db, id);
    arena_free(&a);
    /* a unique violation here is the other publish of the same number: the guard's 0 */
    if (!ok && db_error_kind(db) == DB_ERR_UNIQUE)
        return db_finish(db, 0);
    return db_finish(db, ok ? 1 : -1);
}

int commitment_set_status(db_t *db, int64_t id, const char *from, const char *to, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t n = db_run(db, "UPDATE commitments SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
                       "tIIt", to, now, id, from);
    if (n != 1)
        return db_finish(db, n == 0 ? 0 : -1);
    char before[64], after[64];
    snprintf(before, sizeof before, "{\"status\":\"%s\"}", from);
    snprintf(after, sizeof after, "{\"status\":\"%s\"}", to);
    bool ok = audit_record_id(db, actor, strcmp(to, "withdrawn") == 0 ? "commitment.withdraw" : "commitment.republish",
                              "commitment", id, "", before, after);
    ok = ok && search_index_commitment(db, id);
    return db_finish(db, ok ? 1 : -1);
}

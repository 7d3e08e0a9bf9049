/* The indicator catalogue and the yearly values (store/indicators.h). */
#include "store/indicators.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/text.h"
#include "store/jobs.h"

#define INDICATOR_COLUMNS "id, code, name, name_en, category, unit, kind, lower_is_better, position, retired"

static void indicator_read(stmt_t *st, arena_t *a, indicator_t *out)
{
    out->id = stmt_int(st, 0);
    out->code = arena_strdup(a, stmt_text(st, 1));
    out->name = arena_strdup(a, stmt_text(st, 2));
    out->name_en = arena_strdup(a, stmt_text(st, 3));
    out->category = arena_strdup(a, stmt_text(st, 4));
    out->unit = arena_strdup(a, stmt_text(st, 5));
    out->kind = arena_strdup(a, stmt_text(st, 6));
    out->lower_is_better = stmt_int(st, 7) != 0;
    out->position = stmt_int(st, 8);
    out->retired = stmt_int(st, 9) != 0;
}

static const char *member_text(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int indicators_ensure(db_t *db)
{
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM indicators", "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t existing = rc == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    if (existing != 0)
        return existing > 0 ? 0 : -1;
    size_t len;
    const char *text = embedded_file("indicators.json", &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    const json_t *items = json_object_get(doc, "items");
    if (!json_is_array(items) || db_begin(db) != STORE_DONE) {
        json_decref(doc);
        return -1;
    }
    int64_t now = now_seconds();
    size_t i;
    const json_t *item;
    bool ok = true;
    json_array_foreach(items, i, item) {
        /* ON CONFLICT: another node loading the same catalogue at the same moment */
        ok = ok && db_run(db,
                          "INSERT INTO indicators (code, name, name_en, category, unit, kind, lower_is_better, position, "
                          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING",
                          "ttttttbII", member_text(item, "code"), member_text(item, "name"),
                          member_text(item, "name_en"), member_text(item, "category"), member_text(item, "unit"),
                          member_text(item, "kind"), json_is_true(json_object_get(item, "lower_is_better")),
                          (int64_t)i + 1, now) >= 0;
    }
    int loaded = (int)json_array_size(items);
    json_decref(doc);
    return db_finish(db, ok ? 1 : -1) == 1 ? loaded : -1;
}

int indicators_list(db_t *db, arena_t *a, bool with_retired, indicator_t **out)
{
    stmt_t *st = db_query(db,
                          with_retired ? "SELECT " INDICATOR_COLUMNS " FROM indicators ORDER BY position, id"
                                       : "SELECT " INDICATOR_COLUMNS " FROM indicators WHERE retired = 0 ORDER BY position, id",
                          "");
    if (st == NULL)
        return -1;
    int n = 0, cap = 0, rc;
    indicator_t *list = NULL;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            indicator_t *grown = arena_alloc(a, sizeof *grown * (size_t)cap);
            if (n > 0)
                memcpy(grown, list, sizeof *grown * (size_t)n);
            list = grown;
        }
        indicator_read(st, a, &list[n++]);
    }
    stmt_done(st);
    *out = list;
    return rc == STORE_DONE ? n : -1;
}

int indicator_find(db_t *db, arena_t *a, const char *key, indicator_t *out)
{
    while (*key == ' ' || *key == '\t')
        key++;
    size_t len = strlen(key);
    while (len > 0 && (key[len - 1] == ' ' || key[len - 1] == '\t'))
        len--;
    const char *trimmed = arena_strndup(a, key, len);
    stmt_t *st = db_query(db, "SELECT " INDICATOR_COLUMNS " FROM indicators WHERE code = $1 OR name = $1 LIMIT 1", "t",
                          trimmed);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        indicator_read(st, a, out);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* The stored value of one (enterprise, indicator, year): 1 with *value, 0 none, -1 error. */
static int stored_value(db_t *db, int64_t enterprise_id, int64_t indicator_id, int64_t year, double *value)
{
    stmt_t *st = db_query(db,
                          "SELECT value FROM indicator_values WHERE enterprise_id = $1 AND indicator_id = $2 AND year = $3",
                          "III", enterprise_id, indicator_id, year);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        *value = stmt_double(st, 0);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

static bool event(db_t *db, const audit_actor_t *actor, int64_t enterprise_id, int64_t indicator_id, int64_t year,
                  const char *action, const double *old_value, const double *new_value, const char *source,
                  int64_t import_id, int64_t now)
{
    stmt_t *st = db_prepare(db, "INSERT INTO indicator_value_events (enterprise_id, indicator_id, year, action, old_value, "
                                "new_value, source, import_id, user_id, body_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                "NULLIF($8, 0), NULLIF($9, 0), NULLIF($10, 0), $11)");
    if (st == NULL)
        return false;
    stmt_bind_int(st, 1, enterprise_id);
    stmt_bind_int(st, 2, indicator_id);
    stmt_bind_int(st, 3, year);
    stmt_bind_text(st, 4, action, strlen(action));
    if (old_value)
        stmt_bind_double(st, 5, *old_value);
    else
        stmt_bind_null(st, 5);
    if (new_value)
        stmt_bind_double(st, 6, *new_value);
    else
        stmt_bind_null(st, 6);
    stmt_bind_text(st, 7, source, strlen(source));
    stmt_bind_int(st, 8, import_id);
    stmt_bind_int(st, 9, audit_actor_user(actor));
    stmt_bind_int(st, 10, actor && actor->role == ROLE_BODY ? actor->body_id : 0);
    stmt_bind_int(st, 11, now);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == STORE_DONE;
}

int indicator_values_write(db_t *db, const audit_actor_t *actor, int64_t enterprise_id,
                           const indicator_value_write_t *values, size_t n, const char *source, int64_t import_id,
                           size_t *changed, size_t *unchanged)
{
    *changed = *unchanged = 0;
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const indicator_value_write_t *w = &values[i];
        double old;
        int had = stored_value(db, enterprise_id, w->indicator_id, w->year, &old);
        if (had < 0) {
            ok = false;
        } else if (w->remove ? had == 0 : had == 1 && old == w->value) {
            (*unchanged)++;
        } else if (w->remove) {
            ok = db_run(db, "DELETE FROM indicator_values WHERE enterprise_id = $1 AND indicator_id = $2 AND year = $3",
                        "III", enterprise_id, w->indicator_id, w->year) == 1 &&
                 event(db, actor, enterprise_id, w->indicator_id, w->year, "removed", &old, NULL, source, import_id, now);
            (*changed)++;
        } else {
            ok = db_run(db,
                        "INSERT INTO indicator_values (enterprise_id, indicator_id, year, value, source, updated_by, "
                        "updated_at) VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), $7) ON CONFLICT (enterprise_id, "
                        "indicator_id, year) DO UPDATE SET value = excluded.value, source = excluded.source, "
                        "verified_by_body = NULL, verified_audit_id = NULL, verified_at = NULL, updated_by = "
                        "excluded.updated_by, updated_at = excluded.updated_at",
                        "IIIdtII", enterprise_id, w->indicator_id, w->year, w->value, source, user, now) == 1 &&
                 event(db, actor, enterprise_id, w->indicator_id, w->year, "set", had == 1 ? &old : NULL, &w->value,
                       source, import_id, now);
            (*changed)++;
        }
    }
    return db_finish(db, ok ? 1 : -1) == 1 ? 0 : -1;
}

bool indicator_values_lock(db_t *db, int64_t enterprise_id)
{
    if (store_kind(db_store(db)) != STORE_POSTGRES)
        return true;
    return db_run(db, "SELECT id FROM enterprises WHERE id = $1 FOR UPDATE", "I", enterprise_id) >= 0;
}

int64_t indicator_values_verify(db_t *db, const audit_actor_t *actor, int64_t enterprise_id, int64_t year,
                                const int64_t *indicator_ids, size_t n, int64_t body_id, int64_t audit_id,
                                bool verified)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), marked = 0;
    /* the values concerned, then each one's mark and event */
    stmt_t *st = db_query(db,
                          verified ? "SELECT indicator_id, value FROM indicator_values WHERE enterprise_id = $1 AND "
                                     "year = $2 AND (verified_by_body IS NULL OR verified_by_body <> $3) "
                                     "ORDER BY indicator_id"
                                   : "SELECT indicator_id, value FROM indicator_values WHERE enterprise_id = $1 AND "
                                     "year = $2 AND verified_by_body = $3 ORDER BY indicator_id",
                          "III", enterprise_id, year, body_id);
    int64_t *ids = NULL;
    double *vals = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        int64_t id = stmt_int(st, 0);
        bool wanted = n == 0;
        for (size_t k = 0; !wanted && k < n; k++)
            wanted = indicator_ids[k] == id;
        if (!wanted)
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            int64_t *gi = realloc(ids, sizeof *gi * cap);
            double *gv = gi ? realloc(vals, sizeof *gv * cap) : NULL;
            if (gi)
                ids = gi;
            if (gv)
                vals = gv;
            if (!gi || !gv) {
                rc = STORE_ERROR;
                break;
            }
        }
        ids[count] = id;
        vals[count] = stmt_double(st, 1);
        count++;
    }
    stmt_done(st);
    bool ok = st != NULL && rc != STORE_ERROR;
    for (size_t k = 0; ok && k < count; k++) {
        int64_t rows = verified ? db_run(db,
                                         "UPDATE indicator_values SET verified_by_body = $4, verified_audit_id = "
                                         "NULLIF($5, 0), verified_at = $6 WHERE enterprise_id = $1 AND indicator_id = $2 "
                                         "AND year = $3",
                                         "IIIIII", enterprise_id, ids[k], year, body_id, audit_id, now)
                                : db_run(db,
                                         "UPDATE indicator_values SET verified_by_body = NULL, verified_audit_id = NULL, "
                                         "verified_at = NULL WHERE enterprise_id = $1 AND indicator_id = $2 AND year = $3 "
                                         "AND verified_by_body = $4",
                                         "IIII", enterprise_id, ids[k], year, body_id);
        ok = rows == 1 &&
             event(db, actor, enterprise_id, ids[k], year, verified ? "verified" : "unverified", &vals[k], &vals[k], "",
                   0, now);
        marked++;
    }
    free(ids);
    free(vals);
    return db_finish(db, ok ? 1 : -1) == 1 ? marked : -1;
}

/* Two writers racing on PostgreSQL may each find none queued and queue one: two refreshes, harmless. */
bool effectiveness_refresh_enqueue(db_t *db)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    stmt_t *st = db_query(db, "SELECT id FROM jobs WHERE kind = $1 AND state = 'queued' ORDER BY id LIMIT 1", "t",
                          EFFECTIVENESS_JOB_KIND);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    int64_t id = rc == STORE_ROW ? 1 : rc == STORE_DONE ? job_enqueue(db, EFFECTIVENESS_JOB_KIND, "{}", 0) : -1;
    return db_finish(db, id > 0 ? 1 : -1) == 1;
}

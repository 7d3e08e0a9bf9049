/* The indicator catalogue and the yearly values (store/indicators.h). */
#include "store/indicators.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/text.h"
#include "store/jobs.h"
#include "store/query.h"

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

/* The values of one enterprise being written: what is stored (read once, then kept up to date as
 * the writes are decided) and the sets not yet sent, sent in multi-row statements. */
typedef struct stored_value {
    int64_t indicator_id, year;
    double value;
    bool present;
} stored_value_t;

enum { WRITE_BATCH = 64, VALUE_COLUMNS = 7, EVENT_COLUMNS = 10 };

/* Who writes which enterprise's values, and when: what every event of a call shares. */
typedef struct event_ctx {
    db_t *db;
    const audit_actor_t *actor;
    int64_t enterprise_id, now;
} event_ctx_t;

typedef struct value_batch {
    event_ctx_t ctx;
    int64_t import_id;
    const char *source;
    struct {
        int64_t indicator_id, year;
        double value, old_value;
        bool had_old;
    } rows[WRITE_BATCH];
    int n;
} value_batch_t;

static int stored_compare(const void *a, const void *b)
{
    const stored_value_t *x = a, *y = b;
    if (x->indicator_id != y->indicator_id)
        return x->indicator_id < y->indicator_id ? -1 : 1;
    return x->year < y->year ? -1 : x->year > y->year;
}

/* The enterprise's stored values of the years first..last, sorted by (indicator, year), in a
 * malloc'd array of *cap (the caller frees it); the count, -1 on error. */
static long stored_values(db_t *db, int64_t enterprise_id, int64_t first, int64_t last, stored_value_t **out,
                          size_t *cap_out)
{
    stmt_t *st = db_query(db,
                          "SELECT indicator_id, year, value FROM indicator_values WHERE enterprise_id = $1 AND year "
                          "BETWEEN $2 AND $3 ORDER BY indicator_id, year",
                          "III", enterprise_id, first, last);
    if (st == NULL)
        return -1;
    long n = 0;
    size_t cap = 0;
    stored_value_t *list = NULL;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if ((size_t)n == cap) {
            cap = cap ? cap * 2 : 64;
            stored_value_t *grown = realloc(list, sizeof *grown * cap);
            if (grown == NULL) {
                rc = STORE_ERROR;
                break;
            }
            list = grown;
        }
        list[n++] = (stored_value_t){stmt_int(st, 0), stmt_int(st, 1), stmt_double(st, 2), true};
    }
    stmt_done(st);
    *out = list;
    *cap_out = cap;
    return rc == STORE_DONE ? n : -1;
}

static void bind_double_or_null(stmt_t *st, int index, const double *v)
{
    if (v)
        stmt_bind_double(st, index, *v);
    else
        stmt_bind_null(st, index);
}

/* Binds one event at parameter offset base. */
static void bind_event(stmt_t *st, int base, const event_ctx_t *b, int64_t indicator_id, int64_t year,
                       const char *action, const double *old_value, const double *new_value, const char *source,
                       int64_t import_id)
{
    stmt_bind_int(st, base + 1, b->enterprise_id);
    stmt_bind_int(st, base + 2, indicator_id);
    stmt_bind_int(st, base + 3, year);
    stmt_bind_text(st, base + 4, action, strlen(action));
    bind_double_or_null(st, base + 5, old_value);
    bind_double_or_null(st, base + 6, new_value);
    stmt_bind_text(st, base + 7, source, strlen(source));
    if (import_id > 0)
        stmt_bind_int(st, base + 8, import_id);
    else
        stmt_bind_null(st, base + 8);
    int64_t user = audit_actor_user(b->actor);
    if (user > 0)
        stmt_bind_int(st, base + 9, user);
    else
        stmt_bind_null(st, base + 9);
    if (b->actor && b->actor->role == ROLE_BODY && b->actor->body_id > 0)
        stmt_bind_int(st, base + 10, b->actor->body_id);
    else
        stmt_bind_null(st, base + 10);
}

#define EVENT_INSERT                                                                                       \
    "INSERT INTO indicator_value_events (enterprise_id, indicator_id, year, action, old_value, new_value, " \
    "source, import_id, user_id, body_id, at) VALUES "
#define VALUE_UPSERT                                                                                        \
    "INSERT INTO indicator_values (enterprise_id, indicator_id, year, value, source, updated_by, updated_at) " \
    "VALUES "
#define VALUE_UPSERT_TAIL                                                                                      \
    " ON CONFLICT (enterprise_id, indicator_id, year) DO UPDATE SET value = excluded.value, source = "          \
    "excluded.source, verified_by_body = NULL, verified_audit_id = NULL, verified_at = NULL, updated_by = "   \
    "excluded.updated_by, updated_at = excluded.updated_at"

/* Sends the batch's sets: one upsert and one insert of their events. False on error. */
static bool batch_flush(value_batch_t *b)
{
    if (b->n == 0)
        return true;
    /* events carry "at" as their 11th value: bound after the 10 of bind_event */
    char upsert[WRITE_BATCH * VALUE_COLUMNS * 8 + 512], events[WRITE_BATCH * (EVENT_COLUMNS + 1) * 8 + 256];
    if (!query_values_sql(upsert, sizeof upsert, VALUE_UPSERT, VALUE_COLUMNS, b->n, VALUE_UPSERT_TAIL) ||
        !query_values_sql(events, sizeof events, EVENT_INSERT, EVENT_COLUMNS + 1, b->n, ""))
        return false;
    int64_t user = audit_actor_user(b->ctx.actor);
    stmt_t *st = db_prepare(b->ctx.db, upsert);
    if (st == NULL)
        return false;
    for (int r = 0; r < b->n; r++) {
        int base = r * VALUE_COLUMNS;
        stmt_bind_int(st, base + 1, b->ctx.enterprise_id);
        stmt_bind_int(st, base + 2, b->rows[r].indicator_id);
        stmt_bind_int(st, base + 3, b->rows[r].year);
        stmt_bind_double(st, base + 4, b->rows[r].value);
        stmt_bind_text(st, base + 5, b->source, strlen(b->source));
        if (user > 0)
            stmt_bind_int(st, base + 6, user);
        else
            stmt_bind_null(st, base + 6);
        stmt_bind_int(st, base + 7, b->ctx.now);
    }
    bool ok = stmt_step(st) == STORE_DONE;
    stmt_done(st);
    st = ok ? db_prepare(b->ctx.db, events) : NULL;
    if (st == NULL)
        return false;
    for (int r = 0; r < b->n; r++) {
        int base = r * (EVENT_COLUMNS + 1);
        bind_event(st, base, &b->ctx, b->rows[r].indicator_id, b->rows[r].year, "set",
                   b->rows[r].had_old ? &b->rows[r].old_value : NULL, &b->rows[r].value, b->source, b->import_id);
        stmt_bind_int(st, base + EVENT_COLUMNS + 1, b->ctx.now);
    }
    ok = stmt_step(st) == STORE_DONE;
    stmt_done(st);
    b->n = 0;
    return ok;
}

/* One event written at once (removals, verification marks). */
static bool event_now(const event_ctx_t *b, int64_t indicator_id, int64_t year, const char *action,
                      const double *old_value, const double *new_value, const char *source, int64_t import_id)
{
    char sql[(EVENT_COLUMNS + 1) * 8 + 256];
    if (!query_values_sql(sql, sizeof sql, EVENT_INSERT, EVENT_COLUMNS + 1, 1, ""))
        return false;
    stmt_t *st = db_prepare(b->db, sql);
    if (st == NULL)
        return false;
    bind_event(st, 0, b, indicator_id, year, action, old_value, new_value, source, import_id);
    stmt_bind_int(st, EVENT_COLUMNS + 1, b->now);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == STORE_DONE;
}

static bool batch_has(const value_batch_t *b, int64_t indicator_id, int64_t year)
{
    for (int r = 0; r < b->n; r++)
        if (b->rows[r].indicator_id == indicator_id && b->rows[r].year == year)
            return true;
    return false;
}

int indicator_values_write(db_t *db, const audit_actor_t *actor, int64_t enterprise_id,
                           const indicator_value_write_t *values, size_t n, const char *source, int64_t import_id,
                           size_t *changed, size_t *unchanged)
{
    *changed = *unchanged = 0;
    if (n == 0)
        return 0;
    int64_t first = values[0].year, last = values[0].year;
    for (size_t i = 1; i < n; i++) {
        first = values[i].year < first ? values[i].year : first;
        last = values[i].year > last ? values[i].year : last;
    }
    if (db_begin(db) != STORE_DONE)
        return -1;
    stored_value_t *stored = NULL;
    size_t cap = 0;
    long nstored = stored_values(db, enterprise_id, first, last, &stored, &cap);
    value_batch_t *b = malloc(sizeof *b);
    bool ok = nstored >= 0 && b != NULL;
    if (ok)
        *b = (value_batch_t){.ctx = {db, actor, enterprise_id, now_seconds()}, .import_id = import_id, .source = source};
    for (size_t i = 0; ok && i < n; i++) {
        const indicator_value_write_t *w = &values[i];
        stored_value_t key = {w->indicator_id, w->year, 0, false};
        stored_value_t *s = nstored > 0 ? bsearch(&key, stored, (size_t)nstored, sizeof *stored, stored_compare) : NULL;
        bool had = s != NULL && s->present;
        double old = had ? s->value : 0;
        if (w->remove ? !had : had && old == w->value) {
            (*unchanged)++;
            continue;
        }
        (*changed)++;
        /* a second write of the same value in this call: the first must be sent before it */
        if (batch_has(b, w->indicator_id, w->year))
            ok = batch_flush(b);
        if (ok && w->remove) {
            ok = batch_flush(b) &&
                 db_run(db, "DELETE FROM indicator_values WHERE enterprise_id = $1 AND indicator_id = $2 AND year = $3",
                        "III", enterprise_id, w->indicator_id, w->year) == 1 &&
                 event_now(&b->ctx, w->indicator_id, w->year, "removed", &old, NULL, source, import_id);
        } else if (ok) {
            if (b->n == WRITE_BATCH && !(ok = batch_flush(b)))
                break;      /* a failed flush leaves the batch full: nothing more goes in */
            b->rows[b->n].indicator_id = w->indicator_id;
            b->rows[b->n].year = w->year;
            b->rows[b->n].value = w->value;
            b->rows[b->n].old_value = old;
            b->rows[b->n].had_old = had;
            b->n++;
        }
        if (s != NULL) {
            s->present = !w->remove;
            s->value = w->value;
        } else if (!w->remove && ok) {
            /* a value new to this call: a later write of it in this call compares against it */
            if ((size_t)nstored == cap) {
                cap = cap ? cap * 2 : 64;
                stored_value_t *grown = realloc(stored, sizeof *grown * cap);
                if (grown == NULL) {
                    ok = false;
                    break;
                }
                stored = grown;
            }
            size_t at = 0;
            while (at < (size_t)nstored && stored_compare(&stored[at], &key) < 0)
                at++;
            memmove(stored + at + 1, stored + at, sizeof *stored * ((size_t)nstored - at));
            stored[at] = (stored_value_t){w->indicator_id, w->year, w->value, true};
            nstored++;
        }
    }
    ok = ok && batch_flush(b);
    free(b);
    free(stored);
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
    const event_ctx_t ctx = {db, actor, enterprise_id, now};
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
             event_now(&ctx, ids[k], year, verified ? "verified" : "unverified", &vals[k], &vals[k], "", 0);
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

/* Registry rows (see registry.h). */
#include "store/registry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/dates.h"
#include "store/query.h"

static const char *dup(stmt_t *st, arena_t *a, int col)
{
    return arena_strdup(a, stmt_text(st, col));
}

void enterprise_read(stmt_t *st, arena_t *a, enterprise_t *e)
{
    e->id = stmt_int(st, 0);
    e->name = dup(st, a, 1);
    e->credit_code = dup(st, a, 2);
    e->region = dup(st, a, 3);
    e->industry = dup(st, a, 4);
    e->size = dup(st, a, 5);
    e->address = dup(st, a, 6);
    e->contact_name = dup(st, a, 7);
    e->contact_phone = dup(st, a, 8);
    e->contact_email = dup(st, a, 9);
    e->status = dup(st, a, 10);
    e->review_note = dup(st, a, 11);
    e->code_override = stmt_int(st, 12) != 0;
    e->created_at = stmt_int(st, 13);
    e->updated_at = stmt_int(st, 14);
    e->renames = stmt_int(st, 15);
}

void body_read(stmt_t *st, arena_t *a, body_t *b)
{
    b->id = stmt_int(st, 0);
    b->name = dup(st, a, 1);
    b->credit_code = dup(st, a, 2);
    b->code = dup(st, a, 3);
    b->approval_number = dup(st, a, 4);
    b->cnas_number = dup(st, a, 5);
    b->founded = dup(st, a, 6);
    b->address = dup(st, a, 7);
    b->contact_phone = dup(st, a, 8);
    b->website = dup(st, a, 9);
    b->created_at = stmt_int(st, 10);
    b->updated_at = stmt_int(st, 11);
    b->regions = dup(st, a, 12);
    b->renames = stmt_int(st, 13);
}

void certificate_read(stmt_t *st, arena_t *a, certificate_t *c)
{
    c->id = stmt_int(st, 0);
    c->number = dup(st, a, 1);
    c->enterprise_id = stmt_int(st, 2);
    c->body_id = stmt_int(st, 3);
    c->standard = dup(st, a, 4);
    c->scope = dup(st, a, 5);
    c->scope_areas = dup(st, a, 6);
    c->scope_stages = dup(st, a, 7);
    c->issued = dup(st, a, 8);
    c->expires = dup(st, a, 9);
    c->status = dup(st, a, 10);
    c->status_changed = dup(st, a, 11);
    c->holder_name = dup(st, a, 12);
    c->holder_credit_code = dup(st, a, 13);
    c->holder_address = dup(st, a, 14);
    c->holder_region = dup(st, a, 15);
    c->body_name = dup(st, a, 16);
    c->body_approval_number = dup(st, a, 17);
    c->body_code = dup(st, a, 18);
    c->holder_renames = stmt_int(st, 19);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int64_t enterprise_insert(db_t *db, const enterprise_t *e)
{
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "INSERT INTO enterprises (name, credit_code, region, industry, size, address, contact_name, contact_phone, "
        "contact_email, status, review_note, code_override, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        "tttttttttttbI", e->name, e->credit_code, e->region, or_empty(e->industry), or_empty(e->size),
        or_empty(e->address), or_empty(e->contact_name), or_empty(e->contact_phone), or_empty(e->contact_email),
        e->status ? e->status : "approved", or_empty(e->review_note), (int)e->code_override,
        e->created_at ? e->created_at : now);
    return stmt_insert_id(st);
}

int64_t body_insert(db_t *db, const body_t *b)
{
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "INSERT INTO bodies (name, credit_code, code, approval_number, cnas_number, founded, address, contact_phone, "
        "website, regions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        "ttttttttttI", b->name, b->credit_code, b->code && *b->code ? b->code : NULL, or_empty(b->approval_number),
        or_empty(b->cnas_number), or_empty(b->founded), or_empty(b->address), or_empty(b->contact_phone),
        or_empty(b->website), or_empty(b->regions), b->created_at ? b->created_at : now);
    return stmt_insert_id(st);
}

int64_t certificate_insert(db_t *db, const certificate_t *c, int64_t user_id, const char *reason)
{
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
        "INSERT INTO certificates (number, enterprise_id, body_id, standard, scope, scope_areas, scope_stages, issued, "
        "expires, status, status_changed, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        "tIIttttttttI", c->number, c->enterprise_id, c->body_id, c->standard, or_empty(c->scope),
        or_empty(c->scope_areas), or_empty(c->scope_stages), c->issued, c->expires, c->status,
        c->status_changed ? c->status_changed : c->issued, now);
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        return id;
    int64_t issued_at = date_to_unix(c->issued);
    stmt_t *ev = db_query(db,
        "INSERT INTO certificate_events (certificate_id, at, from_status, to_status, reason, user_id) "
        "VALUES ($1, $2, '', $3, $4, $5)", "IIttn", id, issued_at > 0 && issued_at < now ? issued_at : now,
        c->status, or_empty(reason));
    if (ev == NULL)
        return -1;
    if (user_id > 0)
        stmt_bind_int(ev, 5, user_id);
    int rc = stmt_step(ev);
    stmt_done(ev);
    return rc == STORE_DONE ? id : -1;
}

/* The history entry of a change of certificate id; `at` 0 = now. */
static bool event_insert(db_t *db, int64_t id, int64_t at, const char *kind, const char *from, const char *to,
                         const char *reason, const char *expires_from, const char *expires_to, int64_t user_id)
{
    stmt_t *ev = db_query(db,
        "INSERT INTO certificate_events (certificate_id, at, kind, from_status, to_status, reason, expires_from, "
        "expires_to, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        "IIttttttn", id, at > 0 ? at : now_seconds(), kind, from, to, or_empty(reason), or_empty(expires_from),
        or_empty(expires_to));
    if (ev == NULL)
        return false;
    if (user_id > 0)
        stmt_bind_int(ev, 9, user_id);
    int rc = stmt_step(ev);
    stmt_done(ev);
    return rc == STORE_DONE;
}

int certificate_set_status(db_t *db, int64_t id, const char *from, const char *to, const char *reason,
                           int64_t user_id, int64_t at)
{
    int64_t now = at > 0 ? at : now_seconds();
    char today[DATE_LEN + 1];
    date_from_unix(now, today);
    /* expired is reached from an open status by date as well; every other change needs the
     * certificate not to have expired by date */
    int64_t n = db_run(db,
        "UPDATE certificates SET status = $1, status_changed = $2, updated_at = $3 "
        "WHERE id = $4 AND status = $5 AND ($1 = 'expired' OR expires >= $2)",
        "ttIIt", to, today, now, id, from);
    if (n != 1)
        return n < 0 ? -1 : 0;
    /* `at` 0: the time taken now, with the row locked, so that entries follow the order of the changes */
    return event_insert(db, id, at, "status", from, to, reason, "", "", user_id) ? 1 : -1;
}

int certificate_update(db_t *db, const certificate_t *stored, const certificate_t *next, int64_t user_id)
{
    char today[DATE_LEN + 1];
    date_today(today);
    query_t q;
    query_init(&q, "UPDATE certificates SET ");
    query_int(&q, "updated_at = $?", now_seconds());
    if (next->enterprise_id != stored->enterprise_id)
        query_int(&q, ", enterprise_id = $?", next->enterprise_id);
    if (next->body_id != stored->body_id)
        query_int(&q, ", body_id = $?", next->body_id);
    const struct {
        const char *fragment, *was, *value;
    } texts[] = {
        {", standard = $?", stored->standard, next->standard}, {", scope = $?", stored->scope, next->scope},
        {", scope_areas = $?", stored->scope_areas, next->scope_areas},
        {", scope_stages = $?", stored->scope_stages, next->scope_stages},
        {", issued = $?", stored->issued, next->issued}, {", expires = $?", stored->expires, next->expires},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].value != NULL && strcmp(texts[i].value, texts[i].was) != 0)
            query_text(&q, texts[i].fragment, texts[i].value);
    query_int(&q, " WHERE id = $?", stored->id);
    query_text(&q, " AND status = $?", stored->status);
    query_text(&q, " AND expires = $?", stored->expires);
    query_text(&q, " AND status IN ('valid', 'suspended') AND expires >= $?", today);
    int64_t n = query_exec(db, &q);
    if (n != 1)
        return n < 0 ? -1 : 0;
    if (next->expires != NULL && strcmp(next->expires, stored->expires) != 0 &&
        !event_insert(db, stored->id, 0, "expiry", stored->status, stored->status, "", stored->expires, next->expires,
                      user_id))
        return -1;
    return 1;
}

int body_code_of_another(db_t *db, const char *code, int64_t body_id)
{
    stmt_t *st = db_query(db, "SELECT 1 FROM bodies WHERE code = $1 AND id <> $2", "tI", code, body_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int registry_update_named(db_t *db, query_t *q, const char *entity, int64_t id, const char *old_name,
                          int64_t user_id)
{
    if (old_name != NULL)
        query_sql(q, ", renames = renames + 1");
    query_int(q, " WHERE id = $?", id);
    if (old_name != NULL)
        query_text(q, " AND name = $?", old_name);
    if (db_begin(db) != STORE_DONE) {
        query_free(q);
        return -1;
    }
    int rc = (int)query_exec(db, q);
    if (rc > 1)
        rc = -1;
    if (rc == 1 && old_name != NULL && !former_name_add(db, entity, id, old_name, user_id))
        rc = -1;
    return db_finish(db, rc);
}

bool former_name_add(db_t *db, const char *entity, int64_t id, const char *name, int64_t user_id)
{
    stmt_t *st = db_query(db,
        "INSERT INTO name_history (entity, entity_id, name, replaced_at, user_id) VALUES ($1, $2, $3, $4, $5)",
        "tItIn", entity, id, name, (int64_t)now_seconds());
    if (st == NULL)
        return false;
    if (user_id > 0)
        stmt_bind_int(st, 5, user_id);
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == STORE_DONE;
}

int former_names_read(db_t *db, arena_t *a, const char *entity, int64_t id, int64_t renames, former_names_t *out)
{
    enum { MAX_SHOWN = 50 };
    out->items = NULL;
    out->n = 0;
    if (renames == 0)
        return 0;
    stmt_t *st = db_query(db,
        "SELECT name, replaced_at FROM name_history WHERE entity = $1 AND entity_id = $2 "
        "ORDER BY replaced_at DESC, id DESC LIMIT 50", "tI", entity, id);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (out->items == NULL)
            out->items = arena_alloc(a, MAX_SHOWN * sizeof *out->items);
        out->items[out->n].name = dup(st, a, 0);
        out->items[out->n].until = stmt_int(st, 1);
        out->n++;
    }
    stmt_done(st);
    return rc == STORE_DONE ? 0 : -1;
}

typedef void (*reader_fn)(stmt_t *, arena_t *, void *);
static void read_certificate(stmt_t *st, arena_t *a, void *out) { certificate_read(st, a, out); }
static void read_enterprise(stmt_t *st, arena_t *a, void *out) { enterprise_read(st, a, out); }
static void read_body(stmt_t *st, arena_t *a, void *out) { body_read(st, a, out); }

static int one(stmt_t *st, arena_t *a, reader_fn read, void *out)
{
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        read(st, a, out);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int certificate_by_number(db_t *db, arena_t *a, const char *number, certificate_t *c)
{
    return one(db_query(db, "SELECT " CERTIFICATE_COLUMNS CERTIFICATE_FROM " WHERE c.number = $1", "t", number), a,
               read_certificate, c);
}

int enterprise_by_id(db_t *db, arena_t *a, int64_t id, enterprise_t *e)
{
    return one(db_query(db, "SELECT " ENTERPRISE_COLUMNS " FROM enterprises e WHERE e.id = $1", "I", id), a,
               read_enterprise, e);
}

int enterprise_by_credit_code(db_t *db, arena_t *a, const char *code, enterprise_t *e)
{
    return one(db_query(db, "SELECT " ENTERPRISE_COLUMNS " FROM enterprises e WHERE e.credit_code = $1", "t", code), a,
               read_enterprise, e);
}

int body_by_id(db_t *db, arena_t *a, int64_t id, body_t *b)
{
    return one(db_query(db, "SELECT " BODY_COLUMNS " FROM bodies b WHERE b.id = $1", "I", id), a,
               read_body, b);
}

int body_by_code(db_t *db, arena_t *a, const char *code, body_t *b)
{
    return one(db_query(db, "SELECT " BODY_COLUMNS " FROM bodies b WHERE b.code = $1", "t", code), a,
               read_body, b);
}

int body_by_credit_code(db_t *db, arena_t *a, const char *credit_code, body_t *b)
{
    return one(db_query(db, "SELECT " BODY_COLUMNS " FROM bodies b WHERE b.credit_code = $1", "t", credit_code), a,
               read_body, b);
}

/* Registry rows (see registry.h). */
#include "store/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/dates.h"
#include "store/audit.h"
#include "store/engagements.h"
#include "store/indicators.h"
#include "store/notifications.h"
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
    b->approval_status = dup(st, a, 14);
    b->approval_since = dup(st, a, 15);
    b->approval_until = dup(st, a, 16);
    b->accreditation_status = dup(st, a, 17);
    b->accreditation_since = dup(st, a, 18);
    b->accreditation_until = dup(st, a, 19);
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
    c->body_approval_status = dup(st, a, 20);
    c->body_approval_since = dup(st, a, 21);
    c->body_accreditation_status = dup(st, a, 22);
    c->body_accreditation_since = dup(st, a, 23);
    c->cycle = stmt_int(st, 24);
    c->previous_id = stmt_int(st, 25);
    c->surveillances_done = stmt_int(st, 26);
    c->decision_date = dup(st, a, 27);
    c->surveillance_due = dup(st, a, 28);
    c->previous_number = dup(st, a, 29);
    c->renewed_by = dup(st, a, 30);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Ends the transaction of an insert that gave id, after recording it: the id, or -1. */
static int64_t insert_done(db_t *db, int64_t id, bool recorded)
{
    if (id <= 0) {
        db_rollback(db);
        return id;
    }
    return db_finish(db, recorded ? 1 : -1) == 1 ? id : -1;
}

/* A created record's fields, {name, value} pairs, as the after side of its audit entry (a
 * value NULL stands for ""). */
static void diff_created(audit_diff_t *d, const char *const (*fields)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        audit_diff_str(d, fields[i][0], NULL, or_empty(fields[i][1]));
}

int64_t enterprise_insert(db_t *db, const enterprise_t *e, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
        "INSERT INTO enterprises (name, credit_code, region, industry, size, address, contact_name, contact_phone, "
        "contact_email, status, review_note, code_override, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        "tttttttttttbI", e->name, e->credit_code, e->region, or_empty(e->industry), or_empty(e->size),
        or_empty(e->address), or_empty(e->contact_name), or_empty(e->contact_phone), or_empty(e->contact_email),
        e->status ? e->status : "approved", or_empty(e->review_note), (int)e->code_override,
        e->created_at ? e->created_at : now);
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        return insert_done(db, id, false);
    audit_diff_t d;
    audit_diff_init(&d);
    const char *fields[][2] = {
        {"name", e->name}, {"credit_code", e->credit_code}, {"region", e->region}, {"industry", e->industry},
        {"size", e->size}, {"address", e->address}, {"contact_name", e->contact_name},
        {"contact_phone", e->contact_phone}, {"contact_email", e->contact_email},
        {"status", e->status ? e->status : "approved"},
    };
    diff_created(&d, fields, sizeof fields / sizeof fields[0]);
    if (e->code_override)
        audit_diff_bool(&d, "credit_code_override", NULL, &e->code_override);
    const char *action = e->status != NULL && strcmp(e->status, "pending") == 0 ? "enterprise.register"
                         : e->code_override                                        ? "enterprise.credit_code_override"
                                                                                   : "enterprise.create";
    bool ok = audit_record_id(db, actor, action, "enterprise", id, e->region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    return insert_done(db, id, ok);
}

int64_t body_insert(db_t *db, const body_t *b, const audit_actor_t *actor)
{
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
        "INSERT INTO bodies (name, credit_code, code, approval_number, cnas_number, founded, address, contact_phone, "
        "website, regions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        "ttttttttttI", b->name, b->credit_code, b->code && *b->code ? b->code : NULL, or_empty(b->approval_number),
        or_empty(b->cnas_number), or_empty(b->founded), or_empty(b->address), or_empty(b->contact_phone),
        or_empty(b->website), or_empty(b->regions), b->created_at ? b->created_at : now);
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        return insert_done(db, id, false);
    audit_diff_t d;
    audit_diff_init(&d);
    const char *fields[][2] = {
        {"name", b->name}, {"credit_code", b->credit_code}, {"code", b->code}, {"approval_number", b->approval_number},
        {"cnas_number", b->cnas_number}, {"founded", b->founded}, {"address", b->address},
        {"contact_phone", b->contact_phone}, {"website", b->website}, {"regions", b->regions},
    };
    diff_created(&d, fields, sizeof fields / sizeof fields[0]);
    /* a body has no region of its own (it may serve several): national entries */
    bool ok = audit_record_id(db, actor, "body.create", "body", id, "", "", audit_diff_after(&d));
    audit_diff_free(&d);
    return insert_done(db, id, ok);
}

/* The certificate's holder's region, for its audit entries; "" when it cannot be read. */
static void holder_region(db_t *db, int64_t enterprise_id, char out[16])
{
    out[0] = '\0';
    stmt_t *st = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        snprintf(out, 16, "%s", stmt_text(st, 0));
    stmt_done(st);
}

int64_t certificate_insert(db_t *db, const certificate_t *c, const audit_actor_t *actor, const char *reason)
{
    int64_t now = now_seconds();
    int64_t user_id = audit_actor_user(actor);
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* the body's standing guard (registry.h): the body's row, locked while its approval is
     * valid. PostgreSQL: FOR SHARE, so that a suspension waits for this issue to commit (and an
     * issue that waited for a suspension sees it), without writing a new row version: a seed or
     * an import issuing thousands of certificates in one transaction must not update the same
     * body row thousands of times. SQLite: the write transaction already holds the database. */
    stmt_t *guard = db_query(db, store_kind(db_store(db)) == STORE_POSTGRES
                                     ? "SELECT 1 FROM bodies WHERE id = $1 AND approval_status = 'valid' FOR SHARE"
                                     : "SELECT 1 FROM bodies WHERE id = $1 AND approval_status = 'valid'",
                             "I", c->body_id);
    int guarded = guard != NULL ? stmt_step(guard) : STORE_ERROR;
    stmt_done(guard);
    if (guarded != STORE_ROW) {
        db_rollback(db);
        return guarded == STORE_DONE ? CERTIFICATE_BODY_NOT_IN_GOOD_STANDING : -1;
    }
    stmt_t *st = db_query(db,
        "INSERT INTO certificates (number, enterprise_id, body_id, standard, scope, scope_areas, scope_stages, issued, "
        "expires, status, status_changed, created_at, updated_at, cycle, previous_id, decision_date, surveillance_due) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16) RETURNING id",
        "tIIttttttttIIntt", c->number, c->enterprise_id, c->body_id, c->standard, or_empty(c->scope),
        or_empty(c->scope_areas), or_empty(c->scope_stages), c->issued, c->expires, c->status,
        c->status_changed ? c->status_changed : c->issued, now, c->cycle,
        c->decision_date ? c->decision_date : c->issued, or_empty(c->surveillance_due));
    if (st != NULL && c->previous_id > 0)
        stmt_bind_int(st, 14, c->previous_id);
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        return insert_done(db, id, false);
    int64_t issued_at = date_to_unix(c->issued);
    stmt_t *ev = db_query(db,
        "INSERT INTO certificate_events (certificate_id, at, from_status, to_status, reason, user_id) "
        "VALUES ($1, $2, '', $3, $4, $5)", "IIttn", id, issued_at > 0 && issued_at < now ? issued_at : now,
        c->status, or_empty(reason));
    if (ev == NULL)
        return insert_done(db, id, false);
    if (user_id > 0)
        stmt_bind_int(ev, 5, user_id);
    int rc = stmt_step(ev);
    stmt_done(ev);
    if (rc != STORE_DONE)
        return insert_done(db, id, false);
    /* a new certificate may be an enterprise's first: its effectiveness (and its peers') is
     * computed again (issue 10; every path that issues one comes through here) */
    if (!effectiveness_refresh_enqueue(db))
        return insert_done(db, id, false);
    audit_diff_t d;
    audit_diff_init(&d);
    const char *fields[][2] = {
        {"number", c->number}, {"standard", c->standard}, {"scope", c->scope}, {"scope_areas", c->scope_areas},
        {"scope_stages", c->scope_stages}, {"issued", c->issued}, {"expires", c->expires}, {"status", c->status},
    };
    audit_diff_int(&d, "enterprise_id", NULL, &c->enterprise_id);
    audit_diff_int(&d, "body_id", NULL, &c->body_id);
    diff_created(&d, fields, sizeof fields / sizeof fields[0]);
    if (reason != NULL && *reason != '\0')
        audit_diff_str(&d, "reason", NULL, reason);
    char region[16];
    holder_region(db, c->enterprise_id, region);
    bool ok = audit_record(db, actor, "certificate.create", "certificate", c->number, region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    return insert_done(db, id, ok);
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
                           const audit_actor_t *actor, int64_t at)
{
    int64_t now = at > 0 ? at : now_seconds();
    char today[DATE_LEN + 1];
    date_from_unix(now, today);
    /* expired is reached from an open status by date as well; every other change needs the
     * certificate not to have expired by date */
    /* the number and the holder's region come back with the change, for its audit entry */
    stmt_t *st = db_query(db,
        "UPDATE certificates SET status = $1, status_changed = $2, updated_at = $3 "
        "WHERE id = $4 AND status = $5 AND ($1 = 'expired' OR expires >= $2) "
        "RETURNING number, (SELECT e.region FROM enterprises e WHERE e.id = certificates.enterprise_id)",
        "ttIIt", to, today, now, id, from);
    int rc = st != NULL ? stmt_step(st) : STORE_ERROR;
    char number[64] = "", region[16] = "";
    if (rc == STORE_ROW) {
        snprintf(number, sizeof number, "%s", stmt_text(st, 0));
        snprintf(region, sizeof region, "%s", stmt_text(st, 1));
        rc = stmt_step(st) == STORE_DONE ? STORE_ROW : STORE_ERROR;    /* one row: the id is the key */
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;
    /* `at` 0: the time taken now, with the row locked, so that entries follow the order of the changes */
    if (!event_insert(db, id, at, "status", from, to, reason, "", "", audit_actor_user(actor)))
        return -1;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "status", from, to);
    if (reason != NULL && *reason != '\0')
        audit_diff_str(&d, "reason", NULL, reason);
    bool ok = audit_record(db, actor, "certificate.status", "certificate", number, region, audit_diff_before(&d),
                           audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? 1 : -1;
}

int certificate_update(db_t *db, const certificate_t *stored, const certificate_t *next, const audit_actor_t *actor)
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
                      audit_actor_user(actor)))
        return -1;
    audit_diff_t d;
    audit_diff_init(&d);
    if (next->enterprise_id != stored->enterprise_id)
        audit_diff_int(&d, "enterprise_id", &stored->enterprise_id, &next->enterprise_id);
    if (next->body_id != stored->body_id)
        audit_diff_int(&d, "body_id", &stored->body_id, &next->body_id);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        /* ", standard = $?" → "standard" */
        char field[32];
        const char *f = texts[i].fragment + 2;
        snprintf(field, sizeof field, "%.*s", (int)strcspn(f, " "), f);
        audit_diff_str(&d, field, texts[i].was, texts[i].value);
    }
    if (!audit_diff_any(&d)) {        /* nothing but updated_at: nothing to record */
        audit_diff_free(&d);
        return 1;
    }
    char region[16];
    holder_region(db, next->enterprise_id, region);
    bool ok = audit_record(db, actor, "certificate.update", "certificate", stored->number, region,
                           audit_diff_before(&d), audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? 1 : -1;
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
                          const audit_actor_t *actor, const char *region, audit_diff_t *diff)
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
    if (rc == 1 && old_name != NULL && !former_name_add(db, entity, id, old_name, actor))
        rc = -1;
    if (rc == 1 && audit_diff_any(diff)) {     /* a change to nothing leaves no entry */
        char action[32];
        snprintf(action, sizeof action, "%s.update", entity);
        if (!audit_record_id(db, actor, action, entity, id, region, audit_diff_before(diff), audit_diff_after(diff)))
            rc = -1;
    }
    return db_finish(db, rc);
}

bool former_name_add(db_t *db, const char *entity, int64_t id, const char *name, const audit_actor_t *actor)
{
    int64_t user_id = audit_actor_user(actor);
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

/* ---- A body's own standing ---- */

int body_standing_set(db_t *db, int64_t id, const body_standing_change_t *ch, const audit_actor_t *actor)
{
    /* the columns of each standing: fixed SQL, chosen by name, never built from the input */
    static const struct {
        const char *which, *read, *write;
    } kinds[] = {
        {"approval", "SELECT approval_status, approval_since, approval_until FROM bodies WHERE id = $1",
         "UPDATE bodies SET approval_status = $2, approval_since = $3, approval_until = $4, updated_at = $5 "
         "WHERE id = $1 AND approval_status = $6 AND approval_status <> 'withdrawn'"},
        {"accreditation", "SELECT accreditation_status, accreditation_since, accreditation_until FROM bodies WHERE id = $1",
         "UPDATE bodies SET accreditation_status = $2, accreditation_since = $3, accreditation_until = $4, "
         "updated_at = $5 WHERE id = $1 AND accreditation_status = $6 AND accreditation_status <> 'withdrawn'"},
    };
    int k = strcmp(ch->which, "approval") == 0 ? 0 : 1;
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    char status[16] = "", since[16] = "", until[16] = "";
    stmt_t *st = db_query(db, kinds[k].read, "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        snprintf(status, sizeof status, "%s", stmt_text(st, 0));
        snprintf(since, sizeof since, "%s", stmt_text(st, 1));
        snprintf(until, sizeof until, "%s", stmt_text(st, 2));
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return db_finish(db, rc == STORE_DONE ? 0 : -1);
    /* the guard is in the UPDATE: still the status read, and not withdrawn (final) */
    int64_t changed = db_run(db, kinds[k].write, "ItttIt", id, ch->status, ch->from, or_empty(ch->until), now, status);
    if (changed <= 0)
        return db_finish(db, changed == 0 ? 0 : -1);
    int64_t user_id = audit_actor_user(actor);
    st = db_query(db,
        "INSERT INTO body_standing_events (body_id, which, from_status, to_status, from_date, until_date, reason, "
        "user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        "IttttttnI", id, ch->which, status, ch->status, ch->from, or_empty(ch->until), or_empty(ch->reason), now);
    if (st == NULL)
        return db_finish(db, -1);
    if (user_id > 0)
        stmt_bind_int(st, 8, user_id);
    rc = stmt_step(st);
    stmt_done(st);
    if (rc != STORE_DONE)
        return db_finish(db, -1);
    audit_diff_t d;
    audit_diff_init(&d);
    const char *fields[][3] = {
        {"status", status, ch->status}, {"since", since, ch->from}, {"until", until, or_empty(ch->until)}};
    audit_diff_str(&d, "which", NULL, ch->which);       /* which and reason: after only */
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        audit_diff_str(&d, fields[i][0], fields[i][1], fields[i][2]);
    audit_diff_str(&d, "reason", NULL, or_empty(ch->reason));
    bool ok = audit_record_id(db, actor, "body.standing", "body", id, "", audit_diff_before(&d), audit_diff_after(&d));
    audit_diff_free(&d);
    if (!ok)
        return db_finish(db, -1);
    static const struct {
        const char *status, *zh, *en;
    } words[] = {{"valid", "有效", "valid"}, {"suspended", "暂停", "suspended"}, {"withdrawn", "撤销", "withdrawn"}};
    const char *zh = ch->status, *en = ch->status;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].status, ch->status) == 0)
            zh = words[i].zh, en = words[i].en;
    char title[160], title_en[160], link[40];
    snprintf(title, sizeof title, "本机构的%s状态已变更为：%s（自 %s 起）", k == 0 ? "批准" : "认可", zh, ch->from);
    snprintf(title_en, sizeof title_en, "Your body's %s is now %s (from %s)", ch->which, en, ch->from);
    snprintf(link, sizeof link, "/bodies/%lld", (long long)id);
    notice_t n = {.type = "body_standing", .title = title, .title_en = title_en, .link = link, .entity = "body",
                  .entity_id = id};
    audience_t to = {.body_id = id};
    return db_finish(db, notify(db, &n, &to) >= 0 ? 1 : -1);
}

int body_standing_history(db_t *db, arena_t *a, int64_t id, body_standing_history_t *out)
{
    out->items = NULL;
    out->n = 0;
    stmt_t *st = db_query(db,
        "SELECT which, from_status, to_status, from_date, until_date, reason, at FROM body_standing_events "
        "WHERE body_id = $1 ORDER BY id DESC", "I", id);
    int rc = st ? STORE_ROW : STORE_ERROR, cap = 0;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        if (out->n == cap) {
            int ncap = cap ? cap * 2 : 8;
            body_standing_event_t *items = arena_alloc(a, sizeof *items * (size_t)ncap);
            if (out->n)
                memcpy(items, out->items, sizeof *items * (size_t)out->n);
            out->items = items;
            cap = ncap;
        }
        body_standing_event_t *e = &out->items[out->n++];
        e->which = dup(st, a, 0);
        e->from_status = dup(st, a, 1);
        e->to_status = dup(st, a, 2);
        e->from = dup(st, a, 3);
        e->until = dup(st, a, 4);
        e->reason = dup(st, a, 5);
        e->at = stmt_int(st, 6);
    }
    stmt_done(st);
    return rc == STORE_DONE ? 0 : -1;
}

/* ---- The lifecycle after the decision ---- */

int certificate_surveillance_record(db_t *db, const surveillance_t *s, const audit_actor_t *actor)
{
    int64_t now = s->at > 0 ? s->at : now_seconds();
    char today[DATE_LEN + 1];
    date_from_unix(now, today);
    /* the guard: the count of audits done is still seq − 1 and the certificate is open */
    stmt_t *st = db_query(db,
        "UPDATE certificates SET surveillances_done = $1, surveillance_due = $2, updated_at = $3 "
        "WHERE id = $4 AND surveillances_done = $5 AND status IN ('valid', 'suspended') AND expires >= $6 "
        "RETURNING number, surveillance_due, (SELECT e.region FROM enterprises e WHERE e.id = certificates.enterprise_id)",
        "itIIit", s->seq, or_empty(s->next_due), now, s->certificate_id, s->seq - 1, today);
    int rc = st != NULL ? stmt_step(st) : STORE_ERROR;
    char number[64] = "", region[16] = "";
    if (rc == STORE_ROW) {
        snprintf(number, sizeof number, "%s", stmt_text(st, 0));
        snprintf(region, sizeof region, "%s", stmt_text(st, 2));
        rc = stmt_step(st) == STORE_DONE ? STORE_ROW : STORE_ERROR;
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;
    stmt_t *ins = db_query(db,
        "INSERT INTO certificate_surveillances (certificate_id, seq, audit_date, outcome, reason, recorded_by, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)", "IitttnI", s->certificate_id, s->seq, s->audit_date, s->outcome,
        or_empty(s->reason), now);
    if (ins == NULL)
        return -1;
    int64_t user_id = audit_actor_user(actor);
    if (user_id > 0)
        stmt_bind_int(ins, 6, user_id);
    rc = stmt_step(ins);
    stmt_done(ins);
    if (rc != STORE_DONE)
        return db_error_kind(db) == DB_ERR_UNIQUE ? 0 : -1;
    audit_diff_t d;
    audit_diff_init(&d);
    int64_t seq = s->seq;
    audit_diff_int(&d, "surveillance_seq", NULL, &seq);
    audit_diff_str(&d, "audit_date", NULL, s->audit_date);
    audit_diff_str(&d, "outcome", NULL, s->outcome);
    if (s->reason != NULL && *s->reason != '\0')
        audit_diff_str(&d, "reason", NULL, s->reason);
    audit_diff_str(&d, "surveillance_due", NULL, or_empty(s->next_due));
    bool ok = audit_record(db, actor, "certificate.surveillance", "certificate", number, region, "",
                           audit_diff_after(&d)) &&
              engagement_follow_certificate(db, s->certificate_id, s->seq == 1 ? "surveillance1" : "surveillance2",
                                            s->audit_date, user_id, now) == 1;
    audit_diff_free(&d);
    return ok ? 1 : -1;
}

int64_t certificate_renew(db_t *db, const certificate_t *old, const certificate_t *next, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* the guard: the old row, locked while it is not withdrawn and its expiry is unchanged */
    int64_t locked = db_run(db, "UPDATE certificates SET updated_at = $1 WHERE id = $2 AND status <> 'withdrawn' "
                                "AND expires = $3", "IIt", now_seconds(), old->id, old->expires);
    if (locked != 1) {
        db_rollback(db);
        return locked == 0 ? CERTIFICATE_RENEWAL_REFUSED : -1;
    }
    char reason[128];
    snprintf(reason, sizeof reason, "换证：接续证书 %s (renews %s)", old->number, old->number);
    int64_t id = certificate_insert(db, next, actor, reason);
    if (id == 0) {
        /* a unique index refused it: the number, or a renewal committed meanwhile (previous_id) */
        stmt_t *st = db_query(db, "SELECT 1 FROM certificates WHERE previous_id = $1", "I", old->id);
        int rc = st != NULL ? stmt_step(st) : STORE_ERROR;
        stmt_done(st);
        db_rollback(db);
        return rc == STORE_ROW ? CERTIFICATE_RENEWAL_REFUSED : rc == STORE_DONE ? 0 : -1;
    }
    if (id < 0) {
        db_rollback(db);
        return id;
    }
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "renewed_by", NULL, next->number);
    char region[16];
    holder_region(db, old->enterprise_id, region);
    bool ok = audit_record(db, actor, "certificate.renew", "certificate", old->number, region, "", audit_diff_after(&d)) &&
              engagement_follow_certificate(db, old->id, "recertification",
                                            next->decision_date ? next->decision_date : next->issued,
                                            audit_actor_user(actor), now_seconds()) == 1;
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1) == 1 ? id : -1;
}

/* The audit log, read: GET /api/audit (a filtered page, newest first) and GET /api/audit/{seq}.
 * Admins see every entry; a regulator the entries whose record lies in their region (national
 * regulators: all of them). Writes happen elsewhere, in the transaction of each change
 * (store/audit.h); docs/audit.md lists what is recorded. */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "store/audit.h"
#include "store/query.h"

/* The stored before/after text as a JSON value: the object, or null for no side. */
static void write_side(jw_t *w, const char *key, const char *json)
{
    jw_key(w, key);
    if (json == NULL || *json == '\0')
        jw_null(w);
    else
        jw_raw(w, json);
}

static void entry_write(jw_t *w, const audit_entry_t *e)
{
    char at[21];
    time_iso(e->at, at);
    jw_object(w);
    jw_kint(w, "seq", e->seq);
    jw_kstr(w, "at", at);
    jw_key(w, "actor");
    jw_object(w);
    jw_kstr(w, "kind", e->actor_kind);
    jw_kid(w, "id", e->actor_id);
    jw_kstr(w, "login", e->actor_login);
    jw_kstr(w, "role", e->actor_role);
    jw_kstr(w, "organisation", e->actor_org);
    jw_end(w);
    jw_kstr(w, "request_id", e->request_id);
    jw_kstr(w, "address", e->address);
    jw_kstr(w, "action", e->action);
    jw_kstr(w, "entity", e->entity);
    jw_kstr(w, "entity_id", e->entity_id);
    jw_kstr(w, "region", e->region);
    write_side(w, "before", e->before);
    write_side(w, "after", e->after);
    jw_kstr(w, "prev_hash", e->prev_hash);
    jw_kstr(w, "hash", e->hash);
    jw_end(w);
}

static void entry_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    audit_entry_t e;
    audit_entry_read(st, &e);
    entry_write(w, &e);
}

/* A date query parameter as the Unix second its day starts (UTC); *out untouched when absent.
 * False after answering 400. */
static bool query_day(call_t *c, const char *name, int64_t *out)
{
    const char *s = call_query(c, name);
    if (call_answered(c))
        return false;
    if (s == NULL || *s == '\0')
        return true;
    if (!date_valid(s)) {
        call_error(c, "invalid_query", name, name);
        return false;
    }
    *out = date_to_unix(s);
    return true;
}

void api_audit_list(call_t *c)
{
    static const scope_columns_t cols = {.region = "a.region"};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    int64_t from = -1, to = -1;
    if (!call_page(c, &page, &per_page) || !query_day(c, "from", &from) || !query_day(c, "to", &to))
        return;
    const char *actor = call_query(c, "actor"), *entity = call_query(c, "entity"),
               *entity_id = call_query(c, "entity_id"), *action = call_query(c, "action"), *q = call_query(c, "q"),
               *sort = call_query(c, "sort");
    if (call_answered(c))
        return;
    /* newest first unless ?sort=seq */
    if (sort != NULL && *sort != '\0' && strcmp(sort, "seq") != 0 && strcmp(sort, "-seq") != 0) {
        call_error(c, "invalid_query", "sort", "sort");
        return;
    }
    bool oldest_first = sort != NULL && strcmp(sort, "seq") == 0;
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM audit_log a WHERE TRUE");
    query_init(&list, "SELECT " AUDIT_COLUMNS " FROM audit_log a WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_t *x = both[i];
        query_scope(x, &reach, &cols);
        if (actor != NULL && *actor != '\0')
            query_and_text(x, "a.actor_login = $?", actor);
        if (entity != NULL && *entity != '\0')
            query_and_text(x, "a.entity = $?", entity);
        if (entity_id != NULL && *entity_id != '\0')
            query_and_text(x, "a.entity_id = $?", entity_id);
        /* an action ("certificate.status") or its family ("certificate.") */
        if (action != NULL && *action != '\0') {
            if (action[strlen(action) - 1] == '.')
                query_and_text(x, "a.action LIKE $? ESCAPE '\\'", query_like(&c->arena, action, false));
            else
                query_and_text(x, "a.action = $?", action);
        }
        /* the search box: a record's key or an actor's login */
        if (q != NULL && *q != '\0')
            query_and_text(x, "(a.entity_id = $? OR a.actor_login = $?)", q);
        if (from >= 0)
            query_and_int(x, "a.at >= $?", from);
        if (to >= 0)
            query_and_int(x, "a.at < $?", to + 86400);    /* to: that whole day */
    }
    query_sql(&list, oldest_first ? " ORDER BY a.seq" : " ORDER BY a.seq DESC");
    answer_list(c, &count, &list, page, per_page, entry_row, "audit list");
}

void api_audit_show(call_t *c)
{
    int64_t seq = call_param_id(c, "seq");
    if (seq == 0)
        return;
    stmt_t *st = db_query(c->db, "SELECT " AUDIT_COLUMNS " FROM audit_log a WHERE a.seq = $1", "I", seq);
    if (st == NULL) {
        call_db_error(c, "audit entry");
        return;
    }
    int rc = stmt_step(st);
    audit_entry_t e;
    if (rc == STORE_ROW) {
        audit_entry_read(st, &e);
        if (scope_allows(&c->user, 0, 0, e.region))
            entry_write(call_json_begin(c, 200), &e);
        else
            call_error(c, "audit_entry_not_found", NULL);
    } else if (rc == STORE_DONE) {
        call_error(c, "audit_entry_not_found", NULL);
    } else {
        call_db_error(c, "audit entry");
    }
    stmt_done(st);
}

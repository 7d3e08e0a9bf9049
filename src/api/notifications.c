/* The signed-in user's own notifications: the inbox, its unread count, marking read, and the
 * preferences per type with the account's email address (store/notifications.h). */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "store/audit.h"
#include "store/notifications.h"

#define NOTIFICATION_COLUMNS "id, type, title, title_en, link, entity, entity_id, created_at, read_at"

static void notification_row(call_t *c, stmt_t *st, jw_t *w)
{
    char created[21], read[21];
    time_iso(stmt_int(st, 7), created);
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "type", stmt_text(st, 1));
    jw_kstr(w, "title", stmt_text(st, c->lang == LANG_EN ? 3 : 2));
    jw_kstr(w, "link", stmt_text(st, 4));
    jw_kstr(w, "entity", stmt_text(st, 5));
    jw_kid(w, "entity_id", stmt_int(st, 6));
    jw_kstr(w, "created_at", created);
    if (stmt_is_null(st, 8)) {
        jw_key(w, "read_at");
        jw_null(w);
    } else {
        time_iso(stmt_int(st, 8), read);
        jw_kstr(w, "read_at", read);
    }
    jw_kbool(w, "read", !stmt_is_null(st, 8));
    jw_end(w);
}

void api_notifications_list(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *unread = call_query(c, "unread");
    if (call_answered(c))
        return;
    bool only_unread = false;
    if (unread != NULL && *unread != '\0') {
        if (strcmp(unread, "1") != 0 && strcmp(unread, "true") != 0 && strcmp(unread, "0") != 0 &&
            strcmp(unread, "false") != 0) {
            call_error(c, "invalid_query", "unread", "unread");
            return;
        }
        only_unread = unread[0] == '1' || unread[0] == 't';
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM notifications WHERE inbox = 1");
    query_init(&list, "SELECT " NOTIFICATION_COLUMNS " FROM notifications WHERE inbox = 1");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_and_int(both[i], "user_id = $?", c->user.id);
        if (only_unread)
            query_sql(both[i], " AND read_at IS NULL");
    }
    query_sql(&list, " ORDER BY created_at DESC, id DESC");
    answer_list(c, &count, &list, page, per_page, notification_row, "notification list");
}

static void answer_unread(call_t *c)
{
    int64_t n = notifications_unread(c->db, c->user.id);
    if (n < 0) {
        call_db_error(c, "unread count");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "count", n);
    jw_end(w);
}

void api_notifications_unread(call_t *c)
{
    answer_unread(c);
}

void api_notifications_read(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    int rc = notification_mark_read(c->db, c->user.id, id);
    if (rc < 0) {
        call_db_error(c, "mark read");
        return;
    }
    if (rc == 0) {   /* none, or another user's: the same answer */
        call_error(c, "notification_not_found", NULL);
        return;
    }
    answer_unread(c);
}

void api_notifications_read_all(call_t *c)
{
    if (notifications_mark_all_read(c->db, c->user.id) < 0) {
        call_db_error(c, "mark all read");
        return;
    }
    answer_unread(c);
}

static void answer_preferences(call_t *c)
{
    notification_pref_t prefs[NOTIFICATION_TYPE_COUNT];
    const char *email = user_email(c->db, &c->arena, c->user.id);
    int digest = user_digest(c->db, c->user.id);
    if (email == NULL || digest < 0 || !notification_prefs_get(c->db, c->user.id, prefs)) {
        call_db_error(c, "notification preferences");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "email", email);
    jw_kbool(w, "email_enabled", notifications_email_enabled());
    jw_kbool(w, "digest", digest == 1);
    jw_key(w, "types");
    jw_array(w);
    for (int i = 0; i < NOTIFICATION_TYPE_COUNT; i++) {
        jw_object(w);
        jw_kstr(w, "type", prefs[i].type);
        jw_kbool(w, "inbox", prefs[i].inbox);
        jw_kbool(w, "email", prefs[i].email);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

void api_notifications_preferences(call_t *c)
{
    answer_preferences(c);
}

/* One member of "types": {"type", "inbox", "email"}, each required. False after answering 400. */
static bool read_pref(call_t *c, json_t *item, int i, notification_pref_t *out)
{
    const char *field = arena_printf(&c->arena, "types[%d]", i);
    json_t *type = json_object_get(item, "type"), *inbox = json_object_get(item, "inbox"),
           *email = json_object_get(item, "email");
    if (!json_is_object(item) || !json_is_string(type) || !json_is_boolean(inbox) || !json_is_boolean(email) ||
        json_object_size(item) != 3) {
        call_invalid(c, field, "应为 {\"type\", \"inbox\": 布尔值, \"email\": 布尔值}",
                     "must be {\"type\", \"inbox\": boolean, \"email\": boolean}");
        return false;
    }
    if (!notification_type_valid(json_string_value(type))) {
        call_invalid(c, field, "未知的通知类型", "unknown notification type");
        return false;
    }
    *out = (notification_pref_t){.type = arena_strdup(&c->arena, json_string_value(type)),
                                 .inbox = json_is_true(inbox), .email = json_is_true(email)};
    return true;
}

void api_notifications_preferences_set(call_t *c)
{
    static const char *const fields[] = {"email", "digest", "types", NULL};
    const char *email = NULL;
    bool digest = false;
    if (!body_only(c, fields) || !body_string(c, "email", FIELD_NULLABLE, 0, 100, &email) ||
        !body_bool(c, "digest", 0, &digest))
        return;
    if (email != NULL && !email_address_valid(email)) {
        call_invalid(c, "email", "应为有效的电子邮件地址", "must be a valid email address");
        return;
    }
    json_t *types = json_object_get(c->body, "types");
    if (types != NULL && !json_is_array(types)) {
        call_error(c, "wrong_type", "types", "types", c->lang == LANG_EN ? "an array" : "数组");
        return;
    }
    size_t n = types ? json_array_size(types) : 0;
    if (n > 16) {
        call_invalid(c, "types", "最多 16 项", "at most 16 items");
        return;
    }
    notification_pref_t *prefs = arena_alloc(&c->arena, (n + 1) * sizeof *prefs);
    for (size_t i = 0; i < n; i++)
        if (!read_pref(c, json_array_get(types, i), (int)i, &prefs[i]))
            return;
    /* the change and its audit entry (user.preferences: the fields that changed) in one
     * transaction */
    notification_pref_t was[NOTIFICATION_TYPE_COUNT];
    bool ok = db_begin(c->db) == STORE_DONE;
    const char *old_email = ok ? user_email(c->db, &c->arena, c->user.id) : NULL;
    ok = ok && old_email != NULL && notification_prefs_get(c->db, c->user.id, was);
    audit_diff_t d;
    audit_diff_init(&d);
    if (ok && body_has(c, "email")) {
        ok = user_set_email(c->db, c->user.id, email);
        audit_diff_str(&d, "email", old_email, email != NULL ? email : "");
    }
    if (ok && body_has(c, "digest")) {
        int was_digest = user_digest(c->db, c->user.id);
        bool digest_was = was_digest == 1;
        ok = was_digest >= 0 && user_set_digest(c->db, c->user.id, digest, now_seconds());
        audit_diff_bool(&d, "digest", &digest_was, &digest);
    }
    for (size_t i = 0; ok && i < n; i++) {
        ok = notification_pref_set(c->db, c->user.id, &prefs[i]);
        for (int k = 0; k < NOTIFICATION_TYPE_COUNT; k++)
            if (strcmp(was[k].type, prefs[i].type) == 0) {
                audit_diff_bool(&d, arena_printf(&c->arena, "%s.inbox", prefs[i].type), &was[k].inbox, &prefs[i].inbox);
                audit_diff_bool(&d, arena_printf(&c->arena, "%s.email", prefs[i].type), &was[k].email, &prefs[i].email);
            }
    }
    if (ok && audit_diff_any(&d)) {
        audit_actor_t actor = call_actor(c);
        ok = audit_record_id(c->db, &actor, "user.preferences", "user", c->user.id, "", audit_diff_before(&d),
                             audit_diff_after(&d));
    }
    audit_diff_free(&d);
    if (!ok || db_commit(c->db) != STORE_DONE) {
        db_rollback(c->db);
        call_db_error(c, "notification preferences");
        return;
    }
    answer_preferences(c);
}

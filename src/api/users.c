/* Accounts, for admins: list and create. (`guanbiao user add|passwd` does the same from the
 * command line.) */
#include <string.h>

#include "api/api.h"
#include "domain/scope.h"
#include "domain/account.h"
#include "store/users.h"

static void user_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "login", stmt_text(st, 1));
    jw_kstr(w, "name", stmt_text(st, 2));
    jw_kstr(w, "role", stmt_text(st, 3));
    jw_kid(w, "enterprise_id", stmt_is_null(st, 4) ? 0 : stmt_int(st, 4));
    jw_kid(w, "body_id", stmt_is_null(st, 5) ? 0 : stmt_int(st, 5));
    jw_kstr(w, "region", stmt_text(st, 6));
    jw_end(w);
}

void api_users_list(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *role = call_query(c, "role");
    const char *q = call_query(c, "q");
    if (call_answered(c))
        return;
    if (role != NULL && (role_parse(role) == ROLE_NONE || role_parse(role) == ROLE_PUBLIC)) {
        call_error(c, "invalid_query", "role", "role");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM users u WHERE u.active = 1");
    query_init(&list, "SELECT u.id, u.login, u.name, u.role, u.enterprise_id, u.body_id, u.region FROM users u "
                      "WHERE u.active = 1");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (role != NULL)
            query_and_text(both[i], "u.role = $?", role);
        if (q != NULL && *q != '\0')
            query_and_text(both[i], "(LOWER(u.login) LIKE LOWER($?) ESCAPE '\\' OR LOWER(u.name) LIKE LOWER($?) ESCAPE '\\')",
                           query_like(&c->arena, q, true));
    }
    query_sql(&list, " ORDER BY u.id");
    answer_list(c, &count, &list, page, per_page, user_row, "users list");
}

static bool exists(call_t *c, const char *sql, int64_t id, bool *out)
{
    stmt_t *st = db_query(c->db, sql, "I", id);
    if (st == NULL)
        return false;
    int rc = stmt_step(st);
    stmt_done(st);
    *out = rc == STORE_ROW;
    return rc != STORE_ERROR;
}

void api_users_create(call_t *c)
{
    static const char *const fields[] = {"login", "name", "role", "password", "enterprise_id", "body_id", "region", "email", NULL};
    const char *login = NULL, *name = NULL, *role_s = NULL, *password = NULL, *region = "", *email = NULL;
    int64_t enterprise_id = 0, body_id = 0;
    /* every field is checked, so that one answer names all the invalid ones (http/call.h) */
    body_only(c, fields);
    body_string(c, "login", FIELD_REQUIRED, 3, 32, &login);
    body_string(c, "name", FIELD_REQUIRED, 1, 64, &name);
    body_string(c, "role", FIELD_REQUIRED, 1, 16, &role_s);
    body_string(c, "password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &password);
    body_int(c, "enterprise_id", FIELD_NULLABLE, 1, INT64_MAX, &enterprise_id);
    body_int(c, "body_id", FIELD_NULLABLE, 1, INT64_MAX, &body_id);
    body_string(c, "region", FIELD_NULLABLE, 0, 6, &region);
    body_string(c, "email", FIELD_NULLABLE, 0, 100, &email);
    if (email != NULL && !email_address_valid(email))
        call_invalid(c, "email", "应为有效的电子邮件地址", "must be a valid email address");
    bool en = c->lang == LANG_EN;
    if (login != NULL && !login_valid(login))
        call_error(c, "invalid_value", "login", "login", en ? "3–32 of a–z, 0–9, '.', '_', '-'" : "应为 3–32 个小写字母、数字或 . _ -");
    role_t role = role_s != NULL ? role_parse(role_s) : ROLE_NONE;
    if (role_s != NULL && (role == ROLE_NONE || role == ROLE_PUBLIC))
        call_error(c, "invalid_value", "role", "role", "enterprise, body, regulator, admin");
    if (login != NULL && password != NULL && !password_acceptable(login, password))
        call_error(c, "weak_password", "password");
    if (region == NULL)
        region = "";
    /* an empty region would scope the account nationally: a regulator must name its region
     * (000000 for the national office) */
    if (role == ROLE_REGULATOR && (region[0] == '\0' || !region_code_valid(region)))
        call_error(c, "invalid_value", "region", "region", en ? "a GB/T 2260 code such as 440000" : "应为 GB/T 2260 行政区划代码，如 440000");
    if (role == ROLE_ENTERPRISE && enterprise_id == 0)
        call_error(c, "missing_field", "enterprise_id", "enterprise_id");
    if (role == ROLE_BODY && body_id == 0)
        call_error(c, "missing_field", "body_id", "body_id");
    if (call_answered(c))
        return;
    bool found = false;
    if (role == ROLE_ENTERPRISE) {
        if (!exists(c, "SELECT 1 FROM enterprises WHERE id = $1", enterprise_id, &found)) {
            call_db_error(c, "enterprise lookup");
            return;
        }
        if (!found) {
            call_error(c, "invalid_value", "enterprise_id", "enterprise_id", en ? "no such enterprise" : "企业不存在");
            return;
        }
    }
    if (role == ROLE_BODY) {
        if (!exists(c, "SELECT 1 FROM bodies WHERE id = $1", body_id, &found)) {
            call_db_error(c, "body lookup");
            return;
        }
        if (!found) {
            call_error(c, "invalid_value", "body_id", "body_id", en ? "no such certification body" : "认证机构不存在");
            return;
        }
    }
    char hash[PASSWORD_HASH_MAX];
    if (!password_hash(password, hash)) {
        call_error(c, "overloaded", NULL);
        return;
    }
    new_user_t nu = {.login = login, .name = name, .password_hash = hash, .role = role, .email = email,
                     .region = role == ROLE_REGULATOR ? region : "",
                     .enterprise_id = role == ROLE_ENTERPRISE ? enterprise_id : 0,
                     .body_id = role == ROLE_BODY ? body_id : 0};
    audit_actor_t actor = call_actor(c);
    int64_t id = user_insert(c->db, &nu, &actor);
    if (id == 0) {
        call_error(c, "login_taken", "login", login);
        return;
    }
    if (id < 0) {
        call_db_error(c, "user insert");
        return;
    }
    /* answered as stored: an account that cannot be read back is a database error */
    user_t u;
    if (user_by_id(c->db, &c->arena, id, &u, NULL) != 1) {
        call_db_error(c, "user re-read");
        return;
    }
    user_write(c, call_json_begin(c, 201), &u);
}

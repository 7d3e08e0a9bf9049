/* Accounts, for admins: list and create. (`guanbiao user add|passwd` does the same from the
 * command line.) */
#include <string.h>

#include "api/api.h"
#include "core/buf.h"
#include "domain/scope.h"
#include "http/auth.h"
#include "store/users.h"

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
    /* WHERE built from fixed fragments; values are bound, never spliced */
    buf_t where;
    buf_init(&where, 1024);
    buf_puts(&where, " WHERE u.active = 1");
    int n = 0;
    const char *binds[2];
    if (role != NULL) {
        binds[n++] = role;
        buf_printf(&where, " AND u.role = $%d", n);
    }
    if (q != NULL && *q != '\0') {
        buf_t pat;
        buf_init(&pat, 1024);
        buf_puts(&pat, "%");
        for (const char *p = q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                buf_puts(&pat, "\\");
            buf_append(&pat, p, 1);
        }
        buf_puts(&pat, "%");
        binds[n++] = arena_strdup(&c->arena, pat.data);
        buf_free(&pat);
        buf_printf(&where, " AND (LOWER(u.login) LIKE LOWER($%d) ESCAPE '\\' OR LOWER(u.name) LIKE LOWER($%d) ESCAPE '\\')", n, n);
    }
    char *sql = arena_printf(&c->arena, "SELECT COUNT(*) FROM users u%s", where.data);
    stmt_t *st = db_prepare(c->db, sql);
    if (st == NULL)
        goto failed;
    for (int i = 0; i < n; i++)
        stmt_bind_text(st, i + 1, binds[i], strlen(binds[i]));
    if (stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        goto failed;
    }
    int64_t total = stmt_int(st, 0);
    stmt_done(st);

    sql = arena_printf(&c->arena,
                       "SELECT u.id, u.login, u.name, u.role, u.enterprise_id, u.body_id, u.region FROM users u%s "
                       "ORDER BY u.id LIMIT $%d OFFSET $%d", where.data, n + 1, n + 2);
    st = db_prepare(c->db, sql);
    if (st == NULL)
        goto failed;
    for (int i = 0; i < n; i++)
        stmt_bind_text(st, i + 1, binds[i], strlen(binds[i]));
    stmt_bind_int(st, n + 1, per_page);
    stmt_bind_int(st, n + 2, (int64_t)(page - 1) * per_page);
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        user_t u = {.id = stmt_int(st, 0), .login = stmt_text(st, 1), .name = stmt_text(st, 2),
                    .role = role_parse(stmt_text(st, 3)), .enterprise_id = stmt_is_null(st, 4) ? 0 : stmt_int(st, 4),
                    .body_id = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5), .region = stmt_text(st, 6)};
        u.login = arena_strdup(&c->arena, u.login);
        u.name = arena_strdup(&c->arena, u.name);
        u.region = arena_strdup(&c->arena, u.region);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)u.id, "login",
                                               u.login, "name", u.name, "role", role_name(u.role), "enterprise_id",
                                               u.enterprise_id ? json_integer(u.enterprise_id) : json_null(), "body_id",
                                               u.body_id ? json_integer(u.body_id) : json_null(), "region", u.region));
    }
    stmt_done(st);
    buf_free(&where);
    if (rc != STORE_DONE) {
        json_decref(items);
        call_db_error(c, "users list");
        return;
    }
    call_json(c, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page,
                                "per_page", per_page));
    return;
failed:
    buf_free(&where);
    call_db_error(c, "users list");
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
    static const char *const fields[] = {"login", "name", "role", "password", "enterprise_id", "body_id", "region", NULL};
    const char *login = NULL, *name = NULL, *role_s = NULL, *password = NULL, *region = "";
    int64_t enterprise_id = 0, body_id = 0;
    if (!body_only(c, fields) || !body_string(c, "login", FIELD_REQUIRED, 3, 32, &login) ||
        !body_string(c, "name", FIELD_REQUIRED, 1, 64, &name) ||
        !body_string(c, "role", FIELD_REQUIRED, 1, 16, &role_s) ||
        !body_string(c, "password", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 1, 256, &password) ||
        !body_int(c, "enterprise_id", FIELD_NULLABLE, 1, INT64_MAX, &enterprise_id) ||
        !body_int(c, "body_id", FIELD_NULLABLE, 1, INT64_MAX, &body_id) ||
        !body_string(c, "region", FIELD_NULLABLE, 0, 6, &region))
        return;
    bool en = c->lang == LANG_EN;
    if (!login_valid(login)) {
        call_error(c, "invalid_value", "login", "login", en ? "3–32 of a–z, 0–9, '.', '_', '-'" : "应为 3–32 个小写字母、数字或 . _ -");
        return;
    }
    role_t role = role_parse(role_s);
    if (role == ROLE_NONE || role == ROLE_PUBLIC) {
        call_error(c, "invalid_value", "role", "role", "enterprise, body, regulator, admin");
        return;
    }
    if (!password_acceptable(login, password)) {
        call_error(c, "weak_password", "password");
        return;
    }
    if (region == NULL)
        region = "";
    /* an empty region would scope the account nationally: a regulator must name its region
     * (000000 for the national office) */
    if (role == ROLE_REGULATOR && (region[0] == '\0' || !region_code_valid(region))) {
        call_error(c, "invalid_value", "region", "region", en ? "a GB/T 2260 code such as 440000" : "应为 GB/T 2260 行政区划代码,如 440000");
        return;
    }
    bool found = false;
    if (role == ROLE_ENTERPRISE) {
        if (enterprise_id == 0) {
            call_error(c, "missing_field", "enterprise_id", "enterprise_id");
            return;
        }
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
        if (body_id == 0) {
            call_error(c, "missing_field", "body_id", "body_id");
            return;
        }
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
    new_user_t nu = {.login = login, .name = name, .password_hash = hash, .role = role,
                     .region = role == ROLE_REGULATOR ? region : "",
                     .enterprise_id = role == ROLE_ENTERPRISE ? enterprise_id : 0,
                     .body_id = role == ROLE_BODY ? body_id : 0};
    int64_t id = user_insert(c->db, &nu);
    if (id == 0) {
        call_error(c, "login_taken", "login", login);
        return;
    }
    if (id < 0) {
        call_db_error(c, "user insert");
        return;
    }
    user_t u = {.id = id, .login = login, .name = name, .role = role, .enterprise_id = nu.enterprise_id,
                .body_id = nu.body_id, .region = nu.region};
    call_json(c, 201, user_json(c, &u));
}

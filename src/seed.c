/* Demo data (see seed.h). */
#include "seed.h"

#include <string.h>

#include "core/text.h"
#include "http/auth.h"
#include "store/users.h"

typedef struct demo_account {
    const char *login, *name, *role, *region;
} demo_account_t;

static const demo_account_t accounts[] = {
    {"admin", "平台管理员", "admin", ""},
    {"regulator", "国家知识产权局运营促进司", "regulator", "000000"},
    {"regulator-gd", "广东省知识产权局", "regulator", "440000"},
    {"enterprise", "深圳市示范科技有限公司 · 知识产权专员", "enterprise", ""},
    {"body", "中知认证有限公司 · 审核员", "body", ""},
};

/* The id of the row with this credit code, inserting it first when missing; -1 on error. */
static int64_t ensure_org(db_t *db, const char *table, const char *name, const char *code, const char *region)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE credit_code = $1", table);
    stmt_t *st = db_query(db, sql, "t", code);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc == STORE_ERROR)
        return -1;
    if (id > 0)
        return id;
    if (region != NULL) {
        snprintf(sql, sizeof sql, "INSERT INTO %s (name, credit_code, region, created_at) VALUES ($1, $2, $3, $4) RETURNING id", table);
        st = db_query(db, sql, "tttI", name, code, region, (int64_t)now_seconds());
    } else {
        snprintf(sql, sizeof sql, "INSERT INTO %s (name, credit_code, created_at) VALUES ($1, $2, $3) RETURNING id", table);
        st = db_query(db, sql, "ttI", name, code, (int64_t)now_seconds());
    }
    if (st == NULL)
        return -1;
    id = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return id;
}

int seed_demo(db_t *db, int scale, FILE *out)
{
    (void)scale;          /* the registry issue scales its records with it */
    if (db_begin(db) != STORE_DONE)
        goto failed;
    /* 91440300MA5D8Y8X3K style codes: valid GB 32100 check characters */
    int64_t enterprise_id = ensure_org(db, "enterprises", "深圳市示范科技有限公司", "914403001922038216", "440300");
    int64_t body_id = ensure_org(db, "bodies", "中知认证有限公司", "91110000600037341L", NULL);
    if (enterprise_id < 0 || body_id < 0)
        goto failed;
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
        const demo_account_t *a = &accounts[i];
        stmt_t *st = db_query(db, "SELECT id FROM users WHERE login = $1", "t", a->login);
        if (st == NULL)
            goto failed;
        int rc = stmt_step(st);
        stmt_done(st);
        if (rc == STORE_ERROR)
            goto failed;
        if (rc == STORE_ROW)
            continue;
        char hash[PASSWORD_HASH_MAX];
        if (!password_hash(DEMO_PASSWORD, hash))
            goto failed;
        role_t role = role_parse(a->role);
        new_user_t nu = {.login = a->login, .name = a->name, .password_hash = hash, .role = role,
                         .region = a->region, .enterprise_id = role == ROLE_ENTERPRISE ? enterprise_id : 0,
                         .body_id = role == ROLE_BODY ? body_id : 0};
        if (user_insert(db, &nu) <= 0)
            goto failed;
    }
    if (db_run(db, "INSERT INTO settings (key, value) VALUES ('demo', '1') ON CONFLICT (key) DO NOTHING", "") < 0 ||
        db_commit(db) != STORE_DONE)
        goto failed;
    fprintf(out, "Demo data ready. Demo accounts (password %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
        fprintf(out, "  %-13s %-10s %s\n", accounts[i].login, accounts[i].role, accounts[i].name);
    return 0;
failed:
    fprintf(stderr, "seed failed: %s\n", db_error(db));
    db_rollback(db);
    return 1;
}

/* Covers domain/scope (region prefixes and codes, scope_allows, scope_reach) and store/query.c's SQL for each reach, run against SQLite rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/roles.h"
#include "domain/scope.h"
#include "store/query.h"
#include "store/store.h"

#define UNUSED (void)state

static const char *prefix(const char *region)
{
    static char out[7];
    memset(out, 'x', sizeof out);
    region_prefix(region, out);
    return out;
}

static void region_prefix_cases(void **state)
{
    UNUSED;
    assert_string_equal(prefix("440000"), "44");
    assert_string_equal(prefix("440300"), "4403");
    assert_string_equal(prefix("440305"), "440305");
    assert_string_equal(prefix("110100"), "1101");
    assert_string_equal(prefix("000000"), "");
    assert_string_equal(prefix(""), "");
    assert_string_equal(prefix(NULL), "");
    assert_string_equal(prefix("440300999"), "4403");      /* only six characters count */
    assert_string_equal(prefix("440030"), "440030");       /* pairs are stripped, not single zeros */
    assert_string_equal(prefix("400000"), "40");
}

static void region_within_cases(void **state)
{
    UNUSED;
    assert_true(region_within("440305", "440000"));
    assert_true(region_within("440305", "440300"));
    assert_true(region_within("440305", "440305"));
    assert_false(region_within("440405", "440300"));
    assert_false(region_within("110105", "440000"));
    assert_false(region_within("450000", "440000"));
    assert_true(region_within("110105", ""));              /* national */
    assert_true(region_within("110105", "000000"));
    assert_true(region_within("", "000000"));
    assert_false(region_within(NULL, "440000"));
    assert_false(region_within("", "440000"));
    assert_false(region_within("4", "440000"));
}

static void region_code_valid_cases(void **state)
{
    UNUSED;
    static const char *const good[] = {"", "000000", "110000", "120000", "440000", "440300", "440305",
                                       "650000", "710000", "810000", "820000", "460100"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!region_code_valid(good[i]))
            fail_msg("%s should be valid", good[i]);
    static const char *const bad[] = {"990000", "100000", "200000", "660000", "010000", "44000", "4400000",
                                      "44", "44000a", "4403O5", " 44000", "44 000", "-40000", "00000", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (region_code_valid(bad[i]))
            fail_msg("%s should be invalid", bad[i]);
}

static const user_t admin = {.id = 1, .role = ROLE_ADMIN, .region = ""};
static const user_t national = {.id = 2, .role = ROLE_REGULATOR, .region = "000000"};
static const user_t national_blank = {.id = 3, .role = ROLE_REGULATOR, .region = ""};
static const user_t guangdong = {.id = 4, .role = ROLE_REGULATOR, .region = "440000"};
static const user_t shenzhen = {.id = 5, .role = ROLE_REGULATOR, .region = "440300"};
static const user_t enterprise7 = {.id = 6, .role = ROLE_ENTERPRISE, .enterprise_id = 7, .region = ""};
static const user_t enterprise0 = {.id = 7, .role = ROLE_ENTERPRISE, .enterprise_id = 0, .region = ""};
static const user_t body5 = {.id = 8, .role = ROLE_BODY, .body_id = 5, .region = ""};
static const user_t public_user = {.id = 0, .role = ROLE_PUBLIC, .region = ""};

static void scope_allows_by_role(void **state)
{
    UNUSED;
    /* admin: everything */
    assert_true(scope_allows(&admin, 1, 0, "440305"));
    assert_true(scope_allows(&admin, 0, 0, NULL));
    /* national regulator: every region */
    assert_true(scope_allows(&national, 1, 0, "440305"));
    assert_true(scope_allows(&national, 2, 0, "110105"));
    assert_true(scope_allows(&national_blank, 2, 0, "650100"));
    /* Guangdong: 44xxxx only */
    assert_true(scope_allows(&guangdong, 1, 0, "440305"));
    assert_true(scope_allows(&guangdong, 1, 0, "441900"));
    assert_false(scope_allows(&guangdong, 1, 0, "110105"));
    assert_false(scope_allows(&guangdong, 1, 0, "450100"));
    assert_false(scope_allows(&guangdong, 1, 0, NULL));
    /* Shenzhen: 4403xx only */
    assert_true(scope_allows(&shenzhen, 1, 0, "440305"));
    assert_false(scope_allows(&shenzhen, 1, 0, "440105"));
    /* enterprise: its own id only, whatever the region or body */
    assert_true(scope_allows(&enterprise7, 7, 0, "440305"));
    assert_true(scope_allows(&enterprise7, 7, 5, NULL));
    assert_false(scope_allows(&enterprise7, 8, 0, "440305"));
    assert_false(scope_allows(&enterprise7, 0, 7, "440305"));
    assert_false(scope_allows(&enterprise0, 0, 0, "440305"));       /* no enterprise: nothing */
    /* body: its own id only */
    assert_true(scope_allows(&body5, 7, 5, "440305"));
    assert_false(scope_allows(&body5, 5, 0, "440305"));
    assert_false(scope_allows(&body5, 7, 6, "440305"));
    /* public: nothing */
    assert_false(scope_allows(&public_user, 1, 0, "440305"));
    assert_false(scope_allows(&public_user, 0, 0, ""));
    user_t none = {.role = ROLE_NONE};
    assert_false(scope_allows(&none, 1, 1, "440000"));
}

static void reach_by_role(void **state)
{
    UNUSED;
    reach_t r = scope_reach(&admin);
    assert_int_equal(r.kind, REACH_ALL);
    assert_int_equal(scope_reach(&national).kind, REACH_ALL);
    assert_int_equal(scope_reach(&national_blank).kind, REACH_ALL);
    r = scope_reach(&guangdong);
    assert_int_equal(r.kind, REACH_REGION);
    assert_string_equal(r.region_prefix, "44");
    r = scope_reach(&shenzhen);
    assert_int_equal(r.kind, REACH_REGION);
    assert_string_equal(r.region_prefix, "4403");
    r = scope_reach(&enterprise7);
    assert_int_equal(r.kind, REACH_ENTERPRISE);
    assert_int_equal(r.id, 7);
    assert_int_equal(scope_reach(&enterprise0).kind, REACH_NONE);
    r = scope_reach(&body5);
    assert_int_equal(r.kind, REACH_BODY);
    assert_int_equal(r.id, 5);
    assert_int_equal(scope_reach(&public_user).kind, REACH_NONE);
}

static const char *scope_sql(const user_t *u, const scope_columns_t *cols, query_t *q)
{
    reach_t r = scope_reach(u);
    query_init(q, "SELECT 1 FROM recs WHERE TRUE");
    query_and_int(q, "a = $?", 1);            /* $1 is taken, as in a real list query */
    query_scope(q, &r, cols);
    return q->sql.data;
}

/* The SQL the store writes for each reach: the domain says what, the store says how. */
static void query_scope_sql(void **state)
{
    UNUSED;
    static const scope_columns_t all_cols = {.enterprise = "c.enterprise_id", .body = "c.body_id", .region = "e.region"};
    static const scope_columns_t no_cols = {0};
    static const char base[] = "SELECT 1 FROM recs WHERE TRUE AND a = $1";
    query_t q;
    char want[256];
#define EXPECT(user, cols, tail, n)                                \
    snprintf(want, sizeof want, "%s%s", base, tail);                    \
    assert_string_equal(scope_sql(user, cols, &q), want);               \
    assert_int_equal(q.nbinds, n);                                      \
    query_free(&q)
    EXPECT(&admin, &all_cols, " AND TRUE", 1);
    EXPECT(&admin, &no_cols, " AND TRUE", 1);
    EXPECT(&national, &all_cols, " AND TRUE", 1);
    EXPECT(&guangdong, &all_cols, " AND e.region LIKE $2", 2);
    EXPECT(&guangdong, &no_cols, " AND FALSE", 1);
    EXPECT(&enterprise7, &all_cols, " AND c.enterprise_id = $2", 2);
    EXPECT(&enterprise7, &no_cols, " AND FALSE", 1);
    EXPECT(&enterprise0, &all_cols, " AND FALSE", 1);
    EXPECT(&body5, &all_cols, " AND c.body_id = $2", 2);
    EXPECT(&body5, &no_cols, " AND FALSE", 1);
    EXPECT(&public_user, &all_cols, " AND FALSE", 1);
#undef EXPECT
    scope_sql(&shenzhen, &all_cols, &q);
    assert_string_equal(q.binds[1].text, "4403%");
    query_free(&q);
    scope_sql(&enterprise7, &all_cols, &q);
    assert_int_equal(q.binds[1].integer, 7);
    query_free(&q);
}

/* The store's predicate, run against real rows, selects exactly the rows scope_allows allows. */
static void query_scope_in_sqlite(void **state)
{
    UNUSED;
    char err[256];
    store_t *s = store_open("sqlite::memory:", err, sizeof err);
    assert_non_null(s);
    db_t *db = db_connect(s, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(db_exec(db, "CREATE TABLE recs (id INTEGER PRIMARY KEY, enterprise_id BIGINT NOT NULL, "
                                 "body_id BIGINT, region TEXT NOT NULL)"), STORE_DONE);
    static const struct { int64_t ent, body; const char *region; } rows[] = {
        {7, 5, "440305"}, {7, 0, "110105"}, {8, 5, "440105"}, {8, 6, "441900"}, {9, 0, "450100"},
        {9, 5, "440300"}, {10, 6, "650100"}, {11, 0, "4403"}, {12, 0, "x44000"}, {13, 0, ""},
    };
    const int nrows = (int)(sizeof rows / sizeof rows[0]);
    for (int i = 0; i < nrows; i++)
        assert_int_equal(db_run(db, "INSERT INTO recs (id, enterprise_id, body_id, region) VALUES ($1, $2, $3, $4)",
                                "iIIt", i + 1, rows[i].ent, rows[i].body, rows[i].region), 1);
    assert_int_equal(db_run(db, "UPDATE recs SET body_id = NULL WHERE body_id = 0", ""), 5);

    const user_t *users[] = {&admin, &national, &national_blank, &guangdong, &shenzhen,
                             &enterprise7, &enterprise0, &body5, &public_user};
    static const scope_columns_t cols = {.enterprise = "r.enterprise_id", .body = "r.body_id", .region = "r.region"};
    int expected_counts[] = {10, 10, 10, 5, 3, 2, 0, 3, 0};
    for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
        query_t q;
        query_init(&q, "SELECT id FROM recs r WHERE TRUE");
        query_and_int(&q, "r.id >= $?", 1);   /* $1 is taken by another condition, as in a real list query */
        reach_t reach = scope_reach(users[u]);
        query_scope(&q, &reach, &cols);
        query_sql(&q, " ORDER BY id");
        stmt_t *st = query_run(db, &q);
        assert_non_null(st);
        bool selected[16] = {0};
        int count = 0, rc;
        while ((rc = stmt_step(st)) == STORE_ROW) {
            int64_t id = stmt_int(st, 0);
            assert_in_range(id, 1, nrows);
            selected[id - 1] = true;
            count++;
        }
        assert_int_equal(rc, STORE_DONE);
        stmt_done(st);
        query_free(&q);
        for (int i = 0; i < nrows; i++) {
            bool allowed = scope_allows(users[u], rows[i].ent, rows[i].body, rows[i].region);
            if (allowed != selected[i])
                fail_msg("user %s region '%s': row %d (%s) allowed=%d selected=%d", role_name(users[u]->role),
                         users[u]->region, i + 1, rows[i].region, allowed, selected[i]);
        }
        assert_int_equal(count, expected_counts[u]);
    }
    db_close(db);
    store_close(s);
}

static void role_names(void **state)
{
    UNUSED;
    assert_string_equal(role_name(ROLE_ADMIN), "admin");
    assert_string_equal(role_name(ROLE_PUBLIC), "public");
    assert_string_equal(role_name(ROLE_NONE), "none");
    assert_int_equal(role_parse("regulator"), ROLE_REGULATOR);
    assert_int_equal(role_parse("enterprise"), ROLE_ENTERPRISE);
    assert_int_equal(role_parse("Admin"), ROLE_NONE);
    assert_int_equal(role_parse(""), ROLE_NONE);
    char out[64];
    role_mask_names(ROLE_ENTERPRISE | ROLE_BODY, out, sizeof out);
    assert_string_equal(out, "enterprise,body");
    role_mask_names(ROLES_ANY, out, sizeof out);
    assert_string_equal(out, "public,enterprise,body,regulator,admin");
    role_mask_names(0, out, sizeof out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_prefix_cases),
        cmocka_unit_test(region_within_cases),
        cmocka_unit_test(region_code_valid_cases),
        cmocka_unit_test(scope_allows_by_role),
        cmocka_unit_test(reach_by_role),
        cmocka_unit_test(query_scope_sql),
        cmocka_unit_test(query_scope_in_sqlite),
        cmocka_unit_test(role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

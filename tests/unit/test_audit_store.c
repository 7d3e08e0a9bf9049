/* Covers store/audit on SQLite: the before/after builder keeps only changed fields; an entry is
 * written in the caller's transaction (a rollback takes it away, the chain stays whole); entries
 * link and verify; the actor's fields; on SQLite the head row stays unused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store/audit.h"
#include "unit_db.h"

#define UNUSED (void)state

static void diff_keeps_only_changed_fields(void **state)
{
    UNUSED;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "name", "甲公司", "乙公司");
    audit_diff_str(&d, "address", "深圳", "深圳");      /* unchanged: left out */
    audit_diff_str(&d, "phone", "1", NULL);             /* not sent: left out */
    int64_t was = 3, now = 4;
    audit_diff_int(&d, "body_id", &was, &now);
    bool t = true;
    audit_diff_bool(&d, "override", NULL, &t);          /* new, nothing before */
    assert_true(audit_diff_any(&d));
    assert_string_equal(audit_diff_before(&d), "{\"name\":\"甲公司\",\"body_id\":3}");
    assert_string_equal(audit_diff_after(&d), "{\"name\":\"乙公司\",\"body_id\":4,\"override\":true}");
    audit_diff_free(&d);

    audit_diff_init(&d);
    audit_diff_str(&d, "name", "same", "same");
    assert_false(audit_diff_any(&d));
    assert_string_equal(audit_diff_before(&d), "");
    assert_string_equal(audit_diff_after(&d), "");
    audit_diff_free(&d);
}

typedef struct walk {
    audit_verifier_t v;
    int64_t broken;
    char actions[4][32];
    int n;
} walk_t;

static bool check(const audit_entry_t *e, void *ctx)
{
    walk_t *w = ctx;
    if (w->n < 4)
        snprintf(w->actions[w->n++], sizeof w->actions[0], "%s", e->action);
    if (audit_verify_next(&w->v, e) != AUDIT_OK) {
        w->broken = e->seq;
        return false;
    }
    return true;
}

static void entries_chain_and_roll_back_with_their_transaction(void **state)
{
    UNUSED;
    temp_db_t t;
    assert_true(temp_db_open(&t, "audit"));
    audit_actor_t admin = {.kind = ACTOR_USER, .user_id = 7, .login = "admin", .role = ROLE_ADMIN,
                           .request_id = "0123456789abcdef", .address = "127.0.0.1"};
    assert_true(audit_record(t.db, &admin, "body.create", "body", "1", "", "", "{\"name\":\"甲\"}"));
    /* in a transaction that rolls back: gone, and the next entry takes its number */
    assert_int_equal(db_begin(t.db), STORE_DONE);
    assert_true(audit_record_id(t.db, NULL, "certificate.status", "certificate", 5, "440300", "{\"status\":\"valid\"}",
                                "{\"status\":\"expired\"}"));
    db_rollback(t.db);
    assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log"), 1);
    assert_int_equal(db_begin(t.db), STORE_DONE);
    assert_true(audit_record_id(t.db, NULL, "certificate.status", "certificate", 5, "440300", "{\"status\":\"valid\"}",
                                "{\"status\":\"expired\"}"));
    assert_true(audit_record(t.db, &AUDIT_ACTOR_SEED, "user.create", "user", "2", "", "", "{}"));
    assert_int_equal(db_commit(t.db), STORE_DONE);

    walk_t w = {.broken = 0};
    audit_verifier_init(&w.v);
    assert_int_equal(audit_walk(t.db, check, &w), 1);
    assert_int_equal(w.broken, 0);
    assert_int_equal(w.v.count, 3);
    assert_string_equal(w.actions[1], "certificate.status");
    /* on SQLite the last entry is the head: the head row (PostgreSQL's lock) is left alone */
    assert_int_equal(count(t.db, "SELECT seq FROM audit_head"), 0);

    /* the actor's columns: a user with its organisation; the platform with nothing */
    assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE seq = 1 AND actor_kind = 'user' AND actor_id = 7 "
                                 "AND actor_login = 'admin' AND actor_role = 'admin' AND request_id = '0123456789abcdef'"),
                     1);
    assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE seq = 2 AND actor_kind = 'platform' AND actor_id = 0 "
                                 "AND actor_login = '' AND entity_id = '5' AND region = '440300'"),
                     1);
    assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE seq = 3 AND actor_kind = 'seed'"), 1);

    /* an edit is caught at its entry */
    assert_int_equal(db_run(t.db, "UPDATE audit_log SET region = '110000' WHERE seq = 2", ""), 1);
    walk_t w2 = {.broken = 0};
    audit_verifier_init(&w2.v);
    assert_int_equal(audit_walk(t.db, check, &w2), 0);
    assert_int_equal(w2.broken, 2);
    temp_db_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diff_keeps_only_changed_fields),
        cmocka_unit_test(entries_chain_and_roll_back_with_their_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

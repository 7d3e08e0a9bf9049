/* Covers core/audit_chain: the canonical encoding, the entry hash and the verifier. The expected
 * encodings and hashes were computed outside this code (sha256sum over the bytes written out by
 * hand, and Python's hashlib), as docs/audit.md describes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/audit_chain.h"

#define UNUSED (void)state

static const char *const HASH1 = "8166728855101da7a7f5ac5c15e9b5cc318af1e76506aa5bfb55f4bb3edd6f1e";
static const char *const HASH2 = "a9b1130e2a871eca9ff315b79128ac42004f11a04dd9e62e8a1855a797db6967";

static audit_entry_t first(void)
{
    audit_entry_t e = {.seq = 1, .at = 1700000000, .actor_kind = "user", .actor_id = 7, .actor_login = "admin",
                       .actor_role = "admin", .actor_org = "", .request_id = "0123456789abcdef",
                       .address = "127.0.0.1", .action = "certificate.status", .entity = "certificate",
                       .entity_id = "84025IP021017R0M", .region = "440300", .before = "{\"status\":\"valid\"}",
                       .after = "{\"status\":\"suspended\",\"reason\":\"复审\"}", .prev_hash = AUDIT_GENESIS,
                       .hash = HASH1};
    return e;
}

/* the platform expiring it a minute later: NULL strings read as "" */
static audit_entry_t second(void)
{
    audit_entry_t e = {.seq = 2, .at = 1700000060, .actor_kind = "platform", .action = "certificate.status",
                       .entity = "certificate", .entity_id = "84025IP021017R0M", .region = "440300",
                       .before = "{\"status\":\"suspended\"}", .after = "{\"status\":\"expired\"}",
                       .prev_hash = HASH1, .hash = HASH2};
    return e;
}

static void encoding_is_length_prefixed_fields_in_order(void **state)
{
    UNUSED;
    audit_entry_t e = first();
    buf_t b;
    buf_init(&b, 4096);
    assert_true(audit_encode(&e, &b));
    /* "复审" is 6 bytes: the after field is 40 bytes long */
    assert_string_equal(b.data, "1:1,10:1700000000,4:user,1:7,5:admin,5:admin,0:,16:0123456789abcdef,9:127.0.0.1,"
                                "18:certificate.status,11:certificate,16:84025IP021017R0M,6:440300,"
                                "18:{\"status\":\"valid\"},40:{\"status\":\"suspended\",\"reason\":\"复审\"},");
    buf_free(&b);
}

static void hash_covers_prev_hash_and_encoding(void **state)
{
    UNUSED;
    char h[AUDIT_HASH_HEX + 1];
    audit_entry_t e = first();
    assert_true(audit_hash(&e, h));
    assert_string_equal(h, HASH1);
    audit_entry_t e2 = second();
    assert_true(audit_hash(&e2, h));
    assert_string_equal(h, HASH2);
    /* a comma inside a field cannot move a boundary: the length says where it ends */
    e.actor_login = "admin,";
    e.actor_role = "dmin";
    assert_true(audit_hash(&e, h));
    assert_string_not_equal(h, HASH1);
}

static void verifier_accepts_a_whole_chain(void **state)
{
    UNUSED;
    audit_verifier_t v;
    audit_verifier_init(&v);
    audit_entry_t a = first(), b = second();
    assert_int_equal(audit_verify_next(&v, &a), AUDIT_OK);
    assert_int_equal(audit_verify_next(&v, &b), AUDIT_OK);
    assert_int_equal(v.count, 2);
    assert_string_equal(v.prev_hash, HASH2);
}

static void verifier_names_an_edit(void **state)
{
    UNUSED;
    audit_verifier_t v;
    audit_verifier_init(&v);
    audit_entry_t a = first(), b = second();
    b.after = "{\"status\":\"valid\"}";
    assert_int_equal(audit_verify_next(&v, &a), AUDIT_OK);
    assert_int_equal(audit_verify_next(&v, &b), AUDIT_BAD_HASH);
    assert_int_equal(v.count, 1);
}

static void verifier_names_a_deletion(void **state)
{
    UNUSED;
    audit_verifier_t v;
    audit_verifier_init(&v);
    audit_entry_t b = second();
    assert_int_equal(audit_verify_next(&v, &b), AUDIT_BAD_SEQUENCE);   /* entry 1 is gone */
    assert_int_equal(v.next_seq, 1);
}

static void verifier_names_a_swap(void **state)
{
    UNUSED;
    /* the two entries exchanged their sequence numbers and places */
    audit_verifier_t v;
    audit_verifier_init(&v);
    audit_entry_t a = first(), b = second();
    b.seq = 1;
    a.seq = 2;
    assert_int_equal(audit_verify_next(&v, &b), AUDIT_BAD_LINK);
    (void)a;
}

static void verifier_names_a_renumbered_deletion(void **state)
{
    UNUSED;
    /* entry 1 deleted and entry 2 renumbered 1 to hide the gap: its link gives it away */
    audit_verifier_t v;
    audit_verifier_init(&v);
    audit_entry_t b = second();
    b.seq = 1;
    assert_int_equal(audit_verify_next(&v, &b), AUDIT_BAD_LINK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoding_is_length_prefixed_fields_in_order),
        cmocka_unit_test(hash_covers_prev_hash_and_encoding),
        cmocka_unit_test(verifier_accepts_a_whole_chain),
        cmocka_unit_test(verifier_names_an_edit),
        cmocka_unit_test(verifier_names_a_deletion),
        cmocka_unit_test(verifier_names_a_swap),
        cmocka_unit_test(verifier_names_a_renumbered_deletion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

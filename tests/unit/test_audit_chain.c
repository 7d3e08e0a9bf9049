/* Covers core/audit_chain: the canonical encoding, the entry hash and the verifier, and the
 * export's lines (parsed, formatted, read from a file). The expected encodings and hashes were
 * computed outside this code (sha256sum over the bytes written out by hand, and Python's
 * hashlib), as docs/audit.md describes them; the expected line is written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
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

/* ---- the export's lines ---- */

/* first() as `guanbiao audit export` writes it */
static const char *const LINE1 =
    "{\"seq\":1,\"at\":1700000000,\"actor_kind\":\"user\",\"actor_id\":7,\"actor_login\":\"admin\","
    "\"actor_role\":\"admin\",\"actor_org\":\"\",\"request_id\":\"0123456789abcdef\",\"address\":\"127.0.0.1\","
    "\"action\":\"certificate.status\",\"entity\":\"certificate\",\"entity_id\":\"84025IP021017R0M\","
    "\"region\":\"440300\",\"before\":\"{\\\"status\\\":\\\"valid\\\"}\","
    "\"after\":\"{\\\"status\\\":\\\"suspended\\\",\\\"reason\\\":\\\"复审\\\"}\","
    "\"prev_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"hash\":\"8166728855101da7a7f5ac5c15e9b5cc318af1e76506aa5bfb55f4bb3edd6f1e\"}";

static const char *const KEYS[] = {"seq", "at", "actor_kind", "actor_id", "actor_login", "actor_role", "actor_org",
                                   "request_id", "address", "action", "entity", "entity_id", "region", "before",
                                   "after", "prev_hash", "hash"};
enum { NKEYS = sizeof KEYS / sizeof KEYS[0] };

static audit_line_status_t parse(const char *text, audit_line_t *line)
{
    return audit_line_parse(text, strlen(text), line);
}

/* LINE1 changed by fn on its JSON object, written back compact in order */
static char *line1_with(void (*fn)(json_t *o, const char *key), const char *key)
{
    json_t *o = json_loads(LINE1, 0, NULL);
    assert_non_null(o);
    fn(o, key);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    assert_non_null(text);
    return text;
}

static void drop_key(json_t *o, const char *key)
{
    assert_int_equal(json_object_del(o, key), 0);
}

/* an integer key gets a string, a string key an integer */
static void mistype_key(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    json_object_set_new(o, key, json_is_integer(v) ? json_string("1") : json_integer(1));
}

static void parses_a_valid_line(void **state)
{
    UNUSED;
    audit_line_t l;
    assert_int_equal(parse(LINE1, &l), AUDIT_LINE_ENTRY);
    assert_null(l.field);
    assert_int_equal(l.entry.seq, 1);
    assert_int_equal(l.entry.at, 1700000000);
    assert_int_equal(l.entry.actor_id, 7);
    assert_string_equal(l.entry.actor_kind, "user");
    assert_string_equal(l.entry.actor_login, "admin");
    assert_string_equal(l.entry.actor_org, "");
    assert_string_equal(l.entry.entity_id, "84025IP021017R0M");
    assert_string_equal(l.entry.before, "{\"status\":\"valid\"}");
    assert_string_equal(l.entry.after, "{\"status\":\"suspended\",\"reason\":\"复审\"}");
    assert_string_equal(l.entry.prev_hash, AUDIT_GENESIS);
    assert_string_equal(l.entry.hash, HASH1);
    /* the entry read back is the one hashed by hand */
    audit_verifier_t v;
    audit_verifier_init(&v);
    assert_int_equal(audit_verify_next(&v, &l.entry), AUDIT_OK);
    audit_line_free(&l);
    audit_line_free(&l);   /* twice is harmless */

    /* its newline, a CRLF, an unknown key (not covered by the hash) are accepted */
    char text[1024];
    snprintf(text, sizeof text, "%s\n", LINE1);
    assert_int_equal(parse(text, &l), AUDIT_LINE_ENTRY);
    audit_line_free(&l);
    snprintf(text, sizeof text, "%s\r\n", LINE1);
    assert_int_equal(parse(text, &l), AUDIT_LINE_ENTRY);
    audit_line_free(&l);
    snprintf(text, sizeof text, "{\"note\":\"x\",%s", LINE1 + 1);
    assert_int_equal(parse(text, &l), AUDIT_LINE_ENTRY);
    audit_line_free(&l);
    /* the bytes need no NUL: only len of them are read */
    snprintf(text, sizeof text, "%sGARBAGE", LINE1);
    assert_int_equal(audit_line_parse(text, strlen(LINE1), &l), AUDIT_LINE_ENTRY);
    audit_line_free(&l);
}

static void names_each_missing_field(void **state)
{
    UNUSED;
    for (int i = 0; i < NKEYS; i++) {
        char *text = line1_with(drop_key, KEYS[i]);
        audit_line_t l;
        assert_int_equal(parse(text, &l), AUDIT_LINE_MISSING);
        assert_non_null(l.field);
        assert_string_equal(l.field, KEYS[i]);
        assert_null(l.json);
        audit_line_free(&l);
        free(text);
    }
}

static void names_each_field_of_the_wrong_type(void **state)
{
    UNUSED;
    for (int i = 0; i < NKEYS; i++) {
        char *text = line1_with(mistype_key, KEYS[i]);
        audit_line_t l;
        assert_int_equal(parse(text, &l), AUDIT_LINE_WRONG_TYPE);
        assert_string_equal(l.field, KEYS[i]);
        audit_line_free(&l);
        free(text);
    }
    /* a number with a fraction, null: not integers */
    const char *bad[] = {"{\"seq\":1.0", "{\"seq\":null", "{\"seq\":true", "{\"seq\":[1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s,%s", bad[i], strchr(LINE1, ',') + 1);
        audit_line_t l;
        assert_int_equal(parse(text, &l), AUDIT_LINE_WRONG_TYPE);
        assert_string_equal(l.field, "seq");
        audit_line_free(&l);
    }
    /* the first bad key in the export's order is named */
    audit_line_t l;
    assert_int_equal(parse("{\"hash\":1,\"at\":\"x\"}", &l), AUDIT_LINE_MISSING);
    assert_string_equal(l.field, "seq");
    assert_int_equal(parse("{\"seq\":1,\"hash\":1,\"at\":\"x\"}", &l), AUDIT_LINE_WRONG_TYPE);
    assert_string_equal(l.field, "at");
}

static void refuses_an_over_long_line(void **state)
{
    UNUSED;
    /* a valid entry whose after field makes the line one byte too long */
    size_t len = AUDIT_LINE_MAX + 1;
    char *text = malloc(len + 1);
    assert_non_null(text);
    const char *head = "{\"after\":\"";
    memcpy(text, head, strlen(head));
    /* a long after, then its closing quote and the other keys */
    const char *rest = "\",\"seq\":1,\"at\":1,\"actor_kind\":\"\",\"actor_id\":0,\"actor_login\":\"\",\"actor_role\":\"\","
                       "\"actor_org\":\"\",\"request_id\":\"\",\"address\":\"\",\"action\":\"\",\"entity\":\"\","
                       "\"entity_id\":\"\",\"region\":\"\",\"before\":\"\",\"prev_hash\":\"\",\"hash\":\"\"}";
    size_t fill = len - strlen(head) - strlen(rest);
    memset(text + strlen(head), 'a', fill);
    memcpy(text + strlen(head) + fill, rest, strlen(rest) + 1);
    assert_int_equal(strlen(text), len);
    audit_line_t l;
    assert_int_equal(audit_line_parse(text, len, &l), AUDIT_LINE_TOO_LONG);
    assert_null(l.json);
    /* one byte shorter, it is an entry */
    memmove(text + strlen(head), text + strlen(head) + 1, len - strlen(head));
    assert_int_equal(audit_line_parse(text, len - 1, &l), AUDIT_LINE_ENTRY);
    assert_int_equal(strlen(l.entry.after), fill - 1);
    audit_line_free(&l);
    free(text);
}

static void refuses_bytes_that_are_not_utf8(void **state)
{
    UNUSED;
    /* "复" (e5 a4 8d) cut to its first two bytes, a lone continuation byte, an overlong "/" */
    const char *bad[] = {"\xe5\xa4", "\x80", "\xc0\xaf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "{\"seq\":1,\"actor_login\":\"ad%smin\"}", bad[i]);
        audit_line_t l;
        assert_int_equal(parse(text, &l), AUDIT_LINE_NOT_UTF8);
        assert_null(l.json);
        assert_null(l.field);
    }
}

static void refuses_what_is_not_one_json_object(void **state)
{
    UNUSED;
    audit_line_t l;
    assert_int_equal(parse("", &l), AUDIT_LINE_BLANK);
    assert_int_equal(parse("\n", &l), AUDIT_LINE_BLANK);
    assert_int_equal(parse(" \n", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("{\"seq\":1", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("{} {}", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("{\"seq\":99999999999999999999}", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("{\"actor_login\":\"a\\u0000b\"}", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("{\"actor_login\":\"\\ud800\"}", &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(audit_line_parse("{}\0{}", 5, &l), AUDIT_LINE_NOT_JSON);
    assert_int_equal(parse("[1]", &l), AUDIT_LINE_NOT_OBJECT);
    assert_int_equal(parse("\"seq\"", &l), AUDIT_LINE_NOT_OBJECT);
    assert_null(l.json);
    /* a repeated key: readers would disagree on which one counts */
    char text[1024];
    snprintf(text, sizeof text, "{\"seq\":2,%s", LINE1 + 1);
    assert_int_equal(parse(text, &l), AUDIT_LINE_NOT_JSON);
    assert_string_equal(audit_line_status_text(AUDIT_LINE_NOT_UTF8), "not valid UTF-8");
}

static void formats_the_export_line(void **state)
{
    UNUSED;
    audit_entry_t e = first();
    char *text = audit_line_format(&e);
    assert_non_null(text);
    assert_string_equal(text, LINE1);
    free(text);
    /* NULL strings are written as "" */
    audit_entry_t s = second();
    text = audit_line_format(&s);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"actor_kind\":\"platform\",\"actor_id\":0,\"actor_login\":\"\",\"actor_role\":\"\""));
    free(text);
}

static bool collect(const audit_entry_t *e, void *ctx)
{
    int64_t *seqs = ctx;
    seqs[++seqs[0]] = e->seq;
    return e->seq != 3;   /* stop after entry 3 */
}

static void reads_an_export_line_by_line(void **state)
{
    UNUSED;
    char text[4096];
    audit_entry_t s = second();
    char *line2 = audit_line_format(&s);
    /* blank lines are skipped; the last line needs no newline */
    snprintf(text, sizeof text, "\n%s\n\n%s", LINE1, line2);
    int64_t seqs[8] = {0};
    FILE *f = fmemopen(text, strlen(text), "r");
    audit_line_status_t why = AUDIT_LINE_ENTRY;
    assert_int_equal(audit_export_read(f, collect, seqs, &why), 0);
    fclose(f);
    assert_int_equal(seqs[0], 2);
    assert_int_equal(seqs[1], 1);
    assert_int_equal(seqs[2], 2);
    assert_int_equal(why, AUDIT_LINE_ENTRY);

    /* the first unreadable line is named by its number (blank lines counted) */
    snprintf(text, sizeof text, "%s\n\n{\"seq\":2}\n%s\nnot json\n", LINE1, line2);
    memset(seqs, 0, sizeof seqs);
    f = fmemopen(text, strlen(text), "r");
    assert_int_equal(audit_export_read(f, collect, seqs, &why), 3);
    fclose(f);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(why, AUDIT_LINE_MISSING);

    /* the callback stops the reading: what follows is not read */
    snprintf(text, sizeof text, "{\"seq\":3,%s\nnot json\n", LINE1 + 9);
    memset(seqs, 0, sizeof seqs);
    f = fmemopen(text, strlen(text), "r");
    assert_int_equal(audit_export_read(f, collect, seqs, NULL), 0);
    fclose(f);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(seqs[1], 3);
    free(line2);
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
        cmocka_unit_test(parses_a_valid_line),
        cmocka_unit_test(names_each_missing_field),
        cmocka_unit_test(names_each_field_of_the_wrong_type),
        cmocka_unit_test(refuses_an_over_long_line),
        cmocka_unit_test(refuses_bytes_that_are_not_utf8),
        cmocka_unit_test(refuses_what_is_not_one_json_object),
        cmocka_unit_test(formats_the_export_line),
        cmocka_unit_test(reads_an_export_line_by_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

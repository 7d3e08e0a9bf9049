/* Covers core/jsonout: the JSON writer's commas, nesting, escaping and numbers, each checked
 * by parsing the output back with jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/jsonout.h"

#define UNUSED (void)state

static json_t *parse(const buf_t *b)
{
    json_error_t err;
    json_t *v = json_loadb(b->data, b->len, JSON_DECODE_ANY, &err);
    if (v == NULL)
        fail_msg("not JSON: %s (%s)", b->data, err.text);
    return v;
}

static void writes_nested_objects_and_arrays(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 4096);
    jw_t w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_kstr(&w, "name", "贯标");
    jw_kint(&w, "id", -42);
    jw_kid(&w, "none", 0);
    jw_kbool(&w, "ok", true);
    jw_key(&w, "list");
    jw_array(&w);
    jw_int(&w, 1);
    jw_object(&w);
    jw_end(&w);
    jw_array(&w);
    jw_end(&w);
    jw_str(&w, NULL);
    jw_end(&w);
    jw_key(&w, "areas");
    jw_csv_array(&w, "acquisition,,protection");
    jw_end(&w);
    assert_int_equal(w.depth, 0);
    assert_false(b.failed);
    assert_string_equal(b.data, "{\"name\":\"贯标\",\"id\":-42,\"none\":null,\"ok\":true,\"list\":[1,{},[],null],"
                                "\"areas\":[\"acquisition\",\"protection\"]}");
    json_t *v = parse(&b);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), -42);
    json_decref(v);
    buf_free(&b);
}

static void escapes_what_json_requires(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 4096);
    jw_t w;
    jw_init(&w, &b);
    const char tricky[] = "quote \" backslash \\ newline \n tab \t bell \a del \x7f / end";
    jw_str(&w, tricky);
    json_t *v = parse(&b);
    assert_string_equal(json_string_value(v), tricky);
    assert_non_null(strstr(b.data, "\\u0007"));
    json_decref(v);
    buf_reset(&b);
    jw_init(&w, &b);
    jw_strn(&w, "a\0b", 3);                  /* an embedded NUL is escaped, not a terminator */
    assert_string_equal(b.data, "\"a\\u0000b\"");
    buf_free(&b);
}

static void escapes_at_every_offset(void **state)
{
    UNUSED;
    /* the fast path reads 8 bytes at a time: put each special byte at every offset */
    const char specials[] = {'"', '\\', '\n', 0x01, 0x1f};
    for (size_t k = 0; k < sizeof specials; k++) {
        for (size_t at = 0; at < 20; at++) {
            char text[24];
            memset(text, 'x', sizeof text);
            memcpy(text, "贯标", 6);                   /* high bytes must never count as special */
            text[6 + at % 17] = specials[k];
            buf_t b;
            buf_init(&b, 4096);
            jw_t w;
            jw_init(&w, &b);
            jw_strn(&w, text, sizeof text);
            json_t *v = parse(&b);
            assert_int_equal(json_string_length(v), sizeof text);
            assert_memory_equal(json_string_value(v), text, sizeof text);
            json_decref(v);
            buf_free(&b);
        }
    }
}

static void unbalanced_ends_mark_the_buffer(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 4096);
    jw_t w;
    jw_init(&w, &b);
    jw_end(&w);
    assert_true(b.failed);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_nested_objects_and_arrays),
        cmocka_unit_test(escapes_what_json_requires),
        cmocka_unit_test(escapes_at_every_offset),
        cmocka_unit_test(unbalanced_ends_mark_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

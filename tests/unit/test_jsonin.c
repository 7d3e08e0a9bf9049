/* Covers core/jsonin: parsing untrusted JSON bodies (UTF-8, depth, syntax, object-only, duplicates, NUL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/jsonin.h"

#define UNUSED (void)state

static json_t *parse(const char *s, jsonin_error_t *err)
{
    return jsonin_parse_object(s, strlen(s), err);
}

static void valid_object(void **state)
{
    UNUSED;
    jsonin_error_t err;
    json_t *j = parse("{\"login\": \"admin\", \"n\": 3, \"nested\": {\"a\": [1, 2, {\"b\": null}]}, \"zh\": \"观标\"}", &err);
    assert_non_null(j);
    assert_null(err.code);
    assert_string_equal(json_string_value(json_object_get(j, "login")), "admin");
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "zh")), "观标");
    assert_true(json_is_array(json_object_get(json_object_get(j, "nested"), "a")));
    json_decref(j);

    j = parse("  {}  \n", &err);                     /* white space around, empty object */
    assert_non_null(j);
    assert_int_equal(json_object_size(j), 0);
    json_decref(j);

    /* an escaped \u sequence that is a valid pair decodes */
    j = parse("{\"e\":\"\\ud83d\\ude00\"}", &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "e")), "\xF0\x9F\x98\x80");
    json_decref(j);
}

static void invalid_utf8_with_offset(void **state)
{
    UNUSED;
    jsonin_error_t err;
    /* overlong encoding of '/' at byte 7 */
    const char overlong[] = "{\"a\": \"\xC0\xAF\"}";
    assert_null(jsonin_parse_object(overlong, sizeof overlong - 1, &err));
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(err.offset, 7);

    /* an encoded surrogate (U+D800) */
    const char surrogate[] = "{\"key\":\"ab\xED\xA0\x80\"}";
    assert_null(jsonin_parse_object(surrogate, sizeof surrogate - 1, &err));
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(err.offset, 10);

    /* a sequence cut short at the end of the body */
    const char truncated[] = "{\"k\":\"\xE8\xA7";
    assert_null(jsonin_parse_object(truncated, sizeof truncated - 1, &err));
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(err.offset, 6);

    /* a sequence cut short inside the body */
    const char cut[] = "{\"k\":\"\xE8\xA7\"}";
    assert_null(jsonin_parse_object(cut, sizeof cut - 1, &err));
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(err.offset, 6);

    /* a bad byte in a key is found before any JSON parsing */
    const char key[] = "{\"\xFF\":1}";
    assert_null(jsonin_parse_object(key, sizeof key - 1, &err));
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(err.offset, 2);
}

/* n levels of [ ... ] inside an object (so the object is level 1). */
static char *nested(int levels)
{
    size_t n = (size_t)levels * 2 + 16;
    char *s = malloc(n);
    size_t k = 0;
    k += (size_t)sprintf(s + k, "{\"a\":");
    for (int i = 1; i < levels; i++)
        s[k++] = '[';
    s[k++] = '1';
    for (int i = 1; i < levels; i++)
        s[k++] = ']';
    s[k++] = '}';
    s[k] = '\0';
    return s;
}

static void depth_limit(void **state)
{
    UNUSED;
    jsonin_error_t err;
    char *ok = nested(JSONIN_MAX_DEPTH);
    assert_int_equal(jsonin_depth(ok, strlen(ok)), 32);
    json_t *j = parse(ok, &err);
    assert_non_null(j);
    json_decref(j);
    free(ok);

    char *deep = nested(JSONIN_MAX_DEPTH + 1);
    assert_int_equal(jsonin_depth(deep, strlen(deep)), 33);
    assert_null(parse(deep, &err));
    assert_string_equal(err.code, "json_too_deep");
    free(deep);

    /* very deep input is refused without recursion trouble */
    char *huge = nested(100000);
    assert_null(parse(huge, &err));
    assert_string_equal(err.code, "json_too_deep");
    free(huge);

    /* objects count as levels too */
    assert_int_equal(jsonin_depth("{\"a\":{\"b\":{}}}", 14), 3);
    /* depth is the maximum, not the total */
    assert_int_equal(jsonin_depth("{\"a\":[1],\"b\":[2],\"c\":[[3]]}", 27), 3);
}

static void brackets_in_strings_do_not_count(void **state)
{
    UNUSED;
    jsonin_error_t err;
    char text[256];
    char brackets[100];
    memset(brackets, '[', 60);
    memset(brackets + 60, '{', 39);
    brackets[99] = '\0';
    snprintf(text, sizeof text, "{\"s\":\"%s\"}", brackets);
    assert_int_equal(jsonin_depth(text, strlen(text)), 1);
    json_t *j = parse(text, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "s")), brackets);
    json_decref(j);

    /* an escaped quote does not end the string */
    const char *esc = "{\"s\":\"\\\"[[[[\\\\\",\"t\":[1]}";
    assert_int_equal(jsonin_depth(esc, strlen(esc)), 2);
    j = parse(esc, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "s")), "\"[[[[\\");
    json_decref(j);
}

static void malformed_json_has_position(void **state)
{
    UNUSED;
    jsonin_error_t err;
    assert_null(parse("{\"a\": 1,\n \"b\": }", &err));
    assert_string_equal(err.code, "invalid_json");
    assert_int_equal(err.line, 2);
    assert_true(err.column >= 6 && err.column <= 8);
    assert_true(err.text[0] != '\0');

    assert_null(parse("{\"a\" 1}", &err));
    assert_string_equal(err.code, "invalid_json");
    assert_int_equal(err.line, 1);
    assert_true(err.column > 0);

    assert_null(parse("", &err));                    /* empty body */
    assert_string_equal(err.code, "invalid_json");

    assert_null(parse("{\"a\":1", &err));            /* unterminated */
    assert_string_equal(err.code, "invalid_json");

    assert_null(parse("{\"a\":1} trailing", &err));  /* garbage after the value */
    assert_string_equal(err.code, "invalid_json");

    assert_null(parse("{'a':1}", &err));             /* not JSON quotes */
    assert_string_equal(err.code, "invalid_json");

    assert_null(parse("{\"a\":\"\\ud800\"}", &err)); /* lone escaped surrogate */
    assert_string_equal(err.code, "invalid_json");

    assert_null(jsonin_parse_object("{\"a\":1}\0", 8, &err));  /* a raw NUL byte */
    assert_string_equal(err.code, "invalid_json");
}

static void non_objects_refused(void **state)
{
    UNUSED;
    jsonin_error_t err;
    assert_null(parse("[1, 2]", &err));
    assert_string_equal(err.code, "body_not_object");
    assert_null(parse("42", &err));
    assert_string_equal(err.code, "body_not_object");
    assert_null(parse("\"text\"", &err));
    assert_string_equal(err.code, "body_not_object");
    assert_null(parse("null", &err));
    assert_string_equal(err.code, "body_not_object");
    assert_null(parse("true", &err));
    assert_string_equal(err.code, "body_not_object");
}

static void duplicate_keys_refused(void **state)
{
    UNUSED;
    jsonin_error_t err;
    assert_null(parse("{\"role\":\"enterprise\",\"role\":\"admin\"}", &err));
    assert_string_equal(err.code, "invalid_json");
    assert_non_null(strstr(err.text, "duplicate"));
    /* the same key at different levels is fine */
    json_t *j = parse("{\"a\":{\"a\":1}}", &err);
    assert_non_null(j);
    json_decref(j);
}

static void escaped_nul_refused(void **state)
{
    UNUSED;
    jsonin_error_t err;
    assert_null(parse("{\"login\":\"adm\\u0000in\"}", &err));
    assert_string_equal(err.code, "invalid_json");
    assert_null(parse("{\"a\\u0000\":1}", &err));   /* in a key too */
    assert_string_equal(err.code, "invalid_json");
}

static void error_is_reset_between_calls(void **state)
{
    UNUSED;
    jsonin_error_t err;
    assert_null(parse("[", &err));
    assert_non_null(err.code);
    json_t *j = parse("{}", &err);
    assert_non_null(j);
    assert_null(err.code);
    assert_int_equal(err.line, 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_object),
        cmocka_unit_test(invalid_utf8_with_offset),
        cmocka_unit_test(depth_limit),
        cmocka_unit_test(brackets_in_strings_do_not_count),
        cmocka_unit_test(malformed_json_has_position),
        cmocka_unit_test(non_objects_refused),
        cmocka_unit_test(duplicate_keys_refused),
        cmocka_unit_test(escaped_nul_refused),
        cmocka_unit_test(error_is_reset_between_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

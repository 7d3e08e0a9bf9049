/* Covers api/schemas: the embedded schema files, the start-up check of the names a route table
 * gives (the real table passes; a missing name or an inline JSON text is refused), and the
 * collection of field errors by http/call (error.fields in the form's order). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "api/api.h"
#include "api/schemas.h"
#include "core/roles.h"

#define UNUSED (void)state

static void h(call_t *c) { (void)c; }

static void test_real_table_passes(void **state)
{
    UNUSED;
    char why[256] = "";
    assert_true(api_schemas_check(api_routes, api_routes_count, why, sizeof why));
    assert_non_null(api_schema_text("Error"));
    assert_non_null(api_schema_text("Enterprise"));
    assert_null(api_schema_text("NoSuchSchema"));
    assert_null(api_schema_text(NULL));
}

static void test_missing_name_refused(void **state)
{
    UNUSED;
    const route_t table[] = {
        {.method = HTTP_GET, .pattern = "/api/x", .roles = ROLES_ANY, .handler = h, .response = "User"},
        {.method = HTTP_POST, .pattern = "/api/y", .roles = ROLES_ANY, .handler = h, .request = "Nope", .response = "User"},
    };
    char why[256] = "";
    assert_false(api_schemas_check(table, 2, why, sizeof why));
    assert_non_null(strstr(why, "/api/y"));
    assert_non_null(strstr(why, "Nope"));
}

static void test_inline_json_refused(void **state)
{
    UNUSED;
    const route_t table[] = {
        {.method = HTTP_GET, .pattern = "/api/z", .roles = ROLES_ANY, .handler = h, .response = "{\"type\":\"object\"}"},
    };
    char why[256] = "";
    assert_false(api_schemas_check(table, 1, why, sizeof why));
    assert_non_null(strstr(why, "response"));
}

static void test_field_errors_collect_in_form_order(void **state)
{
    UNUSED;
    static const char *const form[] = {"a", "b", "account", NULL};
    call_t c;
    call_init(&c);
    c.body = json_pack("{s:i, s:s, s:{s:s}, s:s}", "b", 5, "a", "", "account", "login", "", "zz", "x");
    c.lang = LANG_EN;
    const char *a = NULL, *b = NULL;
    body_only(&c, form);
    body_string(&c, "b", FIELD_REQUIRED, 1, 10, &b);
    body_string(&c, "a", FIELD_REQUIRED, 1, 10, &a);
    call_error(&c, "invalid_value", "a", "a", "again");      /* a field's first error stands */
    call_error(&c, "blank_field", "account.login", "account.login");
    assert_int_equal(c.status, 400);
    assert_int_equal(c.nfield_errors, 4);
    const char *order[] = {"zz", "a", "b", "account.login"};
    const char *codes[] = {"unknown_field", "blank_field", "wrong_type", "blank_field"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(c.field_errors[i].field, order[i]);
        assert_string_equal(c.field_errors[i].code, codes[i]);
    }
    buf_append(&c.out, "", 1);
    json_t *body = json_loads(c.out.data, 0, NULL);
    assert_non_null(body);
    assert_string_equal(json_string_value(json_object_get(json_object_get(body, "error"), "field")), "zz");
    assert_string_equal(json_string_value(json_object_get(json_object_get(body, "error"), "code")), "unknown_field");
    assert_int_equal(json_array_size(json_object_get(json_object_get(body, "error"), "fields")), 4);
    json_decref(body);

    /* an error of another kind replaces the collection */
    call_error(&c, "internal_error", NULL);
    assert_int_equal(c.status, 500);
    assert_int_equal(c.nfield_errors, 0);
    call_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_table_passes),
        cmocka_unit_test(test_missing_name_refused),
        cmocka_unit_test(test_inline_json_refused),
        cmocka_unit_test(test_field_errors_collect_in_form_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Covers domain/indicators: the bounds of a value by kind (count whole ≥ 0, share 0–100, amount
 * ≥ 0), non-numbers, the year's range, and the catalogue vocabulary (category, kind, code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/indicators.h"

#define UNUSED (void)state

static void assert_code(const char *got, const char *expected)
{
    if (expected == NULL && got != NULL)
        fail_msg("expected valid, got %s", got);
    if (expected != NULL && (got == NULL || strcmp(got, expected) != 0))
        fail_msg("expected %s, got %s", expected, got ? got : "valid");
}

static void counts_are_whole_and_not_negative(void **state)
{
    UNUSED;
    assert_code(indicator_value_check("count", 0), NULL);
    assert_code(indicator_value_check("count", 3), NULL);
    assert_code(indicator_value_check("count", 1e9), NULL);
    assert_code(indicator_value_check("count", -1), "indicator_value_out_of_range");
    assert_code(indicator_value_check("count", 2.5), "indicator_not_whole");
    assert_code(indicator_value_check("count", 0.001), "indicator_not_whole");
    /* out of range is named before not whole */
    assert_code(indicator_value_check("count", -0.5), "indicator_value_out_of_range");
}

static void shares_are_percentages(void **state)
{
    UNUSED;
    assert_code(indicator_value_check("share", 0), NULL);
    assert_code(indicator_value_check("share", 12.5), NULL);
    assert_code(indicator_value_check("share", 100), NULL);
    assert_code(indicator_value_check("share", 100.01), "indicator_value_out_of_range");
    assert_code(indicator_value_check("share", -0.01), "indicator_value_out_of_range");
}

static void amounts_are_not_negative(void **state)
{
    UNUSED;
    assert_code(indicator_value_check("amount", 0), NULL);
    assert_code(indicator_value_check("amount", 0.25), NULL);
    assert_code(indicator_value_check("amount", 123456789.12), NULL);
    assert_code(indicator_value_check("amount", -0.01), "indicator_value_out_of_range");
}

static void non_numbers_and_unknown_kinds_are_refused(void **state)
{
    UNUSED;
    assert_code(indicator_value_check("amount", NAN), "indicator_value_out_of_range");
    assert_code(indicator_value_check("amount", INFINITY), "indicator_value_out_of_range");
    assert_code(indicator_value_check("count", -INFINITY), "indicator_value_out_of_range");
    assert_code(indicator_value_check("ratio", 1), "indicator_value_out_of_range");
    assert_code(indicator_value_check(NULL, 1), "indicator_value_out_of_range");
}

static void years_run_from_1990_to_now(void **state)
{
    UNUSED;
    assert_code(indicator_year_check(1990, 2026), NULL);
    assert_code(indicator_year_check(2026, 2026), NULL);
    assert_code(indicator_year_check(1989, 2026), "indicator_year_out_of_range");
    assert_code(indicator_year_check(2027, 2026), "indicator_year_out_of_range");
    assert_code(indicator_year_check(0, 2026), "indicator_year_out_of_range");
}

static void bounds_by_kind(void **state)
{
    UNUSED;
    double min, max;
    bool whole;
    indicator_bounds("share", &min, &max, &whole);
    assert_true(min == 0 && max == 100 && !whole);
    indicator_bounds("count", &min, &max, &whole);
    assert_true(min == 0 && isinf(max) && whole);
    indicator_bounds("amount", &min, &max, &whole);
    assert_true(min == 0 && isinf(max) && !whole);
    assert_string_equal(indicator_bounds_text("share"), "0–100");
    assert_string_equal(indicator_bounds_text("count"), "≥ 0, whole");
    assert_string_equal(indicator_bounds_text("amount"), "≥ 0");
}

static void vocabulary(void **state)
{
    UNUSED;
    assert_true(indicator_category_valid("quality"));
    assert_true(indicator_category_valid("benefit"));
    assert_true(indicator_category_valid("management"));
    assert_false(indicator_category_valid("Quality"));
    assert_false(indicator_category_valid(""));
    assert_true(indicator_kind_valid("count") && indicator_kind_valid("share") && indicator_kind_valid("amount"));
    assert_false(indicator_kind_valid("percent"));
    assert_true(indicator_code_valid("patents_granted"));
    assert_true(indicator_code_valid("r2d2"));
    assert_false(indicator_code_valid(""));
    assert_false(indicator_code_valid("2fast"));
    assert_false(indicator_code_valid("_x"));
    assert_false(indicator_code_valid("Patents"));
    assert_false(indicator_code_valid("with space"));
    assert_false(indicator_code_valid("a-b"));
    assert_true(indicator_code_valid("a234567890123456789012345678901234567890"));   /* 40 characters */
    assert_false(indicator_code_valid("a2345678901234567890123456789012345678901")); /* 41 */
}

static void values_are_written_as_entered(void **state)
{
    UNUSED;
    char text[INDICATOR_VALUE_TEXT];
    indicator_value_format(12.5, text);
    assert_string_equal(text, "12.5");
    indicator_value_format(3, text);
    assert_string_equal(text, "3");
    indicator_value_format(0.25, text);
    assert_string_equal(text, "0.25");
    indicator_value_format(0, text);
    assert_string_equal(text, "0");
    indicator_value_format(-0.0, text);
    assert_string_equal(text, "0");
    indicator_value_format(1e20, text);
    assert_string_equal(text, "100000000000000000000");
    indicator_value_format(0.1 + 0.2, text);
    assert_string_equal(text, "0.30000000000000004");
    indicator_value_format(1234567.89, text);
    assert_string_equal(text, "1234567.89");
    indicator_value_format(0.000001, text);
    assert_string_equal(text, "0.000001");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_are_whole_and_not_negative),
        cmocka_unit_test(shares_are_percentages),
        cmocka_unit_test(amounts_are_not_negative),
        cmocka_unit_test(non_numbers_and_unknown_kinds_are_refused),
        cmocka_unit_test(years_run_from_1990_to_now),
        cmocka_unit_test(bounds_by_kind),
        cmocka_unit_test(vocabulary),
        cmocka_unit_test(values_are_written_as_entered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

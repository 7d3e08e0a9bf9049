/* Covers core/cells: encodings (UTF-8 with and without BOM, GBK), the folding of full-width
 * characters, numbers and years as offices write them, and message_fill of core/messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/cells.h"
#include "core/messages.h"

#define UNUSED (void)state

static void utf8_kept_bom_dropped(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *out;
    size_t n;
    text_encoding_t e;
    const char *plain = "年度,值\n";
    assert_true(text_to_utf8(&a, plain, strlen(plain), &out, &n, &e));
    assert_ptr_equal(out, plain);                   /* no copy */
    assert_int_equal(n, strlen(plain));
    assert_int_equal(e, TEXT_UTF8);
    const char *bom = "\xEF\xBB\xBF" "a,b";
    assert_true(text_to_utf8(&a, bom, strlen(bom), &out, &n, &e));
    assert_int_equal(n, 3);
    assert_memory_equal(out, "a,b", 3);
    assert_string_equal(text_encoding_name(e), "utf-8");
    arena_free(&a);
}

static void gbk_converted(void **state)
{
    UNUSED;
    arena_t a = {0};
    /* "年度,指标" in GBK: 年 C4EA 度 B6C8 , 指 D6B8 标 B1EA */
    const char gbk[] = "\xC4\xEA\xB6\xC8,\xD6\xB8\xB1\xEA";
    const char *out;
    size_t n;
    text_encoding_t e;
    assert_true(text_to_utf8(&a, gbk, strlen(gbk), &out, &n, &e));
    assert_int_equal(e, TEXT_GB18030);
    assert_string_equal(out, "年度,指标");
    assert_string_equal(text_encoding_name(e), "gbk");
    /* a lone lead byte at the end is neither UTF-8 nor GB18030 */
    assert_false(text_to_utf8(&a, "ab\x81", 3, &out, &n, &e));
    assert_null(out);
    arena_free(&a);
}

static void fold_full_width(void **state)
{
    UNUSED;
    arena_t a = {0};
    assert_string_equal(cell_fold(&a, "１２３４"), "1234");
    assert_string_equal(cell_fold(&a, "　ＡＢｃ　"), "ABc");              /* U+3000 around, trimmed */
    assert_string_equal(cell_fold(&a, "１，２３４．５％"), "1,234.5%");
    assert_string_equal(cell_fold(&a, " \t年 度 \r\n"), "年 度");
    assert_string_equal(cell_fold(&a, "－３"), "-3");
    assert_string_equal(cell_fold(&a, "\xE2\x88\x92" "3"), "-3");         /* U+2212 minus */
    assert_string_equal(cell_fold(&a, "发明专利申请量（件）"), "发明专利申请量(件)");
    assert_string_equal(cell_fold(&a, ""), "");
    assert_true(cell_blank(cell_fold(&a, "　 ")));
    arena_free(&a);
}

static void numbers(void **state)
{
    UNUSED;
    double v = -1;
    bool pct = true;
    assert_true(cell_number("1234", &v, &pct));
    assert_true(v == 1234 && !pct);
    assert_true(cell_number("1,234", &v, &pct));
    assert_true(v == 1234);
    assert_true(cell_number("1,234,567.25", &v, &pct));
    assert_true(v == 1234567.25);
    assert_true(cell_number("12.5%", &v, &pct));
    assert_true(v == 12.5 && pct);
    assert_true(cell_number("12.5 %", &v, &pct));
    assert_true(v == 12.5 && pct);
    assert_true(cell_number("-3", &v, &pct));
    assert_true(v == -3 && !pct);
    assert_true(cell_number("+0.5", &v, &pct));
    assert_true(v == 0.5);
    assert_true(cell_number(".5", &v, &pct));
    assert_true(v == 0.5);
    assert_true(cell_number("1.2E3", &v, &pct));    /* a sheet's number cell */
    assert_true(v == 1200);
    assert_true(cell_number("-0", &v, &pct));
    assert_true(v == 0 && !signbit(v));
    const char *bad[] = {"", "abc", "12a", "1,23", "1,2345", ",123", "1.2.3", "1e", "inf", "nan", "0x10", "%",
                         "12%%", "1 234", "-", "1e99999", NULL};
    for (int i = 0; bad[i] != NULL; i++)
        assert_false(cell_number(bad[i], &v, &pct));
}

static void years(void **state)
{
    UNUSED;
    int y = 0;
    assert_true(cell_year("2023", &y));
    assert_int_equal(y, 2023);
    assert_true(cell_year("2023年", &y));
    assert_int_equal(y, 2023);
    assert_true(cell_year("2023.0", &y));
    assert_int_equal(y, 2023);
    assert_false(cell_year("2023.5", &y));
    assert_false(cell_year("2,023", &y));
    assert_false(cell_year("二〇二三", &y));
    assert_false(cell_year("", &y));
    assert_false(cell_year("-5", &y));
}

static void message_fill_in_order(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *args[2] = {"X", "0–100"};
    assert_string_equal(message_fill(&a, "indicator_value_out_of_range", LANG_EN, args, 2),
                        "X is out of range: it must be 0–100");
    assert_string_equal(message_fill(&a, "indicator_value_out_of_range", LANG_ZH, args, 1), "X 的值超出范围：应为 ");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_kept_bom_dropped), cmocka_unit_test(gbk_converted), cmocka_unit_test(fold_full_width),
        cmocka_unit_test(numbers), cmocka_unit_test(years), cmocka_unit_test(message_fill_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

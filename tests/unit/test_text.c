/* Covers core/text (UTF-8, percent-decoding, query strings, Accept-Language, hex), core/buf and core/arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"

#define UNUSED (void)state

/* ---- UTF-8 ---- */

static void utf8_valid_accepts_well_formed(void **state)
{
    UNUSED;
    size_t bad = 99;
    assert_true(utf8_valid("", 0, &bad));
    assert_true(utf8_valid("plain ascii", 11, &bad));
    const char *zh = "观标 GB/T 29490";           /* 2 × 3-byte characters */
    assert_true(utf8_valid(zh, strlen(zh), &bad));
    assert_true(utf8_valid("\xF0\x9F\x98\x80", 4, NULL));   /* U+1F600, 4 bytes */
    assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4, NULL));   /* U+10FFFF, the last code point */
    assert_true(utf8_valid("\xC2\x80", 2, NULL));           /* U+0080, smallest 2-byte */
    assert_true(utf8_valid("\xEF\xBF\xBD", 3, NULL));       /* U+FFFD */
    assert_true(utf8_valid("a\0b", 3, NULL));               /* NUL is valid UTF-8 */
    assert_int_equal(bad, 99);                              /* untouched on success */
}

static void utf8_valid_refuses_malformed_with_offset(void **state)
{
    UNUSED;
    size_t bad = 0;
    assert_false(utf8_valid("ab\xC0\xAF", 4, &bad));         /* overlong '/' */
    assert_int_equal(bad, 2);
    assert_false(utf8_valid("\xE0\x80\xAF", 3, &bad));       /* overlong 3-byte */
    assert_int_equal(bad, 0);
    assert_false(utf8_valid("\xF0\x80\x80\xAF", 4, &bad));   /* overlong 4-byte */
    assert_int_equal(bad, 0);
    assert_false(utf8_valid("xyz\xED\xA0\x80", 6, &bad));    /* U+D800, a surrogate */
    assert_int_equal(bad, 3);
    assert_false(utf8_valid("\xED\xBF\xBF", 3, &bad));       /* U+DFFF */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4, &bad));   /* U+110000, past the end */
    assert_false(utf8_valid("\xF5\x80\x80\x80", 4, &bad));
    assert_false(utf8_valid("ok\xE8\xA7", 4, &bad));         /* truncated 3-byte sequence */
    assert_int_equal(bad, 2);
    assert_false(utf8_valid("\xC3", 1, &bad));               /* lone lead byte at the end */
    assert_int_equal(bad, 0);
    assert_false(utf8_valid("a\x80", 2, &bad));              /* lone continuation byte */
    assert_int_equal(bad, 1);
    assert_false(utf8_valid("\xC3(", 2, &bad));              /* lead byte without continuation */
    assert_false(utf8_valid("\xFF", 1, &bad));
    assert_false(utf8_valid("a\xE8\xA7\xC0", 4, &bad));      /* continuation replaced by a lead */
    assert_int_equal(bad, 1);
    /* the length bounds the check: a valid prefix of a longer buffer is valid */
    assert_true(utf8_valid("ab\xFF", 2, NULL));
}

static void utf8_length_counts_code_points(void **state)
{
    UNUSED;
    assert_int_equal(utf8_length("", 0), 0);
    assert_int_equal(utf8_length("abc", 3), 3);
    const char *s = "知识产权";
    assert_int_equal(strlen(s), 12);
    assert_int_equal(utf8_length(s, strlen(s)), 4);
    assert_int_equal(utf8_length("a\xF0\x9F\x98\x80z", 6), 3);
}

/* ---- percent-decoding ---- */

static void percent_decode_cases(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *s;
    s = percent_decode(&a, "hello", 5, false);
    assert_string_equal(s, "hello");
    s = percent_decode(&a, "a%20b%2Fc", 9, false);
    assert_string_equal(s, "a b/c");
    s = percent_decode(&a, "%e7%9F%A5", 9, false);            /* mixed-case hex, UTF-8 result */
    assert_string_equal(s, "知");
    s = percent_decode(&a, "", 0, false);
    assert_non_null(s);
    assert_string_equal(s, "");
    /* the length bounds the input, not the NUL */
    s = percent_decode(&a, "abcdef", 3, false);
    assert_string_equal(s, "abc");

    assert_null(percent_decode(&a, "%zz", 3, false));        /* not hex */
    assert_null(percent_decode(&a, "%2g", 3, false));
    assert_null(percent_decode(&a, "ab%", 3, false));        /* truncated */
    assert_null(percent_decode(&a, "ab%4", 4, false));
    assert_null(percent_decode(&a, "%41%4", 5, false));
    assert_null(percent_decode(&a, "a%00b", 5, false));      /* NUL refused */
    assert_null(percent_decode(&a, "a\0b", 3, false));       /* a raw NUL too */
    assert_null(percent_decode(&a, "%C0%AF", 6, false));     /* overlong after decoding */
    assert_null(percent_decode(&a, "%ED%A0%80", 9, false));  /* surrogate after decoding */
    assert_null(percent_decode(&a, "%E7%9F", 6, false));     /* truncated sequence */
    assert_null(percent_decode(&a, "\xFF", 1, false));       /* raw invalid byte */

    s = percent_decode(&a, "a+b%2B", 6, true);
    assert_string_equal(s, "a b+");                           /* %2B stays a plus */
    s = percent_decode(&a, "a+b", 3, false);
    assert_string_equal(s, "a+b");                            /* path segments keep '+' */
    arena_free(&a);
}

/* ---- query strings ---- */

static const char *qp(arena_t *a, const char *query, const char *name)
{
    return query_param(a, query, strlen(query), name);
}

static void query_param_cases(void **state)
{
    UNUSED;
    arena_t a = {0};
    assert_string_equal(qp(&a, "page=2&per_page=50", "page"), "2");
    assert_string_equal(qp(&a, "page=2&per_page=50", "per_page"), "50");
    assert_string_equal(qp(&a, "q=a&q=b", "q"), "a");                /* first match wins */
    assert_null(qp(&a, "page=2", "role"));                          /* absent */
    assert_null(qp(&a, "", "page"));
    assert_string_equal(qp(&a, "q=&page=1", "q"), "");              /* empty value */
    assert_string_equal(qp(&a, "flag&x=1", "flag"), "");            /* key without '=' */
    assert_null(qp(&a, "pages=2", "page"));                         /* a longer key is another key */
    assert_null(qp(&a, "xpage=2", "page"));
    assert_string_equal(qp(&a, "pages=2&page=3", "page"), "3");
    assert_string_equal(qp(&a, "q=%E4%B8%AD+%E6%96%87", "q"), "中 文");  /* decoded, '+' is a space */
    assert_string_equal(qp(&a, "a=1&&b=2", "b"), "2");              /* empty pair skipped */
    assert_string_equal(qp(&a, "q=x=y", "q"), "x=y");
    assert_null(qp(&a, "q=%zz", "q"));                              /* malformed */
    assert_null(qp(&a, "q=%00", "q"));
    /* the length bounds the query */
    assert_null(query_param(&a, "a=1&page=2", 3, "page"));
    arena_free(&a);
}

/* ---- Accept-Language ---- */

static lang_t lang(const char *h)
{
    return lang_from_header(h, strlen(h));
}

static void lang_from_header_cases(void **state)
{
    UNUSED;
    assert_int_equal(lang("en"), LANG_EN);
    assert_int_equal(lang("en-US,zh;q=0.5"), LANG_EN);
    assert_int_equal(lang("EN"), LANG_EN);
    assert_int_equal(lang("En-gb"), LANG_EN);
    assert_int_equal(lang("en;q=0.9"), LANG_EN);
    assert_int_equal(lang("  en"), LANG_EN);
    assert_int_equal(lang("zh-CN,en"), LANG_ZH);
    assert_int_equal(lang("zh"), LANG_ZH);
    assert_int_equal(lang(""), LANG_ZH);
    assert_int_equal(lang("e"), LANG_ZH);
    assert_int_equal(lang("eng"), LANG_ZH);            /* not the tag "en" */
    assert_int_equal(lang("fr,en"), LANG_EN);             /* the first language we speak decides */
    assert_int_equal(lang("fr-FR, zh;q=0.8, en;q=0.5"), LANG_ZH);
    assert_int_equal(lang("de"), LANG_ZH);
    assert_int_equal(lang("*"), LANG_ZH);
    assert_int_equal(lang_from_header("enx", 2), LANG_EN);   /* the length bounds the value */
}

/* ---- ascii_ieq, hex ---- */

static void ascii_ieq_cases(void **state)
{
    UNUSED;
    assert_true(ascii_ieq("application/JSON", 16, "application/json"));
    assert_true(ascii_ieq("", 0, ""));
    assert_true(ascii_ieq("ABCxyz", 3, "abc"));
    assert_false(ascii_ieq("abc", 3, "abcd"));
    assert_false(ascii_ieq("abcd", 4, "abc"));
    assert_false(ascii_ieq("abd", 3, "abc"));
    assert_false(ascii_ieq("[", 1, "{"));              /* '[' + 32 is '{': only letters fold */
    assert_false(ascii_ieq("@", 1, "`"));
}

static void hex_encode_cases(void **state)
{
    UNUSED;
    char out[16];
    memset(out, 'x', sizeof out);
    hex_encode((const unsigned char *)"\x00\x01\xAB\xFF\x7F", 5, out);
    assert_string_equal(out, "0001abff7f");
    hex_encode((const unsigned char *)"", 0, out);
    assert_string_equal(out, "");
}

static void clocks_move(void **state)
{
    UNUSED;
    int64_t t = now_seconds();
    assert_true(t > 1600000000);                       /* after 2020 */
    int64_t a = monotonic_micros(), b = monotonic_micros();
    assert_true(b >= a);
}

/* ---- buf_t ---- */

static void buf_append_and_cap(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 10);
    assert_null(b.data);
    assert_true(buf_puts(&b, "hello"));
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    assert_true(buf_append(&b, "12345", 5));           /* exactly at the cap */
    assert_int_equal(b.len, 10);
    assert_false(b.failed);
    assert_false(buf_append(&b, "x", 1));              /* one past */
    assert_true(b.failed);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "hello12345");         /* still NUL-terminated, unchanged */
    assert_false(buf_append(&b, "", 0));               /* failed is sticky */
    assert_false(buf_puts(&b, ""));
    buf_reset(&b);                                     /* reset clears it */
    assert_false(b.failed);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_true(buf_puts(&b, "again"));
    buf_free(&b);
    assert_null(b.data);
}

static void buf_sticky_after_big_append(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 8);
    assert_false(buf_puts(&b, "123456789"));           /* too big at once */
    assert_true(b.failed);
    assert_int_equal(b.len, 0);
    assert_false(buf_puts(&b, "1"));                   /* even a small one afterwards */
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void buf_growth(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 1u << 20);
    for (int i = 0; i < 10000; i++)
        assert_true(buf_append(&b, "abcdefgh", 8));
    assert_int_equal(b.len, 80000);
    assert_true(b.cap > b.len);
    assert_memory_equal(b.data + 79992, "abcdefgh", 8);
    assert_int_equal(b.data[80000], '\0');
    buf_free(&b);
}

static void buf_printf_cases(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 20);
    assert_true(buf_printf(&b, "%d-%s", 42, "x"));
    assert_true(buf_printf(&b, "/%03d", 7));
    assert_string_equal(b.data, "42-x/007");
    assert_int_equal(b.len, 8);
    assert_false(buf_printf(&b, "%s", "this is far too long for the cap"));
    assert_true(b.failed);
    assert_string_equal(b.data, "42-x/007");
    buf_free(&b);
}

static void buf_take_cases(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 100);
    char *p = buf_take(&b);                            /* empty: still a string */
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);
    buf_puts(&b, "owned");
    p = buf_take(&b);
    assert_string_equal(p, "owned");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_true(buf_puts(&b, "new"));                  /* usable afterwards */
    assert_string_equal(b.data, "new");
    assert_ptr_not_equal(b.data, p);
    free(p);
    buf_free(&b);
}

/* ---- arena ---- */

static void arena_many_allocations(void **state)
{
    UNUSED;
    arena_t a = {0};
    enum { N = 5000 };
    unsigned char **ptrs = malloc(N * sizeof *ptrs);
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        ptrs[i] = arena_alloc(&a, n);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], 0);           /* zeroed */
        memset(ptrs[i], i & 0xFF, n);
    }
    /* nothing overlapped: every block still holds its own byte */
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], i & 0xFF);
    }
    /* a block larger than a chunk */
    unsigned char *big = arena_alloc(&a, 100000);
    assert_int_equal((uintptr_t)big % 16, 0);
    memset(big, 1, 100000);
    void *zero = arena_alloc(&a, 0);
    assert_non_null(zero);
    free(ptrs);
    arena_free(&a);
    assert_null(a.head);
    arena_free(&a);                                    /* twice is harmless */
}

static void arena_strings(void **state)
{
    UNUSED;
    arena_t a = {0};
    char *s = arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    s = arena_strndup(&a, NULL, 0);
    assert_string_equal(s, "");
    s = arena_strdup(&a, "知识产权");
    assert_string_equal(s, "知识产权");
    s = arena_printf(&a, "%s=%d", "n", 12);
    assert_string_equal(s, "n=12");
    const char *items[] = {"440000", "450000", "知识"};
    assert_string_equal(arena_join(&a, items, 3, ","), "440000,450000,知识");
    assert_string_equal(arena_join(&a, items, 1, ", "), "440000");
    assert_string_equal(arena_join(&a, items, 0, ","), "");
    char long_text[20000];
    memset(long_text, 'z', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    s = arena_printf(&a, "<%s>", long_text);
    assert_int_equal(strlen(s), sizeof long_text + 1);
    assert_int_equal(s[0], '<');
    assert_int_equal(s[sizeof long_text], '>');
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_valid_accepts_well_formed),
        cmocka_unit_test(utf8_valid_refuses_malformed_with_offset),
        cmocka_unit_test(utf8_length_counts_code_points),
        cmocka_unit_test(percent_decode_cases),
        cmocka_unit_test(query_param_cases),
        cmocka_unit_test(lang_from_header_cases),
        cmocka_unit_test(ascii_ieq_cases),
        cmocka_unit_test(hex_encode_cases),
        cmocka_unit_test(clocks_move),
        cmocka_unit_test(buf_append_and_cap),
        cmocka_unit_test(buf_sticky_after_big_append),
        cmocka_unit_test(buf_growth),
        cmocka_unit_test(buf_printf_cases),
        cmocka_unit_test(buf_take_cases),
        cmocka_unit_test(arena_many_allocations),
        cmocka_unit_test(arena_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

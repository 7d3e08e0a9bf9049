/* Covers core/search_text: the terms of Chinese, English and mixed texts as the search index and
 * its queries see them, with their places in the original text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/search_text.h"

#define UNUSED (void)state

/* The terms of text joined by '|'. */
static const char *terms(arena_t *a, const char *text)
{
    search_tokens_t t = search_tokenize(a, text, strlen(text));
    const char **list = arena_alloc(a, sizeof *list * (size_t)(t.n + 1));
    for (int i = 0; i < t.n; i++)
        list[i] = t.items[i].term;
    return arena_join(a, list, t.n, "|");
}

static void chinese_bigrams(void **state)
{
    UNUSED;
    arena_t a = {0};
    assert_string_equal(terms(&a, "专利"), "专利");
    assert_string_equal(terms(&a, "知识产权"), "知识|识产|产权");
    assert_string_equal(terms(&a, "专"), "专");
    assert_string_equal(terms(&a, "内审，专"), "内审|专");
    assert_string_equal(terms(&a, "。"), "");
    arena_free(&a);
}

static void words_and_mixed(void **state)
{
    UNUSED;
    arena_t a = {0};
    assert_string_equal(terms(&a, "GB/T 29490内审"), "gb|t|29490|内审");
    assert_string_equal(terms(&a, "Internal Audit, 2023!"), "internal|audit|2023");
    assert_string_equal(terms(&a, "ISO9001体系"), "iso9001|体系");
    assert_string_equal(terms(&a, ""), "");
    arena_free(&a);
}

static void full_width_folded(void **state)
{
    UNUSED;
    arena_t a = {0};
    /* ＧＢ／Ｔ　２９４９０ with the ideographic space */
    assert_string_equal(terms(&a, "\xEF\xBC\xA7\xEF\xBC\xA2\xEF\xBC\x8F\xEF\xBC\xB4\xE3\x80\x80"
                                  "\xEF\xBC\x92\xEF\xBC\x99\xEF\xBC\x94\xEF\xBC\x99\xEF\xBC\x90"),
                        "gb|t|29490");
    arena_free(&a);
}

static void offsets_in_original(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *text = "ＧＢ 知识产权";
    search_tokens_t t = search_tokenize(&a, text, strlen(text));
    assert_int_equal(t.n, 4);
    assert_string_equal(t.items[0].term, "gb");
    assert_int_equal(t.items[0].start, 0);
    assert_int_equal(t.items[0].end, 6);
    assert_string_equal(t.items[1].term, "知识");
    assert_int_equal(t.items[1].start, 7);
    assert_int_equal(t.items[1].end, 13);
    assert_int_equal(t.items[3].start, 13);
    assert_int_equal(t.items[3].end, 19);
    arena_free(&a);
}

static void query_terms_distinct(void **state)
{
    UNUSED;
    arena_t a = {0};
    int n = 0;
    const char **q = search_query_terms(&a, "内审 内审 Audit audit", 8, &n);
    assert_int_equal(n, 2);
    assert_string_equal(q[0], "内审");
    assert_string_equal(q[1], "audit");
    assert_string_equal(search_query_normalised(&a, "  ＧＢ／Ｔ 内审  "), "gb t 内审");
    assert_string_equal(search_query_normalised(&a, "!!"), "");
    assert_string_equal(search_query_normalised(&a, "知识产权，管理 专"), "知识产权 管理 专");
    arena_free(&a);
}

static void long_word_cut_and_bad_bytes(void **state)
{
    UNUSED;
    arena_t a = {0};
    char longword[100];
    memset(longword, 'a', 99);
    longword[99] = '\0';
    search_tokens_t t = search_tokenize(&a, longword, 99);
    assert_int_equal(t.n, 1);
    assert_int_equal(strlen(t.items[0].term), SEARCH_TERM_MAX);
    assert_string_equal(terms(&a, "ab\xFF" "cd\xE4"), "ab|cd");
    arena_free(&a);
}

static void snippet_marked_and_escaped(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *q1[] = {"知识", "识产", "产权"};
    assert_string_equal(search_snippet(&a, "保护知识产权。", q1, 3, 40), "保护<mark>知识产权</mark>。");
    const char *q2[] = {"内审"};
    assert_string_equal(search_snippet(&a, "<b>内审</b>\n\n  员 & 内审", q2, 1, 40),
                        "&lt;b&gt;<mark>内审</mark>&lt;/b&gt; 员 &amp; <mark>内审</mark>");
    assert_null(search_snippet(&a, "没有", q2, 1, 40));
    assert_string_equal(search_snippet(&a, "## 内审\n\n**要点**：`内审`", q2, 1, 40),
                        " <mark>内审</mark> 要点：<mark>内审</mark>");
    assert_string_equal(search_snippet(&a, "没有 <内审>", q2, 1, 0), "没有 &lt;<mark>内审</mark>&gt;");
    assert_string_equal(search_snippet(&a, "没有 <i>", q2, 1, 0), "没有 &lt;i&gt;");
    const char *q3[] = {"gb"};
    assert_string_equal(search_snippet(&a, "一二三四五六七八九十ＧＢ一二三四五六七八九十", q3, 1, 10),
                        "…九十<mark>ＧＢ</mark>一二三四五六…");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinese_bigrams),   cmocka_unit_test(words_and_mixed),
        cmocka_unit_test(full_width_folded), cmocka_unit_test(offsets_in_original),
        cmocka_unit_test(query_terms_distinct), cmocka_unit_test(long_word_cut_and_bad_bytes),
        cmocka_unit_test(snippet_marked_and_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

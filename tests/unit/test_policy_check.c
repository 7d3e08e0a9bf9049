/* Covers the fair-policy checker (domain/policy_check.h) with the shipped rules
 * (data/policy-rules.json) and its text preparation (core/policy_text.h): hand-written
 * sentences, offsets in characters of the original through NFKC and astral characters,
 * negation, enumerations, post-negation, empty text, and rule sets that do not compile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/embedded.h"
#include "core/policy_text.h"
#include "domain/policy_check.h"

#define UNUSED (void)state

static policy_ruleset_t *shipped;

static int load(void **state)
{
    UNUSED;
    size_t len;
    const char *text = embedded_file("policy-rules.json", &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    char err[256], field[128];
    shipped = policy_ruleset_compile(doc, err, sizeof err, field, sizeof field);
    json_decref(doc);
    return shipped ? 0 : -1;
}

static int unload(void **state)
{
    UNUSED;
    policy_ruleset_free(shipped);
    return 0;
}

static json_t *check(const char *text)
{
    json_t *r = policy_check_text(shipped, text, strlen(text), "zh");
    assert_non_null(r);
    return r;
}

static size_t count(json_t *r)
{
    return json_array_size(json_object_get(r, "findings"));
}

static json_t *finding(json_t *r, size_t i)
{
    return json_array_get(json_object_get(r, "findings"), i);
}

static const char *member(json_t *f, const char *key)
{
    return json_string_value(json_object_get(f, key));
}

static json_int_t number(json_t *f, const char *key)
{
    return json_integer_value(json_object_get(f, key));
}

static void violations_and_restatements(void **state)
{
    UNUSED;
    json_t *r = check("须通过贯标认证方可申报。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "rule"), "R1");
    assert_string_equal(member(finding(r, 0), "severity"), "high");
    assert_int_equal(number(finding(r, 0), "start"), 0);
    assert_int_equal(number(finding(r, 0), "end"), 12);
    assert_string_equal(member(finding(r, 0), "excerpt"), "须通过贯标认证方可申报。");
    assert_non_null(strstr(member(finding(r, 0), "explanation"), "通知第三点"));
    json_decref(r);

    r = check("认证机构注册资本不低于500万元。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "rule"), "R3");
    json_decref(r);

    r = check("指定省知识产权服务中心为全省唯一贯标认证服务机构。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "rule"), "R4");
    json_decref(r);

    r = check("力争实现全市规上工业企业贯标认证全覆盖。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "rule"), "R2");
    json_decref(r);

    /* an outcome reward is not a finding */
    r = check("对贯标后专利质量、运用效益显著提升的企业按提升幅度给予奖励。");
    assert_int_equal(count(r), 0);
    json_decref(r);

    /* English explanations */
    r = policy_check_text(shipped, "须通过贯标认证方可申报。", strlen("须通过贯标认证方可申报。"), "en");
    assert_non_null(strstr(member(finding(r, 0), "explanation"), "Point"));
    json_decref(r);
}

static void offsets_in_original_characters(void **state)
{
    UNUSED;
    /* an astral character counts as one; full-width ＧＢ／Ｔ２９４９０ is matched as GB/T29490 */
    json_t *r = check("𠀀前言。申报企业须通过ＧＢ／Ｔ２９４９０认证方可申报。");
    assert_int_equal(count(r), 1);
    assert_int_equal(number(finding(r, 0), "start"), 4);
    assert_int_equal(number(finding(r, 0), "end"), 27);
    assert_string_equal(member(finding(r, 0), "excerpt"), "申报企业须通过ＧＢ／Ｔ２９４９０认证方可申报。");
    json_decref(r);

    /* a line wrapped mid-sentence (text from a PDF: a long line) is joined, and the excerpt keeps
     * the break */
    r = check("申报省级知识产权示范企业和专利导航项目的企业须通过知识产权\n管理体系认证方可进入评审。");
    assert_int_equal(count(r), 1);
    assert_int_equal(number(finding(r, 0), "start"), 0);
    assert_int_equal(number(finding(r, 0), "end"), 43);
    assert_string_equal(member(finding(r, 0), "excerpt"),
                        "申报省级知识产权示范企业和专利导航项目的企业须通过知识产权\n管理体系认证方可进入评审。");
    json_decref(r);

    /* a short line without punctuation is a heading: its break stays, the finding starts after it */
    r = check("申报条件\n申报企业须通过贯标认证方可申报。");
    assert_int_equal(count(r), 1);
    assert_int_equal(number(finding(r, 0), "start"), 5);
    assert_int_equal(number(finding(r, 0), "end"), 21);
    json_decref(r);

    policy_text_t t;
    const char *s = "ＡＢ-申报 条件";       /* a space between Chinese characters is dropped */
    assert_true(policy_text_normalise(&t, s, strlen(s)));
    assert_string_equal(t.norm, "AB-申报条件");
    assert_int_equal(t.ncp, 8);
    assert_int_equal(t.map[0], 0);
    assert_int_equal(t.map[2], 2);              /* - */
    assert_int_equal(t.map[3], 3);              /* 申 */
    assert_int_equal(t.map[9], 6);              /* 条: after the dropped line break */
    assert_int_equal(t.map[t.norm_len], 8);
    size_t a, z;
    policy_text_span(&t, 3, t.norm_len, &a, &z);
    assert_int_equal(a, 3);
    assert_int_equal(z, 8);
    policy_text_free(&t);
}

static void negation(void **state)
{
    UNUSED;
    json_t *r = check("不得将通过贯标认证作为申报条件。");
    assert_int_equal(count(r), 0);
    json_decref(r);
    r = check("贯标认证不再作为知识产权示范企业的申报条件。");
    assert_int_equal(count(r), 0);
    json_decref(r);
    r = check("不得将认证机构成立时间早、市场规模大等作为硬性条件设置政策门槛。");
    assert_int_equal(count(r), 0);
    json_decref(r);
    /* the negation governs 申报, not the certification */
    r = check("未通过贯标认证的企业不得申报。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "rule"), "R1");
    json_decref(r);
    /* a negation in one item does not cover the next */
    r = check("有关要求：一是不得将贯标认证作为申报条件，二是申报企业须通过贯标认证方可获得资助。");
    assert_int_equal(count(r), 1);
    assert_string_equal(member(finding(r, 0), "excerpt"), "申报企业须通过贯标认证方可获得资助。");
    json_decref(r);
}

static void enumeration(void **state)
{
    UNUSED;
    /* the condition in the lead-in, the certification in an item: the item is reported */
    const char *text = "申报条件如下：\n（一）依法注册；\n（二）已通过贯标认证；\n（三）无失信记录。";
    json_t *r = check(text);
    assert_int_equal(count(r), 1);
    assert_int_equal(number(finding(r, 0), "start"), 20);
    assert_int_equal(number(finding(r, 0), "end"), 28);
    assert_string_equal(member(finding(r, 0), "excerpt"), "已通过贯标认证；");
    json_decref(r);
    /* a negated lead-in covers its items */
    r = check("不得有下列情形：\n（一）将贯标认证作为申报项目的前置条件；\n（二）指定认证机构。");
    assert_int_equal(count(r), 0);
    json_decref(r);

    policy_piece_t *pieces;
    policy_text_t t;
    assert_true(policy_text_normalise(&t, text, strlen(text)));
    long n = policy_text_pieces(&t, &pieces);
    assert_int_equal(n, 4);
    assert_true(pieces[0].is_lead_in);
    assert_int_equal(pieces[2].nlead, 1);
    assert_int_equal(pieces[2].lead_in[0], 0);
    free(pieces);
    policy_text_free(&t);

    int kind;
    assert_int_equal(policy_text_marker("（一）x", strlen("（一）x"), &kind), strlen("（一）"));
    assert_int_equal(kind, POLICY_MARK_CJK_PAREN);
    assert_int_equal(policy_text_marker("1.5倍", strlen("1.5倍"), &kind), 0);
    assert_int_equal(policy_text_marker("①企业", strlen("①企业"), &kind), strlen("①"));
    assert_int_equal(kind, POLICY_MARK_CIRCLED);
    assert_int_equal(policy_text_marker("二是加强", strlen("二是加强"), &kind), strlen("二是"));
    assert_int_equal(kind, POLICY_MARK_INLINE);
}

static void post_negation(void **state)
{
    UNUSED;
    json_t *r = check("以往将贯标认证作为申报条件的规定，一律予以废止。");
    assert_int_equal(count(r), 0);
    json_decref(r);
    /* 一律取消 as the sanction is not a post-negation */
    r = check("未通过贯标认证的企业一律取消申报资格。");
    assert_int_equal(count(r), 1);
    json_decref(r);
}

static void empty_text(void **state)
{
    UNUSED;
    json_t *r = policy_check_text(shipped, "", 0, "zh");
    assert_non_null(r);
    assert_int_equal(count(r), 0);
    json_decref(r);
    r = check("  \n\n ");
    assert_int_equal(count(r), 0);
    json_decref(r);
}

/* Texts made to be slow: a lead-in of 40,000 characters before 5,000 items, and 100,000
 * characters without punctuation repeating a negated violation. Each once took minutes (every
 * item copied and rescanned its whole lead-in; every negation check scanned its whole clause). */
static void adversarial_texts_stay_fast(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 64u << 20);
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "申报条件");
    buf_puts(&b, "：\n");
    for (int i = 0; i < 5000; i++)
        buf_puts(&b, "（一）须通过贯标认证；\n");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    json_t *r = policy_check_text(shipped, b.data, b.len, "zh");
    assert_non_null(r);
    assert_int_equal(count(r), 5000);
    json_decref(r);
    buf_reset(&b);
    for (int i = 0; i < 8000; i++)
        buf_puts(&b, "不得将贯标认证作为申报条件");
    r = policy_check_text(shipped, b.data, b.len, "zh");
    assert_non_null(r);
    assert_int_equal(count(r), 0);
    json_decref(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(seconds < 10.0);   /* about 0.1 s; generous for a busy machine */
    buf_free(&b);
}

static void bad_rule_sets(void **state)
{
    UNUSED;
    char err[256], field[128];
    json_t *doc = json_loads("{\"negations\":[\"不得\"],\"rules\":[{\"code\":\"R1\",\"severity\":\"high\","
                             "\"notice_point\":\"三\",\"title\":{\"zh\":\"a\",\"en\":\"a\"},"
                             "\"explanation\":{\"zh\":\"b\",\"en\":\"b\"},"
                             "\"patterns\":[{\"match\":\"贯标\"},{\"match\":\"(贯标\"}]}]}",
                             0, NULL);
    assert_non_null(doc);
    assert_null(policy_ruleset_compile(doc, err, sizeof err, field, sizeof field));
    assert_string_equal(field, "rules[0].patterns[1].match");
    assert_non_null(strstr(err, "missing closing parenthesis"));

    /* repaired, it compiles, and {name} takes a term */
    json_object_set_new(json_array_get(json_object_get(json_array_get(json_object_get(doc, "rules"), 0), "patterns"), 1),
                        "match", json_string("{t}方可"));
    json_object_set_new(doc, "terms", json_pack("{s:s}", "t", "贯标"));
    policy_ruleset_t *rs = policy_ruleset_compile(doc, err, sizeof err, field, sizeof field);
    assert_non_null(rs);
    assert_int_equal(policy_ruleset_count(rs), 1);
    assert_string_equal(policy_rule_explanation(rs, "R1", "en"), "b");
    assert_null(policy_rule_explanation(rs, "R9", "en"));
    policy_ruleset_free(rs);

    json_object_set_new(json_array_get(json_object_get(doc, "rules"), 0), "severity", json_string("urgent"));
    assert_null(policy_ruleset_compile(doc, err, sizeof err, field, sizeof field));
    assert_string_equal(field, "rules[0].severity");
    json_object_set_new(json_array_get(json_object_get(doc, "rules"), 0), "severity", json_string("low"));

    json_array_append(json_object_get(doc, "rules"), json_array_get(json_object_get(doc, "rules"), 0));
    assert_null(policy_ruleset_compile(doc, err, sizeof err, field, sizeof field));
    assert_string_equal(field, "rules[1].code");

    json_object_set_new(doc, "negations", json_pack("[s]", "[不得"));
    assert_null(policy_ruleset_compile(doc, err, sizeof err, field, sizeof field));
    assert_string_equal(field, "negations[0]");
    json_decref(doc);

    assert_null(policy_ruleset_compile(NULL, err, sizeof err, field, sizeof field));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(violations_and_restatements), cmocka_unit_test(offsets_in_original_characters),
        cmocka_unit_test(negation),                    cmocka_unit_test(enumeration),
        cmocka_unit_test(post_negation),               cmocka_unit_test(empty_text),
        cmocka_unit_test(bad_rule_sets),               cmocka_unit_test(adversarial_texts_stay_fast),
    };
    return cmocka_run_group_tests(tests, load, unload);
}

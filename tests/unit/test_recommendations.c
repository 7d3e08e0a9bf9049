/* Covers domain/recommendations: each rule's reason in both languages with the numbers written
 * out, the thresholds (a feedback gap of 0.3 over 3 reviews), the order (strongest first, ties by
 * code and target), one item per target, and the cap of RECS_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/recommendations.h"

#define UNUSED (void)state

static recs_t r;   /* large: not on the stack */

static void clause_nonconformities_zh_and_en(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_clause_nonconformities(&r, "7.3", 2, 1, 12, "意识与能力");
    assert_int_equal(recs_finish(&r), 1);
    assert_int_equal(r.items[0].kind, REC_COURSE);
    assert_string_equal(r.items[0].code, "clause_nonconformities");
    assert_string_equal(r.items[0].text, "条款 7.3 近三年有 2 项不符合（1 项未关闭），推荐课程《意识与能力》");
    assert_string_equal(r.items[0].url, "/courses/12");
    assert_string_equal(r.items[0].clause, "7.3");
    assert_int_equal(r.items[0].count, 2);
    assert_string_equal(r.items[0].target_type, "course");
    assert_int_equal(r.items[0].target_id, 12);

    recs_init(&r, LANG_EN);
    recs_clause_nonconformities(&r, "7.3", 1, 0, 12, "Awareness");
    recs_finish(&r);
    assert_string_equal(r.items[0].text,
                        "Clause 7.3 had 1 nonconformity in the last three years (all closed), so the course \"Awareness\" "
                        "to consolidate");
    recs_init(&r, LANG_ZH);
    recs_clause_nonconformities(&r, "7.3", 1, 0, 12, "意识与能力");
    recs_finish(&r);
    assert_string_equal(r.items[0].text, "条款 7.3 近三年有 1 项不符合（均已关闭），推荐课程《意识与能力》巩固");
    /* no course covering the clause: nothing to recommend */
    recs_init(&r, LANG_ZH);
    recs_clause_nonconformities(&r, "8.1", 3, 3, 0, NULL);
    assert_int_equal(recs_finish(&r), 0);
}

static void open_ones_weigh_more(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_clause_nonconformities(&r, "8.5", 3, 0, 21, "生产控制");   /* 3 closed */
    recs_clause_nonconformities(&r, "7.3", 2, 2, 22, "意识");       /* 2 open */
    recs_self_assessment_gap(&r, "9.1", true, 23, "监视测量");
    assert_int_equal(recs_finish(&r), 3);
    assert_string_equal(r.items[0].clause, "7.3");
    assert_string_equal(r.items[1].clause, "8.5");
    assert_string_equal(r.items[2].text, "最近一次自评中条款 9.1 为“不符合”，推荐课程《监视测量》");
}

static void one_item_per_course(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_self_assessment_gap(&r, "7.3", false, 12, "意识");
    recs_clause_nonconformities(&r, "7.3", 1, 1, 12, "意识");
    assert_int_equal(recs_finish(&r), 1);
    assert_string_equal(r.items[0].code, "clause_nonconformities");
}

static void quiz_effectiveness_indicators(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_quiz_failed(&r, 5, "质量方针", 2, 1);
    recs_quiz_failed(&r, 6, "风险", 1, 1);
    recs_effectiveness(&r, "decline", false, 7, "有效性简报");
    recs_effectiveness(&r, "improvement", false, 7, "有效性简报");   /* nothing */
    recs_indicators_missing(&r, 3, 5);
    recs_indicators_missing(&r, 5, 5);   /* nothing */
    assert_int_equal(recs_finish(&r), 4);
    assert_string_equal(r.items[0].code, "indicators_missing");
    assert_int_equal(r.items[0].kind, REC_ACTION);
    assert_string_equal(r.items[0].title, "补录指标数据");
    assert_string_equal(r.items[0].text, "认证有效性评价的 5 项指标中有 2 项没有数据，请补录");
    assert_null(r.items[0].target_type);
    assert_string_equal(r.items[1].text, "认证有效性评价结论为“下降”，推荐简报课程《有效性简报》");
    assert_string_equal(r.items[2].text, "2 名员工未通过课程《质量方针》的测验，建议复习课时后重考");
    assert_string_equal(r.items[3].text, "1 名员工未通过课程《风险》的测验且已用完测验次数，建议复习课时");

    recs_init(&r, LANG_EN);
    recs_effectiveness(&r, "", true, 7, "Effectiveness briefing");
    recs_finish(&r);
    assert_string_equal(r.items[0].code, "effectiveness_form_only");
    assert_string_equal(r.items[0].text,
                        "Your certification is flagged as kept in form only, so the briefing course \"Effectiveness briefing\"");
}

static void feedback_threshold(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_feedback_dimension(&r, "timeliness", 3.5, 3.8, 3, 0, NULL);      /* exactly 0.3: counts */
    recs_feedback_dimension(&r, "professionalism", 3.6, 3.8, 10, 0, NULL); /* 0.2: no */
    recs_feedback_dimension(&r, "commitment", 2.0, 4.0, 2, 0, NULL);       /* 2 reviews: no */
    assert_int_equal(recs_finish(&r), 1);
    assert_string_equal(r.items[0].title, "提升及时性");
    assert_string_equal(r.items[0].text, "3 条评价中“及时性”均分 3.50，低于全国均值 3.80（差 0.30 分）");
    assert_int_equal(r.items[0].count, 3);

    recs_init(&r, LANG_EN);
    recs_feedback_dimension(&r, "professionalism", 3.0, 4.0, 4, 9, "Auditing skills");
    assert_int_equal(recs_finish(&r), 2);
    assert_int_equal(r.items[0].kind, REC_ACTION);
    assert_string_equal(r.items[0].text,
                        "Clients rate your professionalism 3.00 over 4 reviews, 1.00 below the national mean of 4.00");
    assert_int_equal(r.items[1].kind, REC_COURSE);
    assert_string_equal(r.items[1].url, "/courses/9");
}

static void body_rules_in_order(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    recs_engagements_late(&r, 2);
    recs_verification_overdue(&r, 3);
    recs_complaint_open(&r, 41, "under_review");
    recs_complaint_open(&r, 40, "received");
    recs_verification_overdue(&r, 0);   /* nothing */
    assert_int_equal(recs_finish(&r), 4);
    assert_int_equal(r.items[0].target_id, 40);
    assert_string_equal(r.items[0].text, "针对贵机构的投诉 #40 尚未办结（已受理）");
    assert_string_equal(r.items[0].url, "/complaints/40");
    assert_int_equal(r.items[1].target_id, 41);
    assert_string_equal(r.items[2].text, "贵机构审核提出的 3 项不符合已过整改期限仍未验证");
    assert_string_equal(r.items[3].text, "近一年有 2 个认证项目超出承诺周期才作出决定");

    recs_init(&r, LANG_EN);
    recs_engagements_late(&r, 1);
    recs_finish(&r);
    assert_string_equal(r.items[0].text, "1 engagement in the last year was decided after the lead time you committed to");
}

static void at_most_eight(void **state)
{
    UNUSED;
    recs_init(&r, LANG_ZH);
    for (int i = 1; i <= 12; i++)
        recs_complaint_open(&r, 100 - i, "received");
    assert_int_equal(recs_finish(&r), RECS_MAX);
    assert_int_equal(r.items[0].target_id, 88);
    assert_int_equal(r.items[7].target_id, 95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clause_nonconformities_zh_and_en),
        cmocka_unit_test(open_ones_weigh_more),
        cmocka_unit_test(one_item_per_course),
        cmocka_unit_test(quiz_effectiveness_indicators),
        cmocka_unit_test(feedback_threshold),
        cmocka_unit_test(body_rules_in_order),
        cmocka_unit_test(at_most_eight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

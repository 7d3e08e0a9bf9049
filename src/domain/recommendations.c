/* The rules of recommendations (domain/recommendations.h): each fact becomes at most one or two
 * items with a weight and a reason in the request's language; recs_finish orders them. The
 * weights put what is wrong now (open nonconformities, open complaints) before what could be
 * better (a self-assessment gap, a weak feedback dimension). docs/statistics.md
 * "Recommendations" lists them. */
#include "domain/recommendations.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void recs_init(recs_t *r, lang_t lang)
{
    r->lang = lang;
    r->n = 0;
}

static void copy(char *out, size_t size, const char *s)
{
    snprintf(out, size, "%s", s ? s : "");
}

/* A new item (NULL when the candidates are full: the weakest facts are then lost, which
 * RECS_CANDIDATES, far above what the API reads, makes theoretical). */
static rec_item_t *add(recs_t *r, rec_kind_t kind, const char *code, int weight)
{
    if (r->n >= RECS_CANDIDATES)
        return NULL;
    rec_item_t *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->code = code;
    it->weight = weight;
    it->count = -1;
    return it;
}

static void text(rec_item_t *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text(rec_item_t *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->text, sizeof it->text, fmt, ap);
    va_end(ap);
}

static void course_target(rec_item_t *it, int64_t course_id, const char *title)
{
    copy(it->title, sizeof it->title, title);
    it->target_type = "course";
    it->target_id = course_id;
    snprintf(it->url, sizeof it->url, "/courses/%lld", (long long)course_id);
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void recs_clause_nonconformities(recs_t *r, const char *clause, int total, int open, int64_t course_id,
                                 const char *course_title)
{
    if (total <= 0 || course_id <= 0)
        return;
    rec_item_t *it = add(r, REC_COURSE, "clause_nonconformities", 900 + clamp(30 * open + 10 * total, 0, 99));
    if (it == NULL)
        return;
    course_target(it, course_id, course_title);
    copy(it->clause, sizeof it->clause, clause);
    it->count = total;
    if (r->lang == LANG_EN && open > 0)
        text(it, "Clause %s had %d nonconformit%s in the last three years (%d still open), so the course \"%s\"",
             clause, total, total == 1 ? "y" : "ies", open, course_title);
    else if (r->lang == LANG_EN)
        text(it, "Clause %s had %d nonconformit%s in the last three years (all closed), so the course \"%s\" to "
             "consolidate", clause, total, total == 1 ? "y" : "ies", course_title);
    else if (open > 0)
        text(it, "条款 %s 近三年有 %d 项不符合（%d 项未关闭），推荐课程《%s》", clause, total, open, course_title);
    else
        text(it, "条款 %s 近三年有 %d 项不符合（均已关闭），推荐课程《%s》巩固", clause, total, course_title);
}

void recs_self_assessment_gap(recs_t *r, const char *clause, bool not_met, int64_t course_id,
                              const char *course_title)
{
    if (course_id <= 0)
        return;
    rec_item_t *it = add(r, REC_COURSE, "self_assessment_gap", not_met ? 600 : 500);
    if (it == NULL)
        return;
    course_target(it, course_id, course_title);
    copy(it->clause, sizeof it->clause, clause);
    if (r->lang == LANG_EN)
        text(it, "Your latest self-assessment marks clause %s as %s, so the course \"%s\"", clause,
             not_met ? "not met" : "partly met", course_title);
    else
        text(it, "最近一次自评中条款 %s 为“%s”，推荐课程《%s》", clause, not_met ? "不符合" : "部分符合", course_title);
}

void recs_quiz_failed(recs_t *r, int64_t course_id, const char *course_title, int learners, int exhausted)
{
    if (learners <= 0 || course_id <= 0)
        return;
    rec_item_t *it = add(r, REC_COURSE, "quiz_failed", 550 + clamp(10 * learners, 0, 49));
    if (it == NULL)
        return;
    course_target(it, course_id, course_title);
    it->count = learners;
    if (exhausted >= learners) {
        if (r->lang == LANG_EN)
            text(it, "%d of your staff did not pass the quiz of \"%s\" and have used every attempt: review its lessons",
                 learners, course_title);
        else
            text(it, "%d 名员工未通过课程《%s》的测验且已用完测验次数，建议复习课时", learners, course_title);
    } else if (r->lang == LANG_EN) {
        text(it, "%d of your staff did not pass the quiz of \"%s\": review its lessons and take it again", learners,
             course_title);
    } else {
        text(it, "%d 名员工未通过课程《%s》的测验，建议复习课时后重考", learners, course_title);
    }
}

void recs_effectiveness(recs_t *r, const char *verdict, bool form_only, int64_t course_id, const char *course_title)
{
    bool decline = verdict != NULL && strcmp(verdict, "decline") == 0;
    if ((!decline && !form_only) || course_id <= 0)
        return;
    rec_item_t *it = add(r, REC_COURSE, decline ? "effectiveness_decline" : "effectiveness_form_only", decline ? 700 : 650);
    if (it == NULL)
        return;
    course_target(it, course_id, course_title);
    if (r->lang == LANG_EN)
        text(it, "%s, so the briefing course \"%s\"",
             decline ? "Your certification's effectiveness verdict is decline"
                     : "Your certification is flagged as kept in form only",
             course_title);
    else
        text(it, "%s，推荐简报课程《%s》", decline ? "认证有效性评价结论为“下降”" : "认证有效性评价提示“流于形式”",
             course_title);
}

void recs_indicators_missing(recs_t *r, int present, int total)
{
    if (total <= 0 || present >= total)
        return;
    rec_item_t *it = add(r, REC_ACTION, "indicators_missing", 750);
    if (it == NULL)
        return;
    it->count = total - present;
    copy(it->url, sizeof it->url, "/indicators");
    copy(it->title, sizeof it->title, r->lang == LANG_EN ? "Enter the missing indicator data" : "补录指标数据");
    if (r->lang == LANG_EN)
        text(it, "%d of the %d effectiveness indicators have no value, so the evaluation cannot see them",
             total - present, total);
    else
        text(it, "认证有效性评价的 %d 项指标中有 %d 项没有数据，请补录", total, total - present);
}

static const struct {
    const char *name, *zh, *en;
} dimensions[] = {
    {"professionalism", "专业性", "professionalism"},
    {"effectiveness", "有效性", "effectiveness"},
    {"timeliness", "及时性", "timeliness"},
    {"commitment", "履约", "commitment kept"},
};

void recs_feedback_dimension(recs_t *r, const char *dimension, double mean, double national, int reviews,
                             int64_t course_id, const char *course_title)
{
    int d = -1;
    for (int i = 0; i < (int)(sizeof dimensions / sizeof dimensions[0]); i++)
        if (strcmp(dimensions[i].name, dimension) == 0)
            d = i;
    /* the gap is compared in hundredths, so that 3.5 against 3.8 counts as 0.3 */
    long gap = lround((national - mean) * 100.0);
    if (d < 0 || reviews < RECS_FEEDBACK_MIN_REVIEWS || gap < lround(RECS_FEEDBACK_GAP * 100.0))
        return;
    rec_item_t *it = add(r, REC_ACTION, "feedback_below_national", 700 + clamp((int)gap / 10, 0, 49));
    if (it == NULL)
        return;
    it->count = reviews;
    it->target_type = "feedback";
    if (r->lang == LANG_EN) {
        snprintf(it->title, sizeof it->title, "Improve %s", dimensions[d].en);
        text(it, "Clients rate your %s %.2f over %d reviews, %.2f below the national mean of %.2f",
             dimensions[d].en, mean, reviews, national - mean, national);
    } else {
        snprintf(it->title, sizeof it->title, "提升%s", dimensions[d].zh);
        text(it, "%d 条评价中“%s”均分 %.2f，低于全国均值 %.2f（差 %.2f 分）", reviews, dimensions[d].zh, mean,
             national, national - mean);
    }
    snprintf(it->url, sizeof it->url, "/organisation");
    if (course_id <= 0)
        return;
    rec_item_t *c = add(r, REC_COURSE, "feedback_below_national", 600 + clamp((int)gap / 10, 0, 49));
    if (c == NULL)
        return;
    course_target(c, course_id, course_title);
    c->count = reviews;
    if (r->lang == LANG_EN)
        text(c, "Your %s (%.2f) is %.2f below the national mean (%.2f), so the auditor course \"%s\"",
             dimensions[d].en, mean, national - mean, national, course_title);
    else
        text(c, "“%s”均分 %.2f 低于全国均值 %.2f，推荐审核员课程《%s》", dimensions[d].zh, mean, national, course_title);
}

void recs_complaint_open(recs_t *r, int64_t complaint_id, const char *status)
{
    rec_item_t *it = add(r, REC_ACTION, "complaint_open", 900);
    if (it == NULL)
        return;
    bool review = status != NULL && strcmp(status, "under_review") == 0;
    it->target_type = "complaint";
    it->target_id = complaint_id;
    snprintf(it->url, sizeof it->url, "/complaints/%lld", (long long)complaint_id);
    if (r->lang == LANG_EN) {
        snprintf(it->title, sizeof it->title, "Answer complaint #%lld", (long long)complaint_id);
        text(it, "Complaint #%lld about your body is open (%s)", (long long)complaint_id,
             review ? "under review" : "received");
    } else {
        snprintf(it->title, sizeof it->title, "处理投诉 #%lld", (long long)complaint_id);
        text(it, "针对贵机构的投诉 #%lld 尚未办结（%s）", (long long)complaint_id, review ? "审查中" : "已受理");
    }
}

void recs_verification_overdue(recs_t *r, int count)
{
    if (count <= 0)
        return;
    rec_item_t *it = add(r, REC_ACTION, "verification_overdue", 850 + clamp(count, 0, 49));
    if (it == NULL)
        return;
    it->count = count;
    it->target_type = "nonconformity";
    copy(it->url, sizeof it->url, "/nonconformities");
    if (r->lang == LANG_EN) {
        copy(it->title, sizeof it->title, "Verify the overdue corrective actions");
        text(it, "%d nonconformit%s raised by your audits %s past the due date and not verified", count,
             count == 1 ? "y" : "ies", count == 1 ? "is" : "are");
    } else {
        copy(it->title, sizeof it->title, "验证逾期的整改");
        text(it, "贵机构审核提出的 %d 项不符合已过整改期限仍未验证", count);
    }
}

void recs_engagements_late(recs_t *r, int count)
{
    if (count <= 0)
        return;
    rec_item_t *it = add(r, REC_ACTION, "engagements_late", 650 + clamp(count, 0, 49));
    if (it == NULL)
        return;
    it->count = count;
    it->target_type = "engagement";
    copy(it->url, sizeof it->url, "/engagements");
    if (r->lang == LANG_EN) {
        copy(it->title, sizeof it->title, "Decide within the committed lead time");
        text(it, "%d engagement%s in the last year %s decided after the lead time you committed to", count,
             count == 1 ? "" : "s", count == 1 ? "was" : "were");
    } else {
        copy(it->title, sizeof it->title, "按承诺周期作出认证决定");
        text(it, "近一年有 %d 个认证项目超出承诺周期才作出决定", count);
    }
}

static int order(const void *a, const void *b)
{
    const rec_item_t *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    int c = strcmp(x->code, y->code);
    if (c != 0)
        return c;
    c = strcmp(x->clause, y->clause);
    if (c != 0)
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->target_id != y->target_id)
        return x->target_id < y->target_id ? -1 : 1;
    return strcmp(x->title, y->title);
}

static bool same_target(const rec_item_t *x, const rec_item_t *y)
{
    return x->target_type != NULL && y->target_type != NULL && x->target_id != 0 && x->target_id == y->target_id &&
           strcmp(x->target_type, y->target_type) == 0;
}

int recs_finish(recs_t *r)
{
    qsort(r->items, (size_t)r->n, sizeof r->items[0], order);
    int kept = 0;
    for (int i = 0; i < r->n && kept < RECS_MAX; i++) {
        bool repeated = false;
        for (int j = 0; j < kept && !repeated; j++)
            repeated = same_target(&r->items[j], &r->items[i]);
        if (repeated)
            continue;
        if (kept != i)
            r->items[kept] = r->items[i];
        kept++;
    }
    r->n = kept;
    return kept;
}

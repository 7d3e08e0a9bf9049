/* Demo data of the quiz slice of issue 11 (docs/learning.md "Quizzes, certificates and
 * progress"): a question bank for every published course the content slice seeded (found by
 * category at seed time; none seeded, nothing done), written by us in Chinese, and some progress
 * of the demo enterprise's user (the first lesson of the first published course completed, the
 * second opened) through the same store call as the API, so the aggregates exist as for real
 * learners. Deterministic: no quiz is drawn and no certificate issued here. */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "seed_internal.h"
#include "store/learning_progress.h"

typedef struct seed_question {
    const char *kind, *text, *options, *correct, *explanation, *clauses;
} seed_question_t;

/* The standard's clauses (also briefing courses): what every course on GB/T 29490 asks. */
static const seed_question_t clause_bank[] = {
    {"single", "GB/T 29490-2023 要求组织的最高管理者对知识产权管理体系承担什么责任？",
     "[\"领导作用和承诺\",\"仅审批预算\",\"不承担责任\",\"委托外部机构全权负责\"]", "0",
     "最高管理者是知识产权管理体系的第一责任人，应证实其领导作用和承诺。", "5.1"},
    {"multiple", "以下哪些属于组织应识别的知识产权类型？", "[\"专利\",\"商标\",\"著作权\",\"办公家具\"]", "0,1,2",
     "办公家具是有形资产，不属于知识产权。", "4.1"},
    {"truefalse", "知识产权方针应形成文件，并在组织内得到沟通和理解。", "[\"正确\",\"错误\"]", "0",
     "方针需要形成文件并在组织内沟通。", "5.2"},
    {"single", "组织应在什么时候开展知识产权风险识别？", "[\"研发、采购、生产、销售等全过程中\",\"只在发生诉讼后\",\"只在年底\",\"无需识别\"]",
     "0", "风险识别贯穿产品和服务的全生命周期。", "6.1"},
    {"truefalse", "内部审核可以由被审核部门的人员审核本部门的工作。", "[\"正确\",\"错误\"]", "1",
     "审核员不应审核自己的工作，以保证客观公正。", "9.2"},
    {"multiple", "管理评审的输入应包括哪些信息？", "[\"以往管理评审措施的实施情况\",\"内部审核结果\",\"知识产权目标的实现程度\",\"员工生日名单\"]",
     "0,1,2", "管理评审输入包括以往措施、审核结果和目标实现情况等。", "9.3"},
};

/* Policy interpretation (政策解读): the notice on implementing the standard. */
static const seed_question_t policy_bank[] = {
    {"single", "贯彻知识产权管理规范的主要目的是什么？", "[\"提升企业知识产权管理能力和创新效益\",\"增加企业行政负担\",\"替代专利审查\",\"限制企业经营\"]",
     "0", "贯标旨在帮助企业建立规范的知识产权管理体系，提升创新效益。", ""},
    {"truefalse", "企业贯彻标准应坚持自愿原则，由企业自主决定。", "[\"正确\",\"错误\"]", "0",
     "通知强调企业自主贯标，政府做好引导和服务。", ""},
    {"multiple", "以下哪些属于贯标工作的支持措施？", "[\"政策解读和业务宣讲\",\"免费学习平台\",\"认证结果采信\",\"强制每家企业认证\"]",
     "0,1,2", "认证是自愿的，不是强制要求。", ""},
    {"single", "知识产权管理体系认证证书的真伪可以通过什么方式核验？", "[\"在平台按证书编号或统一社会信用代码查询\",\"电话询问企业\",\"无法核验\",\"只看纸质证书印章\"]",
     "0", "平台提供公开的证书核验。", ""},
    {"truefalse", "认证机构可以在未获批准的情况下开展知识产权管理体系认证。", "[\"正确\",\"错误\"]", "1",
     "认证机构须经批准并在批准范围内开展认证。", ""},
};

/* Internal-auditor training. */
static const seed_question_t auditor_bank[] = {
    {"single", "内部审核的主要目的是什么？", "[\"确认体系符合要求并得到有效实施和保持\",\"考核员工个人绩效\",\"寻找责任人进行处罚\",\"替代管理评审\"]",
     "0", "内部审核确认体系的符合性和有效性。", "9.2"},
    {"multiple", "审核计划通常包括哪些内容？", "[\"审核范围\",\"审核准则\",\"审核日程和审核组分工\",\"审核员的薪酬\"]", "0,1,2",
     "审核计划说明范围、准则、日程和分工。", "9.2"},
    {"truefalse", "审核发现应以客观证据为依据。", "[\"正确\",\"错误\"]", "0", "审核发现基于可验证的客观证据。", "9.2"},
    {"single", "发现不符合后，受审核部门首先应当做什么？", "[\"分析原因并采取纠正措施\",\"删除相关记录\",\"等待下一次审核\",\"修改审核报告\"]",
     "0", "不符合应分析原因，采取纠正措施并验证其有效性。", "10.2"},
    {"single", "审核组长在末次会议上应当做什么？", "[\"报告审核发现和结论\",\"宣布处罚决定\",\"重新制定方针\",\"签发认证证书\"]",
     "0", "末次会议报告审核发现和结论，并说明后续安排。", "9.2"},
    {"truefalse", "审核记录在审核结束后可以随意销毁。", "[\"正确\",\"错误\"]", "1", "审核记录应按规定保存，作为体系运行的证据。", "7.5"},
};

static const seed_question_t *bank_of(const char *category, int *n)
{
    if (strcmp(category, "policy") == 0) {
        *n = (int)(sizeof policy_bank / sizeof policy_bank[0]);
        return policy_bank;
    }
    if (strcmp(category, "auditor") == 0) {
        *n = (int)(sizeof auditor_bank / sizeof auditor_bank[0]);
        return auditor_bank;
    }
    *n = (int)(sizeof clause_bank / sizeof clause_bank[0]);
    return clause_bank;
}

bool seed_quiz(db_t *db, int64_t demo_enterprise_id)
{
    enum { MAX_COURSES = 64 };
    int64_t ids[MAX_COURSES];
    char categories[MAX_COURSES][16];
    int ncourses = 0, rc;
    stmt_t *st = db_query(db, "SELECT id, category FROM courses WHERE status = 'published' ORDER BY position, id", "");
    while (st != NULL && ncourses < MAX_COURSES && (rc = stmt_step(st)) == STORE_ROW) {
        ids[ncourses] = stmt_int(st, 0);
        snprintf(categories[ncourses], sizeof categories[ncourses], "%s", stmt_text(st, 1));
        ncourses++;
    }
    stmt_done(st);
    if (st == NULL)
        return false;
    int64_t now = now_seconds();
    for (int i = 0; i < ncourses; i++) {
        int n;
        const seed_question_t *bank = bank_of(categories[i], &n);
        for (int k = 0; k < n; k++)
            if (db_run(db,
                       "INSERT INTO quiz_questions (course_id, kind, text, options, correct, explanation, clauses, "
                       "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                       "IttttttI", ids[i], bank[k].kind, bank[k].text, bank[k].options, bank[k].correct,
                       bank[k].explanation, bank[k].clauses, now) != 1)
                return false;
    }
    if (ncourses == 0)
        return true;
    /* the demo enterprise's user: the first lesson of the first course completed, the second opened */
    user_t u = {.id = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "enterprise"), .role = ROLE_ENTERPRISE,
                .enterprise_id = demo_enterprise_id, .region = ""};
    if (u.id <= 0)
        return true;
    int64_t lessons[2] = {0, 0};
    int nlessons = 0;
    st = db_query(db, "SELECT id FROM lessons WHERE course_id = $1 AND published_revision > 0 ORDER BY position, id LIMIT 2",
                  "I", ids[0]);
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
        lessons[nlessons++] = stmt_int(st, 0);
    stmt_done(st);
    if (nlessons > 0 && (learning_event_record(db, &u, ids[0], lessons[0], 0, "opened", 0, now) < 0 ||
                         learning_event_record(db, &u, ids[0], lessons[0], 0, "completed", 0, now) < 0))
        return false;
    if (nlessons > 1 && learning_event_record(db, &u, ids[0], lessons[1], 0, "opened", 0, now) < 0)
        return false;
    return true;
}

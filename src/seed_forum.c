/* Demo data of the exchange forum (issue 11, docs/learning.md "Exchange"): the five categories,
 * a dozen real-sounding topics by the demo accounts with replies, one accepted answer, one
 * followed topic, one hidden reply with its reason, an open abuse report in the moderation queue.
 * Times go back from the seed's start by fixed steps, so the order is always the same. Visible
 * topics are copied into search_documents. No audit entries (not a user's change). */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "seed_internal.h"
#include "store/search.h"

typedef struct seed_category {
    const char *name, *name_en, *description;
} seed_category_t;

static const seed_category_t categories[] = {
    {"贯标认证", "Certification", "知识产权管理体系认证的申请、审核与证书维护"},
    {"内审与管理评审", "Internal audit and management review", "内部审核的策划实施、管理评审的输入输出"},
    {"专利运用", "Patent exploitation", "专利转化、许可、质押融资与布局"},
    {"政策解读", "Policy interpretation", "贯标相关政策、通知和资助措施的理解"},
    {"平台使用", "Using the platform", "平台功能、账号与数据问题"},
};

enum { SEED_REPLIES_MAX = 4 };

typedef struct seed_topic {
    int category;               /* index in categories */
    const char *author;         /* login of a demo account */
    const char *title, *body;
    const char *replies[SEED_REPLIES_MAX][2];   /* {login, Markdown} */
} seed_topic_t;

static const seed_topic_t topics[] = {
    {0, "enterprise", "首次认证前需要运行体系多久？",
     "我们公司刚完成体系文件编写，想了解**第一次认证审核**之前，体系至少要运行多长时间？",
     {{"body", "一般要求体系**运行满三个月**，并且完成至少一次完整的内部审核和管理评审，才能申请第二阶段审核。"},
      {"regulator", "补充一点：运行记录要真实完整，审核员会抽查三个月内的记录。"}}},
    {0, "enterprise", "GB/T 29490-2023 换版需要重新认证吗？",
     "2013 版的证书还在有效期内，换版到 2023 版是走转换审核还是重新认证？",
     {{"body", "按认监委的换版安排，在过渡期内结合监督审核或再认证审核完成**转换审核**即可，不需要从头重新认证。"},
      {"enterprise", "明白了，谢谢！我们准备在下次监督审核时一起转换。"}}},
    {0, "body", "认证审核人日数是怎么确定的？",
     "经常有企业问审核人日为什么和别的机构报价不一样，这里统一说明一下计算依据，欢迎补充。",
     {{"regulator", "人日数应依据有效人数和体系复杂程度确定，**不得随意压缩**，平台会公示机构承诺的人日数。"}}},
    {1, "enterprise", "内审员必须取得外部培训证书吗？",
     "标准只说内审员要具备能力，是不是一定要参加外部机构的培训并取得证书？",
     {{"body", "标准没有强制要求外部证书，但要能**证明其能力**：培训记录、考核结果、审核经历都可以作为证据。"},
      {"regulator", "平台的学习中心有内审员培训课程，完成后可以下载结业证书，作为能力证据之一。"},
      {"enterprise", "太好了，我们安排内审员去学一下。"}}},
    {1, "enterprise", "管理评审可以和年度经营会议合并开吗？",
     "为了节省时间，能否在年度经营分析会上一并完成知识产权管理评审？",
     {{"body", "可以合并，但会议纪要中要**逐项覆盖标准要求的评审输入**，并形成明确的评审输出和改进措施。"}}},
    {1, "regulator-gd", "内审发现的不符合项多少算正常？",
     "有企业内审一个不符合项都没有，这种情况审核时会被质疑吗？",
     {{"body", "零不符合并不一定有问题，但审核员会关注内审的**覆盖面和深度**，看检查表和抽样记录。"}}},
    {2, "enterprise", "专利质押融资需要准备哪些材料？",
     "我们有十几件发明专利，想向银行申请质押贷款，需要准备什么？",
     {{"regulator", "一般包括专利证书、年费缴纳凭证、**专利价值评估报告**、企业财务报表，具体以银行和当地政策为准。"},
      {"body", "建议先梳理专利的法律状态，避免临近届满或存在权属纠纷的专利。"}}},
    {2, "body", "贯标企业如何做好专利布局？",
     "结合审核中看到的情况，谈谈中小企业专利布局的几个常见问题：\n\n1. 只申请不维护\n2. 与产品脱节\n3. 缺少检索分析",
     {{"enterprise", "第 3 点深有体会，我们以前立项前基本不做检索。"}}},
    {3, "regulator", "关于贯标认证资助政策的说明",
     "各地对通过认证的企业有不同的资助政策，申请时请以**本地知识产权局**发布的通知为准，注意申报时间窗口。",
     {{"enterprise", "请问资助是按证书还是按年度申请？"},
      {"regulator", "多数地区是在取得证书后的当年度申报一次，具体见本地通知。"}}},
    {3, "enterprise", "新版标准对数据知识产权有什么要求？",
     "2023 版增加了哪些和数据相关的内容？企业需要补充哪些制度？",
     {{"body", "新版在知识产权获取、维护和运用中强调了**数据资源**的管理，建议补充数据资产的识别和保护程序。"}}},
    {4, "enterprise", "企业账号如何添加员工？",
     "平台上只有一个企业账号，能不能给内审员单独开账号？",
     {{"admin", "可以：请联系平台管理员为员工开设企业角色账号，每人一个账号，便于学习进度统计。"}}},
    {4, "body", "证书查验二维码扫不出来怎么办？",
     "有客户反映打印出来的证书二维码扫描失败。",
     {{"admin", "请确认打印时**没有缩放**，二维码边缘留白不少于 4 个模块；也可以在查验页输入证书编号查询。"},
      {"enterprise", "加微信 guanbiao-daiban，低价代办贯标，包过！"}}},
};

/* The id of the demo account login (0 when absent). */
static int64_t user_id(db_t *db, const char *login)
{
    return seed_find_id(db, "SELECT id FROM users WHERE login = $1", login);
}

bool seed_forum(db_t *db)
{
    int64_t now = now_seconds();
    int64_t category_ids[sizeof categories / sizeof categories[0]];
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
        stmt_t *st = db_query(db,
                              "INSERT INTO forum_categories (name, name_en, description, position, created_at) "
                              "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                              "tttII", categories[i].name, categories[i].name_en, categories[i].description,
                              (int64_t)i + 1, now);
        category_ids[i] = st ? stmt_insert_id(st) : -1;
        if (category_ids[i] <= 0)
            return false;
    }
    int n = (int)(sizeof topics / sizeof topics[0]);
    for (int k = 0; k < n; k++) {
        const seed_topic_t *t = &topics[k];
        int64_t author = user_id(db, t->author);
        /* the first topic is the oldest; each topic a day after the one before, its replies an
         * hour apart */
        int64_t at = now - (int64_t)(n - k) * 86400;
        int64_t replies = 0;
        while (replies < SEED_REPLIES_MAX && t->replies[replies][0] != NULL)
            replies++;
        int64_t last = replies > 0 ? at + replies * 3600 : at;
        stmt_t *st = db_query(db,
                              "INSERT INTO forum_topics (category_id, author_id, title, body, reply_count, created_at, "
                              "updated_at, last_post_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
                              "IIttIII", category_ids[t->category], author, t->title, t->body, replies, at, last);
        int64_t topic_id = st ? stmt_insert_id(st) : -1;
        char url[48];
        snprintf(url, sizeof url, "/forum/topics/%lld", (long long)topic_id);
        if (author <= 0 || topic_id <= 0 ||
            db_run(db, "INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3)", "III",
                   topic_id, author, at) != 1 ||
            !search_document_put(db, "topic", topic_id, t->title, t->body, url))
            return false;
        for (int64_t r = 0; r < replies; r++) {
            int64_t replier = user_id(db, t->replies[r][0]);
            st = db_query(db,
                          "INSERT INTO forum_replies (topic_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) "
                          "RETURNING id",
                          "IItI", topic_id, replier, t->replies[r][1], at + (r + 1) * 3600);
            int64_t reply_id = st ? stmt_insert_id(st) : -1;
            if (replier <= 0 || reply_id <= 0 ||
                db_run(db,
                       "INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT "
                       "(topic_id, user_id) DO NOTHING",
                       "III", topic_id, replier, at) < 0)
                return false;
            /* the first topic's first reply is its accepted answer */
            if (k == 0 && r == 0 &&
                db_run(db, "UPDATE forum_topics SET accepted_reply_id = $2 WHERE id = $1", "II", topic_id, reply_id) != 1)
                return false;
            /* the advertisement in the last topic is hidden by a regulator, after a report */
            if (strstr(t->replies[r][1], "代办贯标") != NULL) {
                int64_t regulator = user_id(db, "regulator"), reporter = user_id(db, "body");
                if (db_run(db,
                           "UPDATE forum_replies SET hidden = 1, hidden_reason = $2, hidden_by = $3, hidden_at = $4 "
                           "WHERE id = $1",
                           "ItII", reply_id, "商业广告，违反版规：论坛不得发布代办、包过等推销信息", regulator,
                           at + (r + 2) * 3600) != 1 ||
                    db_run(db,
                           "INSERT INTO forum_reports (item_type, item_id, topic_id, reporter_id, reason, status, "
                           "created_at, closed_by, closed_at) VALUES ('reply', $1, $2, $3, $4, 'actioned', $5, $6, $7)",
                           "IIItIII", reply_id, topic_id, reporter, "推销代办服务", at + (r + 1) * 3600 + 60,
                           regulator, at + (r + 2) * 3600) != 1)
                    return false;
            }
        }
    }
    /* one open report for the moderation queue: the enterprise reports a topic as off-topic */
    int64_t reported = seed_find_id(db, "SELECT id FROM forum_topics WHERE title = $1", "贯标企业如何做好专利布局？");
    return reported > 0 &&
           db_run(db,
                  "INSERT INTO forum_reports (item_type, item_id, topic_id, reporter_id, reason, created_at) VALUES "
                  "('topic', $1, $1, $2, $3, $4)",
                  "IItI", reported, user_id(db, "enterprise"), "疑似机构借机宣传，请版主看看", now - 3600) == 1;
}

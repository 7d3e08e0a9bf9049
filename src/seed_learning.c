/* Demo learning content (issue 11, docs/learning.md "Content"): a course per chapter (4–10) of
 * the 2023 edition, an internal-auditor course, a policy interpretation of the 2020 notice and a
 * business briefing, each with 2–3 published lessons (one revision each) tagged with the clauses
 * they teach, and two announcements. The texts are our own explanations, never the standard's
 * text. Courses carry a stable slug (sql/019) so that other parts of the issue (the quiz slice's
 * question banks) find them: "clauses-2023-ch4" … "clauses-2023-ch10", "auditor-internal-audit",
 * "policy-notice-2020", "briefing-certification". Other slices add their own seed_<slice>
 * functions in their own files. */
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "core/text.h"
#include "seed_internal.h"
#include "store/search.h"

typedef struct seed_lesson {
    const char *title;
    const char *markdown;
    const char *clauses;   /* space-separated clause numbers of the 2023 edition, "" none */
    int minutes;
} seed_lesson_t;

typedef struct seed_course {
    const char *slug, *category, *title, *summary;
    seed_lesson_t lessons[3];
} seed_course_t;

static const seed_course_t seed_courses[] = {
    {"clauses-2023-ch4", "clauses", "第4章 组织环境：从企业实际出发划定体系",
     "讲解如何识别影响知识产权合规的内外部因素、相关方的期望，以及如何确定体系的范围。",
     {{"理解企业及其环境",
       "## 为什么先看环境\n\n企业的知识产权工作离不开所处的行业、市场和技术环境。本课介绍一种简单的做法：\n\n"
       "1. 列出影响研发、采购、生产和销售的**外部因素**（政策、竞争对手的专利布局、供应链）；\n"
       "2. 列出**内部因素**（研发投入、人员能力、已有的知识产权）；\n3. 每半年复核一次。\n\n"
       "> 提示：这份清单是后续风险识别（6.1）的输入。",
       "4.1", 15},
      {"相关方与体系范围",
       "## 谁关心你的知识产权\n\n客户、投资人、合作研发单位和员工都是相关方。把他们的期望写下来，"
       "再据此确定体系覆盖哪些产品、场所和部门。\n\n范围写得过宽，运行时顾不过来；过窄，认证证书就说明不了问题。",
       "4.2 4.3", 20}}},
    {"clauses-2023-ch5", "clauses", "第5章 领导作用：最高管理者的责任",
     "最高管理者如何对知识产权合规作出承诺、制定方针并分配职责。",
     {{"领导作用和承诺",
       "## 承诺要看得见\n\n最高管理者的承诺体现在资源投入、例会议题和考核指标上，而不只是一份签字文件。"
       "本课给出五个可以核对的做法，例如每季度听取一次知识产权工作汇报。",
       "5.1", 15},
      {"方针、岗位和职责",
       "## 把方针落到岗位\n\n知识产权方针应与经营方向一致，并在企业内部传达。"
       "每个关键岗位（研发、法务、采购、销售）都应知道自己在知识产权方面的职责和权限。",
       "5.2 5.3", 15}}},
    {"clauses-2023-ch6", "clauses", "第6章 策划：风险、机遇和目标",
     "识别知识产权风险和机遇，制定可测量的目标并策划实现路径。",
     {{"应对风险和机遇",
       "## 一张风险清单\n\n常见风险包括：新产品上市前未做侵权检索、合作研发成果归属不清、商业秘密外泄。"
       "对每项风险写明可能性、影响和应对措施，并指定负责人。",
       "6.1", 20},
      {"目标及其实现",
       "## 目标要能衡量\n\n例如“年度新申请发明专利 20 件，其中 30% 有海外布局”。"
       "目标分解到部门，明确所需资源、完成时间和评价方法。",
       "6.2", 15}}},
    {"clauses-2023-ch7", "clauses", "第7章 支持：资源、能力与成文信息",
     "人员、经费、信息资源的配置，能力培训与意识提升，沟通和文件管理。",
     {{"资源与能力",
       "## 人和钱\n\n体系的运行需要专职或兼职的知识产权人员，以及检索、申请、维持的经费。"
       "本课介绍如何评估人员能力并安排培训，培训记录是认证审核时常被抽查的证据。",
       "7.1 7.2", 20},
      {"意识与沟通",
       "## 让每位员工知道\n\n新员工入职培训、研发人员的专利意识培训、销售人员的商标使用规范，"
       "都属于意识提升。内部沟通和对外沟通要约定内容、时机和对象。",
       "7.3 7.4", 15},
      {"成文信息",
       "## 文件不在多而在有用\n\n手册、程序和记录应能支持体系运行，并得到控制（发布、更新、保存）。"
       "电子化管理时要注意访问权限和版本。",
       "7.5", 15}}},
    {"clauses-2023-ch8", "clauses", "第8章 运行：知识产权管理贯穿经营全过程",
     "从立项、研发、采购、生产到销售和对外合作的知识产权控制要点。",
     {{"运行策划和基础管理",
       "## 把控制点嵌进流程\n\n在立项评审、设计评审和采购合同审核中加入知识产权检查项，"
       "比事后补救成本低得多。基础管理包括知识产权的获取、维护、运用和保护台账。",
       "8.1 8.2", 25},
      {"经营管理中的知识产权",
       "## 研发、采购、销售各有重点\n\n研发阶段做好检索和成果保护；采购时约定知识产权条款；"
       "产品销售前进行侵权风险排查；参加展会前准备维权预案。",
       "8.3", 25},
      {"合规管理",
       "## 合规义务的落实\n\n识别适用的法律法规和合同义务，定期评价合规状况，发现问题及时纠正。",
       "8.4", 20}}},
    {"clauses-2023-ch9", "clauses", "第9章 绩效评价：监视测量、内审与管理评审",
     "如何评价体系是否有效：指标的监视和分析、内部审核、管理评审。",
     {{"监视、测量、分析和评价",
       "## 用数据说话\n\n选择能反映效果的指标：专利授权率、维持年限、许可收入、侵权纠纷数量。"
       "按期收集、分析，并与目标比较。",
       "9.1", 20},
      {"管理评审",
       "## 最高管理者的年度体检\n\n管理评审的输入包括审核结果、目标完成情况、相关方反馈和改进机会；"
       "输出是资源调整和改进决定，并应形成记录。",
       "9.3", 15}}},
    {"clauses-2023-ch10", "clauses", "第10章 改进：不合格、纠正措施与持续改进",
     "发现不合格后如何纠正、分析原因、采取纠正措施，并推动持续改进。",
     {{"不合格和纠正措施",
       "## 从一个不合格开始\n\n先控制和纠正，再分析根本原因，采取措施防止再发生，最后验证措施的有效性。"
       "本课以“合同缺少知识产权条款”为例走一遍完整过程。",
       "10.1 10.2", 20},
      {"持续改进",
       "## 改进是常态\n\n把审核发现、管理评审决定和员工建议汇总为改进项目，定期跟踪。",
       "10.3", 10}}},
    {"auditor-internal-audit", "auditor", "内审员培训：知识产权管理体系内部审核",
     "面向企业内审员：内部审核的策划、实施、报告和跟踪，结合 9.2 的要求逐步讲解。",
     {{"内审方案与审核策划",
       "## 内审的目的\n\n内部审核（内审）检查体系是否符合要求并得到有效实施。内审方案要覆盖全部条款和部门，"
       "每年至少一次；审核员不审核自己的工作。",
       "9.2", 25},
      {"现场审核与抽样",
       "## 怎样找证据\n\n按检查表提问、查记录、看现场。抽样要有代表性：例如从本年度的研发项目中抽取三个，"
       "核对立项检索报告。发现问题时写清事实、依据和证据。",
       "9.2", 25},
      {"审核报告与跟踪",
       "## 审核之后\n\n审核报告列出审核范围、发现和结论；对不合格开具整改要求，约定期限，并验证整改效果（10.2）。",
       "9.2 10.2", 20}}},
    {"policy-notice-2020", "policy", "政策解读：贯标认证“从形式到实效”",
     "解读 2020 年关于规范知识产权管理体系贯标认证工作的通知：为什么要规范，企业和认证机构各自应当怎么做。",
     {{"通知的背景和目标",
       "## 从“有证书”到“有效果”\n\n通知针对一些企业为获得补贴而“走过场”贯标的现象，"
       "强调贯标认证应由企业自主自愿开展，重在实效。本课梳理通知的主要要求。",
       "", 20},
      {"对企业和认证机构的要求",
       "## 各方责任\n\n企业应把体系融入经营管理；认证机构应保证审核人日和审核质量，"
       "不得作虚假承诺；监管部门加强事中事后监管，公开认证信息。",
       "", 20}}},
    {"briefing-certification", "briefing", "业务宣讲：知识产权管理体系认证办理指南",
     "面向首次申请认证的企业：认证流程、准备材料、审核安排和证书维持。",
     {{"认证流程一览",
       "## 五个步骤\n\n1. 选择具备资质的认证机构；\n2. 提交申请和材料；\n3. 第一阶段审核（文件）；\n"
       "4. 第二阶段审核（现场）；\n5. 认证决定和发证。\n\n证书有效期内每年接受监督审核。",
       "", 15},
      {"常见问题",
       "## 企业常问\n\n**需要多长时间？** 从体系建立到取得证书通常半年以上。\n\n"
       "**证书如何查询？** 在本平台的证书查询页输入证书编号或企业名称即可。",
       "", 10}}},
};

static const struct {
    const char *title, *markdown;
    bool pinned;
} seed_announcements[] = {
    {"学习平台上线：贯标学习课程免费开放",
     "知识产权管理体系学习平台正式上线。标准条款课程、政策解读、业务宣讲和内审员培训**全部免费**，"
     "无需登录即可浏览课程目录。完成课程并通过测验可获得结业证书。",
     true},
    {"关于开展 2026 年度贯标内审员线上培训的通知",
     "为提升企业内审员的审核能力，平台将于本季度开展内审员线上培训，课程见“内审员培训：知识产权管理体系内部审核”。",
     false},
};

/* Inserts the lesson's clause tags from its space-separated list. */
static bool seed_lesson_clauses(db_t *db, int64_t lesson_id, const char *list)
{
    char number[16];
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        if (n >= sizeof number)
            return false;
        memcpy(number, p, n);
        number[n] = '\0';
        if (db_run(db, "INSERT INTO lesson_clauses (lesson_id, edition, clause_number) VALUES ($1, '2023', $2)", "It",
                   lesson_id, number) != 1)
            return false;
        p += n;
    }
    return true;
}

bool seed_learning(db_t *db, FILE *log)
{
    int64_t now = now_seconds();
    int nlessons = 0;
    for (size_t i = 0; i < sizeof seed_courses / sizeof seed_courses[0]; i++) {
        const seed_course_t *c = &seed_courses[i];
        stmt_t *st = db_query(db,
                              "INSERT INTO courses (category, title, summary, edition, slug, status, position, "
                              "quiz_size, pass_mark, max_attempts, created_at, updated_at, published_at) VALUES ($1, $2, "
                              "$3, $4, $5, 'published', $6, 5, 60, 3, $7, $7, $7) RETURNING id",
                              "tttttII", c->category, c->title, c->summary, strcmp(c->category, "clauses") == 0 ||
                              strcmp(c->category, "auditor") == 0 ? "2023" : "", c->slug, (int64_t)(i + 1), now);
        int64_t course_id = st ? stmt_insert_id(st) : -1;
        if (course_id <= 0)
            return false;
        char url[48];
        snprintf(url, sizeof url, "/courses/%lld", (long long)course_id);
        if (!search_document_put(db, "course", course_id, c->title, c->summary, url))
            return false;
        for (int k = 0; k < 3 && c->lessons[k].title != NULL; k++) {
            const seed_lesson_t *l = &c->lessons[k];
            st = db_query(db,
                          "INSERT INTO lessons (course_id, position, title, markdown, minutes, status, "
                          "published_revision, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'published', 1, $6, "
                          "$6) RETURNING id",
                          "IIttII", course_id, (int64_t)(k + 1), l->title, l->markdown, (int64_t)l->minutes, now);
            int64_t lesson_id = st ? stmt_insert_id(st) : -1;
            snprintf(url, sizeof url, "/lessons/%lld", (long long)lesson_id);
            if (lesson_id <= 0 ||
                db_run(db,
                       "INSERT INTO lesson_revisions (lesson_id, revision, title, markdown, published_at) VALUES ($1, "
                       "1, $2, $3, $4)",
                       "IttI", lesson_id, l->title, l->markdown, now) != 1 ||
                !seed_lesson_clauses(db, lesson_id, l->clauses) ||
                !search_document_put(db, "lesson", lesson_id, l->title, l->markdown, url))
                return false;
            nlessons++;
        }
    }
    for (size_t i = 0; i < sizeof seed_announcements / sizeof seed_announcements[0]; i++) {
        stmt_t *st = db_query(db,
                              "INSERT INTO announcements (title, markdown, pinned, status, created_at, updated_at, "
                              "published_at) VALUES ($1, $2, $3, 'published', $4, $4, $4) RETURNING id",
                              "ttbI", seed_announcements[i].title, seed_announcements[i].markdown,
                              seed_announcements[i].pinned, now - (int64_t)i);
        int64_t id = st ? stmt_insert_id(st) : -1;
        char url[48];
        snprintf(url, sizeof url, "/announcements/%lld", (long long)id);
        if (id <= 0 ||
            !search_document_put(db, "announcement", id, seed_announcements[i].title, seed_announcements[i].markdown, url))
            return false;
    }
    fprintf(log, "Learning: %zu courses, %d lessons, %zu announcements.\n", sizeof seed_courses / sizeof seed_courses[0],
            nlessons, sizeof seed_announcements / sizeof seed_announcements[0]);
    return true;
}

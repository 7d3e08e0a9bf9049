/* Demo data of the fair-policy checker (issue 12, docs/policies.md "Registry and review"): a
 * dozen local support policies of several provinces and cities, written for the purpose in the
 * style of local support measures (一、二、三、 sections, (一)(二) items), some fair (rewards for
 * measured outcomes, restatements of the prohibition), some with language of each rule R1–R4,
 * registered by the demo regulators (national: regulator; Guangdong: regulator-gd) through the
 * same check and store functions as the API, with audit entries under their names. Some are
 * reviewed: compliant (every finding dismissed); to_amend (the findings of the named rules
 * confirmed, the others dismissed); amended (then a second text without the offending clause).
 * The decisions are taken over whatever findings the checker makes, so that the demo is right
 * with any rule set; a review the findings do not allow (e.g. to_amend without a finding) is
 * left undone. Deterministic: fixed texts, times stepping back from the seed's start. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/regions.h"
#include "core/text.h"
#include "report/notices.h"
#include "seed_internal.h"
#include "store/policies.h"

enum { REVIEW_NONE, REVIEW_COMPLIANT, REVIEW_TO_AMEND, REVIEW_AMENDED };

typedef struct seed_policy {
    const char *registrant;       /* demo login */
    const char *region, *title, *office, *number, *issued_on;
    bool fair_preamble;           /* the 总体要求 that restates free choice and fair competition */
    const char *support;          /* 三、支持内容和标准 */
    const char *conditions;       /* extra text of 二、支持对象和申报条件 ("" none) */
    int review;
    const char *confirm;          /* rules whose findings are confirmed (to_amend, amended), e.g. "R1,R4" */
    const char *revised;          /* amended: the conditions of the second text */
    const char *note;             /* the review's note */
} seed_policy_t;

/* ---- the parts of the texts ---- */

static const char PREAMBLE[] =
    "为深入贯彻《知识产权强国建设纲要（2021－2035年）》和《“十四五”国家知识产权保护和运用规划》，落实国家知识产权局、"
    "国家市场监督管理总局关于规范知识产权管理体系认证工作的部署，引导企业建立健全知识产权管理体系，提升知识产权创造、运用、"
    "保护和管理能力，结合本地实际，制定本措施。\n";

static const char GENERAL_FAIR[] =
    "一、总体要求\n"
    "（一）坚持市场主导。充分发挥企业主体作用，由企业根据自身发展需要自主决定是否开展知识产权管理体系认证，政府部门做好政策引导和公共服务。\n"
    "（二）坚持公平竞争。各类认证机构依法平等参与市场竞争，任何单位不得以任何形式限定企业选择认证机构，不得将通过贯标认证作为申报知识产权项目的条件。\n"
    "（三）坚持注重实效。资金安排以知识产权创造、运用、保护和管理的实际成效为导向，避免重形式、轻实效。\n";

static const char GENERAL_PLAIN[] =
    "一、总体要求\n"
    "以推动知识产权管理体系标准在企业落地见效为目标，加大政策支持力度，健全工作机制，力争通过三年努力，使企业知识产权管理水平显著提升，"
    "知识产权对产业发展的支撑作用明显增强。\n";

static const char TARGETS[] =
    "二、支持对象和申报条件\n"
    "（一）在本地依法登记注册、具有独立法人资格的企业，近三年内无严重违法失信记录。\n"
    "（二）知识产权管理制度健全，设有专门的知识产权管理机构或者配备专职人员，上一年度研发投入占营业收入的比例不低于3%。\n";

static const char SUPPORT_OUTCOMES[] =
    "三、支持内容和标准\n"
    "（一）专利转化运用奖励。对企业通过许可、转让、作价入股等方式实施专利转化，经技术合同登记确认实际收益的，按实际收益的5%给予奖励，"
    "单个企业年度奖励最高不超过50万元。\n"
    "（二）高价值专利培育。对当年新获授权并在海外完成同族专利布局的发明专利，或者获得中国专利奖的专利，每件给予2万元奖励。\n"
    "（三）知识产权质押融资贴息。对通过专利权质押获得银行贷款并按期还本付息的企业，按实际支付利息的30%给予贴息，每家企业最高20万元。\n"
    "（四）管理能力提升。对知识产权管理体系有效运行满一年、经第三方评价专利产出和转化收益等指标明显提升的企业，给予最高10万元奖励，"
    "奖励依据为可核验的成效数据，不以是否取得认证证书为依据。\n";

static const char SUPPORT_CERT_SUBSIDY[] =
    "三、支持内容和标准\n"
    "（一）认证费用补贴。对首次通过知识产权管理体系认证的企业，按实际发生的认证费用给予50%的补贴，最高不超过5万元。\n"
    "（二）示范企业奖励。对新认定的省级知识产权示范企业给予30万元奖励，对新认定的国家知识产权优势企业给予20万元奖励。\n"
    "（三）专利导航项目。支持重点产业企业开展专利导航分析，按项目实际投入的40%给予资助，单个项目最高30万元。\n";

static const char PROCEDURE[] =
    "四、申报程序\n"
    "企业通过知识产权公共服务平台在线提交申报材料，区（县）知识产权管理部门进行初审，市级知识产权管理部门组织专家评审，"
    "评审结果在门户网站公示7个工作日，公示无异议的，按程序下达资金。申报材料应当真实、完整，申报单位对其真实性负责。\n";

static const char SUPERVISION[] =
    "五、监督管理\n"
    "（一）获得资金支持的企业应当规范使用资金，专款专用，不得截留、挪用。\n"
    "（二）对弄虚作假、骗取资金的，追回已拨付资金，五年内不得申报各级知识产权资金项目，并依法依规纳入信用记录。\n"
    "（三）主管部门应当加强资金使用情况的跟踪问效，定期开展绩效评价，评价结果作为调整完善政策的依据。\n";

/* ---- the policies ---- */

static const seed_policy_t policies[] = {
    {"regulator-gd", "440000", "广东省促进知识产权高质量发展若干措施", "广东省市场监督管理局（知识产权局）", "粤市监规〔2026〕2号",
     "2026-02-10", true, SUPPORT_OUTCOMES, "", REVIEW_COMPLIANT, "", NULL, "奖励均以可核验的成效为依据，未发现排除、限制竞争的内容。"},
    {"regulator-gd", "440300", "深圳市知识产权管理体系贯标资助办法", "深圳市市场监督管理局", "深市监规〔2026〕5号", "2026-03-18",
     false, SUPPORT_CERT_SUBSIDY,
     "（三）申报本措施第三条各项资金的企业，须通过知识产权管理体系认证并取得有效认证证书，方可申报。\n",
     REVIEW_TO_AMEND, "R1", NULL, "第二条第（三）项将通过认证作为申报条件，请删除后重新报送。"},
    {"regulator-gd", "440100", "广州市知识产权贯标工作实施方案", "广州市市场监督管理局（知识产权局）", "穗市监〔2026〕11号",
     "2026-01-20", false, SUPPORT_CERT_SUBSIDY,
     "（三）企业应当选择在本市注册的认证机构开展认证，方可享受认证费用补贴。\n", REVIEW_AMENDED, "R1,R4",
     "（三）企业可自主选择依法取得资质的认证机构开展认证，任何单位不得指定或者变相指定认证机构。\n",
     "修订稿已删除限定本市注册认证机构的要求。"},
    {"regulator-gd", "440600", "佛山市专利转化运用专项资金管理办法", "佛山市市场监督管理局", "佛市监规〔2026〕1号", "2026-04-02",
     true, SUPPORT_OUTCOMES, "", REVIEW_NONE, "", NULL, NULL},
    {"regulator", "320000", "江苏省知识产权强企行动支持措施", "江苏省知识产权局", "苏知发〔2026〕8号", "2026-02-28", true,
     SUPPORT_OUTCOMES, "", REVIEW_COMPLIANT, "", NULL, "重申了不得将贯标认证作为申报条件的规定，符合要求。"},
    {"regulator", "320500", "苏州市企业知识产权管理规范化三年行动计划", "苏州市市场监督管理局", "苏市监〔2026〕21号",
     "2026-03-05", false, SUPPORT_CERT_SUBSIDY,
     "（三）全市规模以上工业企业须于2027年底前全部完成知识产权管理体系认证。\n"
     "（四）将企业通过贯标认证的数量纳入各区年度考核指标，每区每年新增认证企业不少于50家。\n",
     REVIEW_NONE, "", NULL, NULL},
    {"regulator", "330000", "浙江省知识产权管理体系认证服务规范指引", "浙江省市场监督管理局（知识产权局）", "浙市监知〔2026〕4号",
     "2026-01-15", false, SUPPORT_CERT_SUBSIDY,
     "（三）承担本措施认证服务的认证机构应当成立满5年、注册资本不低于1000万元，且累计认证企业不少于500家。\n",
     REVIEW_TO_AMEND, "R3", NULL, "对认证机构成立年限、注册资本和客户数量设置门槛，请修改。"},
    {"regulator", "330100", "杭州市高价值专利培育奖励办法", "杭州市市场监督管理局（知识产权局）", "杭市监规〔2026〕6号",
     "2026-04-12", true, SUPPORT_OUTCOMES, "", REVIEW_NONE, "", NULL, NULL},
    {"regulator", "370000", "山东省知识产权示范企业培育工作方案", "山东省市场监督管理局（知识产权局）", "鲁市监知〔2026〕9号",
     "2026-03-22", false, SUPPORT_CERT_SUBSIDY,
     "（三）未通过知识产权管理体系认证的企业，不得申报省级知识产权示范企业。\n"
     "（四）各市应当推动辖区内高新技术企业全部开展贯标认证，认证完成情况纳入年度目标责任考核。\n",
     REVIEW_NONE, "", NULL, NULL},
    {"regulator", "370200", "青岛市知识产权贯标认证补贴实施细则", "青岛市市场监督管理局", "青市监规〔2026〕3号", "2026-02-16",
     false, SUPPORT_CERT_SUBSIDY,
     "（三）优先支持选择本市认证机构开展认证的企业，对选择市知识产权服务中心开展认证的，补贴比例提高至80%。\n",
     REVIEW_NONE, "", NULL, NULL},
    {"regulator", "510000", "四川省知识产权运营促进办法", "四川省知识产权服务促进中心", "川知发〔2026〕12号", "2026-03-30",
     true, SUPPORT_OUTCOMES, "", REVIEW_COMPLIANT, "", NULL, "未发现问题。"},
    {"regulator", "510100", "成都市知识产权贯标专项资金申报指南", "成都市市场监督管理局（知识产权局）", "成市监发〔2026〕7号",
     "2026-04-20", false, SUPPORT_CERT_SUBSIDY,
     "（三）申报企业须已通过知识产权管理体系认证，方可申报本市知识产权专项资金。\n"
     "（四）为企业提供认证服务的机构应当在本市设立分支机构满3年，近三年营业收入不低于2000万元。\n",
     REVIEW_TO_AMEND, "R1,R3", NULL, "申报条件和认证机构门槛均需修改。"},
    {"regulator", "110000", "北京市知识产权强企培育若干措施", "北京市知识产权局", "京知局〔2026〕15号", "2026-05-08", true,
     SUPPORT_OUTCOMES, "", REVIEW_NONE, "", NULL, NULL},
};

/* The text of a policy with these conditions. */
static void policy_text(buf_t *b, const seed_policy_t *p, const char *conditions)
{
    buf_reset(b);
    buf_puts(b, p->title);
    buf_puts(b, "\n");
    buf_puts(b, PREAMBLE);
    buf_puts(b, p->fair_preamble ? GENERAL_FAIR : GENERAL_PLAIN);
    buf_puts(b, TARGETS);
    buf_puts(b, conditions);
    buf_puts(b, p->support);
    buf_puts(b, PROCEDURE);
    buf_puts(b, SUPERVISION);
    buf_printf(b, "六、附则\n本措施由%s负责解释，自%s起施行，有效期三年。此前发布的相关规定与本措施不一致的，以本措施为准。\n",
               p->office, p->issued_on);
}

/* Is rule in the comma-separated list? */
static bool rule_listed(const char *list, const char *rule)
{
    size_t n = strlen(rule);
    for (const char *s = list; s != NULL && *s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
        if (strncmp(s, rule, n) == 0 && (s[n] == ',' || s[n] == '\0'))
            return true;
    return false;
}

/* Decides every pending finding of the policy's current revision: confirmed when its rule is
 * in confirm, else dismissed. */
static bool decide_all(db_t *db, const audit_actor_t *actor, int64_t id, const char *region, const char *confirm,
                       int64_t now)
{
    enum { MAX = 64 };
    int64_t ids[MAX];
    char rules[MAX][16];
    int n = 0;
    stmt_t *st = db_query(db,
                          "SELECT f.id, f.rule FROM policy_findings f JOIN policy_revisions r ON r.id = f.revision_id "
                          "JOIN policies p ON p.id = r.policy_id AND r.revision = p.current_revision WHERE p.id = $1 "
                          "AND f.decision = 'pending' ORDER BY f.id",
                          "I", id);
    while (st != NULL && n < MAX && stmt_step(st) == STORE_ROW) {
        ids[n] = stmt_int(st, 0);
        snprintf(rules[n++], sizeof rules[0], "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    if (st == NULL)
        return false;
    for (int i = 0; i < n; i++) {
        bool yes = rule_listed(confirm, rules[i]);
        if (policy_finding_decide(db, actor, id, region, ids[i], yes ? "confirmed" : "dismissed",
                                  yes ? "该表述违反通知第三条关于公平竞争的要求，予以确认。"
                                      : "该表述为重申禁止性规定或按成效奖励，不属于问题。",
                                  now) == POLICY_DECIDE_ERROR)
            return false;
    }
    return true;
}

/* A demo regulator as the actor of its seeded changes. */
static bool regulator_actor(db_t *db, const char *login, audit_actor_t *a, char region[8])
{
    stmt_t *st = db_query(db, "SELECT id, COALESCE(region, '') FROM users WHERE login = $1", "t", login);
    bool ok = st != NULL && stmt_step(st) == STORE_ROW;
    if (ok) {
        snprintf(region, 8, "%s", stmt_text(st, 1));
        *a = (audit_actor_t){.kind = ACTOR_USER, .user_id = stmt_int(st, 0), .login = login, .role = ROLE_REGULATOR,
                             .region = region, .request_id = "seed", .address = ""};
    }
    stmt_done(st);
    return ok;
}

static bool seed_one(db_t *db, const seed_policy_t *p, const audit_actor_t *registrant, const audit_actor_t *reviewer,
                     buf_t *text, int64_t now)
{
    policy_text(text, p, p->conditions);
    int64_t version = 0;
    json_t *findings = policy_check_current(db, text->data, "zh", &version);
    if (findings == NULL)
        return false;
    policy_meta_t m = {.title = p->title, .office = p->office, .region = p->region, .document_number = p->number,
                       .issued_on = p->issued_on};
    policy_text_t t = {.text = text->data, .source_format = "text", .ruleset_version = version, .findings = findings};
    int64_t id = policy_insert(db, registrant, &m, &t, now);
    json_decref(findings);
    if (id <= 0)
        return false;
    if (p->review == REVIEW_NONE)
        return true;
    if (!decide_all(db, reviewer, id, p->region, p->confirm, now + 60))
        return false;
    /* a review the findings do not allow (0) is left undone */
    const char *status = p->review == REVIEW_COMPLIANT ? "compliant" : "to_amend";
    int rc = policy_status_set(db, reviewer, id, p->region, status, p->note, now + 120);
    if (rc < 0 || (rc == 1 && notice_policy_reviewed(db, id, status, reviewer->user_id) < 0))
        return false;
    if (p->review != REVIEW_AMENDED || rc == 0)
        return true;
    policy_text(text, p, p->revised);
    findings = policy_check_current(db, text->data, "zh", &version);
    if (findings == NULL)
        return false;
    t = (policy_text_t){.text = text->data, .source_format = "text", .ruleset_version = version, .findings = findings};
    int64_t revision = policy_revise(db, registrant, id, p->region, &t, now + 86400);
    json_decref(findings);
    if (revision <= 0 || !decide_all(db, reviewer, id, p->region, "", now + 86460))
        return false;
    rc = policy_status_set(db, reviewer, id, p->region, "amended", p->note, now + 86520);
    return rc == 0 || (rc == 1 && notice_policy_reviewed(db, id, "amended", reviewer->user_id) >= 0);
}

/* --scale N: 10 × (N − 1) more, generated cheaply from the same parts over the prefectures of
 * data/regions.tsv in order, by the national regulator, not reviewed; every fourth with the
 * condition of R1, every fourth (from the second) with the local-body preference of R4. */
static bool seed_generated(db_t *db, const audit_actor_t *national, int count, buf_t *text, int64_t start)
{
    static const char *const conditions[] = {
        "",
        "（三）企业应当选择在本市注册的认证机构开展认证，方可享受认证费用补贴。\n",
        "",
        "（三）申报企业须已通过知识产权管理体系认证，方可申报本专项资金。\n",
    };
    size_t nregions = regions_count(), r = 0;
    for (int i = 0; i < count; i++) {
        const region_t *region = NULL;
        for (size_t tries = 0; tries < nregions && region == NULL; tries++, r = (r + 1) % nregions)
            if (region_at(r)->level == 2 && strcmp(region_at(r)->name, "市辖区") != 0 &&
                strcmp(region_at(r)->name, "县") != 0)
                region = region_at(r);
        if (region == NULL)
            return true;
        char title[160], office[160], number[64];
        snprintf(title, sizeof title, "%s知识产权专项资金管理办法（第%d号）", region->name, i + 1);
        snprintf(office, sizeof office, "%s市场监督管理局", region->name);
        snprintf(number, sizeof number, "知规〔2026〕%d号", 100 + i);
        seed_policy_t p = {.registrant = "regulator", .region = region->code, .title = title, .office = office,
                           .number = number, .issued_on = "2026-06-01", .fair_preamble = i % 4 == 0,
                           .support = i % 2 ? SUPPORT_CERT_SUBSIDY : SUPPORT_OUTCOMES, .conditions = conditions[i % 4],
                           .review = REVIEW_NONE, .confirm = ""};
        if (!seed_one(db, &p, national, national, text, start + i))
            return false;
    }
    return true;
}

bool seed_policies(db_t *db, int scale, FILE *log)
{
    audit_actor_t national, guangdong;
    char national_region[8], guangdong_region[8];
    if (!regulator_actor(db, "regulator", &national, national_region) ||
        !regulator_actor(db, "regulator-gd", &guangdong, guangdong_region)) {
        fprintf(log, "seed: the demo regulators are missing\n");
        return false;
    }
    buf_t text;
    buf_init(&text, 1u << 20);
    /* registered over the last weeks, two days apart, oldest first */
    int n = (int)(sizeof policies / sizeof policies[0]);
    int64_t start = now_seconds() - (int64_t)n * 2 * 86400;
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        const seed_policy_t *p = &policies[i];
        const audit_actor_t *registrant = strcmp(p->registrant, "regulator") == 0 ? &national : &guangdong;
        /* the national office reviews the others' policies (the registrant is then told); its own itself */
        ok = seed_one(db, p, registrant, i % 3 == 0 ? registrant : &national, &text, start + (int64_t)i * 2 * 86400);
    }
    if (ok && scale > 1)
        ok = seed_generated(db, &national, 10 * (scale - 1), &text, start - 86400);
    buf_free(&text);
    if (!ok)
        fprintf(log, "seed: policies failed: %s\n", db_error(db));
    return ok;
}

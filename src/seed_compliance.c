/* The demo seed's compliance records (issue 9, docs/compliance.md): each part in its own block,
 * called from seed_demo (seed.c) on a fresh database. Every write is audited as the seed. */
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "core/text.h"
#include "seed_internal.h"
#include "store/audit.h"
#include "store/clauses.h"
#include "store/files.h"

/* ---- Self-assessment ---- */

/* The demo enterprise's assessment of the 2023 catalogue's assessable clauses, in their order:
 * a status for the first ones (about two thirds), NULL from there on (not yet assessed). The
 * clauses marked `was` were first assessed so, then changed (their history has two entries). */
typedef struct demo_item {
    const char *status, *was, *notes, *owner;
} demo_item_t;

static const demo_item_t demo_items[] = {
    {"conforming", NULL, "已识别影响知识产权管理的内外部因素，每年复核", "综合管理部"},
    {"conforming", "partly", "相关方清单已补充供应商与高校合作方", "综合管理部"},
    {"conforming", NULL, "管理体系范围覆盖研发、采购、生产、销售", "知识产权部"},
    {"conforming", NULL, "", "知识产权部"},
    {"partly", NULL, "知识产权风险清单尚未覆盖海外市场", "法务部"},
    {"conforming", NULL, "总经理签署管理承诺", "总经理办公室"},
    {"conforming", NULL, "知识产权方针已发布并张贴", "知识产权部"},
    {"conforming", NULL, "", "人力资源部"},
    {"not_conforming", NULL, "年度知识产权目标未分解到部门", "知识产权部"},
    {"conforming", "not_conforming", "已建立知识产权预算科目", "财务部"},
    {"conforming", NULL, "", "人力资源部"},
    {"partly", NULL, "新员工知识产权培训记录不全", "人力资源部"},
    {"conforming", NULL, "", "综合管理部"},
    {"conforming", NULL, "文件控制程序已覆盖知识产权文件", "综合管理部"},
    {"not_applicable", NULL, "本企业不从事对外许可业务", ""},
    {"conforming", NULL, "", "研发中心"},
    {"conforming", NULL, "研发立项前进行专利检索", "研发中心"},
};
enum { DEMO_ITEMS = sizeof demo_items / sizeof demo_items[0] };

/* The demo evidence: a PDF specimen of the enterprise's IP policy, on the first item. */
static const char demo_policy_content[] = "BT /F1 20 Tf 72 760 Td (IP policy - SPECIMEN) Tj "
                                          "/F1 12 Tf 0 -32 Td (Shenzhen Demo Technology Co., Ltd.) Tj "
                                          "0 -18 Td (Issued by the general manager, 2026-09-01) Tj "
                                          "0 -18 Td (Guanbiao demo data: not a real document.) Tj ET";

static int64_t insert_id(stmt_t *st) { return st ? stmt_insert_id(st) : -1; }

bool seed_compliance_assessment(db_t *db, int64_t enterprise_id, int64_t body_id, FILE *log)
{
    (void)log;
    int64_t catalogue = 0, version = 0;
    if (clause_catalogue_current(db, "2023", &catalogue, &version) != 1)
        return false;
    char region[8] = "";
    stmt_t *st = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        return false;
    }
    snprintf(region, sizeof region, "%s", stmt_text(st, 0));
    stmt_done(st);
    int64_t user = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "enterprise");
    int64_t started = date_to_unix("2026-09-01") + 9 * 3600, at = started;
    int64_t id = insert_id(db_query(db,
                                    "INSERT INTO self_assessments (enterprise_id, catalogue_id, title, created_by, created_at, "
                                    "updated_at) VALUES ($1, $2, $3, NULLIF($4, 0), $5, $5) RETURNING id",
                                    "IItII", enterprise_id, catalogue, "2026 年度知识产权管理体系自评", user, started));
    if (id <= 0 || !audit_record_id(db, &AUDIT_ACTOR_SEED, "self_assessment.create", "self_assessment", id, region, NULL,
                                    "{\"edition\":\"2023\",\"title\":\"2026 年度知识产权管理体系自评\"}"))
        return false;
    /* the assessable clauses (no sub-clauses), in the catalogue's order */
    st = db_query(db,
                  "SELECT k.number FROM clauses k WHERE k.catalogue_id = $1 AND NOT EXISTS (SELECT 1 FROM clauses ch "
                  "WHERE ch.catalogue_id = k.catalogue_id AND ch.parent = k.number) ORDER BY k.position, k.id",
                  "I", catalogue);
    char numbers[DEMO_ITEMS][16];
    int n = 0;
    while (st != NULL && n < DEMO_ITEMS && stmt_step(st) == STORE_ROW)
        snprintf(numbers[n++], sizeof numbers[0], "%s", stmt_text(st, 0));
    stmt_done(st);
    if (n < DEMO_ITEMS)
        return false;
    int64_t first_item = 0;
    for (int i = 0; i < n; i++) {
        const demo_item_t *d = &demo_items[i];
        at += 3 * 3600;
        int64_t item = insert_id(db_query(db,
                                          "INSERT INTO assessment_items (assessment_id, clause_number, status, notes, owner, "
                                          "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), $7) RETURNING id",
                                          "IttttII", id, numbers[i], d->status, d->notes, d->owner, user, at));
        if (item <= 0)
            return false;
        if (i == 0)
            first_item = item;
        /* the first assessment, and for some a later change */
        const char *first = d->was ? d->was : d->status;
        if (db_run(db, "INSERT INTO assessment_item_events (item_id, from_status, to_status, notes, user_id, at) "
                       "VALUES ($1, '', $2, $3, NULLIF($4, 0), $5)",
                   "IttII", item, first, d->was ? "待补充" : d->notes, user, at - (d->was ? 7 * 86400 : 0)) != 1)
            return false;
        if (d->was != NULL &&
            db_run(db, "INSERT INTO assessment_item_events (item_id, from_status, to_status, notes, user_id, at) "
                       "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6)",
                   "ItttII", item, d->was, d->status, d->notes, user, at) != 1)
            return false;
        char key[48], after[256];
        snprintf(key, sizeof key, "%lld/%s", (long long)id, numbers[i]);
        snprintf(after, sizeof after, "{\"status\":\"%s\"}", d->status);
        if (!audit_record(db, &AUDIT_ACTOR_SEED, "self_assessment.item", "self_assessment", key, region, NULL, after))
            return false;
    }
    if (db_run(db, "UPDATE self_assessments SET updated_at = $2 WHERE id = $1", "II", id, at) != 1)
        return false;

    /* one evidence file, on the first item */
    buf_t pdf;
    buf_init(&pdf, 1u << 20);
    seed_specimen_pdf(&pdf, demo_policy_content);
    int64_t file = pdf.failed ? -1
                              : file_attach(db, &AUDIT_ACTOR_SEED, FILE_OWNER_ENTERPRISE, enterprise_id, region,
                                            "知识产权方针（示例）.pdf", "application/pdf", pdf.data, pdf.len);
    buf_free(&pdf);
    if (file <= 0 || db_run(db, "INSERT INTO evidence_links (attachment_id, subject, subject_id) VALUES ($1, "
                                "'assessment_item', $2)", "II", file, first_item) != 1)
        return false;

    /* the grant to the demo body, for their engagement (the newest active or decided one) */
    st = db_query(db, "SELECT id FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND status IN ('active', "
                      "'decided') ORDER BY id DESC LIMIT 1", "II", enterprise_id, body_id);
    int64_t engagement = 0;
    if (st != NULL && stmt_step(st) == STORE_ROW)
        engagement = stmt_int(st, 0);
    stmt_done(st);
    if (engagement == 0)
        return true;   /* no engagement between them: no grant */
    int64_t grant = insert_id(db_query(db,
                                       "INSERT INTO evidence_grants (enterprise_id, body_id, engagement_id, granted_by, "
                                       "granted_at) VALUES ($1, $2, $3, NULLIF($4, 0), $5) RETURNING id",
                                       "IIIII", enterprise_id, body_id, engagement, user, at));
    char after[96];
    snprintf(after, sizeof after, "{\"body_id\":%lld,\"engagement_id\":%lld}", (long long)body_id, (long long)engagement);
    return grant > 0 && audit_record_id(db, &AUDIT_ACTOR_SEED, "evidence_grant.create", "evidence_grant", grant, region,
                                        NULL, after);
}
/* ---- audits and management reviews (seed_audits) ---- */

typedef struct seed_finding {
    const char *clause, *finding, *notes;
} seed_finding_t;

typedef struct seed_audit {
    const char *kind, *title, *scope, *start_date, *end_date, *auditors, *lead, *status;
    const char *examined, *shown, *conclusion;
    seed_finding_t findings[6];
} seed_audit_t;

/* Writes one audit of the 2023 edition's current catalogue with its findings and audit-log
 * entry; body_id and engagement_id 0 for an internal audit. The new id, or -1. */
static int64_t seed_one_audit(db_t *db, const seed_audit_t *s, int64_t enterprise_id, const char *region,
                              int64_t body_id, int64_t engagement_id, int64_t signer, int64_t now)
{
    int64_t catalogue_id = 0, version = 0;
    if (clause_catalogue_current(db, "2023", &catalogue_id, &version) != 1)
        return -1;
    bool signed_off = strcmp(s->status, "signed_off") == 0;
    stmt_t *st = db_query(db,
                          "INSERT INTO audits (enterprise_id, body_id, engagement_id, certificate_id, kind, catalogue_id, "
                          "title, scope, start_date, end_date, auditors, lead_auditor, status, effectiveness_examined, "
                          "effectiveness_findings, conclusion, signed_off_by, signed_off_at, created_by, created_at, "
                          "updated_at) VALUES ($1, NULLIF($2, 0), NULLIF($3, 0), (SELECT g.certificate_id FROM "
                          "engagements g WHERE g.id = $3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                          "NULLIF($16, 0), NULLIF($17, 0), NULLIF($16, 0), $18, $18) RETURNING id",
                          "IIItIttttttttttIII", enterprise_id, body_id, engagement_id, s->kind, catalogue_id, s->title,
                          s->scope, s->start_date, s->end_date, s->auditors, s->lead, s->status, s->examined, s->shown,
                          s->conclusion, signer, signed_off ? now : 0, now);
    int64_t id = st ? stmt_insert_id(st) : -1;
    for (int i = 0; id > 0 && i < 6 && s->findings[i].clause != NULL; i++)
        if (db_run(db, "INSERT INTO audit_findings (audit_id, clause_number, finding, notes) VALUES ($1, $2, $3, $4)",
                   "Ittt", id, s->findings[i].clause, s->findings[i].finding, s->findings[i].notes) != 1)
            id = -1;
    if (id > 0 && !audit_record_id(db, &AUDIT_ACTOR_SEED, "audit.create", "audit", id, region, NULL, "{\"seed\":true}"))
        id = -1;
    return id;
}

bool seed_audits(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    static const seed_audit_t internal = {
        .kind = "internal", .title = "2026 年度知识产权管理体系内部审核", .scope = "研发部、法务部、市场部、采购部",
        .start_date = "2026-03-02", .end_date = "2026-03-04", .auditors = "王敏\n刘洋", .lead = "王敏",
        .status = "signed_off",
        .examined = "抽查 2025 年 12 项专利申请的检索报告与立项评审记录、6 份采购合同的知识产权条款",
        .shown = "检索均在立项前完成；2 份采购合同缺少知识产权归属条款",
        .conclusion = "体系基本有效运行，发现 2 项一般不符合，要求 30 日内完成纠正",
        .findings = {{"5.1", "conforming", "管理者代表已任命并履职"},
                     {"7.3", "minor", "新入职研发人员未接受知识产权意识培训"},
                     {"8.1", "conforming", ""},
                     {"8.2", "minor", "2 份采购合同缺少知识产权归属条款"},
                     {"9.1", "conforming", ""}},
    };
    static const seed_audit_t stage2 = {
        .kind = "stage2", .title = "第二阶段审核", .scope = "知识产权的获取、维护、运用和保护",
        .start_date = "2025-05-12", .end_date = "2025-05-14", .auditors = "陈静\n赵磊\n孙伟", .lead = "陈静",
        .status = "signed_off", .examined = "抽查管理评审记录、内审报告及 3 项纠正措施的验证记录",
        .shown = "纠正措施均已关闭且验证有效", .conclusion = "推荐认证注册",
        .findings = {{"4.1", "conforming", ""},
                     {"6.1", "conforming", ""},
                     {"7.3", "observation", "培训记录建议电子化"},
                     {"8.3", "conforming", ""},
                     {"9.3", "conforming", ""}},
    };
    static const seed_audit_t surveillance = {
        .kind = "surveillance", .title = "第一次监督审核", .scope = "知识产权的获取、维护、运用和保护",
        .start_date = "2026-05-18", .end_date = "2026-05-19", .auditors = "陈静\n赵磊", .lead = "陈静",
        .status = "in_progress", .examined = "", .shown = "", .conclusion = "",
        .findings = {{"5.1", "conforming", ""}, {"8.2", "", ""}, {"9.2", "", ""}},
    };
    int64_t now = now_seconds();
    int64_t author = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "enterprise");
    int64_t staff = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "body");
    stmt_t *st = db_query(db,
                          "SELECT id FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND status = "
                          "'decided' ORDER BY id LIMIT 1",
                          "II", enterprise_id, body_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t engagement_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc == STORE_ERROR)
        return false;
    char region[16] = "";
    st = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        snprintf(region, sizeof region, "%s", stmt_text(st, 0));
    stmt_done(st);
    if (seed_one_audit(db, &internal, enterprise_id, region, 0, 0, author, now) < 0)
        return false;
    if (engagement_id > 0 && (seed_one_audit(db, &stage2, enterprise_id, region, body_id, engagement_id, staff, now) < 0 ||
                              seed_one_audit(db, &surveillance, enterprise_id, region, body_id, engagement_id, 0, now) < 0))
        return false;
    st = db_query(db,
                  "INSERT INTO management_reviews (enterprise_id, date, participants, inputs, decisions, actions, "
                  "created_by, created_at, updated_at) VALUES ($1, '2026-04-15', $2, $3, $4, $5, NULLIF($6, 0), $7, "
                  "$7) RETURNING id",
                  "IttttII", enterprise_id, "总经理、管理者代表王敏、研发部、法务部、市场部负责人",
                  "2026 年度内审结果(2 项一般不符合)、知识产权目标完成情况、顾客反馈、资源需求",
                  "增设知识产权专员 1 名；采购合同模板增加知识产权归属条款",
                  "人力资源部 5 月底前完成招聘；法务部 4 月底前修订合同模板", author, now);
    int64_t review = st ? stmt_insert_id(st) : -1;
    return review > 0 && audit_record_id(db, &AUDIT_ACTOR_SEED, "management_review.create", "management_review",
                                         review, region, NULL, "{\"seed\":true}");
}

enum { SEED_DAY = 86400 };

/* ==== nonconformities (docs/compliance.md "Nonconformities") ==== */

/* The integer of the first row's first column of sql (binds as db_query); 0 none, -1 error. */
static int64_t nc_seed_int(db_t *db, const char *sql, const char *fmt, int64_t a, int64_t b)
{
    stmt_t *st = db_query(db, sql, fmt, a, b);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t v = rc == STORE_ROW ? (stmt_is_null(st, 0) ? 0 : stmt_int(st, 0)) : rc == STORE_DONE ? 0 : -1;
    stmt_done(st);
    return v;
}

/* An audit row a nonconformity names (the audits part seeds the full ones); its id or -1. */
static int64_t nc_seed_audit(db_t *db, int64_t enterprise_id, int64_t body_id, int64_t engagement_id,
                             const char *kind, int64_t catalogue_id, const char *title, const char *day, int64_t at)
{
    stmt_t *st = db_query(db,
                          "INSERT INTO audits (enterprise_id, body_id, engagement_id, kind, catalogue_id, title, "
                          "start_date, end_date, status, signed_off_at, created_at, updated_at) VALUES ($1, NULLIF($2, 0), "
                          "NULLIF($3, 0), $4, $5, $6, $7, $7, 'signed_off', $8, $8, $8) RETURNING id",
                          "IIItIttI", enterprise_id, body_id, engagement_id, kind, catalogue_id, title, day, at);
    int64_t id = st ? stmt_insert_id(st) : -1;
    return id > 0 ? id : -1;
}

/* The statuses a nonconformity passes through to reach `last` (the register's order). */
static const char *const nc_path_effective[] = {"open", "action_planned", "implemented", "effective", NULL};
static const char *const nc_path_reopened[] = {"open", "action_planned", "implemented", "not_effective", "reopened",
                                               NULL};

typedef struct nc_seed {
    const char *clause, *grade, *description, *evidence, *root_cause, *corrective_action, *owner, *status;
    int due_days;            /* due date: days from today (negative: past) */
    int age_days;            /* recorded this many days ago */
    int raised;              /* 0 none, 1 the internal audit, 2 the body's audit */
} nc_seed_t;

/* One nonconformity with its steps up to n->status; false on a database error. */
static bool nc_seed_one(db_t *db, int64_t enterprise_id, int64_t catalogue_id, const nc_seed_t *n,
                        int64_t raised_by, int64_t closed_by, int64_t today)
{
    char due[DATE_LEN + 1];
    date_from_unix(today + (int64_t)n->due_days * SEED_DAY, due);
    int64_t at = today - (int64_t)n->age_days * SEED_DAY + 9 * 3600;
    const char *const *path = strcmp(n->status, "not_effective") == 0 || strcmp(n->status, "reopened") == 0
                                  ? nc_path_reopened
                                  : nc_path_effective;
    bool planned = strcmp(n->status, "open") != 0;
    stmt_t *st = db_query(db,
                          "INSERT INTO nonconformities (enterprise_id, raised_by_audit_id, closed_by_audit_id, "
                          "catalogue_id, clause_number, grade, description, evidence, root_cause, corrective_action, "
                          "owner, due_date, status, verification, created_at, updated_at) VALUES ($1, NULLIF($2, 0), "
                          "NULLIF($3, 0), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
                          "IIIItttttttttt" "I", enterprise_id, raised_by, strcmp(n->status, "effective") == 0 ? closed_by : 0,
                          catalogue_id, n->clause, n->grade, n->description, n->evidence,
                          planned ? n->root_cause : "", planned ? n->corrective_action : "", n->owner, due, n->status,
                          strcmp(n->status, "effective") == 0       ? "复查相关记录，措施已落实且未再发生"
                          : strcmp(n->status, "not_effective") == 0 || strcmp(n->status, "reopened") == 0
                              ? "抽查发现同类问题仍然存在"
                              : "",
                          at);
    int64_t id = st ? stmt_insert_id(st) : -1;
    if (id <= 0)
        return false;
    const char *from = "";
    for (int i = 0; path[i] != NULL; i++) {
        bool verifying = strcmp(path[i], "effective") == 0 || strcmp(path[i], "not_effective") == 0;
        if (db_run(db,
                   "INSERT INTO nonconformity_events (nonconformity_id, from_status, to_status, note, audit_id, at) "
                   "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6)",
                   "ItttII", id, from, path[i], verifying ? "验证结论见记录" : "", verifying ? closed_by : 0,
                   at + (int64_t)i * 3 * SEED_DAY) != 1)
            return false;
        if (strcmp(path[i], n->status) == 0)
            break;
        from = path[i];
    }
    return true;
}

bool seed_nonconformities(db_t *db, int64_t demo_enterprise_id, int64_t demo_body_id)
{
    int64_t catalogue_id = 0, version = 0;
    int found = clause_catalogue_current(db, "2023", &catalogue_id, &version);
    if (found <= 0)     /* no catalogue loaded (a bare database, as the unit tests seed): nothing */
        return found == 0;
    char today_text[DATE_LEN + 1];
    date_today(today_text);
    int64_t today = date_to_unix(today_text);
    char day[DATE_LEN + 1];
    /* the demo enterprise's internal audit (raises and verifies) and, when the demo body has an
     * engagement with it, the body's stage 2 audit: those the audits part seeded, else rows of
     * our own */
    date_from_unix(today - 60 * SEED_DAY, day);
    int64_t internal = nc_seed_int(db,
                                   "SELECT MAX(id) FROM audits WHERE enterprise_id = $1 AND kind = 'internal' AND "
                                   "status = 'signed_off' AND body_id IS NULL AND $2 = $2",
                                   "II", demo_enterprise_id, 0);
    if (internal == 0)
        internal = nc_seed_audit(db, demo_enterprise_id, 0, 0, "internal", catalogue_id, "年度内部审核", day,
                                 today - 60 * SEED_DAY);
    int64_t engagement = nc_seed_int(db,
                                     "SELECT MIN(id) FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND "
                                     "status IN ('active', 'decided')",
                                     "II", demo_enterprise_id, demo_body_id);
    int64_t external = 0;
    if (internal < 0 || engagement < 0)
        return false;
    if (engagement > 0) {
        date_from_unix(today - 40 * SEED_DAY, day);
        external = nc_seed_int(db,
                               "SELECT MAX(id) FROM audits WHERE enterprise_id = $1 AND body_id = $2 AND kind = 'stage2' "
                               "AND status = 'signed_off'",
                               "II", demo_enterprise_id, demo_body_id);
        if (external == 0)
            external = nc_seed_audit(db, demo_enterprise_id, demo_body_id, engagement, "stage2", catalogue_id,
                                     "第二阶段审核", day, today - 40 * SEED_DAY);
        if (external < 0)
            return false;
    }
    static const nc_seed_t demo[] = {
        {"8.2", "minor", "专利年费缴纳台账未按月更新，2 件专利临近滞纳期未被发现", "专利台账（2026 年 3 月版）", "", "",
         "法务部 王敏", "open", 30, 10, 1},
        {"7.5", "minor", "知识产权成文信息未规定保存期限", "文件控制程序 第 4 版", "程序文件修订时遗漏保存期限条款",
         "修订文件控制程序，补充各类记录的保存期限并培训文控人员", "综合部 李静", "action_planned", 45, 20, 1},
        {"8.3", "major", "采购合同未约定知识产权权属与侵权责任条款", "2025 年采购合同抽样 12 份，9 份缺少条款",
         "合同模板未经知识产权审查", "修订采购合同模板，建立合同知识产权审查流程", "采购部 赵强", "implemented", 14, 35, 2},
        {"9.2", "minor", "内部审核未覆盖研发部门", "2025 年内审计划", "内审员人数不足", "培训两名内审员并补做研发部门内审",
         "管理者代表 陈刚", "effective", -10, 50, 1},
        {"7.2", "minor", "新入职研发人员未接受知识产权培训", "培训签到表", "入职培训计划未包含知识产权课程",
         "将知识产权课程纳入入职培训", "人力资源部 周丽", "not_effective", 20, 45, 1},
        {"6.1", "major", "未识别海外市场的知识产权侵权风险", "风险清单（2025 版）", "风险识别仅覆盖国内业务",
         "补充海外市场风险识别并制定应对措施", "战略部 孙伟", "reopened", 60, 55, 2},
        {"8.4", "major", "技术秘密未分级管理，核心工艺资料可被普通员工访问", "文档系统权限清单", "未建立密级划分规则",
         "制定技术秘密分级规则并收紧系统权限", "信息部 吴军", "action_planned", -20, 58, 1},
    };
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
        int64_t raised = demo[i].raised == 2 && external > 0 ? external : internal;
        int64_t closed = demo[i].raised == 2 && external > 0 ? external : internal;
        if (!nc_seed_one(db, demo_enterprise_id, catalogue_id, &demo[i], raised, closed, today))
            return false;
    }
    /* a spread over other enterprises and clauses, for the counts by clause */
    static const char *const clauses[] = {"4.1", "5.1", "5.2", "6.1", "6.2", "7.1", "7.2", "7.3", "7.5",
                                          "8.1", "8.2", "8.2", "8.3", "8.3", "8.4", "9.1", "9.2", "9.3", "10.2"};
    static const char *const statuses[] = {"open", "action_planned", "implemented", "effective", "effective",
                                           "not_effective", "reopened"};
    stmt_t *st = db_query(db, "SELECT id FROM enterprises WHERE id <> $1 ORDER BY id LIMIT 60", "I", demo_enterprise_id);
    int64_t others[60];
    int nothers = 0, rc;
    while (st != NULL && nothers < 60 && (rc = stmt_step(st)) == STORE_ROW)
        others[nothers++] = stmt_int(st, 0);
    stmt_done(st);
    if (st == NULL)
        return false;
    for (int i = 0; i < nothers; i++) {
        int count = 1 + seed_pick(3);
        for (int k = 0; k < count; k++) {
            nc_seed_t n = {
                .clause = clauses[seed_pick((int)(sizeof clauses / sizeof clauses[0]))],
                .grade = seed_pick(4) == 0 ? "major" : "minor",
                .description = "审核发现的不符合（演示数据）",
                .evidence = "审核记录",
                .root_cause = "制度执行不到位",
                .corrective_action = "修订制度并组织培训",
                .owner = "体系负责人",
                .status = statuses[seed_pick((int)(sizeof statuses / sizeof statuses[0]))],
                .due_days = 90 - seed_pick(150),
                .age_days = 30 + seed_pick(300),
            };
            if (!nc_seed_one(db, others[i], catalogue_id, &n, 0, 0, today))
                return false;
        }
    }
    return true;
}

/* ==== end of nonconformities ==== */

/* Demo data of the compliance records (issue 9, docs/compliance.md; seed_internal.h). Each
 * issue-9 part seeds its own block below; the blocks share nothing but this file. */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "seed_internal.h"
#include "store/audit.h"
#include "store/clauses.h"

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
        .conclusion = "体系基本有效运行，发现 2 项轻微不符合，要求 30 日内完成纠正",
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
                  "2026 年度内审结果(2 项轻微不符合)、知识产权目标完成情况、顾客反馈、资源需求",
                  "增设知识产权专员 1 名；采购合同模板增加知识产权归属条款",
                  "人力资源部 5 月底前完成招聘；法务部 4 月底前修订合同模板", author, now);
    int64_t review = st ? stmt_insert_id(st) : -1;
    return review > 0 && audit_record_id(db, &AUDIT_ACTOR_SEED, "management_review.create", "management_review",
                                         review, region, NULL, "{\"seed\":true}");
}

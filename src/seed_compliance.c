/* Demo data of the compliance records (issue 9, docs/compliance.md): each issue-9 part seeds
 * its own rows in its own block below (seed_internal.h declares the functions; seed.c calls
 * them in the fresh branch, after seed_market). */
#include <string.h>

#include "core/dates.h"
#include "seed_internal.h"
#include "store/clauses.h"

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
     * engagement with it, the body's stage 2 audit */
    date_from_unix(today - 60 * SEED_DAY, day);
    int64_t internal = nc_seed_audit(db, demo_enterprise_id, 0, 0, "internal", catalogue_id, "年度内部审核", day,
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

/* Lists as files: ?format=csv or ?format=xlsx on any list answered by answer_list (lists.c)
 * gives every row that the list's filters and the caller's scope select, without paging, as a
 * download (report/export.h writes the file). Each row is what the list's JSON gives (the
 * list's own row writer), so the file holds exactly the rows and values of the JSON list.
 *
 * A list's columns and their headers (in the caller's language) are one line in
 * list_exports[] below. A list without a line still exports: its columns are the members of
 * its first row, headed by their JSON names. */
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "domain/certificate.h"
#include "domain/enterprise.h"
#include "report/effectiveness_pdf.h"
#include "report/export.h"

enum { EXPORT_MAX_ROWS = 100000, EXPORT_MAX_COLUMNS = 48 };

typedef struct export_column {
    const char *key;                  /* the row's JSON member; "holder.name" for a nested one */
    const char *zh, *en;              /* the header */
    double width;                     /* characters (XLSX) */
    const term_t *(*terms)(void);     /* codes shown with their labels (domain/vocabulary.h), or NULL */
} export_column_t;

typedef struct list_export {
    const char *pattern;              /* the list's route, as in routes.c */
    const char *name;                 /* file names: {name}-{YYYY-MM-DD}.{csv|xlsx} */
    const export_column_t *columns;   /* ends with a NULL key; NULL: the first row's members */
} list_export_t;

static const export_column_t user_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"login", "账号", "Login", 16, NULL},
    {"name", "姓名", "Name", 20, NULL},
    {"role", "角色", "Role", 12, NULL},
    {"enterprise_id", "企业编号", "Enterprise ID", 12, NULL},
    {"body_id", "认证机构编号", "Body ID", 12, NULL},
    {"region", "行政区划代码", "Region code", 14, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t enterprise_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"name", "企业名称", "Name", 32, NULL},
    {"credit_code", "统一社会信用代码", "Credit code", 22, NULL},
    {"region", "行政区划代码", "Region code", 14, NULL},
    {"region_name", "所在地区", "Region", 28, NULL},
    {"industry", "行业代码", "Industry code", 10, NULL},
    {"industry_name", "所属行业", "Industry", 24, NULL},
    {"size", "企业规模", "Size", 10, enterprise_sizes},
    {"address", "地址", "Address", 36, NULL},
    {"contact_name", "联系人", "Contact", 14, NULL},
    {"contact_phone", "联系电话", "Phone", 16, NULL},
    {"contact_email", "电子邮箱", "Email", 24, NULL},
    {"status", "审核状态", "Status", 10, enterprise_statuses},
    {"review_note", "审核意见", "Review note", 24, NULL},
    {"created_at", "登记时间", "Registered", 21, NULL},
    {"updated_at", "更新时间", "Updated", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t body_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"name", "机构名称", "Name", 32, NULL},
    {"credit_code", "统一社会信用代码", "Credit code", 22, NULL},
    {"code", "机构代码", "Body code", 10, NULL},
    {"approval_number", "CNCA 批准号", "CNCA approval No.", 20, NULL},
    {"cnas_number", "CNAS 认可号", "CNAS accreditation No.", 18, NULL},
    {"founded", "成立日期", "Founded", 12, NULL},
    {"address", "地址", "Address", 36, NULL},
    {"contact_phone", "联系电话", "Phone", 16, NULL},
    {"website", "网站", "Website", 24, NULL},
    {"regions", "业务区域", "Regions served", 20, NULL},
    {"created_at", "登记时间", "Registered", 21, NULL},
    {"updated_at", "更新时间", "Updated", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t certificate_columns[] = {
    {"number", "证书编号", "Certificate No.", 22, NULL},
    {"holder.name", "获证组织", "Holder", 32, NULL},
    {"holder.credit_code", "统一社会信用代码", "Holder credit code", 22, NULL},
    {"holder.address", "地址", "Address", 36, NULL},
    {"body.name", "发证机构", "Certification body", 28, NULL},
    {"body.approval_number", "机构批准号", "Body approval No.", 20, NULL},
    {"standard", "认证依据", "Standard", 18, NULL},
    {"scope", "认证范围", "Scope", 40, NULL},
    {"scope_areas", "涉及领域", "Scope areas", 28, cert_scope_areas},
    {"scope_stages", "涉及环节", "Scope stages", 28, cert_scope_stages},
    {"issued", "发证日期", "Issued", 12, NULL},
    {"expires", "有效期至", "Expires", 12, NULL},
    {"status", "证书状态", "Status", 10, cert_statuses},
    {"status_changed", "状态变更日期", "Status changed", 14, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t audit_columns[] = {
    {"seq", "序号", "No.", 8, NULL},
    {"at", "时间", "Time", 21, NULL},
    {"actor.login", "操作人", "By", 16, NULL},
    {"actor.role", "角色", "Role", 12, NULL},
    {"actor.organisation", "所属组织", "Organisation", 20, NULL},
    {"action", "操作", "Action", 24, NULL},
    {"entity", "对象类型", "Record type", 14, NULL},
    {"entity_id", "对象", "Record", 22, NULL},
    {"region", "行政区划代码", "Region code", 14, NULL},
    {"before", "变更前", "Before", 40, NULL},
    {"after", "变更后", "After", 40, NULL},
    {"request_id", "请求编号", "Request ID", 18, NULL},
    {"address", "客户端地址", "Client address", 16, NULL},
    {"hash", "条目哈希", "Entry hash", 66, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t notification_columns[] = {
    {"created_at", "时间", "Time", 21, NULL},
    {"type", "类型", "Type", 20, NULL},
    {"title", "标题", "Title", 48, NULL},
    {"link", "链接", "Link", 32, NULL},
    {"read", "已读", "Read", 8, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t job_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"kind", "任务类型", "Kind", 22, NULL},
    {"payload", "参数", "Payload", 28, NULL},
    {"state", "状态", "State", 10, NULL},
    {"attempts", "已尝试次数", "Attempts", 10, NULL},
    {"max_attempts", "最多尝试次数", "Max attempts", 12, NULL},
    {"run_at", "计划运行时间", "Run at", 21, NULL},
    {"node", "运行节点", "Node", 16, NULL},
    {"last_error", "最近错误", "Last error", 40, NULL},
    {"created_at", "创建时间", "Created", 21, NULL},
    {"finished_at", "完成时间", "Finished", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t feedback_columns[] = {
    {"id", "评价编号", "Review ID", 10, NULL},
    {"engagement_id", "委托编号", "Engagement ID", 12, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"enterprise.name", "企业", "Enterprise", 28, NULL},
    {"ratings.professionalism", "专业能力", "Professionalism", 10, NULL},
    {"ratings.effectiveness", "效果", "Effectiveness", 10, NULL},
    {"ratings.timeliness", "及时性", "Timeliness", 10, NULL},
    {"ratings.commitment", "履行承诺", "Commitment kept", 10, NULL},
    {"comment", "评价内容", "Comment", 48, NULL},
    {"version", "版本", "Version", 8, NULL},
    {"created_at", "发布时间", "Posted", 21, NULL},
    {"updated_at", "修改时间", "Edited", 21, NULL},
    {"hidden", "已隐藏", "Hidden", 8, NULL},
    {"hidden_reason", "隐藏原因", "Reason hidden", 32, NULL},
    {"reply", "机构回复", "Body's reply", 40, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* the exchange forum (issue 11, src/api/forum.c) */
static const export_column_t forum_topic_columns[] = {
    {"id", "话题编号", "Topic ID", 10, NULL},
    {"category.name", "版块", "Category", 16, NULL},
    {"title", "标题", "Title", 48, NULL},
    {"author.name", "作者", "Author", 16, NULL},
    {"reply_count", "回复数", "Replies", 8, NULL},
    {"hidden", "已隐藏", "Hidden", 8, NULL},
    {"created_at", "发布时间", "Posted", 21, NULL},
    {"last_post_at", "最后回复", "Last post", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t forum_report_columns[] = {
    {"id", "举报编号", "Report ID", 10, NULL},
    {"item_type", "类型", "Item", 8, NULL},
    {"item_id", "内容编号", "Item ID", 10, NULL},
    {"topic_title", "话题", "Topic", 40, NULL},
    {"reason", "举报理由", "Reason", 40, NULL},
    {"status", "状态", "Status", 10, NULL},
    {"reporter.name", "举报人", "Reporter", 16, NULL},
    {"created_at", "举报时间", "Reported", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t complaint_columns[] = {
    {"id", "投诉编号", "Complaint ID", 10, NULL},
    {"engagement_id", "委托编号", "Engagement ID", 12, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"enterprise.name", "企业", "Enterprise", 28, NULL},
    {"text", "投诉内容", "Complaint", 48, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"resolution", "处理结论", "Resolution", 40, NULL},
    {"created_at", "提交时间", "Filed", 21, NULL},
    {"updated_at", "更新时间", "Updated", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t compliance_audit_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"kind", "类型", "Kind", 14, NULL},
    {"enterprise.name", "企业", "Enterprise", 28, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"engagement_id", "委托编号", "Engagement ID", 12, NULL},
    {"title", "标题", "Title", 32, NULL},
    {"start_date", "开始日期", "Start", 12, NULL},
    {"end_date", "结束日期", "End", 12, NULL},
    {"lead_auditor", "审核组长", "Lead auditor", 14, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"revision", "版本", "Revision", 8, NULL},
    {"conclusion", "结论", "Conclusion", 40, NULL},
    {"signed_off_at", "签署时间", "Signed off", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t management_review_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"enterprise.name", "企业", "Enterprise", 28, NULL},
    {"date", "日期", "Date", 12, NULL},
    {"participants", "参加人员", "Participants", 28, NULL},
    {"inputs", "评审输入", "Inputs", 40, NULL},
    {"decisions", "评审决定", "Decisions", 40, NULL},
    {"actions", "措施", "Actions", 40, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t commitment_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"title", "服务名称", "Title", 36, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"version", "版本", "Version", 8, NULL},
    {"edition", "认证依据", "Standard", 18, NULL},
    {"price_min", "最低价格（元）", "Price from (yuan)", 14, NULL},
    {"price_max", "最高价格（元）", "Price to (yuan)", 14, NULL},
    {"lead_time_days", "决定周期（天）", "Lead time (days)", 12, NULL},
    {"response_hours", "响应时间（小时）", "Response (hours)", 12, NULL},
    {"man_days_large", "人日（大型）", "Man-days (large)", 12, NULL},
    {"man_days_medium", "人日（中型）", "Man-days (medium)", 12, NULL},
    {"man_days_small", "人日（小型）", "Man-days (small)", 12, NULL},
    {"man_days_micro", "人日（微型）", "Man-days (micro)", 12, NULL},
    {"areas", "涉及领域", "Scope areas", 28, cert_scope_areas},
    {"stages", "涉及环节", "Scope stages", 28, cert_scope_stages},
    {"regions", "服务区域", "Regions served", 20, NULL},
    {"industries", "服务行业", "Industries", 14, NULL},
    {"effectiveness_coverage", "效果核查范围", "Effectiveness check covers", 24, NULL},
    {"published_at", "发布时间", "Published", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t engagement_columns[] = {
    {"id", "委托编号", "Engagement", 10, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"stage", "阶段", "Stage", 12, NULL},
    {"enterprise.name", "企业", "Enterprise", 32, NULL},
    {"enterprise.region", "行政区划代码", "Region code", 14, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"commitment.title", "服务承诺", "Commitment", 32, NULL},
    {"commitment.version", "承诺版本", "Version", 10, NULL},
    {"commitment.committed_lead_days", "承诺周期（天）", "Committed lead time (days)", 14, NULL},
    {"application_date", "申请日期", "Applied", 12, NULL},
    {"decision", "认证决定", "Decision", 14, NULL},
    {"decision_date", "决定日期", "Decided", 12, NULL},
    {"lead_days", "实际周期（天）", "Lead time (days)", 12, NULL},
    {"days_elapsed", "已用天数", "Days so far", 10, NULL},
    {"within_commitment", "是否符合承诺", "Within commitment", 12, NULL},
    {"certificate_number", "证书编号", "Certificate No.", 22, NULL},
    {"decline_reason", "拒绝理由", "Decline reason", 28, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t consulting_tie_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"enterprise.name", "企业", "Enterprise", 32, NULL},
    {"body.name", "认证机构", "Certification body", 28, NULL},
    {"source", "来源", "Source", 12, NULL},
    {"note", "说明", "Note", 40, NULL},
    {"at", "登记时间", "Recorded", 21, NULL},
    {"recorded_by", "登记人", "Recorded by", 16, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t self_assessment_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"enterprise_name", "企业名称", "Enterprise", 32, NULL},
    {"edition", "标准版本", "Edition", 10, NULL},
    {"catalogue_version", "条款目录版本", "Catalogue version", 12, NULL},
    {"title", "自评名称", "Title", 30, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"assessed", "已评条款", "Assessed", 10, NULL},
    {"total", "条款总数", "Clauses", 10, NULL},
    {"created_at", "开始时间", "Started", 21, NULL},
    {"updated_at", "更新时间", "Updated", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t evidence_grant_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"enterprise_name", "企业名称", "Enterprise", 32, NULL},
    {"body_name", "认证机构", "Body", 32, NULL},
    {"engagement_id", "委托编号", "Engagement ID", 12, NULL},
    {"granted_at", "授权时间", "Granted", 21, NULL},
    {"revoked_at", "撤销时间", "Revoked", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t nonconformity_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"enterprise.name", "企业", "Enterprise", 28, NULL},
    {"edition", "标准版本", "Edition", 10, NULL},
    {"clause_number", "条款", "Clause", 10, NULL},
    {"clause_title", "条款名称", "Clause title", 24, NULL},
    {"grade", "等级", "Grade", 8, NULL},
    {"description", "不符合事实", "Description", 40, NULL},
    {"root_cause", "原因分析", "Root cause", 32, NULL},
    {"corrective_action", "纠正措施", "Corrective action", 32, NULL},
    {"owner", "责任人", "Owner", 12, NULL},
    {"due_date", "完成期限", "Due", 12, NULL},
    {"status", "状态", "Status", 14, NULL},
    {"overdue", "已逾期", "Overdue", 8, NULL},
    {"raised_by_audit_id", "发现审核", "Raised by audit", 10, NULL},
    {"closed_by_audit_id", "关闭审核", "Closed by audit", 10, NULL},
    {"created_at", "登记时间", "Recorded", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t nonconformity_clause_columns[] = {
    {"clause_number", "条款", "Clause", 10, NULL},
    {"clause_title", "条款名称", "Clause title", 32, NULL},
    {"clause_title_en", "条款名称（英文）", "Clause title (English)", 32, NULL},
    {"major", "严重不符合", "Major", 10, NULL},
    {"minor", "一般不符合", "Minor", 10, NULL},
    {"total", "合计", "Total", 10, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* the regulators' effectiveness views (src/api/effectiveness_views.c) */
static const export_column_t effectiveness_form_only_columns[] = {
    {"enterprise_id", "企业编号", "Enterprise ID", 10, NULL},
    {"enterprise_name", "企业名称", "Enterprise", 32, NULL},
    {"credit_code", "统一社会信用代码", "Credit code", 22, NULL},
    {"region", "行政区划代码", "Region code", 14, NULL},
    {"region_name", "所在地区", "Region", 28, NULL},
    {"industry", "行业代码", "Industry code", 10, NULL},
    {"industry_name", "所属行业", "Industry", 24, NULL},
    {"body_name", "发证机构", "Certification body", 28, NULL},
    {"certified_year", "首次获证年度", "Certified in", 12, NULL},
    {"index", "有效性指数", "Index", 10, NULL},
    {"verdict", "结论", "Verdict", 22, effectiveness_verdicts},
    {"grade", "等级", "Grade", 6, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t effectiveness_group_columns[] = {
    {"group", "分组代码", "Group", 12, NULL},
    {"name", "分组名称", "Name", 30, NULL},
    {"count", "企业数", "Enterprises", 10, NULL},
    {"mean", "平均指数", "Mean", 10, NULL},
    {"median", "指数中位数", "Median", 10, NULL},
    {"verdicts.significant_improvement", "显著提升", "Significant improvement", 12, NULL},
    {"verdicts.improvement", "有所提升", "Improvement", 12, NULL},
    {"verdicts.no_change", "无明显变化", "No change", 12, NULL},
    {"verdicts.decline", "下降", "Decline", 10, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* learning content (issue 11, docs/learning.md "Content") */
static const export_column_t course_columns[] = {
    {"id", "课程编号", "Course ID", 10, NULL},
    {"category", "类别", "Category", 12, NULL},
    {"title", "课程名称", "Title", 40, NULL},
    {"summary", "简介", "Summary", 48, NULL},
    {"edition", "标准版本", "Edition", 10, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"lesson_count", "已发布课时", "Published lessons", 12, NULL},
    {"published_at", "发布时间", "Published", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t announcement_columns[] = {
    {"id", "公告编号", "Announcement ID", 10, NULL},
    {"title", "标题", "Title", 40, NULL},
    {"markdown", "正文", "Text", 60, NULL},
    {"pinned", "置顶", "Pinned", 8, NULL},
    {"status", "状态", "Status", 12, NULL},
    {"published_at", "发布时间", "Published", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* an enterprise's staff learning progress (issue 11, docs/learning.md) */
static const export_column_t staff_learning_columns[] = {
    {"user.name", "学员", "Learner", 24, NULL},
    {"user.login", "账号", "Login", 16, NULL},
    {"course.title", "课程", "Course", 30, NULL},
    {"lessons_completed", "已完成课时", "Lessons completed", 10, NULL},
    {"lessons_total", "课时数", "Lessons", 8, NULL},
    {"best_score", "最高分", "Best score", 8, NULL},
    {"passed", "测验通过", "Quiz passed", 8, NULL},
    {"completed_at", "结业时间", "Completed", 20, NULL},
    {"certificate_number", "结业证书编号", "Certificate of completion", 20, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* issue 11, activities */
static const export_column_t activity_columns[] = {
    {"id", "活动编号", "Activity ID", 10, NULL},
    {"title", "活动名称", "Title", 36, NULL},
    {"mode", "形式", "Mode", 8, NULL},
    {"starts_at", "开始时间", "Starts", 21, NULL},
    {"ends_at", "结束时间", "Ends", 21, NULL},
    {"place", "地点", "Place", 32, NULL},
    {"link", "链接", "Link", 32, NULL},
    {"capacity", "名额", "Capacity", 8, NULL},
    {"registered", "已报名", "Registered", 8, NULL},
    {"waitlist_length", "候补人数", "Waiting list", 10, NULL},
    {"status", "状态", "Status", 10, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

static const export_column_t activity_registration_columns[] = {
    {"user.login", "账号", "Login", 16, NULL},
    {"user.name", "姓名", "Name", 28, NULL},
    {"status", "报名状态", "Status", 12, NULL},
    {"position", "候补位次", "Waiting position", 10, NULL},
    {"registered_at", "报名时间", "Registered", 21, NULL},
    {"checked_in_at", "签到时间", "Checked in", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* issue 12, registry and review: local policies (docs/policies.md "Registry and review") */
static const export_column_t policy_columns[] = {
    {"id", "编号", "ID", 8, NULL},
    {"title", "政策名称", "Title", 40, NULL},
    {"office", "发文机关", "Issuing office", 24, NULL},
    {"document_number", "文号", "Document number", 18, NULL},
    {"region", "行政区划代码", "Region code", 14, NULL},
    {"region_name", "所在地区", "Region", 24, NULL},
    {"issued_on", "发布日期", "Issued on", 12, NULL},
    {"status", "审查状态", "Status", 12, NULL},
    {"current_revision", "当前版本", "Revision", 8, NULL},
    {"findings.pending", "待处理问题", "Pending findings", 10, NULL},
    {"findings.confirmed", "已确认问题", "Confirmed findings", 10, NULL},
    {"findings.dismissed", "已排除问题", "Dismissed findings", 10, NULL},
    {"updated_at", "更新时间", "Updated", 21, NULL},
    {NULL, NULL, NULL, 0, NULL},
};

/* One line per list. */
static const list_export_t list_exports[] = {
    {"/api/users", "users", user_columns},
    {"/api/enterprises", "enterprises", enterprise_columns},
    {"/api/bodies", "bodies", body_columns},
    {"/api/certificates", "certificates", certificate_columns},
    {"/api/audit", "audit-log", audit_columns},
    {"/api/notifications", "notifications", notification_columns},
    {"/api/jobs", "jobs", job_columns},
    {"/api/feedback", "feedback", feedback_columns},
    {"/api/complaints", "complaints", complaint_columns},
    {"/api/forum/topics", "forum-topics", forum_topic_columns},
    {"/api/forum/reports", "forum-reports", forum_report_columns},
    {"/api/audits", "audits", compliance_audit_columns},
    {"/api/management-reviews", "management-reviews", management_review_columns},
    {"/api/commitments", "commitments", commitment_columns},
    {"/api/engagements", "engagements", engagement_columns},
    {"/api/consulting-ties", "consulting-ties", consulting_tie_columns},
    {"/api/self-assessments", "self-assessments", self_assessment_columns},
    {"/api/evidence-grants", "evidence-grants", evidence_grant_columns},
    {"/api/nonconformities", "nonconformities", nonconformity_columns},
    {"/api/nonconformities/by-clause", "nonconformities-by-clause", nonconformity_clause_columns},
    {"/api/effectiveness/form-only", "effectiveness-form-only", effectiveness_form_only_columns},
    {"/api/effectiveness/distribution", "effectiveness-distribution", effectiveness_group_columns},
    {"/api/courses", "courses", course_columns},
    {"/api/authoring/courses", "courses", course_columns},
    {"/api/announcements", "announcements", announcement_columns},
    {"/api/enterprises/{id}/learning", "staff-learning", staff_learning_columns},
    /* issue 11, activities */
    {"/api/activities", "activities", activity_columns},
    {"/api/activities/{id}/registrations", "activity-registrations", activity_registration_columns},
    /* issue 12, registry and review */
    {"/api/policies", "policies", policy_columns},
};

/* The list's line, or one made from its route's last segment (columns from the first row). */
static list_export_t find_export(call_t *c)
{
    const char *pattern = c->route != NULL ? c->route->pattern : "/export";
    for (size_t i = 0; i < sizeof list_exports / sizeof list_exports[0]; i++)
        if (strcmp(list_exports[i].pattern, pattern) == 0)
            return list_exports[i];
    const char *slash = strrchr(pattern, '/');
    return (list_export_t){.pattern = pattern, .name = slash != NULL && slash[1] ? slash + 1 : "export"};
}

/* The member at a dotted path ("holder.name"), or NULL. */
static json_t *member(json_t *row, const char *key)
{
    char path[128];
    snprintf(path, sizeof path, "%s", key);
    json_t *v = row;
    char *save = NULL;
    for (char *part = strtok_r(path, ".", &save); part != NULL && v != NULL; part = strtok_r(NULL, ".", &save))
        v = json_is_object(v) ? json_object_get(v, part) : NULL;
    return v;
}

/* A scalar as text, a code with its label when the column has terms. */
static const char *scalar_text(call_t *c, json_t *v, const term_t *terms, bool *numeric)
{
    *numeric = false;
    if (json_is_string(v)) {
        const term_t *t = terms != NULL ? term_find(terms, json_string_value(v)) : NULL;
        return t != NULL ? (c->lang == LANG_EN ? t->en : t->zh) : json_string_value(v);
    }
    if (json_is_integer(v)) {
        *numeric = true;
        return arena_printf(&c->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    }
    if (json_is_real(v)) {
        *numeric = true;
        return arena_printf(&c->arena, "%.17g", json_real_value(v));
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? (c->lang == LANG_EN ? "yes" : "是") : (c->lang == LANG_EN ? "no" : "否");
    if (json_is_null(v) || v == NULL)
        return "";
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);   /* an object: as JSON */
    const char *copy = arena_strdup(&c->arena, text != NULL ? text : "");
    free(text);
    return copy;
}

/* A cell: scalars as above; an array of scalars joined with "、" (zh) or "; " (en). */
static const char *cell_text(call_t *c, json_t *v, const term_t *terms, bool *numeric)
{
    if (!json_is_array(v))
        return scalar_text(c, v, terms, numeric);
    *numeric = false;
    buf_t b;
    buf_init(&b, 1u << 20);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        bool ignored;
        if (i > 0)
            buf_puts(&b, c->lang == LANG_EN ? "; " : "、");
        buf_puts(&b, scalar_text(c, item, terms, &ignored));
    }
    const char *s = arena_strdup(&c->arena, b.data != NULL ? b.data : "");
    buf_free(&b);
    return s;
}

/* Columns made from the members of the first row (a list without a line in list_exports). */
static int derive_columns(arena_t *a, json_t *row, export_column_t *out)
{
    int n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v) {
        if (n == EXPORT_MAX_COLUMNS)
            break;
        const char *k = arena_strdup(a, key);
        out[n++] = (export_column_t){.key = k, .zh = k, .en = k, .width = 16};
    }
    return n;
}

/* The file with its header row in the caller's language; NULL when it could not be begun. */
static export_t *begin(const call_t *c, export_format_t f, const char *name, const export_column_t *columns, int n)
{
    const char *headers[EXPORT_MAX_COLUMNS];
    double widths[EXPORT_MAX_COLUMNS];
    for (int i = 0; i < n; i++) {
        headers[i] = c->lang == LANG_EN ? columns[i].en : columns[i].zh;
        widths[i] = columns[i].width;
    }
    return export_begin(f, name, headers, widths, n);
}

static void free_queries(query_t *count, query_t *list)
{
    query_free(count);
    query_free(list);
}

void answer_export(call_t *c, query_t *count, query_t *list, row_write_fn row, const char *what, const char *format)
{
    /* ?lang=zh|en: the headers' language for a link the browser follows itself (it sends its
     * own Accept-Language, not the one the web application is shown in) */
    const char *lang = call_query(c, "lang");
    if (call_answered(c)) {
        free_queries(count, list);
        return;
    }
    if (lang != NULL && (strcmp(lang, "en") == 0 || strcmp(lang, "zh") == 0 || strcmp(lang, "zh-CN") == 0))
        c->lang = lang[0] == 'e' ? LANG_EN : LANG_ZH;
    export_format_t f = export_format_parse(format);
    if (f == EXPORT_NONE) {
        free_queries(count, list);
        call_error(c, "invalid_format", "format", format);
        return;
    }
    int64_t total = -1;
    stmt_t *st = query_run(c->db, count);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        total = stmt_int(st, 0);
    stmt_done(st);
    if (total < 0) {
        free_queries(count, list);
        call_db_error(c, what);
        return;
    }
    if (total > EXPORT_MAX_ROWS) {
        free_queries(count, list);
        call_error(c, "export_too_large", "format", arena_printf(&c->arena, "%d", EXPORT_MAX_ROWS));
        return;
    }
    list_export_t spec = find_export(c);
    export_column_t columns[EXPORT_MAX_COLUMNS];
    int ncols = 0;
    if (spec.columns != NULL)
        for (; spec.columns[ncols].key != NULL && ncols < EXPORT_MAX_COLUMNS; ncols++)
            columns[ncols] = spec.columns[ncols];

    char today[DATE_LEN + 1];
    date_today(today);
    export_t *x = NULL;
    bool ok = true;
    int rc = STORE_ERROR;
    buf_t json;
    buf_init(&json, 4u << 20);
    arena_t call_arena = c->arena, rows_arena = {0};
    st = query_run(c->db, list);
    while (st != NULL && ok && (rc = stmt_step(st)) == STORE_ROW) {
        /* the row writer allocates in c->arena: give it one that is emptied after each row,
         * so that memory does not grow with the rows (a row writer's allocations live for
         * its row only) */
        c->arena = rows_arena;
        buf_reset(&json);
        jw_t w;
        jw_init(&w, &json);
        row(c, st, &w);
        json_t *obj = json.failed ? NULL : json_loadb(json.data, json.len, 0, NULL);
        if (obj != NULL && x == NULL) {
            if (spec.columns == NULL)
                ncols = derive_columns(&call_arena, obj, columns);
            x = begin(c, f, spec.name, columns, ncols);
            ok = x != NULL;
        }
        if (obj == NULL) {
            ok = false;
        } else if (ok) {
            const char *cells[EXPORT_MAX_COLUMNS];
            bool numeric[EXPORT_MAX_COLUMNS];
            for (int i = 0; i < ncols; i++)
                cells[i] = cell_text(c, member(obj, columns[i].key), columns[i].terms ? columns[i].terms() : NULL,
                                     &numeric[i]);
            ok = export_row(x, cells, numeric);
        }
        json_decref(obj);
        rows_arena = c->arena;
        arena_reset(&rows_arena);
        c->arena = call_arena;
    }
    stmt_done(st);
    free_queries(count, list);
    buf_free(&json);
    arena_free(&rows_arena);
    if (rc != STORE_DONE && ok) {
        if (x != NULL)
            export_finish(x, &c->out);
        call_db_error(c, what);
        return;
    }
    if (ok && x == NULL) {       /* no rows: the header row alone */
        x = begin(c, f, spec.name, columns, ncols);
        ok = x != NULL;
    }
    buf_reset(&c->out);
    if (x != NULL)
        ok = export_finish(x, &c->out) && ok;
    if (!ok) {
        log_error("%s: the %s export could not be written", what, export_extension(f));
        call_error(c, "internal_error", NULL);
        return;
    }
    call_download(c, export_content_type(f), true, arena_printf(&c->arena, "%s-%s.%s", spec.name, today,
                                                                 export_extension(f)));
}

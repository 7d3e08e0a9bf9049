/* Error catalogue (see messages.h). Each %s is a string argument, in order. */
#include "core/messages.h"

#include <string.h>

#include "core/buf.h"

const message_t messages[] = {
    /* request shape: dispatcher */
    {"not_found", 404, "请求的地址不存在", "No such resource"},
    {"method_not_allowed", 405, "该地址不支持 %s 方法", "Method %s is not allowed here"},
    {"unauthenticated", 401, "请先登录", "Sign in first"},
    {"forbidden", 403, "当前角色无权访问此功能", "Your role may not use this"},
    {"invalid_token", 401, "API 令牌无效或已被吊销", "The API token is invalid or has been revoked"},
    {"token_not_allowed", 403, "API 令牌只能用于证书接口", "An API token may only be used on the certificate routes"},
    {"csrf_failed", 403, "缺少或错误的 X-CSRF-Token 请求头", "Missing or wrong X-CSRF-Token header"},
    {"body_too_large", 413, "请求体过大：上限为 %s 字节", "Request body too large: the limit is %s bytes"},
    {"unsupported_media_type", 415, "请求体必须是 application/json", "The request body must be application/json"},
    {"invalid_json", 400, "请求体不是合法的 JSON：第 %s 行第 %s 列附近(%s)", "The body is not valid JSON near line %s, column %s (%s)"},
    {"invalid_utf8", 400, "请求体不是合法的 UTF-8：第 %s 字节", "The body is not valid UTF-8 at byte %s"},
    {"json_too_deep", 400, "JSON 嵌套过深：最多 %s 层", "JSON nested too deeply: at most %s levels"},
    {"body_not_object", 400, "请求体必须是 JSON 对象", "The request body must be a JSON object"},
    {"invalid_query", 400, "查询参数 %s 无效", "Query parameter %s is invalid"},
    {"invalid_path", 400, "地址中的参数无效", "A parameter in the path is invalid"},
    {"bad_request", 400, "请求格式不正确（请求行、请求头或 Content-Length 无效）", "Malformed request (request line, headers or Content-Length)"},
    {"expectation_failed", 417, "不支持请求头 Expect 的取值", "The Expect header's value is not supported"},
    /* fields: one message per kind of failure; the field is named in "field" */
    {"missing_field", 400, "缺少必填字段 %s", "Missing required field %s"},
    {"wrong_type", 400, "字段 %s 的类型应为%s", "Field %s must be %s"},
    {"too_long", 400, "字段 %s 过长：最多 %s 个字符", "Field %s is too long: at most %s characters"},
    {"too_short", 400, "字段 %s 过短：至少 %s 个字符", "Field %s is too short: at least %s characters"},
    {"blank_field", 400, "字段 %s 不能为空", "Field %s must not be blank"},
    {"unknown_field", 400, "不认识的字段 %s", "Unknown field %s"},
    {"invalid_value", 400, "字段 %s 的值无效：%s", "Field %s has an invalid value: %s"},
    /* accounts and sessions */
    {"invalid_credentials", 401, "账号或密码错误", "Wrong login or password"},
    {"wrong_current_password", 403, "当前密码错误", "The current password is wrong"},
    {"too_many_attempts", 429, "尝试次数过多，请在 %s 秒后重试", "Too many attempts; try again in %s seconds"},
    {"weak_password", 400, "密码至少 10 个字符，不能全是空白，且不能与账号相同", "The password needs at least 10 characters, not all blank, and must differ from the login"},
    {"login_taken", 409, "账号 %s 已存在", "Login %s already exists"},
    /* the registry */
    {"invalid_credit_code", 400, "统一社会信用代码无效：%s", "Invalid unified social credit code: %s"},
    {"credit_code_taken", 409, "统一社会信用代码 %s 已登记", "Credit code %s is already registered"},
    {"enterprise_not_found", 404, "企业不存在或不在你的范围内", "No such enterprise within your reach"},
    {"body_not_found", 404, "认证机构不存在", "No such certification body"},
    {"token_not_found", 404, "该认证机构没有这个 API 令牌", "The body has no such API token"},
    {"token_already_revoked", 409, "该 API 令牌已被吊销", "The API token has already been revoked"},
    {"too_many_tokens", 409, "有效的 API 令牌已达上限（%s 个）：请先吊销不用的令牌", "The body already holds the most valid API tokens (%s): revoke unused ones first"},
    {"body_code_taken", 409, "机构代码 %s 已被使用", "Body code %s is already in use"},
    {"out_of_region", 403, "该行政区划不在你的管辖范围内", "That region is outside your jurisdiction"},
    {"enterprise_not_approved", 409, "企业尚未通过审核", "The enterprise has not been approved"},
    {"already_reviewed", 409, "该企业已审核，状态为 %s", "The enterprise was already reviewed: %s"},
    {"clause_catalogue_not_found", 404, "条款目录不存在", "No such clause catalogue"},
    {"clause_column_missing", 400, "文件首行缺少 %s 列（列：number,title,title_en,parent,provisional,guidance,evidence）", "The file's header row lacks the column %s (columns: number,title,title_en,parent,provisional,guidance,evidence)"},
    {"certificate_not_found", 404, "证书不存在", "No such certificate"},
    {"audit_entry_not_found", 404, "审计日志条目不存在或不在你的范围内", "No such audit log entry within your reach"},
    {"invalid_certificate_number", 400, "证书编号应为 6–40 位数字、大写字母或连字符", "A certificate number has 6–40 digits, capital letters or hyphens"},
    {"certificate_exists", 409, "证书编号 %s 已存在", "Certificate %s already exists"},
    {"body_not_in_good_standing", 409, "该认证机构的批准已被暂停或撤销，不能颁发证书",
     "The body's approval is suspended or withdrawn: it cannot issue certificates"},
    {"body_standing_final", 409, "该资格已被撤销，撤销是最终的", "This standing was withdrawn: a withdrawal is final"},
    {"invalid_transition", 409, "证书状态不能从 %s 变为 %s", "A certificate cannot go from %s to %s"},
    {"certificate_final", 409, "证书 %s 已撤销或已过期，不能再修改；换证请颁发新证书", "Certificate %s is withdrawn or expired and can no longer be changed; a renewal is a new certificate"},
    {"surveillances_complete", 409, "证书 %s 本周期的两次监督审核均已记录；下一次为再认证（换证）",
     "Both surveillance audits of certificate %s in this cycle are recorded; next comes recertification (renewal)"},
    {"surveillance_recorded", 409, "证书 %s 的第 %s 次监督审核已经记录", "Certificate %s: surveillance %s is already recorded"},
    {"surveillance_out_of_order", 409, "不能记录第 %s 次监督审核：下一次应为第 %s 次", "Surveillance %s cannot be recorded: the next one is %s"},
    {"certificate_already_renewed", 409, "证书 %s 已由证书 %s 换证接续", "Certificate %s was already renewed by %s"},
    {"renewal_not_allowed", 409, "证书 %s 不在可换证期内：须为有效、暂停或过期未满 6 个月的证书，且在有效期最后一年内",
     "Certificate %s cannot be renewed now: only a valid, suspended or recently expired (under 6 months) certificate, within its last year"},
    {"renewal_refused", 409, "证书 %s 刚被换证、撤销或修改了有效期，请刷新后重试",
     "Certificate %s was renewed, withdrawn or had its expiry changed meanwhile; reload it and try again"},
    {"renewal_number_required", 400, "证书编号 %s 不是常见格式，无法自动生成换证编号：请填写新证书编号",
     "Number %s is not in the usual pattern, so the renewal's number cannot be derived: give the new number"},
    {"number_of_another_body", 409, "证书编号 %s 以认证机构代码 %s 开头，该代码属于另一家认证机构", "Number %s starts with body code %s, which belongs to another certification body"},
    /* engagements (issue 8, docs/marketplace.md) */
    {"engagement_not_found", 404, "认证委托不存在或不在你的范围内", "No such engagement within your reach"},
    {"commitment_not_found", 404, "服务承诺不存在", "No such service commitment"},
    {"commitment_withdrawn", 409, "该服务承诺已撤回，不能据此申请认证", "This service commitment was withdrawn: no request can be made under it"},
    {"conflict_of_interest", 409, "该企业与该认证机构存在咨询关联（利益冲突），不能建立认证委托", "The enterprise and the body have a consulting tie (a conflict of interest): they may not engage"},
    {"engagement_open", 409, "你与该认证机构已有进行中的认证委托", "You already have an open engagement with this body"},
    {"engagement_wrong_status", 409, "认证委托当前为“%s”状态，不能进行此操作", "The engagement is %s: this step is not possible"},
    {"stage_out_of_order", 409, "请先记录“%s”", "Record %s first"},
    {"declaration_required", 400, "受理前须声明本机构未向该企业提供咨询服务", "Accepting requires the declaration that the body did not consult for the enterprise"},
    {"consulting_tie_exists", 409, "该咨询关联已由监管部门登记", "This consulting tie was already recorded by a regulator"},
    {"changed_concurrently", 409, "该记录刚被另一操作修改，请刷新后重试", "It was changed by another request meanwhile; reload it and try again"},
    {"identifier_admin_only", 403, "%s 由登记或认可机关核发，只有平台管理员可以修改", "%s is issued by a registration or accreditation authority; only a platform administrator may change it"},
    {"approval_number_taken", 409, "CNCA 批准号 %s 已登记给另一认证机构", "CNCA approval number %s is registered to another body"},
    {"cnas_number_taken", 409, "CNAS 认可号 %s 已登记给另一认证机构", "CNAS accreditation number %s is registered to another body"},
    {"duplicate_row", 400, "证书编号 %s 在文件中重复出现，只导入第一行", "Certificate %s appears again in the file; only its first row is imported"},
    /* service commitments (docs/marketplace.md) */
    {"commitment_version_not_found", 404, "该服务承诺没有第 %s 版", "The commitment has no version %s"},
    {"commitment_version_conflict", 409, "服务承诺已有更新的版本（当前为第 %s 版），请基于最新版本重新发布", "The commitment has a newer version (now version %s); publish again from the latest one"},
    {"commitment_not_published", 409, "该服务承诺已撤回", "The commitment is already withdrawn"},
    {"commitment_not_withdrawn", 409, "该服务承诺已在发布中", "The commitment is already published"},
    /* notifications */
    {"notification_not_found", 404, "通知不存在", "No such notification"},
    /* background jobs */
    {"job_not_found", 404, "后台任务不存在", "No such background job"},
    {"job_not_dead", 409, "只能重试已失败（dead）的任务；该任务状态为 %s", "Only a dead job can be retried; this one is %s"},
    {"missing_query", 400, "缺少查询参数 %s", "Missing query parameter %s"},
    /* the ranking (docs/marketplace.md) */
    {"ranking_not_found", 404, "该机构不在当前排名中（批准已撤销，或在上次计算后才登记）",
     "This body is not in the current ranking (its approval is withdrawn, or it was registered after the last computation)"},
    /* exports (docs/reports.md) */
    {"invalid_format", 400, "不支持的导出格式 %s：可选 csv 或 xlsx", "Unsupported format %s: use csv or xlsx"},
    {"export_too_large", 400, "导出超过 %s 行的上限，请缩小筛选范围后重试", "The export exceeds the limit of %s rows; narrow the filters and try again"},
    /* files (docs/files.md) */
    {"file_type_not_allowed", 415, "不接受此类文件(按内容识别为 %s)：只接受 %s", "This kind of file is not accepted here (its content is %s): only %s"},
    {"invalid_file_name", 400, "缺少或无效的文件名：请在 X-File-Name 请求头中给出百分号编码的 UTF-8 文件名", "Missing or invalid file name: give it in the X-File-Name header, percent-encoded UTF-8"},
    {"empty_file", 400, "文件为空", "The file is empty"},
    {"file_not_found", 404, "文件不存在或无权查看", "No such file within your reach"},
    {"import_not_utf8", 400, "文件不是 UTF-8 编码(请另存为“CSV UTF-8”)", "The file is not UTF-8 (save it as CSV UTF-8)"},
    {"upload_column_missing", 400, "文件首行缺少 %s 列（可用 IAF CertSearch 的英文列名或中文列名，见文档）", "The file's header row lacks the column %s (CertSearch or Chinese names are accepted, see the documentation)"},
    {"body_mismatch", 403, "证书 %s 属于另一家认证机构，不能由你上传", "Certificate %s belongs to another certification body: you may not upload it"},
    {"import_header_invalid", 400, "文件的表头不完整：需要 number、holder_credit_code、standard、issued 列，以及 body_code 或 body_credit_code 列", "The file's header row is incomplete: it needs the columns number, holder_credit_code, standard, issued, and body_code or body_credit_code"},
    /* feedback and complaints (docs/marketplace.md) */
    {"engagement_required", 403, "只能就本企业已作出认证决定的委托进行评价或投诉", "Only an engagement of your enterprise that has a decision may be reviewed or complained about"},
    {"reviewer_tied_to_body", 403, "本企业与该认证机构存在咨询等利益关联，不能评价该机构", "Your enterprise has a consulting tie with this body and may not review it"},
    {"feedback_exists", 409, "该委托已有一条评价：每次委托只能评价一次，请修改原评价", "This engagement already has a review: one per engagement; edit that one instead"},
    {"feedback_not_found", 404, "评价不存在或不在你的范围内", "No such review within your reach"},
    {"feedback_locked", 409, "评价发布已超过 90 天，不能再修改", "The review is more than 90 days old and can no longer be edited"},
    {"reply_exists", 409, "机构已回复过这条评价：每条评价只能回复一次", "The body has already replied to this review: one reply per review"},
    {"feedback_already_hidden", 409, "这条评价已被隐藏", "This review is hidden already"},
    {"feedback_not_hidden", 409, "这条评价未被隐藏", "This review is not hidden"},
    {"complaint_not_found", 404, "投诉不存在或不在你的范围内", "No such complaint within your reach"},
    {"complaint_transition", 409, "投诉状态不能从 %s 变为 %s", "A complaint cannot go from %s to %s"},
    /* compliance records (issue 9, docs/compliance.md) */
    {"audit_not_found", 404, "审核不存在或不在你的范围内", "No such audit within your reach"},
    /* self-assessment and evidence grants (docs/compliance.md) */
    {"self_assessment_not_found", 404, "自评不存在或不在你的范围内", "No such self-assessment within your reach"},
    {"self_assessment_completed", 409, "该自评已完成，不能再修改", "This self-assessment is completed and can no longer change"},
    {"clause_not_found", 404, "条款目录中没有条款 %s", "The clause catalogue has no clause %s"},
    {"clause_not_assessable", 400, "条款 %s 是章节标题：请评价其下的条款", "Clause %s is a heading: assess the clauses under it"},
    {"assessment_item_not_found", 404, "条款 %s 尚未评价：请先给出评价结论再上传证据", "Clause %s is not assessed yet: give its status before uploading evidence"},
    {"evidence_grant_not_found", 404, "证据授权不存在或不在你的范围内", "No such evidence grant within your reach"},
    {"evidence_grant_exists", 409, "该认证委托已有一项有效的证据授权", "This engagement already has a standing evidence grant"},
    {"evidence_grant_revoked", 409, "该证据授权已撤销", "This evidence grant is revoked already"},
    /* audits and management reviews (docs/compliance.md "Audits") */
    {"audit_not_owner", 403, "只有实施该审核的一方(内部审核：企业；外部审核：认证机构)可以修改它", "Only the party that runs this audit (internal: the enterprise; external: the body) may change it"},
    {"audit_engagement_required", 403, "外部审核只能在本机构处于进行中或已决定状态的委托下创建", "An external audit needs an active or decided engagement of your body"},
    {"audit_unknown_clause", 400, "条款 %s 不在 %s 版条款目录中", "Clause %s is not in the current %s catalogue"},
    {"audit_clause_not_sampled", 404, "本次审核未抽取条款 %s", "Clause %s is not sampled by this audit"},
    {"audit_signed_off", 409, "审核已签署，不能再修改：请创建修订版", "The audit is signed off and can no longer change: make a revision"},
    {"audit_not_signed_off", 409, "只有已签署的审核才能修订", "Only a signed-off audit can be revised"},
    {"audit_revised", 409, "该审核已有修订版：请修订最新的版本", "This audit already has a revision: revise the newest one"},
    {"audit_finding_missing", 400, "条款 %s 尚无审核发现", "Clause %s has no finding yet"},
    {"audit_effectiveness_missing", 400, "签署前必须填写有效性检查(检查了什么、结果如何)", "The effectiveness check (what was examined, what it showed) must be filled before sign-off"},
    {"management_review_not_found", 404, "管理评审不存在或不在你的范围内", "No such management review within your reach"},
    /* nonconformities (docs/compliance.md "Nonconformities") */
    {"nonconformity_not_found", 404, "不符合项不存在或不在你的范围内", "No such nonconformity within your reach"},
    {"nonconformity_transition", 409, "不符合项状态不能从 %s 变为 %s", "A nonconformity cannot go from %s to %s"},
    {"nonconformity_closed", 409, "不符合项已验证有效，不能再修改", "The nonconformity is verified effective and can no longer be changed"},
    {"nonconformity_plan_incomplete", 400, "制定纠正措施前须先填写原因分析和纠正措施", "Write the root cause and the corrective action before planning it"},
    {"unknown_clause", 400, "条款 %s 不在所用条款目录中", "Clause %s is not in the catalogue used"},
    {"unknown_audit", 400, "审核不存在，或不是你可以引用的审核", "No such audit, or not one you may name"},
    /* indicators (issue 10, docs/effectiveness.md "Indicators") */
    {"indicator_value_out_of_range", 400, "%s 的值超出范围：应为 %s", "%s is out of range: it must be %s"},
    {"indicator_not_whole", 400, "%s 是计数：应为整数", "%s is a count: it must be a whole number"},
    {"indicator_year_out_of_range", 400, "年度应在 1990 到 %s 之间", "The year must be between 1990 and %s"},
    {"unknown_indicator", 400, "没有指标 %s", "No indicator %s"},
    {"indicator_not_found", 404, "指标不存在", "No such indicator"},
    {"indicator_code_taken", 409, "指标代码 %s 已存在", "Indicator code %s already exists"},
    {"indicator_name_taken", 409, "指标名称 %s 已存在", "Indicator name %s already exists"},
    {"indicator_in_use", 409, "该指标已有数值：代码、类型、类别和方向不能再改", "This indicator has values: its code, kind, category and direction can no longer change"},
    /* the effectiveness index as read (docs/effectiveness.md "Pages and report") */
    {"effectiveness_not_evaluated", 404, "尚未评价有效性：该企业还没有证书，或有效性指数尚未计算", "Not evaluated yet: the enterprise has no certificate yet, or its index has not been computed"},
    /* indicator imports (issue 10, docs/effectiveness.md "Imports") */
    {"unknown_enterprise", 400, "统一社会信用代码 %s 不是平台上的企业", "No enterprise has the unified social credit code %s"},
    {"out_of_scope", 403, "无权导入统一社会信用代码为 %s 的企业的数据", "You may not import values of the enterprise %s"},
    {"not_a_number", 400, "“%s”不是数值（指标 %s）", "\"%s\" is not a number (indicator %s)"},
    {"indicator_duplicate_row", 400, "同一企业、年度和指标在文件中再次出现且数值不同（见第 %s 行）：这些行都未导入", "The same enterprise, year and indicator appear again with another value (see row %s): none of these rows is imported"},
    {"indicator_extra_cells", 400, "这一行在表头的 %s 列之后还有内容：数值中的千位分隔逗号须加引号（如 \"1,234\"），这一行未导入", "This row has cells past the header's %s columns: a thousands separator in a value needs quotes (\"1,234\"); the row is not imported"},
    {"import_not_text", 400, "文件既不是 UTF-8 也不是 GBK 编码的文本，也不是 XLSX 工作簿", "The file is neither UTF-8 nor GBK text, nor an XLSX workbook"},
    {"import_not_readable", 400, "不是可读取的 XLSX 工作簿", "Not a readable XLSX workbook"},
    /* the exchange forum (issue 11, docs/learning.md "Exchange") */
    {"rate_limited", 429, "发帖过于频繁，请在 %s 秒后再试", "Posting too often; try again in %s seconds"},
    {"forum_category_not_found", 404, "论坛版块不存在", "No such forum category"},
    {"forum_category_exists", 409, "同名版块已存在", "A category of this name exists already"},
    {"forum_topic_not_found", 404, "话题不存在", "No such topic"},
    {"forum_reply_not_found", 404, "回复不存在，或不属于这个话题", "No such reply in this topic"},
    {"forum_topic_hidden", 409, "话题已被隐藏，不能再回复", "The topic is hidden: no more replies"},
    {"forum_not_author", 403, "只有作者（或版主）可以这样做", "Only its author (or a moderator) may do this"},
    {"forum_report_exists", 409, "你已举报过这条内容，举报正在处理中", "You have reported this already; the report is open"},
    {"forum_report_not_found", 404, "举报不存在", "No such report"},
    {"forum_report_closed", 409, "这条举报已处理", "This report is closed already"},
    {"forum_already_hidden", 409, "这条内容已被隐藏", "This is hidden already"},
    {"forum_not_hidden", 409, "这条内容未被隐藏", "This is not hidden"},
    {"indicator_import_header", 400, "表头须有 统一社会信用代码 和 年度，再加 指标 和 数值 两列（长表），或每个指标一列（宽表）", "The header needs credit_code and year, then indicator and value (long layout) or one column per indicator (wide layout)"},
    {"indicator_import_not_found", 404, "导入记录不存在", "No such indicator import"},
    /* learning content (issue 11, docs/learning.md "Content") */
    {"course_not_found", 404, "课程不存在", "No such course"},
    {"course_transition", 409, "课程状态不能从 %s 变为 %s", "A course cannot go from %s to %s"},
    {"course_without_lessons", 409, "课程还没有已发布的课时，不能发布", "A course needs a published lesson to be published"},
    {"lesson_not_found", 404, "课时不存在", "No such lesson"},
    {"lesson_transition", 409, "课时状态不能从 %s 变为 %s", "A lesson cannot go from %s to %s"},
    {"lesson_own_review", 409, "不能审核自己最后编辑的课时，请由另一位作者审核", "A lesson must be approved by another author than its last editor"},
    {"unknown_clause", 400, "条款 %s 不在 %s 版条款目录中", "Clause %s is not in the %s clause catalogue"},
    {"announcement_not_found", 404, "公告不存在", "No such announcement"},
    {"announcement_transition", 409, "公告状态不能从 %s 变为 %s", "An announcement cannot go from %s to %s"},
    /* quizzes, progress, certificates of completion (issue 11, docs/learning.md "Quizzes, certificates and
     * progress") */
    {"question_not_found", 404, "题目不存在", "No such question"},
    {"quiz_empty", 409, "该课程的题库还没有题目", "The course's question bank has no questions yet"},
    {"quiz_attempt_not_found", 404, "测验记录不存在", "No such quiz attempt"},
    {"quiz_attempt_submitted", 409, "该次测验已经提交过", "This quiz attempt has already been submitted"},
    {"quiz_attempts_exhausted", 409, "测验次数已用完：最多 %s 次", "No attempts left: at most %s"},
    {"completion_certificate_not_found", 404, "结业证书不存在", "No such certificate of completion"},
    /* issue 11, activities (docs/learning.md "Activities") */
    {"activity_not_found", 404, "活动不存在", "No such activity"},
    {"invalid_time", 400, "时间格式应为 2026-12-10T09:30:00Z（UTC）", "A time must look like 2026-12-10T09:30:00Z (UTC)"},
    {"invalid_activity_mode", 400, "活动形式应为 online（线上）或 onsite（线下）", "The mode must be online or onsite"},
    {"invalid_link", 400, "链接须以 https:// 或 http:// 开头", "The link must start with https:// or http://"},
    {"activity_ends_before_start", 400, "结束时间须晚于开始时间", "The end must be after the start"},
    {"activity_link_required", 400, "线上活动须填写参会链接", "An online activity needs a link"},
    {"activity_place_required", 400, "线下活动须填写地点", "An on-site activity needs a place"},
    {"activity_cancelled", 409, "活动已取消", "The activity is cancelled"},
    {"activity_not_draft", 409, "只有草稿状态的活动可以发布", "Only a draft activity can be published"},
    {"capacity_below_registered", 409, "名额不能少于已报名人数", "The capacity cannot be below the seats already taken"},
    {"activity_not_open", 409, "活动未开放报名（未发布、已取消或已结束）", "The activity is not open (not published, cancelled or ended)"},
    {"already_registered", 409, "你已报名（或在候补名单中）", "You are registered (or on the waiting list) already"},
    {"registration_not_found", 404, "你没有报名这个活动", "You are not registered for this activity"},
    {"invalid_checkin_code", 400, "签到码不正确", "The check-in code is wrong"},
    {"not_registered", 403, "你没有这个活动的正式名额，不能签到", "You have no seat at this activity, so you cannot check in"},
    {"already_checked_in", 409, "你已签到", "You have checked in already"},
    /* issue 12, registry and review: local policies (docs/policies.md "Registry and review") */
    {"policy_not_found", 404, "政策文件不存在", "No such policy"},
    {"policy_finding_not_found", 404, "该政策没有这个审查问题", "The policy has no such finding"},
    {"policy_finding_stale", 409, "该问题属于政策的较早版本，只能处理当前版本的问题", "The finding belongs to an earlier revision: only the current revision's findings can be decided"},
    {"policy_finding_decided", 409, "该问题已经处理过（已确认或已排除）", "The finding has been decided already (confirmed or dismissed)"},
    {"policy_status_conflict", 409, "当前审查结果不允许将状态设为 %s：符合（compliant）须无待处理和已确认的问题；需修改（to_amend）须至少确认一个问题；已修改（amended）须先为需修改，且之后的新版本无待处理和已确认的问题", "The findings do not allow the status %s: compliant needs no pending and no confirmed finding; to_amend needs a confirmed finding; amended needs status to_amend and a later revision with no pending or confirmed finding"},
    {"policy_text_too_long", 400, "政策正文过长：最多 1 MB（UTF-8）", "The policy text is too long: at most 1 MB of UTF-8"},
    /* the fair-policy checker (issue 12, docs/policies.md "Rules and the checker") */
    {"policy_rule_invalid", 400, "规则集无效：%s", "The rule set is invalid: %s"},
    {"policy_rules_national_only", 403, "只有国家级监管部门或管理员可以修改规则", "Only the national regulator or an admin may change the rules"},
    {"policy_ruleset_not_found", 404, "没有这个版本的规则集", "No such version of the rule set"},
    /* issue 12, extraction: a document's text (core/document_text.h) */
    {"document_unreadable", 422, "无法读取该文件：文件已损坏或已加密", "The file cannot be read: it is damaged or encrypted"},
    {"document_no_text", 422, "该 PDF 没有可提取的文字（可能是扫描件），请上传文字版或粘贴文本", "This PDF has no text to extract (it may be a scan): upload a text version or paste the text"},
    {"document_unsupported", 415, "不支持此类文件：请上传纯文本、HTML、DOCX 或 PDF 文件", "This kind of file is not supported: upload plain text, HTML, DOCX or PDF"},
    {"document_encoding", 422, "文本既不是 UTF-8 也不是 GBK 编码，请另存为 UTF-8 后重试", "The text is neither UTF-8 nor GBK: save it as UTF-8 and try again"},
    {"document_too_large", 413, "文件中的文字过多，超出了上限", "The document holds more text than the limit allows"},
    /* the server */
    {"internal_error", 500, "服务器内部错误", "Internal server error"},
    {"database_unavailable", 503, "数据库暂时不可用，请稍后重试", "The database is unavailable; try again shortly"},
    {"overloaded", 503, "服务器繁忙，请稍后重试", "The server is busy; try again shortly"},
    {"shutting_down", 503, "服务器正在停止，请稍后重试", "The server is stopping; try again shortly"},
};
const int messages_count = (int)(sizeof messages / sizeof messages[0]);

const message_t *message_find(const char *code)
{
    for (int i = 0; i < messages_count; i++)
        if (strcmp(messages[i].code, code) == 0)
            return &messages[i];
    return message_find("internal_error");
}

const char *message_text(const message_t *m, lang_t lang)
{
    return lang == LANG_EN ? m->en : m->zh;
}

char *message_fill(arena_t *a, const char *code, lang_t lang, const char *const *args, int nargs)
{
    const char *tmpl = message_text(message_find(code), lang);
    buf_t text;
    buf_init(&text, 1u << 16);
    int k = 0;
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            buf_puts(&text, k < nargs && args[k] ? args[k] : "");
            k++;
            p++;
        } else {
            buf_append(&text, p, 1);
        }
    }
    char *s = arena_strdup(a, text.data ? text.data : "");
    buf_free(&text);
    return s;
}

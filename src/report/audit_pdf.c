/* The audit report PDF (see audit_pdf.h), made with report/pdf.h. */
#include "report/audit_pdf.h"

#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/dates.h"
#include "report/effectiveness_pdf.h"
#include "report/pdf.h"

typedef struct word {
    const char *code, *zh;
} word_t;

/* The Chinese word for code in list (the code itself when it has none). */
static const char *word(const word_t *list, const char *code)
{
    for (; list->code != NULL; list++)
        if (strcmp(list->code, code) == 0)
            return list->zh;
    return code;
}

static const word_t kinds[] = {{"internal", "内部审核"}, {"stage1", "第一阶段审核"}, {"stage2", "第二阶段审核"},
                               {"surveillance", "监督审核"}, {"recertification", "再认证审核"}, {NULL, NULL}};
static const word_t findings[] = {{"", "未审核"}, {"conforming", "符合"}, {"minor", "一般不符合"},
                                  {"major", "严重不符合"}, {"not_applicable", "不适用"}, {"observation", "观察项"},
                                  {NULL, NULL}};
static const word_t grades[] = {{"major", "严重"}, {"minor", "一般"}, {NULL, NULL}};
static const word_t nc_statuses[] = {{"open", "待处理"}, {"action_planned", "已制定措施"}, {"implemented", "已实施"},
                                     {"effective", "有效（已关闭）"}, {"not_effective", "无效"},
                                     {"reopened", "重新打开"}, {NULL, NULL}};

static const char *or_dash(const char *s)
{
    return s != NULL && *s != '\0' ? s : "—";
}

/* "1.2 title" — a clause as a reader names it. */
static const char *clause(arena_t *a, const char *number, const char *title)
{
    return *title != '\0' ? arena_printf(a, "%s %s", number, title) : number;
}

/* The auditors, one per line in the record, joined with "、". */
static const char *names(arena_t *a, const char *lines)
{
    buf_t b;
    buf_init(&b, 4096);
    char *copy = arena_strdup(a, lines);
    char *save = NULL;
    for (char *n = strtok_r(copy, "\r\n", &save); n != NULL; n = strtok_r(NULL, "\r\n", &save)) {
        if (*n == '\0')
            continue;
        if (b.len > 0)
            buf_puts(&b, "、");
        buf_puts(&b, n);
    }
    const char *s = arena_strdup(a, b.data != NULL ? b.data : "");
    buf_free(&b);
    return s;
}

/* A section heading, never alone at the foot of a page. */
static void heading(pdf_doc_t *d, const char *text)
{
    pdf_space(d, 3);
    pdf_keep(d, 30);
    pdf_text(d, text, &(pdf_style_t){.size = 13, .bold = true, .space_after = 2});
}

static void findings_table(pdf_doc_t *d, arena_t *a, const audit_report_t *r)
{
    if (r->nfindings == 0) {
        pdf_text(d, "本次审核未抽取条款。", NULL);
        return;
    }
    static const double widths[] = {0.34, 0.14, 0.52};
    static const char *const header[] = {"条款", "审核发现", "说明与证据"};
    const char **cells = arena_alloc(a, sizeof *cells * 3 * (size_t)r->nfindings);
    for (int i = 0; i < r->nfindings; i++) {
        const audit_report_finding_t *f = &r->findings[i];
        cells[i * 3] = clause(a, f->clause_number, f->clause_title);
        cells[i * 3 + 1] = word(findings, f->finding);
        if (*f->notes != '\0' && *f->evidence != '\0')
            cells[i * 3 + 2] = arena_printf(a, "%s\n证据：%s", f->notes, f->evidence);
        else if (*f->evidence != '\0')
            cells[i * 3 + 2] = arena_printf(a, "证据：%s", f->evidence);
        else
            cells[i * 3 + 2] = f->notes;
    }
    pdf_table(d, &(pdf_table_t){.ncols = 3, .widths = widths, .header = header, .rows = cells,
                                .nrows = r->nfindings, .borders = true, .size = 9});
    /* the tally under the table */
    int counts[6] = {0};
    for (int i = 0; i < r->nfindings; i++)
        for (int k = 0; k < 6; k++)
            if (strcmp(r->findings[i].finding, findings[k].code) == 0)
                counts[k]++;
    pdf_space(d, 1.5);
    pdf_text(d,
             arena_printf(a, "共抽取 %d 个条款：符合 %d，一般不符合 %d，严重不符合 %d，观察项 %d，不适用 %d，未审核 %d。",
                          r->nfindings, counts[1], counts[2], counts[3], counts[5], counts[4], counts[0]),
             &(pdf_style_t){.size = 9, .rgb = 0x444444});
}

static void nc_table(pdf_doc_t *d, arena_t *a, const audit_report_t *r)
{
    if (r->nncs == 0) {
        pdf_text(d, "本次审核未开具、也未验证不符合项。", NULL);
        return;
    }
    static const double widths[] = {0.08, 0.15, 0.07, 0.3, 0.27, 0.13};
    static const char *const header[] = {"编号", "条款", "等级", "不符合事实描述", "纠正措施", "状态"};
    const char **cells = arena_alloc(a, sizeof *cells * 6 * (size_t)r->nncs);
    for (int i = 0; i < r->nncs; i++) {
        const audit_report_nc_t *n = &r->ncs[i];
        const char **row = cells + i * 6;
        row[0] = arena_printf(a, "NC-%lld", (long long)n->id);
        row[1] = clause(a, n->clause_number, n->clause_title);
        row[2] = word(grades, n->grade);
        row[3] = n->description;
        row[4] = or_dash(n->corrective_action);
        /* closed here: verified effective by this audit (effective is final) */
        row[5] = n->closed_here ? "本次审核验证有效" : word(nc_statuses, n->status);
    }
    pdf_table(d, &(pdf_table_t){.ncols = 6, .widths = widths, .header = header, .rows = cells, .nrows = r->nncs,
                                .borders = true, .size = 9});
}

bool audit_pdf(const audit_report_t *r, const char *verify_url, buf_t *out)
{
    arena_t a = {0};
    const char *kind = word(kinds, r->kind);
    bool internal = r->body_id == 0;
    bool signed_off = strcmp(r->status, "signed_off") == 0;
    const char *who = internal ? r->enterprise_name : r->body_name;

    pdf_doc_t *d = pdf_new(&(pdf_options_t){
        .title = arena_printf(&a, "审核报告 %s %s", kind, r->enterprise_name),
        .header = arena_printf(&a, "%s · 审核报告 · 第 %lld 版", who, (long long)r->revision),
        .footer = internal ? arena_printf(&a, "%s  内部审核", r->enterprise_name)
                           : arena_printf(&a, "%s  批准号 %s", r->body_name, or_dash(r->body_approval_number)),
        .lang = LANG_ZH,
        .watermark = signed_off ? NULL : "未签发 草稿",
    });
    pdf_text(d, "审核报告", &PDF_TITLE);
    pdf_text(d, arena_printf(&a, "%s Audit Report", kind),
             &(pdf_style_t){.size = 12, .serif = true, .align = PDF_CENTER, .rgb = 0x444444, .space_after = 2});
    if (*r->title != '\0')
        pdf_text(d, r->title, &(pdf_style_t){.size = 11, .align = PDF_CENTER, .space_after = 2});
    pdf_text(d, arena_printf(&a, "报告编号 AR-%lld　第 %lld 版", (long long)r->id, (long long)r->revision),
             &(pdf_style_t){.size = 10, .align = PDF_CENTER, .space_after = 2});
    if (r->previous_id > 0)
        pdf_text(d,
                 arena_printf(&a, "本报告为第 %lld 版，更正并取代此前的第 %lld 版（报告编号 AR-%lld）；原版本仍可查阅。",
                              (long long)r->revision, (long long)r->previous_revision, (long long)r->previous_id),
                 &(pdf_style_t){.size = 10, .bold = true, .align = PDF_CENTER, .rgb = 0xc62828, .space_after = 2});
    if (!signed_off)
        pdf_text(d, "本报告尚未签发，仅供审核过程中参阅，不作为审核结论。",
                 &(pdf_style_t){.size = 10, .bold = true, .align = PDF_CENTER, .rgb = 0xc62828, .space_after = 2});
    pdf_space(d, 3);

    const char *labels[] = {"受审核组织", "统一社会信用代码", "地址", "审核机构", "批准号", "审核类型",
                            "审核范围", "审核日期", "审核组成员", "审核组长", "审核依据"};
    const char *values[] = {
        r->enterprise_name,
        r->enterprise_credit_code,
        or_dash(r->enterprise_address),
        internal ? "内部审核（组织自行实施）" : r->body_name,
        internal ? "—" : or_dash(r->body_approval_number),
        kind,
        or_dash(r->scope),
        strcmp(r->start_date, r->end_date) == 0 ? r->start_date : arena_printf(&a, "%s 至 %s", r->start_date, r->end_date),
        or_dash(names(&a, r->auditors)),
        or_dash(r->lead_auditor),
        arena_printf(&a, "GB/T 29490-%s 条款目录 第 %lld 版", r->edition, (long long)r->catalogue_version),
    };
    pdf_fields(d, labels, values, 11, 0.24, 10);
    /* the certificate the audit belongs to, and its public verification page, on the first page */
    if (verify_url != NULL && *r->certificate_number != '\0') {
        pdf_space(d, 2);
        pdf_qr(d, verify_url, 24, PDF_LEFT);
        pdf_text(d, arena_printf(&a, "相关证书 %s，扫码或访问以下地址核验：\n%s", r->certificate_number, verify_url),
                 &(pdf_style_t){.size = 8, .rgb = 0x444444});
    }

    heading(d, "一、审核发现（按条款）");
    findings_table(d, &a, r);

    heading(d, "二、不符合项");
    nc_table(d, &a, r);

    heading(d, "三、有效性检查");
    const char *eff_labels[] = {"检查内容", "检查结果"};
    const char *eff_values[] = {or_dash(r->effectiveness_examined), or_dash(r->effectiveness_findings)};
    pdf_fields(d, eff_labels, eff_values, 2, 0.16, 10);
    if (r->has_effectiveness) {
        /* the enterprise's effectiveness index (issue 10) as of printing */
        char computed[DATE_LEN + 1] = "";
        date_from_unix(r->effectiveness_computed_at, computed);
        const char *index = isnan(r->effectiveness_index) ? "—" : arena_printf(&a, "%.1f", r->effectiveness_index);
        pdf_space(d, 1.5);
        pdf_text(d,
                 arena_printf(&a, "有效性指数 %s，%s，等级 %s（方法 %s，计算于 %s；打印时的结果）", index,
                              effectiveness_verdict_zh(r->effectiveness_verdict), or_dash(r->effectiveness_grade),
                              r->effectiveness_method, computed),
                 &(pdf_style_t){.size = 10, .space_after = 1});
    }

    heading(d, "四、审核结论");
    pdf_text(d, or_dash(r->conclusion), NULL);

    heading(d, "五、签发");
    char signed_date[DATE_LEN + 1] = "";
    if (r->signed_off_at > 0)
        date_from_unix(r->signed_off_at, signed_date);
    const char *sign_labels[] = {"审核组长", "签发人", "签发日期"};
    const char *sign_values[] = {or_dash(r->lead_auditor), signed_off ? or_dash(r->signed_off_by) : "未签发",
                                 signed_off ? or_dash(signed_date) : "未签发"};
    pdf_fields(d, sign_labels, sign_values, 3, 0.16, 10);

    bool ok = pdf_finish(d, out);
    pdf_free(d);
    arena_free(&a);
    return ok;
}

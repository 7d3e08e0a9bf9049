/* The policy review report (see policy_report.h; docs/reports.md "Policy review report"): the
 * PDF through report/pdf.h — metadata and status, the findings table, then the current text with
 * each finding's span highlighted, underlined and numbered 〔1〕〔2〕… as in the table — and the
 * XLSX through report/export.h — a sheet of findings and a sheet of metadata. Both read only the
 * detail document (GET /api/policies/{id}); its offsets are in Unicode characters. */
#include "report/policy_report.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "report/export.h"
#include "report/pdf.h"

typedef struct words {
    const char *code, *zh, *en;
} words_t;

static const words_t statuses[] = {{"unreviewed", "未审查", "Not reviewed"},
                                   {"compliant", "符合公平竞争要求", "Compliant"},
                                   {"to_amend", "待修改", "To be amended"},
                                   {"amended", "已修改", "Amended"},
                                   {NULL, NULL, NULL}};
static const words_t severities[] = {{"high", "高", "High"}, {"medium", "中", "Medium"}, {"low", "低", "Low"},
                                     {NULL, NULL, NULL}};
static const words_t decisions[] = {{"pending", "待定", "Pending"},
                                    {"confirmed", "确认违规", "Confirmed"},
                                    {"dismissed", "不成立", "Dismissed"},
                                    {NULL, NULL, NULL}};
static const words_t formats[] = {{"text", "纯文本", "plain text"}, {"html", "HTML", "HTML"},
                                  {"docx", "DOCX", "DOCX"},         {"pdf", "PDF", "PDF"},
                                  {NULL, NULL, NULL}};

/* The headings and labels, Chinese then English. */
enum {
    T_TITLE, T_SUBTITLE, T_HEADER, T_META, T_FINDINGS, T_TEXT, T_REVISIONS, F_TITLE, F_OFFICE, F_REGION, F_NUMBER,
    F_ISSUED, F_EFFECTIVE, F_STATUS, F_NOTE, F_STATUS_BY, F_REVISION, F_RULESET, F_COUNTS, C_NO, C_RULE, C_SEVERITY,
    C_EXCERPT, C_EXPLANATION, C_DECISION, C_REASON, C_DECIDED_BY, C_DECIDED_AT, C_START, C_END, R_REVISION,
    R_CREATED, R_PENDING, R_CONFIRMED, R_DISMISSED, N_NONE, N_TEXT, N_ITEM, N_VALUE, S_FINDINGS, S_META, F_ID,
    F_UPDATED, F_TEXT_CHARS, T_COUNT
};
static const char *const texts[T_COUNT][2] = {
    [T_TITLE] = {"地方政策公平竞争审查报告", "Fair-Competition Review of a Local Policy"},
    [T_SUBTITLE] = {"Fair-Competition Review of a Local Policy", "地方政策公平竞争审查报告"},
    [T_HEADER] = {"冠标 · 地方政策公平竞争审查报告", "Guanbiao · Fair-competition review of a local policy"},
    [T_META] = {"一、政策文件与审查状态", "1. The policy and its review status"},
    [T_FINDINGS] = {"二、审查发现", "2. Findings"},
    [T_TEXT] = {"三、政策文本（发现处已标注）", "3. The text, findings marked"},
    [T_REVISIONS] = {"四、修订记录", "4. Revisions"},
    [F_TITLE] = {"标题", "Title"},
    [F_OFFICE] = {"发文机关", "Issuing office"},
    [F_REGION] = {"地区", "Region"},
    [F_NUMBER] = {"文号", "Document number"},
    [F_ISSUED] = {"发布日期", "Issued on"},
    [F_EFFECTIVE] = {"有效期", "Effective"},
    [F_STATUS] = {"审查状态", "Status"},
    [F_NOTE] = {"状态说明", "Status note"},
    [F_STATUS_BY] = {"状态设定", "Status set by"},
    [F_REVISION] = {"当前版本", "Current revision"},
    [F_RULESET] = {"审查规则版本", "Rule set version"},
    [F_COUNTS] = {"发现统计", "Findings"},
    [C_NO] = {"编号", "No."},
    [C_RULE] = {"规则", "Rule"},
    [C_SEVERITY] = {"严重程度", "Severity"},
    [C_EXCERPT] = {"摘录", "Excerpt"},
    [C_EXPLANATION] = {"说明", "Explanation"},
    [C_DECISION] = {"处理", "Decision"},
    [C_REASON] = {"理由", "Reason"},
    [C_DECIDED_BY] = {"处理人", "Decided by"},
    [C_DECIDED_AT] = {"处理时间", "Decided at"},
    [C_START] = {"起始字符", "Start"},
    [C_END] = {"结束字符", "End"},
    [R_REVISION] = {"版本", "Revision"},
    [R_CREATED] = {"时间", "Created"},
    [R_PENDING] = {"待定", "Pending"},
    [R_CONFIRMED] = {"确认", "Confirmed"},
    [R_DISMISSED] = {"不成立", "Dismissed"},
    [N_NONE] = {"本版本未发现违反公平竞争要求的表述。", "No finding in this revision."},
    [N_TEXT] = {"（正文为空）", "(no text)"},
    [N_ITEM] = {"项目", "Item"},
    [N_VALUE] = {"内容", "Value"},
    [S_FINDINGS] = {"审查发现", "Findings"},
    [S_META] = {"政策信息", "Policy"},
    [F_ID] = {"编号", "Policy id"},
    [F_UPDATED] = {"更新时间", "Updated at"},
    [F_TEXT_CHARS] = {"正文字数", "Text length (characters)"},
};

typedef struct report {
    arena_t *a;
    int en;                       /* 0: Chinese, 1: English */
    const json_t *policy;
} report_t;

static const char *T(const report_t *r, int key)
{
    return texts[key][r->en];
}

static const char *word(const report_t *r, const words_t *list, const char *code)
{
    for (; list->code != NULL; list++)
        if (code != NULL && strcmp(list->code, code) == 0)
            return r->en ? list->en : list->zh;
    return code != NULL ? code : "—";
}

/* A member as text: strings as they are, integers in decimal, null or missing "—". */
static const char *member(const report_t *r, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_string(v))
        return *json_string_value(v) != '\0' ? json_string_value(v) : "—";
    if (json_is_integer(v))
        return arena_printf(r->a, "%lld", (long long)json_integer_value(v));
    return "—";
}

/* "2026-03-01T08:30:00Z" as "2026-03-01 08:30 UTC"; other text as it is. */
static const char *when(const report_t *r, const char *s)
{
    if (strlen(s) >= 16 && s[10] == 'T')
        return arena_printf(r->a, "%.10s %.5s UTC", s, s + 11);
    return s;
}

static json_int_t count(const json_t *counts, const char *key)
{
    return json_integer_value(json_object_get(counts, key));
}

/* The byte offset of every character of text[0..len), and len at index [number of characters]:
 * a finding's character offsets become byte offsets in constant time. In the arena; *nchars
 * set. */
static size_t *char_offsets(arena_t *a, const char *text, size_t len, size_t *nchars)
{
    size_t n = utf8_length(text, len);
    size_t *at = arena_alloc(a, sizeof *at * (n + 1));
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80 && k < n)
            at[k++] = i;
    at[n] = len;
    *nchars = n;
    return at;
}

typedef struct span {
    size_t start, end;            /* bytes of the original text */
    int number;                   /* 1-based, as in the findings table */
} span_t;

static int by_start(const void *x, const void *y)
{
    const span_t *a = x, *b = y;
    return a->start < b->start ? -1 : a->start > b->start ? 1 : a->number - b->number;
}

/* The text with each finding's number 〔n〕 put before its span, split into paragraphs at line
 * feeds, each paragraph a pdf_marked_text with its spans highlighted. */
static void marked_text(pdf_doc_t *d, const report_t *r, const char *text, const json_t *findings)
{
    size_t len = strlen(text);
    if (len == 0) {
        pdf_text(d, T(r, N_TEXT), NULL);
        return;
    }
    size_t n = json_array_size(findings);
    span_t *spans = arena_alloc(r->a, sizeof *spans * (n + 1));
    size_t nchars;
    const size_t *at = char_offsets(r->a, text, len, &nchars);
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(findings, i);
        json_int_t s = json_integer_value(json_object_get(f, "start"));
        json_int_t e = json_integer_value(json_object_get(f, "end"));
        s = s < 0 ? 0 : s > (json_int_t)nchars ? (json_int_t)nchars : s;
        e = e < s ? s : e > (json_int_t)nchars ? (json_int_t)nchars : e;
        spans[i] = (span_t){at[s], at[e], (int)i + 1};
    }
    qsort(spans, n, sizeof *spans, by_start);
    /* the new text, and where each span and label went in it */
    buf_t b;
    buf_init(&b, (len + 64 * n) * 2 + 64);
    size_t *label_at = arena_alloc(r->a, sizeof *label_at * (n + 1)), *label_end = arena_alloc(r->a, sizeof *label_end * (n + 1));
    size_t *new_start = arena_alloc(r->a, sizeof *new_start * (n + 1)), *new_end = arena_alloc(r->a, sizeof *new_end * (n + 1));
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        buf_append(&b, text + pos, spans[i].start - pos);
        pos = spans[i].start;
        label_at[i] = b.len;
        buf_printf(&b, "〔%d〕", spans[i].number);
        label_end[i] = b.len;
        new_start[i] = b.len;
    }
    buf_append(&b, text + pos, len - pos);
    /* an end maps to its byte plus the labels inserted before it */
    for (size_t i = 0; i < n; i++) {
        /* the labels before the end: those of the spans starting before it (spans are sorted by
         * start, so the first k of them), found by binary search */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (spans[mid].start < spans[i].end)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t shift = lo > 0 ? label_end[lo - 1] - spans[lo - 1].start : 0;   /* every label up to it */
        new_end[i] = spans[i].end + shift;
        if (new_end[i] < new_start[i])
            new_end[i] = new_start[i];
    }
    const char *all = b.data != NULL ? b.data : "";
    /* paragraph by paragraph, with the marks that fall in it */
    pdf_mark_t *marks = arena_alloc(r->a, sizeof *marks * (2 * n + 1));
    size_t p = 0;
    while (p <= b.len) {
        const char *nl = memchr(all + p, '\n', b.len - p);
        size_t q = nl != NULL ? (size_t)(nl - all) : b.len;
        int nm = 0;
        for (size_t i = 0; i < n; i++) {
            if (label_at[i] >= p && label_end[i] <= q)
                marks[nm++] = (pdf_mark_t){label_at[i] - p, label_end[i] - p, 0xC62828, true};
            size_t s = new_start[i] > p ? new_start[i] : p, e = new_end[i] < q ? new_end[i] : q;
            if (s < e)
                marks[nm++] = (pdf_mark_t){s - p, e - p, 0xFFE082, false};
        }
        if (q > p) {
            char *para = arena_strndup(r->a, all + p, q - p);
            pdf_marked_text(d, para, marks, nm, &(pdf_style_t){.size = 10.5, .space_after = 1.5});
        }
        if (nl == NULL)
            break;
        p = q + 1;
    }
    buf_free(&b);
}

static void heading(pdf_doc_t *d, const char *text)
{
    pdf_space(d, 3);
    pdf_keep(d, 30);
    pdf_text(d, text, &(pdf_style_t){.size = 13, .bold = true, .space_after = 2});
}

static const char *counts_text(const report_t *r, const json_t *counts)
{
    if (r->en)
        return arena_printf(r->a, "%lld pending, %lld confirmed, %lld dismissed", (long long)count(counts, "pending"),
                            (long long)count(counts, "confirmed"), (long long)count(counts, "dismissed"));
    return arena_printf(r->a, "待定 %lld 项，确认违规 %lld 项，不成立 %lld 项", (long long)count(counts, "pending"),
                        (long long)count(counts, "confirmed"), (long long)count(counts, "dismissed"));
}

/* The counts of the current findings by decision (the detail's finding_counts, or counted). */
static json_t *finding_counts(const json_t *policy)
{
    const json_t *given = json_object_get(policy, "finding_counts");
    if (json_is_object(given))
        return json_incref((json_t *)given);
    json_int_t c[3] = {0, 0, 0};
    const json_t *f;
    size_t i;
    json_array_foreach(json_object_get(policy, "findings"), i, f) {
        const char *dec = json_string_value(json_object_get(f, "decision"));
        c[dec == NULL ? 0 : strcmp(dec, "confirmed") == 0 ? 1 : strcmp(dec, "dismissed") == 0 ? 2 : 0]++;
    }
    return json_pack("{s:I, s:I, s:I}", "pending", c[0], "confirmed", c[1], "dismissed", c[2]);
}

/* The label/value pairs of the policy (both formats), n of them. */
static int metadata(const report_t *r, const char **labels, const char **values)
{
    const json_t *p = r->policy, *rev = json_object_get(p, "revision");
    const char *from = member(r, p, "effective_from"), *until = member(r, p, "effective_until");
    json_t *counts = finding_counts(p);
    int n = 0;
    labels[n] = T(r, F_ID), values[n++] = member(r, p, "id");
    labels[n] = T(r, F_TITLE), values[n++] = member(r, p, "title");
    labels[n] = T(r, F_OFFICE), values[n++] = member(r, p, "office");
    labels[n] = T(r, F_REGION),
    values[n++] = arena_printf(r->a, "%s（%s）", member(r, p, "region_name"), member(r, p, "region"));
    labels[n] = T(r, F_NUMBER), values[n++] = member(r, p, "document_number");
    labels[n] = T(r, F_ISSUED), values[n++] = member(r, p, "issued_on");
    labels[n] = T(r, F_EFFECTIVE),
    values[n++] = strcmp(from, "—") == 0 && strcmp(until, "—") == 0
                      ? "—"
                      : arena_printf(r->a, "%s %s %s", from, r->en ? "to" : "至", until);
    labels[n] = T(r, F_STATUS), values[n++] = word(r, statuses, json_string_value(json_object_get(p, "status")));
    labels[n] = T(r, F_NOTE), values[n++] = member(r, p, "status_note");
    const char *at = member(r, p, "status_at");
    labels[n] = T(r, F_STATUS_BY),
    values[n++] = strcmp(at, "—") == 0 ? "—" : arena_printf(r->a, "%s，%s", member(r, p, "status_by"), when(r, at));
    labels[n] = T(r, F_REVISION),
    values[n++] = arena_printf(r->a, r->en ? "revision %s (%s, %s)" : "第 %s 版（%s，%s）", member(r, rev, "revision"),
                               word(r, formats, json_string_value(json_object_get(rev, "source_format"))),
                               when(r, member(r, rev, "created_at")));
    labels[n] = T(r, F_RULESET), values[n++] = member(r, rev, "ruleset_version");
    labels[n] = T(r, F_COUNTS), values[n++] = counts_text(r, counts);
    labels[n] = T(r, F_UPDATED), values[n++] = when(r, member(r, p, "updated_at"));
    json_decref(counts);
    return n;
}

enum { META_MAX = 16 };

static bool usable(const json_t *policy)
{
    return json_is_object(policy) && json_is_string(json_object_get(policy, "title")) &&
           json_is_array(json_object_get(policy, "findings")) &&
           json_is_string(json_object_get(json_object_get(policy, "revision"), "text"));
}

bool policy_report_pdf(const json_t *policy, const char *lang, buf_t *out)
{
    if (!usable(policy))
        return false;
    arena_t a = {0};
    report_t r = {.a = &a, .en = lang != NULL && strcmp(lang, "en") == 0, .policy = policy};
    const char *title = json_string_value(json_object_get(policy, "title"));
    const json_t *findings = json_object_get(policy, "findings");
    pdf_doc_t *d = pdf_new(&(pdf_options_t){
        .title = arena_printf(&a, "%s %s", T(&r, T_TITLE), title),
        .header = arena_printf(&a, "%s · %s", T(&r, T_HEADER), title),
        .footer = arena_printf(&a, "%s · %s", member(&r, policy, "office"), member(&r, policy, "document_number")),
        .lang = r.en ? LANG_EN : LANG_ZH,
    });
    pdf_text(d, T(&r, T_TITLE), &PDF_TITLE);
    pdf_text(d, T(&r, T_SUBTITLE), &(pdf_style_t){.size = 12, .serif = true, .align = PDF_CENTER, .rgb = 0x444444,
                                                  .space_after = 2});
    pdf_text(d, title, &(pdf_style_t){.size = 13, .bold = true, .align = PDF_CENTER, .space_after = 4});

    heading(d, T(&r, T_META));
    const char *labels[META_MAX], *values[META_MAX];
    int n = metadata(&r, labels, values);
    pdf_fields(d, labels + 1, values + 1, n - 1, 0.2, 10);

    heading(d, T(&r, T_FINDINGS));
    size_t nf = json_array_size(findings);
    if (nf == 0) {
        pdf_text(d, T(&r, N_NONE), NULL);
    } else {
        static const double widths[] = {0.07, 0.06, 0.1, 0.22, 0.27, 0.1, 0.18};
        const char *header[] = {T(&r, C_NO), T(&r, C_RULE), T(&r, C_SEVERITY), T(&r, C_EXCERPT),
                                T(&r, C_EXPLANATION), T(&r, C_DECISION), T(&r, C_REASON)};
        const char **cells = arena_alloc(&a, sizeof *cells * 7 * nf);
        for (size_t i = 0; i < nf; i++) {
            const json_t *f = json_array_get(findings, i);
            const char **row = cells + i * 7;
            row[0] = arena_printf(&a, "〔%zu〕", i + 1);
            row[1] = member(&r, f, "rule");
            row[2] = word(&r, severities, json_string_value(json_object_get(f, "severity")));
            row[3] = member(&r, f, "excerpt");
            row[4] = member(&r, f, "explanation");
            const char *dec = json_string_value(json_object_get(f, "decision"));
            const char *by = member(&r, f, "decided_by");
            row[5] = dec != NULL && strcmp(dec, "pending") != 0 && strcmp(by, "—") != 0
                         ? arena_printf(&a, "%s\n%s", word(&r, decisions, dec), by)
                         : word(&r, decisions, dec);
            row[6] = member(&r, f, "reason");
        }
        pdf_table(d, &(pdf_table_t){.ncols = 7, .widths = widths, .header = header, .rows = cells, .nrows = (int)nf,
                                    .borders = true, .size = 8.5});
    }

    heading(d, T(&r, T_TEXT));
    marked_text(d, &r, json_string_value(json_object_get(json_object_get(policy, "revision"), "text")), findings);

    const json_t *revisions = json_object_get(policy, "revisions");
    if (json_array_size(revisions) > 0) {
        heading(d, T(&r, T_REVISIONS));
        static const double widths[] = {0.12, 0.34, 0.18, 0.18, 0.18};
        const char *header[] = {T(&r, R_REVISION), T(&r, R_CREATED), T(&r, R_PENDING), T(&r, R_CONFIRMED),
                                T(&r, R_DISMISSED)};
        size_t nr = json_array_size(revisions);
        const char **cells = arena_alloc(&a, sizeof *cells * 5 * nr);
        for (size_t i = 0; i < nr; i++) {
            const json_t *v = json_array_get(revisions, i), *c = json_object_get(v, "findings");
            const char **row = cells + i * 5;
            row[0] = member(&r, v, "revision");
            row[1] = when(&r, member(&r, v, "created_at"));
            row[2] = arena_printf(&a, "%lld", (long long)count(c, "pending"));
            row[3] = arena_printf(&a, "%lld", (long long)count(c, "confirmed"));
            row[4] = arena_printf(&a, "%lld", (long long)count(c, "dismissed"));
        }
        pdf_table(d, &(pdf_table_t){.ncols = 5, .widths = widths, .header = header, .rows = cells, .nrows = (int)nr,
                                    .borders = true, .size = 9});
    }
    bool ok = pdf_finish(d, out);
    pdf_free(d);
    arena_free(&a);
    return ok;
}

bool policy_report_xlsx(const json_t *policy, const char *lang, buf_t *out)
{
    if (!usable(policy))
        return false;
    arena_t a = {0};
    report_t r = {.a = &a, .en = lang != NULL && strcmp(lang, "en") == 0, .policy = policy};
    static const double widths[] = {6, 6, 8, 9, 9, 40, 50, 10, 40, 12, 18};
    const char *header[] = {T(&r, C_NO), T(&r, C_RULE), T(&r, C_SEVERITY), T(&r, C_START), T(&r, C_END),
                            T(&r, C_EXCERPT), T(&r, C_EXPLANATION), T(&r, C_DECISION), T(&r, C_REASON),
                            T(&r, C_DECIDED_BY), T(&r, C_DECIDED_AT)};
    static const bool numeric[] = {true, false, false, true, true, false, false, false, false, false, false};
    export_t *x = export_begin(EXPORT_XLSX, T(&r, S_FINDINGS), header, widths, 11);
    if (x == NULL) {
        arena_free(&a);
        return false;
    }
    const json_t *f;
    size_t i;
    json_array_foreach(json_object_get(policy, "findings"), i, f) {
        const char *decided_at = member(&r, f, "decided_at");
        const char *row[] = {arena_printf(&a, "%zu", i + 1), member(&r, f, "rule"),
                             word(&r, severities, json_string_value(json_object_get(f, "severity"))),
                             member(&r, f, "start"), member(&r, f, "end"), member(&r, f, "excerpt"),
                             member(&r, f, "explanation"),
                             word(&r, decisions, json_string_value(json_object_get(f, "decision"))),
                             member(&r, f, "reason"), member(&r, f, "decided_by"),
                             strcmp(decided_at, "—") == 0 ? "" : when(&r, decided_at)};
        for (int k = 0; k < 11; k++)
            if (strcmp(row[k], "—") == 0)
                row[k] = "";
        export_row(x, row, numeric);
    }
    static const double meta_widths[] = {18, 80};
    const char *meta_header[] = {T(&r, N_ITEM), T(&r, N_VALUE)};
    export_next_sheet(x, T(&r, S_META), meta_header, meta_widths, 2);
    const char *labels[META_MAX + 1], *values[META_MAX + 1];
    int n = metadata(&r, labels, values);
    const char *text = json_string_value(json_object_get(json_object_get(policy, "revision"), "text"));
    labels[n] = T(&r, F_TEXT_CHARS);
    values[n++] = arena_printf(&a, "%zu", utf8_length(text, strlen(text)));
    for (int k = 0; k < n; k++)
        export_row(x, (const char *[]){labels[k], values[k]}, NULL);
    bool ok = export_finish(x, out);
    arena_free(&a);
    return ok;
}

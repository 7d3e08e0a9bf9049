/* The effectiveness report PDF (see effectiveness_pdf.h), made with report/pdf.h and report/chart.h. */
#include "report/effectiveness_pdf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/dates.h"
#include "report/chart.h"
#include "report/pdf.h"

static const term_t verdicts[] = {
    {"significant_improvement", "显著提升", "Significant improvement"},
    {"improvement", "有所提升", "Improvement"},
    {"no_change", "无明显变化", "No clear change"},
    {"decline", "下降", "Decline"},
    {NULL, NULL, NULL},
};

const term_t *effectiveness_verdicts(void)
{
    return verdicts;
}

const char *effectiveness_verdict_zh(const char *verdict)
{
    const term_t *t = term_find(verdicts, verdict);
    return t != NULL ? t->zh : "—";
}

static const char *category_zh(const char *category)
{
    return strcmp(category, "quality") == 0 ? "质量" : strcmp(category, "benefit") == 0 ? "效益" : "管理";
}

static const char *peer_level_zh(const char *level)
{
    return strcmp(level, "industry") == 0 ? "同行业同规模"
         : strcmp(level, "size") == 0     ? "同规模（全部行业）"
         : strcmp(level, "none") == 0     ? "同行不足 5 家，未调整（等级降一档）"
                                          : "—";
}

/* v with decimals, "—" when NaN. */
static const char *num(arena_t *a, double v, int decimals)
{
    return isnan(v) ? "—" : arena_printf(a, "%.*f", decimals, v);
}

static void heading(pdf_doc_t *d, const char *text)
{
    pdf_space(d, 3);
    pdf_keep(d, 30);
    pdf_text(d, text, &(pdf_style_t){.size = 13, .bold = true, .space_after = 2});
}

/* "a change of +0.4055 (ln) moved 1.2 scaled" — the drivers in words. */
static const char *drivers(arena_t *a, const effectiveness_report_t *r)
{
    int best = -1, worst = -1;
    for (int i = 0; i < r->n; i++) {
        double s = r->indicators[i].scaled;
        if (isnan(s))
            continue;
        if (s > 0 && (best < 0 || s > r->indicators[best].scaled))
            best = i;
        if (s < 0 && (worst < 0 || s < r->indicators[worst].scaled))
            worst = i;
    }
    const char *up = best >= 0 ? arena_printf(a, "拉动最大的是「%s」（标准化值 %+.2f）", r->indicators[best].name,
                                              r->indicators[best].scaled)
                               : "没有指标高于同行";
    const char *down = worst >= 0 ? arena_printf(a, "拖累最大的是「%s」（标准化值 %+.2f）", r->indicators[worst].name,
                                                 r->indicators[worst].scaled)
                                  : "没有指标低于同行";
    return arena_printf(a, "%s；%s。", up, down);
}

static void table(pdf_doc_t *d, arena_t *a, const effectiveness_report_t *r)
{
    enum { COLS = 10 };
    static const double widths[COLS] = {0.22, 0.07, 0.06, 0.09, 0.09, 0.09, 0.1, 0.07, 0.1, 0.11};
    static const char *const header[COLS] = {"指标", "类别", "单位", "贯标前", "贯标后", "变化",
                                             "同行中位数", "同行数", "标准化值", "核验"};
    const char **cells = arena_alloc(a, sizeof *cells * COLS * (size_t)(r->n ? r->n : 1));
    for (int i = 0; i < r->n; i++) {
        const effectiveness_pdf_indicator_t *x = &r->indicators[i];
        const char **row = cells + i * COLS;
        row[0] = x->lower_is_better ? arena_printf(a, "%s ↓", x->name) : x->name;
        row[1] = category_zh(x->category);
        row[2] = x->unit;
        row[3] = num(a, x->before, 2);
        row[4] = num(a, x->after, 2);
        row[5] = num(a, x->change, 4);
        row[6] = num(a, x->peer_median, 4);
        row[7] = arena_printf(a, "%lld", (long long)x->peers);
        row[8] = num(a, x->scaled, 4);
        row[9] = x->verified ? "已核验" : "—";
    }
    if (r->n == 0) {
        pdf_text(d, "没有可评价的指标。", NULL);
        return;
    }
    pdf_table(d, &(pdf_table_t){.ncols = COLS, .widths = widths, .header = header, .rows = cells, .nrows = r->n,
                                .borders = true, .size = 8});
}

bool effectiveness_pdf(const effectiveness_report_t *r, buf_t *out)
{
    arena_t a = {0};
    const effectiveness_result_t *res = r->result;
    char computed[DATE_LEN + 1] = "";
    date_from_unix(res->computed_at, computed);
    pdf_doc_t *d = pdf_new(&(pdf_options_t){
        .title = arena_printf(&a, "贯标有效性评价报告 %s", r->enterprise_name),
        .header = arena_printf(&a, "%s · 贯标有效性评价报告 · 方法 %s", r->enterprise_name, res->method),
        .footer = arena_printf(&a, "冠标 · 计算于 %s", computed),
        .lang = LANG_ZH,
    });
    pdf_text(d, "贯标有效性评价报告", &PDF_TITLE);
    pdf_text(d, "Effectiveness of the IP Management System",
             &(pdf_style_t){.size = 12, .serif = true, .align = PDF_CENTER, .rgb = 0x444444, .space_after = 4});

    const char *index = isnan(res->index) ? "—" : arena_printf(&a, "%.1f", res->index);
    pdf_text(d, arena_printf(&a, "有效性指数 %s　%s　等级 %s", index, effectiveness_verdict_zh(res->verdict),
                             *res->grade ? res->grade : "—"),
             &(pdf_style_t){.size = 16, .bold = true, .align = PDF_CENTER, .rgb = 0x1565c0, .space_after = 3});
    if (res->form_only)
        pdf_text(d, "形式化贯标：取得认证已满两年，指数低于 50，且没有一项管理类指标改善。",
                 &(pdf_style_t){.size = 10, .bold = true, .align = PDF_CENTER, .rgb = 0xc62828, .space_after = 2});
    pdf_space(d, 2);

    const char *labels[] = {"企业", "统一社会信用代码", "发证机构", "首次获证年度", "质量 / 效益 / 管理",
                            "同行比较", "指标", "评价方法", "计算时间"};
    const char *values[] = {
        r->enterprise_name,
        r->credit_code,
        *r->body_name ? r->body_name : "—",
        arena_printf(&a, "%lld 年（贯标前 %lld–%lld 年，贯标后 %lld–%lld 年）", (long long)res->certified_year,
                     (long long)res->certified_year - 3, (long long)res->certified_year - 1,
                     (long long)res->certified_year + 1, (long long)res->certified_year + 3),
        arena_printf(&a, "%s / %s / %s", num(&a, res->quality, 4), num(&a, res->benefit, 4),
                     num(&a, res->management, 4)),
        peer_level_zh(res->peer_level),
        arena_printf(&a, "%lld 项有数据，其中 %lld 项经认证机构核验", (long long)res->indicators_present,
                     (long long)res->indicators_verified),
        arena_printf(&a, "方法 %s（贯标有效性指数，同行调整的前后对比）", res->method),
        arena_printf(&a, "%s", computed),
    };
    pdf_fields(d, labels, values, 9, 0.24, 10);
    pdf_space(d, 2);
    pdf_text(d, arena_printf(&a, "主要因素：%s", drivers(&a, r)), NULL);

    /* the charts: before/after per indicator, then the scaled values */
    const char **names = arena_alloc(&a, sizeof *names * (size_t)(r->n ? r->n : 1));
    double *before = arena_alloc(&a, sizeof(double) * (size_t)(r->n ? r->n : 1));
    double *after = arena_alloc(&a, sizeof(double) * (size_t)(r->n ? r->n : 1));
    double *scaled = arena_alloc(&a, sizeof(double) * (size_t)(r->n ? r->n : 1));
    for (int i = 0; i < r->n; i++) {
        names[i] = r->indicators[i].name;
        before[i] = r->indicators[i].before;
        after[i] = r->indicators[i].after;
        scaled[i] = r->indicators[i].scaled;
    }
    chart_bars_t pair = {.n = r->n, .labels = names, .a = before, .b = after, .a_name = "贯标前（均值）",
                         .b_name = "贯标后（均值）", .decimals = 2};
    chart_bars_t div = {.n = r->n, .labels = names, .a = scaled, .limit = 3, .decimals = 2};
    if (r->n > 0) {
        double chart_mm = chart_bars_height_mm(r->n);
        pdf_keep(d, chart_mm + 20);   /* the heading and its note with the chart */
        heading(d, "一、贯标前后对比");
        pdf_text(d, "每项指标按自身较大值缩放（单位见下表）。", &PDF_SMALL);
        pdf_drawing(d, chart_mm, chart_bars_draw, &pair);
        pdf_keep(d, chart_mm + 20);
        heading(d, "二、相对同行的标准化值");
        pdf_text(d, "大于 0 表示好于同行的变化，小于 0 表示差于同行；截断在 −3 至 3。", &PDF_SMALL);
        pdf_drawing(d, chart_mm, chart_bars_draw, &div);
    }

    heading(d, "三、指标明细");
    table(d, &a, r);

    heading(d, "四、计算方法");
    pdf_text(d,
             "变化：计数与金额类 ln((贯标后+1)/(贯标前+1))，占比类为百分点差，越低越好的指标（↓）取反；"
             "标准化值 = 截断((变化 − 同行中位数) / MAD, −3, 3)；类别得分为该类指标标准化值的平均；"
             "指数 = 50 + (50/3) × (0.4 × 质量 + 0.4 × 效益 + 0.2 × 管理)，权重在现有类别间重新归一。",
             &(pdf_style_t){.size = 9, .space_after = 2});
    pdf_text(d, "结论：≥ 65 显著提升，≥ 55 有所提升，> 45 无明显变化，≤ 45 下降。50 表示与同行变化相同。",
             &(pdf_style_t){.size = 9, .space_after = 2});

    bool ok = pdf_finish(d, out);
    pdf_free(d);
    arena_free(&a);
    return ok;
}

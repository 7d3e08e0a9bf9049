/* Bar charts drawn with cairo (see chart.h). */
#include "report/chart.h"

#include <math.h>
#include <stdio.h>

#include "report/pdf.h"

#define ROW_PT 15.0          /* one row */
#define LEGEND_PT 16.0       /* the legend or the axis labels above the rows */
#define LABEL_SHARE 0.34     /* the labels' column, of the width */
#define NUMBER_PT 34.0       /* room kept for the numbers at the bars' ends */
#define COLOR_A 0x90a4ae     /* before: grey blue */
#define COLOR_B 0x1565c0     /* after: blue */
#define COLOR_UP 0x2e7d32
#define COLOR_DOWN 0xc62828

double chart_bars_height_mm(int n)
{
    return ((double)n * ROW_PT + LEGEND_PT + 6) * 25.4 / 72.0;
}

static void fill(cairo_t *cr, unsigned rgb, double x, double y, double w, double h)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

static void line(cairo_t *cr, unsigned rgb, double x0, double y0, double x1, double y1)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static const char *number(char *out, size_t len, double v, int decimals)
{
    if (isnan(v))
        snprintf(out, len, "—");
    else
        snprintf(out, len, "%.*f", decimals, v);
    return out;
}

static void legend(cairo_t *cr, double x, double y, unsigned rgb, const char *name)
{
    fill(cr, rgb, x, y - 3.5, 10, 7);
    pdf_draw_label(cr, name, x + 13, y, 8, 0x333333, PDF_LEFT);
}

static void paired(cairo_t *cr, const chart_bars_t *c, double bx, double y, double bw)
{
    char text[48];
    legend(cr, bx, y + LEGEND_PT / 2, COLOR_A, c->a_name);
    legend(cr, bx + 90, y + LEGEND_PT / 2, COLOR_B, c->b_name);
    y += LEGEND_PT;
    double room = bw - NUMBER_PT;
    for (int i = 0; i < c->n; i++) {
        double top = y + i * ROW_PT, va = c->a[i], vb = c->b[i];
        double most = fmax(isnan(va) ? 0 : fabs(va), isnan(vb) ? 0 : fabs(vb));
        double values[2] = {va, vb};
        unsigned colours[2] = {COLOR_A, COLOR_B};
        for (int k = 0; k < 2; k++) {
            double v = values[k], by = top + 2 + k * 5.5;
            double len = isnan(v) || most <= 0 ? 0 : room * fabs(v) / most;
            if (len > 0)
                fill(cr, colours[k], bx, by, len, 5);
            pdf_draw_label(cr, number(text, sizeof text, v, c->decimals), bx + len + 2, by + 2.5, 6.5, 0x333333,
                           PDF_LEFT);
        }
    }
    line(cr, 0x999999, bx, y, bx, y + c->n * ROW_PT);
}

static void diverging(cairo_t *cr, const chart_bars_t *c, double bx, double y, double bw)
{
    char text[48];
    double limit = c->limit > 0 ? c->limit : 1;
    double mid = bx + bw / 2, half = bw / 2 - NUMBER_PT / 2;
    for (int t = -1; t <= 1; t++) {
        snprintf(text, sizeof text, "%+.0f", t * limit);
        pdf_draw_label(cr, t == 0 ? "0" : text, mid + t * half, y + LEGEND_PT / 2, 7, 0x666666, PDF_CENTER);
    }
    y += LEGEND_PT;
    for (int i = 0; i < c->n; i++) {
        double top = y + i * ROW_PT, v = c->a[i];
        double len = isnan(v) ? 0 : half * fmin(fabs(v), limit) / limit;
        if (len > 0)
            fill(cr, v >= 0 ? COLOR_UP : COLOR_DOWN, v >= 0 ? mid : mid - len, top + 3, len, ROW_PT - 6);
        double at = v >= 0 || isnan(v) ? mid + len + 2 : mid - len - 2;
        pdf_draw_label(cr, number(text, sizeof text, v, c->decimals), at, top + ROW_PT / 2, 6.5, 0x333333,
                       v >= 0 || isnan(v) ? PDF_LEFT : PDF_RIGHT);
    }
    for (int t = -1; t <= 1; t++)
        line(cr, t == 0 ? 0x666666 : 0xcccccc, mid + t * half, y, mid + t * half, y + c->n * ROW_PT);
}

void chart_bars_draw(cairo_t *cr, double x, double y, double width, double height, const void *data)
{
    (void)height;
    const chart_bars_t *c = data;
    double label_w = width * LABEL_SHARE, bx = x + label_w + 4, bw = width - label_w - 4;
    for (int i = 0; i < c->n; i++) {
        double mid = y + LEGEND_PT + i * ROW_PT + ROW_PT / 2;
        if (i % 2 == 0)
            fill(cr, 0xf5f7fa, x, mid - ROW_PT / 2, width, ROW_PT);
        pdf_draw_label(cr, c->labels[i], x + label_w, mid, 7.5, 0x222222, PDF_RIGHT);
    }
    if (c->b != NULL)
        paired(cr, c, bx, y, bw);
    else
        diverging(cr, c, bx, y, bw);
}

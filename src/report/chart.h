/* Charts drawn with cairo into printed documents (report/pdf.h pdf_drawing): horizontal bars, one
 * row per category, labels on the left. Two kinds:
 *   - paired: two values per row (e.g. before and after), each row scaled to its own larger
 *     value (rows may be in different units), the numbers written at the bars' ends;
 *   - diverging: one value per row around an axis at 0 over [-limit, limit], positive green,
 *     negative red (e.g. the effectiveness index's scaled values).
 * A NaN value draws no bar and writes "—". */
#ifndef GUANBIAO_CHART_H
#define GUANBIAO_CHART_H
#include <stdbool.h>

#include <cairo.h>

typedef struct chart_bars {
    int n;                        /* rows */
    const char *const *labels;    /* n row labels */
    const double *a;              /* n values: the first series (paired) or the only one (diverging) */
    const double *b;              /* n values of the second series (paired); NULL: diverging */
    const char *a_name, *b_name;  /* the legend (paired) */
    double limit;                 /* diverging: the axis runs from -limit to limit */
    int decimals;                 /* the numbers written */
} chart_bars_t;

/* The height in millimetres a chart of n rows needs (for pdf_drawing). */
double chart_bars_height_mm(int n);
/* Draws the chart_bars_t at data into x, y, width, height (points): a pdf_draw_fn. */
void chart_bars_draw(cairo_t *cr, double x, double y, double width, double height, const void *data);

#endif

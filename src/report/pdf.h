/* A small document builder for printed output (certificates now; audit reports, effectiveness
 * reports and completion certificates later: docs/reports.md). A document is a flow of blocks
 * (text, label/value fields, tables, images, QR codes, space, page breaks) on A4 pages with
 * margins, a header and a footer, and page numbers "第 N 页 / 共 M 页" ("Page N of M").
 *
 *   pdf_doc_t *d = pdf_new(&(pdf_options_t){.title = "…", .lang = LANG_ZH});
 *   pdf_text(d, "知识产权管理体系认证证书", &PDF_TITLE);
 *   pdf_table(d, &table);
 *   bool ok = pdf_finish(d, &out);      // the PDF appended to a buf_t
 *   pdf_free(d);
 *
 * pdf_finish lays the blocks out twice with the same fonts: once to count the pages, once to
 * draw them, so that every page can say how many there are. Blocks copy what they are given
 * (the caller's strings and bytes need not outlive the call that adds them).
 *
 * Threads: a document belongs to one thread, and any number of threads may make documents at
 * once. Each thread lays text out with its own pango font map (pangocairo's default map is
 * per thread since pango 1.32.6); cairo surfaces are independent; fontconfig (2.10.91 and
 * later) initialises itself once under its own lock. Nothing here is global. */
#ifndef GUANBIAO_PDF_H
#define GUANBIAO_PDF_H
#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "core/buf.h"
#include "core/text.h"

typedef enum pdf_align { PDF_LEFT = 0, PDF_CENTER, PDF_RIGHT } pdf_align_t;

typedef struct pdf_style {
    double size;          /* points; 0: 10.5 (小五 is 9, 五号 10.5) */
    bool bold;
    bool serif;           /* Noto Serif CJK SC; otherwise Noto Sans CJK SC */
    pdf_align_t align;
    unsigned rgb;         /* 0xRRGGBB; 0 is black */
    double space_after;   /* millimetres below the block; 0: none */
} pdf_style_t;

/* Ready-made styles */
extern const pdf_style_t PDF_TITLE;       /* 22 pt serif bold, centred */
extern const pdf_style_t PDF_HEADING;     /* 14 pt sans bold */
extern const pdf_style_t PDF_BODY;        /* 10.5 pt sans */
extern const pdf_style_t PDF_SMALL;       /* 8 pt grey */

typedef struct pdf_options {
    const char *title;        /* the PDF's metadata title (may be NULL) */
    const char *header;       /* text at the top of every page (may be NULL) */
    const char *footer;       /* text at the bottom left of every page (may be NULL) */
    lang_t lang;              /* wording of the page numbers */
    const char *watermark;    /* large red diagonal text across every page, e.g. a certificate's
                               * status when it is no longer valid (may be NULL) */
    bool frame;               /* a double frame inside the margins (certificates) */
    double margin_mm;         /* 0: 20 mm */
} pdf_options_t;

typedef struct pdf_doc pdf_doc_t;

/* The options' strings are copied. Never NULL (out of memory aborts, as the arena does). */
pdf_doc_t *pdf_new(const pdf_options_t *opt);
void pdf_free(pdf_doc_t *d);

/* A paragraph, wrapped to the page width and broken across pages between lines. style may be
 * NULL (PDF_BODY). Newlines start new lines. */
void pdf_text(pdf_doc_t *d, const char *text, const pdf_style_t *style);
/* A span of a pdf_marked_text paragraph: the bytes [start, end) of its text, drawn on a
 * background of colour rgb and underlined; or, with label set, drawn bold in colour rgb (a
 * number put before a span). Spans may overlap (the later one's background wins). */
typedef struct pdf_mark {
    size_t start, end;
    unsigned rgb;
    bool label;
} pdf_mark_t;
/* A paragraph as pdf_text with marks[0..nmarks) on it (copied; spans outside the text are
 * clipped to it, empty ones ignored). */
void pdf_marked_text(pdf_doc_t *d, const char *text, const pdf_mark_t *marks, int nmarks, const pdf_style_t *style);
/* Vertical space, in millimetres. */
void pdf_space(pdf_doc_t *d, double mm);
void pdf_page_break(pdf_doc_t *d);
/* A new page unless height_mm millimetres remain on this one: a heading kept with the first
 * lines of what follows it. */
void pdf_keep(pdf_doc_t *d, double height_mm);

/* A table: ncols (at most 64) columns whose widths are fractions of the text width (they should add up to
 * 1), an optional header row repeated at the top of every page the table reaches, and rows
 * of cells (rows[r * ncols + c]; NULL is an empty cell). A row never splits; a row taller than
 * a page is clipped. Without borders and with label_column, it is a list of label/value
 * pairs (the labels bold): see pdf_fields. */
typedef struct pdf_table {
    int ncols;
    const double *widths;
    const char *const *header;    /* ncols labels, or NULL: no header row */
    const char *const *rows;
    int nrows;
    bool borders;
    bool label_column;            /* the first column bold */
    double size;                  /* points; 0: 9 */
} pdf_table_t;
void pdf_table(pdf_doc_t *d, const pdf_table_t *t);
/* Label/value pairs, one per line, the labels in a column label_fraction of the width wide. */
void pdf_fields(pdf_doc_t *d, const char *const *labels, const char *const *values, int n, double label_fraction,
                double size);

/* A PNG image from memory, width_mm wide (the height keeps its proportions), aligned as
 * align. False (and nothing added) when the bytes are not a PNG cairo can read. */
bool pdf_png(pdf_doc_t *d, const void *data, size_t len, double width_mm, pdf_align_t align);
/* A QR code of text, size_mm square including its quiet zone (report/qr.h). False (and
 * nothing added) when text does not fit a QR code. */
bool pdf_qr(pdf_doc_t *d, const char *text, double size_mm, pdf_align_t align);

/* A drawing (a chart: report/chart.h) height_mm millimetres high across the text width, kept on
 * one page: draw(cr, x, y, width, height, data) paints it in points on the page's cairo context
 * (save/restore are done around it; nothing is drawn in the counting pass). data is NOT copied:
 * it must stay alive until pdf_finish. */
typedef void (*pdf_draw_fn)(cairo_t *cr, double x, double y, double width, double height, const void *data);
void pdf_drawing(pdf_doc_t *d, double height_mm, pdf_draw_fn draw, const void *data);
/* For drawings: text in the document's sans font (Noto Sans CJK SC) at size points, colour rgb,
 * one line; align says what x is: the left end (PDF_LEFT), the centre, the right end; y is the
 * middle of the line. Its width in points. */
double pdf_draw_label(cairo_t *cr, const char *text, double x, double y, double size, unsigned rgb, pdf_align_t align);

/* Lays the document out and appends the PDF to out. False when cairo failed or out reached its
 * cap. The document may be finished only once. */
bool pdf_finish(pdf_doc_t *d, buf_t *out);

#endif

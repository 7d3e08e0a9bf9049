/* The document builder (see pdf.h): blocks are recorded in an arena, then laid out on cairo's
 * PDF surface with pango, twice (count the pages, then draw them), on the same surface. */
#include "report/pdf.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "report/qr.h"

#define A4_WIDTH_PT 595.2756
#define A4_HEIGHT_PT 841.8898
#define FONT_SANS "Noto Sans CJK SC"
#define FONT_SERIF "Noto Serif CJK SC"

const pdf_style_t PDF_TITLE = {.size = 22, .bold = true, .serif = true, .align = PDF_CENTER, .space_after = 6};
const pdf_style_t PDF_HEADING = {.size = 14, .bold = true, .space_after = 3};
const pdf_style_t PDF_BODY = {.size = 10.5, .space_after = 2};
const pdf_style_t PDF_SMALL = {.size = 8, .rgb = 0x666666};

static double mm(double v)
{
    return v * 72.0 / 25.4;
}

typedef enum block_kind { B_TEXT, B_SPACE, B_BREAK, B_NEED, B_TABLE, B_IMAGE, B_QR, B_DRAWING } block_kind_t;

typedef struct block {
    block_kind_t kind;
    struct block *next;
    const char *text;             /* B_TEXT */
    pdf_mark_t *marks;            /* B_TEXT: pdf_marked_text's spans (in the arena) */
    int nmarks;
    pdf_style_t style;            /* B_TEXT */
    double mm;                    /* B_SPACE: height; B_IMAGE: width; B_QR: size */
    pdf_align_t align;            /* B_IMAGE, B_QR */
    pdf_table_t table;            /* B_TABLE: arrays copied into the arena */
    cairo_surface_t *image;       /* B_IMAGE, owned */
    qr_t qr;                      /* B_QR, owned */
    pdf_draw_fn draw;             /* B_DRAWING (height in mm) */
    const void *data;             /* B_DRAWING: the caller's */
} block_t;

struct pdf_doc {
    arena_t arena;
    pdf_options_t opt;            /* strings in the arena */
    block_t *first, *last;
    bool finished;
};

static const char *copy(arena_t *a, const char *s)
{
    return s != NULL ? arena_strdup(a, s) : NULL;
}

pdf_doc_t *pdf_new(const pdf_options_t *opt)
{
    pdf_doc_t *d = calloc(1, sizeof *d);
    if (d == NULL)
        abort();
    d->opt = *opt;
    d->opt.title = copy(&d->arena, opt->title);
    d->opt.header = copy(&d->arena, opt->header);
    d->opt.footer = copy(&d->arena, opt->footer);
    d->opt.watermark = copy(&d->arena, opt->watermark);
    if (d->opt.margin_mm <= 0)
        d->opt.margin_mm = 20;
    return d;
}

void pdf_free(pdf_doc_t *d)
{
    if (d == NULL)
        return;
    for (block_t *b = d->first; b != NULL; b = b->next) {
        if (b->image != NULL)
            cairo_surface_destroy(b->image);
        qr_free(&b->qr);
    }
    arena_free(&d->arena);
    free(d);
}

static block_t *add(pdf_doc_t *d, block_kind_t kind)
{
    block_t *b = arena_alloc(&d->arena, sizeof *b);
    b->kind = kind;
    if (d->last != NULL)
        d->last->next = b;
    else
        d->first = b;
    d->last = b;
    return b;
}

void pdf_text(pdf_doc_t *d, const char *text, const pdf_style_t *style)
{
    block_t *b = add(d, B_TEXT);
    b->text = arena_strdup(&d->arena, text != NULL ? text : "");
    b->style = style != NULL ? *style : PDF_BODY;
    if (b->style.size <= 0)
        b->style.size = 10.5;
}

void pdf_marked_text(pdf_doc_t *d, const char *text, const pdf_mark_t *marks, int nmarks, const pdf_style_t *style)
{
    pdf_text(d, text, style);
    block_t *b = d->last;
    size_t len = strlen(b->text);
    b->marks = arena_alloc(&d->arena, sizeof *b->marks * (size_t)(nmarks > 0 ? nmarks : 1));
    for (int i = 0; i < nmarks; i++) {
        pdf_mark_t m = marks[i];
        if (m.end > len)
            m.end = len;
        if (m.start < m.end)
            b->marks[b->nmarks++] = m;
    }
}

void pdf_space(pdf_doc_t *d, double height_mm)
{
    add(d, B_SPACE)->mm = height_mm;
}

void pdf_page_break(pdf_doc_t *d)
{
    add(d, B_BREAK);
}

void pdf_keep(pdf_doc_t *d, double height_mm)
{
    add(d, B_NEED)->mm = height_mm;
}

void pdf_table(pdf_doc_t *d, const pdf_table_t *t)
{
    block_t *b = add(d, B_TABLE);
    b->table = *t;
    if (b->table.size <= 0)
        b->table.size = 9;
    double *widths = arena_alloc(&d->arena, sizeof *widths * (size_t)t->ncols);
    memcpy(widths, t->widths, sizeof *widths * (size_t)t->ncols);
    b->table.widths = widths;
    if (t->header != NULL) {
        const char **header = arena_alloc(&d->arena, sizeof *header * (size_t)t->ncols);
        for (int i = 0; i < t->ncols; i++)
            header[i] = copy(&d->arena, t->header[i]);
        b->table.header = header;
    }
    size_t ncells = (size_t)t->nrows * (size_t)t->ncols;
    const char **rows = arena_alloc(&d->arena, sizeof *rows * (ncells ? ncells : 1));
    for (size_t i = 0; i < ncells; i++)
        rows[i] = copy(&d->arena, t->rows[i]);
    b->table.rows = rows;
}

void pdf_fields(pdf_doc_t *d, const char *const *labels, const char *const *values, int n, double label_fraction,
                double size)
{
    const char **cells = malloc(sizeof *cells * (size_t)(2 * n + 1));
    if (cells == NULL)
        abort();
    for (int i = 0; i < n; i++) {
        cells[2 * i] = labels[i];
        cells[2 * i + 1] = values[i];
    }
    double widths[2] = {label_fraction, 1 - label_fraction};
    pdf_table(d, &(pdf_table_t){.ncols = 2, .widths = widths, .rows = cells, .nrows = n, .label_column = true,
                                .size = size});
    free(cells);
}

typedef struct png_reader {
    const unsigned char *data;
    size_t len, pos;
} png_reader_t;

static cairo_status_t read_png(void *closure, unsigned char *out, unsigned int length)
{
    png_reader_t *r = closure;
    if (length > r->len - r->pos)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

bool pdf_png(pdf_doc_t *d, const void *data, size_t len, double width_mm, pdf_align_t align)
{
    png_reader_t r = {data, len, 0};
    cairo_surface_t *image = cairo_image_surface_create_from_png_stream(read_png, &r);
    if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_width(image) <= 0) {
        cairo_surface_destroy(image);
        return false;
    }
    block_t *b = add(d, B_IMAGE);
    b->image = image;
    b->mm = width_mm;
    b->align = align;
    return true;
}

bool pdf_qr(pdf_doc_t *d, const char *text, double size_mm, pdf_align_t align)
{
    qr_t q;
    if (!qr_encode(text, &q))
        return false;
    block_t *b = add(d, B_QR);
    b->qr = q;
    b->mm = size_mm;
    b->align = align;
    return true;
}

void pdf_drawing(pdf_doc_t *d, double height_mm, pdf_draw_fn draw, const void *data)
{
    block_t *b = add(d, B_DRAWING);
    b->mm = height_mm;
    b->draw = draw;
    b->data = data;
}

/* ---- layout ---- */

typedef struct pass {
    pdf_doc_t *d;
    cairo_t *cr;
    bool draw;                    /* false: only count the pages */
    int page, total;              /* total: known when drawing */
    double y, top, bottom, left, width;
} pass_t;

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* A layout of text in the thread's font map (pango_cairo_create_layout uses the per-thread
 * default map); width ≤ 0: unwrapped. The caller unrefs it. */
static PangoLayout *layout_new(cairo_t *cr, const char *text, double size, bool bold, bool serif, double width,
                               pdf_align_t align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_new();
    pango_font_description_set_family(f, serif ? FONT_SERIF : FONT_SANS);
    pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    /* absolute: one device unit is one point on a PDF surface, whatever pango's resolution */
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    pango_layout_set_font_description(l, f);
    pango_font_description_free(f);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align == PDF_CENTER  ? PANGO_ALIGN_CENTER
                                  : align == PDF_RIGHT ? PANGO_ALIGN_RIGHT
                                                       : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double layout_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Header, footer with the page number, frame and watermark of the page just begun. */
static void page_decorate(pass_t *p)
{
    if (!p->draw)
        return;
    const pdf_options_t *o = &p->d->opt;
    cairo_t *cr = p->cr;
    double m = mm(o->margin_mm);
    if (o->watermark != NULL) {
        cairo_save(cr);
        cairo_translate(cr, A4_WIDTH_PT / 2, A4_HEIGHT_PT / 2);
        cairo_rotate(cr, -M_PI / 6);
        PangoLayout *l = layout_new(cr, o->watermark, 64, true, false, 0, PDF_CENTER);
        int w, h;
        pango_layout_get_size(l, &w, &h);
        cairo_move_to(cr, -(double)w / PANGO_SCALE / 2, -(double)h / PANGO_SCALE / 2);
        cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.28);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        cairo_restore(cr);
    }
    cairo_save(cr);
    if (o->frame) {
        double outer = m / 2;
        set_rgb(cr, 0x8a6d3b);
        cairo_set_line_width(cr, 2);
        cairo_rectangle(cr, outer, outer, A4_WIDTH_PT - 2 * outer, A4_HEIGHT_PT - 2 * outer);
        cairo_stroke(cr);
        cairo_set_line_width(cr, 0.6);
        cairo_rectangle(cr, outer + 4, outer + 4, A4_WIDTH_PT - 2 * outer - 8, A4_HEIGHT_PT - 2 * outer - 8);
        cairo_stroke(cr);
    }
    set_rgb(cr, 0x666666);
    cairo_set_line_width(cr, 0.4);
    if (o->header != NULL) {
        PangoLayout *l = layout_new(cr, o->header, 8, false, false, p->width, PDF_LEFT);
        cairo_move_to(cr, p->left, m);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        cairo_move_to(cr, p->left, m + mm(6));
        cairo_line_to(cr, p->left + p->width, m + mm(6));
        cairo_stroke(cr);
    }
    double foot = A4_HEIGHT_PT - m - mm(6);
    cairo_move_to(cr, p->left, foot);
    cairo_line_to(cr, p->left + p->width, foot);
    cairo_stroke(cr);
    char number[64];
    if (o->lang == LANG_EN)
        snprintf(number, sizeof number, "Page %d of %d", p->page, p->total);
    else
        snprintf(number, sizeof number, "第 %d 页 / 共 %d 页", p->page, p->total);
    PangoLayout *l = layout_new(cr, number, 8, false, false, p->width, PDF_RIGHT);
    cairo_move_to(cr, p->left, foot + mm(1.5));
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    if (o->footer != NULL) {
        l = layout_new(cr, o->footer, 8, false, false, p->width * 0.7, PDF_LEFT);
        cairo_move_to(cr, p->left, foot + mm(1.5));
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
    }
    cairo_restore(cr);
}

static void page_next(pass_t *p)
{
    if (p->draw)
        cairo_show_page(p->cr);
    p->page++;
    p->y = p->top;
    page_decorate(p);
}

/* Starts a new page unless height fits below y (or the page is still empty). */
static void need(pass_t *p, double height)
{
    if (p->y + height > p->bottom && p->y > p->top)
        page_next(p);
}

/* pango's 16-bit channel of one 8-bit channel of rgb */
static guint16 channel(unsigned rgb, int shift)
{
    return (guint16)(((rgb >> shift) & 0xff) * 257);
}

/* The marks of a pdf_marked_text block as pango attributes on its layout. */
static void apply_marks(PangoLayout *l, const block_t *b)
{
    PangoAttrList *list = pango_attr_list_new();
    for (int i = 0; i < b->nmarks; i++) {
        const pdf_mark_t *m = &b->marks[i];
        PangoAttribute *attrs[2];
        int n = 0;
        if (m->label) {
            attrs[n++] = pango_attr_foreground_new(channel(m->rgb, 16), channel(m->rgb, 8), channel(m->rgb, 0));
            attrs[n++] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        } else {
            attrs[n++] = pango_attr_background_new(channel(m->rgb, 16), channel(m->rgb, 8), channel(m->rgb, 0));
            attrs[n++] = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
        }
        for (int k = 0; k < n; k++) {
            attrs[k]->start_index = (guint)m->start;
            attrs[k]->end_index = (guint)m->end;
            pango_attr_list_insert(list, attrs[k]);
        }
    }
    pango_layout_set_attributes(l, list);
    pango_attr_list_unref(list);
}

static void text_block(pass_t *p, const block_t *b)
{
    const pdf_style_t *s = &b->style;
    PangoLayout *l = layout_new(p->cr, b->text, s->size, s->bold, s->serif, p->width, s->align);
    if (b->nmarks > 0)
        apply_marks(l, b);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double line_top = (double)logical.y / PANGO_SCALE, height = (double)logical.height / PANGO_SCALE;
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        need(p, height);
        if (p->draw) {
            set_rgb(p->cr, s->rgb);
            cairo_move_to(p->cr, p->left + (double)logical.x / PANGO_SCALE, p->y + baseline - line_top);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        p->y += height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    p->y += mm(s->space_after);
}

enum { CELL_PAD = 3 };

/* One table row (cells[0..ncols)) at y: its height, drawn when p->draw and draw_it. */
static double table_row(pass_t *p, const pdf_table_t *t, const char *const *cells, bool header, bool draw_it)
{
    PangoLayout *layouts[64];
    int n = t->ncols < 64 ? t->ncols : 64;
    double height = 0;
    for (int i = 0; i < n; i++) {
        double w = p->width * t->widths[i] - 2 * CELL_PAD;
        bool bold = header || (t->label_column && i == 0);
        layouts[i] = layout_new(p->cr, cells[i] != NULL ? cells[i] : "", t->size, bold, false, w > 1 ? w : 1, PDF_LEFT);
        double h = layout_height(layouts[i]) + 2 * CELL_PAD;
        if (h > height)
            height = h;
    }
    if (height > p->bottom - p->top)
        height = p->bottom - p->top;   /* clipped: a row never splits */
    if (p->draw && draw_it) {
        cairo_t *cr = p->cr;
        double x = p->left;
        cairo_save(cr);
        cairo_rectangle(cr, p->left, p->y, p->width, height);
        cairo_clip(cr);
        if (header) {
            set_rgb(cr, 0xeeeeee);
            cairo_rectangle(cr, p->left, p->y, p->width, height);
            cairo_fill(cr);
        }
        for (int i = 0; i < n; i++) {
            double w = p->width * t->widths[i];
            if (t->borders) {
                set_rgb(cr, 0x999999);
                cairo_set_line_width(cr, 0.5);
                cairo_rectangle(cr, x, p->y, w, height);
                cairo_stroke(cr);
            }
            set_rgb(cr, 0);
            cairo_move_to(cr, x + CELL_PAD, p->y + CELL_PAD);
            pango_cairo_show_layout(cr, layouts[i]);
            x += w;
        }
        cairo_restore(cr);
    }
    for (int i = 0; i < n; i++)
        g_object_unref(layouts[i]);
    return height;
}

static void table_block(pass_t *p, const block_t *b)
{
    const pdf_table_t *t = &b->table;
    double header_height = t->header != NULL ? table_row(p, t, t->header, true, false) : 0;
    bool header_due = t->header != NULL;
    for (int r = 0; r < t->nrows || header_due; r++) {
        const char *const *cells = r < t->nrows ? t->rows + (size_t)r * t->ncols : NULL;
        double h = cells != NULL ? table_row(p, t, cells, false, false) : 0;
        if (p->y + header_height * header_due + h > p->bottom && p->y > p->top) {
            page_next(p);
            header_due = t->header != NULL;
        }
        if (header_due) {
            p->y += table_row(p, t, t->header, true, true);
            header_due = false;
        }
        if (cells != NULL)
            p->y += table_row(p, t, cells, false, true);
    }
    p->y += mm(2);
}

static double aligned_x(const pass_t *p, double width, pdf_align_t align)
{
    return align == PDF_CENTER ? p->left + (p->width - width) / 2
         : align == PDF_RIGHT  ? p->left + p->width - width
                               : p->left;
}

static void image_block(pass_t *p, const block_t *b)
{
    double pw = cairo_image_surface_get_width(b->image), ph = cairo_image_surface_get_height(b->image);
    double w = fmin(mm(b->mm), p->width), h = w * ph / pw;
    need(p, h);
    if (p->draw) {
        cairo_save(p->cr);
        cairo_translate(p->cr, aligned_x(p, w, b->align), p->y);
        cairo_scale(p->cr, w / pw, h / ph);
        cairo_set_source_surface(p->cr, b->image, 0, 0);
        cairo_paint(p->cr);
        cairo_restore(p->cr);
    }
    p->y += h;
}

static void qr_block(pass_t *p, const block_t *b)
{
    double size = fmin(mm(b->mm), p->width);
    need(p, size);
    if (p->draw)
        qr_draw(&b->qr, p->cr, aligned_x(p, size, b->align), p->y, size);
    p->y += size;
}

static void drawing_block(pass_t *p, const block_t *b)
{
    double h = mm(b->mm);
    need(p, h);
    if (p->draw) {
        cairo_save(p->cr);
        b->draw(p->cr, p->left, p->y, p->width, h, b->data);
        cairo_restore(p->cr);
    }
    p->y += h;
}

double pdf_draw_label(cairo_t *cr, const char *text, double x, double y, double size, unsigned rgb, pdf_align_t align)
{
    PangoLayout *l = layout_new(cr, text, size, false, false, 0, PDF_LEFT);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double width = (double)w / PANGO_SCALE, height = (double)h / PANGO_SCALE;
    double left = align == PDF_CENTER ? x - width / 2 : align == PDF_RIGHT ? x - width : x;
    cairo_save(cr);
    set_rgb(cr, rgb);
    cairo_move_to(cr, left, y - height / 2);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
    g_object_unref(l);
    return width;
}

/* Lays every block out on surface s; draws when draw. The number of pages. */
static int run(pdf_doc_t *d, cairo_surface_t *s, bool draw, int total)
{
    double m = mm(d->opt.margin_mm);
    pass_t p = {.d = d, .cr = cairo_create(s), .draw = draw, .page = 1, .total = total};
    p.left = m;
    p.width = A4_WIDTH_PT - 2 * m;
    p.top = m + (d->opt.header != NULL ? mm(9) : 0);
    p.bottom = A4_HEIGHT_PT - m - mm(8);
    p.y = p.top;
    page_decorate(&p);
    for (const block_t *b = d->first; b != NULL; b = b->next) {
        switch (b->kind) {
        case B_TEXT: text_block(&p, b); break;
        case B_SPACE: p.y = fmin(p.y + mm(b->mm), p.bottom); break;
        case B_BREAK:
            if (p.y > p.top)
                page_next(&p);
            break;
        case B_NEED: need(&p, mm(b->mm)); break;
        case B_TABLE: table_block(&p, b); break;
        case B_IMAGE: image_block(&p, b); break;
        case B_QR: qr_block(&p, b); break;
        case B_DRAWING: drawing_block(&p, b); break;
        }
    }
    if (draw)
        cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    return p.page;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

bool pdf_finish(pdf_doc_t *d, buf_t *out)
{
    if (d->finished)
        return false;
    d->finished = true;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, out, A4_WIDTH_PT, A4_HEIGHT_PT);
    if (d->opt.title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->opt.title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Guanbiao " GUANBIAO_VERSION);
    /* both passes on the same surface, so with the same font options and the same line breaks;
     * the first draws nothing and shows no page, so it adds nothing to the PDF */
    int total = run(d, s, false, 0);
    run(d, s, true, total);
    cairo_surface_finish(s);
    bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && !out->failed;
    cairo_surface_destroy(s);
    return ok;
}

/* Covers report/pdf (the document builder: long tables across pages with their header row
 * repeated, page numbers, headings kept with what follows, images, QR codes, documents made on several threads at once),
 * report/qr and report/export. PDFs are read back with pdftotext (poppler-utils). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "report/chart.h"
#include "report/export.h"
#include "report/pdf.h"
#include "report/qr.h"

#define UNUSED (void)state

/* Under -Db_sanitize=address (tests/run.sh's sanitized units): what pango, fontconfig and cairo
 * 1.16 keep or lose inside themselves, as tests/lsan.supp says for the server. Each entry is a
 * library function with nothing of ours allocating below it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";   /* full stacks through the libraries, for the names below */
}
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:cairo_surface_finish\n"        /* the CFF subsetter: ~768 bytes per font subset */
           "leak:FcInitLoadConfigAndFonts\n"    /* fontconfig's configuration, once */
           "leak:FcFontSetMatch\n"              /* pango's font-loading thread */
           "leak:pango_layout_get_iter\n"       /* fonts loaded into a thread's font map … */
           "leak:pango_layout_get_size\n"
           "leak:pango_renderer_draw_layout\n"; /* … on first use */
}

/* The text of a PDF (pdftotext -layout), malloc'd. */
static char *pdf_text_of(const buf_t *pdf)
{
    char path[] = "/tmp/guanbiao-test-pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "pdftotext -layout %s -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    buf_t text;
    buf_init(&text, 16u << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_append(&text, chunk, n);
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return buf_take(&text);
}

static int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A document with a 150-row table: several pages, the header row on each. */
static bool long_table(buf_t *out, const char *title)
{
    enum { ROWS = 150 };
    static const char *const header[] = {"序号 No.", "名称 Name", "说明 Note"};
    static const double widths[] = {0.15, 0.35, 0.5};
    const char **cells = malloc(sizeof *cells * ROWS * 3);
    char (*text)[3][160] = malloc(sizeof *text * ROWS);
    for (int r = 0; r < ROWS; r++) {
        snprintf(text[r][0], 160, "R%03d", r + 1);
        snprintf(text[r][1], 160, "企业 %d", r + 1);
        snprintf(text[r][2], 160, "%s", r % 7 == 0 ? "一段较长的说明文字，会在单元格中自动换行以测试行高的计算是否正确。" : "—");
        for (int c = 0; c < 3; c++)
            cells[r * 3 + c] = text[r][c];
    }
    pdf_doc_t *d = pdf_new(&(pdf_options_t){.title = title, .header = "观标 测试报告", .footer = "页脚", .lang = LANG_ZH});
    pdf_text(d, title, &PDF_TITLE);
    pdf_text(d, "正文段落。", NULL);
    pdf_table(d, &(pdf_table_t){.ncols = 3, .widths = widths, .header = header, .rows = cells, .nrows = ROWS,
                                .borders = true});
    free(cells);   /* the document keeps copies */
    free(text);
    bool ok = pdf_finish(d, out);
    pdf_free(d);
    return ok;
}

static void table_breaks_across_pages_repeating_its_header(void **state)
{
    UNUSED;
    buf_t out;
    buf_init(&out, 64u << 20);
    assert_true(long_table(&out, "长表格"));
    assert_memory_equal(out.data, "%PDF-", 5);
    char *text = pdf_text_of(&out);
    int pages = count(text, "\f");          /* pdftotext ends each page with a form feed */
    assert_true(pages >= 3);
    assert_int_equal(count(text, "名称 Name"), pages);   /* the header row on every page */
    assert_int_equal(count(text, "观标 测试报告"), pages);   /* the page header */
    /* pdftotext drops the spaces between Chinese characters and digits: compare without them */
    char *packed = strdup(text), *k = packed;
    for (const char *p = text; *p; p++)
        if (*p != ' ')
            *k++ = *p;
    *k = '\0';
    char last[64];
    snprintf(last, sizeof last, "第%d页/共%d页", pages, pages);
    assert_non_null(strstr(packed, last));
    assert_non_null(strstr(packed, "第1页/共"));
    free(packed);
    assert_non_null(strstr(text, "R001"));
    assert_non_null(strstr(text, "R150"));
    free(text);
    buf_free(&out);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void images_and_qr_codes(void **state)
{
    UNUSED;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 20);
    buf_t png;
    buf_init(&png, 1u << 20);
    assert_int_equal(cairo_surface_write_to_png_stream(img, to_buf, &png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(img);

    pdf_doc_t *d = pdf_new(&(pdf_options_t){.lang = LANG_EN, .watermark = "VOID"});
    assert_true(pdf_png(d, png.data, png.len, 50, PDF_CENTER));
    assert_false(pdf_png(d, "not a png", 9, 50, PDF_CENTER));
    assert_true(pdf_qr(d, "https://example.cn/verify?q=84025IP021017R0M", 30, PDF_RIGHT));
    char *huge = malloc(8000);
    memset(huge, 'x', 7999);
    huge[7999] = '\0';
    assert_false(pdf_qr(d, huge, 30, PDF_LEFT));   /* beyond any QR code's capacity */
    free(huge);
    buf_t out;
    buf_init(&out, 16u << 20);
    assert_true(pdf_finish(d, &out));
    assert_false(pdf_finish(d, &out));              /* once only */
    pdf_free(d);
    char *text = pdf_text_of(&out);
    assert_non_null(strstr(text, "Page 1 of 1"));
    free(text);
    buf_free(&out);
    buf_free(&png);

    qr_t q;
    assert_true(qr_encode("GUANBIAO", &q));
    assert_true(q.width >= 21);
    qr_free(&q);
}

static void *make_documents(void *arg)
{
    bool *ok = arg;
    *ok = true;
    for (int i = 0; i < 3; i++) {
        buf_t out;
        buf_init(&out, 64u << 20);
        *ok = *ok && long_table(&out, "并行") && out.len > 1000;
        buf_free(&out);
    }
    return NULL;
}

static void documents_on_several_threads_at_once(void **state)
{
    UNUSED;
    enum { THREADS = 4 };
    pthread_t t[THREADS];
    bool ok[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, make_documents, &ok[i]), 0);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_true(ok[i]);
    }
}

static void csv_export_has_bom_and_neutralised_cells(void **state)
{
    UNUSED;
    const char *headers[] = {"名称", "值"};
    export_t *x = export_begin(EXPORT_CSV, "表", headers, NULL, 2);
    assert_non_null(x);
    assert_true(export_row(x, (const char *[]){"=1+2", "a,b"}, NULL));
    buf_t out;
    buf_init(&out, 1u << 20);
    assert_true(export_finish(x, &out));
    assert_string_equal(out.data, "\xEF\xBB\xBF名称,值\r\n'=1+2,\"a,b\"\r\n");
    buf_free(&out);

    x = export_begin(EXPORT_XLSX, "a/b:c", headers, (const double[]){20, 0}, 2);
    assert_non_null(x);
    assert_true(export_row(x, (const char *[]){"文本", "42"}, (const bool[]){false, true}));
    buf_init(&out, 1u << 20);
    assert_true(export_finish(x, &out));
    assert_memory_equal(out.data, "PK", 2);   /* a zip */
    buf_free(&out);
    assert_int_equal(export_format_parse("xlsx"), EXPORT_XLSX);
    assert_int_equal(export_format_parse("XLSX"), EXPORT_NONE);
}

/* A text 230 mm down the first page (19 mm remain): pdf_keep(d, keep) before it, then the
 * text's page (1 or 2) and the document's page count. */
static int page_of_kept_text(double keep, int *pages)
{
    pdf_doc_t *d = pdf_new(&(pdf_options_t){.title = "keep", .lang = LANG_ZH});
    pdf_text(d, "首页", NULL);
    pdf_space(d, 230);
    pdf_keep(d, keep);
    pdf_text(d, "保留标题", &PDF_HEADING);
    buf_t out;
    buf_init(&out, 16u << 20);
    assert_true(pdf_finish(d, &out));
    pdf_free(d);
    char *text = pdf_text_of(&out);
    *pages = count(text, "\f");
    const char *at = strstr(text, "保留标题"), *first_end = strchr(text, '\f');
    assert_non_null(at);
    int page = at < first_end ? 1 : 2;
    free(text);
    buf_free(&out);
    return page;
}

static void keep_starts_a_new_page_only_when_too_little_remains(void **state)
{
    UNUSED;
    int pages;
    assert_int_equal(page_of_kept_text(10, &pages), 1);   /* 10 mm fit in the 19 left */
    assert_int_equal(pages, 1);
    assert_int_equal(page_of_kept_text(30, &pages), 2);   /* 30 mm do not: the heading moves */
    assert_int_equal(pages, 2);
}

/* A drawing is painted once (not in the counting pass) with the text width; charts' labels and
 * numbers are text in the PDF, a NaN value writes "—". */
static int drawn;
static double drawn_width;
static void count_drawing(cairo_t *cr, double x, double y, double width, double height, const void *data)
{
    (void)cr, (void)x, (void)y, (void)height;
    drawn++;
    drawn_width = width;
    assert_string_equal(data, "payload");
}

static void drawings_and_charts(void **state)
{
    UNUSED;
    static const char *const labels[] = {"发明专利授权量", "发明专利授权率", "研发投入占比"};
    static const double before[] = {10, 40, 3}, after[] = {20, 38, 0.0 / 0.0}, scaled[] = {1.5, -1.25, 4};
    chart_bars_t pair = {.n = 3, .labels = labels, .a = before, .b = after, .a_name = "贯标前", .b_name = "贯标后",
                         .decimals = 2};
    chart_bars_t diverging = {.n = 3, .labels = labels, .a = scaled, .limit = 3, .decimals = 2};
    pdf_doc_t *d = pdf_new(&(pdf_options_t){.lang = LANG_ZH});
    drawn = 0;
    pdf_drawing(d, 20, count_drawing, "payload");
    pdf_drawing(d, chart_bars_height_mm(3), chart_bars_draw, &pair);
    pdf_drawing(d, chart_bars_height_mm(3), chart_bars_draw, &diverging);
    buf_t out;
    buf_init(&out, 16u << 20);
    assert_true(pdf_finish(d, &out));
    pdf_free(d);
    assert_int_equal(drawn, 1);
    assert_true(drawn_width > 480 && drawn_width < 482);   /* A4 less two 20 mm margins, in points */
    char *text = pdf_text_of(&out);
    static const char *const expected[] = {"发明专利授权量", "贯标前", "贯标后", "20.00", "38.00", "—", "-1.25", "4.00", "+3"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        assert_non_null(strstr(text, expected[i]));
    free(text);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_breaks_across_pages_repeating_its_header),
        cmocka_unit_test(keep_starts_a_new_page_only_when_too_little_remains),
        cmocka_unit_test(images_and_qr_codes),
        cmocka_unit_test(drawings_and_charts),
        cmocka_unit_test(documents_on_several_threads_at_once),
        cmocka_unit_test(csv_export_has_bom_and_neutralised_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

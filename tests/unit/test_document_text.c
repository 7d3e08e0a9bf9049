/* Covers core/document_text: the format decided by the bytes, and the text of each format —
 * plain text in UTF-8 (with and without BOM, CRLF) and GBK, HTML (GBK with a meta charset,
 * blocks as lines, script and style dropped), DOCX made here with libzip (runs, tabs, breaks,
 * deleted text left out; damaged, DTD and zip-bomb documents refused) and PDF made here with
 * cairo (a page of text; a page holding only an image is "no text"; a damaged file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/document_text.h"
#include "core/xlsx.h"

#define UNUSED (void)state

/* Under -Db_sanitize=address (tests/run.sh's sanitized units): what the libraries keep inside
 * themselves, as tests/unit/test_pdf.c names it; nothing of ours allocates below these. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";   /* full stacks through the libraries, for the names below */
}
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:FcInitLoadConfigAndFonts\n";   /* fontconfig's configuration (cairo's toy font), once */
}

/* The text of data as document_text_extract gives it (detected format), or NULL with *code. */
static char *extract(const void *data, size_t len, const char **code)
{
    buf_t out;
    buf_init(&out, 1u << 24);
    bool ok = document_text_extract(document_format_detect(data, len), data, len, &out, code);
    if (!ok) {
        buf_free(&out);
        return NULL;
    }
    assert_null(*code);
    return buf_take(&out);
}

static void expect_text(const void *data, size_t len, const char *expected)
{
    const char *code = NULL;
    char *text = extract(data, len, &code);
    if (text == NULL)
        fail_msg("extraction failed: %s", code);
    assert_string_equal(text, expected);
    free(text);
}

static void expect_error(const void *data, size_t len, const char *expected_code)
{
    const char *code = NULL;
    char *text = extract(data, len, &code);
    assert_null(text);
    assert_non_null(code);
    assert_string_equal(code, expected_code);
}

/* A zip in memory holding the given parts (name, content pairs, NULL-terminated): malloc'd. */
static void *make_zip(size_t *len, const char *const *parts)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    assert_non_null(z);
    zip_source_keep(src);
    for (int i = 0; parts[i] != NULL; i += 2) {
        zip_source_t *part = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_true(zip_file_add(z, parts[i], part, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    void *data = malloc((size_t)size);
    assert_int_equal(zip_source_read(src, data, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&err);
    *len = (size_t)size;
    return data;
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static void *make_docx(size_t *len, const char *body)
{
    char *xml = malloc(strlen(body) + 512);
    sprintf(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document " W_NS "><w:body>%s</w:body></w:document>",
            body);
    const char *parts[] = {"[Content_Types].xml", "<Types/>", "word/document.xml", xml, NULL};
    void *data = make_zip(len, parts);
    free(xml);
    return data;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A one-page PDF: text drawn with cairo's toy font API (ASCII), or only a filled image. */
static void make_pdf(buf_t *out, const char *text)
{
    buf_init(out, 1u << 24);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, 595, 842);
    cairo_t *cr = cairo_create(s);
    if (text != NULL) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 12);
        cairo_move_to(cr, 72, 72);
        cairo_show_text(cr, text);
    } else {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 32);
        cairo_t *ic = cairo_create(img);
        cairo_set_source_rgb(ic, 0.2, 0.2, 0.2);
        cairo_paint(ic);
        cairo_destroy(ic);
        cairo_set_source_surface(cr, img, 72, 72);
        cairo_paint(cr);
        cairo_surface_destroy(img);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

static void formats_by_bytes(void **state)
{
    UNUSED;
    assert_int_equal(document_format_detect("%PDF-1.7\n", 9), DOCUMENT_PDF);
    assert_int_equal(document_format_detect("<!DOCTYPE html><p>x", 19), DOCUMENT_HTML);
    assert_int_equal(document_format_detect("\xEF\xBB\xBF \n <HTML>", 12), DOCUMENT_HTML);
    assert_int_equal(document_format_detect("<p>第一条", 12), DOCUMENT_HTML);
    assert_int_equal(document_format_detect("<?xml version=\"1.0\"?><html>", 27), DOCUMENT_HTML);
    assert_int_equal(document_format_detect("<para>not html", 14), DOCUMENT_TEXT);
    assert_int_equal(document_format_detect("第一条 为了", 16), DOCUMENT_TEXT);
    assert_int_equal(document_format_detect("", 0), DOCUMENT_TEXT);
    assert_int_equal(document_format_detect("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), DOCUMENT_UNKNOWN);
    assert_int_equal(document_format_detect("MZ\x90\0\x03\0\0\0", 8), DOCUMENT_UNKNOWN);
    size_t len;
    void *docx = make_docx(&len, "<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    assert_int_equal(document_format_detect(docx, len), DOCUMENT_DOCX);
    free(docx);
    const char *parts[] = {"xl/workbook.xml", "<workbook/>", NULL};
    void *xlsx = make_zip(&len, parts);
    assert_int_equal(document_format_detect(xlsx, len), DOCUMENT_UNKNOWN);     /* a zip, not Word */
    free(xlsx);
    assert_string_equal(document_format_name(DOCUMENT_DOCX), "docx");
    assert_string_equal(document_format_name(DOCUMENT_UNKNOWN), "unknown");
    expect_error("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "document_unsupported");
}

static void plain_text(void **state)
{
    UNUSED;
    const char *crlf = "\xEF\xBB\xBF" "第一条　为了支持贯标。\r\n\r\n  第二条 须通过认证。  \r\n\rthird\n";
    expect_text(crlf, strlen(crlf), "第一条　为了支持贯标。\n第二条 须通过认证。\nthird");
    /* "申报须通过认证" in GBK: 申 C9EA 报 B1A8 须 D0EB 通 CDA8 过 B9FD 认 C8CF 证 D6A4 */
    const char gbk[] = "\xC9\xEA\xB1\xA8\xD0\xEB\xCD\xA8\xB9\xFD\xC8\xCF\xD6\xA4\r\n";
    expect_text(gbk, strlen(gbk), "申报须通过认证");
    expect_error("abc\x81", 4, "document_encoding");
    /* UTF-16 with its BOM (Notepad's "Unicode"): little-endian text, a big-endian page */
    const char le[] = "\xFF\xFE" "\x7B\x98\x1A\x90\xC7\x8F" "\x0D\x00\x0A\x00" "a\x00";
    assert_int_equal(document_format_detect(le, 14), DOCUMENT_TEXT);
    expect_text(le, 14, "须通过\na");
    const char be[] = "\xFE\xFF" "\x00<\x00p\x00>\x98\x7B";
    assert_int_equal(document_format_detect(be, 10), DOCUMENT_HTML);
    expect_text(be, 10, "须");
    expect_error("\xFF\xFE\x00\xD8", 4, "document_encoding");    /* a lone surrogate */
    /* past the first 64 KiB a NUL does not make it binary, but it is not kept */
    char *late = malloc(70001);
    memset(late, 'a', 70000);
    late[69000] = '\0';
    late[69001] = '\x1b';
    const char *code = NULL;
    char *text = extract(late, 70000, &code);
    assert_non_null(text);
    assert_int_equal(strlen(text), 69998);
    free(text);
    free(late);
    expect_error(" \r\n\t\n", 5, "document_no_text");
    expect_error("\x1b\n \x1b \n", 6, "document_no_text");      /* escapes only */
    expect_text("a\n\x1b\nb \x1b\n", 8, "a\nb");
    expect_error("", 0, "document_no_text");
    /* appended after what out holds, on a line of its own; a failure leaves out as it was */
    buf_t out;
    buf_init(&out, 1024);
    buf_puts(&out, "before");
    assert_true(document_text_extract(DOCUMENT_TEXT, "after", 5, &out, &code));
    assert_string_equal(out.data, "before\nafter");
    assert_false(document_text_extract(DOCUMENT_TEXT, "  ", 2, &out, &code));
    assert_string_equal(out.data, "before\nafter");
    buf_free(&out);
}

static void html_pages(void **state)
{
    UNUSED;
    const char *page = "<!doctype html><html><head><title>不要</title><style>p{color:red}</style></head><body>"
                       "<h1>关于  支持贯标的通知</h1><p>申报企业须通过贯标认证\n   方可申报。<br>第二行 &amp; 实体</p>"
                       "<script>var s = '不要';</script><ul><li>一是</li><li>二是</li></ul>"
                       "<table><tr><td>甲</td><td>乙</td></tr></table><pre>  保留\n  空白</pre></body></html>";
    expect_text(page, strlen(page),
                "关于 支持贯标的通知\n申报企业须通过贯标认证方可申报。\n第二行 & 实体\n一是\n二是\n甲\t乙\n保留\n空白");
    /* GBK with <meta charset=gbk>: "须通过认证" */
    const char gbk[] = "<html><head><meta charset=\"gbk\"></head><body><p>\xD0\xEB\xCD\xA8\xB9\xFD\xC8\xCF\xD6\xA4</p></body></html>";
    expect_text(gbk, strlen(gbk), "须通过认证");
    const char gb2312[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>"
                          "<body><div>\xC8\xCF\xD6\xA4</div></body></html>";
    expect_text(gb2312, strlen(gb2312), "认证");
    /* undeclared GBK is detected */
    const char guess[] = "<p>\xC8\xCF\xD6\xA4</p>";
    expect_text(guess, strlen(guess), "认证");
    const char *empty = "<html><body><script>x()</script></body></html>";
    expect_error(empty, strlen(empty), "document_no_text");
}

static void docx_documents(void **state)
{
    UNUSED;
    size_t len;
    void *docx = make_docx(&len,
        "<w:p><w:r><w:t>关于支持贯标的措施</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
        "<w:r><w:t xml:space=\"preserve\">申报企业须通过 </w:t></w:r><w:r><w:t>贯标认证方可申报。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>名称</w:t><w:tab/><w:t>金额</w:t><w:br/><w:t>第二行</w:t></w:r>"
        "<w:del><w:r><w:delText>删去的</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
        "<w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl>");
    expect_text(docx, len, "关于支持贯标的措施\n申报企业须通过 贯标认证方可申报。\n名称\t金额\n第二行\n甲");
    /* damaged: the zip cut short */
    expect_error(docx, len / 2, "document_unreadable");
    free(docx);
    /* a DTD (entity expansion) is refused */
    const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaa\">]>"
                      "<w:document " W_NS "><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>";
    const char *parts[] = {"word/document.xml", dtd, NULL};
    void *bad = make_zip(&len, parts);
    expect_error(bad, len, "document_unreadable");
    free(bad);
    /* broken XML */
    const char *broken[] = {"word/document.xml", "<w:document " W_NS "><w:body><w:p>", NULL};
    bad = make_zip(&len, broken);
    expect_error(bad, len, "document_unreadable");
    free(bad);
    /* no text at all */
    docx = make_docx(&len, "<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>");
    expect_error(docx, len, "document_no_text");
    free(docx);
}

/* A paragraph of list NUM at level ILVL, its text T. */
#define LIST_P(num, ilvl, t) \
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" #ilvl "\"/><w:numId w:val=\"" #num "\"/></w:numPr></w:pPr>" \
    "<w:r><w:t>" t "</w:t></w:r></w:p>"
#define LVL(ilvl, start, fmt, text) \
    "<w:lvl w:ilvl=\"" #ilvl "\"><w:start w:val=\"" #start "\"/><w:numFmt w:val=\"" fmt "\"/>" \
    "<w:lvlText w:val=\"" text "\"/></w:lvl>"

/* Word's list numbers live in numbering.xml, not in the text: they are reproduced, counted as
 * Word counts (levels restart under a moved shallower level, lists of one abstract list continue
 * it, w:startOverride restarts), in the formats Chinese documents use. */
static void docx_list_numbers(void **state)
{
    UNUSED;
    const char *numbering =
        "<w:numbering " W_NS ">"
        "<w:abstractNum w:abstractNumId=\"10\">" LVL(0, 1, "chineseCounting", "%1、") LVL(1, 1, "chineseCounting", "（%2）")
        LVL(2, 1, "decimal", "%3.") LVL(3, 1, "decimalEnclosedCircle", "%4") "</w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"11\">" LVL(0, 1, "bullet", "\xEF\x82\xB7") "</w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"12\">" LVL(0, 10, "chineseCountingThousand", "第%1条") LVL(1, 1, "decimal", "%1.%2")
        "</w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"13\">" LVL(0, 105, "chineseCounting", "%1、") LVL(1, 1, "upperRoman", "%2)")
        LVL(2, 1, "lowerLetter", "%3)") LVL(3, 1, "ideographTraditional", "%4、") LVL(4, 1, "decimalFullWidth", "%5．")
        "</w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"10\"/></w:num>"
        "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"10\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>"
        "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"11\"/></w:num>"
        "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"12\"/></w:num>"
        "<w:num w:numId=\"5\"><w:abstractNumId w:val=\"13\"/></w:num>"
        "</w:numbering>";
    char xml[8192];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS "><w:body>"
             LIST_P(1, 0, "总则") LIST_P(1, 1, "申报条件：") LIST_P(1, 2, "在本市注册") LIST_P(1, 2, "通过认证")
             LIST_P(1, 3, "甲") LIST_P(1, 3, "乙") LIST_P(1, 1, "支持标准")
             LIST_P(1, 0, "附则") LIST_P(1, 1, "解释") LIST_P(3, 0, "要点")
             "<w:p><w:pPr><w:pPrChange><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
             "</w:pPrChange></w:pPr><w:r><w:t>曾是列表</w:t></w:r></w:p>"
             LIST_P(2, 0, "重新编号") LIST_P(1, 1, "接续")
             LIST_P(4, 0, "起始") LIST_P(4, 1, "款") LIST_P(4, 0, "其次")
             LIST_P(5, 0, "百零五") LIST_P(5, 1, "罗马") LIST_P(5, 1, "罗马二") LIST_P(5, 2, "字母") LIST_P(5, 3, "天干")
             LIST_P(5, 4, "全角") LIST_P(5, 0, "百零六") LIST_P(9, 0, "未知列表")
             "</w:body></w:document>");
    const char *parts[] = {"word/document.xml", xml, "word/numbering.xml", numbering, NULL};
    size_t len;
    void *docx = make_zip(&len, parts);
    expect_text(docx, len,
                "一、总则\n（一）申报条件：\n1.在本市注册\n2.通过认证\n①甲\n②乙\n（二）支持标准\n"
                "二、附则\n（一）解释\n要点\n曾是列表\n一、重新编号\n（一）接续\n"
                "第十条起始\n十.1 款\n第十一条其次\n"
                "一百零五、百零五\nI)罗马\nII)罗马二\na)字母\n甲、天干\n１．全角\n一百零六、百零六\n未知列表");
    free(docx);
    /* a damaged numbering.xml costs the numbers, not the text */
    const char *broken[] = {"word/document.xml", xml, "word/numbering.xml", "<w:numbering " W_NS "><w:num", NULL};
    docx = make_zip(&len, broken);
    const char *code = NULL;
    char *text = extract(docx, len, &code);
    assert_non_null(text);
    assert_non_null(strstr(text, "总则\n申报条件：\n在本市注册\n"));
    free(text);
    free(docx);
}

static void docx_zip_bomb(void **state)
{
    UNUSED;
    /* word/document.xml of 65 MiB (compresses to a few hundred KiB): refused by its size */
    size_t big = DOCUMENT_DOCX_MAX_XML + (1u << 20);
    char *xml = malloc(big + 1);
    memset(xml, ' ', big);
    memcpy(xml, "<w:document " W_NS ">", strlen("<w:document " W_NS ">"));
    xml[big] = '\0';
    const char *parts[] = {"word/document.xml", xml, NULL};
    size_t len;
    void *bomb = make_zip(&len, parts);
    free(xml);
    assert_true(len < big / 50);
    expect_error(bomb, len, "document_unreadable");
    free(bomb);
}

static void pdf_documents(void **state)
{
    UNUSED;
    buf_t pdf;
    make_pdf(&pdf, "Applicants must hold the certificate.");
    assert_int_equal(document_format_detect(pdf.data, pdf.len), DOCUMENT_PDF);
    expect_text(pdf.data, pdf.len, "Applicants must hold the certificate.");
    expect_error(pdf.data, pdf.len / 3, "document_unreadable");
    buf_free(&pdf);
    make_pdf(&pdf, NULL);    /* an image and no text: a scan */
    expect_error(pdf.data, pdf.len, "document_no_text");
    buf_free(&pdf);
    expect_error("%PDF-1.4\ngarbage", 16, "document_unreadable");
}

typedef struct shared_docs {
    buf_t pdf;
    void *docx;
    size_t docx_len;
    const char *html;
} shared_docs_t;

/* The text of data, or NULL: no cmocka assertion here (it runs on other threads). */
static char *extract_quietly(const void *data, size_t len)
{
    buf_t out;
    buf_init(&out, 1u << 24);
    const char *code;
    if (!document_text_extract(document_format_detect(data, len), data, len, &out, &code)) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out);
}

static void *extract_many(void *arg)
{
    const shared_docs_t *docs = arg;
    for (int i = 0; i < 20; i++) {
        char *pdf = extract_quietly(docs->pdf.data, docs->pdf.len);
        char *docx = extract_quietly(docs->docx, docs->docx_len);
        char *html = extract_quietly(docs->html, strlen(docs->html));
        bool ok = pdf != NULL && strcmp(pdf, "Applicants must hold the certificate.") == 0 && docx != NULL &&
                  strcmp(docx, "须通过认证") == 0 && html != NULL && strcmp(html, "一\n二") == 0;
        free(pdf);
        free(docx);
        free(html);
        if (!ok)
            return (void *)1;
    }
    return NULL;
}

/* The registry extracts on worker threads: four at once, each its own documents' objects. */
static void threads_at_once(void **state)
{
    UNUSED;
    shared_docs_t docs = {.html = "<p>一</p><p>二</p>"};
    make_pdf(&docs.pdf, "Applicants must hold the certificate.");
    docs.docx = make_docx(&docs.docx_len, "<w:p><w:r><w:t>须通过认证</w:t></w:r></w:p>");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, extract_many, &docs), 0);
    for (int i = 0; i < 4; i++) {
        void *failed;
        pthread_join(t[i], &failed);
        assert_null(failed);
    }
    buf_free(&docs.pdf);
    free(docs.docx);
}

int main(void)
{
    xlsx_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_by_bytes), cmocka_unit_test(plain_text),     cmocka_unit_test(html_pages),
        cmocka_unit_test(docx_documents),   cmocka_unit_test(docx_list_numbers), cmocka_unit_test(docx_zip_bomb),  cmocka_unit_test(pdf_documents),
        cmocka_unit_test(threads_at_once),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data();     /* the toy font cache of make_pdf: not a leak of ours */
    return failed;
}

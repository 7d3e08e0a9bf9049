/* Covers report/policy_report: a policy's detail document written here by hand (the shape of
 * GET /api/policies/{id}), rendered as PDF and read back with poppler-glib (the Chinese title,
 * the status, an excerpt, a reason, the numbered spans in the text, page numbers), and as XLSX
 * read back with libzip (a findings sheet and a metadata sheet; the reason, the title); English
 * headings; overlapping and out-of-range spans; a document lacking what the report needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poppler.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "report/policy_report.h"

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
    return "leak:cairo_surface_finish\n"        /* the CFF subsetter: ~768 bytes per font subset */
           "leak:FcInitLoadConfigAndFonts\n"    /* fontconfig's configuration, once */
           "leak:FcFontSetMatch\n"              /* pango's font-loading thread */
           "leak:FcFontRenderPrepare\n"
           "leak:pango_layout_get_iter\n"       /* fonts loaded into a thread's font map … */
           "leak:pango_layout_get_size\n"
           "leak:pango_renderer_draw_layout\n"; /* … on first use */
}

static const char TEXT[] = "第一条　为支持知识产权贯标工作，制定本措施。\n"
                           "第二条　申报市级示范企业的，须通过知识产权管理体系认证方可申报。\n"
                           "第三条　认证机构须成立满十年。";

static json_t *finding(int id, const char *rule, const char *severity, int start, int end, const char *excerpt,
                       const char *decision, const char *reason)
{
    return json_pack("{s:i, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", id, "rule", rule, "severity",
                     severity, "start", start, "end", end, "excerpt", excerpt, "explanation",
                     "将认证作为申报条件，违反通知第三点。", "decision", decision, "reason", reason, "decided_by",
                     reason ? "国家局审查员" : NULL, "decided_at", reason ? "2026-03-02T09:15:00Z" : NULL);
}

/* The detail document: offsets in characters of TEXT (第二条 starts at 23). */
static json_t *detail(void)
{
    json_t *findings = json_array();
    json_array_append_new(findings, finding(11, "R1", "high", 37, 54, "须通过知识产权管理体系认证方可申报", "confirmed",
                                            "以认证为申报前置条件，确认违规"));
    json_array_append_new(findings, finding(12, "R3", "medium", 60, 70, "认证机构须成立满十年", "pending", NULL));
    /* overlaps the first, and one past the text's end (clipped) */
    json_array_append_new(findings, finding(13, "R2", "low", 40, 46, "知识产权管理", "dismissed", "仅为描述，不构成条件"));
    json_array_append_new(findings, finding(14, "R4", "low", 70, 9999, "", "pending", NULL));
    json_t *revisions = json_pack("[{s:i, s:s, s:{s:i, s:i, s:i}}]", "revision", 1, "created_at", "2026-03-01T08:00:00Z",
                                  "findings", "pending", 2, "confirmed", 1, "dismissed", 1);
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s, s:n, s:s, s:s, s:s, s:s,"
                     " s:{s:i, s:s, s:s, s:n, s:i, s:s}, s:o, s:{s:i, s:i, s:i}}",
                     "id", 7, "title", "关于支持知识产权贯标的若干措施", "office", "某市市场监督管理局", "region", "440300",
                     "region_name", "广东省深圳市", "document_number", "深市监〔2026〕3号", "issued_on", "2026-02-01",
                     "status", "to_amend", "current_revision", 1, "findings", findings, "updated_at",
                     "2026-03-02T09:15:00Z", "effective_from", "2026-02-01", "effective_until", "status_note",
                     "第二条须删除申报前置条件", "status_by", "国家局审查员", "status_at", "2026-03-02T09:20:00Z",
                     "created_at", "2026-03-01T08:00:00Z", "revision", "revision", 1, "text", TEXT, "source_format",
                     "docx", "file_id", "ruleset_version", 1, "created_at", "2026-03-01T08:00:00Z", "revisions",
                     revisions, "finding_counts", "pending", 2, "confirmed", 1, "dismissed", 1);
}

/* The text of every page of the PDF, joined. */
static char *pdf_text_of(const buf_t *pdf, int *pages)
{
    GBytes *bytes = g_bytes_new_static(pdf->data, pdf->len);
    GError *error = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    assert_non_null(doc);
    GString *all = g_string_new("");
    *pages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < *pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *t = poppler_page_get_text(page);
        g_string_append(all, t);
        g_string_append_c(all, '\n');
        g_free(t);
        g_object_unref(page);
    }
    g_object_unref(doc);
    return g_string_free(all, FALSE);
}

/* s without line feeds and blanks (space, U+3000), in a new string: poppler gives a page's
 * lines (a sentence may be broken across two) and drops or keeps blanks as the layout has them. */
static char *squeezed(const char *s)
{
    char *flat = g_strdup(s), *w = flat;
    for (const char *p = s; *p;) {
        if (*p == '\n' || *p == ' ') {
            p++;
        } else if (strncmp(p, "\u3000", 3) == 0) {
            p += 3;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return flat;
}

static bool contains_unwrapped(const char *haystack, const char *needle)
{
    char *h = squeezed(haystack), *n = squeezed(needle);
    bool found = strstr(h, n) != NULL;
    g_free(h);
    g_free(n);
    return found;
}

/* The named part of the zip, NUL-terminated (malloc'd), or NULL. */
static char *zip_part(const buf_t *file, const char *name)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(file->data, file->len, 0, &err);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &err);
    assert_non_null(z);
    zip_stat_t st;
    char *text = NULL;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        text = calloc(1, st.size + 1);
        assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
    }
    zip_discard(z);
    zip_error_fini(&err);
    return text;
}

static void pdf_report(void **state)
{
    UNUSED;
    json_t *doc = detail();
    buf_t pdf;
    buf_init(&pdf, 64u << 20);
    assert_true(policy_report_pdf(doc, "zh", &pdf));
    assert_memory_equal(pdf.data, "%PDF-", 5);
    int pages;
    char *text = pdf_text_of(&pdf, &pages);
    assert_true(pages >= 1);
    assert_true(contains_unwrapped(text, "地方政策公平竞争审查报告"));
    assert_true(contains_unwrapped(text, "关于支持知识产权贯标的若干措施"));
    assert_true(contains_unwrapped(text, "待修改"));                       /* the status */
    assert_true(contains_unwrapped(text, "第二条须删除申报前置条件"));     /* its note */
    assert_true(contains_unwrapped(text, "以认证为申报前置条件，确认违规")); /* a reason */
    assert_true(contains_unwrapped(text, "认证机构须成立满十年"));         /* an excerpt */
    assert_true(contains_unwrapped(text, "确认违规"));
    /* the text with the numbers before the spans: 〔1〕 before 须通过…, 〔3〕 inside it */
    assert_true(contains_unwrapped(text, "第二条　申报市级示范企业的，〔1〕须通过〔3〕知识产权管理体系认证方可申报。"));
    assert_true(contains_unwrapped(text, "第三条　〔2〕认证机构须成立满十年〔4〕。"));
    assert_true(contains_unwrapped(text, "第 1 页 / 共"));
    g_free(text);
    buf_free(&pdf);

    buf_init(&pdf, 64u << 20);
    assert_true(policy_report_pdf(doc, "en", &pdf));
    text = pdf_text_of(&pdf, &pages);
    assert_true(contains_unwrapped(text, "Fair-Competition Review of a Local Policy"));
    assert_true(contains_unwrapped(text, "To be amended"));
    assert_true(contains_unwrapped(text, "Page 1 of"));
    g_free(text);
    buf_free(&pdf);
    json_decref(doc);
}

static void pdf_long_text(void **state)
{
    UNUSED;
    /* 50,000 characters in 500 paragraphs, a finding in each: pages and pages, every one numbered */
    GString *t = g_string_new("");
    json_t *doc = detail(), *findings = json_array();
    for (int i = 0; i < 500; i++) {
        size_t start = g_utf8_strlen(t->str, -1);
        for (int k = 0; k < 99; k++)
            g_string_append(t, k == 10 ? "须" : "文");
        g_string_append(t, "\n");
        json_array_append_new(findings, finding(100 + i, "R1", "high", (int)start + 10, (int)start + 11, "须",
                                                "pending", NULL));
    }
    json_object_set_new(json_object_get(doc, "revision"), "text", json_string(t->str));
    json_object_set_new(doc, "findings", findings);
    buf_t pdf;
    buf_init(&pdf, 64u << 20);
    assert_true(policy_report_pdf(doc, "zh", &pdf));
    int pages;
    char *text = pdf_text_of(&pdf, &pages);
    assert_true(pages > 20);
    assert_non_null(strstr(text, "〔500〕"));
    g_free(text);
    buf_free(&pdf);
    json_decref(doc);
    g_string_free(t, TRUE);
}

static void xlsx_report(void **state)
{
    UNUSED;
    json_t *doc = detail();
    buf_t xlsx;
    buf_init(&xlsx, 64u << 20);
    assert_true(policy_report_xlsx(doc, "zh", &xlsx));
    assert_memory_equal(xlsx.data, "PK", 2);
    char *book = zip_part(&xlsx, "xl/workbook.xml");
    assert_non_null(book);
    assert_non_null(strstr(book, "name=\"审查发现\""));
    assert_non_null(strstr(book, "name=\"政策信息\""));
    free(book);
    char *findings = zip_part(&xlsx, "xl/worksheets/sheet1.xml");
    char *meta = zip_part(&xlsx, "xl/worksheets/sheet2.xml");
    char *strings = zip_part(&xlsx, "xl/sharedStrings.xml");    /* none in constant-memory mode */
    const char *all[] = {findings, meta, strings};
    bool reason = false, title = false, excerpt = false;
    for (int i = 0; i < 3; i++) {
        if (all[i] == NULL)
            continue;
        reason |= strstr(all[i], "以认证为申报前置条件，确认违规") != NULL;
        excerpt |= strstr(all[i], "认证机构须成立满十年") != NULL;
        title |= strstr(all[i], "关于支持知识产权贯标的若干措施") != NULL;
    }
    assert_true(reason);
    assert_true(excerpt);
    assert_true(title);
    assert_non_null(findings);
    assert_non_null(strstr(findings, "确认违规"));
    assert_non_null(meta);
    assert_non_null(strstr(meta, "深市监〔2026〕3号"));
    free(findings);
    free(meta);
    free(strings);
    buf_free(&xlsx);

    buf_init(&xlsx, 64u << 20);
    assert_true(policy_report_xlsx(doc, "en", &xlsx));
    book = zip_part(&xlsx, "xl/workbook.xml");
    assert_non_null(strstr(book, "name=\"Findings\""));
    free(book);
    buf_free(&xlsx);
    json_decref(doc);
}

static void incomplete_document(void **state)
{
    UNUSED;
    json_t *doc = detail();
    json_object_del(doc, "revision");
    buf_t out;
    buf_init(&out, 1u << 20);
    assert_false(policy_report_pdf(doc, "zh", &out));
    assert_false(policy_report_xlsx(doc, "zh", &out));
    assert_int_equal(out.len, 0);
    buf_free(&out);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_report),
        cmocka_unit_test(pdf_long_text),
        cmocka_unit_test(xlsx_report),
        cmocka_unit_test(incomplete_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

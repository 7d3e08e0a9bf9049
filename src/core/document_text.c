/* Document text extraction (see document_text.h; docs/policies.md "Extraction"): the format from
 * the bytes, then plain text through core/cells.h's UTF-8/GB18030 detection, HTML through
 * libxml2's HTML parser, DOCX through libzip + libxml2's reader on word/document.xml, PDF
 * through poppler-glib. Every path ends in the same clean-up (CRLF and CR made LF, blanks at the
 * ends of lines trimmed, blank lines dropped), so that a paragraph is one line. */
#include "core/document_text.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <poppler.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "core/arena.h"
#include "core/cells.h"
#include "core/text.h"
#include "core/zip_memory.h"

static const char BOM[] = "\xEF\xBB\xBF";

/* UTF-16 with its byte-order mark (what Notepad saves as "Unicode")? */
static bool utf16_bom(const char *p, size_t len)
{
    return len >= 2 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
                        ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF));
}

/* ---- the format ---- */

static bool has_prefix_ci(const char *p, size_t left, const char *prefix)
{
    size_t n = strlen(prefix);
    return left >= n && strncasecmp(p, prefix, n) == 0;
}

/* Is the zip data[0..len) a Word document (it holds word/document.xml)? A zip that cannot be
 * opened counts as one (a damaged .docx: its extraction says document_unreadable); a sound zip
 * without the part (a workbook, an archive) does not. */
static bool zip_is_docx(const void *data, size_t len)
{
    zip_t *zip = zip_open_memory(data, len);
    if (zip == NULL) {
        return true;
    }
    bool docx = zip_name_locate(zip, "word/document.xml", 0) >= 0;
    zip_discard(zip);     /* also frees the source */
    return docx;
}

/* Does an HTML start tag (or doctype) open the text, after a BOM and blanks? */
static bool looks_html(const char *p, size_t len)
{
    if (len >= 3 && memcmp(p, BOM, 3) == 0) {
        p += 3;
        len -= 3;
    }
    while (len > 0 && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    /* an XML declaration or a comment may come first (XHTML, pages saved by editors) */
    for (int round = 0; round < 4 && len > 0 && (has_prefix_ci(p, len, "<?xml") || has_prefix_ci(p, len, "<!--"));
         round++) {
        const char *end = has_prefix_ci(p, len, "<!--") ? memmem(p, len, "-->", 3) : memmem(p, len, "?>", 2);
        if (end == NULL)
            return false;
        end += end[0] == '-' ? 3 : 2;
        len -= (size_t)(end - p);
        p = end;
        while (len > 0 && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
    }
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<div",
                                       "<table", "<br", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", NULL};
    for (int i = 0; tags[i] != NULL; i++) {
        size_t n = strlen(tags[i]);
        if (has_prefix_ci(p, len, tags[i]) &&
            (tags[i][1] == '!' || len == n || p[n] == '>' || p[n] == '/' || isspace((unsigned char)p[n])))
            return true;
    }
    /* <p> or <p …>: the one-letter tag needs its delimiter */
    return len >= 3 && (p[1] == 'p' || p[1] == 'P') && p[0] == '<' && (p[2] == '>' || isspace((unsigned char)p[2]));
}

/* Text: no NUL and no control character other than tab, line feed, form feed, carriage return
 * and escape in the first 64 KiB (an image, an executable or an old .doc has some at once). */
static bool looks_text(const unsigned char *p, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\f' && p[i] != '\r' && p[i] != 0x1b)
            return false;
    return true;
}

document_format_t document_format_detect(const void *data, size_t len)
{
    const char *p = data;
    if (len == 0 || data == NULL)
        return DOCUMENT_TEXT;
    /* "%PDF-" within the first 1024 bytes, as readers accept it */
    if (memmem(p, len < 1024 ? len : 1024, "%PDF-", 5) != NULL)
        return DOCUMENT_PDF;
    if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return zip_is_docx(data, len) ? DOCUMENT_DOCX : DOCUMENT_UNKNOWN;
    if (utf16_bom(p, len)) {
        /* text or a page, told apart on the first 64 KiB decoded (an even count of bytes) */
        arena_t a = {0};
        const char *utf8;
        size_t utf8_len;
        size_t head = len < 65536 ? len : 65536;
        bool html = text_from_charset(&a, "UTF-16", p, head & ~(size_t)1, &utf8, &utf8_len) && looks_html(utf8, utf8_len);
        arena_free(&a);
        return html ? DOCUMENT_HTML : DOCUMENT_TEXT;
    }
    if (!looks_text(data, len))
        return DOCUMENT_UNKNOWN;
    return looks_html(p, len) ? DOCUMENT_HTML : DOCUMENT_TEXT;
}

const char *document_format_name(document_format_t format)
{
    static const char *names[] = {"text", "html", "docx", "pdf", "unknown"};
    return (unsigned)format <= DOCUMENT_UNKNOWN ? names[format] : "unknown";
}

/* ---- the common clean-up ---- */

/* A space, tab or other control character: trimmed from the ends of lines. */
static bool blank_or_control(char c)
{
    return (unsigned char)c <= 0x20;
}

/* Appends s[0..len) (UTF-8) to out as lines: CRLF and lone CR become LF, blanks (space, tab,
 * U+00A0) and control characters at both ends of each line are trimmed, empty lines are
 * dropped, control characters other than tab inside a line are dropped; a line feed ends every
 * line but the last. True when anything was
 * appended. */
static bool append_lines(buf_t *out, const char *s, size_t len)
{
    bool any = false;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && s[i] != '\n' && s[i] != '\r')
            i++;
        size_t end = i;
        if (i < len && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
            i++;
        i++;
        for (;;) {
            if (start < end && blank_or_control(s[start]))
                start++;
            else if (end - start >= 2 && (unsigned char)s[start] == 0xC2 && (unsigned char)s[start + 1] == 0xA0)
                start += 2;
            else
                break;
        }
        for (;;) {
            if (end > start && blank_or_control(s[end - 1]))
                end--;
            else if (end - start >= 2 && (unsigned char)s[end - 2] == 0xC2 && (unsigned char)s[end - 1] == 0xA0)
                end -= 2;
            else
                break;
        }
        if (end == start)
            continue;
        if (out->len > 0 && out->data[out->len - 1] != '\n')
            buf_puts(out, "\n");
        /* control characters other than tab (a NUL, a stray ESC or FF) are dropped */
        size_t run = start;
        for (size_t k = start; k <= end; k++) {
            if (k == end || ((unsigned char)s[k] < 0x20 && s[k] != '\t')) {
                buf_append(out, s + run, k - run);
                run = k + 1;
            }
        }
        any = true;
    }
    return any;
}

/* The result of every format: out gets the cleaned lines of text[0..len). False, with out as
 * it was, when nothing but blanks is left (document_no_text) or out's cap is reached. */
static bool finish(buf_t *out, const char *text, size_t len, const char **code)
{
    size_t before = out->len;
    if (before > 0 && out->data[before - 1] != '\n')
        buf_puts(out, "\n");
    bool any = append_lines(out, text, len);
    if (any && !out->failed)
        return true;
    *code = out->failed ? "document_too_large" : "document_no_text";
    out->len = before;
    out->failed = false;
    if (out->data != NULL)
        out->data[before] = '\0';
    return false;
}

/* ---- plain text ---- */

/* data as UTF-8 in the arena (or in place): UTF-16 with a BOM; else, for a page that declares a
 * charset of the GB family (gb_declared), GB18030; else UTF-8 or GB18030 as the bytes say
 * (core/cells.h). False when it is none of them. */
static bool decode(arena_t *a, const char *data, size_t len, bool gb_declared, const char **utf8, size_t *utf8_len)
{
    if (utf16_bom(data, len))
        return text_from_charset(a, "UTF-16", data, len, utf8, utf8_len);
    if (gb_declared && text_from_charset(a, "GB18030", data, len, utf8, utf8_len))
        return true;
    text_encoding_t enc;
    return text_to_utf8(a, data, len, utf8, utf8_len, &enc);
}

static bool text_extract(const char *data, size_t len, buf_t *out, const char **code)
{
    arena_t a = {0};
    const char *text;
    size_t text_len;
    bool ok = decode(&a, data, len, false, &text, &text_len);
    if (!ok)
        *code = "document_encoding";
    else
        ok = finish(out, text, text_len, code);
    arena_free(&a);
    return ok;
}

/* ---- HTML ---- */

/* The charset an HTML page declares in its first 4 KiB (<meta charset="gbk"> or
 * <meta http-equiv="Content-Type" content="text/html; charset=gb2312">): true for the GB family
 * (gbk, gb2312, gb18030, x-gbk, cp936), which wins over the detection. */
static bool declares_gb(const char *p, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(p + i, "charset", 7) != 0)
            continue;
        size_t k = i + 7;
        while (k < n && (p[k] == ' ' || p[k] == '='))
            k++;
        while (k < n && (p[k] == '"' || p[k] == '\''))
            k++;
        static const char *const names[] = {"gbk", "gb2312", "gb18030", "x-gbk", "cp936", NULL};
        for (int j = 0; names[j] != NULL; j++)
            if (has_prefix_ci(p + k, n - k, names[j]))
                return true;
        return false;
    }
    return false;
}

static bool block_element(const char *name)
{
    static const char *const blocks[] = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
                                         "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section", "article",
                                         "header", "footer", "hr", "center", "address", "caption", NULL};
    for (int i = 0; blocks[i] != NULL; i++)
        if (strcasecmp(name, blocks[i]) == 0)
            return true;
    return false;
}

static bool dropped_element(const char *name)
{
    static const char *const dropped[] = {"script", "style", "head", "noscript", "template", "svg", "iframe",
                                          "object", NULL};
    for (int i = 0; dropped[i] != NULL; i++)
        if (strcasecmp(name, dropped[i]) == 0)
            return true;
    return false;
}

/* Appends the text of HTML text s to b with its whitespace collapsed to single spaces (as a
 * browser shows it), or kept as it is inside <pre>. A run of whitespace holding a line break
 * between two non-ASCII characters (Chinese wrapped in the source) is dropped, as CSS does for
 * segment breaks between CJK characters. */
static void html_text(buf_t *b, const char *s, bool pre)
{
    if (pre) {
        buf_puts(b, s);
        return;
    }
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            bool line_break = false;
            while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
                line_break |= *s++ == '\n';
            bool after_wide = b->len > 0 && (unsigned char)b->data[b->len - 1] >= 0x80;
            bool before_wide = (unsigned char)*s >= 0x80;
            if (line_break && after_wide && before_wide)
                continue;
            if (b->len > 0 && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != '\n')
                buf_puts(b, " ");
        } else {
            buf_append(b, s++, 1);
        }
    }
}

/* The end of element n (not a dropped one): a block ends its line, <pre> ends. */
static void html_close(xmlNodePtr n, buf_t *b, int *pre)
{
    if (block_element((const char *)n->name))
        buf_puts(b, "\n");
    if (strcasecmp((const char *)n->name, "pre") == 0 && *pre > 0)
        (*pre)--;
}

/* The text under root: block elements on lines of their own, table cells separated by a tab.
 * Iterative (a hostile page may nest deeply). */
static void html_walk(xmlNodePtr root, buf_t *b)
{
    int pre = 0;
    xmlNodePtr n = root->children;
    while (n != NULL) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content != NULL)
                html_text(b, (const char *)n->content, pre > 0);
        } else if (n->type == XML_ELEMENT_NODE && n->name != NULL && !dropped_element((const char *)n->name)) {
            const char *name = (const char *)n->name;
            if (block_element(name))
                buf_puts(b, "\n");
            else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)
                buf_puts(b, "\t");
            if (strcasecmp(name, "pre") == 0)
                pre++;
            if (n->children != NULL) {
                n = n->children;
                continue;
            }
            html_close(n, b, &pre);
        }
        /* on to the next sibling, closing the elements left on the way up */
        while (n->next == NULL) {
            n = n->parent;
            if (n == NULL || n == root)
                return;
            html_close(n, b, &pre);
        }
        n = n->next;
    }
}

static bool html_extract(const char *data, size_t len, buf_t *out, const char **code)
{
    arena_t a = {0};
    const char *utf8 = NULL;
    size_t utf8_len = 0;
    if (!decode(&a, data, len, declares_gb(data, len), &utf8, &utf8_len)) {
        arena_free(&a);
        *code = "document_encoding";
        return false;
    }
    if (utf8_len > INT32_MAX) {
        arena_free(&a);
        *code = "document_too_large";
        return false;
    }
    /* UTF-8 now, whatever the page declares: its meta charset is ignored from here on */
    htmlDocPtr doc = htmlReadMemory(utf8, (int)utf8_len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_IGNORE_ENC | HTML_PARSE_NOIMPLIED);
    if (doc == NULL) {
        arena_free(&a);
        *code = "document_unreadable";
        return false;
    }
    buf_t text;
    buf_init(&text, out->max);
    html_walk((xmlNodePtr)doc, &text);    /* xmlDoc starts as an xmlNode does */
    xmlFreeDoc(doc);
    bool ok = !text.failed;
    if (!ok)
        *code = "document_too_large";
    else
        ok = finish(out, text.data != NULL ? text.data : "", text.len, code);
    buf_free(&text);
    arena_free(&a);
    return ok;
}

/* ---- DOCX ---- */

typedef struct docx_part {
    zip_file_t *file;
    zip_uint64_t left;            /* bytes still allowed: the cap, whatever the directory says */
    bool too_large;
} docx_part_t;

static int docx_read(void *ctx, char *buf, int len)
{
    docx_part_t *p = ctx;
    if (len <= 0)
        return 0;
    zip_int64_t n = zip_fread(p->file, buf, (zip_uint64_t)len);
    if (n < 0)
        return -1;
    if ((zip_uint64_t)n > p->left) {
        p->too_large = true;
        return -1;
    }
    p->left -= (zip_uint64_t)n;
    return (int)n;
}

static int docx_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static bool wordml(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
    return ns != NULL && strstr((const char *)ns, "wordprocessingml") != NULL &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static bool docx_extract(const void *data, size_t len, buf_t *out, const char **code)
{
    *code = "document_unreadable";
    zip_t *zip = zip_open_memory(data, len);
    if (zip == NULL) {
        return false;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    docx_part_t part = {.left = DOCUMENT_DOCX_MAX_XML};
    if (zip_stat(zip, "word/document.xml", 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > DOCUMENT_DOCX_MAX_XML || (part.file = zip_fopen(zip, "word/document.xml", 0)) == NULL) {
        zip_discard(zip);
        return false;
    }
    /* no DTD, no entities expanded, nothing fetched: a document with a DTD is refused below */
    xmlTextReaderPtr r = xmlReaderForIO(docx_read, docx_close, &part, NULL, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    buf_t text;
    buf_init(&text, out->max);
    bool ok = r != NULL;
    int in_text = 0;              /* inside w:t */
    int skip_depth = -1;          /* inside w:delText, w:instrText or mc:Fallback: their depth */
    while (ok) {
        int rc = xmlTextReaderRead(r);
        if (rc == 0)
            break;
        if (rc < 0) {
            ok = false;
            break;
        }
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            ok = false;
            break;
        }
        if (skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
                skip_depth = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(r);
            const char *local = (const char *)xmlTextReaderConstLocalName(r);
            if (wordml(r, "delText") || wordml(r, "instrText") ||
                (strcmp(local, "Fallback") == 0 && !wordml(r, "Fallback"))) {
                if (!empty)
                    skip_depth = depth;
            } else if (wordml(r, "t")) {
                in_text += !empty;
            } else if (wordml(r, "tab")) {
                buf_puts(&text, "\t");
            } else if (wordml(r, "br") || wordml(r, "cr")) {
                buf_puts(&text, "\n");
            } else if (wordml(r, "noBreakHyphen")) {
                buf_puts(&text, "-");
            } else if (wordml(r, "p") && empty) {
                buf_puts(&text, "\n");
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (wordml(r, "t") && in_text > 0)
                in_text--;
            else if (wordml(r, "p") || wordml(r, "tc"))
                buf_puts(&text, "\n");
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_CDATA) && in_text > 0) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v != NULL)
                buf_puts(&text, (const char *)v);
        }
        if (text.failed)
            ok = false;
    }
    if (r != NULL)
        xmlFreeTextReader(r);
    zip_fclose(part.file);
    zip_discard(zip);
    if (ok) {
        *code = NULL;
        ok = finish(out, text.data != NULL ? text.data : "", text.len, code);
    } else if (text.failed) {
        *code = "document_too_large";
    }
    buf_free(&text);
    return ok;
}

/* ---- PDF ---- */

/* Characters of a UTF-8 line (not bytes: a CJK character is three). */
static size_t line_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Does the line end a sentence or a heading (。！？；：… or a closing bracket or quote)? */
static bool line_ends_sentence(const char *s, size_t len)
{
    static const char *const ends[] = {"。", "！", "？", "；", "：", "）", "」", "』", "”", ".", "!", "?", ";", ":", NULL};
    for (int i = 0; ends[i] != NULL; i++) {
        size_t n = strlen(ends[i]);
        if (len >= n && memcmp(s + len - n, ends[i], n) == 0)
            return true;
    }
    return false;
}

/* Appends a page's text (lines as poppler laid them out) to b, joining a line that the page's
 * width wrapped with the next: a line at least nine tenths as long as the page's longest, not
 * ending a sentence, is continued without a break (Chinese has no spaces between words). */
static void pdf_page_lines(buf_t *b, const char *text)
{
    size_t longest = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t n = line_chars(p, len);
        if (n > longest)
            longest = n;
        p += len + (e != NULL);
    }
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
            len--;
        buf_append(b, p, len);
        bool wrapped = longest >= 8 && line_chars(p, len) * 10 >= longest * 9 && !line_ends_sentence(p, len);
        if (!wrapped)
            buf_puts(b, "\n");
        else if (len > 0 && (unsigned char)p[len - 1] < 0x80)
            buf_puts(b, " ");    /* a wrapped Latin line: the word break was a space */
        const char *next = e ? e + 1 : p + strlen(p);
        p = next;
    }
    buf_puts(b, "\n");
}

static bool pdf_extract(const void *data, size_t len, buf_t *out, const char **code)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *error = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    if (doc == NULL) {
        g_clear_error(&error);
        *code = "document_unreadable";   /* damaged, or encrypted with a password */
        return false;
    }
    buf_t text;
    buf_init(&text, out->max);
    int pages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < pages && !text.failed; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (page == NULL)
            continue;
        char *t = poppler_page_get_text(page);
        if (t != NULL)
            pdf_page_lines(&text, t);
        g_free(t);
        g_object_unref(page);
    }
    g_object_unref(doc);
    bool ok = !text.failed && utf8_valid(text.data != NULL ? text.data : "", text.len, NULL);
    if (text.failed)
        *code = "document_too_large";
    else if (!ok)
        *code = "document_unreadable";
    else
        ok = finish(out, text.data != NULL ? text.data : "", text.len, code);
    buf_free(&text);
    return ok;
}

bool document_text_extract(document_format_t format, const void *data, size_t len, buf_t *out,
                           const char **code)
{
    *code = NULL;
    if (data == NULL)
        data = "";
    switch (format) {
    case DOCUMENT_TEXT: return text_extract(data, len, out, code);
    case DOCUMENT_HTML: return html_extract(data, len, out, code);
    case DOCUMENT_DOCX: return docx_extract(data, len, out, code);
    case DOCUMENT_PDF: return pdf_extract(data, len, out, code);
    case DOCUMENT_UNKNOWN: break;
    }
    *code = "document_unsupported";
    return false;
}

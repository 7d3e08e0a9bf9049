/* Document text extraction (see document_text.h; docs/policies.md "Extraction"): the format from
 * the bytes, then plain text through core/cells.h's UTF-8/GB18030 detection, HTML through
 * libxml2's HTML parser, DOCX through libzip + libxml2's reader on word/document.xml (with the
 * list numbers of word/numbering.xml), PDF
 * through poppler-glib. Every path ends in the same clean-up (CRLF and CR made LF, blanks at the
 * ends of lines trimmed, blank lines dropped), so that a paragraph is one line. */
#include "core/document_text.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- DOCX list numbers (word/numbering.xml) ----
 * Word writes the numbers of a numbered list ("一、", "（二）", "3.") nowhere in document.xml: a
 * paragraph names a list (w:numId) and a level (w:ilvl), and numbering.xml says how that level
 * counts (w:numFmt), from where (w:start) and how its label reads (w:lvlText, "%1、" with %N the
 * count of level N). The checker reads a list's lead-in by those labels (core/policy_text.c), so
 * they are reproduced here: counted per abstract list (lists that share one continue it, as in
 * Word), a deeper level restarting when a shallower one moves on, w:startOverride honoured on a
 * list's first paragraph. Bullets give no label. Numbering through a paragraph style
 * (styles.xml) is not followed. */

enum { DOCX_LEVELS = 9, DOCX_NUMBERING_MAX_XML = 4u << 20 };

typedef struct docx_level {
    char format[32];              /* w:numFmt: decimal, chineseCounting, bullet, … */
    char text[64];                /* w:lvlText: "%1、" */
    int start;
} docx_level_t;

typedef struct docx_abstract {
    int id;
    docx_level_t level[DOCX_LEVELS];
    int count[DOCX_LEVELS];
    bool counting[DOCX_LEVELS];   /* the level has a current count (reset when a shallower one moves) */
} docx_abstract_t;

typedef struct docx_num {
    int id, abstract_id;
    int start_override[DOCX_LEVELS];   /* -1: none */
    bool used;
} docx_num_t;

typedef struct docx_numbering {   /* malloc'd arrays; docx_numbering_free */
    docx_abstract_t *abstracts;
    size_t n_abstracts;
    docx_num_t *nums;
    size_t n_nums;
} docx_numbering_t;

static void docx_numbering_free(docx_numbering_t *n)
{
    free(n->abstracts);
    free(n->nums);
    *n = (docx_numbering_t){0};
}

/* The attribute w:LOCAL of the reader's element (NULL when absent): xmlFree it. */
static xmlChar *wordml_attribute(xmlTextReaderPtr r, const char *local)
{
    xmlChar *value = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
        do {
            const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
            if (ns != NULL && strstr((const char *)ns, "wordprocessingml") != NULL &&
                strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0) {
                value = xmlTextReaderValue(r);
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r) == 1);
        xmlTextReaderMoveToElement(r);
    }
    return value;
}

/* The attribute w:LOCAL as a number 0..99999, or fallback when absent or not one. */
static int wordml_number(xmlTextReaderPtr r, const char *local, int fallback)
{
    xmlChar *v = wordml_attribute(r, local);
    int n = fallback;
    if (v != NULL) {
        char *end;
        long value = strtol((const char *)v, &end, 10);
        if (end != (char *)v && *end == '\0' && value >= 0 && value <= 99999)
            n = (int)value;
        xmlFree(v);
    }
    return n;
}

/* Copies the attribute w:LOCAL into dst[size] (cut at size - 1 bytes); "" when absent. */
static void wordml_copy(xmlTextReaderPtr r, const char *local, char *dst, size_t size)
{
    xmlChar *v = wordml_attribute(r, local);
    snprintf(dst, size, "%s", v != NULL ? (const char *)v : "");
    xmlFree(v);
}

static void *grow_one(void *items, size_t *n, size_t size)
{
    if (*n >= 100000)
        return NULL;
    void *more = realloc(items, (*n + 1) * size);
    if (more != NULL) {
        memset((char *)more + *n * size, 0, size);
        (*n)++;
    }
    return more;
}

/* Reads word/numbering.xml of zip into n. A document without one, or with a damaged or oversized
 * one, has no list numbers (its text is still read): numbering is an aid, not the content. */
static void docx_numbering_read(zip_t *zip, docx_numbering_t *n)
{
    *n = (docx_numbering_t){0};
    zip_stat_t st;
    zip_stat_init(&st);
    docx_part_t part = {.left = DOCX_NUMBERING_MAX_XML};
    if (zip_stat(zip, "word/numbering.xml", 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > DOCX_NUMBERING_MAX_XML || (part.file = zip_fopen(zip, "word/numbering.xml", 0)) == NULL)
        return;
    xmlTextReaderPtr r = xmlReaderForIO(docx_read, docx_close, &part, NULL, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    docx_abstract_t *abstract = NULL; /* the w:abstractNum being read */
    docx_num_t *num = NULL;           /* the w:num being read */
    int level = -1;                   /* the w:lvl (of abstract) or w:lvlOverride (of num) being read */
    bool ok = r != NULL;
    while (ok) {
        int rc = xmlTextReaderRead(r);
        if (rc <= 0) {
            ok = rc == 0;
            break;
        }
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            ok = false;
        } else if (type == XML_READER_TYPE_ELEMENT) {
            if (wordml(r, "abstractNum")) {
                void *more = grow_one(n->abstracts, &n->n_abstracts, sizeof *n->abstracts);
                if (more == NULL) { ok = false; break; }
                n->abstracts = more;
                abstract = &n->abstracts[n->n_abstracts - 1];
                abstract->id = wordml_number(r, "abstractNumId", -1);
                for (int i = 0; i < DOCX_LEVELS; i++)
                    abstract->level[i] = (docx_level_t){.format = "decimal", .start = 1};
                num = NULL;
            } else if (wordml(r, "num")) {
                void *more = grow_one(n->nums, &n->n_nums, sizeof *n->nums);
                if (more == NULL) { ok = false; break; }
                n->nums = more;
                num = &n->nums[n->n_nums - 1];
                num->id = wordml_number(r, "numId", -1);
                num->abstract_id = -1;
                for (int i = 0; i < DOCX_LEVELS; i++)
                    num->start_override[i] = -1;
                abstract = NULL;
            } else if (wordml(r, "lvl") || wordml(r, "lvlOverride")) {
                level = wordml_number(r, "ilvl", -1);
                if (level >= DOCX_LEVELS)
                    level = -1;
            } else if (abstract != NULL && level >= 0) {
                docx_level_t *l = &abstract->level[level];
                if (wordml(r, "start"))
                    l->start = wordml_number(r, "val", 1);
                else if (wordml(r, "numFmt"))
                    wordml_copy(r, "val", l->format, sizeof l->format);
                else if (wordml(r, "lvlText"))
                    wordml_copy(r, "val", l->text, sizeof l->text);
            } else if (num != NULL) {
                if (wordml(r, "abstractNumId"))
                    num->abstract_id = wordml_number(r, "val", -1);
                else if (wordml(r, "startOverride") && level >= 0)
                    num->start_override[level] = wordml_number(r, "val", 1);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (wordml(r, "lvl") || wordml(r, "lvlOverride"))
                level = -1;
            else if (wordml(r, "abstractNum"))
                abstract = NULL;
            else if (wordml(r, "num"))
                num = NULL;
        }
    }
    if (r != NULL)
        xmlFreeTextReader(r);
    zip_fclose(part.file);
    if (!ok)
        docx_numbering_free(n);
}

/* Appends the count k in Word's format name (an unknown one counts in digits). */
static void docx_count_append(buf_t *b, const char *format, int k)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const legal[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
    static const char *const stems[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    static const char *const branches[] = {"子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥"};
    bool chinese = strncmp(format, "chineseCounting", 15) == 0 || strcmp(format, "japaneseCounting") == 0 ||
                   strcmp(format, "taiwaneseCounting") == 0;
    if ((chinese || strcmp(format, "chineseLegalSimplified") == 0) && k > 0 && k < 1000) {
        const char *const *d = chinese ? digits : legal;
        int hundreds = k / 100, tens = k / 10 % 10, ones = k % 10;
        if (hundreds > 0)
            buf_printf(b, "%s%s", d[hundreds], chinese ? "百" : "佰");
        if (tens > 0)
            buf_printf(b, "%s%s", (tens == 1 && hundreds == 0) ? "" : d[tens], chinese ? "十" : "拾");
        else if (hundreds > 0 && ones > 0)
            buf_puts(b, d[0]);
        if (ones > 0)
            buf_puts(b, d[ones]);
    } else if (strcmp(format, "ideographTraditional") == 0 && k >= 1 && k <= 10) {
        buf_puts(b, stems[k - 1]);
    } else if (strcmp(format, "ideographZodiac") == 0 && k >= 1 && k <= 12) {
        buf_puts(b, branches[k - 1]);
    } else if (strncmp(format, "decimalEnclosedCircle", 21) == 0 && k >= 1 && k <= 20) {
        buf_printf(b, "%c%c%c", 0xE2, 0x91, 0x9F + k); /* ① is U+2460 */
    } else if (strcmp(format, "decimalFullWidth") == 0 || strcmp(format, "decimalFullWidth2") == 0) {
        char ascii[16];
        snprintf(ascii, sizeof ascii, "%d", k);
        for (const char *c = ascii; *c != '\0'; c++)
            buf_printf(b, "%c%c%c", 0xEF, 0xBC, 0x90 + (*c - '0')); /* ０ is U+FF10 */
    } else if ((strcmp(format, "upperLetter") == 0 || strcmp(format, "lowerLetter") == 0) && k >= 1) {
        char letter = (char)((format[0] == 'u' ? 'A' : 'a') + (k - 1) % 26);
        for (int i = 0; i <= (k - 1) / 26 && i < 10; i++)
            buf_append(b, &letter, 1);
    } else if ((strcmp(format, "upperRoman") == 0 || strcmp(format, "lowerRoman") == 0) && k >= 1 && k < 4000) {
        static const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        static const char *const upper[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
        static const char *const lower[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
        for (int i = 0, left = k; i < 13; i++)
            for (; left >= values[i]; left -= values[i])
                buf_puts(b, format[0] == 'u' ? upper[i] : lower[i]);
    } else {
        buf_printf(b, strcmp(format, "decimalZero") == 0 ? "%02d" : "%d", k);
    }
}

/* Appends the label of the next paragraph of list num_id at level ilvl ("" for a bullet, an
 * unknown list or level), and moves the list's counts on. */
static void docx_label_append(docx_numbering_t *n, int num_id, int ilvl, buf_t *b)
{
    if (ilvl < 0 || ilvl >= DOCX_LEVELS || num_id <= 0)
        return;
    docx_num_t *num = NULL;
    for (size_t i = 0; i < n->n_nums && num == NULL; i++)
        if (n->nums[i].id == num_id)
            num = &n->nums[i];
    docx_abstract_t *a = NULL;
    for (size_t i = 0; num != NULL && i < n->n_abstracts && a == NULL; i++)
        if (n->abstracts[i].id == num->abstract_id)
            a = &n->abstracts[i];
    if (a == NULL)
        return;
    if (!num->used) {             /* a list restarted with w:startOverride begins again */
        num->used = true;
        for (int l = 0; l < DOCX_LEVELS; l++)
            if (num->start_override[l] >= 0) {
                a->count[l] = num->start_override[l] - 1;
                a->counting[l] = true;
            }
    }
    if (a->counting[ilvl]) {
        a->count[ilvl]++;
    } else {
        a->count[ilvl] = a->level[ilvl].start;
        a->counting[ilvl] = true;
    }
    for (int l = ilvl + 1; l < DOCX_LEVELS; l++)
        a->counting[l] = false;
    const docx_level_t *level = &a->level[ilvl];
    if (strcmp(level->format, "bullet") == 0)
        return;
    size_t before = b->len;
    for (const char *t = level->text; *t != '\0'; t++) {
        if (t[0] == '%' && t[1] >= '1' && t[1] <= '9') {
            int l = t[1] - '1';
            docx_count_append(b, a->level[l].format, a->counting[l] ? a->count[l] : a->level[l].start);
            t++;
        } else {
            buf_append(b, t, 1);
        }
    }
    if (b->len > before && isalnum((unsigned char)b->data[b->len - 1]))
        buf_puts(b, " ");         /* "1" without punctuation: keep it off the first word */
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
    docx_numbering_t numbering;
    docx_numbering_read(zip, &numbering);
    buf_t text;
    buf_init(&text, out->max);
    bool ok = r != NULL;
    int in_text = 0;              /* inside w:t */
    int num_id = 0, num_level = 0;  /* the list of the paragraph whose w:pPr is being read */
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
            if (wordml(r, "delText") || wordml(r, "instrText") || wordml(r, "pPrChange") ||
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
            } else if (wordml(r, "numId")) {
                num_id = wordml_number(r, "val", 0);
            } else if (wordml(r, "ilvl")) {
                num_level = wordml_number(r, "val", 0);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (wordml(r, "t") && in_text > 0) {
                in_text--;
            } else if (wordml(r, "p") || wordml(r, "tc")) {
                buf_puts(&text, "\n");
            } else if (wordml(r, "pPr")) {
                docx_label_append(&numbering, num_id, num_level, &text);
                num_id = num_level = 0;
            }
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
    docx_numbering_free(&numbering);
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

/* XLSX reading (see xlsx.h): libzip for the container, libxml2's streaming reader for the
 * parts (workbook, its relationships, shared strings, the first sheet). */
#include "core/xlsx.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/zip_memory.h"

/* One part of the zip being parsed: its bytes are counted as they are read, and a DTD is
 * refused before the parser sees it ("<!D…" / "<!E…": comments and CDATA start "<!-" and "<![",
 * anything else after "<!" is a declaration). */
typedef struct part {
    zip_file_t *file;
    uint64_t declared, read;
    char tail[2];              /* the last two bytes of the previous chunk */
    xlsx_status_t failed;      /* why reading stopped, XLSX_OK while it did not */
} part_t;

static int part_read(void *ctx, char *buf, int len)
{
    part_t *p = ctx;
    if (p->failed != XLSX_OK)
        return -1;
    zip_int64_t n = zip_fread(p->file, buf, (zip_uint64_t)len);
    if (n < 0) {
        p->failed = XLSX_MALFORMED;
        return -1;
    }
    p->read += (uint64_t)n;
    if (p->read > p->declared || p->read > XLSX_MAX_PART_BYTES) {
        p->failed = XLSX_TOO_LARGE;      /* more than its directory said: never trusted */
        return -1;
    }
    for (zip_int64_t i = 0; i < n; i++) {
        char prev1 = i >= 1 ? buf[i - 1] : p->tail[1], prev2 = i >= 2 ? buf[i - 2] : i == 1 ? p->tail[1] : p->tail[0];
        if (prev2 == '<' && prev1 == '!' && (buf[i] == 'D' || buf[i] == 'E')) {
            p->failed = XLSX_MALFORMED;
            return -1;
        }
    }
    if (n >= 2) {
        p->tail[0] = buf[n - 2];
        p->tail[1] = buf[n - 1];
    } else if (n == 1) {
        p->tail[0] = p->tail[1];
        p->tail[1] = buf[0];
    }
    return (int)n;
}

static int part_close(void *ctx)
{
    (void)ctx;     /* the zip file is closed by part_end */
    return 0;
}

/* Opens part name for parsing: XLSX_OK with *reader set, or why not (missing: XLSX_NOT_XLSX). */
static xlsx_status_t part_begin(zip_t *zip, const char *name, part_t *p, xmlTextReaderPtr *reader)
{
    memset(p, 0, sizeof *p);
    *reader = NULL;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return XLSX_NOT_XLSX;
    if (st.size > XLSX_MAX_PART_BYTES)
        return XLSX_TOO_LARGE;
    p->declared = st.size;
    p->file = zip_fopen(zip, name, 0);
    if (p->file == NULL)
        return XLSX_MALFORMED;    /* an unsupported compression or encryption */
    *reader = xmlReaderForIO(part_read, part_close, p, NULL, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (*reader == NULL) {
        zip_fclose(p->file);
        p->file = NULL;
        return XLSX_MALFORMED;
    }
    return XLSX_OK;
}

static void part_end(part_t *p, xmlTextReaderPtr reader)
{
    if (reader != NULL)
        xmlFreeTextReader(reader);
    if (p->file != NULL)
        zip_fclose(p->file);
    p->file = NULL;
}

/* The next node: 1, 0 at the end, -1 on an error (*status says which). Entity references
 * (there can be none without a DTD) are refused too. */
static int next_node(xmlTextReaderPtr r, part_t *p, xlsx_status_t *status)
{
    int rc = xmlTextReaderRead(r);
    if (rc == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
            type == XML_READER_TYPE_ENTITY) {
            *status = XLSX_MALFORMED;
            return -1;
        }
        return 1;
    }
    if (rc < 0)
        *status = p->failed != XLSX_OK ? p->failed : XLSX_MALFORMED;
    return rc;
}

static bool name_is(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n != NULL && strcmp((const char *)n, local) == 0;
}

static bool is_start(xmlTextReaderPtr r)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT;
}

static bool is_end(xmlTextReaderPtr r)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT;
}

static bool is_text(xmlTextReaderPtr r)
{
    int t = xmlTextReaderNodeType(r);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA || t == XML_READER_TYPE_WHITESPACE ||
           t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* An attribute of the current element (no namespace), copied into a (NULL when absent). */
static char *attribute(xmlTextReaderPtr r, arena_t *a, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    char *copy = arena_strdup(a, (const char *)v);
    xmlFree(v);
    return copy;
}

/* The relationship id of the workbook's first sheet (its r:id, whatever the prefix). */
static xlsx_status_t first_sheet_id(zip_t *zip, arena_t *a, char **id)
{
    part_t p;
    xmlTextReaderPtr r;
    xlsx_status_t s = part_begin(zip, "xl/workbook.xml", &p, &r);
    *id = NULL;
    while (s == XLSX_OK && *id == NULL && next_node(r, &p, &s) == 1) {
        if (!is_start(r) || !name_is(r, "sheet"))
            continue;
        for (int more = xmlTextReaderMoveToFirstAttribute(r); more == 1; more = xmlTextReaderMoveToNextAttribute(r))
            if (name_is(r, "id") && xmlTextReaderConstNamespaceUri(r) != NULL)
                *id = arena_strdup(a, (const char *)xmlTextReaderConstValue(r));
        if (*id == NULL)
            s = XLSX_MALFORMED;
    }
    part_end(&p, r);
    if (s == XLSX_OK && *id == NULL)
        s = XLSX_NOT_XLSX;
    return s;
}

/* A relationship's target as a name in the zip: "/xl/x.xml" → "xl/x.xml", "x.xml" → "xl/x.xml". */
static char *target_name(arena_t *a, const char *target)
{
    return target[0] == '/' ? arena_strdup(a, target + 1) : arena_printf(a, "xl/%s", target);
}

/* The zip names of the sheet with relationship id and of the shared strings (NULL: none). */
static xlsx_status_t workbook_parts(zip_t *zip, arena_t *a, const char *id, char **sheet, char **strings)
{
    part_t p;
    xmlTextReaderPtr r;
    xlsx_status_t s = part_begin(zip, "xl/_rels/workbook.xml.rels", &p, &r);
    *sheet = *strings = NULL;
    static const char shared_type[] = "/sharedStrings";
    while (s == XLSX_OK && next_node(r, &p, &s) == 1) {
        if (!is_start(r) || !name_is(r, "Relationship"))
            continue;
        char *rid = attribute(r, a, "Id"), *type = attribute(r, a, "Type"), *target = attribute(r, a, "Target");
        if (rid == NULL || target == NULL)
            continue;
        if (strcmp(rid, id) == 0)
            *sheet = target_name(a, target);
        size_t tl = type ? strlen(type) : 0;
        if (tl >= sizeof shared_type - 1 && strcmp(type + tl - (sizeof shared_type - 1), shared_type) == 0)
            *strings = target_name(a, target);
    }
    part_end(&p, r);
    if (s == XLSX_OK && *sheet == NULL)
        s = XLSX_NOT_XLSX;
    return s;
}

typedef struct strings {
    const char **items;
    size_t n, cap;
} strings_t;

/* Appends the text node's value to b; false when the cell is over its cap. */
static bool text_append(xmlTextReaderPtr r, buf_t *b)
{
    const xmlChar *v = xmlTextReaderConstValue(r);
    return v == NULL || buf_puts(b, (const char *)v);
}

/* The shared strings: each <si>'s text, its runs' <t> joined, phonetic runs (<rPh>) left out. */
static xlsx_status_t read_strings(zip_t *zip, arena_t *a, const char *name, strings_t *out)
{
    part_t p;
    xmlTextReaderPtr r;
    xlsx_status_t s = part_begin(zip, name, &p, &r);
    buf_t text;
    buf_init(&text, XLSX_MAX_CELL_BYTES);
    bool in_t = false;
    int in_phonetic = 0;
    while (s == XLSX_OK && next_node(r, &p, &s) == 1) {
        if (is_start(r)) {
            bool empty = xmlTextReaderIsEmptyElement(r);
            if (name_is(r, "si")) {
                buf_reset(&text);
                in_t = false;
            } else if (name_is(r, "rPh") && !empty) {
                in_phonetic++;
            } else if (name_is(r, "t") && !empty) {
                in_t = in_phonetic == 0;
            }
            if (!(empty && name_is(r, "si")))
                continue;
        } else if (is_text(r)) {
            if (in_t && !text_append(r, &text))
                s = XLSX_TOO_LARGE;
            continue;
        } else if (is_end(r)) {
            if (name_is(r, "t"))
                in_t = false;
            else if (name_is(r, "rPh") && in_phonetic > 0)
                in_phonetic--;
            if (!name_is(r, "si"))
                continue;
        } else {
            continue;
        }
        /* the end of an <si> (or an empty <si/>) */
        if (out->n == XLSX_MAX_STRINGS) {
            s = XLSX_TOO_LARGE;
            break;
        }
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 256;
            const char **items = realloc(out->items, cap * sizeof *items);
            if (items == NULL) {
                s = XLSX_TOO_LARGE;
                break;
            }
            out->items = items;
            out->cap = cap;
        }
        out->items[out->n++] = text.len ? arena_strndup(a, text.data, text.len) : "";
        buf_reset(&text);
    }
    buf_free(&text);
    part_end(&p, r);
    return s;
}

/* The column index of a cell reference ("C12" → 2); -1 when it is not one. */
static int column_of(const char *ref)
{
    int col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++)
        col = col * 26 + (*ref - 'A' + 1);
    if (letters == 0 || letters > 3)
        return -1;
    for (const char *d = ref; *d; d++)
        if (*d < '0' || *d > '9')
            return -1;
    return col - 1;
}

/* A positive decimal number of at most 9 digits; -1 otherwise. */
static long small_number(const char *s)
{
    long v = 0;
    int digits = 0;
    for (; *s; s++, digits++) {
        if (*s < '0' || *s > '9' || digits == 9)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return digits ? v : -1;
}

typedef struct sheet_state {
    arena_t *a;
    const strings_t *strings;
    int max_rows;
    csv_row_t *rows;          /* malloc'd, copied into the arena at the end */
    int nrows, cap;
    csv_row_t cur;
    long row_number;
    int col;                  /* the current cell's column */
    const char *type;         /* its t= ("" for a number) */
    buf_t value;
    bool in_value;
    int in_inline, in_phonetic;
} sheet_state_t;

/* Ends the current cell: its value into the current row. */
static xlsx_status_t cell_end(sheet_state_t *st)
{
    const char *v = st->value.len ? arena_strndup(st->a, st->value.data, st->value.len) : "";
    if (strcmp(st->type, "s") == 0 && *v != '\0') {
        long k = small_number(v);
        if (k < 0 || (size_t)k >= st->strings->n)
            return XLSX_MALFORMED;
        v = st->strings->items[k];
    } else if (strcmp(st->type, "b") == 0) {
        v = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
    }
    buf_reset(&st->value);
    if (*v == '\0')
        return XLSX_OK;
    if (st->col >= CSV_MAX_FIELDS)
        return XLSX_TOO_MANY_COLUMNS;
    for (int i = st->cur.nfields; i < st->col; i++)
        st->cur.fields[i] = "";
    st->cur.fields[st->col] = v;
    if (st->col >= st->cur.nfields)
        st->cur.nfields = st->col + 1;
    return XLSX_OK;
}

/* Ends the current row: kept when some cell has a value. */
static xlsx_status_t row_end(sheet_state_t *st)
{
    if (st->cur.nfields == 0)
        return XLSX_OK;
    if (st->nrows == st->max_rows)
        return XLSX_TOO_MANY_ROWS;
    if (st->nrows == st->cap) {
        int cap = st->cap ? st->cap * 2 : 64;
        csv_row_t *rows = realloc(st->rows, (size_t)cap * sizeof *rows);
        if (rows == NULL)
            return XLSX_TOO_LARGE;
        st->rows = rows;
        st->cap = cap;
    }
    st->cur.line = (int)st->row_number;
    st->rows[st->nrows++] = st->cur;
    return XLSX_OK;
}

static xlsx_status_t read_sheet(zip_t *zip, const char *name, sheet_state_t *st)
{
    part_t p;
    xmlTextReaderPtr r;
    xlsx_status_t s = part_begin(zip, name, &p, &r);
    if (s == XLSX_NOT_XLSX)
        s = XLSX_MALFORMED;       /* the workbook names a sheet that is not there */
    bool in_row = false, in_cell = false;
    while (s == XLSX_OK && next_node(r, &p, &s) == 1) {
        if (is_text(r)) {
            if (st->in_value && !text_append(r, &st->value))
                s = XLSX_TOO_LARGE;
            continue;
        }
        bool start = is_start(r), end = is_end(r);
        if (!start && !end)
            continue;
        bool empty = start && xmlTextReaderIsEmptyElement(r);
        if (start && name_is(r, "row")) {
            arena_t scratch = {0};
            char *rr = attribute(r, &scratch, "r");
            long n = rr ? small_number(rr) : st->row_number + 1;
            arena_free(&scratch);
            if (n <= st->row_number || n > 1048576) {
                s = XLSX_MALFORMED;     /* rows come in order, each once */
                break;
            }
            st->row_number = n;
            st->cur.nfields = 0;
            st->col = -1;
            in_row = !empty;
        } else if (end && name_is(r, "row")) {
            in_row = false;
            s = row_end(st);
        } else if (start && name_is(r, "c") && in_row) {
            char *ref = attribute(r, st->a, "r"), *type = attribute(r, st->a, "t");
            int col = ref ? column_of(ref) : st->col + 1;
            if (col < 0) {
                s = XLSX_MALFORMED;
                break;
            }
            st->col = col;
            st->type = type ? type : "";
            buf_reset(&st->value);
            in_cell = !empty;
            st->in_inline = st->in_phonetic = 0;
        } else if (end && name_is(r, "c") && in_cell) {
            in_cell = false;
            s = cell_end(st);
        } else if (in_cell && name_is(r, "v")) {
            st->in_value = start && !empty;
        } else if (in_cell && name_is(r, "is")) {
            st->in_inline = start && !empty;
        } else if (in_cell && name_is(r, "rPh")) {
            st->in_phonetic += start && !empty ? 1 : end && st->in_phonetic > 0 ? -1 : 0;
        } else if (in_cell && st->in_inline && name_is(r, "t")) {
            st->in_value = start && !empty && st->in_phonetic == 0;
        } else if (end && name_is(r, "sheetData")) {
            break;
        }
        if (empty && name_is(r, "c") && in_row && s == XLSX_OK)
            s = cell_end(st);    /* <c r="A1"/>: an empty cell */
    }
    if (s == XLSX_OK && in_row)
        s = XLSX_MALFORMED;
    part_end(&p, r);
    return s;
}

void xlsx_init(void)
{
    xmlInitParser();
}

xlsx_status_t xlsx_read(arena_t *a, const void *data, size_t len, int max_rows, xlsx_sheet_t *out)
{
    out->nrows = 0;
    out->rows = NULL;
    zip_t *zip = zip_open_memory(data, len);
    if (zip == NULL) {
        return XLSX_NOT_XLSX;
    }
    strings_t strings = {0};
    sheet_state_t st = {.a = a, .strings = &strings, .max_rows = max_rows, .type = ""};
    buf_init(&st.value, XLSX_MAX_CELL_BYTES);
    char *id, *sheet, *shared;
    xlsx_status_t s = first_sheet_id(zip, a, &id);
    if (s == XLSX_OK)
        s = workbook_parts(zip, a, id, &sheet, &shared);
    if (s == XLSX_OK && shared != NULL) {
        s = read_strings(zip, a, shared, &strings);
        if (s == XLSX_NOT_XLSX)
            s = XLSX_OK;          /* named but absent: a sheet without shared strings */
    }
    if (s == XLSX_OK)
        s = read_sheet(zip, sheet, &st);
    if (s == XLSX_OK && st.nrows > 0) {
        out->rows = arena_alloc(a, (size_t)st.nrows * sizeof *out->rows);
        memcpy(out->rows, st.rows, (size_t)st.nrows * sizeof *out->rows);
        out->nrows = st.nrows;
    }
    free(st.rows);
    free(strings.items);
    buf_free(&st.value);
    zip_discard(zip);      /* also frees the source */
    return s;
}

const char *xlsx_status_text(xlsx_status_t s)
{
    switch (s) {
    case XLSX_OK: return "ok";
    case XLSX_NOT_XLSX: return "not an XLSX workbook";
    case XLSX_MALFORMED: return "malformed XLSX";
    case XLSX_TOO_LARGE: return "a part or a cell of the workbook is too large";
    case XLSX_TOO_MANY_ROWS: return "too many rows";
    case XLSX_TOO_MANY_COLUMNS: return "too many columns";
    }
    return "?";
}

bool xlsx_serial_date(const char *s, char out[DATE_LEN + 1])
{
    long day = 0;
    int digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (digits == 8)
            return false;
        day = day * 10 + (*p - '0');
    }
    if (digits == 0)
        return false;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0' || day < 1 || day == 60 || day > 2958465)
        return false;
    /* serial 61 is 1 March 1900, 25569 days before 1970-01-01; below 60 Excel's calendar is
     * one day ahead, for the 29 February 1900 it counts */
    long from_epoch = day > 60 ? day - 25569 : day - 25568;
    date_from_unix((int64_t)from_epoch * 86400, out);
    return true;
}

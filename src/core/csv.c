/* CSV reading and writing (see csv.h). */
#include "core/csv.h"

#include <string.h>

/* A cell that a spreadsheet would run as a formula (OWASP: it starts with = + - @, a tab or a
 * carriage return), also behind the quotes that neutralising it put in front. */
static bool formula_like(const char *s)
{
    while (*s == '\'')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

void csv_reader_init(csv_reader_t *r, const char *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
    r->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

int csv_next(csv_reader_t *r, arena_t *a, csv_row_t *row)
{
    memset(row, 0, sizeof *row);
    /* skip blank lines between records */
    while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
        if (r->data[r->pos] == '\n')
            r->line++;
        r->pos++;
    }
    if (r->pos >= r->len)
        return 0;
    row->line = r->line;
    buf_t field;
    buf_init(&field, r->len + 1);
    for (;;) {
        buf_reset(&field);
        bool quoted = r->pos < r->len && r->data[r->pos] == '"';
        if (quoted) {
            r->pos++;
            for (;;) {
                if (r->pos >= r->len) {
                    buf_free(&field);
                    return -1;          /* unterminated quote */
                }
                char c = r->data[r->pos++];
                if (c == '"') {
                    if (r->pos < r->len && r->data[r->pos] == '"') {
                        buf_append(&field, "\"", 1);
                        r->pos++;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    r->line++;
                buf_append(&field, &c, 1);
            }
            /* after the closing quote: up to the separator */
            while (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
                buf_append(&field, &r->data[r->pos++], 1);
        } else {
            size_t start = r->pos;
            while (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
                r->pos++;
            buf_append(&field, r->data + start, r->pos - start);
        }
        if (row->nfields == CSV_MAX_FIELDS) {
            /* an empty field past the cap is nothing (a spreadsheet's trailing empty columns, as
             * an empty cell there is for xlsx.c); any other is too many */
            if (field.len > 0) {
                buf_free(&field);
                return -1;
            }
        } else {
            /* undo csv_field's neutralising quote, so that an exported file reads back as it was */
            size_t skip = field.len > 0 && field.data[0] == '\'' && formula_like(field.data) ? 1 : 0;
            row->fields[row->nfields++] = arena_strndup(a, field.data ? field.data + skip : "", field.len - skip);
        }
        if (r->pos < r->len && r->data[r->pos] == ',') {
            r->pos++;
            continue;
        }
        /* end of record */
        if (r->pos < r->len && r->data[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->len && r->data[r->pos] == '\n') {
            r->pos++;
            r->line++;
        }
        break;
    }
    buf_free(&field);
    return 1;
}

void csv_field(buf_t *b, const char *value, bool first)
{
    if (!first)
        buf_append(b, ",", 1);
    if (value == NULL)
        return;
    bool quoted = strpbrk(value, ",\"\r\n") != NULL;
    if (quoted)
        buf_append(b, "\"", 1);
    if (formula_like(value))
        buf_append(b, "'", 1);      /* shown as text by a spreadsheet, never run */
    if (!quoted) {
        buf_puts(b, value);
        return;
    }
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            buf_append(b, "\"", 1);
        buf_append(b, p, 1);
    }
    buf_append(b, "\"", 1);
}

/* CSV (RFC 4180) reading and writing: quoted fields, doubled quotes, CRLF or LF, a UTF-8
 * byte-order mark skipped. The reader works over a buffer the caller keeps alive. */
#ifndef GUANBIAO_CSV_H
#define GUANBIAO_CSV_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

enum { CSV_MAX_FIELDS = 64 };

typedef struct csv_reader {
    const char *data;
    size_t len, pos;
    int line;            /* line number where the next record starts (1-based) */
} csv_reader_t;

typedef struct csv_row {
    int line;            /* the record's first line */
    int nfields;
    const char *fields[CSV_MAX_FIELDS];   /* NUL-terminated, in the arena */
} csv_row_t;

void csv_reader_init(csv_reader_t *r, const char *data, size_t len);
/* 1 a record, 0 the end, -1 malformed (an unterminated quote, or a non-empty field past the
 * CSV_MAX_FIELDS-th: empty ones there, a spreadsheet's trailing empty columns, are left out). A field
 * that csv_field neutralised reads back without the quote it added. */
int csv_next(csv_reader_t *r, arena_t *a, csv_row_t *row);

/* Appends one field, quoted when it needs to be; `first` leaves out the comma. A value that a
 * spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return,
 * possibly behind quotes) gets a single quote in front, as OWASP recommends: the spreadsheet
 * shows it as text; csv_next takes the quote off again. */
void csv_field(buf_t *b, const char *value, bool first);

#endif

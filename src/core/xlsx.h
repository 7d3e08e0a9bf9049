/* XLSX (Office Open XML workbook) reading, for uploads that may come from a spreadsheet: the
 * first sheet's rows, in the same shape as core/csv.h (csv_row_t: line = the row's number in
 * the sheet, fields[] by column, "" for empty cells), so that a caller treats CSV and XLSX
 * alike. Shared strings, inline strings, numbers (as written in the file: a date is a serial
 * number, see xlsx_serial_date), booleans (TRUE/FALSE) and formula results are read; styles,
 * formulas and the other sheets are not. Rows whose cells are all empty are left out.
 *
 * Bounded against hostile files: every part's uncompressed size is checked before it is read
 * (and the bytes read are counted, whatever the zip's directory claims), cells, columns and
 * rows have caps, and the XML parser neither fetches anything (XML_PARSE_NONET) nor expands
 * entities, and refuses any document with a DTD. */
#ifndef GUANBIAO_XLSX_H
#define GUANBIAO_XLSX_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/dates.h"

enum {
    XLSX_MAX_PART_BYTES = 128u << 20,    /* uncompressed size of the sheet, the shared strings … */
    XLSX_MAX_CELL_BYTES = 128u << 10,    /* one cell's text (Excel's own cap is 32,767 characters) */
    XLSX_MAX_STRINGS = 2000000,          /* shared strings */
};

typedef enum xlsx_status {
    XLSX_OK = 0,
    XLSX_NOT_XLSX,         /* not a zip, or no workbook with a sheet in it */
    XLSX_MALFORMED,        /* broken XML, a DTD, a bad cell reference or shared-string index */
    XLSX_TOO_LARGE,        /* a part or a cell over its cap */
    XLSX_TOO_MANY_ROWS,    /* more non-empty rows than the caller's max_rows */
    XLSX_TOO_MANY_COLUMNS, /* a non-empty cell beyond column CSV_MAX_FIELDS */
} xlsx_status_t;

typedef struct xlsx_sheet {
    int nrows;
    csv_row_t *rows;       /* in the arena, in the order of the sheet; strings too */
} xlsx_sheet_t;

/* Initialises libxml2 once; call it first thing in main(), before threads start (its lazy
 * initialisation is not thread-safe in libxml2 2.9). */
void xlsx_init(void);

/* Reads the first sheet of the workbook data[0..len) into out (everything in a). At most
 * max_rows non-empty rows. On an error *out is empty and what the arena got is left there. */
xlsx_status_t xlsx_read(arena_t *a, const void *data, size_t len, int max_rows, xlsx_sheet_t *out);
/* A short English description of a status, for logs and messages. */
const char *xlsx_status_text(xlsx_status_t s);

/* An Excel date serial ("45292", "45292.5": the day is the integer part; the 1900 system, with
 * its phantom 29 February 1900) as YYYY-MM-DD. False when s is not such a number, or is out of
 * 1900-01-01 … 9999-12-31. */
bool xlsx_serial_date(const char *s, char out[DATE_LEN + 1]);

#endif

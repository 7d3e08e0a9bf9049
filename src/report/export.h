/* Tabular exports: one sheet of text and number cells written row by row, as CSV (UTF-8 with
 * a byte-order mark, so that Excel reads Chinese; formula-looking cells neutralised by
 * core/csv.h's csv_field) or as XLSX (libxlsxwriter in constant-memory mode: each row goes to
 * disk as it is written, so memory does not grow with the rows).
 *
 *   export_t *x = export_begin(EXPORT_XLSX, "企业", headers, widths, ncols);
 *   while (…) export_row(x, cells, numeric);
 *   bool ok = export_finish(x, &out);   // appends the file to out and frees x
 *
 * The XLSX is written to a private temporary file that has no name (O_TMPFILE, or mkstemp and
 * unlink at once), which libxlsxwriter opens through /proc/self/fd; export_finish reads it back
 * into out and closes it, so nothing is left on disk whatever happens (docs/decisions.md).
 * An export belongs to one thread; any number may run at once. */
#ifndef GUANBIAO_EXPORT_H
#define GUANBIAO_EXPORT_H
#include <stdbool.h>

#include "core/buf.h"

typedef enum export_format { EXPORT_NONE = 0, EXPORT_CSV, EXPORT_XLSX } export_format_t;

/* "csv" or "xlsx" (lower case); EXPORT_NONE for anything else. */
export_format_t export_format_parse(const char *s);
const char *export_extension(export_format_t f);     /* "csv", "xlsx" */
const char *export_content_type(export_format_t f);

typedef struct export export_t;

/* headers[0..ncols) are the header row; widths[i] a column's width in characters (0: 12).
 * sheet is the worksheet's name (XLSX; at most 31 characters, none of []:*?/\). NULL when the
 * temporary file could not be made (errno set). */
export_t *export_begin(export_format_t f, const char *sheet, const char *const *headers, const double *widths,
                       int ncols);
/* One row of ncols cells (NULL: empty); numeric[i] (numeric may be NULL) writes cell i as a
 * number in XLSX when it is one. False when writing failed (then call export_finish anyway). */
bool export_row(export_t *x, const char *const *cells, const bool *numeric);
/* XLSX only: a further worksheet named sheet with its header row and columns; the rows written
 * from now on go to it (a report's second sheet). False for CSV (one table) or on failure. */
bool export_next_sheet(export_t *x, const char *sheet, const char *const *headers, const double *widths, int ncols);
/* Appends the file to out and frees x; false when anything failed (out may then hold part). */
bool export_finish(export_t *x, buf_t *out);

#endif

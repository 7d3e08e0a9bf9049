/* libFuzzer harness for the XLSX reader (core/xlsx.h): the input is taken as a workbook. Any
 * input must be read or refused with a status, never crash or leak; a sheet read must keep
 * its promises (rows in increasing order, at most CSV_MAX_FIELDS fields, every field a string
 * within the cell cap). Every field also goes through the serial date helper. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena_t a = {0};
    xlsx_sheet_t sheet;
    xlsx_status_t s = xlsx_read(&a, data, size, 1000, &sheet);
    if (s != XLSX_OK && sheet.nrows != 0)
        abort();
    if (xlsx_status_text(s) == NULL)
        abort();
    int last = 0;
    for (int i = 0; i < sheet.nrows; i++) {
        const csv_row_t *r = &sheet.rows[i];
        if (r->line <= last || r->nfields < 1 || r->nfields > CSV_MAX_FIELDS)
            abort();
        last = r->line;
        for (int k = 0; k < r->nfields; k++) {
            if (r->fields[k] == NULL || strlen(r->fields[k]) > XLSX_MAX_CELL_BYTES)
                abort();
            char day[DATE_LEN + 1];
            if (xlsx_serial_date(r->fields[k], day) && strlen(day) != DATE_LEN)
                abort();
        }
    }
    arena_free(&a);
    return 0;
}

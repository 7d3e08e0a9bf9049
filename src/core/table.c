/* CSV or XLSX rows behind one reader (see table.h). */
#include "core/table.h"

#include <string.h>

void table_reader_csv(table_reader_t *t, const char *data, size_t len)
{
    memset(t, 0, sizeof *t);
    csv_reader_init(&t->csv, data, len);
}

void table_reader_sheet(table_reader_t *t, const xlsx_sheet_t *sheet)
{
    memset(t, 0, sizeof *t);
    t->is_sheet = true;
    t->sheet = sheet;
}

int table_next(table_reader_t *t, arena_t *a, csv_row_t *row)
{
    if (!t->is_sheet)
        return csv_next(&t->csv, a, row);
    if (t->next >= t->sheet->nrows)
        return 0;
    *row = t->sheet->rows[t->next++];
    return 1;
}

int table_line(const table_reader_t *t)
{
    if (!t->is_sheet)
        return t->csv.line;
    return t->next > 0 ? t->sheet->rows[t->next - 1].line : 0;
}

/* Rows of an uploaded table, CSV or XLSX alike: a caller reads csv_row_t records (line = the
 * CSV line or the sheet's row number) without caring which format the upload was. */
#ifndef GUANBIAO_TABLE_H
#define GUANBIAO_TABLE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/xlsx.h"

typedef struct table_reader {
    bool is_sheet;
    csv_reader_t csv;
    const xlsx_sheet_t *sheet;   /* the caller's, kept alive while reading */
    int next;
} table_reader_t;

/* Reads data[0..len) as CSV (the caller keeps it alive). */
void table_reader_csv(table_reader_t *t, const char *data, size_t len);
/* Reads the rows of a sheet that xlsx_read gave. */
void table_reader_sheet(table_reader_t *t, const xlsx_sheet_t *sheet);
/* 1 a row (its strings in a for CSV, the sheet's own for XLSX), 0 the end, -1 malformed CSV
 * (table_line tells where). */
int table_next(table_reader_t *t, arena_t *a, csv_row_t *row);
/* The line where the next (or the malformed) CSV record starts; for a sheet, the last row's. */
int table_line(const table_reader_t *t);

#endif

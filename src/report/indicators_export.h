/* The effectiveness check's data as CSV for the command line (issue 10, docs/effectiveness.md
 * "Indicators"): `guanbiao export indicators` (every stored value in the long layout that
 * `guanbiao import indicators` reads back: credit_code,year,indicator,value; indicator is the
 * code; values as written: 12.5, 3, 0.25) and `guanbiao export enterprises` (each enterprise
 * with credit_code, name, industry, size, region, status: the peers of the index). Lines end
 * with LF; UTF-8 without BOM. */
#ifndef GUANBIAO_INDICATORS_EXPORT_H
#define GUANBIAO_INDICATORS_EXPORT_H
#include <stdio.h>

#include "store/store.h"

/* Every value, ordered by credit code, year and the catalogue's order. 0 on success, 1 on a
 * database error (told on stderr). */
int indicators_export(db_t *db, FILE *out);
/* Every enterprise, ordered by credit code. 0 on success, 1 on a database error. */
int enterprises_export(db_t *db, FILE *out);

#endif

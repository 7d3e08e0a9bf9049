/* Certificates as CSV: `guanbiao export certificates` and `guanbiao import certificates FILE`
 * (docs/registry.md). Import validates each row, keeps the good ones and reports the bad ones
 * as {"accepted":N,"unchanged":N,"rejected":[{"row","column","code","message"}]}. */
#ifndef GUANBIAO_CERTIFICATES_CSV_H
#define GUANBIAO_CERTIFICATES_CSV_H
#include <stdio.h>

#include "core/text.h"
#include "store/audit.h"
#include "store/store.h"

/* Writes every certificate as CSV to out. 0 on success. */
int certificates_export(db_t *db, FILE *out);

/* Imports data[0..len) (CSV with a header row). Prints the report to out. 0 when the file
 * could be read (even with rejected rows), 1 when it could not be processed at all. */
/* Every certificate written leaves its audit entries by actor (store/audit.h): certificate.create
 * for a new one; certificate.update and/or certificate.status for a changed one. */
int certificates_import(db_t *db, const char *data, size_t len, lang_t lang, const audit_actor_t *actor, FILE *out);

#endif

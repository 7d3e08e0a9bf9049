/* Certificates as CSV: `guanbiao export certificates` and `guanbiao import certificates FILE`
 * (docs/registry.md). Import validates each row, keeps the good ones and reports the bad ones
 * as {"accepted":N,"unchanged":N,"rejected":[{"row","column","code","message"}]}. */
#ifndef GUANBIAO_CERTIFICATES_CSV_H
#define GUANBIAO_CERTIFICATES_CSV_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "core/table.h"

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

/* How certificates_import_table runs. */
typedef struct import_options {
    lang_t lang;
    const audit_actor_t *actor;   /* every entry written is theirs (NULL: the platform) */
    int64_t body_id;              /* > 0: a body's own upload: the body columns may be left out (the
                                   * rows are its certificates); a row naming another body, a number
                                   * with another body's code, or another body's stored certificate
                                   * is rejected body_mismatch */
    bool upload_report;           /* the API upload's report: each rejected row names its "field" as the
                                   * file's header wrote it (not "column"), and blank rows are skipped */
} import_options_t;

/* The importer over any table (core/table.h: CSV or an XLSX sheet), its first row the header,
 * whose names may be ours (number, holder_credit_code, …), IAF CertSearch's (Certificate Number,
 * Certified Entity Identifier, Original Certification Date, …) or Chinese (证书编号, 统一社会信用代码,
 * 颁证日期, …); statuses may be CertSearch's or Chinese too (Active, 有效, 暂停 …); a sheet's
 * dates may be date cells. Rows that change nothing are counted unchanged and write nothing.
 * 0 with *report (the caller's to json_decref); 1 when the header is unusable, *missing then
 * naming what lacks: "header" (no first row), a required column, or "body_code". */
int certificates_import_table(db_t *db, table_reader_t *t, const import_options_t *o, json_t **report,
                              const char **missing);

#endif

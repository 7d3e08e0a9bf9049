/* Indicator files (issue 10, docs/effectiveness.md "Imports"): `guanbiao import indicators FILE`
 * and the upload POST /api/indicator-imports read the same way. CSV (UTF-8 with or without a
 * byte-order mark, or GBK/GB18030: decided from the bytes) or XLSX (the first sheet), in one of
 * two layouts told apart by the header:
 *   long  credit_code,year,indicator,value (统一社会信用代码,年度,指标,数值): one value a row,
 *         the indicator by its code or Chinese name;
 *   wide  统一社会信用代码 (credit_code), 年度 (year), then one column per indicator headed by
 *         its Chinese name or code.
 * Cells are folded (core/cells.h: full-width digits, letters and signs, the ideographic space,
 * thousands separators, "12.5%"); a blank value cell is missing (nothing written, not zero).
 * Every value is checked (enterprise known and within the caller's reach, year, indicator, number,
 * bounds, no contradicting duplicate); the good ones are written through indicator_values_write
 * (source "import", the import's id on each event) in transactions of many values, the bad ones
 * reported with row, column, code and message. A dry run reports the same and writes no value.
 * The import itself is a row of indicator_imports (its counts, rejected rows and progress), one
 * audit entry (indicator_import.run) and one effectiveness_refresh queued when a value changed. */
#ifndef GUANBIAO_INDICATORS_IMPORT_H
#define GUANBIAO_INDICATORS_IMPORT_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "core/text.h"
#include "store/audit.h"
#include "store/store.h"

/* The job kind (registered in src/api/jobs.c) that runs a large upload: payload {"import_id":N}. */
#define INDICATOR_IMPORT_JOB_KIND "indicator_import"

typedef struct indicator_import_options {
    lang_t lang;                  /* of the rejected rows' messages */
    const audit_actor_t *actor;   /* who writes (events, the audit entry); NULL: the platform */
    const user_t *scope;          /* whose enterprises may be written (domain/scope.h); NULL: every one (CLI) */
    bool dry_run;                 /* check and count, write no value */
    int64_t import_id;            /* the indicator_imports row (indicator_import_create) */
    int64_t max_rejected;         /* the report lists at most this many rejected values (0: all);
                                   * rejected_count counts them all */
    /* called now and then with the values done and the total (the CLI's progress bar); may be NULL */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
} indicator_import_options_t;

/* What an import found. rejected: JSON array of {"row","column","code","message"} by row, then
 * column (the caller's to json_decref). */
typedef struct indicator_import_report {
    const char *layout;           /* "long", "wide" ("" when the file could not be read) */
    const char *encoding;         /* "utf-8", "gbk" */
    int64_t rows_total;           /* data rows of the file (blank ones not counted) */
    int64_t accepted, unchanged, rejected_count;
    json_t *rejected;
} indicator_import_report_t;

/* Creates the row of an import (state running, or queued when it will run as a job), by actor's
 * user. The id, -1 on error. */
int64_t indicator_import_create(db_t *db, const audit_actor_t *actor, const char *file_name, const char *file_sha256,
                                bool dry_run, bool queued);

/* Runs the import of data[0..len) recorded as o->import_id: reads, checks, writes, then marks the
 * row done with the report (and the audit entry, and the refresh). 0 with *r filled; 1 when the
 * file cannot be read at all (*problem then an error code of core/messages.c: import_not_text,
 * indicator_import_header, or import_not_readable for a broken XLSX), the row marked failed; -1 on a
 * database error (the row marked failed when it can be). */
int indicators_import(db_t *db, const char *data, size_t len, const indicator_import_options_t *o,
                      indicator_import_report_t *r, const char **problem);

#endif

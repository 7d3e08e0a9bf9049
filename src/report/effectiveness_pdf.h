/* The effectiveness report (issue 10; docs/effectiveness.md "Pages and report"): an enterprise's
 * stored effectiveness result (store/effectiveness.h) as a printable A4 PDF, with the index,
 * verdict, grade, the form-only flag, two charts drawn with cairo (report/chart.h: before/after per
 * indicator, scaled values), the full table of every indicator's numbers, the method and the
 * formula, so that every number can be traced. Also the verdicts' Chinese words. */
#ifndef GUANBIAO_EFFECTIVENESS_PDF_H
#define GUANBIAO_EFFECTIVENESS_PDF_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/vocabulary.h"
#include "store/effectiveness.h"

/* One indicator of the result's detail (numbers NaN where the method has none). */
typedef struct effectiveness_pdf_indicator {
    const char *code, *name, *unit, *category, *kind;
    bool lower_is_better, verified;
    double before, after, change, peer_median, scaled;
    int64_t peers;
} effectiveness_pdf_indicator_t;

typedef struct effectiveness_report {
    const effectiveness_result_t *result;
    const char *enterprise_name, *credit_code;
    const char *body_name;        /* "" when the result has no body */
    const effectiveness_pdf_indicator_t *indicators;   /* in the catalogue's order */
    int n;
} effectiveness_report_t;

/* Appends the PDF to out; false when it could not be made. */
bool effectiveness_pdf(const effectiveness_report_t *r, buf_t *out);

/* The verdicts as a vocabulary (domain/vocabulary.h): significant_improvement 显著提升, improvement
 * 有所提升, no_change 无明显变化, decline 下降 (list exports show them so: src/api/exports.c). */
const term_t *effectiveness_verdicts(void);
/* The Chinese word of a verdict code; "—" for "" (no index). */
const char *effectiveness_verdict_zh(const char *verdict);

#endif

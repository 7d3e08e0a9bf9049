/* The review report of a local policy (docs/policies.md "Review", docs/reports.md): A4 PDF
 * (report/pdf.h: cairo + pango, Noto CJK) and XLSX (libxlsxwriter), both made from the policy's
 * detail document, the same JSON that GET /api/policies/{id} answers (src/api/schemas/
 * PolicyDetail.json): title, office, region and its name, dates, status with note, the current
 * revision's text with each finding's span marked, and the findings with rule, severity,
 * excerpt, explanation, decision and reason. */
#ifndef GUANBIAO_POLICY_REPORT_H
#define GUANBIAO_POLICY_REPORT_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

/* Appends the report to out; lang "zh" or "en" for the headings. False when out of memory or
 * the document lacks a member the report needs. */
bool policy_report_pdf(const json_t *policy, const char *lang, buf_t *out);
bool policy_report_xlsx(const json_t *policy, const char *lang, buf_t *out);

#endif

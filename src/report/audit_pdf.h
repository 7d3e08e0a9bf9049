/* The audit report as a printable A4 PDF (GET /api/audits/{id}/pdf; docs/reports.md): laid out as
 * an official audit report — who was audited by whom, scope, dates, auditors, the catalogue it
 * was made against, the findings clause by clause, the nonconformities raised, the
 * effectiveness check, the conclusion and the signatures — with page numbers, a QR code of the
 * certificate's verification page when the audit belongs to a certificate, a note when it
 * corrects an earlier revision, and "未签发" across every page while it is not signed off. */
#ifndef GUANBIAO_AUDIT_PDF_H
#define GUANBIAO_AUDIT_PDF_H
#include <stdbool.h>

#include "core/buf.h"
#include "store/audit_report.h"

/* Appends the PDF of r to out. verify_url is what the QR code encodes (NULL: no QR code).
 * False when the PDF could not be made. */
bool audit_pdf(const audit_report_t *r, const char *verify_url, buf_t *out);

#endif

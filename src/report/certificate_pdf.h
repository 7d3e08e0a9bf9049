/* The certificate as a printable PDF (GET /api/certificates/{number}/pdf): laid out as a
 * Chinese certificate is, with English beneath each label, and a QR code of the public
 * verification page. A certificate that is no longer valid says so across the page. */
#ifndef GUANBIAO_CERTIFICATE_PDF_H
#define GUANBIAO_CERTIFICATE_PDF_H
#include <stdbool.h>

#include "core/buf.h"
#include "store/registry.h"

/* Appends the PDF of c to out; verify_url is what the QR code encodes. today (YYYY-MM-DD)
 * decides whether c reads expired. False when the PDF could not be made. */
bool certificate_pdf(const certificate_t *c, const char *verify_url, const char *today, buf_t *out);

#endif

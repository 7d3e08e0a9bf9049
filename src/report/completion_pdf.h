/* The certificate of completion of a course as a printable PDF (GET
 * /api/completion-certificates/{number}/pdf, issue 11): holder, course, date, score, and a QR
 * code of the public verification page. */
#ifndef GUANBIAO_COMPLETION_PDF_H
#define GUANBIAO_COMPLETION_PDF_H
#include <stdbool.h>

#include "core/buf.h"

typedef struct completion_certificate {
    const char *number, *holder_name, *course_title, *issued;   /* issued: YYYY-MM-DD */
    long long score;
} completion_certificate_t;

/* Appends the PDF to out; verify_url is what the QR code encodes. False when it could not be made. */
bool completion_pdf(const completion_certificate_t *k, const char *verify_url, buf_t *out);

#endif

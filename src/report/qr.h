/* QR codes for printed documents: libqrencode encodes, cairo draws the modules as vector
 * squares (sharp at any zoom and in print; no bitmap). QRcode_encodeString is reentrant in
 * libqrencode 4 (built with thread safety, as Debian's is): codes may be made on any worker. */
#ifndef GUANBIAO_QR_H
#define GUANBIAO_QR_H
#include <cairo.h>
#include <stdbool.h>

enum { QR_QUIET_MODULES = 4 };   /* the blank border readers need, in modules */

typedef struct qr {
    int width;                   /* modules per side, without the quiet zone */
    unsigned char *dark;         /* width × width, 1 = dark; owned: qr_free */
} qr_t;

/* Encodes text (8-bit, error correction level M). False when it does not fit a QR code or
 * memory ran out. */
bool qr_encode(const char *text, qr_t *out);
void qr_free(qr_t *q);
/* Draws q with its quiet zone on a white square of side `size` (user units) at (x, y). */
void qr_draw(const qr_t *q, cairo_t *cr, double x, double y, double size);

#endif

/* QR codes as vector squares (see qr.h). */
#include "report/qr.h"

#include <qrencode.h>
#include <stdlib.h>

bool qr_encode(const char *text, qr_t *out)
{
    out->width = 0;
    out->dark = NULL;
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (code == NULL)
        return false;
    size_t n = (size_t)code->width * (size_t)code->width;
    out->dark = malloc(n);
    if (out->dark != NULL) {
        out->width = code->width;
        for (size_t i = 0; i < n; i++)
            out->dark[i] = code->data[i] & 1;   /* bit 0: dark module */
    }
    QRcode_free(code);
    return out->dark != NULL;
}

void qr_free(qr_t *q)
{
    free(q->dark);
    q->dark = NULL;
    q->width = 0;
}

void qr_draw(const qr_t *q, cairo_t *cr, double x, double y, double size)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    double module = size / (q->width + 2 * QR_QUIET_MODULES);
    double x0 = x + QR_QUIET_MODULES * module, y0 = y + QR_QUIET_MODULES * module;
    cairo_set_source_rgb(cr, 0, 0, 0);
    /* one path, filled once; neighbouring squares overlap by nothing, and no antialiasing
     * seams appear between them because the fill is a single operation */
    for (int r = 0; r < q->width; r++)
        for (int col = 0; col < q->width; col++)
            if (q->dark[r * q->width + col])
                cairo_rectangle(cr, x0 + col * module, y0 + r * module, module, module);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
    cairo_restore(cr);
}

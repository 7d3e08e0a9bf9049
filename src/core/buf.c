/* Growable byte buffer with a hard cap (see buf.h). */
#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

static bool reserve(buf_t *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > b->max - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 1024;    /* most answers fit the first allocation */
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool buf_append(buf_t *b, const void *data, size_t len)
{
    if (!b->failed && b->len + len < b->cap && len <= b->max - b->len) {   /* room already: the common case */
        memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return true;
    }
    if (!reserve(b, len))
        return false;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

char *buf_room(buf_t *b, size_t extra)
{
    bool fits = !b->failed && b->len + extra < b->cap && extra <= b->max - b->len;
    if (!fits && !reserve(b, extra))
        return NULL;
    return b->data + b->len;
}

void buf_commit(buf_t *b, size_t written)
{
    b->len += written;
    b->data[b->len] = '\0';
}

bool buf_puts(buf_t *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

bool buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

void buf_reset(buf_t *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data != NULL)
        b->data[0] = '\0';
}

char *buf_take(buf_t *b)
{
    char *p = b->data;
    if (p == NULL)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
    return p;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

bool buf_read_file(buf_t *b, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return false;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!buf_append(b, chunk, n))
            break;
    if (f != stdin)
        fclose(f);
    if (b->failed) {
        errno = EFBIG;
        return false;
    }
    return true;
}

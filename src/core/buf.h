/* A growable byte buffer with a hard cap (after curl's dynbuf). Appends past the cap fail and
 * leave the buffer marked failed; the data stays NUL-terminated. The buffer owns its memory:
 * buf_free() releases it, buf_take() hands it to the caller. */
#ifndef GUANBIAO_BUF_H
#define GUANBIAO_BUF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *data;   /* NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;   /* hard cap on len */
    bool failed;  /* an append was refused: over the cap or out of memory */
} buf_t;

void buf_init(buf_t *b, size_t max);
bool buf_append(buf_t *b, const void *data, size_t len);
/* Room for extra more bytes: where to write them (then buf_commit), or NULL over the cap. */
char *buf_room(buf_t *b, size_t extra);
void buf_commit(buf_t *b, size_t written);   /* written ≤ the extra asked of buf_room */
bool buf_puts(buf_t *b, const char *s);
bool buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(buf_t *b);          /* len = 0, keeps the memory */
char *buf_take(buf_t *b);          /* caller frees; the buffer is empty afterwards */
void buf_free(buf_t *b);

/* Reads a whole file ("-" = standard input) into b (initialised by the caller with its cap).
 * False when it cannot be opened or is larger than the cap (errno tells which: EFBIG). */
bool buf_read_file(buf_t *b, const char *path);

#endif

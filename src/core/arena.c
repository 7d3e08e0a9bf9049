/* Per-request bump allocator (see arena.h). */
#include "core/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk_t *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

enum { CHUNK_SIZE = 8192 };

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fputs("out of memory\n", stderr);
        abort();
    }
    return p;
}

void *arena_alloc(arena_t *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    arena_chunk_t *c = a->head;
    if (c == NULL || c->size - c->used < size) {
        size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        c = xmalloc(sizeof *c + cap);     /* zeroed per allocation below, not all 8 KB up front */
        c->size = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_join(arena_t *a, const char *const *items, int n, const char *sep)
{
    size_t total = 1, seplen = strlen(sep);
    for (int i = 0; i < n; i++)
        total += strlen(items[i]) + (i ? seplen : 0);
    char *out = arena_alloc(a, total), *p = out;
    for (int i = 0; i < n; i++) {
        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        size_t len = strlen(items[i]);
        memcpy(p, items[i], len);
        p += len;
    }
    *p = '\0';
    return out;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_free(arena_t *a)
{
    arena_chunk_t *c = a->head;
    while (c != NULL) {
        arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void arena_reset(arena_t *a)
{
    arena_chunk_t *keep = NULL, *c = a->head;
    while (c != NULL) {
        arena_chunk_t *next = c->next;
        if (keep == NULL && c->size == CHUNK_SIZE) {
            keep = c;
            keep->used = 0;
            keep->next = NULL;
        } else {
            free(c);
        }
        c = next;
    }
    a->head = keep;
}

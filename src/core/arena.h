/* A per-request bump allocator: everything a request needs is allocated here and freed at
 * once with arena_free(). Allocation never fails (out of memory aborts the process). */
#ifndef GUANBIAO_ARENA_H
#define GUANBIAO_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk_t;
typedef struct arena {
    arena_chunk_t *head;
} arena_t;

void *arena_alloc(arena_t *a, size_t size);                 /* zeroed, 16-byte aligned */
char *arena_strndup(arena_t *a, const char *s, size_t len); /* NUL-terminated copy */
char *arena_strdup(arena_t *a, const char *s);
/* items[0..n) joined with sep ("a,b,c"), in the arena. */
char *arena_join(arena_t *a, const char *const *items, int n, const char *sep);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena_t *a);                                /* frees every allocation */
/* Frees every allocation but keeps one standard chunk for the next use (a recycled arena). */
void arena_reset(arena_t *a);

#endif

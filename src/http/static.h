/* The web application's files (web/dist), loaded into memory at start with their gzip and
 * brotli twins (X.gz, X.br made at build time). Hashed names under /assets/ are cached for a
 * year; index.html is revalidated. Unknown paths without a file extension get index.html
 * (the single-page application's router takes over). */
#ifndef GUANBIAO_STATIC_H
#define GUANBIAO_STATIC_H
#include <stdbool.h>
#include <stddef.h>

typedef struct asset {
    char *path;                 /* URL path, e.g. "/assets/index-3f2a.js" */
    const char *content_type;
    const char *cache_control;
    char etag[24];
    char *data, *gz, *br;       /* gz/br NULL when no twin exists */
    size_t len, gz_len, br_len;
} asset_t;

/* Loads every file under dir. Returns the number of files, -1 when dir is unreadable. */
int static_load(const char *dir);
void static_free(void);

/* The asset for a request path (no query): an exact match, "/" → index.html, or the SPA
 * fallback. NULL → 404. */
const asset_t *static_find(const char *path, size_t len);

#endif

/* The web application's files (web/dist) with their gzip and brotli twins (X.gz, X.br made at
 * build time), served from memory: embedded in the binary at build time (tools/embed_web.py),
 * or read from a folder at start (--web DIR, for development). Hashed names under /assets/ are cached for a
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
    bool borrowed;              /* the bytes are the binary's own (embedded): never freed */
} asset_t;

/* One embedded file, as tools/embed_web.py writes the table web_files (gz/br NULL when no
 * twin exists). */
typedef struct web_file {
    const char *path;
    const char *data, *data_end, *gz, *gz_end, *br, *br_end;
} web_file_t;
extern const web_file_t web_files[];
extern const int web_files_count;

/* Loads every file under dir. Returns the number of files, -1 when dir is unreadable. */
int static_load(const char *dir);
/* Serves the files embedded in the binary; when there are none (web/dist was not built when
 * the binary was), a page saying so answers every path of the application. Returns the number
 * of embedded files. */
int static_load_embedded(void);
void static_free(void);

/* The asset for a request path (no query): an exact match, "/" → index.html, or the SPA
 * fallback. NULL → 404. */
const asset_t *static_find(const char *path, size_t len);

#endif

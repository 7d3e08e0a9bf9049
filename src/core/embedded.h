/* Files embedded in the binary at build time: data/ (this table) and the API's schemas
 * (api/schemas.h). tools/embed_data.py writes each table; every file of the folder is in it,
 * so a new one needs no build change. */
#ifndef GUANBIAO_EMBEDDED_H
#define GUANBIAO_EMBEDDED_H
#include <stddef.h>

typedef struct embedded_file {
    const char *name;     /* the file name in data/, e.g. "regions.tsv" */
    const char *data;     /* its bytes, followed by a NUL */
    size_t len;
} embedded_file_t;

extern const embedded_file_t embedded_files[];
extern const int embedded_files_count;

/* The contents of data/NAME (NUL-terminated), or NULL when no such file was embedded. */
const char *embedded_file(const char *name, size_t *len);
/* The same in another table of n files. */
const char *embedded_find(const embedded_file_t *table, int n, const char *name, size_t *len);

#endif

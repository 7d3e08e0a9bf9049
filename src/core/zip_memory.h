/* A zip archive held in memory (an uploaded XLSX or DOCX), opened read-only with libzip: the one
 * way the readers of core/xlsx.c and core/document_text.c open what they were given. */
#ifndef GUANBIAO_ZIP_MEMORY_H
#define GUANBIAO_ZIP_MEMORY_H
#include <stddef.h>
#include <zip.h>

/* data[0..len) as an open archive, or NULL when it is not a zip (or is damaged). The archive
 * reads data in place: data must outlive it. The caller closes it with zip_discard(), which also
 * frees its source. */
zip_t *zip_open_memory(const void *data, size_t len);

#endif

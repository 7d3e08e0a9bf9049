/* A zip archive held in memory (see zip_memory.h). */
#include "core/zip_memory.h"

zip_t *zip_open_memory(const void *data, size_t len)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    zip_error_fini(&zerr);
    if (zip == NULL && src != NULL)
        zip_source_free(src);
    return zip;
}

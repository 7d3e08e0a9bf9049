/* Lookup of the embedded data files (see embedded.h). */
#include "core/embedded.h"

#include <string.h>

const char *embedded_file(const char *name, size_t *len)
{
    for (int i = 0; i < embedded_files_count; i++)
        if (strcmp(embedded_files[i].name, name) == 0) {
            if (len != NULL)
                *len = embedded_files[i].len;
            return embedded_files[i].data;
        }
    return NULL;
}

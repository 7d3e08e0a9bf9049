/* Lookup of the embedded data files (see embedded.h). */
#include "core/embedded.h"

#include <string.h>

const char *embedded_find(const embedded_file_t *table, int n, const char *name, size_t *len)
{
    for (int i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0) {
            if (len != NULL)
                *len = table[i].len;
            return table[i].data;
        }
    return NULL;
}

const char *embedded_file(const char *name, size_t *len)
{
    return embedded_find(embedded_files, embedded_files_count, name, len);
}

/* File types by content and clean file names (see filetype.h). */
#include "core/filetype.h"

#include <magic.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

/* One libmagic handle per thread: opened on first use, kept until the thread ends (the
 * threads are the loops and workers, which live as long as the server). */
static _Thread_local magic_t thread_magic;
static _Thread_local bool thread_magic_failed;

bool filetype_detect(const void *data, size_t len, char *out, size_t outlen)
{
    if (thread_magic == NULL && !thread_magic_failed) {
        thread_magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (thread_magic == NULL || magic_load(thread_magic, NULL) != 0) {
            if (thread_magic != NULL)
                magic_close(thread_magic);
            thread_magic = NULL;
            thread_magic_failed = true;
        }
    }
    if (thread_magic == NULL)
        return false;
    const char *type = magic_buffer(thread_magic, len ? data : "", len);
    if (type == NULL)
        return false;
    snprintf(out, outlen, "%s", type);
    return true;
}

bool filetype_allowed(const char *type, const char *const *allowed)
{
    for (int i = 0; allowed[i] != NULL; i++)
        if (strcmp(type, allowed[i]) == 0)
            return true;
    return false;
}

char *file_name_clean(arena_t *a, const char *header)
{
    if (header == NULL)
        return NULL;
    char *name = percent_decode(a, header, strlen(header), false);   /* checks UTF-8, refuses NUL */
    if (name == NULL)
        return NULL;
    /* the last path component */
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            name = p + 1;
    /* drop control characters and the characters that quote or separate in headers */
    char *w = name;
    for (const char *r = name; *r; r++) {
        unsigned char ch = (unsigned char)*r;
        if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == ';' || ch == '<' || ch == '>' || ch == ':' || ch == '*' ||
            ch == '?' || ch == '|')
            continue;
        *w++ = *r;
    }
    *w = '\0';
    while (*name == '.' || *name == ' ')
        name++;
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == ' ')
        name[--n] = '\0';
    /* at most FILE_NAME_MAX_CHARS characters, cut at a character boundary */
    size_t chars = 0, i = 0;
    while (i < n && chars < FILE_NAME_MAX_CHARS) {
        i++;
        while (i < n && ((unsigned char)name[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    name[i] = '\0';
    return *name ? name : NULL;
}

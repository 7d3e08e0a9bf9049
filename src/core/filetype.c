/* File types by content and clean file names (see filetype.h). */
#include "core/filetype.h"

#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

/* One libmagic handle per thread, opened on first use and closed when the thread ends (the
 * key's destructor), so that the workers' handles are not leaked at shutdown. */
static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static bool magic_key_ok;

static void magic_release(void *handle)
{
    magic_close((magic_t)handle);
}

static void magic_key_create(void)
{
    magic_key_ok = pthread_key_create(&magic_key, magic_release) == 0;
}

static magic_t thread_magic(void)
{
    pthread_once(&magic_once, magic_key_create);
    if (!magic_key_ok)
        return NULL;
    magic_t m = pthread_getspecific(magic_key);
    if (m != NULL)
        return m;
    m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (m == NULL)
        return NULL;
    if (magic_load(m, NULL) != 0 || pthread_setspecific(magic_key, m) != 0) {
        magic_close(m);
        return NULL;
    }
    return m;
}

bool filetype_detect(const void *data, size_t len, char *out, size_t outlen)
{
    magic_t m = thread_magic();
    if (m == NULL)
        return false;
    const char *type = magic_buffer(m, len ? data : "", len);
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

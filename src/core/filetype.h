/* Uploaded files, as the platform sees them: the type decided by the bytes (libmagic), never by
 * the name or the declared Content-Type, and the file name as given, made safe to store and
 * to send back in a Content-Disposition header. */
#ifndef GUANBIAO_FILETYPE_H
#define GUANBIAO_FILETYPE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

enum { FILE_NAME_MAX_CHARS = 200 };

/* The MIME type of data[0..len) ("application/pdf"), from libmagic with MAGIC_MIME_TYPE, into
 * out; false when libmagic cannot be opened or fails. Thread-safe: each thread opens its own
 * magic handle once (libmagic handles are not thread-safe), closed when the thread ends. */
bool filetype_detect(const void *data, size_t len, char *out, size_t outlen);

/* Is type one of the NULL-terminated list? */
bool filetype_allowed(const char *type, const char *const *allowed);

/* The file name from a percent-encoded UTF-8 header value (X-File-Name), cleaned: decoded,
 * only its last path component (after / or \), without control characters, quotes or
 * leading dots, surrounding blanks trimmed, at most FILE_NAME_MAX_CHARS characters. NULL when
 * it is missing, malformed (bad percent-encoding or UTF-8) or nothing is left. Arena copy. */
char *file_name_clean(arena_t *a, const char *header);

#endif

/* The catalogue of error codes: HTTP status and message in Chinese and English. Messages may
 * hold %s placeholders, filled in order by the caller with strings (the count is in the
 * catalogue's comment for each code). Later issues add their codes to the table. */
#ifndef GUANBIAO_MESSAGES_H
#define GUANBIAO_MESSAGES_H
#include "core/arena.h"
#include "core/text.h"

typedef struct message {
    const char *code;   /* snake_case, stable: part of the public contract */
    int status;
    const char *zh;
    const char *en;
} message_t;

/* The entry for code; the internal_error entry when the code is unknown. */
const message_t *message_find(const char *code);
const char *message_text(const message_t *m, lang_t lang);
/* The message of code in lang with its %s filled from args[0..nargs) in order (a missing or
 * NULL one as ""), in the arena: the text a report shows for a rejected row. */
char *message_fill(arena_t *a, const char *code, lang_t lang, const char *const *args, int nargs);

extern const message_t messages[];
extern const int messages_count;

#endif

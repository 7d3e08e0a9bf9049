/* The catalogue of error codes: HTTP status and message in Chinese and English. Messages may
 * hold %s placeholders, filled in order by the caller with strings (the count is in the
 * catalogue's comment for each code). Later issues add their codes to the table. */
#ifndef GUANBIAO_MESSAGES_H
#define GUANBIAO_MESSAGES_H
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

extern const message_t messages[];
extern const int messages_count;

#endif

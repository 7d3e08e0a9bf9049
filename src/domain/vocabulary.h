/* Controlled vocabularies: each term is the code the API and the database use, with its label
 * in Chinese and in English (what the web application shows; GET /api/vocabularies serves
 * them). The lists live beside their rules: certificate.c (statuses, scope, standards) and
 * enterprise.c (sizes, registration statuses). Lists end with an entry whose code is NULL. */
#ifndef GUANBIAO_VOCABULARY_H
#define GUANBIAO_VOCABULARY_H
#include <stddef.h>
#include <string.h>

typedef struct term {
    const char *code;
    const char *zh;
    const char *en;
} term_t;

/* The term with this code in a list, or NULL (also for a NULL code). */
static inline const term_t *term_find(const term_t *list, const char *code)
{
    for (; code != NULL && list->code != NULL; list++)
        if (strcmp(list->code, code) == 0)
            return list;
    return NULL;
}

#endif

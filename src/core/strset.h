/* A set of strings (open addressing, grows as needed), e.g. to notice a key repeated in an
 * imported file. The set owns copies of what is added. */
#ifndef GUANBIAO_STRSET_H
#define GUANBIAO_STRSET_H
#include <stdbool.h>
#include <stddef.h>

typedef struct strset {
    char **slots;
    size_t cap, count;
} strset_t;

/* Adds s; false when it was there already. */
bool strset_add(strset_t *set, const char *s);
bool strset_has(const strset_t *set, const char *s);
void strset_free(strset_t *set);

#endif

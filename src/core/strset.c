/* String set (see strset.h). */
#include "core/strset.h"

#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t find(char **slots, size_t cap, const char *s)
{
    size_t i = (size_t)(hash_bytes(s, strlen(s)) & (cap - 1));
    while (slots[i] != NULL && strcmp(slots[i], s) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

bool strset_has(const strset_t *set, const char *s)
{
    return set->cap > 0 && set->slots[find(set->slots, set->cap, s)] != NULL;
}

bool strset_add(strset_t *set, const char *s)
{
    if ((set->count + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slots = calloc(cap, sizeof *slots);
        if (slots == NULL)
            abort();
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i] != NULL)
                slots[find(slots, cap, set->slots[i])] = set->slots[i];
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t i = find(set->slots, set->cap, s);
    if (set->slots[i] != NULL)
        return false;
    set->slots[i] = strdup(s);
    set->count++;
    return true;
}

void strset_free(strset_t *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    memset(set, 0, sizeof *set);
}

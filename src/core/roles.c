/* Role names (see roles.h). */
#include "core/roles.h"

#include <stdio.h>
#include <string.h>

static const struct { role_t role; const char *name; } names[] = {
    {ROLE_PUBLIC, "public"},       {ROLE_ENTERPRISE, "enterprise"}, {ROLE_BODY, "body"},
    {ROLE_REGULATOR, "regulator"}, {ROLE_ADMIN, "admin"},
};

const char *role_name(role_t r)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].role == r)
            return names[i].name;
    return "none";
}

role_t role_parse(const char *name)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].role;
    return ROLE_NONE;
}

void role_mask_names(unsigned mask, char *out, unsigned outlen)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if ((mask & names[i].role) == 0)
            continue;
        int n = snprintf(out + k, outlen - k, "%s%s", k ? "," : "", names[i].name);
        if (n < 0 || (size_t)n >= outlen - k)
            return;
        k += (size_t)n;
    }
}

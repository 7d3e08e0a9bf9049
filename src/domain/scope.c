/* Row-level scope (see scope.h). */
#include "domain/scope.h"

#include <stdio.h>
#include <string.h>

#include "core/regions.h"

void region_prefix(const char *region, char out[7])
{
    size_t n = region ? strlen(region) : 0;
    if (n > 6)
        n = 6;
    if (n > 0)
        memcpy(out, region, n);   /* region may be NULL (n == 0): memcpy's source must not be */
    out[n] = '\0';
    /* strip trailing "00" pairs: 440300 → 4403, 440000 → 44, 000000 → "" */
    while (n >= 2 && out[n - 1] == '0' && out[n - 2] == '0') {
        n -= 2;
        out[n] = '\0';
    }
}

bool region_code_valid(const char *region)
{
    if (region[0] == '\0' || strcmp(region, "000000") == 0)
        return true;
    if (strlen(region) != 6 || strspn(region, "0123456789") != 6)
        return false;
    char province[7];
    snprintf(province, sizeof province, "%.2s0000", region);
    return region_find(province) != NULL;
}

bool region_within(const char *region, const char *within)
{
    char prefix[7];
    region_prefix(within, prefix);
    size_t n = strlen(prefix);
    return n == 0 || (region != NULL && strncmp(region, prefix, n) == 0);
}

bool scope_allows(const user_t *u, int64_t enterprise_id, int64_t body_id, const char *region)
{
    switch (u->role) {
    case ROLE_ADMIN:
        return true;
    case ROLE_REGULATOR:
        return region != NULL && region_within(region, u->region);
    case ROLE_ENTERPRISE:
        return u->enterprise_id != 0 && enterprise_id == u->enterprise_id;
    case ROLE_BODY:
        return u->body_id != 0 && body_id == u->body_id;
    default:
        return false;
    }
}

void scope_filter(const user_t *u, const scope_columns_t *cols, int first_param, scope_filter_t *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->sql, sizeof out->sql, "FALSE");
    switch (u->role) {
    case ROLE_ADMIN:
        snprintf(out->sql, sizeof out->sql, "TRUE");
        break;
    case ROLE_REGULATOR: {
        if (cols->region == NULL)
            break;
        char prefix[7];
        region_prefix(u->region, prefix);
        if (prefix[0] == '\0') {
            snprintf(out->sql, sizeof out->sql, "TRUE");
            break;
        }
        snprintf(out->sql, sizeof out->sql, "%s LIKE $%d", cols->region, first_param);
        snprintf(out->text_param, sizeof out->text_param, "%s%%", prefix);
        out->nparams = 1;
        out->param_is_text = true;
        break;
    }
    case ROLE_ENTERPRISE:
        if (cols->enterprise == NULL || u->enterprise_id == 0)
            break;
        snprintf(out->sql, sizeof out->sql, "%s = $%d", cols->enterprise, first_param);
        out->int_param = u->enterprise_id;
        out->nparams = 1;
        break;
    case ROLE_BODY:
        if (cols->body == NULL || u->body_id == 0)
            break;
        snprintf(out->sql, sizeof out->sql, "%s = $%d", cols->body, first_param);
        out->int_param = u->body_id;
        out->nparams = 1;
        break;
    default:
        break;
    }
}

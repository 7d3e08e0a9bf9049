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

bool region_filter_valid(const char *filter)
{
    size_t n = strlen(filter);
    return n <= 6 && strspn(filter, "0123456789") == n;
}

bool region_within(const char *region, const char *within)
{
    char prefix[7];
    region_prefix(within, prefix);
    size_t n = strlen(prefix);
    return n == 0 || (region != NULL && strncmp(region, prefix, n) == 0);
}

reach_t scope_reach(const user_t *u)
{
    reach_t r = {.kind = REACH_NONE};
    switch (u->role) {
    case ROLE_ADMIN:
        r.kind = REACH_ALL;
        break;
    case ROLE_REGULATOR:
        region_prefix(u->region, r.region_prefix);
        r.kind = r.region_prefix[0] == '\0' ? REACH_ALL : REACH_REGION;
        break;
    case ROLE_ENTERPRISE:
        if (u->enterprise_id != 0) {
            r.kind = REACH_ENTERPRISE;
            r.id = u->enterprise_id;
        }
        break;
    case ROLE_BODY:
        if (u->body_id != 0) {
            r.kind = REACH_BODY;
            r.id = u->body_id;
        }
        break;
    default:
        break;
    }
    return r;
}

bool scope_allows(const user_t *u, int64_t enterprise_id, int64_t body_id, const char *region)
{
    reach_t r = scope_reach(u);
    switch (r.kind) {
    case REACH_ALL:
        return true;
    case REACH_REGION:
        return region != NULL && strncmp(region, r.region_prefix, strlen(r.region_prefix)) == 0;
    case REACH_ENTERPRISE:
        return enterprise_id == r.id;
    case REACH_BODY:
        return body_id == r.id;
    default:
        return false;
    }
}

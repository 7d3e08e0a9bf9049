/* The compiled rule sets: FOUNDATION STUB, replaced by the checker slice (policy_checks.h). */
#include "api/policy_checks.h"

#include <stdlib.h>

const policy_ruleset_t *policy_ruleset_current(db_t *db, int64_t *version)
{
    (void)db;
    static policy_ruleset_t *rs;
    if (rs == NULL)
        rs = policy_ruleset_compile(NULL, NULL, 0, NULL, 0);
    *version = 1;
    return rs;
}

const policy_ruleset_t *policy_ruleset_version(db_t *db, int64_t version)
{
    int64_t v;
    (void)version;
    return policy_ruleset_current(db, &v);
}

/* The fair-policy checker: FOUNDATION STUB, replaced by the checker slice (policy_check.h). */
#include "domain/policy_check.h"

#include <stdlib.h>

struct policy_ruleset {
    int unused;
};

policy_ruleset_t *policy_ruleset_compile(const json_t *doc, char *err, size_t errlen,
                                         char *field, size_t fieldlen)
{
    (void)doc; (void)err; (void)errlen; (void)field; (void)fieldlen;
    return calloc(1, sizeof(policy_ruleset_t));
}

void policy_ruleset_free(policy_ruleset_t *rs)
{
    free(rs);
}

json_t *policy_check_text(const policy_ruleset_t *rs, const char *text, size_t len, const char *lang)
{
    (void)rs; (void)text; (void)len; (void)lang;
    return json_pack("{s:[]}", "findings");
}

const char *policy_rule_explanation(const policy_ruleset_t *rs, const char *rule, const char *lang)
{
    (void)rs; (void)rule; (void)lang;
    return NULL;
}

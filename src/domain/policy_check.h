/* The fair-policy checker (docs/policies.md, DOMAIN.md "Fair-policy rules"): a rule set kept as
 * data (data/policy-rules.json's shape; new versions in table policy_rulesets) compiled once,
 * then run over a policy's text. Each rule's patterns are PCRE2 in UTF mode, matched over the
 * NFKC-normalised text; offsets are reported in Unicode characters of the ORIGINAL text.
 * Restatements and negations of a prohibition, and rewards for measured outcomes, are not
 * findings; enumerations (一是…二是…, (一)…(二)…) inherit their lead-in. Pure: no database. */
#ifndef GUANBIAO_POLICY_CHECK_H
#define GUANBIAO_POLICY_CHECK_H
#include <jansson.h>
#include <stddef.h>

typedef struct policy_ruleset policy_ruleset_t;

/* Compiles a rule set document. NULL on a bad document or pattern, with a message (naming the
 * rule and the PCRE2 error) in err and the JSON path of the bad member (e.g.
 * "rules[2].patterns[0].match") in field. The result is read-only: several threads may check
 * with it at once. */
policy_ruleset_t *policy_ruleset_compile(const json_t *doc, char *err, size_t errlen,
                                         char *field, size_t fieldlen);
void policy_ruleset_free(policy_ruleset_t *rs);

/* Checks text (UTF-8, valid; the caller checked it) and returns the contract's answer
 * {"findings":[{"rule","severity","start","end","excerpt","explanation"}…]} ordered by start,
 * explanations in lang ("zh" or "en"). New reference (caller json_decref), NULL only when out
 * of memory. */
json_t *policy_check_text(const policy_ruleset_t *rs, const char *text, size_t len, const char *lang);

/* The number of rules in rs. */
size_t policy_ruleset_count(const policy_ruleset_t *rs);

/* A rule's explanation in lang, or NULL when the rule set has no such rule. Owned by rs. */
const char *policy_rule_explanation(const policy_ruleset_t *rs, const char *rule, const char *lang);

#endif

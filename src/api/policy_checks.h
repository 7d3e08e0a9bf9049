/* The current rule set of the fair-policy checker, compiled once per version and shared by every
 * thread (docs/policies.md). Used by the contract's check (POST /api/policy-checks), by the
 * policy registry when it checks a revision, and by `guanbiao policy-check FILE`. */
#ifndef GUANBIAO_API_POLICY_CHECKS_H
#define GUANBIAO_API_POLICY_CHECKS_H
#include <stdint.h>

#include "domain/policy_check.h"
#include "store/store.h"

/* The most text one check reads (pasted, or extracted from a file): 1 MiB of UTF-8, for the
 * contract's check, the registry and `guanbiao policy-check FILE` alike (400/413
 * policy_text_too_long, whose message names POLICY_TEXT_MAX_BYTES_TEXT). */
#define POLICY_TEXT_MAX_BYTES (1u << 20)
#define POLICY_TEXT_MAX_BYTES_TEXT "1048576"

/* The current rule set (loading the embedded first version when the database has none), and its
 * version in *version. The pointer stays valid until the process ends (compiled versions are
 * kept: there are few). NULL when the database fails. */
const policy_ruleset_t *policy_ruleset_current(db_t *db, int64_t *version);

/* The compiled rule set of an older version (for explanations of earlier findings), or NULL. */
const policy_ruleset_t *policy_ruleset_version(db_t *db, int64_t version);

#endif

/* The fair-policy checker's rule sets as versions (table policy_rulesets, sql/024_policies.sql;
 * docs/policies.md "Rules and the checker"): the newest version is current; older ones stay so
 * that earlier findings keep their rule's wording. The platform's first version is embedded
 * (data/policy-rules.json) and loaded when there is none. Documents are stored as JSON text
 * exactly in data/policy-rules.json's shape (note, terms, negations, post_negations, rules). */
#ifndef GUANBIAO_STORE_POLICY_RULES_H
#define GUANBIAO_STORE_POLICY_RULES_H
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

/* One stored version; strings malloc'ed (policy_ruleset_row_free). */
typedef struct policy_ruleset_row {
    int64_t version;
    char *document;       /* the rule set document, JSON text */
    char *note;
    int64_t created_by;   /* 0: the platform */
    int64_t created_at;
} policy_ruleset_row_t;

void policy_ruleset_row_free(policy_ruleset_row_t *row);

/* The current version's number (a point read, made before every check so that a version saved
 * on another node takes effect at once): 1 found, 0 none, -1 error. */
int policy_ruleset_latest(db_t *db, int64_t *version);

/* A version (0: the current one) into *row: 1 found, 0 none, -1 error. */
int policy_ruleset_read(db_t *db, int64_t version, policy_ruleset_row_t *row);

/* Saves document (JSON text; the caller compiled it) as the next version, in its own
 * transaction, audited (policy_ruleset.update). The new version, or -1 (db_error_kind tells a
 * concurrent save that took the same number: DB_ERR_UNIQUE, and the caller tries again). */
int64_t policy_ruleset_save(db_t *db, const char *document, const char *note, int rules, const audit_actor_t *actor);

/* Loads the embedded first version when there is none; idempotent and safe on several nodes.
 * 1 loaded, 0 there was one, -1 error. */
int policy_rulesets_ensure(db_t *db);

/* Calls fn for each version, newest first (strings valid during the call): -1 on error, else 1. */
int policy_ruleset_each(db_t *db, void (*fn)(void *ctx, int64_t version, const char *note, int64_t created_by,
                                             const char *created_by_login, int64_t created_at, const char *document),
                        void *ctx);

#endif

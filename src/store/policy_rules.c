/* The fair-policy rule sets as stored versions (store/policy_rules.h). */
#include "store/policy_rules.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/text.h"

static char *copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void policy_ruleset_row_free(policy_ruleset_row_t *row)
{
    free(row->document);
    free(row->note);
    memset(row, 0, sizeof *row);
}

int policy_ruleset_latest(db_t *db, int64_t *version)
{
    stmt_t *st = db_query(db, "SELECT MAX(version) FROM policy_rulesets", "");
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    int found = rc == STORE_ROW && !stmt_is_null(st, 0);
    if (found)
        *version = stmt_int(st, 0);
    stmt_done(st);
    return rc == STORE_ROW ? found : -1;
}

int policy_ruleset_read(db_t *db, int64_t version, policy_ruleset_row_t *row)
{
    memset(row, 0, sizeof *row);
    if (version <= 0) {
        int rc = policy_ruleset_latest(db, &version);
        if (rc <= 0)
            return rc;
    }
    stmt_t *st = db_query(db,
                          "SELECT version, document, note, COALESCE(created_by, 0), created_at FROM policy_rulesets "
                          "WHERE version = $1",
                          "I", version);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        row->version = stmt_int(st, 0);
        row->document = copy(stmt_text(st, 1));
        row->note = copy(stmt_text(st, 2));
        row->created_by = stmt_int(st, 3);
        row->created_at = stmt_int(st, 4);
    }
    stmt_done(st);
    if (rc == STORE_ROW && (row->document == NULL || row->note == NULL)) {
        policy_ruleset_row_free(row);
        return -1;
    }
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int64_t policy_ruleset_save(db_t *db, const char *document, const char *note, int rules, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db,
                          "INSERT INTO policy_rulesets (version, document, note, created_by, created_at) "
                          "SELECT COALESCE(MAX(version), 0) + 1, $1, $2, NULLIF($3, 0), $4 FROM policy_rulesets "
                          "RETURNING version",
                          "ttII", document, note, audit_actor_user(actor), now_seconds());
    int64_t version = st != NULL ? stmt_insert_id(st) : -1;
    if (version <= 0) {
        db_rollback(db);
        return -1;
    }
    int64_t count = rules;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_int(&d, "version", NULL, &version);
    audit_diff_int(&d, "rules", NULL, &count);
    audit_diff_str(&d, "note", NULL, note);
    bool ok = audit_record_id(db, actor, "policy_ruleset.update", "policy_ruleset", version, "", "",
                              audit_diff_after(&d));
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1) == 1 ? version : -1;
}

int policy_rulesets_ensure(db_t *db)
{
    int64_t version;
    int rc = policy_ruleset_latest(db, &version);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    size_t len;
    const char *text = embedded_file("policy-rules.json", &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    if (doc == NULL)
        return -1;
    const char *note = json_string_value(json_object_get(doc, "note"));
    int rules = (int)json_array_size(json_object_get(doc, "rules"));
    int64_t saved = policy_ruleset_save(db, text, note ? note : "", rules, &AUDIT_ACTOR_PLATFORM);
    json_decref(doc);
    if (saved > 0)
        return 1;
    /* another node loaded it meanwhile: the UNIQUE (version) refused ours */
    return policy_ruleset_latest(db, &version) == 1 ? 0 : -1;
}

int policy_ruleset_each(db_t *db, void (*fn)(void *ctx, int64_t version, const char *note, int64_t created_by,
                                             const char *created_by_login, int64_t created_at, const char *document),
                        void *ctx)
{
    stmt_t *st = db_query(db,
                          "SELECT r.version, r.note, COALESCE(r.created_by, 0), COALESCE(u.login, ''), r.created_at, "
                          "r.document FROM policy_rulesets r LEFT JOIN users u ON u.id = r.created_by "
                          "ORDER BY r.version DESC",
                          "");
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        fn(ctx, stmt_int(st, 0), stmt_text(st, 1), stmt_int(st, 2), stmt_text(st, 3), stmt_int(st, 4),
           stmt_text(st, 5));
    stmt_done(st);
    return rc == STORE_DONE ? 1 : -1;
}

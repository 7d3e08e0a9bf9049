/* The fair-policy checker's routes and its compiled rule sets (api/policy_checks.h;
 * docs/policies.md "Rules and the checker"):
 *   POST /api/policy-checks        the contract's check of a text (PRODUCT.md)
 *   GET  /api/policy-rules         the current rule set (?version=N an older one)
 *   GET  /api/policy-rules/versions
 *   PUT  /api/policy-rules         a national regulator or an admin saves the next version
 * Each check reads the current version's number (a point read) and takes that version's compiled
 * rule set from a process-wide cache, compiling it once on first use: a version saved on any
 * node takes effect on the next check everywhere, without a restart. */
#include "api/policy_checks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/scope.h"
#include "store/policy_rules.h"

enum {
    POLICY_TEXT_MAX_BYTES = 1 << 20,   /* 1 MiB of UTF-8 */
    RULESET_NOTE_MAX_CHARS = 500,
};

/* ---- the compiled versions: kept until the process ends (there are few) ---- */

typedef struct compiled {
    int64_t version;
    policy_ruleset_t *rs;
} compiled_t;

static pthread_mutex_t compiled_lock = PTHREAD_MUTEX_INITIALIZER;
static compiled_t *compiled;
static size_t ncompiled, compiled_cap;

static const policy_ruleset_t *compiled_find(int64_t version)
{
    const policy_ruleset_t *rs = NULL;
    pthread_mutex_lock(&compiled_lock);
    for (size_t i = 0; i < ncompiled && rs == NULL; i++)
        if (compiled[i].version == version)
            rs = compiled[i].rs;
    pthread_mutex_unlock(&compiled_lock);
    return rs;
}

/* Keeps rs as version's compiled set, or frees it when another thread was first. */
static const policy_ruleset_t *compiled_keep(int64_t version, policy_ruleset_t *rs)
{
    const policy_ruleset_t *kept = NULL;
    pthread_mutex_lock(&compiled_lock);
    for (size_t i = 0; i < ncompiled && kept == NULL; i++)
        if (compiled[i].version == version)
            kept = compiled[i].rs;
    if (kept == NULL) {
        if (ncompiled == compiled_cap) {
            size_t cap = compiled_cap ? compiled_cap * 2 : 8;
            compiled_t *grown = realloc(compiled, cap * sizeof *grown);
            if (grown != NULL) {
                compiled = grown;
                compiled_cap = cap;
            }
        }
        if (ncompiled < compiled_cap) {
            compiled[ncompiled++] = (compiled_t){.version = version, .rs = rs};
            kept = rs;
            rs = NULL;
        }
    }
    pthread_mutex_unlock(&compiled_lock);
    policy_ruleset_free(rs);
    return kept;
}

const policy_ruleset_t *policy_ruleset_version(db_t *db, int64_t version)
{
    const policy_ruleset_t *rs = compiled_find(version);
    if (rs != NULL)
        return rs;
    policy_ruleset_row_t row;
    if (policy_ruleset_read(db, version, &row) != 1)
        return NULL;
    json_t *doc = json_loads(row.document, 0, NULL);
    char err[256], field[128];
    policy_ruleset_t *fresh = doc ? policy_ruleset_compile(doc, err, sizeof err, field, sizeof field) : NULL;
    json_decref(doc);
    policy_ruleset_row_free(&row);
    return fresh ? compiled_keep(version, fresh) : NULL;
}

const policy_ruleset_t *policy_ruleset_current(db_t *db, int64_t *version)
{
    int rc = policy_ruleset_latest(db, version);
    if (rc == 0 && policy_rulesets_ensure(db) >= 0)
        rc = policy_ruleset_latest(db, version);
    if (rc != 1)
        return NULL;
    return policy_ruleset_version(db, *version);
}

/* ---- routes ---- */

static const char *lang_code(const call_t *c)
{
    return c->lang == LANG_EN ? "en" : "zh";
}

/* Writes a json_t value into the answer. */
static void write_json(call_t *c, jw_t *w, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        jw_null(w);
        return;
    }
    jw_raw(w, text);
    free(text);
    (void)c;
}

/* POST /api/policy-checks (regulator, admin): {"text"} → {"findings":[…]} (the contract). */
void api_policy_checks_create(call_t *c)
{
    static const char *const fields[] = {"text", NULL};
    const char *text = NULL;
    body_only(c, fields);
    body_string(c, "text", FIELD_REQUIRED | FIELD_KEEP_BLANKS, 0, 0, &text);
    if (call_answered(c))
        return;
    const json_t *v = json_object_get(c->body, "text");
    text = json_string_value(v);
    size_t len = json_string_length(v);
    size_t blank = 0;
    while (blank < len && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\n' || text[blank] == '\r'))
        blank++;
    if (blank == len) {
        call_error(c, "blank_field", "text", "text");
        return;
    }
    if (len > POLICY_TEXT_MAX_BYTES) {
        call_error(c, "policy_text_too_long", "text", "1048576");
        return;
    }
    int64_t version;
    const policy_ruleset_t *rs = policy_ruleset_current(c->db, &version);
    if (rs == NULL) {
        call_db_error(c, "policy rule set");
        return;
    }
    json_t *answer = policy_check_text(rs, text, len, lang_code(c));
    if (answer == NULL) {
        call_error(c, "internal_error", NULL);
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    write_json(c, w, answer);
    json_decref(answer);
}

/* The answer of GET and PUT: the stored document's members with version, note, created_at and
 * created_by (the login, null for the platform). */
static void write_ruleset(call_t *c, jw_t *w, const policy_ruleset_row_t *row)
{
    json_t *doc = json_loads(row->document, 0, NULL);
    jw_object(w);
    jw_kint(w, "version", row->version);
    jw_kstr(w, "note", row->note);
    jw_kint(w, "created_at", row->created_at);
    const char *login = NULL;
    if (row->created_by > 0) {
        stmt_t *st = db_query(c->db, "SELECT login FROM users WHERE id = $1", "I", row->created_by);
        if (st != NULL && stmt_step(st) == STORE_ROW)
            login = arena_strdup(&c->arena, stmt_text(st, 0));
        stmt_done(st);
    }
    jw_kstr(w, "created_by", login);
    static const char *const members[] = {"terms", "negations", "post_negations", "rules"};
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        const json_t *m = json_object_get(doc, members[i]);
        jw_key(w, members[i]);
        if (m != NULL)
            write_json(c, w, m);
        else if (strcmp(members[i], "terms") == 0)
            jw_raw(w, "{}");
        else
            jw_raw(w, "[]");
    }
    jw_end(w);
    json_decref(doc);
}

/* GET /api/policy-rules (regulator, admin): the current rule set, or ?version=N. */
void api_policy_rules_show(call_t *c)
{
    int64_t version = 0;
    if (!call_query_int(c, "version", 1, INT64_MAX, &version))
        return;
    if (version == 0) {
        int64_t current;
        if (policy_ruleset_current(c->db, &current) == NULL && policy_ruleset_latest(c->db, &current) != 1) {
            call_db_error(c, "policy rule set");
            return;
        }
        version = current;
    }
    policy_ruleset_row_t row;
    int rc = policy_ruleset_read(c->db, version, &row);
    if (rc <= 0) {
        if (rc < 0)
            call_db_error(c, "policy rule set");
        else
            call_error(c, "policy_ruleset_not_found", NULL);
        return;
    }
    write_ruleset(c, call_json_begin(c, 200), &row);
    policy_ruleset_row_free(&row);
}

typedef struct version_writer {
    jw_t *w;
} version_writer_t;

static void write_version(void *ctx, int64_t version, const char *note, int64_t created_by, const char *login,
                          int64_t created_at, const char *document)
{
    jw_t *w = ((version_writer_t *)ctx)->w;
    json_t *doc = json_loads(document, 0, NULL);
    jw_object(w);
    jw_kint(w, "version", version);
    jw_kstr(w, "note", note);
    jw_kint(w, "rules", (int64_t)json_array_size(json_object_get(doc, "rules")));
    jw_kint(w, "created_at", created_at);
    jw_kstr(w, "created_by", created_by > 0 ? login : NULL);
    jw_end(w);
    json_decref(doc);
}

/* GET /api/policy-rules/versions (regulator, admin): every version, newest first. */
void api_policy_rules_versions(call_t *c)
{
    int64_t current;
    if (policy_ruleset_current(c->db, &current) == NULL && policy_ruleset_latest(c->db, &current) != 1) {
        call_db_error(c, "policy rule set");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    version_writer_t vw = {.w = w};
    int rc = policy_ruleset_each(c->db, write_version, &vw);
    if (rc < 0) {
        call_db_error(c, "policy rule set versions");
        return;
    }
    jw_end(w);
    jw_end(w);
}

/* PUT /api/policy-rules (a national regulator, admin): a whole rule set document (GET's answer
 * may be sent back: version, created_at and created_by are ignored) saved as the next version,
 * compiled first so that a bad pattern saves nothing (400 policy_rule_invalid naming it); a
 * regional regulator's valid document gets 403 policy_rules_national_only. */
void api_policy_rules_update(call_t *c)
{
    static const char *const fields[] = {"version", "note", "created_at", "created_by", "terms", "negations",
                                         "post_negations", "rules", NULL};
    const char *note = "";
    body_only(c, fields);
    body_string(c, "note", FIELD_OPTIONAL, 0, RULESET_NOTE_MAX_CHARS, &note);
    if (call_answered(c))
        return;
    if (note == NULL)
        note = "";
    json_t *doc = json_object();
    json_object_set_new(doc, "note", json_string(note));
    static const char *const kept[] = {"terms", "negations", "post_negations", "rules"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        json_t *m = json_object_get(c->body, kept[i]);
        if (m != NULL)
            json_object_set(doc, kept[i], m);
    }
    char err[512], field[128];
    policy_ruleset_t *rs = policy_ruleset_compile(doc, err, sizeof err, field, sizeof field);
    if (rs == NULL) {
        json_decref(doc);
        call_error(c, "policy_rule_invalid", field[0] ? field : "rules", arena_strdup(&c->arena, err));
        return;
    }
    /* the document is judged first (as every form is), then who may save it */
    char prefix[7];
    if (c->user.role == ROLE_REGULATOR && (region_prefix(c->user.region, prefix), prefix[0] != '\0')) {
        json_decref(doc);
        policy_ruleset_free(rs);
        call_error(c, "policy_rules_national_only", NULL);
        return;
    }
    int rules = (int)policy_ruleset_count(rs);
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (text == NULL) {
        policy_ruleset_free(rs);
        call_error(c, "internal_error", NULL);
        return;
    }
    /* two saves at once may pick the same next version: the UNIQUE (version) refuses the later
     * one, which then takes the version after */
    audit_actor_t actor = call_actor(c);
    int64_t version = -1;
    bool taken = false;
    for (int attempt = 0; attempt < 10 && version <= 0; attempt++) {
        version = policy_ruleset_save(c->db, text, note, rules, &actor);
        taken = version <= 0 && db_error_kind(c->db) == DB_ERR_UNIQUE;
        if (!taken)
            break;
    }
    free(text);
    if (version <= 0) {
        policy_ruleset_free(rs);
        if (taken)
            call_error(c, "changed_concurrently", NULL);
        else
            call_db_error(c, "policy rule set");
        return;
    }
    compiled_keep(version, rs);   /* compiled already: the next check needs no compilation */
    policy_ruleset_row_t row;
    if (policy_ruleset_read(c->db, version, &row) != 1) {
        call_db_error(c, "policy rule set");
        return;
    }
    write_ruleset(c, call_json_begin(c, 201), &row);
    policy_ruleset_row_free(&row);
}

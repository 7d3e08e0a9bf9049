/* The registry of local policies and their review: the writes (store/policies.h). Every
 * function runs in the caller's transaction and records its audit entry there. */
#include "store/policies.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/files.h"
#include "store/jobs.h"
#include "store/query.h"

enum {
    FINDING_COLUMNS = 7,
    FINDING_BATCH = 32,   /* rows per statement: one round trip each on PostgreSQL */
};
#define FINDING_INSERT "INSERT INTO policy_findings (policy_id, revision_id, rule, severity, start_char, end_char, excerpt) VALUES "

/* Binds finding f as the row at base (its first parameter is base + 1). */
static void bind_finding(stmt_t *st, int base, int64_t policy_id, int64_t revision_id, const json_t *f)
{
    const char *rule = json_string_value(json_object_get(f, "rule"));
    const char *severity = json_string_value(json_object_get(f, "severity"));
    const char *excerpt = json_string_value(json_object_get(f, "excerpt"));
    rule = rule ? rule : "";
    severity = severity ? severity : "";
    excerpt = excerpt ? excerpt : "";
    stmt_bind_int(st, base + 1, policy_id);
    stmt_bind_int(st, base + 2, revision_id);
    stmt_bind_text(st, base + 3, rule, strlen(rule));
    stmt_bind_text(st, base + 4, severity, strlen(severity));
    stmt_bind_int(st, base + 5, (int64_t)json_integer_value(json_object_get(f, "start")));
    stmt_bind_int(st, base + 6, (int64_t)json_integer_value(json_object_get(f, "end")));
    stmt_bind_text(st, base + 7, excerpt, strlen(excerpt));
}

/* The checker's findings (its answer {"findings":[…]}) as rows of revision_id, pending: in
 * batches of FINDING_BATCH rows, the rest in one shorter statement. */
static bool findings_insert(db_t *db, int64_t policy_id, int64_t revision_id, const json_t *answer, int *nfindings)
{
    const json_t *list = json_object_get(answer, "findings");
    size_t n = json_array_size(list);
    *nfindings = 0;
    char sql[FINDING_BATCH * FINDING_COLUMNS * 8 + 256];
    for (size_t k = 0; k < n;) {
        int rows = n - k >= FINDING_BATCH ? FINDING_BATCH : (int)(n - k);
        if (!query_values_sql(sql, sizeof sql, FINDING_INSERT, FINDING_COLUMNS, rows, ""))
            return false;
        stmt_t *st = db_prepare(db, sql);
        if (st == NULL)
            return false;
        for (int r = 0; r < rows; r++)
            bind_finding(st, r * FINDING_COLUMNS, policy_id, revision_id, json_array_get(list, k + (size_t)r));
        bool ok = stmt_step(st) == STORE_DONE;
        stmt_done(st);
        if (!ok)
            return false;
        k += (size_t)rows;
        *nfindings += rows;
    }
    return true;
}

/* The revision row of (policy_id, revision) with the checker's findings. False on error. */
static bool revision_insert(db_t *db, int64_t policy_id, int64_t revision, const policy_text_t *t, int64_t user_id,
                            int64_t now, int *nfindings)
{
    stmt_t *st = db_query(db,
                          "INSERT INTO policy_revisions (policy_id, revision, text, source_format, file_id, "
                          "ruleset_version, created_by, created_at) VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6, "
                          "NULLIF($7, 0), $8) RETURNING id",
                          "IIttIIII", policy_id, revision, t->text, t->source_format, t->file_id, t->ruleset_version,
                          user_id, now);
    int64_t revision_id = st ? stmt_insert_id(st) : -1;
    if (revision_id <= 0)
        return false;
    return findings_insert(db, policy_id, revision_id, t->findings, nfindings);
}

/* NULL and "" are no date (NULL in the row). */
static const char *date_or_null(const char *d)
{
    return d != NULL && *d != '\0' ? d : NULL;
}

int64_t policy_insert(db_t *db, const audit_actor_t *actor, const policy_meta_t *m, const policy_text_t *t, int64_t now)
{
    int64_t user = audit_actor_user(actor);
    stmt_t *st = db_query(db,
                          "INSERT INTO policies (title, office, region, document_number, issued_on, effective_from, "
                          "effective_until, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                          "NULLIF($8, 0), $9, $9) RETURNING id",
                          "tttttttII", m->title, m->office, m->region, m->document_number ? m->document_number : "",
                          date_or_null(m->issued_on), date_or_null(m->effective_from),
                          date_or_null(m->effective_until), user, now);
    int64_t id = st ? stmt_insert_id(st) : -1;
    int nfindings = 0;
    if (id <= 0 || !revision_insert(db, id, 1, t, user, now, &nfindings))
        return -1;
    char count[24], version[24];
    snprintf(count, sizeof count, "%d", nfindings);
    snprintf(version, sizeof version, "%lld", (long long)t->ruleset_version);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "title", NULL, m->title);
    audit_diff_str(&d, "office", NULL, m->office);
    audit_diff_str(&d, "region", NULL, m->region);
    audit_diff_str(&d, "document_number", NULL, m->document_number);
    audit_diff_str(&d, "status", NULL, "unreviewed");
    audit_diff_str(&d, "source_format", NULL, t->source_format);
    audit_diff_str(&d, "ruleset_version", NULL, version);
    audit_diff_str(&d, "findings", NULL, count);
    bool ok = audit_record_id(db, actor, "policy.register", "policy", id, m->region, NULL, audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? id : -1;
}

int64_t policy_revise(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region,
                      const policy_text_t *t, int64_t now)
{
    /* the row's lock (PostgreSQL) or the write transaction (SQLite) orders concurrent revisions */
    stmt_t *st = db_query(db,
                          "UPDATE policies SET current_revision = current_revision + 1, updated_at = $2, status = "
                          "CASE WHEN status IN ('compliant', 'amended') THEN 'unreviewed' ELSE status END WHERE id = $1 "
                          "RETURNING current_revision, status",
                          "II", policy_id, now);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t revision = 0;
    char status[16] = "";
    if (rc == STORE_ROW) {
        revision = stmt_int(st, 0);
        snprintf(status, sizeof status, "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;
    int nfindings = 0;
    if (!revision_insert(db, policy_id, revision, t, audit_actor_user(actor), now, &nfindings))
        return -1;
    char count[24], number[24], version[24];
    snprintf(count, sizeof count, "%d", nfindings);
    snprintf(number, sizeof number, "%lld", (long long)revision);
    snprintf(version, sizeof version, "%lld", (long long)t->ruleset_version);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "revision", NULL, number);
    audit_diff_str(&d, "status", NULL, status);
    audit_diff_str(&d, "source_format", NULL, t->source_format);
    audit_diff_str(&d, "ruleset_version", NULL, version);
    audit_diff_str(&d, "findings", NULL, count);
    bool ok = audit_record_id(db, actor, "policy.revise", "policy", policy_id, region, NULL, audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? revision : -1;
}

int policy_update(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region, const policy_meta_t *m,
                  int64_t now)
{
    enum { FIELDS = 7 };
    static const char *const names[FIELDS] = {"title", "office", "region", "document_number", "issued_on",
                                              "effective_from", "effective_until"};
    const char *now_values[FIELDS] = {m->title, m->office, m->region, m->document_number,
                                      m->issued_on, m->effective_from, m->effective_until};
    stmt_t *st = db_query(db,
                          "SELECT title, office, region, document_number, COALESCE(issued_on, ''), "
                          "COALESCE(effective_from, ''), COALESCE(effective_until, '') FROM policies WHERE id = $1",
                          "I", policy_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    arena_t a = {0};
    const char *was[FIELDS];
    for (int i = 0; rc == STORE_ROW && i < FIELDS; i++)
        was[i] = arena_strdup(&a, stmt_text(st, i));
    stmt_done(st);
    if (rc != STORE_ROW) {
        arena_free(&a);
        return rc == STORE_DONE ? 0 : -1;
    }
    audit_diff_t d;
    audit_diff_init(&d);
    for (int i = 0; i < FIELDS; i++)
        audit_diff_str(&d, names[i], was[i], now_values[i]);
    int result = 1;
    if (audit_diff_any(&d)) {
        /* dates: NULL keeps, "" clears */
        int64_t n = db_run(db,
                           "UPDATE policies SET title = COALESCE($2, title), office = COALESCE($3, office), region = "
                           "COALESCE($4, region), document_number = COALESCE($5, document_number), issued_on = CASE "
                           "WHEN CAST($6 AS TEXT) IS NULL THEN issued_on ELSE NULLIF($6, '') END, effective_from = "
                           "CASE WHEN CAST($7 AS TEXT) IS NULL THEN effective_from ELSE NULLIF($7, '') END, "
                           "effective_until = CASE WHEN CAST($8 AS TEXT) IS NULL THEN effective_until ELSE "
                           "NULLIF($8, '') END, updated_at = $9 WHERE id = $1",
                           "ItttttttI", policy_id, m->title, m->office, m->region, m->document_number, m->issued_on,
                           m->effective_from, m->effective_until, now);
        result = n == 1 ? 1 : n == 0 ? 0 : -1;
        if (result == 1 && !audit_record_id(db, actor, "policy.update", "policy", policy_id,
                                            m->region ? m->region : region, audit_diff_before(&d),
                                            audit_diff_after(&d)))
            result = -1;
    }
    audit_diff_free(&d);
    arena_free(&a);
    return result;
}

policy_decide_result_t policy_finding_decide(db_t *db, const audit_actor_t *actor, int64_t policy_id,
                                             const char *region, int64_t finding_id, const char *decision,
                                             const char *reason, int64_t now)
{
    int64_t n = db_run(db,
                       "UPDATE policy_findings SET decision = $3, reason = $4, decided_by = NULLIF($5, 0), "
                       "decided_at = $6 WHERE id = $1 AND policy_id = $2 AND decision = 'pending' AND revision_id = "
                       "(SELECT r.id FROM policy_revisions r JOIN policies p ON p.id = r.policy_id WHERE p.id = $2 "
                       "AND r.revision = p.current_revision)",
                       "IIttII", finding_id, policy_id, decision, reason, audit_actor_user(actor), now);
    if (n < 0)
        return POLICY_DECIDE_ERROR;
    if (n == 0) {
        /* refused: say why */
        stmt_t *st = db_query(db,
                              "SELECT f.decision, r.revision = p.current_revision FROM policy_findings f JOIN "
                              "policy_revisions r ON r.id = f.revision_id JOIN policies p ON p.id = f.policy_id "
                              "WHERE f.id = $1 AND f.policy_id = $2",
                              "II", finding_id, policy_id);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        policy_decide_result_t why = rc == STORE_ERROR ? POLICY_DECIDE_ERROR
                                     : rc == STORE_DONE ? POLICY_DECIDE_NOT_FOUND
                                     : stmt_int(st, 1) == 0 ? POLICY_DECIDE_STALE
                                                            : POLICY_DECIDE_DECIDED;
        stmt_done(st);
        return why;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)finding_id);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "finding", NULL, id);
    audit_diff_str(&d, "decision", "pending", decision);
    audit_diff_str(&d, "reason", "", reason);
    bool ok = audit_record_id(db, actor, "policy.finding_decide", "policy", policy_id, region, audit_diff_before(&d),
                              audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? POLICY_DECIDE_DONE : POLICY_DECIDE_ERROR;
}

/* The current revision has a finding with one of these decisions (an SQL condition on the
 * row of policies being updated). */
#define CURRENT_FINDINGS(decisions)                                                                        \
    "EXISTS (SELECT 1 FROM policy_findings f JOIN policy_revisions r ON r.id = f.revision_id WHERE "     \
    "r.policy_id = policies.id AND r.revision = policies.current_revision AND f.decision IN " decisions ")"

int policy_status_set(db_t *db, const audit_actor_t *actor, int64_t policy_id, const char *region,
                      const char *status, const char *note, int64_t now)
{
    static const struct {
        const char *status, *from, *guard;
    } rules[] = {
        {"compliant", "unreviewed", "NOT " CURRENT_FINDINGS("('pending', 'confirmed')")},
        {"to_amend", "unreviewed", CURRENT_FINDINGS("('confirmed')")},
        {"amended", "to_amend",
         "current_revision > COALESCE(to_amend_revision, current_revision) AND NOT "
         CURRENT_FINDINGS("('pending', 'confirmed')")},
    };
    const char *guard = NULL, *from = NULL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].status, status) == 0) {
            guard = rules[i].guard;
            from = rules[i].from;
        }
    if (guard == NULL)
        return 0;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "UPDATE policies SET status = $2, status_note = $3, status_by = NULLIF($4, 0), status_at = $5, "
             "updated_at = $5, to_amend_revision = CASE WHEN status = 'unreviewed' AND $6 = 1 THEN "
             "current_revision ELSE to_amend_revision END WHERE id = $1 AND status = $7 AND %s",
             guard);
    int64_t n = db_run(db, sql, "IttIIIt", policy_id, status, note, audit_actor_user(actor), now,
                       (int64_t)(strcmp(status, "to_amend") == 0), from);
    if (n != 1)
        return n == 0 ? 0 : -1;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "status", from, status);
    audit_diff_str(&d, "status_note", NULL, note);
    bool ok = audit_record_id(db, actor, "policy.status", "policy", policy_id, region, audit_diff_before(&d),
                              audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? 1 : -1;
}

int64_t policy_file_insert(db_t *db, const audit_actor_t *actor, const char *name, const char *type,
                           const char *source_format, const void *data, size_t len, int64_t now)
{
    char sha[FILE_SHA256_HEX + 1];
    if (!file_content_store(db, type, data, len, sha))
        return -1;
    stmt_t *st = db_query(db,
                          "INSERT INTO policy_files (sha256, name, type, size, source_format, uploaded_by, "
                          "created_at) VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), $7) RETURNING id",
                          "tttItII", sha, name, type, (int64_t)len, source_format, audit_actor_user(actor), now);
    int64_t id = st ? stmt_insert_id(st) : -1;
    if (id <= 0)
        return -1;
    char size[24];
    snprintf(size, sizeof size, "%zu", len);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "name", NULL, name);
    audit_diff_str(&d, "type", NULL, type);
    audit_diff_str(&d, "size", NULL, size);
    audit_diff_str(&d, "sha256", NULL, sha);
    bool ok = audit_record_id(db, actor, "policy_file.upload", "policy_file", id, "", NULL, audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? id : -1;
}

int policy_recheck_revision(db_t *db, int64_t policy_id, const char *region, int64_t revision_id,
                            int64_t version, const json_t *findings)
{
    /* the guard: still the current revision of an unreviewed policy, checked by older rules */
    int64_t n = db_run(db,
                       "UPDATE policy_revisions SET ruleset_version = $3 WHERE id = $1 AND ruleset_version < $3 AND "
                       "revision = (SELECT p.current_revision FROM policies p WHERE p.id = $2 AND p.status = "
                       "'unreviewed')",
                       "III", revision_id, policy_id, version);
    if (n != 1)
        return n == 0 ? 0 : -1;
    stmt_t *st = db_query(db, "SELECT COALESCE(MAX(id), 0) FROM policy_findings WHERE revision_id = $1", "I",
                          revision_id);
    int64_t last_old = st != NULL && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    int nfindings = 0;
    if (last_old < 0 || !findings_insert(db, policy_id, revision_id, findings, &nfindings))
        return -1;
    /* a new finding with the rule and span of an old one keeps the old one's decision */
#define SAME_OLD(col)                                                                                        \
    "(SELECT o." col " FROM policy_findings o WHERE o.revision_id = policy_findings.revision_id AND o.id <= $2 " \
    "AND o.rule = policy_findings.rule AND o.start_char = policy_findings.start_char AND o.end_char = "          \
    "policy_findings.end_char ORDER BY o.id LIMIT 1)"
    if (db_run(db,
               "UPDATE policy_findings SET decision = " SAME_OLD("decision") ", reason = " SAME_OLD("reason")
               ", decided_by = " SAME_OLD("decided_by") ", decided_at = " SAME_OLD("decided_at")
               " WHERE revision_id = $1 AND id > $2 AND EXISTS (SELECT 1 FROM policy_findings o WHERE "
               "o.revision_id = policy_findings.revision_id AND o.id <= $2 AND o.rule = policy_findings.rule AND "
               "o.start_char = policy_findings.start_char AND o.end_char = policy_findings.end_char)",
               "II", revision_id, last_old) < 0 ||
        db_run(db, "DELETE FROM policy_findings WHERE revision_id = $1 AND id <= $2", "II", revision_id, last_old) < 0)
        return -1;
#undef SAME_OLD
    char count[24], v[24];
    snprintf(count, sizeof count, "%d", nfindings);
    snprintf(v, sizeof v, "%lld", (long long)version);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "ruleset_version", NULL, v);
    audit_diff_str(&d, "findings", NULL, count);
    bool ok = audit_record_id(db, &AUDIT_ACTOR_PLATFORM, "policy.recheck", "policy", policy_id, region, NULL,
                              audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? 1 : -1;
}

bool policy_recheck_enqueue(db_t *db, int64_t now)
{
    return job_enqueue(db, POLICY_RECHECK_JOB_KIND, "{}", now) > 0;
}

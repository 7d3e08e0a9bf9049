/* Engagements and consulting ties in the database (store/engagements.h). */
#include "store/engagements.h"

#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "core/text.h"

static const char *dup(stmt_t *st, arena_t *a, int col)
{
    return arena_strdup(a, stmt_text(st, col));
}

void engagement_read(stmt_t *st, arena_t *a, engagement_t *g)
{
    g->id = stmt_int(st, 0);
    g->enterprise_id = stmt_int(st, 1);
    g->body_id = stmt_int(st, 2);
    g->commitment_id = stmt_int(st, 3);
    g->commitment_version = stmt_int(st, 4);
    g->committed_lead_days = stmt_int(st, 5);
    g->status = dup(st, a, 6);
    g->stage = dup(st, a, 7);
    g->request_note = dup(st, a, 8);
    g->application_date = dup(st, a, 9);
    g->decline_reason = dup(st, a, 10);
    g->requested_at = stmt_int(st, 11);
    g->responded_at = stmt_int(st, 12);
    g->coi_statement = dup(st, a, 13);
    g->coi_declared_by = dup(st, a, 14);
    g->coi_declared_at = stmt_int(st, 15);
    g->decision = dup(st, a, 16);
    g->decision_date = dup(st, a, 17);
    g->lead_days = stmt_int(st, 18);
    g->within_commitment = (int)stmt_int(st, 19);
    g->certificate_id = stmt_int(st, 20);
    g->enterprise_name = dup(st, a, 21);
    g->enterprise_region = dup(st, a, 22);
    g->enterprise_size = dup(st, a, 23);
    g->body_name = dup(st, a, 24);
    g->body_code = dup(st, a, 25);
    g->commitment_title = dup(st, a, 26);
    g->commitment_edition = dup(st, a, 27);
    g->commitment_areas = dup(st, a, 28);
    g->commitment_stages = dup(st, a, 29);
    g->certificate_number = dup(st, a, 30);
}

int engagement_by_id(db_t *db, arena_t *a, int64_t id, engagement_t *g)
{
    stmt_t *st = db_query(db, "SELECT " ENGAGEMENT_COLUMNS ENGAGEMENT_FROM " WHERE g.id = $1", "I", id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        engagement_read(st, a, g);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int engagement_follow_certificate(db_t *db, int64_t certificate_id, const char *stage, const char *date,
                                  int64_t user_id, int64_t at)
{
    if (db_run(db,
               "INSERT INTO engagement_stages (engagement_id, stage, date, recorded_by, at) SELECT id, $2, $3, "
               "NULLIF($4, 0), $5 FROM engagements WHERE certificate_id = $1 ON CONFLICT (engagement_id, stage) DO NOTHING",
               "IttII", certificate_id, stage, date, user_id, at) < 0)
        return -1;
    return db_run(db, "UPDATE engagements SET stage = $2, updated_at = $3 WHERE certificate_id = $1", "ItI",
                  certificate_id, stage, at) < 0 ? -1 : 1;
}

int64_t days_between(const char *from, const char *to)
{
    int64_t d = date_to_unix(to) - date_to_unix(from);
    return d >= 0 ? (d + 43200) / 86400 : -((-d + 43200) / 86400);
}

/* One row's first column as an integer: 1 with *out, 0 no row, -1 error. Finishes st. */
static int first_int(stmt_t *st, int64_t *out)
{
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW && out != NULL)
        *out = stmt_int(st, 0);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int consulting_tie_exists(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    return first_int(db_query(db, "SELECT 1 FROM consulting_ties WHERE enterprise_id = $1 AND body_id = $2 LIMIT 1",
                              "II", enterprise_id, body_id), NULL);
}

/* The enterprise's region into out ("" when none). */
static void enterprise_region(db_t *db, int64_t enterprise_id, char out[16])
{
    out[0] = '\0';
    stmt_t *st = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        snprintf(out, 16, "%s", stmt_text(st, 0));
    stmt_done(st);
}

/* The tie's row and its audit entry, in the caller's transaction: its id, 0 when that source
 * recorded it already, -1 error. */
static int64_t tie_write(db_t *db, int64_t enterprise_id, int64_t body_id, const char *source, const char *note,
                         const audit_actor_t *actor)
{
    int64_t seen = 0;
    int rc = first_int(db_query(db, "SELECT id FROM consulting_ties WHERE enterprise_id = $1 AND body_id = $2 AND "
                                    "source = $3", "IIt", enterprise_id, body_id, source), &seen);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    int64_t user = audit_actor_user(actor);
    int64_t id = stmt_insert_id(db_query(db,
        "INSERT INTO consulting_ties (enterprise_id, body_id, source, note, recorded_by, at) "
        "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6) RETURNING id", "IIttII", enterprise_id, body_id, source,
        note ? note : "", user, now_seconds()));
    if (id <= 0)
        return id;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_int(&d, "enterprise_id", NULL, &enterprise_id);
    audit_diff_int(&d, "body_id", NULL, &body_id);
    audit_diff_str(&d, "source", NULL, source);
    audit_diff_str(&d, "note", NULL, note ? note : "");
    char region[16];
    enterprise_region(db, enterprise_id, region);
    bool ok = audit_record_id(db, actor, "consulting_tie.create", "consulting_tie", id, region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? id : -1;
}

int consulting_tie_insert(db_t *db, int64_t enterprise_id, int64_t body_id, const char *source, const char *note,
                          const audit_actor_t *actor, int64_t *id)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t made = tie_write(db, enterprise_id, body_id, source, note, actor);
    if (made <= 0) {
        db_rollback(db);
        return made < 0 ? -1 : 0;
    }
    if (id != NULL)
        *id = made;
    return db_finish(db, 1);
}

/* Refuses with outcome `rc` (rolling the transaction back). */
static int64_t refuse(db_t *db, int64_t rc)
{
    db_rollback(db);
    return rc;
}

int64_t engagement_request_insert(db_t *db, const engagement_request_t *r, const audit_actor_t *actor, int64_t *body_id)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* the enterprise's row, while approved; on PostgreSQL locked, so that the requests of one
     * enterprise are decided one after the other (SQLite's write transaction does that already) */
    bool pg = store_kind(db_store(db)) == STORE_POSTGRES;
    int rc = first_int(db_query(db, pg ? "SELECT id FROM enterprises WHERE id = $1 AND status = 'approved' FOR UPDATE"
                                       : "SELECT id FROM enterprises WHERE id = $1 AND status = 'approved'",
                                "I", r->enterprise_id), NULL);
    if (rc <= 0)
        return refuse(db, rc < 0 ? -1 : ENGAGEMENT_NOT_APPROVED);
    stmt_t *st = db_query(db,
        "SELECT c.body_id, c.status, c.version, v.lead_time_days FROM commitments c JOIN commitment_versions v "
        "ON v.commitment_id = c.id AND v.version = c.version WHERE c.id = $1", "I", r->commitment_id);
    if (st == NULL)
        return refuse(db, -1);
    rc = stmt_step(st);
    int64_t body = 0, version = 0, lead = 0;
    bool withdrawn = false;
    if (rc == STORE_ROW) {
        body = stmt_int(st, 0);
        withdrawn = strcmp(stmt_text(st, 1), "published") != 0;
        version = stmt_int(st, 2);
        lead = stmt_int(st, 3);
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return refuse(db, rc == STORE_DONE ? ENGAGEMENT_NO_COMMITMENT : -1);
    if (body_id != NULL)
        *body_id = body;
    if (withdrawn)
        return refuse(db, ENGAGEMENT_COMMITMENT_WITHDRAWN);
    rc = consulting_tie_exists(db, r->enterprise_id, body);
    if (rc != 0)
        return refuse(db, rc < 0 ? -1 : ENGAGEMENT_CONFLICT_OF_INTEREST);
    if (r->consulted) {
        /* the enterprise's own declaration is a tie from now on: recorded, and the request refused */
        int64_t tie = tie_write(db, r->enterprise_id, body, "enterprise", "申请认证时由企业声明 / declared by the enterprise when requesting", actor);
        if (tie <= 0)
            return refuse(db, tie < 0 ? -1 : ENGAGEMENT_CONFLICT_OF_INTEREST);
        return db_commit(db) == STORE_DONE ? ENGAGEMENT_TIE_RECORDED : refuse(db, -1);
    }
    rc = first_int(db_query(db, "SELECT id FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND status IN "
                                "('requested', 'active') LIMIT 1", "II", r->enterprise_id, body), NULL);
    if (rc != 0)
        return refuse(db, rc < 0 ? -1 : ENGAGEMENT_OPEN_EXISTS);
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    int64_t id = stmt_insert_id(db_query(db,
        "INSERT INTO engagements (enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days, "
        "request_note, requested_by, requested_at, application_date, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, 0), $8, $9, $8, $8) RETURNING id",
        "IIIIItIIt", r->enterprise_id, body, r->commitment_id, version, lead, r->note ? r->note : "", user, now,
        r->application_date));
    if (id <= 0)
        return refuse(db, -1);
    if (db_run(db, "INSERT INTO engagement_stages (engagement_id, stage, date, note, recorded_by, at) "
                   "VALUES ($1, 'application', $2, '', NULLIF($3, 0), $4)", "ItII", id, r->application_date, user, now) != 1)
        return refuse(db, -1);
    audit_diff_t d;
    audit_diff_init(&d);
    int64_t ent = r->enterprise_id, commitment = r->commitment_id;
    audit_diff_int(&d, "enterprise_id", NULL, &ent);
    audit_diff_int(&d, "body_id", NULL, &body);
    audit_diff_int(&d, "commitment_id", NULL, &commitment);
    audit_diff_int(&d, "commitment_version", NULL, &version);
    audit_diff_int(&d, "committed_lead_days", NULL, &lead);
    audit_diff_str(&d, "status", NULL, "requested");
    audit_diff_str(&d, "application_date", NULL, r->application_date);
    audit_diff_str(&d, "request_note", NULL, r->note ? r->note : "");
    char region[16];
    enterprise_region(db, r->enterprise_id, region);
    bool ok = audit_record_id(db, actor, "engagement.request", "engagement", id, region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    if (!ok)
        return refuse(db, -1);
    return db_commit(db) == STORE_DONE ? id : refuse(db, -1);
}

/* The region of engagement id's enterprise into out ("" when none): its audit entries' region. */
static void engagement_region(db_t *db, int64_t id, char out[16])
{
    out[0] = '\0';
    stmt_t *st = db_query(db, "SELECT e.region FROM engagements g JOIN enterprises e ON e.id = g.enterprise_id "
                              "WHERE g.id = $1", "I", id);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        snprintf(out, 16, "%s", stmt_text(st, 0));
    stmt_done(st);
}

/* Runs the guarded UPDATE st (already bound) and, when it changed the row, records `action`
 * with the status change and the extra field: 1, 0 (the guard held the row back), -1. */
static int guarded_change(db_t *db, stmt_t *st, int64_t id, const char *action, const char *from, const char *to,
                          const char *field, const char *value, const audit_actor_t *actor)
{
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    int64_t changed = rc == STORE_DONE ? stmt_changes(st) : -1;
    stmt_done(st);
    if (changed <= 0)
        return changed < 0 ? -1 : 0;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "status", from, to);
    if (field != NULL)
        audit_diff_str(&d, field, "", value);
    char region[16];
    engagement_region(db, id, region);
    bool ok = audit_record_id(db, actor, action, "engagement", id, region, audit_diff_before(&d), audit_diff_after(&d));
    audit_diff_free(&d);
    return ok ? 1 : -1;
}

int engagement_accept(db_t *db, int64_t id, const char *statement, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    /* the rule of DOMAIN.md is in the write: no tie between the two, and still requested */
    stmt_t *st = db_query(db,
        "UPDATE engagements SET status = 'active', responded_by = NULLIF($2, 0), responded_at = $3, "
        "coi_statement = $4, coi_declared_by = NULLIF($2, 0), coi_declared_at = $3, updated_at = $3 "
        "WHERE id = $1 AND status = 'requested' AND NOT EXISTS (SELECT 1 FROM consulting_ties t WHERE "
        "t.enterprise_id = engagements.enterprise_id AND t.body_id = engagements.body_id)",
        "IIIt", id, user, now, statement);
    int rc = guarded_change(db, st, id, "engagement.accept", "requested", "active", "coi_statement", statement, actor);
    if (rc == 0) {
        /* why: a tie, or another answer first */
        int tie = first_int(db_query(db, "SELECT 1 FROM engagements g JOIN consulting_ties t ON t.enterprise_id = "
                                         "g.enterprise_id AND t.body_id = g.body_id WHERE g.id = $1 AND g.status = "
                                         "'requested' LIMIT 1", "I", id), NULL);
        rc = tie < 0 ? -1 : tie == 1 ? ENGAGEMENT_CONFLICT_OF_INTEREST : 0;
    }
    if (rc != 1) {
        db_rollback(db);
        return rc;
    }
    return db_finish(db, 1);
}

int engagement_decline(db_t *db, int64_t id, const char *reason, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    stmt_t *st = db_query(db,
        "UPDATE engagements SET status = 'declined', responded_by = NULLIF($2, 0), responded_at = $3, "
        "decline_reason = $4, updated_at = $3 WHERE id = $1 AND status = 'requested'", "IIIt", id, user, now, reason);
    return db_finish(db, guarded_change(db, st, id, "engagement.decline", "requested", "declined", "decline_reason",
                                        reason, actor));
}

int engagement_cancel(db_t *db, int64_t id, const audit_actor_t *actor)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st = db_query(db, "UPDATE engagements SET status = 'cancelled', updated_at = $2 WHERE id = $1 AND "
                              "status = 'requested'", "II", id, now_seconds());
    return db_finish(db, guarded_change(db, st, id, "engagement.cancel", "requested", "cancelled", NULL, NULL, actor));
}

/* The stage row; false on error (a second row of one stage is refused by the UNIQUE). */
static bool stage_insert(db_t *db, int64_t id, const char *stage, const char *date, const char *note, int64_t user,
                         int64_t now)
{
    return db_run(db, "INSERT INTO engagement_stages (engagement_id, stage, date, note, recorded_by, at) "
                      "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6)", "ItttII", id, stage, date, note ? note : "",
                  user, now) == 1;
}

int engagement_stage_record(db_t *db, int64_t id, const char *stage, const char *date, const char *note,
                            const audit_actor_t *actor)
{
    const char *before = strcmp(stage, "stage1") == 0 ? "application" : "stage1";
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    stmt_t *st = db_query(db, "UPDATE engagements SET stage = $2, updated_at = $3 WHERE id = $1 AND status = "
                              "'active' AND stage = $4", "ItIt", id, stage, now, before);
    if (st == NULL)
        return db_finish(db, -1);
    int rc = stmt_step(st);
    int64_t changed = rc == STORE_DONE ? stmt_changes(st) : -1;
    stmt_done(st);
    if (changed <= 0)
        return db_finish(db, changed < 0 ? -1 : 0);
    if (!stage_insert(db, id, stage, date, note, user, now))
        return db_finish(db, -1);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "stage", before, stage);
    audit_diff_str(&d, strcmp(stage, "stage1") == 0 ? "stage1_date" : "stage2_date", NULL, date);
    char region[16];
    engagement_region(db, id, region);
    bool ok = audit_record_id(db, actor, "engagement.stage", "engagement", id, region, audit_diff_before(&d),
                              audit_diff_after(&d));
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1);
}

int engagement_decide(db_t *db, const engagement_t *g, const char *decision, const char *date,
                      const certificate_t *cert, const audit_actor_t *actor)
{
    bool certified = strcmp(decision, "certified") == 0;
    int64_t lead = days_between(g->application_date, date);
    int64_t within = lead <= g->committed_lead_days ? 1 : 0;
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds(), user = audit_actor_user(actor);
    /* the guard: active at stage 2. Of decisions sent together the first takes the row; the
     * others find it decided (PostgreSQL re-reads the row after the first commits) */
    stmt_t *st = db_query(db,
        "UPDATE engagements SET status = 'decided', stage = 'decision', decision = $2, decision_date = $3, "
        "lead_days = $4, within_commitment = $5, updated_at = $6 WHERE id = $1 AND status = 'active' AND "
        "stage = 'stage2'", "IttIII", g->id, decision, date, lead, within, now);
    if (st == NULL)
        return db_finish(db, -1);
    int rc = stmt_step(st);
    int64_t changed = rc == STORE_DONE ? stmt_changes(st) : -1;
    stmt_done(st);
    if (changed <= 0)
        return db_finish(db, changed < 0 ? -1 : 0);
    if (!stage_insert(db, g->id, "decision", date, "", user, now))
        return db_finish(db, -1);
    int64_t cert_id = 0;
    if (certified) {
        char reason[96];
        snprintf(reason, sizeof reason, "认证决定（委托 #%lld）/ certification decision (engagement #%lld)",
                 (long long)g->id, (long long)g->id);
        cert_id = certificate_insert(db, cert, actor, reason);
        /* certificate_insert rolled the whole transaction back on a refusal */
        if (cert_id <= 0) {
            db_rollback(db);
            return cert_id == 0 ? ENGAGEMENT_CERTIFICATE_EXISTS : (int)cert_id;
        }
        if (db_run(db, "UPDATE engagements SET certificate_id = $2 WHERE id = $1", "II", g->id, cert_id) != 1)
            return db_finish(db, -1);
    }
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "status", g->status, "decided");
    audit_diff_str(&d, "stage", g->stage, "decision");
    audit_diff_str(&d, "decision", "", decision);
    audit_diff_str(&d, "decision_date", "", date);
    audit_diff_int(&d, "lead_days", NULL, &lead);
    audit_diff_int(&d, "within_commitment", NULL, &within);
    if (certified)
        audit_diff_str(&d, "certificate", "", cert->number);
    bool ok = audit_record_id(db, actor, "engagement.decide", "engagement", g->id, g->enterprise_region,
                              audit_diff_before(&d), audit_diff_after(&d));
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1);
}

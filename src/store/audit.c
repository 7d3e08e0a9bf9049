/* The audit log's writes and reads (see audit.h); the hash chain itself is core/audit_chain.c. */
#include "store/audit.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"

const audit_actor_t AUDIT_ACTOR_PLATFORM = {.kind = ACTOR_PLATFORM, .login = "", .region = "", .request_id = "", .address = ""};
const audit_actor_t AUDIT_ACTOR_SEED = {.kind = ACTOR_SEED, .login = "", .region = "", .request_id = "", .address = ""};

static bool audit_off;   /* the benchmark switch */

void audit_read_benchmark_switch(void)
{
    const char *v = getenv("GUANBIAO_BENCH_NO_AUDIT");
    audit_off = v != NULL && strcmp(v, "1") == 0;
}

audit_actor_t audit_actor_cli(void)
{
    static char uid[32];
    audit_actor_t a = {.kind = ACTOR_CLI, .login = getenv("USER"), .region = "", .request_id = "", .address = ""};
    if (a.login == NULL || *a.login == '\0') {
        snprintf(uid, sizeof uid, "uid:%u", (unsigned)getuid());
        a.login = uid;
    }
    return a;
}

static const char *kind_name(actor_kind_t k)
{
    switch (k) {
    case ACTOR_USER: return "user";
    case ACTOR_PUBLIC: return "public";
    case ACTOR_SEED: return "seed";
    case ACTOR_CLI: return "cli";
    case ACTOR_TOKEN: return "token";
    case ACTOR_PLATFORM: break;
    }
    return "platform";
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

int64_t audit_actor_user(const audit_actor_t *actor)
{
    return actor != NULL && actor->kind == ACTOR_USER ? actor->user_id : 0;
}

/* Takes the chain's head for the open transaction into db->audit_head. PostgreSQL: the head row,
 * locked until the commit, so that writers on every node append one after the other. SQLite:
 * the write transaction already serialises them, and the last entry is the head (one page fewer
 * written per change than keeping audit_head up to date). */
static bool head_take(db_t *db)
{
    bool pg = store_kind(db_store(db)) == STORE_POSTGRES;
    stmt_t *st = db_query(db,
                          pg ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                             : "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                          "");
    int rc = st != NULL ? stmt_step(st) : STORE_ERROR;
    db->audit_head.seq = 0;                       /* SQLite, an empty log */
    snprintf(db->audit_head.hash, sizeof db->audit_head.hash, "%s", AUDIT_GENESIS);
    if (rc == STORE_ROW) {
        db->audit_head.seq = stmt_int(st, 0);
        snprintf(db->audit_head.hash, sizeof db->audit_head.hash, "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    if (rc == STORE_ERROR || (pg && rc != STORE_ROW))
        return false;
    db->audit_head.held = true;
    return true;
}

bool audit_head_flush(db_t *db)
{
    return db_run(db, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", "It", db->audit_head.seq,
                  db->audit_head.hash) == 1;
}

bool audit_record(db_t *db, const audit_actor_t *actor, const char *action, const char *entity,
                  const char *entity_id, const char *region, const char *before, const char *after)
{
    if (audit_off)
        return true;
    if (actor == NULL)
        actor = &AUDIT_ACTOR_PLATFORM;
    char org[40] = "";
    if (actor->kind == ACTOR_USER || actor->kind == ACTOR_TOKEN) {
        if (actor->enterprise_id > 0)
            snprintf(org, sizeof org, "enterprise:%lld", (long long)actor->enterprise_id);
        else if (actor->body_id > 0)
            snprintf(org, sizeof org, "body:%lld", (long long)actor->body_id);
        else if (actor->role == ROLE_REGULATOR)
            snprintf(org, sizeof org, "region:%s", nz(actor->region));
    }
    audit_entry_t e = {
        .at = now_seconds(),
        .actor_kind = kind_name(actor->kind),
        .actor_id = audit_actor_user(actor),
        .actor_login = nz(actor->login),
        .actor_role = actor->kind == ACTOR_USER || actor->kind == ACTOR_TOKEN ? role_name(actor->role) : "",
        .actor_org = org,
        .request_id = nz(actor->request_id),
        .address = nz(actor->address),
        .action = action,
        .entity = entity,
        .entity_id = nz(entity_id),
        .region = nz(region),
        .before = nz(before),
        .after = nz(after),
    };
    if (db_begin(db) != STORE_DONE)
        return false;
    char hash[AUDIT_HASH_HEX + 1];
    if (!db->audit_head.held && !head_take(db))
        goto failed;
    e.seq = db->audit_head.seq + 1;
    e.prev_hash = db->audit_head.hash;
    if (!audit_hash(&e, hash))
        goto failed;
    if (db_run(db,
               "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_login, actor_role, actor_org, request_id, "
               "address, action, entity, entity_id, region, before_json, after_json, prev_hash, hash) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
               "IItIttttttttttttt", e.seq, e.at, e.actor_kind, e.actor_id, e.actor_login, e.actor_role, e.actor_org,
               e.request_id, e.address, e.action, e.entity, e.entity_id, e.region, e.before, e.after, e.prev_hash,
               hash) != 1)
        goto failed;
    db->audit_head.seq = e.seq;
    memcpy(db->audit_head.hash, hash, sizeof hash);
    db->audit_head.dirty = store_kind(db_store(db)) == STORE_POSTGRES;
    return db_commit(db) == STORE_DONE;
failed:
    db_rollback(db);
    return false;
}

bool audit_record_id(db_t *db, const audit_actor_t *actor, const char *action, const char *entity,
                     int64_t entity_id, const char *region, const char *before, const char *after)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)entity_id);
    return audit_record(db, actor, action, entity, id, region, before, after);
}

/* ---- before/after ---- */

void audit_diff_init(audit_diff_t *d)
{
    memset(d, 0, sizeof *d);
    buf_init(&d->before, 1u << 20);
    buf_init(&d->after, 1u << 20);
    jw_init(&d->wb, &d->before);
    jw_init(&d->wa, &d->after);
    jw_object(&d->wb);
    jw_object(&d->wa);
}

void audit_diff_str(audit_diff_t *d, const char *field, const char *was, const char *now)
{
    if (now == NULL || (was != NULL && strcmp(was, now) == 0))
        return;
    if (was != NULL) {
        jw_kstr(&d->wb, field, was);
        d->nbefore++;
    }
    jw_kstr(&d->wa, field, now);
    d->nafter++;
}

void audit_diff_int(audit_diff_t *d, const char *field, const int64_t *was, const int64_t *now)
{
    if (now == NULL || (was != NULL && *was == *now))
        return;
    if (was != NULL) {
        jw_kint(&d->wb, field, *was);
        d->nbefore++;
    }
    jw_kint(&d->wa, field, *now);
    d->nafter++;
}

void audit_diff_bool(audit_diff_t *d, const char *field, const bool *was, const bool *now)
{
    if (now == NULL || (was != NULL && *was == *now))
        return;
    if (was != NULL) {
        jw_kbool(&d->wb, field, *was);
        d->nbefore++;
    }
    jw_kbool(&d->wa, field, *now);
    d->nafter++;
}

bool audit_diff_any(const audit_diff_t *d)
{
    return d->nafter > 0;
}

static void close_both(audit_diff_t *d)
{
    if (!d->closed) {
        jw_end(&d->wb);
        jw_end(&d->wa);
        d->closed = true;
    }
}

const char *audit_diff_before(audit_diff_t *d)
{
    close_both(d);
    return d->nbefore > 0 && d->before.data ? d->before.data : "";
}

const char *audit_diff_after(audit_diff_t *d)
{
    close_both(d);
    return d->nafter > 0 && d->after.data ? d->after.data : "";
}

void audit_diff_free(audit_diff_t *d)
{
    buf_free(&d->before);
    buf_free(&d->after);
}

/* ---- reads ---- */

void audit_entry_read(stmt_t *st, audit_entry_t *e)
{
    e->seq = stmt_int(st, 0);
    e->at = stmt_int(st, 1);
    e->actor_kind = stmt_text(st, 2);
    e->actor_id = stmt_int(st, 3);
    e->actor_login = stmt_text(st, 4);
    e->actor_role = stmt_text(st, 5);
    e->actor_org = stmt_text(st, 6);
    e->request_id = stmt_text(st, 7);
    e->address = stmt_text(st, 8);
    e->action = stmt_text(st, 9);
    e->entity = stmt_text(st, 10);
    e->entity_id = stmt_text(st, 11);
    e->region = stmt_text(st, 12);
    e->before = stmt_text(st, 13);
    e->after = stmt_text(st, 14);
    e->prev_hash = stmt_text(st, 15);
    e->hash = stmt_text(st, 16);
}

int audit_walk(db_t *db, bool (*fn)(const audit_entry_t *e, void *ctx), void *ctx)
{
    stmt_t *st = db_query(db, "SELECT " AUDIT_COLUMNS " FROM audit_log a ORDER BY a.seq", "");
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        audit_entry_t e;
        audit_entry_read(st, &e);
        if (!fn(&e, ctx)) {
            stmt_done(st);
            return 0;
        }
    }
    stmt_done(st);
    return rc == STORE_DONE ? 1 : -1;
}

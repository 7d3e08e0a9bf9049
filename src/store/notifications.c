/* Notifications in the database: the inbox, preferences, and the email jobs (see notifications.h). */
#include "store/notifications.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "store/jobs.h"

const char *const notification_types[NOTIFICATION_TYPE_COUNT] = {"enterprise_review", "certificate_status", "certificate_expiring",
                                                                  "registration_pending", "body_standing",
                                                                  "surveillance_due", "surveillance_overdue",
                                                                  "feedback", "complaint", "commitment_version", "engagement", "audit",
                                                                  "nonconformity",
                                                                  "forum" /* issue 11: a followed topic's new reply */,
                                                                  "activity" /* issue 11, activities */,
                                                                  "policy_reviewed" /* issue 12: a policy's status set by another regulator */};

static atomic_bool email_on;

bool notification_type_valid(const char *type)
{
    for (int i = 0; type != NULL && i < NOTIFICATION_TYPE_COUNT; i++)
        if (strcmp(type, notification_types[i]) == 0)
            return true;
    return false;
}

void notifications_email_enable(bool on)
{
    atomic_store(&email_on, on);
}

bool notifications_email_enabled(void)
{
    return atomic_load(&email_on);
}

/* A recipient wants the email: email is on, the account has an address, and its preference
 * for the type ($1) is not off. $8: 1 when email is on. */
#define WANTS_EMAIL "($8 = 1 AND u.email IS NOT NULL AND u.email <> '' AND COALESCE(p.email, 1) = 1)"

int64_t notify(db_t *db, const notice_t *n, const audience_t *to)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* every recipient in one statement; the ids of those who want the email come back */
    stmt_t *st = db_query(db,
        "INSERT INTO notifications (user_id, type, title, title_en, link, entity, entity_id, created_at, inbox, emailed) "
        "SELECT u.id, $1, $2, $3, $4, $5, $6, $7, COALESCE(p.inbox, 1), "
        "CASE WHEN " WANTS_EMAIL " THEN 1 ELSE 0 END "
        "FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.type = $1 "
        "WHERE u.active = 1 AND (u.id = $9 OR (u.role = 'enterprise' AND u.enterprise_id = $10) "
        "OR (u.role = 'body' AND u.body_id = $11) OR (u.role = 'regulator' AND u.region IN ($12, $13, $14, $15, $16)) "
        "OR (u.role = 'admin' AND $17 = 1)) AND (COALESCE(p.inbox, 1) = 1 OR " WANTS_EMAIL ") "
        "RETURNING id, emailed",
        "tttttIIiIIIttttti", n->type, n->title, n->title_en, n->link ? n->link : "", n->entity ? n->entity : "",
        n->entity_id, now_seconds(), notifications_email_enabled() ? 1 : 0, to->user_id, to->enterprise_id,
        to->body_id, to->regulator_regions[0], to->regulator_regions[1], to->regulator_regions[2],
        to->regulator_regions[3], to->regulator_regions[4], to->admins ? 1 : 0);
    if (st == NULL) {
        db_rollback(db);
        return -1;
    }
    /* the ids are gathered before any job is enqueued: one statement runs at a time */
    int64_t count = 0, nmail = 0, cap = 16;
    int64_t stack[16], *mail = stack;
    arena_t a = {0};
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        count++;
        if (stmt_int(st, 1) != 1)
            continue;
        if (nmail == cap) {
            int64_t *more = arena_alloc(&a, (size_t)cap * 2 * sizeof *more);
            memcpy(more, mail, (size_t)cap * sizeof *more);
            mail = more;
            cap *= 2;
        }
        mail[nmail++] = stmt_int(st, 0);
    }
    stmt_done(st);
    bool ok = rc == STORE_DONE;
    for (int64_t i = 0; ok && i < nmail; i++) {
        char payload[64];
        snprintf(payload, sizeof payload, "{\"notification\":%lld}", (long long)mail[i]);
        ok = job_enqueue(db, "email", payload, 0) > 0;
    }
    arena_free(&a);
    if (!ok) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == STORE_DONE ? count : -1;
}

int64_t notifications_unread(db_t *db, int64_t user_id)
{
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND inbox = 1",
                          "I", user_id);
    int64_t n = st != NULL && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : -1;
    stmt_done(st);
    return n;
}

int notification_mark_read(db_t *db, int64_t user_id, int64_t id)
{
    /* the owner is part of the guard: another user's id changes nothing and reads as absent */
    int64_t n = db_run(db,
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3 AND inbox = 1",
        "III", now_seconds(), id, user_id);
    return n < 0 ? -1 : n > 0 ? 1 : 0;
}

int64_t notifications_mark_all_read(db_t *db, int64_t user_id)
{
    return db_run(db, "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND inbox = 1",
                  "II", now_seconds(), user_id);
}

bool notification_prefs_get(db_t *db, int64_t user_id, notification_pref_t *prefs)
{
    for (int i = 0; i < NOTIFICATION_TYPE_COUNT; i++)
        prefs[i] = (notification_pref_t){.type = notification_types[i], .inbox = true, .email = true};
    stmt_t *st = db_query(db, "SELECT type, inbox, email FROM notification_preferences WHERE user_id = $1", "I", user_id);
    if (st == NULL)
        return false;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        for (int i = 0; i < NOTIFICATION_TYPE_COUNT; i++)
            if (strcmp(stmt_text(st, 0), notification_types[i]) == 0) {
                prefs[i].inbox = stmt_int(st, 1) != 0;
                prefs[i].email = stmt_int(st, 2) != 0;
            }
    stmt_done(st);
    return rc == STORE_DONE;
}

bool notification_pref_set(db_t *db, int64_t user_id, const notification_pref_t *pref)
{
    return db_run(db,
               "INSERT INTO notification_preferences (user_id, type, inbox, email) VALUES ($1, $2, $3, $4) "
               "ON CONFLICT (user_id, type) DO UPDATE SET inbox = excluded.inbox, email = excluded.email",
               "Itii", user_id, pref->type, pref->inbox ? 1 : 0, pref->email ? 1 : 0) == 1;
}

const char *user_email(db_t *db, arena_t *a, int64_t user_id)
{
    stmt_t *st = db_query(db, "SELECT COALESCE(email, '') FROM users WHERE id = $1", "I", user_id);
    const char *email = st != NULL && stmt_step(st) == STORE_ROW ? arena_strdup(a, stmt_text(st, 0)) : NULL;
    stmt_done(st);
    return email;
}

bool user_set_email(db_t *db, int64_t user_id, const char *email)
{
    return db_run(db, "UPDATE users SET email = $1 WHERE id = $2", "tI", email && *email ? email : NULL, user_id) == 1;
}

int notification_mail_get(db_t *db, arena_t *a, int64_t id, notification_mail_t *m)
{
    stmt_t *st = db_query(db,
        "SELECT COALESCE(u.email, ''), n.title, n.title_en, n.link FROM notifications n JOIN users u ON u.id = n.user_id "
        "WHERE n.id = $1", "I", id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        m->to = arena_strdup(a, stmt_text(st, 0));
        m->title = arena_strdup(a, stmt_text(st, 1));
        m->title_en = arena_strdup(a, stmt_text(st, 2));
        m->link = arena_strdup(a, stmt_text(st, 3));
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* ---- The daily digest ---- */

enum { DIGEST_BATCH = 200 };   /* accounts read per query by notification_digests_enqueue */

int user_digest(db_t *db, int64_t user_id)
{
    stmt_t *st = db_query(db, "SELECT digest FROM users WHERE id = $1", "I", user_id);
    int on = st != NULL && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) != 0 : -1;
    stmt_done(st);
    return on;
}

bool user_set_digest(db_t *db, int64_t user_id, bool on, int64_t now)
{
    /* SET reads the old values: digest_until moves only when the switch goes from off to on */
    return db_run(db,
               "UPDATE users SET digest_until = CASE WHEN digest = 0 AND $1 = 1 THEN $2 ELSE digest_until END, "
               "digest = $1 WHERE id = $3",
               "iII", on ? 1 : 0, now, user_id) == 1;
}

int64_t notification_digests_enqueue(db_t *db, int64_t now)
{
    if (!notifications_email_enabled())
        return 0;
    int64_t after = 0, queued = 0;
    for (;;) {
        struct {
            int64_t id, until;
        } batch[DIGEST_BATCH];
        int n = 0, rc;
        /* the accounts due, a batch at a time; EXISTS reads the (user_id, created_at) index */
        stmt_t *st = db_query(db,
            "SELECT u.id, u.digest_until FROM users u WHERE u.active = 1 AND u.digest = 1 AND u.email IS NOT NULL "
            "AND u.email <> '' AND u.id > $1 AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id "
            "AND n.created_at >= u.digest_until AND n.created_at < $2 AND n.read_at IS NULL AND n.inbox = 1) "
            "ORDER BY u.id LIMIT 200", "II", after, now);
        if (st == NULL)
            return -1;
        while ((rc = stmt_step(st)) == STORE_ROW && n < DIGEST_BATCH) {
            batch[n].id = stmt_int(st, 0);
            batch[n].until = stmt_int(st, 1);
            n++;
        }
        stmt_done(st);
        if (rc == STORE_ERROR || db_begin(db) != STORE_DONE)
            return -1;
        bool ok = true;
        for (int i = 0; ok && i < n; i++) {
            /* guarded by the old value: a concurrent run that moved it first sends this one */
            int64_t moved = db_run(db, "UPDATE users SET digest_until = $1 WHERE id = $2 AND digest_until = $3 AND digest = 1",
                                   "III", now, batch[i].id, batch[i].until);
            ok = moved >= 0;
            if (moved == 1) {
                char payload[96];
                snprintf(payload, sizeof payload, "{\"digest\":%lld,\"since\":%lld,\"until\":%lld}",
                         (long long)batch[i].id, (long long)batch[i].until, (long long)now);
                ok = job_enqueue(db, "email", payload, 0) > 0;
                queued++;
            }
        }
        if (!ok || db_commit(db) != STORE_DONE) {
            db_rollback(db);
            return -1;
        }
        if (n < DIGEST_BATCH)
            break;
        after = batch[n - 1].id;
    }
    return queued;
}

int notification_digest_get(db_t *db, arena_t *a, int64_t user_id, int64_t since, int64_t until,
                            notification_digest_t *d)
{
    *d = (notification_digest_t){.to = ""};
    stmt_t *st = db_query(db,
        "SELECT u.email, n.title, n.title_en, n.link FROM users u JOIN notifications n ON n.user_id = u.id "
        "WHERE u.id = $1 AND u.active = 1 AND u.digest = 1 AND u.email IS NOT NULL AND u.email <> '' "
        "AND n.created_at >= $2 AND n.created_at < $3 AND n.read_at IS NULL AND n.inbox = 1 "
        "ORDER BY n.created_at DESC, n.id DESC", "III", user_id, since, until);
    if (st == NULL)
        return -1;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (d->total == 0)
            d->to = arena_strdup(a, stmt_text(st, 0));
        if (d->count < DIGEST_MAX_ITEMS) {
            d->items[d->count++] = (notification_mail_t){.title = arena_strdup(a, stmt_text(st, 1)),
                .title_en = arena_strdup(a, stmt_text(st, 2)), .link = arena_strdup(a, stmt_text(st, 3))};
        }
        d->total++;
    }
    stmt_done(st);
    return rc == STORE_ERROR ? -1 : d->total > 0 ? 1 : 0;
}

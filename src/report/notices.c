/* The registry's notifications: who gets them and what they say (see notices.h). */
#include "report/notices.h"

#include <string.h>

#include "core/arena.h"
#include "core/dates.h"
#include "core/text.h"
#include "domain/certificate.h"
#include "domain/scope.h"
#include "store/notifications.h"

int64_t notice_certificate_status(db_t *db, int64_t certificate_id, const char *to_status)
{
    stmt_t *st = db_query(db, "SELECT number, enterprise_id, body_id FROM certificates WHERE id = $1", "I",
                          certificate_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    const char *number = arena_strdup(&a, stmt_text(st, 0));
    audience_t to = {.enterprise_id = stmt_int(st, 1), .body_id = stmt_int(st, 2)};
    stmt_done(st);
    const term_t *label = term_find(cert_statuses(), to_status);
    notice_t n = {
        .type = "certificate_status",
        .title = arena_printf(&a, "证书 %s 的状态已变更为“%s”", number, label ? label->zh : to_status),
        .title_en = arena_printf(&a, "The status of certificate %s changed to %s", number, label ? label->en : to_status),
        .link = arena_printf(&a, "/certificates/%s", number),
        .entity = "certificate",
        .entity_id = certificate_id,
    };
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

int64_t notice_enterprise_review(db_t *db, int64_t enterprise_id, bool approved, const char *note)
{
    arena_t a = {0};
    bool noted = note != NULL && *note != '\0';
    notice_t n = {
        .type = "enterprise_review",
        .title = approved ? "企业注册已通过审核" : arena_printf(&a, "企业注册未通过审核%s%s", noted ? "：" : "", noted ? note : ""),
        .title_en = approved ? "Your enterprise's registration was approved"
                             : arena_printf(&a, "Your enterprise's registration was rejected%s%s", noted ? ": " : "",
                                            noted ? note : ""),
        .link = "/organisation",
        .entity = "enterprise",
        .entity_id = enterprise_id,
    };
    int64_t count = notify(db, &n, &(audience_t){.enterprise_id = enterprise_id});
    arena_free(&a);
    return count;
}

int64_t notice_registration_pending(db_t *db, int64_t enterprise_id, const char *name, const char *region)
{
    arena_t a = {0};
    audience_t to = {.admins = true};
    /* the region codes a regulator reaching `region` can have: national, its province, its
     * prefecture, itself; each kept only when the one scope rule says it reaches the region */
    const char *candidates[AUDIENCE_REGIONS] = {
        "", "000000", arena_printf(&a, "%.2s0000", region), arena_printf(&a, "%.4s00", region), region,
    };
    for (int i = 0, k = 0; i < AUDIENCE_REGIONS; i++)
        if (region_within(region, candidates[i]))
            to.regulator_regions[k++] = candidates[i];
    notice_t n = {
        .type = "registration_pending",
        .title = arena_printf(&a, "企业“%s”提交了注册申请，待审核", name),
        .title_en = arena_printf(&a, "%s registered and awaits review", name),
        .link = arena_printf(&a, "/enterprises/%lld", (long long)enterprise_id),
        .entity = "enterprise",
        .entity_id = enterprise_id,
    };
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

typedef struct expiring {
    int64_t id, enterprise_id, body_id;
    const char *number, *expires;
} expiring_t;

/* One certificate's reminder at `days`, in its own transaction: the rows of certificate_reminders
 * are the guard (a rerun, or another node, inserts nothing and sends nothing). 1 sent, 0 already
 * sent, -1 error. */
static int remind(db_t *db, arena_t *a, const expiring_t *e, int days)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds();
    int64_t n = db_run(db,
        "INSERT INTO certificate_reminders (certificate_id, days, expires, sent_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING", "IitI", e->id, days, e->expires, now);
    /* the 30-day reminder makes the 90-day one pointless */
    if (n == 1 && days == REMINDER_NEAR_DAYS)
        n = db_run(db,
            "INSERT INTO certificate_reminders (certificate_id, days, expires, sent_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING", "IitI", e->id, (int)REMINDER_FAR_DAYS, e->expires, now) < 0 ? -1 : 1;
    if (n != 1) {
        db_rollback(db);
        return n == 0 ? 0 : -1;
    }
    notice_t note = {
        .type = "certificate_expiring",
        .title = arena_printf(a, "证书 %s 将于 %s 到期（%d 天内）", e->number, e->expires, days),
        .title_en = arena_printf(a, "Certificate %s expires on %s (within %d days)", e->number, e->expires, days),
        .link = arena_printf(a, "/certificates/%s", e->number),
        .entity = "certificate",
        .entity_id = e->id,
    };
    if (notify(db, &note, &(audience_t){.enterprise_id = e->enterprise_id, .body_id = e->body_id}) < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == STORE_DONE ? 1 : -1;
}

int64_t certificate_reminders_send(db_t *db, const char *today)
{
    int64_t t = date_to_unix(today);
    if (t == 0)
        return -1;
    char near[DATE_LEN + 1], far[DATE_LEN + 1];
    date_from_unix(t + (int64_t)REMINDER_NEAR_DAYS * 86400, near);
    date_from_unix(t + (int64_t)REMINDER_FAR_DAYS * 86400, far);
    /* the certificates whose due reminder is not yet sent, gathered before any is sent */
    stmt_t *st = db_query(db,
        "SELECT c.id, c.number, c.expires, c.enterprise_id, c.body_id FROM certificates c "
        "WHERE c.status IN ('valid', 'suspended') AND c.expires >= $1 AND c.expires <= $2 "
        "AND NOT EXISTS (SELECT 1 FROM certificate_reminders r WHERE r.certificate_id = c.id AND r.expires = c.expires "
        "AND r.days = CASE WHEN c.expires <= $3 THEN 30 ELSE 90 END) ORDER BY c.id",
        "ttt", today, far, near);
    if (st == NULL)
        return -1;
    arena_t a = {0};
    int n = 0, cap = 0, rc;
    expiring_t *list = NULL;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            expiring_t *more = arena_alloc(&a, (size_t)cap * sizeof *more);
            if (n > 0)
                memcpy(more, list, (size_t)n * sizeof *more);
            list = more;
        }
        list[n++] = (expiring_t){.id = stmt_int(st, 0), .number = arena_strdup(&a, stmt_text(st, 1)),
                                 .expires = arena_strdup(&a, stmt_text(st, 2)), .enterprise_id = stmt_int(st, 3),
                                 .body_id = stmt_int(st, 4)};
    }
    stmt_done(st);
    int64_t sent = rc == STORE_DONE ? 0 : -1;
    for (int i = 0; sent >= 0 && i < n; i++) {
        int days = strcmp(list[i].expires, near) <= 0 ? REMINDER_NEAR_DAYS : REMINDER_FAR_DAYS;
        int r = remind(db, &a, &list[i], days);
        sent = r < 0 ? -1 : sent + r;
    }
    arena_free(&a);
    return sent;
}

/* What each step of an engagement says, and to whom. */
typedef struct engagement_event {
    const char *event;
    bool to_body;
    const char *zh, *en;      /* %s: the other side's name */
} engagement_event_t;

static const engagement_event_t engagement_events[] = {
    {"requested", true, "企业“%s”申请认证，待回复", "%s requests certification and awaits your answer"},
    {"cancelled", true, "企业“%s”撤回了认证申请", "%s cancelled its request for certification"},
    {"accepted", false, "认证机构“%s”已受理认证申请", "%s accepted your request for certification"},
    {"declined", false, "认证机构“%s”拒绝了认证申请", "%s declined your request for certification"},
    {"stage1", false, "认证机构“%s”已完成第一阶段审核", "%s recorded the stage 1 audit"},
    {"stage2", false, "认证机构“%s”已完成第二阶段审核", "%s recorded the stage 2 audit"},
    {"certified", false, "认证机构“%s”作出认证决定：予以认证，证书已颁发", "%s decided to certify: the certificate is issued"},
    {"not_certified", false, "认证机构“%s”作出认证决定：不予认证", "%s decided not to certify"},
};

int64_t notice_engagement(db_t *db, int64_t engagement_id, const char *event)
{
    const engagement_event_t *ev = NULL;
    for (size_t i = 0; i < sizeof engagement_events / sizeof engagement_events[0]; i++)
        if (strcmp(engagement_events[i].event, event) == 0)
            ev = &engagement_events[i];
    if (ev == NULL)
        return -1;
    stmt_t *st = db_query(db, "SELECT g.enterprise_id, g.body_id, e.name, b.name FROM engagements g JOIN enterprises e "
                              "ON e.id = g.enterprise_id JOIN bodies b ON b.id = g.body_id WHERE g.id = $1",
                          "I", engagement_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    audience_t to = {0};
    if (ev->to_body)
        to.body_id = stmt_int(st, 1);
    else
        to.enterprise_id = stmt_int(st, 0);
    const char *other = arena_strdup(&a, stmt_text(st, ev->to_body ? 2 : 3));
    stmt_done(st);
    notice_t n = {
        .type = "engagement",
        .title = arena_printf(&a, ev->zh, other),
        .title_en = arena_printf(&a, ev->en, other),
        .link = arena_printf(&a, "/engagements/%lld", (long long)engagement_id),
        .entity = "engagement",
        .entity_id = engagement_id,
    };
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

int64_t notice_consulting_tie(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    stmt_t *st = db_query(db, "SELECT e.name, b.name FROM enterprises e, bodies b WHERE e.id = $1 AND b.id = $2", "II",
                          enterprise_id, body_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    notice_t n = {
        .type = "engagement",
        .title = arena_printf(&a, "监管部门登记了“%s”与“%s”之间的咨询关联：双方不得建立认证委托", stmt_text(st, 0),
                              stmt_text(st, 1)),
        .title_en = arena_printf(&a, "A regulator recorded a consulting tie between %s and %s: they may not engage",
                                 stmt_text(st, 0), stmt_text(st, 1)),
        .link = arena_printf(&a, "/bodies/%lld", (long long)body_id),
        .entity = "body",
        .entity_id = body_id,
    };
    stmt_done(st);
    int64_t count = notify(db, &n, &(audience_t){.enterprise_id = enterprise_id, .body_id = body_id});
    arena_free(&a);
    return count;
}

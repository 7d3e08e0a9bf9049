/* The registry's notifications: who gets them and what they say (see notices.h). */
#include "report/notices.h"

#include <stdlib.h>
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

/* Adds to `to` the regulators reaching `region`: the region codes such a regulator can have
 * (national, its province, its prefecture, itself), each kept only when the one scope rule
 * says it reaches the region. The codes live in a. */
static void regulators_reaching(arena_t *a, const char *region, audience_t *to)
{
    const char *candidates[AUDIENCE_REGIONS] = {
        "", "000000", arena_printf(a, "%.2s0000", region), arena_printf(a, "%.4s00", region), region,
    };
    for (int i = 0, k = 0; i < AUDIENCE_REGIONS; i++)
        if (region_within(region, candidates[i]))
            to->regulator_regions[k++] = candidates[i];
}

int64_t notice_registration_pending(db_t *db, int64_t enterprise_id, const char *name, const char *region)
{
    arena_t a = {0};
    audience_t to = {.admins = true};
    regulators_reaching(&a, region, &to);
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

/* ---- Surveillance (sql/012_surveillance.sql) ---- */

typedef struct due_cert {
    int64_t id, enterprise_id, body_id;
    const char *number, *due, *region;
} due_cert_t;

/* The certificates `sql` selects (id, number, surveillance_due, enterprise_id, body_id,
 * holder's region), its $1… bound to the first dates (fmt: "t" or "ttt"), gathered before any
 * notice is sent. The count, or -1; *out in a. */
static int due_gather(db_t *db, arena_t *a, const char *sql, const char *fmt, const char *d1, const char *d2,
                      const char *d3, due_cert_t **out)
{
    stmt_t *st = db_query(db, sql, fmt, d1, d2, d3);
    if (st == NULL)
        return -1;
    int n = 0, cap = 0, rc;
    due_cert_t *list = NULL;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            due_cert_t *more = arena_alloc(a, (size_t)cap * sizeof *more);
            if (n > 0)
                memcpy(more, list, (size_t)n * sizeof *more);
            list = more;
        }
        list[n++] = (due_cert_t){.id = stmt_int(st, 0), .number = arena_strdup(a, stmt_text(st, 1)),
                                 .due = arena_strdup(a, stmt_text(st, 2)), .enterprise_id = stmt_int(st, 3),
                                 .body_id = stmt_int(st, 4), .region = arena_strdup(a, stmt_text(st, 5))};
    }
    stmt_done(st);
    *out = list;
    return rc == STORE_DONE ? n : -1;
}

/* Sends one notice about certificate e once: its rows of surveillance_notices (kinds[0], and
 * kinds[1] when not NULL, for e's due date) are the guard, in the notice's own transaction. 1
 * sent, 0 already sent, -1 error. */
static int notice_once(db_t *db, const due_cert_t *e, const char *kind, const char *also, const notice_t *note,
                       const audience_t *to)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds();
    const char *sql = "INSERT INTO surveillance_notices (certificate_id, due, kind, sent_at) VALUES ($1, $2, $3, $4) "
                      "ON CONFLICT DO NOTHING";
    int64_t n = db_run(db, sql, "IttI", e->id, e->due, kind, now);
    if (n == 1 && also != NULL)
        n = db_run(db, sql, "IttI", e->id, e->due, also, now) < 0 ? -1 : 1;
    if (n != 1) {
        db_rollback(db);
        return n == 0 ? 0 : -1;
    }
    if (notify(db, note, to) < 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == STORE_DONE ? 1 : -1;
}

/* The open certificates with a surveillance due; the holder's region comes along. */
#define DUE_SELECT                                                                                       \
    "SELECT c.id, c.number, c.surveillance_due, c.enterprise_id, c.body_id, e.region FROM certificates c " \
    "JOIN enterprises e ON e.id = c.enterprise_id WHERE c.surveillance_due <> '' "                       \
    "AND c.status IN ('valid', 'suspended') AND c.expires >= $1 "

int64_t surveillance_reminders_send(db_t *db, const char *today)
{
    int64_t t = date_to_unix(today);
    if (t == 0)
        return -1;
    char near[DATE_LEN + 1], far[DATE_LEN + 1];
    date_from_unix(t + (int64_t)SURVEILLANCE_NEAR_DAYS * 86400, near);
    date_from_unix(t + (int64_t)SURVEILLANCE_FAR_DAYS * 86400, far);
    arena_t a = {0};
    due_cert_t *list = NULL;
    int n = due_gather(db, &a,
        DUE_SELECT "AND c.surveillance_due >= $1 AND c.surveillance_due <= $2 AND NOT EXISTS (SELECT 1 FROM "
        "surveillance_notices s WHERE s.certificate_id = c.id AND s.due = c.surveillance_due "
        "AND s.kind = CASE WHEN c.surveillance_due <= $3 THEN 'd14' ELSE 'd60' END) ORDER BY c.id",
        "ttt", today, far, near, &list);
    int64_t sent = n < 0 ? -1 : 0;
    for (int i = 0; sent >= 0 && i < n; i++) {
        const due_cert_t *e = &list[i];
        bool close = strcmp(e->due, near) <= 0;
        int days = close ? SURVEILLANCE_NEAR_DAYS : SURVEILLANCE_FAR_DAYS;
        notice_t note = {
            .type = "surveillance_due",
            .title = arena_printf(&a, "证书 %s 的监督审核须在 %s 前完成（%d 天内）", e->number, e->due, days),
            .title_en = arena_printf(&a, "Certificate %s: its surveillance audit is due by %s (within %d days)",
                                     e->number, e->due, days),
            .link = arena_printf(&a, "/certificates/%s", e->number),
            .entity = "certificate",
            .entity_id = e->id,
        };
        int r = notice_once(db, e, close ? "d14" : "d60", close ? "d60" : NULL, &note,
                            &(audience_t){.enterprise_id = e->enterprise_id, .body_id = e->body_id});
        sent = r < 0 ? -1 : sent + r;
    }
    arena_free(&a);
    return sent;
}

int64_t surveillance_overdue_flag(db_t *db, const char *today)
{
    if (!date_valid(today))
        return -1;
    arena_t a = {0};
    due_cert_t *list = NULL;
    int n = due_gather(db, &a,
        DUE_SELECT "AND c.surveillance_due < $1 AND NOT EXISTS (SELECT 1 FROM surveillance_notices s "
        "WHERE s.certificate_id = c.id AND s.due = c.surveillance_due AND s.kind = 'overdue') ORDER BY c.id",
        "t", today, NULL, NULL, &list);
    int64_t flagged = n < 0 ? -1 : 0;
    for (int i = 0; flagged >= 0 && i < n; i++) {
        const due_cert_t *e = &list[i];
        notice_t note = {
            .type = "surveillance_overdue",
            .title = arena_printf(&a, "证书 %s 的监督审核已逾期：应在 %s 前完成", e->number, e->due),
            .title_en = arena_printf(&a, "Certificate %s: its surveillance audit is overdue (due by %s)", e->number, e->due),
            .link = arena_printf(&a, "/certificates/%s", e->number),
            .entity = "certificate",
            .entity_id = e->id,
        };
        audience_t to = {.body_id = e->body_id};
        regulators_reaching(&a, e->region, &to);
        int r = notice_once(db, e, "overdue", NULL, &note, &to);
        flagged = r < 0 ? -1 : flagged + r;
    }
    arena_free(&a);
    return flagged;
}

/* ---- the marketplace: reviews and complaints (docs/marketplace.md) ---- */

int64_t notice_feedback(db_t *db, int64_t feedback_id, const char *event)
{
    stmt_t *st = db_query(db, "SELECT f.enterprise_id, f.body_id, b.name, f.hidden_reason FROM feedback f "
                              "JOIN bodies b ON b.id = f.body_id WHERE f.id = $1",
                          "I", feedback_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    int64_t enterprise_id = stmt_int(st, 0), body_id = stmt_int(st, 1);
    const char *body = arena_strdup(&a, stmt_text(st, 2)), *reason = arena_strdup(&a, stmt_text(st, 3));
    stmt_done(st);
    /* the body hears of reviews of it; the enterprise of what is done to its review; a
     * moderation both */
    audience_t to = {0};
    notice_t n = {.type = "feedback", .entity = "feedback", .entity_id = feedback_id};
    if (strcmp(event, "created") == 0 || strcmp(event, "edited") == 0) {
        bool created = event[0] == 'c';
        to.body_id = body_id;
        n.title = created ? "贵机构收到一条新的服务评价" : "一条关于贵机构的服务评价已被修改";
        n.title_en = created ? "Your body received a new review" : "A review of your body was edited";
        n.link = "/body/reviews";
    } else if (strcmp(event, "replied") == 0) {
        to.enterprise_id = enterprise_id;
        n.title = arena_printf(&a, "%s回复了你的评价", body);
        n.title_en = arena_printf(&a, "%s replied to your review", body);
        n.link = "/my/reviews";
    } else {
        bool hidden = strcmp(event, "hidden") == 0;
        to.enterprise_id = enterprise_id, to.body_id = body_id;
        n.title = hidden ? arena_printf(&a, "一条关于%s的评价已被监管部门隐藏：%s", body, reason)
                         : arena_printf(&a, "一条关于%s的评价已恢复公开显示", body);
        n.title_en = hidden ? arena_printf(&a, "A review of %s was hidden by a regulator: %s", body, reason)
                            : arena_printf(&a, "A review of %s is shown again", body);
        n.link = arena_printf(&a, "/bodies/%lld", (long long)body_id);
    }
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

int64_t notice_complaint(db_t *db, int64_t complaint_id, const char *to_status)
{
    stmt_t *st = db_query(db, "SELECT k.enterprise_id, k.body_id, b.name, e.region FROM complaints k "
                              "JOIN bodies b ON b.id = k.body_id JOIN enterprises e ON e.id = k.enterprise_id "
                              "WHERE k.id = $1",
                          "I", complaint_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    audience_t to = {.enterprise_id = stmt_int(st, 0), .body_id = stmt_int(st, 1)};
    const char *body = arena_strdup(&a, stmt_text(st, 2));
    const char *region = arena_strdup(&a, stmt_text(st, 3));
    stmt_done(st);
    static const struct {
        const char *status, *zh, *en;
    } labels[] = {{"received", "已受理", "received"}, {"under_review", "调查中", "under review"},
                  {"upheld", "投诉成立", "upheld"}, {"dismissed", "投诉不成立", "dismissed"}};
    const char *zh = to_status, *en = to_status;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].status, to_status) == 0)
            zh = labels[i].zh, en = labels[i].en;
    bool received = strcmp(to_status, "received") == 0;
    if (received)     /* a new complaint is the region's regulators' to handle */
        regulators_reaching(&a, region, &to);
    notice_t n = {
        .type = "complaint",
        .title = received ? arena_printf(&a, "关于%s的投诉 #%lld 已登记受理", body, (long long)complaint_id)
                          : arena_printf(&a, "关于%s的投诉 #%lld 状态变更为“%s”", body, (long long)complaint_id, zh),
        .title_en = received ? arena_printf(&a, "Complaint #%lld about %s was received", (long long)complaint_id, body)
                             : arena_printf(&a, "Complaint #%lld about %s is now %s", (long long)complaint_id, body, en),
        .link = arena_printf(&a, "/complaints/%lld", (long long)complaint_id),
        .entity = "complaint",
        .entity_id = complaint_id,
    };
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

int64_t notice_commitment_version(db_t *db, int64_t commitment_id, int64_t version, const char *title)
{
    /* the enterprises first (no statement stays open across notify's writes) */
    enum { MAX_ENTERPRISES = 1000 };
    int64_t *ids = calloc(MAX_ENTERPRISES, sizeof *ids);
    if (ids == NULL)
        return -1;
    int n = 0, rc;
    stmt_t *st = db_query(db,
                          "SELECT DISTINCT enterprise_id FROM engagements WHERE commitment_id = $1 AND status IN "
                          "('requested', 'active') ORDER BY enterprise_id",
                          "I", commitment_id);
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW && n < MAX_ENTERPRISES)
        ids[n++] = stmt_int(st, 0);
    bool failed = st == NULL || rc == STORE_ERROR;
    stmt_done(st);
    arena_t a = {0};
    notice_t notice = {
        .type = "commitment_version",
        .title = arena_printf(&a, "服务承诺《%s》发布了第 %lld 版（您的认证仍按申请时的版本执行）", title, (long long)version),
        .title_en = arena_printf(&a, "The service commitment “%s” has a new version (%lld); your engagement keeps the "
                                     "version it was requested under", title, (long long)version),
        .link = arena_printf(&a, "/commitments/%lld", (long long)commitment_id),
        .entity = "commitment",
        .entity_id = commitment_id,
    };
    int64_t count = 0;
    for (int i = 0; i < n && !failed; i++) {
        int64_t k = notify(db, &notice, &(audience_t){.enterprise_id = ids[i]});
        failed = k < 0;
        count += k;
    }
    arena_free(&a);
    free(ids);
    return failed ? -1 : count;
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

int64_t notice_audit_signed_off(db_t *db, int64_t audit_id)
{
    stmt_t *st = db_query(db, "SELECT a.enterprise_id, COALESCE(b.name, ''), a.kind, a.revision FROM audits a "
                              "LEFT JOIN bodies b ON b.id = a.body_id WHERE a.id = $1",
                          "I", audit_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    audience_t to = {.enterprise_id = stmt_int(st, 0)};
    const char *body = arena_strdup(&a, stmt_text(st, 1));
    const char *kind = arena_strdup(&a, stmt_text(st, 2));
    int64_t revision = stmt_int(st, 3);
    stmt_done(st);
    static const struct {
        const char *kind, *zh, *en;
    } labels[] = {{"stage1", "第一阶段审核", "stage 1 audit"}, {"stage2", "第二阶段审核", "stage 2 audit"},
                  {"surveillance", "监督审核", "surveillance audit"}, {"recertification", "再认证审核", "recertification audit"}};
    const char *zh = kind, *en = kind;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].kind, kind) == 0)
            zh = labels[i].zh, en = labels[i].en;
    notice_t n = {
        .type = "audit",
        .title = arena_printf(&a, "%s已签署%s #%lld(第 %lld 版)", body, zh, (long long)audit_id, (long long)revision),
        .title_en = arena_printf(&a, "%s signed off the %s #%lld (revision %lld)", body, en, (long long)audit_id,
                                 (long long)revision),
        .link = arena_printf(&a, "/audits/%lld", (long long)audit_id),
        .entity = "audit",
        .entity_id = audit_id,
    };
    int64_t count = notify(db, &n, &to);
    arena_free(&a);
    return count;
}

/* ---- nonconformities (issue 9, docs/compliance.md "Nonconformities") ---- */

int64_t nonconformity_overdue_flag(db_t *db, const char *today)
{
    if (!date_valid(today))
        return -1;
    /* the ones to tell first (no statement stays open across notify's writes) */
    enum { BATCH = 1000 };
    typedef struct due_nc {
        int64_t id, enterprise_id;
        const char *clause, *due;
    } due_nc_t;
    arena_t a = {0};
    due_nc_t *list = arena_alloc(&a, BATCH * sizeof *list);
    int n = 0, rc = STORE_ERROR;
    stmt_t *st = db_query(db,
                          "SELECT id, enterprise_id, clause_number, due_date FROM nonconformities WHERE due_date <> '' "
                          "AND due_date < $1 AND status <> 'effective' AND overdue_notified_due <> due_date ORDER BY id "
                          "LIMIT 1000",
                          "t", today);
    while (st != NULL && n < BATCH && (rc = stmt_step(st)) == STORE_ROW) {
        list[n].id = stmt_int(st, 0);
        list[n].enterprise_id = stmt_int(st, 1);
        list[n].clause = arena_strdup(&a, stmt_text(st, 2));
        list[n].due = arena_strdup(&a, stmt_text(st, 3));
        n++;
    }
    stmt_done(st);
    int64_t flagged = st == NULL || rc == STORE_ERROR ? -1 : 0;
    for (int i = 0; flagged >= 0 && i < n; i++) {
        const due_nc_t *e = &list[i];
        notice_t note = {
            .type = "nonconformity",
            .title = arena_printf(&a, "不符合项 #%lld（条款 %s）的纠正措施已逾期：应在 %s 前完成", (long long)e->id,
                                  e->clause, e->due),
            .title_en = arena_printf(&a, "Nonconformity #%lld (clause %s): its corrective action is overdue (due by %s)",
                                     (long long)e->id, e->clause, e->due),
            .link = arena_printf(&a, "/nonconformities/%lld", (long long)e->id),
            .entity = "nonconformity",
            .entity_id = e->id,
        };
        /* the guard: one notice per due date, in the notice's own transaction */
        if (db_begin(db) != STORE_DONE) {
            flagged = -1;
            break;
        }
        int64_t marked = db_run(db,
                                "UPDATE nonconformities SET overdue_notified_due = due_date WHERE id = $1 AND "
                                "due_date = $2 AND overdue_notified_due <> due_date AND status <> 'effective'",
                                "It", e->id, e->due);
        if (marked == 1 && notify(db, &note, &(audience_t){.enterprise_id = e->enterprise_id}) < 0)
            marked = -1;
        if (marked != 1) {
            db_rollback(db);
            flagged = marked < 0 ? -1 : flagged;
            continue;
        }
        flagged = db_commit(db) == STORE_DONE ? flagged + 1 : -1;
    }
    arena_free(&a);
    return flagged;
}

/* ---- issue 11, activities ---- */

int64_t notice_activity(db_t *db, int64_t activity_id, const char *event, int64_t user_id)
{
    stmt_t *st = db_query(db, "SELECT title FROM activities WHERE id = $1", "I", activity_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    const char *title = arena_strdup(&a, stmt_text(st, 0));
    stmt_done(st);
    notice_t n = {.type = "activity", .entity = "activity", .entity_id = activity_id,
                  .link = arena_printf(&a, "/activities/%lld", (long long)activity_id)};
    if (strcmp(event, "promoted") == 0) {
        n.title = arena_printf(&a, "你已从候补转为正式报名：%s", title);
        n.title_en = arena_printf(&a, "You have a seat now (moved up from the waiting list): %s", title);
    } else if (strcmp(event, "cancelled") == 0) {
        n.title = arena_printf(&a, "活动已取消：%s", title);
        n.title_en = arena_printf(&a, "Activity cancelled: %s", title);
    } else {
        n.title = arena_printf(&a, "活动的时间、地点或链接有变化：%s", title);
        n.title_en = arena_printf(&a, "The time, place or link of an activity changed: %s", title);
    }
    int64_t count = 0;
    if (user_id != 0) {
        audience_t to = {.user_id = user_id};
        count = notify(db, &n, &to);
    } else {
        /* every registrant, one by one (an audience names one user), in batches by id */
        int64_t users[512], last = 0;
        size_t nusers;
        do {
            nusers = 0;
            st = db_query(db, "SELECT id, user_id FROM activity_registrations WHERE activity_id = $1 AND id > $2 AND "
                              "status IN ('registered', 'waitlisted') ORDER BY id LIMIT 512",
                          "II", activity_id, last);
            rc = STORE_ERROR;
            while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
                last = stmt_int(st, 0);
                users[nusers++] = stmt_int(st, 1);
            }
            stmt_done(st);
            if (rc != STORE_DONE)
                count = -1;
            for (size_t i = 0; i < nusers && count >= 0; i++) {
                audience_t to = {.user_id = users[i]};
                int64_t one = notify(db, &n, &to);
                count = one < 0 ? -1 : count + one;
            }
        } while (count >= 0 && nusers == sizeof users / sizeof users[0]);
    }
    arena_free(&a);
    return count;
}

int64_t notice_forum_reply(db_t *db, int64_t topic_id, int64_t replier_user_id)
{
    stmt_t *st = db_query(db, "SELECT title FROM forum_topics WHERE id = $1", "I", topic_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    const char *title = arena_strdup(&a, stmt_text(st, 0));
    stmt_done(st);
    notice_t n = {.type = "forum", .entity = "forum_topic", .entity_id = topic_id,
                  .link = arena_printf(&a, "/forum/topics/%lld", (long long)topic_id),
                  .title = arena_printf(&a, "你关注的话题有新回复：%s", title),
                  .title_en = arena_printf(&a, "New reply in a topic you follow: %s", title)};
    enum { BATCH = 256 };
    int64_t users[BATCH], after = 0, count = 0;
    size_t nusers;
    do {
        nusers = 0;
        st = db_query(db,
                      "SELECT user_id FROM forum_follows WHERE topic_id = $1 AND user_id <> $2 AND user_id > $3 "
                      "ORDER BY user_id LIMIT 256",
                      "III", topic_id, replier_user_id, after);
        rc = STORE_ERROR;
        while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
            users[nusers++] = after = stmt_int(st, 0);
        stmt_done(st);
        if (rc != STORE_DONE)
            count = -1;
        for (size_t k = 0; count >= 0 && k < nusers; k++) {
            audience_t to = {.user_id = users[k]};
            int64_t told = notify(db, &n, &to);
            count = told < 0 ? -1 : count + told;
        }
    } while (count >= 0 && nusers == BATCH);
    arena_free(&a);
    return count;
}

int64_t notice_policy_reviewed(db_t *db, int64_t policy_id, const char *status, int64_t setter_user_id)
{
    static const struct {
        const char *status, *zh, *en;
    } labels[] = {{"compliant", "符合公平竞争要求", "compliant"},
                  {"to_amend", "需修改", "to be amended"},
                  {"amended", "已修改", "amended"}};
    stmt_t *st = db_query(db, "SELECT title, COALESCE(created_by, 0) FROM policies WHERE id = $1", "I", policy_id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE ? 0 : -1;
    }
    arena_t a = {0};
    const char *title = arena_strdup(&a, stmt_text(st, 0));
    int64_t registrant = stmt_int(st, 1);
    stmt_done(st);
    if (registrant == 0 || registrant == setter_user_id) {
        arena_free(&a);
        return 0;
    }
    const char *zh = status, *en = status;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].status, status) == 0) {
            zh = labels[i].zh;
            en = labels[i].en;
        }
    notice_t n = {.type = "policy_reviewed", .entity = "policy", .entity_id = policy_id,
                  .link = arena_printf(&a, "/policies/%lld", (long long)policy_id),
                  .title = arena_printf(&a, "你登记的政策《%s》审查结论：%s", title, zh),
                  .title_en = arena_printf(&a, "The policy you registered, %s, was reviewed: %s", title, en)};
    audience_t to = {.user_id = registrant};
    int64_t told = notify(db, &n, &to);
    arena_free(&a);
    return told;
}

/* Background jobs (docs/jobs.md): the table of kinds and the table of schedules, the handlers
 * of the platform's own kinds, and the admin API (GET /api/jobs, POST /api/jobs/{id}/retry).
 * To add a kind: write its handler (store/jobs.h: job_kind_t), add a row to api_job_kinds, and
 * a row to api_job_schedules if it recurs; enqueue it with job_enqueue(). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "report/email.h"
#include "report/indicators_import.h"
#include "report/notices.h"
#include "store/audit.h"
#include "store/notifications.h"
#include "store/policies.h"
#include "store/indicators.h"
#include "store/ranking.h"
#include "store/users.h"

enum {
    CERTIFICATE_BATCH = 500,            /* certificates read per query by certificate_expiry */
    DONE_JOBS_KEPT_SECONDS = 30 * 86400 /* done jobs older than this are purged */
};

/* Reads the payload, a JSON object with only the members in `allowed`; NULL after writing why
 * into err. The caller json_decref()s it. */
static json_t *payload_object(const char *payload, const char *const *allowed, char *err, size_t errlen)
{
    json_error_t je;
    json_t *o = json_loads(payload ? payload : "{}", JSON_REJECT_DUPLICATES, &je);
    if (o == NULL || !json_is_object(o)) {
        snprintf(err, errlen, "payload: not a JSON object%s%s", o == NULL ? ": " : "", o == NULL ? je.text : "");
        json_decref(o);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        bool known = false;
        for (int i = 0; allowed[i] != NULL; i++)
            known = known || strcmp(allowed[i], key) == 0;
        if (!known) {
            snprintf(err, errlen, "payload: unknown member \"%s\"", key);
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* Is the payload {} (a kind that takes nothing)? False after writing why into err. */
static bool payload_empty(const char *payload, char *err, size_t errlen)
{
    static const char *const none[] = {NULL};
    json_t *o = payload_object(payload, none, err, errlen);
    bool ok = o != NULL;
    json_decref(o);
    return ok;
}

/* The day of a payload {"date":"YYYY-MM-DD"} (today, UTC, when absent or null); false after
 * writing why into err. */
static bool payload_day(const char *payload, char day[DATE_LEN + 1], char *err, size_t errlen)
{
    static const char *const allowed[] = {"date", NULL};
    json_t *o = payload_object(payload, allowed, err, errlen);
    if (o == NULL)
        return false;
    json_t *date = json_object_get(o, "date");
    bool ok = true;
    if (date == NULL || json_is_null(date)) {
        date_today(day);
    } else if (!json_is_string(date) || !date_valid(json_string_value(date))) {
        snprintf(err, errlen, "payload: date must be a date YYYY-MM-DD");
        ok = false;
    } else {
        snprintf(day, DATE_LEN + 1, "%s", json_string_value(date));
    }
    json_decref(o);
    return ok;
}

/* certificate_expiry: every valid or suspended certificate whose expiry date is before the
 * day (payload {"date":"YYYY-MM-DD"}, default today, UTC) becomes expired, by the platform
 * (user 0), with its history entry. Each certificate in its own transaction, guarded: one
 * changed meanwhile is left to the next run. Safe to run again, and so it stops between two
 * certificates when the server stops. */
static int job_certificate_expiry(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    char day[DATE_LEN + 1];
    if (!payload_day(payload, day, err, errlen))
        return -1;

    int64_t after = 0, expired = 0;
    for (;;) {
        struct {
            int64_t id;
            char status[16];
        } batch[CERTIFICATE_BATCH];
        int n = 0, rc;
        stmt_t *st = db_query(db,
            "SELECT id, status FROM certificates WHERE status IN ('valid', 'suspended') AND expires < $1 AND id > $2 "
            "ORDER BY id LIMIT 500", "tI", day, after);
        if (st == NULL) {
            snprintf(err, errlen, "reading certificates: %s", db_error(db));
            return -1;
        }
        while ((rc = stmt_step(st)) == STORE_ROW && n < CERTIFICATE_BATCH) {
            batch[n].id = stmt_int(st, 0);
            snprintf(batch[n].status, sizeof batch[n].status, "%s", stmt_text(st, 1));
            n++;
        }
        stmt_done(st);
        if (rc == STORE_ERROR) {
            snprintf(err, errlen, "reading certificates: %s", db_error(db));
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (jobs_stop_requested()) {    /* the server stops: the rest on the next run */
                snprintf(err, errlen, "stopped for the shutdown after %lld certificate(s)", (long long)expired);
                return -1;
            }
            after = batch[i].id;
            int w = db_begin(db) == STORE_DONE
                ? certificate_set_status(db, batch[i].id, batch[i].status, "expired", "有效期已届满 (expiry date passed)", 0, 0)
                : -1;
            /* the holder's and the body's accounts hear of it in the same transaction */
            if (w == 1 && notice_certificate_status(db, batch[i].id, "expired") < 0)
                w = -1;
            w = db_finish(db, w);
            if (w < 0) {
                snprintf(err, errlen, "expiring certificate %lld: %s", (long long)batch[i].id, db_error(db));
                return -1;
            }
            expired += w;
        }
        if (n < CERTIFICATE_BATCH)
            break;
    }
    if (expired > 0)
        log_info("certificate_expiry: %lld certificate(s) expired before %s", (long long)expired, day);
    return 0;
}

/* purge: expired sessions and forgotten throttle rows (store_purge_expired), and done jobs
 * finished more than 30 days ago. Payload {}. */
static int job_purge(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    if (!payload_empty(payload, err, errlen))
        return -1;
    int64_t now = now_seconds();
    int64_t n = store_purge_expired(db, now);
    if (n < 0) {
        snprintf(err, errlen, "purge of expired sessions and throttle rows: %s", db_error(db));
        return -1;
    }
    if (n > 0)
        log_info("purged %lld expired session and throttle rows", (long long)n);
    if (jobs_purge_done(db, now - DONE_JOBS_KEPT_SECONDS) < 0) {
        snprintf(err, errlen, "purge of done jobs: %s", db_error(db));
        return -1;
    }
    return 0;
}

/* certificate_reminders: the reminders of certificates expiring within 90 and 30 days of the
 * day (payload {"date":"YYYY-MM-DD"}, default today), each sent once (report/notices.h). */
static int job_certificate_reminders(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    char day[DATE_LEN + 1];
    if (!payload_day(payload, day, err, errlen))
        return -1;
    int64_t n = certificate_reminders_send(db, day);
    if (n < 0) {
        snprintf(err, errlen, "certificate reminders: %s", db_error(db));
        return -1;
    }
    if (n > 0)
        log_info("certificate_reminders: %lld certificate(s) reminded of on %s", (long long)n, day);
    return 0;
}

/* surveillance_reminders and surveillance_overdue (sql/012_surveillance.sql): the reminders 60
 * and 14 days before a surveillance falls due, and the flag of one overdue, each sent once
 * (report/notices.h), for the day of the payload {"date":"YYYY-MM-DD"} (default today). */
static int job_surveillance(const char *name, int64_t (*run)(db_t *, const char *), db_t *db, const char *payload,
                            char *err, size_t errlen)
{
    char day[DATE_LEN + 1];
    if (!payload_day(payload, day, err, errlen))
        return -1;
    int64_t n = run(db, day);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", name, db_error(db));
        return -1;
    }
    if (n > 0)
        log_info("%s: %lld certificate(s) on %s", name, (long long)n, day);
    return 0;
}

static int job_surveillance_reminders(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    return job_surveillance("surveillance_reminders", surveillance_reminders_send, db, payload, err, errlen);
}

static int job_surveillance_overdue(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    return job_surveillance("surveillance_overdue", surveillance_overdue_flag, db, payload, err, errlen);
}

/* nonconformity_overdue (docs/compliance.md "Nonconformities"): the enterprise is told once per
 * due date of each nonconformity overdue on the payload's day (default today). */
static int job_nonconformity_overdue(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    return job_surveillance("nonconformity_overdue", nonconformity_overdue_flag, db, payload, err, errlen);
}

/* notification_digest: one digest email for every account that wants it and has unread
 * notifications since its last one (store/notifications.h: notification_digests_enqueue queues
 * them as `email` jobs). Payload {}. Running it again sends nothing twice. */
static int job_notification_digest(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    if (!payload_empty(payload, err, errlen))
        return -1;
    int64_t n = notification_digests_enqueue(db, now_seconds());
    if (n < 0) {
        snprintf(err, errlen, "notification digests: %s", db_error(db));
        return -1;
    }
    if (n > 0)
        log_info("notification_digest: %lld digest email(s) queued", (long long)n);
    return 0;
}

/* ranking_refresh: the ranking of bodies computed again from the current reviews and
 * engagements (api/rankings.c: ranking_refresh_run). Payload {}. Safe to run again: each run
 * replaces the whole result. */
static int job_ranking_refresh(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    if (!payload_empty(payload, err, errlen))
        return -1;
    return ranking_refresh_run(db, now_seconds(), err, errlen) ? 0 : -1;
}

/* effectiveness_refresh: every enterprise's effectiveness index computed again from the
 * current indicator values and certificates (api/effectiveness.c: effectiveness_refresh_run).
 * Payload {}. Queued by indicator writes (store/indicators.h) and certificate issues; safe to
 * run again: each run replaces every result. */
static int job_effectiveness_refresh(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    (void)a;
    if (!payload_empty(payload, err, errlen))
        return -1;
    return effectiveness_refresh_run(db, now_seconds(), err, errlen) ? 0 : -1;
}

/* The table of kinds. */
const job_kind_t api_job_kinds[] = {
    {.name = "certificate_expiry", .run = job_certificate_expiry},
    {.name = "purge", .run = job_purge},
    {.name = "certificate_reminders", .run = job_certificate_reminders},
    {.name = "email", .run = email_notification_job, .max_attempts = 8},
    {.name = "notification_digest", .run = job_notification_digest},
    {.name = "surveillance_reminders", .run = job_surveillance_reminders},
    {.name = "surveillance_overdue", .run = job_surveillance_overdue},
    {.name = "nonconformity_overdue", .run = job_nonconformity_overdue},
    {.name = RANKING_JOB_KIND, .run = job_ranking_refresh},
    {.name = EFFECTIVENESS_JOB_KIND, .run = job_effectiveness_refresh},
    {.name = INDICATOR_IMPORT_JOB_KIND, .run = indicator_import_job_run, .max_attempts = 3},
    /* issue 12, registry and review: re-check unreviewed policies with a new rule set */
    {.name = POLICY_RECHECK_JOB_KIND, .run = policy_recheck_job},
};
const int api_job_kinds_count = (int)(sizeof api_job_kinds / sizeof api_job_kinds[0]);

/* The table of schedules: interval (seconds), or at_minute (daily, minutes after midnight UTC). */
const job_schedule_t api_job_schedules[] = {
    {.name = "certificate_expiry", .kind = "certificate_expiry", .at_minute = 5},   /* daily at 00:05 UTC */
    {.name = "purge", .kind = "purge", .interval = 3600},                           /* hourly */
    {.name = "certificate_reminders", .kind = "certificate_reminders", .at_minute = 15},   /* daily at 00:15 UTC */
    {.name = "notification_digest", .kind = "notification_digest", .at_minute = 23 * 60 + 30},   /* daily at 23:30 UTC, 07:30 in Beijing */
    {.name = "surveillance_reminders", .kind = "surveillance_reminders", .at_minute = 20},   /* daily at 00:20 UTC */
    {.name = "surveillance_overdue", .kind = "surveillance_overdue", .at_minute = 25},       /* daily at 00:25 UTC */
    {.name = "nonconformity_overdue", .kind = "nonconformity_overdue", .at_minute = 35},   /* daily at 00:35 UTC */
    {.name = "ranking_refresh", .kind = RANKING_JOB_KIND, .interval = 3600},       /* hourly */
    /* issue 12: hourly, in case a new rule set was saved without queuing it (cheap when nothing is stale) */
    {.name = "policy_recheck", .kind = POLICY_RECHECK_JOB_KIND, .interval = 3600},
};
const int api_job_schedules_count = (int)(sizeof api_job_schedules / sizeof api_job_schedules[0]);

/* ---- the admin API ---- */

#define JOB_COLUMNS "j.id, j.kind, j.payload, j.state, j.attempts, j.max_attempts, j.run_at, j.locked_by, " \
                    "j.last_error, j.created_at, j.finished_at"

static void job_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    char run_at[21], created[21], finished[21];
    time_iso(stmt_int(st, 6), run_at);
    time_iso(stmt_int(st, 9), created);
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "kind", stmt_text(st, 1));
    jw_kstr(w, "payload", stmt_text(st, 2));
    jw_kstr(w, "state", stmt_text(st, 3));
    jw_kint(w, "attempts", stmt_int(st, 4));
    jw_kint(w, "max_attempts", stmt_int(st, 5));
    jw_kstr(w, "run_at", run_at);
    jw_kstr(w, "node", stmt_text(st, 7));
    jw_kstr(w, "last_error", stmt_text(st, 8));
    jw_kstr(w, "created_at", created);
    if (stmt_is_null(st, 10)) {
        jw_kstr(w, "finished_at", NULL);
    } else {
        time_iso(stmt_int(st, 10), finished);
        jw_kstr(w, "finished_at", finished);
    }
    jw_end(w);
}

/* Writes the rows of st as an array; false on a database error. */
static bool rows_write(call_t *c, stmt_t *st, jw_t *w)
{
    int rc = STORE_ERROR;
    jw_array(w);
    if (st != NULL)
        while ((rc = stmt_step(st)) == STORE_ROW)
            job_row(c, st, w);
    jw_end(w);
    stmt_done(st);
    return rc == STORE_DONE;
}

void api_jobs_list(call_t *c)
{
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *state = call_query(c, "state");
    const char *kind = call_query(c, "kind");
    if (call_answered(c))
        return;
    if (state != NULL && *state != '\0') {
        bool known = false;
        for (int i = 0; i < JOB_NSTATES; i++)
            known = known || strcmp(state, job_state_name((job_state_t)i)) == 0;
        if (!known) {
            call_error(c, "invalid_query", "state", "state");
            return;
        }
    }
    int64_t counts[JOB_NSTATES];
    if (!jobs_count(c->db, counts)) {
        call_db_error(c, "jobs count");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM jobs j WHERE TRUE");
    query_init(&list, "SELECT " JOB_COLUMNS " FROM jobs j WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (state != NULL && *state != '\0')
            query_and_text(both[i], "j.state = $?", state);
        if (kind != NULL && *kind != '\0')
            query_and_text(both[i], "j.kind = $?", kind);
    }
    query_sql(&list, " ORDER BY j.id DESC");
    const char *format = call_query(c, "format");
    if (format != NULL && *format != '\0') {
        /* as a file (exports.c): the jobs the filters select, without the counts and failures */
        answer_list(c, &count, &list, page, per_page, job_row, "jobs export");
        return;
    }
    query_page(&list, page, per_page);

    int64_t total = -1;
    stmt_t *st = query_run(c->db, &count);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        total = stmt_int(st, 0);
    stmt_done(st);
    query_free(&count);
    bool ok = total >= 0;
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "counts");
    jw_object(w);
    for (int i = 0; i < JOB_NSTATES; i++)
        jw_kint(w, job_state_name((job_state_t)i), counts[i]);
    jw_end(w);
    /* failures: dead jobs, and queued ones waiting for a retry after a failure */
    jw_key(w, "failures");
    ok = ok && rows_write(c, db_query(c->db,
        "SELECT " JOB_COLUMNS " FROM jobs j WHERE j.state = 'dead' OR (j.state = 'queued' AND j.last_error <> '') "
        "ORDER BY j.id DESC LIMIT 50", ""), w);
    jw_kint(w, "total", total);
    jw_kint(w, "page", page);
    jw_kint(w, "per_page", per_page);
    jw_key(w, "items");
    ok = ok && rows_write(c, query_run(c->db, &list), w);
    jw_end(w);
    query_free(&list);
    if (!ok)
        call_db_error(c, "jobs list");      /* replaces whatever was written */
}

void api_jobs_retry(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id <= 0)
        return;
    /* the retry and its audit entry commit together */
    int w = db_begin(c->db) == STORE_DONE ? job_retry(c->db, id, now_seconds()) : -1;
    if (w == 1) {
        audit_actor_t actor = call_actor(c);
        if (!audit_record_id(c->db, &actor, "job.retry", "job", id, "", "{\"state\":\"dead\"}",
                             "{\"state\":\"queued\",\"attempts\":0}"))
            w = -1;
    }
    w = db_finish(c->db, w);
    if (w == 0) {
        /* not dead, or no such job: which one decides the answer */
        stmt_t *st = db_query(c->db, "SELECT state FROM jobs WHERE id = $1", "I", id);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        if (rc == STORE_ROW)
            call_error(c, "job_not_dead", NULL, stmt_text(st, 0));
        else if (rc == STORE_DONE)
            call_error(c, "job_not_found", NULL);
        else
            call_db_error(c, "job lookup");
        stmt_done(st);
        return;
    }
    if (w < 0) {
        call_db_error(c, "job retry");
        return;
    }
    stmt_t *st = db_query(c->db, "SELECT " JOB_COLUMNS " FROM jobs j WHERE j.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "job re-read");
        return;
    }
    job_row(c, st, call_json_begin(c, 200));
    stmt_done(st);
}

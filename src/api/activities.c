/* Learning and exchange activities (issue 11, docs/learning.md "Activities"): regulators and
 * admins create, edit, publish and cancel them; the public reads the published ones (seats left,
 * waiting-list length) and their iCalendar file; a signed-in user registers (a seat while seats
 * remain, else a place on the waiting list), cancels (the first waitlisted then takes the seat,
 * in the same transaction, and is notified), and checks in with the organiser's code once.
 *
 * The capacity guard is activities.registered, changed only by conditional UPDATEs of the
 * activity's row inside the registration's transaction: that row is the lock (PostgreSQL), the
 * write transaction serialises (SQLite). Every write is audited (entity "activity"); a change of
 * time, place or link, and a cancellation, notify the registrants (report/notices.h). */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/markdown.h"
#include "report/ical.h"
#include "report/notices.h"
#include "store/audit.h"
#include "store/query.h"

enum {
    TITLE_MAX_CHARS = 200,
    DESCRIPTION_MAX_CHARS = 20000,
    PLACE_MAX_CHARS = 200,
    LINK_MAX_CHARS = 500,
    CAPACITY_MAX = 100000,
    CODE_MAX_CHARS = 32,
};

/* An activity as stored, with its waiting list's length. Strings in the call's arena. */
typedef struct activity_row {
    int64_t id, starts_at, ends_at, capacity, registered, waitlisted, created_at, updated_at;
    const char *title, *description, *mode, *place, *link, *status, *checkin_code;
} activity_row_t;

#define ACTIVITY_COLUMNS                                                                                     \
    "a.id, a.title, a.description, a.mode, a.starts_at, a.ends_at, a.place, a.link, a.capacity, a.registered, " \
    "(SELECT COUNT(*) FROM activity_registrations w WHERE w.activity_id = a.id AND w.status = 'waitlisted'), "  \
    "a.status, a.checkin_code, a.created_at, a.updated_at"

static void activity_read(stmt_t *st, arena_t *a, activity_row_t *r)
{
    r->id = stmt_int(st, 0);
    r->title = arena_strdup(a, stmt_text(st, 1));
    r->description = arena_strdup(a, stmt_text(st, 2));
    r->mode = arena_strdup(a, stmt_text(st, 3));
    r->starts_at = stmt_int(st, 4);
    r->ends_at = stmt_int(st, 5);
    r->place = arena_strdup(a, stmt_text(st, 6));
    r->link = arena_strdup(a, stmt_text(st, 7));
    r->capacity = stmt_int(st, 8);
    r->registered = stmt_int(st, 9);
    r->waitlisted = stmt_int(st, 10);
    r->status = arena_strdup(a, stmt_text(st, 11));
    r->checkin_code = arena_strdup(a, stmt_text(st, 12));
    r->created_at = stmt_int(st, 13);
    r->updated_at = stmt_int(st, 14);
}

static bool organiser(const call_t *c)
{
    return (c->user.role & (ROLE_ADMIN | ROLE_REGULATOR)) != 0;
}

static void time_key(jw_t *w, const char *key, int64_t t)
{
    char iso[21];
    time_iso(t, iso);
    jw_kstr(w, key, iso);
}

static void time_or_null(jw_t *w, const char *key, stmt_t *st, int col)
{
    if (stmt_is_null(st, col)) {
        jw_key(w, key);
        jw_null(w);
    } else {
        time_key(w, key, stmt_int(st, col));
    }
}

/* The members every form of an activity has (schema ActivitySummary). */
static void activity_summary_members(jw_t *w, const activity_row_t *r)
{
    jw_kint(w, "id", r->id);
    jw_kstr(w, "title", r->title);
    jw_kstr(w, "mode", r->mode);
    time_key(w, "starts_at", r->starts_at);
    time_key(w, "ends_at", r->ends_at);
    jw_kstr(w, "place", r->place);
    jw_kstr(w, "link", r->link);
    jw_kint(w, "capacity", r->capacity);
    jw_kint(w, "registered", r->registered);
    jw_kint(w, "seats_left", r->capacity > r->registered ? r->capacity - r->registered : 0);
    jw_kint(w, "waitlist_length", r->waitlisted);
    jw_kstr(w, "status", r->status);
}

static void activity_list_row(call_t *c, stmt_t *st, jw_t *w)
{
    activity_row_t r;
    activity_read(st, &c->arena, &r);
    jw_object(w);
    activity_summary_members(w, &r);
    jw_end(w);
}

/* Activity id into r: 1 found, 0 none, -1 error. */
static int activity_get(call_t *c, int64_t id, activity_row_t *r)
{
    stmt_t *st = db_query(c->db, "SELECT " ACTIVITY_COLUMNS " FROM activities a WHERE a.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        activity_read(st, &c->arena, r);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Activity {id} of the path when the caller may see it (drafts: organisers only); otherwise
 * answers 404 activity_not_found (or the database error) and returns false. */
static bool activity_load(call_t *c, activity_row_t *r)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = activity_get(c, id, r);
    if (rc < 0)
        call_db_error(c, "activity lookup");
    else if (rc == 0 || (strcmp(r->status, "draft") == 0 && !organiser(c)))
        call_error(c, "activity_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* The caller's registration for an activity (schema ActivityRegistration), or null. Its
 * position is its rank among the waitlisted (1 first), null unless waitlisted. */
static bool registration_members(call_t *c, jw_t *w, int64_t activity_id)
{
    stmt_t *st = db_query(c->db,
                          "SELECT r.status, r.created_at, r.checked_in_at, CASE WHEN r.status = 'waitlisted' THEN "
                          "(SELECT COUNT(*) FROM activity_registrations o WHERE o.activity_id = r.activity_id AND "
                          "o.status = 'waitlisted' AND o.waitlist_position <= r.waitlist_position) ELSE 0 END "
                          "FROM activity_registrations r WHERE r.activity_id = $1 AND r.user_id = $2",
                          "II", activity_id, c->user.id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        jw_object(w);
        jw_kint(w, "activity_id", activity_id);
        jw_kstr(w, "status", stmt_text(st, 0));
        jw_key(w, "position");
        if (strcmp(stmt_text(st, 0), "waitlisted") == 0)
            jw_int(w, stmt_int(st, 3));
        else
            jw_null(w);
        time_key(w, "registered_at", stmt_int(st, 1));
        time_or_null(w, "checked_in_at", st, 2);
        jw_end(w);
    } else {
        jw_null(w);
    }
    stmt_done(st);
    return rc != STORE_ERROR;
}

/* The full activity (schema Activity): with its description as HTML, the caller's
 * registration, and the check-in code for organisers only. */
static void answer_activity(call_t *c, int status, const activity_row_t *r)
{
    char *html = markdown_html(&c->arena, r->description, strlen(r->description));
    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    activity_summary_members(w, r);
    jw_kstr(w, "description", r->description);
    jw_kstr(w, "html", html != NULL ? html : "");
    jw_key(w, "checkin_code");
    if (organiser(c))
        jw_str(w, r->checkin_code);
    else
        jw_null(w);
    time_key(w, "created_at", r->created_at);
    time_key(w, "updated_at", r->updated_at);
    jw_key(w, "mine");
    bool ok = true;
    if (c->user.id != 0)
        ok = registration_members(c, w, r->id);
    else
        jw_null(w);
    jw_end(w);
    if (!ok)
        call_db_error(c, "activity registration");
}

static void answer_activity_id(call_t *c, int status, int64_t id)
{
    activity_row_t r;
    if (activity_get(c, id, &r) != 1) {
        call_db_error(c, "activity re-read");
        return;
    }
    answer_activity(c, status, &r);
}

/* "2026-12-10T09:30:00Z" (seconds, fraction and Z optional; always UTC) as Unix seconds; 0
 * when it is not such a time. */
static int64_t parse_time(const char *s)
{
    if (s == NULL || strlen(s) < 16 || s[10] != 'T')
        return 0;
    char date[DATE_LEN + 1];
    memcpy(date, s, DATE_LEN);
    date[DATE_LEN] = '\0';
    int64_t day = date_to_unix(date);
    int h = 0, m = 0, sec = 0, used = 0;
    const char *p = s + 11;
    if (day == 0 && strcmp(date, "1970-01-01") != 0)
        return 0;
    if (sscanf(p, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5)
        return 0;
    p += used;
    if (*p == ':') {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
            return 0;
        sec = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
    }
    if (*p == 'Z')
        p++;
    if (*p != '\0' || h > 23 || m > 59 || sec > 59)
        return 0;
    return day + h * 3600 + m * 60 + sec;
}

/* A time field: false after answering 400 invalid_time. */
static bool body_time(call_t *c, const char *field, unsigned flags, int64_t *out)
{
    const char *text = NULL;
    if (!body_string(c, field, flags, 1, 40, &text) || text == NULL)
        return false;
    int64_t t = parse_time(text);
    if (t <= 0) {
        call_error(c, "invalid_time", field);
        return false;
    }
    *out = t;
    return true;
}

/* The fields of an activity as the organiser's form gives them. */
typedef struct activity_input {
    const char *title, *description, *mode, *place, *link;
    int64_t starts_at, ends_at, capacity;
} activity_input_t;

static const char *const activity_fields[] = {"title", "description", "mode", "starts_at", "ends_at",
                                              "place", "link", "capacity", NULL};

/* Reads the form over in (which holds the stored values for an edit), then checks the whole:
 * online needs a link (http or https), on site a place, the end after the start. */
static bool read_activity(call_t *c, unsigned flags, activity_input_t *in)
{
    body_only(c, activity_fields);
    body_string(c, "title", flags, 1, TITLE_MAX_CHARS, &in->title);
    body_string(c, "description", 0, 0, DESCRIPTION_MAX_CHARS, &in->description);
    if (body_string(c, "mode", flags, 1, 10, &in->mode) && strcmp(in->mode, "online") != 0 &&
        strcmp(in->mode, "onsite") != 0)
        call_error(c, "invalid_activity_mode", "mode");
    body_time(c, "starts_at", flags, &in->starts_at);
    body_time(c, "ends_at", flags, &in->ends_at);
    body_string(c, "place", 0, 0, PLACE_MAX_CHARS, &in->place);
    if (body_string(c, "link", 0, 0, LINK_MAX_CHARS, &in->link) && in->link[0] &&
        strncmp(in->link, "https://", 8) != 0 && strncmp(in->link, "http://", 7) != 0)
        call_error(c, "invalid_link", "link");
    body_int(c, "capacity", flags, 1, CAPACITY_MAX, &in->capacity);
    if (call_answered(c))
        return false;
    if (in->starts_at > 0 && in->ends_at <= in->starts_at)
        call_error(c, "activity_ends_before_start", "ends_at");
    else if (strcmp(in->mode, "online") == 0 && in->link[0] == '\0')
        call_error(c, "activity_link_required", "link");
    else if (strcmp(in->mode, "onsite") == 0 && in->place[0] == '\0')
        call_error(c, "activity_place_required", "place");
    return !call_answered(c);
}

/* ---- GET /api/activities ---- */

void api_activities_list(call_t *c)
{
    int page = 1, per_page = 20;
    int64_t upcoming = 0;
    const char *status = call_query(c, "status");
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "upcoming", 0, 1, &upcoming) || call_answered(c))
        return;
    if (status != NULL && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0 &&
        strcmp(status, "cancelled") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM activities a WHERE TRUE");
    query_init(&list, "SELECT " ACTIVITY_COLUMNS " FROM activities a WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        if (!organiser(c))     /* the public and learners: no drafts */
            query_sql(both[i], " AND a.status <> 'draft'");
        if (status != NULL)
            query_and_text(both[i], "a.status = $?", status);
        if (upcoming)
            query_and_int(both[i], "a.ends_at >= $?", now_seconds());
    }
    query_sql(&list, upcoming ? " ORDER BY a.starts_at, a.id" : " ORDER BY a.starts_at DESC, a.id DESC");
    answer_list(c, &count, &list, page, per_page, activity_list_row, "activities");
}

/* ---- GET /api/activities/{id} ---- */

void api_activities_show(call_t *c)
{
    activity_row_t r;
    if (activity_load(c, &r))
        answer_activity(c, 200, &r);
}

/* The audit's after (or before) side of a form's values. */
static void diff_input(audit_diff_t *d, const activity_input_t *was, const activity_input_t *now)
{
    audit_diff_str(d, "title", was ? was->title : NULL, now->title);
    audit_diff_str(d, "description", was ? was->description : NULL, now->description);
    audit_diff_str(d, "mode", was ? was->mode : NULL, now->mode);
    audit_diff_int(d, "starts_at", was ? &was->starts_at : NULL, &now->starts_at);
    audit_diff_int(d, "ends_at", was ? &was->ends_at : NULL, &now->ends_at);
    audit_diff_str(d, "place", was ? was->place : NULL, now->place);
    audit_diff_str(d, "link", was ? was->link : NULL, now->link);
    audit_diff_int(d, "capacity", was ? &was->capacity : NULL, &now->capacity);
}

/* ---- POST /api/activities ---- */

void api_activities_create(call_t *c)
{
    activity_input_t in = {.description = "", .place = "", .link = "", .mode = ""};
    if (!read_activity(c, FIELD_REQUIRED, &in))
        return;
    char code[8];
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    audit_diff_t d;
    audit_diff_init(&d);
    diff_input(&d, NULL, &in);
    if (db_begin(c->db) == STORE_DONE) {
        stmt_t *st = db_query(c->db,
                              "INSERT INTO activities (title, description, mode, starts_at, ends_at, place, link, "
                              "capacity, checkin_code, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, "
                              "$5, $6, $7, $8, $9, NULLIF($10, 0), $11, $11) RETURNING id",
                              "tttIIttItII", in.title, in.description, in.mode, in.starts_at, in.ends_at, in.place,
                              in.link, in.capacity, code, audit_actor_user(&actor), now);
        id = st ? stmt_insert_id(st) : -1;
        bool ok = id > 0 && audit_record_id(c->db, &actor, "activity.create", "activity", id, "", NULL,
                                            audit_diff_after(&d));
        db_finish(c->db, ok ? 1 : -1);
        if (!ok)
            id = -1;
    }
    audit_diff_free(&d);
    if (!call_write_done(c, id > 0 ? 1 : -1, "activity insert"))
        return;
    answer_activity_id(c, 201, id);
}

/* Moves up to n of the waiting list (first joined first) to seats, each notified: the number
 * moved, or -1. The caller holds the activity's row and keeps activities.registered. */
static int64_t promote(call_t *c, const audit_actor_t *actor, int64_t activity_id, int64_t n, int64_t now)
{
    int64_t moved = 0;
    for (; moved < n; moved++) {
        stmt_t *st = db_query(c->db,
                              "UPDATE activity_registrations SET status = 'registered', updated_at = $2 WHERE id = "
                              "(SELECT id FROM activity_registrations WHERE activity_id = $1 AND status = "
                              "'waitlisted' ORDER BY waitlist_position, id LIMIT 1) RETURNING user_id",
                              "II", activity_id, now);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        int64_t user_id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
        stmt_done(st);
        if (rc == STORE_ERROR)
            return -1;
        if (rc != STORE_ROW)
            break;
        char after[64];
        snprintf(after, sizeof after, "{\"user_id\":%lld,\"status\":\"registered\"}", (long long)user_id);
        if (!audit_record_id(c->db, actor, "activity.promote", "activity", activity_id, "", NULL, after) ||
            notice_activity(c->db, activity_id, "promoted", user_id) < 0)
            return -1;
    }
    return moved;
}

/* PostgreSQL: takes the activity's row for the transaction (SQLite's write transaction already
 * serialises writers). */
static bool activity_lock(call_t *c, int64_t id)
{
    if (store_kind(db_store(c->db)) != STORE_POSTGRES)
        return true;
    return db_run(c->db, "SELECT id FROM activities WHERE id = $1 FOR UPDATE", "I", id) >= 0;
}

/* ---- PATCH /api/activities/{id} ---- */

void api_activities_update(call_t *c)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    activity_input_t was = {.title = r.title, .description = r.description, .mode = r.mode, .place = r.place,
                            .link = r.link, .starts_at = r.starts_at, .ends_at = r.ends_at, .capacity = r.capacity};
    activity_input_t in = was;
    if (!read_activity(c, FIELD_OPTIONAL, &in))
        return;
    if (strcmp(r.status, "cancelled") == 0) {
        call_error(c, "activity_cancelled", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    audit_diff_t d;
    audit_diff_init(&d);
    diff_input(&d, &was, &in);
    bool moved_or_relocated = in.starts_at != was.starts_at || in.ends_at != was.ends_at ||
                              strcmp(in.place, was.place) != 0 || strcmp(in.link, was.link) != 0;
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        /* the guards: not cancelled meanwhile, and no fewer seats than are taken */
        rc = (int)db_run(c->db,
                         "UPDATE activities SET title = $2, description = $3, mode = $4, starts_at = $5, ends_at "
                         "= $6, place = $7, link = $8, capacity = $9, updated_at = $10 WHERE id = $1 AND status <> "
                         "'cancelled' AND registered <= $9",
                         "ItttIIttII", r.id, in.title, in.description, in.mode, in.starts_at, in.ends_at, in.place,
                         in.link, in.capacity, now);
        if (rc == 0) {
            db_rollback(c->db);
            audit_diff_free(&d);
            activity_row_t now_row;
            if (activity_get(c, r.id, &now_row) == 1 && strcmp(now_row.status, "cancelled") == 0)
                call_error(c, "activity_cancelled", NULL);
            else
                call_error(c, "capacity_below_registered", "capacity");
            return;
        }
        if (rc == 1 && !audit_record_id(c->db, &actor, "activity.edit", "activity", r.id, "", audit_diff_before(&d),
                                        audit_diff_after(&d)))
            rc = -1;
        int64_t free_seats = 0;
        if (rc == 1 && in.capacity > was.capacity) {     /* new seats go to the waiting list first */
            /* the seats free now (the row is this transaction's since the UPDATE) */
            stmt_t *st = db_query(c->db, "SELECT capacity - registered FROM activities WHERE id = $1", "I", r.id);
            if (st != NULL && stmt_step(st) == STORE_ROW)
                free_seats = stmt_int(st, 0);
            else
                rc = -1;
            stmt_done(st);
        }
        if (rc == 1 && free_seats > 0) {
            int64_t moved = promote(c, &actor, r.id, free_seats, now);
            if (moved < 0 ||
                (moved > 0 && db_run(c->db, "UPDATE activities SET registered = registered + $2 WHERE id = $1",
                                     "II", r.id, moved) != 1))
                rc = -1;
        }
        if (rc == 1 && moved_or_relocated && strcmp(r.status, "published") == 0 &&
            notice_activity(c->db, r.id, "changed", 0) < 0)
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    audit_diff_free(&d);
    if (!call_write_done(c, rc, "activity edit"))
        return;
    answer_activity_id(c, 200, r.id);
}

/* publish and cancel: one status change guarded by the status it comes from. */
static void change_status(call_t *c, const char *to, const char *from_sql, const char *refused)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE activities SET status = $2, updated_at = $3 WHERE id = $1 AND status IN (%s)",
             from_sql);
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db, sql, "ItI", r.id, to, now);
        char before[64], after[64];
        snprintf(before, sizeof before, "{\"status\":\"%s\"}", r.status);
        snprintf(after, sizeof after, "{\"status\":\"%s\"}", to);
        char action[40];
        snprintf(action, sizeof action, "activity.%s", strcmp(to, "published") == 0 ? "publish" : "cancel");
        if (rc == 1 && !audit_record_id(c->db, &actor, action, "activity", r.id, "", before, after))
            rc = -1;
        if (rc == 1 && strcmp(to, "cancelled") == 0 && notice_activity(c->db, r.id, "cancelled", 0) < 0)
            rc = -1;
        if (rc == 0) {
            db_rollback(c->db);
            call_error(c, refused, NULL);
            return;
        }
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "activity status"))
        return;
    answer_activity_id(c, 200, r.id);
}

void api_activities_publish(call_t *c)
{
    change_status(c, "published", "'draft'", "activity_not_draft");
}

void api_activities_cancel(call_t *c)
{
    change_status(c, "cancelled", "'draft', 'published'", "activity_cancelled");
}

/* ---- POST /api/activities/{id}/registrations ---- */

void api_activity_register(call_t *c)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    if (c->user.id == 0) {     /* an API token is no person */
        call_error(c, "forbidden", NULL);
        return;
    }
    int64_t now = now_seconds();
    if (strcmp(r.status, "published") != 0 || r.ends_at < now) {
        call_error(c, "activity_not_open", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    const char *status = "registered";
    if (db_begin(c->db) == STORE_DONE) {
        /* a seat while seats remain (the row's UPDATE is the guard and the lock) */
        int64_t seat = db_run(c->db,
                              "UPDATE activities SET registered = registered + 1 WHERE id = $1 AND status = "
                              "'published' AND registered < capacity",
                              "I", r.id);
        int64_t position = 0;
        if (seat == 0) {     /* else the next place in the waiting order */
            status = "waitlisted";
            stmt_t *st = db_query(c->db,
                                  "UPDATE activities SET waitlist_seq = waitlist_seq + 1 WHERE id = $1 AND status = "
                                  "'published' RETURNING waitlist_seq",
                                  "I", r.id);
            int step = st ? stmt_step(st) : STORE_ERROR;
            position = step == STORE_ROW ? stmt_int(st, 0) : 0;
            stmt_done(st);
            seat = step == STORE_ROW ? 1 : step == STORE_DONE ? 0 : -1;
        }
        if (seat == 0) {
            db_rollback(c->db);
            call_error(c, "activity_not_open", NULL);
            return;
        }
        rc = seat == 1 ? 1 : -1;
        if (rc == 1) {
            /* one registration per user: a cancelled one is taken up again, a live one refuses */
            stmt_t *st = db_query(c->db,
                                  "INSERT INTO activity_registrations (activity_id, user_id, status, "
                                  "waitlist_position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON "
                                  "CONFLICT (activity_id, user_id) DO UPDATE SET status = excluded.status, "
                                  "waitlist_position = excluded.waitlist_position, created_at = excluded.created_at, "
                                  "updated_at = excluded.updated_at, checked_in_at = NULL WHERE "
                                  "activity_registrations.status = 'cancelled' RETURNING id",
                                  "IItII", r.id, c->user.id, status, position, now);
            int step = st ? stmt_step(st) : STORE_ERROR;
            stmt_done(st);
            if (step == STORE_DONE) {
                db_rollback(c->db);
                call_error(c, "already_registered", NULL);
                return;
            }
            rc = step == STORE_ROW ? 1 : -1;
        }
        char after[80];
        snprintf(after, sizeof after, "{\"user_id\":%lld,\"status\":\"%s\"}", (long long)c->user.id, status);
        if (rc == 1 && !audit_record_id(c->db, &actor, "activity.register", "activity", r.id, "", NULL, after))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "activity registration"))
        return;
    jw_t *w = call_json_begin(c, 201);
    if (!registration_members(c, w, r.id))
        call_db_error(c, "activity registration re-read");
}

/* ---- DELETE /api/activities/{id}/registrations/mine ---- */

void api_activity_unregister(call_t *c)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    bool begun = db_begin(c->db) == STORE_DONE;
    if (begun && !activity_lock(c, r.id)) {
        db_finish(c->db, -1);
        begun = false;
    }
    if (begun) {
        stmt_t *st = db_query(c->db,
                              "SELECT r.status, a.status FROM activity_registrations r JOIN activities a ON a.id = "
                              "r.activity_id WHERE r.activity_id = $1 AND r.user_id = $2",
                              "II", r.id, c->user.id);
        int step = st ? stmt_step(st) : STORE_ERROR;
        const char *was = step == STORE_ROW ? arena_strdup(&c->arena, stmt_text(st, 0)) : "";
        bool published = step == STORE_ROW && strcmp(stmt_text(st, 1), "published") == 0;
        stmt_done(st);
        if (step == STORE_DONE || strcmp(was, "cancelled") == 0) {
            db_rollback(c->db);
            call_error(c, "registration_not_found", NULL);
            return;
        }
        rc = step == STORE_ROW ? (int)db_run(c->db,
                                             "UPDATE activity_registrations SET status = 'cancelled', updated_at = "
                                             "$3 WHERE activity_id = $1 AND user_id = $2 AND status = $4",
                                             "IIIt", r.id, c->user.id, now, was)
                               : -1;
        if (rc == 1 && strcmp(was, "registered") == 0) {
            /* the seat goes to the first waitlisted, or back to the pool */
            int64_t moved = published ? promote(c, &actor, r.id, 1, now) : 0;
            if (moved < 0 ||
                (moved == 0 && db_run(c->db, "UPDATE activities SET registered = registered - 1 WHERE id = $1 AND "
                                             "registered > 0", "I", r.id) != 1))
                rc = -1;
        }
        char before[80];
        snprintf(before, sizeof before, "{\"user_id\":%lld,\"status\":\"%s\"}", (long long)c->user.id, was);
        if (rc == 1 && !audit_record_id(c->db, &actor, "activity.unregister", "activity", r.id, "", before,
                                        "{\"status\":\"cancelled\"}"))
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "activity unregistration"))
        return;
    jw_t *w = call_json_begin(c, 200);
    if (!registration_members(c, w, r.id))
        call_db_error(c, "activity registration re-read");
}

/* ---- POST /api/activities/{id}/check-in ---- */

void api_activity_check_in(call_t *c)
{
    static const char *const fields[] = {"code", NULL};
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    const char *code = NULL;
    body_only(c, fields);
    body_string(c, "code", FIELD_REQUIRED, 1, CODE_MAX_CHARS, &code);
    if (call_answered(c))
        return;
    if (strcmp(r.status, "published") != 0) {
        call_error(c, "activity_not_open", NULL);
        return;
    }
    if (strcmp(code, r.checkin_code) != 0) {
        call_error(c, "invalid_checkin_code", "code");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE activity_registrations SET checked_in_at = $3, updated_at = $3 WHERE activity_id = "
                         "$1 AND user_id = $2 AND status = 'registered' AND checked_in_at IS NULL",
                         "III", r.id, c->user.id, now);
        char after[64];
        snprintf(after, sizeof after, "{\"user_id\":%lld,\"checked_in\":true}", (long long)c->user.id);
        if (rc == 1 && !audit_record_id(c->db, &actor, "activity.check_in", "activity", r.id, "", NULL, after))
            rc = -1;
        if (rc == 0) {
            db_rollback(c->db);
            int64_t done = 0;
            stmt_t *st = db_query(c->db,
                                  "SELECT COUNT(*) FROM activity_registrations WHERE activity_id = $1 AND user_id = "
                                  "$2 AND status = 'registered' AND checked_in_at IS NOT NULL",
                                  "II", r.id, c->user.id);
            if (st != NULL && stmt_step(st) == STORE_ROW)
                done = stmt_int(st, 0);
            stmt_done(st);
            call_error(c, done > 0 ? "already_checked_in" : "not_registered", NULL);
            return;
        }
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "activity check-in"))
        return;
    jw_t *w = call_json_begin(c, 200);
    if (!registration_members(c, w, r.id))
        call_db_error(c, "activity registration re-read");
}

/* ---- GET /api/activities/{id}/registrations (organisers; attendance with checked_in=1) ---- */

static void registration_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_key(w, "user");
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 1));
    jw_kstr(w, "login", stmt_text(st, 2));
    jw_kstr(w, "name", stmt_text(st, 3));
    jw_end(w);
    jw_kstr(w, "status", stmt_text(st, 4));
    jw_key(w, "position");
    if (strcmp(stmt_text(st, 4), "waitlisted") == 0)
        jw_int(w, stmt_int(st, 5));
    else
        jw_null(w);
    time_key(w, "registered_at", stmt_int(st, 6));
    time_or_null(w, "checked_in_at", st, 7);
    jw_end(w);
}

void api_activity_registrations(call_t *c)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    int page = 1, per_page = 20;
    int64_t checked_in = -1;
    const char *status = call_query(c, "status");
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "checked_in", 0, 1, &checked_in) || call_answered(c))
        return;
    if (status != NULL && strcmp(status, "registered") != 0 && strcmp(status, "waitlisted") != 0 &&
        strcmp(status, "cancelled") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM activity_registrations r WHERE TRUE");
    /* position: the rank on the waiting list (1 first) */
    query_init(&list, "SELECT r.id, u.id, u.login, u.name, r.status, (SELECT COUNT(*) FROM activity_registrations o "
                      "WHERE o.activity_id = r.activity_id AND o.status = 'waitlisted' AND o.waitlist_position <= "
                      "r.waitlist_position), r.created_at, r.checked_in_at FROM activity_registrations r JOIN users "
                      "u ON u.id = r.user_id WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_and_int(both[i], "r.activity_id = $?", r.id);
        if (status != NULL)
            query_and_text(both[i], "r.status = $?", status);
        if (checked_in == 1)
            query_sql(both[i], " AND r.checked_in_at IS NOT NULL");
        else if (checked_in == 0)
            query_sql(both[i], " AND r.checked_in_at IS NULL");
    }
    query_sql(&list, " ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, "
                     "r.waitlist_position, r.created_at, r.id");
    answer_list(c, &count, &list, page, per_page, registration_row, "activity registrations");
}

/* ---- GET /api/activities/{id}/ics ---- */

void api_activity_ics(call_t *c)
{
    activity_row_t r;
    if (!activity_load(c, &r))
        return;
    char uid[64];
    snprintf(uid, sizeof uid, "activity-%lld@guanbiao", (long long)r.id);
    ical_event_t e = {.uid = uid, .stamp = now_seconds(), .starts_at = r.starts_at, .ends_at = r.ends_at,
                      .summary = r.title, .description = r.description, .location = r.place, .url = r.link,
                      .cancelled = strcmp(r.status, "cancelled") == 0};
    buf_reset(&c->out);
    ical_write_event(&c->out, &e);
    char name[64];
    snprintf(name, sizeof name, "activity-%lld.ics", (long long)r.id);
    call_download(c, "text/calendar; charset=utf-8", true, name);
}

/* Complaints about a certification body under an engagement (issue 8, docs/marketplace.md
 * "Feedback and complaints"): an enterprise files one for its own active or decided engagement
 * (alone, or with its review: api_feedback_create), the regulators of the enterprise's region
 * take it through received → under_review → upheld | dismissed (each step guarded by the
 * status it leaves, recorded in complaint_events with its note); both sides are notified of
 * every step (report/notices.h) and every write is audited (entity "complaint"). The body reads
 * the complaints about itself: the record carries no contact data of the enterprise. */
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "store/audit.h"

enum { COMPLAINT_MAX_CHARS = 2000 };

#define COMPLAINT_COLUMNS                                                                                   \
    "k.id, k.engagement_id, k.feedback_id, k.enterprise_id, e.name, k.body_id, b.name, k.text, k.status, " \
    "k.resolution, k.created_at, k.updated_at, e.region"
#define COMPLAINT_FROM \
    "complaints k JOIN bodies b ON b.id = k.body_id JOIN enterprises e ON e.id = k.enterprise_id"

int64_t complaint_insert(call_t *c, const audit_actor_t *actor, int64_t engagement_id, int64_t feedback_id,
                         int64_t enterprise_id, int64_t body_id, const char *region, const char *text)
{
    int64_t now = now_seconds();
    stmt_t *st = db_query(c->db,
                          "INSERT INTO complaints (engagement_id, feedback_id, enterprise_id, body_id, text, "
                          "created_by, created_at, updated_at) VALUES ($1, COALESCE(NULLIF($2, 0), (SELECT f.id "
                          "FROM feedback f WHERE f.engagement_id = $1)), $3, $4, $5, NULLIF($6, 0), $7, $8) "
                          "RETURNING id",
                          "IIIItIII", engagement_id, feedback_id, enterprise_id, body_id, text,
                          audit_actor_user(actor), now, now);
    int64_t id = st ? stmt_insert_id(st) : -1;
    if (id <= 0)
        return -1;
    audit_diff_t d;
    audit_diff_init(&d);
    const char *engagement = arena_printf(&c->arena, "%lld", (long long)engagement_id);
    audit_diff_str(&d, "engagement_id", NULL, engagement);
    audit_diff_str(&d, "text", NULL, text);
    audit_diff_str(&d, "status", NULL, "received");
    bool ok = db_run(c->db,
                     "INSERT INTO complaint_events (complaint_id, from_status, to_status, user_id, at) VALUES ($1, "
                     "'', 'received', NULLIF($2, 0), $3)",
                     "III", id, audit_actor_user(actor), now) == 1 &&
              audit_record_id(c->db, actor, "complaint.create", "complaint", id, region, NULL, audit_diff_after(&d)) &&
              notice_complaint(c->db, id, "received") >= 0;
    audit_diff_free(&d);
    return ok ? id : -1;
}

typedef struct complaint_row {
    int64_t id, engagement_id, feedback_id, enterprise_id, body_id, created_at, updated_at;
    const char *enterprise_name, *body_name, *text, *status, *resolution, *region;
} complaint_row_t;

static void complaint_read(stmt_t *st, arena_t *a, complaint_row_t *k)
{
    k->id = stmt_int(st, 0);
    k->engagement_id = stmt_int(st, 1);
    k->feedback_id = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
    k->enterprise_id = stmt_int(st, 3);
    k->enterprise_name = arena_strdup(a, stmt_text(st, 4));
    k->body_id = stmt_int(st, 5);
    k->body_name = arena_strdup(a, stmt_text(st, 6));
    k->text = arena_strdup(a, stmt_text(st, 7));
    k->status = arena_strdup(a, stmt_text(st, 8));
    k->resolution = arena_strdup(a, stmt_text(st, 9));
    k->created_at = stmt_int(st, 10);
    k->updated_at = stmt_int(st, 11);
    k->region = arena_strdup(a, stmt_text(st, 12));
}

/* The complaint (schema Complaint) without its closing brace when open_end, so that the
 * detail can add its events. */
static void complaint_write(jw_t *w, const complaint_row_t *k, bool open_end)
{
    char created[21], updated[21];
    time_iso(k->created_at, created);
    time_iso(k->updated_at, updated);
    jw_object(w);
    jw_kint(w, "id", k->id);
    jw_kint(w, "engagement_id", k->engagement_id);
    jw_kid(w, "feedback_id", k->feedback_id);
    jw_key(w, "enterprise");
    jw_object(w);
    jw_kint(w, "id", k->enterprise_id);
    jw_kstr(w, "name", k->enterprise_name);
    jw_end(w);
    jw_key(w, "body");
    jw_object(w);
    jw_kint(w, "id", k->body_id);
    jw_kstr(w, "name", k->body_name);
    jw_end(w);
    jw_kstr(w, "text", k->text);
    jw_kstr(w, "status", k->status);
    jw_kstr(w, "resolution", k->resolution);
    jw_kstr(w, "created_at", created);
    jw_kstr(w, "updated_at", updated);
    if (!open_end)
        jw_end(w);
}

static void complaint_row(call_t *c, stmt_t *st, jw_t *w)
{
    complaint_row_t k;
    complaint_read(st, &c->arena, &k);
    complaint_write(w, &k, false);
}

static int complaint_get(call_t *c, int64_t id, complaint_row_t *k)
{
    stmt_t *st = db_query(c->db, "SELECT " COMPLAINT_COLUMNS " FROM " COMPLAINT_FROM " WHERE k.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        complaint_read(st, &c->arena, k);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* Complaint {id} of the path within the caller's reach (domain/scope.h), else 404. */
static bool complaint_load_in_scope(call_t *c, complaint_row_t *k)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = complaint_get(c, id, k);
    if (rc < 0)
        call_db_error(c, "complaint lookup");
    else if (rc == 0 || !scope_allows(&c->user, k->enterprise_id, k->body_id, k->region))
        call_error(c, "complaint_not_found", NULL);
    return rc == 1 && !call_answered(c);
}

/* Answers complaint id with its steps, oldest first. */
static void answer_complaint(call_t *c, int status, int64_t id)
{
    complaint_row_t k;
    if (complaint_get(c, id, &k) != 1) {
        call_db_error(c, "complaint re-read");
        return;
    }
    stmt_t *st = db_query(c->db,
                          "SELECT ev.from_status, ev.to_status, ev.note, ev.at, COALESCE(u.name, '') FROM "
                          "complaint_events ev LEFT JOIN users u ON u.id = ev.user_id WHERE ev.complaint_id = $1 "
                          "ORDER BY ev.at, ev.id",
                          "I", id);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, status);
        complaint_write(w, &k, true);
        jw_key(w, "events");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            char at[21];
            time_iso(stmt_int(st, 3), at);
            jw_object(w);
            jw_kstr(w, "from_status", stmt_text(st, 0));
            jw_kstr(w, "to_status", stmt_text(st, 1));
            jw_kstr(w, "note", stmt_text(st, 2));
            jw_kstr(w, "at", at);
            jw_kstr(w, "by", stmt_text(st, 4));
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE)
        call_db_error(c, "complaint events");
}

void api_complaints_create(call_t *c)
{
    static const char *const fields[] = {"engagement_id", "text", NULL};
    int64_t engagement_id = 0;
    const char *text = NULL;
    body_only(c, fields);
    body_int(c, "engagement_id", FIELD_REQUIRED, 1, INT64_MAX, &engagement_id);
    body_string(c, "text", FIELD_REQUIRED, 1, COMPLAINT_MAX_CHARS, &text);
    if (call_answered(c))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT e.enterprise_id, e.body_id, e.status, en.region FROM engagements e JOIN "
                          "enterprises en ON en.id = e.enterprise_id WHERE e.id = $1",
                          "I", engagement_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t enterprise_id = 0, body_id = 0;
    bool open = false;
    const char *region = "";
    if (rc == STORE_ROW) {
        enterprise_id = stmt_int(st, 0);
        body_id = stmt_int(st, 1);
        open = strcmp(stmt_text(st, 2), "decided") == 0 || strcmp(stmt_text(st, 2), "active") == 0;
        region = arena_strdup(&c->arena, stmt_text(st, 3));
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "engagement lookup");
        return;
    }
    if (rc != STORE_ROW || enterprise_id != c->user.enterprise_id || !open) {
        call_error(c, "engagement_required", "engagement_id");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t id = -1;
    if (db_begin(c->db) == STORE_DONE)
        id = complaint_insert(c, &actor, engagement_id, 0, enterprise_id, body_id, region, text);
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "complaint insert"))
        return;
    answer_complaint(c, 201, id);
}

void api_complaints_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "k.enterprise_id", .body = "k.body_id", .region = "e.region"};
    int page, per_page;
    int64_t body_id = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "body_id", 1, INT64_MAX, &body_id))
        return;
    const char *status = call_query(c, "status");
    if (call_answered(c))
        return;
    if (status != NULL && *status != '\0' && strcmp(status, "received") != 0 && strcmp(status, "under_review") != 0 &&
        strcmp(status, "upheld") != 0 && strcmp(status, "dismissed") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM " COMPLAINT_FROM " WHERE TRUE");
    query_init(&list, "SELECT " COMPLAINT_COLUMNS " FROM " COMPLAINT_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "k.status = $?", status);
        if (body_id > 0)
            query_and_int(both[i], "k.body_id = $?", body_id);
    }
    query_sql(&list, " ORDER BY k.created_at DESC, k.id DESC");
    answer_list(c, &count, &list, page, per_page, complaint_row, "complaint list");
}

void api_complaints_show(call_t *c)
{
    complaint_row_t k;
    if (complaint_load_in_scope(c, &k))
        answer_complaint(c, 200, k.id);
}

void api_complaints_status(call_t *c)
{
    static const char *const fields[] = {"status", "note", NULL};
    complaint_row_t k;
    if (!complaint_load_in_scope(c, &k))
        return;
    const char *to = NULL, *note = "";
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &to);
    body_string(c, "note", 0, 0, COMPLAINT_MAX_CHARS, &note);
    bool closing = to != NULL && (strcmp(to, "upheld") == 0 || strcmp(to, "dismissed") == 0);
    if (to != NULL && !closing && strcmp(to, "under_review") != 0)
        call_invalid(c, "status", "应为 under_review、upheld 或 dismissed", "under_review, upheld or dismissed");
    else if (closing && *note == '\0')
        call_error(c, "missing_field", "note", "note");
    if (call_answered(c))
        return;
    /* received → under_review → upheld | dismissed */
    const char *from = closing ? "under_review" : "received";
    if (strcmp(k.status, from) != 0) {
        call_error(c, "complaint_transition", "status", k.status, to);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    const char *resolution = closing ? note : k.resolution;
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = (int)db_run(c->db,
                         "UPDATE complaints SET status = $2, resolution = $3, updated_at = $4 WHERE id = $1 AND "
                         "status = $5",
                         "IttIt", k.id, to, resolution, now, from);
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "status", k.status, to);
        audit_diff_str(&d, "resolution", k.resolution, closing ? note : NULL);
        if (rc == 1 &&
            (db_run(c->db,
                    "INSERT INTO complaint_events (complaint_id, from_status, to_status, note, user_id, at) VALUES "
                    "($1, $2, $3, $4, NULLIF($5, 0), $6)",
                    "ItttII", k.id, from, to, note, audit_actor_user(&actor), now) != 1 ||
             !audit_record_id(c->db, &actor, "complaint.status", "complaint", k.id, k.region, audit_diff_before(&d),
                              audit_diff_after(&d)) ||
             notice_complaint(c->db, k.id, to) < 0))
            rc = -1;
        audit_diff_free(&d);
        rc = db_finish(c->db, rc);
    }
    if (!call_write_done(c, rc, "complaint status"))
        return;
    answer_complaint(c, 200, k.id);
}

/* GET /api/recommendations (docs/statistics.md "Recommendations"): reads the facts about one
 * enterprise or one body with a handful of aggregate queries and gives each to its rule in
 * domain/recommendations.h, which decides, weighs and words it. Who is asked about: an
 * enterprise or a body itself (no query), or ?enterprise_id= / ?body_id= within the caller's
 * reach (domain/scope.h: a regulator an enterprise of its region and a body serving its
 * province, admins all); 404 enterprise_not_found / body_not_found otherwise. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/recommendations.h"
#include "domain/scope.h"

enum { YEAR_SECONDS = 365 * 86400, CLAUSES_READ = RECS_MAX };

/* A course c not completed by every active user of the enterprise (the parameter P, e.g. "$3";
 * an enterprise without users: not completed). */
#define NOT_ALL_COMPLETED(P)                                                                                     \
    "(NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = " P " AND u.active = 1) OR EXISTS (SELECT 1 "    \
    "FROM users u WHERE u.enterprise_id = " P " AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM "                 \
    "learning_progress p WHERE p.user_id = u.id AND p.course_id = c.id AND p.completed_at IS NOT NULL)))"

typedef struct course_pick {
    int64_t id;
    char title[RECS_TITLE];
} course_pick_t;

/* The first published course (by position) with a published lesson on clause (edition, number)
 * that the enterprise's staff have not all completed. 1 found, 0 none, -1 error. */
static int clause_course(db_t *db, const char *edition, const char *clause, int64_t enterprise_id, course_pick_t *out)
{
    stmt_t *st = db_query(db,
                          "SELECT c.id, c.title FROM courses c WHERE c.status = 'published' AND EXISTS (SELECT 1 FROM "
                          "lessons l JOIN lesson_clauses lc ON lc.lesson_id = l.id WHERE l.course_id = c.id AND "
                          "l.published_revision > 0 AND lc.edition = $1 AND lc.clause_number = $2) AND "
                          NOT_ALL_COMPLETED("$3") " ORDER BY c.position, c.id LIMIT 1",
                          "ttI", edition, clause, enterprise_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        out->id = stmt_int(st, 0);
        snprintf(out->title, sizeof out->title, "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* The first published course of a category (for an enterprise: one its staff have not all
 * completed; enterprise_id 0: any). */
static int category_course(db_t *db, const char *category, int64_t enterprise_id, course_pick_t *out)
{
    stmt_t *st = enterprise_id
                     ? db_query(db,
                                "SELECT c.id, c.title FROM courses c WHERE c.status = 'published' AND c.category = $1 "
                                "AND " NOT_ALL_COMPLETED("$2") " ORDER BY c.position, c.id LIMIT 1",
                                "tI", category, enterprise_id)
                     : db_query(db,
                                "SELECT c.id, c.title FROM courses c WHERE c.status = 'published' AND c.category = $1 "
                                "ORDER BY c.position, c.id LIMIT 1",
                                "t", category);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        out->id = stmt_int(st, 0);
        snprintf(out->title, sizeof out->title, "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

typedef struct clause_fact {
    char edition[8], clause[24];
    int total, open;
} clause_fact_t;

/* The rows (edition, clause, a count, a second count) of st, at most CLAUSES_READ, into facts;
 * st is done. Their number, or -1 on a database error (st NULL too). */
static int clause_facts_read(stmt_t *st, clause_fact_t facts[CLAUSES_READ])
{
    int n = 0, rc = STORE_ERROR;
    while (st != NULL && n < CLAUSES_READ && (rc = stmt_step(st)) == STORE_ROW) {
        snprintf(facts[n].edition, sizeof facts[n].edition, "%s", stmt_text(st, 0));
        snprintf(facts[n].clause, sizeof facts[n].clause, "%s", stmt_text(st, 1));
        facts[n].total = (int)stmt_int(st, 2);
        facts[n].open = (int)stmt_int(st, 3);
        n++;
    }
    stmt_done(st);
    return rc == STORE_ERROR ? -1 : n;
}

/* The enterprise's rules. False on a database error. */
static bool enterprise_facts(db_t *db, int64_t id, recs_t *r)
{
    int64_t now = now_seconds();
    clause_fact_t facts[CLAUSES_READ];
    int n, rc = STORE_ERROR;
    course_pick_t course;

    /* nonconformities of the last three years by clause, open ones first */
    stmt_t *st = db_query(db,
                          "SELECT k.edition, n.clause_number, COUNT(*), SUM(CASE WHEN n.status <> 'effective' THEN 1 "
                          "ELSE 0 END) FROM nonconformities n JOIN clause_catalogues k ON k.id = n.catalogue_id WHERE "
                          "n.enterprise_id = $1 AND n.created_at >= $2 GROUP BY k.edition, n.clause_number ORDER BY 4 "
                          "DESC, 3 DESC, k.edition, n.clause_number LIMIT 8",
                          "II", id, now - 3 * (int64_t)YEAR_SECONDS);
    if ((n = clause_facts_read(st, facts)) < 0)
        return false;
    for (int i = 0; i < n; i++) {
        int found = clause_course(db, facts[i].edition, facts[i].clause, id, &course);
        if (found < 0)
            return false;
        if (found)
            recs_clause_nonconformities(r, facts[i].clause, facts[i].total, facts[i].open, course.id, course.title);
    }

    /* the latest self-assessment's items not met or partly met (total 1; open: not met) */
    st = db_query(db,
                  "SELECT k.edition, i.clause_number, 1, CASE WHEN i.status = 'not_conforming' THEN 1 ELSE 0 END FROM "
                  "assessment_items i JOIN self_assessments s ON s.id = i.assessment_id JOIN clause_catalogues k ON "
                  "k.id = s.catalogue_id WHERE s.id = (SELECT MAX(id) FROM self_assessments WHERE enterprise_id = $1) "
                  "AND i.status IN ('partly', 'not_conforming') ORDER BY 4 DESC, i.clause_number LIMIT 8",
                  "I", id);
    if ((n = clause_facts_read(st, facts)) < 0)
        return false;
    for (int i = 0; i < n; i++) {
        int found = clause_course(db, facts[i].edition, facts[i].clause, id, &course);
        if (found < 0)
            return false;
        if (found)
            recs_self_assessment_gap(r, facts[i].clause, facts[i].open != 0, course.id, course.title);
    }

    /* staff who submitted a quiz without passing, by course */
    rc = STORE_ERROR;
    st = db_query(db,
                  "SELECT c.id, c.title, COUNT(*), SUM(CASE WHEN c.max_attempts > 0 AND p.attempts >= c.max_attempts "
                  "THEN 1 ELSE 0 END) FROM learning_progress p JOIN courses c ON c.id = p.course_id JOIN users u ON "
                  "u.id = p.user_id WHERE u.enterprise_id = $1 AND u.active = 1 AND p.attempts > 0 AND p.passed = 0 "
                  "AND c.status = 'published' GROUP BY c.id, c.title ORDER BY 3 DESC, c.id LIMIT 8",
                  "I", id);
    while (st && (rc = stmt_step(st)) == STORE_ROW)
        recs_quiz_failed(r, stmt_int(st, 0), stmt_text(st, 1), (int)stmt_int(st, 2), (int)stmt_int(st, 3));
    stmt_done(st);
    if (rc == STORE_ERROR)
        return false;

    /* the effectiveness result: a decline or form only, and the indicators missing */
    st = db_query(db, "SELECT verdict, form_only FROM effectiveness_results WHERE enterprise_id = $1", "I", id);
    rc = st ? stmt_step(st) : STORE_ERROR;
    char verdict[32] = "";
    bool form_only = false, evaluated = rc == STORE_ROW;
    if (evaluated) {
        snprintf(verdict, sizeof verdict, "%s", stmt_text(st, 0));
        form_only = stmt_int(st, 1) != 0;
    }
    stmt_done(st);
    if (rc == STORE_ERROR)
        return false;
    if (!evaluated)
        return true;
    if (strcmp(verdict, "decline") == 0 || form_only) {
        int found = category_course(db, "briefing", id, &course);
        if (found < 0)
            return false;
        if (found)
            recs_effectiveness(r, verdict, form_only, course.id, course.title);
    }
    st = db_query(db,
                  "SELECT (SELECT COUNT(*) FROM indicators WHERE retired = 0), (SELECT COUNT(DISTINCT v.indicator_id) "
                  "FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.retired = 0 AND "
                  "v.enterprise_id = $1 AND v.year = (SELECT MAX(year) FROM indicator_values WHERE enterprise_id = $1))",
                  "I", id);
    rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        recs_indicators_missing(r, (int)stmt_int(st, 1), (int)stmt_int(st, 0));
    stmt_done(st);
    return rc == STORE_ROW;
}

/* The body's rules. False on a database error. */
static bool body_facts(db_t *db, int64_t id, recs_t *r)
{
    static const char *const dimensions[] = {"professionalism", "effectiveness", "timeliness", "commitment"};
    /* the body's means and the national means of every visible review, in one statement */
    stmt_t *st = db_query(
        db,
        "SELECT SUM(CASE WHEN body_id = $1 THEN 1 ELSE 0 END), "
        "AVG(CASE WHEN body_id = $1 THEN CAST(professionalism AS DOUBLE PRECISION) END), "
        "AVG(CASE WHEN body_id = $1 THEN CAST(effectiveness AS DOUBLE PRECISION) END), "
        "AVG(CASE WHEN body_id = $1 THEN CAST(timeliness AS DOUBLE PRECISION) END), "
        "AVG(CASE WHEN body_id = $1 THEN CAST(commitment AS DOUBLE PRECISION) END), "
        "AVG(CAST(professionalism AS DOUBLE PRECISION)), AVG(CAST(effectiveness AS DOUBLE PRECISION)), "
        "AVG(CAST(timeliness AS DOUBLE PRECISION)), AVG(CAST(commitment AS DOUBLE PRECISION)) "
        "FROM feedback WHERE hidden = 0",
        "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int reviews = rc == STORE_ROW && !stmt_is_null(st, 0) ? (int)stmt_int(st, 0) : 0;
    double mean[4] = {0}, national[4] = {0};
    if (reviews > 0)
        for (int d = 0; d < 4; d++) {
            mean[d] = stmt_double(st, 1 + d);
            national[d] = stmt_double(st, 5 + d);
        }
    stmt_done(st);
    if (rc != STORE_ROW)
        return false;
    if (reviews >= RECS_FEEDBACK_MIN_REVIEWS) {
        course_pick_t course = {0};
        if (category_course(db, "auditor", 0, &course) < 0)
            return false;
        for (int d = 0; d < 4; d++)
            recs_feedback_dimension(r, dimensions[d], mean[d], national[d], reviews, course.id, course.title);
    }

    /* open complaints about it */
    rc = STORE_ERROR;
    st = db_query(db,
                  "SELECT id, status FROM complaints WHERE body_id = $1 AND status IN ('received', 'under_review') "
                  "ORDER BY id LIMIT 8",
                  "I", id);
    while (st && (rc = stmt_step(st)) == STORE_ROW)
        recs_complaint_open(r, stmt_int(st, 0), stmt_text(st, 1));
    stmt_done(st);
    if (rc == STORE_ERROR)
        return false;

    /* overdue nonconformities its audits raised (the list's "overdue": due before today, not
     * verified effective), and engagements decided late in the last year */
    char today[DATE_LEN + 1], year_ago[DATE_LEN + 1];
    date_today(today);
    date_from_unix(now_seconds() - YEAR_SECONDS, year_ago);
    st = db_query(db,
                  "SELECT (SELECT COUNT(*) FROM nonconformities n JOIN audits a ON a.id = n.raised_by_audit_id WHERE "
                  "a.body_id = $1 AND n.due_date <> '' AND n.due_date < $2 AND n.status <> 'effective'), (SELECT "
                  "COUNT(*) FROM engagements WHERE body_id = $1 AND status = 'decided' AND within_commitment = 0 AND "
                  "decision_date >= $3)",
                  "Itt", id, today, year_ago);
    rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        recs_verification_overdue(r, (int)stmt_int(st, 0));
        recs_engagements_late(r, (int)stmt_int(st, 1));
    }
    stmt_done(st);
    return rc == STORE_ROW;
}

/* A body is within reach when scope_allows it in one of the provinces it serves (a nationwide
 * body: in the caller's own region). */
static bool body_in_reach(call_t *c, const body_t *b)
{
    if (b->regions == NULL || b->regions[0] == '\0')
        return scope_allows(&c->user, 0, b->id, c->user.region ? c->user.region : "");
    const char *p = b->regions;
    while (*p) {
        char province[8] = "";
        size_t len = strcspn(p, ",");
        if (len < sizeof province) {
            memcpy(province, p, len);
            province[len] = '\0';
            if (scope_allows(&c->user, 0, b->id, province))
                return true;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

static const char *const kind_names[] = {[REC_COURSE] = "course", [REC_ACTIVITY] = "activity", [REC_ACTION] = "action"};

static void answer(call_t *c, const char *type, int64_t id, const char *name, recs_t *r)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "for");
    jw_object(w);
    jw_kstr(w, "type", type);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_end(w);
    jw_key(w, "items");
    jw_array(w);
    for (int i = 0; i < r->n; i++) {
        const rec_item_t *it = &r->items[i];
        jw_object(w);
        jw_kstr(w, "kind", kind_names[it->kind]);
        jw_kstr(w, "title", it->title);
        jw_kstr(w, "url", it->url[0] ? it->url : NULL);
        jw_key(w, "target");
        if (it->target_type && it->target_id) {
            jw_object(w);
            jw_kstr(w, "type", it->target_type);
            jw_kint(w, "id", it->target_id);
            jw_end(w);
        } else {
            jw_null(w);
        }
        jw_key(w, "reason");
        jw_object(w);
        jw_kstr(w, "code", it->code);
        jw_kstr(w, "text", it->text);
        jw_kstr(w, "clause", it->clause[0] ? it->clause : NULL);
        jw_key(w, "count");
        if (it->count < 0)
            jw_null(w);
        else
            jw_int(w, it->count);
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

void api_recommendations(call_t *c)
{
    int64_t enterprise_id = 0, body_id = 0;
    if (!call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise_id) ||
        !call_query_int(c, "body_id", 1, INT64_MAX, &body_id))
        return;
    if (enterprise_id == 0 && body_id == 0) {
        if (c->user.role == ROLE_ENTERPRISE)
            enterprise_id = c->user.enterprise_id;
        else if (c->user.role == ROLE_BODY)
            body_id = c->user.body_id;
    }
    if ((enterprise_id == 0) == (body_id == 0)) {
        call_error(c, "invalid_query", enterprise_id ? "body_id" : "enterprise_id",
                   enterprise_id ? "body_id" : "enterprise_id");
        return;
    }
    recs_t *r = arena_alloc(&c->arena, sizeof *r);
    recs_init(r, c->lang);
    if (enterprise_id) {
        enterprise_t e;
        int rc = enterprise_by_id(c->db, &c->arena, enterprise_id, &e);
        if (rc == 1 && !scope_allows(&c->user, e.id, 0, e.region))
            rc = 0;
        if (rc == 0)
            call_error(c, "enterprise_not_found", NULL);
        else if (rc < 0 || !enterprise_facts(c->db, e.id, r))
            call_db_error(c, "recommendations");
        else {
            recs_finish(r);
            answer(c, "enterprise", e.id, e.name, r);
        }
        return;
    }
    body_t b;
    int rc = body_by_id(c->db, &c->arena, body_id, &b);
    if (rc == 1 && !body_in_reach(c, &b))
        rc = 0;
    if (rc == 0)
        call_error(c, "body_not_found", NULL);
    else if (rc < 0 || !body_facts(c->db, b.id, r))
        call_db_error(c, "recommendations");
    else {
        recs_finish(r);
        answer(c, "body", b.id, b.name, r);
    }
}

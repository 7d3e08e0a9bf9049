/* Self-assessment (issue 9, docs/compliance.md "Self-assessment"): an enterprise assesses itself
 * clause by clause against the current catalogue of an edition, with notes, an owner, evidence
 * files and the history of each item; and grants a body access to its evidence for an
 * engagement (evidence_grants). Who reads an assessment: the enterprise itself, the regulator of
 * its region, admins (domain/scope.h), and a body only while a grant of the enterprise to it
 * stands (store/compliance_reach.h); everyone else gets 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/log.h"
#include "domain/scope.h"
#include "store/clauses.h"
#include "store/compliance_reach.h"
#include "store/files.h"

/* Evidence by content: PDF, images, Word and Excel documents, plain text. */
static const char *const evidence_types[] = {
    "application/pdf", "image/png", "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/plain", NULL};

static const char *const item_statuses[] = {"conforming", "partly", "not_conforming", "not_applicable", NULL};

typedef struct assessment {
    int64_t id, enterprise_id, catalogue_id, created_by, created_at, updated_at;
    const char *title, *status, *region, *enterprise_name, *edition;
    int64_t version;
} assessment_t;

#define ASSESSMENT_COLUMNS                                                                              \
    "s.id, s.enterprise_id, s.catalogue_id, s.title, s.status, s.created_by, s.created_at, s.updated_at, " \
    "e.region, e.name, k.edition, k.version, "                                                            \
    "(SELECT COUNT(*) FROM assessment_items i WHERE i.assessment_id = s.id), "                            \
    "(SELECT COUNT(*) FROM clauses l WHERE l.catalogue_id = s.catalogue_id AND NOT EXISTS "               \
    "(SELECT 1 FROM clauses ch WHERE ch.catalogue_id = l.catalogue_id AND ch.parent = l.number))"
#define ASSESSMENT_FROM                                                                                  \
    " FROM self_assessments s JOIN enterprises e ON e.id = s.enterprise_id "                             \
    "JOIN clause_catalogues k ON k.id = s.catalogue_id"
/* a body reaches an assessment through a standing grant of its enterprise (one row per pair) */
#define ASSESSMENT_FROM_GRANTS                                                                           \
    ASSESSMENT_FROM " JOIN (SELECT DISTINCT enterprise_id, body_id FROM evidence_grants WHERE revoked_at IS NULL) gb " \
                    "ON gb.enterprise_id = s.enterprise_id"

static void assessment_from_row(stmt_t *st, arena_t *a, assessment_t *s)
{
    s->id = stmt_int(st, 0);
    s->enterprise_id = stmt_int(st, 1);
    s->catalogue_id = stmt_int(st, 2);
    s->title = arena_strdup(a, stmt_text(st, 3));
    s->status = arena_strdup(a, stmt_text(st, 4));
    s->created_by = stmt_int(st, 5);
    s->created_at = stmt_int(st, 6);
    s->updated_at = stmt_int(st, 7);
    s->region = arena_strdup(a, stmt_text(st, 8));
    s->enterprise_name = arena_strdup(a, stmt_text(st, 9));
    s->edition = arena_strdup(a, stmt_text(st, 10));
    s->version = stmt_int(st, 11);
}

static void kiso(jw_t *w, const char *key, int64_t t)
{
    char iso[21];
    time_iso(t, iso);
    jw_kstr(w, key, iso);
}

/* The members every form of an assessment has (list row and detail). */
static void assessment_fields(jw_t *w, const assessment_t *s, int64_t assessed, int64_t total)
{
    jw_kint(w, "id", s->id);
    jw_kint(w, "enterprise_id", s->enterprise_id);
    jw_kstr(w, "enterprise_name", s->enterprise_name);
    jw_kstr(w, "edition", s->edition);
    jw_kint(w, "catalogue_id", s->catalogue_id);
    jw_kint(w, "catalogue_version", s->version);
    jw_kstr(w, "title", s->title);
    jw_kstr(w, "status", s->status);
    jw_kint(w, "assessed", assessed);
    jw_kint(w, "total", total);
    jw_kid(w, "created_by", s->created_by);
    kiso(w, "created_at", s->created_at);
    kiso(w, "updated_at", s->updated_at);
}

int compliance_reachable(call_t *c, int64_t enterprise_id, const char *region)
{
    if (c->user.role == ROLE_BODY)
        return c->user.body_id > 0 ? evidence_grant_standing(c->db, enterprise_id, c->user.body_id) : 0;
    return scope_allows(&c->user, enterprise_id, 0, region) ? 1 : 0;
}

/* Loads assessment {id} of the path if the caller may read it; false after answering 404 (or the
 * database error). */
static bool load_in_scope(call_t *c, assessment_t *s)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    stmt_t *st = db_query(c->db, "SELECT " ASSESSMENT_COLUMNS ASSESSMENT_FROM " WHERE s.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        assessment_from_row(st, &c->arena, s);
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "self-assessment lookup");
        return false;
    }
    int reach = rc == STORE_ROW ? compliance_reachable(c, s->enterprise_id, s->region) : 0;
    if (reach < 0) {
        call_db_error(c, "self-assessment scope");
        return false;
    }
    if (reach == 0) {
        call_error(c, "self_assessment_not_found", NULL);
        return false;
    }
    return true;
}

/* The clause {clause} of the path in the assessment's catalogue, and whether it is assessable (a
 * leaf: no clause has it as parent). False after answering 404 clause_not_found or 400 for a
 * heading. */
static bool clause_of(call_t *c, const assessment_t *s, const char **number, const char **title)
{
    const char *n = call_param(c, "clause");
    stmt_t *st = db_query(c->db,
                          "SELECT k.number, k.title, (SELECT COUNT(*) FROM clauses ch WHERE ch.catalogue_id = k.catalogue_id "
                          "AND ch.parent = k.number) FROM clauses k WHERE k.catalogue_id = $1 AND k.number = $2",
                          "It", s->catalogue_id, n ? n : "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t children = 0;
    if (rc == STORE_ROW) {
        *number = arena_strdup(&c->arena, stmt_text(st, 0));
        *title = arena_strdup(&c->arena, stmt_text(st, 1));
        children = stmt_int(st, 2);
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "clause lookup");
        return false;
    }
    if (rc != STORE_ROW) {
        call_error(c, "clause_not_found", NULL, n ? n : "");
        return false;
    }
    if (children > 0) {
        call_error(c, "clause_not_assessable", NULL, *number);
        return false;
    }
    return true;
}

/* ---- the detail ---- */

typedef struct clause_row {
    const char *number, *title, *title_en, *parent, *chapter, *guidance, *typical_evidence;
    bool provisional, leaf;
    /* the item, when assessed */
    int64_t item_id, updated_by, updated_at;
    const char *status, *notes, *owner, *updated_by_name;
} clause_row_t;

static const char *chapter_of(arena_t *a, const char *number)
{
    const char *dot = strchr(number, '.');
    return dot ? arena_strndup(a, number, (size_t)(dot - number)) : number;
}

static int status_index(const char *status)
{
    for (int i = 0; item_statuses[i] != NULL; i++)
        if (strcmp(item_statuses[i], status) == 0)
            return i;
    return -1;
}

static void counts_write(jw_t *w, const int64_t counts[4])
{
    jw_key(w, "by_status");
    jw_object(w);
    for (int i = 0; i < 4; i++)
        jw_kint(w, item_statuses[i], counts[i]);
    jw_end(w);
}

static void answer_detail(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " ASSESSMENT_COLUMNS ASSESSMENT_FROM " WHERE s.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    assessment_t s;
    int64_t assessed = 0, total = 0;
    if (rc == STORE_ROW) {
        assessment_from_row(st, &c->arena, &s);
        assessed = stmt_int(st, 12);
        total = stmt_int(st, 13);
    }
    stmt_done(st);
    if (rc != STORE_ROW) {
        call_db_error(c, "self-assessment");
        return;
    }
    /* every clause of the catalogue with its item, in the catalogue's order */
    st = db_query(c->db,
                  "SELECT k.number, k.title, k.title_en, k.parent, k.provisional, "
                  "NOT EXISTS (SELECT 1 FROM clauses ch WHERE ch.catalogue_id = k.catalogue_id AND ch.parent = k.number), "
                  "i.id, i.status, i.notes, i.owner, i.updated_by, i.updated_at, COALESCE(u.name, ''), k.guidance, "
                  "k.evidence FROM clauses k LEFT JOIN assessment_items i ON i.assessment_id = $2 AND i.clause_number = k.number "
                  "LEFT JOIN users u ON u.id = i.updated_by WHERE k.catalogue_id = $1 ORDER BY k.position, k.id",
                  "II", s.catalogue_id, s.id);
    if (st == NULL) {
        call_db_error(c, "self-assessment clauses");
        return;
    }
    int n = 0, cap = 64;
    clause_row_t *rows = arena_alloc(&c->arena, sizeof *rows * (size_t)cap);
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (n == cap) {
            clause_row_t *more = arena_alloc(&c->arena, sizeof *rows * (size_t)cap * 2);
            memcpy(more, rows, sizeof *rows * (size_t)n);
            rows = more;
            cap *= 2;
        }
        clause_row_t *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->number = arena_strdup(&c->arena, stmt_text(st, 0));
        r->title = arena_strdup(&c->arena, stmt_text(st, 1));
        r->title_en = arena_strdup(&c->arena, stmt_text(st, 2));
        r->parent = arena_strdup(&c->arena, stmt_text(st, 3));
        r->provisional = stmt_int(st, 4) != 0;
        r->leaf = stmt_int(st, 5) != 0;
        r->chapter = chapter_of(&c->arena, r->number);
        r->guidance = arena_strdup(&c->arena, stmt_text(st, 13));
        r->typical_evidence = arena_strdup(&c->arena, stmt_text(st, 14));
        if (!stmt_is_null(st, 6)) {
            r->item_id = stmt_int(st, 6);
            r->status = arena_strdup(&c->arena, stmt_text(st, 7));
            r->notes = arena_strdup(&c->arena, stmt_text(st, 8));
            r->owner = arena_strdup(&c->arena, stmt_text(st, 9));
            r->updated_by = stmt_int(st, 10);
            r->updated_at = stmt_int(st, 11);
            r->updated_by_name = arena_strdup(&c->arena, stmt_text(st, 12));
        }
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        call_db_error(c, "self-assessment clauses");
        return;
    }
    /* the evidence of all items: (item, attachment) pairs, read before the clauses are written */
    st = db_query(c->db,
                  "SELECT l.subject_id, l.attachment_id FROM evidence_links l JOIN assessment_items i ON i.id = l.subject_id "
                  "WHERE l.subject = 'assessment_item' AND i.assessment_id = $1 ORDER BY l.attachment_id",
                  "I", s.id);
    int nev = 0, evcap = 16;
    int64_t (*ev)[2] = arena_alloc(&c->arena, sizeof *ev * (size_t)evcap);
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        if (nev == evcap) {
            int64_t (*more)[2] = arena_alloc(&c->arena, sizeof *ev * (size_t)evcap * 2);
            memcpy(more, ev, sizeof *ev * (size_t)nev);
            ev = more;
            evcap *= 2;
        }
        ev[nev][0] = stmt_int(st, 0);
        ev[nev][1] = stmt_int(st, 1);
        nev++;
    }
    stmt_done(st);
    if (st == NULL || rc != STORE_DONE) {
        call_db_error(c, "self-assessment evidence");
        return;
    }
    attachment_t *files = arena_alloc(&c->arena, sizeof *files * (size_t)(nev + 1));
    for (int i = 0; i < nev; i++) {
        if (attachment_by_id(c->db, &c->arena, ev[i][1], &files[i]) != 1) {
            call_db_error(c, "self-assessment evidence");
            return;
        }
    }

    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    assessment_fields(w, &s, assessed, total);
    jw_key(w, "clauses");
    jw_array(w);
    for (int i = 0; i < n; i++) {
        const clause_row_t *r = &rows[i];
        jw_object(w);
        jw_kstr(w, "number", r->number);
        jw_kstr(w, "title", r->title);
        jw_kstr(w, "title_en", r->title_en);
        jw_kstr(w, "parent", r->parent);
        jw_kstr(w, "chapter", r->chapter);
        jw_kbool(w, "provisional", r->provisional);
        jw_kbool(w, "assessable", r->leaf);
        jw_kstr(w, "guidance", r->guidance);
        jw_kstr(w, "typical_evidence", r->typical_evidence);
        jw_key(w, "item");
        if (r->item_id == 0) {
            jw_null(w);
        } else {
            jw_object(w);
            jw_kint(w, "id", r->item_id);
            jw_kstr(w, "status", r->status);
            jw_kstr(w, "notes", r->notes);
            jw_kstr(w, "owner", r->owner);
            jw_kid(w, "updated_by", r->updated_by);
            jw_kstr(w, "updated_by_name", r->updated_by_name);
            kiso(w, "updated_at", r->updated_at);
            jw_key(w, "evidence");
            jw_array(w);
            for (int e = 0; e < nev; e++)
                if (ev[e][0] == r->item_id)
                    attachment_write(w, &files[e]);
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);

    /* progress: overall and by chapter, over the assessable clauses */
    int64_t all[4] = {0};
    jw_key(w, "chapters");
    jw_array(w);
    for (int i = 0; i < n; i++) {
        if (rows[i].parent[0] != '\0')
            continue;
        int64_t counts[4] = {0}, ctotal = 0, cassessed = 0;
        for (int j = 0; j < n; j++) {
            if (!rows[j].leaf || strcmp(rows[j].chapter, rows[i].number) != 0)
                continue;
            ctotal++;
            int x = rows[j].item_id ? status_index(rows[j].status) : -1;
            if (x >= 0) {
                counts[x]++;
                all[x]++;
                cassessed++;
            }
        }
        jw_object(w);
        jw_kstr(w, "number", rows[i].number);
        jw_kstr(w, "title", rows[i].title);
        jw_kstr(w, "title_en", rows[i].title_en);
        jw_kint(w, "assessed", cassessed);
        jw_kint(w, "total", ctotal);
        counts_write(w, counts);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "progress");
    jw_object(w);
    jw_kint(w, "assessed", assessed);
    jw_kint(w, "total", total);
    counts_write(w, all);
    jw_end(w);

    jw_key(w, "gaps");
    jw_array(w);
    for (int i = 0; i < n; i++) {
        const clause_row_t *r = &rows[i];
        if (r->item_id == 0 || (strcmp(r->status, "partly") != 0 && strcmp(r->status, "not_conforming") != 0))
            continue;
        jw_object(w);
        jw_kstr(w, "number", r->number);
        jw_kstr(w, "title", r->title);
        jw_kstr(w, "title_en", r->title_en);
        jw_kstr(w, "status", r->status);
        jw_kstr(w, "notes", r->notes);
        jw_kstr(w, "owner", r->owner);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* ---- handlers ---- */

void api_self_assessments_create(call_t *c)
{
    static const char *const fields[] = {"edition", "title", NULL};
    const char *edition = NULL, *title = "";
    body_only(c, fields);
    body_string(c, "edition", FIELD_REQUIRED, 4, 4, &edition);
    body_string(c, "title", FIELD_OPTIONAL, 0, 200, &title);
    if (edition != NULL && strcmp(edition, "2013") != 0 && strcmp(edition, "2023") != 0)
        call_invalid(c, "edition", "应为 2013 或 2023", "must be 2013 or 2023");
    if (call_answered(c))
        return;
    enterprise_t e;
    int rc = enterprise_by_id(c->db, &c->arena, c->user.enterprise_id, &e);
    if (rc != 1) {
        if (rc < 0)
            call_db_error(c, "enterprise lookup");
        else
            call_error(c, "enterprise_not_found", NULL);
        return;
    }
    int64_t catalogue = 0, version = 0;
    rc = clause_catalogue_current(c->db, edition, &catalogue, &version);
    if (rc != 1) {
        call_db_error(c, "clause catalogue");
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE) {
        id = stmt_insert_id(db_query(c->db,
                                     "INSERT INTO self_assessments (enterprise_id, catalogue_id, title, created_by, created_at, "
                                     "updated_at) VALUES ($1, $2, $3, NULLIF($4, 0), $5, $5) RETURNING id",
                                     "IItII", e.id, catalogue, title, audit_actor_user(&actor), now));
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "edition", NULL, edition);
        audit_diff_int(&d, "catalogue_id", NULL, &catalogue);
        audit_diff_str(&d, "title", NULL, title);
        if (id > 0 && !audit_record_id(c->db, &actor, "self_assessment.create", "self_assessment", id, e.region, NULL,
                                       audit_diff_after(&d)))
            id = -1;
        audit_diff_free(&d);
        if (id > 0 && db_commit(c->db) != STORE_DONE)
            id = -1;
        if (id <= 0)
            db_rollback(c->db);
    }
    if (id <= 0) {
        call_db_error(c, "self-assessment create");
        return;
    }
    answer_detail(c, 201, id);
}

static void assessment_row(call_t *c, stmt_t *st, jw_t *w)
{
    assessment_t s;
    assessment_from_row(st, &c->arena, &s);
    jw_object(w);
    assessment_fields(w, &s, stmt_int(st, 12), stmt_int(st, 13));
    jw_end(w);
}

void api_self_assessments_list(call_t *c)
{
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *status = call_query(c, "status");
    int64_t enterprise = 0;
    if (call_answered(c) || !call_query_int(c, "enterprise_id", 1, INT64_MAX, &enterprise))
        return;
    if (status != NULL && *status != '\0' && strcmp(status, "in_progress") != 0 && strcmp(status, "completed") != 0) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    /* a body reaches through a standing grant; the others by the enterprise and its region */
    static const scope_columns_t cols = {.enterprise = "s.enterprise_id", .body = "gb.body_id", .region = "e.region"};
    bool body = reach.kind == REACH_BODY;
    query_t count, list;
    query_init(&count, body ? "SELECT COUNT(*)" ASSESSMENT_FROM_GRANTS " WHERE TRUE" : "SELECT COUNT(*)" ASSESSMENT_FROM " WHERE TRUE");
    query_init(&list, body ? "SELECT " ASSESSMENT_COLUMNS ASSESSMENT_FROM_GRANTS " WHERE TRUE"
                           : "SELECT " ASSESSMENT_COLUMNS ASSESSMENT_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "s.status = $?", status);
        if (enterprise > 0)
            query_and_int(both[i], "s.enterprise_id = $?", enterprise);
    }
    query_sql(&list, " ORDER BY s.id DESC");
    answer_list(c, &count, &list, page, per_page, assessment_row, "self-assessment list");
}

void api_self_assessments_show(call_t *c)
{
    assessment_t s;
    if (load_in_scope(c, &s))
        answer_detail(c, 200, s.id);
}

/* Inside the caller's transaction: touches the assessment only while it is in progress (the
 * guard of every change to it). 1 in progress (touched), 0 completed, -1 error. */
static int touch_in_progress(db_t *db, int64_t id, int64_t now)
{
    int64_t n = db_run(db, "UPDATE self_assessments SET updated_at = $2 WHERE id = $1 AND status = 'in_progress'", "II", id,
                       now);
    return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/* The enterprise writes its own assessments only (others reach them read-only or not at all). */
static bool own_enterprise(call_t *c, const assessment_t *s)
{
    if (c->user.role == ROLE_ENTERPRISE && c->user.enterprise_id == s->enterprise_id)
        return true;
    call_error(c, "self_assessment_not_found", NULL);
    return false;
}

static void answer_item(call_t *c, int64_t assessment_id, const char *clause)
{
    stmt_t *st = db_query(c->db,
                          "SELECT i.id, i.status, i.notes, i.owner, i.updated_by, i.updated_at, COALESCE(u.name, '') "
                          "FROM assessment_items i LEFT JOIN users u ON u.id = i.updated_by "
                          "WHERE i.assessment_id = $1 AND i.clause_number = $2",
                          "It", assessment_id, clause);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "assessment item");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "clause_number", clause);
    jw_kstr(w, "status", stmt_text(st, 1));
    jw_kstr(w, "notes", stmt_text(st, 2));
    jw_kstr(w, "owner", stmt_text(st, 3));
    jw_kid(w, "updated_by", stmt_int(st, 4));
    jw_kstr(w, "updated_by_name", stmt_text(st, 6));
    kiso(w, "updated_at", stmt_int(st, 5));
    jw_end(w);
    stmt_done(st);
}

void api_self_assessment_item_put(call_t *c)
{
    static const char *const fields[] = {"status", "notes", "owner", NULL};
    assessment_t s;
    const char *number, *title, *status = NULL, *notes = NULL, *owner = NULL;
    if (!load_in_scope(c, &s) || !own_enterprise(c, &s) || !clause_of(c, &s, &number, &title))
        return;
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &status);
    body_string(c, "notes", FIELD_OPTIONAL, 0, 4000, &notes);
    body_string(c, "owner", FIELD_OPTIONAL, 0, 100, &owner);
    if (status != NULL && status_index(status) < 0)
        call_invalid(c, "status", "应为 conforming、partly、not_conforming 或 not_applicable",
                     "must be conforming, partly, not_conforming or not_applicable");
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), user = audit_actor_user(&actor);
    int rc = db_begin(c->db) == STORE_DONE ? touch_in_progress(c->db, s.id, now) : -1;
    if (rc == 0) {
        db_rollback(c->db);
        call_error(c, "self_assessment_completed", NULL);
        return;
    }
    int64_t item = 0;
    const char *was_status = NULL, *was_notes = NULL, *was_owner = NULL;
    if (rc == 1) {
        stmt_t *st = db_query(c->db, "SELECT id, status, notes, owner FROM assessment_items WHERE assessment_id = $1 AND "
                                     "clause_number = $2", "It", s.id, number);
        int r = st ? stmt_step(st) : STORE_ERROR;
        if (r == STORE_ROW) {
            item = stmt_int(st, 0);
            was_status = arena_strdup(&c->arena, stmt_text(st, 1));
            was_notes = arena_strdup(&c->arena, stmt_text(st, 2));
            was_owner = arena_strdup(&c->arena, stmt_text(st, 3));
        }
        stmt_done(st);
        if (r == STORE_ERROR)
            rc = -1;
    }
    const char *new_notes = notes ? notes : was_notes ? was_notes : "";
    const char *new_owner = owner ? owner : was_owner ? was_owner : "";
    if (rc == 1 && item == 0) {
        item = stmt_insert_id(db_query(c->db,
                                       "INSERT INTO assessment_items (assessment_id, clause_number, status, notes, owner, "
                                       "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0), $7) RETURNING id",
                                       "IttttII", s.id, number, status, new_notes, new_owner, user, now));
        if (item <= 0)
            rc = item == 0 ? 0 : -1;   /* 0: another request made it meanwhile */
    } else if (rc == 1) {
        if (db_run(c->db,
                   "UPDATE assessment_items SET status = $2, notes = $3, owner = $4, updated_by = NULLIF($5, 0), "
                   "updated_at = $6 WHERE id = $1",
                   "ItttII", item, status, new_notes, new_owner, user, now) < 0)
            rc = -1;
    }
    bool changed = was_status == NULL || strcmp(was_status, status) != 0 || strcmp(was_notes, new_notes) != 0;
    if (rc == 1 && changed) {
        stmt_t *ev = db_query(c->db,
                              "INSERT INTO assessment_item_events (item_id, from_status, to_status, notes, user_id, at) "
                              "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6) RETURNING id",
                              "ItttII", item, was_status ? was_status : "", status, new_notes,
                              user, now);
        if (stmt_insert_id(ev) <= 0)
            rc = -1;
    }
    if (rc == 1) {
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "clause", was_status ? number : NULL, number);
        audit_diff_str(&d, "status", was_status, status);
        audit_diff_str(&d, "notes", was_notes, new_notes);
        audit_diff_str(&d, "owner", was_owner, new_owner);
        char key[64];
        snprintf(key, sizeof key, "%lld/%s", (long long)s.id, number);
        if (!audit_record(c->db, &actor, "self_assessment.item", "self_assessment", key, s.region,
                          audit_diff_before(&d), audit_diff_after(&d)))
            rc = -1;
        audit_diff_free(&d);
    }
    rc = db_finish(c->db, rc);
    if (call_write_done(c, rc, "assessment item"))
        answer_item(c, s.id, number);
}

void api_self_assessment_item_history(call_t *c)
{
    assessment_t s;
    const char *number, *title;
    if (!load_in_scope(c, &s) || !clause_of(c, &s, &number, &title))
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT v.id, v.from_status, v.to_status, v.notes, v.user_id, COALESCE(u.name, ''), v.at "
                          "FROM assessment_item_events v JOIN assessment_items i ON i.id = v.item_id "
                          "LEFT JOIN users u ON u.id = v.user_id WHERE i.assessment_id = $1 AND i.clause_number = $2 "
                          "ORDER BY v.id DESC",
                          "It", s.id, number);
    if (st == NULL) {
        call_db_error(c, "assessment item history");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "clause_number", number);
    jw_kstr(w, "title", title);
    jw_key(w, "items");
    jw_array(w);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 0));
        jw_kstr(w, "from_status", stmt_text(st, 1));
        jw_kstr(w, "to_status", stmt_text(st, 2));
        jw_kstr(w, "notes", stmt_text(st, 3));
        jw_kid(w, "user_id", stmt_int(st, 4));
        jw_kstr(w, "user_name", stmt_text(st, 5));
        kiso(w, "at", stmt_int(st, 6));
        jw_end(w);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        buf_reset(&c->out);
        c->status = 0;
        call_db_error(c, "assessment item history");
        return;
    }
    jw_end(w);
    jw_end(w);
}

void api_self_assessments_complete(call_t *c)
{
    static const char *const fields[] = {NULL};
    assessment_t s;
    if (!load_in_scope(c, &s) || !own_enterprise(c, &s))
        return;
    body_only(c, fields);
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? 0 : -1;
    if (rc == 0) {
        int64_t n = db_run(c->db,
                           "UPDATE self_assessments SET status = 'completed', updated_at = $2 WHERE id = $1 AND "
                           "status = 'in_progress'",
                           "II", s.id, now_seconds());
        rc = n < 0 ? -1 : n > 0 ? 1 : 0;
    }
    if (rc == 1 && !audit_record_id(c->db, &actor, "self_assessment.complete", "self_assessment", s.id, s.region,
                                    "{\"status\":\"in_progress\"}", "{\"status\":\"completed\"}"))
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        call_error(c, "self_assessment_completed", NULL);
        return;
    }
    if (call_write_done(c, rc, "self-assessment complete"))
        answer_detail(c, 200, s.id);
}

void api_self_assessment_evidence_upload(call_t *c)
{
    assessment_t s;
    const char *number, *title, *name, *type;
    if (!load_in_scope(c, &s) || !own_enterprise(c, &s) || !clause_of(c, &s, &number, &title) ||
        !upload_read(c, evidence_types, &name, &type))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? touch_in_progress(c->db, s.id, now_seconds()) : -1;
    int64_t item = 0, file = 0;
    if (rc == 1) {
        stmt_t *st = db_query(c->db, "SELECT id FROM assessment_items WHERE assessment_id = $1 AND clause_number = $2",
                              "It", s.id, number);
        int r = st ? stmt_step(st) : STORE_ERROR;
        if (r == STORE_ROW)
            item = stmt_int(st, 0);
        stmt_done(st);
        rc = r == STORE_ERROR ? -1 : r == STORE_ROW ? 1 : 2;
    }
    if (rc == 1) {
        /* nested: file_attach's transaction is flattened into this one */
        file = file_attach(c->db, &actor, FILE_OWNER_ENTERPRISE, s.enterprise_id, s.region, name, type, c->body_data,
                           c->body_len);
        if (file <= 0 ||
            stmt_insert_id(db_query(c->db,
                                    "INSERT INTO evidence_links (attachment_id, subject, subject_id) VALUES ($1, "
                                    "'assessment_item', $2) RETURNING id",
                                    "II", file, item)) <= 0)
            rc = -1;
    }
    if (rc == 1) {
        char key[64], after[160];
        snprintf(key, sizeof key, "%lld/%s", (long long)s.id, number);
        snprintf(after, sizeof after, "{\"evidence\":%lld}", (long long)file);
        if (!audit_record(c->db, &actor, "self_assessment.evidence", "self_assessment", key, s.region, NULL, after))
            rc = -1;
    }
    if (rc == 1) {
        if (db_commit(c->db) != STORE_DONE)
            rc = -1;
    } else {
        db_rollback(c->db);
    }
    if (rc == 0) {
        call_error(c, "self_assessment_completed", NULL);
        return;
    }
    if (rc == 2) {
        call_error(c, "assessment_item_not_found", NULL, number);
        return;
    }
    attachment_t a;
    if (rc != 1 || attachment_by_id(c->db, &c->arena, file, &a) != 1) {
        call_db_error(c, "evidence upload");
        return;
    }
    attachment_write(call_json_begin(c, 201), &a);
}

/* ---- evidence grants ---- */

#define GRANT_COLUMNS                                                                                  \
    "g.id, g.enterprise_id, e.name, g.body_id, b.name, g.engagement_id, g.granted_by, g.granted_at, g.revoked_at"
#define GRANT_FROM                                                                                     \
    " FROM evidence_grants g JOIN enterprises e ON e.id = g.enterprise_id JOIN bodies b ON b.id = g.body_id"

static void grant_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kint(w, "enterprise_id", stmt_int(st, 1));
    jw_kstr(w, "enterprise_name", stmt_text(st, 2));
    jw_kint(w, "body_id", stmt_int(st, 3));
    jw_kstr(w, "body_name", stmt_text(st, 4));
    jw_kid(w, "engagement_id", stmt_int(st, 5));
    jw_kid(w, "granted_by", stmt_int(st, 6));
    kiso(w, "granted_at", stmt_int(st, 7));
    jw_key(w, "revoked_at");
    if (stmt_is_null(st, 8)) {
        jw_null(w);
    } else {
        char iso[21];
        time_iso(stmt_int(st, 8), iso);
        jw_str(w, iso);
    }
    jw_kbool(w, "standing", stmt_is_null(st, 8));
    jw_end(w);
}

static void answer_grant(call_t *c, int status, int64_t id)
{
    stmt_t *st = db_query(c->db, "SELECT " GRANT_COLUMNS GRANT_FROM " WHERE g.id = $1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "evidence grant");
        return;
    }
    grant_row(c, st, call_json_begin(c, status));
    stmt_done(st);
}

void api_evidence_grants_list(call_t *c)
{
    static const scope_columns_t cols = {.enterprise = "g.enterprise_id", .body = "g.body_id", .region = "e.region"};
    const reach_t reach = scope_reach(&c->user);
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *standing = call_query(c, "standing");
    if (call_answered(c))
        return;
    if (standing != NULL && *standing != '\0' && strcmp(standing, "true") != 0 && strcmp(standing, "false") != 0) {
        call_error(c, "invalid_query", "standing", "standing");
        return;
    }
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)" GRANT_FROM " WHERE TRUE");
    query_init(&list, "SELECT " GRANT_COLUMNS GRANT_FROM " WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (standing != NULL && strcmp(standing, "true") == 0)
            query_sql(both[i], " AND g.revoked_at IS NULL");
        else if (standing != NULL && strcmp(standing, "false") == 0)
            query_sql(both[i], " AND g.revoked_at IS NOT NULL");
    }
    query_sql(&list, " ORDER BY g.id DESC");
    answer_list(c, &count, &list, page, per_page, grant_row, "evidence grants");
}

void api_evidence_grants_create(call_t *c)
{
    static const char *const fields[] = {"body_id", "engagement_id", NULL};
    int64_t body = 0, engagement = 0;
    body_only(c, fields);
    body_int(c, "body_id", FIELD_REQUIRED, 1, INT64_MAX, &body);
    body_int(c, "engagement_id", FIELD_REQUIRED, 1, INT64_MAX, &engagement);
    if (call_answered(c))
        return;
    /* the engagement must be the enterprise's own, with that body, and not declined or cancelled */
    stmt_t *st = db_query(c->db,
                          "SELECT g.status, e.region FROM engagements g JOIN enterprises e ON e.id = g.enterprise_id "
                          "WHERE g.id = $1 AND g.enterprise_id = $2 AND g.body_id = $3",
                          "III", engagement, c->user.enterprise_id, body);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    const char *status = "", *region = "";
    if (rc == STORE_ROW) {
        status = arena_strdup(&c->arena, stmt_text(st, 0));
        region = arena_strdup(&c->arena, stmt_text(st, 1));
    }
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "engagement lookup");
        return;
    }
    if (rc != STORE_ROW) {
        call_error(c, "engagement_not_found", "engagement_id");
        return;
    }
    if (strcmp(status, "declined") == 0 || strcmp(status, "cancelled") == 0) {
        call_error(c, "engagement_wrong_status", "engagement_id", status);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t id = -1;
    rc = db_begin(c->db) == STORE_DONE ? 1 : -1;
    if (rc == 1) {
        /* one standing grant per engagement, checked inside the write: the no-op update locks the
         * engagement's row (PostgreSQL), so two racing grants for it run one after the other */
        if (db_run(c->db, "UPDATE engagements SET updated_at = updated_at WHERE id = $1", "I", engagement) < 0)
            rc = -1;
        stmt_t *ex = rc == 1 ? db_query(c->db, "SELECT 1 FROM evidence_grants WHERE engagement_id = $1 AND revoked_at IS NULL",
                                        "I", engagement) : NULL;
        int r = ex ? stmt_step(ex) : STORE_ERROR;
        stmt_done(ex);
        if (rc == 1)
            rc = r == STORE_ROW ? 0 : r == STORE_DONE ? 1 : -1;
    }
    if (rc == 1) {
        id = stmt_insert_id(db_query(c->db,
                                     "INSERT INTO evidence_grants (enterprise_id, body_id, engagement_id, granted_by, granted_at) "
                                     "VALUES ($1, $2, $3, NULLIF($4, 0), $5) RETURNING id",
                                     "IIIII", c->user.enterprise_id, body, engagement, audit_actor_user(&actor),
                                     now_seconds()));
        if (id <= 0)
            rc = -1;
    }
    if (rc == 1) {
        char after[160];
        snprintf(after, sizeof after, "{\"body_id\":%lld,\"engagement_id\":%lld}", (long long)body, (long long)engagement);
        if (!audit_record_id(c->db, &actor, "evidence_grant.create", "evidence_grant", id, region, NULL, after))
            rc = -1;
    }
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        call_error(c, "evidence_grant_exists", NULL);
        return;
    }
    if (rc != 1) {
        call_db_error(c, "evidence grant");
        return;
    }
    answer_grant(c, 201, id);
}

void api_evidence_grants_revoke(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    stmt_t *st = db_query(c->db,
                          "SELECT g.revoked_at IS NULL, e.region FROM evidence_grants g JOIN enterprises e ON e.id = g.enterprise_id "
                          "WHERE g.id = $1 AND g.enterprise_id = $2",
                          "II", id, c->user.enterprise_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    const char *region = rc == STORE_ROW ? arena_strdup(&c->arena, stmt_text(st, 1)) : "";
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "evidence grant lookup");
        return;
    }
    if (rc != STORE_ROW) {
        call_error(c, "evidence_grant_not_found", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    rc = db_begin(c->db) == STORE_DONE ? 0 : -1;
    if (rc == 0) {
        int64_t n = db_run(c->db, "UPDATE evidence_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", "II", id,
                           now_seconds());
        rc = n < 0 ? -1 : n > 0 ? 1 : 0;
    }
    if (rc == 1 && !audit_record_id(c->db, &actor, "evidence_grant.revoke", "evidence_grant", id, region, NULL,
                                    "{\"revoked\":true}"))
        rc = -1;
    rc = db_finish(c->db, rc);
    if (rc == 0) {
        call_error(c, "evidence_grant_revoked", NULL);
        return;
    }
    if (call_write_done(c, rc, "evidence grant revoke"))
        answer_grant(c, 200, id);
}

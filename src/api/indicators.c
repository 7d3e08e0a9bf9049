/* The indicators (issue 10, docs/effectiveness.md "Indicators"): the catalogue (public; an admin
 * adds, edits and retires indicators), an enterprise's yearly values (the enterprise's form or
 * an admin), each value's history, and a body's verification of values during its audit.
 * Who reads an enterprise's values: the enterprise itself, the regulators of its region, admins
 * (domain/scope.h), and a body while it has an active or decided engagement with the enterprise
 * (store/compliance_reach.h body_engaged); everyone else gets 404 enterprise_not_found.
 * Every value goes through domain/indicators.h's checks and store/indicators.h's one write. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/dates.h"
#include "domain/indicators.h"
#include "domain/scope.h"
#include "store/compliance_reach.h"
#include "store/indicators.h"

enum { INDICATOR_NAME_MAX = 60, INDICATOR_UNIT_MAX = 20, VERIFY_MAX_CODES = 200 };

static void kiso(jw_t *w, const char *key, int64_t t)
{
    char iso[21];
    time_iso(t, iso);
    jw_kstr(w, key, iso);
}

/* A value as written (domain/indicators.h), a JSON number. */
static void write_value(jw_t *w, double v)
{
    char text[INDICATOR_VALUE_TEXT];
    indicator_value_format(v, text);
    jw_raw(w, text);
}

static int64_t current_year(void)
{
    time_t now = (time_t)now_seconds();
    struct tm tm;
    gmtime_r(&now, &tm);
    return (int64_t)tm.tm_year + 1900;
}

/* ---- the catalogue ---- */

static void indicator_write(jw_t *w, const indicator_t *in, int has_values)
{
    double min, max;
    bool whole;
    indicator_bounds(in->kind, &min, &max, &whole);
    jw_object(w);
    jw_kint(w, "id", in->id);
    jw_kstr(w, "code", in->code);
    jw_kstr(w, "name", in->name);
    jw_kstr(w, "name_en", in->name_en);
    jw_kstr(w, "category", in->category);
    jw_kstr(w, "unit", in->unit);
    jw_kstr(w, "kind", in->kind);
    jw_kbool(w, "lower_is_better", in->lower_is_better);
    jw_kint(w, "position", in->position);
    jw_kbool(w, "retired", in->retired);
    jw_key(w, "bounds");
    jw_object(w);
    jw_key(w, "min");
    write_value(w, min);
    jw_key(w, "max");
    if (isinf(max))
        jw_null(w);
    else
        write_value(w, max);
    jw_kbool(w, "whole", whole);
    jw_end(w);
    if (has_values >= 0)
        jw_kbool(w, "has_values", has_values > 0);
    jw_end(w);
}

/* Does any value of the indicator exist? 1, 0, -1 error. */
static int indicator_has_values(db_t *db, int64_t id)
{
    stmt_t *st = db_query(db, "SELECT 1 FROM indicator_values WHERE indicator_id = $1 LIMIT 1", "I", id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

void api_indicators_list(call_t *c)
{
    const char *all = call_query(c, "all");
    if (call_answered(c))
        return;
    /* ?all=true (retired ones too, with has_values) is an admin's; others get the catalogue */
    bool admin_all = all != NULL && strcmp(all, "true") == 0 && c->user.role == ROLE_ADMIN;
    indicator_t *list;
    int n = indicators_list(c->db, &c->arena, admin_all, &list);
    if (n < 0) {
        call_db_error(c, "indicator list");
        return;
    }
    int *used = arena_alloc(&c->arena, sizeof *used * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        used[i] = admin_all ? indicator_has_values(c->db, list[i].id) : -1;
        if (admin_all && used[i] < 0) {
            call_db_error(c, "indicator use");
            return;
        }
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    for (int i = 0; i < n; i++)
        indicator_write(w, &list[i], used[i]);
    jw_end(w);
    jw_end(w);
}

/* Indicator id (1 found, 0 none, -1 error) into *out. */
static int indicator_by_id(db_t *db, arena_t *a, int64_t id, indicator_t *out)
{
    indicator_t *list;
    int n = indicators_list(db, a, true, &list);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (list[i].id == id) {
            *out = list[i];
            return 1;
        }
    return 0;
}

static void answer_indicator(call_t *c, int status, int64_t id)
{
    indicator_t in;
    int has = indicator_by_id(c->db, &c->arena, id, &in) == 1 ? indicator_has_values(c->db, id) : -1;
    if (has < 0) {
        call_db_error(c, "indicator re-read");
        return;
    }
    indicator_write(call_json_begin(c, status), &in, has);
}

/* The form's checks of the vocabulary (each failing one named). */
static void check_vocabulary(call_t *c, const char *code, const char *category, const char *kind)
{
    if (code != NULL && !indicator_code_valid(code))
        call_invalid(c, "code", "应为 1 到 40 个小写字母、数字或下划线，以字母开头",
                     "must be 1 to 40 lower-case letters, digits or underscores, beginning with a letter");
    if (category != NULL && !indicator_category_valid(category))
        call_invalid(c, "category", "应为 quality、benefit 或 management", "must be quality, benefit or management");
    if (kind != NULL && !indicator_kind_valid(kind))
        call_invalid(c, "kind", "应为 count、share 或 amount", "must be count, share or amount");
}

/* Another indicator (not id) with this code or name: answers 409 and returns true. */
static bool taken(call_t *c, int64_t id, const char *code, const char *name)
{
    stmt_t *st = db_query(c->db, "SELECT code, name FROM indicators WHERE id <> $1 AND (code = $2 OR name = $3) LIMIT 1",
                          "Itt", id, code ? code : "", name ? name : "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    bool code_taken = rc == STORE_ROW && code != NULL && strcmp(stmt_text(st, 0), code) == 0;
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "indicator uniqueness");
    else if (rc == STORE_ROW && code_taken)
        call_error(c, "indicator_code_taken", "code", code);
    else if (rc == STORE_ROW)
        call_error(c, "indicator_name_taken", "name", name);
    return rc != STORE_DONE;
}

void api_indicators_create(call_t *c)
{
    static const char *const fields[] = {"code", "name", "name_en", "category", "unit", "kind", "lower_is_better", NULL};
    const char *code = NULL, *name = NULL, *name_en = NULL, *category = NULL, *unit = NULL, *kind = NULL;
    bool lower = false;
    body_only(c, fields);
    body_string(c, "code", FIELD_REQUIRED, 1, INDICATOR_CODE_MAX, &code);
    body_string(c, "name", FIELD_REQUIRED, 1, INDICATOR_NAME_MAX, &name);
    body_string(c, "name_en", FIELD_REQUIRED, 1, 120, &name_en);
    body_string(c, "category", FIELD_REQUIRED, 1, 20, &category);
    body_string(c, "unit", FIELD_REQUIRED, 1, INDICATOR_UNIT_MAX, &unit);
    body_string(c, "kind", FIELD_REQUIRED, 1, 20, &kind);
    body_bool(c, "lower_is_better", FIELD_OPTIONAL, &lower);
    check_vocabulary(c, code, category, kind);
    if (call_answered(c) || taken(c, 0, code, name))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds();
    int rc = db_begin(c->db) == STORE_DONE ? 1 : -1;
    int64_t id = rc == 1 ? stmt_insert_id(db_query(
                               c->db,
                               "INSERT INTO indicators (code, name, name_en, category, unit, kind, lower_is_better, "
                               "position, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                               "(SELECT COALESCE(MAX(position), 0) + 1 FROM indicators), NULLIF($8, 0), $9, $9) "
                               "ON CONFLICT DO NOTHING RETURNING id",
                               "ttttttbII", code, name, name_en, category, unit, kind, lower,
                               audit_actor_user(&actor), now))
                         : -1;
    if (id == 0) {   /* taken meanwhile */
        db_rollback(c->db);
        taken(c, 0, code, name);
        if (!call_answered(c))
            call_error(c, "indicator_code_taken", "code", code);
        return;
    }
    rc = id > 0 ? 1 : -1;
    if (rc == 1) {
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "code", NULL, code);
        audit_diff_str(&d, "name", NULL, name);
        audit_diff_str(&d, "name_en", NULL, name_en);
        audit_diff_str(&d, "category", NULL, category);
        audit_diff_str(&d, "unit", NULL, unit);
        audit_diff_str(&d, "kind", NULL, kind);
        audit_diff_bool(&d, "lower_is_better", NULL, &lower);
        if (!audit_record_id(c->db, &actor, "indicator.create", "indicator", id, "", NULL, audit_diff_after(&d)))
            rc = -1;
        audit_diff_free(&d);
    }
    if (call_write_done(c, db_finish(c->db, rc), "indicator create"))
        answer_indicator(c, 201, id);
}

void api_indicators_update(call_t *c)
{
    static const char *const fields[] = {"code",  "name",     "name_en",         "category", "unit",
                                         "kind",  "position", "lower_is_better", "retired",  NULL};
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    indicator_t was;
    int found = indicator_by_id(c->db, &c->arena, id, &was);
    if (found <= 0) {
        if (found < 0)
            call_db_error(c, "indicator lookup");
        else
            call_error(c, "indicator_not_found", NULL);
        return;
    }
    indicator_t in = was;
    const char *code = NULL, *name = NULL, *name_en = NULL, *category = NULL, *unit = NULL, *kind = NULL;
    int64_t position = was.position;
    bool lower = was.lower_is_better, retired = was.retired;
    body_only(c, fields);
    body_string(c, "code", FIELD_OPTIONAL, 1, INDICATOR_CODE_MAX, &code);
    body_string(c, "name", FIELD_OPTIONAL, 1, INDICATOR_NAME_MAX, &name);
    body_string(c, "name_en", FIELD_OPTIONAL, 1, 120, &name_en);
    body_string(c, "category", FIELD_OPTIONAL, 1, 20, &category);
    body_string(c, "unit", FIELD_OPTIONAL, 1, INDICATOR_UNIT_MAX, &unit);
    body_string(c, "kind", FIELD_OPTIONAL, 1, 20, &kind);
    body_int(c, "position", FIELD_OPTIONAL, 1, 100000, &position);
    body_bool(c, "lower_is_better", FIELD_OPTIONAL, &lower);
    body_bool(c, "retired", FIELD_OPTIONAL, &retired);
    check_vocabulary(c, code, category, kind);
    if (call_answered(c))
        return;
    /* the fields sent replace the stored ones */
    in.code = code ? code : was.code;
    in.name = name ? name : was.name;
    in.name_en = name_en ? name_en : was.name_en;
    in.category = category ? category : was.category;
    in.unit = unit ? unit : was.unit;
    in.kind = kind ? kind : was.kind;
    in.position = position;
    in.lower_is_better = lower;
    in.retired = retired;
    if (taken(c, id, in.code, in.name))
        return;
    /* code, kind, category and direction are what values mean: fixed once any value exists */
    bool fixed_change = strcmp(in.code, was.code) != 0 || strcmp(in.kind, was.kind) != 0 ||
                        strcmp(in.category, was.category) != 0 || in.lower_is_better != was.lower_is_better;
    audit_actor_t actor = call_actor(c);
    int rc = db_begin(c->db) == STORE_DONE ? 1 : -1;
    if (rc == 1) {
        int64_t n = db_run(c->db,
                           fixed_change
                               ? "UPDATE indicators SET code = $2, name = $3, name_en = $4, category = $5, unit = $6, "
                                 "kind = $7, lower_is_better = $8, position = $9, retired = $10, updated_at = $11 "
                                 "WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = $1)"
                               : "UPDATE indicators SET code = $2, name = $3, name_en = $4, category = $5, unit = $6, "
                                 "kind = $7, lower_is_better = $8, position = $9, retired = $10, updated_at = $11 "
                                 "WHERE id = $1",
                           "IttttttbIbI", id, in.code, in.name, in.name_en, in.category, in.unit, in.kind,
                           in.lower_is_better, in.position, in.retired, now_seconds());
        if (n == 0) {
            db_rollback(c->db);
            call_error(c, "indicator_in_use", NULL);
            return;
        }
        rc = n > 0 ? 1 : -1;
    }
    if (rc == 1) {
        audit_diff_t d;
        audit_diff_init(&d);
        audit_diff_str(&d, "code", was.code, in.code);
        audit_diff_str(&d, "name", was.name, in.name);
        audit_diff_str(&d, "name_en", was.name_en, in.name_en);
        audit_diff_str(&d, "category", was.category, in.category);
        audit_diff_str(&d, "unit", was.unit, in.unit);
        audit_diff_str(&d, "kind", was.kind, in.kind);
        audit_diff_int(&d, "position", &was.position, &in.position);
        audit_diff_bool(&d, "lower_is_better", &was.lower_is_better, &in.lower_is_better);
        audit_diff_bool(&d, "retired", &was.retired, &in.retired);
        if (audit_diff_any(&d) &&
            !audit_record_id(c->db, &actor, in.retired && !was.retired ? "indicator.retire" : "indicator.update",
                             "indicator", id, "", audit_diff_before(&d), audit_diff_after(&d)))
            rc = -1;
        audit_diff_free(&d);
    }
    if (call_write_done(c, db_finish(c->db, rc), "indicator update"))
        answer_indicator(c, 200, id);
}

/* ---- an enterprise's values ---- */

/* Loads enterprise {id} of the path if the caller reaches its indicators (see the top); false
 * after answering 404 enterprise_not_found or the database error. */
static bool enterprise_reached(call_t *c, enterprise_t *e)
{
    if (c->user.role != ROLE_BODY)
        return enterprise_load_in_scope(c, e);
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return false;
    int rc = enterprise_by_id(c->db, &c->arena, id, e);
    int reach = rc == 1 && c->user.body_id > 0 ? body_engaged(c->db, c->user.body_id, id) : rc < 0 ? -1 : 0;
    if (reach < 0) {
        call_db_error(c, "indicator reach");
        return false;
    }
    if (reach == 0) {
        call_error(c, "enterprise_not_found", NULL);
        return false;
    }
    return true;
}

/* The {year} of the path: false after answering 400 indicator_year_out_of_range. */
static bool path_year(call_t *c, int64_t *year)
{
    const char *text = call_param(c, "year");
    char *end = NULL;
    long long y = text && *text ? strtoll(text, &end, 10) : 0;
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)current_year());
    if (end == NULL || *end != '\0' || indicator_year_check(y, current_year()) != NULL) {
        call_error(c, "indicator_year_out_of_range", "year", now);
        return false;
    }
    *year = y;
    return true;
}

#define VALUE_COLUMNS                                                                                       \
    "v.year, i.code, v.value, v.source, v.verified_by_body, COALESCE(b.name, ''), v.verified_audit_id, "    \
    "v.verified_at, v.updated_at"
#define VALUE_FROM                                                                                          \
    " FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id "                                  \
    "LEFT JOIN bodies b ON b.id = v.verified_by_body"

/* One value of a row of VALUE_COLUMNS. */
static void value_write(jw_t *w, stmt_t *st)
{
    jw_object(w);
    jw_kstr(w, "code", stmt_text(st, 1));
    jw_key(w, "value");
    write_value(w, stmt_double(st, 2));
    jw_kstr(w, "source", stmt_text(st, 3));
    jw_key(w, "verified");
    if (stmt_is_null(st, 4)) {
        jw_null(w);
    } else {
        jw_object(w);
        jw_key(w, "body");
        jw_object(w);
        jw_kint(w, "id", stmt_int(st, 4));
        jw_kstr(w, "name", stmt_text(st, 5));
        jw_end(w);
        jw_kid(w, "audit_id", stmt_is_null(st, 6) ? 0 : stmt_int(st, 6));
        kiso(w, "at", stmt_is_null(st, 7) ? 0 : stmt_int(st, 7));
        jw_end(w);
    }
    kiso(w, "updated_at", stmt_int(st, 8));
    jw_end(w);
}

/* Writes "years": [{year, values: [...]}] of the enterprise (only year when > 0), in the
 * catalogue's order within a year. False on a database error (the writer then unbalanced). */
static bool years_write(call_t *c, jw_t *w, int64_t enterprise_id, int64_t only_year)
{
    stmt_t *st = db_query(c->db,
                          "SELECT " VALUE_COLUMNS VALUE_FROM " WHERE v.enterprise_id = $1 AND ($2 = 0 OR v.year = $2) "
                          "ORDER BY v.year, i.position, i.id",
                          "II", enterprise_id, only_year);
    if (st == NULL)
        return false;
    jw_key(w, "years");
    jw_array(w);
    int64_t year = 0;
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW) {
        if (stmt_int(st, 0) != year) {
            if (year != 0) {
                jw_end(w);
                jw_end(w);
            }
            year = stmt_int(st, 0);
            jw_object(w);
            jw_kint(w, "year", year);
            jw_key(w, "values");
            jw_array(w);
        }
        value_write(w, st);
    }
    stmt_done(st);
    if (year != 0) {
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    return rc == STORE_DONE;
}

static void answer_values(call_t *c, const enterprise_t *e)
{
    indicator_t *list;
    int n = indicators_list(c->db, &c->arena, true, &list);
    if (n < 0) {
        call_db_error(c, "indicator list");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "enterprise_id", e->id);
    jw_kstr(w, "enterprise_name", e->name);
    jw_kint(w, "current_year", current_year());
    jw_key(w, "indicators");
    jw_array(w);
    for (int i = 0; i < n; i++)
        indicator_write(w, &list[i], -1);
    jw_end(w);
    if (!years_write(c, w, e->id, 0)) {
        buf_reset(&c->out);
        c->status = 0;
        call_db_error(c, "indicator values");
        return;
    }
    jw_end(w);
}

void api_enterprise_indicators_show(call_t *c)
{
    enterprise_t e;
    if (enterprise_reached(c, &e))
        answer_values(c, &e);
}

/* The answer of a write: {"year","changed","unchanged","values":[…]} (a save) or
 * {"year","marked","values":[…]} (a verification; unchanged < 0): the year's values now. */
static void answer_year(call_t *c, int64_t enterprise_id, int64_t year, int64_t changed, int64_t unchanged)
{
    stmt_t *st = db_query(c->db,
                          "SELECT " VALUE_COLUMNS VALUE_FROM " WHERE v.enterprise_id = $1 AND v.year = $2 "
                          "ORDER BY i.position, i.id",
                          "II", enterprise_id, year);
    if (st == NULL) {
        call_db_error(c, "indicator values");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "year", year);
    if (unchanged < 0) {
        jw_kint(w, "marked", changed);
    } else {
        jw_kint(w, "changed", changed);
        jw_kint(w, "unchanged", unchanged);
    }
    jw_key(w, "values");
    jw_array(w);
    int rc;
    while ((rc = stmt_step(st)) == STORE_ROW)
        value_write(w, st);
    stmt_done(st);
    if (rc != STORE_DONE) {
        buf_reset(&c->out);
        c->status = 0;
        call_db_error(c, "indicator values");
        return;
    }
    jw_end(w);
    jw_end(w);
}

/* Takes the enterprise row's lock in the open transaction (PostgreSQL: SELECT … FOR UPDATE), so
 * that writers of its values go one after the other and each event holds the value it replaced;
 * SQLite's BEGIN IMMEDIATE does the same already. False on a database error. */
static bool lock_enterprise(db_t *db, int64_t enterprise_id)
{
    if (store_kind(db_store(db)) != STORE_POSTGRES)
        return true;
    return db_run(db, "SELECT id FROM enterprises WHERE id = $1 FOR UPDATE", "I", enterprise_id) >= 0;
}

void api_enterprise_indicators_put(call_t *c)
{
    static const char *const fields[] = {"values", NULL};
    enterprise_t e;
    int64_t year = 0;
    if (!enterprise_reached(c, &e))
        return;
    if (!(c->user.role == ROLE_ADMIN || (c->user.role == ROLE_ENTERPRISE && c->user.enterprise_id == e.id))) {
        call_error(c, "forbidden", NULL);
        return;
    }
    path_year(c, &year);
    body_only(c, fields);
    json_t *values = json_object_get(c->body, "values");
    if (values == NULL)
        call_error(c, "missing_field", "values", "values");
    else if (!json_is_object(values))
        call_error(c, "wrong_type", "values", "values", c->lang == LANG_EN ? "an object" : "对象");
    if (call_answered(c))
        return;
    indicator_t *list;
    int n = indicators_list(c->db, &c->arena, true, &list);
    if (n < 0) {
        call_db_error(c, "indicator list");
        return;
    }
    /* every value checked first: one answer names every bad one, nothing written */
    size_t count = json_object_size(values), k = 0;
    indicator_value_write_t *writes = arena_alloc(&c->arena, sizeof *writes * (count > 0 ? count : 1));
    const indicator_t **which = arena_alloc(&c->arena, sizeof *which * (count > 0 ? count : 1));
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
        char field[96];
        snprintf(field, sizeof field, "values.%s", key);
        const indicator_t *in = NULL;
        for (int i = 0; i < n && in == NULL; i++)
            if (strcmp(list[i].code, key) == 0)
                in = &list[i];
        if (in == NULL) {
            call_error(c, "unknown_indicator", field, key);
            continue;
        }
        if (!json_is_null(v) && !json_is_number(v)) {
            call_error(c, "wrong_type", field, field, c->lang == LANG_EN ? "a number or null" : "数字或 null");
            continue;
        }
        double value = json_is_null(v) ? 0 : json_number_value(v);
        const char *bad = json_is_null(v) ? NULL : indicator_value_check(in->kind, value);
        if (bad != NULL) {
            const char *label = c->lang == LANG_EN ? in->name_en : in->name;
            if (strcmp(bad, "indicator_not_whole") == 0)
                call_error(c, bad, field, label);
            else
                call_error(c, bad, field, label, indicator_bounds_text(in->kind));
            continue;
        }
        which[k] = in;
        writes[k++] = (indicator_value_write_t){
            .indicator_id = in->id, .year = year, .value = value, .remove = json_is_null(v)};
    }
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    size_t changed = 0, unchanged = 0;
    int rc = db_begin(c->db) == STORE_DONE && lock_enterprise(c->db, e.id) ? 1 : -1;
    /* the values as stored before, for the audit entry */
    double *before = arena_alloc(&c->arena, sizeof *before * (k > 0 ? k : 1));
    bool *had = arena_alloc(&c->arena, sizeof *had * (k > 0 ? k : 1));
    for (size_t i = 0; rc == 1 && i < k; i++) {
        stmt_t *st = db_query(c->db,
                              "SELECT value FROM indicator_values WHERE enterprise_id = $1 AND indicator_id = $2 AND "
                              "year = $3",
                              "III", e.id, writes[i].indicator_id, year);
        int r = st ? stmt_step(st) : STORE_ERROR;
        had[i] = r == STORE_ROW;
        before[i] = had[i] ? stmt_double(st, 0) : 0;
        stmt_done(st);
        if (r == STORE_ERROR)
            rc = -1;
    }
    if (rc == 1 && indicator_values_write(c->db, &actor, e.id, writes, k, "form", 0, &changed, &unchanged) != 0)
        rc = -1;
    if (rc == 1 && changed > 0) {
        /* before/after of the changed values only: {"code": value|null} */
        buf_t b, a;
        buf_init(&b, 256);
        buf_init(&a, 256);
        jw_t wb, wa;
        jw_init(&wb, &b);
        jw_init(&wa, &a);
        jw_object(&wb);
        jw_object(&wa);
        for (size_t i = 0; i < k; i++) {
            bool same = writes[i].remove ? !had[i] : had[i] && before[i] == writes[i].value;
            if (same)
                continue;
            jw_key(&wb, which[i]->code);
            if (had[i])
                write_value(&wb, before[i]);
            else
                jw_null(&wb);
            jw_key(&wa, which[i]->code);
            if (writes[i].remove)
                jw_null(&wa);
            else
                write_value(&wa, writes[i].value);
        }
        jw_end(&wb);
        jw_end(&wa);
        char entity_id[48];
        snprintf(entity_id, sizeof entity_id, "%lld:%lld", (long long)e.id, (long long)year);
        if (!audit_record(c->db, &actor, "indicator_values.save", "indicator_values", entity_id, e.region, b.data,
                          a.data) ||
            !effectiveness_refresh_enqueue(c->db))
            rc = -1;
        buf_free(&b);
        buf_free(&a);
    }
    if (call_write_done(c, db_finish(c->db, rc), "indicator values"))
        answer_year(c, e.id, year, (int64_t)changed, (int64_t)unchanged);
}

/* ---- history ---- */

static void event_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    jw_object(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "indicator", stmt_text(st, 1));
    jw_kint(w, "year", stmt_int(st, 2));
    jw_kstr(w, "action", stmt_text(st, 3));
    jw_key(w, "old");
    if (stmt_is_null(st, 4))
        jw_null(w);
    else
        write_value(w, stmt_double(st, 4));
    jw_key(w, "new");
    if (stmt_is_null(st, 5))
        jw_null(w);
    else
        write_value(w, stmt_double(st, 5));
    jw_kstr(w, "source", stmt_text(st, 6));
    jw_kid(w, "import_id", stmt_is_null(st, 7) ? 0 : stmt_int(st, 7));
    jw_kid(w, "user_id", stmt_is_null(st, 8) ? 0 : stmt_int(st, 8));
    jw_kstr(w, "user_name", stmt_text(st, 9));
    jw_kid(w, "body_id", stmt_is_null(st, 10) ? 0 : stmt_int(st, 10));
    jw_kstr(w, "body_name", stmt_text(st, 11));
    kiso(w, "at", stmt_int(st, 12));
    jw_end(w);
}

void api_enterprise_indicators_history(call_t *c)
{
    enterprise_t e;
    if (!enterprise_reached(c, &e))
        return;
    int page, per_page;
    int64_t year = 0;
    if (!call_page(c, &page, &per_page) || !call_query_int(c, "year", INDICATOR_FIRST_YEAR, 2100, &year))
        return;
    const char *code = call_query(c, "indicator");
    if (call_answered(c))
        return;
    int64_t indicator_id = 0;
    if (code != NULL && *code != '\0') {
        indicator_t in;
        int found = indicator_find(c->db, &c->arena, code, &in);
        if (found < 0) {
            call_db_error(c, "indicator lookup");
            return;
        }
        if (found == 0) {
            call_error(c, "unknown_indicator", "indicator", code);
            return;
        }
        indicator_id = in.id;
    }
#define EVENT_FROM                                                                                          \
    " FROM indicator_value_events x JOIN indicators i ON i.id = x.indicator_id "                            \
    "LEFT JOIN users u ON u.id = x.user_id LEFT JOIN bodies b ON b.id = x.body_id WHERE x.enterprise_id = $?"
    query_t count, list;
    query_init(&count, "SELECT COUNT(*)");
    query_init(&list, "SELECT x.id, i.code, x.year, x.action, x.old_value, x.new_value, x.source, x.import_id, "
                      "x.user_id, COALESCE(u.name, ''), x.body_id, COALESCE(b.name, ''), x.at");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_int(both[i], EVENT_FROM, e.id);
        if (indicator_id > 0)
            query_and_int(both[i], "x.indicator_id = $?", indicator_id);
        if (year > 0)
            query_and_int(both[i], "x.year = $?", year);
    }
#undef EVENT_FROM
    query_sql(&list, " ORDER BY x.id DESC");
    answer_list(c, &count, &list, page, per_page, event_row, "indicator history");
}

/* ---- verification ---- */

void api_enterprise_indicators_verify(call_t *c)
{
    static const char *const fields[] = {"audit_id", "indicators", "verified", NULL};
    enterprise_t e;
    int64_t year = 0, audit_id = 0;
    bool verified = true;
    const char **codes = NULL;
    int ncodes = 0;
    if (!enterprise_reached(c, &e))
        return;
    path_year(c, &year);
    body_only(c, fields);
    body_int(c, "audit_id", FIELD_REQUIRED, 1, INT64_MAX, &audit_id);
    body_string_list(c, "indicators", FIELD_OPTIONAL, VERIFY_MAX_CODES, NULL, &codes, &ncodes);
    body_bool(c, "verified", FIELD_OPTIONAL, &verified);
    if (call_answered(c))
        return;
    int64_t body_id = c->user.body_id;
    /* the body's own audit of this enterprise */
    stmt_t *st = db_query(c->db, "SELECT 1 FROM audits WHERE id = $1 AND body_id = $2 AND enterprise_id = $3", "III",
                          audit_id, body_id, e.id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    stmt_done(st);
    if (rc == STORE_ERROR) {
        call_db_error(c, "audit lookup");
        return;
    }
    if (rc != STORE_ROW)
        call_error(c, "unknown_audit", "audit_id");
    int64_t *ids = arena_alloc(&c->arena, sizeof *ids * (size_t)(ncodes > 0 ? ncodes : 1));
    for (int i = 0; i < ncodes; i++) {
        indicator_t in;
        int found = indicator_find(c->db, &c->arena, codes[i], &in);
        if (found < 0) {
            call_db_error(c, "indicator lookup");
            return;
        }
        char field[32];
        snprintf(field, sizeof field, "indicators[%d]", i);
        if (found == 0)
            call_error(c, "unknown_indicator", field, codes[i]);
        else
            ids[i] = in.id;
    }
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t marked = -1;
    int ok = db_begin(c->db) == STORE_DONE && lock_enterprise(c->db, e.id) ? 1 : -1;
    if (ok == 1)
        marked = indicator_values_verify(c->db, &actor, e.id, year, ids, (size_t)ncodes, body_id, audit_id, verified);
    if (marked < 0)
        ok = -1;
    if (ok == 1 && marked > 0) {
        buf_t a;
        buf_init(&a, 256);
        jw_t w;
        jw_init(&w, &a);
        jw_object(&w);
        jw_kint(&w, "audit_id", audit_id);
        jw_kbool(&w, "verified", verified);
        jw_kint(&w, "values", marked);
        if (ncodes > 0) {
            jw_key(&w, "indicators");
            jw_array(&w);
            for (int i = 0; i < ncodes; i++)
                jw_str(&w, codes[i]);
            jw_end(&w);
        }
        jw_end(&w);
        char entity_id[48];
        snprintf(entity_id, sizeof entity_id, "%lld:%lld", (long long)e.id, (long long)year);
        if (!audit_record(c->db, &actor, verified ? "indicator_values.verify" : "indicator_values.unverify",
                          "indicator_values", entity_id, e.region, NULL, a.data) ||
            !effectiveness_refresh_enqueue(c->db))
            ok = -1;
        buf_free(&a);
    }
    if (call_write_done(c, db_finish(c->db, ok), "indicator verification"))
        answer_year(c, e.id, year, marked, -1);
}

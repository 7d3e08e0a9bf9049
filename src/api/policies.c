/* The registry of local policies and their review (issue 12, docs/policies.md "Registry and
 * review"): a regulator registers a policy of a region within its reach, with its text pasted or
 * uploaded (POST /api/policy-files, text extracted with core/document_text.h); each revision is
 * checked with the current rule set (api/policy_checks.h, domain/policy_check.h) and its
 * findings kept with it in one transaction (store/policies.h); the regulator decides on each
 * finding and sets the review's outcome (guarded inside the write); the report (PDF, XLSX) is
 * made from the same detail document GET /api/policies/{id} answers (policy_detail_json). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/policy_checks.h"
#include "core/dates.h"
#include "core/document_text.h"
#include "core/filetype.h"
#include "core/log.h"
#include "core/regions.h"
#include "domain/scope.h"
#include "report/notices.h"
#include "report/policy_report.h"
#include "store/files.h"
#include "store/policies.h"

enum {
    POLICY_TEXT_MAX_BYTES = 1u << 20,     /* 1 MB of UTF-8, pasted or extracted */
    POLICY_TITLE_MAX_CHARS = 200,
    POLICY_NUMBER_MAX_CHARS = 100,
    POLICY_NOTE_MAX_CHARS = 2000,
};

static const char *lang_code(const call_t *c)
{
    return c->lang == LANG_EN ? "en" : "zh";
}

/* ---- checking a text (also the demo seed's way in: api.h) ---- */

json_t *policy_check_current(db_t *db, const char *text, const char *lang, int64_t *version)
{
    const policy_ruleset_t *rs = policy_ruleset_current(db, version);
    return rs != NULL ? policy_check_text(rs, text, strlen(text), lang) : NULL;
}

/* ---- reading: the detail document (one function for the answer and the reports) ---- */

static void put_time(json_t *o, const char *key, stmt_t *st, int col)
{
    if (stmt_is_null(st, col)) {
        json_object_set_new(o, key, json_null());
        return;
    }
    char at[21];
    time_iso(stmt_int(st, col), at);
    json_object_set_new(o, key, json_string(at));
}

static void put_text_or_null(json_t *o, const char *key, stmt_t *st, int col)
{
    json_object_set_new(o, key, stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col)));
}

static json_t *counts_json(int64_t pending, int64_t confirmed, int64_t dismissed)
{
    return json_pack("{sIsIsI}", "pending", (json_int_t)pending, "confirmed", (json_int_t)confirmed, "dismissed",
                     (json_int_t)dismissed);
}

#define FINDING_COLUMNS                                                                                        \
    "f.id, f.rule, f.severity, f.start_char, f.end_char, f.excerpt, f.decision, f.reason, u.name, f.decided_at, " \
    "r.ruleset_version"
#define FINDING_FROM                                                                                  \
    "policy_findings f JOIN policy_revisions r ON r.id = f.revision_id LEFT JOIN users u ON u.id = " \
    "f.decided_by"

/* A finding row (FINDING_COLUMNS) as schema PolicyFinding, its explanation from the rule set it
 * was found with. */
static json_t *finding_json(db_t *db, stmt_t *st, const char *lang)
{
    const policy_ruleset_t *rs = policy_ruleset_version(db, stmt_int(st, 10));
    const char *explanation = rs != NULL ? policy_rule_explanation(rs, stmt_text(st, 1), lang) : NULL;
    json_t *f = json_object();
    json_object_set_new(f, "id", json_integer(stmt_int(st, 0)));
    json_object_set_new(f, "rule", json_string(stmt_text(st, 1)));
    json_object_set_new(f, "severity", json_string(stmt_text(st, 2)));
    json_object_set_new(f, "start", json_integer(stmt_int(st, 3)));
    json_object_set_new(f, "end", json_integer(stmt_int(st, 4)));
    json_object_set_new(f, "excerpt", json_string(stmt_text(st, 5)));
    json_object_set_new(f, "explanation", json_string(explanation ? explanation : ""));
    json_object_set_new(f, "decision", json_string(stmt_text(st, 6)));
    json_object_set_new(f, "reason", json_string(stmt_text(st, 7)));
    put_text_or_null(f, "decided_by", st, 8);
    put_time(f, "decided_at", st, 9);
    return f;
}

/* The counts of the current revision's findings by decision (an SQL expression over p). */
#define CURRENT_COUNT(decision)                                                                            \
    "(SELECT COUNT(*) FROM policy_findings f JOIN policy_revisions r ON r.id = f.revision_id WHERE "     \
    "r.policy_id = p.id AND r.revision = p.current_revision AND f.decision = '" decision "')"

#define POLICY_COLUMNS                                                                                  \
    "p.id, p.title, p.office, p.region, p.document_number, p.issued_on, p.status, p.current_revision, " \
    CURRENT_COUNT("pending") ", " CURRENT_COUNT("confirmed") ", " CURRENT_COUNT("dismissed") ", p.updated_at"
#define POLICY_DETAIL_COLUMNS                                                                            \
    POLICY_COLUMNS ", p.effective_from, p.effective_until, p.status_note, su.name, p.status_at, p.created_at"
#define POLICY_DETAIL_FROM "policies p LEFT JOIN users su ON su.id = p.status_by"

/* The list's members of a policy row (POLICY_COLUMNS) into o. */
static void summary_fill(json_t *o, stmt_t *st)
{
    char path[256] = "";
    region_path(stmt_text(st, 3), path, sizeof path);
    json_object_set_new(o, "id", json_integer(stmt_int(st, 0)));
    json_object_set_new(o, "title", json_string(stmt_text(st, 1)));
    json_object_set_new(o, "office", json_string(stmt_text(st, 2)));
    json_object_set_new(o, "region", json_string(stmt_text(st, 3)));
    json_object_set_new(o, "region_name", json_string(path));
    json_object_set_new(o, "document_number", json_string(stmt_text(st, 4)));
    put_text_or_null(o, "issued_on", st, 5);
    json_object_set_new(o, "status", json_string(stmt_text(st, 6)));
    json_object_set_new(o, "current_revision", json_integer(stmt_int(st, 7)));
    json_object_set_new(o, "findings", counts_json(stmt_int(st, 8), stmt_int(st, 9), stmt_int(st, 10)));
    put_time(o, "updated_at", st, 11);
}

json_t *policy_detail_json(db_t *db, int64_t id, const char *lang)
{
    stmt_t *st = db_query(db, "SELECT " POLICY_DETAIL_COLUMNS " FROM " POLICY_DETAIL_FROM " WHERE p.id = $1", "I", id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        return NULL;
    }
    json_t *doc = json_object();
    summary_fill(doc, st);
    json_object_set(doc, "finding_counts", json_object_get(doc, "findings"));
    put_text_or_null(doc, "effective_from", st, 12);
    put_text_or_null(doc, "effective_until", st, 13);
    json_object_set_new(doc, "status_note", json_string(stmt_text(st, 14)));
    put_text_or_null(doc, "status_by", st, 15);
    put_time(doc, "status_at", st, 16);
    put_time(doc, "created_at", st, 17);
    int64_t current = stmt_int(st, 7);
    stmt_done(st);

    bool ok = false;
    st = db_query(db,
                  "SELECT r.revision, r.text, r.source_format, r.file_id, r.ruleset_version, r.created_at FROM "
                  "policy_revisions r WHERE r.policy_id = $1 AND r.revision = $2",
                  "II", id, current);
    if (st != NULL && stmt_step(st) == STORE_ROW) {
        json_t *rev = json_object();
        json_object_set_new(rev, "revision", json_integer(stmt_int(st, 0)));
        json_object_set_new(rev, "text", json_string(stmt_text(st, 1)));
        json_object_set_new(rev, "source_format", json_string(stmt_text(st, 2)));
        json_object_set_new(rev, "file_id", stmt_is_null(st, 3) ? json_null() : json_integer(stmt_int(st, 3)));
        json_object_set_new(rev, "ruleset_version", json_integer(stmt_int(st, 4)));
        put_time(rev, "created_at", st, 5);
        json_object_set_new(doc, "revision", rev);
        ok = true;
    }
    stmt_done(st);

    json_t *findings = json_array();
    json_object_set_new(doc, "findings", findings);
    st = ok ? db_query(db,
                       "SELECT " FINDING_COLUMNS " FROM " FINDING_FROM " WHERE r.policy_id = $1 AND r.revision = $2 "
                       "ORDER BY f.start_char, f.end_char, f.id",
                       "II", id, current)
            : NULL;
    int rc = STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
        json_array_append_new(findings, finding_json(db, st, lang));
    stmt_done(st);
    ok = rc == STORE_DONE;

    json_t *revisions = json_array();
    json_object_set_new(doc, "revisions", revisions);
    st = ok ? db_query(db,
                       "SELECT r.revision, r.created_at, "
                       "(SELECT COUNT(*) FROM policy_findings f WHERE f.revision_id = r.id AND f.decision = 'pending'), "
                       "(SELECT COUNT(*) FROM policy_findings f WHERE f.revision_id = r.id AND f.decision = 'confirmed'), "
                       "(SELECT COUNT(*) FROM policy_findings f WHERE f.revision_id = r.id AND f.decision = 'dismissed') "
                       "FROM policy_revisions r WHERE r.policy_id = $1 ORDER BY r.revision",
                       "I", id)
            : NULL;
    rc = STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        json_t *r = json_object();
        json_object_set_new(r, "revision", json_integer(stmt_int(st, 0)));
        put_time(r, "created_at", st, 1);
        json_object_set_new(r, "findings", counts_json(stmt_int(st, 2), stmt_int(st, 3), stmt_int(st, 4)));
        json_array_append_new(revisions, r);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* Answers a JSON document built with jansson. */
static void answer_doc(call_t *c, int status, const json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    if (text == NULL) {
        call_error(c, "internal_error", NULL);
        return;
    }
    jw_raw(call_json_begin(c, status), text);
    free(text);
}

static void answer_detail(call_t *c, int status, int64_t id)
{
    json_t *doc = policy_detail_json(c->db, id, lang_code(c));
    if (doc == NULL) {
        call_db_error(c, "policy detail");
        return;
    }
    answer_doc(c, status, doc);
    json_decref(doc);
}

typedef struct policy_ref {
    int64_t id;
    const char *region;
} policy_ref_t;

/* Policy {id} of the path within the caller's region (domain/scope.h), else 404. */
static bool policy_load_in_scope(call_t *c, policy_ref_t *p)
{
    p->id = call_param_id(c, "id");
    if (p->id == 0)
        return false;
    stmt_t *st = db_query(c->db, "SELECT region FROM policies WHERE id = $1", "I", p->id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW)
        p->region = arena_strdup(&c->arena, stmt_text(st, 0));
    stmt_done(st);
    if (rc == STORE_ERROR)
        call_db_error(c, "policy lookup");
    else if (rc == STORE_DONE || !scope_allows(&c->user, 0, 0, p->region))
        call_error(c, "policy_not_found", NULL);
    return rc == STORE_ROW && !call_answered(c);
}

/* ---- lists ---- */

static void policy_row(call_t *c, stmt_t *st, jw_t *w)
{
    (void)c;
    json_t *o = json_object();
    summary_fill(o, st);
    char *text = json_dumps(o, JSON_COMPACT);
    jw_raw(w, text ? text : "null");
    free(text);
    json_decref(o);
}

static bool status_valid(const char *s)
{
    return strcmp(s, "unreviewed") == 0 || strcmp(s, "compliant") == 0 || strcmp(s, "to_amend") == 0 ||
           strcmp(s, "amended") == 0;
}

void api_policies_list(call_t *c)
{
    static const scope_columns_t cols = {.region = "p.region"};
    int page, per_page;
    if (!call_page(c, &page, &per_page))
        return;
    const char *region = call_query(c, "region"), *status = call_query(c, "status"), *q = call_query(c, "q");
    if (call_answered(c))
        return;
    if (region != NULL && !region_filter_valid(region)) {
        call_error(c, "invalid_query", "region", "region");
        return;
    }
    if (status != NULL && *status != '\0' && !status_valid(status)) {
        call_error(c, "invalid_query", "status", "status");
        return;
    }
    char prefix[7] = "";
    if (region != NULL && *region != '\0')
        region_prefix(region, prefix);    /* "440000" → "44"; a bare prefix stays */
    const char *region_like = *prefix != '\0' ? query_like(&c->arena, prefix, false) : NULL;
    const char *q_like = q != NULL && *q != '\0' ? query_like(&c->arena, q, true) : NULL;
    const reach_t reach = scope_reach(&c->user);
    query_t count, list;
    query_init(&count, "SELECT COUNT(*) FROM policies p WHERE TRUE");
    query_init(&list, "SELECT " POLICY_COLUMNS " FROM policies p WHERE TRUE");
    query_t *both[] = {&count, &list};
    for (int i = 0; i < 2; i++) {
        query_scope(both[i], &reach, &cols);
        if (region_like != NULL)
            query_and_text(both[i], "p.region LIKE $? ESCAPE '\\'", region_like);
        if (status != NULL && *status != '\0')
            query_and_text(both[i], "p.status = $?", status);
        if (q_like != NULL) {
            query_and_text(both[i], "(p.title LIKE $? ESCAPE '\\'", q_like);
            query_text(both[i], " OR p.office LIKE $? ESCAPE '\\'", q_like);
            query_text(both[i], " OR p.document_number LIKE $? ESCAPE '\\')", q_like);
        }
    }
    query_sql(&list, " ORDER BY p.updated_at DESC, p.id DESC");
    answer_list(c, &count, &list, page, per_page, policy_row, "policy list");
}

void api_policies_by_region(call_t *c)
{
    static const scope_columns_t cols = {.region = "p.region"};
    const reach_t reach = scope_reach(&c->user);
    query_t q;
    query_init(&q,
               "SELECT SUBSTR(p.region, 1, 2) AS province, COUNT(*), "
               "SUM(CASE WHEN p.status = 'unreviewed' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN p.status = 'compliant' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN p.status = 'to_amend' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN p.status = 'amended' THEN 1 ELSE 0 END) FROM policies p WHERE TRUE");
    query_scope(&q, &reach, &cols);
    query_sql(&q, " GROUP BY SUBSTR(p.region, 1, 2) ORDER BY SUBSTR(p.region, 1, 2)");
    stmt_t *st = query_run(c->db, &q);
    int rc = STORE_ERROR;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_key(w, "regions");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW) {
            char code[8], path[256] = "";
            snprintf(code, sizeof code, "%.2s0000", stmt_text(st, 0));
            region_path(code, path, sizeof path);
            jw_object(w);
            jw_kstr(w, "region", code);
            jw_kstr(w, "region_name", path);
            jw_kint(w, "total", stmt_int(st, 1));
            jw_kint(w, "unreviewed", stmt_int(st, 2));
            jw_kint(w, "compliant", stmt_int(st, 3));
            jw_kint(w, "to_amend", stmt_int(st, 4));
            jw_kint(w, "amended", stmt_int(st, 5));
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    query_free(&q);
    if (rc != STORE_DONE)
        call_db_error(c, "policies by region");
}

/* ---- uploads ---- */

/* Types libmagic gives policy documents (a DOCX is sometimes only "a zip"); the format is then
 * decided by document_format_detect. */
static const char *const policy_file_types[] = {
    "text/plain", "text/html", "text/xml", "application/xml", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip", NULL};

void api_policy_files_upload(call_t *c)
{
    const char *name, *type;
    if (!upload_read(c, policy_file_types, &name, &type))
        return;
    document_format_t format = document_format_detect(c->body_data, c->body_len);
    if (format == DOCUMENT_UNKNOWN) {
        call_error(c, "document_unsupported", NULL);
        return;
    }
    audit_actor_t actor = call_actor(c);
    int64_t now = now_seconds(), id = -1;
    if (db_begin(c->db) == STORE_DONE)
        id = policy_file_insert(c->db, &actor, name, type, document_format_name(format), c->body_data, c->body_len,
                                now);
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "policy file upload"))
        return;
    char created[21];
    time_iso(now, created);
    jw_t *w = call_json_begin(c, 201);
    jw_object(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_kstr(w, "type", type);
    jw_kint(w, "size", (int64_t)c->body_len);
    jw_kstr(w, "source_format", document_format_name(format));
    jw_kstr(w, "created_at", created);
    jw_end(w);
}

/* ---- writes ---- */

/* A revision's text as the body gives it: "text" or "file_id" (exactly one). */
typedef struct revision_input {
    const char *text;
    int64_t file_id;
} revision_input_t;

/* The validators of "text" and "file_id": each failure recorded (collected with the form's
 * others, call_error), nothing answered otherwise. */
static void revision_input_read(call_t *c, revision_input_t *in)
{
    body_string(c, "text", FIELD_KEEP_BLANKS, 0, POLICY_TEXT_MAX_BYTES, &in->text);
    body_int(c, "file_id", 0, 1, INT64_MAX, &in->file_id);
    if (in->text != NULL) {
        bool blank = true;
        for (const char *p = in->text; *p && blank; p++)
            blank = strchr(" \t\r\n\f\v", *p) != NULL;
        if (strlen(in->text) > POLICY_TEXT_MAX_BYTES)
            call_error(c, "policy_text_too_long", "text");
        else if (blank)
            call_error(c, "blank_field", "text", "text");
    }
    if (in->text != NULL && in->file_id != 0)
        call_invalid(c, "file_id", "正文 text 与上传文件 file_id 只能提供其一", "give either text or file_id, not both");
    else if (in->text == NULL && in->file_id == 0)
        call_error(c, "missing_field", "text", "text");   /* only when "text" had no error of its own */
}

/* The text of a new revision from a valid input (a file's text extracted), checked with the
 * current rule set: false after answering. t->findings is a new reference (the caller
 * json_decref's it). */
static bool revision_text(call_t *c, const revision_input_t *in, policy_text_t *t)
{
    const char *text = in->text;
    int64_t file_id = in->file_id;
    t->source_format = "text";
    t->file_id = 0;
    if (text == NULL) {
        stmt_t *st = db_query(c->db,
                              "SELECT sha256, source_format, COALESCE(uploaded_by, 0) FROM policy_files WHERE id = $1",
                              "I", file_id);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        const char *sha = NULL, *format = NULL;
        int64_t uploader = 0;
        if (rc == STORE_ROW) {
            sha = arena_strdup(&c->arena, stmt_text(st, 0));
            format = arena_strdup(&c->arena, stmt_text(st, 1));
            uploader = stmt_int(st, 2);
        }
        stmt_done(st);
        if (rc == STORE_ERROR) {
            call_db_error(c, "policy file lookup");
            return false;
        }
        if (rc == STORE_DONE || (c->user.role != ROLE_ADMIN && uploader != c->user.id)) {
            call_invalid(c, "file_id", "没有这个上传文件（须先由本人通过 POST /api/policy-files 上传）",
                         "no such uploaded file (upload it yourself first with POST /api/policy-files)");
            return false;
        }
        buf_t raw, out;
        buf_init(&raw, 64u << 20);
        buf_init(&out, 16u << 20);
        const char *code = NULL;
        document_format_t f = DOCUMENT_TEXT;
        for (int k = DOCUMENT_TEXT; k < DOCUMENT_UNKNOWN; k++)
            if (strcmp(document_format_name((document_format_t)k), format) == 0)
                f = (document_format_t)k;
        int read = file_content_read(c->db, sha, &raw);
        bool extracted = read == 1 && document_text_extract(f, raw.data, raw.len, &out, &code);
        if (read != 1)
            call_db_error(c, "policy file read");
        else if (!extracted)
            call_error(c, code != NULL ? code : "document_unreadable", "file_id");
        else if (out.len > POLICY_TEXT_MAX_BYTES)
            call_error(c, "policy_text_too_long", "file_id");
        else if (!utf8_valid(out.data ? out.data : "", out.len, NULL) || memchr(out.data ? out.data : "", 0, out.len))
            call_error(c, "document_encoding", "file_id");
        else if (out.len == 0)
            call_error(c, "document_no_text", "file_id");
        else {
            text = arena_strndup(&c->arena, out.data, out.len);
            t->source_format = format;
            t->file_id = file_id;
        }
        buf_free(&raw);
        buf_free(&out);
        if (call_answered(c))
            return false;
    }
    t->text = text;
    t->findings = policy_check_current(c->db, text, lang_code(c), &t->ruleset_version);
    if (t->findings == NULL) {
        call_db_error(c, "policy check");
        return false;
    }
    return true;
}

/* A date member: YYYY-MM-DD, or null/"" for none ("" in *out for none). */
static void body_date(call_t *c, const char *field, const char **out)
{
    const char *d = "-";   /* unset: absent, or refused by body_string */
    body_string(c, field, FIELD_NULLABLE, 0, 10, &d);
    if (d != NULL && strcmp(d, "-") == 0)
        return;
    if (d != NULL && *d != '\0' && !date_valid(d)) {
        call_invalid(c, field, "日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD");
        return;
    }
    *out = d != NULL ? d : "";
}

/* The validators of the metadata (required ones when creating): each failure recorded. */
static void policy_meta_read(call_t *c, bool creating, policy_meta_t *m)
{
    unsigned req = creating ? FIELD_REQUIRED : 0;
    body_string(c, "title", req, 1, POLICY_TITLE_MAX_CHARS, &m->title);
    body_string(c, "office", req, 1, POLICY_TITLE_MAX_CHARS, &m->office);
    body_string(c, "region", req, 6, 6, &m->region);
    body_string(c, "document_number", 0, 0, POLICY_NUMBER_MAX_CHARS, &m->document_number);
    body_date(c, "issued_on", &m->issued_on);
    body_date(c, "effective_from", &m->effective_from);
    body_date(c, "effective_until", &m->effective_until);
    if (m->region != NULL && (region_find(m->region) == NULL || strcmp(m->region, "000000") == 0))
        call_invalid(c, "region", "应为 GB/T 2260 行政区划代码（省、市或区县）",
                     "must be a GB/T 2260 code (province, city or county)");
}

/* After the validators passed: the dates in order, the region within the caller's reach. */
static bool policy_meta_allowed(call_t *c, const policy_meta_t *m)
{
    if (m->effective_from != NULL && m->effective_until != NULL && *m->effective_from && *m->effective_until &&
        strcmp(m->effective_from, m->effective_until) > 0) {
        call_invalid(c, "effective_until", "失效日期不能早于生效日期", "must not be before effective_from");
        return false;
    }
    if (m->region != NULL && c->user.role == ROLE_REGULATOR && !region_within(m->region, c->user.region)) {
        call_error(c, "out_of_region", "region");
        return false;
    }
    return true;
}

void api_policies_create(call_t *c)
{
    static const char *const fields[] = {"title", "office", "region", "document_number", "issued_on",
                                         "effective_from", "effective_until", "text", "file_id", NULL};
    policy_meta_t m = {0};
    revision_input_t in = {0};
    body_only(c, fields);
    policy_meta_read(c, true, &m);
    revision_input_read(c, &in);
    policy_text_t t = {0};
    if (call_answered(c) || !policy_meta_allowed(c, &m) || !revision_text(c, &in, &t))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t id = -1;
    if (db_begin(c->db) == STORE_DONE)
        id = policy_insert(c->db, &actor, &m, &t, now_seconds());
    json_decref((json_t *)t.findings);
    if (!call_write_done(c, db_finish(c->db, id > 0 ? 1 : -1), "policy register"))
        return;
    answer_detail(c, 201, id);
}

void api_policies_show(call_t *c)
{
    policy_ref_t p;
    if (policy_load_in_scope(c, &p))
        answer_detail(c, 200, p.id);
}

void api_policies_update(call_t *c)
{
    static const char *const fields[] = {"title", "office", "region", "document_number", "issued_on",
                                         "effective_from", "effective_until", NULL};
    policy_ref_t p;
    if (!policy_load_in_scope(c, &p))
        return;
    policy_meta_t m = {0};
    body_only(c, fields);
    policy_meta_read(c, false, &m);
    if (call_answered(c) || !policy_meta_allowed(c, &m))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE)
        rc = db_finish(c->db, policy_update(c->db, &actor, p.id, p.region, &m, now_seconds()));
    if (!call_write_done(c, rc, "policy update"))
        return;
    answer_detail(c, 200, p.id);
}

void api_policies_revise(call_t *c)
{
    static const char *const fields[] = {"text", "file_id", NULL};
    policy_ref_t p;
    if (!policy_load_in_scope(c, &p))
        return;
    revision_input_t in = {0};
    body_only(c, fields);
    revision_input_read(c, &in);
    policy_text_t t = {0};
    if (call_answered(c) || !revision_text(c, &in, &t))
        return;
    audit_actor_t actor = call_actor(c);
    int64_t revision = -1;
    if (db_begin(c->db) == STORE_DONE)
        revision = policy_revise(c->db, &actor, p.id, p.region, &t, now_seconds());
    json_decref((json_t *)t.findings);
    if (!call_write_done(c, db_finish(c->db, revision > 0 ? 1 : revision == 0 ? 0 : -1), "policy revise"))
        return;
    answer_detail(c, 201, p.id);
}

void api_policy_finding_decide(call_t *c)
{
    static const char *const fields[] = {"decision", "reason", NULL};
    policy_ref_t p;
    if (!policy_load_in_scope(c, &p))
        return;
    int64_t finding_id = call_param_id(c, "finding_id");
    if (finding_id == 0)
        return;
    const char *decision = NULL, *reason = NULL;
    body_only(c, fields);
    body_string(c, "decision", FIELD_REQUIRED, 1, 20, &decision);
    body_string(c, "reason", FIELD_REQUIRED, 1, POLICY_NOTE_MAX_CHARS, &reason);
    if (decision != NULL && strcmp(decision, "confirmed") != 0 && strcmp(decision, "dismissed") != 0)
        call_invalid(c, "decision", "应为 confirmed（确认）或 dismissed（排除）", "must be confirmed or dismissed");
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    policy_decide_result_t r = POLICY_DECIDE_ERROR;
    if (db_begin(c->db) == STORE_DONE) {
        r = policy_finding_decide(c->db, &actor, p.id, p.region, finding_id, decision, reason, now_seconds());
        if (db_finish(c->db, r == POLICY_DECIDE_DONE ? 1 : r == POLICY_DECIDE_ERROR ? -1 : 0) < 0)
            r = POLICY_DECIDE_ERROR;
    }
    switch (r) {
    case POLICY_DECIDE_ERROR:
        call_db_error(c, "policy finding decision");
        return;
    case POLICY_DECIDE_NOT_FOUND:
        call_error(c, "policy_finding_not_found", NULL);
        return;
    case POLICY_DECIDE_STALE:
        call_error(c, "policy_finding_stale", NULL);
        return;
    case POLICY_DECIDE_DECIDED:
        call_error(c, "policy_finding_decided", NULL);
        return;
    case POLICY_DECIDE_DONE:
        break;
    }
    stmt_t *st = db_query(c->db, "SELECT " FINDING_COLUMNS " FROM " FINDING_FROM " WHERE f.id = $1", "I", finding_id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        call_db_error(c, "policy finding re-read");
        return;
    }
    json_t *f = finding_json(c->db, st, lang_code(c));
    stmt_done(st);
    answer_doc(c, 200, f);
    json_decref(f);
}

void api_policies_status(call_t *c)
{
    static const char *const fields[] = {"status", "note", NULL};
    policy_ref_t p;
    if (!policy_load_in_scope(c, &p))
        return;
    const char *status = NULL, *note = "";
    body_only(c, fields);
    body_string(c, "status", FIELD_REQUIRED, 1, 20, &status);
    body_string(c, "note", 0, 0, POLICY_NOTE_MAX_CHARS, &note);
    if (status != NULL && strcmp(status, "compliant") != 0 && strcmp(status, "to_amend") != 0 &&
        strcmp(status, "amended") != 0)
        call_invalid(c, "status", "应为 compliant、to_amend 或 amended", "must be compliant, to_amend or amended");
    if (call_answered(c))
        return;
    audit_actor_t actor = call_actor(c);
    int rc = -1;
    if (db_begin(c->db) == STORE_DONE) {
        rc = policy_status_set(c->db, &actor, p.id, p.region, status, note, now_seconds());
        if (rc == 1 && notice_policy_reviewed(c->db, p.id, status, audit_actor_user(&actor)) < 0)
            rc = -1;
        rc = db_finish(c->db, rc);
    }
    if (rc == 0) {
        call_error(c, "policy_status_conflict", "status", status);
        return;
    }
    if (!call_write_done(c, rc, "policy status"))
        return;
    answer_detail(c, 200, p.id);
}

/* ---- the review report ---- */

static void answer_report(call_t *c, bool pdf)
{
    policy_ref_t p;
    if (!policy_load_in_scope(c, &p))
        return;
    json_t *doc = policy_detail_json(c->db, p.id, lang_code(c));
    if (doc == NULL) {
        call_db_error(c, "policy report");
        return;
    }
    buf_reset(&c->out);
    bool ok = pdf ? policy_report_pdf(doc, lang_code(c), &c->out) : policy_report_xlsx(doc, lang_code(c), &c->out);
    json_decref(doc);
    if (!ok) {
        log_error("policy %lld: the review report could not be made", (long long)p.id);
        call_error(c, "internal_error", NULL);
        return;
    }
    if (pdf)
        call_download(c, "application/pdf", false, arena_printf(&c->arena, "政策审查报告-%lld.pdf", (long long)p.id));
    else
        call_download(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true,
                      arena_printf(&c->arena, "政策审查报告-%lld.xlsx", (long long)p.id));
}

void api_policies_pdf(call_t *c)
{
    answer_report(c, true);
}

void api_policies_xlsx(call_t *c)
{
    answer_report(c, false);
}

/* ---- re-checking with a new rule set (the job policy_recheck, docs/policies.md) ---- */

int policy_recheck_job(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen)
{
    enum { BATCH = 50 };
    (void)payload;   /* {} (anything else is ignored: the job always works on what is stale) */
    int64_t version = 0;
    const policy_ruleset_t *rs = policy_ruleset_current(db, &version);
    if (rs == NULL) {
        snprintf(err, errlen, "the current rule set: %s", db_error(db));
        return -1;
    }
    int64_t after = 0, done = 0;
    for (;;) {
        int64_t policy_ids[BATCH], revision_ids[BATCH];
        const char *regions[BATCH];
        int n = 0;
        stmt_t *st = db_query(db,
                              "SELECT p.id, r.id, p.region FROM policies p JOIN policy_revisions r ON r.policy_id = "
                              "p.id AND r.revision = p.current_revision WHERE p.status = 'unreviewed' AND "
                              "r.ruleset_version < $1 AND p.id > $2 ORDER BY p.id LIMIT 50",
                              "II", version, after);
        int rc = STORE_ERROR;
        while (st != NULL && n < BATCH && (rc = stmt_step(st)) == STORE_ROW) {
            policy_ids[n] = after = stmt_int(st, 0);
            revision_ids[n] = stmt_int(st, 1);
            regions[n++] = arena_strdup(a, stmt_text(st, 2));
        }
        stmt_done(st);
        if (st == NULL || (rc != STORE_DONE && rc != STORE_ROW)) {
            snprintf(err, errlen, "stale policies: %s", db_error(db));
            return -1;
        }
        for (int i = 0; i < n; i++) {
            st = db_query(db, "SELECT text FROM policy_revisions WHERE id = $1", "I", revision_ids[i]);
            char *text = st != NULL && stmt_step(st) == STORE_ROW ? strdup(stmt_text(st, 0)) : NULL;
            stmt_done(st);
            json_t *findings = text != NULL ? policy_check_text(rs, text, strlen(text), "zh") : NULL;
            free(text);
            int w = -1;
            if (findings != NULL && db_begin(db) == STORE_DONE) {
                w = policy_recheck_revision(db, policy_ids[i], regions[i], revision_ids[i], version, findings);
                w = db_finish(db, w == 1 ? 1 : w == 0 ? 0 : -1);
            }
            json_decref(findings);
            if (w < 0) {
                snprintf(err, errlen, "policy %lld: %s", (long long)policy_ids[i], db_error(db));
                return -1;
            }
            done += w;
        }
        if (n < BATCH)
            break;
    }
    if (done > 0)
        log_info("policy_recheck: %lld policies checked again with rule set version %lld", (long long)done,
                 (long long)version);
    return 0;
}

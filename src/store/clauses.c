/* The clause catalogues: import of a version, the embedded first versions, the current one
 * (store/clauses.h). */
#include "store/clauses.h"

#include <string.h>

#include "core/embedded.h"
#include "core/text.h"

static const char *member_text(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int64_t clause_catalogue_import(db_t *db, const json_t *doc, const audit_actor_t *actor)
{
    const char *edition = member_text(doc, "edition");
    const json_t *clauses = json_object_get(doc, "clauses");
    if (!json_is_array(clauses) || db_begin(db) != STORE_DONE)
        return -1;
    int64_t now = now_seconds();
    stmt_t *st = db_query(db,
                          "INSERT INTO clause_catalogues (edition, version, note, imported_by, imported_at) SELECT $1, "
                          "COALESCE(MAX(version), 0) + 1, $2, NULLIF($3, 0), $4 FROM clause_catalogues WHERE edition = $1 "
                          "RETURNING id",
                          "ttII", edition, member_text(doc, "note"), audit_actor_user(actor), now);
    int64_t id = st != NULL ? stmt_insert_id(st) : -1;
    if (id <= 0) {
        db_rollback(db);
        return -1;
    }
    size_t i;
    const json_t *c;
    json_array_foreach(clauses, i, c) {
        if (db_run(db,
                   "INSERT INTO clauses (catalogue_id, number, title, title_en, parent, guidance, evidence, provisional, "
                   "position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   "IttttttbI", id, member_text(c, "number"), member_text(c, "title"), member_text(c, "title_en"),
                   member_text(c, "parent"), member_text(c, "guidance"), member_text(c, "evidence"),
                   json_is_true(json_object_get(c, "provisional")), (int64_t)i) != 1) {
            db_rollback(db);
            return -1;
        }
    }
    int64_t count = (int64_t)json_array_size(clauses);
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "edition", NULL, edition);
    audit_diff_int(&d, "clauses", NULL, &count);
    bool ok = audit_record_id(db, actor, "clause_catalogue.import", "clause_catalogue", id, "", "", audit_diff_after(&d));
    audit_diff_free(&d);
    return db_finish(db, ok ? 1 : -1) == 1 ? id : -1;
}

int clause_catalogue_current(db_t *db, const char *edition, int64_t *id, int64_t *version)
{
    stmt_t *st = db_query(db, "SELECT id, version FROM clause_catalogues WHERE edition = $1 ORDER BY version DESC LIMIT 1",
                          "t", edition);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        if (id)
            *id = stmt_int(st, 0);
        if (version)
            *version = stmt_int(st, 1);
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int clause_catalogues_ensure(db_t *db)
{
    static const char *const files[] = {"clauses-2013.json", "clauses-2023.json"};
    int loaded = 0;
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        size_t len;
        const char *text = embedded_file(files[k], &len);
        json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
        if (doc == NULL)
            return -1;
        int rc = clause_catalogue_current(db, member_text(doc, "edition"), NULL, NULL);
        if (rc == 0) {
            if (clause_catalogue_import(db, doc, &AUDIT_ACTOR_PLATFORM) < 0) {
                /* another node loaded it meanwhile: the UNIQUE (edition, version) refused ours */
                rc = clause_catalogue_current(db, member_text(doc, "edition"), NULL, NULL);
                if (rc != 1) {
                    json_decref(doc);
                    return -1;
                }
            } else {
                loaded++;
            }
        }
        json_decref(doc);
        if (rc < 0)
            return -1;
    }
    return loaded;
}

int clause_catalogue_document(db_t *db, int64_t id, json_t **doc)
{
    *doc = NULL;
    stmt_t *st = db_query(db, "SELECT edition, version, note FROM clause_catalogues WHERE id = $1", "I", id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW) {
        *doc = json_object();
        json_object_set_new(*doc, "edition", json_string(stmt_text(st, 0)));
        json_object_set_new(*doc, "version", json_integer(stmt_int(st, 1)));
        json_object_set_new(*doc, "note", json_string(stmt_text(st, 2)));
    }
    stmt_done(st);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? 0 : -1;
    st = db_query(db,
                  "SELECT number, title, title_en, parent, provisional, guidance, evidence FROM clauses "
                  "WHERE catalogue_id = $1 ORDER BY position",
                  "I", id);
    if (st == NULL) {
        json_decref(*doc);
        *doc = NULL;
        return -1;
    }
    json_t *list = json_array();
    json_object_set_new(*doc, "clauses", list);
    static const char *const members[] = {"number", "title", "title_en", "parent", "provisional", "guidance", "evidence"};
    while ((rc = stmt_step(st)) == STORE_ROW) {
        json_t *k = json_object();
        for (int f = 0; f < 7; f++)
            json_object_set_new(k, members[f], f == 4 ? json_boolean(stmt_int(st, f) != 0) : json_string(stmt_text(st, f)));
        json_array_append_new(list, k);
    }
    stmt_done(st);
    if (rc != STORE_DONE) {
        json_decref(*doc);
        *doc = NULL;
        return -1;
    }
    return 1;
}

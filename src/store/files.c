/* Files and attachments in the database (see files.h). */
#include "store/files.h"

#include <sodium.h>
#include <string.h>

#include "core/text.h"

/* Stores data[0..len) once by its SHA-256 (hex into sha), in the caller's transaction. */
static bool content_insert(db_t *db, const char *type, const void *data, size_t len, char sha[FILE_SHA256_HEX + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    hex_encode(digest, sizeof digest, sha);
    stmt_t *st = db_prepare(db, "INSERT INTO file_contents (sha256, size, type, content, created_at) "
                                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING");
    if (st == NULL)
        return false;
    stmt_bind_text(st, 1, sha, strlen(sha));
    stmt_bind_int(st, 2, (int64_t)len);
    stmt_bind_text(st, 3, type, strlen(type));
    stmt_bind_blob(st, 4, data, len);
    stmt_bind_int(st, 5, now_seconds());
    int rc = stmt_step(st);
    stmt_done(st);
    return rc == STORE_DONE;
}

bool file_content_store(db_t *db, const char *type, const void *data, size_t len, char sha[FILE_SHA256_HEX + 1])
{
    if (db_begin(db) != STORE_DONE)
        return false;
    return db_finish(db, content_insert(db, type, data, len, sha) ? 1 : -1) == 1;
}

int64_t file_attach(db_t *db, const audit_actor_t *actor, const char *owner, int64_t owner_id, const char *region,
                    const char *name, const char *type, const void *data, size_t len)
{
    int64_t user_id = audit_actor_user(actor);
    char sha[FILE_SHA256_HEX + 1];
    int64_t now = now_seconds();
    if (db_begin(db) != STORE_DONE)
        return -1;
    stmt_t *st;
    if (!content_insert(db, type, data, len, sha))
        goto fail;
    st = db_query(db, "INSERT INTO attachments (sha256, owner, owner_id, name, uploaded_by, created_at) "
                      "VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6) RETURNING id",
                  "ttItII", sha, owner, owner_id, name, user_id, now);
    if (st == NULL)
        goto fail;
    int64_t id = stmt_insert_id(st);
    if (id <= 0)
        goto fail;
    int64_t size = (int64_t)len;
    audit_diff_t d;
    audit_diff_init(&d);
    audit_diff_str(&d, "owner", NULL, owner);
    audit_diff_int(&d, "owner_id", NULL, &owner_id);
    audit_diff_str(&d, "name", NULL, name);
    audit_diff_str(&d, "type", NULL, type);
    audit_diff_int(&d, "size", NULL, &size);
    audit_diff_str(&d, "sha256", NULL, sha);
    bool recorded = audit_record_id(db, actor, "file.attach", "attachment", id, region, "", audit_diff_after(&d));
    audit_diff_free(&d);
    if (!recorded)
        goto fail;
    if (db_commit(db) != STORE_DONE)
        return -1;
    return id;
fail:
    db_rollback(db);
    return -1;
}

#define ATTACHMENT_COLUMNS                                                                             \
    "a.id, a.owner, a.owner_id, a.name, a.sha256, f.type, f.size, COALESCE(a.uploaded_by, 0), "        \
    "COALESCE(u.name, ''), a.created_at FROM attachments a JOIN file_contents f ON f.sha256 = a.sha256 " \
    "LEFT JOIN users u ON u.id = a.uploaded_by"

void attachment_from_row(stmt_t *st, arena_t *a, attachment_t *out)
{
    out->id = stmt_int(st, 0);
    out->owner = arena_strdup(a, stmt_text(st, 1));
    out->owner_id = stmt_int(st, 2);
    out->name = arena_strdup(a, stmt_text(st, 3));
    out->sha256 = arena_strdup(a, stmt_text(st, 4));
    out->type = arena_strdup(a, stmt_text(st, 5));
    out->size = stmt_int(st, 6);
    out->uploaded_by = stmt_int(st, 7);
    out->uploader = arena_strdup(a, stmt_text(st, 8));
    out->created_at = stmt_int(st, 9);
}

int attachment_by_id(db_t *db, arena_t *a, int64_t id, attachment_t *out)
{
    stmt_t *st = db_query(db, "SELECT " ATTACHMENT_COLUMNS " WHERE a.id = $1", "I", id);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    if (rc == STORE_ROW)
        attachment_from_row(st, a, out);
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

stmt_t *attachments_of(db_t *db, const char *owner, int64_t owner_id)
{
    return db_query(db,
                    "SELECT " ATTACHMENT_COLUMNS " WHERE a.owner = $1 AND a.owner_id = $2 AND NOT EXISTS "
                    "(SELECT 1 FROM evidence_links l WHERE l.attachment_id = a.id) ORDER BY a.id",
                    "tI", owner, owner_id);
}

int file_content_read(db_t *db, const char *sha256, buf_t *out)
{
    stmt_t *st = db_query(db, "SELECT content FROM file_contents WHERE sha256 = $1", "t", sha256);
    if (st == NULL)
        return -1;
    int rc = stmt_step(st);
    int result = rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
    if (rc == STORE_ROW) {
        size_t len;
        const void *data = stmt_blob(st, 0, &len);
        if ((data == NULL && len > 0) || (len > 0 && !buf_append(out, data, len)))
            result = -1;
    }
    stmt_done(st);
    return result;
}

int64_t certificate_import_insert(db_t *db, int64_t user_id, const char *report)
{
    stmt_t *st = db_query(db, "INSERT INTO certificate_imports (user_id, created_at, report) VALUES ($1, $2, $3) "
                              "RETURNING id", "IIt", user_id, now_seconds(), report);
    return st == NULL ? -1 : stmt_insert_id(st);
}

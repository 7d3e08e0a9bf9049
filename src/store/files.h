/* Files in the database (sql/008_files.sql): contents stored once by their SHA-256, and the
 * attachments that tie a content to the record owning it. The type is decided by the caller
 * (from the bytes: core/filetype.h); this layer only stores it. Strings in attachment_t live
 * in the given arena. */
#ifndef GUANBIAO_FILES_H
#define GUANBIAO_FILES_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/audit.h"
#include "store/store.h"

/* Owners of attachments (the CHECK in sql/008_files.sql lists the same). */
#define FILE_OWNER_ENTERPRISE "enterprise"
#define FILE_OWNER_CERTIFICATE_IMPORT "certificate_import"

typedef struct attachment {
    int64_t id, owner_id, size, uploaded_by, created_at;
    const char *owner, *name, *sha256, *type;
    const char *uploader;      /* the uploader's name, "" when unknown */
} attachment_t;

/* Stores data[0..len) of this type (once: the same bytes are kept once, whoever sends them)
 * and attaches it to (owner, owner_id) under name, in one transaction with its audit entry
 * (file.attach, by actor, in the owner's region: "" when it has none). The new attachment's
 * id, or -1 on error (db_error says why). */
int64_t file_attach(db_t *db, const audit_actor_t *actor, const char *owner, int64_t owner_id, const char *region,
                    const char *name, const char *type, const void *data, size_t len);

enum { FILE_SHA256_HEX = 64 };
/* Stores data[0..len) of this type once by its SHA-256 (its hex into sha), without an
 * attachment: content kept by a record that names its sha256 (indicator_imports.file_sha256).
 * In the caller's transaction (its own when none). False on error. */
bool file_content_store(db_t *db, const char *type, const void *data, size_t len, char sha[FILE_SHA256_HEX + 1]);

/* 1 found (into *out), 0 no such attachment, -1 error. */
int attachment_by_id(db_t *db, arena_t *a, int64_t id, attachment_t *out);

/* Appends the content of sha256 to out. 1 done, 0 no such content, -1 error (or out's cap). */
int file_content_read(db_t *db, const char *sha256, buf_t *out);

/* The attachments of (owner, owner_id) that are not evidence (files linked in evidence_links are
 * listed on the records they support: docs/compliance.md), oldest first: step the statement, read each row with
 * attachment_from_row, then stmt_done. NULL on error. */
stmt_t *attachments_of(db_t *db, const char *owner, int64_t owner_id);
void attachment_from_row(stmt_t *st, arena_t *a, attachment_t *out);

/* A certificate import run through the API, with the JSON report it gave: the new record's id
 * (which owns the uploaded CSV), -1 on error. */
int64_t certificate_import_insert(db_t *db, int64_t user_id, const char *report);

#endif

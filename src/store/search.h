/* The searchable texts (issue 11; docs/learning.md "Search"; sql/018 search_documents): every
 * writer of something searchable (a lesson published, an announcement, a forum topic, a
 * commitment) calls search_document_put in its own transaction, and search_document_remove when
 * it is no longer readable by the public (hidden, withdrawn, archived). The search part of the
 * issue builds its index from these rows (and may keep it up to date inside these two calls). */
#ifndef GUANBIAO_STORE_SEARCH_H
#define GUANBIAO_STORE_SEARCH_H
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Creates or replaces the document (type, ref_id): title and body as plain text (Markdown may be
 * passed as is; the index reads words), url the page showing it. In the caller's transaction (its
 * own, nested, when none). False on a database error. */
bool search_document_put(db_t *db, const char *type, int64_t ref_id, const char *title, const char *body,
                         const char *url);
/* Removes it (nothing when absent). False on a database error. */
bool search_document_remove(db_t *db, const char *type, int64_t ref_id);

#endif

/* The searchable texts (store/search.h). The index over them is the search part's to add here. */
#include "store/search.h"

#include "core/text.h"

bool search_document_put(db_t *db, const char *type, int64_t ref_id, const char *title, const char *body,
                         const char *url)
{
    return db_run(db,
                  "INSERT INTO search_documents (type, ref_id, title, body, url, updated_at) VALUES ($1, $2, $3, $4, "
                  "$5, $6) ON CONFLICT (type, ref_id) DO UPDATE SET title = excluded.title, body = excluded.body, "
                  "url = excluded.url, updated_at = excluded.updated_at",
                  "tItttI", type, ref_id, title, body ? body : "", url ? url : "", now_seconds()) == 1;
}

bool search_document_remove(db_t *db, const char *type, int64_t ref_id)
{
    return db_run(db, "DELETE FROM search_documents WHERE type = $1 AND ref_id = $2", "tI", type, ref_id) >= 0;
}

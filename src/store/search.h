/* The searchable texts (issue 11; docs/learning.md "Search"; sql/018 search_documents): every
 * writer of something searchable (a lesson published, an announcement, a forum topic, a
 * commitment) calls search_document_put in its own transaction, and search_document_remove when
 * it is no longer readable by the public (hidden, withdrawn, archived). The search part of the
 * issue builds its index from these rows (and may keep it up to date inside these two calls). */
#ifndef GUANBIAO_STORE_SEARCH_H
#define GUANBIAO_STORE_SEARCH_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* Creates or replaces the document (type, ref_id): title and body as plain text (Markdown may be
 * passed as is; the index reads words), url the page showing it. In the caller's transaction (its
 * own, nested, when none). False on a database error. */
bool search_document_put(db_t *db, const char *type, int64_t ref_id, const char *title, const char *body,
                         const char *url);
/* Removes it (nothing when absent). False on a database error. */
bool search_document_remove(db_t *db, const char *type, int64_t ref_id);

/* The search part (sql/023): the index is kept current by the two calls above. */

/* Puts the commitment's current version in the documents when it is published (type
 * commitment, its public page), removes it otherwise; nothing when there is no such commitment.
 * The commitment writes (store/commitments.c) call it in their transactions. */
bool search_index_commitment(db_t *db, int64_t commitment_id);

/* Rebuilds the whole index from search_documents (after indexing the published commitments), in
 * one transaction: the number of documents indexed, -1 on a database error. */
int64_t search_reindex(db_t *db);

/* A query's terms at most (core/search_text.h search_query_terms). */
#define SEARCH_QUERY_TERMS_MAX 8

typedef struct search_hit {
    const char *type, *title, *body, *url;   /* in the arena */
    int64_t ref_id;
    double score;
} search_hit_t;

typedef struct search_hits {
    search_hit_t *items;
    int n;
    int64_t total;   /* documents matching, all pages */
} search_hits_t;

/* The public documents (of this type when type is not NULL) containing every one of
 * terms[0..n) (n ≤ SEARCH_QUERY_TERMS_MAX), best first (BM25 on the terms' counts, a term in the
 * title counting TITLE_WEIGHT times), limit of them from offset. STORE_DONE or STORE_ERROR. */
int search_find(db_t *db, arena_t *a, const char *const *terms, int n, const char *type, int offset, int limit,
                search_hits_t *out);

/* Counts one search of the normalised query (core/search_text.h) with its number of results in
 * today's log row (anonymised: nothing about who asked). */
bool search_log_record(db_t *db, const char *normalised, int64_t results);

#endif

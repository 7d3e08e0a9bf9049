/* The searchable texts and their index (store/search.h; sql/018 search_documents, sql/023 the
 * postings, the terms' document counts and the log). search_document_put/remove keep the index
 * current in the writer's transaction; search_reindex rebuilds it; search_find ranks. */
#include "store/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/search_text.h"
#include "core/text.h"

/* Takes the document's postings out of the index (not the document): its terms' counts and the
 * totals lose it. */
static bool unindex(db_t *db, int64_t id, int64_t length)
{
    return db_run(db,
                  "UPDATE search_terms SET documents = documents - 1 WHERE term IN (SELECT term FROM "
                  "search_postings WHERE document_id = $1)",
                  "I", id) >= 0 &&
           db_run(db, "UPDATE search_terms SET documents = documents - 1, tokens = tokens - $1 WHERE term = ''",
                  "I", length) >= 0 &&
           db_run(db, "DELETE FROM search_postings WHERE document_id = $1", "I", id) >= 0;
}

typedef struct occurrence {
    const char *term;
    bool in_title;
} occurrence_t;

static int by_term(const void *x, const void *y)
{
    return strcmp(((const occurrence_t *)x)->term, ((const occurrence_t *)y)->term);
}

/* The ranking's constants (BM25) and the weight of a term in the title against one in the body. */
#define BM25_K1 1.2
#define BM25_B 0.75
#define TITLE_WEIGHT 5.0
/* the average length assumed while fewer documents than this are indexed */
#define AVERAGE_FROM 20
#define AVERAGE_DEFAULT 60.0

/* The average length of the documents indexed (for the weights written now). */
static bool average_length(db_t *db, double *average)
{
    stmt_t *st = db_query(db, "SELECT documents, tokens FROM search_terms WHERE term = ''", "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    *average = AVERAGE_DEFAULT;
    if (rc == STORE_ROW && stmt_int(st, 0) >= AVERAGE_FROM && stmt_int(st, 1) > 0)
        *average = (double)stmt_int(st, 1) / (double)stmt_int(st, 0);
    stmt_done(st);
    return rc != STORE_ERROR;
}

/* Writes the postings of document id (of type, with title and body) and counts it in the terms;
 * *length gets its number of terms. Each posting's weight is BM25's term-frequency part. */
static bool index_document(db_t *db, int64_t id, const char *type, const char *title, const char *body,
                           int64_t *length)
{
    double average;
    if (!average_length(db, &average))
        return false;
    arena_t a = {0};
    search_tokens_t t = search_tokenize(&a, title, strlen(title));
    search_tokens_t b = search_tokenize(&a, body, strlen(body));
    int n = t.n + b.n;
    occurrence_t *all = arena_alloc(&a, sizeof *all * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < t.n; i++)
        all[i] = (occurrence_t){t.items[i].term, true};
    for (int i = 0; i < b.n; i++)
        all[t.n + i] = (occurrence_t){b.items[i].term, false};
    qsort(all, (size_t)n, sizeof *all, by_term);   /* sorted: every writer locks terms in one order */
    double norm = BM25_K1 * (1 - BM25_B + BM25_B * (double)n / average);
    bool ok = true;
    for (int i = 0; i < n && ok;) {
        double tf = 0;
        int j = i;
        for (; j < n && strcmp(all[j].term, all[i].term) == 0; j++)
            tf += all[j].in_title ? TITLE_WEIGHT : 1;
        ok = db_run(db, "INSERT INTO search_postings (term, document_id, type, weight) VALUES ($1, $2, $3, $4)",
                    "tItd", all[i].term, id, type, tf * (BM25_K1 + 1) / (tf + norm)) == 1 &&
             db_run(db,
                    "INSERT INTO search_terms (term, documents, tokens) VALUES ($1, 1, 0) ON CONFLICT (term) DO "
                    "UPDATE SET documents = search_terms.documents + 1",
                    "t", all[i].term) == 1;
        i = j;
    }
    ok = ok &&
         db_run(db,
                "INSERT INTO search_terms (term, documents, tokens) VALUES ('', 1, $1) ON CONFLICT (term) DO UPDATE "
                "SET documents = search_terms.documents + 1, tokens = search_terms.tokens + excluded.tokens",
                "I", (int64_t)n) == 1 &&
         db_run(db, "UPDATE search_documents SET length = $1 WHERE id = $2", "II", (int64_t)n, id) == 1;
    *length = n;
    arena_free(&a);
    return ok;
}

/* Locks the totals' row: the first write of every index change (sql/023), so that two writers
 * never take the terms' rows in opposite orders. */
static bool lock_index(db_t *db)
{
    return db_run(db, "UPDATE search_terms SET documents = documents WHERE term = ''", "") >= 0;
}

/* The document (type, ref_id): its id, length and whether it is public (only public documents
 * are indexed); 0 when absent, -1 on error. */
static int64_t find_document(db_t *db, const char *type, int64_t ref_id, int64_t *length, bool *public)
{
    stmt_t *st = db_query(db, "SELECT id, length, public FROM search_documents WHERE type = $1 AND ref_id = $2", "tI",
                          type, ref_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : rc == STORE_DONE ? 0 : -1;
    *length = rc == STORE_ROW ? stmt_int(st, 1) : 0;
    *public = rc != STORE_ROW || stmt_int(st, 2) == 1;
    stmt_done(st);
    return id;
}

bool search_document_put(db_t *db, const char *type, int64_t ref_id, const char *title, const char *body,
                         const char *url)
{
    body = body ? body : "";
    if (db_begin(db) != STORE_DONE)
        return false;
    bool public = true;
    int64_t length = 0, id = lock_index(db) ? find_document(db, type, ref_id, &length, &public) : -1;
    bool ok = id >= 0;
    if (ok && id > 0) {
        ok = (!public || unindex(db, id, length)) &&
             db_run(db, "UPDATE search_documents SET title = $1, body = $2, url = $3, updated_at = $4 WHERE id = $5",
                    "tttII", title, body, url ? url : "", now_seconds(), id) == 1;
    } else if (ok) {
        stmt_t *st = db_query(db,
                              "INSERT INTO search_documents (type, ref_id, title, body, url, updated_at) VALUES ($1, "
                              "$2, $3, $4, $5, $6) RETURNING id",
                              "tItttI", type, ref_id, title, body, url ? url : "", now_seconds());
        id = stmt_insert_id(st);
        ok = id > 0;
    }
    ok = ok && (!public || index_document(db, id, type, title, body, &length));
    return db_finish(db, ok ? 1 : -1) == 1;
}

bool search_document_remove(db_t *db, const char *type, int64_t ref_id)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    bool public = true;
    int64_t length = 0, id = lock_index(db) ? find_document(db, type, ref_id, &length, &public) : -1;
    bool ok = id >= 0;
    if (ok && id > 0)
        ok = (!public || unindex(db, id, length)) && db_run(db, "DELETE FROM search_documents WHERE id = $1", "I", id) == 1;
    return db_finish(db, ok ? 1 : -1) == 1;
}

bool search_index_commitment(db_t *db, int64_t commitment_id)
{
    stmt_t *st = db_query(db,
                          "SELECT m.status, v.title, b.name, v.effectiveness_method, v.surveillance_terms, "
                          "v.complaint_channel FROM commitments m JOIN commitment_versions v ON v.commitment_id = "
                          "m.id AND v.version = m.version JOIN bodies b ON b.id = m.body_id WHERE m.id = $1",
                          "I", commitment_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc != STORE_ROW) {
        stmt_done(st);
        return rc == STORE_DONE;
    }
    arena_t a = {0};
    bool published = strcmp(stmt_text(st, 0), "published") == 0;
    char *title = arena_strdup(&a, stmt_text(st, 1));
    char *body = arena_printf(&a, "%s\n%s\n%s\n%s", stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4),
                              stmt_text(st, 5));
    stmt_done(st);
    bool ok = published ? search_document_put(db, "commitment", commitment_id, title, body,
                                              arena_printf(&a, "/commitments/%lld", (long long)commitment_id))
                        : search_document_remove(db, "commitment", commitment_id);
    arena_free(&a);
    return ok;
}

/* A batch of documents after id `after`, in id order, read before they are indexed. */
typedef struct doc_batch {
    int64_t ids[500];
    char *types[500], *titles[500], *bodies[500];
    int n;
} doc_batch_t;

int64_t search_reindex(db_t *db)
{
    if (db_begin(db) != STORE_DONE)
        return -1;
    /* the published commitments first (the marketplace's texts predate the index) */
    bool ok = true;
    int64_t after = 0;
    for (;;) {
        int64_t ids[500];
        int n = 0;
        stmt_t *st = db_query(db, "SELECT id FROM commitments WHERE id > $1 ORDER BY id LIMIT 500", "I", after);
        int rc;
        while (st && (rc = stmt_step(st)) == STORE_ROW)
            ids[n++] = stmt_int(st, 0);
        stmt_done(st);
        if (st == NULL || rc != STORE_DONE) {
            ok = false;
            break;
        }
        for (int i = 0; i < n && ok; i++)
            ok = search_index_commitment(db, ids[i]);
        if (n < 500 || !ok)
            break;
        after = ids[n - 1];
    }
    ok = ok && lock_index(db) && db_run(db, "DELETE FROM search_postings", "") >= 0 &&
         db_run(db, "DELETE FROM search_terms WHERE term <> ''", "") >= 0 &&
         db_run(db, "UPDATE search_terms SET documents = 0, tokens = 0 WHERE term = ''", "") >= 0;
    int64_t count = 0;
    after = 0;
    doc_batch_t *batch = malloc(sizeof *batch);
    while (ok && batch) {
        arena_t a = {0};
        batch->n = 0;
        stmt_t *st = db_query(db, "SELECT id, type, title, body FROM search_documents WHERE id > $1 AND public = 1 ORDER BY id LIMIT 500",
                              "I", after);
        int rc = STORE_ERROR;
        while (st && (rc = stmt_step(st)) == STORE_ROW) {
            batch->ids[batch->n] = stmt_int(st, 0);
            batch->types[batch->n] = arena_strdup(&a, stmt_text(st, 1));
            batch->titles[batch->n] = arena_strdup(&a, stmt_text(st, 2));
            batch->bodies[batch->n] = arena_strdup(&a, stmt_text(st, 3));
            batch->n++;
        }
        stmt_done(st);
        ok = rc == STORE_DONE;
        for (int i = 0; i < batch->n && ok; i++) {
            int64_t length;
            ok = index_document(db, batch->ids[i], batch->types[i], batch->titles[i], batch->bodies[i], &length);
        }
        count += batch->n;
        int n = batch->n;
        if (n > 0)
            after = batch->ids[n - 1];
        arena_free(&a);
        if (n < 500)
            break;
    }
    ok = ok && batch != NULL;
    free(batch);
    return db_finish(db, ok ? 1 : -1) == 1 ? count : -1;
}

/* One matching document while ranking. */
typedef struct candidate {
    int64_t id;
    double score;
} candidate_t;

static int by_score(const void *x, const void *y)
{
    const candidate_t *p = x, *q = y;
    if (p->score != q->score)
        return p->score < q->score ? 1 : -1;
    return p->id < q->id ? -1 : p->id > q->id ? 1 : 0;   /* as the rank index: older first among equals */
}

/* A term's document count (0 when no document has it); false on error. */
static bool term_documents(db_t *db, const char *term, double *out)
{
    stmt_t *st = db_query(db, "SELECT documents FROM search_terms WHERE term = $1", "t", term);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    *out = rc == STORE_ROW ? (double)stmt_int(st, 0) : 0;
    stmt_done(st);
    return rc != STORE_ERROR;
}

/* The candidates of a one-term query, best first, straight from the rank index: only the page. */
static int one_term(db_t *db, const char *term, const char *type, double idf, int offset, int limit,
                    candidate_t *page, int *n, int64_t *total)
{
    stmt_t *st = type ? db_query(db,
                                 "SELECT document_id, weight FROM search_postings WHERE term = $1 AND type = $2 ORDER "
                                 "BY weight DESC, document_id LIMIT $3 OFFSET $4",
                                 "ttII", term, type, (int64_t)limit, (int64_t)offset)
                      : db_query(db,
                                 "SELECT document_id, weight FROM search_postings WHERE term = $1 ORDER BY weight "
                                 "DESC, document_id LIMIT $2 OFFSET $3",
                                 "tII", term, (int64_t)limit, (int64_t)offset);
    int rc = STORE_ERROR;
    *n = 0;
    while (st && (rc = stmt_step(st)) == STORE_ROW && *n < limit)
        page[(*n)++] = (candidate_t){stmt_int(st, 0), idf * stmt_double(st, 1)};
    stmt_done(st);
    if (rc == STORE_ERROR || st == NULL)
        return STORE_ERROR;
    if (type) {
        st = db_query(db, "SELECT COUNT(*) FROM search_postings WHERE term = $1 AND type = $2", "tt", term, type);
        rc = st ? stmt_step(st) : STORE_ERROR;
        *total = rc == STORE_ROW ? stmt_int(st, 0) : 0;
        stmt_done(st);
        if (rc != STORE_ROW)
            return STORE_ERROR;
    }
    return STORE_DONE;
}

/* The candidates of a query of several terms: the rarest term's postings joined to the others'
 * (each a lookup in the key index), scored and sorted here; *all malloc'd, the caller frees. */
static int several_terms(db_t *db, const char *const *terms, int n, const double *df, const double *idf,
                         const char *type, candidate_t **all, size_t *count)
{
    int rarest = 0;
    for (int i = 1; i < n; i++)
        if (df[i] < df[rarest])
            rarest = i;
    buf_t sql;
    buf_init(&sql, 1u << 14);
    buf_printf(&sql, "SELECT p%d.document_id, p%d.weight", rarest, rarest);
    for (int i = 0; i < n; i++)
        if (i != rarest)
            buf_printf(&sql, ", p%d.weight", i);
    buf_printf(&sql, " FROM search_postings p%d", rarest);
    for (int i = 0; i < n; i++)
        if (i != rarest)
            buf_printf(&sql, " JOIN search_postings p%d ON p%d.term = $%d AND p%d.document_id = p%d.document_id", i, i,
                       i + 1, i, rarest);
    buf_printf(&sql, " WHERE p%d.term = $%d", rarest, rarest + 1);
    if (type)
        buf_printf(&sql, " AND p%d.type = $%d", rarest, n + 1);
    stmt_t *st = sql.failed ? NULL : db_prepare(db, sql.data);
    buf_free(&sql);
    if (st == NULL)
        return STORE_ERROR;
    for (int i = 0; i < n; i++)
        stmt_bind_text(st, i + 1, terms[i], strlen(terms[i]));
    if (type)
        stmt_bind_text(st, n + 1, type, strlen(type));
    /* the columns: the rarest term's weight, then the others' in order */
    double column_idf[SEARCH_QUERY_TERMS_MAX];
    int k = 0;
    column_idf[k++] = idf[rarest];
    for (int i = 0; i < n; i++)
        if (i != rarest)
            column_idf[k++] = idf[i];
    size_t cap = 256;
    *count = 0;
    *all = malloc(sizeof **all * cap);
    int rc = STORE_ERROR;
    while (*all && (rc = stmt_step(st)) == STORE_ROW) {
        double score = 0;
        for (int j = 0; j < n; j++)
            score += column_idf[j] * stmt_double(st, 1 + j);
        if (*count == cap) {
            candidate_t *more = realloc(*all, sizeof **all * cap * 2);
            if (more == NULL) {
                rc = STORE_ERROR;
                break;
            }
            *all = more;
            cap *= 2;
        }
        (*all)[(*count)++] = (candidate_t){stmt_int(st, 0), score};
    }
    stmt_done(st);
    if (*all == NULL || rc != STORE_DONE)
        return STORE_ERROR;
    qsort(*all, *count, sizeof **all, by_score);
    return STORE_DONE;
}

int search_find(db_t *db, arena_t *a, const char *const *terms, int n, const char *type, int offset, int limit,
                search_hits_t *out)
{
    out->items = NULL;
    out->n = 0;
    out->total = 0;
    if (n <= 0 || n > SEARCH_QUERY_TERMS_MAX)
        return STORE_DONE;
    double documents = 0, df[SEARCH_QUERY_TERMS_MAX], idf[SEARCH_QUERY_TERMS_MAX];
    if (!term_documents(db, "", &documents))
        return STORE_ERROR;
    for (int i = 0; i < n; i++) {
        if (!term_documents(db, terms[i], &df[i]))
            return STORE_ERROR;
        if (df[i] <= 0)
            return STORE_DONE;   /* a term no document has: AND finds nothing */
        idf[i] = log(1 + (documents - df[i] + 0.5) / (df[i] + 0.5));
    }
    candidate_t *page = NULL, *all = NULL;
    size_t count = 0;
    int rc;
    if (n == 1) {
        page = arena_alloc(a, sizeof *page * (size_t)(limit > 0 ? limit : 1));
        int got = 0;
        out->total = (int64_t)df[0];
        rc = one_term(db, terms[0], type, idf[0], offset, limit, page, &got, &out->total);
        count = (size_t)got;
    } else {
        rc = several_terms(db, terms, n, df, idf, type, &all, &count);
        out->total = (int64_t)count;
        size_t first = (size_t)offset < count ? (size_t)offset : count;
        page = all ? all + first : NULL;
        count = first + (size_t)limit < count ? (size_t)limit : count - first;
    }
    if (rc == STORE_DONE) {
        out->items = arena_alloc(a, sizeof *out->items * (count + 1));
        for (size_t i = 0; i < count && rc == STORE_DONE; i++) {
            stmt_t *st = db_query(db, "SELECT type, ref_id, title, body, url FROM search_documents WHERE id = $1",
                                  "I", page[i].id);
            int row = st ? stmt_step(st) : STORE_ERROR;
            if (row == STORE_ROW) {
                search_hit_t *h = &out->items[out->n++];
                h->type = arena_strdup(a, stmt_text(st, 0));
                h->ref_id = stmt_int(st, 1);
                h->title = arena_strdup(a, stmt_text(st, 2));
                h->body = arena_strdup(a, stmt_text(st, 3));
                h->url = arena_strdup(a, stmt_text(st, 4));
                h->score = page[i].score;
            }
            stmt_done(st);
            if (row == STORE_ERROR)
                rc = STORE_ERROR;
        }
    }
    free(all);
    return rc;
}

bool search_log_record(db_t *db, const char *normalised, int64_t results)
{
    int64_t day = now_seconds() / 86400 * 86400;
    return db_run(db,
                  "INSERT INTO search_log (day, query, searches, results) VALUES ($1, $2, 1, $3) ON CONFLICT (day, "
                  "query) DO UPDATE SET searches = search_log.searches + 1, results = excluded.results",
                  "ItI", day, normalised, results) == 1;
}

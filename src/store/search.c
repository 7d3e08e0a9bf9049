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

/* Writes the postings of document id (title, body) and counts it in the terms; *length gets its
 * number of terms. */
static bool index_document(db_t *db, int64_t id, const char *title, const char *body, int64_t *length)
{
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
    bool ok = true;
    for (int i = 0; i < n && ok;) {
        int64_t in_title = 0, in_body = 0;
        int j = i;
        for (; j < n && strcmp(all[j].term, all[i].term) == 0; j++)
            all[j].in_title ? in_title++ : in_body++;
        ok = db_run(db,
                    "INSERT INTO search_postings (term, document_id, title_count, body_count) VALUES ($1, $2, $3, $4)",
                    "tIII", all[i].term, id, in_title, in_body) == 1 &&
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

/* The document (type, ref_id): its id and length; 0 when absent, -1 on error. */
static int64_t find_document(db_t *db, const char *type, int64_t ref_id, int64_t *length)
{
    stmt_t *st = db_query(db, "SELECT id, length FROM search_documents WHERE type = $1 AND ref_id = $2", "tI", type,
                          ref_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t id = rc == STORE_ROW ? stmt_int(st, 0) : rc == STORE_DONE ? 0 : -1;
    *length = rc == STORE_ROW ? stmt_int(st, 1) : 0;
    stmt_done(st);
    return id;
}

bool search_document_put(db_t *db, const char *type, int64_t ref_id, const char *title, const char *body,
                         const char *url)
{
    body = body ? body : "";
    if (db_begin(db) != STORE_DONE)
        return false;
    int64_t length = 0, id = find_document(db, type, ref_id, &length);
    bool ok = id >= 0;
    if (ok && id > 0) {
        ok = unindex(db, id, length) &&
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
    ok = ok && index_document(db, id, title, body, &length);
    return db_finish(db, ok ? 1 : -1) == 1;
}

bool search_document_remove(db_t *db, const char *type, int64_t ref_id)
{
    if (db_begin(db) != STORE_DONE)
        return false;
    int64_t length = 0, id = find_document(db, type, ref_id, &length);
    bool ok = id >= 0;
    if (ok && id > 0)
        ok = unindex(db, id, length) && db_run(db, "DELETE FROM search_documents WHERE id = $1", "I", id) == 1;
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
    char *titles[500], *bodies[500];
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
    ok = ok && db_run(db, "DELETE FROM search_postings", "") >= 0 && db_run(db, "DELETE FROM search_terms", "") >= 0;
    int64_t count = 0;
    after = 0;
    doc_batch_t *batch = malloc(sizeof *batch);
    while (ok && batch) {
        arena_t a = {0};
        batch->n = 0;
        stmt_t *st = db_query(db, "SELECT id, title, body FROM search_documents WHERE id > $1 ORDER BY id LIMIT 500",
                              "I", after);
        int rc = STORE_ERROR;
        while (st && (rc = stmt_step(st)) == STORE_ROW) {
            batch->ids[batch->n] = stmt_int(st, 0);
            batch->titles[batch->n] = arena_strdup(&a, stmt_text(st, 1));
            batch->bodies[batch->n] = arena_strdup(&a, stmt_text(st, 2));
            batch->n++;
        }
        stmt_done(st);
        ok = rc == STORE_DONE;
        for (int i = 0; i < batch->n && ok; i++) {
            int64_t length;
            ok = index_document(db, batch->ids[i], batch->titles[i], batch->bodies[i], &length);
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
    return p->id < q->id ? 1 : p->id > q->id ? -1 : 0;   /* newer first among equals */
}

/* The ranking's constants (BM25) and the weight of a term in the title against one in the body. */
#define BM25_K1 1.2
#define BM25_B 0.75
#define TITLE_WEIGHT 5.0

int search_find(db_t *db, arena_t *a, const char *const *terms, int n, const char *type, int offset, int limit,
                search_hits_t *out)
{
    out->items = NULL;
    out->n = 0;
    out->total = 0;
    if (n <= 0)
        return STORE_DONE;
    /* the totals and each term's document count */
    double documents = 0, tokens = 0, df[SEARCH_QUERY_TERMS_MAX];
    for (int i = 0; i < n; i++) {
        stmt_t *st = db_query(db, "SELECT documents, tokens FROM search_terms WHERE term = $1", "t", terms[i]);
        int rc = st ? stmt_step(st) : STORE_ERROR;
        df[i] = rc == STORE_ROW ? (double)stmt_int(st, 0) : 0;
        stmt_done(st);
        if (rc == STORE_ERROR)
            return STORE_ERROR;
        if (rc == STORE_DONE)
            return STORE_DONE;   /* a term no document has: AND finds nothing */
    }
    stmt_t *st = db_query(db, "SELECT documents, tokens FROM search_terms WHERE term = ''", "");
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        documents = (double)stmt_int(st, 0);
        tokens = (double)stmt_int(st, 1);
    }
    stmt_done(st);
    if (rc == STORE_ERROR)
        return STORE_ERROR;
    double average = documents > 0 && tokens > 0 ? tokens / documents : 1;
    /* every document with all the terms: the rarest term's postings joined to the others' */
    int rarest = 0;
    for (int i = 1; i < n; i++)
        if (df[i] < df[rarest])
            rarest = i;
    buf_t sql;
    buf_init(&sql, 1u << 14);
    buf_printf(&sql, "SELECT d.id, d.length, p%d.title_count, p%d.body_count", rarest, rarest);
    for (int i = 0; i < n; i++)
        if (i != rarest)
            buf_printf(&sql, ", p%d.title_count, p%d.body_count", i, i);
    buf_printf(&sql, " FROM search_postings p%d JOIN search_documents d ON d.id = p%d.document_id", rarest, rarest);
    for (int i = 0; i < n; i++)
        if (i != rarest)
            buf_printf(&sql, " JOIN search_postings p%d ON p%d.document_id = p%d.document_id AND p%d.term = $%d", i,
                       i, rarest, i, i + 1);
    buf_printf(&sql, " WHERE p%d.term = $%d AND d.public = 1", rarest, rarest + 1);
    if (type)
        buf_printf(&sql, " AND d.type = $%d", n + 1);
    if (sql.failed) {
        buf_free(&sql);
        return STORE_ERROR;
    }
    st = db_prepare(db, sql.data);
    buf_free(&sql);
    if (st == NULL)
        return STORE_ERROR;
    for (int i = 0; i < n; i++)
        stmt_bind_text(st, i + 1, terms[i], strlen(terms[i]));
    if (type)
        stmt_bind_text(st, n + 1, type, strlen(type));
    /* the order of the columns: rarest first, then the others in order */
    double idf[SEARCH_QUERY_TERMS_MAX];
    int col_term[SEARCH_QUERY_TERMS_MAX], k = 0;
    col_term[k++] = rarest;
    for (int i = 0; i < n; i++)
        if (i != rarest)
            col_term[k++] = i;
    for (int i = 0; i < n; i++)
        idf[i] = log(1 + (documents - df[i] + 0.5) / (df[i] + 0.5));
    size_t cap = 256, count = 0;
    candidate_t *all = malloc(sizeof *all * cap);
    while (all && (rc = stmt_step(st)) == STORE_ROW) {
        double length = (double)stmt_int(st, 1), score = 0;
        for (int j = 0; j < n; j++) {
            double tf = TITLE_WEIGHT * (double)stmt_int(st, 2 + 2 * j) + (double)stmt_int(st, 3 + 2 * j);
            score += idf[col_term[j]] * tf * (BM25_K1 + 1) /
                     (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average));
        }
        if (count == cap) {
            cap *= 2;
            candidate_t *more = realloc(all, sizeof *all * cap);
            if (more == NULL)
                break;
            all = more;
        }
        all[count++] = (candidate_t){stmt_int(st, 0), score};
    }
    stmt_done(st);
    if (all == NULL || rc != STORE_DONE) {
        free(all);
        return STORE_ERROR;
    }
    qsort(all, count, sizeof *all, by_score);
    out->total = (int64_t)count;
    size_t first = (size_t)offset < count ? (size_t)offset : count;
    size_t last = first + (size_t)limit < count ? first + (size_t)limit : count;
    out->items = arena_alloc(a, sizeof *out->items * (last - first + 1));
    for (size_t i = first; i < last; i++) {
        st = db_query(db, "SELECT type, ref_id, title, body, url FROM search_documents WHERE id = $1", "I",
                      all[i].id);
        rc = st ? stmt_step(st) : STORE_ERROR;
        if (rc == STORE_ROW) {
            search_hit_t *h = &out->items[out->n++];
            h->type = arena_strdup(a, stmt_text(st, 0));
            h->ref_id = stmt_int(st, 1);
            h->title = arena_strdup(a, stmt_text(st, 2));
            h->body = arena_strdup(a, stmt_text(st, 3));
            h->url = arena_strdup(a, stmt_text(st, 4));
            h->score = all[i].score;
        }
        stmt_done(st);
        if (rc == STORE_ERROR) {
            free(all);
            return STORE_ERROR;
        }
    }
    free(all);
    return STORE_DONE;
}

bool search_log_record(db_t *db, const char *normalised, int64_t results)
{
    int64_t day = now_seconds() / 86400 * 86400;
    return db_run(db,
                  "INSERT INTO search_log (day, query, searches, results) VALUES ($1, $2, 1, $3) ON CONFLICT (day, "
                  "query) DO UPDATE SET searches = search_log.searches + 1, results = excluded.results",
                  "ItI", day, normalised, results) == 1;
}

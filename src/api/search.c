/* The one search box (docs/learning.md "Search"): GET /api/search ranks the public searchable
 * texts (lessons, courses, announcements, forum topics, commitments) containing every term of
 * the query, tokenized as they were (core/search_text.h), and logs the search anonymised;
 * GET /api/search/log summarises that log for administrators. */
#include <string.h>

#include "api/api.h"
#include "core/search_text.h"
#include "core/text.h"
#include "store/search.h"

/* the types a search may be narrowed to (search_documents.type) */
static const char *const search_types[] = {"lesson", "course", "announcement", "topic", "commitment"};

/* characters of a snippet */
#define SNIPPET_CHARS 120

void api_search(call_t *c)
{
    int page = 1, per_page = 20;
    if (!call_page(c, &page, &per_page))
        return;
    const char *q = call_query(c, "q"), *type = call_query(c, "type");
    if (call_answered(c))
        return;
    if (type != NULL && *type == '\0')
        type = NULL;
    if (type != NULL) {
        bool known = false;
        for (size_t i = 0; i < sizeof search_types / sizeof *search_types && !known; i++)
            known = strcmp(type, search_types[i]) == 0;
        if (!known) {
            call_invalid(c, "type", "类型应为 lesson、course、announcement、topic 或 commitment",
                         "type must be lesson, course, announcement, topic or commitment");
            return;
        }
    }
    int n = 0;
    const char **terms = search_query_terms(&c->arena, q ? q : "", SEARCH_QUERY_TERMS_MAX, &n);
    search_hits_t hits;
    if (search_find(c->db, &c->arena, terms, n, type, (page - 1) * per_page, per_page, &hits) != STORE_DONE) {
        call_db_error(c, "search");
        return;
    }
    const char *normalised = search_query_normalised(&c->arena, q ? q : "");
    if (*normalised != '\0' && page == 1 && !search_log_record(c->db, normalised, hits.total)) {
        call_db_error(c, "search log");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "results");
    jw_array(w);
    for (int i = 0; i < hits.n; i++) {
        const search_hit_t *h = &hits.items[i];
        char *snippet = search_snippet(&c->arena, h->body, terms, n, SNIPPET_CHARS);
        if (snippet == NULL)   /* only the title has them: its start */
            snippet = search_snippet(&c->arena, h->title, terms, n, SNIPPET_CHARS);
        jw_object(w);
        jw_kstr(w, "type", h->type);
        jw_kint(w, "id", h->ref_id);
        jw_kstr(w, "title", h->title);
        jw_kstr(w, "title_html", search_snippet(&c->arena, h->title, terms, n, 0));
        jw_kstr(w, "snippet", snippet ? snippet : "");
        jw_kstr(w, "url", h->url);
        jw_end(w);
    }
    jw_end(w);
    jw_kint(w, "total", hits.total);
    jw_kint(w, "page", page);
    jw_kint(w, "per_page", per_page);
    jw_end(w);
}

/* One list of the summary: the queries of the last `days` days, most asked first. */
static bool write_queries(call_t *c, jw_t *w, const char *key, bool zero_only, int64_t since, int64_t limit)
{
    stmt_t *st = db_query(c->db,
                          zero_only ? "SELECT query, SUM(searches), MAX(results) FROM search_log WHERE day >= $1 "
                                      "GROUP BY query HAVING MAX(results) = 0 ORDER BY SUM(searches) DESC, query "
                                      "LIMIT $2"
                                    : "SELECT query, SUM(searches), MAX(results) FROM search_log WHERE day >= $1 "
                                      "GROUP BY query ORDER BY SUM(searches) DESC, query LIMIT $2",
                          "II", since, limit);
    jw_key(w, key);
    jw_array(w);
    int rc = STORE_ERROR;
    while (st && (rc = stmt_step(st)) == STORE_ROW) {
        jw_object(w);
        jw_kstr(w, "query", stmt_text(st, 0));
        jw_kint(w, "searches", stmt_int(st, 1));
        jw_kint(w, "results", stmt_int(st, 2));
        jw_end(w);
    }
    stmt_done(st);
    jw_end(w);
    return rc == STORE_DONE;
}

void api_search_log(call_t *c)
{
    int64_t days = 30, limit = 20;
    if (!call_query_int(c, "days", 1, 366, &days) || !call_query_int(c, "limit", 1, 100, &limit))
        return;
    int64_t since = (now_seconds() / 86400 - (days - 1)) * 86400;
    stmt_t *st = db_query(c->db, "SELECT COALESCE(SUM(searches), 0) FROM search_log WHERE day >= $1", "I", since);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t searches = rc == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != STORE_ROW) {
        call_db_error(c, "search log");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kint(w, "days", days);
    jw_kint(w, "searches", searches);
    bool ok = write_queries(c, w, "top", false, since, limit) && write_queries(c, w, "zero_results", true, since, limit);
    jw_end(w);
    if (!ok)
        call_db_error(c, "search log");   /* replaces whatever was written */
}

/* The one way a paginated list is answered: count, page of rows, {"items","total","page",
 * "per_page"}; or, with ?format=csv|xlsx, every row as a file (exports.c). Filters and scope
 * are put into both queries by the caller. */
#include "api/api.h"

void answer_list(call_t *c, query_t *count, query_t *list, int page, int per_page, row_write_fn row, const char *what)
{
    const char *format = call_query(c, "format");
    if (call_answered(c)) {
        query_free(count);
        query_free(list);
        return;
    }
    if (format != NULL) {
        answer_export(c, count, list, row, what, format);   /* exports.c: every row, as a file */
        return;
    }
    query_page(list, page, per_page);
    int64_t total = -1;
    int rc = STORE_ERROR;
    stmt_t *st = query_run(c->db, count);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        total = stmt_int(st, 0);
    stmt_done(st);
    st = total >= 0 ? query_run(c->db, list) : NULL;
    if (st != NULL) {
        jw_t *w = call_json_begin(c, 200);
        jw_object(w);
        jw_kint(w, "total", total);
        jw_kint(w, "page", page);
        jw_kint(w, "per_page", per_page);
        jw_key(w, "items");
        jw_array(w);
        while ((rc = stmt_step(st)) == STORE_ROW)
            row(c, st, w);
        jw_end(w);
        jw_end(w);
    }
    stmt_done(st);
    query_free(count);
    query_free(list);
    if (rc != STORE_DONE)
        call_db_error(c, what);      /* replaces whatever was written */
}

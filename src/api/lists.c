/* The one way a paginated list is answered: count, page of rows, {"items","total","page",
 * "per_page"}. Filters and scope are put into both queries by the caller. */
#include "api/api.h"

void answer_list(call_t *c, query_t *count, query_t *list, int page, int per_page, row_json_fn row, const char *what)
{
    query_page(list, page, per_page);
    json_t *items = json_array();
    int64_t total = -1;
    int rc = STORE_ERROR;
    stmt_t *st = query_run(c->db, count);
    if (st != NULL && stmt_step(st) == STORE_ROW)
        total = stmt_int(st, 0);
    stmt_done(st);
    st = total >= 0 ? query_run(c->db, list) : NULL;
    if (st != NULL)
        while ((rc = stmt_step(st)) == STORE_ROW)
            json_array_append_new(items, row(c, st));
    stmt_done(st);
    query_free(count);
    query_free(list);
    if (rc != STORE_DONE) {
        json_decref(items);
        call_db_error(c, what);
        return;
    }
    call_json(c, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page,
                                "per_page", per_page));
}

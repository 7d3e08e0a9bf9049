/* The stored effectiveness results (store/effectiveness.h). */
#include "store/effectiveness.h"

#include <math.h>

static double column_double(stmt_t *st, int col)
{
    return stmt_is_null(st, col) ? NAN : stmt_double(st, col);
}

int effectiveness_result_load(db_t *db, arena_t *a, int64_t enterprise_id, effectiveness_result_t *out)
{
    stmt_t *st = db_query(db,
                          "SELECT enterprise_id, method, certified_year, COALESCE(body_id, 0), index_value, quality, "
                          "benefit, management, verdict, grade, form_only, indicators_present, indicators_verified, "
                          "peer_level, detail, computed_at FROM effectiveness_results WHERE enterprise_id = $1",
                          "I", enterprise_id);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    if (rc == STORE_ROW) {
        out->enterprise_id = stmt_int(st, 0);
        out->method = arena_strdup(a, stmt_text(st, 1));
        out->certified_year = stmt_int(st, 2);
        out->body_id = stmt_int(st, 3);
        out->index = column_double(st, 4);
        out->quality = column_double(st, 5);
        out->benefit = column_double(st, 6);
        out->management = column_double(st, 7);
        out->verdict = arena_strdup(a, stmt_text(st, 8));
        out->grade = arena_strdup(a, stmt_text(st, 9));
        out->form_only = stmt_int(st, 10) != 0;
        out->indicators_present = stmt_int(st, 11);
        out->indicators_verified = stmt_int(st, 12);
        out->peer_level = arena_strdup(a, stmt_text(st, 13));
        out->detail = arena_strdup(a, stmt_text(st, 14));
        out->computed_at = stmt_int(st, 15);
    }
    stmt_done(st);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

/* The indicator values and the enterprises as CSV (report/indicators_export.h). */
#include "report/indicators_export.h"

#include "core/buf.h"
#include "core/csv.h"
#include "domain/indicators.h"

/* Writes the header, then every row of st (its columns as text, or the value column
 * value_col formatted as written; -1 none). 0, or 1 on a database error. */
static int export_rows(db_t *db, stmt_t *st, FILE *out, const char *const *header, int ncols, int value_col)
{
    buf_t line;
    buf_init(&line, 4096);
    for (int i = 0; i < ncols; i++)
        csv_field(&line, header[i], i == 0);
    fprintf(out, "%s\n", line.data);
    int rc = st ? STORE_ROW : STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW) {
        buf_reset(&line);
        for (int i = 0; i < ncols; i++) {
            char number[INDICATOR_VALUE_TEXT];
            const char *text = stmt_text(st, i);
            if (i == value_col) {
                indicator_value_format(stmt_double(st, i), number);
                text = number;
            }
            csv_field(&line, text, i == 0);
        }
        fprintf(out, "%s\n", line.data);
    }
    stmt_done(st);
    buf_free(&line);
    if (rc != STORE_DONE) {
        fprintf(stderr, "guanbiao: export failed: %s\n", db_error(db));
        return 1;
    }
    return 0;
}

int indicators_export(db_t *db, FILE *out)
{
    static const char *const header[] = {"credit_code", "year", "indicator", "value"};
    stmt_t *st = db_query(db,
                          "SELECT e.credit_code, CAST(v.year AS TEXT), i.code, v.value FROM indicator_values v "
                          "JOIN enterprises e ON e.id = v.enterprise_id JOIN indicators i ON i.id = v.indicator_id "
                          "ORDER BY e.credit_code, v.year, i.position, i.id",
                          "");
    return export_rows(db, st, out, header, 4, 3);
}

int enterprises_export(db_t *db, FILE *out)
{
    static const char *const header[] = {"credit_code", "name", "industry", "size", "region", "status"};
    stmt_t *st = db_query(db, "SELECT credit_code, name, industry, size, region, status FROM enterprises ORDER BY credit_code",
                          "");
    return export_rows(db, st, out, header, 6, -1);
}

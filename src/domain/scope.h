/* Row-level scope, decided in one place. Every record that is not public belongs to an
 * enterprise (and has its region), and may involve a certification body. Who may read or
 * change such a record:
 *   admin      every record;
 *   regulator  records whose region lies within the regulator's GB/T 2260 prefix
 *              (national: all; 440000: 44…; 440300: 4403…);
 *   enterprise records of its own enterprise;
 *   body       records that involve its own body;
 *   public     none.
 * Handlers never decide this themselves: single rows go through scope_allows(), lists add
 * scope_filter()'s predicate to their WHERE clause. */
#ifndef GUANBIAO_SCOPE_H
#define GUANBIAO_SCOPE_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/roles.h"

/* The significant prefix of a region code: "440000" → "44", "440300" → "4403",
 * "440305" → "440305", "" or "000000" → "" (national). out has room for 7 bytes. */
void region_prefix(const char *region, char out[7]);

/* A 6-digit GB/T 2260 code whose province exists in data/regions.tsv, or "" / "000000"
 * (national). */
bool region_code_valid(const char *region);

/* True when region lies within the regulator region `within` (prefix rule above). */
bool region_within(const char *region, const char *within);

/* May user u reach a record of this enterprise / body (0 = none) / region? */
bool scope_allows(const user_t *u, int64_t enterprise_id, int64_t body_id, const char *region);

/* Columns of the queried table that carry a record's owner; NULL when the table has none
 * (then that way of reaching the record does not exist). */
typedef struct scope_columns {
    const char *enterprise;   /* e.g. "c.enterprise_id" */
    const char *body;         /* e.g. "c.body_id" */
    const char *region;       /* e.g. "e.region" */
} scope_columns_t;

/* A SQL predicate with at most one parameter, numbered $first_param. */
typedef struct scope_filter {
    char sql[192];            /* "TRUE", "FALSE", or a comparison with $N */
    int nparams;              /* 0 or 1 */
    bool param_is_text;
    int64_t int_param;
    char text_param[8];       /* region prefix + "%" */
} scope_filter_t;

void scope_filter(const user_t *u, const scope_columns_t *cols, int first_param, scope_filter_t *out);

#endif

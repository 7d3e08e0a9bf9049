/* Row-level scope, decided in one place. Every record that is not public belongs to an
 * enterprise (and has its region), and may involve a certification body. Who may read or
 * change such a record:
 *   admin      every record;
 *   regulator  records whose region lies within the regulator's GB/T 2260 prefix
 *              (national: all; 440000: 44…; 440300: 4403…);
 *   enterprise records of its own enterprise;
 *   body       records that involve its own body;
 *   public     none.
 * Handlers never decide this themselves: single rows go through scope_allows(), lists give
 * scope_reach() to the store's query builder (store/query.h: query_scope), which writes the SQL. */
#ifndef GUANBIAO_SCOPE_H
#define GUANBIAO_SCOPE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"

/* The significant prefix of a region code: "440000" → "44", "440300" → "4403",
 * "440305" → "440305", "" or "000000" → "" (national). out has room for 7 bytes. */
void region_prefix(const char *region, char out[7]);

/* A 6-digit GB/T 2260 code whose province exists in data/regions.tsv, or "" / "000000"
 * (national). */
bool region_code_valid(const char *region);

/* A region filter as lists take it: a GB/T 2260 code or a prefix of one, digits only, at most
 * six of them ("" too: no filter). */
bool region_filter_valid(const char *filter);

/* True when region lies within the regulator region `within` (prefix rule above). */
bool region_within(const char *region, const char *within);

/* May user u reach a record of this enterprise / body (0 = none) / region? */
bool scope_allows(const user_t *u, int64_t enterprise_id, int64_t body_id, const char *region);

/* What user u reaches (core/roles.h), by the rules above. */
reach_t scope_reach(const user_t *u);

#endif

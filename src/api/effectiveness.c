/* The effectiveness index (issue 10, docs/effectiveness.md): the run that reads the indicator
 * values, computes method v1 (domain/effectiveness.h) and stores the results, and the routes.
 * PLACEHOLDER until the method slice of issue 10 lands: the run computes nothing yet. */
#include "api/api.h"

bool effectiveness_refresh_run(db_t *db, int64_t now, char *err, size_t errlen)
{
    (void)db;
    (void)now;
    (void)err;
    (void)errlen;
    return true;
}

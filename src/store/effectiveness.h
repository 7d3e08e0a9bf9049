/* The stored effectiveness results (issue 10; docs/effectiveness.md; sql/017 effectiveness_results
 * and effectiveness_runs): one row per evaluated enterprise, replaced as a whole by each run of
 * the job effectiveness_refresh (src/api/effectiveness.c), read by the enterprise's page, its
 * report, the regulators' views and the ranking of bodies. The computation is
 * domain/effectiveness.h; reading its inputs is here too. */
#ifndef GUANBIAO_STORE_EFFECTIVENESS_H
#define GUANBIAO_STORE_EFFECTIVENESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/indicators.h"
#include "store/store.h"

#define EFFECTIVENESS_METHOD "v1"

/* One enterprise's result. Doubles are NaN where the column is NULL (no index: no indicator
 * could be evaluated; a category with no indicator). */
typedef struct effectiveness_result {
    int64_t enterprise_id;
    const char *method;          /* "v1" */
    int64_t certified_year;      /* the issue year of its first certificate */
    int64_t body_id;             /* the body that issued that certificate, 0 none */
    double index, quality, benefit, management;
    const char *verdict;         /* significant_improvement, improvement, no_change, decline; "" no index */
    const char *grade;           /* A, B, C; "" no index */
    bool form_only;
    int64_t indicators_present, indicators_verified;
    const char *peer_level;      /* industry, size, none */
    /* the JSON array of the indicators, each {"code","name","name_en","category","unit","kind",
     * "lower_is_better","before","after","years_before","years_after","change","peer_median",
     * "peers","peer_level","adjusted","mad","scaled","verified"} with null where the method has no
     * number: what GET /api/enterprises/{id}/effectiveness shows as "indicators" */
    const char *detail;
    int64_t computed_at;
} effectiveness_result_t;

/* Enterprise enterprise_id's stored result (strings in a): 1 found, 0 not evaluated (no
 * certificate, or not yet computed), -1 error. */
int effectiveness_result_load(db_t *db, arena_t *a, int64_t enterprise_id, effectiveness_result_t *out);

/* Replaces every row of effectiveness_results by rows[0..n) and the run's row, in one
 * transaction (nested into the caller's if one is open). False on a database error (then
 * nothing changed). Implemented with the method (src/store/effectiveness.c). */
bool effectiveness_results_replace(db_t *db, const effectiveness_result_t *rows, size_t n, int64_t computed_at,
                                   int64_t duration_ms);

/* The inputs of one run, read in a few queries (no per-enterprise query): every enterprise (its
 * GB/T 4754 section, mapped from the division in enterprises.industry with core/regions.h; its
 * size class; its first certificate's issue year and body), the catalogue (indicators not
 * retired, in order) and every value of the years first_year … first_year + nyears − 1 as a dense
 * grid: value of enterprise e, indicator i, year y at values[(e × nindicators + i) × nyears +
 * (y − first_year)], NaN when none; verified[…] 1 where a body verified it. The years are those
 * any evaluation can use: (first certified year − 3) … min(last certified year + 3,
 * current_year); nyears 0 when no enterprise is certified. Freed with
 * effectiveness_inputs_free. */
typedef struct effectiveness_input_enterprise {
    int64_t id;
    char section;          /* 'A' … 'T', 0 when the industry is unknown */
    char size[12];         /* enterprises.size: large, medium, small, micro */
    int certified_year;    /* 0 none */
    int64_t body_id;       /* the body of that first certificate, 0 none */
} effectiveness_input_enterprise_t;

typedef struct effectiveness_inputs {
    arena_t arena;                          /* the catalogue's strings */
    indicator_t *indicators;                /* store/indicators.h */
    size_t nindicators;
    effectiveness_input_enterprise_t *enterprises;   /* by id */
    size_t nenterprises;
    int first_year, nyears;
    double *values;
    uint8_t *verified;
} effectiveness_inputs_t;

/* Reads the inputs (see above). False on a database error or out of memory (nothing to free). */
bool effectiveness_inputs_read(db_t *db, int current_year, effectiveness_inputs_t *out);
/* Frees the grid only (values, verified): the rest stays readable. */
void effectiveness_inputs_free_grid(effectiveness_inputs_t *in);
void effectiveness_inputs_free(effectiveness_inputs_t *in);

#endif

/* The effectiveness index, method v1 (DOMAIN.md "Effectiveness index (method v1)";
 * docs/effectiveness.md "The index (method v1)"). Pure: arrays in, numbers out, no I/O.
 *
 * For an enterprise certified in year Y (the issue year of its first certificate), for each
 * indicator of the catalogue:
 *   1. before = mean of the values of Y−3 … Y−1, after = mean of Y+1 … Y+3 (years after the
 *      current year do not count), each over the years that have a value and needing at least
 *      one; otherwise the indicator is missing. Year Y is in neither window.
 *   2. change = ln((after + 1) / (before + 1)) for count and amount, after − before (percentage
 *      points) for share; its sign flipped when lower is better.
 *   3. peers = enterprises of the same industry section and size class with no certificate
 *      issued in or before Y+3 that have a change over the SAME two windows; fewer than 5: the
 *      same size class in every industry (an enterprise with no known section starts there);
 *      fewer than 5 still: no adjustment (peer level none). adjusted = change − peer median.
 *   4. MAD = median |x − median(x)| over the adjusted changes of that indicator of every
 *      evaluated (certified) enterprise, no consistency factor; scaled = clip(adjusted / MAD,
 *      −3, 3), 0 when MAD is 0.
 *   5. category score = mean of its scaled values present; index = 50 + (50/3) × (0.4 quality
 *      + 0.4 benefit + 0.2 management) / (sum of the weights of the categories present).
 *   6. verdict: ≥ 65 significant_improvement, ≥ 55 improvement, > 45 no_change, else decline
 *      (compared after rounding the index to 1e-9, so that 55 computed as 54.99999999999
 *      stays 55). "Verified": an indicator is verified when every value used in its two windows
 *      was verified by a body. Grade A when the verified indicators are ≥ 80 % of the
 *      catalogue, else B when the present ones are ≥ 50 %, else C; then one step down (A → B,
 *      B → C) when any present indicator had no peer adjustment (peer level none).
 *      form-only (形式化贯标): current year − Y ≥ 2, index < 50, and no management indicator
 *      with a positive adjusted change.
 * Peer medians are memoised by (Y, section, size, indicator), so 100,000 enterprises stay fast.
 * Medians of an even count are the mean of the two middle values. */
#ifndef GUANBIAO_DOMAIN_EFFECTIVENESS_H
#define GUANBIAO_DOMAIN_EFFECTIVENESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { EFF_MIN_PEERS = 5, EFF_WINDOW = 3, EFF_MAX_SIZES = 8 };

typedef enum eff_kind { EFF_COUNT, EFF_SHARE, EFF_AMOUNT } eff_kind_t;
typedef enum eff_category { EFF_QUALITY, EFF_BENEFIT, EFF_MANAGEMENT, EFF_CATEGORIES } eff_category_t;
/* Ordered from the narrowest: a result's level is the widest any of its indicators needed. */
typedef enum eff_peer_level { EFF_PEER_INDUSTRY, EFF_PEER_SIZE, EFF_PEER_NONE } eff_peer_level_t;

typedef struct eff_indicator {
    eff_kind_t kind;
    eff_category_t category;
    bool lower_is_better;
} eff_indicator_t;

typedef struct eff_enterprise {
    char section;          /* GB/T 4754 section 'A' … 'Z', 0 when unknown */
    int size;              /* size class 0 … EFF_MAX_SIZES − 1 (the caller's numbering) */
    int certified_year;    /* issue year of its first certificate, 0 none */
} eff_enterprise_t;

/* Everything the method sees. values is a dense grid: the value of enterprise e, indicator i,
 * year y is values[(e × nindicators + i) × nyears + (y − first_year)], NaN when there is none;
 * verified (NULL: none) has the same shape, non-zero where a body verified the value. Years
 * outside the grid have no value. The catalogue is the indicators not retired. */
typedef struct eff_input {
    const eff_indicator_t *indicators;
    size_t nindicators;
    const eff_enterprise_t *enterprises;
    size_t nenterprises;
    int first_year, nyears;
    const double *values;
    const uint8_t *verified;
    int current_year;
} eff_input_t;

/* One indicator of one evaluated enterprise. NaN where the method has no number. */
typedef struct eff_detail {
    bool present;              /* both windows have a value: change is a number */
    double before, after;      /* NaN when that window has no value */
    int years_before, years_after;
    double change;             /* sign already flipped when lower is better */
    double peer_median;        /* NaN with peer level none */
    int peers;                 /* peers found at the level used (at the size level when none) */
    eff_peer_level_t peer_level;
    double adjusted, mad, scaled;
    bool verified;             /* present and every value of both windows verified */
} eff_detail_t;

/* One evaluated enterprise (certified_year > 0). index NaN when no indicator is present (then
 * verdict and grade are ""). category[c] NaN when the category has none present. */
typedef struct eff_result {
    size_t enterprise;         /* index into input.enterprises */
    double index;
    double category[EFF_CATEGORIES];
    const char *verdict;       /* static string */
    const char *grade;         /* "A", "B", "C" or "" */
    bool form_only;
    int present, verified;
    eff_peer_level_t peer_level;   /* the widest level of its present indicators */
    bool any_present;
} eff_result_t;

/* Number of evaluated (certified) enterprises of in: the length of the results array. */
size_t effectiveness_evaluated_count(const eff_input_t *in);

/* Computes method v1 for every certified enterprise of in, in the order of in->enterprises:
 * results[k] (k < effectiveness_evaluated_count) and details[k × nindicators + i]. False on
 * out of memory or an invalid input (a size class out of range, a NULL array with a count). */
bool effectiveness_compute(const eff_input_t *in, eff_result_t *results, eff_detail_t *details);

/* The verdict code of an index (NaN: ""). */
const char *effectiveness_verdict(double index);
const char *effectiveness_peer_level_name(eff_peer_level_t level);
/* The median of x[0..n) (reordered in place); NaN when n is 0. */
double effectiveness_median(double *x, size_t n);

#endif

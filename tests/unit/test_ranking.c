/* Covers domain/ranking (method v1): a worked example of three bodies computed by hand, and the
 * method's invariants — equal records rank equal, shrinkage both ways, no reviews → the
 * platform mean, scores within 0–100, the interval holds the score and narrows with evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/ranking.h"

#define UNUSED (void)state
#define EPS 1e-9

/* cmocka's assert_float_equal compares floats; the method's numbers need doubles. */
#define assert_close(actual, expected, eps)                                                   \
    do {                                                                                      \
        double actual_ = (actual), expected_ = (expected);                                    \
        if (!(fabs(actual_ - expected_) <= (eps)))                                            \
            fail_msg("%s = %.9f, expected %.9f", #actual, actual_, expected_);                \
    } while (0)

static const ranking_result_t *find(const ranking_result_t *out, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (out[i].body_id == id)
            return &out[i];
    fail_msg("body %lld not in the result", (long long)id);
    return NULL;
}

static ranking_review_t flat(double s)
{
    return (ranking_review_t){s, s, s, s};
}

/* Three bodies.
 *   11: reviews (5,5,5,5) → 5 and (5,4,4,3) → 4; client indices 80, 70; 4 kept, 0 late.
 *   22: review (3,3,3,3) → 3; client index 60; 1 kept, 1 late.
 *   33: review (1,2,3,2) → 2; no client index; 0 kept, 3 late.
 * Platform: ratings 5, 4, 3, 2 → mean 3.5, sample variance (2.25+0.25+0.25+2.25)/3 = 5/3,
 *   on 0–100: 5/3 × 625 = 3125/3; indices 80, 70, 60 → sample variance (100+0+100)/2 = 100;
 *   share kept 5 of 9 engagements = 5/9.
 * 11: rating (10×3.5 + 5 + 4)/12 = 44/12 = 11/3 → (11/3 − 1)/4 × 100 = 200/3 = 66.6667
 *     outcome (5×50 + 80 + 70)/7 = 400/7 = 57.1429
 *     share (5×5/9 + 4)/9 = 61/81 → commitment 6100/81 = 75.3086
 *     overall 0.5×200/3 + 0.3×400/7 + 0.2×6100/81 = 37160/567 = 65.537919
 *     var 0.25×(3125/3)/12 + 0.09×100/7 + 0.04×(61/81)(20/81)×10000/9
 *       = 21.701389 + 1.285714 + 8.264323 = 31.251426; half 1.2815516 × √ = 7.164254
 *     interval [58.373664, 72.702173]
 * 22: rating (35 + 3)/11 = 38/11 → (27/11)/4 × 100 = 675/11 = 61.3636
 *     outcome (250 + 60)/6 = 155/3 = 51.6667
 *     share (25/9 + 1)/7 = 34/63 → commitment 3400/63 = 53.9683
 *     overall 0.5×675/11 + 0.3×155/3 + 0.2×3400/63 = 39484/693 = 56.975469
 *     var (3125/3)/44 + 9/6 + 0.04×(34/63)(29/63)×10000/7
 *       = 23.674242 + 1.5 + 14.195732 = 39.369974; half 8.041159
 *     interval [48.934310, 65.016628]
 * 33: rating (35 + 2)/11 = 37/11 → (26/11)/4 × 100 = 650/11 = 59.0909
 *     outcome (250 + 0)/5 = 50 (no index: the prior itself)
 *     share (25/9 + 0)/8 = 25/72 → commitment 625/18 = 34.7222
 *     overall 0.5×650/11 + 0.3×50 + 0.2×625/18 = 10195/198 = 51.489899
 *     var 23.674242 + 0.09×100/5 + 0.04×(25/72)(47/72)×10000/8
 *       = 23.674242 + 1.8 + 11.332948 = 36.807190; half 7.775036
 *     interval [43.714863, 59.264935]
 * Order 11, 22, 33; ranks 1, 2, 3. */
static void worked_example_of_three_bodies(void **state)
{
    UNUSED;
    ranking_review_t r11[] = {flat(5), {5, 4, 4, 3}}, r22[] = {flat(3)}, r33[] = {{1, 2, 3, 2}};
    double o11[] = {80, 70}, o22[] = {60};
    ranking_body_t bodies[] = {
        {.body_id = 33, .reviews = r33, .review_count = 1, .engagements_late = 3},
        {.body_id = 11, .reviews = r11, .review_count = 2, .outcome_indices = o11, .outcome_count = 2,
         .engagements_kept = 4},
        {.body_id = 22, .reviews = r22, .review_count = 1, .outcome_indices = o22, .outcome_count = 1,
         .engagements_kept = 1, .engagements_late = 1},
    };
    ranking_result_t out[3];
    assert_true(ranking_compute(bodies, 3, out));

    assert_int_equal(out[0].body_id, 11);
    assert_int_equal(out[1].body_id, 22);
    assert_int_equal(out[2].body_id, 33);
    assert_int_equal(out[0].rank, 1);
    assert_int_equal(out[1].rank, 2);
    assert_int_equal(out[2].rank, 3);

    assert_close(out[0].rating, 200.0 / 3, EPS);
    assert_close(out[0].outcome, 400.0 / 7, EPS);
    assert_close(out[0].commitment, 6100.0 / 81, EPS);
    assert_close(out[0].overall, 37160.0 / 567, EPS);
    assert_close(out[0].low, 58.373664, 1e-6);
    assert_close(out[0].high, 72.702173, 1e-6);

    assert_close(out[1].rating, 675.0 / 11, EPS);
    assert_close(out[1].outcome, 155.0 / 3, EPS);
    assert_close(out[1].commitment, 3400.0 / 63, EPS);
    assert_close(out[1].overall, 39484.0 / 693, EPS);
    assert_close(out[1].low, 48.934310, 1e-6);
    assert_close(out[1].high, 65.016628, 1e-6);

    assert_close(out[2].rating, 650.0 / 11, EPS);
    assert_close(out[2].outcome, 50.0, EPS);
    assert_close(out[2].commitment, 625.0 / 18, EPS);
    assert_close(out[2].overall, 10195.0 / 198, EPS);
    assert_close(out[2].low, 43.714863, 1e-6);
    assert_close(out[2].high, 59.264935, 1e-6);
}

/* Two bodies with the same record, given in either order and with any ids, score the same
 * and share a rank; the tie is ordered by id only (here 5 before 90), and a third, worse body
 * ranks 3 (competition ranking 1, 1, 3). Reviews given in a different order change nothing. */
static void identical_records_rank_equal(void **state)
{
    UNUSED;
    ranking_review_t ra[] = {{4, 3, 5, 4}, flat(2), {5, 5, 4, 4}}, rb[] = {flat(2), {5, 5, 4, 4}, {4, 3, 5, 4}};
    ranking_review_t rc[] = {flat(1)};
    double oa[] = {66, 71.5}, ob[] = {71.5, 66};
    ranking_body_t a = {.body_id = 90, .reviews = ra, .review_count = 3, .outcome_indices = oa,
                        .outcome_count = 2, .engagements_kept = 3, .engagements_late = 1};
    ranking_body_t b = {.body_id = 5, .reviews = rb, .review_count = 3, .outcome_indices = ob,
                        .outcome_count = 2, .engagements_kept = 3, .engagements_late = 1};
    ranking_body_t c = {.body_id = 1, .reviews = rc, .review_count = 1, .engagements_late = 2};
    ranking_body_t orders[2][3] = {{a, b, c}, {c, b, a}};
    for (int k = 0; k < 2; k++) {
        ranking_result_t out[3];
        assert_true(ranking_compute(orders[k], 3, out));
        assert_int_equal(out[0].body_id, 5);
        assert_int_equal(out[1].body_id, 90);
        assert_int_equal(out[2].body_id, 1);
        assert_int_equal(out[0].rank, 1);
        assert_int_equal(out[1].rank, 1);
        assert_int_equal(out[2].rank, 3);
        assert_close(out[0].overall, out[1].overall, EPS);
        assert_close(out[0].low, out[1].low, EPS);
        assert_close(out[0].high, out[1].high, EPS);
    }
}

/* Shrinkage. Platform: body 1 has one review of 5.0, body 2 fifty of 4.9, body 3 three of 1.0.
 * Platform mean = (5 + 50×4.9 + 3×1)/54 = 253/54 = 4.685185.
 * Body 1: (10×253/54 + 5)/11 = (2530/54 + 270/54)/11 = 2800/594 = 4.713805 — pulled from 5 to
 *   within (5 − mean)/11 = 0.028620 of the mean; on 0–100: (4.713805 − 1)/4 × 100 = 92.845118.
 * Body 2: (2530/54 + 245)/60 = (2530 + 13230)/3240 = 15760/3240 = 4.864198 → 96.604938:
 *   one perfect review does not beat fifty of 4.9.
 * Body 3: (2530/54 + 3)/13 = 2692/702 = 3.834758 → 70.868946: pulled UP from its raw mean 1.0
 *   (raw 0 on 0–100), never below it. */
static void shrinkage_pulls_both_ways(void **state)
{
    UNUSED;
    ranking_review_t one[] = {flat(5)}, fifty[50], three[] = {flat(1), flat(1), flat(1)};
    for (int i = 0; i < 50; i++)
        fifty[i] = flat(4.9);
    ranking_body_t bodies[] = {
        {.body_id = 1, .reviews = one, .review_count = 1},
        {.body_id = 2, .reviews = fifty, .review_count = 50},
        {.body_id = 3, .reviews = three, .review_count = 3},
    };
    ranking_result_t out[3];
    assert_true(ranking_compute(bodies, 3, out));
    const ranking_result_t *b1 = find(out, 3, 1), *b2 = find(out, 3, 2), *b3 = find(out, 3, 3);
    assert_close(b1->rating, (2800.0 / 594 - 1) / 4 * 100, 1e-9);
    assert_close(b1->rating, 92.845118, 1e-6);
    assert_close(b2->rating, 96.604938, 1e-6);
    assert_close(b3->rating, 70.868946, 1e-6);
    double mean_scaled = (253.0 / 54 - 1) / 4 * 100;                     /* 92.129630 */
    assert_true(b1->rating < 100.0);
    assert_true(b1->rating - mean_scaled <= (100.0 - mean_scaled) / 11 + 1e-9);
    assert_true(b1->rating < b2->rating);
    assert_true(b3->rating > 0.0);
    assert_true(b3->rating < mean_scaled);
    /* Same outcome and commitment record (none: the priors), so the overall follows the rating. */
    assert_int_equal(out[0].body_id, 2);
    assert_int_equal(out[1].body_id, 1);
    assert_int_equal(out[2].body_id, 3);
}

/* A body without reviews gets the platform mean: ratings 4 and 2 → mean 3 → (3−1)/4×100 = 50;
 * without client indices it gets 50; without engagements the platform share 3/4 → 75.
 * Nothing at all on the platform: rating 3 → 50, outcome 50, share 0.5 → 50; overall 50. */
static void no_reviews_gets_the_platform_mean(void **state)
{
    UNUSED;
    ranking_review_t ra[] = {flat(4)}, rb[] = {flat(2)};
    ranking_body_t bodies[] = {
        {.body_id = 1, .reviews = ra, .review_count = 1, .engagements_kept = 2},
        {.body_id = 2, .reviews = rb, .review_count = 1, .engagements_kept = 1, .engagements_late = 1},
        {.body_id = 3},
    };
    ranking_result_t out[3];
    assert_true(ranking_compute(bodies, 3, out));
    const ranking_result_t *b3 = find(out, 3, 3);
    assert_close(b3->rating, 50.0, EPS);
    assert_close(b3->outcome, 50.0, EPS);
    assert_close(b3->commitment, 75.0, EPS);
    assert_close(b3->overall, 0.5 * 50 + 0.3 * 50 + 0.2 * 75, EPS);   /* 55 */

    ranking_body_t empty[] = {{.body_id = 7}};
    assert_true(ranking_compute(empty, 1, out));
    assert_close(out[0].rating, 50.0, EPS);
    assert_close(out[0].outcome, 50.0, EPS);
    assert_close(out[0].commitment, 50.0, EPS);
    assert_close(out[0].overall, 50.0, EPS);
    assert_int_equal(out[0].rank, 1);
    assert_true(out[0].low < 50.0 && out[0].high > 50.0);
    assert_true(ranking_compute(NULL, 0, NULL));
}

/* Extremes stay within 0–100 and every interval holds its score. */
static void scores_stay_within_bounds(void **state)
{
    UNUSED;
    ranking_review_t best[20], worst[20];
    double top[20], bottom[20];
    for (int i = 0; i < 20; i++) {
        best[i] = flat(5);
        worst[i] = flat(1);
        top[i] = 100;
        bottom[i] = 0;
    }
    ranking_body_t bodies[] = {
        {.body_id = 1, .reviews = best, .review_count = 20, .outcome_indices = top, .outcome_count = 20,
         .engagements_kept = 1000},
        {.body_id = 2, .reviews = worst, .review_count = 20, .outcome_indices = bottom, .outcome_count = 20,
         .engagements_late = 1000},
        {.body_id = 3},
    };
    ranking_result_t out[3];
    assert_true(ranking_compute(bodies, 3, out));
    for (int i = 0; i < 3; i++) {
        const ranking_result_t *r = &out[i];
        double v[] = {r->rating, r->outcome, r->commitment, r->overall, r->low, r->high};
        for (int j = 0; j < 6; j++)
            assert_true(v[j] >= 0.0 && v[j] <= 100.0);
        assert_true(r->low <= r->overall && r->overall <= r->high);
    }
    assert_int_equal(out[0].body_id, 1);
    assert_int_equal(out[2].body_id, 2);
}

/* The interval narrows as reviews grow: the same platform, a body with 1, 5, 25 then 125
 * reviews of 4 next to a fixed one; the width falls each time and always holds the score. */
static void interval_narrows_with_reviews(void **state)
{
    UNUSED;
    static ranking_review_t many[125];
    for (int i = 0; i < 125; i++)
        many[i] = flat(i % 2 ? 4.5 : 3.5);                     /* mean 4, with spread */
    ranking_review_t other[] = {flat(2), flat(5)};
    double previous = 101;
    size_t counts[] = {1, 5, 25, 125};
    for (int k = 0; k < 4; k++) {
        ranking_body_t bodies[] = {
            {.body_id = 1, .reviews = many, .review_count = counts[k]},
            {.body_id = 2, .reviews = other, .review_count = 2},
        };
        ranking_result_t out[2];
        assert_true(ranking_compute(bodies, 2, out));
        const ranking_result_t *b = find(out, 2, 1);
        assert_true(b->low <= b->overall && b->overall <= b->high);
        double width = b->high - b->low;
        assert_true(width < previous);
        previous = width;
    }
}

/* Equal scores, then the interval's low end, then the id. Ratings: ten of 3 (body 3), 2 and 4
 * (body 2), none (body 1) → platform mean 36/12 = 3, so every rating is (3−1)/4×100 = 50; no
 * outcomes or engagements → 50 and 50; overall 50 for all three, rank 1 for all three. The
 * rating's variance is the same per review over 10 + n: n = 10 (body 3) is narrowest, then
 * n = 2 (body 2), then n = 0 (body 1): order 3, 2, 1 — against the ids. */
static void ties_are_ordered_by_interval_then_id(void **state)
{
    UNUSED;
    ranking_review_t ten[10], two[] = {flat(2), flat(4)};
    for (int i = 0; i < 10; i++)
        ten[i] = flat(3);
    ranking_body_t bodies[] = {
        {.body_id = 1},
        {.body_id = 2, .reviews = two, .review_count = 2},
        {.body_id = 3, .reviews = ten, .review_count = 10},
    };
    ranking_result_t out[3];
    assert_true(ranking_compute(bodies, 3, out));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(out[i].body_id, 3 - i);
        assert_int_equal(out[i].rank, 1);
        assert_close(out[i].overall, 50.0, EPS);
    }
    assert_true(out[0].low > out[1].low && out[1].low > out[2].low);
}

/* Bad input is refused: a score outside 1–5, an index outside 0–100, NaN, a NULL array. */
static void bad_input_is_refused(void **state)
{
    UNUSED;
    ranking_result_t out[1];
    ranking_review_t low[] = {{0.5, 3, 3, 3}}, high[] = {{3, 3, 5.5, 3}}, nan_[] = {{3, NAN, 3, 3}};
    double over[] = {100.5}, under[] = {-1};
    ranking_body_t cases[] = {
        {.body_id = 1, .reviews = low, .review_count = 1},
        {.body_id = 1, .reviews = high, .review_count = 1},
        {.body_id = 1, .reviews = nan_, .review_count = 1},
        {.body_id = 1, .outcome_indices = over, .outcome_count = 1},
        {.body_id = 1, .outcome_indices = under, .outcome_count = 1},
        {.body_id = 1, .reviews = NULL, .review_count = 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_false(ranking_compute(&cases[i], 1, out));
    assert_close(ranking_review_mean(&(ranking_review_t){1, 2, 3, 2}), 2.0, EPS);
}

/* Published: scores to one decimal; 72.34 and 72.26 both show 72.3 and share rank 1, though
 * ranking_compute ordered them 1 and 2; 70.04 shows 70.0 and is third. */
static void published_scores_share_ranks(void **state)
{
    UNUSED;
    ranking_result_t out[] = {
        {.body_id = 7, .rating = 80.04, .outcome = 50, .commitment = 66.66, .overall = 72.34, .low = 60.06, .high = 84.449, .rank = 1},
        {.body_id = 3, .overall = 72.26, .low = 59.96, .high = 84.5, .rank = 2},
        {.body_id = 5, .overall = 70.04, .low = 58, .high = 82, .rank = 3},
    };
    ranking_publish(out, 3);
    assert_close(out[0].overall, 72.3, EPS);
    assert_close(out[1].overall, 72.3, EPS);
    assert_close(out[2].overall, 70.0, EPS);
    assert_close(out[0].rating, 80.0, EPS);
    assert_close(out[0].commitment, 66.7, EPS);
    assert_close(out[0].low, 60.1, EPS);
    assert_close(out[0].high, 84.4, EPS);
    assert_int_equal(out[0].rank, 1);
    assert_int_equal(out[1].rank, 1);
    assert_int_equal(out[2].rank, 3);
    assert_int_equal(out[0].body_id, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example_of_three_bodies),
        cmocka_unit_test(identical_records_rank_equal),
        cmocka_unit_test(shrinkage_pulls_both_ways),
        cmocka_unit_test(no_reviews_gets_the_platform_mean),
        cmocka_unit_test(scores_stay_within_bounds),
        cmocka_unit_test(interval_narrows_with_reviews),
        cmocka_unit_test(ties_are_ordered_by_interval_then_id),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(published_scores_share_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

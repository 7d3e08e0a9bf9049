/* Covers domain/effectiveness (method v1, DOMAIN.md "Effectiveness index (method v1)"): a worked
 * example computed by hand (the same numbers as docs/effectiveness.md), and the edge cases — one
 * year of data, missing indicators, fewer than five peers (both fallbacks), zero MAD, a
 * lower-is-better indicator, a share indicator, clipping, form-only yes and no, an enterprise
 * certified too recently to have an "after" window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/effectiveness.h"

#define UNUSED (void)state
#define EPS 1e-9

#define assert_close(actual, expected, eps)                                                   \
    do {                                                                                      \
        double actual_ = (actual), expected_ = (expected);                                    \
        if (!(fabs(actual_ - expected_) <= (eps)))                                            \
            fail_msg("%s = %.12f, expected %.12f", #actual, actual_, expected_);              \
    } while (0)

/* The catalogue of the example: four indicators. */
enum { I_APPS, I_SHARE, I_LOST, I_TRAINING, NI };
static const eff_indicator_t CATALOGUE[NI] = {
    [I_APPS] = {EFF_COUNT, EFF_QUALITY, false},      /* 发明专利申请量, count ↑ */
    [I_SHARE] = {EFF_SHARE, EFF_BENEFIT, false},     /* 专利产品销售收入占比, share ↑ (points) */
    [I_LOST] = {EFF_COUNT, EFF_BENEFIT, true},       /* 知识产权纠纷败诉数, count ↓ */
    [I_TRAINING] = {EFF_AMOUNT, EFF_MANAGEMENT, false}, /* 培训学时, amount ↑ */
};

enum { SMALL = 0, MEDIUM = 1 };
/* Enterprises: five uncertified peers (C, small), P6 certified 2024 (still a peer of 2020:
 * 2024 > 2020 + 3), P7 certified 2023 (not a peer of 2020), and the five evaluated ones of
 * 2020: A improved, B like its peers, F form only, G (section M: no industry peers → size
 * class), H (medium: no peers at all → none). */
enum { P1, P2, P3, P4, P5, P6, P7, A, B, F, G, H, NE };
static const eff_enterprise_t ENTERPRISES[NE] = {
    [P1] = {'C', SMALL, 0}, [P2] = {'C', SMALL, 0}, [P3] = {'C', SMALL, 0}, [P4] = {'C', SMALL, 0},
    [P5] = {'C', SMALL, 0}, [P6] = {'C', SMALL, 2024}, [P7] = {'C', SMALL, 2023},
    [A] = {'C', SMALL, 2020}, [B] = {'C', SMALL, 2020}, [F] = {'C', SMALL, 2020},
    [G] = {'M', SMALL, 2020}, [H] = {'C', MEDIUM, 2020},
};

#define FIRST 2017
#define NY 10  /* 2017 … 2026 */
static double values[NE * NI * NY];
static uint8_t verified[NE * NI * NY];

static void set(int e, int i, int year, double v, bool is_verified)
{
    values[(e * NI + i) * NY + (year - FIRST)] = v;
    verified[(e * NI + i) * NY + (year - FIRST)] = is_verified;
}

/* before in 2017–2019 and after in 2021–2023, each year the same value */
static void flat(int e, int i, double before, double after, bool is_verified)
{
    for (int y = 2017; y <= 2019; y++)
        set(e, i, y, before, is_verified);
    for (int y = 2021; y <= 2023; y++)
        set(e, i, y, after, is_verified);
}

static void fixture(void)
{
    for (size_t k = 0; k < NE * NI * NY; k++) {
        values[k] = NAN;
        verified[k] = 0;
    }
    /* peers. Applications: 9→9, 9→9, 4→9, 4→9, 2→8, P6 4→9: changes 0, 0, ln 2, ln 2, ln 3, ln 2
     * (median ln 2, 6 peers). Share: 10→10 … 10→14: 0, 1, 2, 3, 4 (median 2, 5 peers). Disputes
     * lost 1→1 and training 9→9: 0 each (median 0, 5 peers). */
    double apps[6][2] = {{9, 9}, {9, 9}, {4, 9}, {4, 9}, {2, 8}, {4, 9}};
    for (int p = P1; p <= P6; p++)
        flat(p, I_APPS, apps[p][0], apps[p][1], false);
    for (int p = P1; p <= P5; p++) {
        flat(p, I_SHARE, 10, 10 + p, false);
        flat(p, I_LOST, 1, 1, false);
        flat(p, I_TRAINING, 9, 9, false);
    }
    /* P7 (certified 2023, not a peer of 2020) would add a 7th peer */
    flat(P7, I_APPS, 0, 99, false);

    /* A: applications 3, 4, 5 (mean 4) then 19, –, 29 (mean 24); share 20 → 50; disputes lost
     * 3 → 1; training 9 → 19. Every value verified. */
    set(A, I_APPS, 2017, 3, true);
    set(A, I_APPS, 2018, 4, true);
    set(A, I_APPS, 2019, 5, true);
    set(A, I_APPS, 2020, 100, true);   /* year Y itself counts in neither window */
    set(A, I_APPS, 2021, 19, true);
    set(A, I_APPS, 2023, 29, true);
    flat(A, I_SHARE, 20, 50, true);
    flat(A, I_LOST, 3, 1, true);
    flat(A, I_TRAINING, 9, 19, true);
    /* B moved like its peers; verified except its 2022 training hours */
    flat(B, I_APPS, 4, 9, true);
    flat(B, I_SHARE, 10, 12, true);
    flat(B, I_LOST, 1, 1, true);
    flat(B, I_TRAINING, 9, 9, true);
    set(B, I_TRAINING, 2022, 9, false);
    /* F went down, management flat */
    flat(F, I_APPS, 9, 4, false);
    flat(F, I_SHARE, 20, 18, false);
    flat(F, I_LOST, 1, 3, false);
    flat(F, I_TRAINING, 9, 9, false);
    /* G: one year in each window, applications only */
    set(G, I_APPS, 2019, 4, false);
    set(G, I_APPS, 2021, 14, false);
    /* H: applications 1 → 3, training 9 → 9 */
    flat(H, I_APPS, 1, 3, false);
    flat(H, I_TRAINING, 9, 9, false);
}

static eff_input_t input(void)
{
    return (eff_input_t){.indicators = CATALOGUE, .nindicators = NI, .enterprises = ENTERPRISES,
                         .nenterprises = NE, .first_year = FIRST, .nyears = NY, .values = values,
                         .verified = verified, .current_year = 2026};
}

static eff_result_t results[NE];
static eff_detail_t details[NE * NI];

/* The result of enterprise e and its detail. */
static const eff_result_t *result_of(size_t n, int e, const eff_detail_t **d)
{
    for (size_t r = 0; r < n; r++)
        if (results[r].enterprise == (size_t)e) {
            *d = &details[r * NI];
            return &results[r];
        }
    fail_msg("enterprise %d not evaluated", e);
    return NULL;
}

static size_t compute(void)
{
    eff_input_t in = input();
    size_t n = effectiveness_evaluated_count(&in);
    assert_true(effectiveness_compute(&in, results, details));
    return n;
}

/* The worked example, step by step. ln 2 = 0.693147, ln 1.5 = 0.405465, ln 2.5 = 0.916291.
 * MADs over the evaluated A, B, F, G, H:
 *   applications adjusted: A ln 5 − ln 2 = ln 2.5, B 0, F −ln 2 − ln 2 = −2 ln 2, G ln 3 − ln 2
 *     = ln 1.5, H ln 2 (unadjusted) → median ln 1.5; |deviations| ln(5/3), ln 1.5, ln 6, 0,
 *     ln(4/3) → MAD ln 1.5
 *   share adjusted: A 30 − 2 = 28, B 0, F −2 − 2 = −4 → median 0, MAD 4
 *   disputes lost adjusted: A ln 2, B 0, F −ln 2 → MAD ln 2
 *   training adjusted: A ln 2, B 0, F 0, H 0 → median 0, |deviations| ln 2, 0, 0, 0 → MAD 0 */
static void test_worked_example(void **state)
{
    UNUSED;
    fixture();
    size_t n = compute();
    assert_int_equal(n, 7);    /* P6, P7, A, B, F, G, H */
    const eff_detail_t *d = NULL;

    const eff_result_t *a = result_of(n, A, &d);
    assert_close(d[I_APPS].before, 4, EPS);
    assert_close(d[I_APPS].after, 24, EPS);
    assert_int_equal(d[I_APPS].years_before, 3);
    assert_int_equal(d[I_APPS].years_after, 2);
    assert_close(d[I_APPS].change, 1.6094379124341003, EPS);          /* ln(25/5) = ln 5 */
    assert_close(d[I_APPS].peer_median, 0.6931471805599453, EPS);     /* ln 2 */
    assert_int_equal(d[I_APPS].peers, 6);                              /* P1–P6, not P7 */
    assert_int_equal(d[I_APPS].peer_level, EFF_PEER_INDUSTRY);
    assert_close(d[I_APPS].adjusted, 0.9162907318741551, EPS);        /* ln 2.5 */
    assert_close(d[I_APPS].mad, 0.4054651081081644, EPS);             /* ln 1.5 */
    assert_close(d[I_APPS].scaled, 2.259851004564663, EPS);           /* ln 2.5 / ln 1.5 */
    assert_true(d[I_APPS].verified);
    assert_close(d[I_SHARE].change, 30, EPS);
    assert_close(d[I_SHARE].peer_median, 2, EPS);
    assert_int_equal(d[I_SHARE].peers, 5);
    assert_close(d[I_SHARE].adjusted, 28, EPS);
    assert_close(d[I_SHARE].mad, 4, EPS);
    assert_close(d[I_SHARE].scaled, 3, EPS);                          /* 7 clipped */
    assert_close(d[I_LOST].change, 0.6931471805599453, EPS);          /* −ln(2/4): fewer lost */
    assert_close(d[I_LOST].peer_median, 0, EPS);
    assert_close(d[I_LOST].scaled, 1, EPS);
    assert_close(d[I_TRAINING].change, 0.6931471805599453, EPS);      /* ln(20/10) */
    assert_close(d[I_TRAINING].mad, 0, EPS);
    assert_close(d[I_TRAINING].scaled, 0, EPS);                       /* zero MAD */
    assert_close(a->category[EFF_QUALITY], 2.259851004564663, EPS);
    assert_close(a->category[EFF_BENEFIT], 2, EPS);                   /* (3 + 1) / 2 */
    assert_close(a->category[EFF_MANAGEMENT], 0, EPS);
    assert_close(a->index, 78.39900669709776, 1e-9);                  /* 50 + 50/3 (0.4 × 2.259851 + 0.4 × 2) */
    assert_string_equal(a->verdict, "significant_improvement");
    assert_int_equal(a->present, 4);
    assert_int_equal(a->verified, 4);
    assert_string_equal(a->grade, "A");
    assert_int_equal(a->peer_level, EFF_PEER_INDUSTRY);
    assert_false(a->form_only);

    const eff_result_t *b = result_of(n, B, &d);
    for (int i = 0; i < NI; i++)
        assert_close(d[i].scaled, 0, EPS);
    assert_close(b->index, 50, EPS);
    assert_string_equal(b->verdict, "no_change");
    assert_int_equal(b->verified, 3);              /* training: its 2022 value is not verified */
    assert_false(d[I_TRAINING].verified);
    assert_string_equal(b->grade, "B");            /* 3 of 4 verified = 75 % < 80 %; 4 present */
    assert_false(b->form_only);                    /* 50 is not < 50 */

    const eff_result_t *f = result_of(n, F, &d);
    assert_close(d[I_APPS].change, -0.6931471805599453, EPS);
    assert_close(d[I_APPS].adjusted, -1.3862943611198906, EPS);
    assert_close(d[I_APPS].scaled, -3, EPS);       /* −3.42 clipped */
    assert_close(d[I_SHARE].scaled, -1, EPS);      /* −4 / 4 */
    assert_close(d[I_LOST].change, -0.6931471805599453, EPS);
    assert_close(d[I_LOST].scaled, -1, EPS);
    assert_close(f->category[EFF_QUALITY], -3, EPS);
    assert_close(f->category[EFF_BENEFIT], -1, EPS);
    assert_close(f->category[EFF_MANAGEMENT], 0, EPS);
    assert_close(f->index, 23.333333333333333, 1e-9);   /* 50 + 50/3 (−1.2 − 0.4) */
    assert_string_equal(f->verdict, "decline");
    assert_string_equal(f->grade, "B");
    assert_true(f->form_only);                     /* 6 years, < 50, training adjusted 0 */

    const eff_result_t *g = result_of(n, G, &d);
    assert_int_equal(d[I_APPS].years_before, 1);
    assert_int_equal(d[I_APPS].years_after, 1);
    assert_close(d[I_APPS].change, 1.0986122886681098, EPS);          /* ln(15/5) = ln 3 */
    assert_int_equal(d[I_APPS].peer_level, EFF_PEER_SIZE);            /* no M peers */
    assert_int_equal(d[I_APPS].peers, 6);
    assert_close(d[I_APPS].peer_median, 0.6931471805599453, EPS);
    assert_close(d[I_APPS].scaled, 1, EPS);                           /* ln 1.5 / ln 1.5 */
    assert_false(d[I_SHARE].present);
    assert_true(isnan(d[I_SHARE].change));
    assert_true(isnan(g->category[EFF_BENEFIT]));
    assert_close(g->index, 66.666666666666667, 1e-9);                 /* weights over quality only */
    assert_string_equal(g->verdict, "significant_improvement");
    assert_int_equal(g->present, 1);
    assert_string_equal(g->grade, "C");            /* 1 of 4 present */
    assert_int_equal(g->peer_level, EFF_PEER_SIZE);

    const eff_result_t *h = result_of(n, H, &d);
    assert_int_equal(d[I_APPS].peer_level, EFF_PEER_NONE);
    assert_int_equal(d[I_APPS].peers, 0);
    assert_true(isnan(d[I_APPS].peer_median));
    assert_close(d[I_APPS].adjusted, 0.6931471805599453, EPS);        /* unadjusted ln 2 */
    assert_close(d[I_APPS].scaled, 1.7095112913514547, EPS);          /* ln 2 / ln 1.5 */
    assert_close(h->index, 68.99456990390506, 1e-9);  /* 50 + 50/3 (0.4 × 1.709511 + 0.2 × 0) / 0.6 */
    assert_int_equal(h->present, 2);
    assert_int_equal(h->peer_level, EFF_PEER_NONE);
    assert_string_equal(h->grade, "C");            /* 2 of 4 present: B, one step down */

    const eff_result_t *p6 = result_of(n, P6, &d);   /* certified 2024: no after values */
    assert_true(isnan(p6->index));
    assert_string_equal(p6->verdict, "");
    assert_string_equal(p6->grade, "");
    assert_false(p6->form_only);
    assert_false(d[I_APPS].present);
    assert_close(d[I_APPS].before, 9, EPS);        /* 2021–2023 */
    assert_true(isnan(d[I_APPS].after));
}

/* Form-only needs all three: two years certified, index < 50, no management improvement. */
static void test_form_only_conditions(void **state)
{
    UNUSED;
    fixture();
    /* F's training hours go up relative to peers: a management indicator improved → not flagged */
    flat(F, I_TRAINING, 9, 14, false);
    size_t n = compute();
    const eff_detail_t *d = NULL;
    const eff_result_t *f = result_of(n, F, &d);
    assert_true(d[I_TRAINING].adjusted > 0);
    assert_true(f->index < 50);
    assert_false(f->form_only);

    /* certified one year ago: too early to call it form only */
    fixture();
    eff_input_t in = input();
    in.current_year = 2021;
    /* (the after window then holds 2021 only) */
    assert_true(effectiveness_compute(&in, results, details));
    f = result_of(effectiveness_evaluated_count(&in), F, &d);
    assert_true(f->index < 50);
    assert_false(f->form_only);
    in.current_year = 2022;
    assert_true(effectiveness_compute(&in, results, details));
    f = result_of(effectiveness_evaluated_count(&in), F, &d);
    assert_true(f->form_only);
}

/* Grade A drops to B when an indicator has no peers, even when everything is verified. */
static void test_grade_drop_from_a(void **state)
{
    UNUSED;
    fixture();
    for (int i = 0; i < NI; i++)
        flat(H, i, 2, 3, true);
    size_t n = compute();
    const eff_detail_t *d = NULL;
    const eff_result_t *h = result_of(n, H, &d);
    assert_int_equal(h->present, 4);
    assert_int_equal(h->verified, 4);
    assert_int_equal(h->peer_level, EFF_PEER_NONE);
    assert_string_equal(h->grade, "B");
}

static void test_verdict_thresholds(void **state)
{
    UNUSED;
    assert_string_equal(effectiveness_verdict(65), "significant_improvement");
    assert_string_equal(effectiveness_verdict(64.999), "improvement");
    assert_string_equal(effectiveness_verdict(55), "improvement");
    assert_string_equal(effectiveness_verdict(54.99999999999999), "improvement");   /* rounding noise */
    assert_string_equal(effectiveness_verdict(54.9), "no_change");
    assert_string_equal(effectiveness_verdict(45.0001), "no_change");
    assert_string_equal(effectiveness_verdict(45), "decline");
    assert_string_equal(effectiveness_verdict(NAN), "");
    double x[] = {5, 1, 4, 2};
    assert_close(effectiveness_median(x, 4), 3, EPS);
    double y[] = {7};
    assert_close(effectiveness_median(y, 1), 7, EPS);
}

static void test_no_certified_enterprise(void **state)
{
    UNUSED;
    fixture();
    eff_enterprise_t none[2] = {{'C', SMALL, 0}, {'C', SMALL, 0}};
    eff_input_t in = input();
    in.enterprises = none;
    in.nenterprises = 2;
    assert_int_equal(effectiveness_evaluated_count(&in), 0);
    assert_true(effectiveness_compute(&in, results, details));
    eff_enterprise_t bad[1] = {{'C', EFF_MAX_SIZES, 2020}};
    in.enterprises = bad;
    in.nenterprises = 1;
    assert_false(effectiveness_compute(&in, results, details));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_form_only_conditions),
        cmocka_unit_test(test_grade_drop_from_a),
        cmocka_unit_test(test_verdict_thresholds),
        cmocka_unit_test(test_no_certified_enterprise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

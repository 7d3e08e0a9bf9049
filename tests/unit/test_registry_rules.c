/* Covers core/uscc (credit-code validation, each reason, normalisation, generation),
 * core/regions (GB/T 2260 and GB/T 4754 lookups), domain/certificate (numbers, statuses,
 * transitions, dates) and core/csv (reading and writing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/regions.h"
#include "core/strset.h"
#include "core/uscc.h"
#include "domain/certificate.h"
#include "domain/enterprise.h"

#define UNUSED (void)state

static void uscc_accepts_real_codes(void **state)
{
    UNUSED;
    const char *good[] = {"91110000600037341L", "914403001922038216"};
    for (size_t i = 0; i < 2; i++) {
        uscc_result_t r = uscc_check(good[i]);
        assert_int_equal(r.problem, USCC_OK);
        assert_string_equal(r.code, good[i]);
    }
}

static void uscc_normalises_case_and_blanks(void **state)
{
    UNUSED;
    uscc_result_t r = uscc_check("  91110000600037341l \t");
    assert_int_equal(r.problem, USCC_OK);
    assert_string_equal(r.code, "91110000600037341L");
}

static void uscc_folds_full_width_input(void **state)
{
    UNUSED;
    /* typed with a Chinese input method: full-width digits, a full-width l and an ideographic space */
    uscc_result_t r = uscc_check("\xE3\x80\x80\xEF\xBC\x99\xEF\xBC\x91" "110000600037341" "\xEF\xBD\x8C");
    assert_int_equal(r.problem, USCC_OK);
    assert_string_equal(r.code, "91110000600037341L");
    r = uscc_check("9111000060003734" "\xE4\xB8\x80" "L");      /* 18 characters, one of them 一 */
    assert_int_equal(r.problem, USCC_CHARACTER);
    assert_int_equal(r.position, 17);
    char why[256];
    uscc_describe(&r, LANG_EN, why, sizeof why);
    assert_non_null(strstr(why, "character 17"));
}

static void uscc_names_each_failure(void **state)
{
    UNUSED;
    uscc_result_t r = uscc_check("9111000060003734");
    assert_int_equal(r.problem, USCC_LENGTH);
    assert_int_equal(r.length, 16);

    r = uscc_check("9111000060003734IL");               /* I is not in the alphabet */
    assert_int_equal(r.problem, USCC_CHARACTER);
    assert_int_equal(r.position, 17);
    assert_int_equal(r.found, 'I');

    r = uscc_check("B1110000600037341L");
    assert_int_equal(r.problem, USCC_DEPARTMENT);

    r = uscc_check("97110000600037341L");               /* department 9 has categories 1–3 */
    assert_int_equal(r.problem, USCC_CATEGORY);

    r = uscc_check("91990000600037341L");               /* province 99 does not exist */
    assert_int_equal(r.problem, USCC_REGION);

    r = uscc_check("91110000600037342L");               /* organisation code check: 1 expected */
    assert_int_equal(r.problem, USCC_ORG_CHECK);
    assert_int_equal(r.expected, '1');
    assert_int_equal(r.found, '2');
    assert_true(uscc_only_check_failed(&r));

    r = uscc_check("91110000600037341M");
    assert_int_equal(r.problem, USCC_CHECK);
    assert_int_equal(r.expected, 'L');
    assert_true(uscc_only_check_failed(&r));
}

static void uscc_describes_in_both_languages(void **state)
{
    UNUSED;
    char zh[256], en[256];
    uscc_result_t r = uscc_check("91110000600037341M");
    uscc_describe(&r, LANG_ZH, zh, sizeof zh);
    uscc_describe(&r, LANG_EN, en, sizeof en);
    assert_non_null(strstr(zh, "第 18 位"));
    assert_non_null(strstr(zh, "L"));
    assert_non_null(strstr(en, "'L'"));
    r = uscc_check("123");
    uscc_describe(&r, LANG_EN, en, sizeof en);
    assert_non_null(strstr(en, "18 characters"));
    assert_non_null(strstr(en, "3"));
}

static void uscc_complete_makes_valid_codes(void **state)
{
    UNUSED;
    char code[USCC_LEN + 1];
    assert_true(uscc_complete("9111000060003734", code));
    assert_string_equal(code, "91110000600037341L");
    for (int i = 0; i < 200; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "91440305%08d", 30000000 + i * 13);
        assert_true(uscc_complete(prefix, code));
        assert_int_equal(uscc_check(code).problem, USCC_OK);
    }
    assert_false(uscc_complete("short", code));
}

static void regions_and_industries(void **state)
{
    UNUSED;
    const region_t *r = region_find("440304");
    assert_non_null(r);
    assert_string_equal(r->name, "福田区");
    assert_int_equal(r->level, 3);
    assert_string_equal(r->parent, "440300");
    char path[256];
    assert_true(region_path("440304", path, sizeof path));
    assert_string_equal(path, "广东省 深圳市 福田区");
    assert_true(region_path("110101", path, sizeof path));      /* 市辖区 is left out */
    assert_string_equal(path, "北京市 东城区");
    assert_null(region_find("999999"));
    assert_null(region_find("4403"));
    assert_non_null(region_find("810000"));                   /* Hong Kong, province level */
    assert_true(regions_count() > 3000);

    const industry_t *d = industry_find("39");
    assert_non_null(d);
    assert_string_equal(d->section, "C");
    assert_non_null(strstr(d->name, "电子设备"));
    assert_string_equal(industry_find("C")->section, "");
    assert_null(industry_find("98"));
    assert_int_equal(industries_count(), 20 + 97);
}

static void certificate_numbers(void **state)
{
    UNUSED;
    char out[CERT_NUMBER_MAX + 1];
    assert_true(cert_number_normalize(" 84025ip21017r0m ", out));
    assert_string_equal(out, "84025IP21017R0M");
    assert_true(cert_number_normalize("ABC-12", out));
    assert_false(cert_number_normalize("ABC12", out));             /* 5 characters */
    assert_false(cert_number_normalize("84025IP 21017", out));     /* inner blank */
    assert_false(cert_number_normalize("84025/IP", out));
    char long41[42];
    memset(long41, 'A', 41);
    long41[41] = '\0';
    assert_false(cert_number_normalize(long41, out));
    long41[40] = '\0';
    assert_true(cert_number_normalize(long41, out));
    /* the body code of DOMAIN.md's usual pattern; other patterns carry none */
    char code[4];
    assert_true(cert_number_body_code("84025IP21017R0M", code));
    assert_string_equal(code, "840");
    assert_true(cert_number_body_code("84125IP-X", code));
    assert_string_equal(code, "841");
    assert_false(cert_number_body_code("8402IP21017R0M", code));   /* four digits before IP */
    assert_false(cert_number_body_code("840251IP017R0M", code));   /* six */
    assert_false(cert_number_body_code("84025XP21017R0M", code));
    assert_false(cert_number_body_code("IMP-GOOD-0001", code));
    assert_false(cert_number_body_code("840250", code));
}

static void certificate_transitions(void **state)
{
    UNUSED;
    assert_true(cert_transition_allowed(CERT_VALID, CERT_SUSPENDED));
    assert_true(cert_transition_allowed(CERT_SUSPENDED, CERT_VALID));
    assert_true(cert_transition_allowed(CERT_SUSPENDED, CERT_WITHDRAWN));
    assert_true(cert_transition_allowed(CERT_VALID, CERT_EXPIRED));
    assert_false(cert_transition_allowed(CERT_WITHDRAWN, CERT_VALID));
    assert_false(cert_transition_allowed(CERT_EXPIRED, CERT_VALID));
    assert_false(cert_transition_allowed(CERT_VALID, CERT_VALID));
    assert_true(cert_reason_required(CERT_SUSPENDED));
    assert_true(cert_reason_required(CERT_WITHDRAWN));
    assert_false(cert_reason_required(CERT_VALID));
    assert_int_equal(cert_status_parse("suspended"), CERT_SUSPENDED);
    assert_int_equal(cert_status_parse("active"), CERT_NONE);
    assert_string_equal(cert_status_name(CERT_WITHDRAWN), "withdrawn");
    /* a valid or suspended certificate past its expiry reads expired; withdrawn stays withdrawn */
    assert_int_equal(cert_effective_status(CERT_VALID, "2025-01-01", "2025-01-02"), CERT_EXPIRED);
    assert_int_equal(cert_effective_status(CERT_VALID, "2025-01-02", "2025-01-02"), CERT_VALID);
    assert_int_equal(cert_effective_status(CERT_SUSPENDED, "2025-01-01", "2026-01-01"), CERT_EXPIRED);
    assert_int_equal(cert_effective_status(CERT_WITHDRAWN, "2025-01-01", "2026-01-01"), CERT_WITHDRAWN);
    /* open: its scope and expiry may change; withdrawn and expired (also by date) are final */
    assert_true(cert_open(CERT_VALID, "2025-01-02", "2025-01-02"));
    assert_true(cert_open(CERT_SUSPENDED, "2025-01-02", "2025-01-01"));
    assert_false(cert_open(CERT_VALID, "2025-01-01", "2025-01-02"));
    assert_false(cert_open(CERT_WITHDRAWN, "2099-01-01", "2025-01-02"));
    assert_false(cert_open(CERT_EXPIRED, "2099-01-01", "2025-01-02"));
    for (cert_status_t to = CERT_VALID; to <= CERT_EXPIRED; to++) {
        assert_false(cert_transition_allowed(CERT_WITHDRAWN, to));
        assert_false(cert_transition_allowed(CERT_EXPIRED, to));
    }
    assert_true(cert_scope_area_valid("confidentiality"));
    assert_false(cert_scope_area_valid("research"));
    assert_true(cert_scope_stage_valid("research"));
    assert_true(cert_standard_valid("GB/T 29490-2023"));
    assert_false(cert_standard_valid("GB/T 29490-2019"));
}

/* Every vocabulary term has a code and both labels; statuses are listed in cert_status_t order. */
static void vocabularies_are_labelled(void **state)
{
    UNUSED;
    const term_t *lists[] = {cert_statuses(), cert_scope_areas(), cert_scope_stages(), cert_standards(),
                             enterprise_sizes(), enterprise_statuses()};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        for (const term_t *t = lists[i]; t->code != NULL; t++)
            assert_true(t->code[0] != '\0' && t->zh != NULL && t->zh[0] != '\0' && t->en != NULL && t->en[0] != '\0');
    for (int s = CERT_VALID; s <= CERT_EXPIRED; s++)
        assert_int_equal(cert_status_parse(cert_statuses()[s - CERT_VALID].code), s);
    assert_null(cert_statuses()[CERT_EXPIRED].code);
    assert_int_equal(cert_status_parse(NULL), CERT_NONE);
    assert_string_equal(term_find(cert_scope_stages(), "sales")->zh, "销售及售后");
    assert_null(term_find(cert_scope_stages(), "marketing"));
    assert_true(enterprise_size_valid("micro"));
    assert_false(enterprise_size_valid("huge"));
    assert_false(enterprise_size_valid(""));
}

static void dates(void **state)
{
    UNUSED;
    char out[DATE_LEN + 1];
    assert_true(date_add_years_minus_day("2024-03-01", 3, out));
    assert_string_equal(out, "2027-02-28");
    assert_true(date_add_years_minus_day("2024-02-29", 3, out));   /* 1 March 2027, less a day */
    assert_string_equal(out, "2027-02-28");
    assert_true(date_add_years_minus_day("2023-01-01", 3, out));
    assert_string_equal(out, "2025-12-31");
    assert_true(date_add_years_minus_day("2021-02-28", 3, out));   /* 2024 is a leap year */
    assert_string_equal(out, "2024-02-27");
    assert_true(date_valid("2024-02-29"));
    assert_false(date_valid("2023-02-29"));
    assert_false(date_valid("2023-13-01"));
    assert_false(date_valid("2023-1-01"));
    assert_false(date_add_years_minus_day("x", 3, out));
    date_from_unix(0, out);
    assert_string_equal(out, "1970-01-01");
    char iso[21];
    time_iso(1764061525, iso);
    assert_string_equal(iso, "2025-11-25T09:05:25Z");
}

static void csv_reads_rfc4180(void **state)
{
    UNUSED;
    const char *text = "\xEF\xBB\xBFnumber,scope\r\nA1,\"plain\"\r\n\r\nB2,\"with, comma and \"\"quotes\"\"\nand a newline\"\nC3,\n";
    csv_reader_t r;
    csv_reader_init(&r, text, strlen(text));
    arena_t a = {0};
    csv_row_t row;
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_int_equal(row.nfields, 2);
    assert_string_equal(row.fields[0], "number");      /* the BOM is skipped */
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_string_equal(row.fields[1], "plain");
    assert_int_equal(row.line, 2);
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_int_equal(row.line, 4);                      /* the blank line is skipped */
    assert_string_equal(row.fields[1], "with, comma and \"quotes\"\nand a newline");
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_int_equal(row.line, 6);
    assert_int_equal(row.nfields, 2);
    assert_string_equal(row.fields[1], "");
    assert_int_equal(csv_next(&r, &a, &row), 0);

    const char *bad = "a,\"unterminated\n";
    csv_reader_init(&r, bad, strlen(bad));
    assert_int_equal(csv_next(&r, &a, &row), -1);
    arena_free(&a);
}

static void csv_writes_and_reads_back(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 4096);
    const char *values[] = {"plain", "a,b", "say \"hi\"", "line\nbreak", ""};
    for (int i = 0; i < 5; i++)
        csv_field(&b, values[i], i == 0);
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",");
    csv_reader_t r;
    csv_reader_init(&r, b.data, b.len);
    arena_t a = {0};
    csv_row_t row;
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_int_equal(row.nfields, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(row.fields[i], values[i]);
    arena_free(&a);
    buf_free(&b);
}

static void csv_neutralises_formulas(void **state)
{
    UNUSED;
    buf_t b;
    buf_init(&b, 4096);
    const char *values[] = {"=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=already",
                            "plain", "a=b", "", "''-x", "'quoted"};
    const char *written = "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",''=already,"
                          "plain,a=b,,'''-x,'quoted";
    for (int i = 0; i < 12; i++)
        csv_field(&b, values[i], i == 0);
    assert_string_equal(b.data, written);
    csv_reader_t r;
    csv_reader_init(&r, b.data, b.len);
    arena_t a = {0};
    csv_row_t row;
    assert_int_equal(csv_next(&r, &a, &row), 1);
    assert_int_equal(row.nfields, 12);
    for (int i = 0; i < 12; i++)
        assert_string_equal(row.fields[i], values[i]);      /* read back as it was */
    arena_free(&a);
    buf_free(&b);
}

static void strset_notices_repeats(void **state)
{
    UNUSED;
    strset_t set = {0};
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "N%d", i);
        assert_true(strset_add(&set, key));
    }
    assert_false(strset_add(&set, "N500"));
    assert_true(strset_has(&set, "N999"));
    assert_false(strset_has(&set, "N1000"));
    assert_int_equal(set.count, 1000);
    strset_free(&set);
    assert_false(strset_has(&set, "N1"));
}

/* The surveillance due dates (DOMAIN.md: within 12 months of the decision, then at most 12
 * months apart; none after the second), written out. */
static void surveillance_due_dates(void **state)
{
    UNUSED;
    char due[DATE_LEN + 1];
    assert_true(cert_surveillance_due("2025-03-15", "2028-03-14", 0, due));
    assert_string_equal(due, "2026-03-15");
    /* the second: 12 months after the first audit's date, not the decision's */
    assert_true(cert_surveillance_due("2026-01-20", "2028-03-14", 1, due));
    assert_string_equal(due, "2027-01-20");
    assert_true(cert_surveillance_due("2027-01-20", "2028-03-14", 2, due));
    assert_string_equal(due, "");
    /* 29 February: the anniversary does not exist, 28 February is the last day within */
    assert_true(cert_surveillance_due("2024-02-29", "2027-02-28", 0, due));
    assert_string_equal(due, "2025-02-28");
    /* the end of a month keeps its day; the last day of a long month too */
    assert_true(cert_surveillance_due("2025-01-31", "2028-01-30", 0, due));
    assert_string_equal(due, "2026-01-31");
    assert_true(cert_surveillance_due("2025-12-31", "2028-12-30", 1, due));
    assert_string_equal(due, "2026-12-31");
    /* on or after the expiry: recertification takes over */
    assert_true(cert_surveillance_due("2026-06-01", "2026-06-01", 1, due));
    assert_string_equal(due, "");
    assert_true(cert_surveillance_due("2026-06-01", "2027-06-02", 1, due));
    assert_string_equal(due, "2027-06-01");
    assert_false(cert_surveillance_due("2025-02-30", "2028-01-01", 0, due));
    assert_false(cert_surveillance_due("", "2028-01-01", 0, due));
}

static void surveillance_outcomes_and_renewals(void **state)
{
    UNUSED;
    assert_int_equal(cert_outcome_status("maintained"), CERT_VALID);
    assert_int_equal(cert_outcome_status("suspended"), CERT_SUSPENDED);
    assert_int_equal(cert_outcome_status("withdrawn"), CERT_WITHDRAWN);
    assert_int_equal(cert_outcome_status("expired"), CERT_NONE);
    assert_int_equal(cert_outcome_status(NULL), CERT_NONE);
    char next[CERT_NUMBER_MAX + 1];
    assert_true(cert_number_renewal("84025IP21017R0M", next));
    assert_string_equal(next, "84025IP21017R1M");
    assert_true(cert_number_renewal("84025IP21017R9S", next));
    assert_string_equal(next, "84025IP21017R10S");
    assert_true(cert_number_renewal("84025IP21017R10L", next));
    assert_string_equal(next, "84025IP21017R11L");
    assert_false(cert_number_renewal("IPCERT-0001", next));        /* another pattern: the body names it */
    assert_false(cert_number_renewal("84025IP21017M", next));      /* no R count */
    assert_false(cert_number_renewal("84025IP21017R0", next));     /* no size letter */
    /* the window: the last year before the expiry, up to 6 months after it */
    assert_false(cert_renewal_allowed(CERT_VALID, "2027-03-14", "2026-03-14"));
    assert_true(cert_renewal_allowed(CERT_VALID, "2027-03-14", "2026-03-15"));
    assert_true(cert_renewal_allowed(CERT_SUSPENDED, "2027-03-14", "2027-03-14"));
    assert_true(cert_renewal_allowed(CERT_EXPIRED, "2027-03-14", "2027-09-14"));
    assert_false(cert_renewal_allowed(CERT_EXPIRED, "2027-03-14", "2027-09-15"));
    assert_true(cert_renewal_allowed(CERT_VALID, "2027-08-31", "2028-02-29"));   /* 6 months on: 29 Feb */
    assert_false(cert_renewal_allowed(CERT_VALID, "2027-08-31", "2028-03-01"));
    assert_false(cert_renewal_allowed(CERT_WITHDRAWN, "2027-03-14", "2026-12-01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uscc_accepts_real_codes),   cmocka_unit_test(uscc_normalises_case_and_blanks),
        cmocka_unit_test(uscc_names_each_failure),   cmocka_unit_test(uscc_folds_full_width_input),   cmocka_unit_test(uscc_describes_in_both_languages),
        cmocka_unit_test(uscc_complete_makes_valid_codes), cmocka_unit_test(regions_and_industries),
        cmocka_unit_test(certificate_numbers),       cmocka_unit_test(certificate_transitions),
        cmocka_unit_test(dates),                     cmocka_unit_test(csv_reads_rfc4180),
        cmocka_unit_test(csv_writes_and_reads_back), cmocka_unit_test(csv_neutralises_formulas),
        cmocka_unit_test(strset_notices_repeats),
        cmocka_unit_test(vocabularies_are_labelled),
        cmocka_unit_test(surveillance_due_dates),    cmocka_unit_test(surveillance_outcomes_and_renewals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Covers domain/clauses: the import checks (each rule once, every problem reported with its
 * field, both data files pass), and the CSV format read back from what it writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "domain/clauses.h"

#define UNUSED (void)state

typedef struct {
    char fields[16][64];
    int n;
} problems_t;

static void collect(void *ctx, const char *field, const char *zh, const char *en)
{
    problems_t *p = ctx;
    assert_non_null(zh);
    assert_non_null(en);
    if (p->n < 16)
        snprintf(p->fields[p->n++], 64, "%s", field);
}

static bool check(const char *json, problems_t *p)
{
    json_t *doc = json_loads(json, 0, NULL);
    assert_non_null(doc);
    int where[16];
    for (int i = 0; i < 16; i++)
        where[i] = i;
    arena_t a = {0};
    memset(p, 0, sizeof *p);
    bool ok = clause_catalogue_check(&a, doc, false, where, collect, p);
    arena_free(&a);
    json_decref(doc);
    return ok;
}

static void test_data_files_pass(void **state)
{
    UNUSED;
    const char *names[] = {"clauses-2013.json", "clauses-2023.json"};
    for (int k = 0; k < 2; k++) {
        size_t len;
        const char *text = embedded_file(names[k], &len);
        assert_non_null(text);
        json_t *doc = json_loadb(text, len, 0, NULL);
        assert_non_null(doc);
        size_t n = json_array_size(json_object_get(doc, "clauses"));
        int where[100];
        for (int i = 0; i < 100; i++)
            where[i] = i;
        assert_true(n > 0 && n <= 100);
        problems_t p = {0};
        arena_t a = {0};
        assert_true(clause_catalogue_check(&a, doc, false, where, collect, &p));
        assert_int_equal(p.n, 0);
        /* every clause has our guidance and evidence */
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(doc, "clauses"), i, c) {
            assert_true(strlen(json_string_value(json_object_get(c, "guidance"))) > 10);
            assert_true(strlen(json_string_value(json_object_get(c, "evidence"))) > 2);
        }
        arena_free(&a);
        json_decref(doc);
    }
}

static void test_every_problem_reported(void **state)
{
    UNUSED;
    problems_t p;
    assert_false(check("{\"edition\":\"2019\",\"note\":5,\"clauses\":["
                       "{\"number\":\"4\",\"title\":\"a\"},"
                       "{\"number\":\"4\",\"title\":\" \"},"
                       "{\"number\":\"4.x\",\"title\":\"b\",\"parent\":\"4\"},"
                       "{\"number\":\"4.1.2\",\"title\":\"c\",\"parent\":\"4\"},"
                       "{\"number\":\"5\",\"title\":\"d\",\"provisional\":\"no\",\"guidance\":7}]}",
                       &p));
    const char *expected[] = {"edition", "note", "clauses[1].number", "clauses[1].title", "clauses[2].number",
                              "clauses[3].parent", "clauses[4].guidance", "clauses[4].provisional"};
    assert_int_equal(p.n, 8);
    for (int i = 0; i < 8; i++)
        assert_string_equal(p.fields[i], expected[i]);
    assert_false(check("{\"edition\":\"2013\",\"clauses\":[]}", &p));
    assert_int_equal(p.n, 1);
    assert_string_equal(p.fields[0], "clauses");
    assert_true(check("{\"edition\":\"2023\",\"clauses\":[{\"number\":\"10\",\"title\":\"改进\"},"
                      "{\"number\":\"10.2\",\"title\":\"不合格\",\"parent\":\"10\",\"provisional\":true}]}",
                      &p));
}

static void test_csv_round_trip(void **state)
{
    UNUSED;
    const char *csv = "title,number,parent,provisional,guidance,evidence\r\n"
                      "体系,4,,false,\"做法, 含逗号\",\"手册,记录\"\r\n"
                      "\r\n"
                      "总体,4.1,4,TRUE,,\r\n";
    arena_t a = {0};
    int *where;
    clause_csv_status_t status;
    const char *detail;
    json_t *doc = clause_csv_document(&a, csv, strlen(csv), &where, &status, &detail);
    assert_int_equal(status, CLAUSE_CSV_OK);
    assert_non_null(doc);
    json_t *clauses = json_object_get(doc, "clauses");
    assert_int_equal(json_array_size(clauses), 2);
    assert_int_equal(where[0], 2);
    assert_int_equal(where[1], 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(clauses, 0), "guidance")), "做法, 含逗号");
    assert_true(json_is_true(json_object_get(json_array_get(clauses, 1), "provisional")));
    buf_t out;
    buf_init(&out, 1 << 20);
    clause_catalogue_csv(doc, &out);
    assert_string_equal(out.data, "number,title,title_en,parent,provisional,guidance,evidence\r\n"
                                  "4,体系,,,false,\"做法, 含逗号\",\"手册,记录\"\r\n"
                                  "4.1,总体,,4,true,,\r\n");
    json_t *again = clause_csv_document(&a, out.data, out.len, &where, &status, &detail);
    assert_non_null(again);
    assert_true(json_equal(json_object_get(again, "clauses"), clauses));
    json_decref(again);
    buf_free(&out);
    json_decref(doc);
    assert_null(clause_csv_document(&a, "numero,title\n4,x\n", 17, &where, &status, &detail));
    assert_int_equal(status, CLAUSE_CSV_COLUMN_MISSING);
    assert_string_equal(detail, "number");
    assert_null(clause_csv_document(&a, "", 0, &where, &status, &detail));
    assert_int_equal(status, CLAUSE_CSV_EMPTY);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_files_pass),
        cmocka_unit_test(test_every_problem_reported),
        cmocka_unit_test(test_csv_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

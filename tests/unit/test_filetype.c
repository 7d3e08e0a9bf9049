/* Covers core/filetype: types decided by the bytes whatever the name (libmagic), the allowed
 * lists, a handle per thread, and the cleaning of uploaded file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/arena.h"
#include "core/filetype.h"

static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const unsigned char png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                                    0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
                                    0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89};
static const char html[] = "<!DOCTYPE html><html><head><title>x</title></head><body>licence.pdf</body></html>\n";

static void types_come_from_the_bytes(void **state)
{
    (void)state;
    char type[128];
    assert_true(filetype_detect(pdf, sizeof pdf - 1, type, sizeof type));
    assert_string_equal(type, "application/pdf");
    assert_true(filetype_detect(png, sizeof png, type, sizeof type));
    assert_string_equal(type, "image/png");
    assert_true(filetype_detect(html, sizeof html - 1, type, sizeof type));
    assert_string_equal(type, "text/html");
    static const char csv[] = "number,issued\n84025IP021017R0M,2026-03-01\n";
    assert_true(filetype_detect(csv, sizeof csv - 1, type, sizeof type));
    assert_true(strcmp(type, "text/csv") == 0 || strcmp(type, "text/plain") == 0);
    assert_true(filetype_detect("", 0, type, sizeof type));
    assert_string_equal(type, "application/x-empty");
}

static void allowed_lists(void **state)
{
    (void)state;
    static const char *const documents[] = {"application/pdf", "image/png", NULL};
    assert_true(filetype_allowed("application/pdf", documents));
    assert_true(filetype_allowed("image/png", documents));
    assert_false(filetype_allowed("text/html", documents));
    assert_false(filetype_allowed("application/pdfx", documents));
}

static void *detect_many(void *arg)
{
    char type[128];
    for (int i = 0; i < 200; i++)
        if (!filetype_detect(pdf, sizeof pdf - 1, type, sizeof type) || strcmp(type, "application/pdf") != 0)
            return arg;
    return NULL;
}

/* each thread opens its own handle: threads detecting at once all get the right answer */
static void threads_detect_at_once(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, detect_many, (void *)1), 0);
    for (int i = 0; i < 4; i++) {
        void *failed;
        pthread_join(t[i], &failed);
        assert_null(failed);
    }
}

static void file_names_are_cleaned(void **state)
{
    (void)state;
    arena_t a = {0};
    static const struct { const char *header, *expected; } cases[] = {
        {"%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf", "营业执照.pdf"},
        {"..%2F..%2Fetc%2Fpasswd", "passwd"},
        {"C%3A%5Cdocs%5C%22a%22.pdf", "a.pdf"},
        {"%2Ehidden", "hidden"},
        {"  spaced%20name.pdf%20%20", "spaced name.pdf"},
        {"tab%09and%0Anewline.pdf", "tabandnewline.pdf"},
        {"semi%3Bcolon%3C%3E%7C%3F%2A.png", "semicolon.png"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = file_name_clean(&a, cases[i].header);
        assert_non_null(got);
        assert_string_equal(got, cases[i].expected);
    }
    assert_null(file_name_clean(&a, NULL));
    assert_null(file_name_clean(&a, ""));
    assert_null(file_name_clean(&a, "..."));
    assert_null(file_name_clean(&a, "a%2F"));          /* nothing after the last slash */
    assert_null(file_name_clean(&a, "%E8%90"));        /* not UTF-8 */
    assert_null(file_name_clean(&a, "%zz"));           /* bad percent-encoding */
    assert_null(file_name_clean(&a, "a%00b"));         /* NUL */
    /* at most 200 characters, cut between characters */
    char longer[9 * 300 + 1] = "";
    for (int i = 0; i < 300; i++)
        strcat(longer, "%E5%90%8D");                   /* 名 */
    const char *cut = file_name_clean(&a, longer);
    assert_non_null(cut);
    assert_int_equal(strlen(cut), 3 * FILE_NAME_MAX_CHARS);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(types_come_from_the_bytes),
        cmocka_unit_test(allowed_lists),
        cmocka_unit_test(threads_detect_at_once),
        cmocka_unit_test(file_names_are_cleaned),
    };
    return cmocka_run_group_tests_name("core/filetype", tests, NULL, NULL);
}

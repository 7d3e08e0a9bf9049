/* libFuzzer harness for the certificate CSV importer: the input is a CSV file, imported into an
 * in-memory SQLite database holding the demo data (seed_demo at scale 1). Every import must
 * print a JSON report {"accepted","unchanged","rejected":[{"row","column","code","message"}]}
 * whose codes are in the error catalogue, or refuse the file as a whole (no header). The raw
 * input also goes to the CSV reader and to the credit-code, certificate-number and date checks. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/uscc.h"
#include "domain/certificate.h"
#include "report/certificates_csv.h"

#include "fuzz_demo.h"

static db_t *db;

static void setup(void)
{
    db = fuzz_demo_db("fuzz_import");
}

/* Checks the report printed by one import. */
static void check_report(const char *text)
{
    json_error_t err;
    json_t *r = json_loads(text, 0, &err);
    if (r == NULL || !json_is_integer(json_object_get(r, "accepted")) ||
        !json_is_integer(json_object_get(r, "unchanged")) || !json_is_array(json_object_get(r, "rejected")))
        abort();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "rejected"), i, row) {
        const char *code = json_string_value(json_object_get(row, "code"));
        if (code == NULL || !fuzz_known_code(code) || !json_is_integer(json_object_get(row, "row")) ||
            !json_is_string(json_object_get(row, "message")))
            abort();
    }
    json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (db == NULL)
        setup();
    const char *text = (const char *)data;

    /* the pieces on their own */
    arena_t a = {0};
    csv_reader_t reader;
    csv_reader_init(&reader, text, size);
    csv_row_t row;
    for (int n = 0; n < 1000 && csv_next(&reader, &a, &row) == 1; n++)
        for (int k = 0; k < row.nfields; k++) {
            char number[CERT_NUMBER_MAX + 1];
            uscc_check(row.fields[k]);
            cert_number_normalize(row.fields[k], number);
            date_valid(row.fields[k]);
        }
    arena_free(&a);

    /* the whole import, as `guanbiao import certificates` runs it (it checks UTF-8 first) */
    if (!utf8_valid(text, size, NULL) || size > 65536)
        return 0;
    char *out = NULL;
    size_t out_len = 0;
    FILE *report = open_memstream(&out, &out_len);
    int rc = certificates_import(db, text, size, size % 2 ? LANG_EN : LANG_ZH, NULL, report);
    fclose(report);
    if (rc == 0)
        check_report(out);
    free(out);
    return 0;
}

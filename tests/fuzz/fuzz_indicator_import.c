/* libFuzzer harness for the indicator importer (report/indicators_import.h): the input is a file
 * as uploaded (CSV in any bytes, or an XLSX when it starts like a zip), imported as a dry run
 * and as an import into an in-memory SQLite database holding the demo data (seed_demo at scale
 * 1). Every import must either refuse the file as a whole with a code of the error catalogue or
 * give a report whose counts add up and whose rejected rows carry a row, a column, a catalogue
 * code and a message; a second import of the same file must change nothing. The raw input also
 * goes through core/cells.h on its own (decoding, folding, numbers, years). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/cells.h"
#include "report/indicators_import.h"
#include "store/indicators.h"

#include "fuzz_demo.h"

static db_t *db;

static void setup(void)
{
    db = fuzz_demo_db("fuzz_indicator_import");
}

static void check_report(const indicator_import_report_t *r)
{
    if (r->rejected == NULL || (int64_t)json_array_size(r->rejected) != r->rejected_count || r->accepted < 0 ||
        r->unchanged < 0)
        abort();
    size_t i;
    json_t *row;
    int last = 0;
    json_array_foreach(r->rejected, i, row) {
        const char *code = json_string_value(json_object_get(row, "code"));
        int line = (int)json_integer_value(json_object_get(row, "row"));
        if (code == NULL || !fuzz_known_code(code) || !json_is_integer(json_object_get(row, "row")) || line < last ||
            !json_is_string(json_object_get(row, "column")) || !json_is_string(json_object_get(row, "message")))
            abort();
        last = line;
    }
}

/* One import of the input: 0 read (report checked), 1 refused; the report's accepted count. */
static int import_once(const uint8_t *data, size_t size, bool dry_run, int64_t *accepted)
{
    int64_t id = indicator_import_create(db, NULL, "fuzz.csv", "", dry_run, false);
    if (id <= 0)
        abort();
    indicator_import_options_t o = {.lang = size % 2 ? LANG_EN : LANG_ZH, .dry_run = dry_run, .import_id = id};
    indicator_import_report_t r;
    const char *problem = NULL;
    int rc = indicators_import(db, (const char *)data, size, &o, &r, &problem);
    if (rc < 0)
        abort();                          /* an in-memory database does not fail */
    if (rc == 1) {
        if (problem == NULL || !fuzz_known_code(problem))
            abort();
        return 1;
    }
    check_report(&r);
    *accepted = r.accepted;
    json_decref(r.rejected);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (db == NULL)
        setup();

    /* the cell functions on their own */
    arena_t a = {0};
    const char *text;
    size_t len;
    text_encoding_t enc;
    if (text_to_utf8(&a, (const char *)data, size, &text, &len, &enc)) {
        char *cellz = arena_strndup(&a, text, len < 256 ? len : 256);
        const char *folded = cell_fold(&a, cellz);
        double v;
        bool percent;
        int year;
        cell_number(folded, &v, &percent);
        cell_year(folded, &year);
    }
    arena_free(&a);

    if (size > 65536)
        return 0;
    int64_t first = 0, second = 0;
    int dry = import_once(data, size, true, &first);
    int real = import_once(data, size, false, &second);
    if (dry != real || (dry == 0 && first != second))
        abort();                          /* a preview says what the import does */
    int again = import_once(data, size, false, &second);
    if (again != real || (again == 0 && second != 0))
        abort();                          /* the same file again changes nothing */
    return 0;
}

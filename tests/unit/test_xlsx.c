/* Covers core/xlsx: workbooks written by libxlsxwriter (shared strings, numbers, dates as
 * serials, booleans, gaps) and by hand (inline strings, rich text with phonetic runs, cells
 * without references, a sheet elsewhere than sheet1.xml), and the refusals: not a zip, no
 * workbook, a DTD (entity expansion), too many rows or columns, a cell over its cap; and the
 * Excel serial date helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/xlsx.h"

/* The bytes of a file, read whole (test files are small). */
static void slurp(const char *path, buf_t *b)
{
    buf_init(b, 256u << 20);
    assert_true(buf_read_file(b, path));
}

/* A zip of the given parts (name, content pairs, NULL-terminated), into b. */
static void make_zip(buf_t *b, const char *const *parts)
{
    char path[] = "/tmp/test_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (int i = 0; parts[i] != NULL; i += 2) {
        zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    slurp(path, b);
    unlink(path);
}

#define WORKBOOK                                                                                              \
    "xl/workbook.xml",                                                                                         \
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "  \
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"             \
        "<sheet name=\"证书\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"B\" sheetId=\"2\" r:id=\"rId8\"/>"     \
        "</sheets></workbook>"
#define RELS                                                                                                  \
    "xl/_rels/workbook.xml.rels",                                                                              \
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
        "<Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/second.xml\"/>" \
        "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/first.xml\"/>" \
        "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>" \
        "</Relationships>"
#define SHEET_OPEN "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_CLOSE "</sheetData></worksheet>"

static void written_by_libxlsxwriter(void **state)
{
    (void)state;
    char path[] = "/tmp/test_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "证书");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "证书编号", NULL);
    worksheet_write_string(ws, 0, 1, "颁证日期", NULL);
    worksheet_write_string(ws, 0, 3, "Scope", NULL);
    worksheet_write_string(ws, 1, 0, "84025IP021017R0M", NULL);
    lxw_datetime d = {.year = 2024, .month = 1, .day = 1};
    worksheet_write_datetime(ws, 1, 1, &d, date);
    worksheet_write_number(ws, 1, 2, 12.5, NULL);
    worksheet_write_string(ws, 1, 3, "知识产权管理体系", NULL);
    /* row 3 is blank but styled; row 4 has a value in column C only; row 5 a boolean */
    worksheet_write_blank(ws, 2, 0, date);
    worksheet_write_number(ws, 3, 2, 7, NULL);
    worksheet_write_boolean(ws, 4, 0, 1, NULL);
    lxw_worksheet *other = workbook_add_worksheet(wb, "other");
    worksheet_write_string(other, 0, 0, "never read", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    buf_t b;
    slurp(path, &b);
    unlink(path);

    arena_t a = {0};
    xlsx_sheet_t sheet;
    assert_int_equal(xlsx_read(&a, b.data, b.len, 100, &sheet), XLSX_OK);
    assert_int_equal(sheet.nrows, 4);
    assert_int_equal(sheet.rows[0].line, 1);
    assert_int_equal(sheet.rows[0].nfields, 4);
    assert_string_equal(sheet.rows[0].fields[0], "证书编号");
    assert_string_equal(sheet.rows[0].fields[1], "颁证日期");
    assert_string_equal(sheet.rows[0].fields[2], "");
    assert_string_equal(sheet.rows[0].fields[3], "Scope");
    assert_int_equal(sheet.rows[1].line, 2);
    assert_string_equal(sheet.rows[1].fields[0], "84025IP021017R0M");
    char day[DATE_LEN + 1];
    assert_true(xlsx_serial_date(sheet.rows[1].fields[1], day));
    assert_string_equal(day, "2024-01-01");
    assert_string_equal(sheet.rows[1].fields[2], "12.5");
    assert_string_equal(sheet.rows[1].fields[3], "知识产权管理体系");
    assert_int_equal(sheet.rows[2].line, 4);     /* the blank row 3 is left out */
    assert_int_equal(sheet.rows[2].nfields, 3);
    assert_string_equal(sheet.rows[2].fields[0], "");
    assert_string_equal(sheet.rows[2].fields[2], "7");
    assert_int_equal(sheet.rows[3].line, 5);
    assert_string_equal(sheet.rows[3].fields[0], "TRUE");
    /* a cap on rows */
    arena_t small = {0};
    assert_int_equal(xlsx_read(&small, b.data, b.len, 3, &sheet), XLSX_TOO_MANY_ROWS);
    assert_int_equal(sheet.nrows, 0);
    arena_free(&small);
    arena_free(&a);
    buf_free(&b);
}

static void written_by_hand(void **state)
{
    (void)state;
    const char *const parts[] = {
        WORKBOOK, RELS,
        "xl/strings.xml",
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>plain</t></si>"
        "<si><r><t>rich </t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">text </t></r><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>"
        "<si/><si><t>A &amp; B &#x4E2D;</t></si></sst>",
        "xl/worksheets/first.xml",
        SHEET_OPEN "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c r=\"E2\" t=\"inlineStr\"><is><t>内联</t></is></c></row>"
        "<row><c t=\"s\"><v>3</v></c><c r=\"B3\"><f>1+1</f><v>2</v></c><c r=\"C3\" t=\"str\"><f>\"x\"</f><v>x</v></c>"
        "<c r=\"D3\" t=\"s\"><v>2</v></c><c r=\"AA3\" t=\"e\"><v>#N/A</v></c></row><row r=\"9\"/>" SHEET_CLOSE,
        "xl/worksheets/second.xml", SHEET_OPEN "<row r=\"1\"><c r=\"A1\"><v>99</v></c></row>" SHEET_CLOSE,
        NULL};
    buf_t b;
    make_zip(&b, parts);
    arena_t a = {0};
    xlsx_sheet_t sheet;
    assert_int_equal(xlsx_read(&a, b.data, b.len, 100, &sheet), XLSX_OK);
    assert_int_equal(sheet.nrows, 2);
    assert_int_equal(sheet.rows[0].line, 2);
    assert_int_equal(sheet.rows[0].nfields, 5);
    assert_string_equal(sheet.rows[0].fields[0], "");
    assert_string_equal(sheet.rows[0].fields[1], "plain");
    assert_string_equal(sheet.rows[0].fields[2], "rich text ");
    assert_string_equal(sheet.rows[0].fields[3], "");
    assert_string_equal(sheet.rows[0].fields[4], "内联");
    assert_int_equal(sheet.rows[1].line, 3);
    assert_int_equal(sheet.rows[1].nfields, 27);
    assert_string_equal(sheet.rows[1].fields[0], "A & B 中");
    assert_string_equal(sheet.rows[1].fields[1], "2");
    assert_string_equal(sheet.rows[1].fields[2], "x");
    assert_string_equal(sheet.rows[1].fields[3], "");
    assert_string_equal(sheet.rows[1].fields[26], "#N/A");
    arena_free(&a);
    buf_free(&b);
}

static xlsx_status_t read_sheet_xml(const char *sheet_xml, int max_rows)
{
    const char *const parts[] = {WORKBOOK, RELS, "xl/worksheets/first.xml", sheet_xml, NULL};
    buf_t b;
    make_zip(&b, parts);
    arena_t a = {0};
    xlsx_sheet_t sheet;
    xlsx_status_t s = xlsx_read(&a, b.data, b.len, max_rows, &sheet);
    if (s != XLSX_OK)
        assert_int_equal(sheet.nrows, 0);
    arena_free(&a);
    buf_free(&b);
    return s;
}

static void refusals(void **state)
{
    (void)state;
    arena_t a = {0};
    xlsx_sheet_t sheet;
    static const char csv[] = "number,issued\n84025IP021017R0M,2026-03-01\n";
    assert_int_equal(xlsx_read(&a, csv, sizeof csv - 1, 10, &sheet), XLSX_NOT_XLSX);
    assert_int_equal(xlsx_read(&a, "", 0, 10, &sheet), XLSX_NOT_XLSX);
    const char *const no_workbook[] = {"word/document.xml", "<document/>", NULL};
    buf_t b;
    make_zip(&b, no_workbook);
    assert_int_equal(xlsx_read(&a, b.data, b.len, 10, &sheet), XLSX_NOT_XLSX);
    buf_free(&b);
    /* the shared strings are named but missing: the sheet is still read */
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" SHEET_CLOSE, 10), XLSX_OK);
    /* but an index into them is not */
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE, 10),
                     XLSX_MALFORMED);
    /* entity expansion: any DTD is refused, before the parser sees it */
    assert_int_equal(read_sheet_xml("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                                    "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><worksheet><sheetData><row r=\"1\"><c "
                                    "r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
                                    10),
                     XLSX_MALFORMED);
    assert_int_equal(read_sheet_xml("<?xml version=\"1.0\"?><!DOCTYPE worksheet SYSTEM \"http://example.com/x.dtd\">"
                                    "<worksheet/>", 10),
                     XLSX_MALFORMED);
    /* broken XML, bad references, rows out of order */
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</v></row>", 10), XLSX_MALFORMED);
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" SHEET_CLOSE, 10),
                     XLSX_MALFORMED);
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"2\"/><row r=\"1\"/>" SHEET_CLOSE, 10), XLSX_MALFORMED);
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"x\"/>" SHEET_CLOSE, 10), XLSX_MALFORMED);
    /* a non-empty cell beyond column CSV_MAX_FIELDS (64: BL); an empty one there is nothing */
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"BM1\"><v>1</v></c></row>" SHEET_CLOSE, 10),
                     XLSX_TOO_MANY_COLUMNS);
    assert_int_equal(read_sheet_xml(SHEET_OPEN "<row r=\"1\"><c r=\"BL1\"><v>1</v></c><c r=\"BM1\"/></row>" SHEET_CLOSE, 10),
                     XLSX_OK);
    /* a cell over its cap */
    buf_t big;
    buf_init(&big, 1u << 20);
    buf_puts(&big, SHEET_OPEN "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
    for (int i = 0; i < XLSX_MAX_CELL_BYTES / 8 + 1; i++)
        buf_puts(&big, "12345678");
    buf_puts(&big, "</t></is></c></row>" SHEET_CLOSE);
    assert_int_equal(read_sheet_xml(big.data, 10), XLSX_TOO_LARGE);
    buf_free(&big);
    arena_free(&a);
}

/* A zip bomb's first trait: a part whose directory entry claims more than XLSX_MAX_PART_BYTES
 * uncompressed is refused before a byte of it is inflated. */
static void oversized_part_refused_unread(void **state)
{
    (void)state;
    const char *const parts[] = {WORKBOOK, RELS, "xl/worksheets/first.xml",
                                 SHEET_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" SHEET_CLOSE, NULL};
    buf_t b;
    make_zip(&b, parts);
    static const char name[] = "xl/worksheets/first.xml";
    int patched = 0;
    /* central directory entries: "PK\1\2", the uncompressed size at +24, the name at +46 */
    for (size_t i = 0; i + 46 + sizeof name - 1 <= b.len; i++) {
        unsigned char *e = (unsigned char *)b.data + i;
        if (memcmp(e, "PK\1\2", 4) != 0 || memcmp(e + 46, name, sizeof name - 1) != 0)
            continue;
        uint32_t huge = 0x90000000u;
        memcpy(e + 24, &huge, 4);      /* little-endian, as the zip format (and x86) */
        patched++;
    }
    assert_int_equal(patched, 1);
    arena_t a = {0};
    xlsx_sheet_t sheet;
    assert_int_equal(xlsx_read(&a, b.data, b.len, 10, &sheet), XLSX_TOO_LARGE);
    arena_free(&a);
    buf_free(&b);
}

static void serial_dates(void **state)
{
    (void)state;
    char d[DATE_LEN + 1];
    const struct {
        const char *serial, *date;
    } cases[] = {{"1", "1900-01-01"},   {"59", "1900-02-28"}, {"61", "1900-03-01"}, {"45292", "2024-01-01"},
                 {"45292.75", "2024-01-01"}, {"45351", "2024-02-29"}, {"2958465", "9999-12-31"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(xlsx_serial_date(cases[i].serial, d));
        assert_string_equal(d, cases[i].date);
    }
    const char *bad[] = {"", "0", "60", "2958466", "-1", "45292.", "1e5", "2024-01-01", "abc", "123456789"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(xlsx_serial_date(bad[i], d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(written_by_libxlsxwriter),
        cmocka_unit_test(written_by_hand),
        cmocka_unit_test(refusals),
        cmocka_unit_test(oversized_part_refused_unread),
        cmocka_unit_test(serial_dates),
    };
    return cmocka_run_group_tests_name("core/xlsx", tests, NULL, NULL);
}

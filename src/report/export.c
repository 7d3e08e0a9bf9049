/* CSV and XLSX exports (see export.h). */
#include "report/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csv.h"

struct export {
    export_format_t format;
    int ncols;
    bool failed;
    buf_t *csv;                   /* CSV: the text so far */
    int fd;                       /* XLSX: the nameless temporary file */
    lxw_workbook *book;
    lxw_worksheet *sheet;         /* the current one */
    lxw_format *bold;             /* of the header rows */
    lxw_row_t row;
};

export_format_t export_format_parse(const char *s)
{
    if (s != NULL && strcmp(s, "csv") == 0)
        return EXPORT_CSV;
    if (s != NULL && strcmp(s, "xlsx") == 0)
        return EXPORT_XLSX;
    return EXPORT_NONE;
}

const char *export_extension(export_format_t f)
{
    return f == EXPORT_XLSX ? "xlsx" : "csv";
}

const char *export_content_type(export_format_t f)
{
    return f == EXPORT_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8";
}

/* A file with no name in the temporary directory, open for reading and writing; -1 on error. */
static int nameless_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    /* a file system without O_TMPFILE: a private name, removed at once */
    char path[4096];
    if (snprintf(path, sizeof path, "%s/guanbiao-export-XXXXXX", dir) >= (int)sizeof path)
        return -1;
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* A worksheet name Excel accepts: the forbidden characters replaced, at most 31 characters
 * (counted as UTF-8 sequences). */
static void sheet_name(const char *in, char *out, size_t outlen)
{
    size_t k = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && chars < 31 && k + 5 < outlen; chars++) {
        size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        for (size_t i = 0; i < n && p[i]; i++)
            out[k++] = strchr("[]:*?/\\", p[i]) ? '_' : (char)p[i];
        p += n;
    }
    out[k] = '\0';
    if (k == 0)
        snprintf(out, outlen, "Sheet1");
}

static void sheet_header(export_t *x, const char *const *headers, const double *widths, int ncols);

static bool csv_line(export_t *x, const char *const *cells)
{
    for (int i = 0; i < x->ncols; i++)
        csv_field(x->csv, cells[i] != NULL ? cells[i] : "", i == 0);
    return buf_puts(x->csv, "\r\n");
}

export_t *export_begin(export_format_t f, const char *sheet, const char *const *headers, const double *widths,
                       int ncols)
{
    export_t *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    x->format = f;
    x->ncols = ncols;
    x->fd = -1;
    if (f == EXPORT_CSV) {
        x->csv = malloc(sizeof *x->csv);
        if (x->csv == NULL) {
            free(x);
            return NULL;
        }
        buf_init(x->csv, 64u << 20);   /* as a call's answer (http/call.h: CALL_OUT_MAX) */
        buf_puts(x->csv, "\xEF\xBB\xBF");   /* the BOM: Excel then reads UTF-8 */
        csv_line(x, headers);
        return x;
    }
    x->fd = nameless_file();
    if (x->fd < 0) {
        free(x);
        return NULL;
    }
    char path[64], name[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", x->fd);
    sheet_name(sheet, name, sizeof name);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    x->book = workbook_new_opt(path, &opt);
    x->sheet = x->book != NULL ? workbook_add_worksheet(x->book, name) : NULL;
    if (x->sheet == NULL) {
        if (x->book != NULL)
            workbook_close(x->book);
        close(x->fd);
        free(x);
        errno = EIO;
        return NULL;
    }
    x->bold = workbook_add_format(x->book);
    format_set_bold(x->bold);
    format_set_bg_color(x->bold, 0xEEEEEE);
    sheet_header(x, headers, widths, ncols);
    return x;
}

/* The header row of the current sheet (bold, frozen) and its columns' widths. */
static void sheet_header(export_t *x, const char *const *headers, const double *widths, int ncols)
{
    x->ncols = ncols;
    for (int i = 0; i < ncols; i++) {
        worksheet_set_column(x->sheet, (lxw_col_t)i, (lxw_col_t)i, widths && widths[i] > 0 ? widths[i] : 12, NULL);
        if (worksheet_write_string(x->sheet, 0, (lxw_col_t)i, headers[i] ? headers[i] : "", x->bold) != LXW_NO_ERROR)
            x->failed = true;
    }
    worksheet_freeze_panes(x->sheet, 1, 0);
    x->row = 1;
}

bool export_next_sheet(export_t *x, const char *sheet, const char *const *headers, const double *widths, int ncols)
{
    if (x->format != EXPORT_XLSX || x->failed)
        return false;
    char name[128];
    sheet_name(sheet, name, sizeof name);
    x->sheet = workbook_add_worksheet(x->book, name);
    if (x->sheet == NULL) {
        x->failed = true;
        return false;
    }
    sheet_header(x, headers, widths, ncols);
    return !x->failed;
}

bool export_row(export_t *x, const char *const *cells, const bool *numeric)
{
    if (x->failed)
        return false;
    if (x->format == EXPORT_CSV) {
        x->failed = !csv_line(x, cells);
        return !x->failed;
    }
    for (int i = 0; i < x->ncols; i++) {
        const char *v = cells[i];
        if (v == NULL || *v == '\0')
            continue;
        lxw_error rc;
        char *end;
        double number = numeric != NULL && numeric[i] ? strtod(v, &end) : 0;
        if (numeric != NULL && numeric[i] && *end == '\0')
            rc = worksheet_write_number(x->sheet, x->row, (lxw_col_t)i, number, NULL);
        else
            rc = worksheet_write_string(x->sheet, x->row, (lxw_col_t)i, v, NULL);
        if (rc != LXW_NO_ERROR)
            x->failed = true;
    }
    x->row++;
    return !x->failed;
}

bool export_finish(export_t *x, buf_t *out)
{
    bool ok = !x->failed;
    if (x->format == EXPORT_CSV) {
        ok = ok && !x->csv->failed && buf_append(out, x->csv->data, x->csv->len);
        buf_free(x->csv);
        free(x->csv);
        free(x);
        return ok;
    }
    ok = workbook_close(x->book) == LXW_NO_ERROR && ok;
    off_t size = lseek(x->fd, 0, SEEK_END);
    ok = ok && size > 0;
    char *room = ok ? buf_room(out, (size_t)size) : NULL;
    ok = room != NULL && pread(x->fd, room, (size_t)size, 0) == (ssize_t)size;
    if (ok)
        buf_commit(out, (size_t)size);
    close(x->fd);
    free(x);
    return ok;
}

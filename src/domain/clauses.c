/* The clause catalogue document's CSV format and checks (domain/clauses.h). */
#include "domain/clauses.h"

#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/table.h"
#include "core/text.h"

/* The columns of the CSV format, in this order (import and export). */
static const char *const csv_columns[] = {"number", "title", "title_en", "parent", "provisional", "guidance", "evidence"};
enum { CSV_COLUMNS = sizeof csv_columns / sizeof csv_columns[0], PROVISIONAL_COLUMN = 4 };

bool clause_edition_known(const char *e)
{
    return e != NULL && (strcmp(e, "2013") == 0 || strcmp(e, "2023") == 0);
}

json_t *clause_csv_document(arena_t *a, const char *data, size_t len, int **where, clause_csv_status_t *status,
                            const char **detail)
{
    table_reader_t t;
    table_reader_csv(&t, data, len);
    csv_row_t row;
    int column[CSV_COLUMNS];
    *detail = "";
    int rc = table_next(&t, a, &row);
    if (rc != 1) {
        *status = rc == 0 ? CLAUSE_CSV_EMPTY : CLAUSE_CSV_MALFORMED;
        *detail = arena_printf(a, "%d", table_line(&t));
        return NULL;
    }
    for (size_t k = 0; k < CSV_COLUMNS; k++) {
        column[k] = -1;
        for (int f = 0; f < row.nfields; f++)
            if (strcasecmp(row.fields[f], csv_columns[k]) == 0)
                column[k] = f;
    }
    if (column[0] < 0 || column[1] < 0) {
        *status = CLAUSE_CSV_COLUMN_MISSING;
        *detail = column[0] < 0 ? "number" : "title";
        return NULL;
    }
    json_t *doc = json_object(), *clauses = json_array();
    json_object_set_new(doc, "clauses", clauses);
    size_t cap = 64, n = 0;
    *where = arena_alloc(a, cap * sizeof **where);
    while ((rc = table_next(&t, a, &row)) == 1) {
        bool blank = true;
        for (int f = 0; f < row.nfields && blank; f++)
            blank = strspn(row.fields[f], " \t\r\n") == strlen(row.fields[f]);
        if (blank)
            continue;
        if (n == CLAUSE_MAX_CLAUSES) {
            json_decref(doc);
            *status = CLAUSE_CSV_TOO_MANY;
            return NULL;
        }
        if (n == cap) {
            int *more = arena_alloc(a, 2 * cap * sizeof *more);
            memcpy(more, *where, cap * sizeof *more);
            *where = more;
            cap *= 2;
        }
        (*where)[n++] = row.line;
        json_t *k = json_object();
        for (size_t f = 0; f < CSV_COLUMNS; f++) {
            const char *v = column[f] >= 0 && column[f] < row.nfields ? row.fields[column[f]] : "";
            json_t *value;
            if (f != PROVISIONAL_COLUMN)
                value = json_string(v);
            else if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
                value = json_true();
            else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 || v[0] == '\0')
                value = json_false();
            else
                value = json_string(v);      /* refused by the check */
            json_object_set_new(k, csv_columns[f], value);
        }
        json_array_append_new(clauses, k);
    }
    if (rc < 0) {
        json_decref(doc);
        *status = CLAUSE_CSV_MALFORMED;
        *detail = arena_printf(a, "%d", table_line(&t));
        return NULL;
    }
    *status = CLAUSE_CSV_OK;
    return doc;
}

/* A clause number: digits, dot-separated groups of digits ("7", "7.3", "4.2.1"), at most 20. */
static bool clause_number_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 20 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] != '.')))
            return false;
    return true;
}

static bool text_fits(const char *s, size_t max_chars)
{
    return s != NULL && utf8_valid(s, strlen(s), NULL) && utf8_length(s, strlen(s)) <= max_chars;
}

static const char *clause_number_at(const json_t *clauses, size_t j)
{
    return json_string_value(json_object_get(json_array_get(clauses, j), "number"));
}

bool clause_catalogue_check(arena_t *a, const json_t *doc, bool csv, const int *where, clause_problem_fn fn, void *ctx)
{
    int problems = 0;
#define PROBLEM(field, zh, en) (problems++, fn(ctx, (field), (zh), (en)))
#define AT(member) (csv ? arena_printf(a, "line %d.%s", where[i], (member)) : arena_printf(a, "clauses[%d].%s", where[i], (member)))
    if (!clause_edition_known(json_string_value(json_object_get(doc, "edition"))))
        PROBLEM("edition", "应为 2013 或 2023", "must be 2013 or 2023");
    const json_t *note = json_object_get(doc, "note");
    if (note != NULL && !text_fits(json_string_value(note), 500))
        PROBLEM("note", "应为至多 500 字的文本", "must be text of at most 500 characters");
    const json_t *clauses = json_object_get(doc, "clauses");
    size_t n = json_array_size(clauses);
    if (n == 0 || n > CLAUSE_MAX_CLAUSES)
        PROBLEM(csv ? "file" : "clauses", "应有 1 至 2000 个条款", "must have 1 to 2,000 clauses");
    for (size_t i = 0; i < n && n <= CLAUSE_MAX_CLAUSES; i++) {
        const json_t *k = json_array_get(clauses, i);
        const char *number = json_string_value(json_object_get(k, "number"));
        bool number_ok = number != NULL && clause_number_valid(number);
        if (!number_ok)
            PROBLEM(AT("number"), "编号应为以点分隔的数字，如 7.3", "must be dot-separated digits such as 7.3");
        else
            for (size_t j = 0; j < i; j++) {
                const char *earlier = clause_number_at(clauses, j);
                if (earlier != NULL && strcmp(number, earlier) == 0) {
                    PROBLEM(AT("number"), "编号重复", "duplicate number");
                    break;
                }
            }
        const char *title = json_string_value(json_object_get(k, "title"));
        if (title == NULL || strspn(title, " \t") == strlen(title) || !text_fits(title, 200))
            PROBLEM(AT("title"), "标题不能为空（至多 200 字）", "must not be empty (at most 200 characters)");
        static const char *const texts[] = {"title_en", "guidance", "evidence"};
        for (size_t t = 0; t < 3; t++) {
            const json_t *v = json_object_get(k, texts[t]);
            if (v != NULL && !text_fits(json_string_value(v), t == 0 ? 200 : 2000))
                PROBLEM(AT(texts[t]), t == 0 ? "应为至多 200 字的文本" : "应为至多 2000 字的文本",
                        t == 0 ? "must be text of at most 200 characters" : "must be text of at most 2000 characters");
        }
        const json_t *prov = json_object_get(k, "provisional");
        if (prov != NULL && !json_is_boolean(prov))
            PROBLEM(AT("provisional"), "应为 true 或 false", "must be true or false");
        const json_t *pv = json_object_get(k, "parent");
        const char *parent = pv == NULL ? "" : json_string_value(pv);
        bool parent_ok = parent != NULL;
        if (parent_ok && parent[0] != '\0') {
            parent_ok = false;
            for (size_t j = 0; j < n && !parent_ok; j++) {
                const char *other = clause_number_at(clauses, j);
                parent_ok = j != i && other != NULL && strcmp(other, parent) == 0;
            }
            /* a parent is its child's number without the last group: 7 for 7.3 */
            size_t plen = strlen(parent);
            if (parent_ok && number_ok)
                parent_ok = strncmp(number, parent, plen) == 0 && number[plen] == '.' && strchr(number + plen + 1, '.') == NULL;
        }
        if (!parent_ok)
            PROBLEM(AT("parent"), "上级条款不在目录中或与编号不符",
                    "the parent clause is not in the catalogue or does not match the number");
    }
#undef AT
#undef PROBLEM
    return problems == 0;
}

void clause_catalogue_csv(const json_t *doc, buf_t *out)
{
    for (size_t k = 0; k < CSV_COLUMNS; k++)
        csv_field(out, csv_columns[k], k == 0);
    buf_puts(out, "\r\n");
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(doc, "clauses"), i, c) {
        for (size_t k = 0; k < CSV_COLUMNS; k++) {
            const json_t *v = json_object_get(c, csv_columns[k]);
            const char *s = k == PROVISIONAL_COLUMN ? (json_is_true(v) ? "true" : "false") : json_string_value(v);
            csv_field(out, s ? s : "", k == 0);
        }
        buf_puts(out, "\r\n");
    }
}

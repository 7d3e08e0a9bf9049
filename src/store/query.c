/* List-query builder (see query.h). */
#include "store/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void query_init(query_t *q, const char *select_from)
{
    memset(q, 0, sizeof *q);
    buf_init(&q->sql, 16384);
    buf_puts(&q->sql, select_from);
}

void query_free(query_t *q)
{
    buf_free(&q->sql);
}

void query_sql(query_t *q, const char *fragment)
{
    buf_puts(&q->sql, fragment);
}

/* Appends fragment with "$?" replaced by $index. */
static void append_numbered(query_t *q, const char *fragment, int index)
{
    for (const char *p = fragment; *p; p++) {
        if (p[0] == '$' && p[1] == '?') {
            buf_printf(&q->sql, "$%d", index);
            p++;
        } else {
            buf_append(&q->sql, p, 1);
        }
    }
}

static int add_bind(query_t *q, char kind, const char *text, int64_t integer)
{
    if (q->nbinds == QUERY_MAX_BINDS) {
        q->sql.failed = true;
        return 0;
    }
    q->binds[q->nbinds].kind = kind;
    q->binds[q->nbinds].text = text;
    q->binds[q->nbinds].integer = integer;
    return ++q->nbinds;
}

void query_text(query_t *q, const char *fragment, const char *value)
{
    append_numbered(q, fragment, add_bind(q, 't', value, 0));
}

void query_int(query_t *q, const char *fragment, int64_t value)
{
    append_numbered(q, fragment, add_bind(q, 'I', NULL, value));
}

void query_and_text(query_t *q, const char *fragment, const char *value)
{
    buf_puts(&q->sql, " AND ");
    query_text(q, fragment, value);
}

void query_and_int(query_t *q, const char *fragment, int64_t value)
{
    buf_puts(&q->sql, " AND ");
    query_int(q, fragment, value);
}

void query_scope(query_t *q, const reach_t *reach, const scope_columns_t *cols)
{
    const char *column = NULL;
    switch (reach->kind) {
    case REACH_ALL:
        buf_puts(&q->sql, " AND TRUE");
        return;
    case REACH_REGION:
        column = cols->region;
        break;
    case REACH_ENTERPRISE:
        column = cols->enterprise;
        break;
    case REACH_BODY:
        column = cols->body;
        break;
    default:
        break;
    }
    if (column == NULL) {
        buf_puts(&q->sql, " AND FALSE");
        return;
    }
    int n;
    if (reach->kind == REACH_REGION) {
        /* bound by pointer: the pattern lives in the query */
        snprintf(q->scope_text, sizeof q->scope_text, "%s%%", reach->region_prefix);
        n = add_bind(q, 't', q->scope_text, 0);
        buf_printf(&q->sql, " AND %s LIKE $%d", column, n);
    } else {
        n = add_bind(q, 'I', NULL, reach->id);
        buf_printf(&q->sql, " AND %s = $%d", column, n);
    }
}

void query_page(query_t *q, int page, int per_page)
{
    int a = add_bind(q, 'I', NULL, per_page);
    int b = add_bind(q, 'I', NULL, (int64_t)(page - 1) * per_page);
    buf_printf(&q->sql, " LIMIT $%d OFFSET $%d", a, b);
}

stmt_t *query_run(db_t *db, query_t *q)
{
    if (q->sql.failed)
        return NULL;
    stmt_t *st = db_prepare(db, q->sql.data);
    if (st == NULL)
        return NULL;
    for (int i = 0; i < q->nbinds; i++) {
        if (q->binds[i].kind == 'I')
            stmt_bind_int(st, i + 1, q->binds[i].integer);
        else
            stmt_bind_text(st, i + 1, q->binds[i].text, strlen(q->binds[i].text));
    }
    return st;
}

const char *query_like(arena_t *a, const char *text, bool contains)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, 2 * n + 3);
    size_t k = 0;
    if (contains)
        out[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            out[k++] = '\\';
        out[k++] = text[i];
    }
    out[k++] = '%';
    out[k] = '\0';
    return out;
}

void query_sets(query_t *q, const query_set_t *sets, int n)
{
    for (int i = 0; i < n; i++)
        if (sets[i].value != NULL)
            query_text(q, sets[i].fragment, sets[i].value);
}

int64_t query_exec(db_t *db, query_t *q)
{
    stmt_t *st = query_run(db, q);
    int rc = st ? stmt_step(st) : STORE_ERROR;
    int64_t changes = rc == STORE_DONE ? stmt_changes(st) : -1;
    stmt_done(st);
    query_free(q);
    return changes;
}

/* Appends printf-style text at out + *at; false (and nothing more appended) when it does not fit. */
__attribute__((format(printf, 4, 5))) static bool append(char *out, size_t size, size_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = *at < size ? vsnprintf(out + *at, size - *at, fmt, ap) : -1;
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *at)
        return false;
    *at += (size_t)n;
    return true;
}

bool query_values_sql(char *out, size_t size, const char *head, int ncols, int nrows, const char *tail)
{
    size_t at = 0;
    bool ok = append(out, size, &at, "%s", head);
    for (int r = 0; ok && r < nrows; r++) {
        ok = append(out, size, &at, "%s(", r ? ", " : "");
        for (int c = 1; ok && c <= ncols; c++)
            ok = append(out, size, &at, "$%d%s", r * ncols + c, c < ncols ? ", " : ")");
    }
    return ok && append(out, size, &at, "%s", tail);
}

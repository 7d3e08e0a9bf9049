/* Bulk verification (issue 8): the current status of up to 10,000 certificate numbers or
 * unified social credit codes at once, from JSON (POST /api/certificates/verify) or from a CSV
 * upload (POST /api/certificates/verify/file, in files.c). Each entry is told apart by its
 * shape (core/uscc.h, domain/certificate.h); the lookups are batched, VERIFY_CHUNK values per
 * query, never one query per entry (docs/registry.md). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/uscc.h"
#include "domain/certificate.h"

/* keys looked up per statement: one fixed SQL text per key kind, a few round trips per file */
enum { VERIFY_CHUNK = 64 };

/* One row found: the key it was found by (its number, or its holder's credit code). */
typedef struct verify_row {
    const char *key;
    int seq;                  /* the order the query gave: newest issue first per holder */
    certificate_t cert;
} verify_row_t;

typedef struct verify_rows {
    verify_row_t *items;
    int n, cap;
} verify_rows_t;

static int row_compare(const void *a, const void *b)
{
    const verify_row_t *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k != 0 ? k : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The SQL of one chunk: column `key` IN ($1 … $VERIFY_CHUNK). Built once per column; the text
 * is the same on every call, so the statement cache keeps one statement each. */
static const char *chunk_sql(arena_t *a, const char *key, const char *order)
{
    buf_t b;
    buf_init(&b, 8192);
    buf_puts(&b, "SELECT " CERTIFICATE_COLUMNS CERTIFICATE_FROM " WHERE ");
    buf_puts(&b, key);
    buf_puts(&b, " IN (");
    for (int i = 1; i <= VERIFY_CHUNK; i++)
        buf_printf(&b, i == 1 ? "$%d" : ", $%d", i);
    buf_puts(&b, ") ORDER BY ");
    buf_puts(&b, order);
    const char *sql = arena_strdup(a, b.data);
    buf_free(&b);
    return sql;
}

/* Looks up every value of keys[0..n) (by number or by credit code; sorted and made unique in
 * place) in chunks, appending each row found to rows. False after a database error. */
static int key_compare(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool lookup(call_t *c, const char **keys, int n, bool by_code, verify_rows_t *rows)
{
    /* each value once, so that a certificate asked for twice is read once */
    if (n == 0)
        return true;
    qsort(keys, (size_t)n, sizeof *keys, key_compare);
    int unique = 0;
    for (int i = 0; i < n; i++)
        if (unique == 0 || strcmp(keys[unique - 1], keys[i]) != 0)
            keys[unique++] = keys[i];
    n = unique;
    const char *sql = by_code ? chunk_sql(&c->arena, "e.credit_code", "c.issued DESC, c.id DESC")
                              : chunk_sql(&c->arena, "c.number", "c.id");
    for (int start = 0; start < n; start += VERIFY_CHUNK) {
        stmt_t *st = db_prepare(c->db, sql);
        if (st == NULL)
            return false;
        for (int i = 0; i < VERIFY_CHUNK; i++) {
            if (start + i < n)
                stmt_bind_text(st, i + 1, keys[start + i], strlen(keys[start + i]));
            else
                stmt_bind_null(st, i + 1);
        }
        int rc;
        while ((rc = stmt_step(st)) == STORE_ROW) {
            if (rows->n == rows->cap) {
                int cap = rows->cap ? rows->cap * 2 : 256;
                verify_row_t *grown = arena_alloc(&c->arena, (size_t)cap * sizeof *grown);
                if (rows->n > 0)
                    memcpy(grown, rows->items, (size_t)rows->n * sizeof *grown);
                rows->items = grown;
                rows->cap = cap;
            }
            verify_row_t *r = &rows->items[rows->n];
            certificate_read(st, &c->arena, &r->cert);
            r->key = by_code ? r->cert.holder_credit_code : r->cert.number;
            r->seq = rows->n++;
        }
        stmt_done(st);
        if (rc != STORE_DONE)
            return false;
    }
    return true;
}

/* The first row of key in sorted rows, or NULL. */
static const verify_row_t *first_row(const verify_rows_t *rows, const char *key)
{
    int lo = 0, hi = rows->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(rows->items[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rows->n && strcmp(rows->items[lo].key, key) == 0 ? &rows->items[lo] : NULL;
}

void certificates_verify_answer(call_t *c, const char *const *queries, const int *lines, int n)
{
    /* a NULL query (not a string) is refused with the malformed ones, in its place */
    /* classify: a valid credit code is one, anything else of a number's shape a number */
    const char **keys = arena_alloc(&c->arena, (size_t)(n + 1) * sizeof *keys);
    bool *is_code = arena_alloc(&c->arena, (size_t)(n + 1) * sizeof *is_code);
    const char **numbers = arena_alloc(&c->arena, (size_t)(n + 1) * sizeof *numbers);
    const char **codes = arena_alloc(&c->arena, (size_t)(n + 1) * sizeof *codes);
    int nnumbers = 0, ncodes = 0;
    for (int i = 0; i < n; i++) {
        uscc_result_t r = queries[i] != NULL ? uscc_check(queries[i]) : (uscc_result_t){.problem = USCC_LENGTH};
        char number[CERT_NUMBER_MAX + 1];
        if (r.problem == USCC_OK) {
            is_code[i] = true;
            keys[i] = codes[ncodes++] = arena_strdup(&c->arena, r.code);
        } else if (queries[i] != NULL && cert_number_normalize(queries[i], number)) {
            is_code[i] = false;
            keys[i] = numbers[nnumbers++] = arena_strdup(&c->arena, number);
        } else {
            const char *field = lines != NULL ? arena_printf(&c->arena, "line %d", lines[i])
                                              : arena_printf(&c->arena, "items[%d]", i);
            call_invalid(c, field, "既不是证书编号也不是统一社会信用代码",
                         "neither a certificate number nor a unified social credit code");
        }
    }
    if (call_answered(c))
        return;

    verify_rows_t by_number = {0}, by_code = {0};
    if (!lookup(c, numbers, nnumbers, false, &by_number) || !lookup(c, codes, ncodes, true, &by_code)) {
        call_db_error(c, "bulk verification");
        return;
    }
    /* (qsort wants a real array even for no rows: an empty lookup leaves items NULL) */
    if (by_number.n > 0)
        qsort(by_number.items, (size_t)by_number.n, sizeof *by_number.items, row_compare);
    if (by_code.n > 0)
        qsort(by_code.items, (size_t)by_code.n, sizeof *by_code.items, row_compare);

    char today[DATE_LEN + 1];
    date_today(today);
    int64_t found = 0, shown[CERT_EXPIRED + 1] = {0}, certificates = 0;
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    for (int i = 0; i < n; i++) {
        const verify_rows_t *rows = is_code[i] ? &by_code : &by_number;
        const verify_row_t *r = first_row(rows, keys[i]);
        jw_object(w);
        jw_kstr(w, "query", queries[i]);
        jw_kstr(w, "kind", is_code[i] ? "credit_code" : "number");
        jw_kbool(w, "found", r != NULL);
        jw_key(w, "certificates");
        jw_array(w);
        found += r != NULL;
        for (; r != NULL && r < rows->items + rows->n && strcmp(r->key, keys[i]) == 0; r++) {
            certificate_write(w, &r->cert, NULL);
            shown[cert_effective_status(cert_status_parse(r->cert.status), r->cert.expires, today)]++;
            certificates++;
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "summary");
    jw_object(w);
    jw_kint(w, "total", n);
    jw_kint(w, "found", found);
    jw_kint(w, "not_found", n - found);
    jw_kint(w, "certificates", certificates);
    for (cert_status_t s = CERT_VALID; s <= CERT_EXPIRED; s++)
        jw_kint(w, cert_status_name(s), shown[s]);
    jw_end(w);
    jw_end(w);
}

void api_certificates_verify(call_t *c)
{
    static const char *const fields[] = {"items", NULL};
    if (!body_only(c, fields))
        return;
    json_t *list = json_object_get(c->body, "items");
    if (list == NULL) {
        call_error(c, "missing_field", "items", "items");
        return;
    }
    size_t count = json_is_array(list) ? json_array_size(list) : 0;
    if (!json_is_array(list) || count == 0 || count > VERIFY_MAX_ITEMS) {
        call_invalid(c, "items", "须为 1 至 10000 个字符串的数组", "must be a list of 1 to 10,000 strings");
        return;
    }
    const char **queries = arena_alloc(&c->arena, count * sizeof *queries);
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get(list, i);
        queries[i] = json_is_string(item) ? json_string_value(item) : NULL;   /* refused in its turn */
    }
    certificates_verify_answer(c, queries, NULL, (int)count);
}

/* A small builder for list queries whose WHERE clause depends on the filters a user sent.
 * SQL text comes only from fixed fragments in the code; every value is bound as a parameter
 * ("$?" in a fragment becomes the next $N). Row-level scope is added with query_scope, so a
 * list can never forget it. */
#ifndef GUANBIAO_QUERY_H
#define GUANBIAO_QUERY_H
#include <stdint.h>

#include <stdbool.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/roles.h"
#include "store/store.h"

enum { QUERY_MAX_BINDS = 16 };

typedef struct query {
    buf_t sql;
    int nbinds;
    struct {
        char kind;            /* 't' text, 'I' integer */
        const char *text;     /* not copied: must outlive the query */
        int64_t integer;
    } binds[QUERY_MAX_BINDS];
    char scope_text[8];       /* the scope's region pattern, bound by pointer */
} query_t;

void query_init(query_t *q, const char *select_from);   /* "SELECT … FROM … WHERE TRUE" */
void query_free(query_t *q);
void query_sql(query_t *q, const char *fragment);       /* appended as is: no values in it */
/* fragment appended, with each "$?" bound to value. */
void query_text(query_t *q, const char *fragment, const char *value);
void query_int(query_t *q, const char *fragment, int64_t value);
/* For PATCH-style updates: appends each fragment (", col = $?") whose value is not NULL. */
typedef struct query_set {
    const char *fragment;
    const char *value;
} query_set_t;
void query_sets(query_t *q, const query_set_t *sets, int n);
/* Runs a statement without rows to completion and frees q: the number of rows it changed, or
 * -1 on error (as db_run). */
int64_t query_exec(db_t *db, query_t *q);
/* " AND " + fragment, with each "$?" bound to value. */
void query_and_text(query_t *q, const char *fragment, const char *value);
void query_and_int(query_t *q, const char *fragment, int64_t value);
/* Columns of the queried table that carry a record's owner; NULL when the table has none
 * (then that way of reaching the record does not exist, and matches nothing). */
typedef struct scope_columns {
    const char *enterprise;   /* e.g. "c.enterprise_id" */
    const char *body;         /* e.g. "c.body_id" */
    const char *region;       /* e.g. "e.region" */
} scope_columns_t;
/* " AND " + the predicate of what the caller reaches (domain/scope.h: scope_reach) over
 * these columns. */
void query_scope(query_t *q, const reach_t *reach, const scope_columns_t *cols);
/* " LIMIT $n OFFSET $m" for a page. */
void query_page(query_t *q, int page, int per_page);
/* A LIKE pattern matching text literally: "%text%" (contains) or "text%" (prefix), with
 * %, _ and \ escaped; use with "LIKE $? ESCAPE '\'". In the arena. */
const char *query_like(arena_t *a, const char *text, bool contains);
/* The text of a multi-row statement: head, then nrows groups "($1, …, $ncols)" numbered row by
 * row ($1 … $(nrows × ncols)), then tail (may be ""), into out (size bytes). The same (head,
 * ncols, nrows, tail) always gives the same text, so each batch size is one cached statement.
 * False when it does not fit. A statement binds at most 32,766 parameters (store.h). */
bool query_values_sql(char *out, size_t size, const char *head, int ncols, int nrows, const char *tail);
/* Prepares and binds; NULL on error (or when the SQL outgrew its buffer). */
stmt_t *query_run(db_t *db, query_t *q);

#endif

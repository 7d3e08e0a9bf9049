/* The rules of a clause catalogue document (docs/compliance.md "The standard as data"): the
 * CSV format read into the JSON document's shape and written from it, and the checks an import
 * passes before anything is written. Shared by the API (src/api/clauses.c) and the command line
 * (`guanbiao import|export clauses`). */
#ifndef GUANBIAO_DOMAIN_CLAUSES_H
#define GUANBIAO_DOMAIN_CLAUSES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

enum { CLAUSE_MAX_CLAUSES = 2000 };

/* "2013" or "2023". */
bool clause_edition_known(const char *edition);

/* Why clause_csv_document gave no document. */
typedef enum { CLAUSE_CSV_OK, CLAUSE_CSV_EMPTY, CLAUSE_CSV_COLUMN_MISSING, CLAUSE_CSV_MALFORMED, CLAUSE_CSV_TOO_MANY } clause_csv_status_t;

/* Reads CSV text (UTF-8, the caller checked) whose header names the columns number, title,
 * title_en, parent, provisional, guidance, evidence (any order; number and title required) into
 * a document {"clauses":[…]} (the caller's to json_decref); blank rows are skipped; a
 * provisional of true/1, false/0 or empty becomes a boolean, anything else stays a string for
 * the check to refuse. *where (in a) gets each clause's line. NULL with *status, and *detail the
 * missing column's name or the malformed line ("%d" in a). */
json_t *clause_csv_document(arena_t *a, const char *data, size_t len, int **where, clause_csv_status_t *status,
                            const char **detail);

/* Called once per problem: field names the clause and member ("clauses[3].parent" for a JSON
 * document, "line 4.parent" for a CSV one) or the document's member ("edition", "note"). */
typedef void (*clause_problem_fn)(void *ctx, const char *field, const char *zh, const char *en);

/* Checks a document: edition known; note text of at most 500 characters; 1 to
 * CLAUSE_MAX_CLAUSES clauses; numbers dot-separated digits and unique; titles non-empty; texts
 * within their lengths; provisional a boolean; each parent "" or another clause's number that
 * is the clause's own without its last group. Reports every problem (field names in a; where[i]
 * the place of clause i: its index, or its CSV line when csv). True when there is none. */
bool clause_catalogue_check(arena_t *a, const json_t *doc, bool csv, const int *where, clause_problem_fn fn, void *ctx);

/* Appends the document's clauses as CSV (the header, then a row per clause, CRLF). */
void clause_catalogue_csv(const json_t *doc, buf_t *out);

#endif

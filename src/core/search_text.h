/* The search tokenizer (docs/learning.md "Search"): one text → its terms, the same for the
 * documents indexed and the queries asked. Full-width ASCII and the ideographic space are folded
 * first (core/cells.h cell_fold_char), ASCII is lower-cased; a term is a word of ASCII letters
 * and digits, or, in a run of CJK characters, each pair of neighbours (overlapping bigrams:
 * 知识产权 → 知识 识产 产权) and the character alone for a run of one. Everything else separates.
 * Pure: no database, no HTTP. */
#ifndef GUANBIAO_SEARCH_TEXT_H
#define GUANBIAO_SEARCH_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* Longest term kept, in bytes: a longer word is cut there (bigrams are 6 bytes at most). */
#define SEARCH_TERM_MAX 64

typedef struct search_token {
    const char *term;   /* NUL-terminated, in the arena: folded, lower case */
    size_t start, end;  /* its bytes in the original text: [start, end) */
} search_token_t;

typedef struct search_tokens {
    search_token_t *items;
    int n;
} search_tokens_t;

/* The terms of text[0..len) in order of appearance (repeats kept), in the arena. text must be
 * UTF-8 (invalid bytes separate). */
search_tokens_t search_tokenize(arena_t *a, const char *text, size_t len);

/* The distinct terms of text, in order of first appearance, at most max of them; *n their number.
 * A query's terms. */
const char **search_query_terms(arena_t *a, const char *text, int max, int *n);

/* The query as logged: its words (folded, lower case) and CJK runs joined by one space, the
 * rest dropped (so ＧＢ／Ｔ and gb/t log the same way: "gb t"); "" when it has no term. In the
 * arena. */
char *search_query_normalised(arena_t *a, const char *text);

/* A short excerpt of text around the first of its terms that is one of terms[0..n), HTML-escaped
 * (& < > " '), every occurrence of those terms in it wrapped in <mark>…</mark> (overlapping ones
 * merged: 知识产权 marks once), white space runs made one space; about max_chars characters, with
 * "…" where it was cut. NULL when text contains none of the terms. max_chars 0: the whole text,
 * escaped and marked (never NULL). In the arena. */
char *search_snippet(arena_t *a, const char *text, const char *const *terms, int n, int max_chars);

#endif

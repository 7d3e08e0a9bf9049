/* A policy's text prepared for the fair-policy checker (docs/policies.md "Rules and the
 * checker"): NFKC-normalised per code point (full-width ＧＢ／Ｔ → GB/T, ，；：（） → ,;:(),
 * compatibility ideographs), with the white space that a PDF's line wrap leaves between Chinese
 * characters dropped, and a map from every byte of the normalised text back to the code point
 * of the ORIGINAL text it came from; then cut into pieces: sentences (。!?;, blank lines) and
 * list items ((一)/一、/1./1、/(1)/①/第N条 lines, 一是…二是…/其一…其二 inside a sentence), each
 * with the lead-ins (a piece ending with : that introduces a list) that govern it.
 * Pure and thread-safe; no database. */
#ifndef GUANBIAO_POLICY_TEXT_H
#define GUANBIAO_POLICY_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { POLICY_LEAD_IN_DEPTH = 3 };   /* nested lists deeper than this keep their three nearest lead-ins */

typedef struct policy_text {
    char *norm;           /* normalised UTF-8, NUL-terminated (owned) */
    size_t norm_len;
    uint32_t *map;        /* norm_len + 1 entries: byte → original code-point index (map[norm_len] = ncp) */
    size_t *cp_byte;      /* ncp + 1 entries: original code-point index → byte offset in the original */
    size_t ncp;           /* code points in the original */
} policy_text_t;

/* One piece: [start, end) in bytes of t->norm is what a finding reports (list marker and
 * surrounding white space trimmed; the sentence's own 。!?; kept). lead_in[0..nlead-1] are the
 * pieces (indexes, outermost first) whose lead-in governs this one. */
typedef struct policy_piece {
    size_t start, end;
    int lead_in[POLICY_LEAD_IN_DEPTH];
    int nlead;
    bool is_lead_in;      /* ends with : (or introduces 一是…) and governs the items after it */
} policy_piece_t;

/* Normalises text (valid UTF-8: the caller checked) into t. False when out of memory (t is then
 * empty). policy_text_free releases it. */
bool policy_text_normalise(policy_text_t *t, const char *text, size_t len);
void policy_text_free(policy_text_t *t);

/* Cuts t into pieces: *pieces gets a malloc'ed array (caller frees), the count is returned;
 * -1 when out of memory. Empty pieces (only white space or a marker) are left out. */
long policy_text_pieces(const policy_text_t *t, policy_piece_t **pieces);

/* The original code-point span of the normalised bytes [start, end) (end > start): *cp_start
 * and *cp_end (exclusive). */
void policy_text_span(const policy_text_t *t, size_t start, size_t end, size_t *cp_start, size_t *cp_end);

/* Length in bytes of a list marker at s (with the white space after it), and its kind
 * (POLICY_MARK_*); 0 when s does not start with one. Accepts full-width and ASCII forms. */
enum {
    POLICY_MARK_NONE,
    POLICY_MARK_CJK_PAREN,    /* (一) （一） */
    POLICY_MARK_CJK_COMMA,    /* 一、 */
    POLICY_MARK_DIGIT,        /* 1. 1、 1) */
    POLICY_MARK_DIGIT_PAREN,  /* (1) ⑴ */
    POLICY_MARK_CIRCLED,      /* ① */
    POLICY_MARK_INLINE,       /* 一是 其一 */
    POLICY_MARK_ARTICLE,      /* 第五条 */
};
size_t policy_text_marker(const char *s, size_t len, int *kind);

#endif

/* Cells of tables that real offices send (docs/effectiveness.md "Imports"): the file's text in
 * UTF-8 whatever it came in (UTF-8 with or without a byte-order mark, else GBK/GB18030, decided
 * from the bytes, never asked), a cell folded the way a reader sees it (full-width ASCII
 * U+FF01–U+FF5E and the ideographic space U+3000 made ASCII, blanks trimmed: an NFKC of just
 * these, since libutf8proc is not installed — docs/decisions.md), and the numbers people write
 * in them (1,234 / 1，234 / １２.５% / -3). No HTTP, no database. */
#ifndef GUANBIAO_CELLS_H
#define GUANBIAO_CELLS_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

typedef enum text_encoding { TEXT_UTF8 = 0, TEXT_GB18030 } text_encoding_t;

/* data[0..len) as UTF-8 text without a byte-order mark: *out points into data when it is valid
 * UTF-8 already, else to a copy converted from GB18030 (GBK is a subset) in the arena. False
 * when it is neither (then *out is NULL). *encoding says which it was. */
bool text_to_utf8(arena_t *a, const char *data, size_t len, const char **out, size_t *out_len,
                  text_encoding_t *encoding);
/* data[0..len) decoded from charset (an iconv name: "GB18030", of which GBK is a subset, or
 * "UTF-16", whose byte-order mark tells the order) to UTF-8 in the arena, without a byte-order
 * mark: what text_to_utf8 does with GB18030 when the bytes are not UTF-8, for a caller that was
 * told the encoding (an HTML page's <meta charset="gbk">, a Notepad "Unicode" file). False when
 * the bytes are not in that charset. */
bool text_from_charset(arena_t *a, const char *charset, const char *data, size_t len, const char **out,
                       size_t *out_len);
/* "utf-8" or "gbk" (GB18030 is reported as gbk: what offices call it). */
const char *text_encoding_name(text_encoding_t e);

/* s folded (full-width ASCII and U+3000 made ASCII; NBSP a space) and trimmed of blanks (space,
 * tab, CR, LF) at both ends, in the arena. s must be valid UTF-8 (other bytes are copied). */
char *cell_fold(arena_t *a, const char *s);

/* The folding of cell_fold for the character at s (valid UTF-8, NUL-terminated): the number of
 * bytes it takes, with its ASCII replacement in *ascii, or 0 when it is not folded (then *ascii
 * is untouched). The search tokenizer (core/search_text.h) folds with it too. */
size_t cell_fold_char(const char *s, char *ascii);

/* True when a folded cell is empty. */
bool cell_blank(const char *folded);

/* A number as written in a folded cell: an optional sign, digits with or without thousands
 * separators (groups of three after the first: 1,234,567), an optional decimal part and
 * exponent, then an optional '%' (*percent set; the value is the number before it: "12.5%"
 * gives 12.5). False for anything else (empty, text, "1,23", inf, nan, hex). */
bool cell_number(const char *folded, double *value, bool *percent);

/* A year in a folded cell: "2023", "2023年", or an integral number such as "2023.0" (a
 * spreadsheet's number cell). False otherwise. */
bool cell_year(const char *folded, int *year);

#endif

/* Text helpers with no HTTP and no database: UTF-8 checks, percent-decoding, query strings,
 * the language of a request, clocks. */
#ifndef GUANBIAO_TEXT_H
#define GUANBIAO_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

typedef enum lang { LANG_ZH = 0, LANG_EN = 1 } lang_t;

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF). On false, *bad_offset (if not NULL) is the offset of the first bad byte. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Number of Unicode code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t len);

/* Decodes %XX escapes (and '+' as a space when plus_is_space); NULL when an escape is
 * malformed or the result is not valid UTF-8 or contains NUL. The result lives in the arena. */
char *percent_decode(arena_t *a, const char *s, size_t len, bool plus_is_space);

/* The raw (still encoded) value of the first `name=` or bare `name` in a query string, with
 * its length; NULL when absent. */
const char *query_find(const char *query, size_t len, const char *name, size_t *value_len);

/* The decoded value of the first `name=` in a query string (without '?'); NULL when absent or
 * malformed. */
char *query_param(arena_t *a, const char *query, size_t len, const char *name);

/* The first of Chinese or English named in an Accept-Language header (LANG_ZH when neither). */
lang_t lang_from_header(const char *value, size_t len);

/* Case-insensitive ASCII comparison of s[0..len) with the NUL-terminated literal. */
bool ascii_ieq(const char *s, size_t len, const char *literal);

/* An email address as far as the platform checks one: "" (none), or something@domain.tld
 * without blanks. */
bool email_address_valid(const char *s);

int64_t now_seconds(void);      /* wall clock, Unix seconds */
int64_t monotonic_micros(void); /* for durations */

/* FNV-1a over n bytes: fast, stable, not cryptographic (cache keys, ETags, sets). */
uint64_t hash_bytes(const void *data, size_t n);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif

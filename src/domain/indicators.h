/* The pure rules of an indicator's yearly value (issue 10, docs/effectiveness.md "Indicators";
 * DOMAIN.md "Indicators"): the vocabulary of the catalogue (category, kind, code) and the bounds
 * of a value by its kind, and of a year. No I/O, no allocation: the enterprise's form
 * (api/indicators.c) and the imports (CLI and upload) check every value with these before
 * anything is written. Parsing text into a number is the imports' (not here).
 *   count   a whole number ≥ 0            (件, 人 …)
 *   share   a percentage 0–100            (%)
 *   amount  a number ≥ 0                  (万元, 学时 …)
 *   year    1990 … the current year       (a value is about a year already begun) */
#ifndef GUANBIAO_DOMAIN_INDICATORS_H
#define GUANBIAO_DOMAIN_INDICATORS_H
#include <stdbool.h>
#include <stdint.h>

enum { INDICATOR_FIRST_YEAR = 1990, INDICATOR_CODE_MAX = 40 };

/* quality, benefit, management */
bool indicator_category_valid(const char *category);
/* count, share, amount */
bool indicator_kind_valid(const char *kind);
/* 1–40 characters of [a-z0-9_], beginning with a letter */
bool indicator_code_valid(const char *code);

/* The bounds of a value of this kind (a valid kind): [*min, *max] (max is INFINITY when there
 * is none) and whether it must be a whole number. */
void indicator_bounds(const char *kind, double *min, double *max, bool *whole);
/* The bounds as the error message names them, the same in both languages: "0–100", "≥ 0" or
 * "≥ 0, whole". A static string. */
const char *indicator_bounds_text(const char *kind);

/* NULL when value is a valid value of an indicator of this kind, else the error code
 * (core/messages.c): "indicator_value_out_of_range" (also NaN and infinities, and an unknown
 * kind) or "indicator_not_whole". */
const char *indicator_value_check(const char *kind, double value);
/* A value as text the way it was written: the fewest decimals that give back the same double,
 * never an exponent, no trailing zeros ("12.5", "3", "0.25", "-0" never: "0"). */
enum { INDICATOR_VALUE_TEXT = 352 };   /* DBL_MAX in full, a sign, 17 decimals */
void indicator_value_format(double value, char out[INDICATOR_VALUE_TEXT]);

/* NULL when year may carry values in current_year, else "indicator_year_out_of_range". */
const char *indicator_year_check(int64_t year, int64_t current_year);

#endif

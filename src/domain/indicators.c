/* The pure rules of an indicator's value and year (domain/indicators.h). */
#include "domain/indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool indicator_category_valid(const char *category)
{
    return category && (strcmp(category, "quality") == 0 || strcmp(category, "benefit") == 0 ||
                        strcmp(category, "management") == 0);
}

bool indicator_kind_valid(const char *kind)
{
    return kind && (strcmp(kind, "count") == 0 || strcmp(kind, "share") == 0 || strcmp(kind, "amount") == 0);
}

bool indicator_code_valid(const char *code)
{
    if (code == NULL || !(code[0] >= 'a' && code[0] <= 'z'))
        return false;
    size_t n = 0;
    for (const char *p = code; *p; p++, n++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return n <= INDICATOR_CODE_MAX;
}

void indicator_bounds(const char *kind, double *min, double *max, bool *whole)
{
    *min = 0;
    *max = kind && strcmp(kind, "share") == 0 ? 100 : INFINITY;
    *whole = kind && strcmp(kind, "count") == 0;
}

const char *indicator_bounds_text(const char *kind)
{
    if (kind && strcmp(kind, "share") == 0)
        return "0–100";
    if (kind && strcmp(kind, "count") == 0)
        return "≥ 0, whole";
    return "≥ 0";
}

const char *indicator_value_check(const char *kind, double value)
{
    if (!indicator_kind_valid(kind) || !isfinite(value))
        return "indicator_value_out_of_range";
    double min, max;
    bool whole;
    indicator_bounds(kind, &min, &max, &whole);
    if (value < min || value > max)
        return "indicator_value_out_of_range";
    if (whole && value != floor(value))
        return "indicator_not_whole";
    return NULL;
}

const char *indicator_year_check(int64_t year, int64_t current_year)
{
    return year >= INDICATOR_FIRST_YEAR && year <= current_year ? NULL : "indicator_year_out_of_range";
}

void indicator_value_format(double value, char out[INDICATOR_VALUE_TEXT])
{
    if (!isfinite(value)) {
        snprintf(out, INDICATOR_VALUE_TEXT, "0");
        return;
    }
    if (value == 0)
        value = 0;   /* -0 is written 0 */
    for (int decimals = 0; decimals <= 17; decimals++) {
        snprintf(out, INDICATOR_VALUE_TEXT, "%.*f", decimals, value);
        if (strtod(out, NULL) == value)
            return;
    }
}

/* Cells of tables that real offices send (see cells.h). */
#include "core/cells.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static const char BOM[] = "\xEF\xBB\xBF";

static void strip_bom(const char **s, size_t *len)
{
    if (*len >= 3 && memcmp(*s, BOM, 3) == 0) {
        *s += 3;
        *len -= 3;
    }
}

bool text_from_charset(arena_t *a, const char *charset, const char *data, size_t len, const char **out,
                       size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return false;
    /* GB18030 takes 1, 2 or 4 bytes per character, UTF-16 2 or 4; UTF-8 at most 4 for the
     * 4-byte ones and at most 3 for 2 bytes: twice the input always suffices */
    size_t cap = len * 2 + 4;
    char *converted = arena_alloc(a, cap + 1);
    char *in = (char *)data, *to = converted;
    size_t in_left = len, out_left = cap;
    size_t rc = iconv(cd, &in, &in_left, &to, &out_left);
    iconv_close(cd);
    if (rc == (size_t)-1 || in_left != 0)
        return false;
    *to = '\0';
    const char *text = converted;
    size_t text_len = (size_t)(to - converted);
    strip_bom(&text, &text_len);
    *out = text;
    *out_len = text_len;
    return true;
}

bool text_to_utf8(arena_t *a, const char *data, size_t len, const char **out, size_t *out_len,
                  text_encoding_t *encoding)
{
    *out = NULL;
    *out_len = 0;
    *encoding = TEXT_UTF8;
    if (utf8_valid(data, len, NULL)) {
        strip_bom(&data, &len);
        *out = data;
        *out_len = len;
        return true;
    }
    if (!text_from_charset(a, "GB18030", data, len, out, out_len))
        return false;
    *encoding = TEXT_GB18030;
    return true;
}

const char *text_encoding_name(text_encoding_t e)
{
    return e == TEXT_GB18030 ? "gbk" : "utf-8";
}

static bool blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t cell_fold_char(const char *s, char *ascii)
{
    const unsigned char *p = (const unsigned char *)s;
    /* U+FF01–U+FF5E: EF BC 81–BF (FF01–FF3F), EF BD 80–9E (FF40–FF5E) */
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
        *ascii = (char)(0x21 + (p[2] - 0x81));
        return 3;
    }
    if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
        *ascii = (char)(0x60 + (p[2] - 0x80));
        return 3;
    }
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {   /* U+3000 ideographic space */
        *ascii = ' ';
        return 3;
    }
    if (p[0] == 0xC2 && p[1] == 0xA0) {                   /* U+00A0 no-break space */
        *ascii = ' ';
        return 2;
    }
    if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) {   /* U+2212 minus sign */
        *ascii = '-';
        return 3;
    }
    return 0;
}

char *cell_fold(arena_t *a, const char *s)
{
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1), *o = out;
    const char *p = s;
    while (*p) {
        size_t used = cell_fold_char(p, o);
        if (used > 0) {
            o++;
            p += used;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    char *start = out;
    while (blank_byte(*start))
        start++;
    while (o > start && blank_byte(o[-1]))
        *--o = '\0';
    return start;
}

bool cell_blank(const char *folded)
{
    return folded[0] == '\0';
}

bool cell_number(const char *folded, double *value, bool *percent)
{
    const char *p = folded;
    char digits[128];
    size_t n = 0;
    *percent = false;
    if (*p == '+' || *p == '-')
        digits[n++] = *p++;
    /* the integer part, with separators only between groups of three */
    size_t int_digits = 0, group = 0;
    bool grouped = false;
    while ((*p >= '0' && *p <= '9') || *p == ',') {
        if (*p == ',') {
            if (int_digits == 0 || (grouped ? group != 3 : group > 3))
                return false;
            grouped = true;
            group = 0;
        } else {
            if (n >= sizeof digits - 32)
                return false;
            digits[n++] = *p;
            int_digits++;
            group++;
        }
        p++;
    }
    if (grouped && group != 3)
        return false;
    size_t frac_digits = 0;
    if (*p == '.') {
        digits[n++] = *p++;
        while (*p >= '0' && *p <= '9') {
            if (n >= sizeof digits - 16)
                return false;
            digits[n++] = *p++;
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        digits[n++] = *p++;
        if (*p == '+' || *p == '-')
            digits[n++] = *p++;
        size_t exp_digits = 0;
        while (*p >= '0' && *p <= '9' && exp_digits < 4) {
            digits[n++] = *p++;
            exp_digits++;
        }
        if (exp_digits == 0 || (*p >= '0' && *p <= '9'))
            return false;
    }
    while (*p == ' ')
        p++;
    if (*p == '%') {
        *percent = true;
        p++;
    }
    if (*p != '\0')
        return false;
    digits[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(digits, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *value = v == 0 ? 0 : v;   /* no -0 */
    return true;
}

bool cell_year(const char *folded, int *year)
{
    size_t n = strlen(folded);
    const char *suffix = "年";
    size_t sl = strlen(suffix);
    char copy[32];
    if (n >= sizeof copy)
        return false;
    memcpy(copy, folded, n + 1);
    if (n > sl && strcmp(copy + n - sl, suffix) == 0)
        copy[n - sl] = '\0';
    double v;
    bool percent;
    if (strchr(copy, ',') || !cell_number(copy, &v, &percent) || percent || v != floor(v) || v < 0 || v > 9999)
        return false;
    *year = (int)v;
    return true;
}

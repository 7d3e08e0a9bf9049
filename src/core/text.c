/* Text helpers (see text.h). */
#include "core/text.h"

#include <string.h>
#include <time.h>

bool utf8_valid(const char *str, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1; cp = c & 0x1F; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2; cp = c & 0x0F; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            goto bad;
        }
        if (len - i <= n)
            goto bad;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += n + 1;
    }
    return true;
bad:
    if (bad_offset != NULL)
        *bad_offset = i;
    return false;
}

size_t utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *percent_decode(arena_t *a, const char *s, size_t len, bool plus_is_space)
{
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (len - i < 3)
                return NULL;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0')
            return NULL;
        out[o++] = c;
    }
    out[o] = '\0';
    return utf8_valid(out, o, NULL) ? out : NULL;
}

const char *query_find(const char *query, size_t len, const char *name, size_t *value_len)
{
    size_t nlen = strlen(name);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && query[end] != '&')
            end++;
        const char *eq = memchr(query + i, '=', end - i);
        size_t klen = eq ? (size_t)(eq - (query + i)) : end - i;
        if (klen == nlen && memcmp(query + i, name, nlen) == 0) {
            const char *value = eq ? eq + 1 : query + end;
            *value_len = (size_t)(query + end - value);
            return value;
        }
        i = end + 1;
    }
    return NULL;
}

char *query_param(arena_t *a, const char *query, size_t len, const char *name)
{
    size_t n;
    const char *raw = query_find(query, len, name, &n);
    return raw ? percent_decode(a, raw, n, true) : NULL;
}

bool ascii_ieq(const char *s, size_t len, const char *literal)
{
    size_t n = strlen(literal);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = s[i], y = literal[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

lang_t lang_from_header(const char *v, size_t len)
{
    /* the first tag that names a language we speak decides: "fr, en" is English */
    size_t i = 0;
    while (i < len) {
        while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < len && v[i] != ',' && v[i] != ';' && v[i] != ' ')
            i++;
        size_t n = i - start;
        if (n >= 2 && (n == 2 || v[start + 2] == '-')) {
            char a = (char)(v[start] | 0x20), b = (char)(v[start + 1] | 0x20);
            if (a == 'e' && b == 'n')
                return LANG_EN;
            if (a == 'z' && b == 'h')
                return LANG_ZH;
        }
        while (i < len && v[i] != ',')       /* skip ";q=…" */
            i++;
    }
    return LANG_ZH;
}

int64_t now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t monotonic_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

uint64_t hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

bool email_address_valid(const char *s)
{
    if (*s == '\0')
        return true;
    const char *at = strchr(s, '@');
    return at != NULL && at != s && strchr(at, '.') != NULL && at[1] != '.' && s[strlen(s) - 1] != '.' &&
           strchr(s, ' ') == NULL;
}

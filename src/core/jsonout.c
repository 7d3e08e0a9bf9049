/* JSON writer (see jsonout.h). */
#include "core/jsonout.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw_t *w, buf_t *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->first[0] = true;
}

/* The comma before a value or key, unless it is the first of its level or follows a key. */
static void separate(jw_t *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        buf_append(w->b, ",", 1);
    w->first[w->depth] = false;
}

static void open_level(jw_t *w, char open, char close)
{
    separate(w);
    buf_append(w->b, &open, 1);
    if (w->depth < JW_MAX_DEPTH) {
        w->depth++;
        w->first[w->depth] = true;
        w->closer[w->depth] = close;
    } else {
        w->b->failed = true;     /* deeper than any answer we write: a bug, reported as a failed buffer */
    }
}

void jw_object(jw_t *w) { open_level(w, '{', '}'); }
void jw_array(jw_t *w) { open_level(w, '[', ']'); }

void jw_end(jw_t *w)
{
    if (w->depth == 0) {
        w->b->failed = true;
        return;
    }
    buf_append(w->b, &w->closer[w->depth], 1);
    w->depth--;
}

/* 1 for the bytes a JSON string must escape: control characters, quote, backslash. */
static const unsigned char must_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* True when one of the 8 bytes of x is a control character, a quote or a backslash
 * (bytes from 0x80 up, the rest of a UTF-8 sequence, never are). */
static bool word_needs_escape(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t control = (x - ones * 0x20) & ~x;                      /* a byte below 0x20 */
    uint64_t zero_q = (quote - ones) & ~quote, zero_b = (backslash - ones) & ~backslash;
    return ((control | zero_q | zero_b) & highs) != 0;
}

static void escaped(buf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* most strings need no escape: check 8 bytes at a time, then copy quotes and text at once */
    size_t plain = 0;
    while (n - plain >= 8) {
        uint64_t x;
        memcpy(&x, s + plain, 8);
        if (word_needs_escape(x))
            break;
        plain += 8;
    }
    while (plain < n && !must_escape[(unsigned char)s[plain]])
        plain++;
    if (plain == n) {
        char *room = buf_room(b, n + 2);
        if (room != NULL) {
            room[0] = '"';
            memcpy(room + 1, s, n);
            room[n + 1] = '"';
            buf_commit(b, n + 2);
        }
        return;
    }
    buf_append(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        /* skip 8 plain bytes at a time */
        while (n - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (word_needs_escape(x))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char ch = (unsigned char)s[i];
        if (!must_escape[ch])
            continue;
        buf_append(b, s + run, i - run);
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (ch) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[ch >> 4];
            esc[5] = hex[ch & 15];
            len = 6;
        }
        buf_append(b, esc, len);
        run = i + 1;
    }
    buf_append(b, s + run, n - run);
    buf_append(b, "\"", 1);
}

void jw_key(jw_t *w, const char *key)
{
    separate(w);
    /* keys are the code's own ASCII names: written in one piece unless one needs escaping */
    size_t n = strlen(key);
    char tmp[64];
    bool plain = n + 3 <= sizeof tmp;
    for (size_t i = 0; plain && i < n; i++)
        plain = !must_escape[(unsigned char)key[i]];
    if (plain) {
        tmp[0] = '"';
        memcpy(tmp + 1, key, n);
        tmp[n + 1] = '"';
        tmp[n + 2] = ':';
        buf_append(w->b, tmp, n + 3);
    } else {
        escaped(w->b, key, n);
        buf_append(w->b, ":", 1);
    }
    w->after_key = true;
}

void jw_strn(jw_t *w, const char *s, size_t n)
{
    separate(w);
    escaped(w->b, s, n);
}

void jw_str(jw_t *w, const char *s)
{
    if (s == NULL)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(jw_t *w, int64_t v)
{
    separate(w);
    char tmp[24];
    size_t k = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        tmp[--k] = '-';
    buf_append(w->b, tmp + k, sizeof tmp - k);
}

void jw_bool(jw_t *w, bool v)
{
    separate(w);
    buf_puts(w->b, v ? "true" : "false");
}

void jw_null(jw_t *w)
{
    separate(w);
    buf_puts(w->b, "null");
}

void jw_raw(jw_t *w, const char *json)
{
    separate(w);
    buf_puts(w->b, json);
}

void jw_kstr(jw_t *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kint(jw_t *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(jw_t *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_kid(jw_t *w, const char *key, int64_t id)
{
    jw_key(w, key);
    if (id != 0)
        jw_int(w, id);
    else
        jw_null(w);
}

void jw_csv_array(jw_t *w, const char *list)
{
    jw_array(w);
    const char *p = list;
    while (p != NULL && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n > 0)
            jw_strn(w, p, n);
        p = comma ? comma + 1 : NULL;
    }
    jw_end(w);
}

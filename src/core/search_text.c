/* The search tokenizer (core/search_text.h). */
#include "core/search_text.h"

#include <string.h>

#include "core/buf.h"
#include "core/cells.h"

/* The code point at s (at most len bytes) and its length in *n; -1 with *n = 1 for a byte that
 * does not start a valid sequence. */
static long decode(const unsigned char *s, size_t len, size_t *n)
{
    *n = 1;
    if (s[0] < 0x80)
        return s[0];
    int more = s[0] >= 0xF0 && s[0] <= 0xF4 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC2 && s[0] < 0xE0 ? 1 : -1;
    if (more < 0 || (size_t)more >= len)
        return -1;
    long cp = s[0] & (0x3F >> more);
    for (int i = 1; i <= more; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *n = (size_t)more + 1;
    return cp;
}

/* Han ideographs (unified, extension A and B–F, compatibility), kana and Hangul syllables. */
static bool cjk(long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

typedef struct token_list {
    arena_t *a;
    search_tokens_t out;
    int cap;
} token_list_t;

static void add(token_list_t *l, const char *term, size_t term_len, size_t start, size_t end)
{
    if (l->out.n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        search_token_t *items = arena_alloc(l->a, sizeof *items * (size_t)cap);
        if (l->out.n > 0)
            memcpy(items, l->out.items, sizeof *items * (size_t)l->out.n);
        l->out.items = items;
        l->cap = cap;
    }
    l->out.items[l->out.n++] = (search_token_t){arena_strndup(l->a, term, term_len), start, end};
}

search_tokens_t search_tokenize(arena_t *a, const char *text, size_t len)
{
    token_list_t l = {.a = a};
    const unsigned char *s = (const unsigned char *)text;
    char word[SEARCH_TERM_MAX];
    size_t word_len = 0, word_start = 0, word_end = 0;
    /* the CJK run: the previous character's bytes and where it starts; run its length so far */
    size_t prev_start = 0, prev_len = 0;
    int run = 0;
    size_t i = 0;
    while (i <= len) {
        size_t n = 1;
        long cp = -1;
        char ascii = 0;
        bool end = i == len;
        if (!end) {
            size_t folded = s[i] >= 0x80 ? cell_fold_char(text + i, &ascii) : 0;
            if (folded > 0 && i + folded <= len) {
                n = folded;
                cp = (unsigned char)ascii;
            } else {
                cp = decode(s + i, len - i, &n);
            }
        }
        bool alnum = cp >= 0 && cp < 0x80 && ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                                             (cp >= 'A' && cp <= 'Z'));
        bool han = !end && cjk(cp);
        if (!alnum && word_len > 0) {
            add(&l, word, word_len, word_start, word_end);
            word_len = 0;
        }
        if (!han && run > 0) {
            if (run == 1)
                add(&l, text + prev_start, prev_len, prev_start, prev_start + prev_len);
            run = 0;
        }
        if (end)
            break;
        if (alnum) {
            if (word_len == 0)
                word_start = i;
            if (word_len < sizeof word)
                word[word_len++] = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
            word_end = i + n;
        } else if (han) {
            if (run > 0) {
                char pair[8];
                memcpy(pair, text + prev_start, prev_len);
                memcpy(pair + prev_len, text + i, n);
                add(&l, pair, prev_len + n, prev_start, i + n);
            }
            prev_start = i;
            prev_len = n;
            run++;
        }
        i += n;
    }
    return l.out;
}

const char **search_query_terms(arena_t *a, const char *text, int max, int *n)
{
    search_tokens_t t = search_tokenize(a, text, strlen(text));
    const char **terms = arena_alloc(a, sizeof *terms * (size_t)(max > 0 ? max : 1));
    *n = 0;
    for (int i = 0; i < t.n && *n < max; i++) {
        bool seen = false;
        for (int j = 0; j < *n && !seen; j++)
            seen = strcmp(terms[j], t.items[i].term) == 0;
        if (!seen)
            terms[(*n)++] = t.items[i].term;
    }
    return terms;
}

char *search_query_normalised(arena_t *a, const char *text)
{
    search_tokens_t t = search_tokenize(a, text, strlen(text));
    buf_t b;
    buf_init(&b, 1u << 16);
    for (int i = 0; i < t.n; i++) {
        if (i > 0 && t.items[i].start < t.items[i - 1].end) {   /* the next bigram of a CJK run: its new character */
            buf_append(&b, text + t.items[i - 1].end, t.items[i].end - t.items[i - 1].end);
            continue;
        }
        if (i > 0)
            buf_append(&b, " ", 1);
        buf_puts(&b, t.items[i].term);
    }
    char *out = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return out;
}

static bool is_query_term(const char *term, const char *const *terms, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(term, terms[i]) == 0)
            return true;
    return false;
}

/* The start of the character before p (never before text). */
static size_t back_one(const char *text, size_t p)
{
    if (p == 0)
        return 0;
    p--;
    while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80)
        p--;
    return p;
}

static size_t forward_one(const char *text, size_t len, size_t p)
{
    if (p >= len)
        return len;
    p++;
    while (p < len && ((unsigned char)text[p] & 0xC0) == 0x80)
        p++;
    return p;
}

static void put_escaped(buf_t *b, const char *s, size_t len, bool *space)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
            *space = true;
            continue;
        }
        if (ch == '*' || ch == '#' || ch == '`')   /* Markdown's emphasis, headings, code: not shown */
            continue;
        if (*space) {
            buf_append(b, " ", 1);
            *space = false;
        }
        switch (ch) {
        case '&': buf_append(b, "&amp;", 5); break;
        case '<': buf_append(b, "&lt;", 4); break;
        case '>': buf_append(b, "&gt;", 4); break;
        case '"': buf_append(b, "&quot;", 6); break;
        case '\'': buf_append(b, "&#39;", 5); break;
        default: buf_append(b, &ch, 1);
        }
    }
}

char *search_snippet(arena_t *a, const char *text, const char *const *terms, int n, int max_chars)
{
    size_t len = strlen(text);
    search_tokens_t t = search_tokenize(a, text, len);
    int first = -1;
    for (int i = 0; i < t.n && first < 0; i++)
        if (is_query_term(t.items[i].term, terms, n))
            first = i;
    if (first < 0 && max_chars > 0)
        return NULL;
    if (first < 0 || max_chars <= 0) {   /* the whole text */
        first = first < 0 ? t.n : first;
        max_chars = 0;
    }
    /* the window: a fifth of it before the first match, the rest after */
    size_t from = 0, to = len;
    if (max_chars > 0) {
        from = to = t.items[first].start;
        for (int i = 0; i < max_chars / 5 && from > 0; i++)
            from = back_one(text, from);
        for (int i = 0; i < max_chars - max_chars / 5 && to < len; i++)
            to = forward_one(text, len, to);
    }
    buf_t b;
    buf_init(&b, 1u << 16);
    bool space = false;
    if (from > 0)
        buf_append(&b, "…", strlen("…"));
    size_t at = from;
    for (int i = first; i < t.n; i++) {
        if (!is_query_term(t.items[i].term, terms, n) || t.items[i].start >= to)
            continue;
        size_t s = t.items[i].start < at ? at : t.items[i].start, e = t.items[i].end > to ? to : t.items[i].end;
        /* merge the marks that overlap or touch this one */
        while (i + 1 < t.n && t.items[i + 1].start <= e && is_query_term(t.items[i + 1].term, terms, n)) {
            i++;
            if (t.items[i].end > e)
                e = t.items[i].end > to ? to : t.items[i].end;
        }
        if (e <= s)
            continue;
        put_escaped(&b, text + at, s - at, &space);
        if (space) {
            buf_append(&b, " ", 1);
            space = false;
        }
        buf_append(&b, "<mark>", 6);
        put_escaped(&b, text + s, e - s, &space);
        buf_append(&b, "</mark>", 7);
        at = e;
    }
    put_escaped(&b, text + at, to - at, &space);
    if (to < len)
        buf_append(&b, "…", strlen("…"));
    char *out = arena_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return out;
}

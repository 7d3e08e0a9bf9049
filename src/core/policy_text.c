/* A policy's text for the checker: NFKC per code point with a map back to the original, and the
 * pieces (sentences, list items) with their lead-ins (core/policy_text.h). */
#include "core/policy_text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"

static bool is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x00A0 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Chinese text: ideographs, CJK punctuation, full-width forms, enclosed numbers. */
static bool is_cjk(int32_t cp)
{
    return (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* A line shorter than this (code points) that ends without punctuation is a heading, not a line
 * the page wrapped: its break stays ("申报条件" above "申报企业须…" is not one sentence). A wrapped
 * line of a PDF or a hard-wrapped text file is longer (about 38 Chinese characters across A4, 18
 * in a column of two); a heading without a list marker is rarely longer. */
enum { WRAPPED_LINE_MIN = 16 };

/* A sentence or lead-in ends here: a line break after it is a real one. */
static bool ends_sentence(int32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == 0xFF1A || cp == '!' || cp == '?' ||
           cp == ';' || cp == ':';
}

/* Enumerators are kept as they are: NFKC would turn ① into a bare 1 glued to the item's text. */
static bool keep_as_is(int32_t cp)
{
    return (cp >= 0x2460 && cp <= 0x2473) || (cp >= 0x2776 && cp <= 0x2793);
}

typedef struct builder {
    buf_t out;
    uint32_t *map;
    size_t cap;
} builder_t;

static bool emit(builder_t *b, const void *bytes, size_t n, uint32_t cp_index)
{
    if (b->out.len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->out.len + n + 1)
            cap *= 2;
        uint32_t *map = realloc(b->map, cap * sizeof *map);
        if (map == NULL)
            return false;
        b->map = map;
        b->cap = cap;
    }
    for (size_t i = 0; i < n; i++)
        b->map[b->out.len + i] = cp_index;
    return buf_append(&b->out, bytes, n);
}

/* One code point, NFKC-normalised on its own. */
static bool emit_normalised(builder_t *b, const char *bytes, size_t n, int32_t cp, uint32_t cp_index)
{
    if (cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF) || keep_as_is(cp))   /* NFKC leaves these alone */
        return emit(b, bytes, n, cp_index);
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)bytes, (utf8proc_ssize_t)n, &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    bool ok;
    if (m < 0)
        ok = emit(b, bytes, n, cp_index);   /* not expected for valid UTF-8: keep it as it was */
    else
        ok = emit(b, mapped, (size_t)m, cp_index);
    free(mapped);
    return ok;
}

void policy_text_free(policy_text_t *t)
{
    free(t->norm);
    free(t->map);
    free(t->cp_byte);
    memset(t, 0, sizeof *t);
}

bool policy_text_normalise(policy_text_t *t, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    int32_t *cps = malloc((len + 1) * sizeof *cps);
    t->cp_byte = malloc((len + 1) * sizeof *t->cp_byte);
    builder_t b = {0};
    buf_init(&b.out, (size_t)-1);
    if (cps == NULL || t->cp_byte == NULL)
        goto fail;
    size_t ncp = 0;
    for (size_t at = 0; at < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + at, (utf8proc_ssize_t)(len - at), &cp);
        if (n <= 0) {       /* invalid: the caller promised valid UTF-8; take the byte as it is */
            cp = (unsigned char)text[at];
            n = 1;
        }
        cps[ncp] = cp;
        t->cp_byte[ncp++] = at;
        at += (size_t)n;
    }
    t->cp_byte[ncp] = len;
    t->ncp = ncp;

    int32_t prev = 0;    /* the last code point kept (original), 0 at the start */
    size_t line_start = 0;   /* where the current line of the original begins (a code point) */
    for (size_t k = 0; k < ncp;) {
        int32_t cp = cps[k];
        if (!is_space(cp)) {
            if (!emit_normalised(&b, text + t->cp_byte[k], t->cp_byte[k + 1] - t->cp_byte[k], cp, (uint32_t)k))
                goto fail;
            prev = cp;
            k++;
            continue;
        }
        size_t j = k;
        int lines = 0;
        for (; j < ncp && is_space(cps[j]); j++)
            if (cps[j] == '\n' || (cps[j] == '\r' && (j + 1 >= ncp || cps[j + 1] != '\n')))
                lines++;
        int32_t next = j < ncp ? cps[j] : 0;
        const char *out = NULL;
        if (prev == 0 || next == 0) {
            out = NULL;                               /* leading and trailing white space */
        } else if (lines >= 2) {
            out = "\n\n";                             /* a paragraph break */
        } else if (lines == 1) {
            int kind;
            if (ends_sentence(prev) || policy_text_marker(text + t->cp_byte[j], len - t->cp_byte[j], &kind) > 0 ||
                k - line_start < WRAPPED_LINE_MIN)
                out = "\n";                           /* a real line break: after a sentence or a heading, before an item */
            else if (is_cjk(prev) || is_cjk(next))
                out = NULL;                           /* a line wrapped mid-sentence */
            else
                out = " ";
        } else {
            out = is_cjk(prev) && is_cjk(next) ? NULL : " ";
        }
        if (out != NULL && !emit(&b, out, strlen(out), (uint32_t)k))
            goto fail;
        if (lines > 0)
            line_start = j;
        k = j;
    }
    if (!emit(&b, "", 0, (uint32_t)ncp))
        goto fail;
    b.map[b.out.len] = (uint32_t)ncp;
    t->norm_len = b.out.len;
    if (b.out.len == 0 && !buf_append(&b.out, "", 0))
        goto fail;
    t->norm = buf_take(&b.out);
    if (t->norm == NULL) {
        t->norm = calloc(1, 1);
        if (t->norm == NULL)
            goto fail;
    }
    t->map = b.map;
    free(cps);
    return true;
fail:
    free(cps);
    free(b.map);
    buf_free(&b.out);
    policy_text_free(t);
    return false;
}

void policy_text_span(const policy_text_t *t, size_t start, size_t end, size_t *cp_start, size_t *cp_end)
{
    *cp_start = t->map[start];
    *cp_end = end > start ? t->map[end - 1] + 1 : *cp_start;
}

/* ---- list markers ---- */

static size_t utf8_at(const char *s, size_t len, int32_t *cp)
{
    if (len == 0)
        return 0;
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (n <= 0)
        return 0;
    *cp = c;
    return (size_t)n;
}

static bool is_cjk_numeral(int32_t cp)
{
    return cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E09 || cp == 0x56DB || cp == 0x4E94 || cp == 0x516D ||
           cp == 0x4E03 || cp == 0x516B || cp == 0x4E5D || cp == 0x5341;   /* 一二三四五六七八九十 */
}

static bool is_digit(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* A run of at most max code points satisfying is(); its byte length (0: none). */
static size_t run_of(const char *s, size_t len, bool (*is)(int32_t), int max)
{
    size_t at = 0;
    int count = 0;
    int32_t cp;
    size_t n;
    while (count < max && (n = utf8_at(s + at, len - at, &cp)) > 0 && is(cp)) {
        at += n;
        count++;
    }
    /* one more of the same kind: too long to be a marker */
    if (count == max && (n = utf8_at(s + at, len - at, &cp)) > 0 && is(cp))
        return 0;
    return at;
}

static bool is_numeral_or_digit(int32_t cp)
{
    return is_cjk_numeral(cp) || is_digit(cp) || cp == 0x767E || cp == 0x96F6;   /* 百 零 */
}

static size_t skip_blanks(const char *s, size_t len, size_t at)
{
    int32_t cp;
    size_t n;
    while ((n = utf8_at(s + at, len - at, &cp)) > 0 && (cp == ' ' || cp == '\t' || cp == 0x3000))
        at += n;
    return at;
}

size_t policy_text_marker(const char *s, size_t len, int *kind)
{
    *kind = POLICY_MARK_NONE;
    int32_t cp, c2;
    size_t n = utf8_at(s, len, &cp);
    if (n == 0)
        return 0;
    size_t at = 0;
    int k = POLICY_MARK_NONE;
    if (cp == 0x7B2C) {                                       /* 第…条 / 第…章 / 第…节 */
        size_t r = run_of(s + n, len - n, is_numeral_or_digit, 5);
        size_t m = r ? utf8_at(s + n + r, len - n - r, &c2) : 0;
        if (m && (c2 == 0x6761 || c2 == 0x7AE0 || c2 == 0x8282)) {
            at = n + r + m;
            k = POLICY_MARK_ARTICLE;
        }
    } else if (cp == '(' || cp == 0xFF08) {                   /* (一) (1) */
        size_t r = run_of(s + n, len - n, is_cjk_numeral, 3);
        int kk = POLICY_MARK_CJK_PAREN;
        if (r == 0) {
            r = run_of(s + n, len - n, is_digit, 2);
            kk = POLICY_MARK_DIGIT_PAREN;
        }
        size_t m = r ? utf8_at(s + n + r, len - n - r, &c2) : 0;
        if (m && (c2 == ')' || c2 == 0xFF09)) {
            at = n + r + m;
            k = kk;
        }
    } else if (cp >= 0x2474 && cp <= 0x2487) {                /* ⑴ */
        at = n;
        k = POLICY_MARK_DIGIT_PAREN;
    } else if (cp >= 0x2488 && cp <= 0x249B) {                /* ⒈ */
        at = n;
        k = POLICY_MARK_DIGIT;
    } else if (keep_as_is(cp)) {                              /* ① ❶ ➀ */
        at = n;
        k = POLICY_MARK_CIRCLED;
    } else if (cp == 0x5176) {                                /* 其一 */
        size_t m = utf8_at(s + n, len - n, &c2);
        if (m && is_cjk_numeral(c2)) {
            at = n + m;
            k = POLICY_MARK_INLINE;
            int32_t c3;
            size_t p = utf8_at(s + at, len - at, &c3);
            if (p && (c3 == ',' || c3 == 0xFF0C || c3 == ':' || c3 == 0xFF1A || c3 == 0x3001))
                at += p;
        }
    } else if (is_cjk_numeral(cp)) {                          /* 一、 一是 */
        size_t r = run_of(s, len, is_cjk_numeral, 3);
        size_t m = r ? utf8_at(s + r, len - r, &c2) : 0;
        if (m && c2 == 0x3001) {
            at = r + m;
            k = POLICY_MARK_CJK_COMMA;
        } else if (m && c2 == 0x662F) {
            at = r + m;
            k = POLICY_MARK_INLINE;
        }
    } else if (is_digit(cp)) {                                /* 1. 1、 1) */
        size_t r = run_of(s, len, is_digit, 2);
        size_t m = r ? utf8_at(s + r, len - r, &c2) : 0;
        if (m && (c2 == 0x3001 || c2 == ')' || c2 == 0xFF09 || c2 == 0xFF0E)) {
            at = r + m;
            k = POLICY_MARK_DIGIT;
        } else if (m && c2 == '.') {
            int32_t c3;
            size_t p = utf8_at(s + r + m, len - r - m, &c3);
            if (p == 0 || !is_digit(c3)) {                    /* 1.5倍 is a number */
                at = r + m;
                k = POLICY_MARK_DIGIT;
            }
        }
    }
    if (k == POLICY_MARK_NONE)
        return 0;
    *kind = k;
    return skip_blanks(s, len, at);
}

/* ---- pieces ---- */

typedef struct raw_piece {
    size_t start, end;
    int mark;
    bool soft;          /* ended by ; , : or a single line break: a list may go on */
    bool colon;         /* ended by : before a list */
} raw_piece_t;

static bool starts_with(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static bool first_inline(const char *s, size_t len)
{
    return starts_with(s, len, "一是") || starts_with(s, len, "其一");
}

long policy_text_pieces(const policy_text_t *t, policy_piece_t **pieces)
{
    *pieces = NULL;
    const char *s = t->norm;
    size_t len = t->norm_len;
    size_t cap = 16, count = 0;
    raw_piece_t *raw = malloc(cap * sizeof *raw);
    if (raw == NULL)
        return -1;
    size_t begin = 0;
    for (size_t at = 0; at <= len;) {
        size_t cut = 0, next = 0;     /* the piece ends before cut; the next one starts at next */
        bool soft = false, colon = false, end = at == len;
        if (end) {
            cut = next = len;
        } else if (starts_with(s + at, len - at, "。")) {
            cut = next = at + 3;
        } else if (s[at] == '!' || s[at] == '?') {
            cut = next = at + 1;
        } else if (s[at] == ';') {
            cut = next = at + 1;
            soft = true;
        } else if (s[at] == '\n') {
            soft = !(at + 1 < len && s[at + 1] == '\n');
            cut = at;
            next = at + (soft ? 1 : 2);
        } else if (s[at] == ':' || s[at] == ',' || starts_with(s + at, len - at, "、")) {
            size_t after = at + (s[at] == ':' || s[at] == ',' ? 1 : 3);
            size_t q = skip_blanks(s, len, after);
            int kind;
            size_t mark = policy_text_marker(s + q, len - q, &kind);
            if (s[at] == ':' && (q == len || s[q] == '\n' || mark > 0)) {
                cut = next = after;
                soft = colon = true;
            } else if (kind == POLICY_MARK_INLINE) {
                cut = next = after;
                soft = true;
                colon = s[at] == ':';
            }
        }
        if (cut == 0 && next == 0) {
            at++;
            continue;
        }
        /* trim: white space and a list marker at the start, white space at the end */
        size_t a = begin, z = cut;
        while (a < z && (s[a] == ' ' || s[a] == '\n'))
            a++;
        int kind = POLICY_MARK_NONE;
        a += policy_text_marker(s + a, z - a, &kind);
        while (a < z && (s[a] == ' ' || s[a] == '\n'))
            a++;
        while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\n'))
            z--;
        if (z > a) {
            if (count == cap) {
                cap *= 2;
                raw_piece_t *r = realloc(raw, cap * sizeof *raw);
                if (r == NULL) {
                    free(raw);
                    return -1;
                }
                raw = r;
            }
            raw[count++] = (raw_piece_t){.start = a, .end = z, .mark = kind, .soft = soft, .colon = colon};
        } else if (count > 0 && !soft) {
            raw[count - 1].soft = false;      /* an empty piece after a hard end keeps it hard */
        }
        begin = next;
        at = next > at ? next : at + 1;
        if (end)
            break;
    }

    policy_piece_t *out = malloc((count ? count : 1) * sizeof *out);
    if (out == NULL) {
        free(raw);
        return -1;
    }
    struct level {
        int piece;
        int kind;       /* the marker of its items, 0 until the first one */
    } stack[POLICY_LEAD_IN_DEPTH];
    int depth = 0;
    bool prev_soft = false;
    for (size_t i = 0; i < count; i++) {
        raw_piece_t *r = &raw[i];
        if (r->mark != POLICY_MARK_NONE && r->mark != POLICY_MARK_ARTICLE) {
            while (depth > 0 && stack[depth - 1].kind != 0 && stack[depth - 1].kind != r->mark)
                depth--;
            if (depth > 0 && stack[depth - 1].kind == 0)
                stack[depth - 1].kind = r->mark;
        } else if (r->mark == POLICY_MARK_ARTICLE || !prev_soft) {
            depth = 0;                 /* a new article, or a plain sentence after a full stop */
        }
        policy_piece_t *p = &out[i];
        p->start = r->start;
        p->end = r->end;
        p->nlead = depth;
        for (int d = 0; d < depth; d++)
            p->lead_in[d] = stack[d].piece;
        /* a lead-in: ends with : before a list, or introduces 一是/其一 */
        bool introduces = false;
        if (i + 1 < count && raw[i + 1].mark == POLICY_MARK_INLINE) {
            /* the marker was trimmed: look at the text before the next piece's start */
            size_t q = r->end;
            while (q < raw[i + 1].start && (s[q] == ' ' || s[q] == '\n' || s[q] == ',' || s[q] == ':' ||
                                            s[q] == ';'))
                q++;
            introduces = first_inline(s + q, len - q);
        }
        p->is_lead_in = r->colon || introduces;
        if (p->is_lead_in) {
            if (depth == POLICY_LEAD_IN_DEPTH) {
                memmove(stack, stack + 1, (POLICY_LEAD_IN_DEPTH - 1) * sizeof stack[0]);
                depth--;
            }
            stack[depth++] = (struct level){.piece = (int)i, .kind = 0};
        }
        prev_soft = r->soft;
    }
    free(raw);
    *pieces = out;
    return (long)count;
}

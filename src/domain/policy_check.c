/* The fair-policy checker (domain/policy_check.h; the method and the rule format in
 * docs/policies.md "Rules and the checker"). A rule set document is compiled once into PCRE2
 * codes (UTF + UCP, JIT where available); a check normalises the text (core/policy_text.h),
 * cuts it into pieces, and tries every rule's patterns over each piece together with the
 * lead-ins that govern it. A pattern's match is a finding unless a negation governs it (before
 * its anchor in the same clause, or in a lead-in), a post-negation follows it (…的规定予以废止),
 * its `unless` or one of the rule's `exclude` matches the piece, or its `requires` does not.
 * A rule's `trigger` (optional) is what every match of its patterns contains: a piece without it
 * is skipped at the cost of one scan, which keeps a long policy fast.
 * The compiled set is read-only; every check makes its own match data. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "domain/policy_check.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/policy_text.h"

enum {
    RULES_MAX = 100,
    PATTERNS_MAX = 200,
    PATTERN_MAX_BYTES = 4000,
    NEGATION_LOOKBACK = 40,     /* a negation governs a mention at most this many characters after it */
    POST_NEGATION_LOOKAHEAD = 80,
    LEAD_IN_MAX_BYTES = 360,    /* a lead-in's last 120 or so characters govern its items */
    MATCH_LIMIT = 200000,
};

typedef struct pattern {
    pcre2_code *match, *requires, *unless;
    const char *severity;       /* NULL: the rule's */
} pattern_t;

typedef struct rule {
    char *code, *severity, *explanation_zh, *explanation_en;
    pattern_t *patterns;
    size_t npatterns;
    pcre2_code **exclude;
    size_t nexclude;
    pcre2_code *trigger;        /* NULL: every piece is tried */
} rule_t;

struct policy_ruleset {
    rule_t *rules;
    size_t nrules;
    pcre2_code *negation, *post_negation;   /* post_negation may be NULL (none listed) */
    pcre2_match_context *mctx;
};

/* ---- compiling ---- */

typedef struct compiler {
    const json_t *terms;
    char *err, *field;
    size_t errlen, fieldlen;
} compiler_t;

static void fail(compiler_t *k, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(compiler_t *k, const char *field, const char *fmt, ...)
{
    if (k->field && k->fieldlen)
        snprintf(k->field, k->fieldlen, "%s", field);
    if (k->err && k->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(k->err, k->errlen, fmt, ap);
        va_end(ap);
    }
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Replaces {name} by terms[name] (names: a-z and _); other braces are the regex's own. */
static bool expand_terms(compiler_t *k, const char *src, buf_t *out)
{
    for (const char *p = src; *p;) {
        if (*p == '{') {
            const char *q = p + 1;
            while ((*q >= 'a' && *q <= 'z') || *q == '_')
                q++;
            if (*q == '}' && q > p + 1) {
                char name[64];
                size_t n = (size_t)(q - p - 1);
                if (n < sizeof name) {
                    memcpy(name, p + 1, n);
                    name[n] = '\0';
                    const char *term = json_string_value(json_object_get(k->terms, name));
                    if (term != NULL) {
                        if (!buf_puts(out, "(?:") || !buf_puts(out, term) || !buf_puts(out, ")"))
                            return false;
                        p = q + 1;
                        continue;
                    }
                }
            }
        }
        if (!buf_append(out, p, 1))
            return false;
        p++;
    }
    return buf_append(out, "", 0);
}

static pcre2_code *compile_regex(compiler_t *k, const char *field, const char *src)
{
    if (src == NULL || src[0] == '\0') {
        fail(k, field, "%s: an empty pattern", field);
        return NULL;
    }
    if (strlen(src) > PATTERN_MAX_BYTES) {
        fail(k, field, "%s: longer than %d bytes", field, PATTERN_MAX_BYTES);
        return NULL;
    }
    buf_t expanded;
    buf_init(&expanded, 1u << 20);
    if (!expand_terms(k, src, &expanded)) {
        buf_free(&expanded);
        fail(k, field, "%s: too long once its terms are expanded", field);
        return NULL;
    }
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)expanded.data, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_DUPNAMES, &code, &offset, NULL);
    buf_free(&expanded);
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        fail(k, field, "%s: %s (at byte %zu of the expanded pattern)", field, (const char *)msg, (size_t)offset);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* without JIT (some platforms) the interpreter runs it */
    return re;
}

/* The alternation of a list of regex fragments, each checked on its own first. */
static pcre2_code *compile_list(compiler_t *k, const char *name, const json_t *list, bool required)
{
    if (list == NULL && !required)
        return NULL;
    if (!json_is_array(list) || (required && json_array_size(list) == 0) || json_array_size(list) > PATTERNS_MAX) {
        fail(k, name, "%s: must be an array of 1 to %d patterns", name, PATTERNS_MAX);
        return NULL;
    }
    if (json_array_size(list) == 0)
        return NULL;
    buf_t all;
    buf_init(&all, 1u << 20);
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        char field[96];
        snprintf(field, sizeof field, "%s[%zu]", name, i);
        pcre2_code *one = compile_regex(k, field, json_string_value(item));
        if (one == NULL) {
            buf_free(&all);
            return NULL;
        }
        pcre2_code_free(one);
        buf_puts(&all, i ? "|(?:" : "(?:");
        buf_puts(&all, json_string_value(item));
        buf_puts(&all, ")");
    }
    buf_append(&all, "", 0);
    pcre2_code *re = compile_regex(k, name, all.data);
    buf_free(&all);
    return re;
}

static const char *text_member(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static bool severity_valid(const char *s)
{
    return s != NULL && (strcmp(s, "high") == 0 || strcmp(s, "medium") == 0 || strcmp(s, "low") == 0);
}

static bool code_valid(const char *s)
{
    if (s == NULL || !(s[0] >= 'A' && s[0] <= 'Z'))
        return false;
    size_t n = 1;
    for (; s[n]; n++)
        if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return false;
    return n <= 16;
}

/* A {"zh","en"} object with both texts; false after failing on the missing one. */
static bool bilingual(compiler_t *k, const json_t *r, const char *prefix, const char *member, const char **zh,
                      const char **en)
{
    const json_t *o = json_object_get(r, member);
    *zh = text_member(o, "zh");
    *en = text_member(o, "en");
    char field[96];
    if (*zh == NULL || *en == NULL) {
        snprintf(field, sizeof field, "%s.%s.%s", prefix, member, *zh == NULL ? "zh" : "en");
        fail(k, field, "%s: required, a non-empty text", field);
        return false;
    }
    return true;
}

static bool compile_rule(compiler_t *k, policy_ruleset_t *rs, size_t index, const json_t *r)
{
    char prefix[32], field[96];
    snprintf(prefix, sizeof prefix, "rules[%zu]", index);
    rule_t *rule = &rs->rules[index];
    if (!json_is_object(r)) {
        fail(k, prefix, "%s: must be an object", prefix);
        return false;
    }
    const char *code = text_member(r, "code");
    snprintf(field, sizeof field, "%s.code", prefix);
    if (!code_valid(code)) {
        fail(k, field, "%s: 1 to 16 capital letters, digits or _, starting with a letter (R1)", field);
        return false;
    }
    for (size_t j = 0; j < index; j++)
        if (strcmp(rs->rules[j].code, code) == 0) {
            fail(k, field, "%s: %s is already the code of rules[%zu]", field, code, j);
            return false;
        }
    const char *severity = text_member(r, "severity");
    snprintf(field, sizeof field, "%s.severity", prefix);
    if (!severity_valid(severity)) {
        fail(k, field, "%s: one of high, medium, low", field);
        return false;
    }
    const char *zh, *en, *ezh, *een;
    if (!bilingual(k, r, prefix, "title", &zh, &en) || !bilingual(k, r, prefix, "explanation", &ezh, &een))
        return false;
    snprintf(field, sizeof field, "%s.notice_point", prefix);
    if (text_member(r, "notice_point") == NULL) {
        fail(k, field, "%s: required, the notice's point the rule comes from (三)", field);
        return false;
    }
    rule->code = dup_text(code);
    rule->severity = dup_text(severity);
    rule->explanation_zh = dup_text(ezh);
    rule->explanation_en = dup_text(een);
    const json_t *patterns = json_object_get(r, "patterns");
    snprintf(field, sizeof field, "%s.patterns", prefix);
    if (!json_is_array(patterns) || json_array_size(patterns) == 0 || json_array_size(patterns) > PATTERNS_MAX) {
        fail(k, field, "%s: must be an array of 1 to %d patterns", field, PATTERNS_MAX);
        return false;
    }
    rule->patterns = calloc(json_array_size(patterns), sizeof *rule->patterns);
    if (rule->code == NULL || rule->severity == NULL || rule->explanation_zh == NULL || rule->explanation_en == NULL ||
        rule->patterns == NULL) {
        fail(k, prefix, "out of memory");
        return false;
    }
    size_t j;
    const json_t *p;
    json_array_foreach(patterns, j, p) {
        pattern_t *pat = &rule->patterns[rule->npatterns];
        char pf[64];
        snprintf(pf, sizeof pf, "%s.patterns[%zu]", prefix, j);
        if (!json_is_object(p)) {
            fail(k, pf, "%s: must be an object with match", pf);
            return false;
        }
        snprintf(field, sizeof field, "%s.match", pf);
        pat->match = compile_regex(k, field, json_string_value(json_object_get(p, "match")));
        if (pat->match == NULL) {
            return false;
        }
        rule->npatterns++;
        static const char *const optional[] = {"requires", "unless"};
        for (int o = 0; o < 2; o++) {
            const json_t *v = json_object_get(p, optional[o]);
            if (v == NULL || json_is_null(v))
                continue;
            snprintf(field, sizeof field, "%s.%s", pf, optional[o]);
            pcre2_code *re = compile_regex(k, field, json_string_value(v));
            if (re == NULL)
                return false;
            *(o == 0 ? &pat->requires : &pat->unless) = re;
        }
        const json_t *sv = json_object_get(p, "severity");
        if (sv != NULL && !json_is_null(sv)) {
            snprintf(field, sizeof field, "%s.severity", pf);
            if (!severity_valid(json_string_value(sv))) {
                fail(k, field, "%s: one of high, medium, low", field);
                return false;
            }
            pat->severity = strcmp(json_string_value(sv), "high") == 0     ? "high"
                            : strcmp(json_string_value(sv), "medium") == 0 ? "medium"
                                                                          : "low";
        }
    }
    const json_t *trigger = json_object_get(r, "trigger");
    if (trigger != NULL && !json_is_null(trigger)) {
        snprintf(field, sizeof field, "%s.trigger", prefix);
        rule->trigger = compile_regex(k, field, json_string_value(trigger));
        if (rule->trigger == NULL)
            return false;
    }
    const json_t *exclude = json_object_get(r, "exclude");
    if (exclude != NULL && !json_is_null(exclude)) {
        snprintf(field, sizeof field, "%s.exclude", prefix);
        if (!json_is_array(exclude) || json_array_size(exclude) > PATTERNS_MAX) {
            fail(k, field, "%s: must be an array of at most %d patterns", field, PATTERNS_MAX);
            return false;
        }
        rule->exclude = calloc(json_array_size(exclude) + 1, sizeof *rule->exclude);
        if (rule->exclude == NULL)
            return false;
        const json_t *x;
        json_array_foreach(exclude, j, x) {
            snprintf(field, sizeof field, "%s.exclude[%zu]", prefix, j);
            pcre2_code *re = compile_regex(k, field, json_string_value(x));
            if (re == NULL)
                return false;
            rule->exclude[rule->nexclude++] = re;
        }
    }
    return true;
}

policy_ruleset_t *policy_ruleset_compile(const json_t *doc, char *err, size_t errlen, char *field, size_t fieldlen)
{
    compiler_t k = {.err = err, .errlen = errlen, .field = field, .fieldlen = fieldlen};
    if (err && errlen)
        err[0] = '\0';
    if (field && fieldlen)
        field[0] = '\0';
    if (!json_is_object(doc)) {
        fail(&k, "rules", "the rule set must be an object with rules");
        return NULL;
    }
    const json_t *terms = json_object_get(doc, "terms");
    if (terms != NULL && !json_is_null(terms)) {
        if (!json_is_object(terms)) {
            fail(&k, "terms", "terms: must be an object of named patterns");
            return NULL;
        }
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)terms, name, v) {
            char tf[96];
            snprintf(tf, sizeof tf, "terms.%s", name);
            bool name_ok = name[0] != '\0' && strlen(name) < 64;
            for (const char *c = name; *c; c++)
                name_ok = name_ok && ((*c >= 'a' && *c <= 'z') || *c == '_');
            if (!name_ok) {
                fail(&k, tf, "%s: a term's name is lower-case letters and _", tf);
                return NULL;
            }
            compiler_t plain = k;   /* a term is checked on its own, without expanding others */
            plain.terms = NULL;
            pcre2_code *re = compile_regex(&plain, tf, json_string_value(v));
            if (re == NULL)
                return NULL;
            pcre2_code_free(re);
        }
    }
    k.terms = terms;
    const json_t *rules = json_object_get(doc, "rules");
    if (!json_is_array(rules) || json_array_size(rules) == 0 || json_array_size(rules) > RULES_MAX) {
        fail(&k, "rules", "rules: must be an array of 1 to %d rules", RULES_MAX);
        return NULL;
    }
    policy_ruleset_t *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return NULL;
    rs->rules = calloc(json_array_size(rules), sizeof *rs->rules);
    rs->mctx = pcre2_match_context_create(NULL);
    if (rs->rules == NULL || rs->mctx == NULL) {
        policy_ruleset_free(rs);
        return NULL;
    }
    pcre2_set_match_limit(rs->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(rs->mctx, MATCH_LIMIT);
    rs->negation = compile_list(&k, "negations", json_object_get(doc, "negations"), true);
    if (rs->negation == NULL) {
        policy_ruleset_free(rs);
        return NULL;
    }
    const json_t *post = json_object_get(doc, "post_negations");
    if (post != NULL && !json_is_null(post)) {
        rs->post_negation = compile_list(&k, "post_negations", post, false);
        if (rs->post_negation == NULL && json_array_size(post) > 0) {
            policy_ruleset_free(rs);
            return NULL;
        }
    }
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r) {
        bool ok = compile_rule(&k, rs, i, r);
        rs->nrules = i + 1;
        if (!ok) {
            policy_ruleset_free(rs);
            return NULL;
        }
    }
    return rs;
}

void policy_ruleset_free(policy_ruleset_t *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; i < rs->nrules; i++) {
        rule_t *r = &rs->rules[i];
        for (size_t j = 0; j < r->npatterns; j++) {
            pcre2_code_free(r->patterns[j].match);
            pcre2_code_free(r->patterns[j].requires);
            pcre2_code_free(r->patterns[j].unless);
        }
        for (size_t j = 0; j < r->nexclude; j++)
            pcre2_code_free(r->exclude[j]);
        pcre2_code_free(r->trigger);
        free(r->patterns);
        free(r->exclude);
        free(r->code);
        free(r->severity);
        free(r->explanation_zh);
        free(r->explanation_en);
    }
    free(rs->rules);
    pcre2_code_free(rs->negation);
    pcre2_code_free(rs->post_negation);
    pcre2_match_context_free(rs->mctx);
    free(rs);
}

const char *policy_rule_explanation(const policy_ruleset_t *rs, const char *rule, const char *lang)
{
    if (rs == NULL || rule == NULL)
        return NULL;
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].code, rule) == 0)
            return lang != NULL && strcmp(lang, "en") == 0 ? rs->rules[i].explanation_en : rs->rules[i].explanation_zh;
    return NULL;
}

size_t policy_ruleset_count(const policy_ruleset_t *rs)
{
    return rs ? rs->nrules : 0;
}

/* ---- checking ---- */

typedef struct checker {
    const policy_ruleset_t *rs;
    pcre2_match_data *md;
    pcre2_match_context *mctx;   /* the set's limits with this check's own JIT stack */
    const char *s;          /* the piece with its lead-ins: lead-ins first, then the piece */
    size_t len;
    size_t item;            /* where the piece itself starts in s */
    int lead_negated;       /* does a lead-in hold a negation? -1 not yet known */
} checker_t;

/* Does re match s[from, to)? (to bounds the subject: a lookahead sees no further) */
static bool found(checker_t *c, const pcre2_code *re, size_t from, size_t to)
{
    if (re == NULL || from > to)
        return false;
    return pcre2_match(re, (PCRE2_SPTR)c->s, to, from, PCRE2_NO_UTF_CHECK, c->md, c->mctx) >= 0;
}

/* Byte offset n characters before at (not before floor). */
static size_t chars_back(const char *s, size_t at, size_t floor, int n)
{
    while (at > floor && n > 0) {
        at--;
        while (at > floor && ((unsigned char)s[at] & 0xC0) == 0x80)
            at--;
        n--;
    }
    return at;
}

static size_t chars_forward(const char *s, size_t at, size_t len, int n)
{
    while (at < len && n > 0) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
        n--;
    }
    return at;
}

/* The start of the clause holding at: after the last , : ; before it (、 lists within a clause),
 * looking back no further than floor. */
static size_t clause_start(const char *s, size_t at, size_t floor)
{
    while (at > floor) {
        char ch = s[at - 1];
        if (ch == ',' || ch == ':' || ch == ';')
            return at;
        at--;
    }
    return floor;
}

/* The anchor of a match: the earliest set group named "anchor", else the match's start. */
static size_t anchor_of(const pcre2_code *re, pcre2_match_data *md, int rc)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    size_t best = ov[0];
    PCRE2_SPTR first, last;
    uint32_t entry;
    int n = pcre2_substring_nametable_scan(re, (PCRE2_SPTR) "anchor", &first, &last);
    if (n < 0 || pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry) != 0)
        return best;
    bool set = false;
    for (PCRE2_SPTR e = first; e <= last; e += entry) {
        int g = (e[0] << 8) | e[1];
        if (g < rc && ov[2 * g] != PCRE2_UNSET && (!set || ov[2 * g] < best)) {
            best = ov[2 * g];
            set = true;
        }
    }
    return best;
}

/* Is the mention at anchor governed by a negation (before it in its clause, or in a lead-in), or
 * followed by a post-negation (…的规定予以废止)? */
static bool negated(checker_t *c, size_t anchor, size_t match_end)
{
    size_t floor = anchor >= c->item ? c->item : 0;
    size_t window = chars_back(c->s, anchor, floor, NEGATION_LOOKBACK);   /* bounded: no clause is scanned whole */
    size_t from = clause_start(c->s, anchor, window);
    if (found(c, c->rs->negation, from, anchor))
        return true;
    if (anchor >= c->item && c->item > 0) {   /* 不得有下列情形: covers its items */
        if (c->lead_negated < 0)
            c->lead_negated = found(c, c->rs->negation, 0, c->item);
        if (c->lead_negated)
            return true;
    }
    size_t to = chars_forward(c->s, match_end, c->len, POST_NEGATION_LOOKAHEAD);
    return found(c, c->rs->post_negation, match_end, to);
}

/* The severity of rule's first pattern that finds a violation in the piece, or NULL. */
static const char *rule_violated(checker_t *c, const rule_t *rule)
{
    if (rule->trigger != NULL && !found(c, rule->trigger, 0, c->len))
        return NULL;   /* none of the rule's patterns can match this piece */
    for (size_t j = 0; j < rule->npatterns; j++) {
        const pattern_t *p = &rule->patterns[j];
        size_t from = 0;
        while (from <= c->len) {
            int rc = pcre2_match(p->match, (PCRE2_SPTR)c->s, c->len, from, PCRE2_NO_UTF_CHECK, c->md, c->mctx);
            if (rc < 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
            size_t start = ov[0], end = ov[1];
            size_t anchor = rc > 0 ? anchor_of(p->match, c->md, rc) : start;
            bool counts = end > c->item && end > start && !negated(c, anchor, end);
            if (counts) {
                if (p->requires != NULL && !found(c, p->requires, 0, c->len))
                    break;
                if (found(c, p->unless, 0, c->len))
                    break;
                for (size_t x = 0; x < rule->nexclude; x++)
                    if (found(c, rule->exclude[x], 0, c->len))
                        return NULL;   /* the piece is excluded from the whole rule */
                return p->severity ? p->severity : rule->severity;
            }
            from = chars_forward(c->s, start, c->len, 1);
            if (from <= start)
                break;
        }
    }
    return NULL;
}

json_t *policy_check_text(const policy_ruleset_t *rs, const char *text, size_t len, const char *lang)
{
    json_t *answer = json_object();
    json_t *findings = json_array();
    if (answer == NULL || findings == NULL || json_object_set_new(answer, "findings", findings) != 0) {
        json_decref(answer);
        return NULL;
    }
    if (rs == NULL || len == 0)
        return answer;
    policy_text_t t;
    if (!policy_text_normalise(&t, text, len)) {
        json_decref(answer);
        return NULL;
    }
    policy_piece_t *pieces;
    long count = policy_text_pieces(&t, &pieces);
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    /* a JIT stack per check (the default 32 KiB on the machine stack could run out on a long
     * sentence, which would silently hide a finding) */
    pcre2_match_context *mctx = pcre2_match_context_copy(rs->mctx);
    pcre2_jit_stack *jit = pcre2_jit_stack_create(32u << 10, 1u << 20, NULL);
    if (mctx != NULL && jit != NULL)
        pcre2_jit_stack_assign(mctx, NULL, jit);
    buf_t joined;
    buf_init(&joined, (size_t)-1);
    bool ok = count >= 0 && md != NULL && mctx != NULL;
    bool en = lang != NULL && strcmp(lang, "en") == 0;
    for (long i = 0; ok && i < count; i++) {
        const policy_piece_t *p = &pieces[i];
        buf_reset(&joined);
        for (int d = 0; d < p->nlead; d++) {
            const policy_piece_t *l = &pieces[p->lead_in[d]];
            size_t from = l->end - l->start > LEAD_IN_MAX_BYTES ? l->end - LEAD_IN_MAX_BYTES : l->start;
            while (from < l->end && ((unsigned char)t.norm[from] & 0xC0) == 0x80)
                from++;   /* a character's first byte */
            ok = ok && buf_append(&joined, t.norm + from, l->end - from);
        }
        size_t item = joined.len;
        ok = ok && buf_append(&joined, t.norm + p->start, p->end - p->start) && buf_append(&joined, "", 0);
        if (!ok)
            break;
        checker_t c = {.rs = rs, .md = md, .mctx = mctx, .s = joined.data, .len = joined.len, .item = item, .lead_negated = -1};
        size_t cs = 0, ce = 0;
        for (size_t r = 0; r < rs->nrules; r++) {
            const char *severity = rule_violated(&c, &rs->rules[r]);
            if (severity == NULL)
                continue;
            if (ce == 0)
                policy_text_span(&t, p->start, p->end, &cs, &ce);
            const char *from = text + t.cp_byte[cs];
            json_t *f = json_pack("{s:s, s:s, s:I, s:I, s:s%, s:s}", "rule", rs->rules[r].code, "severity", severity,
                                  "start", (json_int_t)cs, "end", (json_int_t)ce, "excerpt", from,
                                  t.cp_byte[ce] - t.cp_byte[cs], "explanation",
                                  en ? rs->rules[r].explanation_en : rs->rules[r].explanation_zh);
            if (f == NULL || json_array_append_new(findings, f) != 0) {
                ok = false;
                break;
            }
        }
    }
    buf_free(&joined);
    pcre2_match_data_free(md);
    pcre2_match_context_free(mctx);
    pcre2_jit_stack_free(jit);
    free(pieces);
    policy_text_free(&t);
    if (!ok) {
        json_decref(answer);
        return NULL;
    }
    return answer;
}

/* Unified social credit codes (see uscc.h). */
#include "core/uscc.h"

#include <stdio.h>
#include <string.h>

#include "core/regions.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Registering departments (position 1) and their categories (position 2), GB 32100-2015. */
static const struct { char department; const char *categories; } departments[] = {
    {'1', "1239"}, {'2', "19"}, {'3', "1234569"}, {'4', "19"}, {'5', "1239"}, {'6', "129"},
    {'7', "129"},  {'8', "19"}, {'9', "123"},     {'A', "19"}, {'N', "1239"}, {'Y', "1"},
};


static int value_of(char c)
{
    const char *p = strchr(alphabet, c);
    return c != '\0' && p != NULL ? (int)(p - alphabet) : -1;
}

/* The organisation code's check character over 8 characters (digits and letters, A = 10). */
static char org_check(const char *s)
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
        sum += v * org_weights[i];
    }
    int check = 11 - sum % 11;
    return check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
}

static char final_check(const char *s)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += value_of(s[i]) * weights[i];
    return alphabet[(31 - sum % 31) % 31];
}

/* Full-width digits and letters (Ｕ, ９: typed with a Chinese input method) become ASCII, the
 * ideographic space a blank; everything else is copied. out has room for 3 × strlen(in) + 1. */
static void fold_full_width(const char *in, char *out)
{
    const unsigned char *p = (const unsigned char *)in;
    char *o = out;
    while (*p) {
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {        /* ０-９ */
            *o++ = (char)('0' + (p[2] - 0x90));
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0xA1 && p[2] <= 0xBA) { /* Ａ-Ｚ */
            *o++ = (char)('A' + (p[2] - 0xA1));
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x81 && p[2] <= 0x9A) { /* ａ-ｚ */
            *o++ = (char)('a' + (p[2] - 0x81));
            p += 3;
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {                  /* ideographic space */
            *o++ = ' ';
            p += 3;
        } else {
            *o++ = (char)*p++;
        }
    }
    *o = '\0';
}

uscc_result_t uscc_check(const char *input)
{
    uscc_result_t r;
    memset(&r, 0, sizeof r);
    char folded[256];
    if (strlen(input) >= sizeof folded / 3) {
        r.problem = USCC_LENGTH;
        r.length = utf8_length(input, strlen(input));
        return r;
    }
    fold_full_width(input, folded);
    const char *s = folded;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    r.length = utf8_length(s, n);
    if (r.length != USCC_LEN) {
        r.problem = USCC_LENGTH;
        return r;
    }
    if (n != USCC_LEN) {               /* 18 characters, but some are not ASCII */
        size_t chars = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            if ((ch & 0xC0) == 0x80)
                continue;
            chars++;
            if (ch >= 0x80) {
                r.problem = USCC_CHARACTER;
                r.position = (int)chars;
                r.found = '\0';           /* not printable as one byte */
                return r;
            }
        }
    }
    for (size_t i = 0; i < USCC_LEN; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        r.code[i] = c;
        if (value_of(c) < 0) {
            r.problem = USCC_CHARACTER;
            r.position = (int)i + 1;
            r.found = c;
            return r;
        }
    }
    r.code[USCC_LEN] = '\0';
    const char *categories = NULL;
    for (size_t i = 0; i < sizeof departments / sizeof departments[0]; i++)
        if (departments[i].department == r.code[0])
            categories = departments[i].categories;
    if (categories == NULL) {
        r.problem = USCC_DEPARTMENT;
        r.found = r.code[0];
        return r;
    }
    if (strchr(categories, r.code[1]) == NULL) {
        r.problem = USCC_CATEGORY;
        r.found = r.code[1];
        return r;
    }
    bool digits = true;
    for (int i = 2; i < 8; i++)
        digits = digits && r.code[i] >= '0' && r.code[i] <= '9';
    char province[7];
    snprintf(province, sizeof province, "%.2s0000", r.code + 2);
    if (!digits || region_find(province) == NULL) {
        r.problem = USCC_REGION;
        return r;
    }
    char expected_org = org_check(r.code + 8);
    if (r.code[16] != expected_org) {
        r.problem = USCC_ORG_CHECK;
        r.found = r.code[16];
        r.expected = expected_org;
        return r;
    }
    char expected = final_check(r.code);
    if (r.code[17] != expected) {
        r.problem = USCC_CHECK;
        r.found = r.code[17];
        r.expected = expected;
        return r;
    }
    return r;
}

bool uscc_only_check_failed(const uscc_result_t *r)
{
    /* every earlier rule passed: only a check character (17 or 18) can be at fault */
    return r->problem == USCC_ORG_CHECK || r->problem == USCC_CHECK;
}

void uscc_describe(const uscc_result_t *r, lang_t lang, char *out, size_t n)
{
    bool en = lang == LANG_EN;
    switch (r->problem) {
    case USCC_OK:
        snprintf(out, n, en ? "valid" : "有效");
        break;
    case USCC_LENGTH:
        snprintf(out, n, en ? "a credit code has 18 characters, this one has %zu" : "统一社会信用代码应为 18 位，实际为 %zu 位",
                 r->length);
        break;
    case USCC_CHARACTER:
        if (r->found == '\0') {
            snprintf(out, n, en ? "character %d is not allowed: only digits and capital letters except I, O, S, V, Z"
                                : "第 %d 位字符不允许：只能是数字和除 I、O、S、V、Z 以外的大写字母", r->position);
            break;
        }
        snprintf(out, n,
                 en ? "character %d ('%c') is not allowed: only digits and capital letters except I, O, S, V, Z"
                    : "第 %d 位字符“%c”不允许：只能是数字和除 I、O、S、V、Z 以外的大写字母",
                 r->position, r->found);
        break;
    case USCC_DEPARTMENT:
        snprintf(out, n, en ? "character 1 ('%c') is not a registering department code"
                            : "第 1 位“%c”不是登记管理部门代码", r->found);
        break;
    case USCC_CATEGORY:
        snprintf(out, n, en ? "character 2 ('%c') is not an organisation category of department '%c'"
                            : "第 2 位“%c”不是登记管理部门“%c”下的机构类别代码", r->found, r->code[0]);
        break;
    case USCC_REGION:
        snprintf(out, n, en ? "characters 3–8 ('%.6s') are not an administrative division code"
                            : "第 3–8 位“%.6s”不是行政区划代码", r->code + 2);
        break;
    case USCC_ORG_CHECK:
        snprintf(out, n, en ? "the organisation code (characters 9–17) fails its check: character 17 should be '%c', not '%c'"
                            : "第 9–17 位组织机构代码校验不通过：第 17 位应为“%c”，而不是“%c”",
                 r->expected, r->found);
        break;
    case USCC_CHECK:
        snprintf(out, n, en ? "the check character (18) should be '%c', not '%c'" : "第 18 位校验码应为“%c”，而不是“%c”",
                 r->expected, r->found);
        break;
    }
}

bool uscc_complete(const char *prefix16, char out[USCC_LEN + 1])
{
    if (strlen(prefix16) != 16)
        return false;
    memcpy(out, prefix16, 16);
    for (int i = 0; i < 16; i++)
        if (value_of(out[i]) < 0)
            return false;
    out[16] = org_check(out + 8);
    out[17] = '\0';
    if (value_of(out[16]) < 0)      /* 'X' is fine; other letters cannot occur */
        return false;
    out[17] = final_check(out);
    out[18] = '\0';
    return true;
}

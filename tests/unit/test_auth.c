/* Covers http/auth: session token handling and cookies. (Passwords: test_account.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "http/auth.h"

#define UNUSED (void)state

static bool url_safe(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_'))
            return false;
    return true;
}

static void token_new_shape(void **state)
{
    UNUSED;
    char a[TOKEN_CHARS + 1], b[TOKEN_CHARS + 1];
    token_new(a);
    token_new(b);
    assert_int_equal(strlen(a), 43);
    assert_int_equal(strlen(b), 43);
    assert_true(url_safe(a));
    assert_true(url_safe(b));
    assert_string_not_equal(a, b);
    assert_true(token_well_formed(a, strlen(a)));
    assert_true(token_well_formed(b, strlen(b)));
    /* 100 tokens, no repeats, and over them the alphabet is used widely */
    char seen[100][TOKEN_CHARS + 1];
    bool chars[128] = {0};
    for (int i = 0; i < 100; i++) {
        token_new(seen[i]);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(seen[i], seen[k]);
        for (const char *p = seen[i]; *p; p++)
            chars[(unsigned char)*p] = true;
    }
    int distinct = 0;
    for (int i = 0; i < 128; i++)
        distinct += chars[i];
    assert_true(distinct > 55);              /* of 64 possible */
}

static void token_well_formed_refuses(void **state)
{
    UNUSED;
    char t[TOKEN_CHARS + 2];
    memset(t, 'A', sizeof t);
    t[TOKEN_CHARS] = '\0';
    assert_true(token_well_formed(t, TOKEN_CHARS));
    assert_false(token_well_formed(t, TOKEN_CHARS - 1));          /* short */
    t[TOKEN_CHARS] = 'A';
    t[TOKEN_CHARS + 1] = '\0';
    assert_false(token_well_formed(t, TOKEN_CHARS + 1));          /* long */
    assert_false(token_well_formed("", 0));
    t[TOKEN_CHARS] = '\0';
    const char bad[] = {'+', '/', '=', '.', ' ', '%', ';', '"', '\0', '\x80', '~'};
    for (size_t i = 0; i < sizeof bad; i++) {
        t[10] = bad[i];
        assert_false(token_well_formed(t, TOKEN_CHARS));
    }
    t[10] = '-';
    t[11] = '_';
    t[12] = '9';
    t[13] = 'z';
    assert_true(token_well_formed(t, TOKEN_CHARS));
}

static void token_hash_vectors(void **state)
{
    UNUSED;
    char out[TOKEN_HASH_CHARS + 1];
    token_hash("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    token_hash("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    token_hash("abcdef", 3, out);                                 /* the length bounds the input */
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    char t[TOKEN_CHARS + 1], h1[TOKEN_HASH_CHARS + 1], h2[TOKEN_HASH_CHARS + 1];
    token_new(t);
    token_hash(t, strlen(t), h1);
    token_hash(t, strlen(t), h2);
    assert_string_equal(h1, h2);                                  /* deterministic */
    assert_int_equal(strlen(h1), 64);
    for (const char *p = h1; *p; p++)
        assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
    t[0] = t[0] == 'A' ? 'B' : 'A';
    token_hash(t, strlen(t), h2);
    assert_string_not_equal(h1, h2);
}

static void token_equal_cases(void **state)
{
    UNUSED;
    assert_true(token_equal("abcdef", "abcdef"));
    assert_false(token_equal("abcdef", "abcdeg"));
    assert_false(token_equal("abcdef", "abcde"));                 /* different lengths */
    assert_false(token_equal("abc", "abcdef"));
    assert_false(token_equal("", ""));                            /* an empty token never matches */
    assert_false(token_equal("Abcdef", "abcdef"));
}

static bool find(const char *header, const char *name, char *out, size_t outlen)
{
    return cookie_find(header, strlen(header), name, out, outlen);
}

static void cookie_find_cases(void **state)
{
    UNUSED;
    char v[64];
    assert_true(find("gb_session=abc", "gb_session", v, sizeof v));
    assert_string_equal(v, "abc");
    assert_true(find("theme=dark; gb_session=tok123; lang=en", "gb_session", v, sizeof v));
    assert_string_equal(v, "tok123");
    assert_true(find("theme=dark; gb_session=tok123; lang=en", "lang", v, sizeof v));
    assert_string_equal(v, "en");
    assert_true(find("theme=dark;gb_session=x", "gb_session", v, sizeof v));       /* no space */
    assert_string_equal(v, "x");
    assert_true(find("  a=1 ;   gb_session =  spaced  ; b=2", "gb_session", v, sizeof v));
    assert_string_equal(v, "spaced");
    assert_true(find("gb_session=\"quoted\"", "gb_session", v, sizeof v));
    assert_string_equal(v, "quoted");
    assert_true(find("gb_session=", "gb_session", v, sizeof v));                   /* empty value */
    assert_string_equal(v, "");
    assert_true(find("a=b=c", "a", v, sizeof v));                                  /* '=' in a value */
    assert_string_equal(v, "b=c");
    /* a name that ends with the wanted name is another cookie */
    assert_true(find("xgb_session=1; gb_session=2", "gb_session", v, sizeof v));
    assert_string_equal(v, "2");
    assert_false(find("xgb_session=1", "gb_session", v, sizeof v));
    assert_false(find("gb_sessionx=1", "gb_session", v, sizeof v));
    assert_false(find("gb_session_old=1; other=2", "gb_session", v, sizeof v));
    /* the first of two wins */
    assert_true(find("gb_session=first; gb_session=second", "gb_session", v, sizeof v));
    assert_string_equal(v, "first");
    /* absent, empty, malformed */
    assert_false(find("", "gb_session", v, sizeof v));
    assert_false(find(";;;", "gb_session", v, sizeof v));
    assert_false(find("gb_session", "gb_session", v, sizeof v));                    /* no '=' */
    assert_false(find("GB_SESSION=1", "gb_session", v, sizeof v));                  /* names are exact */
    /* the length bounds the header */
    assert_true(cookie_find("gb_session=abcdef", 13, "gb_session", v, sizeof v));
    assert_string_equal(v, "ab");
}

static void cookie_find_refuses_long_values(void **state)
{
    UNUSED;
    char v[8];
    memset(v, 'x', sizeof v);
    assert_true(find("gb_session=1234567", "gb_session", v, sizeof v));            /* 7 + NUL fits */
    assert_string_equal(v, "1234567");
    assert_false(find("gb_session=12345678", "gb_session", v, sizeof v));          /* 8 does not */
    char tok[TOKEN_CHARS + 8];
    char header[256];
    char big[120];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(header, sizeof header, "gb_session=%s", big);
    assert_false(find(header, "gb_session", tok, sizeof tok));
}

static void session_cookie_attributes(void **state)
{
    UNUSED;
    char out[256];
    session_cookie("TOKEN", 28800, false, out, sizeof out);
    assert_true(strncmp(out, "gb_session=TOKEN;", 17) == 0);
    assert_non_null(strstr(out, "; HttpOnly"));
    assert_non_null(strstr(out, "; SameSite=Lax"));
    assert_non_null(strstr(out, "; Path=/"));
    assert_non_null(strstr(out, "; Max-Age=28800"));
    assert_null(strstr(out, "Secure"));
    assert_null(strstr(out, "Domain"));

    session_cookie("TOKEN", 60, true, out, sizeof out);
    assert_non_null(strstr(out, "; Secure"));
    assert_non_null(strstr(out, "; Max-Age=60"));

    session_cookie(NULL, 28800, false, out, sizeof out);        /* the clearing cookie */
    assert_true(strncmp(out, "gb_session=;", 12) == 0);
    assert_non_null(strstr(out, "; Max-Age=0"));
    assert_non_null(strstr(out, "; HttpOnly"));
    assert_non_null(strstr(out, "; Path=/"));

    /* a real token survives the round trip through cookie_find */
    char t[TOKEN_CHARS + 1], back[TOKEN_CHARS + 8];
    token_new(t);
    session_cookie(t, 100, true, out, sizeof out);
    size_t pair = strcspn(out, ";");
    assert_true(cookie_find(out, pair, SESSION_COOKIE, back, sizeof back));
    assert_string_equal(back, t);
}

static int setup(void **state)
{
    UNUSED;
    return account_init() ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_new_shape),
        cmocka_unit_test(token_well_formed_refuses),
        cmocka_unit_test(token_hash_vectors),
        cmocka_unit_test(token_equal_cases),
        cmocka_unit_test(cookie_find_cases),
        cmocka_unit_test(cookie_find_refuses_long_values),
        cmocka_unit_test(session_cookie_attributes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

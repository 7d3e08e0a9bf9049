/* Covers domain/account: login syntax, the password rule (length in characters, not all
 * blank, not the login) and argon2id password hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/account.h"

#define UNUSED (void)state

static void passwords(void **state)
{
    UNUSED;
    char hash[PASSWORD_HASH_MAX], other[PASSWORD_HASH_MAX];
    assert_true(password_hash("correct horse 密码", hash));
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_true(strlen(hash) < PASSWORD_HASH_MAX);
    assert_true(password_verify(hash, "correct horse 密码"));
    assert_false(password_verify(hash, "correct horse 密"));
    assert_false(password_verify(hash, "Correct horse 密码"));
    assert_false(password_verify(hash, ""));
    assert_false(password_verify("not a hash", "correct horse 密码"));
    assert_false(password_verify("", "x"));
    /* salted: the same password hashes differently */
    assert_true(password_hash("correct horse 密码", other));
    assert_string_not_equal(hash, other);
    assert_true(password_verify(other, "correct horse 密码"));
}

static void login_rules(void **state)
{
    UNUSED;
    assert_true(login_valid("admin"));
    assert_true(login_valid("abc"));
    assert_true(login_valid("a.b_c-9"));
    assert_true(login_valid("abcdefghijklmnopqrstuvwxyz012345"));   /* 32 */
    assert_false(login_valid("abcdefghijklmnopqrstuvwxyz0123456"));  /* 33 */
    assert_false(login_valid("ab"));
    assert_false(login_valid(""));
    assert_false(login_valid("Admin"));                              /* lower case only */
    assert_false(login_valid("ad min"));
    assert_false(login_valid("admin@x"));
    assert_false(login_valid("管理员"));
}

static void password_length(void **state)
{
    UNUSED;
    assert_true(password_acceptable("admin", "0123456789"));          /* 10 characters */
    assert_false(password_acceptable("admin", "012345678"));          /* 9 */
    assert_false(password_acceptable("", ""));
    assert_true(password_acceptable("admin", "知识产权管理体系认证平台"));   /* 12 characters, 36 bytes */
    assert_false(password_acceptable("admin", "知识产权管理体系认"));        /* 9 characters, 27 bytes */
    assert_false(password_acceptable("admin", "0123456789\xff"));     /* not UTF-8 */
}

static void password_not_all_blank(void **state)
{
    UNUSED;
    assert_false(password_acceptable("admin", "          "));                         /* 10 spaces */
    assert_false(password_acceptable("admin", "                                  ")); /* many */
    assert_false(password_acceptable("admin", "\t\t\t\t\t\n\n\n\r\r"));
    /* ideographic (full-width) spaces, no-break, em and thin spaces, zero-width ones */
    assert_false(password_acceptable("admin", "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000"));
    assert_false(password_acceptable("admin", "\u00a0\u2003\u2009\u200b\u3000\ufeff\u2028\u205f\u1680\u202f"));
    /* one character of content is enough */
    assert_true(password_acceptable("admin", "         x"));
    assert_true(password_acceptable("admin", "\u3000\u3000\u3000\u3000密\u3000\u3000\u3000\u3000\u3000"));
    assert_true(password_acceptable("admin", "correct horse battery"));
}

static void password_not_the_login(void **state)
{
    UNUSED;
    assert_false(password_acceptable("longlogin10", "longlogin10"));
    assert_false(password_acceptable("longlogin10", "LongLogin10"));            /* ASCII case aside */
    assert_false(password_acceptable("longlogin10", "  longlogin10\u3000"));     /* blanks around it aside */
    assert_true(password_acceptable("longlogin10", "longlogin11"));
    assert_true(password_acceptable("longlogin10", "longlogin10x"));
    assert_true(password_acceptable("longlogin10", "long login10"));
}

static int setup(void **state)
{
    UNUSED;
    return account_init() ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords),
        cmocka_unit_test(login_rules),
        cmocka_unit_test(password_length),
        cmocka_unit_test(password_not_all_blank),
        cmocka_unit_test(password_not_the_login),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

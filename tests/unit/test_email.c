/* Covers report/email.c's message: the RFC 2047 subject (encoded-words under 75 characters, cut
 * between UTF-8 characters, decoding to the subject), the base64 body, the headers; and that
 * nothing is sent while email is off. Also core/text.h's email_address_valid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "report/email.h"

#define UNUSED (void)state

/* The value of header `name` (unfolded: continuation lines kept with their CRLF), arena copy. */
static const char *header(arena_t *a, const char *msg, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = msg; p && *p && !(p[0] == '\r' && p[1] == '\n'); p = strstr(p, "\r\n") + 2) {
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 2, *end = v;
            while ((end = strstr(end, "\r\n")) != NULL && end[2] == ' ')
                end += 2;
            return arena_strndup(a, v, (size_t)(end - v));
        }
        while (strncmp(strstr(p, "\r\n") + 2, " ", 1) == 0)
            p = strstr(p, "\r\n") + 2;
    }
    return NULL;
}

/* Decodes "=?UTF-8?B?…?=" words separated by CRLF SP into out; fails the test on any other
 * shape, on a word of more than 75 characters, or on a word that is not whole UTF-8. */
static void decode_subject(const char *value, char *out, size_t outlen)
{
    size_t used = 0;
    const char *p = value;
    while (*p) {
        assert_memory_equal(p, "=?UTF-8?B?", 10);
        const char *end = strstr(p + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - p <= 75);
        unsigned char bin[128];
        size_t binlen = 0;
        assert_int_equal(sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(end - p - 10), NULL, &binlen, NULL,
                                           sodium_base64_VARIANT_ORIGINAL), 0);
        assert_true(utf8_valid((const char *)bin, binlen, NULL));
        assert_true(used + binlen < outlen);
        memcpy(out + used, bin, binlen);
        used += binlen;
        p = end + 2;
        if (*p)
            assert_memory_equal(p, "\r\n ", 3), p += 3;
    }
    out[used] = '\0';
}

static void subject_is_encoded_per_rfc2047(void **state)
{
    UNUSED;
    arena_t a = {0};
    const char *subject = "证书 84025IP021017R0M 的状态已变更为“暂停”——这是一条很长很长很长很长很长很长很长很长很长的标题";
    const char *msg = email_message(&a, "ip@example.cn", subject, "正文\r\nbody");
    const char *value = header(&a, msg, "Subject");
    assert_non_null(value);
    assert_non_null(strstr(value, "\r\n "));       /* long enough to be folded */
    char decoded[512];
    decode_subject(value, decoded, sizeof decoded);
    assert_string_equal(decoded, subject);
    assert_string_equal(header(&a, msg, "To"), "ip@example.cn");
    assert_string_equal(header(&a, msg, "From"), "guanbiao@localhost");
    assert_string_equal(header(&a, msg, "Content-Type"), "text/plain; charset=UTF-8");
    assert_string_equal(header(&a, msg, "Content-Transfer-Encoding"), "base64");
    assert_non_null(header(&a, msg, "Date"));
    assert_non_null(header(&a, msg, "Message-ID"));
    arena_free(&a);
}

static void body_is_base64_utf8(void **state)
{
    UNUSED;
    arena_t a = {0};
    char body[600] = "";
    for (int i = 0; i < 20; i++)
        strcat(body, "贯标通知 notice\r\n");
    const char *msg = email_message(&a, "x@example.cn", "s", body);
    const char *text = strstr(msg, "\r\n\r\n") + 4;
    char joined[2048] = "";
    size_t n = 0;
    for (const char *line = text; *line; line = strstr(line, "\r\n") + 2) {
        size_t len = (size_t)(strstr(line, "\r\n") - line);
        assert_true(len <= 76);
        memcpy(joined + n, line, len);
        n += len;
    }
    unsigned char bin[1024];
    size_t binlen = 0;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, joined, n, NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(binlen, strlen(body));
    assert_memory_equal(bin, body, binlen);
    arena_free(&a);
}

static void nothing_is_sent_while_email_is_off(void **state)
{
    UNUSED;
    arena_t a = {0};
    char err[200] = "";
    assert_false(email_configured());
    assert_int_equal(email_send(&a, "x@example.cn", "s", "b", err, sizeof err), -1);
    assert_non_null(strstr(err, "--smtp"));
    arena_free(&a);
}

static void email_addresses(void **state)
{
    UNUSED;
    assert_true(email_address_valid(""));
    assert_true(email_address_valid("ip@example.cn"));
    assert_true(email_address_valid("a.b+c@mail.example.com.cn"));
    assert_false(email_address_valid("nope"));
    assert_false(email_address_valid("@example.cn"));
    assert_false(email_address_valid("a@example"));
    assert_false(email_address_valid("a@.example.cn"));
    assert_false(email_address_valid("a b@example.cn"));
    assert_false(email_address_valid("a@example.cn."));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subject_is_encoded_per_rfc2047),
        cmocka_unit_test(body_is_base64_utf8),
        cmocka_unit_test(nothing_is_sent_while_email_is_off),
        cmocka_unit_test(email_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

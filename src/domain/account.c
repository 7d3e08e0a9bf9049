/* Account rules: logins, the password rule, argon2id hashes (see account.h). */
#include "domain/account.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/text.h"

bool account_init(void)
{
    return sodium_init() >= 0;
}

bool login_valid(const char *login)
{
    size_t n = strlen(login);
    if (n < 3 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* The code point at s[*i] of valid UTF-8; *i moves past it. */
static uint32_t next_code_point(const unsigned char *s, size_t *i)
{
    uint32_t c = s[*i];
    int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (more > 0)
        c &= 0x3Fu >> more;
    (*i)++;
    while (more-- > 0)
        c = (c << 6) | (s[(*i)++] & 0x3Fu);
    return c;
}

/* Unicode's White_Space characters (the ideographic space U+3000 among them) and the
 * zero-width ones that show nothing either. */
static bool blank(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || c == 0x180E ||
           (c >= 0x2000 && c <= 0x200D) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x2060 || c == 0x3000 || c == 0xFEFF;
}

bool password_acceptable(const char *login, const char *password)
{
    size_t n = strlen(password);
    if (!utf8_valid(password, n, NULL) || utf8_length(password, n) < PASSWORD_MIN_CHARS)
        return false;
    /* the content: from the first character that is not blank to the end of the last one */
    const unsigned char *u = (const unsigned char *)password;
    size_t start = n, end = 0;
    for (size_t i = 0; i < n;) {
        size_t at = i;
        if (!blank(next_code_point(u, &i))) {
            if (start == n)
                start = at;
            end = i;
        }
    }
    if (start == n)
        return false;                       /* nothing but blanks */
    return !ascii_ieq(password + start, end - start, login);
}

bool password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "room for an argon2id hash");
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

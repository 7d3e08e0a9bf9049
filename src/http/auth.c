/* Tokens and cookies (see auth.h). */
#include "http/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

void token_new(char out[TOKEN_CHARS + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

bool token_well_formed(const char *s, size_t len)
{
    if (len != TOKEN_CHARS)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

void api_token_new(char out[API_TOKEN_CHARS + 1])
{
    memcpy(out, API_TOKEN_MARK, 3);
    token_new(out + 3);
}

bool api_token_well_formed(const char *s, size_t len)
{
    return len == API_TOKEN_CHARS && memcmp(s, API_TOKEN_MARK, 3) == 0 && token_well_formed(s + 3, len - 3);
}

void token_hash(const char *token, size_t len, char out[TOKEN_HASH_CHARS + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, len);
    hex_encode(h, sizeof h, out);
}

bool token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

bool cookie_find(const char *h, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name);
    size_t i = 0;
    while (i < len) {
        while (i < len && (h[i] == ' ' || h[i] == ';' || h[i] == '\t'))
            i++;
        size_t start = i;
        while (i < len && h[i] != ';')
            i++;
        /* pair h[start..i) */
        const char *eq = memchr(h + start, '=', i - start);
        if (eq != NULL) {
            size_t klen = (size_t)(eq - (h + start));
            while (klen > 0 && h[start + klen - 1] == ' ')
                klen--;
            if (klen == nlen && memcmp(h + start, name, nlen) == 0) {
                const char *v = eq + 1;
                size_t vlen = (size_t)(h + i - v);
                while (vlen > 0 && *v == ' ') {
                    v++;
                    vlen--;
                }
                while (vlen > 0 && v[vlen - 1] == ' ')
                    vlen--;
                if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                    v++;
                    vlen -= 2;
                }
                if (vlen >= outlen)
                    return false;
                memcpy(out, v, vlen);
                out[vlen] = '\0';
                return true;
            }
        }
    }
    return false;
}

void session_cookie(const char *token, long max_age, bool secure, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", SESSION_COOKIE,
             token ? token : "", token ? max_age : 0L, secure ? "; Secure" : "");
}

/* Session tokens, cookies and CSRF tokens, without the database. A session token is 256
 * random bits, base64url in the cookie; only its SHA-256 (hex) is stored. libsodium must have
 * been initialised (account_init in domain/account.h, first thing in main). Passwords and
 * the other account rules are in domain/account.h. */
#ifndef GUANBIAO_AUTH_H
#define GUANBIAO_AUTH_H
#include <stdbool.h>
#include <stddef.h>

enum {
    TOKEN_CHARS = 43,          /* base64url of 32 bytes, no padding */
    TOKEN_HASH_CHARS = 64,     /* hex SHA-256 */
};

#define SESSION_COOKIE "gb_session"

/* An API token (store/api_tokens.h) is API_TOKEN_MARK followed by a session-like token:
 * "gb_" and 43 base64url characters (256 random bits); only its token_hash is stored. */
#define API_TOKEN_MARK "gb_"
enum { API_TOKEN_CHARS = 3 + TOKEN_CHARS };
/* A new API token (API_TOKEN_CHARS + NUL). */
void api_token_new(char out[API_TOKEN_CHARS + 1]);
/* True when s looks like an API token; anything else is not looked up. */
bool api_token_well_formed(const char *s, size_t len);

/* A new random token (TOKEN_CHARS + NUL). */
void token_new(char out[TOKEN_CHARS + 1]);
/* True when s looks like a token (length and alphabet); anything else is not looked up. */
bool token_well_formed(const char *s, size_t len);
/* SHA-256 of the token, hex (TOKEN_HASH_CHARS + NUL). */
void token_hash(const char *token, size_t len, char out[TOKEN_HASH_CHARS + 1]);
/* Constant-time comparison of two NUL-terminated strings of equal length. */
bool token_equal(const char *a, const char *b);

/* The value of cookie `name` in a Cookie header, or false. out gets at most outlen-1 bytes. */
bool cookie_find(const char *header, size_t len, const char *name, char *out, size_t outlen);
/* The Set-Cookie value for a session token (NULL token: the clearing cookie). */
void session_cookie(const char *token, long max_age, bool secure, char *out, size_t outlen);

#endif

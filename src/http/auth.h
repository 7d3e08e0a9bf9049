/* Session tokens, cookies, CSRF tokens and password hashes, without the database.
 * A session token is 256 random bits, base64url in the cookie; only its SHA-256 (hex) is
 * stored. Passwords are argon2id (libsodium) — slow on purpose: hash on a worker. */
#ifndef GUANBIAO_AUTH_H
#define GUANBIAO_AUTH_H
#include <stdbool.h>
#include <stddef.h>

enum {
    TOKEN_CHARS = 43,          /* base64url of 32 bytes, no padding */
    TOKEN_HASH_CHARS = 64,     /* hex SHA-256 */
    PASSWORD_HASH_MAX = 128,
    PASSWORD_MIN_CHARS = 10,
};

#define SESSION_COOKIE "gb_session"

/* Must be called once before any other function here (initialises libsodium). */
bool auth_init(void);

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

/* argon2id hash of password into out; false when out of memory. */
bool password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *password);



/* Account rules shared by the API and the command line. */
bool login_valid(const char *login);                           /* [a-z0-9._-], 3–32 chars */
bool password_acceptable(const char *login, const char *password); /* ≥ 10 chars, ≠ login */
#endif

/* Account rules, written once for every path that makes or changes an account (the API's
 * POST /api/users, PUT /api/session/password and self-registration, `guanbiao user add|passwd`
 * and the demo seed): the login's syntax, the password rule, and argon2id password hashes
 * (libsodium). No HTTP, no database. Hashing is slow on purpose (~0.1 s and 64 MiB): a server
 * hashes on a worker, never on an event loop. */
#ifndef GUANBIAO_ACCOUNT_H
#define GUANBIAO_ACCOUNT_H
#include <stdbool.h>

enum {
    PASSWORD_MIN_CHARS = 10,   /* Unicode characters, not bytes */
    PASSWORD_HASH_MAX = 128,   /* crypto_pwhash_STRBYTES: room for the encoded hash and its NUL */
};

/* Initialises libsodium. main() calls it before anything else and does not start without it;
 * every other function here (and http/auth.c's tokens) relies on it. */
bool account_init(void);

/* [a-z0-9._-], 3–32 characters. */
bool login_valid(const char *login);

/* The password rule: valid UTF-8, at least PASSWORD_MIN_CHARS characters, not all blank
 * (white space of any kind, U+3000 and the zero-width spaces included), and not the login
 * (compared without surrounding blanks and ignoring ASCII case). */
bool password_acceptable(const char *login, const char *password);

/* argon2id hash of password into out; false when out of memory. */
bool password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *password);

#endif

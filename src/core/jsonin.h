/* Parsing untrusted JSON bodies: UTF-8 and nesting depth are checked before jansson sees the
 * bytes, so every refusal says what and where. No HTTP here. */
#ifndef GUANBIAO_JSONIN_H
#define GUANBIAO_JSONIN_H
#include <jansson.h>
#include <stddef.h>

enum { JSONIN_MAX_DEPTH = 32 };

typedef struct jsonin_error {
    const char *code;   /* invalid_utf8, json_too_deep, invalid_json, body_not_object */
    int line, column;   /* for invalid_json */
    size_t offset;      /* byte offset of the problem */
    char text[160];     /* jansson's description, for invalid_json */
} jsonin_error_t;

/* Parses an object body. Returns a new reference, or NULL with *err filled. */
json_t *jsonin_parse_object(const char *data, size_t len, jsonin_error_t *err);

/* The deepest nesting of [ and { outside strings (no full parse). */
int jsonin_depth(const char *data, size_t len);

#endif

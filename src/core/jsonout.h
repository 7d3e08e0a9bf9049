/* Writing JSON straight into a buffer: the one way responses are written (jansson reads
 * requests, and assembles the OpenAPI document once from the route table's schema texts). Commas are placed by the writer; strings are escaped as RFC 8259 requires
 * (quote, backslash, control characters) and otherwise copied as UTF-8.
 *   jw_t w; jw_init(&w, &buf);
 *   jw_object(&w); jw_kstr(&w, "name", name); jw_kint(&w, "id", id); jw_end(&w); */
#ifndef GUANBIAO_JSONOUT_H
#define GUANBIAO_JSONOUT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

enum { JW_MAX_DEPTH = 32 };

typedef struct jw {
    buf_t *b;
    int depth;
    bool first[JW_MAX_DEPTH + 1];   /* no member written yet at this depth */
    bool after_key;                 /* the next value follows a key: no comma */
    char closer[JW_MAX_DEPTH + 1];  /* '}' or ']' for each open level */
} jw_t;

void jw_init(jw_t *w, buf_t *b);
void jw_object(jw_t *w);                     /* { */
void jw_array(jw_t *w);                      /* [ */
void jw_end(jw_t *w);                        /* closes the innermost object or array */
void jw_key(jw_t *w, const char *key);
void jw_str(jw_t *w, const char *s);         /* NULL writes null */
void jw_strn(jw_t *w, const char *s, size_t n);
void jw_int(jw_t *w, int64_t v);
void jw_bool(jw_t *w, bool v);
void jw_null(jw_t *w);
void jw_raw(jw_t *w, const char *json);      /* a value that is JSON text already */

/* key + value in one call */
void jw_kstr(jw_t *w, const char *key, const char *s);
void jw_kint(jw_t *w, const char *key, int64_t v);
void jw_kbool(jw_t *w, const char *key, bool v);
void jw_kid(jw_t *w, const char *key, int64_t id);   /* 0 writes null: "no such link" */

/* A comma-separated list ("a,b") as an array of strings. */
void jw_csv_array(jw_t *w, const char *list);

#endif

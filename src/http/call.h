/* A call: one API request and its response, independent of h2o so that it can run on the
 * event loop or on a worker thread. Everything in it lives in its arena (or is owned by it:
 * body, out) and is freed by call_free(). A handler reads the request through call_param,
 * call_query and the body_* validators, and answers with exactly one of call_json,
 * call_no_content or call_error. Handlers never touch the socket. */
#ifndef GUANBIAO_CALL_H
#define GUANBIAO_CALL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/jsonout.h"
#include "core/text.h"
#include "core/roles.h"
#include "http/router.h"
#include "store/audit.h"
#include "store/store.h"

enum {
    CALL_MAX_HEADERS = 8,
    CALL_MAX_FIELD_ERRORS = 32,   /* a refused form lists at most this many fields */
    CALL_OUT_MAX = 64u << 20,
    CALL_QUERY_MAX_CHARS = 200,   /* any query parameter: searches, filters, pages */
    CALL_REQUEST_ID_CHARS = 16,   /* hex: 64 random bits */
};

typedef struct call_header {
    const char *name;     /* lower case */
    const char *value;
} call_header_t;

/* One invalid input of a refused request: error.fields[i] (docs/api.md). */
typedef struct call_field_error {
    const char *field;
    const char *code;
    const char *message;
} call_field_error_t;

typedef struct call {
    arena_t arena;

    /* the request: copies owned by the arena */
 unsigned method;
    const char *method_name;          /* as sent, e.g. "OPTIONS" */
    const char *path;                 /* raw path, no query */
    const char *query;                /* raw query without '?', "" when none */
    const route_t *route;
    int route_index;
    const char *params[ROUTE_MAX_PARAMS];  /* decoded path parameters */
    const char *body_data;            /* raw body bytes (not NUL-terminated), may be NULL */
    size_t body_len;
    const char *content_type;         /* header value, or NULL */
    const char *session_token;        /* from the cookie, or NULL */
    const char *csrf_header;          /* X-CSRF-Token, or NULL */
    const char *bearer_token;         /* Authorization: Bearer's credentials (an API token), or NULL */
    const char *file_name;            /* X-File-Name as sent (percent-encoded), or NULL */
    const char *peer;                 /* client address as text: use call_peer() */
    struct sockaddr_storage peer_addr;/* the address, formatted on first use */
    socklen_t peer_len;
    lang_t lang;
    bool secure;                      /* arrived over TLS: cookies get Secure */
    char request_id[CALL_REQUEST_ID_CHARS + 1];  /* random, answered as X-Request-Id and logged */
    json_t *body;                     /* parsed JSON object (owned), set by the dispatcher */
    const char *field_prefix;         /* "account." while validating a nested object; see body_enter */

    /* who is calling: filled by the dispatcher from the session */
    user_t user;
    const char *session_hash;         /* the session's key, NULL for the public */
    const char *session_csrf;
    int64_t token_id;                 /* the API token acting as c->user (role body, no id), or 0 */
    db_t *db;                         /* the connection of the thread running the call */

    /* the response */
    int status;                       /* 0 until answered */
    const char *content_type_out;     /* default application/json; charset=utf-8 */
    buf_t out;
    jw_t jw;                          /* writes JSON into out: see call_json_begin */
    call_header_t headers[CALL_MAX_HEADERS];
    int nheaders;
    const char *error_code;           /* for the log */
    call_field_error_t field_errors[CALL_MAX_FIELD_ERRORS];   /* see call_error */
    int nfield_errors;
    const char *const *form_fields;   /* body_only's list (static): the order of error.fields */

    /* the answer cache (http/cache.h): the key when the call may be answered from or kept in it */
    const char *cache_key;            /* in the arena, not NUL-terminated; NULL: not for the cache */
    size_t cache_key_len;
    uint64_t cache_hash;
    uint64_t cache_seen;              /* the tables' generations before the handler read them */
    bool cache_seen_set;
    const char *cache_result;         /* "hit" or "miss" (kept) for X-Cache, NULL otherwise (static) */
} call_t;

void call_init(call_t *c);
void call_free(call_t *c);
/* Makes a finished call ready for the next request, keeping its arena's first chunk and its
 * output buffer's memory (the event loop recycles calls). */
void call_reuse(call_t *c);

/* Forgets what phase 2 did (the answer, the caller's identity, the parsed body), keeping the
 * request, so that the call can run again on another thread. */
void call_restart(call_t *c);

/* Starts a JSON answer with this status: the handler writes it with the returned writer
 * (core/jsonout.h), which must end balanced. */
jw_t *call_json_begin(call_t *c, int status);
void call_no_content(call_t *c);
/* Answers with the catalogue entry for code; the message's %s are filled from the string
 * arguments, in order; field (may be NULL) names the offending input.
 * Errors that name a field collect: a 400 naming a field, while the call is unanswered or
 * refused only for such 400s so far, is added to error.fields (once per field: its first
 * error). error.fields is in the order of the form (body_only's list; unknown members first,
 * "account.login" where "account" is), and error.code/message/field name its first entry. Any other error replaces
 * the answer (fields then lists only its own field, if it names one). So a form's validators
 * may all run, each recording its failure, before the handler checks call_answered(). */
void call_error(call_t *c, const char *code, const char *field, ...);
/* Answers 503/500 for the connection's last database error and logs it. */
void call_db_error(call_t *c, const char *what);
/* The outcome of a guarded write (store.h: db_finish): true for 1 (written), else false after
 * answering 409 changed_concurrently for 0 or the database error for -1. */
bool call_write_done(call_t *c, int rc, const char *what);
void call_header(call_t *c, const char *name, const char *value);
/* Answers 200 with the bytes the handler wrote into c->out (a file: PDF, XLSX, CSV) as
 * content_type, with Content-Disposition: inline or attachment; filename*=UTF-8''name (RFC
 * 6266/8187: name percent-encoded). */
void call_download(call_t *c, const char *content_type, bool attachment, const char *filename);
bool call_answered(const call_t *c);
/* The client's address as text ("127.0.0.1"), formatted on first use. */
const char *call_peer(call_t *c);
/* Who makes this call, for the audit log (store/audit.h): the signed-in user, an API token
 * (kind token, login "token:ID", its body), or the public,
 * with the request id and the client's address. Its strings live in the call's arena. */
audit_actor_t call_actor(call_t *c);
/* Gives the call a new random request id (request_to_call does it for every request). */
void call_new_request_id(call_t *c);

/* A path parameter by its name in the route pattern; NULL when absent. */
const char *call_param(call_t *c, const char *name);
/* A positive integer path parameter; 0 (and a 404 answered) when it is not one. */
int64_t call_param_id(call_t *c, const char *name);
/* A decoded query parameter, NULL when absent, or when malformed or longer than
 * CALL_QUERY_MAX_CHARS characters (then 400 invalid_query or too_long is answered). */
const char *call_query(call_t *c, const char *name);

/* An integer query parameter within [min, max]; absent or empty leaves *out alone. False
 * after answering 400 for anything else. */
bool call_query_int(call_t *c, const char *name, int64_t min, int64_t max, int64_t *out);
/* Pagination from the query: page ≥ 1 (default 1), per_page 1–100 (default 20).
 * False after answering 400 for a malformed value. */
bool call_page(call_t *c, int *page, int *per_page);

/* The `sort` query parameter ("name" or "-name") among the allowed fields, as an ORDER BY
 * clause (" ORDER BY col DESC, tiebreak"); the first option is the default. False after
 * answering 400 for an unknown field. */
typedef struct sort_option {
    const char *name;      /* as the client writes it */
    const char *column;    /* SQL expression */
} sort_option_t;
bool call_sort(call_t *c, const sort_option_t *options, int n, const char *tiebreak, const char **order_by);

/* Validators of the JSON body. Each returns false after answering 400 with the field named
 * (collected: see call_error), leaving *out alone; on success *out is set; an absent optional
 * field leaves *out as the caller set it. A form runs all of its validators and the checks
 * of the values they gave (skipping a value left unset), then returns if call_answered(), so
 * that one answer lists every invalid field. */
enum {
    FIELD_OPTIONAL = 0,
    FIELD_REQUIRED = 1u << 0,
    FIELD_KEEP_BLANKS = 1u << 1,   /* strings: do not trim surrounding white space */
    FIELD_NULLABLE = 1u << 2,      /* JSON null is accepted (and gives NULL / 0) */
};
bool body_string(call_t *c, const char *field, unsigned flags, size_t min_chars, size_t max_chars,
                 const char **out);
bool body_int(call_t *c, const char *field, unsigned flags, int64_t min, int64_t max, int64_t *out);
bool body_bool(call_t *c, const char *field, unsigned flags, bool *out);
/* A JSON number (integer or not) within [min, max]. */
bool body_number(call_t *c, const char *field, unsigned flags, double min, double max, double *out);
/* Refuses every member not in the NULL-terminated list (each one named in error.fields). The
 * list (static, in the form's order) also orders error.fields. */
bool body_only(call_t *c, const char *const *allowed);
/* Answers 400 invalid_value for field, with the reason in the request's language. */
void call_invalid(call_t *c, const char *field, const char *zh, const char *en);
/* Checks a unified social credit code (core/uscc.h): true with *normalised (arena copy, upper
 * case); false after answering 400 invalid_credit_code on field, naming the rule that failed. */
bool call_credit_code(call_t *c, const char *field, const char *input, const char **normalised);

/* A list of strings, each checked by valid() (may be NULL) and at most max_items long; *out
 * gets an arena array (NULL-terminated) and *n its length. */
bool body_string_list(call_t *c, const char *field, unsigned flags, int max_items, bool (*valid)(const char *),
                      const char ***out, int *n);
/* Validate the members of the nested object `field` as if it were the body: errors name
 * "field.member". Returns false (after answering) when it is missing or not an object.
 * body_leave() restores the outer body. */
bool body_enter(call_t *c, const char *field, json_t **saved);
void body_leave(call_t *c, json_t *saved);
/* The same as body_string etc. but for an optional member: was it sent at all? */
bool body_has(call_t *c, const char *field);

#endif

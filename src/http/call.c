/* Calls: request accessors, body validators and response builders (see call.h). */
#include "http/call.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/messages.h"
#include "core/uscc.h"

void call_init(call_t *c)
{
    memset(c, 0, sizeof *c);
    buf_init(&c->out, CALL_OUT_MAX);
    c->query = "";
    c->route_index = -1;
    c->user.role = ROLE_PUBLIC;
    c->user.login = c->user.name = c->user.region = "";
}

void call_reuse(call_t *c)
{
    json_decref(c->body);
    arena_t arena = c->arena;
    buf_t out = c->out;
    arena_reset(&arena);
    if (out.cap > 64 * 1024)
        buf_free(&out);      /* a large answer's buffer is not kept for the next small one */
    buf_reset(&out);
    call_init(c);            /* zeroes the call and gives it a fresh (empty) buffer … */
    c->arena = arena;        /* … which the kept memory replaces */
    c->out = out;
}

void call_restart(call_t *c)
{
    json_decref(c->body);
    c->body = NULL;
    c->field_prefix = NULL;
    c->user = (user_t){.role = ROLE_PUBLIC, .login = "", .name = "", .region = ""};
    c->session_hash = c->session_csrf = NULL;
    c->token_id = 0;
    c->db = NULL;
    c->status = 0;
    c->content_type_out = NULL;
    buf_reset(&c->out);
    memset(&c->jw, 0, sizeof c->jw);
    c->nheaders = 0;
    c->error_code = NULL;
    c->nfield_errors = 0;
    c->form_fields = NULL;
    c->cache_seen_set = false;
    c->cache_result = NULL;
}

void call_free(call_t *c)
{
    json_decref(c->body);
    c->body = NULL;
    buf_free(&c->out);
    arena_free(&c->arena);
}

bool call_answered(const call_t *c)
{
    return c->status != 0;
}

const char *call_peer(call_t *c)
{
    if (c->peer == NULL) {
        char host[NI_MAXHOST] = "unknown";
        if (c->peer_len > 0)
            getnameinfo((struct sockaddr *)&c->peer_addr, c->peer_len, host, sizeof host, NULL, 0, NI_NUMERICHOST);
        c->peer = arena_strdup(&c->arena, host);
    }
    return c->peer;
}

audit_actor_t call_actor(call_t *c)
{
    const user_t *u = &c->user;
    audit_actor_t a = {.kind = u->id > 0 ? ACTOR_USER : ACTOR_PUBLIC, .user_id = u->id, .login = u->login,
                       .role = u->role, .enterprise_id = u->enterprise_id, .body_id = u->body_id,
                       .region = u->region, .request_id = c->request_id, .address = call_peer(c)};
    if (c->token_id > 0)
        a.kind = ACTOR_TOKEN;   /* login "token:ID", body_id its body (dispatch.c) */
    return a;
}

/* Request ids need to be unique, not secret: a per-thread splitmix64 sequence from a random
 * start, so that the hot path makes no system call for them. */
void call_new_request_id(call_t *c)
{
    static _Thread_local uint64_t state;
    static _Thread_local bool seeded;
    if (!seeded) {
        randombytes_buf(&state, sizeof state);
        seeded = true;
    }
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    static const char hex[] = "0123456789abcdef";
    for (int i = CALL_REQUEST_ID_CHARS - 1; i >= 0; i--, z >>= 4)
        c->request_id[i] = hex[z & 15];
    c->request_id[CALL_REQUEST_ID_CHARS] = '\0';
}

jw_t *call_json_begin(call_t *c, int status)
{
    buf_reset(&c->out);
    jw_init(&c->jw, &c->out);
    c->status = status;
    return &c->jw;
}

void call_no_content(call_t *c)
{
    buf_reset(&c->out);
    c->status = 204;
}

void call_header(call_t *c, const char *name, const char *value)
{
    if (c->nheaders < CALL_MAX_HEADERS) {
        c->headers[c->nheaders].name = arena_strdup(&c->arena, name);
        c->headers[c->nheaders].value = arena_strdup(&c->arena, value);
        c->nheaders++;
    }
}

void call_download(call_t *c, const char *content_type, bool attachment, const char *filename)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_t v;
    buf_init(&v, 4096);
    buf_puts(&v, attachment ? "attachment; filename*=UTF-8''" : "inline; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        /* RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~" */
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p) != NULL)
            buf_append(&v, p, 1);
        else
            buf_printf(&v, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    c->status = 200;
    c->content_type_out = arena_strdup(&c->arena, content_type);
    call_header(c, "content-disposition", v.data);
    buf_free(&v);
}

/* Fills a message template whose only conversions are %s, from the va_list. */
static char *fill(arena_t *a, const char *tmpl, va_list ap)
{
    buf_t b;
    buf_init(&b, 4096);
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            const char *arg = va_arg(ap, const char *);
            buf_puts(&b, arg ? arg : "");
            p++;
        } else {
            buf_append(&b, p, 1);
        }
    }
    char *s = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

/* The place of a field in the form (body_only's list): -1 for a member it does not list,
 * "account.login" at "account"; INT_MAX without a list. */
static int form_rank(const call_t *c, const char *field)
{
    if (c->form_fields == NULL)
        return INT_MAX;
    size_t n = strcspn(field, ".");
    for (int i = 0; c->form_fields[i] != NULL; i++)
        if (strlen(c->form_fields[i]) == n && strncmp(c->form_fields[i], field, n) == 0)
            return i;
    return -1;
}

/* Writes the error answer: the top error, and fields when there are field errors. */
static void error_answer(call_t *c, int status, const char *code, const char *message, const char *field)
{
    jw_t *w = call_json_begin(c, status);
    jw_object(w);
    jw_key(w, "error");
    jw_object(w);
    jw_kstr(w, "code", code);
    jw_kstr(w, "message", message);
    if (field != NULL)
        jw_kstr(w, "field", field);
    if (c->nfield_errors > 0) {
        jw_key(w, "fields");
        jw_array(w);
        for (int i = 0; i < c->nfield_errors; i++) {
            jw_object(w);
            jw_kstr(w, "field", c->field_errors[i].field);
            jw_kstr(w, "code", c->field_errors[i].code);
            jw_kstr(w, "message", c->field_errors[i].message);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    c->error_code = code;
}

void call_error(call_t *c, const char *code, const char *field, ...)
{
    const message_t *m = message_find(code);
    va_list ap;
    va_start(ap, field);
    char *text = fill(&c->arena, message_text(m, c->lang), ap);
    va_end(ap);
    bool collecting = c->status == 0 || (c->status == 400 && c->nfield_errors > 0);
    if (field == NULL || m->status != 400 || !collecting)
        c->nfield_errors = 0;          /* this error replaces the answer */
    if (field != NULL) {
        for (int i = 0; i < c->nfield_errors; i++)
            if (strcmp(c->field_errors[i].field, field) == 0)
                return;                /* the field's first error stands */
        if (c->nfield_errors < CALL_MAX_FIELD_ERRORS) {
            /* inserted after every error of a field that comes before it or at its place */
            int at = c->nfield_errors, rank = form_rank(c, field);
            while (at > 0 && form_rank(c, c->field_errors[at - 1].field) > rank) {
                c->field_errors[at] = c->field_errors[at - 1];
                at--;
            }
            c->field_errors[at] =
                (call_field_error_t){.field = arena_strdup(&c->arena, field), .code = m->code, .message = text};
            c->nfield_errors++;
        }
    }
    if (c->nfield_errors > 0) {
        const call_field_error_t *first = &c->field_errors[0];
        error_answer(c, message_find(first->code)->status, first->code, first->message, first->field);
    } else {
        error_answer(c, m->status, m->code, text, NULL);
    }
}

void call_db_error(call_t *c, const char *what)
{
    db_error_kind_t kind = c->db ? db_error_kind(c->db) : DB_ERR_CONNECTION;
    log_error("database error in %s (%s): %s", c->route ? c->route->pattern : c->path, what,
              c->db ? db_error(c->db) : "no connection");
    if (kind == DB_ERR_CONNECTION || kind == DB_ERR_BUSY)
        call_error(c, "database_unavailable", NULL);
    else
        call_error(c, "internal_error", NULL);
}

bool call_write_done(call_t *c, int rc, const char *what)
{
    if (rc == 1)
        return true;
    if (rc == 0)
        call_error(c, "changed_concurrently", NULL);
    else
        call_db_error(c, what);
    return false;
}

const char *call_param(call_t *c, const char *name)
{
    if (c->route == NULL)
        return NULL;
    size_t n = strlen(name);
    const char *p = c->route->pattern;
    for (int i = 0; i < ROUTE_MAX_PARAMS && (p = strchr(p, '{')) != NULL; i++) {
        const char *close = strchr(p, '}');
        if (close == NULL)
            return NULL;
        if ((size_t)(close - p - 1) == n && memcmp(p + 1, name, n) == 0)
            return c->params[i];
        p = close + 1;
    }
    return NULL;
}

int64_t call_param_id(call_t *c, const char *name)
{
    const char *s = call_param(c, name);
    if (s == NULL || *s == '\0' || strlen(s) > 18) {
        call_error(c, "not_found", NULL);
        return 0;
    }
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            call_error(c, "not_found", NULL);
            return 0;
        }
        v = v * 10 + (*p - '0');
    }
    if (v <= 0)
        call_error(c, "not_found", NULL);
    return v;
}

const char *call_query(call_t *c, const char *name)
{
    size_t n;
    const char *raw = query_find(c->query, strlen(c->query), name, &n);
    if (raw == NULL)
        return NULL;                    /* absent */
    char *v = percent_decode(&c->arena, raw, n, true);
    if (v == NULL) {
        call_error(c, "invalid_query", name, name);   /* present but malformed */
        return NULL;
    }
    if (utf8_length(v, strlen(v)) > CALL_QUERY_MAX_CHARS) {
        char num[24];
        snprintf(num, sizeof num, "%d", (int)CALL_QUERY_MAX_CHARS);
        call_error(c, "too_long", name, name, num);
        return NULL;
    }
    return v;
}

bool call_query_int(call_t *c, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = call_query(c, name);
    if (call_answered(c))
        return false;
    if (v == NULL || *v == '\0')
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max) {
        call_error(c, "invalid_query", name, name);
        return false;
    }
    *out = n;
    return true;
}

bool call_page(call_t *c, int *page, int *per_page)
{
    *page = 1;
    *per_page = 20;
    int64_t p = 1, n = 20;
    if (!call_query_int(c, "page", 1, 1000000, &p) || !call_query_int(c, "per_page", 1, 100, &n))
        return false;
    *page = (int)p;
    *per_page = (int)n;
    return true;
}

bool call_sort(call_t *c, const sort_option_t *options, int n, const char *tiebreak, const char **order_by)
{
    const char *v = call_query(c, "sort");
    if (call_answered(c))
        return false;
    const char *name = v ? v : options[0].name;
    bool desc = name[0] == '-';
    if (desc)
        name++;
    for (int i = 0; i < n; i++) {
        if (strcmp(options[i].name, name) == 0) {
            *order_by = arena_printf(&c->arena, " ORDER BY %s %s, %s", options[i].column, desc ? "DESC" : "ASC", tiebreak);
            return true;
        }
    }
    call_error(c, "invalid_query", "sort", "sort");
    return false;
}

static json_t *member(call_t *c, const char *field)
{
    return c->body ? json_object_get(c->body, field) : NULL;
}

/* The name of a field as the client knows it (with the nested object's prefix). */
static const char *fname(call_t *c, const char *field)
{
    return c->field_prefix ? arena_printf(&c->arena, "%s%s", c->field_prefix, field) : field;
}

bool body_has(call_t *c, const char *field)
{
    return member(c, field) != NULL;
}

bool body_enter(call_t *c, const char *field, json_t **saved)
{
    json_t *v = member(c, field);
    if (v == NULL) {
        call_error(c, "missing_field", field, field);
        return false;
    }
    if (!json_is_object(v)) {
        call_error(c, "wrong_type", field, field, c->lang == LANG_EN ? "an object" : "对象");
        return false;
    }
    *saved = c->body;
    c->body = v;
    c->field_prefix = arena_printf(&c->arena, "%s.", field);
    return true;
}

void body_leave(call_t *c, json_t *saved)
{
    c->body = saved;
    c->field_prefix = NULL;
}

static const char *type_word(call_t *c, const char *zh, const char *en)
{
    return c->lang == LANG_EN ? en : zh;
}

static bool is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* What a validator finds for a member: a value to check, nothing (absent, or a JSON null
 * the flags accept), or a refusal already answered (a required member missing). */
typedef enum { MEMBER_VALUE, MEMBER_ABSENT, MEMBER_NULL, MEMBER_REFUSED } member_state_t;

static member_state_t member_state(call_t *c, const char *field, unsigned flags, json_t **v)
{
    *v = member(c, field);
    if (*v == NULL) {
        if (flags & FIELD_REQUIRED) {
            call_error(c, "missing_field", fname(c, field), fname(c, field));
            return MEMBER_REFUSED;
        }
        return MEMBER_ABSENT;
    }
    if (json_is_null(*v) && (flags & FIELD_NULLABLE))
        return MEMBER_NULL;
    return MEMBER_VALUE;
}

bool body_string(call_t *c, const char *field, unsigned flags, size_t min_chars, size_t max_chars,
                 const char **out)
{
    json_t *v;
    member_state_t state = member_state(c, field, flags, &v);
    if (state != MEMBER_VALUE) {
        if (state == MEMBER_NULL)
            *out = NULL;
        return state != MEMBER_REFUSED;
    }
    if (!json_is_string(v)) {
        call_error(c, "wrong_type", fname(c, field), fname(c, field), type_word(c, "字符串", "a string"));
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!(flags & FIELD_KEEP_BLANKS)) {
        while (len > 0 && is_space((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len > 0 && is_space((unsigned char)s[len - 1]))
            len--;
    }
    size_t chars = utf8_length(s, len);
    char num[24];
    if (chars == 0 && (flags & FIELD_REQUIRED)) {
        call_error(c, "blank_field", fname(c, field), fname(c, field));
        return false;
    }
    if (chars < min_chars) {
        snprintf(num, sizeof num, "%zu", min_chars);
        call_error(c, "too_short", fname(c, field), fname(c, field), num);
        return false;
    }
    if (max_chars > 0 && chars > max_chars) {
        snprintf(num, sizeof num, "%zu", max_chars);
        call_error(c, "too_long", fname(c, field), fname(c, field), num);
        return false;
    }
    *out = arena_strndup(&c->arena, s, len);
    return true;
}

bool body_int(call_t *c, const char *field, unsigned flags, int64_t min, int64_t max, int64_t *out)
{
    json_t *v;
    member_state_t state = member_state(c, field, flags, &v);
    if (state != MEMBER_VALUE) {
        if (state == MEMBER_NULL)
            *out = 0;
        return state != MEMBER_REFUSED;
    }
    if (!json_is_integer(v)) {
        call_error(c, "wrong_type", fname(c, field), fname(c, field), type_word(c, "整数", "an integer"));
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        char range[96];
        if (c->lang == LANG_EN)
            snprintf(range, sizeof range, "must be between %lld and %lld", (long long)min, (long long)max);
        else
            snprintf(range, sizeof range, "应在 %lld 到 %lld 之间", (long long)min, (long long)max);
        call_error(c, "invalid_value", fname(c, field), fname(c, field), range);
        return false;
    }
    *out = n;
    return true;
}

bool body_number(call_t *c, const char *field, unsigned flags, double min, double max, double *out)
{
    json_t *v;
    member_state_t state = member_state(c, field, flags, &v);
    if (state != MEMBER_VALUE) {
        if (state == MEMBER_NULL)
            *out = 0;
        return state != MEMBER_REFUSED;
    }
    if (!json_is_number(v)) {
        call_error(c, "wrong_type", fname(c, field), fname(c, field), type_word(c, "数字", "a number"));
        return false;
    }
    double n = json_number_value(v);
    if (!(n >= min && n <= max)) {
        char range[96];
        if (c->lang == LANG_EN)
            snprintf(range, sizeof range, "must be between %g and %g", min, max);
        else
            snprintf(range, sizeof range, "应在 %g 到 %g 之间", min, max);
        call_error(c, "invalid_value", fname(c, field), fname(c, field), range);
        return false;
    }
    *out = n;
    return true;
}

bool body_bool(call_t *c, const char *field, unsigned flags, bool *out)
{
    json_t *v;
    member_state_t state = member_state(c, field, flags, &v);
    if (state != MEMBER_VALUE) {
        if (state == MEMBER_NULL)
            *out = false;
        return state != MEMBER_REFUSED;
    }
    if (!json_is_boolean(v)) {
        call_error(c, "wrong_type", fname(c, field), fname(c, field), type_word(c, "布尔值", "a boolean"));
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool body_only(call_t *c, const char *const *allowed)
{
    if (c->field_prefix == NULL)
        c->form_fields = allowed;
    if (c->body == NULL)
        return true;
    const char *key;
    json_t *value;
    bool ok = true;
    json_object_foreach(c->body, key, value) {
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                known = true;
        if (!known) {
            call_error(c, "unknown_field", fname(c, key), fname(c, key));
            ok = false;
        }
    }
    return ok;
}

bool body_string_list(call_t *c, const char *field, unsigned flags, int max_items, bool (*valid)(const char *),
                      const char ***out, int *n)
{
    json_t *v;
    member_state_t state = member_state(c, field, flags, &v);
    if (state != MEMBER_VALUE)
        return state != MEMBER_REFUSED;
    if (!json_is_array(v)) {
        call_error(c, "wrong_type", fname(c, field), fname(c, field),
                   c->lang == LANG_EN ? "a list of strings" : "字符串数组");
        return false;
    }
    size_t count = json_array_size(v);
    if ((int)count > max_items) {
        call_error(c, "invalid_value", fname(c, field), fname(c, field),
                   arena_printf(&c->arena, c->lang == LANG_EN ? "at most %d items" : "最多 %d 项", max_items));
        return false;
    }
    const char **items = arena_alloc(&c->arena, (count + 1) * sizeof *items);
    int k = 0;
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get(v, i);
        if (!json_is_string(item)) {
            call_error(c, "wrong_type", fname(c, field), fname(c, field),
                       c->lang == LANG_EN ? "a list of strings" : "字符串数组");
            return false;
        }
        const char *s = json_string_value(item);
        if (valid != NULL && !valid(s)) {
            call_error(c, "invalid_value", fname(c, field), fname(c, field),
                       arena_printf(&c->arena, c->lang == LANG_EN ? "'%s' is not allowed" : "不允许的值“%s”", s));
            return false;
        }
        bool duplicate = false;
        for (int j = 0; j < k; j++)
            duplicate = duplicate || strcmp(items[j], s) == 0;
        if (!duplicate)
            items[k++] = arena_strdup(&c->arena, s);
    }
    items[k] = NULL;
    *out = items;
    *n = k;
    return true;
}

void call_invalid(call_t *c, const char *field, const char *zh, const char *en)
{
    call_error(c, "invalid_value", field, field, c->lang == LANG_EN ? en : zh);
}

bool call_credit_code(call_t *c, const char *field, const char *input, const char **normalised)
{
    uscc_result_t r = uscc_check(input);
    if (r.problem == USCC_OK) {
        *normalised = arena_strdup(&c->arena, r.code);
        return true;
    }
    char why[256];
    uscc_describe(&r, c->lang, why, sizeof why);
    call_error(c, "invalid_credit_code", field, why);
    return false;
}

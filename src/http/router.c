/* Route matching (see router.h): segment by segment, {name} matches one non-empty segment. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

static const struct { unsigned m; const char *name; } method_names[] = {
    {HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"}, {HTTP_POST, "POST"}, {HTTP_PUT, "PUT"},
    {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
};

unsigned http_method_parse(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (strlen(method_names[i].name) == len && memcmp(method_names[i].name, s, len) == 0)
            return method_names[i].m;
    return HTTP_OTHER;
}

const char *http_method_name(unsigned m)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (method_names[i].m == m)
            return method_names[i].name;
    return "OTHER";
}

void http_methods_list(unsigned mask, char *out, size_t outlen)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if ((mask & method_names[i].m) == 0)
            continue;
        int n = snprintf(out + k, outlen - k, "%s%s", k ? ", " : "", method_names[i].name);
        if (n < 0 || (size_t)n >= outlen - k)
            return;
        k += (size_t)n;
    }
}

/* Matches one pattern; fills params on success. */
static bool match_one(const char *pattern, const char *path, size_t len, route_match_t *m)
{
    const char *p = pattern;
    size_t i = 0;
    int np = 0;
    while (*p != '\0' && i < len) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (close == NULL || np == ROUTE_MAX_PARAMS)
                return false;
            size_t start = i;
            while (i < len && path[i] != '/')
                i++;
            if (i == start)
                return false;
            m->param_start[np] = path + start;
            m->param_len[np] = i - start;
            np++;
            p = close + 1;
        } else {
            if (*p != path[i])
                return false;
            p++;
            i++;
        }
    }
    if (*p != '\0' || i != len)
        return false;
    m->nparams = np;
    return true;
}

unsigned router_allowed(const route_t *table, int n, const char *path, size_t len)
{
    unsigned allowed = 0;
    for (int r = 0; r < n; r++) {
        route_match_t tmp;
        if (match_one(table[r].pattern, path, len, &tmp))
            allowed |= table[r].method | (table[r].method == HTTP_GET ? HTTP_HEAD : 0);
    }
    return allowed;
}

bool router_match(const route_t *table, int n, unsigned method, const char *path, size_t len,
                  route_match_t *m)
{
    memset(m, 0, sizeof *m);
    m->index = -1;
    unsigned want = method == HTTP_HEAD ? HTTP_GET : method;
    /* first the routes of this method: the common case ends here */
    for (int r = 0; r < n; r++) {
        if (table[r].method != want || !match_one(table[r].pattern, path, len, m))
            continue;
        m->route = &table[r];
        m->index = r;
        return true;
    }
    /* no route of this method: 405 if the path exists for others, else 404 */
    m->nparams = 0;
    m->allowed = router_allowed(table, n, path, len);
    return m->allowed != 0;
}

bool route_param_name(const char *pattern, int i, char *out, size_t outlen)
{
    const char *p = pattern;
    for (int k = 0;; k++) {
        p = strchr(p, '{');
        if (p == NULL)
            return false;
        const char *close = strchr(p, '}');
        if (close == NULL)
            return false;
        if (k == i) {
            snprintf(out, outlen, "%.*s", (int)(close - p - 1), p + 1);
            return true;
        }
        p = close + 1;
    }
}

size_t route_body_limit(const route_t *r)
{
    return r->body_limit ? r->body_limit : ROUTE_DEFAULT_BODY_LIMIT;
}

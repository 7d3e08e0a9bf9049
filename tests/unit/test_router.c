/* Covers http/router (matching, HEAD, 405 masks, parameters, method names) and the rules of the real route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/roles.h"
#include "http/dispatch.h"
#include "api/api.h"
#include "api/schemas.h"
#include "http/router.h"

#define UNUSED (void)state

static void h(call_t *c) { (void)c; }

static const route_t table[] = {
    {.method = HTTP_GET, .pattern = "/api/items", .roles = ROLES_ANY, .handler = h},           /* 0 */
    {.method = HTTP_POST, .pattern = "/api/items", .roles = ROLES_ANY, .handler = h},          /* 1 */
    {.method = HTTP_GET, .pattern = "/api/items/{id}", .roles = ROLES_ANY, .handler = h},      /* 2 */
    {.method = HTTP_DELETE, .pattern = "/api/items/{id}", .roles = ROLES_ANY, .handler = h},   /* 3 */
    {.method = HTTP_PUT, .pattern = "/api/items/{id}/tags/{tag}", .roles = ROLES_ANY, .handler = h}, /* 4 */
    {.method = HTTP_GET, .pattern = "/api/items/special", .roles = ROLES_ANY, .handler = h},   /* 5: after {id} */
    {.method = HTTP_GET, .pattern = "/a/{p1}/{p2}/{p3}/{p4}", .roles = ROLES_ANY, .handler = h},      /* 6 */
    {.method = HTTP_GET, .pattern = "/b/{p1}/{p2}/{p3}/{p4}/{p5}", .roles = ROLES_ANY, .handler = h}, /* 7 */
    {.method = HTTP_PATCH, .pattern = "/api/x.{fmt}", .roles = ROLES_ANY, .handler = h},       /* 8 */
};
static const int ntable = (int)(sizeof table / sizeof table[0]);

static bool match(unsigned method, const char *path, route_match_t *m)
{
    return router_match(table, ntable, method, path, strlen(path), m);
}

static void assert_param(const route_match_t *m, int i, const char *want)
{
    assert_true(i < m->nparams);
    assert_int_equal(m->param_len[i], strlen(want));
    assert_memory_equal(m->param_start[i], want, strlen(want));
}

static void static_routes(void **state)
{
    UNUSED;
    route_match_t m;
    assert_true(match(HTTP_GET, "/api/items", &m));
    assert_ptr_equal(m.route, &table[0]);
    assert_int_equal(m.index, 0);
    assert_int_equal(m.nparams, 0);
    assert_true(match(HTTP_POST, "/api/items", &m));
    assert_ptr_equal(m.route, &table[1]);
    assert_int_equal(m.index, 1);
    assert_int_equal(router_allowed(table, ntable, "/api/items", 10), HTTP_GET | HTTP_HEAD | HTTP_POST);
}

static void param_routes(void **state)
{
    UNUSED;
    route_match_t m;
    assert_true(match(HTTP_GET, "/api/items/42", &m));
    assert_ptr_equal(m.route, &table[2]);
    assert_int_equal(m.nparams, 1);
    assert_param(&m, 0, "42");
    assert_true(match(HTTP_DELETE, "/api/items/a%20b", &m));
    assert_ptr_equal(m.route, &table[3]);
    assert_param(&m, 0, "a%20b");                       /* raw, still encoded */
    assert_true(match(HTTP_PUT, "/api/items/7/tags/red", &m));
    assert_ptr_equal(m.route, &table[4]);
    assert_int_equal(m.nparams, 2);
    assert_param(&m, 0, "7");
    assert_param(&m, 1, "red");
    /* the first route in table order wins: {id} before the literal "special" */
    assert_true(match(HTTP_GET, "/api/items/special", &m));
    assert_ptr_equal(m.route, &table[2]);
    assert_param(&m, 0, "special");
    /* a parameter may be part of a segment */
    assert_true(match(HTTP_PATCH, "/api/x.json", &m));
    assert_ptr_equal(m.route, &table[8]);
    assert_param(&m, 0, "json");
}

static void get_answers_head(void **state)
{
    UNUSED;
    route_match_t m;
    assert_true(match(HTTP_HEAD, "/api/items", &m));
    assert_ptr_equal(m.route, &table[0]);
    assert_true(match(HTTP_HEAD, "/api/items/9", &m));
    assert_ptr_equal(m.route, &table[2]);
    assert_param(&m, 0, "9");
    assert_true(router_allowed(table, ntable, "/api/items/9", 12) & HTTP_HEAD);
}

static void wrong_method_is_405_with_mask(void **state)
{
    UNUSED;
    route_match_t m;
    assert_true(match(HTTP_PATCH, "/api/items", &m));   /* the path exists ... */
    assert_null(m.route);                               /* ... but not for PATCH */
    assert_int_equal(m.index, -1);
    assert_int_equal(m.allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);
    assert_true(match(HTTP_POST, "/api/items/3", &m));
    assert_null(m.route);
    assert_int_equal(m.allowed, HTTP_GET | HTTP_HEAD | HTTP_DELETE);
    assert_true(match(HTTP_OTHER, "/api/items", &m));
    assert_null(m.route);
    assert_true(match(HTTP_GET, "/api/items/1/tags/x", &m));
    assert_null(m.route);
    assert_int_equal(m.allowed, HTTP_PUT);              /* no HEAD: the route is not GET */
}

static void no_match(void **state)
{
    UNUSED;
    route_match_t m;
    assert_false(match(HTTP_GET, "/api/nothing", &m));
    assert_null(m.route);
    assert_int_equal(m.allowed, 0);
    assert_false(match(HTTP_GET, "", &m));
    assert_false(match(HTTP_GET, "/", &m));
    assert_false(match(HTTP_GET, "/api/item", &m));          /* prefix of a pattern */
    assert_false(match(HTTP_GET, "/api/itemsx", &m));        /* pattern is a prefix */
    assert_false(match(HTTP_GET, "/API/items", &m));         /* case matters */
    assert_false(match(HTTP_GET, "/api/items/1/2", &m));     /* a parameter is one segment */
    assert_false(match(HTTP_GET, "/api/items/1/tags", &m));
    assert_false(match(HTTP_GET, "/api/x.", &m));
    /* the length bounds the path */
    assert_false(router_match(table, ntable, HTTP_GET, "/api/items", 4, &m));
    assert_true(router_match(table, ntable, HTTP_GET, "/api/items/5?x", 12, &m));
    assert_param(&m, 0, "5");
    assert_false(router_match(table, 0, HTTP_GET, "/api/items", 10, &m));
}

static void trailing_slash_does_not_match(void **state)
{
    UNUSED;
    route_match_t m;
    assert_false(match(HTTP_GET, "/api/items/", &m));        /* and not as an empty {id} */
    assert_false(match(HTTP_GET, "/api/items/5/", &m));
    assert_false(match(HTTP_GET, "api/items", &m));
    assert_false(match(HTTP_GET, "//api/items", &m));
}

static void empty_segment_is_not_a_param(void **state)
{
    UNUSED;
    route_match_t m;
    assert_false(match(HTTP_PUT, "/api/items//tags/red", &m));
    assert_false(match(HTTP_PUT, "/api/items/1/tags/", &m));
    assert_false(match(HTTP_GET, "/a/1//3/4", &m));
}

static void max_params(void **state)
{
    UNUSED;
    route_match_t m;
    assert_int_equal(ROUTE_MAX_PARAMS, 4);
    assert_true(match(HTTP_GET, "/a/w/x/y/z", &m));
    assert_ptr_equal(m.route, &table[6]);
    assert_int_equal(m.nparams, ROUTE_MAX_PARAMS);
    assert_param(&m, 0, "w");
    assert_param(&m, 3, "z");
    /* a pattern with more parameters than fit never matches (and writes nothing past the arrays) */
    assert_false(match(HTTP_GET, "/b/1/2/3/4/5", &m));
    assert_null(m.route);
}

static void method_names(void **state)
{
    UNUSED;
    assert_int_equal(http_method_parse("GET", 3), HTTP_GET);
    assert_int_equal(http_method_parse("HEAD", 4), HTTP_HEAD);
    assert_int_equal(http_method_parse("POST", 4), HTTP_POST);
    assert_int_equal(http_method_parse("PUT", 3), HTTP_PUT);
    assert_int_equal(http_method_parse("PATCH", 5), HTTP_PATCH);
    assert_int_equal(http_method_parse("DELETE", 6), HTTP_DELETE);
    assert_int_equal(http_method_parse("get", 3), HTTP_OTHER);      /* methods are case-sensitive */
    assert_int_equal(http_method_parse("GETX", 4), HTTP_OTHER);
    assert_int_equal(http_method_parse("GE", 2), HTTP_OTHER);
    assert_int_equal(http_method_parse("", 0), HTTP_OTHER);
    assert_int_equal(http_method_parse("OPTIONS", 7), HTTP_OTHER);
    assert_int_equal(http_method_parse("GETTING", 3), HTTP_GET);    /* the length bounds it */

    assert_string_equal(http_method_name(HTTP_GET), "GET");
    assert_string_equal(http_method_name(HTTP_DELETE), "DELETE");
    assert_string_equal(http_method_name(HTTP_PATCH), "PATCH");
    assert_string_equal(http_method_name(HTTP_OTHER), "OTHER");
    assert_string_equal(http_method_name(HTTP_GET | HTTP_POST), "OTHER");   /* one method only */
}

static void method_lists(void **state)
{
    UNUSED;
    char out[64];
    http_methods_list(HTTP_GET | HTTP_HEAD | HTTP_POST, out, sizeof out);
    assert_string_equal(out, "GET, HEAD, POST");
    http_methods_list(HTTP_DELETE | HTTP_PUT, out, sizeof out);
    assert_string_equal(out, "PUT, DELETE");
    http_methods_list(0, out, sizeof out);
    assert_string_equal(out, "");
    http_methods_list(HTTP_OTHER, out, sizeof out);
    assert_string_equal(out, "");
    /* a small buffer keeps the names that fit and stays terminated */
    char small[10];
    memset(small, 'x', sizeof small);
    http_methods_list(HTTP_GET | HTTP_HEAD | HTTP_POST, small, sizeof small);
    assert_true(memchr(small, '\0', sizeof small) != NULL);
    assert_string_equal(small, "GET, HEAD");
}

static void param_names(void **state)
{
    UNUSED;
    char out[32];
    assert_true(route_param_name("/x/{id}", 0, out, sizeof out));
    assert_string_equal(out, "id");
    assert_false(route_param_name("/x/{id}", 1, out, sizeof out));
    assert_true(route_param_name("/api/items/{id}/tags/{tag}", 1, out, sizeof out));
    assert_string_equal(out, "tag");
    assert_false(route_param_name("/api/items", 0, out, sizeof out));
    assert_false(route_param_name("/x/{broken", 0, out, sizeof out));
    char tiny[3];
    assert_true(route_param_name("/x/{longname}", 0, tiny, sizeof tiny));
    assert_string_equal(tiny, "lo");                                 /* truncated, terminated */
}

/* ---- the real table ---- */

static bool unsafe(unsigned m)
{
    return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

static void api_table_rules(void **state)
{
    UNUSED;
    assert_true(api_routes_count > 0);
    int signin = 0;
    for (int i = 0; i < api_routes_count; i++) {
        const route_t *r = &api_routes[i];
        assert_non_null(r->pattern);
        assert_int_equal(r->pattern[0], '/');
        assert_non_null(r->handler);
        assert_non_null(r->summary);
        assert_true(r->summary[0] != '\0');
        assert_int_not_equal(r->roles, 0);
        assert_int_equal(r->roles & ~(unsigned)ROLES_ANY, 0);        /* only known roles */
        /* exactly one method, a real one, never HEAD (GET answers it) */
        assert_true(r->method == HTTP_GET || r->method == HTTP_POST || r->method == HTTP_PUT ||
                    r->method == HTTP_PATCH || r->method == HTTP_DELETE);
        for (int k = i + 1; k < api_routes_count; k++)
            if (api_routes[k].method == r->method && strcmp(api_routes[k].pattern, r->pattern) == 0)
                fail_msg("duplicate route %s %s", http_method_name(r->method), r->pattern);
        if (r->no_csrf) {
            assert_true(unsafe(r->method));                          /* meaningless otherwise */
            assert_int_equal(r->method, HTTP_POST);
            assert_string_equal(r->pattern, "/api/session");
            signin++;
        }
        /* a route whose parameters do not fit could never match */
        char name[32];
        assert_false(route_param_name(r->pattern, ROUTE_MAX_PARAMS, name, sizeof name));
        /* no-database routes run without a session lookup: the caller is always the public */
        if (r->work == WORK_NO_DB)
            assert_true(r->roles & ROLE_PUBLIC);
        /* a request schema is declared only where there is a body; both name a schema file
         * (src/api/schemas/NAME.json) that is a JSON object */
        if (r->request != NULL) {
            assert_true(unsafe(r->method));
            json_t *j = json_loads(api_schema_text(r->request) ? api_schema_text(r->request) : "", 0, NULL);
            assert_true(json_is_object(j));
            json_decref(j);
        }
        if (r->response != NULL) {
            json_t *j = json_loads(api_schema_text(r->response) ? api_schema_text(r->response) : "", 0, NULL);
            assert_true(json_is_object(j));
            json_decref(j);
        }
    }
    assert_int_equal(signin, 1);
    /* each route matches its own pattern (with parameters filled) and is found first */
    for (int i = 0; i < api_routes_count; i++) {
        const route_t *r = &api_routes[i];
        char path[256];
        size_t k = 0;
        for (const char *p = r->pattern; *p && k < sizeof path - 2; p++) {
            if (*p == '{') {
                path[k++] = '1';
                p = strchr(p, '}');
            } else {
                path[k++] = *p;
            }
        }
        path[k] = '\0';
        route_match_t m;
        assert_true(router_match(api_routes, api_routes_count, r->method, path, k, &m));
        assert_ptr_equal(m.route, r);
    }
}

static void api_table_known_routes(void **state)
{
    UNUSED;
    route_match_t m;
    assert_true(router_match(api_routes, api_routes_count, HTTP_POST, "/api/session", 12, &m));
    assert_non_null(m.route);
    assert_true(m.route->no_csrf);
    assert_int_equal(m.route->work, WORK_SLOW);
    assert_true(m.route->roles & ROLE_PUBLIC);
    assert_int_equal(router_allowed(api_routes, api_routes_count, "/api/session", 12),
                     HTTP_GET | HTTP_HEAD | HTTP_POST | HTTP_DELETE);
    assert_true(router_match(api_routes, api_routes_count, HTTP_GET, "/api/users", 10, &m));
    assert_int_equal(m.route->roles, ROLE_ADMIN);
    assert_true(router_match(api_routes, api_routes_count, HTTP_HEAD, "/healthz", 8, &m));
    assert_non_null(m.route);
    assert_false(router_match(api_routes, api_routes_count, HTTP_GET, "/api/", 5, &m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(static_routes),
        cmocka_unit_test(param_routes),
        cmocka_unit_test(get_answers_head),
        cmocka_unit_test(wrong_method_is_405_with_mask),
        cmocka_unit_test(no_match),
        cmocka_unit_test(trailing_slash_does_not_match),
        cmocka_unit_test(empty_segment_is_not_a_param),
        cmocka_unit_test(max_params),
        cmocka_unit_test(method_names),
        cmocka_unit_test(method_lists),
        cmocka_unit_test(param_names),
        cmocka_unit_test(api_table_rules),
        cmocka_unit_test(api_table_known_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

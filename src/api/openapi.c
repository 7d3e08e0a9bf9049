/* The OpenAPI 3.0.3 document, generated from the route table so that it cannot drift from what
 * the dispatcher enforces. Each operation carries x-roles (who may call it) and x-csrf; its
 * bodies $ref the named schemas (api/schemas.h), which all go into components.schemas. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/schemas.h"
#include "core/buf.h"
#include "core/roles.h"
#include "http/dispatch.h"

static json_t *ref(const char *name)
{
    char r[160];
    snprintf(r, sizeof r, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", r);
}

/* {"application/json":{"schema":{"$ref":…}}}, or the media type a schema names in x-media-type
 * (/metrics: text/plain). */
static json_t *content(json_t *components, const char *name)
{
    const char *type = json_string_value(json_object_get(json_object_get(components, name), "x-media-type"));
    return json_pack("{s:{s:o}}", type ? type : "application/json", "schema", ref(name));
}

/* Every schema file, by name (the file name without .json). */
static json_t *component_schemas(void)
{
    json_t *all = json_object();
    for (int i = 0; i < api_schema_files_count; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s", api_schema_files[i].name);
        char *dot = strrchr(name, '.');
        if (dot != NULL)
            *dot = '\0';
        json_t *s = json_loads(api_schema_files[i].data, 0, NULL);
        if (s != NULL)      /* api_schemas_check() refused to start on one that does not parse */
            json_object_set_new(all, name, s);
    }
    return all;
}

/* "getEnterprisesByIdReview" for GET /api/enterprises/{id}/review: unique, as method and path are. */
static json_t *operation_id(const char *method, const char *pattern)
{
    buf_t b;
    buf_init(&b, 512);
    buf_puts(&b, method);
    if (strncmp(pattern, "/api/", 5) == 0)
        pattern += 4;
    bool upper = true;
    for (const char *p = pattern; *p; p++) {
        if (*p == '/' || *p == '-' || *p == '_' || *p == '.' || *p == '}') {
            upper = true;
        } else if (*p == '{') {
            buf_puts(&b, "By");
            upper = true;
        } else {
            char ch = upper ? (char)toupper((unsigned char)*p) : *p;
            buf_append(&b, &ch, 1);
            upper = false;
        }
    }
    json_t *id = json_stringn(b.data, b.len);
    buf_free(&b);
    return id;
}

static json_t *roles_array(unsigned mask)
{
    static const role_t all[] = {ROLE_PUBLIC, ROLE_ENTERPRISE, ROLE_BODY, ROLE_REGULATOR, ROLE_ADMIN};
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (mask & all[i])
            json_array_append_new(a, json_string(role_name(all[i])));
    return a;
}

static const char *lower_method(unsigned m)
{
    switch (m) {
    case HTTP_GET: return "get";
    case HTTP_POST: return "post";
    case HTTP_PUT: return "put";
    case HTTP_PATCH: return "patch";
    case HTTP_DELETE: return "delete";
    default: return "head";
    }
}

json_t *openapi_document(void)
{
    json_t *components = component_schemas();
    json_t *paths = json_object();
    for (int i = 0; i < api_routes_count; i++) {
        const route_t *r = &api_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        bool is_public = (r->roles & ROLE_PUBLIC) != 0;
        bool unsafe = r->method != HTTP_GET;
        json_t *op = json_pack("{s:s, s:[s], s:o, s:b}", "summary", r->summary ? r->summary : "", "tags",
                               r->tag ? r->tag : "misc", "x-roles", roles_array(r->roles), "x-csrf",
                               unsafe && !r->no_csrf);
        json_t *params = json_array();
        char name[32];
        for (int k = 0; route_param_name(r->pattern, k, name, sizeof name); k++)
            json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "path",
                                                    "required", 1, "schema", "type", "string"));
        json_object_set_new(op, "operationId", operation_id(lower_method(r->method), r->pattern));
        json_object_set_new(op, "parameters", params);
        if (r->request != NULL)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:o}", "required", 1, "content", content(components, r->request)));
        int status = r->success                          ? r->success
                     : r->method == HTTP_POST                ? 201
                     : r->response == NULL && unsafe          ? 204
                                                              : 200;
        char ok[8];
        snprintf(ok, sizeof ok, "%d", status);
        json_t *responses = json_object();
        json_t *success = json_pack("{s:s}", "description", "success");
        if (r->response != NULL)
            json_object_set_new(success, "content", content(components, r->response));
        json_object_set_new(responses, ok, success);
        json_object_set_new(responses, "default",
                            json_pack("{s:s, s:o}", "description", "an error (any 4xx or 5xx status)", "content",
                                      content(components, "Error")));
        json_object_set_new(op, "responses", responses);
        json_object_set_new(op, "x-tokens", json_boolean(r->tokens));
        if (!is_public)
            json_object_set_new(op, "security", r->tokens ? json_pack("[{s:[]}, {s:[]}]", "session", "apiToken")
                                                           : json_pack("[{s:[]}]", "session"));
        json_object_set_new(item, lower_method(r->method), op);
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}, s:o}}", "openapi", "3.0.3", "info", "title",
        "Guanbiao API", "version", GUANBIAO_VERSION, "description",
        "The API of Guanbiao, the service platform for enterprise IP-management-system certification (GB/T 29490). "
        "Errors: {\"error\":{\"code\",\"message\",\"field\",\"fields\"}} (fields: every invalid input of a refused "
        "form); messages in Chinese, English with Accept-Language: en. "
        "Unsafe requests from a cookie session carry X-CSRF-Token. A body's API token (Authorization: Bearer gb_…) "
        "acts as its body on the operations marked x-tokens, and is refused (403 token_not_allowed) elsewhere.",
        "paths", paths, "components", "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name",
        "gb_session", "apiToken", "type", "http", "scheme", "bearer", "description",
        "a body's API token (docs/api.md)", "schemas", components);
}

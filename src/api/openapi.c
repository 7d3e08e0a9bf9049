/* The OpenAPI 3 document, generated from the route table so that it cannot drift from what
 * the dispatcher enforces. Each operation carries x-roles (who may call it) and x-csrf. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/roles.h"
#include "http/dispatch.h"

static json_t *schema(const char *text)
{
    json_t *s = text ? json_loads(text, 0, NULL) : NULL;
    return s ? s : json_pack("{s:s}", "type", "object");
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
        json_object_set_new(op, "parameters", params);
        if (r->raw_body)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:s, s:{s:{s:{s:s, s:s}}}}", "required", 1, "description",
                                          "the file's bytes; its name in X-File-Name (percent-encoded UTF-8)",
                                          "content", "application/octet-stream", "schema", "type", "string",
                                          "format", "binary"));
        else if (r->request != NULL)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content", "application/json",
                                          "schema", schema(r->request)));
        int status = r->success                          ? r->success
                     : r->method == HTTP_POST                ? 201
                     : r->response == NULL && unsafe          ? 204
                                                              : 200;
        char ok[8];
        snprintf(ok, sizeof ok, "%d", status);
        json_t *responses = json_object();
        json_t *success = json_pack("{s:s}", "description", "success");
        if (r->response != NULL)
            json_object_set_new(success, "content",
                                json_pack("{s:{s:o}}", "application/json", "schema", schema(r->response)));
        json_object_set_new(responses, ok, success);
        json_object_set_new(responses, "default",
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "error", "content", "application/json",
                                      "schema", "$ref", "#/components/schemas/Error"));
        json_object_set_new(op, "responses", responses);
        if (!is_public)
            json_object_set_new(op, "security", json_pack("[{s:[]}]", "session"));
        json_object_set_new(item, lower_method(r->method), op);
    }
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}}, s:{s:{s:s, s:{s:{s:s, s:[s], s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}}}}",
        "openapi", "3.0.3", "info", "title", "Guanbiao API", "version", GUANBIAO_VERSION, "description",
        "The API of Guanbiao, the service platform for enterprise IP-management-system certification (GB/T 29490). "
        "Errors: {\"error\":{\"code\",\"message\",\"field\"}}; messages in Chinese, English with Accept-Language: en. "
        "Unsafe requests from a cookie session carry X-CSRF-Token.",
        "paths", paths, "components", "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name",
        "gb_session", "schemas", "Error", "type", "object", "properties", "error", "type", "object", "required", "code",
        "properties", "code", "type", "string", "message", "type", "string", "field", "type", "string");
}

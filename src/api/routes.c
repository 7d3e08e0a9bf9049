/* The route table: every API route with the rules the dispatcher enforces before its handler
 * runs. Add a route here and nowhere else; /api/openapi.json is generated from this table. */
#include "api/api.h"
#include "http/dispatch.h"

#define USER_SCHEMA                                                                                          \
    "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"login\":{\"type\":\"string\"},"  \
    "\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\",\"enum\":[\"enterprise\",\"body\","       \
    "\"regulator\",\"admin\"]},\"enterprise_id\":{\"type\":[\"integer\",\"null\"]},\"body_id\":{\"type\":"  \
    "[\"integer\",\"null\"]},\"region\":{\"type\":\"string\"},\"organisation\":{\"type\":[\"object\","      \
    "\"null\"]}}}"
#define SESSION_SCHEMA "{\"type\":\"object\",\"properties\":{\"user\":" USER_SCHEMA ",\"csrf\":{\"type\":\"string\"}}}"

const route_t api_routes[] = {
    {.method = HTTP_GET, .pattern = "/healthz", .roles = ROLES_ANY, .handler = api_healthz, .tag = "system",
     .summary = "Liveness and database check: 200 {\"status\":\"ok\"} or 503",
     .response = "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}}"},
    {.method = HTTP_GET, .pattern = "/metrics", .roles = ROLES_ANY, .work = WORK_NO_DB, .handler = api_metrics,
     .tag = "system", .summary = "Prometheus metrics: requests by route and status, latency, database errors"},
    {.method = HTTP_GET, .pattern = "/api/openapi.json", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_openapi, .tag = "system", .summary = "This document"},

    {.method = HTTP_POST, .pattern = "/api/session", .roles = ROLES_ANY, .no_csrf = true, .work = WORK_SLOW,
     .body_limit = 4096, .handler = api_session_create, .tag = "session",
     .summary = "Sign in: sets the session cookie and returns the user and the CSRF token",
     .request = "{\"type\":\"object\",\"required\":[\"login\",\"password\"],\"properties\":{\"login\":"
                "{\"type\":\"string\"},\"password\":{\"type\":\"string\"}}}",
     .response = SESSION_SCHEMA},
    {.method = HTTP_GET, .pattern = "/api/session", .roles = ROLES_SIGNED_IN, .handler = api_session_show,
     .tag = "session", .summary = "The signed-in user and the CSRF token; 401 when not signed in",
     .response = SESSION_SCHEMA},
    {.method = HTTP_DELETE, .pattern = "/api/session", .roles = ROLES_SIGNED_IN, .handler = api_session_delete,
     .tag = "session", .summary = "Sign out (on every node)"},
    {.method = HTTP_PUT, .pattern = "/api/session/password", .roles = ROLES_SIGNED_IN, .work = WORK_SLOW,
     .body_limit = 4096, .handler = api_session_password, .tag = "session",
     .summary = "Change the signed-in user's password; ends the user's other sessions",
     .request = "{\"type\":\"object\",\"required\":[\"current_password\",\"new_password\"],\"properties\":"
                "{\"current_password\":{\"type\":\"string\"},\"new_password\":{\"type\":\"string\",\"minLength\":10}}}"},

    {.method = HTTP_GET, .pattern = "/api/users", .roles = ROLE_ADMIN, .handler = api_users_list, .tag = "users",
     .summary = "Accounts, filtered by role and login (query: role, q, page, per_page)",
     .response = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" USER_SCHEMA
                 "},\"total\":{\"type\":\"integer\"},\"page\":{\"type\":\"integer\"},\"per_page\":{\"type\":\"integer\"}}}"},
    {.method = HTTP_POST, .pattern = "/api/users", .roles = ROLE_ADMIN, .work = WORK_SLOW, .body_limit = 4096,
     .handler = api_users_create, .tag = "users", .summary = "Create an account",
     .request = "{\"type\":\"object\",\"required\":[\"login\",\"name\",\"role\",\"password\"],\"properties\":"
                "{\"login\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},"
                "\"password\":{\"type\":\"string\",\"minLength\":10},\"enterprise_id\":{\"type\":\"integer\"},"
                "\"body_id\":{\"type\":\"integer\"},\"region\":{\"type\":\"string\"}}}",
     .response = USER_SCHEMA},
};
const int api_routes_count = (int)(sizeof api_routes / sizeof api_routes[0]);

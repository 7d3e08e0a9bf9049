/* The route table: every API route with the rules the dispatcher enforces before its handler
 * runs. Add a route here and nowhere else; /api/openapi.json is generated from this table. */
#include "api/api.h"

#define USER_SCHEMA                                                                                          \
    "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"login\":{\"type\":\"string\"},"  \
    "\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\",\"enum\":[\"enterprise\",\"body\","       \
    "\"regulator\",\"admin\"]},\"enterprise_id\":{\"type\":[\"integer\",\"null\"]},\"body_id\":{\"type\":"  \
    "[\"integer\",\"null\"]},\"region\":{\"type\":\"string\"},\"organisation\":{\"type\":[\"object\","      \
    "\"null\"]}}}"
/* domain/account.h's password rule, where a password is chosen */
#define PASSWORD_SCHEMA                                                                                      \
    "{\"type\":\"string\",\"minLength\":10,\"maxLength\":256,\"description\":\"at least 10 characters, not all "    \
    "blank (white space of any kind), and not the login\"}"
#define SESSION_SCHEMA "{\"type\":\"object\",\"properties\":{\"user\":" USER_SCHEMA ",\"csrf\":{\"type\":\"string\"}}}"

#define ENTERPRISE_SCHEMA                                                                                    \
    "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"credit_code\":{\"type\":\"string\"},"   \
    "\"region\":{\"type\":\"string\"},\"industry\":{\"type\":\"string\"},\"size\":{\"enum\":[\"large\",\"medium\"," \
    "\"small\",\"micro\"]},\"address\":{\"type\":\"string\"},\"contact_name\":{\"type\":\"string\"},"            \
    "\"contact_phone\":{\"type\":\"string\"},\"contact_email\":{\"type\":\"string\"},\"credit_code_override\":"    \
    "{\"type\":\"boolean\"}}}"
#define BODY_SCHEMA                                                                                          \
    "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"credit_code\":{\"type\":\"string\"},"   \
    "\"code\":{\"type\":\"string\"},\"approval_number\":{\"type\":\"string\"},\"cnas_number\":{\"type\":\"string\"}," \
    "\"founded\":{\"type\":\"string\"},\"address\":{\"type\":\"string\"},\"regions\":{\"type\":\"array\"}}}"
#define FORMER_NAMES_SCHEMA                                                                                  \
    "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"             \
    "\"until\":{\"type\":\"string\",\"format\":\"date\"}}}}"
#define HOLDER_SCHEMA                                                                                        \
    "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"credit_code\":{\"type\":\"string\"},"   \
    "\"address\":{\"type\":\"string\"},\"former_names\":" FORMER_NAMES_SCHEMA "}}"
#define CERTIFICATE_SCHEMA                                                                                   \
    "{\"type\":\"object\",\"properties\":{\"number\":{\"type\":\"string\"},\"holder\":" HOLDER_SCHEMA ","       \
    "\"body\":{\"type\":\"object\"},\"standard\":{\"type\":\"string\"},\"scope\":{\"type\":\"string\"},"            \
    "\"issued\":{\"type\":\"string\"},\"expires\":{\"type\":\"string\"},\"status\":{\"enum\":[\"valid\","         \
    "\"suspended\",\"withdrawn\",\"expired\"]},\"status_changed\":{\"type\":\"string\"}}}"

#define NOTIFICATION_PREFERENCES_SCHEMA                                                                      \
    "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},\"email_enabled\":{\"type\":"      \
    "\"boolean\"},\"types\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"type\":"  \
    "{\"enum\":[\"enterprise_review\",\"certificate_status\",\"certificate_expiring\",\"registration_pending\"]},\"inbox\":{\"type\":"  \
    "\"boolean\"},\"email\":{\"type\":\"boolean\"}}}}}}"
#define UNREAD_SCHEMA "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"}}}"
#define JOB_SCHEMA                                                                                           \
    "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\"},"      \
    "\"payload\":{\"type\":\"string\"},\"state\":{\"enum\":[\"queued\",\"running\",\"done\",\"dead\"]},"             \
    "\"attempts\":{\"type\":\"integer\"},\"max_attempts\":{\"type\":\"integer\"},\"run_at\":{\"type\":\"string\"}," \
    "\"node\":{\"type\":\"string\"},\"last_error\":{\"type\":\"string\"},\"created_at\":{\"type\":\"string\"},"    \
    "\"finished_at\":{\"type\":[\"string\",\"null\"]}}}"

const route_t api_routes[] = {
    {.method = HTTP_GET, .pattern = "/healthz", .roles = ROLES_ANY, .handler = api_healthz, .tag = "system",
     .summary = "Liveness and database check: 200 {\"status\":\"ok\"} or 503",
     .response = "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}}"},
    {.method = HTTP_GET, .pattern = "/metrics", .roles = ROLES_ANY, .work = WORK_NO_DB, .monitoring = true, .handler = api_metrics,
     .tag = "system", .summary = "Prometheus metrics: requests by route and status, latency, database errors"},
    {.method = HTTP_GET, .pattern = "/api/openapi.json", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_openapi, .tag = "system", .summary = "This document"},

    {.method = HTTP_POST, .pattern = "/api/session", .roles = ROLES_ANY, .no_csrf = true, .work = WORK_SLOW, .success = 200,
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
                "{\"current_password\":{\"type\":\"string\"},\"new_password\":" PASSWORD_SCHEMA "}}"},

    {.method = HTTP_GET, .pattern = "/api/users", .roles = ROLE_ADMIN, .work = WORK_SCAN, .handler = api_users_list, .tag = "users",
     .summary = "Accounts, filtered by role and login (query: role, q, page, per_page)",
     .response = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" USER_SCHEMA
                 "},\"total\":{\"type\":\"integer\"},\"page\":{\"type\":\"integer\"},\"per_page\":{\"type\":\"integer\"}}}"},
    {.method = HTTP_POST, .pattern = "/api/users", .roles = ROLE_ADMIN, .work = WORK_SLOW, .body_limit = 4096,
     .handler = api_users_create, .tag = "users", .summary = "Create an account",
     .request = "{\"type\":\"object\",\"required\":[\"login\",\"name\",\"role\",\"password\"],\"properties\":"
                "{\"login\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},"
                "\"password\":" PASSWORD_SCHEMA ",\"enterprise_id\":{\"type\":\"integer\"},"
                "\"body_id\":{\"type\":\"integer\"},\"region\":{\"type\":\"string\"},\"email\":{\"type\":[\"string\",\"null\"],"
                "\"description\":\"for email notifications\"}}}",
     .response = USER_SCHEMA},

    {.method = HTTP_GET, .pattern = "/api/regions", .roles = ROLES_ANY, .work = WORK_NO_DB, .handler = api_regions_list,
     .tag = "reference", .summary = "GB/T 2260 divisions under ?parent= (provinces when absent)"},
    {.method = HTTP_GET, .pattern = "/api/regions/{code}", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_regions_show, .tag = "reference", .summary = "One division with its path"},
    {.method = HTTP_GET, .pattern = "/api/industries", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_industries_list, .tag = "reference", .summary = "GB/T 4754-2017 sections and divisions"},
    {.method = HTTP_GET, .pattern = "/api/vocabularies", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_vocabularies, .tag = "reference",
     .summary = "Code lists with zh and en labels: certificate statuses (with the changes each allows), scope areas "
                "and stages, standards, enterprise sizes and statuses"},

    {.method = HTTP_GET, .pattern = "/api/enterprises", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_enterprises_list, .tag = "enterprises",
     .summary = "Enterprises in the caller's scope (query: q, region, industry, size, status, sort, page, per_page)"},
    {.method = HTTP_POST, .pattern = "/api/enterprises", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .handler = api_enterprises_create, .tag = "enterprises",
     .summary = "Register an enterprise (approved at once); a wrong credit code gets invalid_credit_code",
     .request = ENTERPRISE_SCHEMA, .response = "{\"type\":\"object\"}"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/registrations", .roles = ROLES_ANY, .work = WORK_SLOW,
     .success = 202, .handler = api_enterprises_register, .tag = "enterprises",
     .summary = "An enterprise registers itself with its first account; pending until its regulator approves. "
                "202 echoes the request, the same whether or not the login was free (docs/api.md)",
     .request = "{\"type\":\"object\",\"required\":[\"account\"],\"properties\":{\"account\":{\"type\":\"object\","
                "\"required\":[\"login\",\"name\",\"password\"],\"properties\":{\"login\":{\"type\":\"string\"},"
                "\"name\":{\"type\":\"string\"},\"password\":" PASSWORD_SCHEMA "}}}}",
     .response = "{\"type\":\"object\"}"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .handler = api_enterprises_show, .tag = "enterprises", .summary = "One enterprise within the caller's scope"},
    {.method = HTTP_PATCH, .pattern = "/api/enterprises/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .handler = api_enterprises_update, .tag = "enterprises", .summary = "Change the given fields of an enterprise",
     .request = ENTERPRISE_SCHEMA, .response = "{\"type\":\"object\"}"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/{id}/review", .roles = ROLE_ADMIN | ROLE_REGULATOR, .success = 200,
     .handler = api_enterprises_review, .tag = "enterprises", .summary = "Approve or reject a pending enterprise",
     .request = "{\"type\":\"object\",\"required\":[\"decision\"],\"properties\":{\"decision\":{\"enum\":"
                "[\"approve\",\"reject\"]},\"note\":{\"type\":\"string\"}}}",
     .response = "{\"type\":\"object\"}"},

    {.method = HTTP_GET, .pattern = "/api/bodies", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_bodies_list, .tag = "bodies",
     .summary = "Certification bodies (query: q, region, sort, page, per_page)"},
    {.method = HTTP_POST, .pattern = "/api/bodies", .roles = ROLE_ADMIN, .handler = api_bodies_create,
     .tag = "bodies", .summary = "Register a certification body", .request = BODY_SCHEMA,
     .response = "{\"type\":\"object\"}"},
    {.method = HTTP_GET, .pattern = "/api/bodies/{id}", .roles = ROLES_ANY, .handler = api_bodies_show,
     .tag = "bodies", .summary = "One certification body"},
    {.method = HTTP_PATCH, .pattern = "/api/bodies/{id}", .roles = ROLE_ADMIN | ROLE_BODY, .handler = api_bodies_update,
     .tag = "bodies", .summary = "Change the given fields of a body (a body: its own)", .request = BODY_SCHEMA,
     .response = "{\"type\":\"object\"}"},

    {.method = HTTP_GET, .pattern = "/api/certificates/{number}", .roles = ROLES_ANY,
     .handler = api_certificates_show, .tag = "certificates",
     .summary = "Verify a certificate (public); 404 certificate_not_found", .response = CERTIFICATE_SCHEMA},
    {.method = HTTP_GET, .pattern = "/api/certificates", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_certificates_list,
     .tag = "certificates",
     .summary = "?credit_code=: a holder's certificates (public); otherwise the caller's certificates (query: status, q, "
                "body_id, standard, sort, page, per_page)"},
    {.method = HTTP_POST, .pattern = "/api/certificates", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_certificates_create, .tag = "certificates", .summary = "Issue a certificate",
     .request = "{\"type\":\"object\",\"required\":[\"number\",\"holder_credit_code\",\"standard\","
                "\"scope_areas\",\"scope_stages\",\"issued\"]}",
     .response = CERTIFICATE_SCHEMA},
    {.method = HTTP_PATCH, .pattern = "/api/certificates/{number}", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_certificates_update, .tag = "certificates",
     .summary = "Change scope or expiry (the issuing body, admins)", .request = "{\"type\":\"object\"}",
     .response = CERTIFICATE_SCHEMA},
    {.method = HTTP_POST, .pattern = "/api/certificates/{number}/status", .roles = ROLE_ADMIN | ROLE_BODY, .success = 200,
     .handler = api_certificates_status, .tag = "certificates",
     .summary = "Suspend, reinstate, withdraw or expire, with a reason",
     .request = "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":{\"enum\":"
                "[\"valid\",\"suspended\",\"withdrawn\",\"expired\"]},\"reason\":{\"type\":\"string\"}}}",
     .response = CERTIFICATE_SCHEMA},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}/history",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .handler = api_certificates_history,
     .tag = "certificates", .summary = "Every status of the certificate with its reason (holder, issuing body, "
                                       "regulator of the holder's region, admins)"},

    {.method = HTTP_GET, .pattern = "/api/notifications", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_notifications_list, .tag = "notifications",
     .summary = "The signed-in user's inbox, newest first (query: unread=1, page, per_page)",
     .response = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"type\":"
                 "\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"type\":{\"type\":\"string\"},"
                 "\"title\":{\"type\":\"string\"},\"link\":{\"type\":\"string\"},\"entity\":{\"type\":\"string\"},"
                 "\"entity_id\":{\"type\":[\"integer\",\"null\"]},\"created_at\":{\"type\":\"string\"},"
                 "\"read_at\":{\"type\":[\"string\",\"null\"]},\"read\":{\"type\":\"boolean\"}}}},"
                 "\"total\":{\"type\":\"integer\"},\"page\":{\"type\":\"integer\"},\"per_page\":{\"type\":\"integer\"}}}"},
    {.method = HTTP_GET, .pattern = "/api/notifications/unread", .roles = ROLES_SIGNED_IN,
     .handler = api_notifications_unread, .tag = "notifications",
     .summary = "The number of unread notifications (for the header's badge)", .response = UNREAD_SCHEMA},
    {.method = HTTP_POST, .pattern = "/api/notifications/{id}/read", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_notifications_read, .tag = "notifications",
     .summary = "Mark one of one's notifications read (404 for another user's); answers the unread count",
     .response = UNREAD_SCHEMA},
    {.method = HTTP_POST, .pattern = "/api/notifications/read-all", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .work = WORK_SCAN, .handler = api_notifications_read_all, .tag = "notifications",
     .summary = "Mark all one's notifications read; answers the unread count", .response = UNREAD_SCHEMA},
    {.method = HTTP_GET, .pattern = "/api/notifications/preferences", .roles = ROLES_SIGNED_IN,
     .handler = api_notifications_preferences, .tag = "notifications",
     .summary = "One's email address and, per type of notification, inbox and email on or off",
     .response = NOTIFICATION_PREFERENCES_SCHEMA},
    {.method = HTTP_PUT, .pattern = "/api/notifications/preferences", .roles = ROLES_SIGNED_IN, .body_limit = 4096,
     .handler = api_notifications_preferences_set, .tag = "notifications",
     .summary = "Set one's email address (\"\" removes it) and the given types' channels",
     .request = "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":[\"string\",\"null\"]},\"types\":"
                "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"type\",\"inbox\",\"email\"],"
                "\"properties\":{\"type\":{\"type\":\"string\"},\"inbox\":{\"type\":\"boolean\"},\"email\":"
                "{\"type\":\"boolean\"}}}}}}",
     .response = NOTIFICATION_PREFERENCES_SCHEMA},
    {.method = HTTP_GET, .pattern = "/api/jobs", .roles = ROLE_ADMIN, .work = WORK_SCAN, .handler = api_jobs_list,
     .tag = "jobs", .summary = "Background jobs: counts by state, failures with their errors, and a page of jobs, "
                               "newest first (query: state, kind, page, per_page)",
     .response = "{\"type\":\"object\",\"properties\":{\"counts\":{\"type\":\"object\",\"properties\":{\"queued\":"
                 "{\"type\":\"integer\"},\"running\":{\"type\":\"integer\"},\"done\":{\"type\":\"integer\"},\"dead\":"
                 "{\"type\":\"integer\"}}},\"failures\":{\"type\":\"array\",\"items\":" JOB_SCHEMA "},\"items\":"
                 "{\"type\":\"array\",\"items\":" JOB_SCHEMA "},\"total\":{\"type\":\"integer\"},\"page\":"
                 "{\"type\":\"integer\"},\"per_page\":{\"type\":\"integer\"}}}"},
    {.method = HTTP_POST, .pattern = "/api/jobs/{id}/retry", .roles = ROLE_ADMIN, .success = 200,
     .handler = api_jobs_retry, .tag = "jobs",
     .summary = "Run a dead job again, its attempts reset; 409 job_not_dead unless it is dead", .response = JOB_SCHEMA},
};
const int api_routes_count = (int)(sizeof api_routes / sizeof api_routes[0]);

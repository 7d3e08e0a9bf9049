/* The route table: every API route with the rules the dispatcher enforces before its handler
 * runs. Add a route here and nowhere else; /api/openapi.json is generated from this table.
 * .request and .response name schemas: NAME is the file src/api/schemas/NAME.json (embedded
 * at build time; api_schemas_check() refuses to start on a name without its file).
 * .cache names the tables a public read's answer comes from: anonymous GETs of that route are
 * then answered from the answer cache, and any write to those tables makes them stale
 * (http/cache.h, docs/cache.md). */
#include "api/api.h"

api_config_t api_config = {.public_url = "http://127.0.0.1:8080"};

/* uploads (docs/files.md): the largest body_limit is also h2o's cap on any request body */
#define ENTERPRISE_FILE_LIMIT (10u << 20)
#define CERTIFICATE_IMPORT_LIMIT (20u << 20)
/* bulk verification: 10,000 entries of at most 40 characters, quoted and escaped, fit */
#define VERIFY_BODY_LIMIT (2u << 20)

const route_t api_routes[] = {
    {.method = HTTP_GET, .pattern = "/healthz", .roles = ROLES_ANY, .handler = api_healthz, .tag = "system",
     .summary = "Liveness and database check: 200 {\"status\":\"ok\"} or 503",
     .response = "Health"},
    {.method = HTTP_GET, .pattern = "/metrics", .roles = ROLES_ANY, .work = WORK_NO_DB, .monitoring = true, .handler = api_metrics,
     .tag = "system", .summary = "Prometheus metrics: requests by route and status, latency, database errors",
     .response = "MetricsText"},
    {.method = HTTP_GET, .pattern = "/api/openapi.json", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_openapi, .tag = "system", .summary = "This document", .response = "OpenApiDocument"},

    {.method = HTTP_POST, .pattern = "/api/session", .roles = ROLES_ANY, .no_csrf = true, .work = WORK_SLOW, .success = 200,
     .body_limit = 4096, .handler = api_session_create, .tag = "session",
     .summary = "Sign in: sets the session cookie and returns the user and the CSRF token",
     .request = "SignIn", .response = "Session"},
    {.method = HTTP_GET, .pattern = "/api/session", .roles = ROLES_SIGNED_IN, .handler = api_session_show,
     .tag = "session", .summary = "The signed-in user and the CSRF token; 401 when not signed in",
     .response = "Session"},
    {.method = HTTP_DELETE, .pattern = "/api/session", .roles = ROLES_SIGNED_IN, .handler = api_session_delete,
     .tag = "session", .summary = "Sign out (on every node)"},
    {.method = HTTP_PUT, .pattern = "/api/session/password", .roles = ROLES_SIGNED_IN, .work = WORK_SLOW,
     .body_limit = 4096, .handler = api_session_password, .tag = "session",
     .summary = "Change the signed-in user's password; ends the user's other sessions",
     .request = "PasswordChange"},

    {.method = HTTP_GET, .pattern = "/api/users", .roles = ROLE_ADMIN, .work = WORK_SCAN, .handler = api_users_list, .tag = "users",
     .summary = "Accounts, filtered by role and login (query: role, q, page, per_page; format=csv|xlsx: every row as a file)",
     .response = "UserPage"},
    {.method = HTTP_POST, .pattern = "/api/users", .roles = ROLE_ADMIN, .work = WORK_SLOW, .body_limit = 4096,
     .handler = api_users_create, .tag = "users", .summary = "Create an account",
     .request = "UserInput", .response = "User"},

    {.method = HTTP_GET, .pattern = "/api/regions", .roles = ROLES_ANY, .work = WORK_NO_DB, .handler = api_regions_list,
     .tag = "reference", .summary = "GB/T 2260 divisions under ?parent= (provinces when absent)",
     .response = "RegionList"},
    {.method = HTTP_GET, .pattern = "/api/regions/{code}", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_regions_show, .tag = "reference", .summary = "One division with its path",
     .response = "RegionDetail"},
    {.method = HTTP_GET, .pattern = "/api/industries", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_industries_list, .tag = "reference", .summary = "GB/T 4754-2017 sections and divisions",
     .response = "IndustryList"},
    {.method = HTTP_GET, .pattern = "/api/vocabularies", .roles = ROLES_ANY, .work = WORK_NO_DB,
     .handler = api_vocabularies, .tag = "reference",
     .summary = "Code lists with zh and en labels: certificate statuses (with the changes each allows), scope areas "
                "and stages, standards, enterprise sizes and statuses", .response = "Vocabularies"},

    {.method = HTTP_GET, .pattern = "/api/enterprises", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_enterprises_list, .tag = "enterprises",
     .summary = "Enterprises in the caller's scope (query: q, region, industry, size, status, sort, page, per_page; "
                "format=csv|xlsx: every row as a file)",
     .response = "EnterprisePage"},
    {.method = HTTP_POST, .pattern = "/api/enterprises", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .handler = api_enterprises_create, .tag = "enterprises",
     .summary = "Register an enterprise (approved at once); a wrong credit code gets invalid_credit_code",
     .request = "EnterpriseInput", .response = "Enterprise"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/registrations", .roles = ROLES_ANY, .work = WORK_SLOW,
     .success = 202, .handler = api_enterprises_register, .tag = "enterprises",
     .summary = "An enterprise registers itself with its first account; pending until its regulator approves. "
                "202 echoes the request, the same whether or not the login was free (docs/api.md)",
     .request = "Registration", .response = "RegistrationAccepted"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .handler = api_enterprises_show, .tag = "enterprises", .summary = "One enterprise within the caller's scope",
     .response = "Enterprise"},
    {.method = HTTP_PATCH, .pattern = "/api/enterprises/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .handler = api_enterprises_update, .tag = "enterprises", .summary = "Change the given fields of an enterprise",
     .request = "EnterpriseChange", .response = "Enterprise"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/{id}/review", .roles = ROLE_ADMIN | ROLE_REGULATOR, .success = 200,
     .handler = api_enterprises_review, .tag = "enterprises", .summary = "Approve or reject a pending enterprise",
     .request = "Review", .response = "Enterprise"},

    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/files", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .work = WORK_SCAN, .handler = api_enterprise_files_list, .tag = "files",
     .summary = "The enterprise's documents (those who may read the enterprise)",
     .response = "AttachmentList"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/{id}/files", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .work = WORK_SLOW, .body_limit = ENTERPRISE_FILE_LIMIT, .raw_body = true, .handler = api_enterprise_files_upload,
     .tag = "files",
     .summary = "Upload a document (PDF, PNG or JPEG by content, at most 10 MiB): the raw bytes, the name in X-File-Name",
     .request = "FileUpload", .response = "Attachment"},
    {.method = HTTP_GET, .pattern = "/api/files/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SLOW, .handler = api_files_download, .tag = "files",
     .summary = "Download an attachment (those who may read its owner; 404 otherwise)", .response = "FileContent"},

    {.method = HTTP_GET, .pattern = "/api/bodies", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_bodies_list, .tag = "bodies",
     .cache = "bodies",
     .summary = "Certification bodies (query: q, region, sort, page, per_page; format=csv|xlsx: every row as a file)",
     .response = "BodyPage"},
    {.method = HTTP_POST, .pattern = "/api/bodies", .roles = ROLE_ADMIN, .handler = api_bodies_create,
     .tag = "bodies", .summary = "Register a certification body", .request = "BodyInput", .response = "Body"},
    {.method = HTTP_GET, .pattern = "/api/bodies/{id}", .roles = ROLES_ANY, .handler = api_bodies_show,
     .cache = "bodies,name_history,body_standing_events",
     .tag = "bodies", .summary = "One certification body", .response = "Body"},
    {.method = HTTP_PATCH, .pattern = "/api/bodies/{id}", .roles = ROLE_ADMIN | ROLE_BODY, .handler = api_bodies_update,
     .tag = "bodies", .summary = "Change the given fields of a body (a body: its own)", .request = "BodyChange",
     .response = "Body"},

    {.method = HTTP_POST, .pattern = "/api/bodies/{id}/standing", .roles = ROLE_ADMIN, .success = 200,
     .handler = api_bodies_standing, .tag = "bodies",
     .summary = "Record a suspension, withdrawal or restoration of the body's approval or accreditation "
                "(a withdrawal is final: 409)",
     .request = "BodyStandingChange", .response = "Body"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}", .roles = ROLES_ANY,
     .cache = "certificates,enterprises,bodies,name_history",
     .handler = api_certificates_show, .tag = "certificates",
     .summary = "Verify a certificate (public); 404 certificate_not_found", .response = "Certificate"},
    {.method = HTTP_GET, .pattern = "/api/certificates", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_certificates_list,
     .cache = "certificates,enterprises,bodies,name_history",
     .tag = "certificates",
     .summary = "?credit_code=: a holder's certificates (public); otherwise the caller's certificates (query: status, q, "
                "body_id, standard, sort, page, per_page); format=csv|xlsx: every row as a file",
     .response = "CertificateList"},
    {.method = HTTP_POST, .pattern = "/api/certificates", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_certificates_create, .tag = "certificates", .summary = "Issue a certificate",
     .request = "CertificateInput",
     .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/imports", .roles = ROLE_ADMIN, .work = WORK_SLOW, .success = 200,
     .body_limit = CERTIFICATE_IMPORT_LIMIT, .raw_body = true, .handler = api_certificates_import, .tag = "certificates",
     .summary = "Import certificates from a CSV upload (UTF-8, at most 20 MiB; the name in X-File-Name), as `guanbiao "
                "import certificates`: the same report",
     .request = "FileUpload", .response = "ImportReport"},
    {.method = HTTP_POST, .pattern = "/api/certificates/verify", .roles = ROLES_ANY, .work = WORK_SCAN, .success = 200,
     .body_limit = VERIFY_BODY_LIMIT, .handler = api_certificates_verify, .tag = "certificates",
     .summary = "Bulk verification (public): the current status of up to 10,000 certificate numbers or credit codes, "
                "in the order asked",
     .request = "BulkVerifyInput", .response = "BulkVerifyResult"},
    {.method = HTTP_POST, .pattern = "/api/certificates/verify/file", .roles = ROLES_ANY, .work = WORK_SCAN, .success = 200,
     .body_limit = VERIFY_BODY_LIMIT, .raw_body = true, .handler = api_certificates_verify_file, .tag = "certificates",
     .summary = "Bulk verification of a CSV upload (public; UTF-8, BOM or not, at most 10,000 rows; the column headed "
                "证书编号/number/统一社会信用代码/credit_code, else the first; the name in X-File-Name)",
     .request = "FileUpload", .response = "BulkVerifyResult"},
    {.method = HTTP_PATCH, .pattern = "/api/certificates/{number}", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_certificates_update, .tag = "certificates",
     .summary = "Change scope or expiry (the issuing body, admins)", .request = "CertificateChange",
     .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/{number}/status", .roles = ROLE_ADMIN | ROLE_BODY, .success = 200,
     .handler = api_certificates_status, .tag = "certificates",
     .summary = "Suspend, reinstate, withdraw or expire, with a reason",
     .request = "CertificateStatusChange", .response = "Certificate"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}/pdf", .roles = ROLES_ANY, .work = WORK_SLOW,
     .handler = api_certificates_pdf, .tag = "certificates",
     .summary = "The certificate as a printable PDF with a QR code of its verification page (public); 404 "
                "certificate_not_found",
     .response = "CertificatePdf"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}/history",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .handler = api_certificates_history,
     .tag = "certificates", .summary = "Every status of the certificate with its reason (holder, issuing body, "
                                       "regulator of the holder's region, admins)", .response = "CertificateHistory"},

    {.method = HTTP_GET, .pattern = "/api/notifications", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_notifications_list, .tag = "notifications",
     .summary = "The signed-in user's inbox, newest first (query: unread=1, page, per_page; format=csv|xlsx: every row as a file)",
     .response = "NotificationPage"},
    {.method = HTTP_GET, .pattern = "/api/notifications/unread", .roles = ROLES_SIGNED_IN,
     .handler = api_notifications_unread, .tag = "notifications",
     .summary = "The number of unread notifications (for the header's badge)", .response = "UnreadCount"},
    {.method = HTTP_POST, .pattern = "/api/notifications/{id}/read", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_notifications_read, .tag = "notifications",
     .summary = "Mark one of one's notifications read (404 for another user's); answers the unread count",
     .response = "UnreadCount"},
    {.method = HTTP_POST, .pattern = "/api/notifications/read-all", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .work = WORK_SCAN, .handler = api_notifications_read_all, .tag = "notifications",
     .summary = "Mark all one's notifications read; answers the unread count", .response = "UnreadCount"},
    {.method = HTTP_GET, .pattern = "/api/notifications/preferences", .roles = ROLES_SIGNED_IN,
     .handler = api_notifications_preferences, .tag = "notifications",
     .summary = "One's email address and, per type of notification, inbox and email on or off",
     .response = "NotificationPreferences"},
    {.method = HTTP_PUT, .pattern = "/api/notifications/preferences", .roles = ROLES_SIGNED_IN, .body_limit = 4096,
     .handler = api_notifications_preferences_set, .tag = "notifications",
     .summary = "Set one's email address (\"\" removes it) and the given types' channels",
     .request = "NotificationPreferencesInput",
     .response = "NotificationPreferences"},
    {.method = HTTP_GET, .pattern = "/api/jobs", .roles = ROLE_ADMIN, .work = WORK_SCAN, .handler = api_jobs_list,
     .tag = "jobs", .summary = "Background jobs: counts by state, failures with their errors, and a page of jobs, "
                               "newest first (query: state, kind, page, per_page; format=csv|xlsx: the jobs as a file)",
     .response = "JobPage"},
    {.method = HTTP_POST, .pattern = "/api/jobs/{id}/retry", .roles = ROLE_ADMIN, .success = 200,
     .handler = api_jobs_retry, .tag = "jobs",
     .summary = "Run a dead job again, its attempts reset; 409 job_not_dead unless it is dead", .response = "Job"},

    {.method = HTTP_GET, .pattern = "/api/audit", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SCAN,
     .handler = api_audit_list, .tag = "audit",
     .summary = "The audit log, newest first: admins everything, a regulator the entries of its region (query: actor, "
                "entity, entity_id, action (\"certificate.\" for a family), q (a record's key or an actor's login), from, to "
                "(YYYY-MM-DD), sort (-seq, the default, or seq), page, per_page; format=csv|xlsx: every row as a file)",
     .response = "AuditPage"},
    {.method = HTTP_GET, .pattern = "/api/audit/{seq}", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SCAN,
     .handler = api_audit_show, .tag = "audit", .summary = "One audit log entry with its hashes",
     .response = "AuditEntry"},
};
const int api_routes_count = (int)(sizeof api_routes / sizeof api_routes[0]);

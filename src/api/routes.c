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
/* a review or complaint: 2,000 characters of text (up to 4 bytes each, escaped) and a little more */
#define FEEDBACK_BODY_LIMIT (32u << 10)
/* an audit plan or finding, a management review: a few texts of 4,000 characters, escaped */
#define AUDIT_BODY_LIMIT (128u << 10)
/* an indicator file (docs/effectiveness.md "Imports"): as large as the certificate import, so the
 * server's body cap (the largest limit) stays 20 MiB; a million values fit in the wide layout */
#define INDICATOR_IMPORT_LIMIT CERTIFICATE_IMPORT_LIMIT
/* learning content (issue 11): a lesson of 100,000 characters (up to 4 bytes each, escaped), a
 * course form, an announcement of 20,000 characters */
#define AUTHORS (ROLE_REGULATOR | ROLE_ADMIN)
#define LESSON_BODY_LIMIT (1u << 20)
#define COURSE_BODY_LIMIT (32u << 10)
#define ANNOUNCEMENT_BODY_LIMIT (256u << 10)
/* local policies and the fair-policy checker (issue 12, docs/policies.md): a text of 1 MiB of
 * UTF-8 (api/policy_checks.h POLICY_TEXT_MAX_BYTES) escaped as JSON (a \u escape takes 6 bytes
 * for a Chinese character of 3, 12 for a pair of 4) and its metadata; an uploaded policy
 * document (PDF, DOCX, HTML or text) up to 20 MiB; a rule set document up to 1 MiB */
#define POLICY_BODY_LIMIT (4u << 20)
#define POLICY_FILE_LIMIT (20u << 20)
#define POLICY_READERS (ROLE_REGULATOR | ROLE_ADMIN)
#define POLICY_RULES_BODY_LIMIT (1u << 20)

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

    /* issue 11, search (docs/learning.md "Search"): public; writes its anonymised log, so never cached */
    {.method = HTTP_GET, .pattern = "/api/search", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_search,
     .tag = "search",
     .summary = "Search the public texts (?q=, type=lesson|course|announcement|topic|commitment, page, per_page): every "
                "term of q (CJK bigrams and words) in each result, best first; snippet and title_html are escaped HTML "
                "with the matches in <mark>",
     .response = "SearchResults"},
    {.method = HTTP_GET, .pattern = "/api/search/log", .roles = ROLE_ADMIN, .work = WORK_SCAN,
     .handler = api_search_log, .tag = "search",
     .summary = "The anonymised search log of the last ?days= days (default 30): the most asked queries and those "
                "that found nothing",
     .response = "SearchLog"},

    {.method = HTTP_GET, .pattern = "/api/bodies/{id}/ranking", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "ranking_results,ranking_platform,bodies",
     .handler = api_bodies_ranking, .tag = "rankings",
     .summary = "A body's place in the ranking with the inputs that produced it and the platform means (public); "
                "404 ranking_not_found for a body not ranked (approval withdrawn, or registered since the last run)",
     .response = "BodyRanking"},
    {.method = HTTP_GET, .pattern = "/api/rankings", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "ranking_results,ranking_platform,bodies",
     .handler = api_rankings_list, .tag = "rankings",
     .summary = "The ranking of certification bodies, best first (public; method v1, docs/marketplace.md)",
     .response = "RankingList"},
    {.method = HTTP_POST, .pattern = "/api/rankings/refresh", .roles = ROLE_ADMIN, .success = 202,
     .handler = api_rankings_refresh, .tag = "rankings",
     .summary = "Queue the ranking job now (unless one is queued already: its id is answered)",
     .response = "RankingRefresh"},
    {.method = HTTP_POST, .pattern = "/api/bodies/{id}/standing", .roles = ROLE_ADMIN, .success = 200,
     .handler = api_bodies_standing, .tag = "bodies",
     .summary = "Record a suspension, withdrawal or restoration of the body's approval or accreditation "
                "(a withdrawal is final: 409)",
     .request = "BodyStandingChange", .response = "Body"},
    /* before /api/certificates/{number}: the first matching route of a method wins */
    {.method = HTTP_GET, .pattern = "/api/certificates/surveillance", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_BODY, .tokens = true,
     .work = WORK_SCAN, .handler = api_certificates_surveillance_list, .tag = "certificates",
     .summary = "Open certificates with a surveillance due, the earliest first, with the days overdue (a body: its own; "
                "a regulator: its region; admins: all; query: due_before (YYYY-MM-DD), overdue=true, q (number or holder), "
                "page, per_page; "
                "format=csv|xlsx: every row as a file)",
     .response = "SurveillancePage"},
    {.method = HTTP_GET, .pattern = "/api/bodies/{id}/tokens", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_body_tokens_list, .tag = "bodies",
     .summary = "The body's API tokens, newest first, revoked ones too (its staff, admins); never the tokens themselves",
     .response = "ApiTokenList"},
    {.method = HTTP_POST, .pattern = "/api/bodies/{id}/tokens", .roles = ROLE_BODY, .body_limit = 4096,
     .handler = api_body_tokens_create, .tag = "bodies",
     .summary = "Create an API token of one's own body: the answer holds the token, shown this once "
                "(Authorization: Bearer gb_… on the certificate routes)",
     .request = "ApiTokenInput", .response = "ApiTokenCreated"},
    {.method = HTTP_DELETE, .pattern = "/api/bodies/{id}/tokens/{token_id}", .roles = ROLE_ADMIN | ROLE_BODY,
     .handler = api_body_tokens_revoke, .tag = "bodies",
     .summary = "Revoke an API token (its body's staff, admins): it answers 401 invalid_token from then on"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}", .roles = ROLES_ANY, .tokens = true,
     .cache = "certificates,enterprises,bodies,name_history",
     .handler = api_certificates_show, .tag = "certificates",
     .summary = "Verify a certificate (public); 404 certificate_not_found", .response = "Certificate"},
    {.method = HTTP_GET, .pattern = "/api/certificates", .roles = ROLES_ANY, .tokens = true, .work = WORK_SCAN, .handler = api_certificates_list,
     .cache = "certificates,enterprises,bodies,name_history",
     .tag = "certificates",
     .summary = "?credit_code=: a holder's certificates (public); otherwise the caller's certificates (query: status, q, "
                "body_id, standard, sort, page, per_page); format=csv|xlsx: every row as a file",
     .response = "CertificateList"},
    {.method = HTTP_POST, .pattern = "/api/certificates", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true,
     .handler = api_certificates_create, .tag = "certificates", .summary = "Issue a certificate",
     .request = "CertificateInput",
     .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/imports", .roles = ROLE_ADMIN, .work = WORK_SLOW, .success = 200,
     .body_limit = CERTIFICATE_IMPORT_LIMIT, .raw_body = true, .handler = api_certificates_import, .tag = "certificates",
     .summary = "Import certificates from a CSV upload (UTF-8, at most 20 MiB; the name in X-File-Name), as `guanbiao "
                "import certificates`: the same report",
     .request = "FileUpload", .response = "ImportReport"},
    {.method = HTTP_POST, .pattern = "/api/certificates/uploads", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true,
     .work = WORK_SLOW, .success = 200, .body_limit = CERTIFICATE_IMPORT_LIMIT, .raw_body = true,
     .handler = api_certificates_upload, .tag = "certificates",
     .summary = "Upload certificates from a CSV (UTF-8) or XLSX (first sheet, at most 20,000 rows) with IAF "
                "CertSearch-style or Chinese headers; valid rows kept, each bad one reported with row, field and "
                "reason; a row identical to what is stored changes nothing. A body (or its API token) uploads only "
                "its own certificates (body_mismatch); an admin names the body in each row",
     .request = "FileUpload", .response = "CertificateUploadReport"},
    {.method = HTTP_GET, .pattern = "/api/clauses", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_clauses_list,
     .cache = "clauses,clause_catalogues", .tag = "compliance",
     .summary = "The clauses of a GB/T 29490 edition (?edition=2013|2023, public) in the catalogue's order, with our "
                "own guidance and typical evidence; ?version=N for an older version of the catalogue",
     .response = "ClauseList"},
    {.method = HTTP_GET, .pattern = "/api/clause-catalogues", .roles = ROLES_ANY, .work = WORK_SCAN,
     .handler = api_clause_catalogues_list, .cache = "clauses,clause_catalogues", .tag = "compliance",
     .summary = "Each edition's clause catalogue versions, newest first (public)", .response = "ClauseCatalogueList"},
    {.method = HTTP_POST, .pattern = "/api/clause-catalogues", .roles = ROLE_ADMIN, .work = WORK_SLOW,
     .body_limit = CLAUSE_IMPORT_LIMIT, .raw_body = true, .handler = api_clause_catalogues_import, .tag = "compliance",
     .summary = "Import an edition's next catalogue version: a JSON document (data/clauses-*.json's shape) or a CSV "
                "upload (X-File-Name; ?edition=&note=; columns number,title,title_en,parent,provisional,guidance,"
                "evidence); every problem listed at once with its row and field, nothing written on any",
     .request = "ClauseCatalogueImport", .response = "ClauseCatalogue"},
    {.method = HTTP_GET, .pattern = "/api/clause-catalogues/{id}/export", .roles = ROLE_ADMIN, .work = WORK_SCAN,
     .handler = api_clause_catalogues_export, .tag = "compliance",
     .summary = "Download a catalogue version in the import's format (?format=json|csv)", .response = "ClauseCatalogueExport"},
    {.method = HTTP_POST, .pattern = "/api/certificates/verify", .roles = ROLES_ANY, .tokens = true, .work = WORK_SCAN, .success = 200,
     .body_limit = VERIFY_BODY_LIMIT, .handler = api_certificates_verify, .tag = "certificates",
     .summary = "Bulk verification (public): the current status of up to 10,000 certificate numbers or credit codes, "
                "in the order asked",
     .request = "BulkVerifyInput", .response = "BulkVerifyResult"},
    {.method = HTTP_POST, .pattern = "/api/certificates/verify/file", .roles = ROLES_ANY, .tokens = true, .work = WORK_SCAN, .success = 200,
     .body_limit = VERIFY_BODY_LIMIT, .raw_body = true, .handler = api_certificates_verify_file, .tag = "certificates",
     .summary = "Bulk verification of a CSV or XLSX upload (public; CSV in UTF-8, BOM or not; XLSX: its first sheet; at most 10,000 rows; the column headed "
                "证书编号/number/统一社会信用代码/credit_code, else the first; the name in X-File-Name)",
     .request = "FileUpload", .response = "BulkVerifyResult"},
    {.method = HTTP_PATCH, .pattern = "/api/certificates/{number}", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true,
     .handler = api_certificates_update, .tag = "certificates",
     .summary = "Change scope or expiry (the issuing body, admins)", .request = "CertificateChange",
     .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/{number}/status", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true, .success = 200,
     .handler = api_certificates_status, .tag = "certificates",
     .summary = "Suspend, reinstate, withdraw or expire, with a reason",
     .request = "CertificateStatusChange", .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/{number}/surveillances", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true,
     .handler = api_certificates_surveillance_create, .tag = "certificates",
     .summary = "Record a surveillance audit (the issuing body, admins): maintained, suspended or withdrawn with a "
                "reason; sets the next due date and the status (409 for a withdrawn or expired certificate, after the "
                "second audit, or when recorded meanwhile)",
     .request = "SurveillanceInput", .response = "Certificate"},
    {.method = HTTP_POST, .pattern = "/api/certificates/{number}/renewal", .roles = ROLE_ADMIN | ROLE_BODY, .tokens = true,
     .handler = api_certificates_renewal, .tag = "certificates",
     .summary = "Renew into the next cycle (the issuing body, admins): a new certificate (number: the R count + 1, or "
                "the one given), decided on decision_date (default today), expiring 3 years − 1 day later; only within "
                "the last year of validity or under 6 months after expiry; 409 once renewed",
     .request = "RenewalInput", .response = "Certificate"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}/pdf", .roles = ROLES_ANY, .tokens = true, .work = WORK_SLOW,
     .handler = api_certificates_pdf, .tag = "certificates",
     .summary = "The certificate as a printable PDF with a QR code of its verification page (public); 404 "
                "certificate_not_found",
     .response = "CertificatePdf"},
    {.method = HTTP_GET, .pattern = "/api/audits/{id}/pdf", .roles = ROLES_SIGNED_IN, .tokens = true, .work = WORK_SLOW,
     .handler = api_audits_pdf, .tag = "audits",
     .summary = "The audit report as a printable A4 PDF (findings by clause, nonconformities raised, effectiveness "
                "check, conclusion, signatures; QR code of the certificate's verification page): the enterprise its "
                "own, the body the audits it runs, a regulator its region, admins; 404 audit_not_found otherwise",
     .response = "AuditReportPdf"},
    {.method = HTTP_GET, .pattern = "/api/certificates/{number}/history",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .tokens = true, .handler = api_certificates_history,
     .tag = "certificates", .summary = "Every status of the certificate with its reason (holder, issuing body, "
                                       "regulator of the holder's region, admins)", .response = "CertificateHistory"},

    {.method = HTTP_GET, .pattern = "/api/commitments", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "commitments,commitment_versions,bodies",
     .handler = api_commitments_list, .tag = "commitments",
     .summary = "The catalogue (public): the current versions of published service commitments (query: region "
                "(a province served; nationwide ones match every region), industry (section letter), edition, "
                "price_max, lead_time_max, coverage (categories, comma-separated, all required), body_id, q (title "
                "or body name), sort (newest, lead_time, price; -name descending), page, per_page; format=csv|xlsx: "
                "every row as a file)",
     .response = "CommitmentPage"},
    {.method = HTTP_POST, .pattern = "/api/commitments", .roles = ROLE_ADMIN | ROLE_BODY,
     .body_limit = 16384, .handler = api_commitments_create, .tag = "commitments",
     .summary = "Publish a new service commitment (version 1): a body for itself, an admin for body_id",
     .request = "CommitmentInput", .response = "Commitment"},
    {.method = HTTP_GET, .pattern = "/api/commitments/{id}", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "commitments,commitment_versions,bodies",
     .handler = api_commitments_show, .tag = "commitments",
     .summary = "One commitment (public, withdrawn ones too): its current version, its body and its earlier versions",
     .response = "Commitment"},
    {.method = HTTP_POST, .pattern = "/api/commitments/{id}/versions", .roles = ROLE_ADMIN | ROLE_BODY,
     .body_limit = 16384, .handler = api_commitments_version_create, .tag = "commitments",
     .summary = "Publish the next version (the whole content, a change_note) on base_version; 409 "
                "commitment_version_conflict when the current version is no longer base_version",
     .request = "CommitmentVersionInput", .response = "Commitment"},
    {.method = HTTP_GET, .pattern = "/api/commitments/{id}/versions/{n}", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "commitments,commitment_versions,bodies",
     .handler = api_commitments_version_show, .tag = "commitments",
     .summary = "One version of a commitment, as it was published (public)", .response = "Commitment"},
    {.method = HTTP_GET, .pattern = "/api/commitments/{id}/diff", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "commitments,commitment_versions,bodies",
     .handler = api_commitments_diff, .tag = "commitments",
     .summary = "What changed between two versions (query: from, to): the fields that differ, before and after (public)",
     .response = "CommitmentDiff"},
    {.method = HTTP_POST, .pattern = "/api/commitments/{id}/withdraw", .roles = ROLE_ADMIN | ROLE_BODY,
     .success = 200, .body_limit = 1024, .handler = api_commitments_withdraw, .tag = "commitments",
     .summary = "Take a commitment out of the catalogue (its body, admins); 409 when already withdrawn",
     .response = "Commitment"},
    {.method = HTTP_POST, .pattern = "/api/commitments/{id}/republish", .roles = ROLE_ADMIN | ROLE_BODY,
     .success = 200, .body_limit = 1024, .handler = api_commitments_republish,
     .tag = "commitments", .summary = "Put a withdrawn commitment back in the catalogue (its body, admins)",
     .response = "Commitment"},
    {.method = HTTP_GET, .pattern = "/api/bodies/{id}/commitments", .roles = ROLE_ADMIN | ROLE_BODY,
     .work = WORK_SCAN, .handler = api_body_commitments_list, .tag = "commitments",
     .summary = "Every commitment of the body, withdrawn ones too, last changed first (its staff, admins; query: page, "
                "per_page)",
     .response = "CommitmentPage"},

    {.method = HTTP_GET, .pattern = "/api/engagements", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SCAN, .handler = api_engagements_list, .tag = "engagements",
     .summary = "Engagements in the caller's scope, newest first (query: status, stage, body_id, enterprise_id, q (enterprise "
                "or body name), sort (requested, application_date, decision_date; - for descending), page, "
                "per_page; format=csv|xlsx: every row as a file)",
     .response = "EngagementPage"},
    {.method = HTTP_POST, .pattern = "/api/engagements", .roles = ROLE_ENTERPRISE, .body_limit = 8192,
     .handler = api_engagements_create, .tag = "engagements",
     .summary = "Request certification under a commitment's current version (409 commitment_withdrawn, "
                "conflict_of_interest, engagement_open)",
     .request = "EngagementRequest", .response = "Engagement"},
    {.method = HTTP_GET, .pattern = "/api/engagements/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .handler = api_engagements_show, .tag = "engagements",
     .summary = "One engagement in the caller's scope, with its stages, lead time and certificate",
     .response = "Engagement"},
    {.method = HTTP_POST, .pattern = "/api/engagements/{id}/accept", .roles = ROLE_BODY, .success = 200, .body_limit = 8192,
     .handler = api_engagements_accept, .tag = "engagements",
     .summary = "The body accepts a requested engagement with its conflict-of-interest declaration",
     .request = "EngagementAccept", .response = "Engagement"},
    {.method = HTTP_POST, .pattern = "/api/engagements/{id}/decline", .roles = ROLE_BODY, .success = 200, .body_limit = 8192,
     .handler = api_engagements_decline, .tag = "engagements", .summary = "The body declines a requested engagement, with a reason",
     .request = "EngagementDecline", .response = "Engagement"},
    {.method = HTTP_POST, .pattern = "/api/engagements/{id}/cancel", .roles = ROLE_ENTERPRISE, .success = 200, .body_limit = 1024,
     .handler = api_engagements_cancel, .tag = "engagements", .summary = "The enterprise cancels its engagement while requested",
     .response = "Engagement"},
    {.method = HTTP_POST, .pattern = "/api/engagements/{id}/stages", .roles = ROLE_BODY, .success = 200, .body_limit = 8192,
     .handler = api_engagements_stage, .tag = "engagements",
     .summary = "The body records the date of stage 1 or stage 2 (in order; not before the previous stage, not in the future)",
     .request = "EngagementStage", .response = "Engagement"},
    {.method = HTTP_POST, .pattern = "/api/engagements/{id}/decision", .roles = ROLE_BODY, .body_limit = 8192,
     .handler = api_engagements_decision, .tag = "engagements",
     .summary = "The body's decision after stage 2; certified issues the certificate from the engagement",
     .request = "EngagementDecision", .response = "Engagement"},
    {.method = HTTP_GET, .pattern = "/api/consulting-ties", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SCAN,
     .handler = api_consulting_ties_list, .tag = "engagements",
     .summary = "Consulting ties in the caller's region (query: enterprise_id, body_id, page, per_page)",
     .response = "ConsultingTiePage"},
    {.method = HTTP_POST, .pattern = "/api/consulting-ties", .roles = ROLE_ADMIN | ROLE_REGULATOR, .body_limit = 8192,
     .handler = api_consulting_ties_create, .tag = "engagements",
     .summary = "Record a consulting tie found between an enterprise of the caller's region and a body: it refuses "
                "later requests and acceptances for the pair",
     .request = "ConsultingTieInput", .response = "ConsultingTie"},

    /* self-assessment and evidence grants (docs/compliance.md "Self-assessment") */
    {.method = HTTP_GET, .pattern = "/api/self-assessments", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SCAN, .handler = api_self_assessments_list, .tag = "compliance",
     .summary = "Self-assessments in the caller's scope; a body sees those of enterprises with a standing evidence grant "
                "to it (query: status, enterprise_id, page, per_page; format=csv|xlsx)",
     .response = "SelfAssessmentPage"},
    {.method = HTTP_POST, .pattern = "/api/self-assessments", .roles = ROLE_ENTERPRISE, .work = WORK_SLOW, .body_limit = 4096,
     .handler = api_self_assessments_create, .tag = "compliance",
     .summary = "Start a self-assessment against the current clause catalogue of an edition (2013 or 2023)",
     .request = "SelfAssessmentInput", .response = "SelfAssessment"},
    {.method = HTTP_GET, .pattern = "/api/self-assessments/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SCAN, .handler = api_self_assessments_show, .tag = "compliance",
     .summary = "One self-assessment: every clause of its catalogue with its item and evidence, progress by chapter, "
                "and the gaps (partly and not_conforming items)",
     .response = "SelfAssessment"},
    {.method = HTTP_POST, .pattern = "/api/self-assessments/{id}/complete", .roles = ROLE_ENTERPRISE, .success = 200,
     .body_limit = 1024, .handler = api_self_assessments_complete, .tag = "compliance",
     .summary = "Complete the self-assessment (409 self_assessment_completed when it is already)",
     .response = "SelfAssessment"},
    {.method = HTTP_PUT, .pattern = "/api/self-assessments/{id}/items/{clause}", .roles = ROLE_ENTERPRISE, .body_limit = 32768,
     .handler = api_self_assessment_item_put, .tag = "compliance",
     .summary = "Assess one clause (status conforming, partly, not_conforming or not_applicable; notes; owner): each "
                "change of status or notes is kept in the item's history",
     .request = "AssessmentItemInput", .response = "AssessmentItem"},
    {.method = HTTP_GET, .pattern = "/api/self-assessments/{id}/items/{clause}/history",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .work = WORK_SCAN,
     .handler = api_self_assessment_item_history, .tag = "compliance",
     .summary = "The changes of one clause's item, newest first", .response = "AssessmentItemHistory"},
    {.method = HTTP_POST, .pattern = "/api/self-assessments/{id}/items/{clause}/evidence", .roles = ROLE_ENTERPRISE,
     .work = WORK_SLOW, .body_limit = ENTERPRISE_FILE_LIMIT, .raw_body = true,
     .handler = api_self_assessment_evidence_upload, .tag = "compliance",
     .summary = "Attach evidence to an assessed clause (PDF, PNG, JPEG, DOCX, XLSX or plain text by content, at most "
                "10 MiB): the raw bytes, the name in X-File-Name; download it with GET /api/files/{id}",
     .request = "FileUpload", .response = "Attachment"},
    {.method = HTTP_GET, .pattern = "/api/evidence-grants", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SCAN, .handler = api_evidence_grants_list, .tag = "compliance",
     .summary = "Evidence grants: an enterprise its own, a body those to it (query: standing=true|false, page, per_page)",
     .response = "EvidenceGrantPage"},
    {.method = HTTP_POST, .pattern = "/api/evidence-grants", .roles = ROLE_ENTERPRISE, .body_limit = 1024,
     .handler = api_evidence_grants_create, .tag = "compliance",
     .summary = "Grant the body of one of the enterprise's engagements access to its evidence and self-assessments",
     .request = "EvidenceGrantInput", .response = "EvidenceGrant"},
    {.method = HTTP_DELETE, .pattern = "/api/evidence-grants/{id}", .roles = ROLE_ENTERPRISE,
     .handler = api_evidence_grants_revoke, .tag = "compliance",
     .summary = "Revoke an evidence grant: the body no longer reads the enterprise's assessments and evidence",
     .response = "EvidenceGrant"},

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

    /* the marketplace's feedback and complaints (docs/marketplace.md) */
    {.method = HTTP_POST, .pattern = "/api/feedback", .roles = ROLE_ENTERPRISE, .body_limit = FEEDBACK_BODY_LIMIT,
     .handler = api_feedback_create, .tag = "feedback",
     .summary = "Review a body for one of the caller's decided engagements (ratings 1–5 on four dimensions, a comment, "
                "optionally a complaint filed with it); 403 engagement_required, 403 conflict_of_interest, 409 "
                "feedback_exists",
     .request = "FeedbackInput", .response = "Feedback"},
    {.method = HTTP_GET, .pattern = "/api/feedback", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_feedback_list, .tag = "feedback",
     .summary = "Reviews in the caller's scope, newest first: the moderation queue of regulators and admins, an "
                "enterprise's or a body's own (query: hidden=0|1, body_id, from, to (YYYY-MM-DD), page, per_page; "
                "format=csv|xlsx: every row as a file)",
     .response = "FeedbackPage"},
    {.method = HTTP_GET, .pattern = "/api/feedback/engagements", .roles = ROLE_ENTERPRISE, .work = WORK_SCAN,
     .handler = api_feedback_engagements, .tag = "feedback",
     .summary = "The caller's active and decided engagements: which may be reviewed (decided, no review yet, no "
                "consulting tie) and which complained about",
     .response = "FeedbackEngagements"},
    {.method = HTTP_GET, .pattern = "/api/feedback/{id}", .roles = ROLES_SIGNED_IN, .handler = api_feedback_show,
     .tag = "feedback", .summary = "One review (its enterprise, its body, the regulators of the enterprise's region, "
                                   "admins)",
     .response = "Feedback"},
    {.method = HTTP_PATCH, .pattern = "/api/feedback/{id}", .roles = ROLE_ENTERPRISE, .body_limit = FEEDBACK_BODY_LIMIT,
     .handler = api_feedback_update, .tag = "feedback",
     .summary = "Edit one's review within 90 days of posting (the previous version is kept); 409 feedback_locked after",
     .request = "FeedbackChange", .response = "Feedback"},
    {.method = HTTP_GET, .pattern = "/api/feedback/{id}/versions", .roles = ROLES_SIGNED_IN,
     .handler = api_feedback_versions, .tag = "feedback",
     .summary = "Every version of a review, oldest first, the current one last", .response = "FeedbackVersions"},
    {.method = HTTP_POST, .pattern = "/api/feedback/{id}/reply", .roles = ROLE_BODY, .success = 200,
     .body_limit = FEEDBACK_BODY_LIMIT, .handler = api_feedback_reply, .tag = "feedback",
     .summary = "The reviewed body's one public reply; 409 reply_exists for a second", .request = "FeedbackReply",
     .response = "Feedback"},
    {.method = HTTP_POST, .pattern = "/api/feedback/{id}/hide", .roles = ROLE_ADMIN | ROLE_REGULATOR, .success = 200,
     .body_limit = 8192, .handler = api_feedback_hide, .tag = "feedback",
     .summary = "Hide a review with a recorded reason (the public then sees a placeholder; the ranking leaves it out)",
     .request = "FeedbackHide", .response = "Feedback"},
    {.method = HTTP_POST, .pattern = "/api/feedback/{id}/unhide", .roles = ROLE_ADMIN | ROLE_REGULATOR, .success = 200,
     .body_limit = 1024, .handler = api_feedback_unhide, .tag = "feedback", .summary = "Show a hidden review again",
     .response = "Feedback"},
    {.method = HTTP_GET, .pattern = "/api/bodies/{id}/feedback", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "feedback,bodies,enterprises",
     .handler = api_body_feedback, .tag = "feedback",
     .summary = "A body's reviews (public), newest first: ratings, comment, reply; hidden ones as placeholders with "
                "the reason; the count and per-dimension averages of the visible ones (query: page, per_page)",
     .response = "BodyReviews"},
    {.method = HTTP_POST, .pattern = "/api/complaints", .roles = ROLE_ENTERPRISE, .body_limit = FEEDBACK_BODY_LIMIT,
     .handler = api_complaints_create, .tag = "complaints",
     .summary = "File a complaint about the body of one of the caller's active or decided engagements",
     .request = "ComplaintInput", .response = "Complaint"},
    {.method = HTTP_GET, .pattern = "/api/complaints", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_complaints_list, .tag = "complaints",
     .summary = "Complaints in the caller's scope, newest first (query: status, body_id, page, per_page; "
                "format=csv|xlsx: every row as a file)",
     .response = "ComplaintPage"},
    {.method = HTTP_GET, .pattern = "/api/complaints/{id}", .roles = ROLES_SIGNED_IN, .handler = api_complaints_show,
     .tag = "complaints", .summary = "One complaint with its steps", .response = "Complaint"},
    {.method = HTTP_POST, .pattern = "/api/complaints/{id}/status", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = FEEDBACK_BODY_LIMIT, .handler = api_complaints_status, .tag = "complaints",
     .summary = "Advance a complaint: received → under_review → upheld | dismissed (a note required to close it)",
     .request = "ComplaintStatusChange", .response = "Complaint"},
    /* audits and management reviews (docs/compliance.md "Audits") */
    {.method = HTTP_POST, .pattern = "/api/audits", .roles = ROLE_ENTERPRISE | ROLE_BODY,
     .body_limit = AUDIT_BODY_LIMIT, .handler = api_audits_create, .tag = "audits",
     .summary = "Plan an audit: an enterprise's internal one, or a body's external one (stage1, stage2, surveillance, "
                "recertification) under its active or decided engagement; clauses sampled from the edition's current "
                "catalogue; 403 audit_engagement_required, 400 audit_unknown_clause",
     .request = "AuditInput", .response = "Audit"},
    {.method = HTTP_GET, .pattern = "/api/audits", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_audits_list, .tag = "audits",
     .summary = "Audits in the caller's scope (an enterprise: about it; a body: those it runs; a regulator: its region), "
                "newest first (query: kind (or external), status, enterprise_id, engagement_id, page, per_page; "
                "format=csv|xlsx)",
     .response = "AuditList"},
    {.method = HTTP_GET, .pattern = "/api/audits/{id}", .roles = ROLES_SIGNED_IN, .handler = api_audits_show,
     .tag = "audits", .summary = "One audit: plan, findings with clause titles, effectiveness check, revision chain",
     .response = "Audit"},
    {.method = HTTP_PATCH, .pattern = "/api/audits/{id}", .roles = ROLE_ENTERPRISE | ROLE_BODY, .success = 200,
     .body_limit = AUDIT_BODY_LIMIT, .handler = api_audits_update, .tag = "audits",
     .summary = "Change an audit's plan, effectiveness check or conclusion (its owner; 409 audit_signed_off once signed off)",
     .request = "AuditChange", .response = "Audit"},
    {.method = HTTP_PUT, .pattern = "/api/audits/{id}/findings/{clause}", .roles = ROLE_ENTERPRISE | ROLE_BODY,
     .success = 200, .body_limit = AUDIT_BODY_LIMIT, .handler = api_audits_finding, .tag = "audits",
     .summary = "Record the finding for a sampled clause (its owner; 409 audit_signed_off once signed off)",
     .request = "AuditFindingInput", .response = "Audit"},
    {.method = HTTP_POST, .pattern = "/api/audits/{id}/sign-off", .roles = ROLE_ENTERPRISE | ROLE_BODY, .success = 200,
     .handler = api_audits_sign_off, .tag = "audits",
     .summary = "Sign an audit off: every sampled clause found and the effectiveness check filled (400 naming what is "
                "missing); 409 audit_signed_off",
     .response = "Audit"},
    {.method = HTTP_POST, .pattern = "/api/audits/{id}/revisions", .roles = ROLE_ENTERPRISE | ROLE_BODY,
     .handler = api_audits_revise, .tag = "audits",
     .summary = "Correct a signed-off audit: a new revision (in progress, content copied); the old one stays; "
                "409 audit_not_signed_off, 409 audit_revised",
     .response = "Audit"},
    {.method = HTTP_POST, .pattern = "/api/management-reviews", .roles = ROLE_ENTERPRISE,
     .body_limit = AUDIT_BODY_LIMIT, .handler = api_management_reviews_create, .tag = "audits",
     .summary = "Record a management review of the caller's enterprise", .request = "ManagementReviewInput",
     .response = "ManagementReview"},
    {.method = HTTP_GET, .pattern = "/api/management-reviews", .roles = ROLE_ENTERPRISE | ROLE_REGULATOR | ROLE_ADMIN,
     .work = WORK_SCAN, .handler = api_management_reviews_list, .tag = "audits",
     .summary = "Management reviews in the caller's scope, newest first (query: enterprise_id, page, per_page; "
                "format=csv|xlsx)",
     .response = "ManagementReviewPage"},
    {.method = HTTP_GET, .pattern = "/api/management-reviews/{id}", .roles = ROLE_ENTERPRISE | ROLE_REGULATOR | ROLE_ADMIN,
     .handler = api_management_reviews_show, .tag = "audits", .summary = "One management review",
     .response = "ManagementReview"},
    {.method = HTTP_PATCH, .pattern = "/api/management-reviews/{id}", .roles = ROLE_ENTERPRISE, .success = 200,
     .body_limit = AUDIT_BODY_LIMIT, .handler = api_management_reviews_update, .tag = "audits",
     .summary = "Change a management review of the caller's enterprise", .request = "ManagementReviewChange",
     .response = "ManagementReview"},

    /* the nonconformity register (docs/compliance.md "Nonconformities"); by-clause before {id} */
    {.method = HTTP_GET, .pattern = "/api/nonconformities/by-clause", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_nonconformities_by_clause, .tag = "nonconformities",
     .summary = "Nonconformities counted by clause (major, minor) with the clause titles, most first, in the caller's "
                "region (query: edition 2013|2023, default 2023; from, to: days of recording; page, per_page; "
                "format=csv|xlsx: every row as a file)",
     .response = "NonconformityClauseCountPage"},
    {.method = HTTP_POST, .pattern = "/api/nonconformities", .roles = ROLE_ADMIN | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SLOW, .body_limit = FEEDBACK_BODY_LIMIT, .handler = api_nonconformities_create, .tag = "nonconformities",
     .summary = "Record a nonconformity: the enterprise its own; a body from its audit of an enterprise it has an "
                "active or decided engagement with (raised_by_audit_id required); the clause must be in the audit's "
                "catalogue, else the edition's current one; 400 unknown_clause, 400 unknown_audit",
     .request = "NonconformityInput", .response = "NonconformityDetail"},
    {.method = HTTP_GET, .pattern = "/api/nonconformities", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_nonconformities_list, .tag = "nonconformities",
     .summary = "Nonconformities in the caller's reach, newest first (query: status, grade, clause, overdue=true|false, "
                "audit_id, page, per_page; format=csv|xlsx: every row as a file)",
     .response = "NonconformityPage"},
    {.method = HTTP_GET, .pattern = "/api/nonconformities/{id}", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_nonconformities_show, .tag = "nonconformities",
     .summary = "One nonconformity with its steps and its raising and closing audits; 404 nonconformity_not_found",
     .response = "NonconformityDetail"},
    {.method = HTTP_PATCH, .pattern = "/api/nonconformities/{id}", .roles = ROLE_ADMIN | ROLE_ENTERPRISE,
     .work = WORK_SLOW, .success = 200, .body_limit = FEEDBACK_BODY_LIMIT, .handler = api_nonconformities_update,
     .tag = "nonconformities",
     .summary = "Edit the root cause, correction, corrective action, owner or due date while not verified effective "
                "(409 nonconformity_closed)",
     .request = "NonconformityChange", .response = "NonconformityDetail"},
    {.method = HTTP_POST, .pattern = "/api/nonconformities/{id}/status", .roles = ROLE_ADMIN | ROLE_ENTERPRISE | ROLE_BODY,
     .work = WORK_SLOW, .success = 200, .body_limit = FEEDBACK_BODY_LIMIT, .handler = api_nonconformities_status,
     .tag = "nonconformities",
     .summary = "A step: open|reopened → action_planned (root cause and corrective action written, else 400 "
                "nonconformity_plan_incomplete) → implemented → effective | not_effective (a note required; a body "
                "names its audit_id; effective records it as closing audit) ; not_effective → reopened. Only the "
                "verification is a body's; 409 nonconformity_transition out of order",
     .request = "NonconformityStatusChange", .response = "NonconformityDetail"},

    /* indicators (issue 10, docs/effectiveness.md "Indicators") */
    {.method = HTTP_GET, .pattern = "/api/indicators", .roles = ROLES_ANY, .work = WORK_SCAN,
     .handler = api_indicators_list, .cache = "indicators", .tag = "effectiveness",
     .summary = "The indicator catalogue in its order, each with its bounds (public); ?all=true for an admin adds the "
                "retired ones and whether each has values",
     .response = "IndicatorList"},
    {.method = HTTP_POST, .pattern = "/api/indicators", .roles = ROLE_ADMIN, .work = WORK_SLOW, .body_limit = 4096,
     .handler = api_indicators_create, .tag = "effectiveness",
     .summary = "Add an indicator to the catalogue (409 indicator_code_taken / indicator_name_taken)",
     .request = "IndicatorInput", .response = "Indicator"},
    {.method = HTTP_PATCH, .pattern = "/api/indicators/{id}", .roles = ROLE_ADMIN, .work = WORK_SLOW, .success = 200,
     .body_limit = 4096, .handler = api_indicators_update, .tag = "effectiveness",
     .summary = "Edit an indicator's names, unit, position or retire it; its code, kind, category and direction only "
                "while it has no values (409 indicator_in_use)",
     .request = "IndicatorChange", .response = "Indicator"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/indicators",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .work = WORK_SCAN,
     .handler = api_enterprise_indicators_show, .tag = "effectiveness",
     .summary = "An enterprise's indicator values by year with the catalogue (the enterprise, a body engaged with it, "
                "regulators of its region, admins; else 404)",
     .response = "IndicatorValues"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/indicators/history",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .work = WORK_SCAN,
     .handler = api_enterprise_indicators_history, .tag = "effectiveness",
     .summary = "Every change of the enterprise's values, newest first (query: indicator, year, page, per_page; "
                "format=csv|xlsx)",
     .response = "IndicatorHistoryPage"},
    {.method = HTTP_PUT, .pattern = "/api/enterprises/{id}/indicators/{year}", .roles = ROLE_ADMIN | ROLE_ENTERPRISE,
     .work = WORK_SLOW, .success = 200, .body_limit = 16384, .handler = api_enterprise_indicators_put,
     .tag = "effectiveness",
     .summary = "Save the enterprise's values of a year ({\"values\":{\"CODE\": number|null}}, null clears one): every "
                "value checked first (400 naming values.CODE, nothing written), each change kept with its previous value",
     .request = "IndicatorValuesInput", .response = "IndicatorYear"},
    {.method = HTTP_POST, .pattern = "/api/enterprises/{id}/indicators/{year}/verification", .roles = ROLE_BODY,
     .work = WORK_SLOW, .success = 200, .body_limit = 16384, .handler = api_enterprise_indicators_verify,
     .tag = "effectiveness",
     .summary = "A body marks the year's values (all, or those named) verified during its own audit of the enterprise "
                "(400 unknown_audit otherwise), or clears its marks with verified false",
     .request = "IndicatorVerification", .response = "IndicatorYear"},

    /* the effectiveness index as read: the enterprise's result and report, the regulators' views
     * (docs/effectiveness.md "Pages and report"; src/api/effectiveness_views.c) */
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/effectiveness",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .tokens = true, .work = WORK_SCAN,
     .handler = api_enterprise_effectiveness, .tag = "effectiveness",
     .summary = "The enterprise's effectiveness index (method v1) with every indicator's before, after, change, peer "
                "median, peers and scaled value: the enterprise its own, a body engaged with it or that issued its "
                "certificate, a regulator its region, admins (404 enterprise_not_found otherwise); 404 "
                "effectiveness_not_evaluated when there is no result (no certificate yet, or not yet computed)",
     .response = "Effectiveness"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/effectiveness/pdf",
     .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE | ROLE_BODY, .tokens = true, .work = WORK_SLOW,
     .handler = api_enterprise_effectiveness_pdf, .tag = "effectiveness",
     .summary = "The effectiveness report as a printable A4 PDF (charts, the full table, the method): the same readers "
                "as the result",
     .response = "EffectivenessPdf"},
    {.method = HTTP_GET, .pattern = "/api/effectiveness/form-only", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_effectiveness_form_only, .tag = "effectiveness",
     .summary = "Enterprises flagged 形式化贯标 (form-only) in the caller's region, lowest index first (query: page, "
                "per_page; format=csv|xlsx: every row as a file)",
     .response = "EffectivenessFormOnlyPage"},
    {.method = HTTP_GET, .pattern = "/api/effectiveness/distribution", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_effectiveness_distribution, .tag = "effectiveness",
     .summary = "The effectiveness index in the caller's region by group (query: by=region|industry|body, required; "
                "regions one level below the caller's): per group the count, mean, median and the count of each "
                "verdict (page, per_page; format=csv|xlsx)",
     .response = "EffectivenessGroupPage"},

    /* indicator imports (issue 10, docs/effectiveness.md "Imports") */
    {.method = HTTP_POST, .pattern = "/api/indicator-imports", .roles = ROLE_ENTERPRISE | ROLE_REGULATOR | ROLE_ADMIN,
     .work = WORK_SLOW, .success = 200, .body_limit = INDICATOR_IMPORT_LIMIT, .raw_body = true,
     .handler = api_indicator_imports_create, .tag = "effectiveness",
     .summary = "Import yearly indicator values from a CSV (UTF-8 with or without BOM, or GBK) or XLSX upload "
                "(X-File-Name; at most 20 MiB), long (credit_code,year,indicator,value) or wide (统一社会信用代码, 年度, "
                "one column per indicator) layout, as `guanbiao import indicators`; ?dry_run=true checks and counts "
                "without writing. A file up to 5 MiB and 50,000 lines is answered at once (200, the report); a "
                "larger one runs as the job indicator_import (200 with state queued; its progress at GET /api/indicator-imports/{id}). "
                "Valid values are kept, each rejected one reported with row, column, code and message; an "
                "enterprise imports its own values (out_of_scope), a regulator its region's",
     .request = "FileUpload", .response = "IndicatorImport"},
    {.method = HTTP_GET, .pattern = "/api/indicator-imports", .roles = ROLE_ENTERPRISE | ROLE_REGULATOR | ROLE_ADMIN,
     .work = WORK_SCAN, .handler = api_indicator_imports_list, .tag = "effectiveness",
     .summary = "The caller's indicator imports (an admin's: everyone's, the CLI's too), newest first (page, per_page; "
                "format=csv|xlsx)",
     .response = "IndicatorImportPage"},
    {.method = HTTP_GET, .pattern = "/api/indicator-imports/{id}", .roles = ROLE_ENTERPRISE | ROLE_REGULATOR | ROLE_ADMIN,
     .work = WORK_SCAN, .handler = api_indicator_imports_show, .tag = "effectiveness",
     .summary = "One indicator import with its progress (rows_done of rows_total) and its rejected rows; 404 "
                "indicator_import_not_found for another user's",
     .response = "IndicatorImport"},
    /* learning content (issue 11, docs/learning.md "Content"; src/api/courses.c, announcements.c) */
    {.method = HTTP_GET, .pattern = "/api/courses", .roles = ROLES_ANY, .work = WORK_SCAN, .handler = api_courses_list,
     .tag = "learning",
     .summary = "The public catalogue: published courses in order (query: category=clauses|policy|briefing|auditor, "
                "clause (a clause number, with its sub-clauses; edition=2013|2023, default 2023), q, page, per_page; "
                "format=csv|xlsx)",
     .response = "CoursePage"},
    {.method = HTTP_GET, .pattern = "/api/authoring/courses", .roles = AUTHORS, .work = WORK_SCAN,
     .handler = api_authoring_courses_list, .tag = "learning",
     .summary = "Every course with its status, for authors, last changed first (query: status, category, clause, "
                "edition, q, page, per_page; format=csv|xlsx)",
     .response = "CoursePage"},
    {.method = HTTP_POST, .pattern = "/api/courses", .roles = AUTHORS, .body_limit = COURSE_BODY_LIMIT,
     .handler = api_courses_create, .tag = "learning", .summary = "Create a course (draft)",
     .request = "CourseInput", .response = "CourseDetail"},
    {.method = HTTP_GET, .pattern = "/api/courses/{id}", .work = WORK_SCAN, .roles = ROLES_ANY, .handler = api_courses_show,
     .tag = "learning",
     .summary = "A published course with its published lessons' titles in order (authors: any course, every lesson "
                "with its status); 404 course_not_found",
     .response = "CourseDetail"},
    {.method = HTTP_PUT, .pattern = "/api/courses/{id}", .roles = AUTHORS, .body_limit = COURSE_BODY_LIMIT,
     .handler = api_courses_update, .tag = "learning",
     .summary = "Change a course (the fields sent); 409 course_transition once archived",
     .request = "CourseInput", .response = "CourseDetail"},
    {.method = HTTP_POST, .pattern = "/api/courses/{id}/status", .roles = AUTHORS, .success = 200, .body_limit = 4096,
     .handler = api_courses_status, .tag = "learning",
     .summary = "Move a course: draft → review → published → archived, review → draft, archived → draft (409 "
                "course_transition otherwise; course_without_lessons to publish one without a published lesson); "
                "publishing makes it and its lessons searchable, archiving removes them",
     .request = "LearningStatusInput", .response = "CourseDetail"},
    {.method = HTTP_PUT, .pattern = "/api/courses/{id}/order", .roles = AUTHORS, .body_limit = 16384,
     .handler = api_courses_order, .tag = "learning",
     .summary = "Reorder a course's lessons: lesson_ids lists every lesson once, in the new order",
     .request = "LessonOrderInput", .response = "CourseDetail"},
    {.method = HTTP_POST, .pattern = "/api/courses/{id}/lessons", .roles = AUTHORS, .body_limit = LESSON_BODY_LIMIT,
     .handler = api_lessons_create, .tag = "learning",
     .summary = "Add a draft lesson at the end of a course; clauses are clause numbers of the course's edition "
                "(400 unknown_clause otherwise)",
     .request = "LessonInput", .response = "LessonDraft"},
    {.method = HTTP_GET, .pattern = "/api/lessons/{id}", .work = WORK_SCAN, .roles = ROLES_ANY, .handler = api_lessons_show,
     .tag = "learning",
     .summary = "A lesson as readers see it: its published revision, html rendered on the server (raw HTML dropped, "
                "javascript: links emptied), video link, clauses, previous and next lessons; 404 lesson_not_found",
     .response = "Lesson"},
    {.method = HTTP_PUT, .pattern = "/api/lessons/{id}", .roles = AUTHORS, .body_limit = LESSON_BODY_LIMIT,
     .handler = api_lessons_update, .tag = "learning",
     .summary = "Edit a lesson's working copy (a published lesson becomes a draft again; readers keep the published "
                "revision); 409 lesson_transition while in review",
     .request = "LessonInput", .response = "LessonDraft"},
    {.method = HTTP_GET, .pattern = "/api/lessons/{id}/draft", .work = WORK_SCAN, .roles = AUTHORS, .handler = api_lessons_draft,
     .tag = "learning", .summary = "A lesson's working copy with its status and rendered preview",
     .response = "LessonDraft"},
    {.method = HTTP_POST, .pattern = "/api/lessons/{id}/submit", .roles = AUTHORS, .success = 200,
     .handler = api_lessons_submit, .tag = "learning",
     .summary = "Submit a draft lesson for review (409 lesson_transition otherwise)", .response = "LessonDraft"},
    {.method = HTTP_POST, .pattern = "/api/lessons/{id}/approve", .roles = AUTHORS, .success = 200,
     .handler = api_lessons_approve, .tag = "learning",
     .summary = "Approve and publish a lesson in review as its next revision: by another author than its last editor "
                "(409 lesson_own_review), once (409 lesson_transition)", .response = "LessonDraft"},
    {.method = HTTP_GET, .pattern = "/api/lessons/{id}/revisions", .work = WORK_SCAN, .roles = AUTHORS, .handler = api_lessons_revisions,
     .tag = "learning", .summary = "A lesson's publications, newest first", .response = "LessonRevisionList"},
    {.method = HTTP_GET, .pattern = "/api/lessons/{id}/revisions/{revision}", .work = WORK_SCAN, .roles = AUTHORS,
     .handler = api_lessons_revision_show, .tag = "learning",
     .summary = "One publication of a lesson as it was, with its html", .response = "LessonRevision"},
    {.method = HTTP_POST, .pattern = "/api/markdown/preview", .roles = AUTHORS, .success = 200,
     .body_limit = LESSON_BODY_LIMIT, .handler = api_markdown_preview, .tag = "learning",
     .summary = "Render Markdown as readers will see it (the authors' preview)",
     .request = "MarkdownInput", .response = "MarkdownHtml"},
    {.method = HTTP_GET, .pattern = "/api/announcements", .roles = ROLES_ANY, .work = WORK_SCAN,
     .handler = api_announcements_list, .tag = "learning",
     .summary = "Published announcements, pinned first then newest (authors: ?status=draft|published|archived|all; "
                "page, per_page; format=csv|xlsx)",
     .response = "AnnouncementPage"},
    {.method = HTTP_POST, .pattern = "/api/announcements", .roles = AUTHORS, .body_limit = ANNOUNCEMENT_BODY_LIMIT,
     .handler = api_announcements_create, .tag = "learning", .summary = "Write an announcement (draft)",
     .request = "AnnouncementInput", .response = "Announcement"},
    {.method = HTTP_GET, .pattern = "/api/announcements/{id}", .work = WORK_SCAN, .roles = ROLES_ANY, .handler = api_announcements_show,
     .tag = "learning", .summary = "A published announcement (authors: any); 404 announcement_not_found",
     .response = "Announcement"},
    {.method = HTTP_PUT, .pattern = "/api/announcements/{id}", .roles = AUTHORS, .body_limit = ANNOUNCEMENT_BODY_LIMIT,
     .handler = api_announcements_update, .tag = "learning",
     .summary = "Change an announcement (409 announcement_transition once archived)",
     .request = "AnnouncementInput", .response = "Announcement"},
    {.method = HTTP_POST, .pattern = "/api/announcements/{id}/status", .roles = AUTHORS, .success = 200,
     .body_limit = 4096, .handler = api_announcements_status, .tag = "learning",
     .summary = "Publish (draft → published: searchable) or archive (published → archived) an announcement; 409 "
                "announcement_transition otherwise",
     .request = "LearningStatusInput", .response = "Announcement"},
    /* quizzes, progress, certificates of completion (issue 11, docs/learning.md "Quizzes, certificates and progress") */
    {.method = HTTP_GET, .pattern = "/api/courses/{id}/questions", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SCAN,
     .handler = api_questions_list, .tag = "learning",
     .summary = "A course's question bank with the correct options and explanations (regulators, admins)",
     .response = "QuestionList"},
    {.method = HTTP_POST, .pattern = "/api/courses/{id}/questions", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .body_limit = 32768, .handler = api_questions_create, .tag = "learning",
     .summary = "Add a question to the course's bank: kind single | multiple | truefalse, text, options (true/false: "
                "正确, 错误), correct (option indexes), explanation, clauses; audited",
     .request = "QuestionInput", .response = "Question"},
    {.method = HTTP_PUT, .pattern = "/api/questions/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .body_limit = 32768, .handler = api_questions_update, .tag = "learning",
     .summary = "Replace a question (attempts already drawn score against the new answer); audited",
     .request = "QuestionInput", .response = "Question"},
    {.method = HTTP_DELETE, .pattern = "/api/questions/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .handler = api_questions_delete, .tag = "learning",
     .summary = "Take a question out of the bank (kept for the attempts that drew it); audited"},
    {.method = HTTP_POST, .pattern = "/api/courses/{id}/quiz-attempts", .roles = ROLES_SIGNED_IN, .work = WORK_SLOW, .success = 200,
     .body_limit = 1024, .handler = api_quiz_attempts_start, .tag = "learning",
     .summary = "Start the course's quiz (a published course): the caller's open attempt or a new one of "
                "quiz_size questions drawn at random, WITHOUT their answers; 409 quiz_attempts_exhausted when "
                "max_attempts are submitted, quiz_empty when the bank is empty",
     .response = "QuizAttempt"},
    {.method = HTTP_GET, .pattern = "/api/quiz-attempts/{id}", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_quiz_attempts_show, .tag = "learning",
     .summary = "The caller's attempt: before submission its questions only; after, the score, the correct options, "
                "the explanations and the choices made (404 for another's)",
     .response = "QuizAttempt"},
    {.method = HTTP_POST, .pattern = "/api/quiz-attempts/{id}/submit", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 16384, .handler = api_quiz_attempts_submit, .tag = "learning",
     .summary = "Submit the answers ({answers: {question id: [option indexes]}}), scored by the server only; once "
                "(409 quiz_attempt_submitted), within max_attempts (409 quiz_attempts_exhausted); a pass that "
                "completes the course issues its certificate of completion",
     .request = "QuizSubmission", .response = "QuizAttempt"},
    {.method = HTTP_POST, .pattern = "/api/lessons/{id}/progress", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_lesson_progress, .tag = "learning",
     .summary = "A learning event on a published lesson (event: opened | completed): appended and the caller's "
                "progress updated at once; completing the last lesson of a course whose quiz is passed issues the "
                "certificate of completion",
     .request = "LessonProgressEvent", .response = "CourseProgress"},
    {.method = HTTP_GET, .pattern = "/api/me/learning", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_me_learning, .tag = "learning",
     .summary = "The caller's courses, last active first: lessons completed of the published ones, best score, "
                "passed, certificate, the lesson to resume at",
     .response = "MyLearning"},
    {.method = HTTP_GET, .pattern = "/api/enterprises/{id}/learning", .roles = ROLE_ADMIN | ROLE_REGULATOR | ROLE_ENTERPRISE,
     .work = WORK_SCAN, .handler = api_enterprise_learning, .tag = "learning",
     .summary = "The learning progress of the enterprise's staff, by learner and course (its own users, the "
                "regulators of its region, admins; page, per_page; format=csv|xlsx)",
     .response = "StaffLearningPage"},
    {.method = HTTP_GET, .pattern = "/api/completion-certificates/{number}", .roles = ROLES_ANY, .work = WORK_SCAN,
     .handler = api_completion_show, .tag = "learning",
     .summary = "Verify a certificate of completion (public): holder, course, score, date; 404 "
                "completion_certificate_not_found",
     .response = "CompletionCertificate"},
    {.method = HTTP_GET, .pattern = "/api/completion-certificates/{number}/pdf", .roles = ROLES_ANY, .work = WORK_SLOW,
     .handler = api_completion_pdf, .tag = "learning",
     .summary = "The certificate of completion as a PDF with a QR code of its verification page (public)",
     .response = "CompletionCertificatePdf"},
    /* the exchange forum (issue 11, docs/learning.md "Exchange"; src/api/forum.c) */
    {.method = HTTP_GET, .pattern = "/api/forum/categories", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "forum_categories,forum_topics",
     .handler = api_forum_categories, .tag = "forum",
     .summary = "The forum's categories in order, each with its count of visible topics (public)",
     .response = "ForumCategories"},
    {.method = HTTP_POST, .pattern = "/api/forum/categories", .roles = ROLE_ADMIN, .body_limit = 8192,
     .handler = api_forum_category_create, .tag = "forum",
     .summary = "Add a category (admins); 409 forum_category_exists for a name taken",
     .request = "ForumCategoryInput", .response = "ForumCategory"},
    {.method = HTTP_GET, .pattern = "/api/forum/categories/{id}", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "forum_categories,forum_topics",
     .handler = api_forum_category_show, .tag = "forum", .summary = "One category (public)",
     .response = "ForumCategory"},
    {.method = HTTP_GET, .pattern = "/api/forum/topics", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "forum_topics,forum_categories,users",
     .handler = api_forum_topics, .tag = "forum",
     .summary = "Topics, latest activity first (public; hidden ones only for moderators and their authors) "
                "(query: category_id, page, per_page; format=csv|xlsx: every row as a file)",
     .response = "ForumTopicPage"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics", .roles = ROLES_SIGNED_IN, .body_limit = 128 * 1024,
     .handler = api_forum_topic_create, .tag = "forum",
     .summary = "Open a topic in Markdown (the author follows it); 429 rate_limited over 5 topics an hour",
     .request = "ForumTopicInput", .response = "ForumTopic"},
    {.method = HTTP_GET, .pattern = "/api/forum/topics/{id}", .roles = ROLES_ANY, .work = WORK_SCAN,
     .cache = "forum_topics,forum_categories,forum_replies,users",
     .handler = api_forum_topic_show, .tag = "forum",
     .summary = "A topic with its replies (public; rendered html; hidden items as placeholders, their text and "
                "reason to their author and moderators)",
     .response = "ForumTopic"},
    {.method = HTTP_PATCH, .pattern = "/api/forum/topics/{id}", .roles = ROLES_SIGNED_IN, .body_limit = 128 * 1024,
     .handler = api_forum_topic_update, .tag = "forum", .summary = "Its author edits a topic's title or body",
     .request = "ForumTopicChange", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics/{id}/replies", .roles = ROLES_SIGNED_IN,
     .body_limit = 128 * 1024, .handler = api_forum_reply_create, .tag = "forum",
     .summary = "Reply in Markdown (followers are notified); 429 rate_limited over 30 replies an hour",
     .request = "ForumReplyInput", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics/{id}/accept", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_forum_accept, .tag = "forum",
     .summary = "Mark one reply the accepted answer (the topic's author or a moderator; null clears it)",
     .request = "ForumAccept", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics/{id}/follow", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_forum_follow, .tag = "forum",
     .summary = "Follow a topic: be notified of its new replies", .response = "ForumTopic"},
    {.method = HTTP_DELETE, .pattern = "/api/forum/topics/{id}/follow", .roles = ROLES_SIGNED_IN, .success = 200,
     .handler = api_forum_unfollow, .tag = "forum", .summary = "Stop following a topic", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics/{id}/hide", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 8192, .handler = api_forum_topic_hide, .tag = "forum",
     .summary = "Hide a topic with a reason (closes its open reports; out of search)", .request = "ForumHide",
     .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/topics/{id}/unhide", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 1024, .handler = api_forum_topic_unhide, .tag = "forum",
     .summary = "Show a hidden topic again", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/replies/{id}/hide", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 8192, .handler = api_forum_reply_hide, .tag = "forum",
     .summary = "Hide a reply with a reason (closes its open reports); answers its topic", .request = "ForumHide",
     .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/replies/{id}/unhide", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 1024, .handler = api_forum_reply_unhide, .tag = "forum",
     .summary = "Show a hidden reply again; answers its topic", .response = "ForumTopic"},
    {.method = HTTP_POST, .pattern = "/api/forum/reports", .roles = ROLES_SIGNED_IN, .body_limit = 8192,
     .handler = api_forum_report_create, .tag = "forum",
     .summary = "Report a topic or a reply with a reason; 409 forum_report_exists while one's report is open",
     .request = "ForumReportInput", .response = "ForumReport"},
    {.method = HTTP_GET, .pattern = "/api/forum/reports", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SCAN,
     .handler = api_forum_reports, .tag = "forum",
     .summary = "The moderation queue: reports, oldest first (query: status=open (default)|dismissed|actioned, "
                "page, per_page; format=csv|xlsx)",
     .response = "ForumReportPage"},
    {.method = HTTP_POST, .pattern = "/api/forum/reports/{id}/dismiss", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 1024, .handler = api_forum_report_dismiss, .tag = "forum",
     .summary = "Close an open report without action; 409 forum_report_closed", .response = "ForumReport"},
    /* issue 11, activities: learning and exchange activities (docs/learning.md "Activities") */
    {.method = HTTP_GET, .pattern = "/api/activities", .roles = ROLES_ANY, .work = WORK_SCAN,
     .handler = api_activities_list, .tag = "learning",
     .summary = "Activities, latest first (upcoming=1: those not ended, soonest first); the public and learners see "
                "published and cancelled ones, organisers (regulators, admins) drafts too (query: status, upcoming, "
                "page, per_page; format=csv|xlsx)",
     .response = "ActivityPage"},
    {.method = HTTP_POST, .pattern = "/api/activities", .roles = ROLE_ADMIN | ROLE_REGULATOR, .body_limit = 64u << 10,
     .handler = api_activities_create, .tag = "learning",
     .summary = "Create an activity as a draft (online needs a link, on site a place); it gets a check-in code",
     .request = "ActivityInput", .response = "Activity"},
    {.method = HTTP_GET, .pattern = "/api/activities/{id}", .work = WORK_SCAN, .roles = ROLES_ANY, .handler = api_activities_show,
     .tag = "learning",
     .summary = "One activity (drafts: organisers only): description as Markdown and as safe HTML, seats left, "
                "waiting-list length, the caller's registration; the check-in code for organisers only",
     .response = "Activity"},
    {.method = HTTP_PATCH, .pattern = "/api/activities/{id}", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .body_limit = 64u << 10, .handler = api_activities_update, .tag = "learning",
     .summary = "Edit an activity (not a cancelled one, 409 activity_cancelled; never fewer seats than taken, 409 "
                "capacity_below_registered); new seats go to the waiting list; a new time, place or link is "
                "notified to the registrants",
     .request = "ActivityChange", .response = "Activity"},
    {.method = HTTP_POST, .pattern = "/api/activities/{id}/publish", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 1024, .handler = api_activities_publish, .tag = "learning",
     .summary = "Publish a draft activity (409 activity_not_draft otherwise)", .response = "Activity"},
    {.method = HTTP_POST, .pattern = "/api/activities/{id}/cancel", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .success = 200, .body_limit = 1024, .handler = api_activities_cancel, .tag = "learning",
     .summary = "Cancel an activity (409 activity_cancelled when it is already); its registrants are notified",
     .response = "Activity"},
    {.method = HTTP_POST, .pattern = "/api/activities/{id}/registrations", .roles = ROLES_SIGNED_IN,
     .body_limit = 1024, .handler = api_activity_register, .tag = "learning",
     .summary = "Register for a published activity that has not ended: a seat while seats remain, else a place on "
                "the waiting list (position 1 first); 409 already_registered, 409 activity_not_open",
     .response = "ActivityRegistration"},
    {.method = HTTP_DELETE, .pattern = "/api/activities/{id}/registrations/mine", .roles = ROLES_SIGNED_IN,
     .success = 200, .handler = api_activity_unregister, .tag = "learning",
     .summary = "Cancel one's registration: a freed seat goes to the first waitlisted in the same transaction (who "
                "is notified); 404 registration_not_found",
     .response = "ActivityRegistration"},
    {.method = HTTP_POST, .pattern = "/api/activities/{id}/check-in", .roles = ROLES_SIGNED_IN, .success = 200,
     .body_limit = 1024, .handler = api_activity_check_in, .tag = "learning",
     .summary = "Check in with the organiser's code, once: 400 invalid_checkin_code, 403 not_registered (no seat), "
                "409 already_checked_in",
     .request = "ActivityCheckIn", .response = "ActivityRegistration"},
    {.method = HTTP_GET, .pattern = "/api/activities/{id}/registrations", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_activity_registrations, .tag = "learning",
     .summary = "An activity's registrations for its organisers: seats first, then the waiting list in order "
                "(query: status, checked_in=1 for the attendance, page, per_page; format=csv|xlsx)",
     .response = "ActivityRegistrationPage"},
    {.method = HTTP_GET, .pattern = "/api/activities/{id}/ics", .roles = ROLES_ANY, .handler = api_activity_ics,
     .tag = "learning",
     .summary = "The activity as an iCalendar file (text/calendar, RFC 5545) to add to a calendar",
     .response = "ActivityCalendar"},
    /* issue 12, registry and review: local policies checked by the fair-policy checker
     * (docs/policies.md "Registry and review"; src/api/policies.c, store/policies.c) */
    {.method = HTTP_GET, .pattern = "/api/policies", .roles = POLICY_READERS, .work = WORK_SCAN,
     .handler = api_policies_list, .tag = "policies",
     .summary = "Local policies in the caller's region, newest first, with the counts of their current findings by "
                "decision (query: region (a code or prefix), status, q (title, office, document number), page, "
                "per_page; format=csv|xlsx: every row as a file)",
     .response = "PolicyPage"},
    {.method = HTTP_GET, .pattern = "/api/policies/by-region", .roles = POLICY_READERS, .work = WORK_SCAN,
     .handler = api_policies_by_region, .tag = "policies",
     .summary = "The policies in the caller's reach by province (two-digit prefix), with counts by status",
     .response = "PolicyRegions"},
    {.method = HTTP_POST, .pattern = "/api/policy-files", .roles = POLICY_READERS, .work = WORK_SLOW,
     .body_limit = POLICY_FILE_LIMIT, .raw_body = true, .handler = api_policy_files_upload, .tag = "policies",
     .summary = "Upload a policy document (plain text, HTML, DOCX or PDF by content, at most 20 MiB): the raw bytes, "
                "the name in X-File-Name; register or revise a policy with its file_id. 415 document_unsupported",
     .request = "FileUpload", .response = "PolicyFile"},
    {.method = HTTP_POST, .pattern = "/api/policies", .roles = POLICY_READERS, .work = WORK_SLOW,
     .body_limit = POLICY_BODY_LIMIT, .handler = api_policies_create, .tag = "policies",
     .summary = "Register a local policy of a region within the caller's reach with its text or an uploaded file "
                "(file_id); the text is checked and its findings kept (422 document_no_text for a scanned PDF)",
     .request = "PolicyInput", .response = "PolicyDetail"},
    {.method = HTTP_GET, .pattern = "/api/policies/{id}", .roles = POLICY_READERS, .work = WORK_SCAN,
     .handler = api_policies_show, .tag = "policies",
     .summary = "A policy: metadata, status, the current revision's text with its findings (by start) and the "
                "revision history; 404 policy_not_found outside the caller's region",
     .response = "PolicyDetail"},
    {.method = HTTP_PATCH, .pattern = "/api/policies/{id}", .roles = POLICY_READERS, .work = WORK_SLOW,
     .body_limit = 16u << 10, .handler = api_policies_update, .tag = "policies",
     .summary = "Change a policy's metadata (title, office, region within reach, number, dates)",
     .request = "PolicyChange", .response = "PolicyDetail"},
    {.method = HTTP_POST, .pattern = "/api/policies/{id}/revisions", .roles = POLICY_READERS, .work = WORK_SLOW,
     .body_limit = POLICY_BODY_LIMIT, .handler = api_policies_revise, .tag = "policies",
     .summary = "A new text of the policy (text or file_id), checked again: a compliant policy becomes unreviewed, "
                "to_amend stays until set amended",
     .request = "PolicyRevisionInput", .response = "PolicyDetail"},
    {.method = HTTP_PUT, .pattern = "/api/policies/{id}/findings/{finding_id}", .roles = POLICY_READERS,
     .work = WORK_SLOW, .body_limit = 16u << 10, .handler = api_policy_finding_decide, .tag = "policies",
     .summary = "Confirm or dismiss a finding of the current revision with a reason (409 policy_finding_stale for an "
                "earlier revision's finding)",
     .request = "PolicyFindingDecision", .response = "PolicyFinding"},
    {.method = HTTP_PUT, .pattern = "/api/policies/{id}/status", .roles = POLICY_READERS, .work = WORK_SLOW,
     .success = 200, .body_limit = 16u << 10, .handler = api_policies_status, .tag = "policies",
     .summary = "Set the review's outcome: compliant (no pending or confirmed finding), to_amend (a confirmed "
                "finding), amended (was to_amend, a later revision with none pending or confirmed); 409 "
                "policy_status_conflict otherwise; the registrant is notified when another regulator sets it",
     .request = "PolicyStatusChange", .response = "PolicyDetail"},
    {.method = HTTP_GET, .pattern = "/api/policies/{id}/pdf", .roles = POLICY_READERS, .work = WORK_SLOW,
     .handler = api_policies_pdf, .tag = "policies", .summary = "The review report of a policy as an A4 PDF",
     .response = "PolicyReportPdf"},
    {.method = HTTP_GET, .pattern = "/api/policies/{id}/xlsx", .roles = POLICY_READERS, .work = WORK_SLOW,
     .handler = api_policies_xlsx, .tag = "policies",
     .summary = "The review report of a policy as an XLSX workbook (findings and metadata sheets)",
     .response = "PolicyReportXlsx"},
    /* the fair-policy checker (issue 12, docs/policies.md "Rules and the checker"; src/api/policy_checks.c) */
    {.method = HTTP_POST, .pattern = "/api/policy-checks", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SLOW,
     .success = 200, .body_limit = POLICY_BODY_LIMIT, .handler = api_policy_checks_create, .tag = "policies",
     .summary = "Check a text (at most 1 MiB of UTF-8) against the fair-policy rules of the notice's point 三 (the "
                "current rule set): each finding is the sentence or enumerated item that breaks a rule, with offsets "
                "in Unicode characters of the text (end exclusive) and the rule's explanation",
     .request = "PolicyCheckInput", .response = "PolicyCheckResult"},
    {.method = HTTP_GET, .pattern = "/api/policy-rules", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SLOW,
     .handler = api_policy_rules_show, .tag = "policies",
     .summary = "The current rule set of the checker (?version=N an older one; 404 policy_ruleset_not_found)",
     .response = "PolicyRuleSet"},
    {.method = HTTP_GET, .pattern = "/api/policy-rules/versions", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_policy_rules_versions, .tag = "policies",
     .summary = "Every version of the rule set, newest (current) first", .response = "PolicyRuleSetVersions"},
    {.method = HTTP_PUT, .pattern = "/api/policy-rules", .roles = ROLE_ADMIN | ROLE_REGULATOR, .work = WORK_SLOW,
     .success = 201, .body_limit = POLICY_RULES_BODY_LIMIT, .handler = api_policy_rules_update, .tag = "policies",
     .summary = "Save a whole rule set as the next version (a national regulator or an admin; 403 "
                "policy_rules_national_only for a regional regulator); compiled first: a bad pattern gets 400 "
                "policy_rule_invalid naming it (e.g. rules[2].patterns[0].match) and nothing is saved; the next "
                "check on any node uses it",
     .request = "PolicyRuleSetInput", .response = "PolicyRuleSet"},

    /* statistics: the regulators' dashboards (docs/statistics.md; query region, industry, from, to,
       format=xlsx|csv, table, lang: api/statistics.h) — feedback */
    {.method = HTTP_GET, .pattern = "/api/statistics/feedback", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_statistics_feedback, .tag = "statistics",
     .summary = "Enterprises' reviews of bodies and their complaints in the caller's reach, by month, body, "
                "rating and complaint status (region, industry, from, to; format=xlsx|csv&table=)",
     .response = "StatisticsFeedback"},
    /* statistics slice "recommendations that say why" (docs/statistics.md "Recommendations";
     * src/api/recommendations.c) */
    {.method = HTTP_GET, .pattern = "/api/recommendations", .roles = ROLES_SIGNED_IN, .work = WORK_SCAN,
     .handler = api_recommendations, .tag = "statistics",
     .summary = "Recommendations that say why: courses and actions for an enterprise or a body, each with the fact "
                "that caused it (the strongest first, at most 8). An enterprise or a body gets its own; a regulator "
                "(within reach) or an admin names one with enterprise_id or body_id (neither: 400 invalid_query; "
                "outside reach: 404 enterprise_not_found / body_not_found)",
     .response = "Recommendations"},
    /* statistics slice "learning" (docs/statistics.md "Learning"; src/api/statistics_learning.c) */
    {.method = HTTP_GET, .pattern = "/api/statistics/learning", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_statistics_learning, .tag = "statistics",
     .summary = "Learning statistics of the period (?region= ?industry= ?from= ?to=, months): learners, lessons "
                "opened and completed, quizzes submitted and passed, by month, region, course category and clause, "
                "and the searches that found nothing; ?format=xlsx or ?format=csv&table=KEY",
     .response = "StatisticsLearning"},

    /* statistics, slice "certification and effectiveness" (docs/statistics.md "Certification",
     * "Effectiveness") */
    {.method = HTTP_GET, .pattern = "/api/statistics/certification", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_statistics_certification, .tag = "statistics",
     .summary = "Certification in the region, industry and months asked (query: region, industry, from, to; "
                "format=xlsx|csv with table): certificates issued and held, engagements requested and certified, "
                "median days to certify, the commitments kept, nonconformities; by month, region, body and clause",
     .response = "StatisticsCertification"},
    {.method = HTTP_GET, .pattern = "/api/statistics/effectiveness", .roles = ROLE_ADMIN | ROLE_REGULATOR,
     .work = WORK_SCAN, .handler = api_statistics_effectiveness, .tag = "statistics",
     .summary = "The effectiveness index of the enterprises certified in the period's years, in the region and "
                "industry asked (query: region, industry, from, to; format=xlsx|csv with table): mean, median, "
                "verdicts, form-only, a histogram of ten bins, by region, industry and body",
     .response = "StatisticsEffectiveness"},
};
const int api_routes_count = (int)(sizeof api_routes / sizeof api_routes[0]);

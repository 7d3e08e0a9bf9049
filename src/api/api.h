/* The API handlers, one file per area; src/api/routes.c lists them with their rules. */
#ifndef GUANBIAO_API_H
#define GUANBIAO_API_H
#include <jansson.h>

#include "http/call.h"
#include "http/jobs_runner.h"
#include "store/files.h"
#include "store/jobs.h"
#include "store/query.h"
#include "store/registry.h"

/* The API's configuration: set once by main() before the server starts, read-only after (so
 * handlers on any thread may read it without a lock). */
typedef struct api_config {
    const char *public_url;   /* the platform's address as the public sees it, without a trailing
                               * "/": printed documents link to {public_url}/verify?q=… */
} api_config_t;
extern api_config_t api_config;

/* routes.c: the route table (the dispatcher is given it: server_options_t.routes) */
extern const route_t api_routes[];
extern const int api_routes_count;

/* session.c */
void api_session_create(call_t *c);
void api_session_show(call_t *c);
void api_session_delete(call_t *c);
void api_session_password(call_t *c);
/* Begins an attempt of key (store/users.h: login_attempt_begin); when it must wait, answers
 * 429 too_many_attempts with Retry-After and the message naming the seconds until the next
 * attempt may go on. True: go on, record any failure, then login_attempt_end(key). */
bool throttle_begin(call_t *c, const char *key, int max);
/* users.c */
void api_users_list(call_t *c);
void api_users_create(call_t *c);
/* reference.c */
void api_regions_list(call_t *c);
void api_regions_show(call_t *c);
void api_industries_list(call_t *c);
/* vocabularies.c */
void api_vocabularies(call_t *c);
/* enterprises.c */
void api_enterprises_list(call_t *c);
void api_enterprises_create(call_t *c);
void api_enterprises_register(call_t *c);
void api_enterprises_show(call_t *c);
void api_enterprises_update(call_t *c);
void api_enterprises_review(call_t *c);
/* Loads enterprise {id} of the path if the caller may reach it (domain/scope.h); otherwise
 * answers 404 enterprise_not_found (or the database error) and returns false. */
bool enterprise_load_in_scope(call_t *c, enterprise_t *e);
/* former (may be NULL: left out) are its former names. */
void enterprise_write(jw_t *w, const enterprise_t *e, const former_names_t *former);
/* bodies.c */
void api_bodies_list(call_t *c);
void api_bodies_create(call_t *c);
void api_bodies_show(call_t *c);
void api_bodies_update(call_t *c);
void api_bodies_standing(call_t *c);
/* certificates.c */
void api_certificates_show(call_t *c);
void api_certificates_list(call_t *c);
void api_certificates_create(call_t *c);
void api_certificates_update(call_t *c);
void api_certificates_status(call_t *c);
void api_certificates_history(call_t *c);
void api_certificates_pdf(call_t *c);
void api_audits_pdf(call_t *c);
/* The public form of a certificate; holder_former (may be NULL: left out) are the holder's
 * former names. */
void certificate_write(jw_t *w, const certificate_t *c, const former_names_t *holder_former);
/* [{"name","until"}], newest first. */
void former_names_write(jw_t *w, const former_names_t *former);
/* Loads certificate {number} of the path; false after answering 400 or 404. */
bool certificate_load(call_t *c, certificate_t *cert);
/* The issuing body and admins may change a certificate; false after answering 403. */
bool certificate_may_change(call_t *c, const certificate_t *cert);
/* Is `number` one body_id may issue: a number in DOMAIN.md's pattern must carry that body's code,
 * not another body's? False after answering 409 number_of_another_body (naming `field`) or a
 * database error. */
bool certificate_number_of_body(call_t *c, const char *number, int64_t body_id, const char *field);
/* Answers certificate `number` as it is now, re-read after a write (unreadable: a database error). */
void certificate_answer(call_t *c, int status, const char *number);
/* surveillance.c: the lifecycle after the decision (docs/registry.md "Lifecycle") */
void api_certificates_surveillance_create(call_t *c);
void api_certificates_renewal(call_t *c);
void api_certificates_surveillance_list(call_t *c);
/* commitments.c: service commitments, their versions and the public catalogue */
void api_commitments_list(call_t *c);
void api_commitments_show(call_t *c);
void api_commitments_version_show(call_t *c);
void api_commitments_diff(call_t *c);
void api_commitments_create(call_t *c);
void api_commitments_version_create(call_t *c);
void api_commitments_withdraw(call_t *c);
void api_commitments_republish(call_t *c);
void api_body_commitments_list(call_t *c);
/* files.c: uploads, downloads, and the certificate import upload (docs/files.md) */
void api_enterprise_files_list(call_t *c);
void api_enterprise_files_upload(call_t *c);
void api_files_download(call_t *c);
void api_certificates_import(call_t *c);
/* The upload of this call, checked: a name in X-File-Name, some bytes, a type by content in
 * allowed (NULL-terminated MIME types). False after answering (400/415); on true *name and *type
 * (arena copies) are set. The size cap is the route's body_limit. */
bool upload_read(call_t *c, const char *const *allowed, const char **name, const char **type);
/* An attachment as JSON (schema Attachment). */
void attachment_write(jw_t *w, const attachment_t *a);
/* POST /api/certificates/uploads: a CSV or XLSX of CertSearch-style rows (docs/registry.md) */
enum { CERTIFICATE_UPLOAD_MAX_ROWS = 20000 };
void api_certificates_upload(call_t *c);
/* clauses.c: the standard as data (docs/compliance.md) */
enum { CLAUSE_IMPORT_LIMIT = 2 * 1024 * 1024 };
void api_clauses_list(call_t *c);
void api_clause_catalogues_list(call_t *c);
void api_clause_catalogues_import(call_t *c);
void api_clause_catalogues_export(call_t *c);
void api_certificates_verify_file(call_t *c);
/* verify.c: bulk verification (docs/registry.md) */
enum { VERIFY_MAX_ITEMS = 10000 };
void api_certificates_verify(call_t *c);
/* Answers the status of each of queries[0..n) in order (the caller's strings, kept alive; NULL: not a string), or
 * 400 naming every malformed one: "items[K]", or "line N" from lines[K] when lines is not NULL
 * (an uploaded file's line numbers). */
void certificates_verify_answer(call_t *c, const char *const *queries, const int *lines, int n);
/* notifications.c: the signed-in user's own inbox and preferences */
void api_notifications_list(call_t *c);
void api_notifications_unread(call_t *c);
void api_notifications_read(call_t *c);
void api_notifications_read_all(call_t *c);
void api_notifications_preferences(call_t *c);
void api_notifications_preferences_set(call_t *c);
/* jobs.c: the table of job kinds and the table of schedules (server_options_t.jobs), and the
 * admin API of the queue */
extern const job_kind_t api_job_kinds[];
extern const int api_job_kinds_count;
extern const job_schedule_t api_job_schedules[];
extern const int api_job_schedules_count;
void api_jobs_list(call_t *c);
void api_jobs_retry(call_t *c);
/* feedback.c: reviews of certification bodies, replies, moderation (docs/marketplace.md) */
void api_feedback_create(call_t *c);
void api_feedback_list(call_t *c);
void api_feedback_engagements(call_t *c);
void api_feedback_show(call_t *c);
void api_feedback_update(call_t *c);
void api_feedback_versions(call_t *c);
void api_feedback_reply(call_t *c);
void api_feedback_hide(call_t *c);
void api_feedback_unhide(call_t *c);
void api_body_feedback(call_t *c);
/* audits.c (docs/compliance.md "Audits") */
void api_audits_create(call_t *c);
void api_audits_list(call_t *c);
void api_audits_show(call_t *c);
void api_audits_finding(call_t *c);
void api_audits_update(call_t *c);
void api_audits_sign_off(call_t *c);
void api_audits_revise(call_t *c);
void api_management_reviews_create(call_t *c);
void api_management_reviews_list(call_t *c);
void api_management_reviews_show(call_t *c);
void api_management_reviews_update(call_t *c);
/* complaints.c */
void api_complaints_create(call_t *c);
void api_complaints_list(call_t *c);
void api_complaints_show(call_t *c);
void api_complaints_status(call_t *c);
/* Files a complaint (status received, its first event, audit entry and notices) inside the
 * caller's open transaction; feedback_id 0 links the engagement's review if it has one. The
 * new id, or -1 on error (the caller rolls back). */
int64_t complaint_insert(call_t *c, const audit_actor_t *actor, int64_t engagement_id, int64_t feedback_id,
                         int64_t enterprise_id, int64_t body_id, const char *region, const char *text);
/* nonconformities.c: the nonconformity register (docs/compliance.md "Nonconformities") */
void api_nonconformities_create(call_t *c);
void api_nonconformities_list(call_t *c);
void api_nonconformities_show(call_t *c);
void api_nonconformities_update(call_t *c);
void api_nonconformities_status(call_t *c);
void api_nonconformities_by_clause(call_t *c);
/* The by-clause count, shared by GET /api/nonconformities/by-clause and the certification
 * statistics: nc_by_clause_begin inits q as "SELECT clause_number, title, title_en, major, minor,
 * total FROM nonconformities n JOIN enterprises e … WHERE <edition's>" (titles from catalogue
 * `current`, which must outlive q's run, as edition); the caller adds " AND …" conditions over n
 * and e (its reach, dates), then nc_by_clause_end groups by clause, most first. */
void nc_by_clause_begin(query_t *q, const char *edition, int64_t current);
void nc_by_clause_end(query_t *q);
/* tokens.c: a body's API tokens (docs/api.md) */
void api_body_tokens_list(call_t *c);
void api_body_tokens_create(call_t *c);
void api_body_tokens_revoke(call_t *c);
/* search.c: the one search box (docs/learning.md "Search") */
void api_search(call_t *c);
void api_search_log(call_t *c);
/* rankings.c: the ranking of bodies (docs/marketplace.md "Ranking") */
void api_rankings_list(call_t *c);
void api_bodies_ranking(call_t *c);
void api_rankings_refresh(call_t *c);
/* One run of the ranking: reads the inputs, computes method v1, replaces the stored results
 * (computed_at = now) in one transaction. The job ranking_refresh and the demo seed call it.
 * False with the reason in err. No transaction may be open. */
bool ranking_refresh_run(db_t *db, int64_t now, char *err, size_t errlen);
/* effectiveness.c: computes every certified enterprise's effectiveness index (method v1,
 * domain/effectiveness.h) from the stored indicator values and replaces effectiveness_results;
 * the job effectiveness_refresh and the demo seed call it. False with a message in err. */
bool effectiveness_refresh_run(db_t *db, int64_t now, char *err, size_t errlen);
/* effectiveness_views.c: the grouping of stored results, shared by GET
 * /api/effectiveness/distribution and the effectiveness statistics. effectiveness_groups_begin
 * writes "WITH base AS (SELECT <key> AS grp, <label> AS label, index, verdict, form_only FROM
 * effectiveness_results r JOIN enterprises e ON e.id = r.enterprise_id <join> WHERE
 * r.index_value IS NOT NULL" (key, label, join: fixed SQL over r, e and the join); the caller adds
 * " AND …" conditions, then effectiveness_groups_end writes the rows: grp, label, count, mean,
 * median, then the counts of significant_improvement, improvement, no_change, decline, form_only;
 * by grp. */
void effectiveness_groups_begin(query_t *q, const char *key, const char *label, const char *join);
void effectiveness_groups_end(query_t *q);
/* statistics_certification.c, statistics_effectiveness.c: regulators' dashboards
 * (docs/statistics.md "Certification", "Effectiveness") */
void api_statistics_certification(call_t *c);
void api_statistics_effectiveness(call_t *c);
/* The same, with the number of enterprises evaluated and the run's duration (the CLI
 * `guanbiao effectiveness refresh` prints them); either pointer may be NULL. */
bool effectiveness_refresh_run_counted(db_t *db, int64_t now, size_t *evaluated, int64_t *duration_ms, char *err,
                                       size_t errlen);
/* indicator_imports.c: indicator file uploads (docs/effectiveness.md "Imports") and the job
 * indicator_import that runs a large one */
void api_indicator_imports_create(call_t *c);
void api_indicator_imports_list(call_t *c);
void api_indicator_imports_show(call_t *c);
int indicator_import_job_run(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen);
/* indicators.c: the indicator catalogue, an enterprise's yearly values, their history and a
 * body's verification (docs/effectiveness.md "Indicators") */
void api_indicators_list(call_t *c);
void api_indicators_create(call_t *c);
void api_indicators_update(call_t *c);
void api_enterprise_indicators_show(call_t *c);
void api_enterprise_indicators_put(call_t *c);
void api_enterprise_indicators_history(call_t *c);
void api_enterprise_indicators_verify(call_t *c);
/* engagements.c: requests, answers, stages, decisions; consulting ties (docs/marketplace.md) */
void api_engagements_list(call_t *c);
void api_engagements_create(call_t *c);
void api_engagements_show(call_t *c);
void api_engagements_accept(call_t *c);
void api_engagements_decline(call_t *c);
void api_engagements_cancel(call_t *c);
void api_engagements_stage(call_t *c);
void api_engagements_decision(call_t *c);
void api_consulting_ties_list(call_t *c);
void api_consulting_ties_create(call_t *c);
/* assessments.c: self-assessments, their evidence, and evidence grants (docs/compliance.md) */
void api_self_assessments_list(call_t *c);
void api_self_assessments_create(call_t *c);
void api_self_assessments_show(call_t *c);
void api_self_assessments_complete(call_t *c);
void api_self_assessment_item_put(call_t *c);
void api_self_assessment_item_history(call_t *c);
void api_self_assessment_evidence_upload(call_t *c);
void api_evidence_grants_list(call_t *c);
void api_evidence_grants_create(call_t *c);
void api_evidence_grants_revoke(call_t *c);
/* May the caller read the self-assessments and evidence files of this enterprise (in region)?
 * The scope rules of domain/scope.h, except that a body needs a standing evidence grant
 * (store/compliance_reach.h). 1 yes, 0 no, -1 error. */
int compliance_reachable(call_t *c, int64_t enterprise_id, const char *region);
/* system.c */
void api_healthz(call_t *c);
void api_metrics(call_t *c);
void api_audit_list(call_t *c);
void api_audit_show(call_t *c);
void api_openapi(call_t *c);

/* The public JSON form of a user (with its organisation's name when it has one). */
void user_write(call_t *c, jw_t *w, const user_t *u);

/* effectiveness_views.c: the stored effectiveness results as people read them (issue 10,
 * docs/effectiveness.md "Pages and report") */
void api_enterprise_effectiveness(call_t *c);
void api_enterprise_effectiveness_pdf(call_t *c);
void api_effectiveness_form_only(call_t *c);
void api_effectiveness_distribution(call_t *c);

/* quizzes.c, progress.c: question banks, quizzes, learning progress, certificates of completion
 * (issue 11, docs/learning.md "Quizzes, certificates and progress") */
void api_questions_list(call_t *c);
void api_questions_create(call_t *c);
void api_questions_update(call_t *c);
void api_questions_delete(call_t *c);
void api_quiz_attempts_start(call_t *c);
void api_quiz_attempts_show(call_t *c);
void api_quiz_attempts_submit(call_t *c);
void api_lesson_progress(call_t *c);
void api_me_learning(call_t *c);
void api_enterprise_learning(call_t *c);
void api_completion_show(call_t *c);
void api_completion_pdf(call_t *c);

/* policies.c: the registry of local policies and their review (issue 12, docs/policies.md
 * "Registry and review") */
void api_policies_list(call_t *c);
void api_policies_by_region(call_t *c);
void api_policy_files_upload(call_t *c);
void api_policies_create(call_t *c);
void api_policies_show(call_t *c);
void api_policies_update(call_t *c);
void api_policies_revise(call_t *c);
void api_policy_finding_decide(call_t *c);
void api_policies_status(call_t *c);
void api_policies_pdf(call_t *c);
void api_policies_xlsx(call_t *c);

/* statistics_*.c: the regulators' dashboards (docs/statistics.md; api/statistics.h) */
void api_statistics_feedback(call_t *c);
void api_statistics_learning(call_t *c);
/* The checker's answer ({"findings":[…]}, explanations in lang "zh" or "en") for text with the
 * current rule set, whose version goes to *version; NULL when the database fails. A new
 * reference. Used by the registry and the demo seed. */
json_t *policy_check_current(db_t *db, const char *text, const char *lang, int64_t *version);
/* The detail document of policy id (schema PolicyDetail), the one GET /api/policies/{id}
 * answers and the review report is made from; NULL when there is no such policy or the
 * database fails. A new reference. */
json_t *policy_detail_json(db_t *db, int64_t id, const char *lang);
/* The job policy_recheck (store/policies.h: POLICY_RECHECK_JOB_KIND): every unreviewed policy
 * whose current revision was checked by an older rule set is checked again with the current one
 * (decisions of the same rule and span kept). Payload {}. */
int policy_recheck_job(db_t *db, arena_t *a, const char *payload, char *err, size_t errlen);

/* lists.c: answers a page of a list; count and list carry the same filters and scope; both
 * are freed. row() writes the current row as one JSON value; what it allocates in c->arena
 * lives for that row only (an export empties the arena after each row). With ?format=csv or
 * ?format=xlsx it answers answer_export instead: every list has both. */
typedef void (*row_write_fn)(call_t *c, stmt_t *st, jw_t *w);
void answer_list(call_t *c, query_t *count, query_t *list, int page, int per_page, row_write_fn row, const char *what);
/* exports.c: every row of list (no paging; count tells whether they are within the cap) as a
 * CSV or XLSX download with the columns of the list's line in exports.c; both queries are
 * freed. 400 invalid_format for another format, 400 export_too_large over the cap. */
void answer_export(call_t *c, query_t *count, query_t *list, row_write_fn row, const char *what, const char *format);

/* courses.c: courses, lessons and their authoring (issue 11, docs/learning.md "Content") */
void api_courses_list(call_t *c);
void api_authoring_courses_list(call_t *c);
void api_courses_show(call_t *c);
void api_courses_create(call_t *c);
void api_courses_update(call_t *c);
void api_courses_status(call_t *c);
void api_courses_order(call_t *c);
void api_lessons_show(call_t *c);
void api_lessons_draft(call_t *c);
void api_lessons_create(call_t *c);
void api_lessons_update(call_t *c);
void api_lessons_submit(call_t *c);
void api_lessons_approve(call_t *c);
void api_lessons_revisions(call_t *c);
void api_lessons_revision_show(call_t *c);
void api_markdown_preview(call_t *c);
/* announcements.c (issue 11, docs/learning.md "Content") */
void api_announcements_list(call_t *c);
void api_announcements_show(call_t *c);
void api_announcements_create(call_t *c);
void api_announcements_update(call_t *c);
void api_announcements_status(call_t *c);

/* forum.c: the exchange forum (issue 11, docs/learning.md "Exchange") */
void api_forum_categories(call_t *c);
void api_forum_category_create(call_t *c);
void api_forum_category_show(call_t *c);
void api_forum_topics(call_t *c);
void api_forum_topic_create(call_t *c);
void api_forum_topic_show(call_t *c);
void api_forum_topic_update(call_t *c);
void api_forum_reply_create(call_t *c);
void api_forum_accept(call_t *c);
void api_forum_follow(call_t *c);
void api_forum_unfollow(call_t *c);
void api_forum_topic_hide(call_t *c);
void api_forum_topic_unhide(call_t *c);
void api_forum_reply_hide(call_t *c);
void api_forum_reply_unhide(call_t *c);
void api_forum_report_create(call_t *c);
void api_forum_reports(call_t *c);
void api_forum_report_dismiss(call_t *c);

/* The OpenAPI document of the route table (openapi.c). */
json_t *openapi_document(void);

/* activities.c: learning and exchange activities (issue 11, docs/learning.md "Activities") */
void api_activities_list(call_t *c);
void api_activities_create(call_t *c);
void api_activities_show(call_t *c);
void api_activities_update(call_t *c);
void api_activities_publish(call_t *c);
void api_activities_cancel(call_t *c);
void api_activity_register(call_t *c);
void api_activity_unregister(call_t *c);
void api_activity_check_in(call_t *c);
void api_activity_registrations(call_t *c);
void api_activity_ics(call_t *c);

/* policy_checks.c: the fair-policy checker and its rules (issue 12, docs/policies.md) */
void api_policy_checks_create(call_t *c);
void api_policy_rules_show(call_t *c);
void api_policy_rules_versions(call_t *c);
void api_policy_rules_update(call_t *c);

/* recommendations.c: recommendations that say why (docs/statistics.md "Recommendations") */
void api_recommendations(call_t *c);


#endif

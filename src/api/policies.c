/* temporary */
#include "api/api.h"
void api_policies_list(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_by_region(call_t *c) { call_error(c, "not_found", NULL); }
void api_policy_files_upload(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_create(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_show(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_update(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_revise(call_t *c) { call_error(c, "not_found", NULL); }
void api_policy_finding_decide(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_status(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_pdf(call_t *c) { call_error(c, "not_found", NULL); }
void api_policies_xlsx(call_t *c) { call_error(c, "not_found", NULL); }

/* GET /api/audits/{id}/pdf: the audit report as a printable PDF (report/audit_pdf.h), for whoever
 * may read the audit (store/audit_report.h: audit_readable); anyone else is told there is no
 * such audit (404), so that the ids of others' audits say nothing. */
#include <stdio.h>

#include "api/api.h"
#include "core/log.h"
#include "domain/scope.h"
#include "report/audit_pdf.h"
#include "store/audit_report.h"

void api_audits_pdf(call_t *c)
{
    int64_t id = call_param_id(c, "id");
    if (id == 0)
        return;
    const reach_t reach = scope_reach(&c->user);
    int rc = audit_readable(c->db, &reach, id);
    audit_report_t r;
    if (rc == 1)
        rc = audit_report_load(c->db, &c->arena, id, &r);
    if (rc < 0) {
        call_db_error(c, "audit report");
        return;
    }
    if (rc == 0) {
        call_error(c, "audit_not_found", NULL);
        return;
    }
    /* certificate numbers are [0-9A-Z-]: nothing to encode in the query (as the certificate PDF) */
    const char *url = *r.certificate_number != '\0'
                          ? arena_printf(&c->arena, "%s/verify?q=%s", api_config.public_url, r.certificate_number)
                          : NULL;
    buf_reset(&c->out);
    if (!audit_pdf(&r, url, &c->out)) {
        log_error("audit %lld: the report PDF could not be made", (long long)id);
        call_error(c, "internal_error", NULL);
        return;
    }
    call_download(c, "application/pdf", false, arena_printf(&c->arena, "审核报告-%lld.pdf", (long long)id));
}

/* The policy review report: FOUNDATION STUB, replaced by the extraction-and-report slice. */
#include "report/policy_report.h"

bool policy_report_pdf(const json_t *policy, const char *lang, buf_t *out)
{
    (void)policy; (void)lang; (void)out;
    return false;
}

bool policy_report_xlsx(const json_t *policy, const char *lang, buf_t *out)
{
    (void)policy; (void)lang; (void)out;
    return false;
}

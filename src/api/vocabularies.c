/* GET /api/vocabularies: the registry's code lists with their Chinese and English labels, as
 * the domain defines them (certificate statuses with the changes each allows, scope areas and
 * stages, standards, enterprise sizes and registration statuses), so the web application keeps
 * no copy of its own. Public; the same answer for everyone. */
#include "api/api.h"
#include "domain/certificate.h"
#include "domain/enterprise.h"

static void term_members(jw_t *w, const term_t *t)
{
    jw_kstr(w, "code", t->code);
    jw_kstr(w, "zh", t->zh);
    jw_kstr(w, "en", t->en);
}

static void term_list(jw_t *w, const char *key, const term_t *list)
{
    jw_key(w, key);
    jw_array(w);
    for (; list->code != NULL; list++) {
        jw_object(w);
        term_members(w, list);
        jw_end(w);
    }
    jw_end(w);
}

void api_vocabularies(call_t *c)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);

    /* Each status with the statuses it may change to and whether changing to it needs a reason. */
    jw_key(w, "certificate_statuses");
    jw_array(w);
    const term_t *statuses = cert_statuses();
    for (const term_t *from = statuses; from->code != NULL; from++) {
        jw_object(w);
        term_members(w, from);
        cert_status_t f = cert_status_parse(from->code);
        jw_key(w, "next");
        jw_array(w);
        for (const term_t *to = statuses; to->code != NULL; to++)
            if (cert_transition_allowed(f, cert_status_parse(to->code)))
                jw_str(w, to->code);
        jw_end(w);
        jw_kbool(w, "reason_required", cert_reason_required(f));
        jw_end(w);
    }
    jw_end(w);

    term_list(w, "scope_areas", cert_scope_areas());
    term_list(w, "scope_stages", cert_scope_stages());
    term_list(w, "standards", cert_standards());
    term_list(w, "enterprise_sizes", enterprise_sizes());
    term_list(w, "enterprise_statuses", enterprise_statuses());
    jw_end(w);
}

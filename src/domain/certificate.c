/* Certificate rules (see certificate.h). */
#include "domain/certificate.h"

#include <stdio.h>
#include <string.h>

bool cert_number_normalize(const char *in, char out[CERT_NUMBER_MAX + 1])
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n'))
        n--;
    if (n < CERT_NUMBER_MIN || n > CERT_NUMBER_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

bool cert_number_body_code(const char *number, char code[4])
{
    for (int i = 0; i < 5; i++)
        if (number[i] < '0' || number[i] > '9')
            return false;
    if (number[5] != 'I' || number[6] != 'P')
        return false;
    memcpy(code, number, 3);
    code[3] = '\0';
    return true;
}

/* Indexed by cert_status_t - CERT_VALID. */
static const term_t statuses[] = {
    {"valid", "有效", "Valid"},
    {"suspended", "暂停", "Suspended"},
    {"withdrawn", "撤销", "Withdrawn"},
    {"expired", "过期", "Expired"},
    {NULL, NULL, NULL},
};

const term_t *cert_statuses(void) { return statuses; }

cert_status_t cert_status_parse(const char *s)
{
    const term_t *t = term_find(statuses, s);
    return t ? (cert_status_t)(CERT_VALID + (t - statuses)) : CERT_NONE;
}

const char *cert_status_name(cert_status_t s)
{
    return s >= CERT_VALID && s <= CERT_EXPIRED ? statuses[s - CERT_VALID].code : "";
}

bool cert_transition_allowed(cert_status_t from, cert_status_t to)
{
    switch (from) {
    case CERT_VALID:
        return to == CERT_SUSPENDED || to == CERT_WITHDRAWN || to == CERT_EXPIRED;
    case CERT_SUSPENDED:
        return to == CERT_VALID || to == CERT_WITHDRAWN || to == CERT_EXPIRED;
    default:
        return false;
    }
}

bool cert_reason_required(cert_status_t to)
{
    return to == CERT_SUSPENDED || to == CERT_WITHDRAWN;
}

cert_status_t cert_effective_status(cert_status_t stored, const char *expires, const char *today)
{
    if ((stored == CERT_VALID || stored == CERT_SUSPENDED) && expires != NULL && strcmp(expires, today) < 0)
        return CERT_EXPIRED;
    return stored;
}

bool cert_open(cert_status_t stored, const char *expires, const char *today)
{
    cert_status_t shown = cert_effective_status(stored, expires, today);
    return shown == CERT_VALID || shown == CERT_SUSPENDED;
}

/* The management areas and business stages of GB/T 29490 a certificate's scope names. */
static const term_t areas[] = {
    {"acquisition", "获取", "Acquisition"},
    {"maintenance", "维护", "Maintenance"},
    {"exploitation", "运用", "Exploitation"},
    {"protection", "保护", "Protection"},
    {"contracts", "合同管理", "Contract management"},
    {"confidentiality", "保密", "Confidentiality"},
    {NULL, NULL, NULL},
};
static const term_t stages[] = {
    {"research", "研发", "Research and development"},
    {"procurement", "采购", "Procurement"},
    {"production", "生产", "Production"},
    {"sales", "销售及售后", "Sales and after-sales"},
    {NULL, NULL, NULL},
};
static const term_t standards[] = {
    {"GB/T 29490-2023", "GB/T 29490-2023《企业知识产权合规管理体系 要求》",
     "GB/T 29490-2023 Enterprise intellectual property compliance management system: requirements"},
    {"GB/T 29490-2013", "GB/T 29490-2013《企业知识产权管理规范》", "GB/T 29490-2013 Enterprise intellectual property management"},
    {NULL, NULL, NULL},
};

bool cert_scope_area_valid(const char *s) { return term_find(areas, s) != NULL; }
bool cert_scope_stage_valid(const char *s) { return term_find(stages, s) != NULL; }
const term_t *cert_scope_areas(void) { return areas; }
const term_t *cert_scope_stages(void) { return stages; }
bool cert_standard_valid(const char *s) { return term_find(standards, s) != NULL; }
const term_t *cert_standards(void) { return standards; }

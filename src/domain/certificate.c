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

/* ---- The lifecycle after the decision ---- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* The date `months` later (or earlier, when negative), its day kept or else the month's last:
 * 2024-02-29 + 12 → 2025-02-28, 2025-08-31 + 6 → 2026-02-28. False when s is not a date. */
static bool add_months(const char *s, int months, char out[DATE_LEN + 1])
{
    int y, m, d;
    if (!date_valid(s) || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return false;
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (d > days_in_month(y, m))
        d = days_in_month(y, m);
    char text[32];
    snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    if (strlen(text) != DATE_LEN)
        return false;
    memcpy(out, text, DATE_LEN + 1);
    return true;
}

bool cert_surveillance_due(const char *from, const char *expires, int done, char out[DATE_LEN + 1])
{
    out[0] = '\0';
    char due[DATE_LEN + 1];
    if (!add_months(from, 12, due))
        return false;
    if (done < CERT_SURVEILLANCES && (expires == NULL || strcmp(due, expires) < 0))
        memcpy(out, due, DATE_LEN + 1);
    return true;
}

static const term_t outcomes[] = {
    {"maintained", "保持认证资格", "Certification maintained"},
    {"suspended", "暂停认证资格", "Certification suspended"},
    {"withdrawn", "撤销认证资格", "Certification withdrawn"},
    {NULL, NULL, NULL},
};

const term_t *cert_surveillance_outcomes(void) { return outcomes; }

cert_status_t cert_outcome_status(const char *outcome)
{
    const term_t *t = outcome ? term_find(outcomes, outcome) : NULL;
    return t == NULL ? CERT_NONE : (cert_status_t)(CERT_VALID + (t - outcomes));
}

bool cert_number_renewal(const char *number, char out[CERT_NUMBER_MAX + 1])
{
    size_t n = strlen(number);
    char code[4];
    if (!cert_number_body_code(number, code) || n < 9 || number[n - 1] < 'A' || number[n - 1] > 'Z')
        return false;
    size_t end = n - 1, start = end;     /* the count's digits are [start, end) */
    while (start > 7 && number[start - 1] >= '0' && number[start - 1] <= '9')
        start--;
    if (start == end || number[start - 1] != 'R' || end - start > 3)
        return false;
    int count = 0;
    for (size_t i = start; i < end; i++)
        count = count * 10 + (number[i] - '0');
    int len = snprintf(out, CERT_NUMBER_MAX + 1, "%.*s%d%c", (int)start, number, count + 1, number[n - 1]);
    return len > 0 && len <= CERT_NUMBER_MAX;
}

bool cert_renewal_allowed(cert_status_t stored, const char *expires, const char *today)
{
    if (stored != CERT_VALID && stored != CERT_SUSPENDED && stored != CERT_EXPIRED)
        return false;
    char opens[DATE_LEN + 1], closes[DATE_LEN + 1];
    if (!add_months(expires, -12, opens) || !add_months(expires, CERT_RENEWAL_GRACE_MONTHS, closes))
        return false;
    return strcmp(today, opens) > 0 && strcmp(today, closes) <= 0;
}

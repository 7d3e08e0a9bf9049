/* Certificate rules (see certificate.h). */
#include "domain/certificate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool parse(const char *s, int *y, int *m, int *d)
{
    if (s == NULL || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < DATE_LEN; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1900 && *y <= 2200 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in(*y, *m);
}

bool date_valid(const char *s)
{
    int y, m, d;
    return parse(s, &y, &m, &d);
}

void date_from_unix(int64_t t, char out[DATE_LEN + 1])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, DATE_LEN + 1, "%Y-%m-%d", &tm);
}

void date_today(char out[DATE_LEN + 1])
{
    /* asked on every certificate answered: formatted once a day per thread */
    static _Thread_local int64_t day = -1;
    static _Thread_local char text[DATE_LEN + 1];
    int64_t now = (int64_t)time(NULL);
    if (now / 86400 != day) {
        date_from_unix(now, text);
        day = now / 86400;
    }
    memcpy(out, text, DATE_LEN + 1);
}

bool date_add_years_minus_day(const char *s, int years, char out[DATE_LEN + 1])
{
    int y, m, d;
    if (!parse(s, &y, &m, &d))
        return false;
    y += years;
    if (d > days_in(y, m)) {    /* 29 February in a common year: the same date is 1 March */
        m++;
        d = 1;
    }
    if (--d == 0) {
        if (--m == 0) {
            m = 12;
            y--;
        }
        d = days_in(y, m);
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, DATE_LEN);
    out[DATE_LEN] = '\0';
    return true;
}

void time_iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

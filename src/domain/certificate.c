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

static const char *const status_names[] = {"", "valid", "suspended", "withdrawn", "expired"};

cert_status_t cert_status_parse(const char *s)
{
    for (int i = 1; i <= CERT_EXPIRED; i++)
        if (s != NULL && strcmp(s, status_names[i]) == 0)
            return (cert_status_t)i;
    return CERT_NONE;
}

const char *cert_status_name(cert_status_t s)
{
    return s >= CERT_VALID && s <= CERT_EXPIRED ? status_names[s] : "";
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

static const char *const areas[] = {"acquisition", "maintenance", "exploitation", "protection", "contracts",
                                    "confidentiality", NULL};
static const char *const stages[] = {"research", "procurement", "production", "sales", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

bool cert_scope_area_valid(const char *s) { return in_list(areas, s); }
bool cert_scope_stage_valid(const char *s) { return in_list(stages, s); }
const char *const *cert_scope_areas(void) { return areas; }
const char *const *cert_scope_stages(void) { return stages; }

bool cert_standard_valid(const char *s)
{
    return strcmp(s, "GB/T 29490-2013") == 0 || strcmp(s, "GB/T 29490-2023") == 0;
}

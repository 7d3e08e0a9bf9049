/* Certificates as DOMAIN.md describes them: numbers, statuses and the changes allowed between
 * them, the scope vocabulary, standards, and the calendar dates they carry. Pure rules. */
#ifndef GUANBIAO_CERTIFICATE_H
#define GUANBIAO_CERTIFICATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/vocabulary.h"

enum { CERT_NUMBER_MAX = 40, CERT_NUMBER_MIN = 6, DATE_LEN = 10 };

typedef enum cert_status {
    CERT_NONE = 0,
    CERT_VALID,
    CERT_SUSPENDED,
    CERT_WITHDRAWN,
    CERT_EXPIRED,
} cert_status_t;

/* Trims and upper-cases a number into out; false unless 6–40 characters of [0-9A-Z-]. */
bool cert_number_normalize(const char *in, char out[CERT_NUMBER_MAX + 1]);

/* valid, suspended, withdrawn, expired (in cert_status_t order from CERT_VALID), labelled. */
const term_t *cert_statuses(void);
cert_status_t cert_status_parse(const char *s);
const char *cert_status_name(cert_status_t s);
/* valid → suspended | withdrawn | expired; suspended → valid | withdrawn | expired. */
bool cert_transition_allowed(cert_status_t from, cert_status_t to);
bool cert_reason_required(cert_status_t to);        /* suspending and withdrawing */
/* The status a reader sees: a valid or suspended certificate past its expiry reads expired. */
cert_status_t cert_effective_status(cert_status_t stored, const char *expires, const char *today);

/* Scope vocabulary: areas (acquisition … confidentiality) and stages (research … sales). */
bool cert_scope_area_valid(const char *s);
bool cert_scope_stage_valid(const char *s);
const term_t *cert_scope_areas(void);
const term_t *cert_scope_stages(void);
bool cert_standard_valid(const char *s);        /* "GB/T 29490-2023" or "GB/T 29490-2013" */
const term_t *cert_standards(void);             /* the newer first */

/* Calendar dates "YYYY-MM-DD". */
bool date_valid(const char *s);
void date_today(char out[DATE_LEN + 1]);
void date_from_unix(int64_t t, char out[DATE_LEN + 1]);
/* The day before the same date `years` later: 2024-03-01 + 3 → 2027-02-28. */
bool date_add_years_minus_day(const char *s, int years, char out[DATE_LEN + 1]);
/* ISO 8601 UTC time "2026-11-25T09:05:25Z" of a Unix time. */
void time_iso(int64_t t, char out[21]);

#endif

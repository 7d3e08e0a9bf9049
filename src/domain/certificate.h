/* Certificates as DOMAIN.md describes them: numbers, statuses and the changes allowed between
 * them, the scope vocabulary and standards. Pure rules; the calendar is core/dates.h. */
#ifndef GUANBIAO_CERTIFICATE_H
#define GUANBIAO_CERTIFICATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dates.h"
#include "domain/vocabulary.h"

enum { CERT_NUMBER_MAX = 40, CERT_NUMBER_MIN = 6 };

typedef enum cert_status {
    CERT_NONE = 0,
    CERT_VALID,
    CERT_SUSPENDED,
    CERT_WITHDRAWN,
    CERT_EXPIRED,
} cert_status_t;

/* Trims and upper-cases a number into out; false unless 6–40 characters of [0-9A-Z-]. */
bool cert_number_normalize(const char *in, char out[CERT_NUMBER_MAX + 1]);
/* The body code a (normalised) number in DOMAIN.md's usual pattern carries: 84025IP21017R0M
 * (3-digit body code, 2-digit year, IP, …) → "840". False for a number in any other pattern:
 * those are accepted from every body, since the pattern is not an official rule. */
bool cert_number_body_code(const char *number, char code[4]);

/* valid, suspended, withdrawn, expired (in cert_status_t order from CERT_VALID), labelled. */
const term_t *cert_statuses(void);
cert_status_t cert_status_parse(const char *s);
const char *cert_status_name(cert_status_t s);
/* valid → suspended | withdrawn | expired; suspended → valid | withdrawn | expired.
 * withdrawn and expired are final: a renewal is a new certificate. */
bool cert_transition_allowed(cert_status_t from, cert_status_t to);
/* Valid or suspended and not past its expiry date: its scope and expiry may still change. */
bool cert_open(cert_status_t stored, const char *expires, const char *today);
bool cert_reason_required(cert_status_t to);        /* suspending and withdrawing */
/* The status a reader sees: a valid or suspended certificate past its expiry reads expired. */
cert_status_t cert_effective_status(cert_status_t stored, const char *expires, const char *today);

/* ---- The lifecycle after the decision (docs/registry.md "Lifecycle") ---- */

enum { CERT_SURVEILLANCES = 2 };    /* surveillance audits per cycle; recertification in year 3 */
enum { CERT_RENEWAL_GRACE_MONTHS = 6 };   /* a certificate expired this recently may still be renewed */

/* The latest date of the next surveillance audit, into out: the anniversary of `from` (the
 * decision date when done = 0, else the last audit's date), 29 February giving 28 February:
 * "within 12 months of the decision, then at most 12 months apart". "" when none is due: done
 * is already CERT_SURVEILLANCES, or the date falls on or after `expires` (recertification takes
 * over). False when from is not a date. */
bool cert_surveillance_due(const char *from, const char *expires, int done, char out[DATE_LEN + 1]);

/* Outcomes of a surveillance audit: maintained (保持), suspended (暂停), withdrawn (撤销). */
const term_t *cert_surveillance_outcomes(void);
/* The status an outcome leaves a certificate in (maintained: valid, also reinstating a
 * suspended one); CERT_NONE for an unknown outcome. */
cert_status_t cert_outcome_status(const char *outcome);

/* The number of the next cycle's certificate for a number in DOMAIN.md's pattern: its
 * recertification count (the digits after the last R, before the final size letter) plus one,
 * 84025IP21017R0M → 84025IP21017R1M. False for a number in another pattern (the body then
 * names the new number) or when the result would be too long. */
bool cert_number_renewal(const char *number, char out[CERT_NUMBER_MAX + 1]);
/* Whether a certificate may be renewed on `today`: stored valid, suspended or expired (never
 * withdrawn), and today within its last year (from the day after expires − 1 year) up to
 * CERT_RENEWAL_GRACE_MONTHS after its expiry date. */
bool cert_renewal_allowed(cert_status_t stored, const char *expires, const char *today);

/* Scope vocabulary: areas (acquisition … confidentiality) and stages (research … sales). */
bool cert_scope_area_valid(const char *s);
bool cert_scope_stage_valid(const char *s);
const term_t *cert_scope_areas(void);
const term_t *cert_scope_stages(void);
bool cert_standard_valid(const char *s);        /* "GB/T 29490-2023" or "GB/T 29490-2013" */
const term_t *cert_standards(void);             /* the newer first */

#endif

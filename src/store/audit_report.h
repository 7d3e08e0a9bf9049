/* What the audit report PDF shows (report/audit_pdf.h, GET /api/audits/{id}/pdf), read from the
 * compliance tables (sql/015_compliance.sql) in one go: the audit, its enterprise and body, its
 * catalogue's edition and version, the findings with their clause titles, the nonconformities it
 * raised, the certificate it belongs to, and who signed it off. Also who may read an audit. */
#ifndef GUANBIAO_AUDIT_REPORT_H
#define GUANBIAO_AUDIT_REPORT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/roles.h"
#include "store/store.h"

/* May a caller who reaches `reach` (domain/scope.h: scope_reach) read audit id? The enterprise
 * its own, the body the audits it runs (audits.body_id), a regulator the audits of enterprises
 * in its region, an admin all (query_scope over audits). 1 yes, 0 no (or no such audit), -1 error. */
int audit_readable(db_t *db, const reach_t *reach, int64_t id);

typedef struct audit_report_finding {
    const char *clause_number;
    const char *clause_title;   /* from the audit's catalogue; "" when the number is not in it */
    const char *finding;        /* '', conforming, minor, major, not_applicable, observation */
    const char *notes;
    const char *evidence;
} audit_report_finding_t;

typedef struct audit_report_nc {
    int64_t id;
    const char *clause_number;
    const char *clause_title;
    const char *grade;          /* major, minor */
    const char *description;
    const char *corrective_action;
    const char *status;         /* open … effective, not_effective, reopened */
    bool closed_here;           /* raised by another audit (or none) and verified effective by this one */
} audit_report_nc_t;

/* Every string is in the caller's arena, never NULL ("" when absent). */
typedef struct audit_report {
    int64_t id;
    const char *kind;           /* internal, stage1, stage2, surveillance, recertification */
    const char *title, *scope, *start_date, *end_date, *auditors, *lead_auditor, *status;
    int64_t revision;
    int64_t previous_id;        /* 0: first revision */
    int64_t previous_revision;  /* the revision previous_id is; 0 when none */
    const char *effectiveness_examined, *effectiveness_findings, *conclusion;
    const char *signed_off_by;  /* the user's name; "" while not signed off */
    int64_t signed_off_at;      /* 0 while not signed off */
    const char *enterprise_name, *enterprise_credit_code, *enterprise_address;
    int64_t body_id;            /* 0: internal audit */
    const char *body_name, *body_approval_number;
    const char *certificate_number;   /* "" when the audit has no certificate */
    const char *edition;
    int64_t catalogue_version;
    audit_report_finding_t *findings;   /* in the catalogue's order */
    int nfindings;
    audit_report_nc_t *ncs;             /* raised or verified effective by this audit, by id */
    int nncs;
    /* the enterprise's effectiveness result as of reading (store/effectiveness.h; issue 10):
     * has_effectiveness false when it has none (then the members below are unset) */
    bool has_effectiveness;
    double effectiveness_index;         /* NaN: no indicator could be evaluated */
    const char *effectiveness_verdict, *effectiveness_grade, *effectiveness_method;
    int64_t effectiveness_computed_at;
} audit_report_t;

/* Reads audit id into r (strings and arrays in a). 1 found, 0 none, -1 error. */
int audit_report_load(db_t *db, arena_t *a, int64_t id, audit_report_t *r);

#endif

/* Service commitments (sql/011_marketplace.sql, docs/marketplace.md): a body publishes what it
 * offers as numbered versions; a published version never changes, a new content is a new
 * version. The writes here are guarded inside the write and audited in its transaction. */
#ifndef GUANBIAO_COMMITMENTS_H
#define GUANBIAO_COMMITMENTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/jsonout.h"
#include "store/audit.h"
#include "store/store.h"

/* The content of one version. Lists are comma-separated codes ("" = none: for regions and
 * industries that means every one). Strings belong to whoever filled the struct. */
typedef struct commitment_content {
    const char *title, *edition, *areas, *stages, *regions, *industries, *effectiveness_coverage;
    const char *effectiveness_method, *surveillance_terms, *complaint_channel;
    double man_days_large, man_days_medium, man_days_small, man_days_micro;
    int64_t price_min, price_max, lead_time_days, response_hours;
} commitment_content_t;

/* A commitment with one of its versions (the current one, or the one asked for). */
typedef struct commitment {
    int64_t id, body_id;
    int64_t version;                  /* the commitment's current version number */
    const char *status;               /* published | withdrawn */
    int64_t created_at, updated_at;
    int64_t version_shown;            /* the number of the version in `content` */
    commitment_content_t content;
    const char *change_note;
    int64_t published_at;
    /* joined from the body */
    const char *body_name, *body_approval_status, *body_accreditation_status;
} commitment_t;

/* The fields of a content, in the order of the API's forms and answers. A diff between two
 * versions and the audit entry of a new version compare these. */
typedef enum commitment_field_kind { CF_TEXT, CF_LIST, CF_NUMBER, CF_INT } commitment_field_kind_t;
typedef struct commitment_field {
    const char *name;                 /* the API's member name */
    commitment_field_kind_t kind;
    size_t offset;                    /* into commitment_content_t */
} commitment_field_t;
extern const commitment_field_t commitment_fields[];
extern const int commitment_fields_count;

bool commitment_field_equal(const commitment_field_t *f, const commitment_content_t *a, const commitment_content_t *b);
/* Writes the field's value of content: a string, an array of strings (lists), or a number. */
void commitment_field_write(jw_t *w, const commitment_field_t *f, const commitment_content_t *content);

/* SELECT list and FROM for a commitment with one version: join on v.version = m.version for
 * the current one. Read a row with commitment_read. */
#define COMMITMENT_COLUMNS                                                                                   \
    "m.id, m.body_id, m.version, m.status, m.created_at, m.updated_at, v.version, v.title, v.edition, "       \
    "v.areas, v.stages, v.regions, v.industries, v.effectiveness_coverage, v.effectiveness_method, "          \
    "v.surveillance_terms, v.complaint_channel, v.man_days_large, v.man_days_medium, v.man_days_small, "       \
    "v.man_days_micro, v.price_min, v.price_max, v.lead_time_days, v.response_hours, v.change_note, "         \
    "v.published_at, b.name, b.approval_status, b.accreditation_status"
#define COMMITMENT_FROM_CURRENT                                                                              \
    " FROM commitments m JOIN commitment_versions v ON v.commitment_id = m.id AND v.version = m.version "    \
    "JOIN bodies b ON b.id = m.body_id"
void commitment_read(stmt_t *st, arena_t *a, commitment_t *out);

/* Commitment id with its version `version` (0: the current one). 1 found, 0 not found, -1
 * error. */
int commitment_by_id(db_t *db, arena_t *a, int64_t id, int64_t version, commitment_t *out);

/* The versions of commitment id older than `below`, newest first. */
typedef struct commitment_version_note {
    int64_t version, published_at;
    const char *change_note;
} commitment_version_note_t;
typedef struct commitment_version_notes {
    commitment_version_note_t *items;
    int n;
} commitment_version_notes_t;
/* 0, or -1 on error. */
int commitment_versions_below(db_t *db, arena_t *a, int64_t id, int64_t below, commitment_version_notes_t *out);

/* Publishes a new commitment of body_id with `content` as version 1 (audit commitment.publish,
 * its fields in after). The new id, or -1 on error. */
int64_t commitment_publish(db_t *db, int64_t body_id, const commitment_content_t *content, const audit_actor_t *actor);
/* Publishes version base_version + 1 of commitment id with `content` and change_note. The guard
 * is in the UPDATE: it moves the commitment's current version only while it is still
 * base_version (and UNIQUE (commitment_id, version) refuses a second row of that number), so of
 * two publishes on one base one succeeds. Audit commitment.version: the fields that changed
 * from the base version, before and after. 1 written, 0 the current version is no longer
 * base_version, -1 error. */
int commitment_publish_version(db_t *db, int64_t id, int64_t base_version, const commitment_content_t *content,
                               const char *change_note, const audit_actor_t *actor);
/* Moves commitment id from status `from` to `to` (published ↔ withdrawn), guarded in the
 * UPDATE. Audit commitment.withdraw or commitment.republish. 1 written, 0 it was not `from`,
 * -1 error. */
int commitment_set_status(db_t *db, int64_t id, const char *from, const char *to, const audit_actor_t *actor);

#endif

/* The clause catalogues of GB/T 29490 (sql/015_compliance.sql, docs/compliance.md): each
 * edition's catalogue is data with versions; the newest version of an edition is current and
 * older ones stay for the records made against them. The platform's own first version of each
 * edition is embedded (data/clauses-2013.json, data/clauses-2023.json) and loaded when an
 * edition has none. */
#ifndef GUANBIAO_CLAUSES_H
#define GUANBIAO_CLAUSES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

/* Imports a catalogue document {"edition":"2013"|"2023","note":…,"clauses":[{"number","title",
 * "title_en","parent","provisional","guidance","evidence"}…]} as the edition's next version, in
 * its own transaction, audited (clause_catalogue.import). The caller validated the document
 * (numbers unique, parents present, titles non-empty). The new catalogue's id, or -1. */
int64_t clause_catalogue_import(db_t *db, const json_t *doc, const audit_actor_t *actor);

/* Loads the embedded first version of each edition that has no catalogue yet; idempotent, safe
 * on several nodes (the import's UNIQUE (edition, version) lets one through). The number of
 * editions loaded, or -1. */
int clause_catalogues_ensure(db_t *db);

/* The current (newest) catalogue of an edition: its id and version; 0 none, 1 found, -1 error. */
int clause_catalogue_current(db_t *db, const char *edition, int64_t *id, int64_t *version);

/* A catalogue version as a document in the data files' shape, with its version: {"edition",
 * "version","note","clauses":[{"number","title","title_en","parent","provisional","guidance",
 * "evidence"}…]} in its order (*doc the caller's to json_decref); 1 found, 0 none, -1 error. */
int clause_catalogue_document(db_t *db, int64_t id, json_t **doc);

#endif

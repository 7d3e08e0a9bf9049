/* The indicator catalogue and the enterprises' yearly values (issue 10; docs/effectiveness.md
 * "Indicators"; sql/017_effectiveness.sql). The one way to change a value: the enterprise's form,
 * an import (CLI or upload) and the demo seed all call indicator_values_write, which keeps the
 * value's history (indicator_value_events: who, when, the previous value) and clears a body's
 * verification of a changed value. A body's verification goes
 * through indicator_values_verify. Strings of the row structs are in the arena given. */
#ifndef GUANBIAO_STORE_INDICATORS_H
#define GUANBIAO_STORE_INDICATORS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/audit.h"
#include "store/store.h"

/* The job kind (registered in src/api/jobs.c) that recomputes every effectiveness result. */
#define EFFECTIVENESS_JOB_KIND "effectiveness_refresh"

typedef struct indicator {
    int64_t id;
    const char *code, *name, *name_en;
    const char *category;     /* quality, benefit, management */
    const char *unit;         /* 件, %, 万元, 人, 学时 … */
    const char *kind;         /* count, share, amount */
    bool lower_is_better;
    int64_t position;
    bool retired;
} indicator_t;

/* Loads the embedded catalogue (data/indicators.json) into an empty table: at start (main.c)
 * and in the seed. The number loaded, 0 when the table had rows, -1 on error. */
int indicators_ensure(db_t *db);
/* The catalogue in its order (retired ones only when with_retired): the count, -1 on error. */
int indicators_list(db_t *db, arena_t *a, bool with_retired, indicator_t **out);
/* The indicator whose code or Chinese name is key, compared after trimming blanks (retired ones
 * too): 1 found, 0 none, -1 error. */
int indicator_find(db_t *db, arena_t *a, const char *key, indicator_t *out);

/* One value to write: remove (a form's cleared field) deletes the stored value, else value is
 * stored. Bounds are the caller's to check (domain/indicators.h). */
typedef struct indicator_value_write {
    int64_t indicator_id;
    int64_t year;
    double value;
    bool remove;
} indicator_value_write_t;

/* Writes an enterprise's values: each equal to the stored one (or a removal of none) is
 * counted unchanged and writes nothing; each other is stored (source form, import or seed;
 * import_id the indicator_imports row, 0 none), its event appended with the previous value,
 * its verification cleared. In the caller's transaction (its own, nested, when none). The
 * caller, once after its writes, queues the effectiveness job when any changed
 * (effectiveness_refresh_enqueue) and records one audit entry per form save or import (entity
 * "indicator_values" or "indicator_import"): an import of a million values is one entry, its
 * values' history is in indicator_value_events. 0 with the counts, -1 on error (then nothing of
 * this call is kept when it opened the transaction). */
int indicator_values_write(db_t *db, const audit_actor_t *actor, int64_t enterprise_id,
                           const indicator_value_write_t *values, size_t n, const char *source, int64_t import_id,
                           size_t *changed, size_t *unchanged);

/* Takes the enterprise row's lock in the open transaction (PostgreSQL: SELECT … FOR UPDATE; SQLite's
 * BEGIN IMMEDIATE serialises writers already), so that writers of its values (a form's save, an
 * import) go one after the other and each event holds the value it replaced. False on error. */
bool indicator_values_lock(db_t *db, int64_t enterprise_id);

/* A body marks an enterprise's stored values of a year verified during its audit (audit_id of
 * that body about that enterprise: the caller checks) or, with verified false, clears its own
 * marks. Only indicator_ids[0..n) (n 0: every value of the year). The number of values marked,
 * -1 on error. Events 'verified' / 'unverified'. */
int64_t indicator_values_verify(db_t *db, const audit_actor_t *actor, int64_t enterprise_id, int64_t year,
                                const int64_t *indicator_ids, size_t n, int64_t body_id, int64_t audit_id,
                                bool verified);

/* Queues effectiveness_refresh unless one is queued already (a running one does not count), in
 * the caller's transaction when one is open. False on a database error. */
bool effectiveness_refresh_enqueue(db_t *db);

#endif

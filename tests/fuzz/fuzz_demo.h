/* What the importer harnesses share: an in-memory SQLite database holding the demo data
 * (seed_demo at scale 1), opened once, and the check that an error code is in the catalogue.
 * Header-only: each harness is its own program. */
#ifndef GUANBIAO_FUZZ_DEMO_H
#define GUANBIAO_FUZZ_DEMO_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/messages.h"
#include "seed.h"
#include "store/migrate.h"

/* The demo database, or abort() naming the harness (a harness cannot run without it). */
static db_t *fuzz_demo_db(const char *harness)
{
    char err[256] = "";
    store_t *store = store_open("sqlite::memory:", err, sizeof err);
    db_t *db = store ? db_connect(store, err, sizeof err) : NULL;
    FILE *quiet = fopen("/dev/null", "w");
    if (db == NULL || quiet == NULL || migrate_apply(db, err, sizeof err) < 0 || seed_demo(db, 1, quiet) != 0) {
        fprintf(stderr, "%s: set-up failed: %s\n", harness, err);
        abort();
    }
    fclose(quiet);
    return db;
}

/* Is code one of the error catalogue's (core/messages.c)? */
static bool fuzz_known_code(const char *code)
{
    for (int i = 0; i < messages_count; i++)
        if (strcmp(messages[i].code, code) == 0)
            return true;
    return false;
}

#endif

/* Schema migrations: sql/NNN_name.sql, embedded in the binary at build time, applied in order
 * and recorded in schema_migrations. The SQL is shared by both databases; two tokens are
 * replaced per backend: @ID@ (an auto-assigned BIGINT primary key) and @BLOB@ (bytes). */
#ifndef GUANBIAO_MIGRATE_H
#define GUANBIAO_MIGRATE_H
#include "store/store.h"

typedef struct migration {
    int version;
    const char *name;
    const char *sql;
} migration_t;

extern const migration_t migrations[];
extern const int migrations_count;

/* Applies every pending migration, each in its own transaction; several processes may call
 * it at once (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE). Returns the number
 * applied, or -1 with a message in err. */
int migrate_apply(db_t *db, char *err, size_t errlen);

/* The highest applied version, 0 for an empty database, -1 on error. */
int migrate_current(db_t *db);

/* The migration's SQL for this backend (tokens replaced); caller frees. */
char *migrate_render(const char *sql, store_kind_t kind);

#endif

/* Demo data for `guanbiao seed --demo`: organisations and one account per role, each with
 * the password guanbiao-demo. Idempotent: seeding twice changes nothing. Later issues add
 * their own demo records here. */
#ifndef GUANBIAO_SEED_H
#define GUANBIAO_SEED_H
#include <stdio.h>

#include "store/store.h"

#define DEMO_PASSWORD "guanbiao-demo"

/* Seeds; prints progress and the demo accounts to out. 0 on success, 1 on failure. */
int seed_demo(db_t *db, int scale, FILE *out);

#endif

/* Demo data for `guanbiao seed --demo`: organisations and one account per role, each with
 * the password guanbiao-demo. Idempotent: seeding twice changes nothing. Later issues add
 * their own demo records here. */
#ifndef GUANBIAO_SEED_H
#define GUANBIAO_SEED_H
#include <stdio.h>

#include "store/store.h"

#define DEMO_PASSWORD "guanbiao-demo"
/* The demo body's API token (docs/api.md "API tokens"): public, like the demo password, so that
 * the API can be tried with curl on a demo; a real deployment has no demo data. */
#define DEMO_API_TOKEN "gb_guanbiao-demo-token-for-trying-the-api-0000"

/* Seeds; prints progress and the demo accounts to out. 0 on success, 1 on failure. */
int seed_demo(db_t *db, int scale, FILE *out);

#endif

/* Roles and the signed-in user as the rest of the code sees them. A route allows a set of
 * roles (a bit mask); anonymous requests have ROLE_PUBLIC. */
#ifndef GUANBIAO_ROLES_H
#define GUANBIAO_ROLES_H
#include <stdbool.h>
#include <stdint.h>

typedef enum role {
    ROLE_NONE = 0,
    ROLE_PUBLIC = 1u << 0,
    ROLE_ENTERPRISE = 1u << 1,
    ROLE_BODY = 1u << 2,
    ROLE_REGULATOR = 1u << 3,
    ROLE_ADMIN = 1u << 4,
} role_t;

#define ROLES_SIGNED_IN (ROLE_ENTERPRISE | ROLE_BODY | ROLE_REGULATOR | ROLE_ADMIN)
#define ROLES_ANY (ROLE_PUBLIC | ROLES_SIGNED_IN)

/* A user: strings are owned by whoever filled the struct (a request's arena). */
typedef struct user {
    int64_t id;              /* 0 for the public */
    role_t role;
    const char *login;
    const char *name;
    int64_t enterprise_id;   /* 0 unless role is enterprise */
    int64_t body_id;         /* 0 unless role is body */
    const char *region;      /* regulators: GB/T 2260 code; "" or "000000" = national */
} user_t;

/* What a user may reach among records that belong to an enterprise (and so to its region) and
 * may involve a certification body. domain/scope.c decides it (scope_reach); store/query.c
 * turns it into SQL (query_scope). */
typedef enum reach_kind {
    REACH_NONE = 0,          /* nothing (the public, or an account without an organisation) */
    REACH_ALL,               /* every record */
    REACH_ENTERPRISE,        /* the records of enterprise `id` */
    REACH_BODY,              /* the records that involve body `id` */
    REACH_REGION,            /* the records whose region starts with `region_prefix` */
} reach_kind_t;

typedef struct reach {
    reach_kind_t kind;
    int64_t id;
    char region_prefix[7];   /* "44" (a province), "4403" (a prefecture), "440305" */
} reach_t;

const char *role_name(role_t r);            /* "public", "enterprise", … */
role_t role_parse(const char *name);        /* ROLE_NONE when unknown */
/* "enterprise,body" style list of a mask, into out. */
void role_mask_names(unsigned mask, char *out, unsigned outlen);

#endif

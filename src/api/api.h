/* The API handlers, one file per area; src/api/routes.c lists them with their rules. */
#ifndef GUANBIAO_API_H
#define GUANBIAO_API_H
#include <jansson.h>

#include "http/call.h"

/* session.c */
void api_session_create(call_t *c);
void api_session_show(call_t *c);
void api_session_delete(call_t *c);
void api_session_password(call_t *c);
/* users.c */
void api_users_list(call_t *c);
void api_users_create(call_t *c);
/* system.c */
void api_healthz(call_t *c);
void api_metrics(call_t *c);
void api_openapi(call_t *c);

/* The public JSON form of a user (with its organisation's name when it has one). */
json_t *user_json(call_t *c, const user_t *u);

/* The OpenAPI document of the route table (openapi.c). */
json_t *openapi_document(void);

#endif

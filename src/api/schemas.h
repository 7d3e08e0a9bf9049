/* The API's named schemas: src/api/schemas/NAME.json, one OpenAPI 3.0 schema object per file,
 * embedded at build time (tools/embed_data.py). The route table names them in .request and
 * .response; /api/openapi.json puts them all into components.schemas; a schema refers to
 * another as {"$ref":"#/components/schemas/NAME"}. */
#ifndef GUANBIAO_API_SCHEMAS_H
#define GUANBIAO_API_SCHEMAS_H
#include <stdbool.h>
#include <stddef.h>

#include "core/embedded.h"
#include "http/router.h"

/* written by tools/embed_data.py: every *.json of src/api/schemas */
extern const embedded_file_t api_schema_files[];
extern const int api_schema_files_count;

/* The text of schema NAME (NUL-terminated), or NULL when there is no such file. */
const char *api_schema_text(const char *name);

/* Checks the schemas against the route table: every file is a JSON object, every name a route
 * gives has its file, every "$ref" points at an existing one. False with the first problem in
 * why (the server then refuses to start). */
bool api_schemas_check(const route_t *routes, int n, char *why, size_t whylen);

#endif

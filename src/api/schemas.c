/* The named schemas (see schemas.h): lookup and the start-up check. */
#include "api/schemas.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define REF_PREFIX "#/components/schemas/"

const char *api_schema_text(const char *name)
{
    char file[128];
    if (name == NULL || snprintf(file, sizeof file, "%s.json", name) >= (int)sizeof file)
        return NULL;
    return embedded_find(api_schema_files, api_schema_files_count, file, NULL);
}

/* Every "$ref" in v names an existing schema; false with why filled. */
static bool refs_resolve(const char *file, json_t *v, char *why, size_t whylen)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member) {
            if (strcmp(key, "$ref") == 0) {
                const char *ref = json_string_value(member);
                if (ref == NULL || strncmp(ref, REF_PREFIX, strlen(REF_PREFIX)) != 0 ||
                    api_schema_text(ref + strlen(REF_PREFIX)) == NULL) {
                    snprintf(why, whylen, "src/api/schemas/%s: $ref %s names no schema file", file, ref ? ref : "?");
                    return false;
                }
            } else if (!refs_resolve(file, member, why, whylen)) {
                return false;
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) if (!refs_resolve(file, item, why, whylen)) return false;
    }
    return true;
}

static bool name_exists(const route_t *r, const char *what, const char *name, char *why, size_t whylen)
{
    if (name == NULL || api_schema_text(name) != NULL)
        return true;
    snprintf(why, whylen, "route %s: %s schema \"%.60s\" has no file src/api/schemas/<name>.json", r->pattern, what,
             name);
    return false;
}

bool api_schemas_check(const route_t *routes, int n, char *why, size_t whylen)
{
    for (int i = 0; i < api_schema_files_count; i++) {
        json_error_t err;
        json_t *s = json_loads(api_schema_files[i].data, 0, &err);
        bool ok = json_is_object(s) && refs_resolve(api_schema_files[i].name, s, why, whylen);
        if (!json_is_object(s))
            snprintf(why, whylen, "src/api/schemas/%s: not a JSON object (%s, line %d)", api_schema_files[i].name,
                     err.text, err.line);
        json_decref(s);
        if (!ok)
            return false;
    }
    if (api_schema_text("Error") == NULL) {
        snprintf(why, whylen, "src/api/schemas/Error.json is missing (every error answer refers to it)");
        return false;
    }
    for (int i = 0; i < n; i++)
        if (!name_exists(&routes[i], "request", routes[i].request, why, whylen) ||
            !name_exists(&routes[i], "response", routes[i].response, why, whylen))
            return false;
    return true;
}

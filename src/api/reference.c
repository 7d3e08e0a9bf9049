/* Reference data for forms and filters: GB/T 2260 divisions and GB/T 4754 industries. */
#include <string.h>

#include "api/api.h"
#include "core/regions.h"

/* The members of a region, inside an object the caller opened. */
static void region_members(jw_t *w, const region_t *r)
{
    jw_kstr(w, "code", r->code);
    jw_kstr(w, "name", r->name);
    jw_kint(w, "level", r->level);
}

void api_regions_list(call_t *c)
{
    const char *parent = call_query(c, "parent");
    if (call_answered(c))
        return;
    if (parent != NULL && *parent != '\0' && region_find(parent) == NULL) {
        call_error(c, "invalid_query", "parent", "parent");
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    for (size_t i = 0; i < regions_count(); i++) {
        const region_t *r = region_at(i);
        bool child = parent == NULL || *parent == '\0' ? r->level == 1 : strcmp(r->parent, parent) == 0;
        if (child) {
            jw_object(w);
            region_members(w, r);
            jw_end(w);
        }
    }
    jw_end(w);
    jw_end(w);
}

void api_regions_show(call_t *c)
{
    const region_t *r = region_find(call_param(c, "code"));
    if (r == NULL) {
        call_error(c, "not_found", NULL);
        return;
    }
    char path[256];
    region_path(r->code, path, sizeof path);
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    region_members(w, r);
    jw_kstr(w, "parent", r->parent);
    jw_kstr(w, "path", path);
    jw_end(w);
}

void api_industries_list(call_t *c)
{
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_key(w, "items");
    jw_array(w);
    for (size_t i = 0; i < industries_count(); i++) {
        const industry_t *d = industry_at(i);
        jw_object(w);
        jw_kstr(w, "code", d->code);
        jw_kstr(w, "name", d->name);
        jw_kstr(w, "section", d->section);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

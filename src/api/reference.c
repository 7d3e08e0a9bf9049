/* Reference data for forms and filters: GB/T 2260 divisions and GB/T 4754 industries. */
#include <string.h>

#include "api/api.h"
#include "core/regions.h"

static json_t *region_json(const region_t *r)
{
    return json_pack("{s:s, s:s, s:i}", "code", r->code, "name", r->name, "level", r->level);
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
    json_t *items = json_array();
    for (size_t i = 0; i < regions_count(); i++) {
        const region_t *r = region_at(i);
        bool child = parent == NULL || *parent == '\0' ? r->level == 1 : strcmp(r->parent, parent) == 0;
        if (child)
            json_array_append_new(items, region_json(r));
    }
    call_json(c, 200, json_pack("{s:o}", "items", items));
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
    json_t *j = region_json(r);
    json_object_set_new(j, "parent", json_string(r->parent));
    json_object_set_new(j, "path", json_string(path));
    call_json(c, 200, j);
}

void api_industries_list(call_t *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < industries_count(); i++) {
        const industry_t *d = industry_at(i);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "code", d->code, "name", d->name, "section", d->section));
    }
    call_json(c, 200, json_pack("{s:o}", "items", items));
}

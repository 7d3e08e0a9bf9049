/* Regions and industries from the embedded data files (see regions.h). */
#include "core/regions.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"


static region_t *regions;
static size_t nregions;
static industry_t *industries;
static size_t nindustries;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Splits a copy of text into lines of tab-separated fields; calls row() for each data line. */
static void each_row(const char *text, void (*row)(char **fields, int n))
{
    char *copy = strdup(text);      /* kept for the life of the process: names point into it */
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *fields[4] = {0};
        int n = 0;
        char *p = line;
        while (n < 4) {
            fields[n++] = p;
            char *tab = strchr(p, '\t');
            if (tab == NULL)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        row(fields, n);
    }
}

static size_t cap_regions, cap_industries;

static void add_region(char **f, int n)
{
    if (n < 3)
        return;
    if (nregions == cap_regions) {
        cap_regions = cap_regions ? cap_regions * 2 : 4096;
        regions = realloc(regions, cap_regions * sizeof *regions);
    }
    region_t *r = &regions[nregions++];
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", f[0]);
    r->name = f[1];
    r->level = atoi(f[2]);
    if (n > 3)
        snprintf(r->parent, sizeof r->parent, "%s", f[3]);
}

static void add_industry(char **f, int n)
{
    if (n < 2)
        return;
    if (nindustries == cap_industries) {
        cap_industries = cap_industries ? cap_industries * 2 : 128;
        industries = realloc(industries, cap_industries * sizeof *industries);
    }
    industry_t *d = &industries[nindustries++];
    memset(d, 0, sizeof *d);
    snprintf(d->code, sizeof d->code, "%s", f[0]);
    d->name = f[1];
    if (n > 2)
        snprintf(d->section, sizeof d->section, "%s", f[2]);
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const region_t *)a)->code, ((const region_t *)b)->code);
}

static void load(void)
{
    each_row(embedded_file("regions.tsv", NULL), add_region);
    qsort(regions, nregions, sizeof *regions, by_code);
    each_row(embedded_file("industries.tsv", NULL), add_industry);
}

const region_t *region_find(const char *code)
{
    pthread_once(&once, load);
    if (code == NULL || strlen(code) != 6)
        return NULL;
    region_t key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, regions, nregions, sizeof *regions, by_code);
}

size_t regions_count(void)
{
    pthread_once(&once, load);
    return nregions;
}

const region_t *region_at(size_t i)
{
    pthread_once(&once, load);
    return i < nregions ? &regions[i] : NULL;
}

bool region_path(const char *code, char *out, size_t outlen)
{
    const region_t *chain[3];
    int depth = 0;
    for (const region_t *r = region_find(code); r != NULL && depth < 3; r = r->parent[0] ? region_find(r->parent) : NULL)
        chain[depth++] = r;
    if (depth == 0)
        return false;
    size_t k = 0;
    out[0] = '\0';
    for (int i = depth - 1; i >= 0; i--) {
        /* "市辖区" (municipal districts) says nothing a reader needs */
        if (chain[i]->level == 2 && strcmp(chain[i]->name, "市辖区") == 0 && i != 0)
            continue;
        int w = snprintf(out + k, outlen - k, "%s%s", k ? " " : "", chain[i]->name);
        if (w < 0 || (size_t)w >= outlen - k)
            break;
        k += (size_t)w;
    }
    return true;
}

const industry_t *industry_find(const char *code)
{
    pthread_once(&once, load);
    for (size_t i = 0; code != NULL && i < nindustries; i++)
        if (strcmp(industries[i].code, code) == 0)
            return &industries[i];
    return NULL;
}

size_t industries_count(void)
{
    pthread_once(&once, load);
    return nindustries;
}

const industry_t *industry_at(size_t i)
{
    pthread_once(&once, load);
    return i < nindustries ? &industries[i] : NULL;
}

bool region_is_province(const char *code)
{
    const region_t *r = region_find(code);
    return r != NULL && r->level == 1;
}

bool industry_is_section(const char *code)
{
    const industry_t *i = industry_find(code);
    return i != NULL && i->section[0] == '\0';
}

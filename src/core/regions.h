/* Reference data shipped in data/ and embedded in the binary: GB/T 2260 administrative
 * divisions (data/regions.tsv) and GB/T 4754-2017 industries (data/industries.tsv). Parsed
 * once on first use; read-only afterwards, so safe from any thread. */
#ifndef GUANBIAO_REGIONS_H
#define GUANBIAO_REGIONS_H
#include <stdbool.h>
#include <stddef.h>

typedef struct region {
    char code[7];          /* 6 digits */
    const char *name;
    int level;             /* 1 province, 2 prefecture, 3 county */
    char parent[7];        /* "" for a province */
} region_t;

typedef struct industry {
    char code[3];          /* section letter "C" or division "39" */
    const char *name;
    char section[2];       /* a division's section; "" for a section */
} industry_t;

const region_t *region_find(const char *code);
/* A province's code ("440000"): a level-1 division of the table. */
bool region_is_province(const char *code);
/* The table, sorted by code: walk it with region_at(0 … regions_count() - 1). */
size_t regions_count(void);
const region_t *region_at(size_t i);
/* "广东省 深圳市 福田区" for 440304, into out. False for an unknown code. */
bool region_path(const char *code, char *out, size_t outlen);

const industry_t *industry_find(const char *code);
/* A GB/T 4754 section letter ("C"), not a division. */
bool industry_is_section(const char *code);
size_t industries_count(void);
const industry_t *industry_at(size_t i);

#endif

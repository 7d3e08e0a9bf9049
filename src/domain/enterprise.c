/* Enterprises' vocabularies (see enterprise.h). */
#include "domain/enterprise.h"

static const term_t sizes[] = {
    {"large", "大型", "Large"},
    {"medium", "中型", "Medium"},
    {"small", "小型", "Small"},
    {"micro", "微型", "Micro"},
    {NULL, NULL, NULL},
};

static const term_t statuses[] = {
    {"pending", "待审核", "Pending"},
    {"approved", "已通过", "Approved"},
    {"rejected", "已驳回", "Rejected"},
    {NULL, NULL, NULL},
};

const term_t *enterprise_sizes(void) { return sizes; }
bool enterprise_size_valid(const char *s) { return term_find(sizes, s) != NULL; }
const term_t *enterprise_statuses(void) { return statuses; }

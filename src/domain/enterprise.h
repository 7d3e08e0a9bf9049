/* Enterprises' vocabularies: the size class an enterprise declares and the statuses of its
 * registration (pending until the regulator of its region approves or rejects it). */
#ifndef GUANBIAO_ENTERPRISE_H
#define GUANBIAO_ENTERPRISE_H
#include <stdbool.h>

#include "domain/vocabulary.h"

const term_t *enterprise_sizes(void);      /* large, medium, small, micro (大型 … 微型) */
bool enterprise_size_valid(const char *s);
const term_t *enterprise_statuses(void);   /* pending, approved, rejected */

#endif

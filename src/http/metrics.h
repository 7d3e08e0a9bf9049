/* Request counters and latency histograms, kept with atomics (no locks on the hot path) and
 * rendered in Prometheus text format by GET /metrics. Slots: one per route of the table,
 * then "static" (web assets) and "unmatched" (404s without a route). */
#ifndef GUANBIAO_METRICS_H
#define GUANBIAO_METRICS_H
#include <stdint.h>

#include "core/buf.h"
#include "http/router.h"

void metrics_init(const route_t *table, int nroutes);
int metrics_slot_static(void);
int metrics_slot_unmatched(void);
void metrics_record(int slot, int status, int64_t micros);
void metrics_render(buf_t *out);

#endif

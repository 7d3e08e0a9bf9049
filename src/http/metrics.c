/* Request metrics (see metrics.h). */
#include "http/metrics.h"
#include "http/cache.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/jobs_runner.h"
#include "store/store.h"

static const double bucket_seconds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
enum { NBUCKETS = sizeof bucket_seconds / sizeof bucket_seconds[0], NSTATUS = 500 };

typedef struct slot {
    atomic_uint_fast64_t by_status[NSTATUS];      /* index status - 100 */
    atomic_uint_fast64_t buckets[NBUCKETS + 1];   /* last: +Inf */
    atomic_uint_fast64_t micros_sum;
} slot_t;

static const route_t *routes;
static int nslots, nroutes_;
static slot_t *slots;

void metrics_init(const route_t *table, int nroutes)
{
    routes = table;
    nroutes_ = nroutes;
    nslots = nroutes + 2;
    free(slots);
    slots = calloc((size_t)nslots, sizeof *slots);
}

int metrics_slot_static(void) { return nroutes_; }
int metrics_slot_unmatched(void) { return nroutes_ + 1; }

void metrics_record(int slot, int status, int64_t micros)
{
    if (slots == NULL || slot < 0 || slot >= nslots)
        return;
    slot_t *s = &slots[slot];
    if (status >= 100 && status < 100 + NSTATUS)
        atomic_fetch_add_explicit(&s->by_status[status - 100], 1, memory_order_relaxed);
    int b = 0;
    while (b < NBUCKETS && (double)micros / 1e6 > bucket_seconds[b])
        b++;
    atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->micros_sum, (uint_fast64_t)(micros < 0 ? 0 : micros), memory_order_relaxed);
}

static void slot_labels(int i, char *out, size_t n)
{
    if (i < nroutes_)
        snprintf(out, n, "method=\"%s\",route=\"%s\"", http_method_name(routes[i].method), routes[i].pattern);
    else
        snprintf(out, n, "method=\"\",route=\"%s\"", i == nroutes_ ? "static" : "unmatched");
}

void metrics_render(buf_t *out)
{
    char labels[256];
    buf_puts(out, "# HELP guanbiao_http_requests_total HTTP requests answered, by route and status.\n"
                  "# TYPE guanbiao_http_requests_total counter\n");
    for (int i = 0; i < nslots; i++) {
        slot_labels(i, labels, sizeof labels);
        for (int st = 0; st < NSTATUS; st++) {
            uint64_t v = atomic_load_explicit(&slots[i].by_status[st], memory_order_relaxed);
            if (v)
                buf_printf(out, "guanbiao_http_requests_total{%s,status=\"%d\"} %llu\n", labels, st + 100,
                           (unsigned long long)v);
        }
    }
    buf_puts(out, "# HELP guanbiao_http_request_duration_seconds Time from request to response, by route.\n"
                  "# TYPE guanbiao_http_request_duration_seconds histogram\n");
    for (int i = 0; i < nslots; i++) {
        uint64_t total = 0;
        for (int b = 0; b <= NBUCKETS; b++)
            total += atomic_load_explicit(&slots[i].buckets[b], memory_order_relaxed);
        if (total == 0)
            continue;
        slot_labels(i, labels, sizeof labels);
        uint64_t cum = 0;
        for (int b = 0; b < NBUCKETS; b++) {
            cum += atomic_load_explicit(&slots[i].buckets[b], memory_order_relaxed);
            buf_printf(out, "guanbiao_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", labels,
                       bucket_seconds[b], (unsigned long long)cum);
        }
        buf_printf(out, "guanbiao_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", labels,
                   (unsigned long long)total);
        buf_printf(out, "guanbiao_http_request_duration_seconds_sum{%s} %.6f\n", labels,
                   (double)atomic_load_explicit(&slots[i].micros_sum, memory_order_relaxed) / 1e6);
        buf_printf(out, "guanbiao_http_request_duration_seconds_count{%s} %llu\n", labels, (unsigned long long)total);
    }
    buf_printf(out, "# HELP guanbiao_db_errors_total Database errors seen by any connection.\n"
                    "# TYPE guanbiao_db_errors_total counter\n"
                    "guanbiao_db_errors_total %llu\n", (unsigned long long)store_error_count());
    jobs_metrics_render(out);
    cache_render_metrics(out);
    buf_printf(out, "# HELP guanbiao_build_info The running version.\n# TYPE guanbiao_build_info gauge\n"
                    "guanbiao_build_info{version=\"%s\"} 1\n", GUANBIAO_VERSION);
}

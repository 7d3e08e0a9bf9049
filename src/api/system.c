/* Operations endpoints: health, Prometheus metrics, the OpenAPI document. */
#include <pthread.h>

#include "api/api.h"
#include "http/metrics.h"

void api_healthz(call_t *c)
{
    if (!db_ping(c->db)) {
        call_db_error(c, "health check");
        c->status = 503;
        return;
    }
    jw_t *w = call_json_begin(c, 200);
    jw_object(w);
    jw_kstr(w, "status", "ok");
    jw_end(w);
}

void api_metrics(call_t *c)
{
    buf_reset(&c->out);
    metrics_render(&c->out);
    c->content_type_out = "text/plain; version=0.0.4; charset=utf-8";
    c->status = 200;
}

/* Rendered once: the route table does not change while the server runs. */
static char *openapi_text;
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void render_openapi(void)
{
    json_t *doc = openapi_document();
    openapi_text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
}

void api_openapi(call_t *c)
{
    pthread_once(&openapi_once, render_openapi);
    buf_reset(&c->out);
    buf_puts(&c->out, openapi_text ? openapi_text : "{}");
    c->status = 200;
}

/* The HTTP server (see server.h). The h2o request is only touched here: a call_t is built
 * from it (copies), phase 1 of the dispatcher runs on the loop, phase 2 runs on the loop or
 * on a worker, and the loop writes the answer. A client that hangs up while its job runs on
 * a worker leaves the job without a request: the loop then drops the result. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <h2o.h>
#include <h2o/multithread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "http/auth.h"
#include "http/call.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/static.h"

/* MAX_ENTITY: bodies above it are refused by h2o itself (413 in plain text) before any route
 * sees them; below it, each route's own limit answers a JSON 413. */
enum { MAX_QUEUED_JOBS = 10000, MAX_ENTITY = 64u << 20 };

typedef struct loop {
    h2o_context_t ctx;                  /* one per loop: h2o contexts are not thread-safe */
    h2o_accept_ctx_t accept_ctx;
    h2o_multithread_queue_t *queue;     /* wakes this loop for messages from other threads */
    h2o_multithread_receiver_t done;    /* finished jobs come back here */
    h2o_multithread_receiver_t control; /* the stop message */
    h2o_socket_t *listener;
    int fd;
    db_t *db;                           /* SQLite: point queries run on the loop */
    int inflight;                       /* jobs of this loop still on workers */
    struct job *spare;                  /* finished jobs kept for reuse (loop thread only) */
    int nspare;
    pthread_t thread;
} loop_t;

typedef struct job {
    h2o_multithread_message_t msg;      /* first member: a message is a job */
    struct job *next;                   /* the workers' queue */
    loop_t *loop;                       /* the loop to come back to */
    h2o_req_t *req;                     /* NULL once the client has gone */
    struct job **guard;                 /* lives in req->pool; points back at this job */
    int64_t started;
    call_t call;
} job_t;

static h2o_globalconf_t config;
static const server_options_t *options;
static loop_t *loops;
static atomic_int stopping;

/* The workers' queue. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static job_t *jobs_head, *jobs_tail;
static int jobs_queued;
static bool workers_stop;

static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

/* h2o keeps pointers to header names and values: copy them into the request's pool. */
static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    h2o_iovec_t n = h2o_strdup(&req->pool, name, SIZE_MAX), v = h2o_strdup(&req->pool, value, SIZE_MAX);
    h2o_add_header_by_str(&req->pool, &req->res.headers, n.base, n.len, 1, NULL, v.base, v.len);
}

/* A header whose name (not one of h2o's tokens) and value are string literals: nothing to
 * copy, nothing to look up. */
static void add_const_header(h2o_req_t *req, const char *name, size_t name_len, const char *value, size_t value_len)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, name_len, 0, NULL, value, value_len);
}
#define CONST_HEADER(req, name, value) add_const_header(req, H2O_STRLIT(name), H2O_STRLIT(value))
/* The same for a header h2o knows as a token (content-type, cache-control, …). */
#define TOKEN_HEADER(req, token, value) \
    h2o_add_header(&(req)->pool, &(req)->res.headers, token, NULL, H2O_STRLIT(value))

static void security_headers(h2o_req_t *req)
{
    add_const_header(req, H2O_STRLIT("content-security-policy"), csp, sizeof csp - 1);
    CONST_HEADER(req, "x-content-type-options", "nosniff");
    CONST_HEADER(req, "x-frame-options", "DENY");
    CONST_HEADER(req, "referrer-policy", "same-origin");
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

static void send_body(h2o_req_t *req, const char *data, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.content_length = len;
    h2o_start_response(req, &generator);
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")) || len == 0) {
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
        return;
    }
    h2o_iovec_t body = h2o_iovec_init(data, len);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

/* Writes the call's answer to the request; records metrics and the access line. */
static void respond(h2o_req_t *req, call_t *c, int64_t started)
{
    req->res.status = c->status;
    req->res.reason = reason(c->status);
    security_headers(req);
    TOKEN_HEADER(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    if (c->status != 204) {
        if (c->content_type_out != NULL)
            add_header(req, "content-type", c->content_type_out);
        else
            TOKEN_HEADER(req, H2O_TOKEN_CONTENT_TYPE, "application/json; charset=utf-8");
    }
    for (int i = 0; i < c->nheaders; i++)
        add_header(req, c->headers[i].name, c->headers[i].value);
    /* the body must outlive the call: copy it into the request's pool */
    char *data = NULL;
    if (c->out.len > 0) {
        data = h2o_mem_alloc_pool(&req->pool, c->out.len);
        memcpy(data, c->out.data, c->out.len);
    }
    send_body(req, data, c->status == 204 ? 0 : c->out.len);
    int64_t us = monotonic_micros() - started;
    int slot = c->route_index >= 0 ? c->route_index : metrics_slot_unmatched();
    metrics_record(slot, c->status, us);
    if (log_access_enabled())
        log_access(req->method.base, req->method.len, c->route ? c->route->pattern : "unmatched", c->status,
                   c->out.len, (long long)us);
}

/* Copies what the dispatcher needs out of the h2o request. */
static void fill_call(call_t *c, h2o_req_t *req)
{
    c->method = http_method_parse(req->method.base, req->method.len);
    c->method_name = arena_strndup(&c->arena, req->method.base, req->method.len > 16 ? 16 : req->method.len);
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    c->path = arena_strndup(&c->arena, req->path.base, plen);
    if (req->query_at != SIZE_MAX)
        c->query = arena_strndup(&c->arena, req->path.base + req->query_at + 1, req->path.len - req->query_at - 1);
    if (req->entity.base != NULL && req->entity.len > 0) {
        c->body_data = arena_strndup(&c->arena, req->entity.base, req->entity.len);
        c->body_len = req->entity.len;
    }
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i >= 0)
        c->content_type = arena_strndup(&c->arena, req->headers.entries[i].value.base, req->headers.entries[i].value.len);
    i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_LANGUAGE, -1);
    if (i >= 0)
        c->lang = lang_from_header(req->headers.entries[i].value.base, req->headers.entries[i].value.len);
    i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-csrf-token"), -1);
    if (i >= 0)
        c->csrf_header = arena_strndup(&c->arena, req->headers.entries[i].value.base, req->headers.entries[i].value.len);
    /* HTTP/2 may split cookies over several headers */
    for (i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) >= 0;) {
        char token[TOKEN_CHARS + 8];
        if (cookie_find(req->headers.entries[i].value.base, req->headers.entries[i].value.len, SESSION_COOKIE, token,
                        sizeof token)) {
            c->session_token = arena_strdup(&c->arena, token);
            break;
        }
    }
    /* the address is only formatted when a handler asks for it (call_peer) */
    c->peer_len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&c->peer_addr);
    c->secure = req->scheme == &H2O_URL_SCHEME_HTTPS;
}

enum { MAX_SPARE_JOBS = 64 };

/* A job for a new request: a recycled one when the loop has one. Loop thread only. */
static job_t *job_new(loop_t *loop)
{
    job_t *job = loop->spare;
    if (job != NULL) {
        loop->spare = job->next;
        loop->nspare--;
        call_reuse(&job->call);
    } else {
        job = calloc(1, sizeof *job);
        if (job == NULL)
            return NULL;
        call_init(&job->call);
    }
    job->next = NULL;
    job->req = NULL;
    job->guard = NULL;
    job->loop = loop;
    return job;
}

/* Done with a job: kept for reuse, or freed. Loop thread only. */
static void job_free(job_t *job)
{
    loop_t *loop = job->loop;
    if (loop != NULL && loop->nspare < MAX_SPARE_JOBS) {
        job->next = loop->spare;
        loop->spare = job;
        loop->nspare++;
        return;
    }
    call_free(&job->call);
    free(job);
}

/* Runs on the loop when the request's pool is cleared (client gone, or request done). */
static void on_request_disposed(void *p)
{
    job_t **guard = p;
    if (*guard != NULL) {               /* the job is still running: forget the request */
        (*guard)->req = NULL;
        (*guard)->guard = NULL;
    }
}

/* Runs on the loop: the results of finished jobs. */
static void on_jobs_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *msg = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&msg->link);
        job_t *job = (job_t *)msg;
        job->loop->inflight--;
        if (job->req != NULL) {
            *job->guard = NULL;         /* the pool's dispose must not touch the freed job */
            respond(job->req, &job->call, job->started);
        }
        job_free(job);
    }
}

static void *worker_main(void *arg)
{
    (void)arg;
    char err[256];
    db_t *db = db_connect(options->store, err, sizeof err);
    if (db == NULL)
        log_error("worker: %s (will retry per job)", err);
    for (;;) {
        pthread_mutex_lock(&jobs_lock);
        while (jobs_head == NULL && !workers_stop)
            pthread_cond_wait(&jobs_ready, &jobs_lock);
        if (jobs_head == NULL && workers_stop) {
            pthread_mutex_unlock(&jobs_lock);
            break;
        }
        job_t *job = jobs_head;
        if ((jobs_head = job->next) == NULL)
            jobs_tail = NULL;
        jobs_queued--;
        pthread_mutex_unlock(&jobs_lock);

        /* the work must not touch job->req */
        if (db == NULL && job->call.route->work != WORK_NO_DB)
            db = db_connect(options->store, err, sizeof err);
        if (db == NULL && job->call.route->work != WORK_NO_DB)
            call_error(&job->call, "database_unavailable", NULL);
        else
            dispatch_run(&job->call, db);
        h2o_multithread_send_message(&job->loop->done, &job->msg);
    }
    db_close(db);
    return NULL;
}

static bool enqueue(job_t *job)
{
    pthread_mutex_lock(&jobs_lock);
    if (jobs_queued >= MAX_QUEUED_JOBS) {
        pthread_mutex_unlock(&jobs_lock);
        return false;
    }
    job->next = NULL;
    if (jobs_tail != NULL)
        jobs_tail->next = job;
    else
        jobs_head = job;
    jobs_tail = job;
    jobs_queued++;
    pthread_cond_signal(&jobs_ready);
    pthread_mutex_unlock(&jobs_lock);
    return true;
}

static bool is_api_path(const char *p, size_t len)
{
    return (len >= 5 && memcmp(p, "/api/", 5) == 0) || (len == 4 && memcmp(p, "/api", 4) == 0) ||
           (len == 8 && memcmp(p, "/healthz", 8) == 0) || (len == 8 && memcmp(p, "/metrics", 8) == 0);
}

static bool accepts(h2o_req_t *req, const char *coding)
{
    for (ssize_t i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, i)) >= 0;) {
        h2o_iovec_t v = req->headers.entries[i].value;
        size_t n = strlen(coding);
        for (size_t k = 0; k + n <= v.len; k++)
            if (memcmp(v.base + k, coding, n) == 0 && (k == 0 || v.base[k - 1] == ' ' || v.base[k - 1] == ','))
                return true;
    }
    return false;
}

/* Metrics and the access line of a static answer. */
static void record_static(h2o_req_t *req, int status, size_t bytes, int64_t started)
{
    int64_t us = monotonic_micros() - started;
    metrics_record(metrics_slot_static(), status, us);
    if (log_access_enabled())
        log_access(req->method.base, req->method.len, "static", status, bytes, (long long)us);
}

static int serve_static(h2o_req_t *req, size_t plen, int64_t started)
{
    int status;
    bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    const asset_t *a = NULL;
    if (!head && !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        status = 405;
        add_header(req, "allow", "GET, HEAD");
    } else {
        a = static_find(req->path.base, plen);
        status = a ? 200 : 404;
    }
    req->res.status = status;
    security_headers(req);
    if (a == NULL) {
        req->res.reason = reason(status);
        add_header(req, "content-type", "text/plain; charset=utf-8");
        const char *msg = status == 404 ? "404 Not Found\n" : "405 Method Not Allowed\n";
        send_body(req, msg, strlen(msg));
        record_static(req, status, strlen(msg), started);
        return 0;
    }
    add_header(req, "cache-control", a->cache_control);
    add_header(req, "etag", a->etag);
    add_header(req, "vary", "Accept-Encoding");
    ssize_t inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    if (inm >= 0 && h2o_memis(req->headers.entries[inm].value.base, req->headers.entries[inm].value.len, a->etag,
                              strlen(a->etag))) {
        req->res.status = 304;
        req->res.reason = reason(304);
        send_body(req, NULL, 0);
        record_static(req, 304, 0, started);
        return 0;
    }
    req->res.reason = reason(200);
    add_header(req, "content-type", a->content_type);
    const char *data = a->data;
    size_t len = a->len;
    if (a->br != NULL && accepts(req, "br")) {
        add_header(req, "content-encoding", "br");
        data = a->br;
        len = a->br_len;
    } else if (a->gz != NULL && accepts(req, "gzip")) {
        add_header(req, "content-encoding", "gzip");
        data = a->gz;
        len = a->gz_len;
    }
    send_body(req, data, len);
    record_static(req, 200, len, started);
    return 0;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    int64_t started = monotonic_micros();
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (!is_api_path(req->path.base, plen))
        return serve_static(req, plen, started);

    loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, ctx, req->conn->ctx);
    job_t *job = job_new(loop);
    if (job == NULL)
        return -1;
    job->started = started;
    fill_call(&job->call, req);
    if (!dispatch_begin(&job->call)) {
        respond(req, &job->call, started);
        job_free(job);
        return 0;
    }
    if (dispatch_needs_worker(&job->call, store_kind(options->store))) {
        job->req = req;
        job->guard = h2o_mem_alloc_shared(&req->pool, sizeof *job->guard, on_request_disposed);
        *job->guard = job;
        if (atomic_load(&stopping) || !enqueue(job)) {
            *job->guard = NULL;
            call_error(&job->call, atomic_load(&stopping) ? "shutting_down" : "overloaded", NULL);
            respond(req, &job->call, started);
            job_free(job);
            return 0;
        }
        loop->inflight++;
        return 0;                       /* the answer comes from on_jobs_done */
    }
    /* on the loop: SQLite reads only (dispatch_needs_worker), which share one read
     * transaction per loop iteration */
    db_t *db = job->call.route->work == WORK_NO_DB ? NULL : loop->db;
    if (db != NULL)
        db_snapshot_begin(db);
    dispatch_run(&job->call, db);
    respond(req, &job->call, started);
    job_free(job);
    return 0;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    loop_t *loop = listener->data;
    h2o_socket_t *sock;
    if (err != NULL || (sock = h2o_evloop_socket_accept(listener)) == NULL)
        return;
    h2o_accept(&loop->accept_ctx, sock);
}

static void on_control(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, control, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *msg = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&msg->link);
        free(msg);
    }
    if (loop->listener != NULL) {       /* stop accepting: new connections go elsewhere or fail */
        h2o_socket_read_stop(loop->listener);
        h2o_socket_close(loop->listener);
        loop->listener = NULL;
    }
}

/* Parses "HOST:PORT" / "[V6]:PORT" into a socket address. */
static bool parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (close == NULL || close[1] != ':')
            return false;
        snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (colon == NULL)
            return false;
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
        port = colon + 1;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
    if (getaddrinfo(host[0] ? host : NULL, port, &hints, &res) != 0)
        return false;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

static int open_listener(const struct sockaddr_storage *ss, socklen_t len)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void *run_loop(void *arg)
{
    loop_t *loop = arg;
    h2o_evloop_t *evloop = h2o_evloop_create();
    h2o_context_init(&loop->ctx, evloop, &config);
    loop->accept_ctx.ctx = &loop->ctx;
    loop->accept_ctx.hosts = config.hosts;
    loop->queue = h2o_multithread_create_queue(evloop);
    h2o_multithread_register_receiver(loop->queue, &loop->done, on_jobs_done);
    h2o_multithread_register_receiver(loop->queue, &loop->control, on_control);
    loop->listener = h2o_evloop_socket_create(evloop, loop->fd, H2O_SOCKET_FLAG_DONT_READ);
    loop->listener->data = loop;
    h2o_socket_read_start(loop->listener, on_accept);

    int64_t drain_until = 0;
    for (;;) {
        h2o_evloop_run(evloop, 100);
        if (loop->db != NULL)
            db_snapshot_end(loop->db);  /* the next iteration sees every write committed meanwhile */
        if (!atomic_load(&stopping))
            continue;
        if (loop->inflight > 0)
            continue;                   /* finish what was accepted */
        int64_t now = monotonic_micros();
        if (drain_until == 0)
            drain_until = now + 200000; /* let the last answers flush */
        else if (now >= drain_until)
            break;
    }
    h2o_multithread_unregister_receiver(loop->queue, &loop->done);
    h2o_multithread_unregister_receiver(loop->queue, &loop->control);
    while (loop->spare != NULL) {
        job_t *job = loop->spare;
        loop->spare = job->next;
        call_free(&job->call);
        free(job);
    }
    return NULL;
}

int server_run(const server_options_t *opt)
{
    options = opt;
    struct sockaddr_storage ss;
    socklen_t sl;
    if (!parse_listen(opt->listen, &ss, &sl)) {
        log_error("cannot parse --listen '%s': use HOST:PORT", opt->listen);
        return 1;
    }
    int nstatic = static_load(opt->web_dir);
    if (nstatic < 0)
        log_info("no web application at %s (build it with `make web`); serving the API only", opt->web_dir);

    h2o_config_init(&config);
    config.server_name = h2o_iovec_init(H2O_STRLIT("guanbiao"));
    config.max_request_entity_size = MAX_ENTITY;
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_handler_t *handler = h2o_create_handler(h2o_config_register_path(host, "/", 0), sizeof *handler);
    handler->on_req = on_req;
    metrics_init(api_routes, api_routes_count);

    /* signals go to the thread that waits for them, not to the loops */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int nloops = opt->threads, nworkers = opt->workers;
    loops = calloc((size_t)nloops, sizeof *loops);
    char err[512];
    for (int i = 0; i < nloops; i++) {
        loops[i].fd = open_listener(&ss, sl);
        if (loops[i].fd < 0) {
            log_error("cannot listen on %s: %s", opt->listen, strerror(errno));
            return 1;
        }
        if (store_kind(opt->store) == STORE_SQLITE) {
            loops[i].db = db_connect(opt->store, err, sizeof err);
            if (loops[i].db == NULL) {
                log_error("%s", err);
                return 1;
            }
        }
    }
    pthread_t *workers = calloc((size_t)nworkers, sizeof *workers);
    for (int i = 0; i < nworkers; i++)
        pthread_create(&workers[i], NULL, worker_main, NULL);
    for (int i = 0; i < nloops; i++)
        pthread_create(&loops[i].thread, NULL, run_loop, &loops[i]);
    log_info("guanbiao %s listening on http://%s (%d loops, %d workers, %s database, %d web files)", GUANBIAO_VERSION,
             opt->listen, nloops, nworkers, store_kind_name(opt->store), nstatic < 0 ? 0 : nstatic);

    int sig = 0;
    sigwait(&sigs, &sig);
    log_info("received %s: finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    atomic_store(&stopping, 1);
    for (int i = 0; i < nloops; i++) {
        h2o_multithread_message_t *msg = calloc(1, sizeof *msg);
        h2o_multithread_send_message(&loops[i].control, msg);
    }
    for (int i = 0; i < nloops; i++)
        pthread_join(loops[i].thread, NULL);
    pthread_mutex_lock(&jobs_lock);
    workers_stop = true;
    pthread_cond_broadcast(&jobs_ready);
    pthread_mutex_unlock(&jobs_lock);
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    for (int i = 0; i < nloops; i++)
        db_close(loops[i].db);
    free(workers);
    free(loops);
    static_free();
    log_info("stopped cleanly");
    return 0;
}

/* The HTTP server (see server.h). The h2o request is only touched on its loop: request.c
 * copies it into a call_t, the dispatcher runs phase 1 (and phase 2 when it may run on the
 * loop) there, or the call goes to a worker and comes back; the loop writes the answer. A
 * client that hangs up while its job runs on a worker leaves the job without a request: the
 * loop then drops the result. */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
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
#include "http/cache.h"
#include "http/call.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/protocol_errors.h"
#include "http/request.h"
#include "http/static.h"
#include "store/changes.h"

enum {
    MAX_QUEUED_JOBS = 10000,
    MAX_SPARE_JOBS = 64,
    /* draining after a stop signal: a loop stops once nothing is in flight, no connection is
     * open and nothing was accepted for DRAIN_QUIET_MS (at least that long after the signal);
     * idle keep-alive connections are closed after DRAIN_IDLE_MS; after DRAIN_MAX_MS the loop
     * stops accepting, answers new calls 503 shutting_down, and stops once its workers' jobs
     * are back */
    DRAIN_QUIET_MS = 200,
    DRAIN_IDLE_MS = 1000,
    DRAIN_MAX_MS = 5000,
};

typedef struct loop {
    h2o_context_t ctx;                  /* one per loop: h2o contexts are not thread-safe */
    h2o_accept_ctx_t accept_ctx;
    h2o_multithread_queue_t *queue;     /* wakes this loop for messages from other threads */
    h2o_multithread_receiver_t done;    /* finished jobs come back here */
    h2o_socket_t *listener;
    int fd;                             /* this loop's dup() of the one listening socket */
    db_t *db;                           /* SQLite: point reads run on the loop; never waits */
    int inflight;                       /* jobs of this loop still on workers */
    int nconns;                         /* open client connections */
    bool refusing;                      /* the drain's time is up: new calls get 503 shutting_down */
    int64_t last_accept;                /* monotonic_micros() of the last accepted connection */
    struct job *spare;                  /* finished jobs kept for reuse (loop thread only) */
    int nspare;
    pthread_t thread;
    bool running;                       /* its thread was started */
} loop_t;

typedef struct job {
    h2o_multithread_message_t msg;      /* first member: a message is a job */
    struct job *next;                   /* the workers' queue */
    loop_t *loop;                       /* the loop to come back to */
    h2o_req_t *req;                     /* NULL once the client has gone */
    struct job **guard;                 /* lives in req->pool; points back at this job */
    int64_t started;
    void (*task)(db_t *db, void *arg);  /* not NULL: a task of server_task_submit, not a request */
    void *task_arg;
    call_t call;
} job_t;

static h2o_globalconf_t config;
static const server_options_t *options;
static dispatch_conf_t dispatch;
static loop_t *loops;
static atomic_int stopping;
static h2o_iovec_t overloaded_body;     /* the 503 when not even a job can be allocated */

/* The workers' queue. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static job_t *jobs_head, *jobs_tail;
static int jobs_queued;
static bool workers_stop;

/* Writes the call's answer to the request; records metrics and the access line. While the
 * server drains, HTTP/1 connections are closed after the answer. */
static void respond(h2o_req_t *req, call_t *c, int64_t started)
{
    request_answer(req, c, atomic_load(&stopping) != 0);
    int64_t us = monotonic_micros() - started;
    int slot = c->route_index >= 0 ? c->route_index : metrics_slot_unmatched();
    metrics_record(slot, c->status, us);
    if (log_access_enabled())
        log_access(req->method.base, req->method.len, c->route ? c->route->pattern : "unmatched", c->status,
                   c->out.len, (long long)us, c->request_id);
}

/* A job for a new request: a recycled one when the loop has one; NULL when out of memory.
 * Loop thread only. */
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

        if (job->task != NULL) {
            if (db == NULL)
                db = db_connect(options->store, err, sizeof err);
            job->task(db, job->task_arg);
            free(job);
            continue;
        }
        /* the work must not touch job->req */
        bool needs_db = job->call.route->work != WORK_NO_DB;
        if (db == NULL && needs_db)
            db = db_connect(options->store, err, sizeof err);
        if (db == NULL && needs_db)
            call_error(&job->call, "database_unavailable", NULL);
        else
            dispatch_run(&job->call, needs_db ? db : NULL, ON_WORKER);
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

bool server_task_submit(void (*run)(db_t *db, void *arg), void *arg)
{
    job_t *job = calloc(1, sizeof *job);      /* its call stays unused */
    if (job == NULL)
        return false;
    job->task = run;
    job->task_arg = arg;
    if (!enqueue(job)) {
        free(job);
        return false;
    }
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
        log_access(req->method.base, req->method.len, "static", status, bytes, (long long)us, NULL);
}

/* A missing asset (404) or a method other than GET/HEAD (405), as every other error. */
static int static_error(h2o_req_t *req, int status, int64_t started)
{
    call_t c;
    call_init(&c);
    request_to_call(&c, req, options->trusted_proxies);   /* language, method name, HTTPS */
    if (status == 405) {
        call_header(&c, "allow", "GET, HEAD");
        call_error(&c, "method_not_allowed", NULL, c.method_name);
    } else {
        call_error(&c, "not_found", NULL);
    }
    request_answer(req, &c, atomic_load(&stopping) != 0);
    record_static(req, status, c.out.len, started);
    call_free(&c);
    return 0;
}

static int serve_static(h2o_req_t *req, size_t plen, int64_t started)
{
    bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    if (!head && !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")))
        return static_error(req, 405, started);
    const asset_t *a = static_find(req->path.base, plen);
    if (a == NULL)
        return static_error(req, 404, started);
    if (atomic_load(&stopping))
        req->http1_is_persistent = 0;
    request_security_headers(req);
    if (request_is_https(req, options->trusted_proxies))
        request_hsts(req);
    request_header(req, "cache-control", a->cache_control);
    request_header(req, "etag", a->etag);
    request_header(req, "vary", "Accept-Encoding");
    ssize_t inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    if (inm >= 0 && h2o_memis(req->headers.entries[inm].value.base, req->headers.entries[inm].value.len, a->etag,
                              strlen(a->etag))) {
        req->res.status = 304;
        req->res.reason = request_reason(304);
        request_send(req, NULL, 0);
        record_static(req, 304, 0, started);
        return 0;
    }
    req->res.status = 200;
    req->res.reason = request_reason(200);
    request_header(req, "content-type", a->content_type);
    const char *data = a->data;
    size_t len = a->len;
    if (a->br != NULL && accepts(req, "br")) {
        request_header(req, "content-encoding", "br");
        data = a->br;
        len = a->br_len;
    } else if (a->gz != NULL && accepts(req, "gzip")) {
        request_header(req, "content-encoding", "gzip");
        data = a->gz;
        len = a->gz_len;
    }
    request_send(req, data, len);
    record_static(req, 200, len, started);
    return 0;
}

/* 503 overloaded without a call (there was no memory for one): a body made at start. */
static int answer_overloaded(h2o_req_t *req, int64_t started)
{
    req->res.status = 503;
    req->res.reason = request_reason(503);
    request_security_headers(req);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/json; charset=utf-8"));
    request_send(req, overloaded_body.base, overloaded_body.len);
    metrics_record(metrics_slot_unmatched(), 503, monotonic_micros() - started);
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
    if (job == NULL) {
        log_error("out of memory for a request: answered 503");
        return answer_overloaded(req, started);
    }
    job->started = started;
    request_to_call(&job->call, req, options->trusted_proxies);
    if (loop->refusing) {
        call_error(&job->call, "shutting_down", NULL);
        respond(req, &job->call, started);
        job_free(job);
        return 0;
    }
    if (dispatch_on_loop(&dispatch, &job->call, loop->db) == DISPATCH_ANSWERED) {
        respond(req, &job->call, started);
        job_free(job);
        return 0;
    }
    job->req = req;
    job->guard = h2o_mem_alloc_shared(&req->pool, sizeof *job->guard, on_request_disposed);
    *job->guard = job;
    if (!enqueue(job)) {
        *job->guard = NULL;
        call_error(&job->call, "overloaded", NULL);
        respond(req, &job->call, started);
        job_free(job);
        return 0;
    }
    loop->inflight++;
    return 0;                           /* the answer comes from on_jobs_done */
}

static void on_connection_closed(void *data)
{
    loop_t *loop = data;
    loop->nconns--;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    loop_t *loop = listener->data;
    if (err != NULL)
        return;
    /* a few per wake-up: the loops share the socket, and each takes what it can */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        loop->nconns++;
        loop->last_accept = monotonic_micros();
        sock->on_close.cb = on_connection_closed;
        sock->on_close.data = loop;
        h2o_accept(&loop->accept_ctx, sock);
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

/* The one listening socket. No SO_REUSEPORT: a second server on the same address fails to
 * bind instead of silently taking part of the traffic. (SO_REUSEADDR only lets a restarted
 * server bind while the old one's connections are in TIME_WAIT.) */
static int open_listener(const struct sockaddr_storage *ss, socklen_t len)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Closes this loop's copy of the listening socket; the last loop to close its copy closes the
 * socket. */
static void close_listener(loop_t *loop)
{
    if (loop->listener == NULL)
        return;
    h2o_socket_read_stop(loop->listener);
    h2o_socket_close(loop->listener);
    loop->listener = NULL;
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
    loop->listener = h2o_evloop_socket_create(evloop, loop->fd, H2O_SOCKET_FLAG_DONT_READ);
    loop->listener->data = loop;
    h2o_socket_read_start(loop->listener, on_accept);

    /* each turn waits at most 100 ms, so a stop is seen within that */
    int64_t drain_started = 0;
    for (;;) {
        h2o_evloop_run(evloop, 100);
        if (loop->db != NULL) {
            db_snapshot_end(loop->db);  /* the next iteration sees every write committed meanwhile */
            changes_check_external(loop->db);   /* other processes' commits, also when idle (docs/cache.md) */
        }
        if (!atomic_load(&stopping))
            continue;
        int64_t now = monotonic_micros();
        if (drain_started == 0) {
            drain_started = now;
            h2o_context_request_shutdown(&loop->ctx);    /* HTTP/1: no more keep-alive; HTTP/2: GOAWAY */
            loop->ctx.http1.req_timeout.timeout = DRAIN_IDLE_MS;
        }
        bool late = now - drain_started >= DRAIN_MAX_MS * 1000;
        if (late && !loop->refusing) {
            loop->refusing = true;
            close_listener(loop);
        }
        if (loop->inflight > 0)
            continue;                   /* a job's result must find its loop */
        bool quiet = now - drain_started >= DRAIN_QUIET_MS * 1000 && now - loop->last_accept >= DRAIN_QUIET_MS * 1000;
        if ((quiet && loop->nconns == 0) || late)
            break;
    }
    close_listener(loop);
    h2o_multithread_unregister_receiver(loop->queue, &loop->done);
    while (loop->spare != NULL) {
        job_t *job = loop->spare;
        loop->spare = job->next;
        call_free(&job->call);
        free(job);
    }
    return NULL;
}

/* The largest body any route takes: h2o refuses longer ones on Content-Length, unread. */
static size_t largest_body_limit(const route_t *routes, int n)
{
    size_t max = 0;
    for (int i = 0; i < n; i++)
        if (route_body_limit(&routes[i]) > max)
            max = route_body_limit(&routes[i]);
    return max;
}

static bool make_overloaded_body(void)
{
    call_t c;
    call_init(&c);
    call_error(&c, "overloaded", NULL);
    overloaded_body.base = malloc(c.out.len);
    if (overloaded_body.base != NULL) {
        memcpy(overloaded_body.base, c.out.data, c.out.len);
        overloaded_body.len = c.out.len;
    }
    call_free(&c);
    return overloaded_body.base != NULL;
}

/* Stops the workers and waits for them. */
static void stop_workers(pthread_t *workers, int n)
{
    pthread_mutex_lock(&jobs_lock);
    workers_stop = true;
    pthread_cond_broadcast(&jobs_ready);
    pthread_mutex_unlock(&jobs_lock);
    for (int i = 0; i < n; i++)
        pthread_join(workers[i], NULL);
}

int server_run(const server_options_t *opt)
{
    options = opt;
    dispatch = (dispatch_conf_t){.routes = opt->routes, .nroutes = opt->nroutes, .store = store_kind(opt->store),
                                 .metrics_from = opt->metrics_from};
    struct sockaddr_storage ss;
    socklen_t sl;
    if (!parse_listen(opt->listen, &ss, &sl)) {
        log_error("cannot parse --listen '%s': use HOST:PORT", opt->listen);
        return 1;
    }
    int listen_fd = open_listener(&ss, sl);
    if (listen_fd < 0) {
        log_error("cannot listen on %s: %s%s", opt->listen, strerror(errno),
                  errno == EADDRINUSE ? " (is another server running on this port?)" : "");
        return 1;
    }
    int nstatic = opt->web_dir != NULL ? static_load(opt->web_dir) : static_load_embedded();
    if (nstatic < 0)
        log_info("no web application at %s (build it with `make web`); serving the API only", opt->web_dir);
    else if (opt->web_dir == NULL && nstatic == 0)
        log_info("this binary was built without the web application (make build builds web/dist first); "
                 "its pages say so");

    size_t body_cap = largest_body_limit(opt->routes, opt->nroutes);
    h2o_config_init(&config);
    config.server_name = h2o_iovec_init(H2O_STRLIT("guanbiao"));
    config.max_request_entity_size = body_cap;
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_handler_t *handler = h2o_create_handler(h2o_config_register_path(host, "/", 0), sizeof *handler);
    handler->on_req = on_req;
    if (!protocol_errors_install(host, opt->routes, opt->nroutes, body_cap) || !make_overloaded_body()) {
        close(listen_fd);
        return 1;
    }
    metrics_init(opt->routes, opt->nroutes);
    /* at most one entry per 256 bytes of the bound: the table's own memory stays small */
    if (!cache_init(opt->routes, opt->nroutes, opt->cache_bytes, (int)(opt->cache_bytes / 256)) ||
        (opt->cache_bytes > 0 && !changes_listen_start(opt->store))) {
        log_error("cannot set up the answer cache");
        close(listen_fd);
        return 1;
    }

    /* signals go to the thread that waits for them, not to the loops */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int nloops = opt->threads, nworkers = opt->workers, started_workers = 0, rc = 1;
    loops = calloc((size_t)nloops, sizeof *loops);
    pthread_t *workers = calloc((size_t)nworkers, sizeof *workers);
    if (loops == NULL || workers == NULL) {
        log_error("out of memory for %d loops and %d workers", nloops, nworkers);
        goto out;
    }
    char err[512];
    for (int i = 0; i < nloops; i++)
        loops[i].fd = -1;
    for (int i = 0; i < nloops; i++) {
        if ((loops[i].fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0)) < 0) {
            log_error("cannot share the listening socket: %s", strerror(errno));
            goto out;
        }
        if (store_kind(opt->store) == STORE_SQLITE) {
            loops[i].db = db_connect(opt->store, err, sizeof err);
            if (loops[i].db == NULL) {
                log_error("%s", err);
                goto out;
            }
            if (!db_set_no_wait(loops[i].db)) {
                log_error("cannot set up the event loop's database connection: %s", db_error(loops[i].db));
                goto out;
            }
        }
    }
    for (; started_workers < nworkers; started_workers++) {
        int e = pthread_create(&workers[started_workers], NULL, worker_main, NULL);
        if (e != 0) {
            log_error("cannot start worker thread %d of %d: %s", started_workers + 1, nworkers, strerror(e));
            goto out;
        }
    }
    if (!jobs_runner_start(&opt->jobs, opt->store, nworkers))
        goto out;
    for (int i = 0; i < nloops; i++) {
        int e = pthread_create(&loops[i].thread, NULL, run_loop, &loops[i]);
        if (e != 0) {
            log_error("cannot start event loop thread %d of %d: %s", i + 1, nloops, strerror(e));
            atomic_store(&stopping, 1);    /* the loops already running drain and stop */
            break;
        }
        loops[i].running = true;
    }
    if (!atomic_load(&stopping)) {
        log_info("guanbiao %s listening on http://%s (%d loops, %d workers, %s database, %d web files)",
                 GUANBIAO_VERSION, opt->listen, nloops, nworkers, store_kind_name(opt->store),
                 nstatic < 0 ? 0 : nstatic);
        int sig = 0;
        sigwait(&sigs, &sig);
        log_info("received %s: answering what was queued and in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        atomic_store(&stopping, 1);
        rc = 0;
    }
    jobs_runner_stop();                 /* claims nothing more; running jobs finish on the workers */
    for (int i = 0; i < nloops; i++)
        if (loops[i].running)
            pthread_join(loops[i].thread, NULL);
out:
    jobs_runner_stop();
    stop_workers(workers, started_workers);
    close(listen_fd);
    for (int i = 0; loops != NULL && i < nloops; i++) {
        if (!loops[i].running && loops[i].fd >= 0)
            close(loops[i].fd);         /* a running loop closed its own */
        db_close(loops[i].db);
    }
    free(workers);
    free(loops);
    static_free();
    changes_listen_stop();
    cache_free();
    if (rc == 0)
        log_info("stopped cleanly");
    return rc;
}

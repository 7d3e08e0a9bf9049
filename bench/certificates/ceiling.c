/* The ceiling for bench/certificates: a minimal libh2o-evloop server (one event loop, like
 * `guanbiao serve --threads 1`) that answers every request, whatever its path, with the same
 * bytes from memory and the given Content-Type. run.sh gives it the JSON of one real
 * certificate fetched from the project, so both servers send the same body; the difference in
 * requests/s is what the project spends on routing, SQLite, JSON and its own headers.
 *   cc -O2 -o ceiling ceiling.c $(pkg-config --cflags --libs libh2o-evloop)
 *   ./ceiling PORT BODY_FILE CONTENT_TYPE */
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static h2o_globalconf_t config;
static h2o_context_t ctx;
static h2o_accept_ctx_t accept_ctx;
static h2o_iovec_t body;                /* read once; lives as long as the process */
static h2o_iovec_t content_type;

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    static h2o_generator_t generator = {NULL, NULL};
    (void)self;
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type.base,
                   content_type.len);
    h2o_start_response(req, &generator);
    h2o_iovec_t b = body;               /* static memory: no copy needed */
    h2o_send(req, &b, 1, H2O_SEND_STATE_FINAL);
    return 0;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    h2o_socket_t *sock;
    (void)listener;
    if (err != NULL || (sock = h2o_evloop_socket_accept(listener)) == NULL)
        return;
    h2o_accept(&accept_ctx, sock);
}

static int read_file(const char *path, h2o_iovec_t *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 1 << 16, len = 0, n;
    char *data = malloc(cap);
    while (data != NULL && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (data == NULL)
        return -1;
    *out = h2o_iovec_init(data, len);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT BODY_FILE CONTENT_TYPE\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    if (read_file(argv[2], &body) != 0) {
        perror(argv[2]);
        return 1;
    }
    content_type = h2o_iovec_init(argv[3], strlen(argv[3]));
    signal(SIGPIPE, SIG_IGN);           /* a client that hangs up must not kill the server */

    h2o_config_init(&config);
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof *handler);
    handler->on_req = on_req;

    h2o_evloop_t *evloop = h2o_evloop_create();
    h2o_context_init(&ctx, evloop, &config);
    accept_ctx.ctx = &ctx;
    accept_ctx.hosts = config.hosts;

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0) {
        perror("listen");
        return 1;
    }
    h2o_socket_t *listener = h2o_evloop_socket_create(evloop, fd, H2O_SOCKET_FLAG_DONT_READ);
    h2o_socket_read_start(listener, on_accept);
    fprintf(stderr, "ceiling listening on http://127.0.0.1:%d (%zu bytes, %s)\n", port, body.len, argv[3]);
    while (h2o_evloop_run(evloop, INT32_MAX) == 0)
        ;
    return 0;
}

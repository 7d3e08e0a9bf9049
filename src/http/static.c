/* In-memory web assets (see static.h). */
#define _XOPEN_SOURCE 700
#include "http/static.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

static asset_t *assets;
static size_t nassets, cap;
static const char *root;
static size_t root_len;

static const struct { const char *ext, *type; } types[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
    {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".ico", "image/x-icon"},
    {".webp", "image/webp"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}, {".webmanifest", "application/manifest+json"},
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *type_of(const char *path)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (ends_with(path, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/* The file's bytes (caller frees) and length, or NULL. */
static char *read_file(const char *path, size_t *len)
{
    buf_t b;
    buf_init(&b, 256u << 20);
    if (!buf_read_file(&b, path)) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

/* A new zeroed entry at the end of the table. */
static asset_t *asset_add(void)
{
    if (nassets == cap) {
        cap = cap ? cap * 2 : 64;
        assets = realloc(assets, cap * sizeof *assets);
    }
    asset_t *a = &assets[nassets];
    memset(a, 0, sizeof *a);
    return a;
}

/* The headers of an asset whose path and data are set: the same for a folder's and the
 * binary's files. */
static void asset_describe(asset_t *a)
{
    a->content_type = type_of(a->path);
    a->cache_control = strncmp(a->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
                                                           : "no-cache";
    snprintf(a->etag, sizeof a->etag, "\"%016llx\"", (unsigned long long)hash_bytes(a->data, a->len));
}

static int visit(const char *fpath, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag != FTW_F || ends_with(fpath, ".gz") || ends_with(fpath, ".br"))
        return 0;
    asset_t *a = asset_add();
    a->data = read_file(fpath, &a->len);
    if (a->data == NULL)
        return 0;
    a->path = strdup(fpath + root_len);
    asset_describe(a);
    char twin[4096];
    snprintf(twin, sizeof twin, "%s.gz", fpath);
    a->gz = read_file(twin, &a->gz_len);
    snprintf(twin, sizeof twin, "%s.br", fpath);
    a->br = read_file(twin, &a->br_len);
    nassets++;
    return 0;
}

static int by_path(const void *x, const void *y)
{
    return strcmp(((const asset_t *)x)->path, ((const asset_t *)y)->path);
}

int static_load(const char *dir)
{
    static_free();
    root = dir;
    root_len = strlen(dir);
    while (root_len > 1 && dir[root_len - 1] == '/')
        root_len--;
    if (nftw(dir, visit, 16, FTW_PHYS) != 0)
        return -1;
    qsort(assets, nassets, sizeof *assets, by_path);
    return (int)nassets;
}

static const char not_built_page[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>贯标 Guanbiao</title></head>"
    "<body><main><h1>网页应用尚未构建 / The web application was not built</h1>"
    "<p>这个 guanbiao 程序构建时 web/dist 还不存在。请运行 <code>make build</code>（先构建网页应用，再构建服务器），"
    "或用 <code>--web DIR</code> 指定已构建的网页应用。API 照常可用。</p>"
    "<p>This guanbiao binary was built before web/dist existed. Run <code>make build</code> (it builds the web "
    "application, then the server), or give a built application with <code>--web DIR</code>. The API works as "
    "usual.</p></main></body></html>\n";

int static_load_embedded(void)
{
    static_free();
    for (int i = 0; i < web_files_count; i++) {
        const web_file_t *f = &web_files[i];
        asset_t *a = asset_add();
        a->borrowed = true;
        a->path = (char *)f->path;
        a->data = (char *)f->data;
        a->len = (size_t)(f->data_end - f->data);
        if (f->gz != NULL) {
            a->gz = (char *)f->gz;
            a->gz_len = (size_t)(f->gz_end - f->gz);
        }
        if (f->br != NULL) {
            a->br = (char *)f->br;
            a->br_len = (size_t)(f->br_end - f->br);
        }
        asset_describe(a);
        nassets++;
    }
    if (web_files_count == 0) {
        asset_t *a = asset_add();
        a->borrowed = true;
        a->path = (char *)"/index.html";
        a->data = (char *)not_built_page;
        a->len = sizeof not_built_page - 1;
        asset_describe(a);
        nassets++;
    }
    qsort(assets, nassets, sizeof *assets, by_path);
    return web_files_count;
}

void static_free(void)
{
    for (size_t i = 0; i < nassets; i++) {
        if (assets[i].borrowed)
            continue;
        free(assets[i].path);
        free(assets[i].data);
        free(assets[i].gz);
        free(assets[i].br);
    }
    free(assets);
    assets = NULL;
    nassets = cap = 0;
}

static const asset_t *exact(const char *path, size_t len)
{
    size_t lo = 0, hi = nassets;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(assets[mid].path, path, len);
        if (c == 0 && assets[mid].path[len] != '\0')
            c = 1;
        if (c == 0)
            return &assets[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const asset_t *static_find(const char *path, size_t len)
{
    if (len == 1 && path[0] == '/')
        return exact("/index.html", 11);
    const asset_t *a = exact(path, len);
    if (a != NULL)
        return a;
    /* a missing file is a 404; a client-side route is not a file */
    const char *last = path;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            last = path + i + 1;
    if (len >= 8 && memcmp(path, "/assets/", 8) == 0)
        return NULL;
    if (memchr(last, '.', (size_t)(path + len - last)) != NULL)
        return NULL;
    return exact("/index.html", 11);
}

/* The answer cache (see cache.h): 16 shards, each a hash table of entries on an LRU list under
 * one mutex. An entry is one malloc: its key, then its body. */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/changes.h"

enum {
    SHARDS = 16,
    KEY_MAX = 1024,           /* a longer path and query is not cached */
    QUERY_PARTS_MAX = 32,
};

typedef struct entry {
    struct entry *hnext;          /* the bucket's chain */
    struct entry *prev, *next;    /* the shard's LRU list, most recent first */
    uint64_t hash;
    uint64_t tables;              /* the route's change bits */
    int route_index;              /* the route that answered */
    uint64_t seen;                /* changes_seen(tables) before the answer was read */
    size_t key_len, body_len;
    char data[];                  /* key, then body */
} entry_t;

typedef struct shard {
    pthread_mutex_t lock;
    entry_t **buckets;
    size_t nbuckets;              /* a power of two */
    entry_t *head, *tail;
    size_t bytes;
    int count;
} shard_t;

static shard_t shards[SHARDS];
static uint64_t *route_tables;    /* per route index: its change bits, 0 when not cached */
static const route_t *routes_;
static int nroutes_;
static size_t shard_bytes_max;
static int shard_entries_max;
static bool enabled;
static _Atomic uint64_t hits, misses, stale, kept, evicted;

void cache_watch(const route_t *routes, int nroutes)
{
    for (int i = 0; i < nroutes; i++)
        if (routes[i].cache != NULL)
            changes_watch(changes_mask(routes[i].cache));
}

bool cache_init(const route_t *routes, int nroutes, size_t max_bytes, int max_entries)
{
    cache_free();
    if (max_bytes == 0 || max_entries <= 0)
        return true;
    route_tables = calloc((size_t)nroutes, sizeof *route_tables);
    if (route_tables == NULL)
        return false;
    routes_ = routes;
    nroutes_ = nroutes;
    for (int i = 0; i < nroutes; i++) {
        if (routes[i].cache == NULL)
            continue;
        route_tables[i] = changes_mask(routes[i].cache);
        changes_watch(route_tables[i]);
    }
    shard_bytes_max = max_bytes / SHARDS;
    shard_entries_max = max_entries / SHARDS > 0 ? max_entries / SHARDS : 1;
    size_t nb = 64;
    while (nb < (size_t)shard_entries_max)
        nb <<= 1;
    for (int s = 0; s < SHARDS; s++) {
        pthread_mutex_init(&shards[s].lock, NULL);
        shards[s].buckets = calloc(nb, sizeof *shards[s].buckets);
        if (shards[s].buckets == NULL)
            return false;
        shards[s].nbuckets = nb;
    }
    enabled = true;
    return true;
}

void cache_free(void)
{
    if (!enabled)
        return;
    enabled = false;
    for (int s = 0; s < SHARDS; s++) {
        for (entry_t *e = shards[s].head, *next; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
        free(shards[s].buckets);
        pthread_mutex_destroy(&shards[s].lock);
        memset(&shards[s], 0, sizeof shards[s]);
    }
    free(route_tables);
    route_tables = NULL;
}

/* --- the key --------------------------------------------------------------------------------- */

static size_t name_len(const char *part, size_t len)
{
    const char *eq = memchr(part, '=', len);
    return eq ? (size_t)(eq - part) : len;
}

/* A key being built in a fixed buffer (the hit path allocates nothing until it is done). */
typedef struct keybuf {
    char data[KEY_MAX];
    size_t len;
    bool full;
} keybuf_t;

static void key_add(keybuf_t *k, const char *s, size_t n)
{
    if (k->full || n > KEY_MAX - k->len) {
        k->full = true;
        return;
    }
    memcpy(k->data + k->len, s, n);
    k->len += n;
}

/* "a&b" parts sorted by name, stably (a repeated parameter keeps its order: the first counts). */
static bool canonical_query(const char *q, keybuf_t *key)
{
    const char *start[QUERY_PARTS_MAX];
    size_t len[QUERY_PARTS_MAX];
    int n = 0;
    for (const char *p = q; *p;) {
        size_t l = strcspn(p, "&");
        if (l > 0) {
            if (n == QUERY_PARTS_MAX)
                return false;
            start[n] = p;
            len[n] = l;
            for (int i = n++; i > 0; i--) {     /* insertion sort: stable */
                size_t a = name_len(start[i - 1], len[i - 1]), b = name_len(start[i], len[i]);
                int cmp = memcmp(start[i - 1], start[i], a < b ? a : b);
                if (cmp < 0 || (cmp == 0 && a <= b))
                    break;
                const char *ts = start[i];
                size_t tl = len[i];
                start[i] = start[i - 1];
                len[i] = len[i - 1];
                start[i - 1] = ts;
                len[i - 1] = tl;
            }
        }
        p += l;
        if (*p == '&')
            p++;
    }
    for (int i = 0; i < n; i++) {
        key_add(key, i == 0 ? "?" : "&", 1);
        key_add(key, start[i], len[i]);
    }
    return !key->full;
}

/* The call's key in its arena, or false when the call is not for the cache. The route is not
 * in it (a GET's path decides its route), so that a hit needs no routing: the language and
 * the UTC day as bytes, the path, the canonical query. */
static bool make_key(call_t *c)
{
    /* only anonymous calls: no session cookie and no API token (a token's answer is its body's) */
    if (!enabled || (c->method != HTTP_GET && c->method != HTTP_HEAD) || c->session_token != NULL ||
        c->bearer_token != NULL || !changes_reliable())
        return false;
    keybuf_t key;
    key.len = 0;
    key.full = false;
    unsigned char lang = (unsigned char)c->lang;
    int64_t day = (int64_t)time(NULL) / 86400;
    key_add(&key, (const char *)&lang, 1);
    key_add(&key, (const char *)&day, sizeof day);
    key_add(&key, c->path, strlen(c->path));
    if (!canonical_query(c->query ? c->query : "", &key))
        return false;
    char *k = arena_alloc(&c->arena, key.len);
    if (k == NULL)
        return false;
    memcpy(k, key.data, key.len);
    c->cache_key = k;
    c->cache_key_len = key.len;
    c->cache_hash = hash_bytes(k, key.len);
    return true;
}

/* --- the table (shard lock held) -------------------------------------------------------------- */

static shard_t *shard_of(uint64_t hash) { return &shards[hash % SHARDS]; }
static size_t bucket_of(const shard_t *s, uint64_t hash) { return (size_t)(hash / SHARDS) & (s->nbuckets - 1); }
static size_t entry_bytes(const entry_t *e) { return sizeof *e + e->key_len + e->body_len; }

static entry_t *find(shard_t *s, const char *key, size_t len, uint64_t hash)
{
    for (entry_t *e = s->buckets[bucket_of(s, hash)]; e != NULL; e = e->hnext)
        if (e->hash == hash && e->key_len == len && memcmp(e->data, key, len) == 0)
            return e;
    return NULL;
}

static void lru_unlink(shard_t *s, entry_t *e)
{
    if (e->prev) e->prev->next = e->next; else s->head = e->next;
    if (e->next) e->next->prev = e->prev; else s->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push(shard_t *s, entry_t *e)
{
    e->prev = NULL;
    e->next = s->head;
    if (s->head) s->head->prev = e; else s->tail = e;
    s->head = e;
}

static void drop(shard_t *s, entry_t *e)
{
    entry_t **p = &s->buckets[bucket_of(s, e->hash)];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    lru_unlink(s, e);
    s->bytes -= entry_bytes(e);
    s->count--;
    free(e);
}

/* --- the calls ----------------------------------------------------------------------------------- */

bool cache_answer(call_t *c, db_t *db)
{
    c->cache_key = NULL;
    if (!make_key(c))
        return false;
    changes_check_external(db);
    shard_t *s = shard_of(c->cache_hash);
    pthread_mutex_lock(&s->lock);
    entry_t *e = find(s, c->cache_key, c->cache_key_len, c->cache_hash);
    if (e != NULL && e->seen != changes_seen(NULL, e->tables)) {
        drop(s, e);                 /* a table it was read from changed since */
        e = NULL;
        atomic_fetch_add_explicit(&stale, 1, memory_order_relaxed);
    }
    if (e == NULL) {
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_add_explicit(&misses, 1, memory_order_relaxed);
        return false;
    }
    lru_unlink(s, e);
    lru_push(s, e);
    c->route = &routes_[e->route_index];
    c->route_index = e->route_index;
    buf_reset(&c->out);
    buf_append(&c->out, e->data + e->key_len, e->body_len);
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    c->status = 200;
    c->cache_result = "hit";
    return !c->out.failed;
}

void cache_before(call_t *c, db_t *db)
{
    c->cache_seen_set = false;
    if (c->cache_key == NULL || c->route_index < 0 || c->route_index >= nroutes_ || route_tables[c->route_index] == 0)
        return;
    c->cache_seen = changes_seen(db, route_tables[c->route_index]);
    c->cache_seen_set = true;
}

void cache_keep(call_t *c)
{
    if (!c->cache_seen_set || c->status != 200 || c->content_type_out != NULL || c->nheaders != 0 ||
        c->out.failed || !changes_reliable())
        return;
    c->cache_seen_set = false;
    size_t size = sizeof(entry_t) + c->cache_key_len + c->out.len;
    if (size > shard_bytes_max / 8)
        return;                     /* one answer must not flush a shard */
    entry_t *e = malloc(size);
    if (e == NULL)
        return;
    e->hash = c->cache_hash;
    e->tables = route_tables[c->route_index];
    e->route_index = c->route_index;
    e->seen = c->cache_seen;
    e->key_len = c->cache_key_len;
    e->body_len = c->out.len;
    memcpy(e->data, c->cache_key, e->key_len);
    memcpy(e->data + e->key_len, c->out.data, e->body_len);
    shard_t *s = shard_of(e->hash);
    pthread_mutex_lock(&s->lock);
    entry_t *old = find(s, e->data, e->key_len, e->hash);
    if (old != NULL)
        drop(s, old);
    while (s->tail != NULL && (s->count >= shard_entries_max || s->bytes + size > shard_bytes_max)) {
        drop(s, s->tail);
        atomic_fetch_add_explicit(&evicted, 1, memory_order_relaxed);
    }
    size_t b = bucket_of(s, e->hash);
    e->hnext = s->buckets[b];
    s->buckets[b] = e;
    lru_push(s, e);
    s->bytes += size;
    s->count++;
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add_explicit(&kept, 1, memory_order_relaxed);
    c->cache_result = "miss";
}

void cache_render_metrics(buf_t *out)
{
    size_t bytes = 0;
    long entries = 0;
    if (enabled) {
        for (int s = 0; s < SHARDS; s++) {
            pthread_mutex_lock(&shards[s].lock);
            bytes += shards[s].bytes;
            entries += shards[s].count;
            pthread_mutex_unlock(&shards[s].lock);
        }
    }
    buf_printf(out,
               "# HELP guanbiao_cache_lookups_total Public reads looked up in the answer cache, by result.\n"
               "# TYPE guanbiao_cache_lookups_total counter\n"
               "guanbiao_cache_lookups_total{result=\"hit\"} %llu\n"
               "guanbiao_cache_lookups_total{result=\"miss\"} %llu\n"
               "# HELP guanbiao_cache_stale_total Cached answers dropped because a table they were read from changed.\n"
               "# TYPE guanbiao_cache_stale_total counter\n"
               "guanbiao_cache_stale_total %llu\n"
               "# HELP guanbiao_cache_kept_total Answers kept in the answer cache.\n"
               "# TYPE guanbiao_cache_kept_total counter\n"
               "guanbiao_cache_kept_total %llu\n"
               "# HELP guanbiao_cache_evicted_total Cached answers evicted to stay within the bounds.\n"
               "# TYPE guanbiao_cache_evicted_total counter\n"
               "guanbiao_cache_evicted_total %llu\n"
               "# HELP guanbiao_cache_entries Answers in the answer cache.\n"
               "# TYPE guanbiao_cache_entries gauge\n"
               "guanbiao_cache_entries %ld\n"
               "# HELP guanbiao_cache_bytes Bytes of the answers in the answer cache.\n"
               "# TYPE guanbiao_cache_bytes gauge\n"
               "guanbiao_cache_bytes %zu\n",
               (unsigned long long)atomic_load(&hits), (unsigned long long)atomic_load(&misses),
               (unsigned long long)atomic_load(&stale), (unsigned long long)atomic_load(&kept),
               (unsigned long long)atomic_load(&evicted), entries, bytes);
}

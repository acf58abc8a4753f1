/* cache: LRU + TTL cache (see cache.h).
 *
 * A chained hash table for lookup plus a doubly linked list in recency
 * order: both O(1).  Invalidation is lazy (a generation number) so a write
 * tool never waits for the cache to be swept; stale entries are dropped when
 * they are met or when they reach the cold end of the list. */
#include "tools/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

typedef struct entry {
    struct entry *prev, *next; /* recency list: head = most recent */
    struct entry *chain;       /* hash bucket chain */
    char *key, *value;
    size_t size;
    uint64_t hash, gen;
    double stored_at;
} entry;

struct kg_tool_cache {
    pthread_mutex_t mu;
    entry **buckets;
    size_t nbuckets;
    entry *head, *tail;
    size_t entries, bytes, max_entries, max_bytes;
    double ttl;
    uint64_t gen, hits, misses, evictions, invalidations;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a: fast, and keys are ours */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

kg_tool_cache *kg_tool_cache_new(size_t max_entries, size_t max_bytes, double ttl_s)
{
    kg_tool_cache *c = kg_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->nbuckets = 64;
    while (c->nbuckets < max_entries * 2 && c->nbuckets < (1u << 20))
        c->nbuckets *= 2;
    c->buckets = kg_xcalloc(c->nbuckets, sizeof(entry *));
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    c->ttl = ttl_s;
    return c;
}

static void unlink_entry(kg_tool_cache *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->chain;
    *pp = e->chain;
    c->entries--;
    c->bytes -= e->size;
    free(e->key);
    free(e->value);
    free(e);
}

void kg_tool_cache_free(kg_tool_cache *c)
{
    if (!c)
        return;
    while (c->head)
        unlink_entry(c, c->head);
    free(c->buckets);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static entry *find(kg_tool_cache *c, const char *key, uint64_t h)
{
    for (entry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->chain)
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void to_front(kg_tool_cache *c, entry *e)
{
    if (c->head == e)
        return;
    e->prev->next = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = NULL;
    e->next = c->head;
    c->head->prev = e;
    c->head = e;
}

char *kg_tool_cache_get(kg_tool_cache *c, const char *key, double now_s)
{
    if (!c)
        return NULL;
    uint64_t h = hash_str(key);
    char *out = NULL;
    pthread_mutex_lock(&c->mu);
    entry *e = find(c, key, h);
    if (e && (e->gen != c->gen || now_s - e->stored_at > c->ttl)) {
        unlink_entry(c, e);
        e = NULL;
    }
    if (e) {
        to_front(c, e);
        out = kg_xstrdup(e->value);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return out;
}

void kg_tool_cache_put(kg_tool_cache *c, const char *key, const char *value, double now_s)
{
    if (!c || c->max_entries == 0)
        return;
    size_t size = strlen(key) + strlen(value) + sizeof(entry);
    if (size > c->max_bytes)
        return;
    uint64_t h = hash_str(key);
    pthread_mutex_lock(&c->mu);
    entry *old = find(c, key, h);
    if (old)
        unlink_entry(c, old);
    while (c->tail && (c->entries + 1 > c->max_entries || c->bytes + size > c->max_bytes)) {
        entry *victim = c->tail;
        entry *next_tail = victim->prev;
        unlink_entry(c, victim);
        c->tail = next_tail; /* already so; said again for the analyzer */
        c->evictions++;
    }
    entry *e = kg_xcalloc(1, sizeof *e);
    e->key = kg_xstrdup(key);
    e->value = kg_xstrdup(value);
    e->size = size;
    e->hash = h;
    e->gen = c->gen;
    e->stored_at = now_s;
    size_t b = h & (c->nbuckets - 1);
    e->chain = c->buckets[b];
    c->buckets[b] = e;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
    c->entries++;
    c->bytes += size;
    pthread_mutex_unlock(&c->mu);
}

void kg_tool_cache_invalidate(kg_tool_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->gen++;
    c->invalidations++;
    pthread_mutex_unlock(&c->mu);
}

void kg_tool_cache_stats_get(kg_tool_cache *c, kg_tool_cache_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    st->entries = c->entries;
    st->bytes = c->bytes;
    st->max_entries = c->max_entries;
    st->max_bytes = c->max_bytes;
    st->hits = c->hits;
    st->misses = c->misses;
    st->evictions = c->evictions;
    st->invalidations = c->invalidations;
    st->generation = c->gen;
    st->ttl_s = c->ttl;
    pthread_mutex_unlock(&c->mu);
}

/* cache: a size-limited LRU cache with a time-to-live for read-tool results.
 *
 * Keys and values are strings (the canonical JSON of a call and of its
 * result), so a hit hands the caller its own copy and no JSON object is ever
 * shared between threads.  Every entry carries the cache's generation at
 * insertion; kg_tool_cache_invalidate() bumps the generation (a write tool
 * finished, the graph changed) which makes every older entry a miss.
 * All functions are thread-safe (one mutex; the critical sections are a
 * hash probe and a list splice).
 *
 * Memory: the cache owns copies of keys and values; kg_tool_cache_get()
 * returns a heap copy the caller frees. */
#ifndef KG_TOOLS_CACHE_H
#define KG_TOOLS_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct kg_tool_cache kg_tool_cache;

typedef struct kg_tool_cache_stats {
    size_t entries, bytes, max_entries, max_bytes;
    uint64_t hits, misses, evictions, invalidations, generation;
    double ttl_s;
} kg_tool_cache_stats;

/* max_entries 0 makes a cache that never stores anything. */
kg_tool_cache *kg_tool_cache_new(size_t max_entries, size_t max_bytes, double ttl_s);
void kg_tool_cache_free(kg_tool_cache *c);

/* A copy of the value for key, or NULL (expired, invalidated or absent).
 * now_s is a monotonic time in seconds (passed in so tests control time). */
char *kg_tool_cache_get(kg_tool_cache *c, const char *key, double now_s);
/* Store a copy; replaces an existing entry; evicts least recently used
 * entries to stay within both limits.  A value larger than max_bytes is not
 * stored. */
void kg_tool_cache_put(kg_tool_cache *c, const char *key, const char *value, double now_s);
void kg_tool_cache_invalidate(kg_tool_cache *c);
void kg_tool_cache_stats_get(kg_tool_cache *c, kg_tool_cache_stats *st);

#endif

/* idset: see idset.h. */
#include "base/idset.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/vec.h"

/* The table stays at most half full, so probes stay short. */
static void rehash(kg_idset *s, size_t size)
{
    free(s->table);
    s->table = kg_xcalloc(size, sizeof *s->table);
    s->mask = size - 1;
    for (size_t i = 0; i < s->n; i++) {
        size_t j = s->hashes[i] & s->mask;
        while (s->table[j])
            j = (j + 1) & s->mask;
        s->table[j] = (int32_t)(i + 1);
    }
}

static long lookup(const kg_idset *s, const char *key, size_t len, uint64_t h, size_t *slot)
{
    size_t j = h & s->mask;
    for (; s->table[j]; j = (j + 1) & s->mask) {
        size_t i = (size_t)s->table[j] - 1;
        if (s->hashes[i] == h && strnlen(s->keys[i], len + 1) == len &&
            memcmp(s->keys[i], key, len) == 0)
            return (long)i;
    }
    *slot = j;
    return -1;
}

long kg_idset_findn(const kg_idset *s, const char *key, size_t len)
{
    if (!s->table)
        return -1;
    size_t slot;
    return lookup(s, key, len, kg_hash_fnv64(key, len), &slot);
}

long kg_idset_find(const kg_idset *s, const char *key)
{
    return kg_idset_findn(s, key, strlen(key));
}

size_t kg_idset_addn(kg_idset *s, const char *key, size_t len, int *added)
{
    if (added)
        *added = 0;
    if (!s->table)
        rehash(s, 16);
    uint64_t h = kg_hash_fnv64(key, len);
    size_t slot = 0; /* set by lookup(); -O3 cannot see it */
    long i = lookup(s, key, len, h, &slot);
    if (i >= 0)
        return (size_t)i;
    if (s->n >= INT32_MAX - 1)
        kg_oom();
    if ((s->n + 1) * 2 > s->mask + 1) {
        rehash(s, (s->mask + 1) * 2);
        lookup(s, key, len, h, &slot);
    }
    if (s->n == s->cap) {
        size_t cap = s->cap;
        s->keys = kg_vec_grow(s->keys, &cap, s->n + 1, sizeof *s->keys);
        s->hashes = kg_vec_grow(s->hashes, &s->cap, s->n + 1, sizeof *s->hashes);
    }
    s->keys[s->n] = kg_xstrndup(key, len);
    s->hashes[s->n] = h;
    s->table[slot] = (int32_t)(s->n + 1);
    if (added)
        *added = 1;
    return s->n++;
}

size_t kg_idset_add(kg_idset *s, const char *key, int *added)
{
    return kg_idset_addn(s, key, strlen(key), added);
}

void kg_idset_free(kg_idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->keys[i]);
    free(s->keys);
    free(s->hashes);
    free(s->table);
    memset(s, 0, sizeof *s);
}

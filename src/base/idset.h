/* idset: a set of strings (entity, chunk or document ids, names) numbered
 * densely in the order they were added, for "have I seen this id, and which
 * slot is it?" in one hash look-up.
 *
 * Keys are copied into the set.  Indices are stable: the i-th distinct key
 * added has index i, so parallel arrays indexed by it need no pointers into
 * the set.  Open addressing with linear probing over FNV-1a hashes: the
 * keys are ours or bounded in number per call, so no keyed hash is needed
 * (network-facing tables use base/hash's keyed functions).  Not thread
 * safe; allocation failure aborts. */
#ifndef KG_BASE_IDSET_H
#define KG_BASE_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct kg_idset {
    char **keys;      /* keys[i]: the i-th key added */
    uint64_t *hashes; /* hashes[i]: its hash */
    size_t n, cap;    /* keys in use, capacity of keys/hashes */
    int32_t *table;   /* slot -> index + 1, 0 = empty */
    size_t mask;      /* table size - 1 (a power of two) */
} kg_idset;

#define KG_IDSET_INIT \
    {                 \
        0             \
    }

/* The index of key, adding it when absent; *added (may be NULL) says which. */
size_t kg_idset_add(kg_idset *s, const char *key, int *added);
/* The same for key[0..len). */
size_t kg_idset_addn(kg_idset *s, const char *key, size_t len, int *added);
/* The index of key, or -1 when absent. */
long kg_idset_find(const kg_idset *s, const char *key);
long kg_idset_findn(const kg_idset *s, const char *key, size_t len);
/* The key of index i (i < s->n). */
static inline const char *kg_idset_key(const kg_idset *s, size_t i)
{
    return s->keys[i];
}
void kg_idset_free(kg_idset *s);

#endif

/* hnsw_internal: the layout of a kg_hnsw, shared by hnsw.c (building and
 * searching) and hnsw_io.c (serialisation).  Not for callers outside
 * vec/hnsw*. */
#ifndef KG_VEC_HNSW_INTERNAL_H
#define KG_VEC_HNSW_INTERNAL_H

#include "vec/hnsw.h"

/* With M >= 2 a level above 30 has probability below 2^-30 per node; the
 * cap only bounds what a (corrupt) blob may claim. */
#define KG_HNSW_LEVEL_MAX 30

struct kg_hnsw {
    const float *mat; /* borrowed: row i is node i */
    size_t n, cap, dim;
    int m, m0, ef_construction;
    uint64_t seed;
    uint8_t *level;   /* per node */
    uint32_t *links0; /* layer 0: per node 1 + m0 words: the count, then the links */
    uint32_t **upper; /* per node with level > 0: level blocks of 1 + m words */
    uint32_t entry;   /* a node of the top level */
    int max_level;    /* -1 when empty */
};

/* The level of node i: the number of consecutive successes, each with
 * probability 1/m, of a counter-based random stream seeded by (seed, i).
 * P(level >= l) = m^-l, the paper's exponential law with mL = 1/ln(m),
 * computed with integers only, so it is the same on every host. */
int kg_hnsw_level_of(uint64_t seed, int m, uint32_t i);

/* Words per node block on a layer (count + links). */
static inline size_t kg_hnsw_stride(const kg_hnsw *h, int layer)
{
    return 1 + (size_t)(layer ? h->m : h->m0);
}

static inline uint32_t *kg_hnsw_links(const kg_hnsw *h, uint32_t node, int layer)
{
    if (layer == 0)
        return h->links0 + (size_t)node * kg_hnsw_stride(h, 0);
    return h->upper[node] + (size_t)(layer - 1) * kg_hnsw_stride(h, 1);
}

/* An empty index with room for cap nodes (parameters already checked). */
kg_hnsw *kg_hnsw_alloc(size_t dim, const kg_hnsw_params *p, size_t cap);
/* Make room for cap nodes (new link blocks zeroed). */
void kg_hnsw_reserve(kg_hnsw *h, size_t cap);
/* Set node i's level and allocate its upper blocks (counts zero). */
void kg_hnsw_set_level(kg_hnsw *h, uint32_t i, int level);
int kg_hnsw_check_params(size_t dim, const kg_hnsw_params *p, kg_err *err);

#endif

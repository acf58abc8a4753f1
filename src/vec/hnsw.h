/* hnsw: approximate nearest-neighbour search over unit vectors by inner
 * product, with a Hierarchical Navigable Small World graph (Malkov and
 * Yashunin, 2018, "Efficient and robust approximate nearest neighbor search
 * using Hierarchical Navigable Small World graphs").
 *
 * Nodes are the rows of a row-major float matrix the caller owns: node i is
 * row i.  Each node gets a level from a seeded hash of (seed, i), so the
 * same rows inserted in the same order with the same parameters give the
 * same graph, bit for bit, on every run and host; ties between equal scores
 * go to the smaller row everywhere, as in vec/vsearch.
 *
 * The graph holds links only, never the vectors: serialisation
 * (kg_hnsw_save) is compact (about 4 * (2M + 1) bytes per node) and loading
 * needs the same matrix back.  A blob that is corrupt or does not match the
 * matrix it is loaded for is an error (KG_EFORMAT), never a crash.
 *
 * Ownership: a kg_hnsw owns its links; the matrix is borrowed and must stay
 * valid, unchanged, while the index is used (kg_hnsw_extend may give it a
 * new address).  Searches only read the index, so several threads may
 * search one index at once; building and extending must not overlap any
 * other use. */
#ifndef KG_VEC_HNSW_H
#define KG_VEC_HNSW_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "vec/vsearch.h"

#define KG_HNSW_M_MIN 2
#define KG_HNSW_M_MAX 100 /* layer 0 keeps 2M links; a count fits a byte */
#define KG_HNSW_MAX_NODES 0x7FFFFFFFu

typedef struct kg_hnsw_params {
    int m;               /* links per node on the upper layers; 2M on layer 0 */
    int ef_construction; /* candidate list length while inserting */
    uint64_t seed;       /* level assignment */
} kg_hnsw_params;

#define KG_HNSW_DEFAULT_SEED 0x6b676173686e7377ull /* "kgashnsw" */

typedef struct kg_hnsw kg_hnsw;

/* An index over rows [0, n) of mat (n x dim floats, borrowed). */
int kg_hnsw_build(const float *mat, size_t n, size_t dim, const kg_hnsw_params *p, kg_hnsw **out,
                  kg_err *err);
/* Insert rows [kg_hnsw_size(h), n) of mat, whose first kg_hnsw_size(h) rows
 * are the ones indexed so far; the index borrows mat from now on.  The
 * result is the index kg_hnsw_build would give on all n rows. */
int kg_hnsw_extend(kg_hnsw *h, const float *mat, size_t n, kg_err *err);
void kg_hnsw_free(kg_hnsw *h);

size_t kg_hnsw_size(const kg_hnsw *h);
size_t kg_hnsw_dim(const kg_hnsw *h);
kg_hnsw_params kg_hnsw_get_params(const kg_hnsw *h);

/* The (approximately) k best rows for q into out (k entries), best first;
 * returns how many (min(k, n)).  ef: the candidate list length, raised to k
 * when smaller; larger is slower and more exact. */
size_t kg_hnsw_search(const kg_hnsw *h, const float *q, size_t k, size_t ef, kg_vhit *out);

/* The index as a byte buffer (*buf malloc'd, caller frees).  Little-endian,
 * versioned, with a checksum. */
void kg_hnsw_save(const kg_hnsw *h, unsigned char **buf, size_t *len);
/* The index saved in buf, over the n x dim matrix mat (borrowed).  A blob
 * for another row count or dimension, or damaged in any way, is
 * KG_EFORMAT. */
int kg_hnsw_load(const unsigned char *buf, size_t len, const float *mat, size_t n, size_t dim,
                 kg_hnsw **out, kg_err *err);

#endif

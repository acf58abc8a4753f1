/* vsearch: exact nearest-neighbour search over unit vectors.
 *
 * A flat scan: the inner products of a query with every row of a row-major
 * matrix, in plain float loops over restrict pointers so the compiler
 * vectorises them, and the best k kept in a binary min-heap (O(n log k)).
 * Ties are broken by the smaller row index, so results are deterministic
 * and equal to a full sort by (score desc, index asc).
 *
 * Memory: the caller owns the matrix, the query and the output array; a
 * kg_topk owns its heap (kg_topk_free). */
#ifndef KG_VEC_VSEARCH_H
#define KG_VEC_VSEARCH_H

#include <stddef.h>

typedef struct kg_vhit {
    size_t index;
    float score;
} kg_vhit;

typedef struct kg_topk {
    kg_vhit *heap; /* min-heap: heap[0] is the worst kept */
    size_t n, k;
} kg_topk;

void kg_topk_init(kg_topk *t, size_t k);
void kg_topk_push(kg_topk *t, size_t index, float score);
/* Sort the kept hits best first (the heap is consumed); *n gets the count.
 * The array stays owned by t. */
const kg_vhit *kg_topk_sorted(kg_topk *t, size_t *n);
void kg_topk_free(kg_topk *t);

/* 1 when a ranks before b: higher score, then smaller index. */
int kg_vhit_before(const kg_vhit *a, const kg_vhit *b);

/* out[i] = <mat row i, q> for the n rows of dim floats. */
void kg_vscan(const float *restrict mat, size_t n, size_t dim, const float *restrict q,
              float *restrict out);

/* The k best rows of mat for q into out (k entries); returns how many. */
size_t kg_vsearch(const float *mat, size_t n, size_t dim, const float *q, size_t k, kg_vhit *out);

#endif

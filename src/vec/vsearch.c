/* vsearch: see vsearch.h.  The scan works through the matrix in blocks of
 * rows so the scores of a block stay in cache for the heap. */
#include "vec/vsearch.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define BLOCK 1024
#define LANES 8

int kg_vhit_before(const kg_vhit *a, const kg_vhit *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    return a->index < b->index;
}

void kg_topk_init(kg_topk *t, size_t k)
{
    t->k = k;
    t->n = 0;
    t->heap = k ? kg_xmalloc(k * sizeof *t->heap) : NULL;
}

void kg_topk_free(kg_topk *t)
{
    free(t->heap);
    t->heap = NULL;
    t->n = t->k = 0;
}

/* Min-heap on "before": the root is the hit every other hit ranks before. */
static void sift_down(kg_vhit *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && kg_vhit_before(&h[m], &h[l]))
            m = l;
        if (r < n && kg_vhit_before(&h[m], &h[r]))
            m = r;
        if (m == i)
            return;
        kg_vhit tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

static void sift_up(kg_vhit *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!kg_vhit_before(&h[p], &h[i]))
            return;
        kg_vhit tmp = h[i];
        h[i] = h[p];
        h[p] = tmp;
        i = p;
    }
}

void kg_topk_push(kg_topk *t, size_t index, float score)
{
    kg_vhit x = {index, score};
    if (t->n < t->k) {
        t->heap[t->n] = x;
        sift_up(t->heap, t->n++);
    } else if (t->k && kg_vhit_before(&x, &t->heap[0])) {
        t->heap[0] = x;
        sift_down(t->heap, t->n, 0);
    }
}

const kg_vhit *kg_topk_sorted(kg_topk *t, size_t *n)
{
    /* Heap sort: repeatedly move the worst to the end. */
    for (size_t m = t->n; m > 1; m--) {
        kg_vhit tmp = t->heap[0];
        t->heap[0] = t->heap[m - 1];
        t->heap[m - 1] = tmp;
        sift_down(t->heap, m - 1, 0);
    }
    *n = t->n;
    return t->heap;
}

void kg_vscan(const float *restrict mat, size_t n, size_t dim, const float *restrict q,
              float *restrict out)
{
    for (size_t i = 0; i < n; i++) {
        const float *restrict row = mat + i * dim;
        /* LANES independent partial sums: the compiler vectorises this
         * without reassociating (no -ffast-math), and the order of the
         * additions is fixed, so scores are reproducible. */
        float part[LANES] = {0};
        size_t d = 0;
        for (; d + LANES <= dim; d += LANES)
            for (size_t j = 0; j < LANES; j++)
                part[j] += row[d + j] * q[d + j];
        float acc = 0.0f;
        for (size_t j = 0; j < LANES; j++)
            acc += part[j];
        for (; d < dim; d++)
            acc += row[d] * q[d];
        out[i] = acc;
    }
}

size_t kg_vsearch(const float *mat, size_t n, size_t dim, const float *q, size_t k, kg_vhit *out)
{
    kg_topk t;
    kg_topk_init(&t, k);
    float scores[BLOCK];
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t end = n - b > BLOCK ? b + BLOCK : n;
        kg_vscan(mat + b * dim, end - b, dim, q, scores);
        for (size_t i = b; i < end; i++)
            kg_topk_push(&t, i, scores[i - b]);
    }
    size_t got;
    const kg_vhit *h = kg_topk_sorted(&t, &got);
    if (got)
        memcpy(out, h, got * sizeof *out);
    kg_topk_free(&t);
    return got;
}

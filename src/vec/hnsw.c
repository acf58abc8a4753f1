/* hnsw: see hnsw.h.  Building (insertion with the neighbour-selection
 * heuristic) and searching; serialisation is in hnsw_io.c.
 *
 * Similarity is the inner product (the cosine, for unit vectors); "closer"
 * means a higher score, and equal scores rank the smaller node first (the
 * order of kg_vhit_before), which with a fixed insertion order and levels
 * from a seeded hash makes the whole graph deterministic. */
#include "vec/hnsw_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"

#define LANES 8

/* The inner product with LANES independent partial sums, as kg_vscan: the
 * compiler may vectorise it without reordering additions, so a score is
 * the same whichever path (exact or HNSW) computed it. */
static inline float dot(const float *restrict a, const float *restrict b, size_t dim)
{
    float part[LANES] = {0};
    size_t d = 0;
    for (; d + LANES <= dim; d += LANES)
        for (size_t j = 0; j < LANES; j++)
            part[j] += a[d + j] * b[d + j];
    float acc = 0.0f;
    for (size_t j = 0; j < LANES; j++)
        acc += part[j];
    for (; d < dim; d++)
        acc += a[d] * b[d];
    return acc;
}

static inline const float *row(const kg_hnsw *h, size_t i)
{
    return h->mat + i * h->dim;
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int kg_hnsw_level_of(uint64_t seed, int m, uint32_t i)
{
    uint64_t x = seed ^ ((uint64_t)i * 0xD6E8FEB86659FD93ull);
    uint64_t threshold = UINT64_MAX / (uint64_t)m;
    int level = 0;
    while (level < KG_HNSW_LEVEL_MAX && splitmix64(&x) < threshold)
        level++;
    return level;
}

int kg_hnsw_check_params(size_t dim, const kg_hnsw_params *p, kg_err *err)
{
    if (dim == 0 || dim > 65536)
        return kg_err_set(err, KG_EINVAL, "hnsw: dimension %zu is outside 1..65536", dim);
    if (p->m < KG_HNSW_M_MIN || p->m > KG_HNSW_M_MAX)
        return kg_err_set(err, KG_EINVAL, "hnsw: M = %d is outside %d..%d", p->m, KG_HNSW_M_MIN,
                          KG_HNSW_M_MAX);
    if (p->ef_construction < 1 || p->ef_construction > 100000)
        return kg_err_set(err, KG_EINVAL, "hnsw: ef_construction = %d is outside 1..100000",
                          p->ef_construction);
    return KG_OK;
}

kg_hnsw *kg_hnsw_alloc(size_t dim, const kg_hnsw_params *p, size_t cap)
{
    kg_hnsw *h = kg_xcalloc(1, sizeof *h);
    h->dim = dim;
    h->m = p->m;
    h->m0 = 2 * p->m;
    h->ef_construction = p->ef_construction;
    h->seed = p->seed;
    h->max_level = -1;
    kg_hnsw_reserve(h, cap);
    return h;
}

void kg_hnsw_reserve(kg_hnsw *h, size_t cap)
{
    if (cap <= h->cap)
        return;
    size_t s0 = kg_hnsw_stride(h, 0);
    h->level = kg_xrealloc(h->level, cap);
    h->links0 = kg_xrealloc(h->links0, cap * s0 * sizeof *h->links0);
    h->upper = kg_xrealloc(h->upper, cap * sizeof *h->upper);
    memset(h->level + h->cap, 0, cap - h->cap);
    memset(h->links0 + h->cap * s0, 0, (cap - h->cap) * s0 * sizeof *h->links0);
    memset(h->upper + h->cap, 0, (cap - h->cap) * sizeof *h->upper);
    h->cap = cap;
}

void kg_hnsw_set_level(kg_hnsw *h, uint32_t i, int level)
{
    h->level[i] = (uint8_t)level;
    free(h->upper[i]);
    h->upper[i] = level > 0 ? kg_xcalloc((size_t)level * kg_hnsw_stride(h, 1), sizeof(uint32_t))
                            : NULL;
}

void kg_hnsw_free(kg_hnsw *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->cap; i++)
        free(h->upper[i]);
    free(h->upper);
    free(h->links0);
    free(h->level);
    free(h);
}

size_t kg_hnsw_size(const kg_hnsw *h)
{
    return h->n;
}
size_t kg_hnsw_dim(const kg_hnsw *h)
{
    return h->dim;
}

kg_hnsw_params kg_hnsw_get_params(const kg_hnsw *h)
{
    kg_hnsw_params p = {h->m, h->ef_construction, h->seed};
    return p;
}

/* --- per-search scratch ------------------------------------------------ */

typedef struct scratch {
    uint64_t *vis; /* visited bitset over the nodes */
    size_t vis_words;
    kg_vhit *cand; /* max-heap of candidates to expand: cand[0] is the best */
    size_t nc, ccap;
} scratch;

static void scratch_init(scratch *sc, size_t n)
{
    sc->vis_words = (n + 63) / 64;
    sc->vis = kg_xcalloc(sc->vis_words ? sc->vis_words : 1, sizeof *sc->vis);
    sc->cand = NULL;
    sc->nc = sc->ccap = 0;
}

static void scratch_free(scratch *sc)
{
    free(sc->vis);
    free(sc->cand);
}

static int visit(scratch *sc, uint32_t i)
{
    uint64_t bit = 1ull << (i & 63);
    if (sc->vis[i >> 6] & bit)
        return 0;
    sc->vis[i >> 6] |= bit;
    return 1;
}

static void cand_push(scratch *sc, kg_vhit x)
{
    kg_vec_room(sc->cand, sc->nc, sc->ccap);
    size_t i = sc->nc++;
    sc->cand[i] = x;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!kg_vhit_before(&sc->cand[i], &sc->cand[p]))
            break;
        kg_vhit t = sc->cand[i];
        sc->cand[i] = sc->cand[p];
        sc->cand[p] = t;
        i = p;
    }
}

static kg_vhit cand_pop(scratch *sc)
{
    kg_vhit top = sc->cand[0];
    kg_vhit *c = sc->cand;
    size_t n = --sc->nc, i = 0;
    c[0] = c[n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, b = i;
        if (l < n && kg_vhit_before(&c[l], &c[b]))
            b = l;
        if (r < n && kg_vhit_before(&c[r], &c[b]))
            b = r;
        if (b == i)
            break;
        kg_vhit t = c[i];
        c[i] = c[b];
        c[b] = t;
        i = b;
    }
    return top;
}

/* --- the algorithms of the paper --------------------------------------- */

/* Greedy walk on one layer from ep to a local best for q (the upper layers
 * of algorithms 1 and 5, ef = 1). */
static kg_vhit greedy(const kg_hnsw *h, const float *q, kg_vhit ep, int layer)
{
    for (int moved = 1; moved;) {
        moved = 0;
        const uint32_t *l = kg_hnsw_links(h, (uint32_t)ep.index, layer);
        for (uint32_t j = 1; j <= l[0]; j++) {
            kg_vhit x = {l[j], dot(row(h, l[j]), q, h->dim)};
            if (kg_vhit_before(&x, &ep)) {
                ep = x;
                moved = 1;
            }
        }
    }
    return ep;
}

/* Algorithm 2 (SEARCH-LAYER): the ef best nodes reachable on `layer` from
 * the entry points, into W (initialised by the caller with k = ef). */
static void search_layer(const kg_hnsw *h, scratch *sc, const float *q, const kg_vhit *eps,
                         size_t neps, int layer, kg_topk *W)
{
    memset(sc->vis, 0, sc->vis_words * sizeof *sc->vis);
    sc->nc = 0;
    for (size_t i = 0; i < neps; i++) {
        if (!visit(sc, (uint32_t)eps[i].index))
            continue;
        cand_push(sc, eps[i]);
        kg_topk_push(W, eps[i].index, eps[i].score);
    }
    while (sc->nc) {
        kg_vhit c = cand_pop(sc);
        /* Stop when the best unexpanded candidate ranks after the worst
         * kept result: nothing reachable through it can enter W. */
        if (W->n == W->k && kg_vhit_before(&W->heap[0], &c))
            break;
        const uint32_t *l = kg_hnsw_links(h, (uint32_t)c.index, layer);
        for (uint32_t j = 1; j <= l[0]; j++) {
            uint32_t e = l[j];
            if (!visit(sc, e))
                continue;
            kg_vhit x = {e, dot(row(h, e), q, h->dim)};
            if (W->n < W->k || kg_vhit_before(&x, &W->heap[0])) {
                cand_push(sc, x);
                kg_topk_push(W, e, x.score);
            }
        }
    }
}

/* Algorithm 4 (SELECT-NEIGHBORS-HEURISTIC), without extending the
 * candidates and without keeping pruned ones (as hnswlib): walking the
 * candidates best first, keep one only when it is closer to the base than
 * to every one kept so far.  That spreads the links over directions
 * instead of spending them all inside the nearest cluster, which is what
 * keeps clustered data navigable.  cand is sorted best first. */
static size_t select_neighbours(const kg_hnsw *h, const kg_vhit *cand, size_t nc, size_t m,
                                uint32_t *out)
{
    size_t got = 0;
    for (size_t i = 0; i < nc && got < m; i++) {
        const float *ci = row(h, cand[i].index);
        int keep = 1;
        for (size_t j = 0; j < got && keep; j++)
            keep = !(dot(ci, row(h, out[j]), h->dim) > cand[i].score);
        if (keep)
            out[got++] = (uint32_t)cand[i].index;
    }
    return got;
}

static int by_rank(const void *a, const void *b)
{
    return kg_vhit_before(a, b) ? -1 : kg_vhit_before(b, a) ? 1 : 0;
}

/* Add the link s -> i on layer lc; a full list is pruned with the
 * heuristic over its links plus i, relative to s. */
static void connect(kg_hnsw *h, uint32_t s, uint32_t i, int lc, kg_vhit *tmp)
{
    uint32_t *l = kg_hnsw_links(h, s, lc);
    size_t mx = (size_t)(lc ? h->m : h->m0);
    if (l[0] < mx) {
        l[1 + l[0]++] = i;
        return;
    }
    const float *base = row(h, s);
    size_t nt = 0;
    for (uint32_t j = 1; j <= l[0]; j++)
        tmp[nt++] = (kg_vhit){l[j], dot(row(h, l[j]), base, h->dim)};
    tmp[nt++] = (kg_vhit){i, dot(row(h, i), base, h->dim)};
    qsort(tmp, nt, sizeof *tmp, by_rank);
    l[0] = (uint32_t)select_neighbours(h, tmp, nt, mx, l + 1);
}

/* Algorithm 1 (INSERT) for node i, whose row is in h->mat. */
static void insert(kg_hnsw *h, scratch *sc, uint32_t i, kg_vhit *eps, kg_vhit *tmp)
{
    int l = kg_hnsw_level_of(h->seed, h->m, i);
    kg_hnsw_set_level(h, i, l);
    kg_hnsw_links(h, i, 0)[0] = 0;
    h->n = (size_t)i + 1;
    if (h->max_level < 0) {
        h->entry = i;
        h->max_level = l;
        return;
    }
    const float *q = row(h, i);
    kg_vhit ep = {h->entry, dot(row(h, h->entry), q, h->dim)};
    for (int lc = h->max_level; lc > l; lc--)
        ep = greedy(h, q, ep, lc);
    eps[0] = ep;
    size_t neps = 1;
    uint32_t sel[KG_HNSW_M_MAX];
    for (int lc = l < h->max_level ? l : h->max_level; lc >= 0; lc--) {
        kg_topk W;
        kg_topk_init(&W, (size_t)h->ef_construction);
        search_layer(h, sc, q, eps, neps, lc, &W);
        size_t nw;
        const kg_vhit *w = kg_topk_sorted(&W, &nw);
        size_t got = select_neighbours(h, w, nw, (size_t)h->m, sel);
        uint32_t *own = kg_hnsw_links(h, i, lc);
        memcpy(own + 1, sel, got * sizeof *sel);
        own[0] = (uint32_t)got;
        for (size_t j = 0; j < got; j++)
            connect(h, sel[j], i, lc, tmp);
        memcpy(eps, w, nw * sizeof *w); /* the next layer starts from all of W */
        neps = nw;
        kg_topk_free(&W);
    }
    if (l > h->max_level) {
        h->max_level = l;
        h->entry = i;
    }
}

int kg_hnsw_extend(kg_hnsw *h, const float *mat, size_t n, kg_err *err)
{
    if (n < h->n)
        return kg_err_set(err, KG_EINVAL, "hnsw: cannot extend %zu nodes to %zu", h->n, n);
    if (n > KG_HNSW_MAX_NODES)
        return kg_err_set(err, KG_ETOOBIG, "hnsw: %zu vectors are more than an index holds", n);
    h->mat = mat;
    if (n == h->n)
        return KG_OK;
    kg_hnsw_reserve(h, n);
    scratch sc;
    scratch_init(&sc, n);
    kg_vhit *eps = kg_xmalloc((size_t)h->ef_construction * sizeof *eps);
    kg_vhit *tmp = kg_xmalloc(((size_t)h->m0 + 1) * sizeof *tmp);
    for (size_t i = h->n; i < n; i++)
        insert(h, &sc, (uint32_t)i, eps, tmp);
    free(tmp);
    free(eps);
    scratch_free(&sc);
    return KG_OK;
}

int kg_hnsw_build(const float *mat, size_t n, size_t dim, const kg_hnsw_params *p, kg_hnsw **out,
                  kg_err *err)
{
    *out = NULL;
    int rc = kg_hnsw_check_params(dim, p, err);
    if (rc)
        return rc;
    kg_hnsw *h = kg_hnsw_alloc(dim, p, n ? n : 1);
    if ((rc = kg_hnsw_extend(h, mat, n, err)) != KG_OK) {
        kg_hnsw_free(h);
        return rc;
    }
    *out = h;
    return KG_OK;
}

size_t kg_hnsw_search(const kg_hnsw *h, const float *q, size_t k, size_t ef, kg_vhit *out)
{
    if (h->n == 0 || k == 0)
        return 0;
    if (ef < k)
        ef = k;
    kg_vhit ep = {h->entry, dot(row(h, h->entry), q, h->dim)};
    for (int lc = h->max_level; lc > 0; lc--)
        ep = greedy(h, q, ep, lc);
    scratch sc;
    scratch_init(&sc, h->n);
    kg_topk W;
    kg_topk_init(&W, ef);
    search_layer(h, &sc, q, &ep, 1, 0, &W);
    size_t nw;
    const kg_vhit *w = kg_topk_sorted(&W, &nw);
    size_t got = nw < k ? nw : k;
    memcpy(out, w, got * sizeof *out);
    kg_topk_free(&W);
    scratch_free(&sc);
    return got;
}

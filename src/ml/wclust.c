/* wclust: word classes from neighbour statistics (see wclust.h). */
#include "ml/wclust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ml/rng.h"

#define HDR_BYTES 32

void kg_wclust_defaults(kg_wclust_opts *o)
{
    o->coarse = 64;
    o->fine = 16;
    o->min_count = 3;
    o->max_words = 200000;
    o->contexts = 1000;
    o->iters = 15;
    o->window = 2;
    o->seed = 1;
}

struct kg_wclust_builder {
    uint64_t *tok; /* word hashes, 0 after each sentence */
    size_t n, cap, words;
};

kg_wclust_builder *kg_wclust_builder_new(void)
{
    return kg_xcalloc(1, sizeof(kg_wclust_builder));
}

void kg_wclust_builder_free(kg_wclust_builder *b)
{
    if (!b)
        return;
    free(b->tok);
    free(b);
}

void kg_wclust_add(kg_wclust_builder *b, const uint64_t *words, size_t n)
{
    if (!n)
        return;
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->tok = kg_xrealloc(b->tok, b->cap * sizeof *b->tok);
    }
    for (size_t i = 0; i < n; i++)
        b->tok[b->n++] = words[i] ? words[i] : 1;
    b->tok[b->n++] = 0;
    b->words += n;
}

size_t kg_wclust_tokens(const kg_wclust_builder *b)
{
    return b->words;
}

/* ---- a hash -> u32 table -------------------------------------------------------- */

typedef struct wtab {
    uint64_t *keys;
    uint32_t *val;
    size_t mask, used;
} wtab;

static size_t tab_slot(const wtab *t, uint64_t k)
{
    size_t i = kg_wclust_slot(k, t->mask);
    while (t->keys[i] && t->keys[i] != k)
        i = (i + 1) & t->mask;
    return i;
}

static void tab_init(wtab *t, size_t cap)
{
    t->keys = kg_xcalloc(cap, sizeof *t->keys);
    t->val = kg_xcalloc(cap, sizeof *t->val);
    t->mask = cap - 1;
    t->used = 0;
}

static uint32_t *tab_add(wtab *t, uint64_t k)
{
    if ((t->used + 1) * 2 > t->mask + 1) {
        wtab n;
        tab_init(&n, (t->mask + 1) * 2);
        for (size_t i = 0; i <= t->mask; i++)
            if (t->keys[i]) {
                size_t j = tab_slot(&n, t->keys[i]);
                n.keys[j] = t->keys[i];
                n.val[j] = t->val[i];
            }
        n.used = t->used;
        free(t->keys);
        free(t->val);
        *t = n;
    }
    size_t i = tab_slot(t, k);
    if (!t->keys[i]) {
        t->keys[i] = k;
        t->used++;
    }
    return &t->val[i];
}

/* ---- the words' neighbour vectors -------------------------------------------------- */

typedef struct wcount {
    uint64_t h;
    uint32_t n;
} wcount;

static int by_count(const void *a, const void *b)
{
    const wcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->h < y->h ? -1 : x->h > y->h;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Rows of unit length, one per vocabulary word (compressed sparse rows). */
typedef struct csr {
    size_t *row; /* V + 1 */
    uint32_t *col;
    float *val;
    size_t V;
    unsigned D;
} csr;

static void csr_free(csr *x)
{
    free(x->row);
    free(x->col);
    free(x->val);
}

/* The vocabulary (the most frequent words seen min_count times, into
 * *vocab, most frequent first) and its index in t (val = index + 1). */
static size_t vocabulary(const kg_wclust_builder *b, const kg_wclust_opts *o, wtab *t,
                         wcount **vocab)
{
    tab_init(t, 1u << 16);
    for (size_t i = 0; i < b->n; i++)
        if (b->tok[i]) {
            uint32_t *v = tab_add(t, b->tok[i]);
            if (*v < UINT32_MAX)
                (*v)++;
        }
    size_t V = 0;
    wcount *w = kg_xmalloc((t->used ? t->used : 1) * sizeof *w);
    for (size_t i = 0; i <= t->mask; i++)
        if (t->keys[i] && t->val[i] >= o->min_count)
            w[V++] = (wcount){t->keys[i], t->val[i]};
    qsort(w, V, sizeof *w, by_count);
    if (V > o->max_words)
        V = o->max_words;
    memset(t->val, 0, (t->mask + 1) * sizeof *t->val);
    for (size_t i = 0; i < V; i++)
        t->val[tab_slot(t, w[i].h)] = (uint32_t)i + 1;
    *vocab = w;
    return V;
}

/* Each word's left and right neighbours, as PPMI-weighted unit rows. */
static void neighbours(const kg_wclust_builder *b, const wtab *t, size_t V, unsigned C,
                       unsigned win, csr *x)
{
    const unsigned W = C + 2;   /* C context words, "a rarer word", the sentence edge */
    const unsigned S = 2 * win; /* positions: -win..-1, 1..win */
    x->V = V;
    x->D = S * W;
    uint64_t *pairs = kg_xmalloc((S * b->words + 1) * sizeof *pairs);
    size_t np = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (!b->tok[i])
            continue;
        uint32_t v = t->val[tab_slot(t, b->tok[i])];
        if (!v)
            continue;
        for (unsigned side = 0; side < S; side++) {
            /* The neighbour at this offset, or 0 past the sentence's edge
             * (the 0 after each sentence, or before the first). */
            size_t d = side < win ? win - side : side - win + 1;
            uint64_t nb = 0;
            if (side < win) {
                for (size_t k = 1; k <= d; k++)
                    if (i < k || !(nb = b->tok[i - k])) {
                        nb = 0;
                        break;
                    }
            } else {
                for (size_t k = 1; k <= d; k++)
                    if (!(nb = b->tok[i + k]))
                        break;
            }
            uint32_t nv = nb ? t->val[tab_slot(t, nb)] : 0;
            unsigned ctx = !nb ? C + 1 : (nv && nv <= C) ? nv - 1 : C;
            pairs[np++] = (uint64_t)(v - 1) << 32 | (side * W + ctx);
        }
    }
    qsort(pairs, np, sizeof *pairs, by_u64);
    x->row = kg_xcalloc(V + 1, sizeof *x->row);
    x->col = kg_xmalloc((np ? np : 1) * sizeof *x->col);
    x->val = kg_xmalloc((np ? np : 1) * sizeof *x->val);
    size_t nz = 0;
    double *csum = kg_xcalloc(x->D, sizeof *csum);
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pairs[j] == pairs[i])
            j++;
        size_t w = (size_t)(pairs[i] >> 32);
        x->col[nz] = (uint32_t)pairs[i];
        x->val[nz] = (float)(j - i);
        csum[x->col[nz]] += (double)(j - i);
        x->row[w + 1] = ++nz;
        i = j;
    }
    for (size_t w = 1; w <= V; w++) /* rows of words with no pairs */
        if (x->row[w] < x->row[w - 1])
            x->row[w] = x->row[w - 1];
    free(pairs);
    /* P(c) smoothed to the power 0.75 (Levy, Goldberg & Dagan 2015). */
    double tot = 0;
    for (unsigned d = 0; d < x->D; d++) {
        csum[d] = pow(csum[d], 0.75);
        tot += csum[d];
    }
    for (size_t w = 0; w < V; w++) {
        double nw = 0, norm = 0;
        for (size_t k = x->row[w]; k < x->row[w + 1]; k++)
            nw += x->val[k];
        for (size_t k = x->row[w]; k < x->row[w + 1]; k++) {
            double pmi = log(x->val[k] * tot / (nw * csum[x->col[k]]));
            x->val[k] = pmi > 0 ? (float)pmi : 0.0f;
            norm += (double)x->val[k] * x->val[k];
        }
        norm = sqrt(norm);
        for (size_t k = x->row[w]; k < x->row[w + 1]; k++)
            x->val[k] = norm > 0 ? (float)(x->val[k] / norm) : 0.0f;
    }
    free(csum);
}

/* ---- spherical k-means ----------------------------------------------------------- */

typedef struct km {
    const csr *x;
    const uint32_t *rows; /* the words clustered */
    size_t m;
    unsigned K;    /* wanted; the result may have fewer */
    float *ct;     /* centroids, transposed: ct[d * K + k] */
    float *score;  /* K */
    uint16_t *asg; /* per row */
} km;

static unsigned best_of(km *s, size_t r)
{
    const csr *x = s->x;
    memset(s->score, 0, s->K * sizeof *s->score);
    for (size_t k = x->row[r]; k < x->row[r + 1]; k++) {
        const float v = x->val[k], *c = s->ct + (size_t)x->col[k] * s->K;
        for (unsigned j = 0; j < s->K; j++)
            s->score[j] += v * c[j];
    }
    unsigned best = 0;
    for (unsigned j = 1; j < s->K; j++)
        if (s->score[j] > s->score[best])
            best = j;
    return best;
}

static void set_centre(km *s, unsigned k, size_t r)
{
    const csr *x = s->x;
    for (unsigned d = 0; d < x->D; d++)
        s->ct[(size_t)d * s->K + k] = 0;
    for (size_t e = x->row[r]; e < x->row[r + 1]; e++)
        s->ct[(size_t)x->col[e] * s->K + k] = x->val[e];
}

/* k-means++: each next centre drawn with probability proportional to the
 * squared cosine distance to the nearest centre so far. */
static unsigned seed_centres(km *s, kg_rng *rng)
{
    const csr *x = s->x;
    double *dist = kg_xmalloc(s->m * sizeof *dist);
    float *c = kg_xcalloc(x->D, sizeof *c);
    size_t r = s->rows[kg_rng_below(rng, s->m)];
    unsigned k = 0;
    for (size_t i = 0; i < s->m; i++)
        dist[i] = 4.0;
    for (;;) {
        set_centre(s, k++, r);
        if (k == s->K)
            break;
        memset(c, 0, x->D * sizeof *c);
        for (size_t e = x->row[r]; e < x->row[r + 1]; e++)
            c[x->col[e]] = x->val[e];
        double tot = 0;
        for (size_t i = 0; i < s->m; i++) {
            size_t w = s->rows[i];
            double dot = 0;
            for (size_t e = x->row[w]; e < x->row[w + 1]; e++)
                dot += (double)x->val[e] * c[x->col[e]];
            double d = 1.0 - dot;
            d = d > 0 ? d * d : 0;
            if (d < dist[i])
                dist[i] = d;
            tot += dist[i];
        }
        if (tot <= 1e-12)
            break; /* every word sits on a centre */
        double pick = kg_rng_unit(rng) * tot, acc = 0;
        size_t i = 0;
        for (; i + 1 < s->m; i++) {
            acc += dist[i];
            if (acc > pick && dist[i] > 0)
                break;
        }
        r = s->rows[i];
    }
    free(c);
    free(dist);
    return k;
}

static void kmeans(km *s, unsigned iters, kg_rng *rng)
{
    const csr *x = s->x;
    s->ct = kg_xcalloc((size_t)x->D * s->K, sizeof *s->ct);
    s->score = kg_xmalloc(s->K * sizeof *s->score);
    unsigned got = seed_centres(s, rng);
    for (unsigned k = got; k < s->K; k++) /* an empty centre never wins */
        for (unsigned d = 0; d < x->D; d++)
            s->ct[(size_t)d * s->K + k] = -1.0f;
    float *sum = kg_xmalloc((size_t)x->D * s->K * sizeof *sum);
    size_t *size = kg_xmalloc(s->K * sizeof *size);
    for (size_t i = 0; i < s->m; i++)
        s->asg[i] = UINT16_MAX;
    for (unsigned it = 0; it < iters; it++) {
        size_t changed = 0;
        for (size_t i = 0; i < s->m; i++) {
            uint16_t b = (uint16_t)best_of(s, s->rows[i]);
            changed += b != s->asg[i];
            s->asg[i] = b;
        }
        if (!changed)
            break;
        memset(sum, 0, (size_t)x->D * s->K * sizeof *sum);
        memset(size, 0, s->K * sizeof *size);
        for (size_t i = 0; i < s->m; i++) {
            size_t w = s->rows[i];
            size[s->asg[i]]++;
            for (size_t e = x->row[w]; e < x->row[w + 1]; e++)
                sum[(size_t)x->col[e] * s->K + s->asg[i]] += x->val[e];
        }
        for (unsigned k = 0; k < s->K; k++) {
            if (!size[k])
                continue; /* keeps its centre */
            double norm = 0;
            for (unsigned d = 0; d < x->D; d++)
                norm += (double)sum[(size_t)d * s->K + k] * sum[(size_t)d * s->K + k];
            norm = sqrt(norm);
            for (unsigned d = 0; d < x->D; d++)
                s->ct[(size_t)d * s->K + k] = norm > 0 ? (float)(sum[(size_t)d * s->K + k] / norm)
                                                       : 0.0f;
        }
    }
    free(sum);
    free(size);
    free(s->ct);
    free(s->score);
}

/* ---- building and loading ----------------------------------------------------------- */

static void write_table(const wcount *vocab, const uint32_t *cls, size_t V, size_t nclassed,
                        const kg_wclust_opts *o, kg_mfile_writer *w, const char *name)
{
    size_t cap = 16;
    while (cap < 2 * nclassed + 1)
        cap *= 2;
    size_t bytes = HDR_BYTES + cap * (sizeof(uint64_t) + sizeof(uint32_t));
    unsigned char *blob = kg_xcalloc(1, bytes);
    uint32_t hdr[4] = {KG_WCLUST_MAGIC, o->coarse, o->fine, (uint32_t)nclassed};
    uint64_t cap64 = cap;
    memcpy(blob, hdr, sizeof hdr);
    memcpy(blob + 16, &cap64, sizeof cap64);
    /* The table is filled in place, through the builder's probe. */
    wtab out = {(uint64_t *)(void *)(blob + HDR_BYTES),
                (uint32_t *)(void *)(blob + HDR_BYTES + cap * sizeof(uint64_t)), cap - 1, 0};
    for (size_t i = 0; i < V; i++) {
        if (!cls[i])
            continue;
        size_t j = tab_slot(&out, vocab[i].h);
        out.keys[j] = vocab[i].h;
        out.val[j] = cls[i];
    }
    kg_mfile_put(w, name, blob, bytes);
    free(blob);
}

size_t kg_wclust_build(kg_wclust_builder *b, const kg_wclust_opts *o, kg_mfile_writer *w,
                       const char *name)
{
    if (!o->coarse || !o->fine || !o->window || o->window > 4 || o->coarse > 4096 ||
        (size_t)o->coarse * o->fine >= 65535)
        return 0;
    wtab t;
    wcount *vocab;
    size_t V = vocabulary(b, o, &t, &vocab);
    unsigned C = o->contexts < V ? o->contexts : (unsigned)V;
    csr x;
    neighbours(b, &t, V, C, o->window, &x);
    free(t.keys);
    free(t.val);
    /* Words with a neighbour vector, clustered coarse, then each coarse
     * class split into fine ones. */
    uint32_t *rows = kg_xmalloc((V ? V : 1) * sizeof *rows);
    size_t m = 0;
    for (size_t i = 0; i < V; i++)
        for (size_t e = x.row[i]; e < x.row[i + 1]; e++)
            if (x.val[e] > 0) {
                rows[m++] = (uint32_t)i;
                break;
            }
    uint32_t *cls = kg_xcalloc(V ? V : 1, sizeof *cls);
    size_t nclassed = 0;
    if (m >= o->coarse) {
        kg_rng rng;
        kg_rng_seed(&rng, o->seed);
        uint16_t *top = kg_xmalloc(m * sizeof *top);
        km s = {&x, rows, m, o->coarse, NULL, NULL, top};
        kmeans(&s, o->iters, &rng);
        uint32_t *sub = kg_xmalloc(m * sizeof *sub);
        uint16_t *fa = kg_xmalloc(m * sizeof *fa);
        for (unsigned k = 0; k < o->coarse; k++) {
            size_t n = 0;
            for (size_t i = 0; i < m; i++)
                if (top[i] == k)
                    sub[n++] = rows[i];
            if (!n)
                continue;
            unsigned K = n < o->fine ? (unsigned)n : o->fine;
            km f = {&x, sub, n, K, NULL, NULL, fa};
            kmeans(&f, o->iters, &rng);
            for (size_t i = 0; i < n; i++)
                cls[sub[i]] = (k + 1) << 16 | (k * o->fine + fa[i] + 1);
            nclassed += n;
        }
        free(sub);
        free(fa);
        free(top);
        write_table(vocab, cls, V, nclassed, o, w, name);
    }
    free(cls);
    free(rows);
    free(vocab);
    csr_free(&x);
    return nclassed;
}

int kg_wclust_load(const kg_mfile *mf, const char *name, kg_wclust *out, kg_err *err)
{
    memset(out, 0, sizeof *out);
    size_t len;
    const unsigned char *p = kg_mfile_get(mf, name, &len);
    if (!p)
        return KG_OK;
    const char *fn = kg_mfile_name(mf);
    uint32_t hdr[4] = {0, 0, 0, 0};
    uint64_t cap = 0;
    if (len >= HDR_BYTES) {
        memcpy(hdr, p, sizeof hdr);
        memcpy(&cap, p + 16, sizeof cap);
    }
    if (len < HDR_BYTES || hdr[0] != KG_WCLUST_MAGIC || cap < 16 || (cap & (cap - 1)) ||
        cap > (1u << 26) || len != HDR_BYTES + cap * (sizeof(uint64_t) + sizeof(uint32_t)) ||
        !hdr[1] || !hdr[2] || (uint64_t)hdr[1] * hdr[2] >= 65535)
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt word classes '%s'", fn, name);
    const uint64_t *keys = (const uint64_t *)(const void *)(p + HDR_BYTES);
    const uint32_t *cls = (const uint32_t *)(const void *)(p + HDR_BYTES + cap * sizeof *keys);
    size_t empty = 0, used = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!keys[i]) {
            empty++;
            continue;
        }
        used++;
        uint32_t c = cls[i], hi = c >> 16, lo = c & 0xffff;
        if (!hi || hi > hdr[1] || !lo || lo > hdr[1] * hdr[2] || (lo - 1) / hdr[2] != hi - 1)
            return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt word classes '%s'", fn,
                              name);
    }
    if (!empty || used != hdr[3])
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt word classes '%s'", fn, name);
    out->keys = keys;
    out->cls = cls;
    out->mask = (size_t)cap - 1;
    out->coarse = hdr[1];
    out->fine = hdr[2];
    out->words = hdr[3];
    return KG_OK;
}

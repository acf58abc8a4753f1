/* ftable: see ftable.h. */
#include "ml/ftable.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ml/qrow.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define FTAB_VERSION 1u
#define MAX_LOAD 0.7

struct kg_ftab {
    unsigned k, rec_bytes;
    size_t mask, nrows;
    const unsigned char *rec; /* (mask + 1) records: u32 fp, f32 scale, int8 q[k], padding */
    unsigned char *own;
    /* The records' fingerprints again, side by side (built when the table
     * is built or loaded, never saved): a look-up probes this array, 4
     * bytes a slot instead of rec_bytes, small enough to stay in the cache,
     * and reads a record only when its fingerprint matched.  A feature
     * absent from the model (a third of a parser's look-ups) then costs no
     * miss at all. */
    uint32_t *fps;
};

typedef struct fmeta {
    uint32_t version, k, rec_bytes, pad;
    uint64_t cap, nrows;
} fmeta;

static inline uint64_t key_of(uint64_t f)
{
    return f ? f : 1;
}

static inline uint32_t fingerprint(uint64_t f)
{
    uint32_t fp = (uint32_t)(f >> 32);
    return fp ? fp : 1;
}

static unsigned rec_bytes_for(unsigned k)
{
    return (8u + k + 7u) & ~7u;
}

/* ---- the feature set ---------------------------------------------------------- */

static void fset_put(kg_fset *s, uint64_t key)
{
    size_t mask = s->cap - 1, i = (size_t)(key ^ (key >> 31)) & mask;
    while (s->keys[i]) {
        if (s->keys[i] == key)
            return;
        i = (i + 1) & mask;
    }
    s->keys[i] = key;
    s->n++;
}

void kg_fset_add(kg_fset *s, const uint64_t *feats, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((s->n + 1) * 2 > s->cap) {
            kg_fset old = *s;
            s->cap = s->cap ? s->cap * 2 : 1 << 16;
            s->keys = kg_xcalloc(s->cap, sizeof *s->keys);
            s->n = 0;
            for (size_t j = 0; j < old.cap; j++)
                if (old.keys[j])
                    fset_put(s, old.keys[j]);
            free(old.keys);
        }
        fset_put(s, key_of(feats[i]));
    }
}

void kg_fset_free(kg_fset *s)
{
    free(s->keys);
    memset(s, 0, sizeof *s);
}

/* FPS_PAD more at the end repeat the first ones, so that a probe may read
 * FPS_PAD consecutive fingerprints from any slot without wrapping. */
#define FPS_PAD 4

static void index_fingerprints(kg_ftab *t)
{
    t->fps = kg_xmalloc((t->mask + 1 + FPS_PAD) * sizeof *t->fps);
    for (size_t j = 0; j <= t->mask; j++)
        memcpy(&t->fps[j], t->rec + j * t->rec_bytes, 4);
    for (size_t j = 0; j < FPS_PAD; j++)
        t->fps[t->mask + 1 + j] = t->fps[j & t->mask];
}

/* The slot of fingerprint want in the probe sequence from slot j, or -1
 * when an empty slot (or a full circle) comes first: linear probing, four
 * slots compared at a time with SSE2. */
static inline long find_slot(const kg_ftab *t, size_t j, uint32_t want)
{
    for (size_t probes = 0; probes <= t->mask; probes += FPS_PAD) {
#ifdef __SSE2__
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)&t->fps[j]);
        int eq = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, _mm_set1_epi32((int)want))));
        int nul = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, _mm_setzero_si128())));
        if (eq | nul) {
            int p = __builtin_ctz((unsigned)(eq | nul));
            return (eq >> p) & 1 ? (long)((j + (size_t)p) & t->mask) : -1;
        }
#else
        for (size_t p = 0; p < FPS_PAD; p++) {
            uint32_t fp = t->fps[j + p];
            if (fp == want)
                return (long)((j + p) & t->mask);
            if (fp == 0)
                return -1;
        }
#endif
        j = (j + FPS_PAD) & t->mask;
    }
    return -1;
}

/* ---- building ------------------------------------------------------------------- */

typedef struct cand {
    uint64_t key;
    float l1;
    uint32_t row; /* index into the averaged rows */
} cand;

static int by_strength(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->l1 != y->l1)
        return x->l1 > y->l1 ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

static int by_key(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

kg_ftab *kg_ftab_build(const kg_perc *p, const uint64_t *feats, size_t n,
                       const kg_linear_opts *opts)
{
    kg_fset set = {0};
    kg_fset_add(&set, feats, n);
    unsigned k = kg_perc_classes(p);
    float *w = kg_xmalloc((set.n + 1) * k * sizeof *w);
    cand *c = kg_xmalloc((set.n + 1) * sizeof *c);
    size_t nc = 0;
    float minw = opts ? opts->min_weight : 0;
    for (size_t i = 0; i < set.cap; i++) {
        if (!set.keys[i])
            continue;
        float *row = w + nc * k;
        memset(row, 0, k * sizeof *row);
        kg_perc_score_avg(p, &set.keys[i], 1, row);
        float mx = 0, l1 = 0;
        for (unsigned j = 0; j < k; j++) {
            mx = fabsf(row[j]) > mx ? fabsf(row[j]) : mx;
            l1 += fabsf(row[j]);
        }
        if (mx == 0 || mx < minw)
            continue;
        c[nc] = (cand){set.keys[i], l1, (uint32_t)nc};
        nc++;
    }
    kg_fset_free(&set);
    qsort(c, nc, sizeof *c, by_strength);
    if (opts && opts->max_rows && nc > opts->max_rows)
        nc = opts->max_rows;
    qsort(c, nc, sizeof *c, by_key);
    kg_ftab *t = kg_xcalloc(1, sizeof *t);
    t->k = k;
    t->rec_bytes = rec_bytes_for(k);
    size_t cap = 16;
    while ((double)nc > MAX_LOAD * (double)cap)
        cap *= 2;
    t->mask = cap - 1;
    t->nrows = nc;
    t->own = kg_xcalloc(cap, t->rec_bytes);
    for (size_t i = 0; i < nc; i++) {
        const float *row = w + (size_t)c[i].row * k;
        size_t j = (size_t)c[i].key & t->mask;
        while (memcmp(t->own + j * t->rec_bytes, &(uint32_t){0}, 4) != 0)
            j = (j + 1) & t->mask;
        unsigned char *r = t->own + j * t->rec_bytes;
        float mx = 0;
        for (unsigned m = 0; m < k; m++)
            mx = fabsf(row[m]) > mx ? fabsf(row[m]) : mx;
        float scale = mx / 127.0f;
        uint32_t fp = fingerprint(c[i].key);
        memcpy(r, &fp, 4);
        memcpy(r + 4, &scale, 4);
        for (unsigned m = 0; m < k; m++)
            r[8 + m] = (unsigned char)(int8_t)lrintf(row[m] / scale);
    }
    t->rec = t->own;
    index_fingerprints(t);
    free(w);
    free(c);
    return t;
}

void kg_ftab_free(kg_ftab *t)
{
    if (!t)
        return;
    free(t->own);
    free(t->fps);
    free(t);
}

unsigned kg_ftab_classes(const kg_ftab *t)
{
    return t->k;
}

size_t kg_ftab_rows(const kg_ftab *t)
{
    return t->nrows;
}

/* ---- scoring --------------------------------------------------------------------- */

/* Three passes over the batch, so that its cache misses overlap instead of
 * queueing: start every home slot's fingerprint fetch; probe the
 * fingerprints and start the fetch of each matching record; add the
 * records' rows. */
static void score_batch(const kg_ftab *t, const uint64_t *feats, size_t n, float *scores)
{
    size_t slot[KG_FTAB_MAX_BATCH];
    const unsigned char *hit[KG_FTAB_MAX_BATCH];
    const size_t rb = t->rec_bytes;
    for (size_t i = 0; i < n; i++) {
        slot[i] = (size_t)key_of(feats[i]) & t->mask;
        __builtin_prefetch(&t->fps[slot[i]]);
    }
    size_t nhit = 0;
    for (size_t i = 0; i < n; i++) {
        long j = find_slot(t, slot[i], fingerprint(key_of(feats[i])));
        if (j >= 0) {
            hit[nhit] = t->rec + (size_t)j * rb;
            __builtin_prefetch(hit[nhit++]);
        }
    }
    const unsigned k = t->k;
    for (size_t i = 0; i < nhit; i++) {
        float scale;
        memcpy(&scale, hit[i] + 4, 4);
        kg_qrow_add(scores, scale, (const int8_t *)(hit[i] + 8), k);
    }
}

void kg_ftab_score(const kg_ftab *t, const uint64_t *feats, size_t n, float *scores)
{
    while (n > 0) {
        size_t m = n < KG_FTAB_MAX_BATCH ? n : KG_FTAB_MAX_BATCH;
        score_batch(t, feats, m, scores);
        feats += m;
        n -= m;
    }
}

/* ---- files -------------------------------------------------------------------------- */

static void names(const char *prefix, char meta[KG_MFILE_NAME_MAX], char rec[KG_MFILE_NAME_MAX])
{
    snprintf(meta, KG_MFILE_NAME_MAX, "%s.ftab", prefix);
    snprintf(rec, KG_MFILE_NAME_MAX, "%s.frec", prefix);
}

void kg_ftab_save(const kg_ftab *t, kg_mfile_writer *w, const char *prefix)
{
    char mn[KG_MFILE_NAME_MAX], rn[KG_MFILE_NAME_MAX];
    names(prefix, mn, rn);
    fmeta m = {FTAB_VERSION, t->k, t->rec_bytes, 0, t->mask + 1, t->nrows};
    kg_mfile_put(w, mn, &m, sizeof m);
    kg_mfile_put(w, rn, t->rec, (t->mask + 1) * t->rec_bytes);
}

int kg_ftab_load(const kg_mfile *mf, const char *prefix, kg_ftab **out, kg_err *err)
{
    *out = NULL;
    char mn[KG_MFILE_NAME_MAX], rn[KG_MFILE_NAME_MAX];
    names(prefix, mn, rn);
    const void *mp = NULL, *rp = NULL;
    size_t nm = 0, nr = 0;
    int rc = kg_mfile_need(mf, mn, sizeof(fmeta), 1, &mp, &nm, err);
    if (rc)
        return rc;
    fmeta m;
    memcpy(&m, mp, sizeof m);
    if (nm != 1 || m.version != FTAB_VERSION || m.k == 0 || m.k > KG_ML_MAX_CLASSES ||
        m.rec_bytes != rec_bytes_for(m.k) || m.cap < 16 || (m.cap & (m.cap - 1)) || m.nrows > m.cap)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: section %s is not a feature table "
                          "this kgas can read",
                          kg_mfile_name(mf), mn);
    rc = kg_mfile_need(mf, rn, m.rec_bytes, (size_t)m.cap, &rp, &nr, err);
    if (rc)
        return rc;
    if (nr != m.cap)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: section %s holds %zu slots, expected "
                          "%llu",
                          kg_mfile_name(mf), rn, nr, (unsigned long long)m.cap);
    kg_ftab *t = kg_xcalloc(1, sizeof *t);
    t->k = m.k;
    t->rec_bytes = m.rec_bytes;
    t->mask = (size_t)m.cap - 1;
    t->nrows = (size_t)m.nrows;
    t->rec = rp;
    index_fingerprints(t);
    *out = t;
    return KG_OK;
}

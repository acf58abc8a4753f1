/* linear: the averaged perceptron and its compiled form (see linear.h). */
#include "ml/linear.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "ml/qrow.h"

/* ---- training ------------------------------------------------------------ */

struct kg_perc {
    unsigned k;
    uint64_t *keys; /* 0 = empty slot */
    uint32_t *slot_row;
    size_t cap, n; /* slots (a power of two), features */
    float *w;      /* n x k current weights */
    double *u;     /* n x k sums of clock * delta */
    size_t rcap;   /* rows allocated */
    uint64_t clock;
    int locked;
};

static inline uint64_t key_of(uint64_t f)
{
    return f ? f : 1; /* 0 marks an empty slot */
}

static inline size_t slot_of(uint64_t key, size_t mask)
{
    return (size_t)(key ^ (key >> 29)) & mask;
}

kg_perc *kg_perc_new(unsigned nclass)
{
    if (nclass == 0 || nclass > KG_ML_MAX_CLASSES)
        return NULL;
    kg_perc *p = kg_xcalloc(1, sizeof *p);
    p->k = nclass;
    p->cap = 1024;
    p->keys = kg_xcalloc(p->cap, sizeof *p->keys);
    p->slot_row = kg_xcalloc(p->cap, sizeof *p->slot_row);
    p->clock = 1;
    return p;
}

void kg_perc_free(kg_perc *p)
{
    if (!p)
        return;
    free(p->keys);
    free(p->slot_row);
    free(p->w);
    free(p->u);
    free(p);
}

unsigned kg_perc_classes(const kg_perc *p)
{
    return p->k;
}

size_t kg_perc_features(const kg_perc *p)
{
    return p->n;
}

void kg_perc_lock(kg_perc *p, int locked)
{
    p->locked = locked;
}

static long find_row(const kg_perc *p, uint64_t f)
{
    uint64_t key = key_of(f);
    size_t mask = p->cap - 1, i = slot_of(key, mask);
    while (p->keys[i]) {
        if (p->keys[i] == key)
            return (long)p->slot_row[i];
        i = (i + 1) & mask;
    }
    return -1;
}

static void grow_table(kg_perc *p)
{
    size_t ncap = p->cap * 2, mask = ncap - 1;
    uint64_t *nk = kg_xcalloc(ncap, sizeof *nk);
    uint32_t *nr = kg_xcalloc(ncap, sizeof *nr);
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->keys[i])
            continue;
        size_t j = slot_of(p->keys[i], mask);
        while (nk[j])
            j = (j + 1) & mask;
        nk[j] = p->keys[i];
        nr[j] = p->slot_row[i];
    }
    free(p->keys);
    free(p->slot_row);
    p->keys = nk;
    p->slot_row = nr;
    p->cap = ncap;
}

static long add_row(kg_perc *p, uint64_t f)
{
    if ((p->n + 1) * 2 > p->cap)
        grow_table(p);
    if (p->n == p->rcap) { /* rows of k weights; u follows w's capacity */
        p->w = kg_vec_grow(p->w, &p->rcap, p->n + 1, p->k * sizeof *p->w);
        p->u = kg_xrealloc(p->u, p->rcap * p->k * sizeof *p->u);
    }
    uint64_t key = key_of(f);
    size_t mask = p->cap - 1, i = slot_of(key, mask);
    while (p->keys[i])
        i = (i + 1) & mask;
    p->keys[i] = key;
    p->slot_row[i] = (uint32_t)p->n;
    memset(p->w + p->n * p->k, 0, p->k * sizeof *p->w);
    memset(p->u + p->n * p->k, 0, p->k * sizeof *p->u);
    return (long)p->n++;
}

void kg_perc_add(kg_perc *p, uint64_t f)
{
    if (!p->locked && find_row(p, f) < 0)
        add_row(p, f);
}

void kg_perc_score(const kg_perc *p, const uint64_t *feats, size_t n, float *scores)
{
    for (size_t i = 0; i < n; i++) {
        long r = find_row(p, feats[i]);
        if (r < 0)
            continue;
        const float *w = p->w + (size_t)r * p->k;
        for (unsigned c = 0; c < p->k; c++)
            scores[c] += w[c];
    }
}

void kg_perc_score_avg(const kg_perc *p, const uint64_t *feats, size_t n, float *scores)
{
    double inv = 1.0 / (double)p->clock;
    for (size_t i = 0; i < n; i++) {
        long r = find_row(p, feats[i]);
        if (r < 0)
            continue;
        const float *w = p->w + (size_t)r * p->k;
        const double *u = p->u + (size_t)r * p->k;
        for (unsigned c = 0; c < p->k; c++)
            scores[c] += (float)((double)w[c] - u[c] * inv);
    }
}

void kg_perc_update(kg_perc *p, const uint64_t *feats, size_t n, unsigned cls, float delta)
{
    if (cls >= p->k)
        return;
    double cd = (double)p->clock * delta;
    for (size_t i = 0; i < n; i++) {
        long r = find_row(p, feats[i]);
        if (r < 0) {
            if (p->locked)
                continue;
            r = add_row(p, feats[i]);
        }
        p->w[(size_t)r * p->k + cls] += delta;
        p->u[(size_t)r * p->k + cls] += cd;
    }
}

void kg_perc_tick(kg_perc *p)
{
    p->clock++;
}

static unsigned argmax(const float *s, unsigned k)
{
    unsigned best = 0;
    for (unsigned c = 1; c < k; c++)
        if (s[c] > s[best])
            best = c;
    return best;
}

unsigned kg_perc_predict(const kg_perc *p, const uint64_t *feats, size_t n, float *scratch)
{
    memset(scratch, 0, p->k * sizeof *scratch);
    kg_perc_score(p, feats, n, scratch);
    return argmax(scratch, p->k);
}

unsigned kg_perc_learn(kg_perc *p, const uint64_t *feats, size_t n, unsigned gold, float *scratch)
{
    unsigned guess = kg_perc_predict(p, feats, n, scratch);
    if (guess != gold) {
        kg_perc_update(p, feats, n, gold, 1.0f);
        kg_perc_update(p, feats, n, guess, -1.0f);
    }
    kg_perc_tick(p);
    return guess;
}

/* ---- the compiled model ---------------------------------------------------- */

struct kg_linear {
    uint64_t id; /* kg_linear_id */
    unsigned k, row_bytes;
    size_t mask, nrows;
    const uint32_t *slots;      /* (mask + 1) x {fingerprint, row} */
    const unsigned char *rows;  /* nrows x row_bytes: float scale, int8 q[k] */
    void *own_slots, *own_rows; /* set when built in memory */
};

typedef struct meta {
    uint32_t version, k, row_bytes, pad;
    uint64_t nslots, nrows;
} meta;
#define LINEAR_VERSION 1u

static inline uint32_t fingerprint(uint64_t f)
{
    uint32_t fp = (uint32_t)(f >> 32);
    return fp ? fp : 1;
}

static unsigned row_bytes_for(unsigned k)
{
    return 4 + ((k + 3u) & ~3u);
}

typedef struct cand {
    uint64_t key;
    uint32_t row;
    float l1;
} cand;

static int by_strength(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->l1 != y->l1)
        return x->l1 > y->l1 ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int by_key(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Ids are never reused, so that a cache of scores can tell a model from
 * one later allocated at the same address. */
static uint64_t next_id(void)
{
    static atomic_uint_fast64_t last;
    return (uint64_t)atomic_fetch_add(&last, 1) + 1;
}

uint64_t kg_linear_id(const kg_linear *m)
{
    return m->id;
}

kg_linear *kg_linear_compile(const kg_perc *p, const kg_linear_opts *opts)
{
    float minw = opts ? opts->min_weight : 0.0f;
    size_t maxr = opts ? opts->max_rows : 0;
    unsigned k = p->k;
    float *avg = kg_xmalloc(k * sizeof *avg);
    cand *cv = kg_xmalloc((p->n ? p->n : 1) * sizeof *cv);
    size_t nc = 0;
    double inv = 1.0 / (double)p->clock;
    for (size_t s = 0; s < p->cap; s++) {
        if (!p->keys[s])
            continue;
        uint32_t r = p->slot_row[s];
        float mx = 0, l1 = 0;
        for (unsigned c = 0; c < k; c++) {
            float a = (float)((double)p->w[(size_t)r * k + c] - p->u[(size_t)r * k + c] * inv);
            mx = fmaxf(mx, fabsf(a));
            l1 += fabsf(a);
        }
        if (mx > 0 && mx >= minw)
            cv[nc++] = (cand){p->keys[s], r, l1};
    }
    if (maxr && nc > maxr) {
        qsort(cv, nc, sizeof *cv, by_strength);
        nc = maxr;
    }
    qsort(cv, nc, sizeof *cv, by_key);

    kg_linear *m = kg_xcalloc(1, sizeof *m);
    m->id = next_id();
    m->k = k;
    m->row_bytes = row_bytes_for(k);
    size_t nslots = 16;
    while (nslots < nc * 2)
        nslots <<= 1;
    m->mask = nslots - 1;
    uint32_t *slots = kg_xcalloc(nslots * 2, sizeof *slots);
    unsigned char *rows = kg_xcalloc(nc ? nc : 1, m->row_bytes);
    size_t nr = 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t fp = fingerprint(cv[i].key);
        size_t j = (size_t)cv[i].key & m->mask;
        int dup = 0;
        while (slots[2 * j]) {
            dup |= slots[2 * j] == fp;
            j = (j + 1) & m->mask;
        }
        if (dup)
            continue; /* the weaker twin of a 32-bit collision: rare, dropped */
        float mx = 0;
        for (unsigned c = 0; c < k; c++) {
            avg[c] = (float)((double)p->w[(size_t)cv[i].row * k + c] -
                             p->u[(size_t)cv[i].row * k + c] * inv);
            mx = fmaxf(mx, fabsf(avg[c]));
        }
        unsigned char *row = rows + nr * m->row_bytes;
        float scale = mx / 127.0f;
        memcpy(row, &scale, sizeof scale);
        int8_t *q = (int8_t *)(row + 4);
        for (unsigned c = 0; c < k; c++) {
            long v = lrintf(avg[c] / scale);
            q[c] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
        }
        slots[2 * j] = fp;
        slots[2 * j + 1] = (uint32_t)nr++;
    }
    m->nrows = nr;
    m->slots = slots;
    m->rows = rows;
    m->own_slots = slots;
    m->own_rows = rows;
    free(avg);
    free(cv);
    return m;
}

void kg_linear_free(kg_linear *m)
{
    if (!m)
        return;
    free(m->own_slots);
    free(m->own_rows);
    free(m);
}

unsigned kg_linear_classes(const kg_linear *m)
{
    return m->k;
}

size_t kg_linear_rows(const kg_linear *m)
{
    return m->nrows;
}

static inline const unsigned char *lookup(const kg_linear *m, uint64_t f)
{
    f = key_of(f);
    uint32_t fp = fingerprint(f);
    size_t j = (size_t)f & m->mask;
    for (;;) {
        uint32_t s = m->slots[2 * j];
        if (s == fp)
            return m->rows + (size_t)m->slots[2 * j + 1] * m->row_bytes;
        if (s == 0)
            return NULL;
        j = (j + 1) & m->mask;
    }
}

static inline void add_weights(const unsigned char *row, unsigned k, float *scores)
{
    float scale;
    memcpy(&scale, row, sizeof scale);
    kg_qrow_add(scores, scale, (const int8_t *)(row + 4), k);
}

void kg_linear_score(const kg_linear *m, const uint64_t *feats, size_t n, float *scores)
{
    const unsigned k = m->k;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *row = lookup(m, feats[i]);
        if (row)
            add_weights(row, k, scores);
    }
}

#define BATCH 64

void kg_linear_score_many(const kg_linear *m, const uint64_t *feats, size_t stride,
                          const uint8_t *from, const uint8_t *nf, size_t ntok, float *scores)
{
    uint64_t key[BATCH];
    uint32_t tok[BATCH];
    const unsigned char *row[BATCH];
    size_t t = 0, i = from && ntok ? from[0] : 0;
    while (t < ntok) {
        /* Gather a batch of features, starting each slot's fetch. */
        size_t n = 0;
        while (n < BATCH && t < ntok) {
            if (i < nf[t]) {
                uint64_t f = key_of(feats[t * stride + i]);
                key[n] = f;
                tok[n++] = (uint32_t)t;
                __builtin_prefetch(&m->slots[2 * ((size_t)f & m->mask)]);
                i++;
            } else {
                t++;
                i = from && t < ntok ? from[t] : 0;
            }
        }
        /* Probe; start each row's fetch. */
        for (size_t k = 0; k < n; k++) {
            row[k] = lookup(m, key[k]);
            if (row[k])
                __builtin_prefetch(row[k]);
        }
        for (size_t k = 0; k < n; k++)
            if (row[k])
                add_weights(row[k], m->k, scores + (size_t)tok[k] * m->k);
    }
}

int kg_linear_row(const kg_linear *m, uint64_t f, float *out)
{
    memset(out, 0, m->k * sizeof *out);
    const unsigned char *row = lookup(m, f);
    if (!row)
        return 0;
    float scale;
    memcpy(&scale, row, sizeof scale);
    const int8_t *q = (const int8_t *)(row + 4);
    for (unsigned c = 0; c < m->k; c++)
        out[c] = scale * (float)q[c];
    return 1;
}

static void section_name(char *out, size_t cap, const char *prefix, const char *what)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%s.%s", prefix, what);
    size_t n = b.len < cap - 1 ? b.len : cap - 1;
    memcpy(out, b.data, n);
    out[n] = 0;
    kg_buf_free(&b);
}

void kg_linear_save(const kg_linear *m, kg_mfile_writer *w, const char *prefix)
{
    char name[KG_MFILE_NAME_MAX];
    meta mt = {LINEAR_VERSION, m->k, m->row_bytes, 0, (uint64_t)m->mask + 1, m->nrows};
    section_name(name, sizeof name, prefix, "meta");
    kg_mfile_put(w, name, &mt, sizeof mt);
    section_name(name, sizeof name, prefix, "slots");
    kg_mfile_put(w, name, m->slots, (m->mask + 1) * 2 * sizeof *m->slots);
    section_name(name, sizeof name, prefix, "rows");
    kg_mfile_put(w, name, m->rows, m->nrows * m->row_bytes);
}

int kg_linear_load(const kg_mfile *mf, const char *prefix, kg_linear **out, kg_err *err)
{
    *out = NULL;
    char name[KG_MFILE_NAME_MAX];
    const void *p;
    size_t n;
    section_name(name, sizeof name, prefix, "meta");
    int rc = kg_mfile_need(mf, name, sizeof(meta), 1, &p, &n, err);
    if (rc)
        return rc;
    meta mt;
    memcpy(&mt, p, sizeof mt);
    const char *fn = kg_mfile_name(mf);
    if (mt.version != LINEAR_VERSION)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: weights '%s' of version %u, this kgas reads %u", fn,
                          prefix, mt.version, LINEAR_VERSION);
    if (mt.k == 0 || mt.k > KG_ML_MAX_CLASSES || mt.row_bytes != row_bytes_for(mt.k) ||
        mt.nslots < 2 || (mt.nslots & (mt.nslots - 1)) || mt.nrows >= mt.nslots)
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt header of weights '%s'", fn,
                          prefix);
    const void *sp, *rp;
    section_name(name, sizeof name, prefix, "slots");
    if ((rc = kg_mfile_need(mf, name, 8, (size_t)mt.nslots, &sp, &n, err)))
        return rc;
    if (n != mt.nslots)
        return kg_err_set(err, KG_EFORMAT, "model file %s: section '%s' has %zu slots, not %llu",
                          fn, name, n, (unsigned long long)mt.nslots);
    section_name(name, sizeof name, prefix, "rows");
    if ((rc = kg_mfile_need(mf, name, mt.row_bytes, (size_t)mt.nrows, &rp, &n, err)))
        return rc;
    if (n != mt.nrows)
        return kg_err_set(err, KG_EFORMAT, "model file %s: section '%s' has %zu rows, not %llu", fn,
                          name, n, (unsigned long long)mt.nrows);
    /* Trust nothing: every slot must point at a row, and one must be empty
     * so that a look-up of an absent feature ends. */
    const uint32_t *slots = sp;
    size_t empty = 0;
    for (size_t i = 0; i < mt.nslots; i++) {
        if (slots[2 * i] == 0)
            empty++;
        else if (slots[2 * i + 1] >= mt.nrows)
            return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt slot %zu of weights '%s'",
                              fn, i, prefix);
    }
    if (!empty)
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt table of weights '%s' (full)",
                          fn, prefix);
    kg_linear *m = kg_xcalloc(1, sizeof *m);
    m->id = next_id();
    m->k = mt.k;
    m->row_bytes = mt.row_bytes;
    m->mask = (size_t)mt.nslots - 1;
    m->nrows = (size_t)mt.nrows;
    m->slots = slots;
    m->rows = rp;
    *out = m;
    return KG_OK;
}

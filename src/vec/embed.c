/* embed: see embed.h.  The embedder owns its stemmer, its document-frequency
 * table (KG_EMBED_BUCKETS counters) and scratch arrays reused across calls;
 * kg_embedder_free releases them all. */
#include "vec/embed.h"

#include <libstemmer.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"

#define SEED 0x6b676173766563ULL   /* "kgasvec": part of the v1 model */
#define S 3                        /* Achlioptas sparsity: P(non-zero) = 1/S */
#define BLOCK_TRIGRAM (1ULL << 63) /* feature-hash bit that marks a 3-gram */
#define WORD_MAX 64                /* longer "words" (hashes, URLs) are skipped */

struct kg_embedder {
    int dim;
    uint32_t docs;
    uint32_t *df;
    struct sb_stemmer *stem;
    uint64_t *feat; /* scratch: feature hashes of the current text */
    size_t nfeat, capfeat;
    uint32_t *bk; /* scratch: buckets and weights of distinct features */
    float *wt;
    size_t capw;
};

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t feature_hash(char tag, const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = (h ^ (unsigned char)tag) * 0x100000001b3ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    return mix64(h);
}

static uint32_t bucket_of(uint64_t h)
{
    return (uint32_t)(h >> 1) & (KG_EMBED_BUCKETS - 1);
}
static int negative(uint64_t h)
{
    return (int)((h >> 40) & 1);
}

int kg_embed_parse_model(const char *model, int *dim, kg_err *err)
{
    size_t pl = strlen(KG_EMBED_MODEL_PREFIX);
    const char *p = model ? model + pl : NULL;
    if (!model || strncmp(model, KG_EMBED_MODEL_PREFIX, pl) != 0 || *p < '1' || *p > '9')
        return kg_err_set(err, KG_EINVAL,
                          "embedding model '%s' is not supported: use " KG_EMBED_MODEL_PREFIX
                          "N (local TF-IDF with random projection to N dimensions, %d..%d)",
                          model ? model : "", KG_EMBED_DIM_MIN, KG_EMBED_DIM_MAX);
    long d = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || d > KG_EMBED_DIM_MAX)
            return kg_err_set(err, KG_EINVAL, "embedding model '%s': bad dimension", model);
        d = d * 10 + (*p - '0');
    }
    if (d < KG_EMBED_DIM_MIN || d > KG_EMBED_DIM_MAX)
        return kg_err_set(err, KG_EINVAL, "embedding model '%s': the dimension must be %d..%d",
                          model, KG_EMBED_DIM_MIN, KG_EMBED_DIM_MAX);
    *dim = (int)d;
    return KG_OK;
}

void kg_embed_model_id(int dim, char out[KG_EMBED_MODEL_MAX])
{
    snprintf(out, KG_EMBED_MODEL_MAX, KG_EMBED_MODEL_PREFIX "%d", dim);
}

int kg_embedder_new(int dim, kg_embedder **out, kg_err *err)
{
    *out = NULL;
    if (dim < KG_EMBED_DIM_MIN || dim > KG_EMBED_DIM_MAX)
        return kg_err_set(err, KG_EINVAL, "embedding dimension %d is not in %d..%d", dim,
                          KG_EMBED_DIM_MIN, KG_EMBED_DIM_MAX);
    kg_embedder *e = kg_xcalloc(1, sizeof *e);
    e->stem = sb_stemmer_new("english", NULL);
    if (!e->stem) {
        free(e);
        return kg_err_set(err, KG_ENOMEM, "embed: cannot create the English stemmer");
    }
    e->dim = dim;
    e->df = kg_xcalloc(KG_EMBED_BUCKETS, sizeof *e->df);
    *out = e;
    return KG_OK;
}

void kg_embedder_free(kg_embedder *e)
{
    if (!e)
        return;
    sb_stemmer_delete(e->stem);
    free(e->df);
    free(e->feat);
    free(e->bk);
    free(e->wt);
    free(e);
}

int kg_embedder_dim(const kg_embedder *e)
{
    return e->dim;
}
uint32_t kg_embedder_docs(const kg_embedder *e)
{
    return e->docs;
}
const uint32_t *kg_embedder_df(const kg_embedder *e)
{
    return e->df;
}

void kg_embedder_set_df(kg_embedder *e, uint32_t docs, const uint32_t *df)
{
    e->docs = docs;
    memcpy(e->df, df, KG_EMBED_BUCKETS * sizeof *e->df);
}

static void push(kg_embedder *e, uint64_t h)
{
    kg_vec_room(e->feat, e->nfeat, e->capfeat);
    e->feat[e->nfeat++] = h;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* One lower-cased word: its stem, and its padded 3-grams. */
static void add_word(kg_embedder *e, const char *w, size_t n)
{
    const sb_symbol *st = sb_stemmer_stem(e->stem, (const sb_symbol *)w, (int)n);
    if (st)
        push(e, feature_hash('w', (const char *)st, (size_t)sb_stemmer_length(e->stem)) &
                    ~BLOCK_TRIGRAM);
    else
        push(e, feature_hash('w', w, n) & ~BLOCK_TRIGRAM);
    char pad[WORD_MAX + 2];
    pad[0] = '^';
    memcpy(pad + 1, w, n);
    pad[n + 1] = '$';
    for (size_t i = 0; i + 3 <= n + 2; i++)
        push(e, feature_hash('c', pad + i, 3) | BLOCK_TRIGRAM);
}

static void collect(kg_embedder *e, const char *text)
{
    e->nfeat = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (!is_word_byte(*p)) {
            p++;
            continue;
        }
        const unsigned char *start = p;
        while (*p && is_word_byte(*p))
            p++;
        size_t n = (size_t)(p - start);
        if (n < 2 || n > WORD_MAX)
            continue;
        char w[WORD_MAX];
        for (size_t i = 0; i < n; i++) {
            unsigned char c = start[i];
            w[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        add_word(e, w, n);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void reserve_w(kg_embedder *e, size_t n)
{
    if (n <= e->capw)
        return;
    e->capw = n;
    e->bk = kg_xrealloc(e->bk, n * sizeof *e->bk);
    e->wt = kg_xrealloc(e->wt, n * sizeof *e->wt);
}

void kg_embedder_add_doc(kg_embedder *e, const char *text)
{
    collect(e, text);
    reserve_w(e, e->nfeat);
    for (size_t i = 0; i < e->nfeat; i++)
        e->bk[i] = bucket_of(e->feat[i]);
    if (e->nfeat > 1) /* a wordless first document has no array yet */
        qsort(e->bk, e->nfeat, sizeof *e->bk, cmp_u32);
    for (size_t i = 0; i < e->nfeat; i++)
        if (i == 0 || e->bk[i] != e->bk[i - 1])
            e->df[e->bk[i]]++;
    e->docs++;
}

static double idf(const kg_embedder *e, uint32_t b)
{
    if (e->docs == 0)
        return 1.0;
    uint32_t df = e->df[b] < e->docs ? e->df[b] : e->docs;
    return log((1.0 + e->docs) / (1.0 + df)) + 1.0;
}

void kg_embed_project(const uint32_t *buckets, const float *w, size_t n, int dim, float *out)
{
    const double r = sqrt((double)S);
    double *acc = kg_xcalloc((size_t)dim, sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        uint64_t base = SEED + ((uint64_t)buckets[i] << 12);
        double wi = w[i];
        for (int d = 0; d < dim; d++) {
            uint64_t h = mix64(base + (uint64_t)d) % (2 * S);
            if (h == 0)
                acc[d] += r * wi;
            else if (h == 1)
                acc[d] -= r * wi;
        }
    }
    for (int d = 0; d < dim; d++)
        out[d] = (float)acc[d];
    free(acc);
}

void kg_embed_text(kg_embedder *e, const char *text, float *out, int *empty)
{
    collect(e, text);
    /* Nothing to sort (and no array yet) when the text has no word: qsort
     * must not be handed a null pointer even for zero elements. */
    if (e->nfeat > 1)
        qsort(e->feat, e->nfeat, sizeof *e->feat, cmp_u64);
    reserve_w(e, e->nfeat);
    size_t m = 0;
    double norm[2] = {0, 0};
    for (size_t i = 0; i < e->nfeat;) {
        size_t j = i;
        while (j < e->nfeat && e->feat[j] == e->feat[i])
            j++;
        uint64_t h = e->feat[i];
        uint32_t b = bucket_of(h);
        double w = (1.0 + log((double)(j - i))) * idf(e, b);
        norm[(h & BLOCK_TRIGRAM) != 0] += w * w;
        e->bk[m] = b;
        e->wt[m] = (float)(negative(h) ? -w : w);
        m++;
        i = j;
    }
    /* Each block at unit length: the same runs again, now scaled. */
    double sw = norm[0] > 0 ? 1.0 / sqrt(norm[0]) : 0, sc = norm[1] > 0 ? 1.0 / sqrt(norm[1]) : 0;
    for (size_t i = 0, k = 0; i < e->nfeat; k++) {
        size_t j = i;
        while (j < e->nfeat && e->feat[j] == e->feat[i])
            j++;
        e->wt[k] = (float)(e->wt[k] * ((e->feat[i] & BLOCK_TRIGRAM) ? sc : sw));
        i = j;
    }
    kg_embed_project(e->bk, e->wt, m, e->dim, out);
    double n2 = 0;
    for (int d = 0; d < e->dim; d++)
        n2 += (double)out[d] * out[d];
    if (empty)
        *empty = n2 == 0;
    if (n2 > 0) {
        double inv = 1.0 / sqrt(n2);
        for (int d = 0; d < e->dim; d++)
            out[d] = (float)(out[d] * inv);
    }
}

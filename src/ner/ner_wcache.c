/* ner_wcache.c: scores of a word's own features, remembered per document.
 *
 * A token's first features (ner_features' nw[t] of them: the word, its
 * affixes and shape, its capitalisation class, its gazetteer flags) depend
 * on the word alone, and a document repeats its words: in prose most tokens
 * were seen a few sentences before.  Scoring them is a dozen random reads of
 * a weight table far bigger than the caches, so the sum of their rows is
 * kept, keyed by the features themselves, and a word seen again costs one
 * comparison and one copy.
 *
 * The key is the exact feature list, not a hash of it, and a miss is scored
 * from zero by the same kg_linear_score_many as the rest of the features, in
 * the same order: a cached sum is bit for bit the one the uncached path
 * computes, so the tags never depend on what the cache held.
 */
#include "ner/ner_internal.h"

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#define WC_SLOTS 2048 /* direct-mapped; a power of two */

struct ner_wcache {
    uint64_t model;      /* kg_linear_id of the weights the sums are of */
    unsigned k;          /* classes per row */
    uint8_t n[WC_SLOTS]; /* features of the slot's key; 0: empty */
    uint64_t key[WC_SLOTS][NER_WMAX];
    float *sum; /* WC_SLOTS x k */
};

void ner_wcache_free(ner_wcache *wc)
{
    if (!wc)
        return;
    free(wc->sum);
    free(wc);
}

static size_t slot_of(const uint64_t *f, unsigned n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ f[i]) * 0xff51afd7ed558ccdULL;
    return (size_t)(h ^ (h >> 29)) & (WC_SLOTS - 1);
}

void ner_wcache_score(ner_wcache **pwc, const kg_linear *w, const uint64_t *f, const uint8_t *nw,
                      size_t T, float *em, uint8_t *from, uint8_t *tmp)
{
    const unsigned K = kg_linear_classes(w);
    ner_wcache *wc = *pwc;
    if (!wc || wc->model != kg_linear_id(w) || wc->k != K) {
        if (!wc)
            wc = *pwc = kg_xcalloc(1, sizeof *wc);
        free(wc->sum);
        memset(wc->n, 0, sizeof wc->n);
        wc->model = kg_linear_id(w);
        wc->k = K;
        wc->sum = kg_xmalloc((size_t)WC_SLOTS * K * sizeof *wc->sum);
    }
    /* Hits are copied; misses are marked to be scored (tmp[t] features). */
    size_t misses = 0;
    for (size_t t = 0; t < T; t++) {
        const uint64_t *ft = f + t * NER_MAXF;
        unsigned n = nw[t];
        tmp[t] = 0;
        from[t] = 0;
        if (n == 0 || n > NER_WMAX)
            continue; /* scored with the rest */
        size_t s = slot_of(ft, n);
        from[t] = (uint8_t)n;
        if (wc->n[s] == n && memcmp(wc->key[s], ft, n * sizeof *ft) == 0) {
            memcpy(em + t * K, wc->sum + s * K, K * sizeof *em);
        } else {
            tmp[t] = (uint8_t)n;
            misses++;
        }
    }
    if (!misses)
        return;
    kg_linear_score_many(w, f, NER_MAXF, NULL, tmp, T, em);
    for (size_t t = 0; t < T; t++) {
        if (!tmp[t])
            continue;
        const uint64_t *ft = f + t * NER_MAXF;
        size_t s = slot_of(ft, tmp[t]);
        wc->n[s] = tmp[t];
        memcpy(wc->key[s], ft, tmp[t] * sizeof *ft);
        memcpy(wc->sum + s * K, em + t * K, K * sizeof *em);
    }
}

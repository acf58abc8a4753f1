/* linear: multiclass linear models over hashed features, the averaged
 * perceptron that trains them, and the compact form they ship in.
 *
 * Why an averaged perceptron and not a CRF: for taggers and transition
 * parsers with rich sparse features the two reach about the same accuracy
 * (Collins 2002; Ratinov & Roth 2009 for NER), but the perceptron trains in
 * a few passes of "decode, compare, add/subtract" with no forward-backward,
 * no gradient of a partition function and no learning rate, so training on
 * two million tokens takes minutes on one core and is exactly
 * reproducible.  Decoding costs the same for both (features + Viterbi);
 * kgas's speed goal (>= 500k words/s per core) is met by what the model
 * looks like at run time, below, not by how it was trained.
 *
 * A feature is a 64-bit hash (kg_feat_* build them from a template number
 * and the hashed value).  A model maps a feature to a row of K class
 * weights; the score of class k for a set of features is the sum of their
 * rows' k-th weights.
 *
 * Training (kg_perc): an open-addressing dictionary of features, each with
 * a row of float weights w and double sums u, and a clock c that counts
 * examples.  An update adds delta to w and c*delta to u, so that the
 * average of w over all c steps is w - u/c (Daume's trick): averaging costs
 * nothing per step.  A locked kg_perc ignores features it does not know
 * (how a trainer applies a frequency cut-off: add the frequent features,
 * then lock).
 *
 * Shipping (kg_linear): kg_linear_compile keeps the averaged weights of the
 * features whose largest |weight| reaches a threshold (and at most a given
 * number of rows, strongest first), quantises each row to int8 with its own
 * float scale, and lays them out for look-up: a power-of-two table of
 * slots {u32 fingerprint, u32 row} at most half full, fingerprint = the
 * high half of the feature hash, slot = its low bits, linear probing.  A
 * feature absent from the model adds nothing (it is not confused with a
 * present one unless both 32-bit halves collide).  kg_linear_save writes
 * the table into a model file (ml/mfile.h) under a section prefix;
 * kg_linear_load uses it in place, without copying.
 *
 * Threads: a kg_perc belongs to one thread; a kg_linear is read-only and
 * may be shared. */
#ifndef KG_ML_LINEAR_H
#define KG_ML_LINEAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ml/mfile.h"

#define KG_ML_MAX_CLASSES 255

/* ---- features ------------------------------------------------------------ */

/* A well-mixed 64-bit value (the MurmurHash3 finaliser). */
static inline uint64_t kg_feat_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* The feature "template tmpl has value v" (v: any 64-bit hash). */
static inline uint64_t kg_feat(uint32_t tmpl, uint64_t v)
{
    return kg_feat_mix(v ^ ((uint64_t)tmpl * 0x9e3779b97f4a7c15ULL));
}

/* FNV-1a of bytes, to turn strings into feature values. */
static inline uint64_t kg_feat_str(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* ---- training: the averaged perceptron ------------------------------------ */

typedef struct kg_perc kg_perc;

kg_perc *kg_perc_new(unsigned nclass); /* 1..KG_ML_MAX_CLASSES */
void kg_perc_free(kg_perc *p);
unsigned kg_perc_classes(const kg_perc *p);
size_t kg_perc_features(const kg_perc *p);
/* Register a feature (no-op when known or locked). */
void kg_perc_add(kg_perc *p, uint64_t f);
/* Locked: updates skip unknown features instead of adding them. */
void kg_perc_lock(kg_perc *p, int locked);

/* scores[k] += sum of the current weights of feats for class k. */
void kg_perc_score(const kg_perc *p, const uint64_t *feats, size_t n, float *scores);
/* The same with the averaged weights (for evaluation during training). */
void kg_perc_score_avg(const kg_perc *p, const uint64_t *feats, size_t n, float *scores);
/* w[f][cls] += delta for every f in feats. */
void kg_perc_update(kg_perc *p, const uint64_t *feats, size_t n, unsigned cls, float delta);
/* One example done: advance the averaging clock. */
void kg_perc_tick(kg_perc *p);
/* Predicted class of a feature set (current weights), ties to the lowest. */
unsigned kg_perc_predict(const kg_perc *p, const uint64_t *feats, size_t n, float *scratch);
/* One multiclass perceptron step on an example: predict, and when wrong
 * move the gold class up and the predicted class down; then tick.
 * Returns the prediction (before the update). */
unsigned kg_perc_learn(kg_perc *p, const uint64_t *feats, size_t n, unsigned gold, float *scratch);

/* ---- shipping: the compiled model ----------------------------------------- */

typedef struct kg_linear kg_linear;

typedef struct kg_linear_opts {
    float min_weight; /* drop features whose largest |averaged weight| is below */
    size_t max_rows;  /* keep at most this many (the largest L1 norms); 0 = all */
} kg_linear_opts;

/* Build the shipping form of p's averaged weights.  Never fails. */
kg_linear *kg_linear_compile(const kg_perc *p, const kg_linear_opts *opts);
void kg_linear_free(kg_linear *m);
unsigned kg_linear_classes(const kg_linear *m);
size_t kg_linear_rows(const kg_linear *m);
/* A number no other model of this process has had, nor will have. */
uint64_t kg_linear_id(const kg_linear *m);
/* scores[k] += the model's weights of feats for class k. */
void kg_linear_score(const kg_linear *m, const uint64_t *feats, size_t n, float *scores);
/* The same for ntok feature sets at once: set t is feats[t * stride ...],
 * its features from[t] (0 when from is NULL) up to nf[t], and its scores go
 * to scores[t * K ...] (added to, each set's features in order).  All of a
 * batch's look-ups are started before any is used, so the memory system
 * fetches them in parallel: on a model bigger than the caches this is
 * several times faster than kg_linear_score token by token. */
void kg_linear_score_many(const kg_linear *m, const uint64_t *feats, size_t stride,
                          const uint8_t *from, const uint8_t *nf, size_t ntok, float *scores);
/* One feature's row into out[0..K) (dequantised); 0 when absent (out zeroed). */
int kg_linear_row(const kg_linear *m, uint64_t f, float *out);
/* Sections "<prefix>.meta", "<prefix>.slots", "<prefix>.rows". */
void kg_linear_save(const kg_linear *m, kg_mfile_writer *w, const char *prefix);
/* Borrows the file's bytes: keep mf open while the model is used. */
int kg_linear_load(const kg_mfile *mf, const char *prefix, kg_linear **out, kg_err *err);

#endif

/* ftable: a compiled linear model laid out for scoring many features at
 * once, for the sentence analysis of relations (tagger and parser).
 *
 * Why beside ml/linear's kg_linear: a tagger or a transition parser scores
 * 20 to 60 features per decision, and with a model of a few megabytes
 * nearly every look-up misses the cache; kg_linear reads a slot and then
 * the row it points to, two dependent misses per feature, one feature
 * after the other.  Here each slot holds its row (fingerprint, scale,
 * int8 weights, padded to a multiple of 8 bytes), and kg_ftab_score first
 * computes every feature's slot and prefetches it, then reads them: the
 * misses of one decision overlap instead of queueing.  The probing itself
 * runs over a copy of the fingerprints alone (4 bytes a slot, made at build
 * or load time, not saved), so a record is read only when its feature is
 * there, and an absent feature costs no miss.  The price: loading reads
 * every record once (about 8 ms of CPU for the tagger's and parser's
 * tables together, measured on a VM where the first touch of each 4 KB
 * page is costly) and keeps 4 bytes a slot more in memory.  Same quantisation
 * and same fingerprints as kg_linear (a row of int8 with its own float
 * scale; a feature absent from the table adds nothing).
 *
 * Built from a trained kg_perc (ml/linear) and the features the trainer
 * offered it: the averaged row of each is read through kg_perc_score_avg,
 * so nothing of kg_perc's inside is needed.  Kept: rows whose largest
 * |weight| reaches min_weight, at most max_rows of them (largest L1 norm
 * first).  Deterministic: the same perceptron and features give the same
 * bytes.  Saved as mfile sections "<prefix>.ftab" (meta) and
 * "<prefix>.frec" (slots); loaded in place, borrowing the file's bytes.
 *
 * A kg_ftab is read-only after building or loading and may be shared by
 * threads. */
#ifndef KG_ML_FTABLE_H
#define KG_ML_FTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ml/linear.h"
#include "ml/mfile.h"

typedef struct kg_ftab kg_ftab;

/* feats[0..n): the features the trainer used (duplicates allowed). */
kg_ftab *kg_ftab_build(const kg_perc *p, const uint64_t *feats, size_t n,
                       const kg_linear_opts *opts);
void kg_ftab_free(kg_ftab *t);
unsigned kg_ftab_classes(const kg_ftab *t);
size_t kg_ftab_rows(const kg_ftab *t);

/* scores[k] += the weights of feats for class k (n <= KG_FTAB_MAX_BATCH at
 * a time is best; longer lists are scored in batches). */
#define KG_FTAB_MAX_BATCH 128
void kg_ftab_score(const kg_ftab *t, const uint64_t *feats, size_t n, float *scores);

void kg_ftab_save(const kg_ftab *t, kg_mfile_writer *w, const char *prefix);
/* Borrows the file's bytes: keep mf open while the model is used. */
int kg_ftab_load(const kg_mfile *mf, const char *prefix, kg_ftab **out, kg_err *err);

/* A growing set of feature hashes, for collecting what a trainer used. */
typedef struct kg_fset {
    uint64_t *keys; /* 0 = empty */
    size_t cap, n;
} kg_fset;

void kg_fset_add(kg_fset *s, const uint64_t *feats, size_t n);
void kg_fset_free(kg_fset *s);

#endif

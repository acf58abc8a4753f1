/* postag: the part-of-speech tagger of sentence analysis.
 *
 * Penn Treebank tags (syntax/ptb.h) by a greedy left-to-right averaged
 * perceptron (ml/linear) over hashed features of the word, its affixes
 * and shape, the two words each side and the two tags before it, plus a
 * tag dictionary: a word seen often in training with one tag nearly
 * always (>= 20 times, >= 97%) gets that tag without scoring, which is
 * both faster and as accurate (Honnibal 2013, after Collins 2002 and
 * Ratnaparkhi 1996).  Greedy rather than Viterbi: with the previous tags
 * as features the difference is a tenth of a point and Viterbi costs K
 * times more.
 *
 * Model file (ml/mfile, kind "pos"): the linear model under "pos", the
 * dictionary "pos.dict" (sorted u64: the feature hash of the form with its
 * low byte replaced by the tag) and "pos.tags" (the tag names, which must
 * be syntax/ptb's, checked at load).
 *
 * Training (`kgas train pos`) is deterministic: sentences are visited in an
 * order drawn from ml/rng with the given seed, so the same data and seed
 * give the same model bytes.
 *
 * A kg_postag is read-only after loading and may be shared by threads; it
 * borrows the kg_mfile it was loaded from, which must stay open. */
#ifndef KG_NLP_POSTAG_H
#define KG_NLP_POSTAG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "ml/mfile.h"
#include "syntax/conllu.h"
#include "syntax/words.h"

typedef struct kg_postag kg_postag;

int kg_postag_load(const kg_mfile *mf, kg_postag **out, kg_err *err);
void kg_postag_free(kg_postag *m);

/* Tag every word of s (sets s->w[i].tag). */
void kg_postag_run(const kg_postag *m, kg_words *s);

typedef struct kg_postag_train_opts {
    int epochs;                 /* passes over the training data (default 8) */
    uint64_t seed;              /* visiting order */
    float min_weight;           /* compile: drop weaker features (default 0.02) */
    size_t max_rows;            /* compile: at most this many features; 0 = all */
    kg_buf *log;                /* per-epoch lines ("epoch 3: dev accuracy 0.9512"), may be NULL */
    void (*flush)(kg_buf *log); /* called after each line added to log, may be NULL */
} kg_postag_train_opts;

/* Train on `train`, reporting accuracy on `dev` (may be NULL) after each
 * epoch, and add the model's sections to w (kind "pos"). */
int kg_postag_train(const kg_treebank *train, const kg_treebank *dev,
                    const kg_postag_train_opts *opts, kg_mfile_writer *w, kg_err *err);

/* Tag accuracy of m on tb (punctuation included, as is usual for PTB
 * tags), the number of words and the words per second of tagging alone. */
typedef struct kg_postag_eval {
    double accuracy;
    size_t words;
    double words_per_second;
    double unknown_accuracy; /* on words not in the dictionary */
} kg_postag_eval;
void kg_postag_evaluate(const kg_postag *m, const kg_treebank *tb, kg_postag_eval *out);

/* Copy the words of a treebank sentence into s (forms normalised; tags,
 * heads and labels from the treebank).  Shared with the parser's trainer. */
void kg_words_from_tb(kg_words *s, const kg_tb_sent *ts);

#endif

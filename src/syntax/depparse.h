/* depparse: the dependency parser of sentence analysis.
 *
 * A greedy transition-based parser (arc-eager: SHIFT, LEFT-ARC, RIGHT-ARC,
 * REDUCE; Nivre 2003) with the root token at the end of the buffer
 * (Ballesteros & Nivre 2013), scored by an averaged perceptron over hashed
 * features of the stack, the buffer and the partial tree (the templates of
 * Zhang & Nivre 2011, trimmed).  Two linear models: one chooses among the
 * four transitions, the other labels each arc as it is made (Universal
 * Dependencies relations, syntax/ptb.h), so the transition model has four
 * weights per feature instead of ~100 and stays small and fast; labels
 * already given are features of later transitions.
 *
 * Trained with the dynamic oracle of Goldberg & Nivre (2012): the parser
 * follows its own (sometimes wrong) transitions during training with
 * probability 0.9 after the first epoch and learns the best move from
 * wherever it is, which is what makes a greedy parser robust to its own
 * mistakes.  The tags it trains on are predicted by taggers trained on the
 * other folds of the training data (4-fold jackknifing), so it learns from
 * the kind of tags it will see.
 *
 * Linear time: at most 2n transitions for n words.  A sentence longer than
 * KG_PARSE_MAX_WORDS is refused by the caller (syntax/analyse).
 *
 * Model file (ml/mfile, kind "parse"): the transition model under "arc",
 * the label model under "lab", and "parse.labels" (the label names, which
 * must be syntax/ptb's).  A kg_depparse is read-only and may be shared by
 * threads; it borrows the kg_mfile it was loaded from. */
#ifndef KG_NLP_DEPPARSE_H
#define KG_NLP_DEPPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "ml/mfile.h"
#include "syntax/conllu.h"
#include "syntax/postag.h"
#include "syntax/words.h"

#define KG_PARSE_MAX_WORDS 400

typedef struct kg_depparse kg_depparse;

int kg_depparse_load(const kg_mfile *mf, kg_depparse **out, kg_err *err);
void kg_depparse_free(kg_depparse *m);

/* Parse s (tags already set): sets head and dep of every word.  Exactly one
 * word gets head -1 (label root); s->n <= KG_PARSE_MAX_WORDS. */
void kg_depparse_run(const kg_depparse *m, kg_words *s);

typedef struct kg_depparse_train_opts {
    int epochs;    /* default 12 */
    uint64_t seed; /* visiting order and exploration */
    int folds;     /* jackknifing folds for the tags (default 4; 0 = gold tags) */
    const kg_postag_train_opts *tagger; /* how the fold taggers are trained */
    const kg_postag *dev_tagger;        /* tags dev for the per-epoch score; NULL = gold tags */
    float min_weight;                   /* compile: drop weaker features (default 0.05) */
    size_t max_rows_arc, max_rows_lab;  /* compile: at most this many features; 0 = all */
    kg_buf *log;                        /* per-epoch lines, may be NULL */
    void (*flush)(kg_buf *log);         /* called after each line added to log, may be NULL */
} kg_depparse_train_opts;

int kg_depparse_train(const kg_treebank *train, const kg_treebank *dev,
                      const kg_depparse_train_opts *opts, kg_mfile_writer *w, kg_err *err);

/* Attachment scores on tb, punctuation excluded (as CoNLL 2007/2018 do):
 * UAS (head right) and LAS (head and label right); tags from `tagger`
 * (NULL: the treebank's gold tags). */
typedef struct kg_depparse_eval {
    double uas, las;
    size_t words;            /* scored words */
    double words_per_second; /* parsing alone */
} kg_depparse_eval;
void kg_depparse_evaluate(const kg_depparse *m, const kg_postag *tagger, const kg_treebank *tb,
                          kg_depparse_eval *out);

#endif

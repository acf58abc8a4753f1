/* ner_train: training the entity recogniser's model (`kgas train ner`).
 *
 * Input: CoNLL files (ner/conll.h).  Each label is read as a kgas type
 * (kg_conll_canon_type) and then as one of the model's types; a type the
 * model lacks falls back to its coarse type (GPE, FAC -> LOC; NORP, EVENT,
 * WORK_OF_ART, PRODUCT, LANGUAGE, LAW -> MISC) or, failing that, is read as
 * O and counted in the report.  A file trains the tag groups whose types it
 * contains, and only those (see ner_model.c: why groups).
 *
 * Each sentence is rebuilt as text (tokens joined by spaces) and tagged
 * exactly as kg_ner_run tags text: the same scanner, rules, features and
 * sentence splitting, so what is learnt is what runs.  Gold spans are
 * projected onto the scanner's tokens.
 *
 * Learning: a structured averaged perceptron (ml/linear) with Viterbi
 * decoding (ml/chain), Collins-style updates of emission and transition
 * features where the decoded path differs from the gold one.  Features
 * seen fewer than min_count times in the training data are never learnt
 * (a counting pass registers the others, then the model is locked).
 * Documents are visited in an order drawn from the seed; within a
 * document, sentences stay in order and the document memory fills with the
 * model's own predictions, as it will at run time.  Files without
 * -DOCSTART- lines are one document per sentence, or, for files given as
 * running text (whole_doc), one document for the whole file.
 *
 * After every epoch the averaged weights are compiled to the shipping form
 * and scored on each dev file through kg_eval_ner_conll_text (the numbers
 * `kgas eval ner` would print), over the model types the file contains;
 * the epoch with the best mean F1 is kept.  Its confidence calibration is
 * fitted on the dev files.  Everything is deterministic: the same files,
 * options and seed give the same model bytes.
 *
 * Before the epochs, word classes are learnt (ml/wclust.h) from the text
 * of the training sentences and of any unlabeled files, and stored in the
 * model: the features read them.
 *
 * The file stores, besides the weights, a training record (JSON): options,
 * each file's name, SHA-256 and counts, per-epoch dev scores. */
#ifndef KG_NER_NER_TRAIN_H
#define KG_NER_NER_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct kg_ner_train_file {
    const char *path;
    int whole_doc; /* the file is running text: its sentences form one document */
} kg_ner_train_file;

typedef struct kg_ner_train_opts {
    const kg_ner_train_file *train;
    size_t ntrain;
    const kg_ner_train_file *dev;
    size_t ndev;
    const char *const *groups; /* comma lists of types, one per tag group */
    unsigned ngroups;
    int scheme; /* KG_TAGS_BIO or KG_TAGS_BILOU */
    unsigned epochs;
    uint64_t seed;
    unsigned min_count;
    float min_weight; /* of the shipped rows */
    size_t max_rows;  /* 0 = no limit */
    /* Word classes (ml/wclust.h), learnt before the epochs from the
     * training files' text and these files of running text (UTF-8, a
     * paragraph per line or blank-line separated); class_coarse 0: none. */
    const char *const *unlabeled;
    size_t nunlabeled;
    unsigned class_coarse, class_fine;
    const char *out;
    const char *command; /* recorded in the model (may be NULL) */
    /* Called with each line of the report (files read, epochs, result). */
    void (*report)(void *arg, const char *line);
    void *report_arg;
} kg_ner_train_opts;

/* Defaults: the shipped groups, BIO, 12 epochs, seed 1, min_count 2, word
 * classes 64 x 16. */
void kg_ner_train_defaults(kg_ner_train_opts *o);

/* Train and write o->out.  Errors name the file (and line) at fault. */
int kg_ner_train(const kg_ner_train_opts *o, kg_err *err);

#endif

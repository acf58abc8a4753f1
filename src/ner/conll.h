/* conll: measure the NER against CoNLL-format gold files.
 *
 * Reads "token<space or tab>...tag" lines (the tag is the last field), IO or
 * IOB2 tags, -DOCSTART- lines and blank lines between sentences.  Each
 * sentence's text is rebuilt by joining its tokens with single spaces and
 * run through kg_ner_run(); predicted byte spans are mapped back to token
 * spans and scored by exact entity match.
 *
 * Gold classes and how our types map onto them:
 *   PER  <- gold PER, person             | ours PERSON
 *   ORG  <- gold ORG, group, corporation | ours ORG
 *   LOC  <- gold LOC, location           | ours GPE, LOC
 *   MISC <- gold MISC, product, creative-work (WNUT17)
 *                                        | ours NORP EVENT WORK_OF_ART LAW
 *                                          LANGUAGE PRODUCT CONCEPT DATASET
 * DATE, MONEY and PERCENT predictions are ignored (not annotated in these
 * corpora).  "overall" is the micro average over PER, ORG and LOC only:
 * MISC is a grab-bag whose boundaries differ between corpora.
 * words_per_second counts tokens over the time spent inside kg_ner_run.
 *
 * Memory: kg_ner_eval is plain data; kg_eval_ner_json() returns a malloc'd
 * string the caller frees. */
#ifndef KG_NER_CONLL_H
#define KG_NER_CONLL_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

enum {
    KG_EVAL_PER,
    KG_EVAL_ORG,
    KG_EVAL_LOC,
    KG_EVAL_MISC,
    KG_EVAL_NCLASS
};

typedef struct kg_ner_prf {
    size_t tp, fp, fn;
    double precision, recall, f1;
} kg_ner_prf;

typedef struct kg_ner_eval {
    kg_ner_prf per_type[KG_EVAL_NCLASS]; /* indexed by KG_EVAL_* */
    kg_ner_prf overall;                  /* micro over PER, ORG, LOC */
    size_t sentences, tokens, gold_entities;
    double seconds; /* inside kg_ner_run */
    double words_per_second;
} kg_ner_eval;

/* "PER", "ORG", "LOC", "MISC". */
const char *kg_eval_class_name(int cls);

/* Evaluate against the CoNLL file at path. */
int kg_eval_ner_conll(const char *path, kg_ner_eval *out, kg_err *err);

/* Same, on an in-memory CoNLL text (name is used in messages). */
int kg_eval_ner_conll_text(const char *data, size_t len, const char *name, kg_ner_eval *out,
                           kg_err *err);

/* {"overall": {"precision":..,"recall":..,"f1":..}, "per_type": {"PER": {..}, ..},
 *  "words_per_second": n, "sentences": n, "tokens": n}; caller frees *json_out. */
int kg_eval_ner_json(const kg_ner_eval *ev, char **json_out, kg_err *err);

/* A plain-text table for people, appended to out. */
void kg_eval_ner_table(const kg_ner_eval *ev, kg_buf *out);

#endif

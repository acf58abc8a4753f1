/* conll: CoNLL-style entity files: the reader that training and evaluation
 * share, the names of entity labels, and the scorer behind `kgas eval ner`.
 *
 * Format: one "token<space or tab>...tag" a line (the tag is the last
 * field), a blank line between sentences, "-DOCSTART-" lines between
 * documents.  Tags: O, or a prefix and a label: B-/I- (IOB2 and IOB1), E-/L-
 * and S-/U- (BIOES/BILOU); IO files (only I-) read too.  A span starts at B-
 * or S-/U-, or at I-/E-/L- after O or a different label; it ends at the next
 * O, start or label change, and after E-/L-/S-/U-.  A malformed line is an
 * error naming the file and the line.
 *
 * Labels: the corpora spell the same type differently ("PER", "person",
 * "researcher"); kg_conll_canon_type maps a label onto kgas's type name
 * ("PERSON") so the trainer and the scorer agree on what a label means.
 *
 * Scoring: each sentence's text is rebuilt by joining its tokens with single
 * spaces (but a clitic, "'s", "n't", "'re", joins the word before it, as
 * in running text: "Apple's", "don't") and run through kg_ner_run() (sentences of one document share a
 * kg_ner_doc, as ingest's chunks do); predicted byte spans are mapped back
 * to token spans and scored by exact match of span and class.  Classes:
 * by default PER (PERSON), ORG, LOC (LOC, GPE, FAC) and MISC (the other
 * name types: NORP, EVENT, WORK_OF_ART, PRODUCT...; not dates, money,
 * percentages or research types), with "overall" the micro average over
 * PER, ORG and LOC (MISC is a grab-bag whose boundaries differ between
 * corpora).  With a list of types (`--types`) exactly those are scored
 * (GPE and FAC count as LOC when LOC is listed and they are not; the MISC
 * family as MISC likewise) and "overall" is the micro average over all of
 * them.  words_per_second counts tokens over the CPU time of the calling
 * thread inside kg_ner_run: words per second per core, which a busy machine
 * does not distort the way wall time would.
 *
 * Memory: kg_ner_eval is plain data; kg_eval_ner_json() returns a malloc'd
 * string the caller frees.  The reader hands each sentence to a callback;
 * what it points to lives until the callback returns. */
#ifndef KG_NER_CONLL_H
#define KG_NER_CONLL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "ner/ner.h"

/* ---- reading ---------------------------------------------------------------- */

typedef struct kg_conll_span {
    uint32_t start, end; /* token range [start, end) */
    const char *label;   /* not NUL-terminated */
    size_t label_len;
} kg_conll_span;

typedef struct kg_conll_sent {
    const char *text; /* tokens joined by single spaces (clitics joined), NUL-terminated */
    size_t len;
    const size_t *tstart, *tend; /* byte span of each token in text */
    size_t ntok;
    const kg_conll_span *spans;
    size_t nspans;
    int doc_start; /* the first sentence of a document (of the file, or after -DOCSTART-) */
    size_t line;   /* line number of its first token */
} kg_conll_sent;

typedef int (*kg_conll_fn)(void *arg, const kg_conll_sent *s, kg_err *err);

/* Call fn for every sentence of data[0..len) in order; stops at the first
 * error (a malformed line, or fn's non-zero return). */
int kg_conll_parse(const char *data, size_t len, const char *name, kg_conll_fn fn, void *arg,
                   kg_err *err);
/* The whole file at path into out (cleared first). */
int kg_conll_read_file(const char *path, kg_buf *out, kg_err *err);

/* kgas's type for a corpus label ("PER", "person", "researcher" -> "PERSON";
 * "Material" -> "DATASET"); an unknown label comes back upper-cased in buf. */
const char *kg_conll_canon_type(const char *label, size_t n, char *buf, size_t cap);

/* ---- scoring ------------------------------------------------------------------ */

enum {
    KG_EVAL_PER,
    KG_EVAL_ORG,
    KG_EVAL_LOC,
    KG_EVAL_MISC,
    KG_EVAL_NCLASS /* the default classes */
};
#define KG_EVAL_MAX_CLASSES 24

typedef struct kg_ner_prf {
    size_t tp, fp, fn;
    double precision, recall, f1;
} kg_ner_prf;

typedef struct kg_ner_eval_opts {
    const char *types;         /* "METHOD,TASK"; NULL = the default classes */
    const kg_ner_model *model; /* NULL = the built-in model */
    int engine;                /* KG_NER_ENGINE_MODEL or _RULES */
    kg_buf *errors;            /* when set: one line per wrong or missed entity */
} kg_ner_eval_opts;

typedef struct kg_ner_eval {
    size_t nclass;
    char cls[KG_EVAL_MAX_CLASSES][24];        /* class names as asked for */
    kg_ner_prf per_type[KG_EVAL_MAX_CLASSES]; /* by class index */
    unsigned char in_overall[KG_EVAL_MAX_CLASSES];
    kg_ner_prf overall;
    size_t sentences, tokens, gold_entities;
    double seconds; /* CPU time inside kg_ner_run */
    double words_per_second;
} kg_ner_eval;

/* Evaluate against the CoNLL file at path (opts may be NULL). */
int kg_eval_ner_conll(const char *path, const kg_ner_eval_opts *opts, kg_ner_eval *out,
                      kg_err *err);
/* Same, on an in-memory CoNLL text (name is used in messages). */
int kg_eval_ner_conll_text(const char *data, size_t len, const char *name,
                           const kg_ner_eval_opts *opts, kg_ner_eval *out, kg_err *err);

/* {"overall": {"precision":..,"recall":..,"f1":..}, "per_type": {"PER": {..}, ..},
 *  "words_per_second": n, "sentences": n, "tokens": n}; caller frees *json_out. */
int kg_eval_ner_json(const kg_ner_eval *ev, char **json_out, kg_err *err);

/* A plain-text table for people, appended to out. */
void kg_eval_ner_table(const kg_ner_eval *ev, kg_buf *out);

#endif

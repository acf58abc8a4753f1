/* ner: local named-entity recognition: a trained sequence model, with rules
 * for what rules do best.
 *
 * kg_ner_run() finds typed mentions (byte spans) in UTF-8 text:
 *
 *   1. scan      one pass over the bytes -> tokens with word-shape bits and
 *                a gazetteer flag word each (ner_scan.c; URLs and e-mail
 *                addresses are single tokens, footnote markers stuck to a
 *                word - "Eich*", "Neumann2" - are split off);
 *   2. rules     number patterns (dates, money, percent), capitalised
 *                sequences typed by gazetteer phrases, titles, head words,
 *                acronym definitions, in-text propagation (ner_rules.c);
 *   3. model     an averaged-perceptron tagger (ml/linear, ml/chain) over
 *                word, shape, affix, context, gazetteer, rule and
 *                document-memory features (ner_feat.c), decoded sentence by
 *                sentence with constrained Viterbi, two tag groups at once:
 *                people/organisations/places and research entities
 *                (ner_model.c; why two groups: docs/quality.md);
 *   4. post      types refined by the gazetteer (GPE vs LOC, NORP...),
 *                titles and markers stripped, junk refused (single letters,
 *                symbols, "H0", "Table 2", "Phys."), rule dates/money/percent
 *                added where the model found nothing (ner_post.c).
 *
 * The rules alone (the recogniser before the model) remain available as
 * KG_NER_ENGINE_RULES, for comparison in benchmarks.
 *
 * Types: PERSON ORG GPE LOC NORP EVENT WORK_OF_ART LAW LANGUAGE PRODUCT MISC
 * METHOD TASK DATASET METRIC SOFTWARE VENUE DATE MONEY PERCENT (the rules
 * engine: CONCEPT and DATASET instead of the research types).  Spans exclude
 * leading titles ("Dr.") as in CoNLL.
 *
 * The model: opts->model, else the model built into the binary at build
 * time (models/ner.kgm), checked and loaded once at first use.  A missing or
 * damaged model is an error naming it, never a silent fallback.
 *
 * Document memory: the model uses what it found earlier in the same
 * document ("Scrooge" was a PERSON three sentences ago).  By default each
 * call is a document of its own; a caller that feeds a document in pieces
 * (ingest, chunk by chunk; the CoNLL scorer, sentence by sentence) passes
 * one kg_ner_doc for all of them.
 *
 * Thread-safe: the shared state (gazetteer, default model) is read-only
 * after its first load.  A kg_ner_doc belongs to one thread at a time.  The
 * caller owns the kg_ner_result and frees it with kg_ner_result_free(). */
#ifndef KG_NER_NER_H
#define KG_NER_NER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct kg_ner_mention {
    uint32_t start, end; /* byte span [start, end) in text */
    char type[24];
    float confidence;  /* in [0, 1] */
    uint32_t evidence; /* KG_NER_EV_* bits of the rules that fired */
} kg_ner_mention;

typedef struct kg_ner_result {
    kg_ner_mention *v;
    size_t n, cap;
} kg_ner_result;

#define KG_NER_RESULT_INIT \
    {                      \
        NULL, 0, 0         \
    }

typedef struct kg_ner_model kg_ner_model;
typedef struct kg_ner_doc kg_ner_doc;

enum {
    KG_NER_ENGINE_MODEL,
    KG_NER_ENGINE_RULES
};

typedef struct kg_ner_opts {
    float min_confidence;      /* drop mentions below this; default 0 */
    const kg_ner_model *model; /* NULL: the model built into the binary */
    kg_ner_doc *doc;           /* NULL: the text is a document of its own */
    int engine;                /* KG_NER_ENGINE_MODEL (default) or _RULES */
} kg_ner_opts;

#define KG_NER_OPTS_INIT                      \
    {                                         \
        0.0f, NULL, NULL, KG_NER_ENGINE_MODEL \
    }

/* Evidence bits (kg_ner_mention.evidence). */
enum {
    KG_NER_EV_CAPS = 1u << 0,        /* capitalised word sequence */
    KG_NER_EV_GAZ = 1u << 1,         /* whole span is a gazetteer entry */
    KG_NER_EV_FIRSTNAME = 1u << 2,   /* starts with a known given name */
    KG_NER_EV_SURNAME = 1u << 3,     /* ends with a known family name */
    KG_NER_EV_TITLE = 1u << 4,       /* after Dr./Mr./President ... */
    KG_NER_EV_ORGSUFFIX = 1u << 5,   /* Inc./Ltd./Corp. ... */
    KG_NER_EV_HEAD = 1u << 6,        /* head word: University, River, War ... */
    KG_NER_EV_OFPHRASE = 1u << 7,    /* "University of X", "Battle of X" */
    KG_NER_EV_ETAL = 1u << 8,        /* "X et al." */
    KG_NER_EV_CITATION = 1u << 9,    /* "X (2019)", "X's theory" */
    KG_NER_EV_ROLE = 1u << 10,       /* "singer X", "the band X", "city of X" */
    KG_NER_EV_LOCPREP = 1u << 11,    /* "in X", "from X" */
    KG_NER_EV_ACRONYM = 1u << 12,    /* "Long Form (LF)" definition */
    KG_NER_EV_PROPAGATED = 1u << 13, /* same surface typed earlier in text */
    KG_NER_EV_PATTERN = 1u << 14,    /* date / money / percent pattern */
    KG_NER_EV_ALLCAPS = 1u << 15,    /* acronym-shaped token */
    KG_NER_EV_DEFAULT = 1u << 16,    /* type is only a shape-based guess */
    KG_NER_EV_LOWERHEAD = 1u << 17,  /* "Bayesian optimization", "MNIST dataset" */
    KG_NER_EV_MODEL = 1u << 18,      /* found by the trained model */
    KG_NER_EV_DESCRIBED = 1u << 19,  /* typed by a description: "X is a band" */
    KG_NER_EV_COUNT = 20
};

/* Find mentions in text[0..len).  Clears out first; on success out holds the
 * mentions in text order.  Returns 0 or a negative KG_E* code with err set. */
int kg_ner_run(const char *text, size_t len, const kg_ner_opts *opts, kg_ner_result *out,
               kg_err *err);

void kg_ner_result_free(kg_ner_result *r);

/* ---- models ---------------------------------------------------------------- */

/* Load a model file written by `kgas train ner` (mapped, checked). */
int kg_ner_model_load(const char *path, kg_ner_model **out, kg_err *err);
/* The same from bytes in memory that outlive the model; name for messages. */
int kg_ner_model_from_memory(const void *data, size_t len, const char *name, kg_ner_model **out,
                             kg_err *err);
void kg_ner_model_free(kg_ner_model *m);
/* The model built into this binary, loaded once; fails (naming it) when it
 * is absent or damaged. */
int kg_ner_model_default(const kg_ner_model **out, kg_err *err);
/* Where the model came from (its file name) and its training record (the
 * JSON text `kgas train ner` stored in it, "" when none). */
const char *kg_ner_model_name(const kg_ner_model *m);
const char *kg_ner_model_info(const kg_ner_model *m);
/* The model's entity types, NULL-terminated, in its own order. */
const char *const *kg_ner_model_types(const kg_ner_model *m);

/* ---- document memory --------------------------------------------------------- */

kg_ner_doc *kg_ner_doc_new(void);
void kg_ner_doc_free(kg_ner_doc *d);
/* Forget everything (a new document begins). */
void kg_ner_doc_reset(kg_ner_doc *d);

/* Name of one evidence bit ("title", "gazetteer", ...), "?" if unknown. */
const char *kg_ner_evidence_name(uint32_t bit);

#endif

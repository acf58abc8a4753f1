/* ner: local named-entity recognition (rules + gazetteers, no model).
 *
 * kg_ner_run() finds typed mentions (byte spans) in UTF-8 text.  It works in
 * three stages so that a trained statistical model can be added beside the
 * rules later without touching the callers:
 *
 *   1. scan      one pass over the bytes -> tokens with word-shape bits and
 *                a gazetteer flag word each (ner_scan.c; no allocation per
 *                token, hashed lookups only);
 *   2. propose   candidate spans with a type guess and evidence bits: number
 *                patterns (dates, money, percent), capitalised sequences
 *                typed by gazetteer phrases, head words, left/right context,
 *                acronym definitions and in-document propagation
 *                (ner_rules.c);
 *   3. score     confidence = 1 - prod(1 - w_k) over the evidence bits k that
 *                fired (ner.c).  A learned scorer replaces this stage: the
 *                evidence bits plus token shapes are its features, and it can
 *                also re-type or drop candidates.  Nothing else changes.
 *
 * Types: PERSON ORG GPE LOC NORP EVENT WORK_OF_ART LAW LANGUAGE PRODUCT DATE
 * MONEY PERCENT CONCEPT DATASET.  Spans exclude leading determiners ("the")
 * and titles ("Dr."), as in CoNLL.
 *
 * Thread-safe: the only shared state is the read-only gazetteer, loaded
 * lazily once.  The caller owns the kg_ner_result and frees it with
 * kg_ner_result_free(). */
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

typedef struct kg_ner_opts {
    float min_confidence; /* drop mentions below this; default 0 */
} kg_ner_opts;

#define KG_NER_OPTS_INIT \
    {                    \
        0.0f             \
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
    KG_NER_EV_COUNT = 18
};

/* Find mentions in text[0..len).  Clears out first; on success out holds the
 * mentions in text order.  Returns 0 or a negative KG_E* code with err set. */
int kg_ner_run(const char *text, size_t len, const kg_ner_opts *opts, kg_ner_result *out,
               kg_err *err);

void kg_ner_result_free(kg_ner_result *r);

/* Name of one evidence bit ("title", "gazetteer", ...), "?" if unknown. */
const char *kg_ner_evidence_name(uint32_t bit);

#endif

/* ner_train_internal: what ner_train.c (data, counting, the run) and
 * ner_learn.c (epochs, compiling, scoring, calibration) share. */
#ifndef KG_NER_NER_TRAIN_INTERNAL_H
#define KG_NER_NER_TRAIN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ml/rng.h"
#include "ner/ner_internal.h"
#include "ner/ner_train.h"

typedef struct tr_span {
    uint32_t s, e; /* bytes of the sentence text */
    uint16_t type; /* model type */
} tr_span;

typedef struct tr_sent {
    size_t text_off, span_off;
    uint32_t text_len, nspans;
    uint8_t groups; /* bit g: the sentence's corpus annotates group g */
} tr_sent;

typedef struct tr_set {
    kg_buf text; /* sentence texts, each NUL-terminated */
    tr_sent *s;
    size_t ns, caps;
    tr_span *sp;
    size_t nsp, capsp;
    uint32_t *doc; /* first sentence of each document, then ns */
    size_t ndoc, capd;
    size_t tokens;
} tr_set;

typedef struct tr_dev {
    char *path;
    kg_buf data;
    char types[256]; /* model types the file has, for --types */
    uint8_t groups;
} tr_dev;

typedef struct trainer {
    const kg_ner_train_opts *o;
    ner_layout lay;
    kg_perc *p;
    tr_set set;
    tr_dev *dev;
    size_t ndev;
    kg_rng rng;
    ner_work w;
    float *row;
    float *trans[NER_MAX_GROUPS];
    kg_viterbi_plan plan[NER_MAX_GROUPS]; /* of trans, rebuilt with it */
    uint16_t *gold;
    kg_tspan *gs;
    size_t gcap;
    float calib[NER_MAX_GROUPS][2];
    kg_mfile *cl_mf;         /* a model file of the word classes alone (or NULL) */
    unsigned char *cl_bytes; /* its bytes */
    kg_wclust cl;            /* the classes, read from cl_mf */
    void *info;              /* json_t: the training record */
} trainer;

void tr_report(const trainer *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The model type of a corpus label, or -1 (read as O). */
int tr_model_type(const ner_layout *l, const char *label, size_t n);

/* The sentence's text and gold spans. */
static inline const char *tr_text(const tr_set *s, size_t i)
{
    return s->text.data + s->s[i].text_off;
}

/* Project the gold spans of sentence si onto c's tokens: spans of group g
 * inside tokens [a, b), as tag-set spans relative to a; returns how many. */
size_t tr_gold_spans(const trainer *t, size_t si, const ner_ctx *c, unsigned g, size_t a, size_t b,
                     kg_tspan *out, size_t cap);

/* ner_train.c: the SHA-256 of p[0..n) in hex, as the training record
 * gives each file's; and a path's last component, as it names them. */
void tr_sha256_hex(const void *p, size_t n, char out[65]);
const char *tr_base_name(const char *p);

/* ner_classes.c: learn the word classes (t->cl) from the training text
 * and the unlabeled files; records them in the training record. */
int tr_word_classes(trainer *t, kg_err *err);

/* ner_learn.c */
void tr_epoch(trainer *t, unsigned epoch, size_t *mistakes, size_t *segments);
/* The model file of the current averaged weights (caller frees *out). */
void tr_compile(trainer *t, unsigned epoch, unsigned char **out, size_t *len);
/* Mean dev F1 of a compiled model (and each file's into the record); -1
 * without dev files. */
double tr_dev_score(trainer *t, const kg_ner_model *m, unsigned epoch, kg_err *err, int *rc);
/* Fit the confidence calibration of each group on the dev files. */
void tr_calibrate(trainer *t, const kg_ner_model *m);

#endif

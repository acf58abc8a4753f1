/* depparse_internal: the parser's transition system and features, shared
 * by the run-time parser (depparse.c) and its trainer (depparse_train.c). */
#ifndef KG_NLP_DEPPARSE_INTERNAL_H
#define KG_NLP_DEPPARSE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "ml/ftable.h"
#include "ml/linear.h"
#include "syntax/ptb.h"
#include "syntax/words.h"

enum {
    TR_SHIFT,
    TR_LEFT,
    TR_RIGHT,
    TR_REDUCE,
    TR_COUNT
};

#define LAB_K (KG_D_COUNT - 1) /* label classes: dep - 1 */
#define ARC_NFEAT 64
#define LAB_NFEAT 32
#define NO_HEAD (-2)

/* A parser configuration over words 0..n-1 and the root token n (last in
 * the buffer, never pushed). */
typedef struct pstate {
    int n;
    int *stack, sp;
    int b;              /* front of the buffer; n = only the root is left */
    int16_t *head;      /* NO_HEAD, or 0..n (n = root) */
    uint8_t *lab;       /* KG_D_* of the arc to the head */
    int16_t *lc1, *lc2; /* leftmost and second leftmost child (-1 none) */
    int16_t *rc1, *rc2; /* rightmost and second rightmost child */
    uint8_t *nl, *nr;   /* left and right valency */
    uint64_t *wv;       /* hashed lower-cased form of each word (n+1) */
    uint8_t *tg;        /* tag of each word (n+1; the root's is KG_T_COUNT) */
    void *mem;
} pstate;

void ps_init(pstate *p, const kg_words *s);
void ps_free(pstate *p);
bool ps_terminal(const pstate *p);
bool ps_legal(const pstate *p, int tr);
/* Apply tr; for LEFT / RIGHT the arc gets label `lab`. */
void ps_apply(pstate *p, int tr, int lab);
/* The head and dependent of the arc tr would make. */
void ps_arc(const pstate *p, int tr, int *h, int *d);

size_t ps_arc_features(const pstate *p, uint64_t *f);
size_t ps_lab_features(const pstate *p, int h, int d, uint64_t *f);

/* The best legal transition under scores s[TR_COUNT]. */
int ps_best_legal(const pstate *p, const float *s);

/* Copy the parse into s (heads, labels); extra roots are attached to the
 * first root as parataxis so that there is exactly one. */
void ps_store(const pstate *p, kg_words *s);

struct kg_depparse {
    kg_ftab *arc, *lab;
};

/* Scores from the shipped models or from the perceptrons being trained. */
typedef struct pscorer {
    const kg_ftab *arc, *lab;
    const kg_perc *parc, *plab;
    bool avg; /* perceptrons: averaged weights (evaluation) or current (training) */
} pscorer;

/* The label of arc h -> d under sc (root arcs: KG_D_ROOT). */
int ps_predict_label(const pscorer *sc, const pstate *p, int h, int d);
/* Parse s greedily under sc. */
void ps_parse(const pscorer *sc, kg_words *s);

/* The feature templates' version, stored in the model ("parse.features"):
 * a model trained on other templates is refused at load, not misread.
 * Change it whenever ps_arc_features or ps_lab_features change. */
#define PARSE_FEATURES "arc-eager/zn2011-trim/2"

/* The label names as stored in a model file ("parse.labels"). */
void kg_depparse_label_names(kg_buf *b);

#endif

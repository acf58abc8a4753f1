/* openie_internal: the dependency tree as Open IE reads it, and building
 * the word sets of relations and arguments (openie_parts.c), shared with
 * the predicate rules (openie.c). */
#ifndef KG_NLP_OPENIE_INTERNAL_H
#define KG_NLP_OPENIE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "nlp/openie.h"
#include "syntax/ptb.h"

/* The tree of one sentence: children lists in word order. */
typedef struct otree {
    const kg_words *s;
    int n;
    int *koff; /* children of h: kids[koff[h] .. koff[h + 1]) */
    int *kids;
    uint8_t *mark; /* scratch for building a part */
} otree;

void ot_build(otree *t, const kg_words *s, void **ws);

static inline int ot_dep(const otree *t, int i)
{
    return t->s->w[i].dep;
}

static inline int ot_tag(const otree *t, int i)
{
    return t->s->w[i].tag;
}

static inline int ot_head(const otree *t, int i)
{
    return t->s->w[i].head;
}

/* True when h's conjuncts are joined by a coordinator ("A, B and C"):
 * conjuncts without one ("Arminius, leader of the Cherusci, ...") are
 * appositions the parser took for a list. */
bool ot_coordinated(const otree *t, int h);

/* The first child of h with label dep, or -1. */
int ot_child(const otree *t, int h, int dep);
/* True when word i's form is one of the space-separated lower-case words. */
bool ot_is(const otree *t, int i, const char *words);

/* Labels never followed into an argument, at any depth: relative clauses,
 * parataxis, discourse, vocatives, dislocations.  Appositions stay in
 * (they are their own triple too): CaRB's annotators keep them in the
 * argument, and dev F1 is 0.502 with them against 0.499 without. */
bool ot_deep_excluded(int dep);

/* ---- building parts --------------------------------------------------------- */

/* A part being built: words are marked in t->mark, then collected. */
void part_start(otree *t);
void part_word(otree *t, int i);
/* A set of labels, for part_subtree. */
#define DEPS(d) (1ull << (d))

/* Mark the subtree of h, leaving out h's children whose label is in skip
 * (a DEPS() set; top level only), those of ot_deep_excluded labels (any
 * depth), and any word in `but` (n_but of them) with its subtree. */
void part_subtree(otree *t, int h, uint64_t skip, const int *but, int n_but);
/* Collect the marked words (ascending) into o, trimming punctuation at
 * both ends; returns false when nothing is left. */
bool part_end(otree *t, kg_oie *o, kg_oie_part *out, int head, const char *pre);

/* Conjuncts and their coordinators, as part_subtree's skip set. */
#define SKIP_CONJ (DEPS(KG_D_CONJ) | DEPS(KG_D_CC) | DEPS(KG_D_CC_PRECONJ))

/* A new triple in o (zeroed, arg heads -1); NULL when the sentence's cap
 * is reached. */
kg_triple *oie_new(kg_oie *o);

/* The triples without a verb made at word h (openie_nominal.c): h's
 * appositions, its possessive (whose first argument is h's owner), where
 * it is ("in Y", ", Y"), the noun describing it. */
void oie_nominal(otree *t, kg_oie *o, int h);

#endif

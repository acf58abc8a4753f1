/* openie: Open IE triples from an analysed sentence.
 *
 * Rules over the Universal Dependencies parse (syntax/analyse), one
 * extraction per predicate and per choice of split conjunct:
 *   verb      "Keller proposed the network in 2019"
 *             (proposed; Keller; the network; in 2019)
 *   passive   "The network was proposed by Keller"
 *             (was proposed by; The network; Keller)
 *   copula    "Keller is a professor at Lisbon" (is; Keller; a professor at Lisbon)
 *             "Keller is in Lisbon"               (is in; Keller; Lisbon)
 *   apposition "Keller, a professor at Lisbon"   (is; Keller; a professor at Lisbon)
 *   relative  "Keller, who works at Lisbon"      (works at; Keller; Lisbon)
 *             the antecedent stands in for the relative pronoun, as subject,
 *             object or prepositional object
 *   reduced   "a network proposed by Keller", "people living in Lisbon"
 *   control   "Keller began to study law"        (began to study; Keller; law)
 *   clausal   "The finding showed that X is Y"   (showed that; The finding; X is Y)
 *   possessive "Lisbon's university"             (has; Lisbon; university)
 *   nominal   "the University of Lisbon in Portugal" (is in; the University of Lisbon; Portugal)
 * Conjoined predicates share their subject ("Keller founded X and led Y"
 * gives two triples) and conjoined arguments are split ("Keller and Smith
 * proposed X" gives one triple each), so that each fact is one triple.
 *
 * The relation phrase is the predicate's auxiliaries, negation, the verb,
 * its particle and the preposition of the second argument; arguments are
 * the subtrees of their heads without relative clauses, appositions and
 * the split conjuncts.  Parts are sets of words (syntax/words.h indices), so
 * every part maps back to exact byte spans; a relation may also carry a
 * word the sentence does not have ("is" for an apposition, "has" for a
 * possessive), which has no span.
 *
 * Confidence: by construction (how the subject was found, the kind of
 * predicate, how long the arguments are), in 0..1, for ranking.
 *
 * A kg_oie is reused from sentence to sentence (cleared, not freed); it
 * belongs to one thread. */
#ifndef KG_NLP_OPENIE_H
#define KG_NLP_OPENIE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "syntax/words.h"

#define KG_OIE_MAX_ARGS 5
#define KG_OIE_MAX_PER_PREDICATE 8

enum {
    KG_OIE_VERB = 1,
    KG_OIE_COPULA,
    KG_OIE_APPOS,
    KG_OIE_POSS,
    KG_OIE_NOMINAL,
};

/* How the subject was found. */
enum {
    KG_OIE_SUBJ_OWN = 0,
    KG_OIE_SUBJ_CONJ,  /* from a conjoined predicate */
    KG_OIE_SUBJ_RELCL, /* the antecedent of a relative clause */
    KG_OIE_SUBJ_ACL,   /* the noun a participle modifies */
    KG_OIE_SUBJ_XCOMP, /* the controller of an infinitive */
    KG_OIE_SUBJ_ADVCL, /* the subject of the clause an adverbial modifies */
};

typedef struct kg_oie_part {
    uint32_t off; /* words: kg_oie.idx[off .. off + n), ascending */
    uint16_t n;
    int16_t head;    /* the part's head word, -1 none */
    const char *pre; /* a word the sentence lacks, before the words ("is"), or NULL */
} kg_oie_part;

typedef struct kg_triple {
    kg_oie_part rel;
    kg_oie_part arg[KG_OIE_MAX_ARGS];
    int nargs;
    float confidence;
    uint8_t kind;    /* KG_OIE_* */
    uint8_t subj;    /* KG_OIE_SUBJ_* */
    uint8_t passive; /* a passive verb: arg 0 is the patient */
    int16_t pred;    /* the predicate's head word (the verb, the copula's complement...) */
    int16_t prep;    /* the preposition moved into the relation, -1 none */
    int16_t agent;   /* passive: index of the argument introduced by "by", -1 none */
} kg_triple;

typedef struct kg_oie {
    kg_triple *t;
    int n, cap;
    int16_t *idx;
    uint32_t nidx, icap;
    void *ws; /* working memory of the extractor */
} kg_oie;

#define KG_OIE_INIT                  \
    {                                \
        NULL, 0, 0, NULL, 0, 0, NULL \
    }

void kg_oie_free(kg_oie *o);

/* Clear o, then extract the triples of the analysed sentence s (tags and
 * parse set).  Returns the number of triples. */
int kg_openie(const kg_words *s, kg_oie *o);

/* True when word i of the analysed sentence s, which the tagger read as a
 * verb (not a modal), can be one: a word of letters, not a noun WordNet
 * never lists as a verb in a form nouns share, not an acronym outside a
 * headline (openie.c says why).  Every rule that looks for a sentence's
 * verbs (here, nlp/relpath, nlp/relate) asks this. */
bool kg_oie_is_verb(const kg_words *s, int i);

/* True when word i, a verb's subject in the parse, is one the tagger read
 * as a finite verb, or a bare one without "to", with an object of its own:
 * a clause the parse got wrong ("Pliny the Elder records that ...":
 * "Pliny" a verb, "records" its object), no noun phrase to be an argument.
 * An infinitive may be a subject ("to climb embankments is necessary").
 * The triple rules and nlp/relpath ask it. */
bool kg_oie_verb_as_subject(const kg_words *s, int i);

/* The words of part p of o. */
static inline const int16_t *kg_oie_words(const kg_oie *o, const kg_oie_part *p)
{
    return o->idx + p->off;
}

#endif

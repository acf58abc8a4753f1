/* reltype: what an Open IE triple says about two entities, in words.
 *
 * A relation's type in the graph is its normalised phrase: the lemma of
 * the verb (WordNet, syntax/lemma) with its particle and the preposition of
 * the argument the other entity heads, in lower case ("proposed" ->
 * propose, "works at" -> work at, "has married" -> marry, "was founded
 * by" -> found, read actively with the agent as source); a copula or an
 * apposition becomes "be" with the noun the entity hangs on ("is the
 * daughter of" -> be daughter of) or owns ("is Y's daughter": the same);
 * a passive without an agent keeps its participle ("was born in" -> be
 * born in); negation stays ("did not marry" -> not marry).  At most four words (five for a passive's
 * dependency path through a noun, nlp/relpath: "be used as component
 * of") and KG_PHRASE_MAX - 1 bytes,
 * cut at a word, never inside one: no stems, ever.
 *
 * kg_rel_category maps a phrase onto kgas's small ontology (the types the
 * LLM extractor also uses: WORKS_FOR, CREATED, LOCATED_IN, LEADS,
 * MEMBER_OF, PART_OF, USES, EVALUATED_ON, CITES_OR_EXTENDS, OWNS,
 * COLLABORATES_WITH, IMPROVES_ON, MEASURED_BY) where one fits, from a
 * table of phrases; anything else has no category and is known by its
 * phrase alone.  An ontology name given as a phrase maps to itself, so the
 * LLM extractor's types and the phrases meet in one graph.
 *
 * Pure functions over static tables; thread safe. */
#ifndef KG_NLP_RELTYPE_H
#define KG_NLP_RELTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "nlp/openie.h"
#include "syntax/words.h"

#define KG_PHRASE_MAX 40

/* The argument of x whose head word lies in the words [lo, hi] (an
 * entity mention), or -1; or 0 when the mention is what the subject's
 * noun stands in for ("most of Ireland", "the city of Treia"). */
int kg_rel_arg_of(const kg_words *s, const kg_triple *x, int lo, int hi);

/* The phrase of triple x of o as a relation from its argument 0 to the
 * entity mention over words [lo, hi] in argument k >= 1: the mention is
 * the argument (its head lies in the mention) or, for a copula or an
 * apposition, hangs on the argument's noun by a preposition ("the
 * daughter of Y").  Writes the phrase into out and sets *reverse when the
 * relation reads from argument k to argument 0 (a passive with its
 * agent); false when the triple does not relate them directly (then they
 * only co-occur). */
bool kg_rel_pair(const kg_words *s, const kg_oie *o, const kg_triple *x, int k, int lo, int hi,
                 char out[KG_PHRASE_MAX], bool *reverse);

/* The phrase of the triple's own relation (its second argument's head as
 * the other end): what `kgas triples --json` shows as "normalised". */
void kg_rel_normalise(const kg_words *s, const kg_oie *o, const kg_triple *x,
                      char out[KG_PHRASE_MAX]);

/* The normalised phrase of a relation given as words ("was founded by",
 * "is a professor at", "proposed"), by the LLM extractor: lower case,
 * articles dropped, the verb lemmatised as above; "be" + participle + "by"
 * reads actively (*reverse set: the agent is the source: "was founded by"
 * -> found).  An empty out when nothing is left. */
void kg_rel_normalise_text(const char *words, char out[KG_PHRASE_MAX], bool *reverse);

/* The word of [lo, hi] the parse attaches outside it (lo when none). */
int kg_rel_span_head(const kg_words *s, int lo, int hi);

/* The preposition (case child) of word h, or -1. */
int kg_rel_case_child(const kg_words *s, int h);

/* The phrase of a relation read along a dependency path (nlp/relpath):
 * the verbs verbs[0..n) of a control chain ("want to marry": lemmas, "to"
 * before an xcomp verb that has it, "not" for a negated one), each
 * verb's particle, then "be" + participle for the last verb when
 * passive_form; then the preposition `prep` (a word index, -1 none), then
 * the lemma of `noun` and its preposition `noun_prep` (-1 none: "shake
 * hand of").  False when nothing is left or the phrase would be cut. */
bool kg_rel_path_phrase(const kg_words *s, const int *verbs, int n, bool passive_form, int prep,
                        int noun, int noun_prep, char out[KG_PHRASE_MAX]);

/* The ontology type of a phrase, or NULL.  *flip: the ontology relation
 * runs the other way ("employ": the employer employs, WORKS_FOR runs from
 * the employee). */
const char *kg_rel_category(const char *phrase, bool *flip);

/* True for phrases that name an ontology type themselves ("WORKS_FOR"). */
bool kg_rel_is_ontology(const char *type);

#endif

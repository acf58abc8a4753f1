/* qphrase: which phrases of a question may name an entity, and how surely.
 *
 * The rules of question linking, without the store (search/qlink looks
 * the phrases up and decides with these rules; graph/qnames gives the
 * normal form both sides are compared in).  A question's phrases are its
 * word n-grams that neither start nor end with a stop word, each with the
 * reason it may be a name:
 *
 *   ner        exactly a mention the recogniser found in the question
 *              (kg_ner_run, the recogniser documents go through);
 *   ner_part   some words inside such a mention;
 *   name       capitalised first and last words, no lower-case word other
 *              than a function word between ("Journal of Psychotherapy
 *              Integration"): a title the recogniser missed;
 *   proper     one capitalised word that is not a common word;
 *   acronym    one all-capitals word ("MTV", "KAGH-FM");
 *   content    two or more lower-case words ("graph echo network");
 *   phrase     the whole text, given as a name (`kgas path X Y`).
 *
 * One word is never a name when it is a common English word (WordNet's
 * vocabulary in the gazetteer, with its plural or past form: "Journal",
 * "East", "State", "Love", "Films", "shares") unless the gazetteer knows it
 * as a country, city, region, nationality, language or named organisation
 * ("Germany", "China") or WordNet spells it only with a capital ("Oahu",
 * "Alexander": scripts/gen_proper_words.py); nor when it is lower-case,
 * nor a bare number outside a recognised mention.  That is what keeps generic capitalised
 * words and near-miss common words from naming entities.  One exception:
 * a common word capitalised inside the question (not its first word)
 * names an entity whose name or alias is spelt exactly so, capital and
 * all, and nothing else (exact_only): "Who did Scrooge speak to?" names
 * Scrooge, the character, in a graph of A Christmas Carol, where
 * "scrooge" is also WordNet's word for a miser.  And a common word opening
 * the question (where every word has its capital) names nothing, but may
 * start a passage's title the question holds in full (run_only):
 * "Wonderland by Night is a song ..." (search/qlink runs titles on).
 *
 * Fuzzy matching is allowed only for ner / name / phrase phrases, and
 * kg_qphrase_fuzzy is strict: Jaro-Winkler >= KG_QPHRASE_FUZZY_JW (measured
 * on the questions of ../shared/data/qa: docs/retrieval.md), the same
 * number of words, equal numerals, a single word of 5+ bytes, and neither
 * form a prefix of the other ("korean"/"korea", "olympiad"/"olympiads"
 * are different words, not typos).
 *
 * Memory: arrays returned are malloc'ed; free grams with
 * kg_qphrase_free. */
#ifndef KG_GRAPH_QPHRASE_H
#define KG_GRAPH_QPHRASE_H

#include <stdbool.h>
#include <stddef.h>

#define KG_QPHRASE_MAX_WORDS 8    /* longest phrase looked up */
#define KG_QPHRASE_MAX_SPAN 12    /* longest recognised mention looked up whole */
#define KG_QPHRASE_MAX_QWORDS 256 /* words of a question considered */
#define KG_QPHRASE_FUZZY_JW 0.97  /* see above */

typedef enum kg_qphrase_why {
    KG_QPHRASE_NER = 0,
    KG_QPHRASE_NER_PART,
    KG_QPHRASE_NAME,
    KG_QPHRASE_PROPER,
    KG_QPHRASE_ACRONYM,
    KG_QPHRASE_CONTENT,
    KG_QPHRASE_PHRASE,
} kg_qphrase_why;

typedef struct kg_qphrase {
    char *norm;     /* normal form (graph/qnames) */
    char *initials; /* several words: their initials ("etuc"), else NULL */
    int word_start, word_end;
    unsigned byte_start, byte_end; /* in the question */
    kg_qphrase_why why;
    bool fuzzy;      /* may be matched fuzzily */
    bool entity;     /* may name an entity (else only a passage title) */
    bool exact_only; /* a common word capitalised inside the question: names
                      * only an entity spelt exactly so (below) */
    bool run_only;   /* a common word opening the question ("Wonderland by
                      * Night is a song"): names nothing itself, but may
                      * start a passage's title the question holds in full */
} kg_qphrase;

/* A recognised mention: bytes [start, end) of the question. */
typedef struct kg_qphrase_span {
    unsigned start, end;
} kg_qphrase_span;

/* The phrases of question that may name something, longest first (then
 * left to right).  phrase: the whole text is one name (path endpoints).
 * Returns their number; *out NULL when none. */
int kg_qphrases(const char *question, const kg_qphrase_span *m, size_t nm, bool phrase,
                kg_qphrase **out);
void kg_qphrase_free(kg_qphrase *g, int n);

/* Is this normal-form word a common word (see above)? */
bool kg_qphrase_generic(const char *word);

/* Fuzzy score (0.8 x Jaro-Winkler) of a phrase against a normal-form name,
 * 0 unless every rule above holds.  Equal forms are not fuzzy: 0. */
double kg_qphrase_fuzzy(const char *gram, const char *name);

/* The weight of a reason: how much a match of such a phrase counts. */
double kg_qphrase_why_weight(kg_qphrase_why why);
const char *kg_qphrase_why_name(kg_qphrase_why why);

#endif

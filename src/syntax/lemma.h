/* lemma: dictionary forms of English words, from WordNet.
 *
 * WordNet's morphology (morphy): a word's irregular form is looked up in
 * the exception lists ("went" -> go, "children" -> child), else the
 * detachment rules of its word class are tried in order ("-ies" -> "-y",
 * "-ed" -> "", "-ing" -> "e"...) and the first candidate that WordNet lists
 * as a base form of that class wins.  The tables are generated at build
 * time from Debian's wordnet-base (scripts/gen_lemma.py, syntax/lemma.cmake).
 * When nothing is listed (names, new words) a verb still loses a regular
 * ending by spelling rules ("tweeted" -> tweet), since relation phrases are
 * built from verbs, unless WordNet knows the word itself as a noun or an
 * adjective ("watershed" tagged as a past tense stays "watershed", not the
 * stem "watersh"); a British doubled l goes when WordNet lists the verb
 * with one ("remodelled" -> remodel); other words stay as they are.  A few closed-class forms
 * WordNet does not list are handled here ("'s" -> be, "n't" -> not).
 *
 * The word class comes from the tagger's PTB tag.  Output is lower case.
 * Static data only; thread safe; no allocation. */
#ifndef KG_NLP_LEMMA_H
#define KG_NLP_LEMMA_H

#include <stdbool.h>
#include <stddef.h>

enum {
    KG_LEMMA_NOUN = 1,
    KG_LEMMA_VERB = 2,
    KG_LEMMA_ADJ = 4,
    KG_LEMMA_ADV = 8,
};

#define KG_LEMMA_MAX 64

/* The WordNet class of a PTB tag (syntax/ptb.h), 0 for other tags. */
int kg_lemma_class(int tag);

/* Write the lemma of word[0..len) tagged `tag` into out (NUL-terminated,
 * truncated to cap - 1 bytes); returns its length. */
size_t kg_lemma(const char *word, size_t len, int tag, char *out, size_t cap);

/* True when WordNet lists lower-case word[0..len) as a base form of any of
 * the classes in mask. */
bool kg_lemma_is_base(const char *word, size_t len, int mask);

/* The same for word[0..len) as written: its ASCII capitals lowered first
 * ("President" is the noun president).  False when it is KG_LEMMA_MAX
 * bytes or longer. */
bool kg_lemma_is_base_folded(const char *word, size_t len, int mask);

#endif

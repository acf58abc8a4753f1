/* analyse: sentence analysis for relations, the tagger and the parser
 * together: a sentence's text becomes words with PTB tags, heads and
 * dependency labels (syntax/words.h), ready for Open IE (nlp/openie.h).
 *
 * A kg_analyser holds the two trained models (syntax/postag, syntax/depparse),
 * read-only: one may serve every thread.  kg_analyser_default() is the
 * process's analyser over the models kgas ships (syntax/models.h says where
 * they come from), loaded once on first use; when they cannot be loaded it
 * returns the same clear error every time, never an analyser that quietly
 * finds nothing.
 *
 * Clauses a semicolon sets side by side ("Mrs. Cratchit made the gravy;
 * Master Peter mashed the potatoes") are parsed one by one, each as a
 * sentence of its own, and the later ones hang on the first one's root as
 * parataxis: the parser, trained mostly on short web sentences, otherwise
 * hands one clause's subject to the next clause's verb.  A semicolon
 * counts when the words on each side read as a clause (a verb after a
 * noun or pronoun that is not a preposition's object); a list ("Paris,
 * France; Lyon, France") or a clause sharing the subject before the
 * semicolon is parsed whole.
 *
 * Bounded work: a sentence of more than KG_ANALYSE_MAX_WORDS words is not
 * analysed (kg_analyse returns -1 and the caller extracts nothing from it:
 * flattened tables, lists of numbers, run-on text without sentence ends).
 * Tagging and parsing are linear in the words, so the cap bounds the time
 * per sentence (about a millisecond at the cap). */
#ifndef KG_NLP_ANALYSE_H
#define KG_NLP_ANALYSE_H

#include <stddef.h>

#include "base/err.h"
#include "syntax/depparse.h"
#include "syntax/postag.h"
#include "syntax/words.h"

#define KG_ANALYSE_MAX_WORDS 150

typedef struct kg_analyser kg_analyser;

/* An analyser over the model files at the two paths (kinds "pos" and
 * "parse"); an error names the file and what is wrong with it. */
int kg_analyser_open(const char *pos_path, const char *parse_path, kg_analyser **out, kg_err *err);
void kg_analyser_close(kg_analyser *a);

/* The process's analyser over the shipped models (never freed). */
int kg_analyser_default(const kg_analyser **out, kg_err *err);

const kg_postag *kg_analyser_tagger(const kg_analyser *a);
const kg_depparse *kg_analyser_parser(const kg_analyser *a);

/* Cut text[start, end) into words, tag and parse them into s.  Returns the
 * number of words (0 for none), or -1 (s cleared) when the sentence has
 * more than max_words words (<= 0: KG_ANALYSE_MAX_WORDS). */
int kg_analyse(const kg_analyser *a, const char *text, size_t start, size_t end, int max_words,
               kg_words *s);

#endif

/* qnames: how a question's words are matched against entity names.
 *
 * The normal form is shared by the name index (written at every graph
 * build), question linking (graph/qphrase, search/qlink: what `kgas query`,
 * `kgas path` and hybrid search use) and the in-memory matcher of
 * graph/query (kept for callers that hold a graph and no store).
 *
 * Names and questions are compared in a normal form: casefolded words
 * (kg_resolve_fold), possessive 's dropped, apostrophes inside words
 * removed, joined by single spaces ("Scrooge's  Office" -> "scrooge
 * office").  A question is looked up by its word n-grams, n = 1..4; an
 * n-gram that starts or ends with a stop word is never a name, nor is a
 * single common question word.  Exact equality scores 1.0 (0.9 for an
 * alias); otherwise a fuzzy match needs the same first byte, a length gap
 * of at most 3 bytes and Jaro-Winkler >= 0.92 (score 0.8 x JW) or, for a
 * single word of >= 5 bytes, edit distance 1 (score 0.75).
 *
 * Strings returned are malloc'ed; free word arrays with kg_qname_free_words. */
#ifndef KG_GRAPH_QNAMES_H
#define KG_GRAPH_QNAMES_H

#include <stdbool.h>

#define KG_QNAME_MAX_WORDS 4 /* longest n-gram looked up */
#define KG_QNAME_FUZZY_MIN 4 /* shortest n-gram (bytes) matched fuzzily */
#define KG_QNAME_LEN_GAP 3   /* fuzzy: largest length difference, bytes */

/* The normal form of a name or alias. */
char *kg_qname_norm(const char *s);

/* The normal-form words of s; returns their number. */
int kg_qname_words(const char *s, char ***out);
void kg_qname_free_words(char **w, int n);
/* w[from..to) joined by single spaces. */
char *kg_qname_join(char *const *w, int from, int to);

/* The words of s as byte spans [start, end) of s itself (not of its
 * folded form), split by the rules of kg_qname_words: the normal form of
 * s[span_i.start .. span_j.end) is the normal form of words i..j.  A
 * possessive 's is left out of its word's span.  Returns their number;
 * *out is malloc'ed (NULL when none). */
typedef struct kg_qname_span {
    unsigned start, end;
} kg_qname_span;
int kg_qname_spans(const char *s, kg_qname_span **out);

/* Is the normal-form word a stop word ("the", "of", "who", ...)? */
bool kg_qname_stop(const char *w);

/* May the n-gram w[s..s+len) name an entity (the stop-word rules)? */
bool kg_qname_gram_allowed(char *const *w, int s, int len);

/* Jaro-Winkler similarity of two byte strings (1 = equal; strings over 64
 * bytes compare equal or not at all). */
double kg_qname_jaro_winkler(const char *a, const char *b);

/* Fuzzy score of n-gram gram (of `words` words) against a normal-form name,
 * 0 when it does not match fuzzily.  Exact equality is the caller's test. */
double kg_qname_fuzzy(const char *gram, int words, const char *norm);

#endif

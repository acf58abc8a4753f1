/* relpath: a relation between two entity mentions of a parsed sentence,
 * read from the dependency path between their heads when that path goes
 * through a verb (the shortest-dependency-path idea of Bunescu & Mooney
 * 2005, as rules).  nlp/relate uses it for the pairs no Open IE triple
 * joins: the triples cover the common constructions with whole
 * arguments, the path covers what they miss (an entity inside a larger
 * argument, control and coordination chains, relative clauses the triple
 * rules read another way).
 *
 * Each mention's head is anchored to the verbs it is an argument of:
 * subject, passive subject, object, oblique with its preposition, agent;
 * through one hop of a coordination of nouns ("Keller and Smith
 * proposed"), an apposition to a common noun ("his nephew Fred", "an
 * interface (FFI)"; a capitalised word WordNet knows as a noun counts:
 * "the President of South Africa, Jacob Zuma"), a relative clause on it ("Marley, whom Scrooge
 * knew"; not when the mention is inside a prepositional phrase, where the
 * clause may belong to the noun above), and, on the object side only, a
 * common noun it hangs on by a preposition ("shook the hand of Fred").
 * Participles on a noun ("a portrait of X directed by Y") are not read:
 * on a sample their attachment was wrong more often than not.  Two anchors
 * relate the mentions when they are
 *   - the subject (or agent) and an object, oblique (or passive subject)
 *     of the same verb: "Scrooge, with Fred, visited Belle" -> visit; the
 *     passive subject and an oblique, or a noun hanging on the object a
 *     passive keeps ("Spielberg was awarded the ... Award at the Summer
 *     Gala" -> be awarded award at);
 *   - or the subject of a verb and an object or oblique of a verb reached
 *     from it by xcomp or conj links whose verbs have no subject of their
 *     own (the subject is shared): "Scrooge began to hate Marley" -> begin
 *     to hate; "Scrooge rose and followed the Ghost" -> follow; not past a verb
 *     with an object ("X helped Y gain entry": Y gains it).
 * Nothing else: two subjects or two objects of one verb (a list), a
 * vocative or a dialogue tag, a verb with its own subject (a separate
 * clause), a quotation mark, semicolon or colon between the mentions
 * (speech and its tag, clauses set side by side) leave the pair unrelated -- the caller keeps it a co-occurrence.
 *
 * The phrase is nlp/reltype's: lemmas of the chain's verbs, particle,
 * preposition of the object side ("go to", "begin to hate", "be born
 * in"); the direction runs from the subject (or the agent).  A path
 * relation is less sure than a triple: KG_REL_PATH_CONFIDENCE.
 * Pure function over the parse; thread safe. */
#ifndef KG_NLP_RELPATH_H
#define KG_NLP_RELPATH_H

#include <stdbool.h>

#include "nlp/reltype.h"
#include "syntax/words.h"

#define KG_REL_PATH_CONFIDENCE 0.30

/* The relation between the mentions over words [alo, ahi] and [blo, bhi]
 * of the parsed sentence s: writes its phrase into out and sets *reverse
 * when it reads from b to a.  False when no path through a verb relates
 * them. */
bool kg_rel_path(const kg_words *s, int alo, int ahi, int blo, int bhi, char out[KG_PHRASE_MAX],
                 bool *reverse);

/* True when the nearest verb above each mention's head is the same and
 * no quotation mark, semicolon or colon stands between them: the two are
 * words of one clause, the pairs the parse says the text relates (whether
 * or not the rules above could say how; a vocative and its dialogue tag
 * are not related).  What the clause share
 * of nlp/relate counts. */
bool kg_rel_same_clause(const kg_words *s, int alo, int ahi, int blo, int bhi);

#endif

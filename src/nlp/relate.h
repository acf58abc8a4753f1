/* relate: typed relations between the entities mentioned in one sentence.
 *
 * A sentence that mentions two or more distinct entities is analysed
 * (syntax/analyse: words, tags, dependency parse) and its Open IE triples
 * (nlp/openie) are read for pairs of mentions: when one mention is a
 * triple's first argument and the other its second (or a later) argument,
 * or hangs on a copula's or apposition's noun by a preposition ("X is the
 * daughter of Y"; "X is one of the founders of Y" as "a founder"), or is
 * a place the sentence puts the "in" argument's place in ("X is located
 * in Woodford County, Illinois": in Illinois too), the pair gets a typed
 * relation whose type is the
 * normalised phrase (nlp/reltype: "propose", "work at", "be daughter of"),
 * directed as the sentence reads it (a passive's agent is the source),
 * with the triple's confidence and a method naming the construction:
 *   verb        "X married Y", "Y was founded by X", "X, who founded Y"
 *   copula      "X is the director of Y", "X is in Y"
 *   apposition  "X, a professor at Y"
 *   possessive  "X's Y"
 *   nominal     "the University of Lisbon in Portugal", "Tampa, Florida"
 * A pair no triple joins may still be related by the dependency path
 * between its mentions through a verb (nlp/relpath: "Scrooge began to
 * hate Marley", "Marley, whom Scrooge knew"): method "path", confidence
 * KG_REL_PATH_CONFIDENCE, below a triple's.  In dialogue the speaker of
 * a quotation and a name inside it are related by nlp/relspeech: "say
 * to" (a person addressed, "'A merry Christmas, Bob!' said Scrooge") or
 * "speak of" (any other name but a nationality, date or number), method
 * "speech", confidence KG_REL_SPEECH_CONFIDENCE, when no triple related
 * them.
 * Every other pair of entities in the sentence is a co-occurrence:
 * RELATED_TO, undirected (source < target), confidence 0.40, method
 * "cooccur", or "cooccur-verb" when the sentence was analysed and a verb
 * stands between two of the pair's mentions (the text relates them and the
 * rules could not say how) -- a weak link that never stands in for a
 * typed one: a pair
 * that got a typed relation in a sentence gets no co-occurrence there.  In
 * a crowded sentence (more than max_cooccur distinct entities, default 12)
 * only neighbouring entities co-occur, so a table row or a reference list
 * does not produce n^2 edges.
 *
 * Sentences of more than KG_ANALYSE_MAX_WORDS words are not analysed
 * (bounded time): their pairs only co-occur.  Sentences with fewer than
 * two distinct entities cost nothing.
 *
 * The counts say how much of what the text relates was typed: the pairs
 * of a sentence that got a typed relation, against those plus the pairs
 * that only co-occur with a verb between them ("typed share"; kgas stats
 * computes the same from the stored evidence by method).
 *
 * Inputs are plain spans so this module does not depend on the NER.  The
 * analyser is syntax/analyse's built-in one: when its models cannot be loaded
 * kg_relate_extract fails with that error (no silent fallback to
 * co-occurrence only).  Memory: the caller frees the list with
 * kg_relate_list_free; inputs are only read.  Thread safe: each thread
 * keeps its own analysis buffers (freed when it ends). */
#ifndef KG_NLP_RELATE_H
#define KG_NLP_RELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"

typedef struct kg_relate_span {
    int64_t start, end; /* byte span in the document text */
} kg_relate_span;

typedef struct kg_relate_mention {
    int64_t start, end; /* byte span in the document text */
    const char *type;   /* entity type, may be NULL */
    int entity;         /* entity index; < 0 = ignore this mention */
} kg_relate_mention;

typedef struct kg_relate_rel {
    int source, target;     /* entity indices */
    char type[KG_TYPE_MAX]; /* the normalised phrase ("work at"), or "RELATED_TO" */
    double confidence;
    char method[KG_METHOD_MAX]; /* one of kg_relate_method_known's names */
    int64_t start, end;         /* the sentence span: the evidence */
} kg_relate_rel;

typedef struct kg_relate_counts {
    int64_t sentences_analysed;   /* with two or more distinct entities, within the cap */
    int64_t sentences_too_long;   /* with two or more distinct entities, over the cap */
    int64_t typed_pairs;          /* pairs of a sentence with a typed relation */
    int64_t cooccur_verb_pairs;   /* pairs of a sentence co-occurring with a verb between them */
    int64_t cooccur_clause_pairs; /* those in one clause (nlp/relpath) */
} kg_relate_counts;

typedef struct kg_relate_list {
    kg_relate_rel *v;
    int n, cap;
    kg_relate_counts counts;
} kg_relate_list;

/* a += b. */
void kg_relate_counts_add(kg_relate_counts *a, const kg_relate_counts *b);
/* typed / (typed + co-occurring with a verb between), 0 when both are 0. */
double kg_relate_typed_share(const kg_relate_counts *c);
/* typed / (typed + co-occurring with a verb between them in one clause):
 * the share among the pairs the parse puts in one clause. */
double kg_relate_clause_share(const kg_relate_counts *c);
/* {"typed_pairs", "cooccur_verb_pairs", "typed_share", "sentences_analysed",
 *  "sentences_too_long", "cooccur_clause_pairs", "clause_share"}
 * as a new JSON object (a json_t *). */
void *kg_relate_counts_json(const kg_relate_counts *c);

#define KG_RELATE_MAX_COOCCUR 12
#define KG_RELATE_COOCCUR_CONFIDENCE 0.40

/* max_cooccur <= 0 means KG_RELATE_MAX_COOCCUR.  Mentions may come in any
 * order; a mention belongs to the sentence that contains its whole span.
 * Fails with KG_EINVAL on spans outside the text, and with the analyser's
 * error when its models cannot be loaded. */
int kg_relate_extract(const char *text, size_t text_len, const kg_relate_span *sents, int nsents,
                      const kg_relate_mention *m, int nm, int max_cooccur, kg_relate_list **out,
                      kg_err *err);
void kg_relate_list_free(kg_relate_list *l);

/* True when m names a method a kg_relate_rel can carry: "verb", "copula",
 * "apposition", "possessive", "nominal" (the Open IE constructions),
 * "path", "cooccur" or "cooccur-verb". */
bool kg_relate_method_known(const char *m);

#endif
